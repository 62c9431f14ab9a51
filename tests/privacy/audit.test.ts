/**
 * The interval audit (src/privacy/audit.ts) on its own, against the independent LP attacker of
 * the tests (lp-attacker.ts: LP text read by HiGHS's LP reader): random two-way tables (interior cells,
 * row and column totals, grand total), several per problem so that the audit sees several
 * components, random masks, some upper bounds. The batched witness LPs, the local and relaxed LPs
 * only decide how a cell's verdict is reached; the verdict must be exactly the attacker's:
 * - values that are not whole: both judge by the LP, so the failures are the same cells and
 *   directions (a wrong witness would hide a failure, a missed one would add one);
 * - whole values: the audit uses integrality on small components, so it may find more failures
 *   than the LP attacker but never fewer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditProblem, type AuditStats, auditComponents, auditRun, loadSolver } from '../../src/privacy/audit.js';
import { buildCellIndex, constantCells, type CompactSystem, EquationBuilder } from '../../src/privacy/system.js';
import { lpAttack, type ARow, type ATarget, type AVar } from './lp-attacker.js';

const THRESHOLD = 3;

interface Table {
  rows: number;
  cols: number;
  /** Interior values, row-major. */
  values: number[];
}

/** Cells of the tables (interior, row totals, column totals, grand total per table) and their equations. */
function buildSystem(tables: readonly Table[], half: boolean) {
  const x: number[] = [];
  const eb = new EquationBuilder();
  const interior: boolean[] = [];
  for (const t of tables) {
    const base = x.length;
    const v = t.values.map((a, i) => (half && i % 3 === 0 ? a + 0.5 : a));
    for (const a of v) {
      x.push(a);
      interior.push(true);
    }
    const rowTotal: number[] = [];
    for (let r = 0; r < t.rows; r++) {
      rowTotal.push(x.length);
      let s = 0;
      for (let c = 0; c < t.cols; c++) s += v[r * t.cols + c]!;
      x.push(s);
      interior.push(false);
      eb.add(
        rowTotal[r]!,
        Array.from({ length: t.cols }, (_, c) => base + r * t.cols + c),
      );
    }
    for (let c = 0; c < t.cols; c++) {
      let s = 0;
      for (let r = 0; r < t.rows; r++) s += v[r * t.cols + c]!;
      const k = x.length;
      x.push(s);
      interior.push(false);
      eb.add(
        k,
        Array.from({ length: t.rows }, (_, r) => base + r * t.cols + c),
      );
    }
    const g = x.length;
    x.push(rowTotal.reduce((s, k) => s + x[k]!, 0));
    interior.push(false);
    eb.add(g, rowTotal);
  }
  return { x, interior, ...eb.build() };
}

async function check(tables: readonly Table[], maskBits: readonly boolean[], ubBits: readonly number[], half: boolean) {
  const { x, eqStart, eqCells } = buildSystem(tables, half);
  const n = x.length;
  const secret = new Uint8Array(n);
  const masked = new Uint8Array(n);
  const ub = new Float64Array(n).fill(Infinity);
  for (let c = 0; c < n; c++) {
    secret[c] = x[c]! > 0 && x[c]! < THRESHOLD ? 1 : 0;
    masked[c] = secret[c] || maskBits[c % maskBits.length] ? 1 : 0;
    // an upper bound (a denominator) on some cells: the level becomes min(threshold, ub)
    const u = ubBits[c % ubBits.length]!;
    if (u > 0) ub[c] = x[c]! + u - 1;
  }
  const sys: CompactSystem = {
    n,
    known: new Uint8Array(n).fill(1),
    secret,
    size: Float64Array.from(x),
    eqStart,
    eqCells,
  };
  const idx = buildCellIndex(sys);
  const p: AuditProblem = {
    sys,
    idx,
    x: sys.size,
    masked,
    constant: constantCells(sys, idx),
    lb: new Float64Array(n),
    ub,
    audited: Uint8Array.from(secret),
    threshold: THRESHOLD,
    loOk: new Uint8Array(n),
    hiOk: new Uint8Array(n),
    prove: true,
  };
  const h = await loadSolver();
  const stats: AuditStats = { components: 0, lps: 0, maxVars: 0, ms: 0 };
  const fails = auditRun(h, p, auditComponents(p), stats);
  const got = new Set(fails.map((f) => `${f.cell}:${f.dir}`));

  const vars = new Map<string, AVar>();
  for (let c = 0; c < n; c++) vars.set(`c${c}`, { published: masked[c] ? null : x[c]!, lb: 0, ub: ub[c]! });
  const rows: ARow[] = [];
  for (let e = 0; e + 1 < eqStart.length; e++) {
    const terms: [string, number][] = [];
    for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) terms.push([`c${eqCells[j]}`, j === eqStart[e] ? 1 : -1]);
    rows.push({ terms });
  }
  const targets: ATarget[] = [];
  for (let c = 0; c < n; c++) if (secret[c]) targets.push({ id: `c${c}`, level: Math.min(THRESHOLD, ub[c]!) });
  const attack = await lpAttack(vars, rows, targets);
  const want = new Set<string>();
  for (const r of attack.narrowed) {
    const c = r.id.slice(1);
    if (r.lo > 1e-6) want.add(`${c}:down`);
    if (r.hi < r.level - 1e-6) want.add(`${c}:up`);
  }
  // every cell without a failure has witnesses for both directions, and only those
  for (let c = 0; c < n; c++) {
    if (!secret[c]) continue;
    expect(p.loOk[c] === 1).toBe(!got.has(`${c}:down`));
    expect(p.hiOk[c] === 1).toBe(!got.has(`${c}:up`));
  }
  return { got, want, components: stats.components };
}

const tableArb = fc.record({ rows: fc.integer({ min: 2, max: 5 }), cols: fc.integer({ min: 2, max: 6 }) }).chain((d) =>
  fc.record({
    rows: fc.constant(d.rows),
    cols: fc.constant(d.cols),
    values: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: d.rows * d.cols, maxLength: d.rows * d.cols }),
  }),
);
const caseArb = fc.record({
  tables: fc.array(tableArb, { minLength: 1, maxLength: 4 }),
  mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 23 }),
  ub: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 13 }),
});

describe('interval audit against an independent LP attacker', () => {
  it('values not whole (LP verdicts): the same failures as the attacker', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ tables, mask, ub }) => {
        const { got, want } = await check(tables, mask, ub, true);
        expect([...got].sort()).toEqual([...want].sort());
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('whole values (integrality on small components): every failure the LP attacker finds, maybe more', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ tables, mask, ub }) => {
        const { got, want } = await check(tables, mask, ub, false);
        for (const w of want) expect(got.has(w)).toBe(true);
      }),
      { numRuns: 40, seed: 18 },
    );
  });

  it('a table whose masked cells block each other needs several rounds and keeps the exact verdict', async () => {
    // 4 x 4 table of 1s and 2s, everything masked but the grand total: many targets share
    // equations, so one LP cannot put them all at 0 (or at their level) at once
    const t: Table = { rows: 4, cols: 4, values: [1, 2, 1, 2, 2, 1, 2, 1, 1, 1, 2, 2, 2, 2, 1, 1] };
    const mask = Array.from({ length: 16 + 4 + 4 + 1 }, (_, i) => i < 24);
    const whole = await check([t, t], mask, [0], false);
    for (const w of whole.want) expect(whole.got.has(w)).toBe(true);
    expect(whole.components).toBe(2);
    const half = await check([t, t], mask, [0], true);
    expect([...half.got].sort()).toEqual([...half.want].sort());
  });
});
