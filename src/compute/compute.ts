/**
 * The compute stage: loaded tables + compiled indicators -> `spm_results`.
 *
 * 1. one aggregate pass per source computing all its measures (FILTER per measure)
 * 2. base cells per measure: grid of valid areas x years, flags for missing,
 *    suppressed and rejected input
 * 3. roll up the declared hierarchy level by level (Sozialraum -> Kommune -> Kreis by
 *    default), summing counts and OR-ing flags; rejected rows mark every sum they lack
 * 4. pooled windows (optional) from the single-year cells
 * 5. results: ratio of summed counts, status, names
 * 6. suppression masks (primary and secondary, src/privacy)
 * 7. intervals, comparisons, changes, trends, Ampel (src/compute/stats-sql.ts)
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { CompiledIndicator, CompiledMeasure, CompiledSql } from '../compile/types.js';
import { sourceAggregateSql } from '../compile/measure.js';
import type { LoadedTables } from '../ingest/types.js';
import {
  AREA_ANCESTORS_SQL,
  baseCellsSql,
  GROUP_ROLLUP_SQL,
  CREATE_CELLS,
  CREATE_CELLS_VIEW,
  poolSql,
  REJECT_ANCHORS_SQL,
  rollupSql,
} from './cells-sql.js';
import { depthOf, projectHierarchy } from '../config/hierarchy.js';
import { UserError } from '../util/issues.js';
import { publishedCellsSql } from './published-cells-sql.js';
import { CREATE_BREAKS, CREATE_INDICATORS, resultsSql, STATUSES, type Status } from './results-sql.js';
import { bindable, Params } from './params.js';
import { quoteIdent } from '../util/sql.js';
import { readLandValues } from '../config/land.js';
import { readReferenceValues } from '../ingest/references.js';
import { fillStatsLookups } from './stats-tables.js';
import { statsSql } from './stats-sql.js';
import { computeTrends } from './trend-js.js';
import { zValue } from '../stats/index.js';
import { suppressCells } from '../privacy/index.js';
import { projectRelations } from '../privacy/relations.js';
import { checkRelations } from '../privacy/relations-check.js';

export interface ComputeOptions {
  /** Restrict to these reference years. */
  years?: readonly number[];
  /** Keep the intermediate tables (cells, results, intervals, trends), e.g. in a `--db` file for inspection. */
  keepIntermediate?: boolean;
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface ComputeSummary {
  indicators: number;
  rows: number;
  byStatus: Record<Status, number>;
  /** Masked (indicator, role) cells by reason. */
  masks: { primary: number; secondary: number; input: number };
  /**
   * Milliseconds per step (wall clock, rounded) for `--json` and the benchmark; not written to
   * any output file (outputs stay byte-identical across runs).
   */
  steps_ms: ComputeSteps;
}

export interface ComputeSteps {
  setup: number;
  aggregate: number;
  rollup: number;
  pool: number;
  results: number;
  suppression: number;
  intervals: number;
  trend: number;
  comparisons: number;
}

export async function run(conn: DuckDBConnection, q: CompiledSql): Promise<void> {
  await conn.run(q.sql, bindable(q.parameters));
}

/**
 * Years a source speaks for: those of its loaded rows and those of its rejected
 * rows, so a source whose every row was rejected still yields its cells (with
 * status rejected_input) instead of vanishing. `wide` is true when a rejected row
 * has no readable year: it may have fed any year.
 */
function sourceYears(loaded: LoadedTables, sourceId: string): { years: number[]; wide: boolean } {
  const set = new Set(loaded.sources.get(sourceId)?.years ?? []);
  let wide = false;
  for (const r of loaded.rejects) {
    if (r.source !== sourceId || r.severity !== 'error') continue;
    if (r.year === undefined || r.year === null) wide = true;
    else set.add(r.year);
  }
  return { years: [...set], wide };
}

/** All reference years present in any source (loaded or rejected rows), within the project's range. */
export function projectYears(loaded: LoadedTables, project: Project, only?: readonly number[]): number[] {
  const set = new Set<number>();
  for (const id of loaded.sources.keys()) for (const y of sourceYears(loaded, id).years) set.add(y);
  const range = project.config.settings.years;
  return [...set]
    .filter((y) => (!range || (y >= range.from && y <= range.to)) && (!only || only.includes(y)))
    .sort((a, b) => a - b);
}

/** Years an indicator is published for: those its numerator or denominator source speaks for. */
export function indicatorYears(ind: CompiledIndicator, loaded: LoadedTables, all: readonly number[]): number[] {
  const set = new Set<number>();
  for (const m of [ind.numerator, ind.denominator]) {
    const s = sourceYears(loaded, m.sourceId);
    // a rejected row without a readable year: every year of the project is affected
    if (s.wide && s.years.length === 0) return [...all];
    for (const y of s.years) set.add(y);
  }
  return all.filter((y) => set.has(y));
}

export async function computeIndicators(
  conn: DuckDBConnection,
  project: Project,
  loaded: LoadedTables,
  compiled: readonly CompiledIndicator[],
  options: ComputeOptions = {},
): Promise<ComputeSummary> {
  const progress = options.onProgress ?? (() => {});
  const stepsMs: ComputeSteps = {
    setup: 0,
    aggregate: 0,
    rollup: 0,
    pool: 0,
    results: 0,
    suppression: 0,
    intervals: 0,
    trend: 0,
    comparisons: 0,
  };
  let tStep = performance.now();
  const lap = (k: keyof ComputeSteps): void => {
    const now = performance.now();
    stepsMs[k] += Math.round(now - tStep);
    tStep = now;
  };
  await conn.run(CREATE_CELLS);
  await conn.run(CREATE_INDICATORS);
  await conn.run(CREATE_BREAKS);
  // Which cells are the same published numbers: indicators sharing a measure
  // (e.g. one denominator) share cells and must be suppressed alike.
  await conn.run(
    'CREATE OR REPLACE TABLE spm_measures (indicator_id VARCHAR, role VARCHAR, measure_key VARCHAR, mid INTEGER)',
  );
  // Measure ids in the order of their keys: stable across runs and indicator orders.
  const keys = [...new Set(compiled.flatMap((c) => [c.numerator.key, c.denominator.key]))].sort();
  const midOf = new Map(keys.map((k, i) => [k, i]));
  const years = projectYears(loaded, project, options.years);
  if (years.length === 0) {
    const all = projectYears(loaded, project);
    throw new UserError({
      severity: 'error',
      code: 'compute.no_years',
      message:
        options.years !== undefined
          ? `Für die gewählten Jahre (${options.years.join(', ') || 'keine'}) liegen keine Daten vor; vorhandene Jahre: ${all.join(', ') || 'keine'}.`
          : 'Keine Quelle enthält Daten eines Jahres im Bereich von settings.years; nichts zu berechnen.',
    });
  }
  for (const [ord, ind] of compiled.entries()) {
    const d = ind.indicator.def;
    const ampel = d.ampel ?? { mode: 'relative', reference: 'kreis' };
    const p = new Params([
      ord,
      d.id,
      d.version,
      d.title,
      d.unit,
      ind.scale,
      ind.proportion,
      ind.minDenominator,
      sourceLabel(project, ind.numerator),
      sourceLabel(project, ind.denominator),
      d.polarity,
      ampel.mode,
      ampel.reference,
      ampel.target?.value ?? null,
      ampel.target?.year ?? null,
      midOf.get(ind.numerator.key),
      midOf.get(ind.denominator.key),
      ind.poolYears ?? null,
      ind.published === true,
    ]);
    const yearList = p.addIntList(indicatorYears(ind, loaded, years));
    const placeholders = Array.from({ length: 19 }, (_, i) => `$${i + 1}`).join(', ');
    await conn.run(`INSERT INTO spm_indicators VALUES (${placeholders}, ${yearList})`, bindable(p.values));
    for (const b of d.steckbrief.breaks)
      await conn.run('INSERT INTO spm_breaks VALUES ($1, $2, $3)', bindable([d.id, b.year, b.description]));
    for (const m of [ind.numerator, ind.denominator]) {
      await conn.run(
        'INSERT INTO spm_measures VALUES ($1, $2, $3, $4)',
        bindable([d.id, m.role, m.key, midOf.get(m.key)]),
      );
    }
  }
  await conn.run(CREATE_CELLS_VIEW);
  // Land reference values (optional), compared like the Kreis value
  await conn.run('CREATE OR REPLACE TABLE spm_land (indicator_id VARCHAR, year INTEGER, value DOUBLE)');
  for (const v of readLandValues(project))
    await conn.run('INSERT INTO spm_land VALUES ($1, $2, $3)', bindable([v.indicator_id, v.year, v.value]));
  // published reference values (Bund, Land, other Kreise): shown beside the values, never summed;
  // the one marked land: true is the Land value too (masked ones give no Land value)
  await conn.run(
    'CREATE OR REPLACE TABLE spm_references (reference_id VARCHAR, reference_name VARCHAR, indicator_id VARCHAR, year INTEGER, value DOUBLE, status VARCHAR, source VARCHAR, stand VARCHAR)',
  );
  const landRef = project.config.references?.list.find((x) => x.land)?.id;
  for (const v of readReferenceValues(project)) {
    await conn.run(
      'INSERT INTO spm_references VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      bindable([
        v.reference_id,
        v.reference_name,
        v.indicator_id,
        v.year,
        v.value,
        v.status,
        v.source ?? null,
        v.stand ?? null,
      ]),
    );
    if (v.reference_id === landRef && v.value !== null)
      await conn.run('INSERT INTO spm_land VALUES ($1, $2, $3)', bindable([v.indicator_id, v.year, v.value]));
  }

  // where rejected rows are missing from (before the base cells, which read it)
  const h = projectHierarchy(project.config);
  await conn.run('CREATE OR REPLACE TABLE spm_source_depth (source VARCHAR, depth INTEGER)');
  for (const s of project.config.sources)
    await conn.run('INSERT INTO spm_source_depth VALUES ($1, $2)', bindable([s.id, depthOf(h, s.area.level)]));
  await conn.run(AREA_ANCESTORS_SQL);
  await conn.run(REJECT_ANCHORS_SQL);
  lap('setup');

  // 1. + 2. one pass per source, then base cells per distinct measure
  const bySource = new Map<string, CompiledMeasure[]>();
  const seen = new Set<string>();
  for (const ind of compiled) {
    for (const m of [ind.numerator, ind.denominator]) {
      if (seen.has(m.key)) continue;
      seen.add(m.key);
      bySource.set(m.sourceId, [...(bySource.get(m.sourceId) ?? []), m]);
    }
  }
  let step = 0;
  const steps = bySource.size + 5;
  for (const [sourceId, measures] of bySource) {
    progress(step++, steps, sourceId);
    const source = project.config.sources.find((s) => s.id === sourceId);
    if (!source) throw new Error(`unknown source ${sourceId}`);
    await run(conn, sourceAggregateSql(source, measures));
    const covered = loaded.sources.get(sourceId)?.years ?? [];
    for (const [i, m] of measures.entries())
      await run(conn, baseCellsSql(m, midOf.get(m.key) as number, i, years, covered));
    await conn.run(`DROP TABLE ${quoteIdent(`spm_agg_${sourceId}`)}`);
  }
  lap('aggregate');
  // 3. roll-ups
  progress(step++, steps, 'Summen');
  for (let d = h.levels.length; d >= 1; d--) await run(conn, rollupSql(d));
  if (project.config.areas.groupings.length > 0) await conn.run(GROUP_ROLLUP_SQL);
  // 3b. published values are never summed: their roll-ups are replaced by the totals rows the file publishes
  const donePublished = new Set<string>();
  for (const ind of compiled.filter((c) => c.published)) {
    if (donePublished.has(ind.numerator.key + ind.denominator.key)) continue; // same value, same cells
    donePublished.add(ind.numerator.key + ind.denominator.key);
    const withTotals = (loaded.sources.get(ind.numerator.sourceId)?.publishedTotals ?? 0) > 0;
    const mids = [midOf.get(ind.numerator.key) as number, midOf.get(ind.denominator.key) as number] as const;
    for (const q of publishedCellsSql(ind, mids[0], mids[1], project.config.kreis.ags, withTotals)) await run(conn, q);
  }
  // relations between measures the suppression must know; declared ones must hold in the data
  const relations = projectRelations(project.config, compiled);
  await checkRelations(conn, relations, midOf);
  lap('rollup');
  // 4. pooled windows, per window width, for the measures of indicators that pool
  progress(step++, steps, 'Mehrjahresfenster');
  const byWidth = new Map<number, Set<number>>();
  for (const ind of compiled) {
    if (ind.poolYears === undefined) continue;
    const set = byWidth.get(ind.poolYears) ?? new Set<number>();
    set.add(midOf.get(ind.numerator.key) as number).add(midOf.get(ind.denominator.key) as number);
    byWidth.set(ind.poolYears, set);
  }
  for (const [w, mids] of [...byWidth].sort((a, b) => a[0] - b[0]))
    await run(
      conn,
      poolSql(
        [...mids].sort((a, b) => a - b),
        w,
      ),
    );
  // 4b. sums of fractional values are rounded to the precision of their inputs: a sum of
  //     numbers with d decimals has d decimals; what is beyond is float noise (36546.399999999994)
  for (const measures of bySource.values()) {
    for (const m of measures) {
      if (m.measure.measure !== 'sum' || m.key.endsWith('#published')) continue;
      const d = loaded.sources.get(m.sourceId)?.columns.find((c) => c.name === m.measure.column)?.decimals;
      if (d === undefined || d === 0) continue;
      await conn.run(
        'UPDATE spm_mcells SET value = round(value, $1) WHERE mid = $2',
        bindable([d, midOf.get(m.key) as number]),
      );
    }
  }
  lap('pool');
  // 5. results
  progress(step++, steps, 'Ergebnis');
  await run(conn, resultsSql());
  const counts = await conn.runAndReadAll('SELECT status, COUNT(*) AS n FROM spm_results GROUP BY status');
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let rows = 0;
  for (const r of counts.getRowObjectsJS()) {
    byStatus[r.status as Status] = Number(r.n);
    rows += Number(r.n);
  }
  lap('results');
  // 6. suppression masks (decided on true counts; applied when publishing)
  progress(step++, steps, 'Geheimhaltung');
  const settings = project.config.settings;
  const suppression = await suppressCells(conn, { threshold: settings.suppression.min_count, relations });
  if (suppression.unresolved > 0)
    throw new Error(`suppression left ${suppression.unresolved} protected cells recoverable`);
  // the interval audit could not widen some protected range: publishing would narrow a small
  // count, so nothing is published (a figure unsafe to publish is worse than none)
  if (suppression.audit.unresolved > 0)
    throw new Error(
      `Geheimhaltung: ${suppression.audit.unresolved} gesperrte Zelle(n) lassen sich nicht ausreichend schützen; es wird nichts veröffentlicht`,
    );
  const masks = { primary: suppression.primary, secondary: suppression.secondary, input: suppression.input };
  lap('suppression');
  // 7. intervals, comparisons, changes, trend, Ampel
  progress(step++, steps, 'Statistik');
  await fillStatsLookups(conn, settings.confidence);
  const stats = statsSql({
    z: zValue(settings.confidence),
    trendYears: settings.trend_years,
    ...(settings.base_year !== undefined ? { baseYear: settings.base_year } : {}),
  });
  await run(conn, stats.ci);
  // Intermediate tables are dropped as soon as they are consumed: at NRW size
  // each holds millions of rows, and they would otherwise all stay in memory.
  const drop = async (sql: string): Promise<void> => {
    if (!options.keepIntermediate) await conn.run(sql);
  };
  await drop('DROP VIEW IF EXISTS spm_cells');
  await drop('DROP TABLE IF EXISTS spm_mcells');
  await drop('DROP TABLE IF EXISTS spm_rej_anchor');
  await drop('DROP TABLE IF EXISTS spm_area_anc');
  await drop('DROP TABLE IF EXISTS spm_results');
  await run(conn, stats.years);
  lap('intervals');
  await computeTrends(conn, { trendYears: settings.trend_years, confidence: settings.confidence });
  lap('trend');
  await run(conn, stats.final);
  await drop('DROP TABLE IF EXISTS spm_ci');
  await drop('DROP TABLE IF EXISTS spm_trend');
  lap('comparisons');
  progress(steps, steps, '');
  return { indicators: compiled.length, rows, byStatus, masks, steps_ms: stepsMs };
}

function sourceLabel(project: Project, m: CompiledMeasure): string {
  const s = project.config.sources.find((x) => x.id === m.sourceId);
  // Short on purpose: the id leads to title, owner, files and hashes in manifest.json.
  return s?.stand ? `${s.id} (Stand ${s.stand})` : m.sourceId;
}
