/**
 * The published long table (`kennzahlen.*`): fixed columns, fixed order, notes
 * in German. One table so CSV, Parquet and JSON show the same rows.
 *
 * Masking happens here and only here: computations use true counts, the
 * published table hides every number of a masked row and every comparison,
 * change or trend that involves a masked row (so nothing suppressed can be
 * recovered by differencing). The unmasked internal table is built only on
 * explicit request.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Params, bindable } from '../compute/params.js';
import { AMPEL_SQL } from '../compute/stats-sql.js';

export const PUBLISHED_COLUMNS = [
  'indicator_id', 'indicator_version', 'indicator_title', 'level', 'area_id', 'area_name', 'kommune_ags',
  'year', 'period', 'pool_years', 'numerator', 'denominator', 'value', 'ci_low', 'ci_high', 'ci_method',
  'unit', 'status', 'suppression', 'note',
  'ref_kommune_value', 'diff_kommune', 'ratio_kommune', 'sig_kommune',
  'ref_kreis_value', 'diff_kreis', 'ratio_kreis', 'sig_kreis',
  'ref_land_value', 'diff_land', 'ratio_land', 'sig_land',
  'prev_value', 'change_prev_abs', 'change_prev_rel',
  'base_year', 'base_value', 'change_base_abs', 'change_base_rel', 'series_break',
  'trend_from', 'trend_n', 'trend_slope', 'trend_low', 'trend_high', 'trend_sig',
  'ampel', 'target_status',
  'source_numerator', 'source_denominator', 'data_note',
] as const;

/** SQL text that is NULL when `hidden` holds, else `expr`. */
const unless = (hidden: string, expr: string): string => `CASE WHEN ${hidden} THEN NULL ELSE ${expr} END`;

/**
 * Build `spm_published` (masked) or `spm_internal` (unmasked) from `spm_stats`.
 * @param masked false only for the explicitly requested internal export
 */
export async function createPublishedTable(conn: DuckDBConnection, dataNote: string | null, masked = true): Promise<void> {
  const p = new Params();
  const note = p.add(dataNote);
  const M = masked ? 's.suppression IS NOT NULL' : 'FALSE';
  const refKommune = masked ? `${M} OR s.ref_kommune_suppression IS NOT NULL` : 'FALSE';
  const refKreis = masked ? `${M} OR s.ref_kreis_suppression IS NOT NULL` : 'FALSE';
  const prev = masked ? `${M} OR s.prev_suppression IS NOT NULL` : 'FALSE';
  const base = masked ? `${M} OR s.base_suppression IS NOT NULL` : 'FALSE';
  const trend = masked ? `${M} OR s.trend_masked` : 'FALSE';
  const ampelRef = masked
    ? `${M} OR (s.ampel_mode = 'relative' AND (CASE WHEN s.ampel_reference = 'kommune' AND s.level = 'sozialraum' THEN s.ref_kommune_suppression ELSE s.ref_kreis_suppression END) IS NOT NULL) OR (s.ampel_mode = 'absolute' AND s.trend_masked)`
    : 'FALSE';
  const table = masked ? 'spm_published' : 'spm_internal';
  await conn.run(
    `CREATE OR REPLACE TABLE ${table} AS
SELECT s.indicator_id, s.version AS indicator_version, i.title AS indicator_title, s.level, s.area_id, s.area_name, s.kommune_ags,
  s.year,
  CASE WHEN s.pool_years = 1 THEN CAST(s.year AS VARCHAR) ELSE CAST(s.year - s.pool_years + 1 AS VARCHAR) || '–' || CAST(s.year AS VARCHAR) END AS period,
  s.pool_years,
  ${unless(`${M} OR s.published`, 's.numerator')} AS numerator,
  ${unless(`${M} OR s.published`, 's.denominator')} AS denominator,
  ${unless(M, 's.value')} AS value,
  ${unless(M, 's.ci_low')} AS ci_low,
  ${unless(M, 's.ci_high')} AS ci_high,
  CASE WHEN s.ci_low IS NULL THEN NULL ELSE s.ci_method END AS ci_method,
  s.unit, s.status,
  ${masked ? 's.suppression' : 'NULL'} AS suppression,
  CASE
    WHEN ${M} THEN CASE s.suppression
      WHEN 'primary' THEN 'gesperrt: kleine Fallzahl (Geheimhaltung)'
      WHEN 'secondary' THEN 'gesperrt: Sekundärsperrung, sonst wäre eine gesperrte Zahl aus Summen errechenbar'
      ELSE 'gesperrt: in der Quelle geheim gehalten' END
    WHEN s.status = 'implausible' THEN 'Zähler größer als Nenner' || COALESCE(' (Zähler: ' || s.num_ref || '; Nenner: ' || s.den_ref || ')', '')
    WHEN s.status = 'estimated' THEN 'Summe enthält gesperrte Eingangswerte (Anzahl: ' || CAST(s.num_n_supp + s.den_n_supp AS VARCHAR)
      || '), mit der Mitte ihres Wertebereichs geschätzt (Zähler ' || replace(printf('%.10g', s.num_lo), '.', ',')
      || ' bis ' || replace(printf('%.10g', s.num_hi), '.', ',') || ')'
    WHEN s.status = 'below_min_denominator' THEN 'Nenner unter dem Mindestnenner ' || replace(printf('%.10g', s.min_den), '.', ',')
    WHEN s.status = 'zero_denominator' THEN 'Nenner ist 0'
    WHEN s.status = 'suppressed_input' THEN 'Eingangswert gesperrt (Geheimhaltung der Quelle)'
    WHEN s.status = 'missing_input' THEN 'Eingangswert fehlt'
    WHEN s.status = 'rejected_input' THEN 'Eingangszeilen abgewiesen (siehe abgewiesene_zeilen.csv)'
    WHEN s.published THEN 'veröffentlichter Wert der Quelle (nicht aus Zählern berechnet, ohne Konfidenzintervall)'
    ELSE NULL END AS note,
  ${unless(refKommune, 's.ref_kommune_value')} AS ref_kommune_value,
  ${unless(refKommune, 's.diff_kommune')} AS diff_kommune,
  ${unless(refKommune, 's.ratio_kommune')} AS ratio_kommune,
  ${unless(refKommune, 's.sig_kommune')} AS sig_kommune,
  ${unless(refKreis, 's.ref_kreis_value')} AS ref_kreis_value,
  ${unless(refKreis, 's.diff_kreis')} AS diff_kreis,
  ${unless(refKreis, 's.ratio_kreis')} AS ratio_kreis,
  ${unless(refKreis, 's.sig_kreis')} AS sig_kreis,
  s.ref_land_value,
  ${unless(M, 's.diff_land')} AS diff_land,
  ${unless(M, 's.ratio_land')} AS ratio_land,
  ${unless(M, 's.sig_land')} AS sig_land,
  ${unless(prev, 's.prev_value')} AS prev_value,
  ${unless(prev, 's.change_prev_abs')} AS change_prev_abs,
  ${unless(prev, 's.change_prev_rel')} AS change_prev_rel,
  s.base_year,
  ${unless(base, 's.base_value')} AS base_value,
  ${unless(base, 's.change_base_abs')} AS change_base_abs,
  ${unless(base, 's.change_base_rel')} AS change_base_rel,
  s.break_since_prev OR s.break_since_base AS series_break,
  s.trend_from,
  ${unless(trend, 's.trend_n')} AS trend_n,
  ${unless(trend, 's.trend_slope')} AS trend_slope,
  ${unless(trend, 's.trend_low')} AS trend_low,
  ${unless(trend, 's.trend_high')} AS trend_high,
  ${unless(trend, 's.trend_sig')} AS trend_sig,
  ${unless(ampelRef, AMPEL_SQL)} AS ampel,
  ${unless(`${M}${masked ? ' OR s.trend_masked' : ''}`, 's.target_status')} AS target_status,
  i.source_num AS source_numerator, i.source_den AS source_denominator,
  ${note}::VARCHAR AS data_note
FROM spm_stats s
JOIN spm_indicators i ON i.indicator_id = s.indicator_id
-- sorted once here; later scans keep this order (DuckDB preserves insertion order)
ORDER BY s.ord, s.pool_years, s.year, s.level_rank, s.area_id`,
    bindable(p.values),
  );
}

/** SELECT of the published columns in their fixed order. */
export const PUBLISHED_SELECT = `SELECT ${PUBLISHED_COLUMNS.join(', ')} FROM spm_published`;

/** The same columns from the unmasked internal table (only on explicit request). */
export const INTERNAL_SELECT = `SELECT ${PUBLISHED_COLUMNS.join(', ')}, 'UNMASKIERT – nur für den internen Gebrauch' AS masking FROM spm_internal`;
