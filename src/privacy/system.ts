/**
 * The linear system an adversary sees, in a compact form: cells (with flags)
 * and equations `total = Σ parts` between them, as flat typed arrays so that a
 * measure with ~100,000 cells costs a few megabytes and no object per cell.
 *
 * Cell indices are positions 0..n-1. An equation is stored as a run of cell
 * indices in `eqCells` (CSR): the first is the total (coefficient +1), the rest
 * are its parts (coefficient −1), right-hand side 0. The values never matter
 * for *whether* a cell can be recovered by linear differencing, only the
 * pattern of known and unknown cells does, so the system holds no values.
 */

export interface CompactSystem {
  /** Number of cells. */
  n: number;
  /** 1 = the exact value is published (unless masked): known to the adversary. */
  known: Uint8Array;
  /** 1 = must never be exactly recoverable (primary: small count, or a secret unpublished cell). */
  secret: Uint8Array;
  /**
   * Count of each cell, for choosing complements: counts > 0 before zeros, then
   * the smallest, then the lower index (cells are in canonical order: level,
   * area, year, window).
   */
  size: Float64Array;
  /**
   * Optional extra cost of masking a cell, added to the lookahead score when
   * complements are chosen (e.g. 2 for the Kreis totals, the reference of every
   * comparison: they are masked only when nothing cheaper closes the gap).
   */
  penalty?: Int32Array;
  /**
   * Optional protection levels, enabling the room rule of the linear pass (see suppress.ts):
   * per secret cell the value its range must reach (min(threshold, upper bound)); 0 elsewhere.
   * With it, `lb`/`ub` (the bounds the attacker knows; default 0 and none) limit how far a
   * complement can move.
   */
  level?: Float64Array;
  lb?: Float64Array;
  ub?: Float64Array;
  /**
   * Optional: 1 = published in an earlier release with the same value (settings.suppression.
   * frueher_veroeffentlicht). The attacker holds that release, so the cell is a constant: it is
   * never a complement (masking it now would hide nothing) and counts as known.
   */
  pinned?: Uint8Array;
  /**
   * Optional (with `ub`): 1 = the upper bound is the true count of a denominator below the minimum
   * denominator (a row that publishes no counts), more than the attacker knows. A failure the
   * covers cannot fix is judged again without these bounds (`auditAndCover`).
   */
  ubTight?: Uint8Array;
  /**
   * Optional (with `ubTight`): the upper bound of a `ubTight` cell without the true count, from
   * what the attacker sees (the row's status "unter Mindestnenner": the denominator is at most
   * min_den - 1). Infinity (or absent) where there is none.
   */
  ubStatus?: Float64Array;
  /**
   * Optional: a cap on a protected cell's level, min(threshold, ub, cap), where its upper bound is
   * a relation instead of `ub` (a numerator at most its denominator, `MeasureRelation.bound`): the
   * denominator's count, as the fixed bound it replaces would give. Infinity (or absent) elsewhere.
   */
  levelCap?: Float64Array;
  /** CSR offsets into `eqCells`, length = number of equations + 1. */
  eqStart: Int32Array;
  /** Per equation: total first, then the parts. */
  eqCells: Int32Array;
  /**
   * Optional block of each equation (>= 0), e.g. the Kommune of its total, or -1.
   * Blocks only speed the search up (they are checked on their own before the
   * whole system); the result stays exact without them.
   */
  eqBlock?: Int32Array;
}

/** Cell -> equations containing it (as total or part), CSR. */
export interface CellIndex {
  start: Int32Array;
  eqs: Int32Array;
}

export function equationCount(sys: CompactSystem): number {
  return sys.eqStart.length - 1;
}

export function buildCellIndex(sys: CompactSystem): CellIndex {
  const m = equationCount(sys);
  const count = new Int32Array(sys.n + 1);
  for (let k = 0; k < sys.eqCells.length; k++) count[sys.eqCells[k]! + 1]!++;
  for (let i = 0; i < sys.n; i++) count[i + 1]! += count[i]!;
  const start = count.slice();
  const fill = count.slice(0, sys.n);
  const eqs = new Int32Array(sys.eqCells.length);
  for (let e = 0; e < m; e++) {
    for (let k = sys.eqStart[e]!; k < sys.eqStart[e + 1]!; k++) {
      const c = sys.eqCells[k]!;
      eqs[fill[c]!++] = e;
    }
  }
  return { start, eqs };
}

/**
 * Builder for equations: push a total with its parts. An equation without parts
 * says the total is the constant 0 (all its parts are constants, e.g. entirely
 * source-suppressed cells whose known part is 0 for everyone).
 */
export class EquationBuilder {
  private starts: number[] = [0];
  private cells: number[] = [];
  add(total: number, parts: readonly number[]): void {
    this.cells.push(total);
    for (let k = 0; k < parts.length; k++) this.cells.push(parts[k]!);
    this.starts.push(this.cells.length);
  }
  build(): { eqStart: Int32Array; eqCells: Int32Array } {
    return { eqStart: Int32Array.from(this.starts), eqCells: Int32Array.from(this.cells) };
  }
}

/** true if cell a is a better complement than cell b by count: > 0 before 0, smaller first, then lower index. */
export function smallerFirst(size: Float64Array, a: number, b: number): boolean {
  const sa = size[a]!;
  const sb = size[b]!;
  const za = sa > 0 ? 0 : 1;
  const zb = sb > 0 ? 0 : 1;
  if (za !== zb) return za < zb;
  if (sa !== sb) return sa < sb;
  return a < b;
}

/**
 * Cells whose value is a constant everybody knows: totals of equations without parts, and
 * (repeatedly) totals whose parts are all constants; with cells published in an earlier release
 * (`pinned`), see `constantsWithPinned`. They are never complements (masking them hides nothing)
 * and count as known to the adversary.
 */
export function constantCells(sys: CompactSystem, idx: CellIndex): Uint8Array {
  if (sys.pinned) return constantsWithPinned(sys, idx, sys.pinned);
  const { eqStart, eqCells } = sys;
  const m = equationCount(sys);
  const constant = new Uint8Array(sys.n);
  const open = new Int32Array(m); // parts not (yet) constant
  const queue: number[] = [];
  for (let e = 0; e < m; e++) {
    open[e] = eqStart[e + 1]! - eqStart[e]! - 1;
    if (open[e] === 0) queue.push(e);
  }
  while (queue.length) {
    const e = queue.pop()!;
    const t = eqCells[eqStart[e]!]!;
    if (constant[t]) continue;
    constant[t] = 1;
    for (let k = idx.start[t]!; k < idx.start[t + 1]!; k++) {
      const f = idx.eqs[k]!;
      if (eqCells[eqStart[f]!] === t) continue; // t is the total there
      if (--open[f]! === 0) queue.push(f);
    }
  }
  return constant;
}

/**
 * `constantCells` with cells published in an earlier release: those are constants, and so is every
 * cell an equation leaves as its only non-constant cell (a total of constant parts, or a part of a
 * constant total with all other parts constant): the attacker knows its value whatever this run
 * masks. Without this, the linear pass could choose such a cell as a complement (for example a
 * Sozialraum window the earlier release left without counts below the minimum denominator, while
 * its Kommune and every other Sozialraum were published) and then find it determined.
 */
function constantsWithPinned(sys: CompactSystem, idx: CellIndex, pinned: Uint8Array): Uint8Array {
  const { eqStart, eqCells } = sys;
  const m = equationCount(sys);
  const constant = new Uint8Array(sys.n);
  const open = new Int32Array(m); // cells (total and parts) not (yet) constant
  const queue: number[] = [];
  for (let e = 0; e < m; e++) {
    open[e] = eqStart[e + 1]! - eqStart[e]!;
    if (open[e] === 1) queue.push(e);
  }
  const settle = (c: number) => {
    if (constant[c]) return;
    constant[c] = 1;
    for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
      const f = idx.eqs[k]!;
      if (--open[f]! === 1) queue.push(f);
    }
  };
  for (let c = 0; c < sys.n; c++) if (pinned[c]) settle(c);
  while (queue.length) {
    const e = queue.pop()!;
    if (open[e] !== 1) continue;
    for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
      const c = eqCells[j]!;
      if (!constant[c]) {
        settle(c);
        break;
      }
    }
  }
  return constant;
}
