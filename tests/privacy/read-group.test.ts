/**
 * The protection pass reads each group's cells without ORDER BY (the cell table is written
 * in order); the masks depend on that order, so a table whose scan is out of order must
 * still give the cells in canonical order (member, level, area, year, window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  groupFromAll,
  MeasureBuffer,
  packBuffer,
  readAllPacked,
  readGroupPacked,
  unpackBuffer,
} from '../../src/privacy/db.js';

/** A group's cells as plain arrays (what the pass's own thread solves). */
const readGroup = async (conn: DuckDBConnection, mcodes: readonly number[], y0: number) =>
  unpackBuffer(await readGroupPacked(conn, mcodes, y0));

describe('readGroup', () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
    await conn.run(`CREATE TABLE spm_priv_cells (mcode INTEGER, lvl INTEGER, acode INTEGER, parent INTEGER,
      year INTEGER, pool INTEGER, known BOOLEAN, input BOOLEAN, fixed BOOLEAN, unclean BOOLEAN, pinned BOOLEAN, x DOUBLE,
      ub DOUBLE, ub_tight BOOLEAN, lb DOUBLE, ub_status DOUBLE)`);
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
        `INSERT INTO spm_priv_cells VALUES (${m}, ${l}, ${a}, ${p}, ${y}, ${w}, true, false, false, false, false, ${x}, NULL, false, NULL, NULL)`,
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

  it('reads past its first arrays (4,096 cells), with the flags and bounds of each cell', async () => {
    await conn.run('DELETE FROM spm_priv_cells');
    await conn.run(`INSERT INTO spm_priv_cells SELECT 3, 0, i // 10, -1, 2020 + i % 10, 1, i % 2 = 0, i % 3 = 0, i % 5 = 0,
      i % 7 = 0, i % 11 = 0, i * 0.5, CASE WHEN i % 4 = 0 THEN NULL ELSE i END, i % 13 = 0,
      CASE WHEN i % 6 = 0 THEN NULL ELSE 1 END, CASE WHEN i % 13 = 0 THEN 19 END
      FROM range(10000) r(i) ORDER BY i`);
    const p = await readGroupPacked(conn, [3], 2020);
    expect(p.flags.length).toBe(10000);
    for (const i of [0, 4095, 4096, 4108, 9999]) {
      expect([p.area[i], p.year[i], p.x[i]]).toEqual([Math.floor(i / 10), 2020 + (i % 10), i * 0.5]);
      expect(p.flags[i]).toBe(
        (i % 2 === 0 ? 1 : 0) |
          (i % 3 === 0 ? 2 : 0) |
          (i % 5 === 0 ? 4 : 0) |
          (i % 7 === 0 ? 8 : 0) |
          (i % 11 === 0 ? 16 : 0) |
          (i % 13 === 0 ? 32 : 0),
      );
      expect(p.ub[i]).toBe(i % 4 === 0 ? Infinity : i);
      expect(p.lb[i]).toBe(i % 6 === 0 ? 0 : 1);
      expect(p.ubStatus[i]).toBe(i % 13 === 0 ? 19 : Infinity);
    }
    // readGroup gives the same cells as plain arrays
    const b = await readGroup(conn, [3], 2020);
    expect(packBuffer(b)).toEqual(p);
  });

  it('a small pass reads all cells at once and cuts out each group as its own read gives it', async () => {
    await conn.run('DELETE FROM spm_priv_cells');
    // five measures (7 has no cells), written out of order, more cells than the first arrays hold
    await conn.run(`INSERT INTO spm_priv_cells SELECT m, i % 3, i // 7, -1, 2015 + i % 7, 1 + 2 * (i % 2), i % 2 = 0,
      i % 3 = 0, i % 5 = 0, false, i % 11 = 0, i % 9, CASE WHEN i % 4 = 0 THEN NULL ELSE 20 END, i % 13 = 0,
      NULL, NULL
      FROM range(3000) r(i), (VALUES (2), (3), (5), (9)) v(m) ORDER BY hash(i, m)`);
    const all = await readAllPacked(conn, 2015, 9);
    expect([...all!.ranges]).toEqual([
      [2, [0, 3000]],
      [3, [3000, 6000]],
      [5, [6000, 9000]],
      [9, [9000, 12000]],
    ]);
    for (const mcodes of [[3], [9], [2, 3], [3, 5, 9], [2, 3, 5, 7, 9], [7]]) {
      const own = await readGroupPacked(conn, mcodes, 2015);
      expect(groupFromAll(all!, mcodes)).toEqual(own);
    }
    // a group whose measures are not ascending is read on its own
    expect(groupFromAll(all!, [5, 3])).toBeUndefined();
    // an mcode beyond what the packed key holds: the groups are read one by one
    expect(await readAllPacked(conn, 2015, 2048)).toBeUndefined();
  });

  it('packs a buffer into typed arrays and back unchanged, with the defaults of missing columns', () => {
    const b = new MeasureBuffer();
    b.push(0, 4, -1, 2021, 1, 2.5, true, false, true);
    b.push(1, 7, 4, 2022, 3, 0, false, true, false);
    b.member.push(1);
    b.ub.push(9);
    b.ubStatus.push(19);
    // member, unclean, ub and lb of the second cell (and unclean, lb of both) are missing: prepareGroup's padding
    const u = unpackBuffer(packBuffer(b));
    expect(u.lvl).toEqual([0, 1]);
    expect(u.area).toEqual([4, 7]);
    expect(u.parent).toEqual([-1, 4]);
    expect(u.year).toEqual([2021, 2022]);
    expect(u.pool).toEqual([1, 3]);
    expect(u.x).toEqual([2.5, 0]);
    expect(u.known).toEqual([true, false]);
    expect(u.input).toEqual([false, true]);
    expect(u.fixed).toEqual([true, false]);
    expect(u.member).toEqual([1, 0]);
    expect(u.unclean).toEqual([false, true]);
    expect(u.pinned).toEqual([false, false]);
    expect(u.ubTight).toEqual([false, false]);
    expect(u.ub).toEqual([9, Infinity]);
    expect(u.lb).toEqual([0, 0]);
    expect(u.ubStatus).toEqual([19, Infinity]);
  });
});
