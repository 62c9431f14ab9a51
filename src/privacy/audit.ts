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
const loadHighs: Loader = ((highsModule as unknown as { default?: Loader }).default ??
  highsModule) as unknown as Loader;

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
  /** Relaxed LPs solved, and failures they proved (without solving the whole component). */
  relaxed?: number;
  proven?: number;
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

/** A model over some unknown cells (the rest fixed at their true values) with a capped copy t ≤ x of each target. */
interface Built {
  model: ReturnType<Highs['createModel']>;
  col: Map<number, number>;
  nv: number;
  ncol: number;
  targets: number[];
  level: number[];
  integral: boolean;
}

/**
 * `relaxed`: keep only the equations whose unknown cells all lie in `vars` (the others are
 * dropped, not fixed at their true values): a relaxation of the whole component, whose optimum
 * bounds the attacker's from the cautious side (never a witness).
 */
function buildModel(
  h: Highs,
  p: AuditProblem,
  vars: readonly number[],
  targets: readonly number[],
  relaxed = false,
): Built {
  const { sys, idx, x } = p;
  const col = new Map<number, number>();
  vars.forEach((c, i) => col.set(c, i));
  const nv = vars.length;
  const nt = targets.length;
  const level = targets.map((c) => Math.min(p.threshold, p.ub[c]!));
  const eqs = new Set<number>();
  for (const c of vars) for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) eqs.add(idx.eqs[k]!);
  const inside = (e: number) => {
    for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      if (!col.has(c) && unknownCell(p, c)) return false;
    }
    return true;
  };
  const eqList = [...eqs].filter((e) => !relaxed || inside(e)).sort((a, b) => a - b);
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  let integral = true;
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
  for (const c of vars) if (!whole(x[c]!)) integral = false;
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
  vars.forEach((c, i) => {
    colLower[i] = Number.isFinite(p.lb[c]!) ? p.lb[c]! : -h.infinity;
    colUpper[i] = Number.isFinite(p.ub[c]!) ? p.ub[c]! : h.infinity;
  });
  level.forEach((l, i) => {
    colLower[nv + i] = 0;
    colUpper[nv + i] = l;
  });
  const model = h.createModel({
    numCols: ncol,
    numRows: rowLower.length,
    colCost: new Float64Array(ncol),
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: {
      format: 'csr',
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
      numRows: rowLower.length,
      numCols: ncol,
    },
  });
  model.options.set({ output_flag: false, mip_rel_gap: 0 });
  return { model, col, nv, ncol, targets: [...targets], level, integral };
}

/**
 * Optimises `cost` over the model: as an LP; if the problem is whole and the LP optimum is
 * not, again with integrality (when small enough). Returns the solution and objective.
 */
function optimise(
  h: Highs,
  b: Built,
  cost: Float64Array,
  maximize: boolean,
  stats: AuditStats,
): { sol: Float64Array; obj: number } | null {
  const { model } = b;
  stats.lps++;
  model.changeColsCost({ kind: 'range', from: 0, to: b.ncol - 1 }, cost);
  model.changeObjectiveSense(maximize ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize);
  model.run();
  if (model.getModelStatus() !== h.constants.modelStatus.optimal) return null;
  let sol = model.getSolution().colValue;
  let obj = model.getObjectiveValue();
  let fractional = false;
  if (b.integral)
    for (let i = 0; i < b.nv && !fractional; i++) fractional = Math.abs(sol[i]! - Math.round(sol[i]!)) > 1e-7;
  if (fractional && b.nv <= MIP_LIMIT) {
    stats.lps++;
    model.changeColsIntegrality(
      { kind: 'range', from: 0, to: b.nv - 1 },
      new Int32Array(b.nv).fill(1) as unknown as readonly (0 | 1)[],
    );
    model.run();
    const ok = model.getModelStatus() === h.constants.modelStatus.optimal;
    if (ok) {
      sol = model.getSolution().colValue;
      obj = model.getObjectiveValue();
    }
    model.clearIntegrality();
    if (!ok) return null;
  }
  return { sol, obj };
}

/** Unknown cells near u (breadth-first through equations), at most `max`. */
function neighbourhood(p: AuditProblem, u: number, max: number): number[] {
  const { sys, idx } = p;
  const out = [u];
  const seen = new Set<number>([u]);
  const seenEq = new Set<number>();
  for (let q = 0; q < out.length && out.length < max; q++) {
    const w = out[q]!;
    for (let k = idx.start[w]!; k < idx.start[w + 1]! && out.length < max; k++) {
      const e = idx.eqs[k]!;
      if (seenEq.has(e)) continue;
      seenEq.add(e);
      for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]! && out.length < max; j++) {
        const v = sys.eqCells[j]!;
        if (!seen.has(v) && unknownCell(p, v)) {
          seen.add(v);
          out.push(v);
        }
      }
    }
  }
  return out.sort((a, b) => a - b);
}

/** Size of the local problem tried first for a cell without a witness (then the whole component). */
const LOCAL = 60;
/** Sizes of the relaxations that may prove a failure before the whole component is solved. */
const RELAXED = [LOCAL, 4 * LOCAL];

/** Cost vector of one cell's check: min u (`down`) or max of its capped copy (`up`). */
function objective(b: Built, u: number, dir: 'down' | 'up'): Float64Array {
  const c = new Float64Array(b.ncol);
  if (dir === 'down') c[b.col.get(u)!] = 1;
  else c[b.nv + b.targets.indexOf(u)] = 1;
  return c;
}

function auditComponent(h: Highs, p: AuditProblem, comp: number[], stats: AuditStats): AuditFailure[] {
  const targets = comp.filter((c) => p.audited[c]);
  if (targets.every((c) => p.loOk[c] && p.hiOk[c])) return [];
  const witness = (b: Built, sol: Float64Array) => {
    for (let i = 0; i < b.targets.length; i++) {
      const c = b.targets[i]!;
      const v = sol[b.col.get(c)!]!;
      if (v <= EPS) p.loOk[c] = 1;
      if (v >= b.level[i]! - EPS) p.hiOk[c] = 1;
    }
  };
  // 1. all targets as small as possible together, 2. all as large as their level together
  // (only targets without their witnesses)
  const full = buildModel(h, p, comp, targets);
  const out: AuditFailure[] = [];
  try {
    const cost = new Float64Array(full.ncol);
    let need = false;
    for (const c of targets) if (!p.loOk[c]) (cost[full.col.get(c)!] = 1), (need = true);
    const r1 = need ? optimise(h, full, cost, false, stats) : null;
    if (r1) witness(full, r1.sol);
    cost.fill(0);
    need = false;
    targets.forEach((c, i) => {
      if (!p.hiOk[c]) (cost[full.nv + i] = 1), (need = true);
    });
    const r2 = need ? optimise(h, full, cost, true, stats) : null;
    if (r2) witness(full, r2.sol);
    // 3. each cell still without a witness: a small local problem first (the cells around it
    // free, everything else at its true value: a solution there is a solution of the whole),
    // then the whole component
    for (let i = 0; i < targets.length; i++) {
      const u = targets[i]!;
      for (const dir of ['down', 'up'] as const) {
        if (dir === 'down' ? p.loOk[u] : p.hiOk[u]) continue;
        const check = (b: Built): number => {
          const r = optimise(h, b, objective(b, u, dir), dir === 'up', stats);
          if (!r) return NaN;
          witness(b, r.sol);
          return r.obj;
        };
        let proven = NaN;
        if (comp.length > LOCAL) {
          const near = neighbourhood(p, u, LOCAL);
          const local = buildModel(h, p, near, [u]);
          try {
            check(local);
          } finally {
            local.model.dispose();
          }
          if (dir === 'down' ? p.loOk[u] : p.hiOk[u]) continue;
          // no witness near u: try to prove the failure on a relaxation around it (its equations
          // that reach further dropped, integrality only where the whole component has it); a
          // relaxed optimum short of the target is the attacker's bound or better, so the whole
          // component's LP cannot reach it either
          for (const size of RELAXED) {
            const vars = size === LOCAL ? near : neighbourhood(p, u, size);
            if (vars.length >= comp.length) break;
            const relaxed = buildModel(h, p, vars, [u], true);
            relaxed.integral = full.integral && comp.length <= MIP_LIMIT;
            try {
              const r = optimise(h, relaxed, objective(relaxed, u, dir), dir === 'up', stats);
              if (r && (dir === 'down' ? r.obj > EPS : r.obj < relaxed.level[0]! - EPS)) proven = r.obj;
            } finally {
              relaxed.model.dispose();
            }
            stats.relaxed = (stats.relaxed ?? 0) + 1;
            if (!Number.isNaN(proven)) break;
          }
        }
        if (!Number.isNaN(proven)) {
          stats.proven = (stats.proven ?? 0) + 1;
          out.push({ cell: u, dir, bound: proven, level: full.level[i]! });
          continue;
        }
        const bound = check(full);
        if (!(dir === 'down' ? p.loOk[u] : p.hiOk[u])) out.push({ cell: u, dir, bound, level: full.level[i]! });
      }
    }
  } finally {
    full.model.dispose();
  }
  return out;
}
