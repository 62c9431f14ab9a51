/**
 * Interval (LP) audit of a suppression pattern, as statistics offices run it
 * (τ-ARGUS "audit", sdcTable `attack()`): for every protected cell the attacker's
 * minimum and maximum subject to everything published, all equations
 * (hierarchy, windows, relations), non-negativity, upper bounds (a numerator never
 * exceeds its denominator) and integrality where cheap.
 *
 * Protection level (see README.md): every audited cell u must keep a feasible
 * range that contains 0 and reaches min(threshold, upper bound of u), i.e. the
 * attacker can rule out neither "nobody" nor "at least the threshold". For
 * counts of 1..2 at threshold 3 this is the lower protection level x_u and the
 * upper protection level threshold − x_u of sdcTable/τ-ARGUS.
 *
 * Solver: HiGHS (WebAssembly, npm `highs`). The problem splits into
 * independent components: unknown cells joined by equations they share
 * (published cells are constants), so each LP is small. Per component, two LPs
 * look for witnesses for many cells at once (min Σ audited cells: every cell at 0
 * in that solution can be 0; max Σ min(cell, level): every cell at its level can
 * reach it); only cells without a witness get an LP of their own (whose solution
 * may witness further cells). A witness is an actual solution, so "feasible" is
 * exact; with integrality (all values whole, component not too large) it is an
 * integer solution.
 */
import highsModule, { type Highs } from 'highs';
import type { CellIndex, CompactSystem } from './system.js';

// The package's types describe a CommonJS default export; at run time the ES module's
// default export is the loader itself.
type Loader = () => Promise<Highs>;
const loadHighs: Loader = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as unknown as Loader;

let highsPromise: Promise<Highs> | undefined;
/** The HiGHS runtime (loaded once per process). */
export function loadSolver(): Promise<Highs> {
  if (!highsPromise) highsPromise = loadHighs();
  return highsPromise;
}

const EPS = 1e-6;
/** Components with more unknown cells than this are solved as LPs (no integrality). */
const MIP_LIMIT = 400;

export interface AuditProblem {
  sys: CompactSystem;
  idx: CellIndex;
  /** Exact value (known part) of every cell. */
  x: Float64Array;
  masked: Uint8Array;
  constant: Uint8Array;
  /** Lower bound of each cell (0; −Infinity for residuals that are not clean). */
  lb: Float64Array;
  /** Upper bound of each cell (Infinity if none). */
  ub: Float64Array;
  /** 1 = must keep its protection range. */
  audited: Uint8Array;
  threshold: number;
  /**
   * Witnesses found so far (1 = a feasible solution with the cell at 0, resp. at its level).
   * Masking more cells only enlarges the feasible set, so a witness stays valid for good.
   */
  loOk: Uint8Array;
  hiOk: Uint8Array;
}

export interface AuditFailure {
  cell: number;
  /** `down`: the attacker can rule out 0; `up`: the attacker can rule out `level`. */
  dir: 'down' | 'up';
  /** The attacker's bound: min (down) or max (up). */
  bound: number;
  /** The level the range must reach (up). */
  level: number;
}

export interface AuditStats {
  components: number;
  lps: number;
  maxVars: number;
  ms: number;
}

const unknownCell = (p: AuditProblem, c: number) => p.constant[c] === 0 && (p.sys.known[c] === 0 || p.masked[c] === 1);

/** Components (lists of unknown cells, ascending) that contain an audited cell; `only`: just those containing one of these cells. */
export function auditComponents(p: AuditProblem, only?: Iterable<number>): number[][] {
  const { sys } = p;
  const parent = new Int32Array(sys.n).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const m = sys.eqStart.length - 1;
  for (let e = 0; e < m; e++) {
    let first = -1;
    for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      if (!unknownCell(p, c)) continue;
      if (first < 0) first = c;
      else {
        const a = find(first);
        const b = find(c);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const want = new Set<number>();
  if (only) for (const c of only) if (unknownCell(p, c)) want.add(find(c));
  const hasAudited = new Set<number>();
  for (let c = 0; c < sys.n; c++) if (p.audited[c] && unknownCell(p, c)) hasAudited.add(find(c));
  const comps = new Map<number, number[]>();
  for (let c = 0; c < sys.n; c++) {
    if (!unknownCell(p, c)) continue;
    const r = find(c);
    if (!hasAudited.has(r) || (only && !want.has(r))) continue;
    const l = comps.get(r);
    if (l) l.push(c);
    else comps.set(r, [c]);
  }
  return [...comps.values()];
}

/** Audits the given components; returns the cells whose range is too narrow. */
export function auditRun(h: Highs, p: AuditProblem, comps: number[][], stats: AuditStats): AuditFailure[] {
  const t0 = performance.now();
  const out: AuditFailure[] = [];
  for (const comp of comps) {
    stats.components++;
    stats.maxVars = Math.max(stats.maxVars, comp.length);
    out.push(...auditComponent(h, p, comp, stats));
  }
  stats.ms += performance.now() - t0;
  return out.sort((a, b) => a.cell - b.cell || (a.dir < b.dir ? -1 : 1));
}

function auditComponent(h: Highs, p: AuditProblem, comp: number[], stats: AuditStats): AuditFailure[] {
  const { sys, idx, x } = p;
  const col = new Map<number, number>();
  comp.forEach((c, i) => col.set(c, i));
  const targets = comp.filter((c) => p.audited[c]);
  if (targets.every((c) => p.loOk[c] && p.hiOk[c])) return [];
  const nv = comp.length;
  const nt = targets.length;
  const level = targets.map((c) => Math.min(p.threshold, p.ub[c]!));
  // equations touching the component
  const eqs = new Set<number>();
  for (const c of comp) for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) eqs.add(idx.eqs[k]!);
  const eqList = [...eqs].sort((a, b) => a - b);
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  let integral = nv <= MIP_LIMIT;
  const whole = (v: number) => Math.abs(v - Math.round(v)) < 1e-9;
  for (const e of eqList) {
    let rhs = 0;
    const row = new Map<number, number>();
    for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      const coef = j === sys.eqStart[e] ? 1 : -1;
      const v = col.get(c);
      if (v === undefined) rhs -= coef * x[c]!;
      else row.set(v, (row.get(v) ?? 0) + coef);
    }
    if (!whole(rhs)) integral = false;
    for (const [v, a] of [...row].sort((a, b) => a[0] - b[0])) {
      if (a === 0) continue;
      indices.push(v);
      values.push(a);
    }
    starts.push(indices.length);
    rowLower.push(rhs);
    rowUpper.push(rhs);
  }
  for (const c of comp) if (!whole(x[c]!)) integral = false;
  // t_i <= x_{target i}
  targets.forEach((c, i) => {
    indices.push(col.get(c)!, nv + i);
    values.push(-1, 1);
    starts.push(indices.length);
    rowLower.push(-h.infinity);
    rowUpper.push(0);
  });
  const ncol = nv + nt;
  const colLower = new Float64Array(ncol);
  const colUpper = new Float64Array(ncol);
  comp.forEach((c, i) => {
    colLower[i] = Number.isFinite(p.lb[c]!) ? p.lb[c]! : -h.infinity;
    colUpper[i] = Number.isFinite(p.ub[c]!) ? p.ub[c]! : h.infinity;
  });
  level.forEach((l, i) => {
    colLower[nv + i] = 0;
    colUpper[nv + i] = l;
  });
  const integrality = integral ? new Int32Array(ncol).fill(0).map((_, i) => (i < nv ? 1 : 0)) : undefined;
  const model = h.createModel({
    numCols: ncol,
    numRows: rowLower.length,
    colCost: new Float64Array(ncol),
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: 'csr', starts: Int32Array.from(starts), indices: Int32Array.from(indices), values: Float64Array.from(values), numRows: rowLower.length, numCols: ncol },
    ...(integrality ? { integrality: integrality as unknown as readonly (0 | 1)[] } : {}),
  });
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0 });
    const loOk = Uint8Array.from(targets, (c) => p.loOk[c]!);
    const hiOk = Uint8Array.from(targets, (c) => p.hiOk[c]!);
    const lo = new Float64Array(nt).fill(NaN);
    const hi = new Float64Array(nt).fill(NaN);
    const witness = (sol: Float64Array) => {
      for (let i = 0; i < nt; i++) {
        const v = sol[col.get(targets[i]!)!]!;
        if (v <= EPS) loOk[i] = p.loOk[targets[i]!] = 1;
        if (v >= level[i]! - EPS) hiOk[i] = p.hiOk[targets[i]!] = 1;
      }
    };
    const solve = (cost: Float64Array, maximize: boolean): number | null => {
      stats.lps++;
      model.changeColsCost({ kind: 'range', from: 0, to: ncol - 1 }, cost);
      model.changeObjectiveSense(maximize ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize);
      model.run();
      if (model.getModelStatus() !== h.constants.modelStatus.optimal) return null;
      witness(model.getSolution().colValue);
      return model.getObjectiveValue();
    };
    // 1. all targets as small as possible together, 2. all as large as their level together
    // (skipped for targets that already have their witnesses)
    const cost = new Float64Array(ncol);
    let need = false;
    for (let i = 0; i < nt; i++) if (!loOk[i]) (cost[col.get(targets[i]!)!] = 1), (need = true);
    if (need) solve(cost, false);
    cost.fill(0);
    need = false;
    for (let i = 0; i < nt; i++) if (!hiOk[i]) (cost[nv + i] = 1), (need = true);
    if (need) solve(cost, true);
    // 3. cells without a witness: their own LP
    for (let i = 0; i < nt; i++) {
      if (!loOk[i]) {
        cost.fill(0);
        cost[col.get(targets[i]!)!] = 1;
        const v = solve(cost, false);
        lo[i] = v ?? NaN;
      }
      if (!hiOk[i]) {
        cost.fill(0);
        cost[nv + i] = 1;
        const v = solve(cost, true);
        hi[i] = v ?? NaN;
      }
    }
    const out: AuditFailure[] = [];
    for (let i = 0; i < nt; i++) {
      if (!loOk[i]) out.push({ cell: targets[i]!, dir: 'down', bound: lo[i]!, level: level[i]! });
      if (!hiOk[i]) out.push({ cell: targets[i]!, dir: 'up', bound: hi[i]!, level: level[i]! });
    }
    return out;
  } finally {
    model.dispose();
  }
}
