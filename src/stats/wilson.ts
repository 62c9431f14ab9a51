/**
 * Wilson score interval for a proportion.
 * @module
 */
import type { Interval } from './interval.js';
import { zValue } from './normal.js';

/**
 * Wilson score interval for the proportion `k / n`, without continuity correction —
 * the same numbers as R `prop.test(k, n, correct = FALSE)$conf.int`.
 *
 * Valid for `k = 0` (low is exactly 0) and `k = n` (high is exactly 1) and for
 * non-integer `k` (e.g. a count that is a Jahresdurchschnitt). The lower bound is
 * evaluated as `p² / (p + z²/2n + z·√(p(1−p)/n + z²/4n²))`, algebraically equal to the
 * textbook form but free of cancellation for small `k / n`.
 *
 * @param k number of cases, `0 ≤ k ≤ n`
 * @param n denominator, `n ≥ 0`; `n = 0` returns `null` (nothing to show)
 * @param confidence two-sided confidence level, default 0.95
 * @throws RangeError for non-finite or out-of-range `k`, `n` or `confidence`
 *
 * @example
 * ```ts
 * wilson(3, 20);  // { low: 0.052368745896216616, high: 0.3604188647407569 }
 * wilson(0, 10);  // { low: 0, high: 0.27753279986288915 }
 * wilson(0, 0);   // null
 * ```
 */
export function wilson(k: number, n: number, confidence = 0.95): Interval | null {
  const z = zValue(confidence);
  if (!(Number.isFinite(n) && n >= 0)) throw new RangeError(`wilson: n must be finite and ≥ 0, got ${n}`);
  if (!(Number.isFinite(k) && k >= 0 && k <= n)) {
    throw new RangeError(`wilson: k must be finite with 0 ≤ k ≤ n, got k = ${k}, n = ${n}`);
  }
  if (n === 0) return null;
  const p = k / n;
  const z22n = (z * z) / (2 * n);
  const root = z * Math.sqrt((p * (1 - p)) / n + z22n / (2 * n));
  const low = k === 0 ? 0 : (p * p) / (p + z22n + root);
  const high = k === n ? 1 : (p + z22n + root) / (1 + 2 * z22n);
  return { low: Math.min(Math.max(low, 0), p), high: Math.max(Math.min(high, 1), p) };
}
