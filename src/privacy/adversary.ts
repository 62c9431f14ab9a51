/**
 * The adversary of the suppression: someone who knows every published number
 * and every equation `total = Σ parts` (hierarchy and pooled windows) and
 * solves the linear system for the cells that are not published.
 *
 * A cell is recoverable iff its value is the same in every solution of that
 * system, i.e. iff its unit vector lies in the row space of the constraint
 * matrix restricted to the unknown cells (published cells move to the
 * right-hand side). That is a property of the pattern of unknowns alone, not of
 * the values, so the computation below never looks at a count.
 *
 * 0. Constants (totals of nothing but constants, see `constantCells`) are known.
 * 1. Only connected components (unknown cells linked by equations) that contain
 *    a protected unknown are looked at.
 * 2. Peeling, exact and linear in the size of the component:
 *    - an equation with a single unknown determines it (then that unknown is
 *      treated as published in the other equations);
 *    - an unknown that occurs in a single remaining equation can take any value
 *      if it is not protected, or if a second unknown of that equation occurs
 *      nowhere else either: then that equation constrains nothing else and is
 *      dropped, and those cells are not determined.
 * 3. What is left goes
 *    to a sparse Gauss-Jordan elimination in floating point with Markowitz-style
 *    pivoting (shortest row first, within it the column in the fewest rows,
 *    among entries of at least a tenth of the row's largest). Entries below
 *    1e-9 in absolute value are treated as zero. The coefficients start as
 *    0/±1 and the hierarchical structure keeps the reduced entries small
 *    rationals, so the tolerance separates zero from non-zero by many orders of
 *    magnitude; the attack tests check the result against an independent exact
 *    (BigInt rational) elimination. A column is determined iff it is a pivot
 *    whose reduced row has no other entry.
 */
import { buildCellIndex, constantCells, equationCount, type CellIndex, type CompactSystem } from './system.js';

export const ELIMINATION_EPS = 1e-9;

/**
 * Protected cells (secret or masked) whose exact value the adversary knows:
 * published secret cells and unknown protected cells that are determined.
 * Sorted ascending.
 */
export function determinedProtected(
  sys: CompactSystem,
  masked: Uint8Array,
  index?: CellIndex,
  constants?: Uint8Array,
): number[] {
  return new Adversary(sys, masked, index, constants).run();
}

/**
 * The adversary with its work arrays kept between calls (the suppression asks
 * it many times: per block of equations and for the whole system). `masked` is
 * read live, so the caller may change it between runs.
 */
export class Adversary {
  private readonly idx: CellIndex;
  private readonly constant: Uint8Array;
  private readonly inComp: Uint8Array;
  private readonly eqSeen: Uint8Array;
  private readonly active: Uint8Array;
  private readonly ucnt: Int32Array;
  private readonly deg: Int32Array;
  private readonly det: Uint8Array;

  constructor(
    private readonly sys: CompactSystem,
    private readonly masked: Uint8Array,
    index?: CellIndex,
    constants?: Uint8Array,
  ) {
    this.idx = index ?? buildCellIndex(sys);
    this.constant = constants ?? constantCells(sys, this.idx);
    const m = equationCount(sys);
    this.inComp = new Uint8Array(sys.n);
    this.det = new Uint8Array(sys.n);
    this.deg = new Int32Array(sys.n);
    this.eqSeen = new Uint8Array(m);
    this.active = new Uint8Array(m);
    this.ucnt = new Int32Array(m);
  }

  /**
   * @param seeds cells to start from (default: every cell); only protected ones count
   * @param eqAllowed restrict the system to these equations (default: all). A
   *   restricted adversary knows less: what it finds, the full one finds too.
   */
  run(seeds?: Iterable<number>, eqAllowed?: (e: number) => boolean): number[] {
    const { idx, constant, inComp, eqSeen, active, ucnt, deg, det, masked } = this;
    const { n, known, secret, eqStart, eqCells } = this.sys;
    const unknown = (c: number) => constant[c] === 0 && (known[c] === 0 || masked[c] === 1);
    const prot = (c: number) => secret[c] === 1 || masked[c] === 1;
    const out: number[] = [];
    const compCells: number[] = [];
    const compEqs: number[] = [];

    // 1. components containing a protected unknown (BFS over unknown cells)
    const stack: number[] = [];
    const visit = (c: number) => {
      if (!prot(c)) return;
      if (!unknown(c)) {
        out.push(c); // a published secret: known trivially
        return;
      }
      if (inComp[c]) return;
      inComp[c] = 1;
      compCells.push(c);
      stack.push(c);
      while (stack.length) {
        const u = stack.pop()!;
        for (let k = idx.start[u]!; k < idx.start[u + 1]!; k++) {
          const e = idx.eqs[k]!;
          if (eqSeen[e] || (eqAllowed && !eqAllowed(e))) continue;
          eqSeen[e] = 1;
          compEqs.push(e);
          for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
            const v = eqCells[j]!;
            if (!inComp[v] && unknown(v)) {
              inComp[v] = 1;
              compCells.push(v);
              stack.push(v);
            }
          }
        }
      }
    };
    if (seeds) for (const c of seeds) visit(c);
    else for (let c = 0; c < n; c++) visit(c);

    // 2. peeling
    for (const e of compEqs) {
      active[e] = 1;
      ucnt[e] = 0;
      for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
        const v = eqCells[j]!;
        if (inComp[v]) {
          ucnt[e]!++;
          deg[v]!++;
        }
      }
    }
    const eqQ: number[] = [...compEqs];
    const cellQ: number[] = [];
    for (const c of compCells) if (deg[c]! <= 1) cellQ.push(c);
    const live = (v: number) => inComp[v] === 1 && det[v] === 0;
    const deactivate = (e: number) => {
      active[e] = 0;
      for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
        const v = eqCells[j]!;
        if (live(v)) {
          deg[v]!--;
          if (deg[v]! <= 1) cellQ.push(v);
        }
      }
    };
    const determine = (c: number) => {
      det[c] = 1;
      for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
        const e = idx.eqs[k]!;
        if (active[e]) {
          ucnt[e]!--;
          eqQ.push(e);
        }
      }
    };
    while (eqQ.length || cellQ.length) {
      if (eqQ.length) {
        const e = eqQ.pop()!;
        if (!active[e] || ucnt[e]! > 1) continue;
        if (ucnt[e] === 1) {
          for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
            const v = eqCells[j]!;
            if (live(v)) {
              determine(v);
              break;
            }
          }
        }
        deactivate(e);
        continue;
      }
      const c = cellQ.pop()!;
      if (!live(c) || deg[c] !== 1) continue;
      let e = -1;
      for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
        if (active[idx.eqs[k]!]) {
          e = idx.eqs[k]!;
          break;
        }
      }
      if (e < 0) continue;
      // Its only active equation can be dropped if c is not protected, or if a second
      // unknown occurs in no other equation: either absorbs it, so it constrains nothing
      // else, and those cells stay free (not determined).
      let free = !prot(c);
      if (!free) {
        for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
          const v = eqCells[j]!;
          if (v !== c && live(v) && deg[v] === 1) {
            free = true;
            break;
          }
        }
      }
      if (free) deactivate(e);
    }

    // 3. sparse Gauss-Jordan on the rest
    const rowCols: number[][] = [];
    const rowVals: number[][] = [];
    for (const e of compEqs) {
      if (!active[e]) continue;
      const cs: number[] = [];
      const vs: number[] = [];
      for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
        const v = eqCells[j]!;
        if (!live(v)) continue;
        const coef = j === eqStart[e] ? 1 : -1;
        const at = cs.indexOf(v);
        if (at >= 0) vs[at]! += coef;
        else {
          cs.push(v);
          vs.push(coef);
        }
      }
      const keep = cs.map((_, i) => i).filter((i) => vs[i] !== 0);
      rowCols.push(keep.map((i) => cs[i]!));
      rowVals.push(keep.map((i) => vs[i]!));
    }
    if (rowCols.length) for (const c of determinedColumnsSorted(rowCols, rowVals)) det[c] = 1;
    for (const c of compCells) if (det[c] && prot(c)) out.push(c);

    // reset the work arrays
    for (const c of compCells) {
      inComp[c] = 0;
      det[c] = 0;
      deg[c] = 0;
    }
    for (const e of compEqs) {
      eqSeen[e] = 0;
      active[e] = 0;
      ucnt[e] = 0;
    }
    return out.sort((a, b) => a - b);
  }
}

/** Min-heap of [key, id] pairs (keys compared first, then ids: deterministic). */
class Heap {
  private k: number[] = [];
  private v: number[] = [];
  get size(): number {
    return this.k.length;
  }
  push(key: number, id: number): void {
    const k = this.k;
    const v = this.v;
    let i = k.length;
    k.push(key);
    v.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! < key || (k[p] === key && v[p]! <= id)) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = id;
  }
  /** Pops the minimum; returns [key, id]. */
  pop(): [number, number] {
    const k = this.k;
    const v = this.v;
    const top: [number, number] = [k[0]!, v[0]!];
    const lk = k.pop()!;
    const lv = v.pop()!;
    const n = k.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (k[r]! < k[l]! || (k[r] === k[l] && v[r]! < v[l]!))) c = r;
        if (k[c]! > lk || (k[c] === lk && v[c]! >= lv)) break;
        k[i] = k[c]!;
        v[i] = v[c]!;
        i = c;
      }
      k[i] = lk;
      v[i] = lv;
    }
    return top;
  }
}

export { Heap };

/** determinedColumnsSorted's map from column id to local number + 1 (0: none), all 0 between calls. */
let localScratch = new Int32Array(1024);

/**
 * Sparse Gauss-Jordan elimination on rows given as column lists with their
 * coefficients (this is the hot loop of the suppression). Pivots: shortest row
 * first; in it, among entries of at least a tenth of the row's largest, the
 * column in the fewest rows. Entries below ELIMINATION_EPS become zero.
 * Columns are arbitrary non-negative ids. Returns the columns whose value the
 * rows fix (a pivot whose reduced row has no other entry), ascending.
 */
export function determinedColumnsSorted(rowCols: number[][], rowVals: number[][]): number[] {
  // local column numbers (id -> local + 1 in a scratch array kept between calls, reset below)
  let maxId = -1;
  for (const cs of rowCols) for (const c of cs) if (c > maxId) maxId = c;
  if (localScratch.length <= maxId) localScratch = new Int32Array(Math.max(maxId + 1, 2 * localScratch.length));
  const local = localScratch;
  const ids: number[] = [];
  const rc: number[][] = [];
  const rv: number[][] = [];
  for (let r = 0; r < rowCols.length; r++) {
    const cs = rowCols[r]!;
    const vals = rowVals[r]!;
    const n = cs.length;
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let l = local[cs[i]!]! - 1;
      if (l < 0) {
        l = ids.length;
        local[cs[i]!] = l + 1;
        ids.push(cs[i]!);
      }
      out[i] = l;
    }
    // keep sorted by local number (the numbers of a row are distinct)
    if (n <= 32) {
      const vs: number[] = vals.slice(0, n);
      for (let i = 1; i < n; i++) {
        const c = out[i]!;
        const v = vs[i]!;
        let j = i - 1;
        while (j >= 0 && out[j]! > c) {
          out[j + 1] = out[j]!;
          vs[j + 1] = vs[j]!;
          j--;
        }
        out[j + 1] = c;
        vs[j + 1] = v;
      }
      rc.push(out);
      rv.push(vs);
    } else {
      const order = out.map((_, i) => i).sort((a, b) => out[a]! - out[b]!);
      rc.push(order.map((i) => out[i]!));
      rv.push(order.map((i) => vals[i]!));
    }
  }
  for (const c of ids) local[c] = 0;
  const R = rc.length;
  const C = ids.length;
  const colList: number[][] = Array.from({ length: C }, () => []);
  for (let r = 0; r < R; r++) for (const c of rc[r]!) colList[c]!.push(r);
  const pivotOf = new Int32Array(R).fill(-1);
  const stamp = new Int32Array(R).fill(-1);
  const heap = new Heap();
  for (let r = 0; r < R; r++) heap.push(rc[r]!.length, r);
  const find = (cs: number[], c: number): number => {
    let lo = 0;
    let hi = cs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = cs[mid]!;
      if (v === c) return mid;
      if (v < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  let step = 0;
  while (heap.size) {
    const [len, r] = heap.pop();
    const cs = rc[r]!;
    if (pivotOf[r] !== -1 || cs.length !== len || len === 0) continue;
    const vs = rv[r]!;
    let maxAbs = 0;
    for (const a of vs) maxAbs = Math.max(maxAbs, Math.abs(a));
    let pi = -1;
    let pCount = Infinity;
    for (let i = 0; i < cs.length; i++) {
      if (Math.abs(vs[i]!) < 0.1 * maxAbs) continue;
      const cnt = colList[cs[i]!]!.length;
      if (cnt < pCount) {
        pi = i;
        pCount = cnt;
      }
    }
    const p = cs[pi]!;
    pivotOf[r] = p;
    const piv = vs[pi]!;
    for (let i = 0; i < vs.length; i++) vs[i] = vs[i]! / piv;
    vs[pi] = 1;
    step++;
    stamp[r] = step;
    for (const o of colList[p]!) {
      if (stamp[o] === step) continue;
      stamp[o] = step;
      const ocs = rc[o]!;
      const ovs = rv[o]!;
      const at = find(ocs, p);
      if (at < 0) continue;
      const f = ovs[at]!;
      // o := o − f·r, merged by column
      const ncs: number[] = [];
      const nvs: number[] = [];
      let i = 0;
      let j = 0;
      while (i < ocs.length || j < cs.length) {
        const a = i < ocs.length ? ocs[i]! : Infinity;
        const b = j < cs.length ? cs[j]! : Infinity;
        let c: number;
        let v: number;
        if (a === b) {
          c = a;
          v = c === p ? 0 : ovs[i]! - f * vs[j]!;
          i++;
          j++;
        } else if (a < b) {
          c = a;
          v = ovs[i]!;
          i++;
        } else {
          c = b;
          v = -f * vs[j]!;
          j++;
          if (Math.abs(v) >= ELIMINATION_EPS) colList[c]!.push(o);
        }
        if (Math.abs(v) >= ELIMINATION_EPS) {
          ncs.push(c);
          nvs.push(v);
        }
      }
      rc[o] = ncs;
      rv[o] = nvs;
      if (pivotOf[o] === -1) heap.push(ncs.length, o);
    }
    colList[p] = [r];
  }
  const out: number[] = [];
  for (let r = 0; r < R; r++) if (pivotOf[r] !== -1 && rc[r]!.length === 1) out.push(ids[pivotOf[r]!]!);
  return out.sort((a, b) => a - b);
}
