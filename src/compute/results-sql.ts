/**
 * From cell sums to published rows: join numerator and denominator, decide the
 * status, form the value as a ratio of sums, attach names.
 *
 * Status order (first match wins): incomplete_input (a sum lacking rows that
 * could not be assigned to one of its areas), rejected_input, missing_input,
 * suppressed_input, zero_denominator, implausible, below_min_denominator,
 * estimated (a total containing suppressed cells, value from the midpoint of
 * their range, or rows of a split area divided by weights), ok. Value is only set for ok, estimated and implausible.
 */
import type { CompiledSql } from '../compile/types.js';
import { Params } from './params.js';

export const STATUSES = [
  'ok',
  'estimated',
  'implausible',
  'below_min_denominator',
  'zero_denominator',
  'suppressed_input',
  'missing_input',
  'rejected_input',
  'incomplete_input',
] as const;
export type Status = (typeof STATUSES)[number];

/** Names and the ancestors used by comparisons come from the generic `areas` table (any declared hierarchy). */
export function resultsSql(): CompiledSql {
  const p = new Params();
  const sql = `CREATE OR REPLACE TABLE spm_results AS
WITH j AS (
  -- narrow on purpose (millions of rows): titles and source labels are joined when publishing
  SELECT i.ord, i.indicator_id, i.version, i.unit, i.scale, i.proportion, i.min_den,
    n.level, n.area_id, n.year, n.pool_years,
    n.missing OR (n.value IS NULL AND n.n_suppressed = 0) AS num_missing,
    d.missing OR (d.value IS NULL AND d.n_suppressed = 0) AS den_missing,
    n.rejected AS num_rejected, d.rejected AS den_rejected,
    COALESCE(n.n_rejected, 0) AS num_n_rej, COALESCE(d.n_rejected, 0) AS den_n_rej,
    COALESCE(n.n_unassigned, 0) AS num_n_unas, COALESCE(d.n_unassigned, 0) AS den_n_unas,
    COALESCE(n.n_estimated, 0) AS num_n_est, COALESCE(d.n_estimated, 0) AS den_n_est,
    n.is_base AND n.n_suppressed > 0 AS num_supp_base, d.is_base AND d.n_suppressed > 0 AS den_supp_base,
    n.n_suppressed AS num_n_supp, d.n_suppressed AS den_n_supp,
    -- a suppressed cell counts with the middle of its range; its bounds give the range of the sum
    COALESCE(n.value, 0) + (n.supp_lo + n.supp_hi) / 2 AS num_est, COALESCE(d.value, 0) + (d.supp_lo + d.supp_hi) / 2 AS den_est,
    COALESCE(n.value, 0) + n.supp_lo AS num_lo, COALESCE(n.value, 0) + n.supp_hi AS num_hi,
    COALESCE(d.value, 0) + d.supp_lo AS den_lo, COALESCE(d.value, 0) + d.supp_hi AS den_hi,
  n.src_ref AS num_ref, d.src_ref AS den_ref
  FROM spm_indicators i
  JOIN spm_mcells n ON n.mid = i.num_mid AND (n.pool_years = 1 OR n.pool_years = i.pool_w)
  JOIN spm_mcells d ON d.mid = i.den_mid AND d.level = n.level AND d.area_id = n.area_id
    AND d.year = n.year AND d.pool_years = n.pool_years
  WHERE list_contains(i.years, n.year)
),
s AS (
  SELECT *, CASE
    WHEN num_n_unas > 0 OR den_n_unas > 0 THEN 'incomplete_input'
    WHEN num_rejected OR den_rejected THEN 'rejected_input'
    WHEN num_missing OR den_missing THEN 'missing_input'
    WHEN num_supp_base OR den_supp_base THEN 'suppressed_input'
    WHEN scale <> 0 AND den_est = 0 THEN 'zero_denominator'
    WHEN proportion AND num_lo > den_hi THEN 'implausible'
    WHEN scale <> 0 AND den_est < min_den THEN 'below_min_denominator'
    -- suppressed parts counted by their middle, or rows of a split area divided by weights
    WHEN num_n_supp + den_n_supp > 0 OR num_n_est + den_n_est > 0 THEN 'estimated'
    ELSE 'ok' END AS status
  FROM j
)
-- only what later steps read (millions of rows at NRW size): the flags that decided the status stay in j and s;
-- indicator attributes come from spm_indicators, area names from areas, where they are needed
SELECT s.indicator_id, s.level, s.area_id, s.year, s.pool_years, s.status,
  s.num_n_rej, s.den_n_rej, s.num_n_unas, s.den_n_unas, s.num_n_supp, s.den_n_supp,
  s.num_est, s.den_est, s.num_lo, s.num_hi,
  -- file:line of the inputs, only for the note of an implausible value
  CASE WHEN status = 'implausible' THEN s.num_ref END AS num_ref,
  CASE WHEN status = 'implausible' THEN s.den_ref END AS den_ref,
  CASE WHEN num_rejected OR num_missing OR num_supp_base THEN NULL ELSE num_est END AS numerator,
  CASE WHEN den_rejected OR den_missing OR den_supp_base THEN NULL ELSE den_est END AS denominator,
  CASE WHEN status IN ('ok', 'estimated', 'implausible')
    THEN (CASE WHEN scale = 0 THEN num_est ELSE num_est / den_est * scale END) END AS value,
  CASE WHEN a.depth = 0 THEN NULL WHEN a.depth = 1 THEN s.area_id ELSE a.top1_id END AS kommune_ags,
  a.depth AS level_rank
FROM s
-- a plain equi-join: a level condition in ON would force a nested-loop join
LEFT JOIN areas a ON a.area_id = s.area_id`;
  return { sql, parameters: p.values };
}
