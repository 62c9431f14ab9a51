/**
 * A small in-memory DuckDB table for running compiled filters, with one
 * column per DuckDB type the ingest produces and NULLs in each.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { ColumnType } from '../../../src/config/schema.js';
import { compileFilter, parseFilter } from '../../../src/compile/filter/index.js';
import type { FilterNode } from '../../../src/compile/filter/index.js';

/** Declared types of the fixture's columns (what `checkFilter` gets). */
export const COLUMNS: ReadonlyMap<string, ColumnType> = new Map<string, ColumnType>([
  ['id', 'integer'],
  ['bmi_perzentil', 'number'],
  ['klasse', 'integer'],
  ['kinder', 'count'],
  ['code', 'text'],
  ['geimpft', 'boolean'],
]);

export interface Row {
  id: number;
  bmi_perzentil: number | null;
  klasse: number | null;
  kinder: number | null;
  code: string | null;
  geimpft: boolean | null;
}

export const ROWS: readonly Row[] = [
  { id: 1, bmi_perzentil: 97.5, klasse: 1, kinder: 12, code: 'a', geimpft: true },
  { id: 2, bmi_perzentil: 90, klasse: 2, kinder: 0, code: 'b', geimpft: false },
  { id: 3, bmi_perzentil: null, klasse: 3, kinder: 2.5, code: "O'Neil", geimpft: null },
  { id: 4, bmi_perzentil: 50.25, klasse: null, kinder: null, code: null, geimpft: true },
  { id: 5, bmi_perzentil: 3, klasse: 10_000_000_000, kinder: 7, code: '', geimpft: false },
  { id: 6, bmi_perzentil: -1, klasse: -2, kinder: 1, code: "1' OR '1'='1", geimpft: true },
  { id: 7, bmi_perzentil: 99.9, klasse: 4, kinder: 3, code: 'ä😀', geimpft: null },
];

export const ALL_IDS: readonly number[] = ROWS.map((r) => r.id);

export interface Fixture {
  conn: DuckDBConnection;
  /** Ids of the rows a filter selects, ascending. */
  ids(filter: string | FilterNode): Promise<number[]>;
  /** Run SQL with parameters; rows as JS objects. */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  tableExists(): Promise<boolean>;
  close(): void;
}

export async function openFixture(): Promise<Fixture> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(
    'CREATE TABLE t (id INTEGER, bmi_perzentil DOUBLE, klasse BIGINT, kinder DOUBLE, code VARCHAR, geimpft BOOLEAN)',
  );
  for (const r of ROWS) {
    await conn.run('INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6)', [
      r.id,
      r.bmi_perzentil,
      r.klasse,
      r.kinder,
      r.code,
      r.geimpft,
    ] as DuckDBValue[]);
  }
  const query = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
    (await conn.runAndReadAll(sql, params as DuckDBValue[])).getRowObjectsJS();
  return {
    conn,
    query,
    async ids(filter) {
      const node = typeof filter === 'string' ? parseFilter(filter) : filter;
      const params: unknown[] = [];
      const rows = await query(`SELECT id FROM t WHERE ${compileFilter(node, params)} ORDER BY id`, params);
      return rows.map((r) => Number(r.id));
    },
    async tableExists() {
      const rows = await query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 't'");
      return Number(rows[0]?.n) === 1 && Number((await query('SELECT count(*) AS n FROM t'))[0]?.n) === ROWS.length;
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
