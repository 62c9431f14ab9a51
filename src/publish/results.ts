/**
 * Published rows for scripts: typed objects (apache-arrow Tables are in arrow-table.ts, so that
 * apache-arrow is loaded only where Arrow is asked for).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Params, bindable } from '../compute/params.js';
import { PUBLISHED_COLUMNS, type KennzahlRow } from './schema.js';
import type { Level } from './vocabulary.js';

/** Which rows to return; every field narrows, none given = all rows. */
export interface ResultFilter {
  indicators?: readonly string[];
  /** Area ids: Sozialraum ids, Kommune AGS or the Kreis AGS. */
  areas?: readonly string[];
  levels?: readonly Level[];
  years?: readonly number[];
  /** 1 = single years; e.g. 3 = pooled 3-year windows. */
  poolYears?: readonly number[];
}

/** SELECT of the published table (all columns, or the given ones) with the filter as parameters. */
export function filteredSelect(
  filter: ResultFilter,
  columns: readonly string[] = PUBLISHED_COLUMNS,
): { sql: string; parameters: unknown[] } {
  // column names come from code, never from users; checked anyway, as they are spliced into SQL
  const known = new Set<string>(PUBLISHED_COLUMNS);
  const bad = columns.filter((c) => !known.has(c));
  if (bad.length) throw new Error(`unknown published columns: ${bad.join(', ')}`);
  const p = new Params();
  const where: string[] = [];
  // A filter on the scan, never `IN (SELECT ...)` or an IN list of five or more values: DuckDB makes
  // a join of those, and the rows of a large table then came back out of the table's order (reads,
  // CSV and Parquet alike; tests/publish/results-order.test.ts).
  const text = (col: string, values: readonly string[] | undefined): void => {
    if (values) where.push(`list_contains(string_split(${p.add(values.join('\u0001'))}, chr(1)), ${col})`);
  };
  text('indicator_id', filter.indicators);
  text('area_id', filter.areas);
  text('level', filter.levels);
  if (filter.years) where.push(`list_contains(${p.addIntList(filter.years)}, year)`);
  if (filter.poolYears) where.push(`list_contains(${p.addIntList(filter.poolYears)}, pool_years)`);
  const sql = `SELECT ${columns.join(', ')} FROM spm_published${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  return { sql, parameters: p.values };
}

/**
 * Published rows as objects, all columns or only `columns` (internal readers such as the
 * Sozialindex ask for theirs: turning DuckDB strings into JS strings is most of the cost).
 */
export async function readResults<C extends keyof KennzahlRow = keyof KennzahlRow>(
  conn: DuckDBConnection,
  filter: ResultFilter = {},
  columns?: readonly C[],
): Promise<Pick<KennzahlRow, C>[]> {
  const q = filteredSelect(filter, columns ?? PUBLISHED_COLUMNS);
  const reader = await conn.runAndReadAll(q.sql, bindable(q.parameters));
  const names = reader.columnNames();
  const cols = reader.getColumnsJS();
  // BIGINT -> number: every integer column here is a year or a small count of years.
  for (const col of cols)
    if (col.some((v) => typeof v === 'bigint'))
      for (let i = 0; i < col.length; i++) if (typeof col[i] === 'bigint') col[i] = Number(col[i]);
  const rows = new Array<Pick<KennzahlRow, C>>(reader.currentRowCount);
  for (let i = 0; i < rows.length; i++) {
    const r: Record<string, unknown> = {};
    for (let k = 0; k < names.length; k++) r[names[k] as string] = cols[k]?.[i];
    rows[i] = r as Pick<KennzahlRow, C>;
  }
  return rows;
}
