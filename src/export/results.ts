/** Published rows for scripts: typed objects and apache-arrow Tables. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Bool, Float64, Int32, Utf8, makeTable, vectorFromArray, type Table } from 'apache-arrow';
import type { KennzahlRow, Level } from '../charts/types.js';
import { PUBLISHED_COLUMNS } from './published.js';
import { Params, bindable } from '../compute/params.js';

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

/** Column types of the published table, for Arrow and the docs. */
export const COLUMN_KIND: Record<(typeof PUBLISHED_COLUMNS)[number], 'text' | 'int' | 'double' | 'bool'> = {
  indicator_id: 'text', indicator_version: 'int', indicator_title: 'text', level: 'text', area_id: 'text', area_name: 'text',
  kommune_ags: 'text', year: 'int', period: 'text', pool_years: 'int', numerator: 'double', denominator: 'double', value: 'double',
  ci_low: 'double', ci_high: 'double', ci_method: 'text', unit: 'text', status: 'text', suppression: 'text', note: 'text',
  ref_kommune_value: 'double', diff_kommune: 'double', ratio_kommune: 'double', sig_kommune: 'text',
  ref_kreis_value: 'double', diff_kreis: 'double', ratio_kreis: 'double', sig_kreis: 'text',
  ref_land_value: 'double', diff_land: 'double', ratio_land: 'double', sig_land: 'text',
  prev_value: 'double', change_prev_abs: 'double', change_prev_rel: 'double',
  base_year: 'int', base_value: 'double', change_base_abs: 'double', change_base_rel: 'double', series_break: 'bool',
  trend_from: 'int', trend_n: 'int', trend_slope: 'double', trend_low: 'double', trend_high: 'double', trend_sig: 'text',
  ampel: 'text', target_status: 'text', source_numerator: 'text', source_denominator: 'text', data_note: 'text',
};

/** SELECT of the published table with the filter as parameters. */
export function filteredSelect(filter: ResultFilter): { sql: string; parameters: unknown[] } {
  const p = new Params();
  const where: string[] = [];
  const text = (col: string, values: readonly string[] | undefined): void => {
    if (values) where.push(`${col} IN (SELECT UNNEST(string_split(${p.add(values.join('\u0001'))}, chr(1))))`);
  };
  text('indicator_id', filter.indicators);
  text('area_id', filter.areas);
  text('level', filter.levels);
  if (filter.years) where.push(`list_contains(${p.addIntList(filter.years)}, year)`);
  if (filter.poolYears) where.push(`list_contains(${p.addIntList(filter.poolYears)}, pool_years)`);
  const sql = `SELECT ${PUBLISHED_COLUMNS.join(', ')} FROM spm_published${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  return { sql, parameters: p.values };
}

export async function readResults(conn: DuckDBConnection, filter: ResultFilter = {}): Promise<KennzahlRow[]> {
  const q = filteredSelect(filter);
  const reader = await conn.runAndReadAll(q.sql, bindable(q.parameters));
  return reader.getRowObjectsJS().map((r) => {
    // BIGINT -> number: every integer column here is a year or a small count of years.
    for (const [k, v] of Object.entries(r)) if (typeof v === 'bigint') (r as Record<string, unknown>)[k] = Number(v);
    return r as unknown as KennzahlRow;
  });
}

/** Rows -> apache-arrow Table with typed columns (Int32 years, Float64 values, Utf8 text, Bool). */
export function resultsToArrow(rows: readonly KennzahlRow[]): Table {
  const cols: Record<string, unknown> = {};
  for (const name of PUBLISHED_COLUMNS) {
    const values = rows.map((r) => (r as unknown as Record<string, unknown>)[name] ?? null);
    const kind = COLUMN_KIND[name];
    const type = kind === 'int' ? new Int32() : kind === 'double' ? new Float64() : kind === 'bool' ? new Bool() : new Utf8();
    cols[name] = vectorFromArray(values as never[], type as never);
  }
  return makeTable(cols as Parameters<typeof makeTable>[0]) as unknown as Table;
}
