/**
 * The audit loop of one measure group: audit, covers for the failures, audit again where
 * covers were added (and where a failure stands), until the audit passes or a failure is
 * left that no cover can fix (`unresolved`: compute then refuses to publish). See the
 * privacy README (interval audit, covers).
 */
import type { Highs } from 'highs';
import { auditComponents, auditRun, type AuditFailure, type AuditProblem, type AuditStats } from './audit.js';
import { coversByLp, type CoverResult } from './covers.js';

/**
 * Failures fixed by one cover LP at most: its neighbourhood grows with the batch up to the
 * largest cover neighbourhood (12,800 cells: 32 × 400). Measured on the bench small project (with
 * 200 cells per failure): per failure 1,394 covers, batches of 4 / 16 / 64 gave 1,097 / 1,016 / 1,007.
 */
const COVER_BATCH = 64;

/** Rounds of audit + covers before giving up (each adds at least one cover). */
const MAX_AUDIT_ROUNDS = 500;

/**
 * Failures in batches for the cover LPs: per component of unknown cells and direction, in cell
 * order, at most COVER_BATCH each.
 */
function coverBatches(p: AuditProblem, fails: readonly AuditFailure[]): { comp: number; fails: AuditFailure[] }[] {
  const comps = auditComponents(
    p,
    fails.map((f) => f.cell),
  );
  const compOf = new Map<number, number>();
  comps.forEach((c, i) => {
    for (const v of c) compOf.set(v, i);
  });
  const byKey = new Map<string, AuditFailure[]>();
  for (const f of fails) {
    const key = `${compOf.get(f.cell) ?? -1}|${f.dir}`;
    const l = byKey.get(key);
    if (l) l.push(f);
    else byKey.set(key, [f]);
  }
  const out: { comp: number; fails: AuditFailure[] }[] = [];
  const keys = [...byKey.keys()].sort((a, b) => {
    const [ca, da] = a.split('|');
    const [cb, db] = b.split('|');
    return Number(ca) - Number(cb) || (da! < db! ? -1 : da! > db! ? 1 : 0);
  });
  for (const k of keys) {
    const l = byKey.get(k)!.sort((a, b) => a.cell - b.cell);
    for (let i = 0; i < l.length; i += COVER_BATCH)
      out.push({ comp: Number(k.split('|')[0]), fails: l.slice(i, i + COVER_BATCH) });
  }
  return out;
}

/**
 * A cover for a proven failure the cover LP could not fix without covers (its LP optimum
 * reaches the target, the integer one does not): the published cell sharing an equation with
 * it that carries the least information (the smallest count above 0, else a 0; lowest index
 * on ties, so runs stay deterministic). −1 if none is left.
 */
function fallbackCover(p: AuditProblem, cell: number): number {
  const { sys, idx, masked, constant, x } = p;
  let best = -1;
  const rank = (c: number) => (x[c]! > 0 ? x[c]! : Number.MAX_VALUE);
  for (let k = idx.start[cell]!; k < idx.start[cell + 1]!; k++) {
    const e = idx.eqs[k]!;
    for (let j = sys.eqStart[e]!; j < sys.eqStart[e + 1]!; j++) {
      const c = sys.eqCells[j]!;
      if (c === cell || sys.known[c] !== 1 || masked[c] === 1 || constant[c] === 1) continue;
      if (best < 0 || rank(c) < rank(best) || (rank(c) === rank(best) && c < best)) best = c;
    }
  }
  return best;
}

export interface AuditLoopResult {
  /** Cells masked as covers (in `p.masked` too). */
  covers: number;
  /** Rounds that added covers. */
  rounds: number;
  /** Cells whose failure no cover could fix (0 = the audit passed). */
  unresolved: number;
  /**
   * Failures no masking could fix because earlier releases (pinned cells) already bound the cell
   * as far: with every other cell masked the attacker's bound is the same. This release narrows
   * nothing there; counted, not refused (see `unfreedByMasking`).
   */
  earlierLimited: number;
  /**
   * Protected cells (of `unresolved` before) that fail only through the cautious upper bounds of
   * numerators below the minimum denominator (`CompactSystem.ubTight`): judged, and covered, with
   * the bounds the rows' status shows instead, they pass. Counted, not refused (see
   * `passWithoutTightBounds`).
   */
  tightBoundsOnly: number;
  /** The cells counted in `unresolved` (ascending): what the refusal to publish names. */
  refused: number[];
  stats: AuditStats;
}

/**
 * The failures among `fails` that pass when the true counts of denominators below the minimum
 * denominator are left out as upper bounds. Those are true counts of unpublished denominators: the
 * attacker knows only numerator <= denominator, with the denominator itself bounded by what is
 * published, so a failure that needs them may not be one for the attacker (NRW bench: a count of 2
 * whose neighbours' numerators equal their unpublished denominators of 9 and 10 leaves it no room
 * down with the true counts, and no cover can change a true count). In their place the bound the
 * row's status shows ("unter Mindestnenner": the denominator is at most min_den - 1,
 * `CompactSystem.ubStatus`). A failure that still fails there gets covers chosen in that model (one
 * cover LP each, up to `MAX_TIGHT_ROUNDS` rounds), masked in `p.masked`: the sample at min_count 5,
 * a count of 4 = a pooled 21 - 11 - 6 with the pooled count at least 20 and 11 and 6 at their
 * unpublished denominators, reaches 0 only once the 11 is masked. Every other cell keeps the
 * stricter model. Returns the failures that pass and the number of covers added.
 */
function passWithoutTightBounds(
  h: Highs,
  p: AuditProblem,
  fails: readonly AuditFailure[],
  stats: AuditStats,
  penalty?: Int32Array,
): { passes: Set<string>; covers: number } {
  const tight = p.sys.ubTight!;
  const loose = p.sys.ubStatus;
  const ub = Float64Array.from(p.ub, (u, c) => (tight[c] ? (loose?.[c] ?? Infinity) : u));
  const q: AuditProblem = { ...p, ub };
  let open = fails;
  let covers = 0;
  for (let round = 0; round < MAX_TIGHT_ROUNDS; round++) {
    open = auditAgain(h, q, open, stats);
    if (process.env.SPM_PRIVACY_DEBUG)
      for (const f of open) console.error(`status bounds, round ${round}: cell ${f.cell} ${f.dir} bound=${f.bound}`);
    if (open.length === 0) break;
    let added = 0;
    for (const f of open) {
      const r = coversByLp(h, q, [f], penalty);
      if (!r) continue;
      for (const v of r.covers) {
        if (p.masked[v]) continue;
        p.masked[v] = 1;
        added++;
      }
    }
    covers += added;
    if (added === 0) break;
  }
  const still = new Set(open.map(failKey));
  return { passes: new Set(fails.map(failKey).filter((k) => !still.has(k))), covers };
}
/** Rounds of covers for the failures judged without the true denominators (`passWithoutTightBounds`). */
const MAX_TIGHT_ROUNDS = 8;

const failKey = (f: AuditFailure) => `${f.cell}|${f.dir}`;

/** The cells of `fails` audited again (with proofs) in `p`, a variant of the loop's problem. */
function auditAgain(h: Highs, p: AuditProblem, fails: readonly AuditFailure[], stats: AuditStats): AuditFailure[] {
  const n = p.sys.n;
  const audited = new Uint8Array(n);
  for (const f of fails) audited[f.cell] = 1;
  const q: AuditProblem = { ...p, audited, loOk: new Uint8Array(n), hiOk: new Uint8Array(n), prove: true };
  return auditRun(h, q, auditComponents(q, [...new Set(fails.map((f) => f.cell))]), stats);
}

/**
 * The failures among `fails` that no masking of this problem frees: audited again with every cell
 * masked that is not a constant (the most this release could hide), they still fail in the same
 * direction with a bound at least as tight. With earlier releases these are what those releases
 * alone explain (publishing as chosen tells the attacker nothing about them that they did not);
 * otherwise a bound from outside the group (another group's low points) holds them.
 */
function unfreedByMasking(h: Highs, p: AuditProblem, fails: readonly AuditFailure[], stats: AuditStats): Set<string> {
  const n = p.sys.n;
  const masked = new Uint8Array(n);
  for (let c = 0; c < n; c++) if (!p.constant[c]) masked[c] = 1;
  const still = new Map(auditAgain(h, { ...p, masked }, fails, stats).map((f) => [failKey(f), f]));
  const out = new Set<string>();
  for (const f of fails) {
    const g = still.get(failKey(f));
    if (!g) continue;
    if (f.dir === 'down' ? g.bound >= f.bound - 1e-6 : g.bound <= f.bound + 1e-6) out.add(failKey(f));
  }
  return out;
}

/**
 * Audits `p` and masks covers (in `p.masked`) until the audit passes. `penalty`: extra cost of
 * masking a cell (Kreis totals); `describe`: names a cell in the debug output of unresolved ones;
 * `seed`: audit only the components of these cells (a block of the group, see `prepareBlocks` in
 * db.ts; later rounds follow the covers wherever they lead).
 */
export function auditAndCover(
  h: Highs,
  problem: AuditProblem,
  penalty?: Int32Array,
  describe?: (c: number) => string,
  seed?: readonly number[],
): AuditLoopResult {
  const { masked, sys: system, idx } = problem;
  const astats: AuditStats = { components: 0, lps: 0, maxVars: 0, ms: 0 };
  const result: AuditLoopResult = {
    covers: 0,
    rounds: 0,
    unresolved: 0,
    earlierLimited: 0,
    tightBoundsOnly: 0,
    refused: [],
    stats: astats,
  };
  let only: readonly number[] | undefined = seed;
  // The first round does not prove its failures (nearly every cell the batched LPs leave
  // without a witness does fail); they go straight to the cover LPs, whose checked solutions
  // witness them, and a round with proofs judges what is left.
  problem.prove = false;
  // Proven failures that fail as far with every other cell of the group masked (as `unfreedByMasking`
  // audits them): their bound comes from cells this group cannot mask (another group's low points, a
  // constant), so no cover frees them. They are refused at once instead of after round upon round of
  // cover LPs without a solution (NRW bench: 19 rounds, 141 s, on 6 such counts). With earlier
  // releases or cautious status bounds the end of the loop judges them as before.
  const judgeHopeless = !system.pinned && !system.ubTight;
  const hopeless = new Set<string>();
  const hopelessCells = new Set<number>();
  for (;;) {
    let fails = auditRun(h, problem, auditComponents(problem, only), astats);
    if (fails.length === 0) break;
    if (judgeHopeless && problem.prove !== false) {
      const fresh = fails.filter((f) => !hopeless.has(failKey(f)));
      if (fresh.length > 0) for (const k of unfreedByMasking(h, problem, fresh, astats)) hopeless.add(k);
      const hopelessNow = fails.filter((f) => hopeless.has(failKey(f)));
      for (const f of hopelessNow) hopelessCells.add(f.cell);
      fails = fails.filter((f) => !hopeless.has(failKey(f)));
      if (process.env.SPM_PRIVACY_DEBUG && hopelessNow.length > 0)
        console.error(
          `covers: ${hopelessNow.length} failures no cover of the group frees (refused): cells ${hopelessNow.map((f) => (describe ? describe(f.cell) : f.cell)).join(', ')}`,
        );
    }
    if (fails.length === 0) break;
    // A failure gets an LP of its own in neighbourhoods of 400, 800, … cells until one fixes it.
    // Where large equations tie the cells (a Kreis over ~400 Kommunen), none below a few thousand
    // cells does (NRW g0007: 696 such failures, every one of them without a solution at 200, 400
    // and 800 cells): later ones start at half the smallest size that fixed one in their component
    // (in this round).
    const singleFrom = new Map<number, number>();
    const chosen = new Set<number>();
    const ok = (f: AuditFailure) => (f.dir === 'down' ? problem.loOk : problem.hiOk)[f.cell] === 1;
    const witness = (f: { cell: number; dir: 'down' | 'up' }) =>
      ((f.dir === 'down' ? problem.loOk : problem.hiOk)[f.cell] = 1);
    // covers are masked at once: later LPs of the round move them freely
    const apply = (r: CoverResult, batch: readonly AuditFailure[]) => {
      for (const v of r.covers) {
        chosen.add(v);
        masked[v] = 1;
      }
      for (const w of r.witnesses) witness(w);
      // An LP solution without covers that the exact check did not accept (fractional where
      // the audit judged with integrality) witnesses nothing: the proven failure stands, so
      // one more cell next to it is masked and the next audit round judges again.
      if (r.covers.length === 0 && problem.prove !== false)
        for (const f of batch) {
          if (ok(f)) continue;
          const v = fallbackCover(problem, f.cell);
          if (v >= 0) {
            chosen.add(v);
            masked[v] = 1;
          }
        }
    };
    if (result.rounds < MAX_AUDIT_ROUNDS) {
      for (const { comp, fails: batch } of coverBatches(problem, fails)) {
        const todo = batch.filter((f) => !ok(f));
        if (todo.length === 0) continue;
        const r = todo.length > 1 ? coversByLp(h, problem, todo, penalty) : null;
        if (r) {
          apply(r, todo);
          continue;
        }
        // no solution with all of them at their targets at once: one LP each
        for (const f of todo) {
          if (ok(f)) continue;
          const from = singleFrom.get(comp) ?? 0;
          const c = coversByLp(h, problem, [f], penalty, from);
          if (!c) continue;
          apply(c, [f]);
          if (from === 0 || c.size / 2 < from) singleFrom.set(comp, c.size / 2);
        }
      }
    }
    const covers = [...chosen].sort((a, b) => a - b);
    if (problem.prove === false) {
      // unproven failures: whatever the covers did not witness is audited again, with proofs
      problem.prove = true;
      result.covers += covers.length;
      if (covers.length > 0) result.rounds++;
      only = [...covers, ...fails.filter((f) => !ok(f)).map((f) => f.cell)];
      continue;
    }
    if (process.env.SPM_PRIVACY_DEBUG)
      console.error(`covers: ${fails.length} failures, ${fails.filter(ok).length} witnessed by the cover LPs`);
    if (covers.length === 0 && fails.every(ok)) break;
    if (covers.length === 0) {
      // with earlier releases: what they already bound as far is no failure of this one
      let open = fails;
      if (system.pinned) {
        const limited = unfreedByMasking(h, problem, fails, astats);
        const isLimited = (f: AuditFailure) => limited.has(failKey(f));
        open = fails.filter((f) => !isLimited(f));
        result.earlierLimited = new Set(fails.filter(isLimited).map((f) => f.cell)).size;
      }
      if (system.ubTight && open.length > 0) {
        const { passes, covers: extra } = passWithoutTightBounds(h, problem, open, astats, penalty);
        result.covers += extra;
        const before = new Set(open.map((f) => f.cell)).size;
        open = open.filter((f) => !passes.has(failKey(f)));
        result.tightBoundsOnly = before - new Set(open.map((f) => f.cell)).size;
      }
      result.refused = open.map((f) => f.cell);
      if (process.env.SPM_PRIVACY_DEBUG && describe) {
        for (const f of fails)
          for (let k = idx.start[f.cell]!; k < idx.start[f.cell + 1]!; k++) {
            const e = idx.eqs[k]!;
            console.error(
              `  eq: ${Array.from(system.eqCells.subarray(system.eqStart[e]!, system.eqStart[e + 1]!))
                .map(describe)
                .join(' | ')}`,
            );
          }
        for (const f of fails)
          console.error(`unresolved: ${describe(f.cell)} ${f.dir} bound=${f.bound} level=${f.level}`);
        // what no fallback (earlier releases, the status bounds) lets pass: the refusal's cells
        for (const f of open) console.error(`still unresolved: ${describe(f.cell)} ${f.dir}`);
      }
      break;
    }
    result.rounds++;
    if (process.env.SPM_PRIVACY_DEBUG)
      console.error(
        `audit round ${result.rounds}: ${fails.length} failures, ${covers.length} covers, ${astats.lps} LPs (${astats.relaxed ?? 0} relaxed, ${astats.proven ?? 0} failures proven by them), max ${astats.maxVars} vars, ${Math.round(astats.ms)} ms`,
      );
    result.covers += covers.length;
    // the failures no cover LP could fix are audited again too, so that they end as witnessed or
    // as `unresolved` (only the components with covers, as before, would lose them silently)
    only = [...covers, ...fails.filter((f) => !ok(f)).map((f) => f.cell)];
  }
  // refused: what the loop left open and what no cover of the group frees, each cell once
  result.refused = [...new Set([...result.refused, ...hopelessCells])].sort((a, b) => a - b);
  result.unresolved = result.refused.length;
  return result;
}
