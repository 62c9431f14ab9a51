/**
 * The protection pass reads each group's cells without ORDER BY (the cell table is written
 * in order); the masks depend on that order, so a table whose scan is out of order must
 * still give the cells in canonical order (member, level, area, year, window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readGroup } from '../../src/privacy/db.js';

describe('readGroup', () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
    await conn.run(`CREATE TABLE spm_priv_cells (mcode INTEGER, lvl INTEGER, acode INTEGER, parent INTEGER,
      year INTEGER, pool INTEGER, known BOOLEAN, input BOOLEAN, fixed BOOLEAN, unclean BOOLEAN, x DOUBLE, ub DOUBLE, lb DOUBLE)`);
  });
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
  });

  const rows = [
    [3, 0, 0, -1, 2020, 1, 5],
    [3, 1, 2, 0, 2020, 1, 2],
    [3, 1, 2, 0, 2021, 1, 3],
    [5, 0, 0, -1, 2020, 1, 7],
    [5, 1, 1, 0, 2020, 3, 1],
  ];
  const insert = async (order: number[][]) => {
    await conn.run('DELETE FROM spm_priv_cells');
    for (const [m, l, a, p, y, w, x] of order)
      await conn.run(
        `INSERT INTO spm_priv_cells VALUES (${m}, ${l}, ${a}, ${p}, ${y}, ${w}, true, false, false, false, ${x}, NULL, NULL)`,
      );
  };
  const cells = (b: Awaited<ReturnType<typeof readGroup>>) =>
    Array.from({ length: b.size }, (_, i) => [b.member[i], b.lvl[i], b.area[i], b.year[i], b.pool[i], b.x[i]]);
  const expected = [
    [0, 0, 0, 2020, 1, 5],
    [0, 1, 2, 2020, 1, 2],
    [0, 1, 2, 2021, 1, 3],
    [1, 0, 0, 2020, 1, 7],
    [1, 1, 1, 2020, 3, 1],
  ];

  it('reads a table written in order as it is', async () => {
    await insert(rows);
    expect(cells(await readGroup(conn, [3, 5], 2020))).toEqual(expected);
  });

  it('gives the canonical order when the scan comes back out of order', async () => {
    await insert([...rows].reverse());
    expect(cells(await readGroup(conn, [3, 5], 2020))).toEqual(expected);
    await insert([rows[1]!, rows[0]!, rows[4]!, rows[3]!, rows[2]!]);
    expect(cells(await readGroup(conn, [3, 5], 2020))).toEqual(expected);
  });
});
