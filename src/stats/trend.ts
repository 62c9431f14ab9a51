/**
 * Weighted least-squares trend line with a confidence interval for its slope.
 * @module
 */
import { assertConfidence } from './normal.js';
import { qt } from './student.js';

/** One observation of a series: `x` (e.g. the year), `y` (the rate), `w` (its weight). */
export interface TrendPoint {
  x: number;
  y: number;
  w: number;
}

/** Result of {@link weightedTrend}. */
export interface TrendFit {
  /** Change of `y` per unit of `x` (per year). */
  slope: number;
  /** Fitted value at `x = 0` (as R reports it; for years this is far outside the data). */
  intercept: number;
  /** Standard error of the slope; `null` when `df = 0` (two points). */
  se: number | null;
  /** Residual degrees of freedom: number of points with positive weight minus 2. */
  df: number;
  /** Lower confidence bound of the slope, `slope − t(1−α/2, df)·se`; `null` when `df = 0`. */
  low: number | null;
  /** Upper confidence bound of the slope; `null` when `df = 0`. */
  high: number | null;
}

const EPS = Number.EPSILON;

/**
 * Weighted least-squares line `y = intercept + slope·x` — the same numbers as R
 * `lm(y ~ x, weights = w)` with `confint(fit)[2, ]` for the slope interval
 * (`slope ± qt(1 − α/2, n − 2)·se`, residual variance estimated from the weighted
 * residuals).
 *
 * Numerically stable: `x` and `y` are taken relative to the first point and centred at
 * their weighted means before the sums of squares are formed. Points with a non-finite `x`, `y` or `w` are dropped (like
 * `na.omit`), points with `w = 0` do not count (like `lm`). A residual sum of squares at
 * rounding level is taken as an exact fit (`se = 0`).
 *
 * @returns `null` when fewer than two points with positive weight remain or all their
 *   `x` are equal; `se`, `low`, `high` are `null` for exactly two points.
 * @throws RangeError for a negative weight or a confidence outside (0, 1)
 *
 * @example
 * ```ts
 * weightedTrend([
 *   { x: 2020, y: 10, w: 1 }, { x: 2021, y: 12, w: 1 }, { x: 2022, y: 13, w: 2 },
 * ]);
 * // { slope: 1.4545454545454546, intercept: -2928, se: 0.25712973861328997,
 * //   df: 1, low: -1.8125976480340884, high: 4.721688557124997 }
 * ```
 */
export function weightedTrend(points: readonly TrendPoint[], confidence = 0.95): TrendFit | null {
  return weightedTrendOf(points, 0, points.length, confidence);
}

/**
 * {@link weightedTrend} of `points[from]` … `points[to - 1]`, without copying them: the trend step
 * fits every year's window of a series (the sample Kreis: 20,000 fits). The same points in the
 * same order, the same arithmetic: the same bits.
 */
export function weightedTrendOf(
  points: readonly TrendPoint[],
  from: number,
  to: number,
  confidence = 0.95,
): TrendFit | null {
  assertConfidence(confidence);
  // the points that count: finite, positive weight (in order; `first` is the first of them)
  let n = 0;
  let first: TrendPoint | undefined;
  let sameX = true;
  for (let i = from; i < to; i++) {
    const p = points[i] as TrendPoint;
    if (p.w < 0) throw new RangeError(`weightedTrend: negative weight ${p.w} at x = ${p.x}`);
    if (!counts(p)) continue;
    n++;
    if (first === undefined) first = p;
    else if (p.x !== first.x) sameX = false;
  }
  if (n < 2 || first === undefined) return null;
  if (sameX) return null;

  // Work in coordinates relative to the first point (exact for whole years), so that the
  // centred values carry no rounding error from the level of x (≈ 2020) or y.
  let sw = 0;
  let su = 0;
  let sv = 0;
  for (let i = from; i < to; i++) {
    const p = points[i] as TrendPoint;
    if (!counts(p)) continue;
    sw += p.w;
    su += p.w * (p.x - first.x);
    sv += p.w * (p.y - first.y);
  }
  const ubar = su / sw;
  const vbar = sv / sw;

  let sxx = 0;
  let sxy = 0;
  for (let i = from; i < to; i++) {
    const p = points[i] as TrendPoint;
    if (!counts(p)) continue;
    const du = p.x - first.x - ubar;
    sxx += p.w * du * du;
    sxy += p.w * du * (p.y - first.y - vbar);
  }
  const slope = sxy / sxx;
  const intercept = first.y + vbar - slope * (first.x + ubar);
  const df = n - 2;
  if (df === 0) return { slope, intercept, se: null, df, low: null, high: null };

  let rss = 0;
  let scale = 0;
  for (let i = from; i < to; i++) {
    const p = points[i] as TrendPoint;
    if (!counts(p)) continue;
    const dv = p.y - first.y - vbar;
    const fit = slope * (p.x - first.x - ubar);
    const r = dv - fit;
    rss += p.w * r * r;
    const s = Math.abs(dv) + Math.abs(fit) + Math.abs(p.y - first.y) + Math.abs(vbar);
    scale += p.w * s * s;
  }
  if (rss <= 64 * EPS * EPS * scale) rss = 0;
  const se = Math.sqrt(rss / df / sxx);
  const q = tQuantile(confidence, df);
  return { slope, intercept, se, df, low: slope - q * se, high: slope + q * se };
}

/** A point counts when x, y and w are finite and w is positive (like `na.omit` and `lm`'s zero weights). */
function counts(p: TrendPoint): boolean {
  return Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.w) && p.w > 0;
}

/**
 * `qt((1 - confidence) / 2, df, false)`, remembered per (confidence, df): a run fits one trend
 * per series and year (the sample Kreis: 20,000) with only a few distinct df, and each `qt` is
 * an iterative inversion (about 10 µs). The same function of the same arguments: same bits.
 */
const quantiles = new Map<number, Map<number, number>>();
function tQuantile(confidence: number, df: number): number {
  // keyed by the numbers themselves (no key string built per fit); -0 and 0 share an entry, as their text did
  let byDf = quantiles.get(confidence);
  if (byDf === undefined) quantiles.set(confidence, (byDf = new Map()));
  let q = byDf.get(df);
  if (q === undefined) {
    q = qt((1 - confidence) / 2, df, false);
    byDf.set(df, q);
  }
  return q;
}
