/** Published rows for scripts: typed objects and apache-arrow Tables with field metadata from the schema. */
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  Bool,
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { Params, bindable } from '../compute/params.js';
import { COLUMNS, PUBLISHED_COLUMNS, type ColumnType, type KennzahlRow, type PublishedColumn } from './schema.js';
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
  const text = (col: string, values: readonly string[] | undefined): void => {
    if (values) where.push(`${col} IN (SELECT UNNEST(string_split(${p.add(values.join('\u0001'))}, chr(1))))`);
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

const arrowType = (t: ColumnType): DataType =>
  t === 'int' ? new Int32() : t === 'double' ? new Float64() : t === 'bool' ? new Bool() : new Utf8();

/** Field metadata of a column: German and English label and description, unit, allowed codes. */
export function fieldMetadata(c: PublishedColumn): Map<string, string> {
  const m = new Map<string, string>([
    ['label', c.label.de],
    ['label_en', c.label.en],
    ['description', c.description.de],
    ['description_en', c.description.en],
  ]);
  if ('unit' in c) m.set('unit', c.unit);
  if ('values' in c) m.set('values', c.values.join(','));
  return m;
}

/**
 * Rows -> apache-arrow Table with typed columns (Int32 years, Float64 values,
 * Utf8 text, Bool) and the schema's labels, descriptions and units as field
 * metadata; the data note (e.g. synthetic data) as table metadata.
 */
export function resultsToArrow(rows: readonly KennzahlRow[]): Table {
  const fields = COLUMNS.map((c) => new Field(c.name, arrowType(c.type), true, fieldMetadata(c)));
  const children = COLUMNS.map((c, i) => {
    const values = rows.map((r) => (r as unknown as Record<string, unknown>)[c.name] ?? null);
    const v = vectorFromArray(values as never[], fields[i]!.type as never);
    // one chunk per column: vectorFromArray of a plain array yields a single Data
    return v.data.length === 1 ? v.data[0]! : makeData({ type: fields[i]!.type, length: 0 });
  });
  const dataNote = rows.find((r) => r.data_note != null)?.data_note;
  const schema = new Schema(fields, new Map(dataNote ? [['data_note', dataNote]] : []));
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children: children as never });
  return new Table(schema, [new RecordBatch(schema, data)]);
}
