/**
 * All charts of a project as render jobs.
 *
 * ```
 * rows + meta ─┬─ per indicator: zeitreihe_<kreis> (with the Land); per indicator × Kommune: zeitreihe_<ags>
 *              ├─ per indicator, latest year: rangfolge_<kreis> (Kommunen),
 *              │     rangfolge_<ags> (Sozialräume of each Kommune; pooled window where it shows more areas)
 *              ├─ per indicator: kommunen_<kreis> (small multiples)
 *              ├─ per indicator with GeoJSON: karte_<kreis> (Sozialräume, else Kommunen)
 *              └─ per Kommune: praeventionskette/praeventionskette_<ags> (not with an indicator filter)
 * ```
 * Names: `charts/<indicator>/<kind>_<area>`; the renderer adds `.vl.json`, `.svg`, `.png`.
 * Charts without any published value are left out.
 */
import type { ChartJob, ChartMeta, KennzahlRow } from './types.js';
import { timeSeries } from './time-series.js';
import { ranking } from './ranking.js';
import { smallMultiples } from './small-multiples.js';
import { choropleth } from './choropleth.js';
import { praeventionskette } from './praeventionskette.js';
import { latestYear } from './select.js';
import { sozialraumWindow } from './pooled.js';
import { rowsByRole } from './levels.js';

export interface ProjectChartOptions {
  /** Only the per-Kommune charts of this Kommune (AGS); Kreis-wide charts stay. */
  kommune?: string;
  /** Only this indicator. */
  indicator?: string;
  /** Year of rankings, maps and the Präventionskette (default: latest with data). */
  year?: number;
}

/** At least one published value other than 0: a ranking of only zeros or only gaps is not shown. */
function worthRanking(rows: readonly KennzahlRow[]): boolean {
  return rows.some((r) => r.suppression == null && r.value != null && r.value !== 0);
}

export function buildProjectCharts(
  rows: readonly KennzahlRow[],
  meta: ChartMeta,
  options: ProjectChartOptions = {},
): ChartJob[] {
  const roled = rowsByRole(rows, meta.levels);
  const single = roled.filter((r) => (r.pool_years ?? 1) === 1);
  const published = (r: KennzahlRow) => r.suppression == null && r.value != null;
  const indicatorIds = [...new Set(single.map((r) => r.indicator_id))]
    .filter((id) => !options.indicator || id === options.indicator)
    .sort();
  const kommunen = [...new Set(single.filter((r) => r.level === 'kommune').map((r) => r.area_id))]
    .filter((a) => !options.kommune || a === options.kommune)
    .sort();
  const kreis = meta.kreis.ags;
  const jobs: ChartJob[] = [];

  for (const id of indicatorIds) {
    const own = single.filter((r) => r.indicator_id === id);
    const has = (pred: (r: KennzahlRow) => boolean) => own.some((r) => pred(r) && published(r));
    const dir = `charts/${id}`;
    // 1. Time series of the Kreis (with the Land where given) and per Kommune.
    if (!options.kommune && has((r) => r.level === 'kreis'))
      jobs.push({ name: `${dir}/zeitreihe_${kreis}`, spec: timeSeries(own, meta, { indicator: id, area: kreis }) });
    for (const k of kommunen) {
      if (has((r) => r.area_id === k))
        jobs.push({ name: `${dir}/zeitreihe_${k}`, spec: timeSeries(own, meta, { indicator: id, area: k }) });
    }
    // 2. Rankings: Kommunen in the Kreis, Sozialräume per Kommune.
    //    Sozialräume show the pooled window where it publishes more areas than the single year.
    //    A ranking whose published values are all 0 (or that has none) says nothing: left out.
    const yearK = options.year ?? latestYear(own, id, 'kommune');
    if (yearK !== undefined && worthRanking(own.filter((r) => r.level === 'kommune' && r.year === yearK))) {
      jobs.push({ name: `${dir}/rangfolge_${kreis}`, spec: ranking(own, meta, { indicator: id, year: yearK }) });
    }
    const withPools = roled.filter((r) => r.indicator_id === id);
    const yearS = options.year ?? latestYear(own, id, 'sozialraum') ?? latestYear(withPools, id, 'sozialraum', 3);
    for (const k of kommunen) {
      if (yearS === undefined) continue;
      const w = sozialraumWindow(withPools, id, yearS, k);
      const inWindow = withPools.filter(
        (r) =>
          r.level === 'sozialraum' &&
          r.kommune_ags === k &&
          r.year === yearS &&
          Number(r.pool_years ?? 1) === w.poolYears,
      );
      if (worthRanking(inWindow))
        jobs.push({
          name: `${dir}/rangfolge_${k}`,
          spec: ranking(withPools, meta, { indicator: id, kommune: k, year: yearS, poolYears: w.poolYears }),
        });
    }
    // 3. Small multiples of all Kommunen.
    if (has((r) => r.level === 'kommune'))
      jobs.push({ name: `${dir}/kommunen_${kreis}`, spec: smallMultiples(own, meta, { indicator: id }) });
    // 4. Map: Sozialräume where there are values and boundaries, else Kommunen.
    const wS = yearS === undefined ? undefined : sozialraumWindow(withPools, id, yearS);
    if (
      meta.geo?.sozialraeume &&
      yearS !== undefined &&
      wS &&
      withPools.some(
        (r) =>
          r.level === 'sozialraum' && r.year === yearS && Number(r.pool_years ?? 1) === wS.poolYears && published(r),
      )
    ) {
      jobs.push({
        name: `${dir}/karte_${kreis}`,
        spec: choropleth(withPools, meta, { indicator: id, level: 'sozialraum', year: yearS, poolYears: wS.poolYears }),
      });
    } else if (meta.geo?.kommunen && yearK !== undefined && has((r) => r.level === 'kommune' && r.year === yearK)) {
      jobs.push({
        name: `${dir}/karte_${kreis}`,
        spec: choropleth(own, meta, { indicator: id, level: 'kommune', year: yearK }),
      });
    }
  }
  // 5. Präventionskette per Kommune over all indicators. It is a chart of the whole set:
  //    with an indicator filter it is not made (a one-row chain would overwrite the full one).
  if (options.indicator) return jobs;
  for (const k of kommunen) {
    jobs.push({
      name: `charts/praeventionskette/praeventionskette_${k}`,
      spec: praeventionskette(single, meta, { kommune: k, year: options.year, indicators: indicatorIds }),
    });
  }
  return jobs;
}
