/**
 * Filtered published rows (`spm export --filter`, `readResults` for scripts, reports, JSON and
 * Arrow) come in the table's order. The filter was `indicator_id IN (SELECT UNNEST(...))`: DuckDB
 * made a join of it, and on a table of several row groups blocks of rows came back swapped
 * (600,000 rows: the read, the CSV and the Parquet file out of order).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '../../src/util/duckdb.js';
import { filteredSelect, readResults } from '../../src/publish/results.js';
import { writeGermanCsv } from '../../src/export/csv.js';

const ROWS = 600_000;
let dir: string;
let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-results-order-'));
  db = await DuckDBInstance.create(':memory:', { threads: '2' });
  conn = await db.connect();
  // area_id carries the row's place (zero-padded, so text order = table order)
  await conn.run(`CREATE TABLE spm_published AS SELECT 'i' || (range % 7) AS indicator_id,
    lpad(range::VARCHAR, 7, '0') AS area_id, CASE WHEN range % 2 = 0 THEN 'kommune' ELSE 'sozialraum' END AS level,
    (2015 + range % 9)::INTEGER AS year, 1::INTEGER AS pool_years FROM range(${ROWS})`);
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ascending = (ids: readonly string[]): number => ids.filter((v, j) => j > 0 && v < ids[j - 1]!).length;

describe('filtered published rows', () => {
  const filter = { indicators: ['i1', 'i2', 'i3'], levels: ['kommune' as const, 'sozialraum' as const] };

  it('are read in the table order', async () => {
    const rows = await readResults(conn, filter, ['indicator_id', 'area_id']);
    // i1, i2 and i3 of seven indicators: 3 × 85,714 rows, and one more of i1 (600,000 = 7 × 85,714 + 2)
    expect(rows.length).toBe(257_143);
    expect(rows.every((r) => ['i1', 'i2', 'i3'].includes(r.indicator_id))).toBe(true);
    expect(ascending(rows.map((r) => r.area_id))).toBe(0);
  });

  it('are written in the table order, the same on every run', async () => {
    const q = filteredSelect(filter, ['area_id', 'indicator_id']);
    const files: Buffer[] = [];
    for (let run = 0; run < 2; run++) {
      const file = path.join(dir, `f${run}.csv`);
      await writeGermanCsv(conn, q.sql, file, q.parameters);
      files.push(fs.readFileSync(file));
    }
    const ids = files[0]!
      .toString('utf8')
      .split('\r\n')
      .slice(1, -1)
      .map((l) => l.split(';')[0]!);
    expect(ascending(ids)).toBe(0);
    expect(files[1]!.equals(files[0]!)).toBe(true);
  });

  it('are narrowed by a filter on the scan (no IN list, no IN subquery)', () => {
    expect(filteredSelect({ ...filter, areas: ['a', 'b', 'c', 'd', 'e', 'f'] }).sql).not.toMatch(/\bIN\s*\(/i);
  });
});
