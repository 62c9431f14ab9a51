/**
 * The low point of a measure group: one assignment of all its cells that the attacker cannot rule
 * out once the group's masks are final, with the masked and unpublished cells as low as the
 * group's equations and bounds allow (an LP: minimise their sum). Published cells keep their
 * values.
 *
 * Why: a proportion's "numerator <= denominator" links two groups. The pass protects the groups
 * one after the other, numerators first (see `lowPointOrder` in db.ts). A denominator group then
 * takes each numerator's low point as its lower bound (`den >= num_low`). Every witness its audit
 * finds (a denominator at 0, or at its level) extends to a point of the whole problem: the
 * numerator groups at their low points, which are feasible for them and lie below the witness.
 * A numerator group takes the denominators' true counts as upper bounds, so its witnesses extend
 * with the denominators at their true values. Each audit is therefore sound for the attacker who
 * combines the groups (the leak of the sample generated with seed 101, where a denominator could
 * reach 0 in its own audit only with numerators at 0 that their own group's published cells ruled
 * out, cannot happen), and the groups stay as small as the measures' own relations make them.
 */
import type { Highs } from 'highs';
import type { AuditFailure, AuditProblem } from './audit.js';
import { coversByLp } from './covers.js';
import { CsrBuilder, releaseModel } from './lp.js';
import { buildCellIndex, constantCells, type CompactSystem } from './system.js';

/** Weight in the low point's sum of a numerator cell whose denominator is below the threshold. */
const SMALL_DEN_WEIGHT = 1000;

/** Weight in the low point's sum of a cell of `zero` (see `lowPoint`). */
const ZERO_WEIGHT = 1_000_000;

/** Cells of a component whose fractional low point is solved again in whole numbers (a MIP). */
const LOW_POINT_MIP_COLS = 5_000;

/** Columns per LP: small components are solved together (one block-diagonal LP), large ones alone. */
const LOW_POINT_COLS = 20_000;

/** Low points computed and their time, ms (bench/profile-pass.ts; in the thread that computed them). */
export const lowPointProfile = { n: 0, ms: 0 };

/**
 * Per buffer cell (the first `x.length` cells of `sys`): its value at the group's low point.
 * `zero`: buffer cells that should be 0 there at once (numerators under a denominator the audit of
 * a pass before refused, see `SuppressionCounts.zeroTargets` in db.ts; `SPM_PRIVACY_ZERO_ROUNDS`):
 * first a cover LP puts them at 0 in one solution (else as many of them as one solution holds), and
 * its covers are masked in `reason` (as secondary masks; masking more only enlarges what the
 * attacker must consider, so the group's audit still holds); then the low point puts them at 0
 * first (weight 1,000,000) wherever that is feasible. `reason`
 * (per buffer cell, -1 = published) holds the final masks; cells after the buffer's (the rests of
 * relations) are never published. Where an LP finds no optimum (it cannot happen for a consistent
 * system: the true counts are feasible) its cells keep their true values, which are feasible too.
 */
export function lowPoint(...args: Parameters<typeof lowPointOf>): Float64Array {
  const t0 = performance.now();
  try {
    return lowPointOf(...args);
  } finally {
    lowPointProfile.n++;
    lowPointProfile.ms += performance.now() - t0;
  }
}

function lowPointOf(
  h: Highs | null,
  sys: CompactSystem,
  reason: Int8Array,
  x: ArrayLike<number>,
  threshold: number,
  zero?: Int32Array,
): Float64Array {
  const n0 = x.length;
  const low = Float64Array.from(x);
  if (h === null || sys.n === 0) return low;
  const { n, eqStart, eqCells, known } = sys;
  const atZero = zero && zero.length > 0 ? freeZeros(h, sys, reason, n0, threshold, zero) : undefined;
  const size = sys.size;
  const lb = sys.lb;
  const ub = sys.ub;
  // free cells: masked, unpublished or a relation's rest; not a count an earlier release published
  const free = new Uint8Array(n);
  for (let c = 0; c < n; c++) free[c] = (c >= n0 || known[c] === 0 || reason[c]! >= 0) && !sys.pinned?.[c] ? 1 : 0;
  // components of free cells joined by equations
  const parent = new Int32Array(n);
  for (let c = 0; c < n; c++) parent[c] = c;
  const find = (c: number): number => {
    let r = c;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[c] !== r) {
      const nx = parent[c]!;
      parent[c] = r;
      c = nx;
    }
    return r;
  };
  const m = eqStart.length - 1;
  for (let e = 0; e < m; e++) {
    let first = -1;
    for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
      const c = eqCells[j]!;
      if (!free[c]) continue;
      if (first < 0) first = find(c);
      else {
        const r = find(c);
        if (r !== first) parent[r] = first;
      }
    }
  }
  // cells per component; equations per component (by their first free cell)
  const compCells = new Map<number, number[]>();
  for (let c = 0; c < n; c++) {
    if (!free[c]) continue;
    const r = find(c);
    let l = compCells.get(r);
    if (!l) compCells.set(r, (l = []));
    l.push(c);
  }
  if (compCells.size === 0) return low;
  const compEqs = new Map<number, number[]>();
  for (let e = 0; e < m; e++) {
    for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
      const c = eqCells[j]!;
      if (!free[c]) continue;
      const r = find(c);
      let l = compEqs.get(r);
      if (!l) compEqs.set(r, (l = []));
      l.push(e);
      break;
    }
  }
  // batches of components (in order of their first cell: deterministic)
  const roots = [...compCells.keys()].sort((a, b) => compCells.get(a)![0]! - compCells.get(b)![0]!);
  const col = new Int32Array(n).fill(-1);
  const csr = new CsrBuilder(256, 1024);
  // the components whose LP solution is fractional (solved again in whole numbers below)
  const fractional: number[] = [];
  let mipFailed = 0;
  const solve = (batch: readonly number[], integer: boolean) => {
    if (batch.length === 0) return;
    const cells: number[] = [];
    for (const r of batch) for (const c of compCells.get(r)!) cells.push(c);
    for (let k = 0; k < cells.length; k++) col[cells[k]!] = k;
    const nc = cells.length;
    const colLower = new Float64Array(nc);
    const colUpper = new Float64Array(nc);
    const colCost = new Float64Array(nc);
    for (let k = 0; k < nc; k++) {
      const c = cells[k]!;
      const l = lb?.[c] ?? 0;
      const u = ub?.[c] ?? Infinity;
      colLower[k] = Number.isFinite(l) ? l : -h.infinity;
      colUpper[k] = Number.isFinite(u) ? u : h.infinity;
      // the published measures' cells as low as they go (a rest follows from them); first those
      // under a small denominator (upper bound below the threshold): a denominator the audit must
      // take to 0 needs every numerator over it at 0
      colCost[k] = c < n0 && Number.isFinite(l) ? (u < threshold ? SMALL_DEN_WEIGHT : 1) : 0;
    }
    csr.reset();
    for (const r of batch)
      for (const e of compEqs.get(r) ?? []) {
        let rhs = 0;
        const j0 = eqStart[e]!;
        // a cell twice in one equation: one entry with the summed coefficient
        const row = new Map<number, number>();
        for (let j = j0; j < eqStart[e + 1]!; j++) {
          const c = eqCells[j]!;
          const coef = j === j0 ? 1 : -1;
          if (free[c]) row.set(col[c]!, (row.get(col[c]!) ?? 0) + coef);
          else rhs -= coef * size[c]!;
        }
        for (const [k, v] of [...row].sort((a, b) => a[0] - b[0])) if (v !== 0) csr.push(k, v);
        csr.endRow(rhs, rhs);
      }
    // the cells that should be 0 at once (see `zero`): at 0 wherever the covers made that feasible
    if (atZero) for (let k = 0; k < nc; k++) if (atZero[cells[k]!] && colCost[k]! > 0) colCost[k] = ZERO_WEIGHT;
    const model = csr.createModel(h, colCost, colLower, colUpper);
    try {
      if (integer)
        model.changeColsIntegrality(
          { kind: 'range', from: 0, to: nc - 1 },
          new Int32Array(nc).fill(1) as unknown as readonly (0 | 1)[],
        );
      model.run();
      if (model.getModelStatus() === h.constants.modelStatus.optimal) {
        const sol = model.getSolution().colValue as Float64Array;
        // per component: the solution, whole where the solver is within its tolerance of a whole
        // number; where the counts are whole and the solution is not, left at the true counts (and
        // solved again in whole numbers, below)
        for (const r of batch) {
          const comp = compCells.get(r)!;
          const counts = comp.every((c) => Number.isInteger(size[c]!));
          const near = (v: number) => Math.abs(v - Math.round(v)) <= 1e-7;
          if (counts && !comp.every((c) => near(sol[col[c]!]!))) {
            if (integer) mipFailed++;
            else fractional.push(r);
            continue;
          }
          for (const c of comp) if (c < n0) low[c] = counts ? Math.round(sol[col[c]!]!) : sol[col[c]!]!;
        }
      } else if (integer) mipFailed += batch.length;
    } finally {
      if (integer) model.clearIntegrality();
      releaseModel(h, model);
      for (const c of cells) col[c] = -1;
    }
  };
  let batch: number[] = [];
  let cols = 0;
  for (const r of roots) {
    const k = compCells.get(r)!.length;
    if (cols > 0 && cols + k > LOW_POINT_COLS) {
      solve(batch, false);
      batch = [];
      cols = 0;
    }
    batch.push(r);
    cols += k;
  }
  solve(batch, false);
  // A fractional low point would make the witnesses it extends fractional, which an attacker
  // reasoning in whole numbers can rule out: such a component again in whole numbers (a MIP, up to
  // LOW_POINT_MIP_COLS cells), else its true counts (whole and feasible)
  for (const r of fractional)
    if (compCells.get(r)!.length <= LOW_POINT_MIP_COLS) solve([r], true);
    else mipFailed++;
  if (fractional.length > 0 && process.env.SPM_PRIVACY_DEBUG)
    console.error(
      `privacy: low point fractional in ${fractional.length} components, ${mipFailed} at their true counts`,
    );
  return low;
}

/**
 * Masks covers (in `reason`, as secondary) so that the cells of `zero` can be 0 at once, by the cover
 * LP of the audit (covers.ts) on the group with its final masks: all of them in one LP, or where that
 * has no solution as many as one solution holds (added one by one). Returns the cells to put at 0
 * first in the low point.
 */
function freeZeros(
  h: Highs,
  sys: CompactSystem,
  reason: Int8Array,
  n0: number,
  threshold: number,
  zero: Int32Array,
): Uint8Array | undefined {
  const { n } = sys;
  if (!sys.lb || !sys.ub) return undefined;
  const idx = buildCellIndex(sys);
  const masked = new Uint8Array(n);
  for (let c = 0; c < n0; c++) masked[c] = reason[c]! >= 0 ? 1 : 0;
  const problem: AuditProblem = {
    sys,
    idx,
    x: sys.size,
    masked,
    constant: constantCells(sys, idx),
    lb: sys.lb,
    ub: sys.ub,
    audited: new Uint8Array(n),
    threshold,
    loOk: new Uint8Array(n),
    hiOk: new Uint8Array(n),
  };
  const fails: AuditFailure[] = [...new Set(zero)]
    .filter((c) => c < n0 && sys.size[c]! > 0)
    .sort((a, b) => a - b)
    .map((cell) => ({ cell, dir: 'down', bound: Number.NaN, level: 0 }));
  if (fails.length === 0) return undefined;
  const mask = (covers: readonly number[]) => {
    for (const v of covers) {
      problem.masked[v] = 1;
      if (v < n0 && reason[v]! < 0) reason[v] = 1;
    }
  };
  const out = new Uint8Array(n);
  const r = coversByLp(h, problem, fails, sys.penalty);
  if (r) {
    mask(r.covers);
    for (const f of fails) out[f.cell] = 1;
    return out;
  }
  // no solution with all of them at 0: as many as one solution holds, taken one by one (each LP
  // with the ones taken before at 0 too, their covers masked)
  const taken: AuditFailure[] = [];
  for (const f of fails) {
    const c = coversByLp(h, problem, [...taken, f], sys.penalty);
    if (!c) continue;
    mask(c.covers);
    taken.push(f);
    out[f.cell] = 1;
  }
  return out;
}
