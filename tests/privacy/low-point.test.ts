/**
 * "numerator <= denominator" between measure groups through low points (src/privacy/low-point.ts):
 * the low point itself, the order of the groups (numerators first) and the cycles closed as
 * relations. (That the protection holds with them against an attacker who combines the groups:
 * tests/privacy/lp-attack.test.ts, among others the sample generated with seed 101.)
 */
import { describe, expect, it } from 'vitest';
import { loadSolver } from '../../src/privacy/lp.js';
import { lowPoint } from '../../src/privacy/low-point.js';
import { breakCycles, type BoundWidening, type ProportionPair } from '../../src/privacy/bound-relations.js';
import { lowPointOrder } from '../../src/privacy/db.js';
import type { CompactSystem } from '../../src/privacy/system.js';

/** A system of equations (total first, then its parts) over cells with values x. */
function system(x: number[], eqs: number[][], known: number[], ub?: number[]): CompactSystem {
  const eqStart = [0];
  const eqCells: number[] = [];
  for (const e of eqs) {
    eqCells.push(...e);
    eqStart.push(eqCells.length);
  }
  return {
    n: x.length,
    known: Uint8Array.from(known),
    secret: new Uint8Array(x.length),
    size: Float64Array.from(x),
    eqStart: Int32Array.from(eqStart),
    eqCells: Int32Array.from(eqCells),
    lb: new Float64Array(x.length),
    ub: Float64Array.from(ub ?? x.map(() => Infinity)),
  };
}

describe('lowPoint', () => {
  it('puts masked cells as low as the published ones allow, numerators under small denominators first', async () => {
    const h = await loadSolver();
    // cell 0 = 1 + 2 (published total 4); 3 = 4 + 5 (published total 5, cell 5 published 5)
    const x = [4, 2, 2, 5, 0, 5];
    const sys = system(
      x,
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      [1, 1, 1, 1, 1, 1],
      // cell 1's denominator is 2 (below the threshold 3): it goes to 0 first
      [Infinity, 2, Infinity, Infinity, Infinity, Infinity],
    );
    // cells 1 and 2 masked (reason 0), the rest published (-1)
    const reason = Int8Array.from([-1, 0, 0, -1, -1, -1]);
    const low = lowPoint(h, sys, reason, x, 3);
    expect(Array.from(low)).toEqual([4, 0, 4, 5, 0, 5]);
    // the other way round when cell 2's denominator is the small one
    const sys2 = system(
      x,
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      [1, 1, 1, 1, 1, 1],
      [Infinity, Infinity, 2, Infinity, Infinity, Infinity],
    );
    expect(Array.from(lowPoint(h, sys2, reason, x, 3))).toEqual([4, 4, 0, 5, 0, 5]);
  });

  it('keeps the true values without a solver, without masks, and for cells an earlier release published', async () => {
    const h = await loadSolver();
    const x = [4, 2, 2];
    const sys = system(x, [[0, 1, 2]], [1, 1, 1]);
    expect(Array.from(lowPoint(null, sys, Int8Array.from([-1, 0, 0]), x, 3))).toEqual(x);
    expect(Array.from(lowPoint(h, sys, Int8Array.from([-1, -1, -1]), x, 3))).toEqual(x);
    const pinned = { ...sys, pinned: Uint8Array.from([0, 1, 0]) };
    expect(Array.from(lowPoint(h, pinned, Int8Array.from([-1, 0, 0]), x, 3))).toEqual(x);
    // masked total and parts: all of them to 0
    expect(Array.from(lowPoint(h, sys, Int8Array.from([1, 0, 0]), x, 3))).toEqual([0, 0, 0]);
  });

  it('masks covers so that the cells of `zero` can be 0 at once, and holds them there', async () => {
    const h = await loadSolver();
    // cell 0 = 1 + 2 (4 = 2 + 2), cell 3 = 1 + 4 (3 = 2 + 1): cell 1 masked, the rest published, so
    // cell 1 is 2 for the attacker (4 - 2); its denominator is small, so its low point should be 0
    const x = [4, 2, 2, 3, 1];
    const eqs = [
      [0, 1, 2],
      [3, 1, 4],
    ];
    const sys = system(x, eqs, [1, 1, 1, 1, 1], [Infinity, 2, Infinity, Infinity, Infinity]);
    const masked = Int8Array.from([-1, 0, -1, -1, -1]);
    expect(lowPoint(h, sys, masked.slice(), x, 3)[1]).toBe(2);
    const reason = masked.slice();
    const low = lowPoint(h, sys, reason, x, 3, Int32Array.of(1));
    expect(low[1]).toBe(0);
    // covers were masked (secondary) in both equations, and the low point satisfies them
    expect(reason[1]).toBe(0);
    expect([0, 2].some((c) => reason[c] === 1)).toBe(true);
    expect([3, 4].some((c) => reason[c] === 1)).toBe(true);
    for (const e of eqs) expect(low[e[0]!]).toBe(low[e[1]!]! + low[e[2]!]!);
    // published cells keep their values
    for (let c = 0; c < x.length; c++) if (reason[c] === -1) expect(low[c]).toBe(x[c]);
  });

  it('solves a component whose LP low point is fractional again in whole numbers', async () => {
    const h = await loadSolver();
    // T1 = a + b, T2 = b + c, T3 = a + c, every T at least 1 (a low point below it), all masked:
    // the LP's lowest point is a = b = c = 1/2, which an attacker counting in whole numbers rules out
    const x = [2, 2, 2, 1, 1, 1];
    const eqs = [
      [0, 3, 4],
      [1, 4, 5],
      [2, 3, 5],
    ];
    const sys = { ...system(x, eqs, [1, 1, 1, 1, 1, 1]), lb: Float64Array.from([1, 1, 1, 0, 0, 0]) };
    const low = lowPoint(h, sys, new Int8Array(6), x, 3);
    for (const v of low) expect(Number.isInteger(v)).toBe(true);
    for (const e of eqs) expect(low[e[0]!]).toBe(low[e[1]!]! + low[e[2]!]!);
    for (let c = 0; c < 3; c++) expect(low[c]).toBeGreaterThanOrEqual(1);
    // the lowest whole point: two of a, b, c at 1 (sum 2, against 1.5 in the LP)
    expect(low[3]! + low[4]! + low[5]!).toBe(2);
  });

  it('gives every cell of a relation with a rest (cells after the buffer) a feasible value', async () => {
    const h = await loadSolver();
    // buffer: denominator 0 (x 5, masked), numerator 1 (x 3, published); pseudo cell 2: rest = 0 - 1
    const x = [5, 3];
    const sys = system([5, 3, 2], [[0, 1, 2]], [1, 1, 0]);
    const low = lowPoint(h, sys, Int8Array.from([1, -1]), x, 3);
    // the denominator as low as the published numerator allows (rest >= 0)
    expect(Array.from(low)).toEqual([3, 3]);
  });
});

describe('lowPointOrder', () => {
  it('puts every group after the groups it depends on, otherwise keeping the order', () => {
    expect(lowPointOrder([0, 1, 2, 3], [[], [], [], []])).toEqual([0, 1, 2, 3]);
    // 0 depends on 2 and 3, 1 on 0
    expect(lowPointOrder([0, 1, 2, 3], [[2, 3], [0], [], []])).toEqual([2, 3, 0, 1]);
    expect(lowPointOrder([3, 2, 1, 0], [[], [3], [], []])).toEqual([3, 2, 1, 0]);
    expect(() => lowPointOrder([0, 1], [[1], [0]])).toThrow(/Kreis/);
  });
});

describe('breakCycles', () => {
  it('closes a cycle of numerator <= denominator between groups as relations, and leaves the others', () => {
    // a over b and c over d; b and c related (one group), d and a related (one group): the groups
    // {b, c} and {a, d} depend on each other. e over a stays between groups.
    const pairs: ProportionPair[] = [
      { indicator: 'ab', num: 'a', den: 'b' },
      { indicator: 'cd', num: 'c', den: 'd' },
      { indicator: 'ea', num: 'e', den: 'a' },
    ];
    const relations = [
      { total: 'b', parts: ['c'], rest: true, origin: 'declared' as const, label: 'b >= c' },
      { total: 'd', parts: ['a'], rest: true, origin: 'declared' as const, label: 'd >= a' },
    ];
    const w: BoundWidening = { measures: new Set(), chosen: new Map() };
    expect(breakCycles(w, pairs, relations)).toBe(2);
    expect([...w.chosen.keys()].sort()).toEqual(['ab', 'cd']);
    // without the cycle nothing is chosen
    const w2: BoundWidening = { measures: new Set(), chosen: new Map() };
    expect(breakCycles(w2, pairs, relations.slice(0, 1))).toBe(0);
  });
});
