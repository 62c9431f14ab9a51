/**
 * Small-number statistics for indicator rates: distribution quantiles, Wilson and exact
 * Poisson intervals, weighted trends, comparison against a reference, and lookup tables
 * for the SQL side. Pure functions; every public result is checked against R in
 * `tests/stats/reference`.
 *
 * @example
 * ```ts
 * import { wilson, poissonExact, weightedTrend } from './stats/index.js';
 * wilson(3, 20);   // { low: 0.052368745896216616, high: 0.3604188647407569 }
 * poissonExact(4); // { low: 1.089865373626325, high: 10.2415886754037 }
 * ```
 * @module
 */
export { qnorm, zValue, assertConfidence } from './normal.js';
export { lgamma, lbeta, stirlerr, bd0 } from './lgamma.js';
export { pgamma, qgamma, pchisq, qchisq, gammaTails } from './gamma.js';
export { pbeta, betaTails } from './beta.js';
export { pt, qt, dt } from './student.js';
export type { Interval } from './interval.js';
export { wilson } from './wilson.js';
export { poissonExact } from './poisson.js';
export { weightedTrend } from './trend.js';
export type { TrendPoint, TrendFit } from './trend.js';
export { exceedsReference, orient } from './compare.js';
export type { Direction, Polarity, Assessment } from './compare.js';
export { garwoodTable, tQuantileTable } from './tables.js';
export type { GarwoodRow, TQuantileRow } from './tables.js';
