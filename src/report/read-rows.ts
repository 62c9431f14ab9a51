/** Read a published `kennzahlen.parquet` into `KennzahlRow`s (BIGINT columns as numbers). */
import { DuckDBInstance } from '../util/duckdb.js';
import type { KennzahlRow } from '../charts/types.js';

export async function readKennzahlen(parquetFile: string): Promise<KennzahlRow[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${parquetFile.replace(/'/g, "''")}')`);
    return reader.getRowObjectsJS().map((r) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'bigint' ? Number(v) : v;
      return o as unknown as KennzahlRow;
    });
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
