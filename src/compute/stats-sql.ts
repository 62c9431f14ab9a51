/**
 * SQL for the honest-small-numbers columns, from `spm_results` to `spm_stats`:
 *
 * 1. intervals: Wilson score (proportions, closed form in SQL) or exact Poisson
 *    (Garwood, from the lookup table `spm_poisson` that JS fills with chi-square
 *    quantiles), scaled to the unit
 * 2. comparisons: each Sozialraum vs its Kommune and the Kreis, each Kommune vs
 *    the Kreis: difference, ratio, significance = the area's interval excludes
 *    the reference value, oriented by polarity
 * 3. time: previous year and base year (absolute, relative) by window
 *    functions, declared breaks from the small table `spm_iyears`
 * 4. trend: weighted least squares over the last N years (weights =
 *    denominators), computed in JS by the R-checked `weightedTrend`
 *    (compute/trend-js.ts) into `spm_trend`; a trend starts at the latest
 *    declared break
 * 5. Ampel: relative (significance vs the reference) or absolute (Zielwert)
 *
 * Masks (`spm_masks`, from src/privacy) are joined here; masking of the
 * published columns happens in publish/published.ts.
 */
import type { CompiledSql } from '../compile/types.js';
import { Params } from './params.js';

export interface StatsSqlOptions {
  z: number;
  baseYear?: number;
  trendYears: number;
  /**
   * A small project (api/session.ts `SMALL_PUBLISHED_ROWS`): the neighbours of every row in one
   * statement instead of four (see {@link neighboursSql}).
   */
  small?: boolean;
}

/** Step 1 (intervals), then — after the JS trend pass fills `spm_trend` — step 3. */
export function statsSql(o: StatsSqlOptions): {
  ci: CompiledSql;
  years: CompiledSql;
  neighbours: CompiledSql[];
  final: CompiledSql;
} {
  return {
    ci: ciSql(o),
    years: indicatorYearsSql(o),
    neighbours: o.small ? [neighboursOneSql()] : neighboursSql(),
    final: finalSql(),
  };
}

/** The series key of a row of spm_ci (unique with the year). */
const SERIES_KEY = ['indicator_id', 'level', 'area_id', 'pool_years'] as const;
const sameSeries = (a: string, b: string): string => SERIES_KEY.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');

/**
 * Step 2b: spm_ci with each row's previous year's and base year's value and mask and its trend
 * (\`spm_ci_nb\`, read by the view instead of spm_ci), in four statements with one large join
 * each: three narrow ones on the series key, then the rows themselves. The view joined all three
 * at once (two self-joins of spm_ci and spm_trend, each as large as spm_ci) beside its other joins:
 * DuckDB then ran out of memory instead of spilling (NRW under 256 MB, 4x NRW under 1 GiB) and
 * publishing was repeated under 80 % of RAM. One large join per statement spills.
 */
function neighboursSql(): CompiledSql[] {
  const ci = 'SELECT indicator_id, level, area_id, pool_years, year, value, suppression FROM spm_ci';
  const key = `${SERIES_KEY.map((k) => `c.${k}`).join(', ')}, c.year`;
  const prev = `CREATE OR REPLACE TABLE spm_nb_prev AS
SELECT ${key}, p.value AS prev_value, p.suppression AS prev_suppression
FROM spm_ci c
LEFT JOIN (${ci}) p ON ${sameSeries('p', 'c')} AND p.year = c.year - 1`;
  const trend = `CREATE OR REPLACE TABLE spm_nb_trend AS
SELECT c.*, t.trend_from, t.trend_n, t.trend_masked, t.trend_slope, t.trend_low, t.trend_high
FROM spm_nb_prev c
LEFT JOIN spm_trend t ON ${sameSeries('t', 'c')} AND t.year = c.year;
DROP TABLE spm_nb_prev`;
  const base = `CREATE OR REPLACE TABLE spm_nb AS
SELECT c.*, b.value AS base_value, b.suppression AS base_suppression
FROM spm_nb_trend c
LEFT JOIN spm_iyears iy ON iy.indicator_id = c.indicator_id AND iy.year = c.year
LEFT JOIN (${ci}) b ON ${sameSeries('b', 'c')} AND b.year = iy.base_year_eff;
DROP TABLE spm_nb_trend`;
  const rows = `CREATE OR REPLACE TABLE spm_ci_nb AS
SELECT c.*, n.prev_value, n.prev_suppression, n.base_value, n.base_suppression,
  n.trend_from, n.trend_n, n.trend_masked, n.trend_slope, n.trend_low, n.trend_high
FROM spm_ci c
LEFT JOIN spm_nb n ON ${sameSeries('n', 'c')} AND n.year = c.year;
DROP TABLE spm_nb`;
  return [prev, trend, base, rows].map((sql) => ({ sql, parameters: [] }));
}

/**
 * Step 2b of a small project: the same table as {@link neighboursSql} builds, in one statement with
 * the three joins. Written into tables four times over, the sample Kreis's rows took more time
 * than the joins themselves; at its size DuckDB needs no spilling.
 */
function neighboursOneSql(): CompiledSql {
  const ci = 'SELECT indicator_id, level, area_id, pool_years, year, value, suppression FROM spm_ci';
  const sql = `CREATE OR REPLACE TABLE spm_ci_nb AS
SELECT c.*, p.value AS prev_value, p.suppression AS prev_suppression, b.value AS base_value, b.suppression AS base_suppression,
  t.trend_from, t.trend_n, t.trend_masked, t.trend_slope, t.trend_low, t.trend_high
FROM spm_ci c
LEFT JOIN (${ci}) p ON ${sameSeries('p', 'c')} AND p.year = c.year - 1
LEFT JOIN spm_trend t ON ${sameSeries('t', 'c')} AND t.year = c.year
LEFT JOIN spm_iyears iy ON iy.indicator_id = c.indicator_id AND iy.year = c.year
LEFT JOIN (${ci}) b ON ${sameSeries('b', 'c')} AND b.year = iy.base_year_eff`;
  return { sql, parameters: [] };
}

/**
 * Step 1: intervals and masks, materialised because every later step joins it several times.
 * Narrow on purpose (millions of rows at NRW size, held until the export): the row's own
 * figures only; what is the same for every row of an indicator or an area is joined by the
 * view `spm_stats`.
 */
function ciSql(o: StatsSqlOptions): CompiledSql {
  const p = new Params();
  const z = p.add(o.z);
  const sql = `CREATE OR REPLACE TABLE spm_ci AS
WITH masks AS (
  -- a row is masked when its numerator or its denominator cell is
  SELECT indicator_id, level, area_id, year, pool_years, MIN(reason) AS reason
  FROM spm_masks GROUP BY indicator_id, level, area_id, year, pool_years
),
base AS (
  SELECT r.*, i.scale, i.proportion, i.published,
    m.reason AS suppression,
    r.num_est / NULLIF(r.den_est, 0) AS p_hat
  FROM spm_results r
  JOIN spm_indicators i USING (indicator_id)
  LEFT JOIN masks m USING (indicator_id, level, area_id, year, pool_years)
)
SELECT b.indicator_id, b.level, b.area_id, b.year, b.pool_years, b.level_rank, b.kommune_ags, b.status,
  b.numerator, b.denominator, b.value, b.num_lo, b.num_hi,
  b.num_n_rej, b.den_n_rej, b.num_n_unas, b.den_n_unas, b.num_n_supp, b.den_n_supp, b.num_ref, b.den_ref,
  b.suppression,
  CASE WHEN b.scale = 0 THEN 1.0 ELSE b.den_est END AS weight,
  ${wilsonOrPoisson(z, 'low')} AS ci_low,
  ${wilsonOrPoisson(z, 'high')} AS ci_high
FROM base b
-- equality only, so that DuckDB hash-joins: a further condition in ON (NOT b.proportion) made it a nested loop
-- over rows x distinct counts; a proportion's key is NULL and matches nothing
LEFT JOIN spm_poisson pz ON pz.k = CASE WHEN b.proportion THEN NULL ELSE b.num_est END`;
  return { sql, parameters: p.values };
}

/** Wilson score bound for proportions (closed form), exact Poisson bound from the lookup table otherwise. */
function wilsonOrPoisson(z: string, side: 'low' | 'high'): string {
  const sign = side === 'low' ? '-' : '+';
  const clamp = side === 'low' ? 'greatest(0.0, ' : 'least(1.0, ';
  const poisson = side === 'low' ? 'pz.lo' : 'pz.hi';
  // the bound is exactly 0 at k = 0 and exactly 1 at k = n (as stats/wilson.ts): the closed form leaves a
  // rounding residue there for about a quarter of all n (e.g. 37 of 37 gave 99.99999999999997 %), which
  // made 100 % "lower" than a reference of 100 %
  const edge =
    side === 'low'
      ? 'WHEN b.num_est = 0 AND b.den_est > 0 THEN 0.0'
      : 'WHEN b.num_est = b.den_est AND b.den_est > 0 THEN b.scale::DOUBLE';
  // a published value has no counts, hence no interval (and no significance from one)
  return `CASE
    WHEN b.value IS NULL OR b.published THEN NULL
    WHEN b.proportion THEN CASE ${edge} WHEN b.num_est <= b.den_est THEN ${clamp}
      (b.p_hat + ${z} * ${z} / (2 * b.den_est)
        ${sign} ${z} * sqrt(b.p_hat * (1 - b.p_hat) / b.den_est + ${z} * ${z} / (4 * b.den_est * b.den_est)))
      / (1 + ${z} * ${z} / b.den_est)) * b.scale END
    WHEN b.scale = 0 THEN ${poisson}
    ELSE ${poisson} / b.den_est * b.scale
  END`;
}

/**
 * Per indicator and year (a small table): the effective base year and whether a
 * declared break lies since the previous year or since the base year.
 */
function indicatorYearsSql(o: StatsSqlOptions): CompiledSql {
  const p = new Params();
  const baseYear = p.add(o.baseYear ?? null);
  const sql = `CREATE OR REPLACE TABLE spm_iyears AS
WITH iy AS (
  SELECT i.indicator_id, UNNEST(i.years) AS year, COALESCE(CAST(${baseYear} AS INTEGER), list_min(i.years)) AS base_year_eff
  FROM spm_indicators i
)
SELECT iy.indicator_id, iy.year, iy.base_year_eff,
  EXISTS (SELECT 1 FROM spm_breaks b WHERE b.indicator_id = iy.indicator_id AND b.year = iy.year) AS break_since_prev,
  EXISTS (SELECT 1 FROM spm_breaks b WHERE b.indicator_id = iy.indicator_id AND b.year > iy.base_year_eff AND b.year <= iy.year) AS break_since_base
FROM iy`;
  return { sql, parameters: p.values };
}

/**
 * Step 3: comparisons, changes, trend bounds, Ampel inputs: a view, not a table. Its one
 * reader builds the published table from it (and, on explicit request, the internal one), so
 * the joins and derived columns are computed there instead of being held as a second copy
 * of every row (about 1 KB a row, 2 GB at NRW size).
 */
function finalSql(): CompiledSql {
  // previous year (exactly year - 1) and base year by equality hash joins on the series key (spm_neighbours):
  // (indicator, level, area, window, year) is unique, so each joins at most one row; window
  // functions did the same but sorted the wide rows twice (about 40 % more CPU)
  const sql = `CREATE OR REPLACE VIEW spm_stats AS
WITH series AS (
  -- declared breaks of the indicator, and breaks of the area from boundary changes (spm_area_breaks)
  SELECT c.* EXCLUDE (prev_value, prev_suppression, base_value, base_suppression), i.ord, i.version, i.unit, i.min_den, i.polarity, i.ampel_mode, i.ampel_reference, i.target_value,
    i.target_year, i.published, CASE WHEN i.proportion THEN 'wilson' ELSE 'poisson_exakt' END AS ci_method,
    a.area_name,
    iy.base_year_eff AS base_year,
    iy.break_since_prev OR ab.area_id IS NOT NULL AS break_since_prev,
    iy.break_since_base OR abb.area_id IS NOT NULL AS break_since_base,
    c.prev_value, c.prev_suppression, c.base_value, c.base_suppression
  FROM spm_ci_nb c
  JOIN spm_indicators i ON i.indicator_id = c.indicator_id
  LEFT JOIN areas a ON a.area_id = c.area_id
  JOIN spm_iyears iy ON iy.indicator_id = c.indicator_id AND iy.year = c.year
  LEFT JOIN spm_area_breaks ab ON ab.area_id = c.area_id AND ab.year = c.year
  LEFT JOIN (SELECT DISTINCT b.area_id, y.year, y.base_year_eff FROM spm_area_breaks b
    JOIN (SELECT DISTINCT year, base_year_eff FROM spm_iyears) y ON b.year > y.base_year_eff AND b.year <= y.year) abb
    ON abb.area_id = c.area_id AND abb.year = c.year AND abb.base_year_eff = iy.base_year_eff
),
joined AS (
  -- (the trend's columns in their place of the view's column order)
  SELECT c.* EXCLUDE (trend_from, trend_n, trend_masked, trend_slope, trend_low, trend_high),
    CASE WHEN c.level_rank > 0 THEN k.value END AS ref_kreis_value,
    CASE WHEN c.level_rank > 0 THEN k.suppression END AS ref_kreis_suppression,
    CASE WHEN c.level_rank >= 2 THEN km.value END AS ref_kommune_value,
    CASE WHEN c.level_rank >= 2 THEN km.suppression END AS ref_kommune_suppression,
    c.trend_from, c.trend_n, c.trend_masked, c.trend_slope, c.trend_low, c.trend_high,
    CASE WHEN c.pool_years = 1 THEN l.value END AS ref_land_value
  FROM series c
  -- references are pre-filtered so that DuckDB can hash-join (a condition on c in ON forces a nested loop)
  LEFT JOIN (SELECT indicator_id, pool_years, year, value, suppression FROM spm_ci WHERE level_rank = 0) k
    ON k.indicator_id = c.indicator_id AND k.pool_years = c.pool_years AND k.year = c.year
  LEFT JOIN (SELECT indicator_id, pool_years, year, area_id, value, suppression FROM spm_ci WHERE level_rank = 1) km
    ON km.indicator_id = c.indicator_id AND km.pool_years = c.pool_years AND km.year = c.year AND km.area_id = c.kommune_ags
  -- equality only (a condition on c in ON, c.pool_years = 1, made this a nested loop): pools get no Land value above
  LEFT JOIN spm_land l ON l.indicator_id = c.indicator_id AND l.year = c.year
),
directed AS (
  SELECT j.*,
    j.value - j.ref_kreis_value AS diff_kreis,
    j.value / NULLIF(j.ref_kreis_value, 0) AS ratio_kreis,
    ${direction('j.ref_kreis_value')} AS dir_kreis,
    j.value - j.ref_land_value AS diff_land,
    j.value / NULLIF(j.ref_land_value, 0) AS ratio_land,
    ${direction('j.ref_land_value')} AS dir_land,
    j.value - j.ref_kommune_value AS diff_kommune,
    j.value / NULLIF(j.ref_kommune_value, 0) AS ratio_kommune,
    ${direction('j.ref_kommune_value')} AS dir_kommune,
    j.value - j.prev_value AS change_prev_abs,
    (j.value - j.prev_value) / NULLIF(j.prev_value, 0) AS change_prev_rel,
    j.value - j.base_value AS change_base_abs,
    (j.value - j.base_value) / NULLIF(j.base_value, 0) AS change_base_rel,
    CASE WHEN j.trend_low IS NULL THEN NULL WHEN j.trend_low > 0 THEN 'higher' WHEN j.trend_high < 0 THEN 'lower'
      ELSE 'not_distinguishable' END AS dir_trend
  FROM joined j
)
SELECT d.*,
  ${orient('dir_kreis')} AS sig_kreis,
  ${orient('dir_kommune')} AS sig_kommune,
  ${orient('dir_land')} AS sig_land,
  ${orient('dir_trend')} AS trend_sig,
  -- Ampel, absolute mode: reached / on track by the trend / off track
  CASE
    WHEN d.value IS NULL OR d.ampel_mode <> 'absolute' THEN NULL
    WHEN (d.polarity = 'better' AND d.value >= d.target_value) OR (d.polarity <> 'better' AND d.value <= d.target_value) THEN 'erreicht'
    WHEN d.trend_slope IS NULL OR d.target_year IS NULL THEN NULL
    WHEN (d.polarity = 'better' AND d.value + d.trend_slope * (d.target_year - d.year) >= d.target_value)
      OR (d.polarity <> 'better' AND d.value + d.trend_slope * (d.target_year - d.year) <= d.target_value) THEN 'auf_kurs'
    ELSE 'nicht_auf_kurs'
  END AS target_status
FROM directed d`;
  return { sql, parameters: [] };
}

/** Significance as stated in the docs: the area's interval excludes the reference value. */
function direction(ref: string): string {
  return `CASE WHEN j.value IS NULL OR ${ref} IS NULL OR j.ci_low IS NULL THEN NULL
      WHEN j.ci_low > ${ref} THEN 'higher' WHEN j.ci_high < ${ref} THEN 'lower'
      ELSE 'not_distinguishable' END`;
}

/** higher/lower -> worse/better by polarity; neutral keeps higher/lower. */
function orient(col: string): string {
  return `CASE WHEN d.${col} IS NULL THEN NULL WHEN d.${col} = 'not_distinguishable' OR d.polarity = 'neutral' THEN d.${col}
    WHEN (d.${col} = 'higher') = (d.polarity = 'worse') THEN 'worse' ELSE 'better' END`;
}

/** Ampel colour from the oriented comparison or the target status. */
export const AMPEL_SQL = `CASE
  WHEN s.ampel_mode = 'absolute' THEN CASE s.target_status WHEN 'erreicht' THEN 'gruen' WHEN 'auf_kurs' THEN 'gelb' WHEN 'nicht_auf_kurs' THEN 'rot' END
  ELSE CASE (CASE WHEN s.ampel_reference = 'kommune' AND s.level_rank >= 2 THEN s.sig_kommune ELSE s.sig_kreis END)
    WHEN 'worse' THEN 'rot' WHEN 'better' THEN 'gruen' WHEN 'not_distinguishable' THEN 'gelb' END
END`;
