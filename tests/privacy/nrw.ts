/**
 * A synthetic NRW-sized cell table for timing the suppression: 396 Kommunen,
 * 5,000 Sozialräume, 10 years, 30 indicators over 40 measures (10 shared
 * denominators, each used by 3 indicators; 30 numerators), 3-year pooled
 * windows for every indicator. Values come from a hash, so the table is the
 * same on every run. Ten numerators are sparse (a third 0, 15 % 1 or 2: rare
 * events per Sozialraum and year), twenty moderate (mostly 5..64, 5 % below 4);
 * denominators large with an occasional small one; five sparse numerator
 * measures mark 1 and 2 as source-suppressed ("*"); about 1 in 500 base cells
 * is missing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface NrwOptions {
  kommunen?: number;
  sozialraeume?: number;
  years?: number;
  indicators?: number;
  pool?: number;
  /** How many numerator measures are sparse (default 10 of 30). */
  sparse?: number;
}

export async function createSyntheticNrw(conn: DuckDBConnection, o: NrwOptions = {}): Promise<{ cells: number }> {
  const K = o.kommunen ?? 396;
  const S = o.sozialraeume ?? 5000;
  const Y = o.years ?? 10;
  const I = o.indicators ?? 30;
  const W = o.pool ?? 3;
  const D = Math.max(1, Math.round(I / 3)); // denominators
  const sparse = Math.min(I, o.sparse ?? 10); // numerators with many 0, 1, 2 (the rest: mostly 5..64, 5 % below 4)
  const y0 = 2015;
  await conn.run(
    `CREATE OR REPLACE TABLE areas_kommune AS SELECT printf('05%06d', k) AS kommune_ags, 'Kommune ' || k AS kommune_name FROM range(${K}) t(k)`,
  );
  await conn.run(`CREATE OR REPLACE TABLE areas_sozialraum AS
SELECT printf('05%06d', CAST(hash(s, 'k') % ${K} AS INTEGER)) || '-' || lpad(CAST(s AS VARCHAR), 5, '0') AS sozialraum_id,
  'SR ' || s AS sozialraum_name, printf('05%06d', CAST(hash(s, 'k') % ${K} AS INTEGER)) AS kommune_ags,
  NULL::INTEGER AS valid_from, NULL::INTEGER AS valid_to
FROM range(${S}) t(s)`);
  // measures 0..D-1: denominators; D..D+I-1: numerators (D..D+4 with "*")
  await conn.run(`CREATE OR REPLACE TABLE nrw_base AS
WITH b AS (
  SELECT m, s.sozialraum_id, s.kommune_ags, y AS year, hash(m, s.sozialraum_id, y) AS h
  FROM range(${D + I}) mm(m), areas_sozialraum s, range(${y0}, ${y0 + Y}) yy(y)
), v AS (
  SELECT *, CASE
      WHEN m < ${D} THEN (CASE WHEN h % 50 = 0 THEN (h >> 8) % 5 ELSE 20 + h % 2000 END)
      WHEN m < ${D + sparse} THEN floor(pow((h % 10007) / 10007.0, 3) * 25)
      ELSE (CASE WHEN h % 20 = 0 THEN (h >> 8) % 4 ELSE 5 + (h >> 8) % 60 END) END AS value,
    (h >> 40) % 500 = 0 AS missing
  FROM b
)
SELECT m, sozialraum_id, kommune_ags, year, missing,
  (m >= ${D} AND m < ${D + 5} AND value BETWEEN 1 AND 2 AND NOT missing) AS star, value::DOUBLE AS value
FROM v`);
  await conn.run(`CREATE OR REPLACE TABLE nrw_mcells AS
WITH one AS (
  SELECT m, 'sozialraum' AS level, sozialraum_id AS area_id, year,
    CASE WHEN missing OR star THEN NULL ELSE value END AS value, TRUE AS is_base, missing, star::INTEGER AS n_supp
  FROM nrw_base
  UNION ALL
  SELECT m, 'kommune', kommune_ags, year, SUM(CASE WHEN missing OR star THEN NULL ELSE value END), FALSE, bool_or(missing), SUM(star::INTEGER)
  FROM nrw_base GROUP BY m, kommune_ags, year
  UNION ALL
  SELECT m, 'kreis', '05', year, SUM(CASE WHEN missing OR star THEN NULL ELSE value END), FALSE, bool_or(missing), SUM(star::INTEGER)
  FROM nrw_base GROUP BY m, year
)
SELECT m, level, area_id, year, 1 AS pool_years, value, is_base, missing, n_supp FROM one
UNION ALL
SELECT m, level, area_id, year, ${W}, wv, FALSE, wm, ws FROM (
  SELECT m, level, area_id, year,
    SUM(value) OVER w AS wv, bool_or(missing) OVER w AS wm, SUM(n_supp) OVER w AS ws
  FROM one
  WINDOW w AS (PARTITION BY m, level, area_id ORDER BY year RANGE BETWEEN ${W - 1} PRECEDING AND CURRENT ROW)
) t WHERE year >= ${y0 + W - 1}`);
  await conn.run(`CREATE OR REPLACE TABLE spm_measures AS
SELECT 'ind' || lpad(CAST(i AS VARCHAR), 2, '0') AS indicator_id, 'numerator' AS role, 'm' || (${D} + i) AS measure_key FROM range(${I}) t(i)
UNION ALL
SELECT 'ind' || lpad(CAST(i AS VARCHAR), 2, '0'), 'denominator', 'm' || (i % ${D}) FROM range(${I}) t(i)`);
  await conn.run(`CREATE OR REPLACE TABLE spm_cells AS
SELECT sm.indicator_id, sm.role, c.level, c.area_id, c.year::INTEGER AS year, c.pool_years::INTEGER AS pool_years, c.value,
  c.is_base, c.missing, c.n_supp::INTEGER AS n_suppressed, c.n_supp * 1.0 AS supp_lo, c.n_supp * 2.0 AS supp_hi, FALSE AS rejected, NULL::VARCHAR AS src_ref
FROM spm_measures sm JOIN nrw_mcells c ON 'm' || c.m = sm.measure_key`);
  await conn.run('DROP TABLE nrw_base');
  await conn.run('DROP TABLE nrw_mcells');
  const r = await conn.runAndReadAll('SELECT COUNT(*)::INTEGER AS n FROM spm_cells');
  return { cells: Number(r.getRowObjectsJS()[0]!.n) };
}
