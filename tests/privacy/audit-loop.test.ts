/**
 * The audit loop's steps for large components and hard failures, on small systems built by hand
 * (the sizes are options: a component of ~100 cells stands in for NRW's 35,000):
 * - the batched LPs over the whole component after the pieces (audit.ts, step 1b), and without them
 *   above `wholeMax`;
 * - where a single failure's cover LP starts (half the size that fixed one in its component);
 * - a single failure whose cover needs its whole component;
 * - a fractional cover LP solution is no witness (integrality gap);
 * - a failure no cover can fix stays audited until it counts as unresolved, and once proven, one that
 *   no cover of the group frees is refused without further rounds;
 * - a fresh solve over a whole component runs without presolve fill-in, and the option is restored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import {
  auditComponents,
  auditProfile,
  auditRun,
  type AuditOptions,
  type AuditProblem,
  type AuditStats,
  runWithoutFillIn,
} from '../../src/privacy/audit.js';
import { auditAndCover } from '../../src/privacy/cover-loop.js';
import { coversByLp } from '../../src/privacy/covers.js';
import { loadSolver } from '../../src/privacy/lp.js';
import { buildCellIndex, constantCells, EquationBuilder } from '../../src/privacy/system.js';
import { lpAttack, type ARow, type AVar } from './lp-attacker.js';

let h: Highs;
beforeAll(async () => {
  h = await loadSolver();
});

type Kind = 'published' | 'masked' | 'hidden';

/** A system written down cell by cell: published, masked or never published (hidden) cells. */
class Builder {
  x: number[] = [];
  kind: Kind[] = [];
  audited: boolean[] = [];
  lb: number[] = [];
  ub: number[] = [];
  eqs: [number, number[]][] = [];
  cell(x: number, kind: Kind, o: { audited?: boolean; lb?: number; ub?: number; pinned?: boolean } = {}): number {
    this.x.push(x);
    this.kind.push(kind);
    this.audited.push(o.audited ?? false);
    this.lb.push(o.pinned ? x : (o.lb ?? 0));
    this.ub.push(o.pinned ? x : (o.ub ?? Infinity));
    return this.x.length - 1;
  }
  eq(total: number, parts: number[]): void {
    this.eqs.push([total, parts]);
  }
  /**
   * A chain from a secret count 1 (masked): u0 = 1, u1.. = 2, joined by never-published sums
   * u_i + u_(i+1) that other published figures pin to their values (lower = upper bound). Moving
   * u0 moves every u_i, alternately up and down, to the chain's far end. Returns u0 and the end.
   */
  chain(length: number): { u0: number; end: number } {
    const u = [this.cell(1, 'masked', { audited: true })];
    for (let i = 1; i <= length; i++) {
      u.push(this.cell(2, 'masked'));
      const s = this.cell(this.x[u[i - 1]!]! + 2, 'hidden', { pinned: true });
      this.eq(s, [u[i - 1]!, u[i]!]);
    }
    return { u0: u[0]!, end: u[length]! };
  }
  problem(options?: AuditOptions): AuditProblem {
    const n = this.x.length;
    const eb = new EquationBuilder();
    for (const [t, parts] of this.eqs) eb.add(t, parts);
    const audited = Uint8Array.from(this.audited, (a) => (a ? 1 : 0));
    const sys = {
      n,
      known: Uint8Array.from(this.kind, (k) => (k === 'hidden' ? 0 : 1)),
      secret: audited,
      size: Float64Array.from(this.x),
      ...eb.build(),
    };
    const idx = buildCellIndex(sys);
    return {
      sys,
      idx,
      x: sys.size,
      masked: Uint8Array.from(this.kind, (k) => (k === 'masked' ? 1 : 0)),
      constant: constantCells(sys, idx),
      lb: Float64Array.from(this.lb),
      ub: Float64Array.from(this.ub),
      audited,
      threshold: 3,
      loOk: new Uint8Array(n),
      hiOk: new Uint8Array(n),
      ...(options ? { options } : {}),
    };
  }
}

/** The independent LP attacker (tests/privacy/lp-attacker.ts) on a problem's final masks. */
async function narrowed(p: AuditProblem): Promise<string[]> {
  const vars = new Map<string, AVar>();
  for (let c = 0; c < p.sys.n; c++)
    vars.set(`c${c}`, {
      published: p.sys.known[c] === 1 && p.masked[c] === 0 ? p.x[c]! : null,
      lb: p.lb[c]!,
      ub: p.ub[c]!,
    });
  const rows: ARow[] = [];
  for (let e = 0; e + 1 < p.sys.eqStart.length; e++) {
    const cells = Array.from(p.sys.eqCells.subarray(p.sys.eqStart[e]!, p.sys.eqStart[e + 1]!));
    rows.push({ terms: cells.map((c, k) => [`c${c}`, k === 0 ? 1 : -1]) });
  }
  const targets = [];
  for (let c = 0; c < p.sys.n; c++)
    if (p.audited[c]) targets.push({ id: `c${c}`, level: Math.min(p.threshold, p.ub[c]!) });
  return (await lpAttack(vars, rows, targets)).narrowed.map((r) => r.id);
}

/**
 * Whether some whole-number assignment of the unknown cells (0..4 each) satisfies every equation
 * and bound with `cell` at `value`: an exact integer attacker by enumeration, for tiny systems.
 */
function integerSolution(p: AuditProblem, cell: number, value: number): boolean {
  const unknown: number[] = [];
  for (let c = 0; c < p.sys.n; c++) if (p.sys.known[c] === 0 || p.masked[c] === 1) unknown.push(c);
  const v = Float64Array.from(p.x);
  const go = (k: number): boolean => {
    if (k === unknown.length) {
      if (v[cell] !== value) return false;
      for (let e = 0; e + 1 < p.sys.eqStart.length; e++) {
        let s = v[p.sys.eqCells[p.sys.eqStart[e]!]!]!;
        for (let j = p.sys.eqStart[e]! + 1; j < p.sys.eqStart[e + 1]!; j++) s -= v[p.sys.eqCells[j]!]!;
        if (s !== 0) return false;
      }
      return true;
    }
    const c = unknown[k]!;
    for (let a = Math.max(0, p.lb[c]!); a <= Math.min(4, p.ub[c]!); a++) {
      v[c] = a;
      if (go(k + 1)) return true;
    }
    v[c] = p.x[c]!;
    return false;
  };
  return go(0);
}

describe('audit of a component cut into pieces', () => {
  it('gives the targets the pieces leave open batched LPs over the whole component', () => {
    // u0's chain ends in a free never-published cell w (T = end + w published): u0 reaches 0 and 3
    // only with the whole chain moving, which no piece of 20 cells allows (its outside stays fixed)
    const b = new Builder();
    const { u0, end } = b.chain(60);
    const w = b.cell(5, 'hidden');
    b.eq(b.cell(7, 'published'), [end, w]);
    const p = b.problem({ piece: 40, pieceSize: 20 });
    const comps = auditComponents(p);
    expect(comps.map((c) => c.length)).toEqual([122]);
    p.prove = false; // the first round: a target without a witness is reported, not proven
    const stats = { components: 0, lps: 0, maxVars: 0, ms: 0 };
    expect(auditRun(h, p, comps, stats)).toEqual([]);
    expect([p.loOk[u0], p.hiOk[u0]]).toEqual([1, 1]);
    // with pieces as large as the component, the same verdict
    const whole = b.problem();
    whole.prove = false;
    expect(auditRun(h, whole, auditComponents(whole), stats)).toEqual([]);
  });

  it('proves the open checks of a round with proofs by small relaxations before any LP over the whole component, however many', () => {
    // the sample Kreis: 4 counts held by another group's low points, left open by the pieces of a
    // 15,444-cell component, had two rounds over the whole (2.1 s) before their relaxations over 60
    // cells proved them. Here v = 1 is held by t = v + w (t pinned at 1, w at most 0), in one
    // component of 74 cells with never-published cells it shares a sum with; u0's chain needs the
    // whole component to reach its targets (see the test above)
    const build = (withChain: boolean) => {
      const b = new Builder();
      const v = b.cell(1, 'masked', { audited: true });
      b.eq(b.cell(1, 'hidden', { pinned: true }), [v, b.cell(0, 'hidden', { ub: 0 })]);
      const parts = [v];
      for (let i = 0; i < 70; i++) parts.push(b.cell(3, 'hidden'));
      let u0 = -1;
      if (withChain) {
        const c = b.chain(60);
        u0 = c.u0;
        b.eq(b.cell(7, 'published'), [c.end, b.cell(5, 'hidden')]);
        parts.push(c.end);
      }
      b.eq(b.cell(211 + (withChain ? 2 : 0), 'hidden'), parts);
      return { b, v, u0 };
    };
    const options = { piece: 40, pieceSize: 20 };
    const wholeRounds = () => auditProfile.batch_whole?.n ?? 0;
    const run = (p: AuditProblem) => {
      const before = wholeRounds();
      const fails = auditRun(h, p, auditComponents(p), { components: 0, lps: 0, maxVars: 0, ms: 0 });
      return { fails: fails.map((f) => [f.cell, f.dir, f.bound]), whole: wholeRounds() - before };
    };
    const held = build(false);
    expect(auditComponents(held.b.problem(options)).map((c) => c.length)).toEqual([74]);
    // only v open after the pieces: proven down and up by its relaxation, no round over the whole
    expect(run(held.b.problem(options))).toEqual({
      fails: [
        [held.v, 'down', 1],
        [held.v, 'up', 1],
      ],
      whole: 0,
    });
    // with u0 open beside it: the round over the whole is for u0 alone, which it witnesses
    const both = build(true);
    const p = both.b.problem(options);
    expect(run(p)).toEqual({
      fails: [
        [both.v, 'down', 1],
        [both.v, 'up', 1],
      ],
      whole: 1,
    });
    expect([p.loOk[both.u0], p.hiOk[both.u0]]).toEqual([1, 1]);
  });

  it('leaves the whole component out above wholeMax: the open checks go to the covers, or to growing local LPs', async () => {
    const b = new Builder();
    const { u0, end } = b.chain(60);
    const w = b.cell(5, 'hidden');
    b.eq(b.cell(7, 'published'), [end, w]);
    const options = { piece: 40, pieceSize: 20, wholeMax: 100 };
    // first round: the pieces cannot witness u0, and without the whole component's LPs it is reported unproven
    const first = b.problem(options);
    first.prove = false;
    const stats = { components: 0, lps: 0, maxVars: 0, ms: 0 };
    const fails = auditRun(h, first, auditComponents(first), stats);
    expect(fails.map((f) => [f.cell, f.dir, f.bound])).toEqual([
      [u0, 'down', Number.NaN],
      [u0, 'up', Number.NaN],
    ]);
    // a later round proves: the local LPs grow to the whole component and witness u0 there
    const later = b.problem(options);
    const localStats: AuditStats = { components: 0, lps: 0, maxVars: 0, ms: 0 };
    expect(auditRun(h, later, auditComponents(later), localStats)).toEqual([]);
    expect([later.loOk[u0], later.hiOk[u0]]).toEqual([1, 1]);
    expect(localStats.relaxed).toBeGreaterThan(0);
    // ... with no round over the whole, however many checks are open (the bound is HiGHS's heap)
    const wholeBefore = auditProfile.batch_whole?.n ?? 0;
    const again = b.problem(options);
    expect(auditRun(h, again, auditComponents(again), { components: 0, lps: 0, maxVars: 0, ms: 0 })).toEqual([]);
    expect((auditProfile.batch_whole?.n ?? 0) - wholeBefore).toBe(0);
    // at or below wholeMax the rounds over the whole witness u0: no local LP grows beyond the smallest
    const below = b.problem({ ...options, wholeMax: 1000 });
    const wholeStats: AuditStats = { components: 0, lps: 0, maxVars: 0, ms: 0 };
    expect(auditRun(h, below, auditComponents(below), wholeStats)).toEqual([]);
    expect([below.loOk[u0], below.hiOk[u0], wholeStats.relaxed ?? 0]).toEqual([1, 1, 2]);
    expect((auditProfile.batch_whole?.n ?? 0) - wholeBefore).toBe(1);
    // the audit loop: the cover LP witnesses u0 without a cover, and the independent attacker agrees
    const loop = b.problem(options);
    const r = auditAndCover(h, loop);
    expect([r.covers, r.unresolved]).toEqual([0, 0]);
    expect(await narrowed(loop)).toEqual([]);
  });
});

describe('cover LPs of single failures', () => {
  it('start at half the neighbourhood that fixed one in the same component', async () => {
    // two chains, each fixable only by masking the published cell at its far end, joined into
    // one component by a published sum of two pinned cells (it moves nothing)
    const b = new Builder();
    const ends: number[] = [];
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (let k = 0; k < 2; k++) {
      const { u0, end } = b.chain(20);
      firsts.push(u0);
      const p = b.cell(2, 'published');
      b.eq(p, [end]);
      ends.push(p);
      lasts.push(b.x.length - 2); // the last pinned sum of the chain
    }
    b.eq(b.cell(b.x[lasts[0]!]! + b.x[lasts[1]!]!, 'published'), [lasts[0]!, lasts[1]!]);
    const lps: { cells: readonly number[]; size: number; outcome: string }[] = [];
    const p = b.problem({
      cover: 4,
      coverMax: 16,
      onCoverLp: (cells, size, outcome) => lps.push({ cells: [...cells], size, outcome }),
    });
    expect(auditComponents(p)).toHaveLength(1);
    const r = auditAndCover(h, p, undefined);
    expect(r.unresolved).toBe(0);
    expect(ends.every((c) => p.masked[c] === 1)).toBe(true);
    expect(await narrowed(p)).toEqual([]);
    // the joint LP of both failures (down) stops at 16 cells; the first single one grows from 4
    const single = (u: number) => lps.filter((l) => l.cells.length === 1 && l.cells[0] === u);
    const first = single(firsts[0]!);
    expect(first[0]!.size).toBe(4);
    const fixedAt = first.find((l) => l.outcome === 'covers')!.size;
    expect(fixedAt).toBeGreaterThan(16);
    // the second starts at half that size, not at 4 again
    expect(single(firsts[1]!)[0]!.size).toBe(fixedAt / 2);
  });

  it.each([600, 300])('take the small equations around a failure before a total of %i cells', async (total) => {
    // a chain of 20 fixable by masking the published cell at its far end; every pinned sum of the
    // chain is also a part of one published total of 600 or 300 cells (pinned, so it moves
    // nothing); a single failure's LP takes an equation of more than 256 cells last (a batch's:
    // more than 512)
    const build = (withLarge: boolean) => {
      const b = new Builder();
      const { u0, end } = b.chain(20);
      const pEnd = b.cell(2, 'published');
      b.eq(pEnd, [end]);
      const sums: number[] = [];
      for (let c = 0; c < b.x.length; c++) if (b.kind[c] === 'hidden') sums.push(c);
      if (withLarge) {
        const fillers = Array.from({ length: total - sums.length }, () => b.cell(5, 'published'));
        const parts = [...sums, ...fillers];
        b.eq(
          b.cell(
            parts.reduce((t, c) => t + b.x[c]!, 0),
            'published',
          ),
          parts,
        );
      }
      return { b, u0, pEnd };
    };
    for (const withLarge of [false, true]) {
      const { b, u0, pEnd } = build(withLarge);
      const lps: { size: number; outcome: string }[] = [];
      const p = b.problem({ cover: 64, onCoverLp: (_, size, outcome) => lps.push({ size, outcome }) });
      const c = coversByLp(h, p, [{ cell: u0, dir: 'down', bound: 1, level: 3 }]);
      expect(c!.covers).toEqual([pEnd]);
      // the chain (about 45 cells) fits into the first neighbourhood of 64 cells with the large
      // total too: it is expanded only once the chain's cells are exhausted
      expect(lps).toEqual([{ size: 64, outcome: 'covers' }]);
      const whole = b.problem({ cover: 64 });
      expect(auditAndCover(h, whole, undefined).unresolved).toBe(0);
      expect(await narrowed(whole)).toEqual([]);
    }
  });

  it('grow to the whole component when no neighbourhood up to the largest batch size fixes them', async () => {
    const b = new Builder();
    const { u0, end } = b.chain(40);
    const pEnd = b.cell(2, 'published');
    b.eq(pEnd, [end]);
    const p = b.problem({ cover: 4, coverMax: 16 });
    const down = { cell: u0, dir: 'down' as const, bound: 1, level: 3 };
    const c = coversByLp(h, p, [down]);
    expect(c).not.toBeNull();
    expect(c!.covers).toEqual([pEnd]);
    expect(c!.size).toBeGreaterThan(16);
    const r = auditAndCover(h, b.problem({ cover: 4, coverMax: 16 }), undefined);
    expect(r.unresolved).toBe(0);
  });

  it('stop growing once a relaxation shows that no masking at all frees the failure', () => {
    // u0 = 1 at the start of a chain of 200 (a component far larger than the batch LPs' 16 cells),
    // held at 1 by t = u0 + w with t pinned at 1 and w at most 0: no cover frees it. Before, its
    // single LPs grew from 4 to 512 cells (the whole component), none with a solution.
    const b = new Builder();
    const { u0 } = b.chain(200);
    const w = b.cell(0, 'hidden', { ub: 0 });
    b.eq(b.cell(1, 'hidden', { pinned: true }), [u0, w]);
    const lps: { size: number; outcome: string }[] = [];
    const p = b.problem({ cover: 4, coverMax: 16, onCoverLp: (_, size, outcome) => lps.push({ size, outcome }) });
    expect(coversByLp(h, p, [{ cell: u0, dir: 'down', bound: 1, level: 3 }])).toBeNull();
    // LPs up to the batch size, then the relaxation over those 16 cells, and no LP beyond
    expect(lps).toEqual([
      { size: 4, outcome: 'none' },
      { size: 8, outcome: 'none' },
      { size: 16, outcome: 'none' },
      { size: 32, outcome: 'impossible' },
    ]);
    // (a failure some cover far away frees still gets its larger LPs: the test before this one)
  });
});

/**
 * An integrality gap: a + b = 1, b + c = 1 (published sums), s = a + c and s = u + q, q = 1
 * published; u (a count of 1, at most 1 by its denominator) is 0 in the LP relaxation
 * (a = b = c = ½) but at least 1 in every whole-number solution (a = c, u = 2a − 1).
 */
function integralityGap(b: Builder): { u: number; q: number } {
  const a = b.cell(1, 'masked');
  const bb = b.cell(0, 'masked');
  const c = b.cell(1, 'masked');
  const s = b.cell(2, 'hidden');
  const u = b.cell(1, 'masked', { audited: true, ub: 1 });
  const q = b.cell(1, 'published');
  b.eq(b.cell(1, 'published'), [a, bb]);
  b.eq(b.cell(1, 'published'), [bb, c]);
  b.eq(s, [a, c]);
  b.eq(s, [u, q]);
  return { u, q };
}

describe('the audit loop', () => {
  it('does not take a fractional cover LP solution for a witness', () => {
    const b = new Builder();
    const { u, q } = integralityGap(b);
    const p = b.problem();
    expect(integerSolution(p, u, 0)).toBe(false); // the gap: published as is, u is at least 1
    const r = auditAndCover(h, p, undefined);
    expect(r.unresolved).toBe(0);
    expect(p.masked[q]).toBe(1);
    expect(integerSolution(p, u, 0)).toBe(true);
    expect(integerSolution(p, u, 1)).toBe(true);
  });

  it('audits a failure no cover can fix again until it counts as unresolved', () => {
    const b = new Builder();
    integralityGap(b); // needs two rounds of covers (the second after a proof)
    // v = 1 is held by bounds no mask can open: t = v + w with t pinned at 1 and w at most 0
    const v = b.cell(1, 'masked', { audited: true });
    const w = b.cell(0, 'hidden', { ub: 0 });
    b.eq(b.cell(1, 'hidden', { pinned: true }), [v, w]);
    const p = b.problem();
    const r = auditAndCover(h, p, undefined);
    expect(r.unresolved).toBe(1);
  });

  it('refuses at once a failure no cover can free (a bound from outside the group), and covers the rest', () => {
    const b = new Builder();
    const { u, q } = integralityGap(b); // needs two rounds of covers (the second after a proof)
    // v = 1 is held by bounds no mask can open: t = v + w with t pinned at 1 and w at most 0
    const v = b.cell(1, 'masked', { audited: true });
    const w = b.cell(0, 'hidden', { ub: 0 });
    b.eq(b.cell(1, 'hidden', { pinned: true }), [v, w]);
    const lps: { cells: number[]; outcome: string }[] = [];
    const p = b.problem({ onCoverLp: (cells, _, outcome) => lps.push({ cells: [...cells], outcome }) });
    const r = auditAndCover(h, p, undefined);
    expect(r.refused).toEqual([v]);
    expect(p.masked[q]).toBe(1);
    // v's cover LPs (down and up) only in the first round, which proves no failure; once proven,
    // everything masked but the constants shows that no cover frees it, and no later round tries
    // again (before: two more per round, the last after u's second cover LP)
    const last = (c: number) => lps.findLastIndex((l) => l.cells.includes(c));
    expect(lps.filter((l) => l.cells.includes(v))).toHaveLength(2);
    expect(lps.filter((l) => l.cells.includes(u))).toHaveLength(2);
    expect(last(v)).toBeLessThan(last(u));
  });

  it('judges a failure that only the true counts of unpublished denominators cause without them; any other stays unresolved', () => {
    // NRW bench: a pooled numerator of 20 (published, and at least 20 as the published numerator of
    // another indicator over it) = x2022 + x2023 + x2024, with x2024 = 10 published at its
    // denominator; x2022 = 2 and x2023 = 8 in rows below the minimum denominator, whose true
    // denominators 2 and 9 bound them. With those bounds x2022 >= 1, and no cover changes a bound.
    const build = () => {
      const b = new Builder();
      const x22 = b.cell(2, 'masked', { audited: true, ub: 2 });
      const x23 = b.cell(8, 'masked', { ub: 9 });
      const x24 = b.cell(10, 'published', { ub: 10 });
      b.eq(b.cell(20, 'published', { lb: 20 }), [x22, x23, x24]);
      return { b, x22, x23 };
    };
    const tight = (p: AuditProblem, cells: number[]) => {
      p.sys.ubTight = new Uint8Array(p.sys.n);
      for (const c of cells) p.sys.ubTight[c] = 1;
    };
    // without the flag the bounds are exact knowledge: unresolved
    const plain = build();
    expect(auditAndCover(h, plain.b.problem(), undefined)).toMatchObject({ unresolved: 1, tightBoundsOnly: 0 });
    // both bounds from unpublished denominators: the audit without them passes
    const both = build();
    const pb = both.b.problem();
    tight(pb, [both.x22, both.x23]);
    expect(auditAndCover(h, pb, undefined)).toMatchObject({ unresolved: 0, tightBoundsOnly: 1 });
    // only x2023's bound from an unpublished denominator: x2022 at its level 2 still passes, at 0
    // x2023 = 10 is no longer bounded: passes too
    const one = build();
    const po = one.b.problem();
    tight(po, [one.x23]);
    expect(auditAndCover(h, po, undefined)).toMatchObject({ unresolved: 0, tightBoundsOnly: 1 });
    // only x2022's own bound: x2023 <= 9 still holds x2022 at 1 or more: unresolved
    const own = build();
    const pw = own.b.problem();
    tight(pw, [own.x22]);
    expect(auditAndCover(h, pw, undefined)).toMatchObject({ unresolved: 1, tightBoundsOnly: 0 });
  });

  it("masks covers in the model without the true denominators, bounded by what the rows' status shows", () => {
    // The sample at min_count 5: a pooled count of 21 (masked, at least 20 as the published numerator
    // of another indicator over it) = x2022 + x2023 + x2024, with x2022 = 11 and x2023 = 6 published
    // and x2024 = 4 protected. With the true denominators (11, 6: rows below the minimum
    // denominator of 20) x2024 >= 3 whatever is masked. Without them, bounded by the status
    // ("unter Mindestnenner": at most 19), masking x2022 or x2023 lets x2024 reach 0.
    const build = (status: [number, number] | null) => {
      const b = new Builder();
      const x22 = b.cell(11, 'published', { ub: 11 });
      const x23 = b.cell(6, 'published', { ub: 6 });
      const x24 = b.cell(4, 'masked', { audited: true, ub: 4 });
      b.eq(b.cell(21, 'masked', { lb: 20, ub: 21 }), [x22, x23, x24]);
      const p = b.problem();
      if (status) {
        p.sys.ubTight = new Uint8Array(p.sys.n);
        p.sys.ubStatus = new Float64Array(p.sys.n).fill(Infinity);
        p.sys.ubTight[x22] = p.sys.ubTight[x23] = 1;
        p.sys.ubStatus[x22] = status[0];
        p.sys.ubStatus[x23] = status[1];
      }
      return { p, x22, x23 };
    };
    expect(auditAndCover(h, build(null).p, undefined)).toMatchObject({ unresolved: 1, tightBoundsOnly: 0 });
    const ok = build([19, 19]);
    const r = auditAndCover(h, ok.p, undefined);
    expect(r).toMatchObject({ unresolved: 0, tightBoundsOnly: 1 });
    expect(ok.p.masked[ok.x22]! + ok.p.masked[ok.x23]!).toBeGreaterThan(0);
    expect(r.covers).toBeGreaterThan(0);
    // the status bound, not none: at most 12 and 7 still hold x2024 at 1 or more
    expect(auditAndCover(h, build([12, 7]).p, undefined)).toMatchObject({ unresolved: 1, tightBoundsOnly: 0 });
  });
});

describe('a fresh solve over a whole component', () => {
  it('runs without presolve fill-in and gives the model back with the option as it was, also after an error', () => {
    const model = h.createModel();
    const name = 'presolve_substitution_maxfillin';
    const before = model.options.get(name);
    expect(before).not.toBe(0);
    const seen: unknown[] = [];
    const run = model.run.bind(model);
    // the option as the solve sees it
    (model as { run: () => void }).run = () => {
      seen.push(model.options.get(name));
      run();
    };
    runWithoutFillIn(model);
    expect([seen, model.options.get(name)]).toEqual([[0], before]);
    (model as { run: () => void }).run = () => {
      throw new Error('solver failed');
    };
    expect(() => runWithoutFillIn(model)).toThrow('solver failed');
    expect(model.options.get(name)).toBe(before);
  });
});
