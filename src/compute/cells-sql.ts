/**
 * SQL for the measure cells: one row per measure x level x area x year x pool
 * window with the summed count and flags saying whether that sum is complete
 * (missing, suppressed parts, rejected rows).
 *
 * Rates are only ever formed later from these sums: ratio of sums, never a
 * mean of ratios. Cells are kept per measure (not per indicator), so a
 * denominator shared by ten indicators is summed and rolled up once.
 */
import type { CompiledMeasure, CompiledSql } from '../compile/types.js';
import { quoteIdent } from '../util/sql.js';
import { Params } from './params.js';

export const CREATE_CELLS = `CREATE OR REPLACE TABLE spm_mcells (
  mid INTEGER,           -- measure id (spm_measures.mid); an integer keeps millions of cells small
  source VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  value DOUBLE,          -- sum of the known values
  is_base BOOLEAN,       -- cell at the source's own level (not a roll-up)
  missing BOOLEAN,       -- some input missing: the sum is unknown
  n_suppressed INTEGER,  -- suppressed input cells inside this sum
  supp_lo DOUBLE, supp_hi DOUBLE, -- bounds of the suppressed part
  rejected BOOLEAN,      -- rows for this cell were rejected at load
  src_ref VARCHAR        -- file:line of the input row (aggregated sources, base level)
)`;

/**
 * Cells per indicator and role, for readers that think in indicators (the
 * suppression pass): pooled cells only for the indicator's own window width,
 * years only those the indicator covers.
 */
export const CREATE_CELLS_VIEW = `CREATE OR REPLACE VIEW spm_cells AS
SELECT m.indicator_id, m.role, c.level, c.area_id, c.year, c.pool_years, c.value, c.is_base, c.missing,
  c.n_suppressed, c.supp_lo, c.supp_hi, c.rejected, c.src_ref
FROM spm_mcells c
JOIN spm_measures m ON m.mid = c.mid
JOIN spm_indicators i ON i.indicator_id = m.indicator_id
WHERE (c.pool_years = 1 OR c.pool_years = i.pool_w) AND list_contains(i.years, c.year)
  -- published values are public figures of the source, not counts: nothing to suppress
  AND NOT i.published`;

/**
 * Base cells of one measure: the grid of valid areas x years left-joined to the
 * source's aggregate table (column prefix `m<index>` from sourceAggregateSql).
 */
export function baseCellsSql(m: CompiledMeasure, mid: number, index: number, years: readonly number[], coveredYears: readonly number[]): CompiledSql {
  const p = new Params();
  const a = (col: string): string => `a.${quoteIdent(`m${index}_${col}`)}`;
  const grid =
    m.level === 'sozialraum'
      ? `SELECT s.sozialraum_id AS area_id, y.year FROM areas_sozialraum s, (SELECT UNNEST(${p.addIntList(years)}) AS year) y
     WHERE (s.valid_from IS NULL OR y.year >= s.valid_from) AND (s.valid_to IS NULL OR y.year <= s.valid_to)`
      : `SELECT k.kommune_ags AS area_id, y.year FROM areas_kommune k, (SELECT UNNEST(${p.addIntList(years)}) AS year) y`;
  // Microdata: an area without matching rows in a year the source covers has a count of 0, not a gap.
  const zeroIfAbsent = m.sourceKind === 'microdata' ? `list_contains(${p.addIntList(coveredYears)}, g.year)` : 'FALSE';
  const src = p.add(m.sourceId);
  const absent = `COALESCE(${a('rows')}, 0) = 0`;
  const sql = `INSERT INTO spm_mcells
WITH grid AS (
  ${grid}
), rej AS (
  SELECT DISTINCT area_id, year FROM rejects WHERE source = ${src} AND severity = 'error'
), rej_cell AS (SELECT area_id, year FROM rej WHERE area_id IS NOT NULL AND year IS NOT NULL),
-- rows whose area or year could not be read touch every cell of that year or area
rej_wide AS (SELECT area_id, year FROM rej WHERE area_id IS NULL OR year IS NULL)
SELECT CAST(${p.add(mid)} AS INTEGER), ${src}, ${p.add(m.level)}, g.area_id, g.year, 1,
  CASE WHEN ${absent} THEN (CASE WHEN ${zeroIfAbsent} THEN 0 ELSE NULL END) ELSE ${a('value')} END,
  TRUE,
  (${absent} AND NOT ${zeroIfAbsent}) OR COALESCE(${a('missing')}, 0) > 0,
  COALESCE(${a('suppressed')}, 0),
  COALESCE(${a('suppressed')}, 0) * ${p.add(m.suppressedRange[0])},
  COALESCE(${a('suppressed')}, 0) * ${p.add(m.suppressedRange[1])},
  rc.area_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM rej_wide w WHERE (w.area_id = g.area_id OR w.area_id IS NULL) AND (w.year = g.year OR w.year IS NULL)),
  ${a('ref')}
FROM grid g
LEFT JOIN ${quoteIdent(`spm_agg_${m.sourceId}`)} a ON a.area_id = g.area_id AND a.year = g.year
LEFT JOIN rej_cell rc ON rc.area_id = g.area_id AND rc.year = g.year`;
  return { sql, parameters: p.values };
}

/** Roll all Sozialraum cells up to their Kommunen (sum of counts, OR of flags). */
export const KOMMUNE_ROLLUP_SQL = `INSERT INTO spm_mcells
WITH unk AS (
  -- rejected rows whose area is not in the area list: the Kommune they belong to is incomplete
  SELECT DISTINCT source, area_id, year FROM rejects
  WHERE severity = 'error' AND area_id IS NOT NULL
    AND area_id NOT IN (SELECT sozialraum_id FROM areas_sozialraum)
),
unk_k AS (
  SELECT DISTINCT u.source, k.kommune_ags, u.year FROM unk u JOIN areas_kommune k ON starts_with(u.area_id, k.kommune_ags)
),
rolled AS (
  SELECT c.mid, c.source, s.kommune_ags, c.year,
    SUM(c.value) AS value, bool_or(c.missing) AS missing, SUM(c.n_suppressed) AS n_suppressed,
    SUM(c.supp_lo) AS supp_lo, SUM(c.supp_hi) AS supp_hi, bool_or(c.rejected) AS rejected
  FROM spm_mcells c JOIN areas_sozialraum s ON s.sozialraum_id = c.area_id
  WHERE c.level = 'sozialraum' AND c.pool_years = 1
  GROUP BY c.mid, c.source, s.kommune_ags, c.year
)
SELECT r.mid, r.source, 'kommune', r.kommune_ags, r.year, 1, r.value, FALSE, r.missing, r.n_suppressed,
  r.supp_lo, r.supp_hi,
  r.rejected OR EXISTS (SELECT 1 FROM unk_k u WHERE u.source = r.source AND u.kommune_ags = r.kommune_ags AND (u.year = r.year OR u.year IS NULL)),
  NULL
FROM rolled r`;

/** Roll all Kommune cells up to the Kreis. */
export function kreisRollupSql(kreisAgs: string): CompiledSql {
  const p = new Params();
  const kreis = p.add(kreisAgs);
  const sql = `INSERT INTO spm_mcells
WITH unk AS (
  -- rejected rows of unknown areas: the Kreis total of that year is incomplete
  SELECT DISTINCT source, year FROM rejects
  WHERE severity = 'error' AND area_id IS NOT NULL
    AND area_id NOT IN (SELECT sozialraum_id FROM areas_sozialraum)
    AND area_id NOT IN (SELECT kommune_ags FROM areas_kommune)
),
rolled AS (
  SELECT c.mid, c.source, c.year,
    SUM(c.value) AS value, bool_or(c.missing) AS missing, SUM(c.n_suppressed) AS n_suppressed,
    SUM(c.supp_lo) AS supp_lo, SUM(c.supp_hi) AS supp_hi, bool_or(c.rejected) AS rejected
  FROM spm_mcells c
  WHERE c.level = 'kommune' AND c.pool_years = 1
  GROUP BY c.mid, c.source, c.year
)
SELECT r.mid, r.source, 'kreis', ${kreis}, r.year, 1, r.value, FALSE, r.missing, r.n_suppressed,
  r.supp_lo, r.supp_hi,
  r.rejected OR EXISTS (SELECT 1 FROM unk u WHERE u.source = r.source AND (u.year = r.year OR u.year IS NULL)),
  NULL
FROM rolled r`;
  return { sql, parameters: p.values };
}

/**
 * Pooled windows of width `w` for the given measures: for each end year the sums
 * over the last `w` years (ratio of pooled sums later). A window with a year
 * absent is marked missing.
 */
export function poolSql(mids: readonly number[], w: number): CompiledSql {
  const p = new Params();
  const keys = p.addIntList(mids);
  const back = p.add(w - 1);
  const width = p.add(w);
  const sql = `INSERT INTO spm_mcells
SELECT mid, source, level, area_id, year, ${width},
  win_value, FALSE, win_missing OR n_years < ${width}, win_supp, win_lo, win_hi, win_rejected, NULL
FROM (
  SELECT *,
    SUM(value) OVER w AS win_value, bool_or(missing) OVER w AS win_missing,
    SUM(n_suppressed) OVER w AS win_supp, SUM(supp_lo) OVER w AS win_lo, SUM(supp_hi) OVER w AS win_hi,
    bool_or(rejected) OVER w AS win_rejected, COUNT(*) OVER w AS n_years,
    MIN(year) OVER (PARTITION BY mid, level, area_id) AS first_year
  FROM spm_mcells
  WHERE pool_years = 1 AND list_contains(${keys}, mid)
  WINDOW w AS (PARTITION BY mid, level, area_id ORDER BY year RANGE BETWEEN CAST(${back} AS INTEGER) PRECEDING AND CURRENT ROW)
) t
WHERE year - CAST(${back} AS INTEGER) >= first_year`;
  return { sql, parameters: p.values };
}
