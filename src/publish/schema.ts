/**
 * The published schema: every column of `kennzahlen.*` in its fixed order, with
 * its type, unit, the mask that hides it, German and English label and
 * description, and the SQL that fills it from `spm_stats`. The masking SELECT
 * (publish/published.ts), the Arrow/Parquet types and field metadata, the CSV
 * schema file (publish/table-schema.ts) and the TypeScript row type
 * `KennzahlRow` all derive from this one list.
 */
import {
  AMPELS,
  CI_METHODS,
  LEVELS,
  SIGS,
  STATUSES,
  SUPPRESSED,
  TARGET_STATUSES,
  UNITS,
  type Words,
  type Level,
} from './vocabulary.js';

/** Storage type of a column: `text` = VARCHAR/Utf8, `int` = INTEGER/Int32, `double` = DOUBLE/Float64, `bool` = BOOLEAN. */
export type ColumnType = 'text' | 'int' | 'double' | 'bool';

/**
 * Which mask hides a column on the published table (the internal table hides nothing):
 * - `none`: never hidden (identifiers, definitions, Land reference values from the Land's own publication)
 * - `row`: hidden when the row is masked
 * - `value`: hidden when the row is masked or has no value (status not ok/estimated/implausible):
 *   the Steckbrief promises "kein Ausweis als Zahl" below the minimum denominator, so neither
 *   the rate nor the counts it is built from appear there
 * - `ref_kommune` / `ref_kreis`: hidden when the row or the reference row (Kommune, Kreis) is masked
 * - `prev` / `base`: hidden when the row or the previous-year / base-year row is masked
 * - `trend`: hidden when the row or any row of the trend window is masked
 * - `ampel`: hidden when the row or what the Ampel is derived from (reference or trend) is masked
 * - `special`: `status`, `suppression` and `note` have their own published form (see `PUBLISHED_FORM`)
 */
export type MaskRule =
  | 'none'
  | 'row'
  | 'value'
  | 'ref_kommune'
  | 'ref_kreis'
  | 'prev'
  | 'base'
  | 'trend'
  | 'ampel'
  | 'special';

/**
 * Unit of a column's numbers: `indicator` = the row's `unit` (%, je 1.000, …),
 * `indicator_per_year` = the row's unit per year, `count`, `year`, `years`,
 * `factor` (ratio of two values), `share` (relative change, 0.1 = 10 %).
 */
export type ColumnUnit = 'indicator' | 'indicator_per_year' | 'count' | 'year' | 'years' | 'factor' | 'share';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** May be empty (NULL). */
  readonly nullable: boolean;
  /** The codes a text column can hold. */
  readonly values?: readonly string[];
  readonly unit?: ColumnUnit;
  readonly mask: MaskRule;
  /** SQL over `spm_stats s JOIN spm_indicators i` (and the data-note parameter `$note`). */
  readonly sql: string;
  readonly label: Words;
  readonly description: Words;
}

const w = (de: string, en: string): Words => ({ de, en });

const col = <const C extends ColumnDef>(c: C): C => c;

/** The four comparison columns of a reference level; `gen`/`dat` are the German genitive/dative phrases. */
const ref = (level: 'kommune' | 'kreis', gen: string, dat: string, en: string) =>
  [
    col({
      name: `ref_${level}_value`,
      type: 'double',
      nullable: true,
      unit: 'indicator',
      mask: `ref_${level}`,
      sql: `s.ref_${level}_value`,
      label: w(`Wert ${gen}`, `${en} value`),
      description: w(`Wert ${gen} im selben Jahr (Vergleichswert)`, `value of the ${en} in the same year (reference)`),
    }),
    col({
      name: `diff_${level}`,
      type: 'double',
      nullable: true,
      unit: 'indicator',
      mask: `ref_${level}`,
      sql: `s.diff_${level}`,
      label: w(`Differenz zu ${dat}`, `difference to ${en}`),
      description: w(
        `Wert minus Wert ${gen} (bei Prozent: Prozentpunkte)`,
        `value minus ${en} value (percentage points for percent)`,
      ),
    }),
    col({
      name: `ratio_${level}`,
      type: 'double',
      nullable: true,
      unit: 'factor',
      mask: `ref_${level}`,
      sql: `s.ratio_${level}`,
      label: w(`Verhältnis zu ${dat}`, `ratio to ${en}`),
      description: w(`Wert geteilt durch den Wert ${gen}`, `value divided by the ${en} value`),
    }),
    col({
      name: `sig_${level}`,
      type: 'text',
      nullable: true,
      values: SIGS,
      mask: `ref_${level}`,
      sql: `s.sig_${level}`,
      label: w(`Vergleich mit ${dat}`, `comparison with ${en}`),
      description: w(
        `worse/better: das 95-%-KI schließt den Wert ${gen} aus, in ungünstiger/günstiger Richtung; higher/lower bei Kontextkennzahlen; not_distinguishable: nicht unterscheidbar`,
        `worse/better: the 95 % CI excludes the ${en} value, in the unfavourable/favourable direction; higher/lower for context indicators; not_distinguishable otherwise`,
      ),
    }),
  ] as const;

/** Every published column, in file order. */
export const COLUMNS = [
  col({
    name: 'indicator_id',
    type: 'text',
    nullable: false,
    mask: 'none',
    sql: 's.indicator_id',
    label: w('Kennzahl', 'indicator'),
    description: w('Kennung der Kennzahl (Steckbrief)', 'indicator id (see its Steckbrief)'),
  }),
  col({
    name: 'indicator_version',
    type: 'int',
    nullable: false,
    mask: 'none',
    sql: 's.version',
    label: w('Version', 'version'),
    description: w('Version der Kennzahl-Definition', 'version of the indicator definition'),
  }),
  col({
    name: 'indicator_title',
    type: 'text',
    nullable: false,
    mask: 'none',
    sql: 'i.title',
    label: w('Titel', 'title'),
    description: w('Titel der Kennzahl', 'indicator title'),
  }),
  col({
    name: 'level',
    type: 'text',
    nullable: false,
    values: LEVELS,
    mask: 'none',
    sql: 's.level',
    label: w('Ebene', 'level'),
    description: w(
      'Gebietsebene: kreis, kommune oder sozialraum (oder die deklarierten Ebenen und Gliederungen)',
      'area level: kreis, kommune or sozialraum (or the declared levels and groupings)',
    ),
  }),
  col({
    name: 'area_id',
    type: 'text',
    nullable: false,
    mask: 'none',
    sql: 's.area_id',
    label: w('Gebiet', 'area'),
    description: w(
      'Gebietskennung: Sozialraum-Kennung, AGS der Kommune oder des Kreises (Text, führende Nullen)',
      'area id: Sozialraum id, AGS of the Kommune or Kreis (text, leading zeros)',
    ),
  }),
  col({
    name: 'area_name',
    type: 'text',
    nullable: false,
    mask: 'none',
    sql: 's.area_name',
    label: w('Gebietsname', 'area name'),
    description: w('Name des Gebiets', 'area name'),
  }),
  col({
    name: 'kommune_ags',
    type: 'text',
    nullable: true,
    mask: 'none',
    sql: 's.kommune_ags',
    label: w('AGS der Kommune', 'municipality AGS'),
    description: w(
      'AGS der Kommune (8 Stellen, Text); leer auf Kreisebene',
      'AGS of the Kommune (8 digits, text); empty for the Kreis',
    ),
  }),
  col({
    name: 'year',
    type: 'int',
    nullable: false,
    unit: 'year',
    mask: 'none',
    sql: 's.year',
    label: w('Jahr', 'year'),
    description: w(
      'Berichtsjahr (bei Mehrjahresfenstern das letzte Jahr)',
      'reference year (last year of a pooled window)',
    ),
  }),
  col({
    name: 'period',
    type: 'text',
    nullable: false,
    mask: 'none',
    sql: "CASE WHEN s.pool_years = 1 THEN CAST(s.year AS VARCHAR) ELSE CAST(s.year - s.pool_years + 1 AS VARCHAR) || '–' || CAST(s.year AS VARCHAR) END",
    label: w('Zeitraum', 'period'),
    description: w('Jahr oder Mehrjahresfenster, z. B. 2022–2024', 'year or pooled window, e.g. 2022–2024'),
  }),
  col({
    name: 'pool_years',
    type: 'int',
    nullable: false,
    unit: 'years',
    mask: 'none',
    sql: 's.pool_years',
    label: w('Jahre im Fenster', 'pooled years'),
    description: w(
      '1 = Einzeljahr; sonst Zahl der zusammengefassten Jahre',
      '1 = single year; else the number of pooled years',
    ),
  }),
  col({
    // a published value (indicator with `published:`) has no counts: its "numerator" is the value itself
    name: 'numerator',
    type: 'double',
    nullable: true,
    unit: 'count',
    mask: 'value',
    sql: 'CASE WHEN s.published THEN NULL ELSE s.numerator END',
    label: w('Zähler', 'numerator'),
    description: w(
      'Summe der Zählerfälle; leer, wenn gesperrt oder kein Wert ausgewiesen wird',
      'summed numerator count; empty when suppressed or no value is published',
    ),
  }),
  col({
    name: 'denominator',
    type: 'double',
    nullable: true,
    unit: 'count',
    mask: 'value',
    sql: 'CASE WHEN s.published THEN NULL ELSE s.denominator END',
    label: w('Nenner', 'denominator'),
    description: w(
      'Summe der Nennerfälle; leer, wenn gesperrt oder kein Wert ausgewiesen wird',
      'summed denominator count; empty when suppressed or no value is published',
    ),
  }),
  col({
    name: 'value',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'value',
    sql: 's.value',
    label: w('Wert', 'value'),
    description: w(
      'Zähler / Nenner in der Einheit der Kennzahl',
      'numerator / denominator in the unit of the indicator',
    ),
  }),
  col({
    name: 'ci_low',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'value',
    sql: 's.ci_low',
    label: w('KI unten', 'CI low'),
    description: w('untere Grenze des 95-%-Konfidenzintervalls', 'lower bound of the 95 % confidence interval'),
  }),
  col({
    name: 'ci_high',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'value',
    sql: 's.ci_high',
    label: w('KI oben', 'CI high'),
    description: w('obere Grenze des 95-%-Konfidenzintervalls', 'upper bound of the 95 % confidence interval'),
  }),
  col({
    name: 'ci_method',
    type: 'text',
    nullable: true,
    values: CI_METHODS,
    mask: 'value',
    sql: 'CASE WHEN s.ci_low IS NULL THEN NULL ELSE s.ci_method END',
    label: w('KI-Methode', 'CI method'),
    description: w('wilson (Anteile) oder poisson_exakt (Raten)', 'wilson (proportions) or poisson_exakt (rates)'),
  }),
  col({
    name: 'unit',
    type: 'text',
    nullable: false,
    values: UNITS,
    mask: 'none',
    sql: 's.unit',
    label: w('Einheit', 'unit'),
    description: w(
      'percent, per_1000, per_10000, per_100000, count oder ratio',
      'percent, per_1000, per_10000, per_100000, count or ratio',
    ),
  }),
  col({
    name: 'status',
    type: 'text',
    nullable: false,
    values: STATUSES,
    mask: 'special',
    sql: 's.status',
    label: w('Status', 'status'),
    description: w(
      'ok, estimated, implausible, below_min_denominator, zero_denominator, suppressed_input, missing_input, rejected_input, incomplete_input; masked bei gesperrten Zeilen',
      'ok, estimated, implausible, below_min_denominator, zero_denominator, suppressed_input, missing_input, rejected_input, incomplete_input; masked for suppressed rows',
    ),
  }),
  col({
    name: 'suppression',
    type: 'text',
    nullable: true,
    values: [SUPPRESSED],
    mask: 'special',
    sql: 's.suppression',
    label: w('Sperrung', 'suppression'),
    description: w(
      '„gesperrt“, wenn die Zeile aus Datenschutzgründen nicht ausgewiesen wird, sonst leer',
      '"gesperrt" when the row is suppressed for data protection, else empty',
    ),
  }),
  col({
    name: 'note',
    type: 'text',
    nullable: true,
    mask: 'special',
    sql: 'NULL',
    label: w('Hinweis', 'note'),
    description: w(
      'Hinweis in Worten, warum kein oder ein geschätzter Wert vorliegt',
      'note on why there is no or an estimated value',
    ),
  }),
  ...ref('kommune', 'der Kommune', 'der Kommune', 'Kommune'),
  ...ref('kreis', 'des Kreises', 'dem Kreis', 'Kreis'),
  col({
    name: 'ref_land_value',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'none',
    sql: 's.ref_land_value',
    label: w('Wert des Landes', 'Land value'),
    description: w(
      'Vergleichswert des Landes (aus dessen Veröffentlichung)',
      'reference value of the Land (from its own publication)',
    ),
  }),
  col({
    name: 'diff_land',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'row',
    sql: 's.diff_land',
    label: w('Differenz zum Land', 'difference to Land'),
    description: w('Wert minus Wert des Landes', 'value minus Land value'),
  }),
  col({
    name: 'ratio_land',
    type: 'double',
    nullable: true,
    unit: 'factor',
    mask: 'row',
    sql: 's.ratio_land',
    label: w('Verhältnis zum Land', 'ratio to Land'),
    description: w('Wert geteilt durch den Wert des Landes', 'value divided by the Land value'),
  }),
  col({
    name: 'sig_land',
    type: 'text',
    nullable: true,
    values: SIGS,
    mask: 'row',
    sql: 's.sig_land',
    label: w('Vergleich mit dem Land', 'comparison with Land'),
    description: w('wie sig_kreis, gegen den Wert des Landes', 'as sig_kreis, against the Land value'),
  }),
  col({
    name: 'prev_value',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'prev',
    sql: 's.prev_value',
    label: w('Vorjahreswert', 'previous year value'),
    description: w('Wert des Vorjahres', 'value of the previous year'),
  }),
  col({
    name: 'change_prev_abs',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'prev',
    sql: 's.change_prev_abs',
    label: w('Veränderung zum Vorjahr', 'change to previous year'),
    description: w('Wert minus Vorjahreswert', 'value minus previous year value'),
  }),
  col({
    name: 'change_prev_rel',
    type: 'double',
    nullable: true,
    unit: 'share',
    mask: 'prev',
    sql: 's.change_prev_rel',
    label: w('relative Veränderung zum Vorjahr', 'relative change to previous year'),
    description: w('(Wert − Vorjahreswert) / Vorjahreswert', '(value − previous) / previous'),
  }),
  col({
    name: 'base_year',
    type: 'int',
    nullable: true,
    unit: 'year',
    mask: 'none',
    sql: 's.base_year',
    label: w('Basisjahr', 'base year'),
    description: w('Basisjahr der Veränderung (Einstellung)', 'base year of the change (setting)'),
  }),
  col({
    name: 'base_value',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'base',
    sql: 's.base_value',
    label: w('Wert im Basisjahr', 'base year value'),
    description: w('Wert im Basisjahr', 'value in the base year'),
  }),
  col({
    name: 'change_base_abs',
    type: 'double',
    nullable: true,
    unit: 'indicator',
    mask: 'base',
    sql: 's.change_base_abs',
    label: w('Veränderung zum Basisjahr', 'change to base year'),
    description: w('Wert minus Wert im Basisjahr', 'value minus base year value'),
  }),
  col({
    name: 'change_base_rel',
    type: 'double',
    nullable: true,
    unit: 'share',
    mask: 'base',
    sql: 's.change_base_rel',
    label: w('relative Veränderung zum Basisjahr', 'relative change to base year'),
    description: w('(Wert − Basiswert) / Basiswert', '(value − base) / base'),
  }),
  col({
    name: 'series_break',
    type: 'bool',
    nullable: true,
    mask: 'none',
    sql: 's.break_since_prev OR s.break_since_base',
    label: w('Bruch der Zeitreihe', 'series break'),
    description: w(
      'ein erklärter Bruch liegt zwischen Vorjahr bzw. Basisjahr und diesem Jahr',
      'a declared break lies between the previous or base year and this year',
    ),
  }),
  col({
    name: 'trend_from',
    type: 'int',
    nullable: true,
    unit: 'year',
    // hidden with the trend: the first year the fit used tells whether a masked year before it had a value
    mask: 'trend',
    sql: 's.trend_from',
    label: w('Trend ab', 'trend from'),
    description: w('erstes Jahr des Trendfensters', 'first year of the trend window'),
  }),
  col({
    name: 'trend_n',
    type: 'int',
    nullable: true,
    unit: 'years',
    mask: 'trend',
    sql: 's.trend_n',
    label: w('Jahre im Trend', 'trend years'),
    description: w('Zahl der Jahre im Trend', 'number of years in the trend'),
  }),
  col({
    name: 'trend_slope',
    type: 'double',
    nullable: true,
    unit: 'indicator_per_year',
    mask: 'trend',
    sql: 's.trend_slope',
    label: w('Trend je Jahr', 'trend per year'),
    description: w('gewichtete mittlere Veränderung je Jahr', 'weighted mean change per year'),
  }),
  col({
    name: 'trend_low',
    type: 'double',
    nullable: true,
    unit: 'indicator_per_year',
    mask: 'trend',
    sql: 's.trend_low',
    label: w('Trend KI unten', 'trend CI low'),
    description: w('untere Grenze des 95-%-KI des Trends', 'lower bound of the trend 95 % CI'),
  }),
  col({
    name: 'trend_high',
    type: 'double',
    nullable: true,
    unit: 'indicator_per_year',
    mask: 'trend',
    sql: 's.trend_high',
    label: w('Trend KI oben', 'trend CI high'),
    description: w('obere Grenze des 95-%-KI des Trends', 'upper bound of the trend 95 % CI'),
  }),
  col({
    name: 'trend_sig',
    type: 'text',
    nullable: true,
    values: SIGS,
    mask: 'trend',
    sql: 's.trend_sig',
    label: w('Trendbewertung', 'trend verdict'),
    description: w('wie sig_kreis, für den Trend', 'as sig_kreis, for the trend'),
  }),
  col({
    name: 'ampel',
    type: 'text',
    nullable: true,
    values: AMPELS,
    mask: 'ampel',
    sql: 'AMPEL',
    label: w('Ampel', 'traffic light'),
    description: w(
      'rot, gelb oder gruen (relativ zum Vergleichswert oder zum Zielwert)',
      'rot, gelb or gruen (against the reference or the target)',
    ),
  }),
  col({
    name: 'target_status',
    type: 'text',
    nullable: true,
    values: TARGET_STATUSES,
    mask: 'trend',
    sql: 's.target_status',
    label: w('Zielerreichung', 'target status'),
    description: w(
      'erreicht, auf_kurs oder nicht_auf_kurs (Ampel mit Zielwert)',
      'erreicht, auf_kurs or nicht_auf_kurs (Ampel with a target)',
    ),
  }),
  col({
    name: 'source_numerator',
    type: 'text',
    nullable: true,
    mask: 'none',
    sql: 'i.source_num',
    label: w('Quelle Zähler', 'numerator source'),
    description: w('Quelle des Zählers mit Stand', 'source of the numerator with its date'),
  }),
  col({
    name: 'source_denominator',
    type: 'text',
    nullable: true,
    mask: 'none',
    sql: 'i.source_den',
    label: w('Quelle Nenner', 'denominator source'),
    description: w('Quelle des Nenners mit Stand', 'source of the denominator with its date'),
  }),
  col({
    name: 'data_note',
    type: 'text',
    nullable: true,
    mask: 'none',
    sql: '$note',
    label: w('Datenhinweis', 'data note'),
    description: w('z. B. „synthetische Beispieldaten“', 'e.g. "synthetische Beispieldaten" (synthetic sample data)'),
  }),
] as const;

export type PublishedColumn = (typeof COLUMNS)[number];
export type ColumnName = PublishedColumn['name'];

/** The column names in file order. */
export const PUBLISHED_COLUMNS: readonly ColumnName[] = COLUMNS.map((c) => c.name);

// `level` lists the Kreis levels as its values, but a project may declare its own (any name)
type TsOf<C> = C extends { name: 'level' }
  ? Level
  : C extends { values: readonly (infer V)[] }
    ? V
    : C extends { type: 'text' }
      ? string
      : C extends { type: 'bool' }
        ? boolean
        : number;

/**
 * One row of the published table (`kennzahlen.*`, `Spm.results()`), derived
 * from {@link COLUMNS}: every column is present; `null` where nothing is
 * published (masked rows carry no number, no comparison and status `masked`).
 */
export type KennzahlRow = {
  -readonly [C in PublishedColumn as C['name']]: TsOf<C> | (C extends { nullable: true } ? null : never);
};

export function columnDef(name: ColumnName): PublishedColumn {
  const c = COLUMNS.find((x) => x.name === name);
  if (!c) throw new Error(`unknown published column ${name}`);
  return c;
}

/** A row with every column null, to complete hand-built rows (tests, examples): `{ ...nullRow(), ...fields }`. */
export function nullRow(): Record<ColumnName, null> {
  return Object.fromEntries(PUBLISHED_COLUMNS.map((n) => [n, null])) as Record<ColumnName, null>;
}
