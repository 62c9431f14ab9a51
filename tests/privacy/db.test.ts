/**
 * The DuckDB path on hand-made cell tables: table contract, reasons, shared
 * measures, fallback without spm_measures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { suppressCells } from '../../src/privacy/index.js';
import {
  dropPassTables,
  groupOrder,
  privacyThreads,
  THREADS_FROM_CELLS,
  type GroupMemo,
  type PassTables,
  type WarmStart,
} from '../../src/privacy/db.js';
import type { MeasureRelation } from '../../src/privacy/relations.js';
import { poolStats } from '../../src/privacy/group-pool.js';
import { withEnv } from './env.js';
import { loadSeries, projectCells, readMasks, type Project } from './project.js';

function project(counts: number[][], opts: Partial<Project> = {}): Project {
  const years = opts.years ?? 1;
  return {
    sozialraeume: counts.map((c) => c.length),
    years,
    pool: null,
    threshold: 3,
    counts: counts.map((k) => k.map((v) => Array(years).fill(v) as number[])),
    flags: counts.map((k) => k.map(() => Array(years).fill('ok'))),
    ...opts,
  };
}

describe('suppressCells', () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
  });
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
  });

  it('creates spm_masks with the agreed columns and types', async () => {
    const p = project([
      [2, 10, 5, 7],
      [40, 50],
    ]);
    await loadSeries(conn, p, [{ indicator_id: 'a', role: 'numerator', measure_key: 'n', cells: projectCells(p) }]);
    const r = await suppressCells(conn, { threshold: 3 });
    expect(r).toMatchObject({ primary: 1, secondary: 1, input: 0, unresolved: 0 });
    const cols = (await conn.runAndReadAll('DESCRIBE spm_masks'))
      .getRowObjectsJS()
      .map((c) => [c.column_name, c.column_type]);
    expect(cols).toEqual([
      ['indicator_id', 'VARCHAR'],
      ['role', 'VARCHAR'],
      ['level', 'VARCHAR'],
      ['area_id', 'VARCHAR'],
      ['year', 'INTEGER'],
      ['pool_years', 'INTEGER'],
      ['reason', 'VARCHAR'],
    ]);
    expect(await readMasks(conn)).toEqual([
      {
        indicator_id: 'a',
        role: 'numerator',
        level: 'sozialraum',
        area_id: '05999001-01',
        year: 2020,
        pool_years: 1,
        reason: 'primary',
      },
      {
        indicator_id: 'a',
        role: 'numerator',
        level: 'sozialraum',
        area_id: '05999001-03',
        year: 2020,
        pool_years: 1,
        reason: 'secondary',
      },
    ]);
    // no helper tables left behind
    const left = (
      await conn.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'spm_priv%'")
    ).getRowObjectsJS();
    expect(left).toEqual([]);
  });

  it('masks a measure shared by two indicators identically in both, once per measure', async () => {
    const p = project(
      [
        [2, 10, 5, 7],
        [1, 40, 50],
      ],
      { years: 3, pool: 2 },
    );
    const cells = projectCells(p);
    await loadSeries(conn, p, [
      { indicator_id: 'a', role: 'denominator', measure_key: 'bev', cells },
      { indicator_id: 'b', role: 'denominator', measure_key: 'bev', cells },
      { indicator_id: 'c', role: 'numerator', measure_key: 'bev', cells }, // the same measure as a numerator
    ]);
    const r = await suppressCells(conn, { threshold: 3 });
    const rows = await readMasks(conn);
    const of = (ind: string) =>
      rows
        .filter((m) => m.indicator_id === ind)
        .map((m) => `${m.level}|${m.area_id}|${m.year}|${m.pool_years}|${m.reason}`);
    expect(of('a').length).toBeGreaterThan(2);
    expect(of('b')).toEqual(of('a'));
    expect(of('c')).toEqual(of('a'));
    expect(r.measures).toBe(1);
    expect(r.primary + r.secondary).toBe(3 * (r.measureCells.primary + r.measureCells.secondary));
  });

  it('reports source-suppressed cells as input and publishes zeros', async () => {
    const p = project([
      [0, 0, 9],
      [40, 50],
    ]);
    p.flags[0]![0] = ['star'];
    await loadSeries(conn, p, [{ indicator_id: 'a', role: 'numerator', measure_key: 'n', cells: projectCells(p) }]);
    await suppressCells(conn, { threshold: 3 });
    expect((await readMasks(conn)).map((m) => [m.area_id, m.reason])).toEqual([['05999001-01', 'input']]);
  });

  it('without spm_measures each indicator/role is its own measure', async () => {
    const p = project([
      [2, 10, 5, 7],
      [40, 50],
    ]);
    await loadSeries(conn, p, [{ indicator_id: 'a', role: 'numerator', measure_key: 'n', cells: projectCells(p) }]);
    await conn.run('DROP TABLE spm_measures');
    const r = await suppressCells(conn, { threshold: 3 });
    expect(r).toMatchObject({ primary: 1, secondary: 1, measures: 1 });
  });

  /** Three measures (three groups) over 6 Kommunen of 5 Sozialräume, counts count(k, j) in every year. */
  const loadThree = async (count: (k: number, j: number) => number, years: number, pool: number) => {
    const counts = Array.from({ length: 6 }, (_, k) => Array.from({ length: 5 }, (_, j) => count(k, j)));
    const p = project(counts, { years, pool });
    const cells = projectCells(p);
    await loadSeries(
      conn,
      p,
      ['a', 'b', 'c'].map((id) => ({ indicator_id: id, role: 'numerator', measure_key: id, cells })),
    );
  };

  it('gives the same masks with worker threads as in one thread', async () => {
    // three measures (three groups) with small counts in a few Kommunen and windows: each needs the audit
    await loadThree((k, j) => ((k * 7 + j * 3) % 11) + (j % 3 === 0 ? 0 : 1), 4, 3);
    const run = (threads: string) =>
      withEnv({ SPM_PRIVACY_THREADS: threads }, async () => {
        const r = await suppressCells(conn, { threshold: 3 });
        return { masks: await readMasks(conn), secondary: r.secondary, covers: r.audit.covers, threads: r.threads };
      });
    const one = await run('0');
    expect(one.masks.filter((m) => m.reason === 'primary').length).toBeGreaterThan(3);
    expect(one.threads).toBe(0);
    expect(await run('2')).toEqual({ ...one, threads: 2 });
  }, 60_000);

  it('ends its worker threads when a group fails in one, so the error ends the run', async () => {
    // a HiGHS abort in a worker (4x NRW with LPs over a component of 4 million cells) left the
    // process waiting on the pool after the error was reported
    await loadThree((k, j) => ((k * 7 + j * 3) % 11) + (j % 3 === 0 ? 0 : 1), 4, 3);
    const running = poolStats.running;
    await withEnv({ SPM_PRIVACY_THREADS: '2', SPM_PRIVACY_WORKER_FAIL: '1' }, async () => {
      await expect(suppressCells(conn, { threshold: 3 })).rejects.toThrow(
        /Geheimhaltung \(Worker\).*SPM_PRIVACY_WORKER_FAIL/,
      );
    });
    expect(poolStats.running).toBe(running);
    // the next pass starts fresh workers and succeeds
    await withEnv({ SPM_PRIVACY_THREADS: '2' }, async () => {
      expect((await suppressCells(conn, { threshold: 3 })).threads).toBe(2);
    });
    expect(poolStats.running).toBe(running);
  }, 60_000);

  it('takes the groups of a second pass from the memo of the first, with the same masks', async () => {
    await loadThree((k, j) => ((k * 5 + j * 3) % 9) + (j % 2 === 0 ? 0 : 1), 3, 2);
    const plain = await suppressCells(conn, { threshold: 3 });
    const masks = await readMasks(conn);
    expect(plain.reused).toBeUndefined();
    expect(masks.filter((m) => m.reason === 'secondary').length).toBeGreaterThan(0);
    const memo = new Map<string, GroupMemo>();
    // the three measures have the same cells: one job (the key leaves out the measures' codes), solved
    // once, its result taken twice, with the masks of the pass without memo
    const first = await suppressCells(conn, { threshold: 3, memo });
    expect(first.reused).toBe(2);
    expect(memo.size).toBe(1);
    expect(await readMasks(conn)).toEqual(masks);
    const second = await suppressCells(conn, { threshold: 3, memo });
    expect(second.reused).toBe(3);
    expect(second.secondary).toBe(plain.secondary);
    expect(await readMasks(conn)).toEqual(masks);
    // another job (here: another threshold) is solved anew
    const other = await suppressCells(conn, { threshold: 4, memo });
    expect(other.reused).toBe(2);
    expect(memo.size).toBe(2);
  }, 60_000);

  it('starts a pass from the complements of the pass before (options.warm), in one thread and in workers', async () => {
    await loadThree((k, j) => ((k * 5 + j * 3) % 9) + (j % 2 === 0 ? 0 : 1), 3, 2);
    const secondaries = async () =>
      (await readMasks(conn))
        .filter((m) => m.reason === 'secondary')
        .map((m) => `${m.indicator_id}|${m.area_id}|${m.year}|${m.pool_years}`);
    const cold = await suppressCells(conn, { threshold: 3 });
    const coldMasks = await readMasks(conn);
    // a pass leaves its complements (per measure, as measure cells) for the next one
    const own: WarmStart = {};
    const first = await suppressCells(conn, { threshold: 3, warm: own });
    expect(await readMasks(conn)).toEqual(coldMasks);
    expect([...own.prev!.values()].reduce((t, k) => t + k.size, 0)).toBe(first.measureCells.secondary);
    // from its own complements a pass gives them again
    await suppressCells(conn, { threshold: 3, warm: own });
    expect(await readMasks(conn)).toEqual(coldMasks);
    // the complements of another pass (here: threshold 4, other cells secret) as the start: other
    // masks than from nothing, the same in one thread and in workers, and the audit passes
    const run = (threads: string, warmEnv?: string) =>
      withEnv({ SPM_PRIVACY_THREADS: threads, SPM_PRIVACY_WARM: warmEnv }, async () => {
        const other: WarmStart = {};
        await suppressCells(conn, { threshold: 4, warm: other });
        const r = await suppressCells(conn, { threshold: 3, warm: other });
        expect(r.unresolved).toBe(0);
        expect(r.audit.unresolved).toBe(0);
        return { masks: await readMasks(conn), secondary: r.secondary };
      });
    const one = await run('0');
    expect(one.masks).not.toEqual(coldMasks);
    expect(await run('2')).toEqual(one);
    // SPM_PRIVACY_WARM=0: from nothing, as without a start
    expect(await run('0', '0')).toEqual({ masks: coldMasks, secondary: cold.secondary });
    expect((await secondaries()).length).toBe(cold.secondary);
  }, 60_000);

  it('keeps the prepared tables for the next pass and builds only the measures whose exact bounds changed', async () => {
    // two proportions over one denominator: a / den and b / den (den its own measure)
    const counts = Array.from({ length: 6 }, (_, k) => Array.from({ length: 5 }, (_, j) => 8 + ((k * 5 + j * 3) % 9)));
    const p = project(counts, { years: 3, pool: 2 });
    const den = projectCells(p);
    const small = (f: (v: number, k: number) => number) => den.map((c, i) => ({ ...c, x: f(c.x, i) }));
    const a = small((v, i) => Math.min(v, (i * 7) % 5));
    const b = small((v, i) => Math.min(v, (i * 3 + 1) % 6));
    await loadSeries(conn, p, [
      { indicator_id: 'ind_a', role: 'numerator', measure_key: 'a', cells: a },
      { indicator_id: 'ind_a', role: 'denominator', measure_key: 'den', cells: den },
      { indicator_id: 'ind_b', role: 'numerator', measure_key: 'b', cells: b },
      { indicator_id: 'ind_b', role: 'denominator', measure_key: 'den', cells: den },
    ]);
    await conn.run(
      `CREATE OR REPLACE TABLE spm_indicators AS SELECT * FROM (VALUES ('ind_a', TRUE, 0.0), ('ind_b', TRUE, 0.0)) v(indicator_id, proportion, min_den)`,
    );
    const aBelowDen: MeasureRelation = {
      total: 'den',
      parts: ['a'],
      rest: true,
      bound: true,
      origin: 'definition',
      label: 'a <= den',
    };
    const cells = async () =>
      (await conn.runAndReadAll('SELECT * FROM spm_priv_cells ORDER BY mcode, lvl, acode, year, pool')).getRowsJS();
    const pass = async (tables: PassTables, exact: boolean) => {
      const r = await suppressCells(conn, {
        threshold: 3,
        tables,
        ...(exact ? { exactBounds: ['ind_a'], relations: [aBelowDen] } : {}),
      });
      return { masks: await readMasks(conn), secondary: r.secondary, cells: await cells() };
    };
    const empty = (): PassTables => ({
      built: false,
      exact: new Set(),
      threshold: 3,
      lowPoints: false,
      hasIndicators: false,
    });
    // each alone, from nothing
    const freshPlain = empty();
    const plain = await pass(freshPlain, false);
    await dropPassTables(conn, freshPlain);
    const freshExact = empty();
    const exact = await pass(freshExact, true);
    await dropPassTables(conn, freshExact);
    // a's exact bound changes what a's and den's cells carry as fixed bounds
    expect(exact.cells).not.toEqual(plain.cells);
    // one after the other on the kept tables: the same tables and masks as from nothing, both ways
    const kept = empty();
    expect(await pass(kept, false)).toEqual(plain);
    expect(kept).toMatchObject({ built: true, exact: new Set(), hasIndicators: true });
    expect(await pass(kept, true)).toEqual(exact);
    expect(kept.exact).toEqual(new Set(['ind_a']));
    expect(await pass(kept, false)).toEqual(plain);
    // another threshold builds everything again
    const r = await suppressCells(conn, { threshold: 4, tables: kept });
    expect(r.primary).toBeGreaterThan(0);
    expect(kept.threshold).toBe(4);
    await dropPassTables(conn, kept);
    expect(kept.built).toBe(false);
    const left = await conn.runAndReadAll(
      "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'spm_priv%' ORDER BY table_name",
    );
    expect(left.getRowsJS()).toEqual([]);
    // the tests after this one share the connection and have no proportions
    await conn.run('DROP TABLE spm_indicators');
  }, 60_000);

  it('splits the audit of a large group into blocks and gives the same masks with worker threads as in one thread', async () => {
    // one measure, many Kommunen with small counts: with SPM_PRIVACY_BLOCKS="1,1" every component
    // of the audit is a block of its own (the default splits only groups of 100,000 unknown cells)
    const counts = Array.from({ length: 12 }, (_, k) =>
      Array.from({ length: 4 }, (_, j) => ((k * 5 + j * 3) % 7) + (j % 2 === 0 ? 0 : 1)),
    );
    const p = project(counts, { years: 4, pool: 3 });
    const cells = projectCells(p);
    await loadSeries(
      conn,
      p,
      ['a', 'b'].map((id) => ({ indicator_id: id, role: 'numerator', measure_key: id, cells })),
    );
    const run = (threads: string, blocks: string | undefined) =>
      withEnv({ SPM_PRIVACY_THREADS: threads, SPM_PRIVACY_BLOCKS: blocks }, async () => {
        const r = await suppressCells(conn, { threshold: 3 });
        return { masks: await readMasks(conn), secondary: r.secondary, blocks: r.audit.blocks, threads: r.threads };
      });
    const whole = await run('0', undefined);
    expect(whole.blocks).toBe(0);
    const one = await run('0', '1,1');
    // two groups (one per measure), each in several blocks
    expect(one.blocks).toBeGreaterThan(4);
    expect(one.masks.filter((m) => m.reason === 'primary')).toEqual(whole.masks.filter((m) => m.reason === 'primary'));
    // the blocks' covers together: at least as many as in one block (none is lost in the union)
    expect(one.secondary).toBeGreaterThanOrEqual(whole.secondary);
    expect(await run('2', '1,1')).toEqual({ ...one, threads: 2 });
    // workers replaced by fresh ones after every job (group-pool.ts, RECYCLE_WORKER_BYTES): the same masks
    const replaced = poolStats.replaced;
    const recycled = await withEnv({ SPM_PRIVACY_RECYCLE_BYTES: '0' }, () => run('2', '1,1'));
    expect(poolStats.replaced - replaced).toBeGreaterThan(4);
    expect(recycled).toEqual({ ...one, threads: 2 });
    // every group starting alone (EXCLUSIVE_FROM_CELLS), on fresh workers: the second group's start
    // replaces the workers the first one used, and the masks stay the same
    const before = poolStats.replaced;
    const alone = await withEnv({ SPM_PRIVACY_EXCLUSIVE_CELLS: '0' }, () => run('2', '1,1'));
    expect(poolStats.replaced - before).toBeGreaterThan(0);
    expect(alone).toEqual({ ...one, threads: 2 });
  }, 60_000);

  it('refuses a threshold below 1', async () => {
    await expect(suppressCells(conn, { threshold: 0 })).rejects.toThrow(/threshold/);
  });
});

describe('privacyThreads', () => {
  const withThreads = (value: string | undefined, f: () => void) => withEnv({ SPM_PRIVACY_THREADS: value }, f);

  it('uses two workers from THREADS_FROM_CELLS cells on two or more cores, none below or on one core', () => {
    withThreads(undefined, () => {
      expect(privacyThreads(THREADS_FROM_CELLS - 1, 8)).toBe(0);
      expect(privacyThreads(THREADS_FROM_CELLS, 2)).toBe(2);
      expect(privacyThreads(THREADS_FROM_CELLS * 4, 16)).toBe(2);
      expect(privacyThreads(THREADS_FROM_CELLS * 4, 1)).toBe(0);
    });
  });

  it('follows SPM_PRIVACY_THREADS when it is set (0 turns the workers off)', () => {
    withThreads('0', () => expect(privacyThreads(THREADS_FROM_CELLS * 4, 8)).toBe(0));
    withThreads('3', () => expect(privacyThreads(10, 1)).toBe(3));
    withThreads('', () => expect(privacyThreads(THREADS_FROM_CELLS, 2)).toBe(2));
  });
});

describe('groupOrder', () => {
  it('puts the groups with the most expected work first (small counts, then a hundredth of the cells), ties in group order', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      // measure 0: 10 small counts; 1: 500 cells, none small; 2: 3 small; 3: 1 small; 4: 2 small
      await c.run(`CREATE TABLE spm_priv_cells AS
        SELECT 0 AS mcode, (range % 2 + 1)::DOUBLE AS x FROM range(10)
        UNION ALL SELECT 1, 7 FROM range(500)
        UNION ALL SELECT 2, 1 FROM range(3)
        UNION ALL SELECT 3, 2 FROM range(1)
        UNION ALL SELECT 4, 0 FROM range(50) UNION ALL SELECT 4, 1 FROM range(2)`);
      // groups: [3] 1 small (1.01); [1] 5 (500 cells, none small); [0] 10.1; [2, 3] 4.04; [4] 2.52; [2] 3.03
      const groups = [[3], [1], [0], [2, 3], [4], [2]].map((mcodes) => ({ mcodes }));
      expect(await groupOrder(c, groups, 3)).toEqual([2, 1, 3, 5, 4, 0]);
      // a threshold of 2 counts only the ones: measure 3 (a 2) is no longer small
      expect(await groupOrder(c, groups, 2)).toEqual([2, 1, 3, 5, 4, 0]);
      expect(
        await groupOrder(
          c,
          [[1], [1]].map((mcodes) => ({ mcodes })),
          3,
        ),
      ).toEqual([0, 1]);
      // a group of more than a million cells comes first (its cells would wait in the calling
      // thread's heap while the workers solve the groups before it): 20,000 small counts against
      // 1,000,001 cells without any (20,200 against 10,000.01 by work alone)
      await c.run('INSERT INTO spm_priv_cells SELECT 5, 1 FROM range(20000) UNION ALL SELECT 6, 7 FROM range(1000001)');
      expect(
        await groupOrder(
          c,
          [[5], [6], [0]].map((mcodes) => ({ mcodes })),
          3,
        ),
      ).toEqual([1, 0, 2]);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
