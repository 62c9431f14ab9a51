/**
 * The compute stage: loaded tables + compiled indicators -> `spm_results`.
 *
 * 1. base cells per measure at the source's level (grid of valid areas x years)
 * 2. roll up: Sozialraum -> Kommune -> Kreis, summing counts and OR-ing flags
 * 3. pooled windows (optional) from the single-year cells
 * 4. results: ratio of summed counts, status, names
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { CompiledIndicator, CompiledMeasure, CompiledSql } from '../compile/types.js';
import type { LoadedTables } from '../ingest/types.js';
import { baseCellsSql, CREATE_CELLS, kommuneRollupSql, kreisRollupSql, poolSql } from './cells-sql.js';
import { CREATE_INDICATORS, resultsSql, STATUSES, type Status } from './results-sql.js';
import { bindable } from './params.js';

export interface ComputeOptions {
  /** Restrict to these reference years. */
  years?: readonly number[];
  onProgress?: (done: number, total: number, indicatorId: string) => void;
}

export interface ComputeSummary {
  indicators: number;
  rows: number;
  byStatus: Record<Status, number>;
}

export async function run(conn: DuckDBConnection, q: CompiledSql): Promise<void> {
  await conn.run(q.sql, bindable(q.parameters));
}

/** Years a measure is computed for: those present in either source, within the project's range. */
function yearsFor(ind: CompiledIndicator, loaded: LoadedTables, project: Project, only?: readonly number[]): number[] {
  const set = new Set<number>();
  for (const m of [ind.numerator, ind.denominator]) for (const y of loaded.sources.get(m.sourceId)?.years ?? []) set.add(y);
  const range = project.config.settings.years;
  return [...set]
    .filter((y) => (!range || (y >= range.from && y <= range.to)) && (!only || only.includes(y)))
    .sort((a, b) => a - b);
}

export async function computeIndicators(
  conn: DuckDBConnection,
  project: Project,
  loaded: LoadedTables,
  compiled: readonly CompiledIndicator[],
  options: ComputeOptions = {},
): Promise<ComputeSummary> {
  await conn.run(CREATE_CELLS);
  await conn.run(CREATE_INDICATORS);
  for (const [ord, ind] of compiled.entries()) {
    const d = ind.indicator.def;
    await conn.run('INSERT INTO spm_indicators VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', bindable([
      ord, d.id, d.version, d.title, d.unit, ind.scale, ind.proportion, ind.minDenominator,
      sourceLabel(project, ind.numerator), sourceLabel(project, ind.denominator),
    ]));
  }
  const kreisAgs = project.config.kreis.ags;
  for (const [i, ind] of compiled.entries()) {
    options.onProgress?.(i, compiled.length, ind.indicator.def.id);
    const years = yearsFor(ind, loaded, project, options.years);
    for (const m of [ind.numerator, ind.denominator]) {
      const covered = loaded.sources.get(m.sourceId)?.years ?? [];
      // 1. base cells
      await run(conn, baseCellsSql(m, years, covered));
      // 2. roll-ups
      if (m.level === 'sozialraum') await run(conn, kommuneRollupSql(m));
      await run(conn, kreisRollupSql(m, kreisAgs));
    }
    // 3. pooled windows
    if (ind.poolYears !== undefined) await run(conn, poolSql(ind.indicator.def.id, ind.poolYears));
  }
  options.onProgress?.(compiled.length, compiled.length, '');
  // 4. results
  await run(conn, resultsSql(kreisAgs, project.config.kreis.name));
  const counts = await conn.runAndReadAll('SELECT status, COUNT(*) AS n FROM spm_results GROUP BY status');
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let rows = 0;
  for (const r of counts.getRowObjectsJS()) {
    byStatus[r.status as Status] = Number(r.n);
    rows += Number(r.n);
  }
  return { indicators: compiled.length, rows, byStatus };
}

function sourceLabel(project: Project, m: CompiledMeasure): string {
  const s = project.config.sources.find((x) => x.id === m.sourceId);
  // Short on purpose: the id leads to title, owner, files and hashes in manifest.json.
  return s?.stand ? `${s.id} (Stand ${s.stand})` : m.sourceId;
}
