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
import type { Highs } from 'highs';
import { CsrBuilder, type HighsModel, releaseModel, SparseObjective, solveWhole, wholeSolution } from './lp.js';
import type { CellIndex, CompactSystem } from './system.js';

export { loadSolver } from './lp.js';

const EPS = 1e-6;

/**
 * How far up a protected cell must be able to reach: the threshold, or its upper bound (a
 * numerator's denominator), or the cap a bound relation puts in its place (`CompactSystem.levelCap`).
 */
export function protectionLevel(p: AuditProblem, c: number): number {
  return Math.min(p.threshold, p.ub[c]!, p.sys.levelCap?.[c] ?? Infinity);
}
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
  /**
   * false: report every cell the batched LPs leave without a witness as failing (bound NaN)
   * without proving it (the caller covers it by an LP and audits again with proofs).
   */
  prove?: boolean;
  /** Sizes of the steps (defaults: the constants of audit.ts and covers.ts); tests use smaller ones. */
  options?: AuditOptions;
}

/** Sizes of the audit's and the covers' steps; a test system of a few hundred cells needs smaller ones. */
export interface AuditOptions {
  /** Components above this many unknown cells are cut into pieces of `pieceSize` (default 8,000 / 2,000). */
  piece?: number;
  pieceSize?: number;
  /**
   * A component cut into pieces gets the batched LPs over the whole of it only up to this many cells
   * (250,000: HiGHS's WebAssembly heap). Above it, the checks its pieces leave open go to the covers
   * (first round) or, in a round with proofs, each to local and relaxed LPs of growing size (whose
   * last resort is still one LP over the whole component for that check). At or below it, a round
   * with proofs first tries each open check by the smallest local and relaxed LPs, and only what
   * they leave unsettled gets the batched LPs over the whole.
   */
  wholeMax?: number;
  /** Cover neighbourhood per failing cell, largest for a batch, largest for a single failure (400 / 12,800 / 2^18). */
  cover?: number;
  coverMax?: number;
  coverSingleMax?: number;
  /** Called after every cover LP: its failing cells, neighbourhood size and outcome (tests, debugging). */
  onCoverLp?: (cells: readonly number[], size: number, outcome: 'covers' | 'none' | 'impossible') => void;
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
  const c0 = process.cpuUsage();
  const out: AuditFailure[] = [];
  for (const comp of comps) {
    stats.components++;
    stats.maxVars = Math.max(stats.maxVars, comp.length);
    const tc = performance.now();
    out.push(...auditComponent(h, p, comp, stats));
    const e = (auditSizeProfile[auditSizeClass(comp.length, p.options?.piece ?? PIECE_DEFAULT)] ??= { n: 0, ms: 0 });
    e.n++;
    e.ms += performance.now() - tc;
  }
  stats.ms += performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const e = (auditProfile.cpu ??= { n: 0, ms: 0 });
  e.n++;
  e.ms += (cpu.user + cpu.system) / 1000;
  return out.sort((a, b) => a.cell - b.cell || (a.dir < b.dir ? -1 : 1));
}

/** A model over some unknown cells (the rest fixed at their true values) with a capped copy t ≤ x of each target. */
interface Built {
  model: HighsModel;
  /** Column of each variable cell (sorted ascending: `vars`), found by binary search. */
  vars: Int32Array;
  nv: number;
  ncol: number;
  targets: number[];
  /** Column of each target (its cell's variable), so that reading a solution needs no search. */
  targetCol: Int32Array;
  level: number[];
  integral: boolean;
  objective: SparseObjective;
}

/** Column of cell c in b (−1 if not a variable). */
function colOf(b: Built, c: number): number {
  let lo = 0;
  let hi = b.nv - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = b.vars[mid]!;
    if (v === c) return mid;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Scratch arrays of a problem, reused by every model built on it (no Map or Set per row). */
interface Scratch {
  /** Column of each cell in the model under construction, −1 if none. */
  col: Int32Array;
  /** Equation e was collected for the model with stamp `eqMark[e]`. */
  eqMark: Int32Array;
  stamp: number;
  /** Coefficient accumulator per column, and the columns touched in the current row. */
  acc: Float64Array;
  rowMark: Int32Array;
  rowStamp: number;
  touched: number[];
  csr: CsrBuilder;
}
const scratchOf = new WeakMap<AuditProblem, Scratch>();
function scratch(p: AuditProblem): Scratch {
  let s = scratchOf.get(p);
  if (!s) {
    s = {
      col: new Int32Array(p.sys.n).fill(-1),
      eqMark: new Int32Array(p.sys.eqStart.length - 1),
      stamp: 0,
      acc: new Float64Array(p.sys.n + 1),
      rowMark: new Int32Array(p.sys.n + 1),
      rowStamp: 0,
      touched: [],
      csr: new CsrBuilder(),
    };
    scratchOf.set(p, s);
  }
  return s;
}

const whole = (v: number) => Math.abs(v - Math.round(v)) < 1e-9;

/**
 * `vars` ascending. `relaxed`: keep only the equations whose unknown cells all lie in `vars`
 * (the others are dropped, not fixed at their true values): a relaxation of the whole component,
 * whose optimum bounds the attacker's from the cautious side (never a witness).
 *
 * Rows: the equations touching `vars` in ascending order, each with its variables in column
 * order (cells outside `vars` moved to the right-hand side at their true values), then one row
 * t_i − x_target ≤ 0 per target.
 */
function buildModel(
  h: Highs,
  p: AuditProblem,
  vars: readonly number[],
  targets: readonly number[],
  relaxed = false,
): Built {
  const { sys, idx, x } = p;
  const sc = scratch(p);
  const { col, eqMark, acc, rowMark, touched, csr } = sc;
  const stamp = ++sc.stamp;
  const nv = vars.length;
  const nt = targets.length;
  for (let i = 0; i < nv; i++) col[vars[i]!] = i;
  const level = targets.map((c) => protectionLevel(p, c));
  const eqList: number[] = [];
  for (let i = 0; i < nv; i++) {
    const c = vars[i]!;
    for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
      const e = idx.eqs[k]!;
      if (eqMark[e] === stamp) continue;
      eqMark[e] = stamp;
      if (relaxed) {
        let inside = true;
        for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]! && inside; j++) {
          const d = sys.eqCells[j]!;
          if (col[d]! < 0 && unknownCell(p, d)) inside = false;
        }
        if (!inside) continue;
      }
      eqList.push(e);
    }
  }
  const eqs = Int32Array.from(eqList).sort();
  csr.reset();
  let integral = true;
  for (let r = 0; r < eqs.length; r++) {
    const e = eqs[r]!;
    let rhs = 0;
    const rowStamp = ++sc.rowStamp;
    touched.length = 0;
    const j0 = sys.eqStart[e]!;
    for (let j = j0; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      const coef = j === j0 ? 1 : -1;
      const v = col[c]!;
      if (v < 0) rhs -= coef * x[c]!;
      else {
        if (rowMark[v] !== rowStamp) {
          rowMark[v] = rowStamp;
          touched.push(v);
        }
        acc[v]! += coef;
      }
    }
    if (!whole(rhs)) integral = false;
    if (touched.length > 1) touched.sort((a, b) => a - b);
    for (const v of touched) {
      const a = acc[v]!;
      acc[v] = 0;
      if (a !== 0) csr.push(v, a);
    }
    csr.endRow(rhs, rhs);
  }
  for (let i = 0; i < nv; i++) if (!whole(x[vars[i]!]!)) integral = false;
  for (let i = 0; i < nt; i++) {
    csr.push(col[targets[i]!]!, -1);
    csr.push(nv + i, 1);
    csr.endRow(-h.infinity, 0);
  }
  const ncol = nv + nt;
  const colLower = new Float64Array(ncol);
  const colUpper = new Float64Array(ncol);
  for (let i = 0; i < nv; i++) {
    const c = vars[i]!;
    colLower[i] = Number.isFinite(p.lb[c]!) ? p.lb[c]! : -h.infinity;
    colUpper[i] = Number.isFinite(p.ub[c]!) ? p.ub[c]! : h.infinity;
  }
  for (let i = 0; i < nt; i++) {
    colLower[nv + i] = 0;
    colUpper[nv + i] = level[i]!;
  }
  const targetCol = Int32Array.from(targets, (c) => col[c]!);
  for (let i = 0; i < nv; i++) col[vars[i]!] = -1;
  const model = csr.createModel(h, new Float64Array(ncol), colLower, colUpper);
  return {
    model,
    vars: Int32Array.from(vars),
    nv,
    ncol,
    targets: [...targets],
    targetCol,
    level,
    integral,
    objective: new SparseObjective(ncol),
  };
}

function release(h: Highs, b: Built): void {
  releaseModel(h, b.model);
}

/**
 * Optimises Σ coefficients over the given columns: as an LP; if the problem is whole and the
 * LP optimum is not, again with integrality (when small enough), unless `misses` says the LP
 * optimum already misses the target. Returns the solution and objective.
 */
function optimise(
  h: Highs,
  b: Built,
  cols: readonly number[],
  maximize: boolean,
  stats: AuditStats,
  misses?: (obj: number) => boolean,
  cold = false,
): { sol: Float64Array; obj: number } | null {
  const { model } = b;
  stats.lps++;
  // a maximum as the minimum of the negated sum: the sense stays, so does the basis
  const sign = maximize ? -1 : 1;
  b.objective.set(
    model,
    cols,
    cols.map(() => sign),
  );
  // from scratch: after an objective change HiGHS starts primal simplex from the last basis, which
  // on a whole large component took 2-3 times longer than a fresh solve (measured, see batchRounds)
  if (cold) {
    model.clearSolver();
    runWithoutFillIn(model);
  } else model.run();
  if (model.getModelStatus() !== h.constants.modelStatus.optimal) return null;
  let sol = model.getSolution().colValue;
  let obj = sign * model.getObjectiveValue();
  const fractional = b.integral && !wholeSolution(sol, b.nv);
  // an LP optimum that misses the target already proves that an integer one misses it too
  if (fractional && b.nv <= MIP_LIMIT && !misses?.(obj)) {
    stats.lps++;
    const mt = performance.now();
    // (without HiGHS's MIP presolve, which gave wrong answers on spm's problems: see solveWhole)
    const whole = solveWhole(h, model, b.nv);
    prof(`mip_${cols.length > 1 ? 'batch' : 'single'}`, mt);
    if (!whole) return null;
    sol = whole.sol;
    obj = sign * whole.obj;
  }
  return { sol, obj };
}

/**
 * A fresh solve of a model over a whole component whose presolve substitutes no variable that
 * would add a nonzero to the matrix (HiGHS's `presolve_substitution_maxfillin` 0 instead of 10),
 * restored afterwards for the pool's next model. HiGHS's substitutions filled in a component of
 * small counts so far that its simplex iterations became dozens of times dearer: a Kreis of 300
 * small Sozialräume (`node dist/bench/generate-nrw.js --kommunen 10 --sozialraeume 300
 * --seu-per-year 3000 --seed 4242`), 61,578 cells, 31,096 iterations in 39.8 s with the
 * default and 19,962 in 0.9 s without fill-in; its whole run 124 s -> 43 s (151 s before the
 * change to step 1b below, whose remaining rounds over the whole these are). Presolve off
 * altogether took 1.2 s there but made the NRW bench's pass 35 s slower, and no fill-in for every
 * LP (the batches of a piece, the covers) made that Kreis slower again (58 s) and changed the
 * sample's masks. Measured on 7 Dec 2026: the sample Kreis's outputs byte for byte the same; the
 * NRW bench's pass 130.4 s against 132.0 s, 224,170 secondary masks instead of 224,184 (another
 * optimal vertex witnesses other cells; the audit judges the masks as before).
 */
export function runWithoutFillIn(model: Built['model']): void {
  const before = model.options.get(FILL_IN_OPTION);
  model.options.set(FILL_IN_OPTION, 0);
  try {
    model.run();
  } finally {
    model.options.set(FILL_IN_OPTION, before);
  }
}
const FILL_IN_OPTION = 'presolve_substitution_maxfillin';

/** Unknown cells near u (breadth-first through equations), at most `max`, ascending. */
function neighbourhood(p: AuditProblem, u: number, max: number, sorted = true): number[] {
  const { sys, idx } = p;
  const sc = scratch(p);
  const stamp = ++sc.stamp;
  const out = [u];
  const seen = new Set<number>([u]);
  for (let q = 0; q < out.length && out.length < max; q++) {
    const w = out[q]!;
    for (let k = idx.start[w]!; k < idx.start[w + 1]! && out.length < max; k++) {
      const e = idx.eqs[k]!;
      if (sc.eqMark[e] === stamp) continue;
      sc.eqMark[e] = stamp;
      for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]! && out.length < max; j++) {
        const v = sys.eqCells[j]!;
        if (!seen.has(v) && unknownCell(p, v)) {
          seen.add(v);
          out.push(v);
        }
      }
    }
  }
  return sorted ? out.sort((a, b) => a - b) : out;
}

/** Size of the first local problem of a cell without a witness; each next one is GROW times larger. */
const LOCAL = 60;
const GROW = 4;
/**
 * Size of the pieces a component is cut into for the batched witness LPs (a component up to this
 * size is one piece). A piece is a neighbourhood, everything outside it at its true value, so its
 * solutions are solutions of the whole component; pieces keep every LP small, so the audit grows
 * about linearly with the component (at NRW size one component holds tens of thousands of cells).
 */
export const PIECE_DEFAULT = 8000;
const PIECE_SIZE_DEFAULT = 2000;
/**
 * The batched LPs over a whole component cut into pieces (step 1b of `auditComponent`) only up to
 * this many cells: HiGHS runs in WebAssembly with a heap of at most 2 GiB, which a worker's pooled
 * models share and which never shrinks. 4x NRW bench with the bound lifted (7 Dec 2026): rounds over
 * a component of 377,838 cells took 6.0 s, one over a component of 4,156,218 cells aborted HiGHS
 * ("RuntimeError: Aborted()") and with it the run; 250,000 keeps room for the rest of the heap. Above
 * the bound the open checks go on as after the whole component's rounds: to the cover LPs (first
 * round), or each to growing local LPs (later rounds).
 *
 * Until 7 Dec 2026 the bound was 60,000, chosen when these cold solves used HiGHS's presolve with
 * fill-in: 4x NRW, group g0018, one component of 180,264 cells, about 88 s for the rounds over the
 * whole. Without fill-in (runWithoutFillIn) they are cheap, and checks left to the covers cost more:
 * a Kreis of 900 small Sozialräume (`bench/generate-nrw.ts --kommunen 30 --sozialraeume 900
 * --seu-per-year 9000`, seed 4242) had one component of 76,262 cells whose pieces left 977 checks
 * open: 139 s of cover LPs in one worker; rounds over the whole leave 6 in 17-20 s (the run 213.6 s
 * -> 154.0 s and 143.6 s at this bound, 119.8 s with none; 77,806 -> 76,969 secondary masks; its
 * round with proofs on 184,338 cells had the rounds over the whole already, as every such round with
 * more than 64 checks left open did until then). NRW bench and 4x NRW: byte-identical outputs.
 */
const WHOLE_MAX_DEFAULT = 250_000;
/**
 * Rounds of the batched LPs over the cells still without a witness, per direction: a round follows
 * only if the last one found witnesses for at least 1/BATCH_YIELD of the cells it was over.
 */
const BATCH_ROUNDS = 8;
const BATCH_YIELD = 8;
/**
 * ... and over a whole component cut into pieces (step 1b) only if the last round found at least
 * this many: such an LP costs 0.6-0.9 s at NRW size whatever it finds, while the cover LPs take the
 * few checks left for a fraction of that (most of them witnessed without a cover). NRW bench, group
 * g0007 (one thread, same process, side by side): its last whole rounds found 53 / 14 / 9 / 5
 * witnesses; stopping below 32 took the group from 50.8 to 47.6 s CPU with 17 more secondary masks
 * (108,355 instead of 108,338; below 64: 48.5 s, 28 more). 4x NRW, group g0007 (with the direct
 * model passing of lp.ts, which alone changes no mask): 143.0 -> 129.7 s CPU, 424,051 -> 424,052
 * secondary masks. Components up to PIECE_DEFAULT cells (the sample Kreis, bench small) never get
 * these rounds.
 */
const WHOLE_MIN_FOUND = 32;

/** Objective column of one cell's check: min u (`down`) or max of its capped copy (`up`). */
function objectiveCol(b: Built, u: number, dir: 'down' | 'up'): number {
  return dir === 'down' ? colOf(b, u) : b.nv + b.targets.indexOf(u);
}

/** Debug counters (SPM_PRIVACY_DEBUG): LPs and ms by kind. */
export const auditProfile: Record<string, { n: number; ms: number }> = {};
function prof(kind: string, t0: number): void {
  const e = (auditProfile[kind] ??= { n: 0, ms: 0 });
  e.n++;
  e.ms += performance.now() - t0;
}

/** The size classes of {@link auditSizeProfile}, smallest first (upper bounds in unknown cells). */
export const AUDIT_SIZE_CLASSES = [
  { label: '1–20', max: 20 },
  { label: '21–100', max: 100 },
  { label: '101–400', max: 400 },
  { label: '401–2.000', max: 2000 },
] as const;

/**
 * The class of a component of `cells` unknown cells: above `piece` cells ("über 8.000") the
 * components cut into pieces, otherwise one of AUDIT_SIZE_CLASSES or the rest up to `piece` (audited whole).
 */
export function auditSizeClass(cells: number, piece: number = PIECE_DEFAULT): string {
  if (cells > piece) return `über ${piece.toLocaleString('de-DE')}`;
  for (const c of AUDIT_SIZE_CLASSES) if (cells <= c.max) return c.label;
  return `2.001–${piece.toLocaleString('de-DE')}`;
}

/** Audits of a component and their ms by the component's size class (bench/profile-pass.ts). */
export const auditSizeProfile: Record<string, { n: number; ms: number }> = {};

/** true if every value and every right-hand side of the component is whole (integrality applies). */
function wholeComponent(p: AuditProblem, comp: readonly number[]): boolean {
  const { sys, idx, x } = p;
  const inComp = new Set(comp);
  for (const c of comp) {
    if (!whole(x[c]!)) return false;
    for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
      const e = idx.eqs[k]!;
      let rhs = 0;
      for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
        const d = sys.eqCells[j]!;
        if (!inComp.has(d)) rhs += x[d]!;
      }
      if (!whole(rhs)) return false;
    }
  }
  return true;
}

/**
 * Audits one component. The verdict of a cell does not depend on how it is reached: a cell passes
 * iff the attacker's problem over the whole component has a solution with the cell at its target
 * (integer if the component is whole and at most MIP_LIMIT cells, else of the LP). Every witness
 * below is such a solution (local problems fix the cells outside at their true values), and every
 * failure is proven by the whole component or by a relaxation of it.
 */
function auditComponent(h: Highs, p: AuditProblem, comp: number[], stats: AuditStats): AuditFailure[] {
  const targets = comp.filter((c) => p.audited[c]);
  const open = (c: number) => p.audited[c] === 1 && !(p.loOk[c] && p.hiOk[c]);
  if (!targets.some(open)) return [];
  const piece = p.options?.piece ?? PIECE_DEFAULT;
  const pieceSize = p.options?.pieceSize ?? PIECE_SIZE_DEFAULT;
  const wholeMax = p.options?.wholeMax ?? WHOLE_MAX_DEFAULT;
  const mip = comp.length <= MIP_LIMIT && wholeComponent(p, comp);
  const levelOf = (c: number) => protectionLevel(p, c);
  /** Marks the witnesses a solution gives; returns how many are new. */
  const witness = (b: Built, sol: Float64Array): number => {
    let found = 0;
    for (let i = 0; i < b.targets.length; i++) {
      const c = b.targets[i]!;
      const v = sol[b.targetCol[i]!]!;
      if (v <= EPS && !p.loOk[c]) {
        p.loOk[c] = 1;
        found++;
      }
      if (v >= b.level[i]! - EPS && !p.hiOk[c]) {
        p.hiOk[c] = 1;
        found++;
      }
    }
    return found;
  };
  const ok = (u: number, dir: 'down' | 'up') => (dir === 'down' ? p.loOk[u] : p.hiOk[u]) === 1;
  /** The optimum of one cell's check misses its target: min > 0 (`down`), max < level (`up`). */
  const misses =
    (dir: 'down' | 'up', u: number) =>
    (obj: number): boolean =>
      dir === 'down' ? obj > EPS : obj < levelOf(u) - EPS;
  /** A model over `vars` (the rest at true values) whose targets are its open cells (or `only`). */
  const localModel = (vars: readonly number[], only?: number): Built => {
    const b = buildModel(h, p, vars, only === undefined ? vars.filter(open) : [only]);
    // integrality only where it decides the verdict (see above); a whole component up to
    // MIP_LIMIT cells is always one piece
    b.integral = b.integral && mip;
    return b;
  };
  /**
   * Batched witness LPs on model b: all its targets without a witness at 0 as small as possible
   * together, again over those still without one as long as a round finds witnesses for at least
   * 1/BATCH_YIELD of them; then the same for the targets without a witness at their level (all as
   * large as their level together).
   *
   * One direction after the other, not alternating: each next LP differs from the last only by the
   * targets witnessed in between, so HiGHS goes on from a basis near its optimum, where a change of
   * direction started it far away. NRW bench, all 21 groups of the pass solved in one thread:
   * 90.3 s instead of 101.0 s, with 255,215 secondary masks instead of 254,976 (+0.09 %: the
   * alternating rounds witnessed a few more cells, which then needed no cover). 4x NRW, four groups:
   * 299 s instead of 331 s, +0.02 % masks.
   */
  const batchRounds = (b: Built, cold: boolean) => {
    for (const dir of ['down', 'up'] as const) {
      for (let round = 0; round < BATCH_ROUNDS; round++) {
        const cols: number[] = [];
        b.targets.forEach((c, k) => {
          if (dir === 'down' ? !p.loOk[c] : !p.hiOk[c]) cols.push(dir === 'down' ? b.targetCol[k]! : b.nv + k);
        });
        if (cols.length === 0) break;
        const r = optimise(h, b, cols, dir === 'up', stats, undefined, cold);
        // the new witnesses in both directions (a solution at the minimum can put cells at their level too)
        const found = r ? witness(b, r.sol) : 0;
        if (found * BATCH_YIELD < cols.length || cols.length < 2 || (cold && found < WHOLE_MIN_FOUND)) break;
      }
    }
  };
  // 1. the component in pieces: per piece, all its open targets as small as possible together,
  // then all as large as their level together; again over those still without a witness, as
  // long as that finds new ones
  let t0 = performance.now();
  const inPiece = new Uint8Array(targets.length);
  for (let i = 0; i < targets.length; i++) {
    if (inPiece[i] || !open(targets[i]!)) continue;
    // a piece: the cells nearest to the first target not yet inside one; its inner half (in
    // breadth-first order) counts as done, the cells near its border come again in another piece
    const order = comp.length <= piece ? comp : neighbourhood(p, targets[i]!, pieceSize, false);
    const inner = comp.length <= piece ? order.length : order.length >> 1;
    for (let k = 0; k < inner; k++) {
      const t = binarySearch(targets, order[k]!);
      if (t >= 0) inPiece[t] = 1;
    }
    inPiece[i] = 1;
    const b = localModel(comp.length <= piece ? comp : [...order].sort((x, y) => x - y));
    try {
      batchRounds(b, false);
    } finally {
      release(h, b);
    }
  }
  prof('batch', t0);
  /**
   * Step 2 for one check from neighbourhoods of `from` cells on (up to `to`): a local problem (the
   * cells around it free, everything else at its true value: a solution there is a solution of the
   * whole), then a relaxation (its equations that reach further dropped: a relaxed optimum short of
   * the target is the attacker's bound or better, so the whole component cannot reach it either).
   * Returns the bound a relaxation proves (NaN: none; the check may be witnessed, see `ok`).
   */
  const growing = (u: number, dir: 'down' | 'up', from: number, to = Infinity): number => {
    const miss = misses(dir, u);
    let proven = Number.NaN;
    // sizes LOCAL and GROW·LOCAL, then (in a component cut into pieces) larger ones: the whole
    // component is the last resort there
    for (
      let size = from;
      size <= to &&
      size < comp.length &&
      Number.isNaN(proven) &&
      !ok(u, dir) &&
      (size <= GROW * LOCAL || comp.length > piece);
      size *= GROW
    ) {
      const near = neighbourhood(p, u, size);
      if (near.length >= comp.length) break;
      let t = performance.now();
      const local = localModel(near, u);
      try {
        const r = optimise(h, local, [objectiveCol(local, u, dir)], dir === 'up', stats, miss);
        if (r) witness(local, r.sol);
      } finally {
        release(h, local);
      }
      prof(`local_${size}`, t);
      if (ok(u, dir)) break;
      t = performance.now();
      const relaxed = buildModel(h, p, near, [u], true);
      relaxed.integral = mip;
      try {
        const r = optimise(h, relaxed, [objectiveCol(relaxed, u, dir)], dir === 'up', stats, miss);
        if (r && miss(r.obj)) proven = r.obj;
      } finally {
        release(h, relaxed);
      }
      prof(`relaxed_${size}`, t);
      stats.relaxed = (stats.relaxed ?? 0) + 1;
    }
    return proven;
  };
  // 1b. a component cut into pieces: the cells a piece holds at their true values block many
  // solutions near its border, so the targets still open get the same batched LPs over the whole
  // component (one model; each LP from scratch). NRW-size group g0007 (32,691 cells, 14,914
  // targets): the pieces left 6,291 checks open, four rounds over the whole component 542, in
  // 11 s CPU; before, all 6,291 went to the cover LPs (most of the group's 365 s).
  let left = comp.length > piece ? targets.filter(open) : [];
  const openAfterPieces = left.length;
  // In a round with proofs, each check the pieces left open first gets step 2 at its smallest size
  // (two LPs of LOCAL cells): what that witnesses or proves needs no LP over the whole component.
  // Sample Kreis: 4 counts held by another group's low points, each proven by its relaxation over 60
  // cells, had rounds over all 15,444 cells first, 2.1 s of the pass's 7.6 s. A Kreis of 300 small
  // Sozialräume (`bench/generate-nrw.ts --kommunen 10 --sozialraeume 300 --seu-per-year 3000`,
  // seed 4242): 182 counts that published bounds pin, in a component of 61,578 cells, all went to
  // rounds over the whole (99 s) while the step ran only for up to 64 open checks; now it
  // settles 92 of them in their first 60 cells, and the whole rounds over the other 90 took 80 s,
  // 2 s without fill-in (see runWithoutFillIn). The verdicts are the same: a local solution is one
  // of the whole component, a relaxation's bound holds for it (NRW bench: byte-identical outputs).
  const early = new Map<string, number>();
  if (comp.length > piece && p.prove !== false && left.length > 0) {
    for (const u of left)
      for (const dir of ['down', 'up'] as const)
        if (!ok(u, dir)) early.set(`${u}|${dir}`, growing(u, dir, LOCAL, LOCAL));
    // the rounds over the whole only for targets with a check neither witnessed nor proven
    const unsettled = (u: number, dir: 'down' | 'up') =>
      !ok(u, dir) && Number.isNaN(early.get(`${u}|${dir}`) ?? Number.NaN);
    left = left.filter((u) => unsettled(u, 'down') || unsettled(u, 'up'));
  }
  const overWhole = comp.length <= wholeMax;
  if (comp.length > piece && overWhole) {
    if (left.length > 0) {
      const tw = performance.now();
      const b = buildModel(h, p, comp, left);
      // judged as the component is (by its LP above MIP_LIMIT cells; smaller only with small test pieces)
      b.integral = b.integral && mip;
      try {
        batchRounds(b, true);
      } finally {
        release(h, b);
      }
      prof('batch_whole', tw);
    }
  }
  const tBatch = performance.now() - t0;
  const lps0 = stats.lps;
  if (process.env.SPM_PRIVACY_DEBUG && comp.length > piece)
    console.error(
      overWhole
        ? `audit component${p.prove === false ? '' : ' (proofs)'}: ${comp.length} cells, batch in pieces then whole ${Math.round(tBatch)} ms, targets open ${openAfterPieces} after the pieces${early.size > 0 ? `, ${left.length} unsettled after the smallest local LPs` : ''}, ${targets.filter(open).length} after the whole`
        : `audit component: ${comp.length} cells (above ${wholeMax}: no LPs over the whole), batch in pieces ${Math.round(tBatch)} ms, targets open ${openAfterPieces} after the pieces`,
    );
  if (p.prove === false) {
    // first round (see AuditProblem.prove): cells without a witness are reported as failing
    // unproven; the batched cover LPs witness them or add covers, a later round proves the rest
    const unproven: AuditFailure[] = [];
    for (const u of targets)
      for (const dir of ['down', 'up'] as const)
        if (!ok(u, dir)) unproven.push({ cell: u, dir, bound: Number.NaN, level: levelOf(u) });
    return unproven;
  }
  // 2. each cell still without a witness, in growing neighbourhoods (`growing`); last the whole
  // component
  const out: AuditFailure[] = [];
  let full: Built | null = null;
  try {
    for (const u of targets) {
      for (const dir of ['down', 'up'] as const) {
        if (ok(u, dir)) continue;
        const tried = early.get(`${u}|${dir}`);
        // tried at LOCAL before the rounds over the whole: proven there, or on from the next size
        const proven =
          tried === undefined ? growing(u, dir, LOCAL) : Number.isNaN(tried) ? growing(u, dir, GROW * LOCAL) : tried;
        if (ok(u, dir)) continue;
        if (!Number.isNaN(proven)) {
          stats.proven = (stats.proven ?? 0) + 1;
          out.push({ cell: u, dir, bound: proven, level: levelOf(u) });
          continue;
        }
        t0 = performance.now();
        if (!full) full = buildModel(h, p, comp, targets);
        const r = optimise(h, full, [objectiveCol(full, u, dir)], dir === 'up', stats, misses(dir, u));
        if (r) witness(full, r.sol);
        prof('check_full', t0);
        if (!ok(u, dir)) out.push({ cell: u, dir, bound: r ? r.obj : Number.NaN, level: levelOf(u) });
      }
    }
  } finally {
    if (full) release(h, full);
  }
  if (process.env.SPM_PRIVACY_DEBUG && comp.length > piece)
    console.error(
      `audit component: ${comp.length} cells, ${targets.length} targets, batch ${Math.round(tBatch)} ms, then ${stats.lps - lps0} LPs${full ? ' (whole component solved)' : ''}, ${out.length} failures`,
    );
  return out;
}

function binarySearch(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === v) return mid;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
