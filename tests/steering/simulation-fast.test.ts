/**
 * The rank simulation with z-scores runs on flat arrays (src/steering/uncertainty.ts `zDraw`): it must
 * give the same intervals, to the last bit, as the plain steps (`standardise`, `combine`,
 * `needRanks`) written out below as the reference, on inputs with masked and missing cells,
 * missing or infinite intervals, caps, both directions, uneven weights and a minimum of inputs.
 */
import { describe, expect, it } from 'vitest';
import { Ranker, simulateRanks, sortedDraws } from '../../src/steering/uncertainty.js';
import { combine, needRanks, standardise, usableValues } from '../../src/steering/index-core.js';
import { mulberry32, normalDraws } from '../../src/steering/prng.js';
import type { IndexInput, InputValue } from '../../src/steering/types.js';

const Z95 = 1.959963984540054;

/** The simulation as the generic path computes it (draws, then standardise and combine per draw). */
function reference(
  input: IndexInput,
  weights: number[],
  minInputs: number,
  draws: number,
  seed: number,
  level: number,
) {
  const base = usableValues(input);
  const directions = input.indicators.map((i) => i.direction);
  const normal = normalDraws(mulberry32(seed));
  const ranks: number[][] = base.map(() => []);
  const idx: number[][] = base.map(() => []);
  for (let d = 0; d < draws; d++) {
    const drawn = base.map((row, i) =>
      row.map((v, j) => {
        if (v === null) return null;
        const cell = input.values[i]?.[j];
        const z = normal();
        const lo = cell?.ciLow ?? null;
        const hi = cell?.ciHigh ?? null;
        if (lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi)) return v;
        const x = z < 0 ? v + (z * (v - lo)) / Z95 : v + (z * (hi - v)) / Z95;
        return Math.min(input.indicators[j]?.max ?? Number.POSITIVE_INFINITY, Math.max(0, x));
      }),
    );
    const index = combine(standardise(drawn, directions, 'z'), weights, minInputs);
    const r = needRanks(index);
    index.forEach((x, i) => {
      if (r[i] !== null) ranks[i]?.push(r[i] as number);
      if (x !== null) idx[i]?.push(x);
    });
  }
  const central = (xs: number[]): [number | null, number | null] => {
    if (!xs.length) return [null, null];
    const s = [...xs].sort((a, b) => a - b);
    const a = (1 - level) / 2;
    return [
      s[Math.max(0, Math.min(s.length - 1, Math.floor(a * s.length)))] as number,
      s[Math.max(0, Math.min(s.length - 1, Math.ceil((1 - a) * s.length) - 1))] as number,
    ];
  };
  return {
    rankLow: ranks.map((r) => central(r)[0]),
    rankHigh: ranks.map((r) => central(r)[1]),
    indexLow: idx.map((x) => central(x)[0]),
    indexHigh: idx.map((x) => central(x)[1]),
  };
}

function randomInput(seed: number, areas: number, indicators: number): IndexInput {
  const rng = mulberry32(seed);
  const values: InputValue[][] = [];
  for (let i = 0; i < areas; i++) {
    const row: InputValue[] = [];
    for (let j = 0; j < indicators; j++) {
      const u = rng();
      const v = Math.round(rng() * 4000) / 100;
      if (u < 0.08) row.push({ value: null });
      else if (u < 0.14) row.push({ value: v, masked: true });
      else if (u < 0.2)
        row.push({ value: v }); // no interval: drawn as the value itself
      else if (u < 0.23) row.push({ value: v, ciLow: Number.NEGATIVE_INFINITY, ciHigh: v + 1 });
      else if (u < 0.25) row.push({ value: Number.NaN });
      else row.push({ value: v, ciLow: Math.max(0, v - rng() * 8), ciHigh: v + rng() * 12 });
    }
    values.push(row);
  }
  return {
    areas: values.map((_, i) => ({ id: `S${i}` })),
    indicators: Array.from({ length: indicators }, (_, j) => ({
      id: `i${j}`,
      direction: j % 3 === 0 ? -1 : 1,
      ...(j % 4 === 1 ? { max: 30 } : {}),
    })),
    values,
  };
}

describe('rank simulation with z-scores', () => {
  it.each([
    [1, 66, 16, 1],
    [7, 40, 5, 3],
    [11, 3, 4, 2],
    [23, 25, 1, 1],
  ])(
    'equals the plain steps bit for bit (seed %i, %i areas, %i indicators, min %i inputs)',
    (seed, n, m, minInputs) => {
      const input = randomInput(seed, n, m);
      const weights = Array.from({ length: m }, (_, j) => 1 + (j % 3) * 0.5);
      const got = simulateRanks(input, { how: 'z', weights, minInputs, draws: 200, seed: seed + 1, level: 0.9 });
      const want = reference(input, weights, minInputs, 200, seed + 1, 0.9);
      expect(got.rankLow).toEqual(want.rankLow);
      expect(got.rankHigh).toEqual(want.rankHigh);
      // toEqual on numbers is Object.is: bit-identical doubles (and -0 apart from 0)
      expect(got.indexLow).toEqual(want.indexLow);
      expect(got.indexHigh).toEqual(want.indexHigh);
      expect(got.indexLow.some((x) => x !== null)).toBe(true);
    },
  );
});

describe('the simulation’s rank and sort helpers', () => {
  const rng = mulberry32(7);
  const pick = (k: number): (number | null)[] =>
    Array.from({ length: k }, () => {
      const u = rng();
      if (u < 0.1) return null;
      if (u < 0.3) return Math.round(rng() * 4) - 2; // ties, 0
      if (u < 0.35) return -0;
      return rng() * 10 - 5;
    });

  it('Ranker gives needRanks’ ranks (ties, nulls, 0 beside -0) and falls back to it with NaN', () => {
    const ranker = new Ranker(60);
    for (let t = 0; t < 200; t++) {
      const index = pick(60);
      expect([...ranker.ranks(index)]).toEqual(needRanks(index));
    }
    const withNaN = [1, Number.NaN, 2, null, 2];
    expect([...new Ranker(5).ranks(withNaN)]).toEqual(needRanks(withNaN));
  });

  it('sortedDraws orders as Array.sort with (a, b) => a - b, -0 and NaN included', () => {
    for (let t = 0; t < 200; t++) {
      const values = pick(50).map((v) => v ?? Number.NaN);
      if (t % 2 === 0) values.forEach((v, i) => Number.isNaN(v) && (values[i] = 0));
      const expected = [...values].sort((a, b) => a - b);
      const got = Array.from(sortedDraws(Float64Array.from(values)));
      expect(got.map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
        expected.map((v) => (Object.is(v, -0) ? '-0' : String(v))),
      );
    }
  });
});
