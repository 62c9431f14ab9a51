/**
 * Attack tests: an adversary who knows every published number, the hierarchy
 * (Sozialraum -> Kommune -> Kreis) and the pooled windows solves for the
 * masked cells by linear differencing, with exact rational arithmetic
 * (tests/privacy/exact.ts, no code shared with src/privacy). It must recover
 * none of them, nor any secret cell that is not published anyway.
 *
 * (a) random projects (fast-check, fixed seeds): the pure core and the
 *     DuckDB path with a measure shared by two indicators;
 * (b) the sample project through the whole pipeline (once the lead has wired
 *     `spm_masks` into compute/export; skipped with a message until then).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { suppress, suppressCells } from '../../src/privacy/index.js';
import { exactAttack, type Eq } from './exact.js';
import {
  adversaryEquations,
  cellKey,
  isKnown,
  isSecret,
  loadSeries,
  maskKey,
  projectArb,
  projectCells,
  publishedValues,
  readMasks,
  toSystem,
  type Cell,
  type MaskRow,
  type Project,
  type Series,
} from './project.js';

const SEED = 5558;

function targetsOf(cells: readonly Cell[], masked: (c: Cell) => boolean, threshold: number): number[] {
  return cells.filter((c) => masked(c) || (isSecret(c, threshold) && !isKnown(c))).map((c) => c.id);
}

describe('attack on random projects: pure core', () => {
  it('recovers no masked or secret cell (Sozialraum-level measures, with * and missing cells)', () => {
    let recoveredWithoutSecondary = 0;
    let runs = 0;
    fc.assert(
      fc.property(projectArb({ flags: true }), (p) => {
        runs++;
        const cells = projectCells(p);
        const masked = suppress(toSystem(cells, p.threshold));
        const isMasked = (c: Cell) => masked.has(c.id);
        // every published secret is masked; nothing unpublished is
        for (const c of cells) {
          if (isKnown(c) && isSecret(c, p.threshold)) expect(masked.has(c.id)).toBe(true);
          if (masked.has(c.id)) expect(isKnown(c)).toBe(true);
        }
        const eqs = adversaryEquations(cells);
        const rec = exactAttack(eqs, publishedValues(cells, isMasked), targetsOf(cells, isMasked, p.threshold));
        expect([...rec.keys()].map((id) => cellKey(cells[id]!))).toEqual([]);
        // the adversary is not toothless: with primary suppression only it finds cells, with their true values
        const primaryOnly = (c: Cell) => isKnown(c) && isSecret(c, p.threshold);
        const rec0 = exactAttack(eqs, publishedValues(cells, primaryOnly), targetsOf(cells, primaryOnly, p.threshold));
        for (const [id, v] of rec0) expect(v.toNumber()).toBeCloseTo(cells[id]!.x, 9);
        if (rec0.size) recoveredWithoutSecondary++;
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(runs).toBe(300);
    expect(recoveredWithoutSecondary).toBeGreaterThan(50);
  }, 60_000);

  it('recovers nothing for Kommune-level measures (Kreis = Σ Kommunen only)', () => {
    fc.assert(
      fc.property(projectArb({ kommuneLevel: true, flags: true }), (p) => {
        const cells = projectCells(p);
        const masked = suppress(toSystem(cells, p.threshold));
        const isMasked = (c: Cell) => masked.has(c.id);
        const rec = exactAttack(
          adversaryEquations(cells),
          publishedValues(cells, isMasked),
          targetsOf(cells, isMasked, p.threshold),
        );
        expect(rec.size).toBe(0);
      }),
      { seed: SEED + 1, numRuns: 200 },
    );
  }, 60_000);
});

describe('attack on random projects: DuckDB path (spm_cells -> spm_masks)', () => {
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

  /**
   * Two indicators share the denominator measure "den"; indicator A publishes
   * it for single years only, B also in pooled windows. Numerators are their
   * own measures (A's numerator derived from the counts so that it is small).
   */
  function seriesOf(p: Project): { series: Series[]; den: Cell[]; numA: Cell[]; numB: Cell[] } {
    const den = projectCells(p);
    const small = (f: (v: number, k: number, s: number, y: number) => number): Project => ({
      ...p,
      counts: p.counts.map((ks, k) => ks.map((ys, s) => ys.map((v, y) => f(v, k, s, y)))),
    });
    const numA = projectCells(small((v, k, s, y) => (v * 7 + k * 3 + s * 5 + y) % 6));
    const numB = projectCells(small((v, k, s, y) => Math.min(v, (k + s + y) % 4)));
    const series: Series[] = [
      { indicator_id: 'ind_a', role: 'numerator', measure_key: 'num_a', cells: numA.filter((c) => c.pool === 1) },
      { indicator_id: 'ind_a', role: 'denominator', measure_key: 'den', cells: den.filter((c) => c.pool === 1) },
      { indicator_id: 'ind_b', role: 'numerator', measure_key: 'num_b', cells: numB },
      { indicator_id: 'ind_b', role: 'denominator', measure_key: 'den', cells: den },
    ];
    return { series, den, numA, numB };
  }

  function masksOf(rows: readonly MaskRow[], ind: string, role: string): Map<string, string> {
    return new Map(rows.filter((r) => r.indicator_id === ind && r.role === role).map((r) => [maskKey(r), r.reason]));
  }

  function attackMeasure(cells: readonly Cell[], eqs: Eq[], masks: Map<string, string>, threshold: number): string[] {
    const isMasked = (c: Cell) => masks.has(cellKey(c)) && masks.get(cellKey(c)) !== 'input';
    for (const c of cells) {
      const k = cellKey(c);
      if (isKnown(c) && isSecret(c, threshold)) expect(masks.get(k), k).toBe('primary');
      if (c.isBase && c.nSupp > 0) expect(masks.get(k), k).toBe('input');
    }
    const rec = exactAttack(eqs, publishedValues(cells, isMasked), targetsOf(cells, isMasked, threshold));
    return [...rec.keys()].map((id) => cellKey(cells[id]!));
  }

  it('recovers nothing and masks a shared measure identically in both indicators', async () => {
    let withSecondary = 0;
    await fc.assert(
      fc.asyncProperty(projectArb({ flags: true }), async (p) => {
        const { series, den, numA, numB } = seriesOf(p);
        await loadSeries(conn, p, series);
        const counts = await suppressCells(conn, { threshold: p.threshold });
        expect(counts.unresolved).toBe(0);
        const rows = await readMasks(conn);
        if (counts.secondary > 0) withSecondary++;
        // shared measure: identical masks on the cells both publish
        const dA = masksOf(rows, 'ind_a', 'denominator');
        const dB = masksOf(rows, 'ind_b', 'denominator');
        const dBsingle = new Map([...dB].filter(([k]) => k.endsWith('|1')));
        expect(dA).toEqual(dBsingle);
        // attacks, each measure on all its cells
        expect(attackMeasure(den, adversaryEquations(den), dB, p.threshold)).toEqual([]);
        const nA = numA.filter((c) => c.pool === 1);
        expect(attackMeasure(nA, adversaryEquations(nA), masksOf(rows, 'ind_a', 'numerator'), p.threshold)).toEqual([]);
        expect(attackMeasure(numB, adversaryEquations(numB), masksOf(rows, 'ind_b', 'numerator'), p.threshold)).toEqual(
          [],
        );
      }),
      { seed: SEED + 2, numRuns: 200 },
    );
    expect(withSecondary).toBeGreaterThan(50);
  }, 120_000);

  it('is deterministic: same masks on re-run and for rows inserted in reverse order', async () => {
    await fc.assert(
      fc.asyncProperty(projectArb({ flags: true }), async (p) => {
        const { series } = seriesOf(p);
        await loadSeries(conn, p, series);
        await suppressCells(conn, { threshold: p.threshold });
        const a = await readMasks(conn);
        await suppressCells(conn, { threshold: p.threshold });
        expect(await readMasks(conn)).toEqual(a);
        await loadSeries(conn, p, series, true);
        await suppressCells(conn, { threshold: p.threshold });
        expect(await readMasks(conn)).toEqual(a);
      }),
      { seed: SEED + 3, numRuns: 40 },
    );
  }, 120_000);
});

// ------------------------------------------------------------------ (b)

describe('attack on the sample project (published kennzahlen.parquet)', () => {
  const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
  let out: string;
  type Row = {
    indicator_id: string;
    level: string;
    area_id: string;
    kommune_ags: string | null;
    year: number;
    pool_years: number;
    numerator: number | null;
    denominator: number | null;
    value: number | null;
    status: string;
    suppression?: string | null;
  };
  let rows: Row[] = [];
  let hasColumn = false;
  let masks: MaskRow[] = [];
  let threshold = 3;
  /** `indicator|role|level|area|year|window` of cells that are published only as estimates (contain "*" parts). */
  const estimates = new Set<string>();

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-privacy-'));
    const db = path.join(out, 'spm.duckdb');
    const { computeRun } = await import('../../src/run/compute-run.js');
    const { loadProject } = await import('../../src/config/load-project.js');
    threshold = loadProject(sample).project.config.settings.suppression.min_count;
    await computeRun(sample, { out, db });
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const pq = path.join(out, 'kennzahlen.parquet').replace(/'/g, "''");
    const cols = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${pq}')`))
      .getRowObjectsJS()
      .map((r) => String(r.column_name));
    hasColumn = cols.includes('suppression');
    rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${pq}')`)).getRowObjectsJS() as unknown as Row[];
    await conn.run(`ATTACH '${db.replace(/'/g, "''")}' AS run (READ_ONLY)`);
    const hasMasks = (
      await conn.runAndReadAll(
        `SELECT COUNT(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = 'run' AND table_name = 'spm_masks'`,
      )
    ).getRowObjectsJS()[0]?.n;
    if (Number(hasMasks) > 0) {
      masks = (await conn.runAndReadAll('SELECT * FROM run.spm_masks')).getRowObjectsJS() as unknown as MaskRow[];
      // the notes tell a reader which numbers are estimates; the test reads that from the cells
      const est = await conn.runAndReadAll(
        `SELECT concat_ws('|', indicator_id, role, level, area_id, year, pool_years) AS k FROM run.spm_cells WHERE n_suppressed > 0`,
      );
      for (const r of est.getRowObjectsJS()) estimates.add(String(r.k));
    }
    conn.closeSync();
    inst.closeSync();
  }, 300_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  // TODO(lead): active as soon as compute writes spm_masks and export adds `suppression`
  // (masked rows: numerator, denominator, value NULL). Until then the test skips itself.
  it('publishes no small count and lets no masked cell be recovered', (ctx) => {
    if (!hasColumn) ctx.skip();
    const EXACT = new Set(['ok', 'implausible', 'below_min_denominator', 'zero_denominator']);
    const exact = (r: Row, role: 'numerator' | 'denominator') =>
      r[role] !== null &&
      EXACT.has(r.status) &&
      !estimates.has(`${r.indicator_id}|${role}|${r.level}|${r.area_id}|${r.year}|${r.pool_years}`);
    for (const r of rows) {
      if (r.suppression)
        expect([r.numerator, r.denominator, r.value], `${r.indicator_id} ${r.area_id} ${r.year}`).toEqual([
          null,
          null,
          null,
        ]);
      for (const role of ['numerator', 'denominator'] as const) {
        const v = r[role]!;
        if (exact(r, role))
          expect(
            v > 0 && v < threshold,
            `${r.indicator_id} ${role} ${r.level} ${r.area_id} ${r.year}/${r.pool_years}: ${v}`,
          ).toBe(false);
      }
    }
    // series = (indicator, role); series that agree on every cell both publish (≥ 10 cells) are
    // taken to be the same measure and pooled (the adversary may guess shared denominators)
    type S = { id: string; values: Map<string, number | null>; kommune: Map<string, string | null> };
    const series = new Map<string, S>();
    for (const r of rows) {
      for (const role of ['numerator', 'denominator'] as const) {
        const id = `${r.indicator_id}|${role}`;
        let s = series.get(id);
        if (!s) series.set(id, (s = { id, values: new Map(), kommune: new Map() }));
        const k = `${r.level}|${r.area_id}|${r.year}|${r.pool_years}`;
        s.values.set(k, exact(r, role) ? r[role] : null);
        s.kommune.set(k, r.kommune_ags);
      }
    }
    const list = [...series.values()];
    const parent = list.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        let common = 0;
        let equal = true;
        for (const [k, v] of list[i]!.values) {
          const w = list[j]!.values.get(k);
          if (v === null || w === null || w === undefined) continue;
          common++;
          if (v !== w) {
            equal = false;
            break;
          }
        }
        if (equal && common >= 10) parent[find(i)] = find(j);
      }
    }
    const targetsBySeries = new Map<string, Set<string>>();
    for (const m of masks) {
      if (m.reason === 'input') continue;
      const id = `${m.indicator_id}|${m.role}`;
      if (!targetsBySeries.has(id)) targetsBySeries.set(id, new Set());
      targetsBySeries.get(id)!.add(`${m.level}|${m.area_id}|${m.year}|${m.pool_years}`);
    }
    let attacked = 0;
    const groups = new Map<number, S[]>();
    list.forEach((s, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), s]));
    for (const group of groups.values()) {
      const ids = new Map<string, number>();
      const pub = new Map<number, number>();
      const kommuneOf = new Map<string, string | null>();
      for (const s of group) {
        for (const [k, v] of s.values) {
          if (!ids.has(k)) ids.set(k, ids.size);
          if (v !== null) pub.set(ids.get(k)!, v);
          kommuneOf.set(k, s.kommune.get(k) ?? null);
        }
      }
      const eqs = publishedEquations([...ids.keys()], kommuneOf, ids);
      const targets = new Set<number>();
      for (const s of group) for (const k of targetsBySeries.get(s.id) ?? []) if (ids.has(k)) targets.add(ids.get(k)!);
      attacked += targets.size;
      const rec = exactAttack(eqs, pub, targets);
      const names = [...ids.keys()];
      expect([...rec.keys()].map((i) => `${group.map((s) => s.id).join('+')}: ${names[i]}`)).toEqual([]);
    }
    expect(attacked).toBeGreaterThan(0);
  }, 120_000);
});

/** Hierarchy and pool equations read off the published rows (level, area, kommune_ags, year, window). */
function publishedEquations(keys: string[], kommuneOf: Map<string, string | null>, ids: Map<string, number>): Eq[] {
  const eqs: Eq[] = [];
  const groups = new Map<string, number[]>();
  const kreisOf = new Map<string, string>(); // `${year}|${pool}` -> kreis key
  for (const k of keys) {
    const [level, , year, pool] = k.split('|');
    if (level === 'kreis') kreisOf.set(`${year}|${pool}`, k);
  }
  for (const k of keys) {
    const [level, area, yearS, poolS] = k.split('|') as [string, string, string, string];
    const year = Number(yearS);
    const pool = Number(poolS);
    let total: string | undefined;
    if (level === 'sozialraum') total = `kommune|${kommuneOf.get(k)}|${year}|${pool}`;
    else if (level === 'kommune') total = kreisOf.get(`${year}|${pool}`);
    if (total && ids.has(total)) groups.set(total, [...(groups.get(total) ?? []), ids.get(k)!]);
    if (pool > 1) {
      const parts: number[] = [];
      let complete = true;
      for (let y = year - pool + 1; y <= year; y++) {
        const p = ids.get(`${level}|${area}|${y}|1`);
        if (p === undefined) complete = false;
        else parts.push(p);
      }
      if (complete) eqs.push({ total: ids.get(k)!, parts });
    }
  }
  for (const [t, parts] of groups) eqs.push({ total: ids.get(t)!, parts });
  return eqs;
}
