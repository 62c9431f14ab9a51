/**
 * The German CSV keeps the order of its SELECT when DuckDB writes it in parallel batches (more
 * rows than one batch). With the formula guard written as `ascii(x) IN (six code points)`, DuckDB
 * turned the IN list into a join, and most of 300,000 rows came out of order, differently on
 * every run (at NRW size kennzahlen.csv differed between two runs on the same data).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '../../src/util/duckdb.js';
import { safeTextSql, writeGermanCsv } from '../../src/export/csv.js';

const ROWS = 300_000;
let dir: string;
let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-csv-order-'));
  db = await DuckDBInstance.create(':memory:', { threads: '2' });
  conn = await db.connect();
  // text columns get the formula guard, and some values need it
  await conn.run(`CREATE TABLE t AS SELECT range::INTEGER AS k,
    CASE WHEN range % 1000 = 7 THEN '=' ELSE 'Gebiet ' END || (range % 977) AS s, 'x' || range AS u
    FROM range(${ROWS})`);
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('German CSV row order', () => {
  it('writes every row where its SELECT puts it, the same on every run', async () => {
    const files: Buffer[] = [];
    for (let run = 0; run < 3; run++) {
      const file = path.join(dir, `t${run}.csv`);
      expect(await writeGermanCsv(conn, 'SELECT k, s, u FROM t ORDER BY k', file)).toBe(ROWS);
      files.push(fs.readFileSync(file));
    }
    const lines = files[0]!.toString('utf8').split('\r\n').slice(1, -1);
    expect(lines).toHaveLength(ROWS);
    const misplaced = lines.filter((l, j) => Number(l.split(';')[0]) !== j).length;
    expect(misplaced).toBe(0);
    expect(lines[7]).toBe("7;'=7;x7");
    expect(files[1]!.equals(files[0]!)).toBe(true);
    expect(files[2]!.equals(files[0]!)).toBe(true);
  });

  it('guards text without an IN list (DuckDB would make a join of one with five or more constants)', () => {
    expect(safeTextSql('q.s')).not.toMatch(/\bIN\s*\(/i);
  });
});
