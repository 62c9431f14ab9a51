/**
 * One partitioned COPY per format gives the same files, byte for byte, as one COPY per key
 * (the comparison per Kommune), on several threads and with more keys than DuckDB keeps
 * files open (100).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { writePartitioned } from '../../src/export/partitioned.js';
import { copyGermanCsv, germanCsvColumns } from '../../src/export/csv.js';
import { writeParquet } from '../../src/export/parquet.js';

let dir: string;
let inst: DuckDBInstance;
let conn: DuckDBConnection;
// 150 keys, among them text with spaces, umlauts, "=" and a "-" (folder names DuckDB would escape)
const keys = Array.from({ length: 150 }, (_, i) => (i % 50 === 7 ? `Bezirk ${i} Süd=Nord` : String(5558000 + i)));
const SELECT = 'SELECT * FROM t';
const ONE = 'SELECT * FROM t WHERE k = $1 ORDER BY n';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-part-'));
  inst = await DuckDBInstance.create(':memory:', { threads: '4' });
  conn = await inst.connect();
  // key 0 has no rows, the others 1..300 rows (22,237 in all: keys cross the 2,048-row chunks, with a few rows
  // on one side and many on the other, where a plain partitioned COPY of the ordered rows put 6 files out of
  // order); a key not in the list has rows that must not be written
  await conn.run(
    `CREATE TABLE t AS
    SELECT k, n, CAST(n * 0.25 - 3 AS DOUBLE) AS x, CASE WHEN n % 3 = 0 THEN '=SUMME(' || n || ')' ELSE 'Zeile; "' || n || '"' END AS s,
      n % 2 = 0 AS b
    FROM (SELECT UNNEST($1::VARCHAR[]) AS k, UNNEST(range(1, $2 + 1)) AS i) CROSS JOIN range(0, 300) r(n)
    WHERE i > 1 AND n < 1 + (i * 37) % 300
    UNION ALL SELECT 'fremd', 1, 1.5, 'x', TRUE`,
    [listValue(keys), keys.length],
  );
});
afterAll(() => {
  conn.closeSync();
  inst.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('writePartitioned', () => {
  it('writes each key’s CSV and Parquet file as a COPY of its own rows would', async () => {
    const exprs = await germanCsvColumns(conn, ONE, [keys[1]]);
    const csvDir = path.join(dir, 'csv');
    const pqDir = path.join(dir, 'pq');
    const ownDir = path.join(dir, 'own');
    for (const d of [csvDir, pqDir, ownDir]) fs.mkdirSync(d);
    const base = { select: SELECT, keyColumn: 'k', orderBy: 'n', keys };
    const csv = await writePartitioned(conn, {
      ...base,
      dir: csvDir,
      csv: { columns: exprs, fileName: (k) => `v_${k}.csv` },
    });
    const pq = await writePartitioned(conn, { ...base, dir: pqDir, parquet: { fileName: (k) => `v_${k}.parquet` } });
    // the key without rows and the key outside the list get no file; no partition folders are left
    expect(csv).toEqual(new Set(keys.slice(1)));
    expect(pq).toEqual(new Set(keys.slice(1)));
    expect(fs.readdirSync(csvDir).sort()).toEqual(
      keys
        .slice(1)
        .map((k) => `v_${k}.csv`)
        .sort(),
    );
    expect(fs.readdirSync(pqDir)).toHaveLength(keys.length - 1);
    for (const k of keys.slice(1)) {
      await copyGermanCsv(conn, exprs, ONE, path.join(ownDir, `v_${k}.csv`), [k]);
      await writeParquet(conn, ONE, path.join(ownDir, `v_${k}.parquet`), [k]);
      expect(fs.readFileSync(path.join(csvDir, `v_${k}.csv`))).toEqual(
        fs.readFileSync(path.join(ownDir, `v_${k}.csv`)),
      );
      expect(fs.readFileSync(path.join(pqDir, `v_${k}.parquet`))).toEqual(
        fs.readFileSync(path.join(ownDir, `v_${k}.parquet`)),
      );
    }
    // the rows keep their order and the German format (BOM, decimal comma, formula guard)
    const text = fs.readFileSync(path.join(csvDir, `v_${keys[45]}.csv`), 'utf8').split('\r\n');
    expect(text[0]).toBe('\uFEFFk;n;x;s;b');
    expect(text.slice(1, 5)).toEqual([
      `${keys[45]};0;-3;'=SUMME(0);ja`,
      `${keys[45]};1;-2,75;"Zeile; ""1""";nein`,
      `${keys[45]};2;-2,5;"Zeile; ""2""";ja`,
      `${keys[45]};3;-2,25;'=SUMME(3);nein`,
    ]);
    expect(text).toHaveLength(1 + 1 + ((46 * 37) % 300) + 1); // header, rows, the empty string after the last CRLF
  });

  it('sets the number of threads back afterwards', async () => {
    const r = await conn.runAndReadAll("SELECT current_setting('threads')");
    expect(Number(r.getRowsJS()[0]?.[0])).toBe(4);
  });
});
