/**
 * Covers for cells the interval audit found too narrow: one more published
 * cell to mask near each failing cell, chosen to lose as little as possible and
 * deterministically.
 *
 * Search: the equations of the failing cell u first, then (breadth-first) the
 * equations reached through unknown cells. Among the published cells found at
 * the smallest depth, first difference wins:
 * 1. a cell on u's side of the equation (a sibling part, or a part when u is the
 *    total) before the total of an equation u is a part of: a masked sibling
 *    lets u move while the published total stays fixed, a masked total only
 *    moves the problem one level up;
 * 2. the cell's penalty (Kreis totals are masked last);
 * 3. a value that gives enough room: at least `level − max` for a cell that
 *    cannot reach the threshold, at least 1 for a cell that cannot be 0 (zeros
 *    never count: once counts are known to be >= 0 a masked 0 hides nothing);
 * 4. the smallest value (least information lost);
 * 5. the canonical cell order.
 */
import type { Highs } from 'highs';
import type { AuditFailure, AuditProblem } from './audit.js';
import { CsrBuilder, releaseModel } from './lp.js';

const LOCAL_EQ = 64;

export function chooseCovers(p: AuditProblem, fails: readonly AuditFailure[], penalty?: Int32Array): number[] {
  const { sys, idx, x } = p;
  const published = (c: number) => p.constant[c] === 0 && sys.known[c] === 1 && p.masked[c] === 0;
  const unknown = (c: number) => p.constant[c] === 0 && (sys.known[c] === 0 || p.masked[c] === 1);
  const touched = new Set<number>();
  const chosen = new Set<number>();
  const out: number[] = [];
  for (const f of fails) {
    const u = f.cell;
    let skip = false;
    for (let k = idx.start[u]!; k < idx.start[u + 1]! && !skip; k++) {
      const e = idx.eqs[k]!;
      if (touched.has(e) && sys.eqStart[e + 1]! - sys.eqStart[e]! <= LOCAL_EQ) skip = true;
    }
    if (skip) continue;
    const need = f.dir === 'up' ? Math.max(1, f.level - (Number.isFinite(f.bound) ? f.bound : 0)) : 1;
    const c = search(u, need);
    if (c < 0 || chosen.has(c)) continue;
    chosen.add(c);
    out.push(c);
    for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) touched.add(idx.eqs[k]!);
  }
  return out.sort((a, b) => a - b);

  function search(u: number, need: number): number {
    let frontier = [u];
    const seenCell = new Set<number>([u]);
    const seenEq = new Set<number>();
    let depth = 0;
    while (frontier.length) {
      let best = -1;
      let bestKey: number[] = [];
      const next: number[] = [];
      for (const w of frontier) {
        for (let k = idx.start[w]!; k < idx.start[w + 1]!; k++) {
          const e = idx.eqs[k]!;
          if (seenEq.has(e)) continue;
          seenEq.add(e);
          const t = sys.eqCells[sys.eqStart[e]!]!;
          for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
            const v = sys.eqCells[j]!;
            if (published(v)) {
              if (!(x[v]! > 1e-9)) continue;
              const side = depth === 0 && v === t && w !== t ? 1 : 0;
              const key = [side, penalty ? penalty[v]! : 0, x[v]! >= need - 1e-9 ? 0 : 1, x[v]!, v];
              if (best < 0 || less(key, bestKey)) {
                best = v;
                bestKey = key;
              }
            } else if (unknown(v) && !seenCell.has(v)) {
              seenCell.add(v);
              next.push(v);
            }
          }
        }
      }
      if (best >= 0) return best;
      frontier = next;
      depth++;
    }
    return -1;
  }
}

function less(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Cells around a failing cell that the cover LP may move (breadth-first through all equations). */
const NEIGHBOURHOOD = 200;
const NEIGHBOURHOOD_MAX = 12800;

/**
 * Covers that fix one failing cell for sure, chosen by an LP (the idea of
 * Fischetti and Salazar's model, used by τ-ARGUS and sdcTable's optimal methods):
 * in a neighbourhood of u, published cells may deviate from their values at a
 * cost per unit, masked and unpublished cells move freely, u is put at its target
 * (0, or its level), and everything else stays at its true value. The deviating
 * cells of the cheapest solution are the covers: after masking them that solution
 * is feasible for the attacker, so u's range reaches the target.
 *
 * Cost per unit of deviation: 1 for every cell (fewest covers), plus a little
 * for larger counts (smaller covers lose less), plus the cell's penalty (Kreis
 * totals last). An LP, no integrality: the audit that follows is the judge (a
 * fractional solution that an integer attacker could exclude fails it again).
 * Returns null when no neighbourhood up to the largest size allows it, [] when u
 * reaches its target without any deviation (a witness: no cover needed).
 */
export function coversByLp(h: Highs, p: AuditProblem, f: AuditFailure, penalty?: Int32Array): number[] | null {
  for (let size = NEIGHBOURHOOD; size <= NEIGHBOURHOOD_MAX; size *= 2) {
    const r = tryCover(h, p, f, size, penalty);
    if (r === 'all') return null;
    if (r) return r.covers;
  }
  return null;
}

function tryCover(
  h: Highs,
  p: AuditProblem,
  f: AuditFailure,
  size: number,
  penalty?: Int32Array,
): { covers: number[] } | null | 'all' {
  const { sys, idx, x } = p;
  const movable = (c: number) => p.constant[c] === 0;
  // neighbourhood
  const cells: number[] = [f.cell];
  const inN = new Map<number, number>([[f.cell, 0]]);
  const seenEq = new Set<number>();
  for (let q = 0; q < cells.length && cells.length < size; q++) {
    const w = cells[q]!;
    for (let k = idx.start[w]!; k < idx.start[w + 1]!; k++) {
      const e = idx.eqs[k]!;
      if (seenEq.has(e)) continue;
      seenEq.add(e);
      for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
        const v = sys.eqCells[j]!;
        if (!inN.has(v) && movable(v)) {
          inN.set(v, cells.length);
          cells.push(v);
        }
      }
    }
  }
  const whole = cells.length < size; // nothing more to reach: a larger size cannot help
  const pub = (c: number) => sys.known[c] === 1 && p.masked[c] === 0;
  // columns: y per cell, then (dp, dm) per published cell
  const nc = cells.length;
  const devOf = new Int32Array(nc).fill(-1);
  let nd = 0;
  for (let i = 0; i < nc; i++) if (pub(cells[i]!)) devOf[i] = nd++;
  const ncol = nc + 2 * nd;
  const colLower = new Float64Array(ncol);
  const colUpper = new Float64Array(ncol).fill(h.infinity);
  const colCost = new Float64Array(ncol);
  cells.forEach((c, i) => {
    colLower[i] = Number.isFinite(p.lb[c]!) ? p.lb[c]! : -h.infinity;
    colUpper[i] = Number.isFinite(p.ub[c]!) ? p.ub[c]! : h.infinity;
    const d = devOf[i]!;
    if (d >= 0) {
      const w = 1 + 0.01 * Math.log1p(Math.max(0, x[c]!)) + (penalty ? penalty[c]! : 0);
      colCost[nc + 2 * d] = w;
      colCost[nc + 2 * d + 1] = w;
    }
  });
  if (f.dir === 'down') colUpper[0] = Math.max(colLower[0]!, 0);
  else colLower[0] = f.level;
  const csr = new CsrBuilder(64, 256);
  const eqs = [...seenEq].sort((a, b) => a - b);
  // equations touching the neighbourhood also through cells not yet expanded
  for (let i = 0; i < nc; i++)
    for (let k = idx.start[cells[i]!]!; k < idx.start[cells[i]! + 1]!; k++)
      if (!seenEq.has(idx.eqs[k]!)) seenEq.add(idx.eqs[k]!), eqs.push(idx.eqs[k]!);
  eqs.sort((a, b) => a - b);
  for (const e of eqs) {
    let rhs = 0;
    const row = new Map<number, number>();
    for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      const coef = j === sys.eqStart[e] ? 1 : -1;
      const v = inN.get(c);
      if (v === undefined) rhs -= coef * x[c]!;
      else row.set(v, (row.get(v) ?? 0) + coef);
    }
    for (const [v, a] of [...row].sort((a, b) => a[0] - b[0])) if (a !== 0) csr.push(v, a);
    csr.endRow(rhs, rhs);
  }
  // published: y − dp + dm = x
  for (let i = 0; i < nc; i++) {
    const d = devOf[i]!;
    if (d < 0) continue;
    csr.push(i, 1);
    csr.push(nc + 2 * d, -1);
    csr.push(nc + 2 * d + 1, 1);
    csr.endRow(x[cells[i]!]!, x[cells[i]!]!);
  }
  // a pooled HiGHS instance (creating one and setting its options costs about as much as the LP)
  const model = csr.createModel(h, colCost, colLower, colUpper);
  try {
    model.run();
    if (model.getModelStatus() !== h.constants.modelStatus.optimal) return whole ? 'all' : null;
    const sol = model.getSolution().colValue;
    const covers: number[] = [];
    for (let i = 0; i < nc; i++) {
      const d = devOf[i]!;
      if (d >= 0 && sol[nc + 2 * d]! + sol[nc + 2 * d + 1]! > 1e-6) covers.push(cells[i]!);
    }
    // no deviation needed: the target is feasible already (the audit's bound came from a
    // narrower problem); an empty list says so
    return { covers: covers.sort((a, b) => a - b) };
  } finally {
    releaseModel(h, model);
  }
}
