/**
 * Lookup tables for the SQL side: the statistics are computed here once per distinct
 * argument and joined in DuckDB instead of being re-implemented in SQL.
 * @module
 */
import { assertConfidence } from './normal.js';
import { poissonExact } from './poisson.js';
import { qt } from './student.js';

/** One row of {@link garwoodTable}. */
export interface GarwoodRow {
  k: number;
  low: number;
  high: number;
}

/** One row of {@link tQuantileTable}. */
export interface TQuantileRow {
  df: number;
  q: number;
}

/**
 * Garwood (exact Poisson) bounds for each distinct count in `ks`, ascending by `k`.
 * Rows are {@link poissonExact} results; scale by `unit / denominator` in SQL.
 *
 * @throws RangeError for a negative or non-finite count or an invalid confidence
 *
 * @example
 * ```ts
 * garwoodTable([3, 0, 3], 0.95);
 * // [ { k: 0, low: 0, high: 3.688879454113936 },
 * //   { k: 3, low: 0.6186721228956011, high: 8.767273069742325 } ]
 * ```
 */
export function garwoodTable(ks: Iterable<number>, confidence = 0.95): GarwoodRow[] {
  assertConfidence(confidence);
  const distinct = [...new Set(ks)].sort((a, b) => a - b);
  return distinct.map((k) => ({ k, ...poissonExact(k, confidence) }));
}

/**
 * Two-sided Student t critical values `q = qt(1 − α/2, df)` for `df = 1 … maxDf`
 * (the factor of the slope CI in {@link weightedTrend}). `maxDf < 1` gives `[]`.
 *
 * @example
 * ```ts
 * tQuantileTable(3, 0.95);
 * // [ { df: 1, q: 12.706204736174682 }, { df: 2, q: 4.302652729749462 },
 * //   { df: 3, q: 3.182446305283707 } ]
 * ```
 */
export function tQuantileTable(maxDf: number, confidence = 0.95): TQuantileRow[] {
  assertConfidence(confidence);
  const rows: TQuantileRow[] = [];
  const halfAlpha = (1 - confidence) / 2;
  for (let df = 1; df <= maxDf; df++) rows.push({ df, q: qt(halfAlpha, df, false) });
  return rows;
}
