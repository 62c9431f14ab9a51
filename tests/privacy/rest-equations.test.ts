/**
 * A relation's rest (den = num + rest, or total = Σ parts + rest) is a pseudo member of the group.
 * It gets no hierarchy or window equation of its own: those follow from its total's and parts'
 * equations, and they tied every rest of the group into one chain of unknowns, so that every
 * masked cell ended up in one audit component (NRW bench at min_count 5: 744,066 cells).
 */
import { describe, expect, it } from 'vitest';
import { MeasureBuffer, prepareGroup, type GroupState } from '../../src/privacy/db.js';

/** Kommune (area 0, level 1) with Sozialräume 1 and 2 (level 0); 2020, 2021 and the window 2020–2021. */
function group(...members: number[][]): MeasureBuffer {
  const b = new MeasureBuffer();
  const cells: [number, number, number][] = [
    [1, 0, -1],
    [0, 1, 0],
    [0, 2, 0],
  ];
  members.forEach((values, member) => {
    // values: SR1 2020, SR2 2020, SR1 2021, SR2 2021
    const [a20, b20, a21, b21] = values as [number, number, number, number];
    const at = { 2020: [a20 + b20, a20, b20], 2021: [a21 + b21, a21, b21] } as const;
    cells.forEach(([lvl, area, parent], k) => {
      for (const year of [2020, 2021] as const) {
        b.push(lvl, area, parent, year, 1, at[year][k]!, true, false);
        b.member.push(member);
      }
      b.push(lvl, area, parent, 2021, 2, at[2020][k]! + at[2021][k]!, true, false);
      b.member.push(member);
    });
  });
  return b;
}

describe('the rest of a relation', () => {
  it('is in its cell’s relation only: no hierarchy or window equation chains the rests', () => {
    const b = group([10, 12, 11, 9], [1, 5, 4, 6]);
    const n0 = b.size;
    const state = prepareGroup(b, 3, [{ total: 0, parts: [1], rest: true, bound: true }], true) as GroupState;
    expect(state.n0).toBe(n0);
    const { eqStart, eqCells } = state.system;
    const equationsOf = new Map<number, number>();
    const totals: number[] = [];
    for (let k = 0; k + 1 < eqStart.length; k++) {
      totals.push(eqCells[eqStart[k]!]!);
      for (let j = eqStart[k]!; j < eqStart[k + 1]!; j++)
        equationsOf.set(eqCells[j]!, (equationsOf.get(eqCells[j]!) ?? 0) + 1);
    }
    // one rest per cell of the denominator (9), each in exactly one equation (its relation)
    const rests = [...equationsOf.keys()].filter((c) => c >= n0);
    expect(rests).toHaveLength(9);
    for (const r of rests) expect(equationsOf.get(r)).toBe(1);
    expect(totals.filter((t) => t >= n0)).toEqual([]);
    // the published measures keep theirs: per member 2 hierarchy (one a year), 3 window (one per
    // area) and 1 pooled-hierarchy equation, and 9 relations
    expect(totals).toHaveLength(2 * (2 + 3 + 1) + 9);
  });

  // cell index in group(): member * 9 + (0 Kommune, 1 SR1, 2 SR2) * 3 + (0: 2020, 1: 2021, 2: window)
  const at = (member: number, area: number, year: 0 | 1) => member * 9 + area * 3 + year;

  it("caps a part's protection level at its total's count only where the relation holds there", () => {
    // den 2 over num 1 (SR1 2020): level 2; den 1 under num 2 (SR2 2021, sources that disagree): 3
    const b = group([2, 10, 11, 1], [1, 5, 4, 2]);
    const state = prepareGroup(b, 3, [{ total: 0, parts: [1], rest: true, bound: true }], true) as GroupState;
    const cap = state.system.levelCap!;
    expect(cap[at(1, 1, 0)]).toBe(2);
    expect(cap[at(1, 2, 1)]).toBe(Infinity);
  });

  it('caps each part of disjoint subgroups (total >= a + b) at the total, where the parts fit under it', () => {
    // SR1 2020: total 2 >= 1 + 1: both capped at 2; SR2 2021: total 3 < 2 + 2: neither
    const b = group([2, 10, 11, 3], [1, 5, 4, 2], [1, 4, 6, 2]);
    const state = prepareGroup(b, 3, [{ total: 0, parts: [1, 2], rest: true, bound: true }], true) as GroupState;
    const cap = state.system.levelCap!;
    expect([cap[at(1, 1, 0)], cap[at(2, 1, 0)]]).toEqual([2, 2]);
    expect([cap[at(1, 2, 1)], cap[at(2, 2, 1)]]).toEqual([Infinity, Infinity]);
  });
});
