/**
 * What the pages are made of, computed once from the published rows: the
 * indicators in report order, the Kommunen with their Sozialräume, the report
 * year per indicator, a row index, and the chart jobs by name.
 *
 * Single-year rows (`pool_years = 1`) are the report's rows; masked rows keep their
 * place (they are shown as "gesperrt"), their numbers are already NULL. Pooled
 * windows are kept aside, masked ones too (a masked window reads "gesperrt", not
 * "–"): Sozialraum tables show them beside the single year, and Sozialraum charts
 * switch to them where they show more areas.
 */
import { ROLES, rowsByRole } from '../charts/levels.js';
import type { ChartJob, IndicatorMeta, KennzahlRow, Level } from '../charts/types.js';
import { buildProjectCharts } from '../charts/project-charts.js';
import { sozialraumWindow, type ChartWindow } from '../charts/pooled.js';
import { LEBENSPHASEN } from '../charts/praeventionskette.js';
import type { Indicator } from '../config/schema.js';
import type { ReportInput } from './types.js';
import { FAMILY_ORDER } from './labels.js';
import { evaluateGoals, type GoalEvaluation } from '../steering/goals.js';
import { areaBreaks, type AreaBreak } from '../compute/area-breaks.js';
import type { Area } from '../ingest/types.js';

export interface KommuneInfo {
  ags: string;
  name: string;
  sozialraeume: { id: string; name: string }[];
}

export interface ReportModel {
  kreis: { ags: string; name: string };
  synthetic: boolean;
  projectName: string;
  /** Earlier releases the protection took as known (settings.suppression.frueher_veroeffentlicht). */
  earlierReleases: string[];
  indicators: IndicatorMeta[];
  definitions: Map<string, Indicator>;
  kommunen: KommuneInfo[];
  /** Report year per indicator: the latest year with a published Kommune (else Kreis) value. */
  year: Map<string, number>;
  /** The year most indicators report (page titles). */
  mainYear: number | undefined;
  rows: KennzahlRow[];
  get(indicator: string, level: Level, area: string, year: number): KennzahlRow | undefined;
  /**
   * The pooled window (e.g. 2022–2024) ending in `year`, if there is one: published,
   * masked (`suppression` set) or without a value (e.g. below the Mindestnenner).
   */
  pooled(indicator: string, level: Level, area: string, year: number): KennzahlRow | undefined;
  /** The window the Sozialraum ranking of a Kommune shows (see charts/pooled.ts). */
  window(indicator: string, year: number, kommune?: string): ChartWindow;
  /** All years of one area's series, ascending. */
  series(indicator: string, level: Level, area: string): KennzahlRow[];
  charts: Map<string, ChartJob>;
  meta: ReportInput['meta'];
  /** The project's goals evaluated on the published rows (Zielübersicht). */
  goals: GoalEvaluation[];
  /** Series breaks of an area from boundary changes (`areas.changes`), by year. */
  areaBreaks(area: string): AreaBreak[];
  /**
   * Does the Kommune have a profile page in the report folder? Pages link only to those
   * (default: every Kommune; writeReportsInto narrows it for a selection).
   */
  hasPage(ags: string): boolean;
}

const key = (i: string, l: Level, a: string, y: number) => `${i}|${l}|${a}|${y}`;
const published = (r: KennzahlRow) => r.suppression == null && r.value != null;

export function buildModel(input: ReportInput): ReportModel {
  // the declared hierarchy's levels as the roles Kreis / Kommune / Sozialraum
  const all = rowsByRole(input.rows, input.meta.levels);
  const rows = all.filter((r) => Number(r.pool_years ?? 1) === 1);
  const pooledIndex = new Map<string, KennzahlRow>();
  for (const r of all)
    if (Number(r.pool_years ?? 1) > 1) pooledIndex.set(key(r.indicator_id, r.level, r.area_id, r.year), r);
  // 1. Indicators with rows, by family, Lebensphase, title.
  const withRows = new Set(rows.map((r) => r.indicator_id));
  const indicators = input.meta.indicators
    .filter((i) => withRows.has(i.id))
    .sort(
      (a, b) =>
        FAMILY_ORDER.indexOf(a.family) - FAMILY_ORDER.indexOf(b.family) ||
        LEBENSPHASEN.indexOf(a.lebensphase) - LEBENSPHASEN.indexOf(b.lebensphase) ||
        a.title.localeCompare(b.title, 'de') ||
        a.id.localeCompare(b.id),
    );
  const definitions = new Map(input.project.indicators.map((l) => [l.def.id, l.def]));
  // 2. Kommunen and their Sozialräume, by AGS and name.
  const kommunen = new Map<string, KommuneInfo>();
  for (const r of rows)
    if (r.level === 'kommune' && !kommunen.has(r.area_id))
      kommunen.set(r.area_id, { ags: r.area_id, name: r.area_name, sozialraeume: [] });
  // only the Sozialräume of the latest year: one a boundary change ended (merged, split, renamed) has
  // no rows after it and is neither listed nor counted ("und 7 Sozialräume"); its rows stay in the charts
  const lastYear = new Map<string, number>();
  let latest = -Infinity;
  for (const r of rows)
    if (r.level === 'sozialraum') {
      lastYear.set(r.area_id, Math.max(lastYear.get(r.area_id) ?? -Infinity, r.year));
      latest = Math.max(latest, r.year);
    }
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.level !== 'sozialraum' || !r.kommune_ags || seen.has(r.area_id) || lastYear.get(r.area_id) !== latest)
      continue;
    seen.add(r.area_id);
    kommunen.get(r.kommune_ags)?.sozialraeume.push({ id: r.area_id, name: r.area_name });
  }
  for (const k of kommunen.values()) k.sozialraeume.sort((a, b) => a.id.localeCompare(b.id));
  // 3. Row index and report years.
  const index = new Map<string, KennzahlRow>();
  const bySeries = new Map<string, KennzahlRow[]>();
  const year = new Map<string, number>();
  for (const r of rows) {
    index.set(key(r.indicator_id, r.level, r.area_id, r.year), r);
    const s = `${r.indicator_id}|${r.level}|${r.area_id}`;
    (bySeries.get(s) ?? bySeries.set(s, []).get(s)!).push(r);
  }
  for (const ind of indicators) {
    const own = rows.filter((r) => r.indicator_id === ind.id && published(r));
    const pick = (l: Level) =>
      own
        .filter((r) => r.level === l)
        .reduce<number | undefined>((m, r) => (m === undefined || r.year > m ? r.year : m), undefined);
    const y = pick('kommune') ?? pick('kreis') ?? pick('sozialraum');
    if (y !== undefined) year.set(ind.id, y);
  }
  for (const s of bySeries.values()) s.sort((a, b) => a.year - b.year);
  const counts = new Map<number, number>();
  for (const y of year.values()) counts.set(y, (counts.get(y) ?? 0) + 1);
  const mainYear = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
  // 4. Chart jobs (the same builders as `spm` charts), by name.
  // rows are already in roles: the chart builders must not map them again; they get the pooled windows too
  const charts = new Map(buildProjectCharts(all, { ...input.meta, levels: ROLES }).map((j) => [j.name, j]));
  // 5. Breaks from boundary changes, with the areas' parents as the report's rows know them.
  const breaksOf = new Map<string, AreaBreak[]>();
  const changes = input.project.config.areas?.changes ?? [];
  if (changes.length) {
    const areas = new Map<string, Area>();
    for (const r of all) {
      if (areas.has(r.area_id) || r.level === 'kreis') continue;
      const depth = r.level === 'kommune' ? 1 : 2;
      const parent = depth === 1 ? input.meta.kreis.ags : (r.kommune_ags ?? '');
      areas.set(r.area_id, { id: r.area_id, name: r.area_name, level: r.level, depth, parent });
    }
    for (const b of areaBreaks(changes, [...areas.values()]))
      (breaksOf.get(b.area_id) ?? breaksOf.set(b.area_id, []).get(b.area_id)!).push(b);
  }
  return {
    kreis: input.meta.kreis,
    synthetic: input.meta.synthetic,
    projectName: input.project.config.name,
    earlierReleases: [...(input.project.config.settings.suppression.frueher_veroeffentlicht ?? [])],
    indicators,
    definitions,
    kommunen: [...kommunen.values()].sort((a, b) => a.ags.localeCompare(b.ags)),
    year,
    mainYear,
    rows,
    get: (i, l, a, y) => index.get(key(i, l, a, y)),
    pooled: (i, l, a, y) => pooledIndex.get(key(i, l, a, y)),
    window: (i, y, k) => sozialraumWindow(all, i, y, k),
    series: (i, l, a) => bySeries.get(`${i}|${l}|${a}`) ?? [],
    charts,
    meta: input.meta,
    goals: evaluateGoals(
      input.project.goals ?? [],
      input.rows,
      input.project.indicators.map((l) => l.def),
    ),
    areaBreaks: (a) => breaksOf.get(a) ?? [],
    hasPage: () => true,
  };
}
