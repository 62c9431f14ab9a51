/**
 * SQL for the cell table: one row per indicator x role x level x area x year
 * x pool window with the summed count and flags saying whether that sum is
 * complete (missing, suppressed parts, rejected rows).
 *
 * Rates are only ever formed later from these sums: ratio of sums, never a
 * mean of ratios.
 */
import type { CompiledMeasure, CompiledSql } from '../compile/types.js';
import { Params } from './params.js';

export const CREATE_CELLS = `CREATE OR REPLACE TABLE spm_cells (
  indicator_id VARCHAR, role VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  value DOUBLE,          -- sum of the known values
  is_base BOOLEAN,       -- cell at the source's own level (not a roll-up)
  missing BOOLEAN,       -- some input missing: the sum is unknown
  n_suppressed INTEGER,  -- suppressed input cells inside this sum
  supp_lo DOUBLE, supp_hi DOUBLE, -- bounds of the suppressed part
  rejected BOOLEAN,      -- rows for this cell were rejected at load
  src_ref VARCHAR        -- file:line of the input row (aggregated sources, base level)
)`;

/** Base cells of one measure: the grid of valid areas x years left-joined to the measure. */
export function baseCellsSql(m: CompiledMeasure, years: readonly number[], coveredYears: readonly number[]): CompiledSql {
  const p = new Params(m.query.parameters);
  const grid =
    m.level === 'sozialraum'
      ? `SELECT s.sozialraum_id AS area_id, y.year FROM areas_sozialraum s, (SELECT UNNEST(${p.addIntList(years)}) AS year) y
     WHERE (s.valid_from IS NULL OR y.year >= s.valid_from) AND (s.valid_to IS NULL OR y.year <= s.valid_to)`
      : `SELECT k.kommune_ags AS area_id, y.year FROM areas_kommune k, (SELECT UNNEST(${p.addIntList(years)}) AS year) y`;
  // Microdata: an area without rows in a year the source covers has a count of 0, not a gap.
  const zeroIfAbsent = m.sourceKind === 'microdata' ? `list_contains(${p.addIntList(coveredYears)}, g.year)` : 'FALSE';
  const src = p.add(m.sourceId);
  const sql = `INSERT INTO spm_cells
WITH m AS (
${m.query.sql}
), grid AS (
  ${grid}
), rej AS (
  SELECT DISTINCT area_id, year FROM rejects WHERE source = ${src} AND severity = 'error'
)
SELECT ${p.add(m.indicatorId)}, ${p.add(m.role)}, ${p.add(m.level)}, g.area_id, g.year, 1,
  CASE WHEN m.area_id IS NULL THEN (CASE WHEN ${zeroIfAbsent} THEN 0 ELSE NULL END) ELSE m.value END,
  TRUE,
  (m.area_id IS NULL AND NOT ${zeroIfAbsent}) OR COALESCE(m.n_missing, 0) > 0,
  COALESCE(m.n_suppressed, 0),
  COALESCE(m.n_suppressed, 0) * ${p.add(m.suppressedRange[0])},
  COALESCE(m.n_suppressed, 0) * ${p.add(m.suppressedRange[1])},
  EXISTS (SELECT 1 FROM rej WHERE (rej.area_id = g.area_id OR rej.area_id IS NULL) AND (rej.year = g.year OR rej.year IS NULL)),
  m.src_ref
FROM grid g LEFT JOIN m ON m.area_id = g.area_id AND m.year = g.year`;
  return { sql, parameters: p.values };
}

/** Roll sozialraum cells of one measure up to the Kommunen (sum of counts). */
export function kommuneRollupSql(m: CompiledMeasure): CompiledSql {
  const p = new Params();
  const ind = p.add(m.indicatorId);
  const role = p.add(m.role);
  const src = p.add(m.sourceId);
  const sql = `INSERT INTO spm_cells
WITH unk AS (
  -- rejected rows whose area is not in the area list: the Kommune they belong to is incomplete
  SELECT area_id, year FROM rejects
  WHERE source = ${src} AND severity = 'error' AND area_id IS NOT NULL
    AND area_id NOT IN (SELECT sozialraum_id FROM areas_sozialraum)
)
SELECT c.indicator_id, c.role, 'kommune', s.kommune_ags, c.year, 1,
  SUM(c.value), FALSE, bool_or(c.missing), SUM(c.n_suppressed), SUM(c.supp_lo), SUM(c.supp_hi),
  bool_or(c.rejected) OR EXISTS (SELECT 1 FROM unk WHERE starts_with(unk.area_id, s.kommune_ags) AND (unk.year = c.year OR unk.year IS NULL)),
  NULL
FROM spm_cells c JOIN areas_sozialraum s ON s.sozialraum_id = c.area_id
WHERE c.indicator_id = ${ind} AND c.role = ${role} AND c.level = 'sozialraum' AND c.pool_years = 1
GROUP BY c.indicator_id, c.role, s.kommune_ags, c.year`;
  return { sql, parameters: p.values };
}

/** Roll Kommune cells of one measure up to the Kreis. */
export function kreisRollupSql(m: CompiledMeasure, kreisAgs: string): CompiledSql {
  const p = new Params();
  const ind = p.add(m.indicatorId);
  const role = p.add(m.role);
  const src = p.add(m.sourceId);
  const kreis = p.add(kreisAgs);
  const sql = `INSERT INTO spm_cells
WITH unk AS (
  -- rejected rows of unknown areas: the Kreis total of that year is incomplete
  SELECT area_id, year FROM rejects
  WHERE source = ${src} AND severity = 'error' AND area_id IS NOT NULL
    AND area_id NOT IN (SELECT sozialraum_id FROM areas_sozialraum)
    AND area_id NOT IN (SELECT kommune_ags FROM areas_kommune)
)
SELECT c.indicator_id, c.role, 'kreis', ${kreis}, c.year, 1,
  SUM(c.value), FALSE, bool_or(c.missing), SUM(c.n_suppressed), SUM(c.supp_lo), SUM(c.supp_hi),
  bool_or(c.rejected) OR EXISTS (SELECT 1 FROM unk WHERE unk.year = c.year OR unk.year IS NULL),
  NULL
FROM spm_cells c
WHERE c.indicator_id = ${ind} AND c.role = ${role} AND c.level = 'kommune' AND c.pool_years = 1
GROUP BY c.indicator_id, c.role, c.year`;
  return { sql, parameters: p.values };
}

/**
 * Pooled windows: for each end year, the sums over the last `w` years (ratio of
 * pooled sums later). A window with a year absent is marked missing.
 */
export function poolSql(indicatorId: string, w: number): CompiledSql {
  const p = new Params();
  const ind = p.add(indicatorId);
  const back = p.add(w - 1);
  const width = p.add(w);
  const sql = `INSERT INTO spm_cells
SELECT indicator_id, role, level, area_id, year, ${width},
  win_value, FALSE, win_missing OR n_years < ${width}, win_supp, win_lo, win_hi, win_rejected, NULL
FROM (
  SELECT *,
    SUM(value) OVER w AS win_value, bool_or(missing) OVER w AS win_missing,
    SUM(n_suppressed) OVER w AS win_supp, SUM(supp_lo) OVER w AS win_lo, SUM(supp_hi) OVER w AS win_hi,
    bool_or(rejected) OVER w AS win_rejected, COUNT(*) OVER w AS n_years,
    MIN(year) OVER (PARTITION BY indicator_id, role, level, area_id) AS first_year
  FROM spm_cells
  WHERE indicator_id = ${ind} AND pool_years = 1
  WINDOW w AS (PARTITION BY indicator_id, role, level, area_id ORDER BY year RANGE BETWEEN CAST(${back} AS INTEGER) PRECEDING AND CURRENT ROW)
) t
WHERE year - CAST(${back} AS INTEGER) >= first_year`;
  return { sql, parameters: p.values };
}
