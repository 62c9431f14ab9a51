/**
 * Comparison of an area against a reference value, and orientation by polarity.
 * @module
 */
import type { Interval } from './interval.js';

/** Direction of a statistically distinguishable difference. */
export type Direction = 'higher' | 'lower' | 'not_distinguishable';
/** What a higher value of an indicator means (indicator `polarity`). */
export type Polarity = 'worse' | 'better' | 'neutral';
/** A direction read through the indicator's polarity. */
export type Assessment = 'worse' | 'better' | 'higher' | 'lower' | 'not_distinguishable';

/**
 * The stated test: an area differs significantly from a reference (its Kommune or
 * Kreis) when the area's own confidence interval excludes the reference value. The
 * reference itself is treated as fixed (no interval of its own).
 *
 * Returns `'higher'` when `ci.low > reference`, `'lower'` when `ci.high < reference`,
 * otherwise (including a reference on the boundary, or any NaN) `'not_distinguishable'`.
 *
 * @example
 * ```ts
 * exceedsReference({ low: 0.12, high: 0.2 }, 0.1);  // 'higher'
 * exceedsReference({ low: 0.05, high: 0.15 }, 0.1); // 'not_distinguishable'
 * ```
 */
export function exceedsReference(ci: Interval, reference: number): Direction {
  if (ci.low > reference) return 'higher';
  if (ci.high < reference) return 'lower';
  return 'not_distinguishable';
}

/**
 * Reads a direction through the indicator's polarity: with polarity `'worse'` (a higher
 * value is worse) `'higher'` becomes `'worse'` and `'lower'` becomes `'better'`; with
 * `'better'` the reverse; `'neutral'` keeps `'higher'`/`'lower'`.
 * `'not_distinguishable'` stays as it is.
 *
 * @example
 * ```ts
 * orient('higher', 'worse');   // 'worse'
 * orient('higher', 'better');  // 'better'
 * orient('lower', 'neutral');  // 'lower'
 * ```
 */
export function orient(direction: Direction, polarity: Polarity): Assessment {
  if (direction === 'not_distinguishable' || polarity === 'neutral') return direction;
  const higherIsWorse = polarity === 'worse';
  return (direction === 'higher') === higherIsWorse ? 'worse' : 'better';
}
