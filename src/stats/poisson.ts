/**
 * Exact (Garwood) confidence interval for a Poisson count.
 * @module
 */
import { qgamma } from './gamma.js';
import type { Interval } from './interval.js';
import { assertConfidence } from './normal.js';

/**
 * Exact (Garwood, chi-square) interval for the mean of a Poisson count `k`, with
 * `α = 1 − confidence`:
 *
 * - `low  = qchisq(α/2, 2k) / 2 = qgamma(α/2, k)` (0 for `k = 0`),
 * - `high = qchisq(1 − α/2, 2k + 2) / 2 = qgamma(1 − α/2, k + 1)`.
 *
 * For integer `k` this equals R `poisson.test(k, conf.level = confidence)$conf.int`.
 * For non-integer `k` (a count averaged over years) the same gamma formula is applied
 * with the non-integer shape — the continuous extension R's `poisson.test` refuses but
 * `qgamma` supports; it is monotone in `k` and reduces to Garwood at integers.
 * The caller scales the interval by `unit / denominator` to get a rate interval.
 *
 * @param k observed count, finite and ≥ 0
 * @param confidence two-sided confidence level, default 0.95
 * @throws RangeError for negative or non-finite `k` or a confidence outside (0, 1)
 *
 * @example
 * ```ts
 * poissonExact(0);  // { low: 0, high: 3.688879454113936 }
 * poissonExact(10); // { low: 4.795388696132435, high: 18.390356042017775 }
 * ```
 */
export function poissonExact(k: number, confidence = 0.95): Interval {
  assertConfidence(confidence);
  if (!(Number.isFinite(k) && k >= 0)) throw new RangeError(`poissonExact: k must be finite and ≥ 0, got ${k}`);
  const halfAlpha = (1 - confidence) / 2;
  const low = k === 0 ? 0 : qgamma(halfAlpha, k);
  const high = qgamma(halfAlpha, k + 1, false);
  return { low: Math.min(low, k), high: Math.max(high, k) };
}
