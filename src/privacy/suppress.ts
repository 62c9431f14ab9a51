/**
 * Secondary (complementary) cell suppression on one measure's linear system.
 *
 * See README.md in this folder for the rule in words. In short:
 *
 * 1. Every published secret cell is masked (primary).
 * 2. Local pass: any equation with exactly one unknown cell that is secret or
 *    masked gives that cell away by subtraction; mask one more cell of that
 *    equation (worklist, in equation order, until no such equation is left).
 * 3. Block checks (when the system names blocks of equations, e.g. one per
 *    Kommune and one for the Kreis): the exact adversary on each changed block's
 *    equations alone, from the block's new masks only; a cell it determines is
 *    determined in the whole system too. Fix as in 4; back to 2.
 * 4. Global check: the exact adversary (`Adversary`) on the whole system (after
 *    the first time: on the components that got new masks). For each secret
 *    cell it can still determine (in cell order), mask a complement in an
 *    equation containing it (if none is left there, the nearest one through
 *    unknown cells). These cells are few (what the blocks cannot see: paths
 *    through the Kreis totals), so each gets a complement in every one of its
 *    equations, which saves rounds of this (expensive) check. Back to 2.
 * 5. Stop when the global adversary determines no secret cell. A complement may be
 *    left determined (3 and 4 fix secret cells only, see `toFix`).
 * 6. Publish every complement that the published cells determine: it hides
 *    nothing, and publishing it tells the attacker nothing new. Afterwards no
 *    masked cell is determined.
 *
 * Room rule (when the system carries protection levels, i.e. when the interval
 * audit follows): not being determined is not enough, the attacker's range of a
 * secret cell u must reach 0 and its level (min(threshold, upper bound)). So u
 * has demands: move down by x_u and up by level − x_u. In an equation with a
 * published total, u moving up needs another part moving down (room: its value
 * above its lower bound; a zero has none) or the total moving up (room: up to
 * its upper bound, e.g. a numerator's denominator); moving down, the other way
 * round. Room pass (2b, after each local pass): for every cell with demands and
 * each of its equations, the other unknown cells must together give that room;
 * where they do not, mask the published cell of the equation that gives it
 * (one that gives all of the missing room first, then lookahead score, then
 * smallest count, then canonical order), repeated up to 4 times per equation.
 * The demands then flow on to the unknown cells that carry them (largest room
 * first, each at most its room), whose own equations are checked in turn, one
 * step from the secret cell (`MAX_HOPS`; demands only grow and are bounded by
 * the levels, so this ends). The audit
 * stays the judge; the rule only makes its failures (and so the LP covers) rare.
 *
 * Choice of a complement within an equation (`bestInEq`), first difference wins:
 * a. lookahead score: +1 for every other equation of the candidate that is now
 *    fully published (masking it would open a new gap there), −1 for every one
 *    that has a single unknown now (masking it closes that gap too), plus the
 *    candidate's penalty (Kreis totals: 2);
 * b. (room rule) a candidate that gives the protected cell all its room;
 * c. a count > 0 before a zero;
 * d. the smallest count;
 * e. the canonical order: level (Sozialraum, Kommune, Kreis), area id, year, window.
 * The chosen complement inherits the protected cell's demands (at most its room).
 * Without (a), "smallest first" picks single years over pooled windows and one
 * secret cell cascades through every window and Kommune (measured: 400 primary
 * cells of a population measure led to 62,000 complements; with (a), 3,600).
 *
 * The result depends only on the system (cells in canonical order, equations
 * in order of their totals), not on the order rows were read in.
 */
import { Adversary } from './adversary.js';
import {
  buildCellIndex,
  constantCells,
  equationCount,
  smallerFirst,
  type CellIndex,
  type CompactSystem,
} from './system.js';
import { Heap } from './adversary.js';

/**
 * A new mask in an equation of at most this many cells counts as "maybe fixes
 * u" within a round; a new mask in a larger one (a Kreis total over hundreds of
 * Kommunen) does not hold back other cells of that equation.
 */
const LOCAL_EQ = 64;
/**
 * Room rule: demands flow on this many steps from a secret cell (to the cells that carry
 * its room, whose equations are checked in turn). Measured on the sample / bench small
 * project: 0 steps left 355 / 2,065 audit covers, 1 step 167 / 1,462 with 0.4 % / 2.0 %
 * more secondary masks than without the rule; unlimited 139 / 1,434 but 6 % / 3.1 % more.
 */
const MAX_HOPS = 1;

export interface SuppressStats {
  primary: number;
  secondary: number;
  rounds: number;
  /** Protected cells that could not be protected (only when every cell around them is already unknown; should be 0). */
  unresolved: number;
}

/**
 * Runs the suppression; returns masked[c] = 1 for every masked cell (primary and complementary).
 * `initial`: cells masked as complements before the pass starts (a later protection pass starts
 * from the complements of the pass before, see `SuppressionOptions.warm`); only known cells that
 * are neither secret nor constant (a pinned cell is one) are taken. The pass adds what they leave
 * open; the interval audit judges the result as any other.
 */
export function suppressCompact(sys: CompactSystem, stats?: SuppressStats, initial?: ArrayLike<number>): Uint8Array {
  const { n, known, secret, size, eqStart, eqCells } = sys;
  const m = equationCount(sys);
  const idx: CellIndex = buildCellIndex(sys);
  const constant = constantCells(sys, idx);
  const masked = new Uint8Array(n);
  let primary = 0;
  for (let c = 0; c < n; c++) {
    if (known[c] && secret[c]) {
      masked[c] = 1;
      primary++;
    }
  }
  let secondary = 0;
  if (initial)
    for (let k = 0; k < initial.length; k++) {
      const c = initial[k]!;
      if (c >= 0 && c < n && known[c] && !masked[c] && !constant[c]) {
        masked[c] = 1;
        secondary++;
      }
    }
  const unk = new Int32Array(m); // unknown cells per equation
  for (let e = 0; e < m; e++) {
    for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
      const v = eqCells[j]!;
      if (!constant[v] && (!known[v] || masked[v])) unk[e]!++;
    }
  }
  const queued = new Uint8Array(m);
  const heap = new Heap();
  const enqueue = (e: number) => {
    if (!queued[e]) {
      queued[e] = 1;
      heap.push(e, e);
    }
  };
  const touched = new Uint8Array(m);
  // blocks of equations (e.g. one per Kommune, one for the Kreis) checked on their own first
  const eqBlock = sys.eqBlock;
  const blockEqs = new Map<number, number[]>();
  if (eqBlock) {
    for (let e = 0; e < m; e++) {
      const b = eqBlock[e]!;
      if (b < 0) continue;
      const l = blockEqs.get(b);
      if (l) l.push(e);
      else blockEqs.set(b, [e]);
    }
  }
  // Only components that got a new mask can have changed since the last check: a block
  // (or the whole system) is re-checked from its new masks only (null = from everything).
  const dirty = new Map<number, number[] | null>([...blockEqs.keys()].map((b) => [b, null]));
  let globalSeeds: number[] | null = null;
  const mask = (c: number) => {
    masked[c] = 1;
    secondary++;
    globalSeeds?.push(c);
    for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
      const e = idx.eqs[k]!;
      unk[e]!++;
      touched[e] = 1;
      enqueue(e);
      const b = eqBlock ? eqBlock[e]! : -1;
      if (b >= 0) {
        const seeds = dirty.get(b);
        if (seeds === undefined) dirty.set(b, [c]);
        else seeds?.push(c);
      }
    }
  };
  const adversary = new Adversary(sys, masked, idx, constant);
  const published = (c: number) => constant[c] === 1 || (known[c] === 1 && masked[c] === 0);
  const candidate = (c: number) => constant[c] === 0 && known[c] === 1 && masked[c] === 0;
  /**
   * Lookahead of masking c (for the equation `from`): +1 for each other equation of c
   * that is now fully published (it would get a single unknown, c, and need a
   * complement of its own), −1 for each that has a single unknown now (c closes it).
   */
  const penalty = sys.penalty;
  const score = (c: number, from: number): number => {
    let s = penalty ? penalty[c]! : 0;
    for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
      const f = idx.eqs[k]!;
      if (f === from) continue;
      if (unk[f] === 0) s++;
      else if (unk[f] === 1) s--;
    }
    return s;
  };
  // Room rule (with protection levels): how far a protected cell must be able to move down
  // (dn) and up (upD), and how far a cell can move (its value above its lower bound, and
  // below its upper bound).
  const roomRule = sys.level !== undefined;
  const lbA = sys.lb;
  const ubA = sys.ub;
  const roomDown = (c: number): number => {
    const l = lbA ? lbA[c]! : 0;
    return l === -Infinity ? Infinity : Math.max(0, size[c]! - l);
  };
  const roomUp = (c: number): number => (ubA ? Math.max(0, ubA[c]! - size[c]!) : Infinity);
  const dn = new Float64Array(n);
  const upD = new Float64Array(n);
  // the room pass's room of each cell it passes demands on (an array, not a Map, for its sorts)
  const roomOf = new Float64Array(n);
  const roomQ: number[] = [];
  let roomHead = 0;
  const inRoomQ = new Uint8Array(n);
  // hops from the nearest secret cell along which a demand came (secret cells: 0)
  const hops = new Int32Array(n).fill(1 << 30);
  const pushRoom = (c: number) => {
    if (!inRoomQ[c]) {
      inRoomQ[c] = 1;
      roomQ.push(c);
    }
  };
  if (roomRule) {
    for (let c = 0; c < n; c++) {
      if (!secret[c] || constant[c]) continue;
      hops[c] = 0;
      dn[c] = Math.min(size[c]!, roomDown(c));
      upD[c] = Math.max(0, sys.level![c]! - size[c]!);
      pushRoom(c);
    }
  }
  const isTotal = (c: number, e: number) => eqCells[eqStart[e]!] === c;
  /** Cells v and u of equation e move in opposite directions (both parts) when the total stays. */
  const opposite = (u: number, v: number, e: number) => !isTotal(u, e) && !isTotal(v, e);
  /** Room v gives u in equation e for u going up (`givesUp`) and down (`givesDn`); no pair allocated (hot). */
  const givesUp = (u: number, v: number, e: number): number => (opposite(u, v, e) ? roomDown(v) : roomUp(v));
  const givesDn = (u: number, v: number, e: number): number => (opposite(u, v, e) ? roomUp(v) : roomDown(v));
  /** v can carry the demands (defUp, defDn) of u in e. */
  const carries = (u: number, v: number, e: number, defUp: number, defDn: number) =>
    givesUp(u, v, e) >= defUp - 1e-9 && givesDn(u, v, e) >= defDn - 1e-9;

  let bestScore = 0;
  let bestRoom = 0;
  /**
   * Best complement in equation e, compared with `best` (score from `bestScore`): lowest
   * score, then (room rule, for the protected cell u) one that gives u its room, then
   * smallest count.
   */
  const bestInEq = (e: number, best: number, u = -1): number => {
    const withRoom = roomRule && u >= 0 && (dn[u]! > 0 || upD[u]! > 0);
    for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
      const v = eqCells[j]!;
      if (!candidate(v)) continue;
      const sc = score(v, e);
      const rm = withRoom && !carries(u, v, e, upD[u]!, dn[u]!) ? 1 : 0;
      if (
        best < 0 ||
        sc < bestScore ||
        (sc === bestScore && (rm < bestRoom || (rm === bestRoom && smallerFirst(size, v, best))))
      ) {
        best = v;
        bestScore = sc;
        bestRoom = rm;
      }
    }
    return best;
  };
  /** Demands of u passed on to v through e (at most what v can move); queues v if they grew. */
  const give = (u: number, v: number, e: number, amountUp: number, amountDn: number) => {
    const opp = opposite(u, v, e);
    // u up: v down if opposite, else up
    const vd = Math.min(opp ? amountUp : amountDn, roomDown(v));
    const vu = Math.min(opp ? amountDn : amountUp, roomUp(v));
    let grew = false;
    if (vd > dn[v]! + 1e-9) {
      dn[v] = vd;
      grew = true;
    }
    if (vu > upD[v]! + 1e-9) {
      upD[v] = vu;
      grew = true;
    }
    if (hops[u]! + 1 < hops[v]!) hops[v] = hops[u]! + 1;
    if (grew && hops[v]! <= MAX_HOPS) pushRoom(v);
  };
  /**
   * Room pass: every protected cell u with demands needs, in each of its equations, other
   * unknown cells that can move far enough (a zero cannot go down, a numerator not above
   * its denominator). Where they cannot, mask the best complement that can (lookahead
   * score, then room, then smallest count); the demands flow on to the cells that carry
   * them (largest room first), whose own equations are checked in turn.
   */
  const roomPass = (): number => {
    let added = 0;
    const others: number[] = [];
    while (roomHead < roomQ.length) {
      const u = roomQ[roomHead++]!;
      inRoomQ[u] = 0;
      if (!(dn[u]! > 1e-9 || upD[u]! > 1e-9)) continue;
      for (let k = idx.start[u]!; k < idx.start[u + 1]!; k++) {
        const e = idx.eqs[k]!;
        for (let guard = 0; guard < 4; guard++) {
          let aUp = 0;
          let aDn = 0;
          for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
            const v = eqCells[j]!;
            if (v === u || published(v)) continue;
            aUp += givesUp(u, v, e);
            aDn += givesDn(u, v, e);
          }
          const defUp = upD[u]! - aUp;
          const defDn = dn[u]! - aDn;
          if (defUp <= 1e-9 && defDn <= 1e-9) break;
          let best = -1;
          let bestKey = 0;
          let bestSc = 0;
          for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
            const v = eqCells[j]!;
            if (!candidate(v)) continue;
            if (!((defUp > 1e-9 && givesUp(u, v, e) > 0) || (defDn > 1e-9 && givesDn(u, v, e) > 0))) continue;
            const key = carries(u, v, e, Math.max(0, defUp), Math.max(0, defDn)) ? 0 : 1;
            const sc = score(v, e);
            if (
              best < 0 ||
              key < bestKey ||
              (key === bestKey && (sc < bestSc || (sc === bestSc && smallerFirst(size, v, best))))
            ) {
              best = v;
              bestKey = key;
              bestSc = sc;
            }
          }
          if (best < 0) break;
          mask(best);
          added++;
        }
        // pass the demands on: to the unknowns of e, largest room first, until carried
        others.length = 0;
        for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
          const v = eqCells[j]!;
          if (v !== u && !published(v)) others.push(v);
        }
        for (const dir of [0, 1] as const) {
          let rest = dir === 0 ? upD[u]! : dn[u]!;
          if (rest <= 1e-9) continue;
          const room = dir === 0 ? givesUp : givesDn;
          for (const v of others) roomOf[v] = room(u, v, e);
          others.sort((a, b) => roomOf[b]! - roomOf[a]! || a - b);
          for (const v of others) {
            if (rest <= 1e-9) break;
            const r = Math.min(rest, roomOf[v]!);
            if (r <= 0) break;
            if (dir === 0) give(u, v, e, r, 0);
            else give(u, v, e, 0, r);
            rest -= r;
          }
        }
      }
    }
    return added;
  };

  // 2. local pass: equations with a single unknown
  const localPass = () => {
    while (heap.size) {
      const [e] = heap.pop();
      queued[e] = 0;
      if (unk[e] !== 1) continue;
      let u = -1;
      for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
        const v = eqCells[j]!;
        if (!published(v)) {
          u = v;
          break;
        }
      }
      if (u < 0 || !(secret[u] || masked[u])) continue;
      const c = bestInEq(e, -1, u);
      if (c >= 0) {
        mask(c);
        if (roomRule) give(u, c, e, upD[u]!, dn[u]!);
      }
    }
  };
  for (let e = 0; e < m; e++) if (unk[e] === 1) enqueue(e);

  /**
   * Masks a complement for each determined cell: one (skipping cells whose small
   * equations already got one this round), or, for `everywhere` cells, one in each of
   * their equations.
   */
  const earlierBound = new Set<number>();
  const fix = (det: number[], everywhere?: Set<number>): { added: number; unresolved: number } => {
    touched.fill(0);
    let added = 0;
    let unresolved = 0;
    for (const u of det) {
      if (everywhere?.has(u)) {
        let any = false;
        for (let k = idx.start[u]!; k < idx.start[u + 1]!; k++) {
          const c = bestInEq(idx.eqs[k]!, -1, u);
          if (c >= 0) {
            mask(c);
            if (roomRule) give(u, c, idx.eqs[k]!, upD[u]!, dn[u]!);
            added++;
            any = true;
          }
        }
        if (any) continue;
      }
      let hit = false;
      for (let k = idx.start[u]!; k < idx.start[u + 1]!; k++) {
        const e = idx.eqs[k]!;
        if (touched[e] && eqStart[e + 1]! - eqStart[e]! <= LOCAL_EQ) hit = true;
      }
      if (hit) continue;
      const c = complementFor(u);
      if (c < 0) {
        // no cell this run publishes is left around u to mask: with earlier releases (pinned cells,
        // constants), u is what they and the structure determine, and masking cannot change that;
        // the interval audit judges it (counted as limited by the earlier release, or refused)
        if (sys.pinned) earlierBound.add(u);
        else unresolved++;
        continue;
      }
      mask(c);
      added++;
      if (roomRule) {
        // found through unknown cells: which way c moves is not known, so both ways
        const d = Math.max(dn[u]!, upD[u]!);
        dn[c] = Math.max(dn[c]!, Math.min(d, roomDown(c)));
        upD[c] = Math.max(upD[c]!, Math.min(d, roomUp(c)));
        if (hops[u]! + 1 < hops[c]!) hops[c] = hops[u]! + 1;
        if (hops[c]! <= MAX_HOPS) pushRoom(c);
      }
    }
    return { added, unresolved };
  };

  /**
   * The determined cells the checks fix: the secret ones. A complement left determined reveals
   * nothing secret (its value follows from published numbers; if that gave a secret cell away,
   * the adversary finds the secret cell itself), and step 6 publishes it again. Fixing
   * determined complements too, as before, added masks that hide nothing: a complement placed
   * near such a cell rarely breaks the chain that determines it (pooled windows of earlier
   * years, Kommune totals), so it was found again round after round. The sample: 5,799
   * secondary masks before, 4,719 now; the bench's small project 25,651 before, 21,428 now; with
   * last year's release named (pinned cells) the same 36 cells had been found in each of 387
   * global rounds, one new mask each time (32,934 secondary masks before, 21,186 now).
   */
  const toFix = (det: number[]): number[] => det.filter((c) => secret[c] === 1 && !earlierBound.has(c));

  let rounds = 0;
  let unresolved = 0;
  for (;;) {
    localPass();
    if (roomRule && roomPass() > 0) continue;
    // block checks: each dirty block on its own equations (cheap, and what they find the
    // global adversary would find too)
    if (dirty.size) {
      const blocks = [...dirty].sort((a, b) => a[0] - b[0]);
      dirty.clear();
      for (const [b, newMasks] of blocks) {
        let seeds = newMasks;
        if (!seeds) {
          seeds = [];
          for (const e of blockEqs.get(b)!) for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) seeds.push(eqCells[j]!);
        }
        const det = toFix(adversary.run(seeds, (e) => eqBlock![e] === b));
        if (det.length) {
          fix(det);
          localPass();
        }
      }
      continue;
    }
    // global check by the exact adversary
    rounds++;
    const det = toFix(globalSeeds ? adversary.run(globalSeeds) : adversary.run());
    globalSeeds = [];
    if (det.length === 0) {
      unresolved = 0;
      break;
    }
    // cells the block checks could not see are few: each gets a complement in every equation
    const r = fix(det, new Set(det));
    unresolved = r.unresolved;
    if (r.added === 0) break; // nothing more can be done (unresolved > 0)
  }
  // 6. a complement the published cells determine hides nothing: publish it again. Publishing a
  // determined cell adds nothing the attacker does not know, so it leaves every other cell as
  // determined as before (and every range of the interval audit as it was): all at once.
  const complements: number[] = [];
  for (let c = 0; c < n; c++) if (masked[c] && !secret[c]) complements.push(c);
  for (const c of adversary.run(complements)) {
    if (masked[c] && !secret[c]) {
      masked[c] = 0;
      secondary--;
    }
  }
  if (stats) {
    stats.primary = primary;
    stats.secondary = secondary;
    stats.rounds = rounds;
    stats.unresolved = unresolved;
  }
  return masked;

  /** Best complement (see `bestInEq`) in an equation containing u; else breadth-first through unknown cells. */
  function complementFor(u: number): number {
    let frontier = [u];
    const seenCell = new Set<number>([u]);
    const seenEq = new Set<number>();
    while (frontier.length) {
      let best = -1;
      const next: number[] = [];
      for (const x of frontier) {
        for (let k = idx.start[x]!; k < idx.start[x + 1]!; k++) {
          const e = idx.eqs[k]!;
          if (seenEq.has(e)) continue;
          seenEq.add(e);
          best = bestInEq(e, best);
          for (let j = eqStart[e]!; j < eqStart[e + 1]!; j++) {
            const v = eqCells[j]!;
            if (!published(v) && !seenCell.has(v)) {
              seenCell.add(v);
              next.push(v);
            }
          }
        }
      }
      if (best >= 0) return best;
      frontier = next;
    }
    return -1;
  }
}
