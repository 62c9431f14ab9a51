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

/**
 * The draws in ascending order, as `Array.sort((a, b) => a - b)` orders them: a typed array sorts
 * numerically without calling a comparator. The two differ only for NaN and for -0 beside 0
 * (the comparator keeps equal values in their order, the typed sort puts -0 first); with either
 * present the comparator sort is used.
 */
export function sortedDraws(values: Float64Array): ArrayLike<number> {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v) || Object.is(v, -0)) return Array.from(values).sort((a, b) => a - b);
  }
  return values.sort();
}

/**
 * {@link needRanks} for the simulation's many draws, with its buffers kept: a value's rank is 1 +
 * the number of strictly larger values, found by binary search in the values sorted ascending.
 * The same ranks as needRanks (whose rank is the first position of the value in descending
 * order, which is that count); with NaN among the values needRanks itself answers.
 */
export class Ranker {
  private readonly sorted: Float64Array;
  private readonly out: (number | null)[];

  constructor(n: number) {
    this.sorted = new Float64Array(n);
    this.out = new Array<number | null>(n).fill(null);
  }

  ranks(index: readonly (number | null)[]): readonly (number | null)[] {
    let m = 0;
    for (const v of index) {
      if (v === null) continue;
      if (Number.isNaN(v)) return needRanks(index);
      this.sorted[m++] = v;
    }
    const sorted = this.sorted.subarray(0, m).sort();
    for (let i = 0; i < index.length; i++) {
      const v = index[i];
      if (v === null || v === undefined) {
        this.out[i] = null;
        continue;
      }
      // first position whose value is > v (-0 and 0 compare equal, as in needRanks' Map)
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((sorted[mid] as number) > v) hi = mid;
        else lo = mid + 1;
      }
      this.out[i] = m - lo + 1;
    }
    return this.out;
  }
}

/** Nearest-rank quantiles of the central `level` share of sorted draws. */
function central(sorted: ArrayLike<number>, level: number): [number, number] {
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
  // per area the draws' ranks and index values, in typed arrays (sorted numerically, without a comparator)
  const ranks = base.map(() => new Float64Array(draws));
  const idx = base.map(() => new Float64Array(draws));
  const nRanks = new Int32Array(n);
  const nIdx = new Int32Array(n);
  const draw = o.how === 'z' ? zDraw(input, base, directions, o, normal) : undefined;
  const ranker = new Ranker(n);
  for (let d = 0; d < draws; d++) {
    let index: (number | null)[];
    if (draw) index = draw();
    else {
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
      index = combine(standardise(drawn, directions, o.how), o.weights, o.minInputs);
    }
    const r = ranker.ranks(index);
    for (let i = 0; i < n; i++) {
      const ri = r[i];
      const xi = index[i];
      if (ri !== null && ri !== undefined) (ranks[i] as Float64Array)[nRanks[i]!++] = ri;
      if (xi !== null && xi !== undefined) (idx[i] as Float64Array)[nIdx[i]!++] = xi;
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
    const rs = sortedDraws((ranks[i] as Float64Array).subarray(0, nRanks[i]));
    const xs = sortedDraws((idx[i] as Float64Array).subarray(0, nIdx[i]));
    const [rl, rh] = rs.length ? central(rs, level) : [null, null];
    const [xl, xh] = xs.length ? central(xs, level) : [null, null];
    out.rankLow.push(rl);
    out.rankHigh.push(rh);
    out.indexLow.push(xl);
    out.indexHigh.push(xh);
  }
  return out;
}

/**
 * One draw of the index with z-scores, on flat arrays: the same draws in the same order and the
 * same arithmetic in the same order as the generic path (`standardise` with `zScores`, then
 * `combine`), so the results are identical to the last bit; about ten times faster, because the
 * simulation (1,000 draws) was most of the Sozialindex stage.
 */
function zDraw(
  input: IndexInput,
  base: readonly (readonly (number | null)[])[],
  directions: readonly (1 | -1)[],
  o: SimulationOptions,
  normal: () => number,
): () => (number | null)[] {
  const n = base.length;
  const m = directions.length;
  const present = new Uint8Array(n * m);
  const value = new Float64Array(n * m);
  // NaN: no usable interval, the drawn value is the value itself (not clamped, as in the generic path)
  const lo = new Float64Array(n * m).fill(Number.NaN);
  const hi = new Float64Array(n * m).fill(Number.NaN);
  const max = Float64Array.from({ length: m }, (_, j) => input.indicators[j]?.max ?? Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const v = base[i]?.[j] ?? null;
      if (v === null) continue;
      const k = i * m + j;
      present[k] = 1;
      value[k] = v;
      const cell = input.values[i]?.[j];
      const l = cell?.ciLow ?? null;
      const h = cell?.ciHigh ?? null;
      if (l !== null && h !== null && Number.isFinite(l) && Number.isFinite(h)) {
        lo[k] = l;
        hi[k] = h;
      }
    }
  const oriented = new Float64Array(n * m);
  const usable = new Uint8Array(n * m);
  const mean = new Float64Array(m);
  const sd = new Float64Array(m);
  return () => {
    // draws row by row, cell by cell, one normal draw per present cell (the generic path's order)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const k = i * m + j;
        usable[k] = 0;
        if (!present[k]) continue;
        const v = value[k] as number;
        const z = normal();
        const l = lo[k] as number;
        let x = v;
        if (!Number.isNaN(l)) {
          const h = hi[k] as number;
          x = z < 0 ? v + (z * (v - l)) / Z95 : v + (z * (h - v)) / Z95;
          x = Math.min(max[j] as number, Math.max(0, x));
        }
        const y = x * (directions[j] as number);
        oriented[k] = y;
        usable[k] = Number.isFinite(y) ? 1 : 0;
      }
    // zScores: mean and sample SD per column over the values present, in row order
    for (let j = 0; j < m; j++) {
      let count = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const k = i * m + j;
        if (usable[k]) {
          sum += oriented[k] as number;
          count++;
        }
      }
      if (count === 0) {
        mean[j] = Number.NaN;
        sd[j] = Number.NaN;
        continue;
      }
      const mu = sum / count;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const k = i * m + j;
        if (usable[k]) ss += ((oriented[k] as number) - mu) * ((oriented[k] as number) - mu);
      }
      mean[j] = mu;
      sd[j] = count > 1 ? Math.sqrt(ss / (count - 1)) : Number.NaN;
    }
    // combine: weighted mean of the z-scores present, in column order
    const index: (number | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let sw = 0;
      let s = 0;
      let used = 0;
      for (let j = 0; j < m; j++) {
        const k = i * m + j;
        if (!usable[k]) continue;
        const sj = sd[j] as number;
        const zv = sj > 0 ? ((oriented[k] as number) - (mean[j] as number)) / sj : 0;
        used++;
        s += (o.weights[j] as number) * zv;
        sw += o.weights[j] as number;
      }
      index[i] = used >= o.minInputs && sw !== 0 ? s / sw : null;
    }
    return index;
  };
}
