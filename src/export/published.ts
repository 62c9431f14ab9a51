/**
 * The published long table (`kennzahlen.*`): fixed columns, fixed order, notes
 * in German. One view so CSV, Parquet and JSON show the same rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Params, bindable } from '../compute/params.js';

export const PUBLISHED_COLUMNS = [
  'indicator_id', 'indicator_version', 'indicator_title', 'level', 'area_id', 'area_name', 'kommune_ags',
  'year', 'period', 'pool_years', 'numerator', 'denominator', 'value', 'unit', 'status', 'note',
  'source_numerator', 'source_denominator', 'data_note',
] as const;

export async function createPublishedView(conn: DuckDBConnection, dataNote: string | null): Promise<void> {
  const p = new Params();
  const note = p.add(dataNote);
  // Views cannot hold parameters in DuckDB, so materialise as a table.
  await conn.run(
    `CREATE OR REPLACE TABLE spm_published AS
SELECT row_number() OVER (ORDER BY ord, pool_years, year, level_rank, area_id) AS row_no,
  indicator_id, version AS indicator_version, title AS indicator_title, level, area_id, area_name, kommune_ags,
  year,
  CASE WHEN pool_years = 1 THEN CAST(year AS VARCHAR) ELSE CAST(year - pool_years + 1 AS VARCHAR) || '–' || CAST(year AS VARCHAR) END AS period,
  pool_years, numerator, denominator, value, unit, status,
  CASE status
    WHEN 'implausible' THEN 'Zähler größer als Nenner' || COALESCE(' (Zähler: ' || num_ref || '; Nenner: ' || den_ref || ')', '')
    WHEN 'estimated' THEN 'Summe enthält gesperrte Eingangswerte (Anzahl: ' || CAST(num_n_supp + den_n_supp AS VARCHAR)
      || '), mit der Mitte ihres Wertebereichs geschätzt (Zähler ' || replace(printf('%.10g', num_lo), '.', ',')
      || ' bis ' || replace(printf('%.10g', num_hi), '.', ',') || ')'
    WHEN 'below_min_denominator' THEN 'Nenner unter dem Mindestnenner ' || replace(printf('%.10g', min_den), '.', ',')
    WHEN 'zero_denominator' THEN 'Nenner ist 0'
    WHEN 'suppressed_input' THEN 'Eingangswert gesperrt (Geheimhaltung der Quelle)'
    WHEN 'missing_input' THEN 'Eingangswert fehlt'
    WHEN 'rejected_input' THEN 'Eingangszeilen abgewiesen (siehe abgewiesene_zeilen.csv)'
    ELSE NULL END AS note,
  source_num AS source_numerator, source_den AS source_denominator,
  ${note}::VARCHAR AS data_note
FROM spm_results`,
    bindable(p.values),
  );
}

/** SELECT of the published columns in their fixed order. */
export const PUBLISHED_SELECT = `SELECT ${PUBLISHED_COLUMNS.join(', ')} FROM spm_published ORDER BY row_no`;
