/**
 * All charts of a project as render jobs.
 *
 * ```
 * rows + meta ─┬─ per indicator × Kommune: zeitreihe_<ags>
 *              ├─ per indicator, latest year: rangfolge_<kreis> (Kommunen),
 *              │                              rangfolge_<ags> (Sozialräume of each Kommune)
 *              ├─ per indicator: kommunen_<kreis> (small multiples)
 *              ├─ per indicator with GeoJSON: karte_<kreis> (Sozialräume, else Kommunen)
 *              └─ per Kommune: praeventionskette/praeventionskette_<ags>
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
import { rowsByRole } from './levels.js';

export interface ProjectChartOptions {
  /** Only the per-Kommune charts of this Kommune (AGS); Kreis-wide charts stay. */
  kommune?: string;
  /** Only this indicator. */
  indicator?: string;
  /** Year of rankings, maps and the Präventionskette (default: latest with data). */
  year?: number;
}

export function buildProjectCharts(rows: readonly KennzahlRow[], meta: ChartMeta, options: ProjectChartOptions = {}): ChartJob[] {
  const single = rowsByRole(rows, meta.levels).filter((r) => (r.pool_years ?? 1) === 1);
  const published = (r: KennzahlRow) => r.suppression == null && r.value != null;
  const indicatorIds = [...new Set(single.map((r) => r.indicator_id))].filter((id) => !options.indicator || id === options.indicator).sort();
  const kommunen = [...new Set(single.filter((r) => r.level === 'kommune').map((r) => r.area_id))].filter((a) => !options.kommune || a === options.kommune).sort();
  const kreis = meta.kreis.ags;
  const jobs: ChartJob[] = [];

  for (const id of indicatorIds) {
    const own = single.filter((r) => r.indicator_id === id);
    const has = (pred: (r: KennzahlRow) => boolean) => own.some((r) => pred(r) && published(r));
    const dir = `charts/${id}`;
    // 1. Time series per Kommune.
    for (const k of kommunen) {
      if (has((r) => r.area_id === k)) jobs.push({ name: `${dir}/zeitreihe_${k}`, spec: timeSeries(own, meta, { indicator: id, area: k }) });
    }
    // 2. Rankings: Kommunen in the Kreis, Sozialräume per Kommune.
    const yearK = options.year ?? latestYear(own, id, 'kommune');
    if (yearK !== undefined && has((r) => r.level === 'kommune' && r.year === yearK)) {
      jobs.push({ name: `${dir}/rangfolge_${kreis}`, spec: ranking(own, meta, { indicator: id, year: yearK }) });
    }
    const yearS = options.year ?? latestYear(own, id, 'sozialraum');
    for (const k of kommunen) {
      if (yearS !== undefined && has((r) => r.level === 'sozialraum' && r.kommune_ags === k && r.year === yearS)) {
        jobs.push({ name: `${dir}/rangfolge_${k}`, spec: ranking(own, meta, { indicator: id, kommune: k, year: yearS }) });
      }
    }
    // 3. Small multiples of all Kommunen.
    if (has((r) => r.level === 'kommune')) jobs.push({ name: `${dir}/kommunen_${kreis}`, spec: smallMultiples(own, meta, { indicator: id }) });
    // 4. Map: Sozialräume where there are values and boundaries, else Kommunen.
    if (meta.geo?.sozialraeume && yearS !== undefined && has((r) => r.level === 'sozialraum' && r.year === yearS)) {
      jobs.push({ name: `${dir}/karte_${kreis}`, spec: choropleth(own, meta, { indicator: id, level: 'sozialraum', year: yearS }) });
    } else if (meta.geo?.kommunen && yearK !== undefined && has((r) => r.level === 'kommune' && r.year === yearK)) {
      jobs.push({ name: `${dir}/karte_${kreis}`, spec: choropleth(own, meta, { indicator: id, level: 'kommune', year: yearK }) });
    }
  }
  // 5. Präventionskette per Kommune over all (selected) indicators.
  for (const k of kommunen) {
    jobs.push({ name: `charts/praeventionskette/praeventionskette_${k}`, spec: praeventionskette(single, meta, { kommune: k, year: options.year, indicators: indicatorIds }) });
  }
  return jobs;
}
