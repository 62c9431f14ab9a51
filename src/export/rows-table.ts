/**
 * Small tables computed in JS (the Sozialindex, its types and comparison) written
 * like kennzahlen.*: loaded into a DuckDB temp table with an appender (values, never
 * SQL text), then German Excel CSV and Parquet by DuckDB's own writers.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { OutTable } from '../steering/tables.js';
import { quoteIdent } from '../util/sql.js';
import { copyGermanCsv, germanCsvExpressions } from './csv.js';
import { writeParquet } from './parquet.js';

const SQL_TYPE = { text: 'VARCHAR', int: 'INTEGER', double: 'DOUBLE' } as const;

/** Writes `table` to `<base>.csv` and/or `<base>.parquet`; returns the row count. */
export async function writeRowsTable(
  conn: DuckDBConnection,
  table: OutTable,
  base: string,
  formats: { csv: boolean; parquet: boolean },
): Promise<number> {
  const name = 'spm_steering_out';
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${name} (${table.columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`,
  );
  const a = await conn.createAppender(name);
  for (const row of table.rows) {
    table.columns.forEach((c, j) => {
      const v = row[j] ?? null;
      if (v === null) a.appendNull();
      else if (c.type === 'text') a.appendVarchar(String(v));
      else if (c.type === 'int') a.appendInteger(Number(v));
      else a.appendDouble(Number(v));
    });
    a.endRow();
  }
  a.closeSync();
  // the appender keeps the rows in insertion order; ORDER BY rowid keeps it in the files
  const select = `SELECT * FROM ${name} ORDER BY rowid`;
  try {
    // the column types are this table's own: no DESCRIBE, and the row count is known
    if (formats.csv)
      await copyGermanCsv(
        conn,
        germanCsvExpressions(table.columns.map((c) => ({ name: c.name, type: SQL_TYPE[c.type] }))),
        select,
        `${base}.csv`,
      );
    if (formats.parquet) await writeParquet(conn, select, `${base}.parquet`);
  } finally {
    await conn.run(`DROP TABLE ${name}`);
  }
  return table.rows.length;
}
