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

/**
 * The ancestors of every area, itself included (`anc_depth` = the ancestor's
 * depth), from the generic `areas` table: roll-ups and the placing of rejected
 * rows work on any declared hierarchy.
 */
export const AREA_ANCESTORS_SQL = `CREATE OR REPLACE TABLE spm_area_anc AS
WITH RECURSIVE t(area_id, anc_id, anc_depth) AS (
  SELECT area_id, area_id, depth FROM areas
  UNION ALL
  SELECT t.area_id, a.parent_id, a.depth - 1 FROM t JOIN areas a ON a.area_id = t.anc_id WHERE a.parent_id IS NOT NULL
)
SELECT * FROM t`;

/**
 * Where each rejected row is missing from (\`spm_rej_anchor\`): the area whose sum
 * lacks it, so that this area and every ancestor are never marked complete.
 * \`spm_source_depth(source, depth)\` gives each source's level.
 * - an area of the source's level (or above it: a Kommune without Sozialräume, whose row is its
 *   data): its own cell (kind \`rejected\`);
 * - that area, but not valid in the row's year: its parent (\`unassigned\`);
 * - a deeper area's code: its ancestor at the source's level (\`unassigned\`);
 * - an unknown code: the deepest area above the source's level whose code is a
 *   prefix of it (a Sozialraum id built on the Kommune AGS), else the top (\`unassigned\`).
 */
export const REJECT_ANCHORS_SQL = `CREATE OR REPLACE TABLE spm_rej_anchor AS
WITH r AS (
  SELECT j.source, j.year, j.area_id, sd.depth AS sdepth, COUNT(*)::INTEGER AS n
  FROM rejects j JOIN spm_source_depth sd ON sd.source = j.source
  WHERE j.severity = 'error' AND j.area_id IS NOT NULL
  GROUP BY ALL
),
known AS (
  SELECT r.*, a.depth AS adepth, a.parent_id,
    (a.valid_from IS NOT NULL AND r.year < a.valid_from) OR (a.valid_to IS NOT NULL AND r.year > a.valid_to) AS invalid
  FROM r JOIN areas a ON a.area_id = r.area_id
),
unknown AS (
  SELECT r.* FROM r WHERE r.area_id NOT IN (SELECT area_id FROM areas)
),
prefixed AS (
  SELECT u.source, u.year, u.area_id, u.n, arg_max(a.area_id, a.depth) AS anchor
  FROM unknown u JOIN areas a ON a.depth >= 1 AND a.depth < u.sdepth AND strlen(a.area_id) < strlen(u.area_id)
    AND starts_with(u.area_id, a.area_id)
  GROUP BY ALL
)
SELECT source, year, area_id, n, 'rejected' AS kind FROM known WHERE adepth <= sdepth AND NOT COALESCE(invalid, FALSE)
UNION ALL
SELECT source, year, parent_id, n, 'unassigned' FROM known WHERE adepth <= sdepth AND COALESCE(invalid, FALSE)
UNION ALL
SELECT k.source, k.year, x.anc_id, k.n, 'unassigned' FROM known k JOIN spm_area_anc x ON x.area_id = k.area_id AND x.anc_depth = k.sdepth
WHERE k.adepth > k.sdepth
UNION ALL
SELECT u.source, u.year, COALESCE(p.anchor, (SELECT area_id FROM areas WHERE depth = 0)), u.n, 'unassigned'
FROM unknown u LEFT JOIN prefixed p ON p.source = u.source AND p.area_id = u.area_id AND p.year IS NOT DISTINCT FROM u.year`;

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
 * Base cells of every measure of one source, in one statement: per measure the grid of valid
 * areas (of its level) x years, left-joined to the source's aggregate table (column prefix
 * `m<index>` from sourceAggregateSql). One statement instead of one per measure: the sample
 * Kreis has 40 measures, and each statement costs DuckDB about as much as the work it does.
 */
export function baseCellsSql(
  measures: readonly { measure: CompiledMeasure; mid: number }[],
  years: readonly number[],
  coveredYears: readonly number[],
  depth: number,
): CompiledSql {
  const first = measures[0]?.measure;
  if (!first) throw new Error('baseCellsSql: no measures');
  const p = new Params();
  // the aggregate column of the row's measure (g.idx = its index in the source's pass)
  const a = (col: string): string =>
    measures.length === 1
      ? `a.${quoteIdent(`m0_${col}`)}`
      : `CASE g.idx ${measures.map((_, i) => `WHEN ${i} THEN a.${quoteIdent(`m${i}_${col}`)}`).join(' ')} END`;
  const meas = measures
    .map(
      ({ measure: m, mid }, i) =>
        `(${i}, CAST(${p.add(mid)} AS INTEGER), CAST(${p.add(m.level)} AS VARCHAR), CAST(${p.add(m.suppressedRange[0])} AS DOUBLE), CAST(${p.add(m.suppressedRange[1])} AS DOUBLE))`,
    )
    .join(',\n    ');
  // the areas of the measure's level, and every area above it with nothing below (a Kommune
  // without Sozialräume: its own smallest area, delivered by the source at its own level)
  const grid = `SELECT m.idx, m.mid, s.level, s.depth, m.supp_lo, m.supp_hi, s.area_id, y.year
     FROM meas m JOIN areas s ON s.level = m.level
       OR (s.depth BETWEEN 1 AND ${p.add(depth - 1)} AND s.area_id NOT IN (SELECT parent_id FROM areas WHERE parent_id IS NOT NULL)),
       (SELECT UNNEST(${p.addIntList(years)}) AS year) y
     WHERE (s.valid_from IS NULL OR y.year >= s.valid_from) AND (s.valid_to IS NULL OR y.year <= s.valid_to)`;
  // Microdata: an area of the source's level without matching rows in a year the source covers has a
  // count of 0, not a gap; an area above it (a Kommune without Sozialräume) without rows is a gap.
  const zeroIfAbsent =
    first.sourceKind === 'microdata'
      ? `(g.depth = ${p.add(depth)} AND list_contains(${p.addIntList(coveredYears)}, g.year))`
      : 'FALSE';
  const src = p.add(first.sourceId);
  const absent = `COALESCE(${a('rows')}, 0) = 0`;
  const sql = `INSERT INTO spm_mcells
WITH meas(idx, mid, level, supp_lo, supp_hi) AS (
  VALUES ${meas}
), grid AS (
  ${grid}
), rej AS (
  SELECT DISTINCT area_id, year FROM rejects WHERE source = ${src} AND severity = 'error'
), rej_cell AS (
  SELECT area_id, year, SUM(n) FILTER (WHERE kind = 'rejected') AS nr, SUM(n) FILTER (WHERE kind = 'unassigned') AS nu
  FROM spm_rej_anchor WHERE source = ${src} AND year IS NOT NULL GROUP BY area_id, year
),
-- rows whose area or year could not be read touch every cell of that year or area
rej_wide AS (SELECT area_id, year FROM rej WHERE area_id IS NULL OR year IS NULL)
SELECT g.mid, ${src}, g.level, g.area_id, g.year, 1,
  CASE WHEN ${absent} THEN (CASE WHEN ${zeroIfAbsent} THEN 0 ELSE NULL END) ELSE ${a('value')} END,
  TRUE,
  (${absent} AND NOT ${zeroIfAbsent}) OR COALESCE(${a('missing')}, 0) > 0,
  COALESCE(${a('suppressed')}, 0),
  COALESCE(${a('suppressed')}, 0) * g.supp_lo,
  COALESCE(${a('suppressed')}, 0) * g.supp_hi,
  rc.area_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM rej_wide w WHERE (w.area_id = g.area_id OR w.area_id IS NULL) AND (w.year = g.year OR w.year IS NULL)),
  ${a('ref')},
  COALESCE(rc.nr, 0)::INTEGER, COALESCE(rc.nu, 0)::INTEGER, COALESCE(e.n, 0)::INTEGER
FROM grid g
LEFT JOIN ${quoteIdent(`spm_agg_${first.sourceId}`)} a ON a.area_id = g.area_id AND a.year = g.year
LEFT JOIN rej_cell rc ON rc.area_id = g.area_id AND rc.year = g.year
LEFT JOIN (SELECT mid, area_id, year, COUNT(*) AS n FROM spm_est_cells GROUP BY mid, area_id, year) e
  ON e.mid = g.mid AND e.area_id = g.area_id AND e.year = g.year`;
  return { sql, parameters: p.values };
}

/**
 * Roll the cells of one depth up to their parents (sum of counts, OR of flags):
 * called from the deepest level to depth 1, so every declared hierarchy is
 * summed the same way. Rows anchored at a parent (see REJECT_ANCHORS_SQL) mark
 * it and, through the next roll-up, every ancestor.
 */
export function rollupSql(depth: number): CompiledSql {
  const p = new Params();
  const sql = `INSERT INTO spm_mcells
WITH rolled AS (
  SELECT c.mid, c.source, a.parent_id AS area_id, c.year,
    SUM(c.value) AS value, bool_or(c.missing) AS missing, SUM(c.n_suppressed) AS n_suppressed,
    SUM(c.supp_lo) AS supp_lo, SUM(c.supp_hi) AS supp_hi, bool_or(c.rejected) AS rejected,
    SUM(c.n_rejected) AS n_rejected, SUM(c.n_unassigned) AS n_unassigned
  FROM spm_mcells c JOIN areas a ON a.area_id = c.area_id
  WHERE a.depth = ${p.add(depth)} AND c.pool_years = 1
  GROUP BY c.mid, c.source, a.parent_id, c.year
),
anchored AS (
  SELECT source, area_id, year, SUM(n) FILTER (WHERE kind = 'rejected') AS nr, SUM(n) FILTER (WHERE kind = 'unassigned') AS nu
  FROM spm_rej_anchor GROUP BY source, area_id, year
),
-- rows without a readable year lack from the area's sums in every year
anchored_any AS (SELECT * FROM anchored WHERE year IS NULL)
SELECT r.mid, r.source, t.level, r.area_id, r.year, 1, r.value, FALSE, r.missing, r.n_suppressed,
  r.supp_lo, r.supp_hi,
  r.rejected OR x.area_id IS NOT NULL OR y.area_id IS NOT NULL,
  NULL,
  (r.n_rejected + COALESCE(x.nr, 0) + COALESCE(y.nr, 0))::INTEGER,
  (r.n_unassigned + COALESCE(x.nu, 0) + COALESCE(y.nu, 0))::INTEGER,
  -- estimated only where the area holds part of a divided row, not all of it (compute/carry.ts)
  (SELECT COUNT(*) FROM spm_est_cells e WHERE e.mid = r.mid AND e.area_id = r.area_id AND e.year = r.year)::INTEGER
FROM rolled r
JOIN areas t ON t.area_id = r.area_id
LEFT JOIN anchored x ON x.source = r.source AND x.area_id = r.area_id AND x.year = r.year
LEFT JOIN anchored_any y ON y.source = r.source AND y.area_id = r.area_id`;
  return { sql, parameters: p.values };
}

/**
 * Groups of the second hierarchies (Jugendamtsbezirke …): the sum of their
 * members' cells, like a roll-up; flags and row counts are carried along.
 */
export const GROUP_ROLLUP_SQL = `INSERT INTO spm_mcells
SELECT c.mid, c.source, g.level, m.group_id, c.year, 1,
  SUM(c.value), FALSE, bool_or(c.missing), SUM(c.n_suppressed), SUM(c.supp_lo), SUM(c.supp_hi), bool_or(c.rejected), NULL,
  SUM(c.n_rejected)::INTEGER, SUM(c.n_unassigned)::INTEGER,
  (SELECT COUNT(*) FROM spm_est_cells e WHERE e.mid = c.mid AND e.area_id = m.group_id AND e.year = c.year)::INTEGER
FROM spm_mcells c
JOIN area_groups m ON m.area_id = c.area_id
JOIN areas g ON g.area_id = m.group_id
WHERE c.pool_years = 1
GROUP BY c.mid, c.source, g.level, m.group_id, c.year`;

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
  win_value, FALSE, win_missing OR n_years < ${width}, win_supp, win_lo, win_hi, win_rejected, NULL,
  win_n_rej::INTEGER, win_n_unas::INTEGER, win_n_est::INTEGER
FROM (
  SELECT *,
    SUM(value) OVER w AS win_value, bool_or(missing) OVER w AS win_missing,
    SUM(n_suppressed) OVER w AS win_supp, SUM(supp_lo) OVER w AS win_lo, SUM(supp_hi) OVER w AS win_hi,
    bool_or(rejected) OVER w AS win_rejected, COUNT(*) OVER w AS n_years,
    SUM(n_rejected) OVER w AS win_n_rej, SUM(n_unassigned) OVER w AS win_n_unas, SUM(n_estimated) OVER w AS win_n_est,
    MIN(year) OVER (PARTITION BY mid, level, area_id) AS first_year
  FROM spm_mcells
  WHERE pool_years = 1 AND list_contains(${keys}, mid)
  WINDOW w AS (PARTITION BY mid, level, area_id ORDER BY year RANGE BETWEEN CAST(${back} AS INTEGER) PRECEDING AND CURRENT ROW)
) t
WHERE year - CAST(${back} AS INTEGER) >= first_year`;
  return { sql, parameters: p.values };
}
