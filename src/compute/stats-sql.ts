/**
 * SQL for the honest-small-numbers columns, from `spm_results` to `spm_stats`:
 *
 * 1. intervals: Wilson score (proportions, closed form in SQL) or exact Poisson
 *    (Garwood, from the lookup table `spm_poisson` that JS fills with chi-square
 *    quantiles), scaled to the unit
 * 2. comparisons: each Sozialraum vs its Kommune and the Kreis, each Kommune vs
 *    the Kreis: difference, ratio, significance = the area's interval excludes
 *    the reference value, oriented by polarity
 * 3. time: previous year and base year (absolute, relative), declared breaks
 * 4. trend: weighted least squares over the last N years (weights =
 *    denominators; x centred), slope CI with t quantiles from `spm_tq`; a trend
 *    starts after the latest declared break
 * 5. Ampel: relative (significance vs the reference) or absolute (Zielwert)
 *
 * Masks (`spm_masks`, from src/privacy) are joined here; masking of the
 * published columns happens in export/published.ts.
 */
import type { CompiledSql } from '../compile/types.js';
import { Params } from './params.js';

export interface StatsSqlOptions {
  z: number;
  baseYear?: number;
  trendYears: number;
}

export function statsSql(o: StatsSqlOptions): CompiledSql[] {
  return [ciSql(o), trendSql(o), finalSql(o)];
}

/** Step 1: intervals and masks, materialised because every later step joins it several times. */
function ciSql(o: StatsSqlOptions): CompiledSql {
  const p = new Params();
  const z = p.add(o.z);
  const sql = `CREATE OR REPLACE TABLE spm_ci AS
WITH masks AS (
  -- a row is masked when its numerator or its denominator cell is
  SELECT indicator_id, level, area_id, year, pool_years, MIN(reason) AS reason
  FROM spm_masks GROUP BY indicator_id, level, area_id, year, pool_years
),
brk AS (SELECT indicator_id, list(year ORDER BY year) AS break_years FROM spm_breaks GROUP BY indicator_id),
base AS (
  SELECT r.*, i.polarity, i.ampel_mode, i.ampel_reference, i.target_value, i.target_year,
    m.reason AS suppression,
    COALESCE(brk.break_years, CAST([] AS INTEGER[])) AS break_years,
    r.num_est / NULLIF(r.den_est, 0) AS p_hat,
    CASE WHEN r.scale = 0 THEN 1.0 ELSE r.den_est END AS weight,
    MIN(r.year) OVER (PARTITION BY r.indicator_id) AS first_year
  FROM spm_results r
  JOIN spm_indicators i USING (indicator_id)
  LEFT JOIN masks m USING (indicator_id, level, area_id, year, pool_years)
  LEFT JOIN brk USING (indicator_id)
)
SELECT b.*,
  CASE WHEN b.proportion THEN 'wilson' ELSE 'poisson_exakt' END AS ci_method,
  ${wilsonOrPoisson(z, 'low')} AS ci_low,
  ${wilsonOrPoisson(z, 'high')} AS ci_high
FROM base b
LEFT JOIN spm_poisson pz ON NOT b.proportion AND pz.k = b.num_est`;
  return { sql, parameters: p.values };
}

/** Wilson score bound for proportions (closed form), exact Poisson bound from the lookup table otherwise. */
function wilsonOrPoisson(z: string, side: 'low' | 'high'): string {
  const sign = side === 'low' ? '-' : '+';
  const clamp = side === 'low' ? 'greatest(0.0, ' : 'least(1.0, ';
  const poisson = side === 'low' ? 'pz.lo' : 'pz.hi';
  return `CASE
    WHEN b.value IS NULL THEN NULL
    WHEN b.proportion THEN CASE WHEN b.num_est <= b.den_est THEN ${clamp}
      (b.p_hat + ${z} * ${z} / (2 * b.den_est)
        ${sign} ${z} * sqrt(b.p_hat * (1 - b.p_hat) / b.den_est + ${z} * ${z} / (4 * b.den_est * b.den_est)))
      / (1 + ${z} * ${z} / b.den_est)) * b.scale END
    WHEN b.scale = 0 THEN ${poisson}
    ELSE ${poisson} / b.den_est * b.scale
  END`;
}

/** Step 2: weighted trend over the last N years (since the latest declared break). */
function trendSql(o: StatsSqlOptions): CompiledSql {
  const p = new Params();
  const trendYears = p.add(o.trendYears);
  const sql = `CREATE OR REPLACE TABLE spm_trend AS
WITH window_start AS (
  SELECT c.indicator_id, c.level, c.area_id, c.year, c.pool_years,
    greatest(c.year - ${trendYears} + 1, COALESCE(list_max(list_filter(c.break_years, b -> b <= c.year)), c.year - ${trendYears} + 1)) AS trend_from
  FROM spm_ci c WHERE c.pool_years = 1
),
pairs AS (
  SELECT ws.indicator_id, ws.level, ws.area_id, ws.year, ws.pool_years, ws.trend_from,
    CAST(s.year - ws.year AS DOUBLE) AS x, s.value AS y, s.weight AS w, s.suppression IS NOT NULL AS masked
  FROM window_start ws
  JOIN spm_ci s ON s.indicator_id = ws.indicator_id AND s.level = ws.level AND s.area_id = ws.area_id AND s.pool_years = 1
    AND s.year BETWEEN ws.trend_from AND ws.year AND s.value IS NOT NULL AND s.weight > 0
),
-- Sums over lists in year order: a parallel SUM of doubles would depend on the
-- thread count in the last bits, and outputs must be byte-identical.
means AS (
  SELECT indicator_id, level, area_id, year, MIN(pool_years) AS pool_years, CAST(MIN(x) AS INTEGER) + year AS trend_from,
    COUNT(*) AS n, bool_or(masked) AS any_masked,
    list_sum(list(w * x ORDER BY x)) / list_sum(list(w ORDER BY x)) AS xbar,
    list_sum(list(w * y ORDER BY x)) / list_sum(list(w ORDER BY x)) AS ybar
  FROM pairs GROUP BY indicator_id, level, area_id, year
),
fit AS (
  SELECT m.indicator_id, m.level, m.area_id, m.year, m.pool_years, m.trend_from, m.n, m.any_masked, m.xbar, m.ybar,
    list_sum(list(p.w * (p.x - m.xbar) * (p.x - m.xbar) ORDER BY p.x)) AS sxx,
    list_sum(list(p.w * (p.x - m.xbar) * (p.y - m.ybar) ORDER BY p.x)) AS sxy
  FROM pairs p JOIN means m USING (indicator_id, level, area_id, year)
  GROUP BY ALL
),
fit2 AS (SELECT f.*, CASE WHEN f.sxx > 0 THEN f.sxy / f.sxx END AS slope FROM fit f),
resid AS (
  SELECT f.indicator_id, f.level, f.area_id, f.year,
    list_sum(list(p.w * power(p.y - (f.ybar + f.slope * (p.x - f.xbar)), 2) ORDER BY p.x)) AS rss
  FROM pairs p JOIN fit2 f USING (indicator_id, level, area_id, year)
  GROUP BY ALL
)
SELECT f.indicator_id, f.level, f.area_id, f.year, f.pool_years, f.trend_from, f.n AS trend_n, f.any_masked AS trend_masked,
  f.slope AS trend_slope,
  CASE WHEN f.n > 2 AND f.sxx > 0 THEN sqrt(greatest(r.rss, 0) / (f.n - 2) / f.sxx) END AS trend_se
FROM fit2 f JOIN resid r USING (indicator_id, level, area_id, year)`;
  return { sql, parameters: p.values };
}

/** Step 3: comparisons, changes, trend bounds, Ampel inputs. */
function finalSql(o: StatsSqlOptions): CompiledSql {
  const p = new Params();
  const baseYear = p.add(o.baseYear ?? null);
  // The same series: one indicator, level, area and window width.
  const sameSeries = (a: string, b: string): string =>
    `${a}.indicator_id = ${b}.indicator_id AND ${a}.level = ${b}.level AND ${a}.area_id = ${b}.area_id AND ${a}.pool_years = ${b}.pool_years`;
  const sql = `CREATE OR REPLACE TABLE spm_stats AS
WITH joined AS (
  SELECT c.*,
    CASE WHEN c.level <> 'kreis' THEN k.value END AS ref_kreis_value,
    CASE WHEN c.level <> 'kreis' THEN k.suppression END AS ref_kreis_suppression,
    CASE WHEN c.level = 'sozialraum' THEN km.value END AS ref_kommune_value,
    CASE WHEN c.level = 'sozialraum' THEN km.suppression END AS ref_kommune_suppression,
    pv.value AS prev_value, pv.suppression AS prev_suppression,
    c.base_year_eff AS base_year,
    bv.value AS base_value, bv.suppression AS base_suppression,
    len(list_filter(c.break_years, b -> b > c.year - 1 AND b <= c.year)) > 0 AS break_since_prev,
    len(list_filter(c.break_years, b -> b > c.base_year_eff AND b <= c.year)) > 0 AS break_since_base,
    t.trend_from, t.trend_n, t.trend_masked, t.trend_slope,
    t.trend_slope - tq.q * t.trend_se AS trend_low,
    t.trend_slope + tq.q * t.trend_se AS trend_high
  FROM (SELECT *, COALESCE(CAST(${baseYear} AS INTEGER), first_year) AS base_year_eff FROM spm_ci) c
  -- references are pre-filtered so that DuckDB can hash-join (a condition on c in ON forces a nested loop)
  LEFT JOIN (SELECT * FROM spm_ci WHERE level = 'kreis') k
    ON k.indicator_id = c.indicator_id AND k.pool_years = c.pool_years AND k.year = c.year
  LEFT JOIN (SELECT * FROM spm_ci WHERE level = 'kommune') km
    ON km.indicator_id = c.indicator_id AND km.pool_years = c.pool_years AND km.year = c.year AND km.area_id = c.kommune_ags
  LEFT JOIN spm_ci pv ON ${sameSeries('pv', 'c')} AND pv.year = c.year - 1
  LEFT JOIN spm_ci bv ON ${sameSeries('bv', 'c')} AND bv.year = c.base_year_eff
  LEFT JOIN spm_trend t ON ${sameSeries('t', 'c')} AND t.year = c.year
  LEFT JOIN spm_tq tq ON tq.df = t.trend_n - 2
),
directed AS (
  SELECT j.*,
    j.value - j.ref_kreis_value AS diff_kreis,
    j.value / NULLIF(j.ref_kreis_value, 0) AS ratio_kreis,
    ${direction('j.ref_kreis_value')} AS dir_kreis,
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
  return { sql, parameters: p.values };
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
  ELSE CASE (CASE WHEN s.ampel_reference = 'kommune' AND s.level = 'sozialraum' THEN s.sig_kommune ELSE s.sig_kreis END)
    WHEN 'worse' THEN 'rot' WHEN 'better' THEN 'gruen' WHEN 'not_distinguishable' THEN 'gelb' END
END`;
