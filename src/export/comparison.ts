/**
 * The time-series comparison per Kommune — per area of the level below the top of
 * the declared hierarchy (Kommune, Stadtbezirk, Bezirk; those rows have
 * `area_id = kommune_ags`) — (`vergleich/vergleich_<AGS>.csv` and
 * `.parquet`, plus `vergleich_alle.*`): for every indicator the latest year with
 * a value — value with CI, previous year and change, base-year change, trend with
 * CI, difference to the Kreis with significance, rank among the Kommunen, Ampel
 * and suppression status. Built from the published (masked) table only.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, sqlString } from '../util/sql.js';

/**
 * Rank 1 = most favourable Kommune: lowest value where higher is worse, highest
 * where higher is better or neutral; masked or missing values get no rank.
 */
export const COMPARISON_SQL = `WITH latest AS (
  SELECT indicator_id, MAX(year) AS year FROM spm_published
  WHERE area_id = kommune_ags AND pool_years = 1 AND value IS NOT NULL GROUP BY indicator_id
),
k AS (
  SELECT p.*, i.ord, i.polarity FROM spm_published p
  JOIN latest l ON l.indicator_id = p.indicator_id AND l.year = p.year
  JOIN spm_indicators i ON i.indicator_id = p.indicator_id
  WHERE p.area_id = p.kommune_ags AND p.pool_years = 1
)
SELECT area_id AS kommune_ags, area_name AS kommune, indicator_id, indicator_title, unit, year,
  value, ci_low, ci_high, status, suppression,
  prev_value, change_prev_abs, change_prev_rel,
  base_year, base_value, change_base_abs, change_base_rel, series_break,
  trend_from, trend_n, trend_slope, trend_low, trend_high, trend_sig,
  ref_kreis_value AS kreis_value, diff_kreis, ratio_kreis, sig_kreis,
  ref_land_value AS land_value, diff_land, sig_land,
  CASE WHEN value IS NULL THEN NULL ELSE CAST(rank() OVER (
    PARTITION BY indicator_id, value IS NULL
    ORDER BY CASE WHEN polarity = 'worse' THEN value ELSE -value END) AS INTEGER) END AS rank_kommunen,
  COUNT(value) OVER (PARTITION BY indicator_id) AS kommunen_mit_wert,
  ampel, target_status, data_note
FROM k`;

/** Built once per export (one pass over the published table), then cut per Kommune. */
export const CREATE_COMPARISON = `CREATE OR REPLACE TEMP TABLE spm_vergleich AS ${COMPARISON_SQL}`;

/**
 * The comparison with the published reference values of `references:` (Bund, other
 * Kreise) as columns: `ref_<id>_value`, `ref_<id>_hinweis` (gesperrt, nicht_sinnvoll,
 * fehlt: the publisher's symbol, never a number) and `diff_<id>` (value minus the
 * reference; empty where either is). Ids are identifiers checked by the config schema.
 */
export function createComparisonSql(refIds: readonly string[]): string {
  if (refIds.length === 0) return CREATE_COMPARISON;
  const cols: string[] = [];
  const joins: string[] = [];
  refIds.forEach((id, i) => {
    const r = `r${i}`;
    cols.push(
      `${r}.value AS ${quoteIdent(`ref_${id}_value`)}`,
      `CASE WHEN ${r}.status <> 'ok' THEN ${r}.status END AS ${quoteIdent(`ref_${id}_hinweis`)}`,
      `v.value - ${r}.value AS ${quoteIdent(`diff_${id}`)}`,
    );
    joins.push(
      `LEFT JOIN spm_references ${r} ON ${r}.reference_id = ${sqlString(id)} AND ${r}.indicator_id = v.indicator_id AND ${r}.year = v.year`,
    );
  });
  // the reference columns go after the Land columns (before the rank)
  return `CREATE OR REPLACE TEMP TABLE spm_vergleich AS
WITH v AS (${COMPARISON_SQL})
SELECT v.* EXCLUDE (rank_kommunen, kommunen_mit_wert, ampel, target_status, data_note),
  ${cols.join(',\n  ')},
  v.rank_kommunen, v.kommunen_mit_wert, v.ampel, v.target_status, v.data_note
FROM v
${joins.join('\n')}`;
}

/** All rows, unordered. */
export const COMPARISON_TABLE = 'SELECT * FROM spm_vergleich';

/** All Kommunen, ordered by Kommune and indicator. */
export const COMPARISON_ALL = `SELECT * FROM spm_vergleich ORDER BY kommune_ags, indicator_id`;

/** One Kommune (parameter $1 = AGS). */
export const COMPARISON_ONE = `SELECT * FROM spm_vergleich WHERE kommune_ags = $1 ORDER BY indicator_id`;

export async function kommuneAgsList(conn: DuckDBConnection): Promise<string[]> {
  const r = await conn.runAndReadAll(
    'SELECT DISTINCT area_id FROM spm_published WHERE area_id = kommune_ags ORDER BY area_id',
  );
  return r.getRowsJS().map((x) => String(x[0]));
}

/** Rows of the comparison table per Kommune, in one pass. */
export async function comparisonCounts(conn: DuckDBConnection): Promise<Map<string, number>> {
  const r = await conn.runAndReadAll('SELECT kommune_ags, COUNT(*) AS n FROM spm_vergleich GROUP BY kommune_ags');
  return new Map(r.getRowsJS().map((x) => [String(x[0]), Number(x[1])]));
}
