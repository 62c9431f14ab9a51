/**
 * vergleich_<AGS>.csv cut from vergleich_alle.csv (src/export/csv-split.ts) must be byte for byte
 * what DuckDB writes for that key alone: checked on rows with quotes, delimiters, line breaks
 * inside fields, formula characters and umlauts, a key shown with the formula guard's apostrophe;
 * and a file that is not as expected is refused (the caller then writes the parts with DuckDB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '../../src/util/duckdb.js';
import { germanCsvColumns, copyGermanCsv, writeGermanCsv } from '../../src/export/csv.js';
import { splitCsvByFirstColumn } from '../../src/export/csv-split.js';

let dir: string;
let db: DuckDBInstance;
let conn: DuckDBConnection;

const ALL = 'SELECT * FROM t ORDER BY k, i';
const ONE = 'SELECT * FROM t WHERE k = $1 ORDER BY i';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-csv-split-'));
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES
    ('05558004', 'a', 'Ahlen; "Mitte"', 1.5, TRUE),
    ('05558004', 'b', E'zwei\\r\\nZeilen', NULL, FALSE),
    ('05558008', 'a', '=SUMME(A1)', -0.25, NULL),
    ('05558008', 'c', 'Lüdinghausen', 3.0, TRUE),
    ('=05558012', 'a', '"', 1e-7, TRUE),
    ('05558016', 'a', '', 12345678.9, FALSE),
    ('ohne Datei', 'a', 'x', 1.0, TRUE)
  ) AS v(k, i, text, x, flag)`);
});

afterAll(() => {
  conn.closeSync();
  db.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('splitCsvByFirstColumn', () => {
  it('gives each key the bytes DuckDB writes for it alone', async () => {
    const keys = ['05558004', '05558008', '=05558012', '05558016'];
    const all = path.join(dir, 'alle.csv');
    await writeGermanCsv(conn, ALL, all);
    const counts = new Map([
      ['05558004', 2],
      ['05558008', 2],
      ['=05558012', 1],
      ['05558016', 1],
    ]);
    const parts = splitCsvByFirstColumn(fs.readFileSync(all), keys, counts);
    expect(parts).toBeDefined();
    const exprs = await germanCsvColumns(conn, ONE, [keys[0]]);
    for (const k of keys) {
      const one = path.join(dir, 'one.csv');
      await copyGermanCsv(conn, exprs, ONE, one, [k]);
      expect(parts?.get(k)?.equals(fs.readFileSync(one)), k).toBe(true);
    }
    // the text with a line break is quoted, so the whole file has more lines than records
    expect(fs.readFileSync(all, 'utf8')).toContain('"zwei\r\nZeilen"');
  });

  it('refuses a count that does not match, a broken file and keys shown alike', async () => {
    const all = path.join(dir, 'alle.csv');
    await writeGermanCsv(conn, ALL, all);
    const buf = fs.readFileSync(all);
    const keys = ['05558004'];
    expect(splitCsvByFirstColumn(buf, keys, new Map([['05558004', 2]]))).toBeDefined();
    expect(splitCsvByFirstColumn(buf, keys, new Map([['05558004', 3]]))).toBeUndefined();
    expect(splitCsvByFirstColumn(buf.subarray(0, buf.length - 1), keys, new Map([['05558004', 2]]))).toBeUndefined();
    expect(splitCsvByFirstColumn(buf, ['=1', "'=1"], new Map())).toBeUndefined();
  });
});
