/**
 * Covers for cells the interval audit found too narrow: published cells to mask,
 * chosen by an LP (the idea of Fischetti and Salazar's model, used by τ-ARGUS and
 * sdcTable's optimal methods): in a neighbourhood of the failing cells, published
 * cells may deviate from their values at a cost per unit, masked and unpublished
 * cells move freely, every failing cell is put at its target (0, or its level), and
 * everything else stays at its true value. The deviating cells of the cheapest
 * solution are the covers: after masking them that solution is feasible for the
 * attacker, so each failing cell reaches its target.
 *
 * Batches: the failures of one component in one direction are fixed by one LP (all
 * failing cells at their targets in one solution); only when that has no solution
 * (bounds can forbid all targets at once) is each failure given an LP of its own.
 *
 * Witnesses: the solution, with the covers masked, is an actual assignment of the whole
 * system (the cells outside the neighbourhood at their true values). It is checked
 * exactly (every equation it touches, every bound, every published cell at its value;
 * whole numbers where the data are whole, so an integer attacker cannot exclude it), and
 * every audited cell it puts at 0 or at its level gets that witness, as a solution found by
 * the audit would: the next audit round then need not prove those cells again. A solution
 * that fails the check (fractional, or off by more than the tolerance) witnesses nothing
 * and the audit judges as before.
 *
 * Columns: a cell that moves freely has one; a published cell has only its deviations dp, dm
 * (its value is x + dp − dm; no column of its own and no row tying them, so the LP is smaller).
 * Profile of the pass in one thread, sample at min_count 5: cover LPs 10.6-11.7 s -> 5.0-5.5 s
 * (pass 22.6-24.8 s -> 17.7-19.3 s; rows "gesperrt" 14,270 -> 14,284); NRW bench: 83.4 -> 79.7 s
 * (within the noise: its time there is in many small LPs).
 *
 * Cost per unit of deviation: 1 for every cell (fewest covers), plus a little for larger
 * counts (smaller covers lose less), plus the cell's penalty (Kreis totals last). An LP,
 * no integrality: the audit that follows is the judge.
 */
import type { Highs } from 'highs';
import { protectionLevel, type AuditFailure, type AuditProblem } from './audit.js';
import { CsrBuilder, releaseModel } from './lp.js';

/**
 * Cells around each failing cell that the cover LP may move (breadth-first through all equations).
 * A larger neighbourhood finds cheaper covers: on the dumps of all 21 groups of the NRW bench's
 * pass (one thread, two variants side by side), 200 / 300 / 400 / 800 cells gave 255,215 /
 * 254,819 / 254,419 / 253,712 secondary masks for 93.7 / 92.7 / 95.9 / 110.5 s CPU; four groups
 * of 4x NRW 611,468 -> 611,201 masks for 212.0 -> 224.4 s (400 against 200). 400 takes back more
 * than the masks that the audit's rounds per direction added (NRW 254,976 before them).
 */
const NEIGHBOURHOOD = 400;
const NEIGHBOURHOOD_MAX = 12800;
/**
 * A single failure no neighbourhood up to NEIGHBOURHOOD_MAX could fix (the cells held at their
 * true values around it block every solution) gets larger ones, up to its whole component:
 * otherwise it stays unresolved and nothing is published.
 */
const NEIGHBOURHOOD_SINGLE_MAX = 1 << 18;
/**
 * Equations with more cells than this (a Kreis over hundreds of Kommunen) are expanded last by the
 * breadth-first search of a neighbourhood, once the smaller ones it reaches are exhausted: taken in
 * early, their cells fill the neighbourhood with totals of far-away areas, and the local cells a
 * cover needs no longer fit. 4x NRW bench, group g0007 (its Kreis equations have 991 cells): the
 * large component's block took 19.5 s instead of 81.3 s with 993 covers instead of 1,154; blocks
 * of small components 6.1-6.9 s instead of 40.7-49.3 s, with 689-711 covers instead of
 * 1,043-1,133. At NRW size (397 cells) deferring them gave fewer covers in the large component's
 * block (648 instead of 927) but more in a block of small ones (1,417 instead of 1,061) and four
 * times its audit time, so batch LPs expand NRW-sized equations in order as before (single LPs
 * do not: LARGE_EQ_SINGLE).
 */
const LARGE_EQ = 512;
/**
 * The same for the LP of a single failure: equations of more than 256 cells (the NRW Kreis of 397
 * cells too). On the NRW dump of g0007 the single LPs alone deferring them gave fewer covers and
 * less time in every block: the large component 927 -> 686 covers, the four blocks of small ones
 * 1,061 / 915 / 1,040 / 763 -> 992 / 866 / 1,015 / 745 (the regression above came from the batch LPs).
 */
const LARGE_EQ_SINGLE = 256;
/** Tolerance of the witness check for values that are not whole (whole ones are compared exactly). */
const TOL = 1e-6;

/** Debug counters (SPM_PRIVACY_DEBUG): cover LPs and ms by kind, size and outcome. */
export const coverProfile: Record<string, { n: number; ms: number }> = {};

export interface CoverResult {
  /** Published cells to mask (ascending). */
  covers: number[];
  /** Audited cells the solution reaches the target of (checked): witnesses once `covers` are masked. */
  witnesses: { cell: number; dir: 'down' | 'up' }[];
  /** Size of the neighbourhood the solution was found in. */
  size: number;
}

/** Scratch arrays of a problem, reused by every cover LP on it. */
interface Scratch {
  /** Column of each cell in the LP under construction (valid where `mark[c] === stamp`). */
  col: Int32Array;
  mark: Int32Array;
  eqMark: Int32Array;
  stamp: number;
  acc: Float64Array;
  rowMark: Int32Array;
  rowStamp: number;
  /** The columns of the row under construction (sorted as a typed array: no comparator calls). */
  touched: Int32Array;
  csr: CsrBuilder;
  /** Every value of the system is whole (then a witness must be whole; see `witnesses`). */
  allWhole: boolean;
}
const scratchOf = new WeakMap<AuditProblem, Scratch>();
function scratch(p: AuditProblem): Scratch {
  let s = scratchOf.get(p);
  if (!s) {
    const n = p.sys.n;
    s = {
      col: new Int32Array(n),
      mark: new Int32Array(n),
      eqMark: new Int32Array(p.sys.eqStart.length - 1),
      stamp: 0,
      acc: new Float64Array(n),
      rowMark: new Int32Array(n),
      rowStamp: 0,
      touched: new Int32Array(n),
      csr: new CsrBuilder(256, 1024),
      allWhole: p.x.every((v) => Number.isInteger(v)),
    };
    scratchOf.set(p, s);
  }
  return s;
}

/**
 * Covers that put every failing cell of `fails` at its target in one solution (see above).
 * Returns null when no neighbourhood up to the largest size allows it; `covers` is empty when
 * the targets are feasible already without any deviation. `from`: the smallest neighbourhood to
 * try (see `singleFrom` in db.ts).
 */
export function coversByLp(
  h: Highs,
  p: AuditProblem,
  fails: readonly AuditFailure[],
  penalty?: Int32Array,
  from = 0,
): CoverResult | null {
  const o = p.options;
  const coverMax = o?.coverMax ?? NEIGHBOURHOOD_MAX;
  const start = Math.max(from, Math.min((o?.cover ?? NEIGHBOURHOOD) * fails.length, coverMax));
  const max = fails.length === 1 ? (o?.coverSingleMax ?? NEIGHBOURHOOD_SINGLE_MAX) : coverMax;
  let relaxedTried = false;
  for (let size = start; size <= max; size *= 2) {
    // a single failure beyond the batch sizes: first whether any masking could free it at all
    if (fails.length === 1 && size > coverMax && !relaxedTried) {
      relaxedTried = true;
      const t0 = performance.now();
      const none = noCoverFrees(h, p, fails[0]!, Math.min(size, coverMax));
      const e = (coverProfile[`single_relaxed_${none ? 'impossible' : 'open'}`] ??= { n: 0, ms: 0 });
      e.n++;
      e.ms += performance.now() - t0;
      if (none) {
        o?.onCoverLp?.([fails[0]!.cell], size, 'impossible');
        return null;
      }
    }
    const t0 = performance.now();
    const r = tryCover(h, p, fails, size, penalty);
    const outcome = r === 'all' ? 'impossible' : r ? 'covers' : 'none';
    o?.onCoverLp?.(
      fails.map((f) => f.cell),
      size,
      outcome,
    );
    const k = `${fails.length > 1 ? 'batch' : 'single'}_${size}_${outcome}`;
    const e = (coverProfile[k] ??= { n: 0, ms: 0 });
    e.n++;
    e.ms += performance.now() - t0;
    if (r === 'all') return null;
    if (r) return r;
  }
  return null;
}

/**
 * The neighbourhood of a cover LP: up to `size` cells reached breadth-first from the failing cells
 * through the equations (large ones last, see LARGE_EQ), in `col`/`mark` of the problem's scratch
 * under a new stamp, and every equation touching it (sorted). `whole`: nothing more was reachable.
 */
function neighbourhoodOf(
  p: AuditProblem,
  fails: readonly AuditFailure[],
  size: number,
): { cells: number[]; eqList: Int32Array; whole: boolean; stamp: number } {
  const { sys, idx } = p;
  const sc = scratch(p);
  const stamp = ++sc.stamp;
  const { col, mark, eqMark } = sc;
  // neighbourhood: breadth-first from all failing cells at once
  const cells: number[] = [];
  for (const f of fails) {
    if (mark[f.cell] === stamp) continue;
    mark[f.cell] = stamp;
    col[f.cell] = cells.length;
    cells.push(f.cell);
  }
  const eqs: number[] = [];
  const deferred: number[] = [];
  const largeEq = fails.length === 1 ? LARGE_EQ_SINGLE : LARGE_EQ;
  const expand = (e: number) => {
    eqMark[e] = stamp;
    eqs.push(e);
    for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
      const v = sys.eqCells[j]!;
      if (mark[v] !== stamp && p.constant[v] === 0) {
        mark[v] = stamp;
        col[v] = cells.length;
        cells.push(v);
      }
    }
  };
  let q = 0;
  let d = 0;
  while (cells.length < size) {
    if (q < cells.length) {
      const w = cells[q++]!;
      for (let k = idx.start[w]!; k < idx.start[w + 1]!; k++) {
        const e = idx.eqs[k]!;
        if (eqMark[e] === stamp) continue;
        if (sys.eqStart[e + 1]! - sys.eqStart[e]! > largeEq) {
          eqMark[e] = stamp;
          deferred.push(e);
        } else expand(e);
      }
    } else if (d < deferred.length) {
      expand(deferred[d++]!);
    } else break;
  }
  // deferred equations not expanded still touch the neighbourhood: added below
  for (let i = d; i < deferred.length; i++) eqMark[deferred[i]!] = 0;
  const whole = cells.length < size; // nothing more to reach: a larger size cannot help
  // equations touching the neighbourhood also through cells not yet expanded
  const nc = cells.length;
  for (let i = 0; i < nc; i++)
    for (let k = idx.start[cells[i]!]!; k < idx.start[cells[i]! + 1]!; k++) {
      const e = idx.eqs[k]!;
      if (eqMark[e] !== stamp) {
        eqMark[e] = stamp;
        eqs.push(e);
      }
    }
  return { cells, eqList: new Int32Array(eqs).sort(), whole, stamp };
}

/**
 * True when no masking at all lets the single failure `f` reach its target: in its neighbourhood of
 * `size` cells every cell moves freely within its bounds (as if the whole group were masked), the
 * equations that reach beyond the neighbourhood are dropped, and still no solution puts `f` at its
 * target. That relaxation allows more than any choice of covers does, so every cover LP of `f`, of
 * any size, has no solution either (`coversByLp` stops instead of growing the neighbourhood up to
 * NEIGHBOURHOOD_SINGLE_MAX: NRW bench, two such counts in a component of 1,068,606 cells cost 4.6 s
 * of cover LPs of 25,600 to 204,800 cells, none with a solution). False when it may (nothing proven).
 */
function noCoverFrees(h: Highs, p: AuditProblem, f: AuditFailure, size: number): boolean {
  return tryCover(h, p, [f], size, undefined, true) === 'all';
}

function tryCover(
  h: Highs,
  p: AuditProblem,
  fails: readonly AuditFailure[],
  size: number,
  penalty?: Int32Array,
  /**
   * The relaxation of `noCoverFrees`: every cell free within its bounds (no published ones, no
   * costs), only the equations inside the neighbourhood; 'all' when HiGHS proves it infeasible, else null.
   */
  relax = false,
): CoverResult | null | 'all' {
  const { sys, x } = p;
  const sc = scratch(p);
  const { col, mark } = sc;
  const { cells, eqList, whole, stamp } = neighbourhoodOf(p, fails, size);
  const nc = cells.length;
  const pub = (c: number) => !relax && sys.known[c] === 1 && p.masked[c] === 0;
  /** Every cell of equation e in the neighbourhood or a constant (at its true value). */
  const inside = (e: number) => {
    for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      if (mark[c] !== stamp && p.constant[c] !== 1) return false;
    }
    return true;
  };
  // columns: y per cell that moves freely; a published cell has no column of its own, only its
  // deviations (dp, dm): its value is x + dp − dm (no row ties them, so the LP is smaller)
  const colAt = new Int32Array(nc);
  const isPub = new Uint8Array(nc);
  let ncol = 0;
  for (let i = 0; i < nc; i++) {
    colAt[i] = ncol;
    if (pub(cells[i]!)) {
      isPub[i] = 1;
      ncol += 2;
    } else ncol += 1;
  }
  const colLower = new Float64Array(ncol);
  const colUpper = new Float64Array(ncol).fill(h.infinity);
  const colCost = new Float64Array(ncol);
  const lo = new Float64Array(nc);
  const hi = new Float64Array(nc);
  for (let i = 0; i < nc; i++) {
    lo[i] = p.lb[cells[i]!]!;
    hi[i] = p.ub[cells[i]!]!;
  }
  for (const f of fails) {
    const i = col[f.cell]!;
    if (f.dir === 'down') hi[i] = Math.max(lo[i]!, 0);
    else lo[i] = Math.max(lo[i]!, f.level);
  }
  const inf = (v: number) => (v === Infinity ? h.infinity : v === -Infinity ? -h.infinity : v);
  for (let i = 0; i < nc; i++) {
    const c = cells[i]!;
    const k = colAt[i]!;
    if (isPub[i]) {
      // x + dp − dm within [lo, hi]: dp up to hi − x, dm up to x − lo (never both at once: each costs)
      const w = 1 + 0.01 * Math.log1p(Math.max(0, x[c]!)) + (penalty ? penalty[c]! : 0);
      colCost[k] = w;
      colCost[k + 1] = w;
      colLower[k] = Math.max(0, lo[i]! - x[c]!);
      colUpper[k] = inf(Math.max(0, hi[i]! - x[c]!));
      colLower[k + 1] = Math.max(0, x[c]! - hi[i]!);
      colUpper[k + 1] = inf(Math.max(0, x[c]! - lo[i]!));
    } else {
      colLower[k] = inf(lo[i]!);
      colUpper[k] = inf(hi[i]!);
    }
  }
  const csr = sc.csr;
  csr.reset();
  const { acc, rowMark, touched } = sc;
  for (const e of eqList) {
    if (relax && !inside(e)) continue;
    let rhs = 0;
    const rs = ++sc.rowStamp;
    let nt = 0;
    const j0 = sys.eqStart[e]!;
    for (let j = j0; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      const coef = j === j0 ? 1 : -1;
      if (mark[c] !== stamp) rhs -= coef * x[c]!;
      else {
        const v = col[c]!;
        if (rowMark[v] !== rs) {
          rowMark[v] = rs;
          acc[v] = 0;
          touched[nt++] = v;
        }
        acc[v]! += coef;
      }
    }
    if (nt > 1) touched.subarray(0, nt).sort();
    for (let k = 0; k < nt; k++) {
      const v = touched[k]!;
      const a = acc[v]!;
      if (a === 0) continue;
      if (isPub[v]) {
        rhs -= a * x[cells[v]!]!;
        csr.push(colAt[v]!, a);
        csr.push(colAt[v]! + 1, -a);
      } else csr.push(colAt[v]!, a);
    }
    csr.endRow(rhs, rhs);
  }
  // a pooled HiGHS instance (creating one and setting its options costs about as much as the LP)
  const model = csr.createModel(h, colCost, colLower, colUpper);
  let raw: Float64Array;
  try {
    model.run();
    // proven infeasible only (a limit or an error proves nothing)
    if (relax) return model.getModelStatus() === h.constants.modelStatus.infeasible ? 'all' : null;
    if (model.getModelStatus() !== h.constants.modelStatus.optimal) return whole ? 'all' : null;
    raw = model.getSolution().colValue as Float64Array;
  } finally {
    releaseModel(h, model);
  }
  const covers: number[] = [];
  const isCover = new Uint8Array(nc);
  const sol = new Float64Array(nc);
  for (let i = 0; i < nc; i++) {
    const k = colAt[i]!;
    if (!isPub[i]) {
      sol[i] = raw[k]!;
      continue;
    }
    const dp = raw[k]!;
    const dm = raw[k + 1]!;
    sol[i] = x[cells[i]!]! + dp - dm;
    if (dp + dm > 1e-6) {
      covers.push(cells[i]!);
      isCover[i] = 1;
    }
  }
  return { covers: covers.sort((a, b) => a - b), witnesses: witnesses(p, cells, eqList, sol, isCover), size };
}

/**
 * The audited cells that the LP solution puts at 0 or at their level, if the solution (cells
 * outside the neighbourhood at their true values, covers masked) satisfies the attacker's whole
 * system: every equation it touches, every bound, every published cell at its published value,
 * and, where the data are whole, in whole numbers. Otherwise none.
 */
function witnesses(
  p: AuditProblem,
  cells: readonly number[],
  eqs: Int32Array,
  sol: Float64Array,
  isCover: Uint8Array,
): CoverResult['witnesses'] {
  const { sys, x } = p;
  const nc = cells.length;
  const sc = scratch(p);
  const stamp = sc.stamp; // the neighbourhood's marks and columns are still in place
  // whole numbers where the data are whole: the whole system (known once per problem), else every
  // cell of the neighbourhood and of its equations
  let integral = true;
  if (!sc.allWhole) {
    for (let i = 0; i < nc && integral; i++) integral = Number.isInteger(x[cells[i]!]!);
    for (const e of eqs)
      for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]! && integral; j++)
        integral = Number.isInteger(x[sys.eqCells[j]!]!);
  }
  const z = new Float64Array(nc);
  for (let i = 0; i < nc; i++) {
    const v = sol[i]!;
    if (integral) {
      const r = Math.round(v);
      if (Math.abs(v - r) > 1e-7) return [];
      z[i] = r;
    } else z[i] = v;
  }
  const tol = integral ? 0 : TOL;
  const val = (c: number) => (sc.mark[c] === stamp ? z[sc.col[c]!]! : x[c]!);
  for (let i = 0; i < nc; i++) {
    const c = cells[i]!;
    if (z[i]! < p.lb[c]! - tol || z[i]! > p.ub[c]! + tol) return [];
    if (sys.known[c] === 1 && p.masked[c] === 0 && !isCover[i] && Math.abs(z[i]! - x[c]!) > tol) return [];
  }
  for (const e of eqs) {
    const j0 = sys.eqStart[e]!;
    let s = val(sys.eqCells[j0]!);
    for (let j = j0 + 1; j < sys.eqStart[e + 1]!; j++) s -= val(sys.eqCells[j]!);
    if (Math.abs(s) > (integral ? 0 : TOL * (sys.eqStart[e + 1]! - j0))) return [];
  }
  const out: CoverResult['witnesses'] = [];
  for (let i = 0; i < nc; i++) {
    const c = cells[i]!;
    if (!p.audited[c]) continue;
    if (z[i]! <= tol) out.push({ cell: c, dir: 'down' });
    if (z[i]! >= protectionLevel(p, c) - tol) out.push({ cell: c, dir: 'up' });
  }
  return out;
}
