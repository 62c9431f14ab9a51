/**
 * How sure is a rank? Each published input rate is drawn from a distribution
 * matching its published 95 % interval — a two-piece normal with its mode at
 * the value and the lower / upper half-widths / 1.96 as the two standard
 * deviations (so asymmetric Wilson and Poisson intervals stay asymmetric), cut
 * at 0 and at the indicator's maximum — and the index is rebuilt from scratch
 * (standardisation over the drawn values, the same weights). The central
 * `level` share of the ranks and index values over the draws is the interval.
 * Deterministic: a seeded generator, draws in a fixed order.
 */
import { mulberry32, normalDraws } from './prng.js';
import { combine, needRanks, standardise, usableValues } from './index-core.js';
import type { IndexInput, Standardisation } from './types.js';

export interface SimulationOptions {
  how: Standardisation;
  weights: readonly number[];
  minInputs: number;
  draws?: number;
  seed?: number;
  level?: number;
}

export interface SimulationResult {
  rankLow: (number | null)[];
  rankHigh: (number | null)[];
  indexLow: (number | null)[];
  indexHigh: (number | null)[];
  settings: { draws: number; seed: number; level: number };
}

const Z95 = 1.959963984540054;

/** Nearest-rank quantiles of the central `level` share of sorted draws. */
function central(sorted: readonly number[], level: number): [number, number] {
  const n = sorted.length;
  const a = (1 - level) / 2;
  const lo = sorted[Math.max(0, Math.min(n - 1, Math.floor(a * n)))] as number;
  const hi = sorted[Math.max(0, Math.min(n - 1, Math.ceil((1 - a) * n) - 1))] as number;
  return [lo, hi];
}

export function simulateRanks(input: IndexInput, o: SimulationOptions): SimulationResult {
  const draws = o.draws ?? 1000;
  const seed = o.seed ?? 1;
  const level = o.level ?? 0.9;
  if (!(draws >= 1) || !(level > 0 && level < 1))
    throw new Error('Sozialindex: Simulation braucht mindestens 1 Ziehung und ein Niveau zwischen 0 und 1');
  const base = usableValues(input);
  const directions = input.indicators.map((i) => i.direction);
  const normal = normalDraws(mulberry32(seed));
  const n = base.length;
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
        const max = input.indicators[j]?.max ?? Number.POSITIVE_INFINITY;
        return Math.min(max, Math.max(0, x));
      }),
    );
    const index = combine(standardise(drawn, directions, o.how), o.weights, o.minInputs);
    const r = needRanks(index);
    for (let i = 0; i < n; i++) {
      const ri = r[i];
      const xi = index[i];
      if (ri !== null && ri !== undefined) (ranks[i] as number[]).push(ri);
      if (xi !== null && xi !== undefined) (idx[i] as number[]).push(xi);
    }
  }
  const out: SimulationResult = {
    rankLow: [],
    rankHigh: [],
    indexLow: [],
    indexHigh: [],
    settings: { draws, seed, level },
  };
  for (let i = 0; i < n; i++) {
    const rs = (ranks[i] as number[]).sort((a, b) => a - b);
    const xs = (idx[i] as number[]).sort((a, b) => a - b);
    const [rl, rh] = rs.length ? central(rs, level) : [null, null];
    const [xl, xh] = xs.length ? central(xs, level) : [null, null];
    out.rankLow.push(rl);
    out.rankHigh.push(rh);
    out.indexLow.push(xl);
    out.indexHigh.push(xh);
  }
  return out;
}
