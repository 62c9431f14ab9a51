/**
 * The words of the published output, in German and English: statuses,
 * suppression, significance (direction and verdict), trend verdicts, Ampel,
 * target status and units. Every chart, table, sentence, note and schema file
 * takes its wording from here, so the same verdict reads the same everywhere.
 *
 * Codes (`worse`, `below_min_denominator`, …) are what the data columns hold;
 * labels are what people read.
 */
import type { Unit } from '../config/schema.js';
import { STATUSES as COMPUTED_STATUSES, type Status as ComputedStatus } from '../compute/results-sql.js';

/** A label in both output languages. */
export interface Words {
  de: string;
  en: string;
}

export type Language = 'de' | 'en';

/** Area levels of the published table for a Kreis (the default hierarchy), top down. */
export const LEVELS = ['kreis', 'kommune', 'sozialraum'] as const;
export type KreisLevel = (typeof LEVELS)[number];
/**
 * A level name of the project's declared hierarchy: the Kreis levels above, or
 * any declared name (`stadt`, `bezirk`, `planungsraum`, a grouping such as `jugendamt`).
 */
export type Level = KreisLevel | (string & {});

export const LEVEL_LABEL: Record<KreisLevel, Words> = {
  kreis: { de: 'Kreis', en: 'district (Kreis)' },
  kommune: { de: 'Kommune', en: 'municipality (Kommune)' },
  sozialraum: { de: 'Sozialraum', en: 'neighbourhood (Sozialraum)' },
};

/**
 * Published status of a row. A masked row publishes `masked`, never its true
 * status: e.g. `zero_denominator` would reveal a denominator of 0, and
 * `suppressed_input` would tell a source-suppressed cell (a count of 1 or 2)
 * from a complementary one. The true status stays in the internal output.
 */
export const STATUSES = [...COMPUTED_STATUSES, 'masked'] as const;
export type Status = (typeof STATUSES)[number];
export type { ComputedStatus };

export const STATUS_LABEL: Record<Status, Words> = {
  ok: { de: 'Wert ausgewiesen', en: 'value published' },
  estimated: { de: 'geschätzt', en: 'estimated' },
  implausible: { de: 'nicht plausibel', en: 'implausible' },
  below_min_denominator: { de: 'Mindestnenner nicht erreicht', en: 'below the minimum denominator' },
  zero_denominator: { de: 'Nenner 0', en: 'denominator is 0' },
  suppressed_input: { de: 'in der Quelle gesperrt', en: 'suppressed in the source' },
  missing_input: { de: 'keine Daten', en: 'no data' },
  rejected_input: { de: 'Eingangsdaten abgewiesen', en: 'input rows rejected' },
  incomplete_input: { de: 'Summe unvollständig', en: 'sum incomplete' },
  masked: { de: 'gesperrt', en: 'suppressed' },
};

/** Statuses whose row carries a published value (unless masked). */
export const VALUE_STATUSES: readonly ComputedStatus[] = ['ok', 'estimated', 'implausible'];

/**
 * The only value of the published `suppression` column. Public outputs never
 * say why a cell is masked (small count, complementary cell or suppressed in the
 * source): the reason would tell which masked cells hold a count of 1 or 2.
 */
export const SUPPRESSED = 'gesperrt' as const;
export type Suppression = typeof SUPPRESSED;

export const SUPPRESSION_LABEL: Words = { de: 'gesperrt', en: 'suppressed' };
/** What "gesperrt" means, for notes, tooltips and sentences. */
export const SUPPRESSION_TEXT: Words = {
  de: 'aus Datenschutzgründen nicht ausgewiesen',
  en: 'not shown for data protection',
};

/** Why a cell is masked: internal output only (`--unmasked-internal`), never published. */
export type SuppressionReason = 'primary' | 'secondary' | 'input';
export const SUPPRESSION_REASON_TEXT: Record<SuppressionReason, Words> = {
  primary: { de: 'gesperrt: kleine Fallzahl (Geheimhaltung)', en: 'suppressed: small count' },
  secondary: {
    de: 'gesperrt: Sekundärsperrung, sonst wäre eine gesperrte Zahl aus Summen errechenbar',
    en: 'suppressed: complementary suppression',
  },
  input: { de: 'gesperrt: in der Quelle geheim gehalten', en: 'suppressed in the source' },
};

/** Significance of a comparison with a reference, oriented by polarity (neutral indicators: higher/lower). */
export const SIGS = ['worse', 'better', 'not_distinguishable', 'higher', 'lower'] as const;
export type Sig = (typeof SIGS)[number];

/** Verdict words of a comparison: the same in tables, legends, tooltips and sentences. */
export const SIG_LABEL: Record<Sig, Words> = {
  worse: { de: 'ungünstiger', en: 'less favourable' },
  better: { de: 'günstiger', en: 'more favourable' },
  not_distinguishable: { de: 'nicht unterscheidbar', en: 'not distinguishable' },
  higher: { de: 'höher', en: 'higher' },
  lower: { de: 'niedriger', en: 'lower' },
};

/**
 * Symbols of the verdicts (tables and legends): the point shapes of the charts
 * (square, diamond, circle; triangles only for the direction of neutral
 * indicators). Never ▲/▼ for a verdict: a worse value can be the lower one (an
 * Impfquote). The direction of a value is a separate mark (↑/↓, charts/vocabulary.ts).
 */
export const SIG_SYMBOL: Record<Sig, string> = {
  worse: '■',
  better: '◆',
  not_distinguishable: '○',
  higher: '▲',
  lower: '▼',
};

/** Verdict of a trend (same codes as comparisons). */
export const TREND_LABEL: Record<Sig, Words> = {
  worse: { de: 'ungünstige Entwicklung', en: 'unfavourable trend' },
  better: { de: 'günstige Entwicklung', en: 'favourable trend' },
  not_distinguishable: { de: 'kein gesicherter Trend', en: 'no significant trend' },
  higher: { de: 'steigend', en: 'rising' },
  lower: { de: 'fallend', en: 'falling' },
};

export const POLARITIES = ['worse', 'better', 'neutral'] as const;
export type Polarity = (typeof POLARITIES)[number];
export const POLARITY_LABEL: Record<Polarity, Words> = {
  worse: { de: 'ein höherer Wert ist ungünstiger', en: 'a higher value is less favourable' },
  better: { de: 'ein höherer Wert ist günstiger', en: 'a higher value is more favourable' },
  neutral: { de: 'Kontextkennzahl, ohne Bewertung', en: 'context indicator, not rated' },
};

export const AMPELS = ['rot', 'gelb', 'gruen'] as const;
export type Ampel = (typeof AMPELS)[number];
export const AMPEL_LABEL: Record<Ampel, Words> = {
  rot: { de: 'rot', en: 'red' },
  gelb: { de: 'gelb', en: 'amber' },
  gruen: { de: 'grün', en: 'green' },
};

export const TARGET_STATUSES = ['erreicht', 'auf_kurs', 'nicht_auf_kurs'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export const TARGET_STATUS_LABEL: Record<TargetStatus, Words> = {
  erreicht: { de: 'Ziel erreicht', en: 'target reached' },
  auf_kurs: { de: 'auf Kurs', en: 'on track' },
  nicht_auf_kurs: { de: 'nicht auf Kurs', en: 'off track' },
};

export const CI_METHODS = ['wilson', 'poisson_exakt'] as const;
export type CiMethod = (typeof CI_METHODS)[number];
export const CI_METHOD_LABEL: Record<CiMethod, Words> = {
  wilson: { de: 'Wilson-Intervall', en: 'Wilson score interval' },
  poisson_exakt: { de: 'exaktes Poisson-Intervall', en: 'exact Poisson interval' },
};

export const UNITS = [
  'percent',
  'per_1000',
  'per_10000',
  'per_100000',
  'count',
  'ratio',
] as const satisfies readonly Unit[];

/** Units: the name (Steckbrief), the short form behind a number, the unit of a difference. */
export const UNIT_LABEL: Record<Unit, { name: Words; short: Words; diff: Words; per?: string }> = {
  percent: {
    name: { de: 'Prozent', en: 'percent' },
    short: { de: '%', en: '%' },
    diff: { de: 'Prozentpunkte', en: 'percentage points' },
  },
  per_1000: {
    name: { de: 'je 1.000', en: 'per 1,000' },
    short: { de: 'je 1.000', en: 'per 1,000' },
    diff: { de: 'je 1.000', en: 'per 1,000' },
    per: '1.000',
  },
  per_10000: {
    name: { de: 'je 10.000', en: 'per 10,000' },
    short: { de: 'je 10.000', en: 'per 10,000' },
    diff: { de: 'je 10.000', en: 'per 10,000' },
    per: '10.000',
  },
  per_100000: {
    name: { de: 'je 100.000', en: 'per 100,000' },
    short: { de: 'je 100.000', en: 'per 100,000' },
    diff: { de: 'je 100.000', en: 'per 100,000' },
    per: '100.000',
  },
  count: { name: { de: 'Anzahl', en: 'count' }, short: { de: 'Anzahl', en: 'count' }, diff: { de: '', en: '' } },
  ratio: {
    name: { de: 'Verhältnis', en: 'ratio' },
    short: { de: 'Verhältnis', en: 'ratio' },
    diff: { de: '', en: '' },
  },
};

/** Why a row shows no number, as one short phrase (table cells, chart notes, tooltips). */
export function gapLabel(status: Status, lang: Language = 'de'): string {
  return status === 'ok' || status === 'estimated'
    ? lang === 'de'
      ? 'kein Wert'
      : 'no value'
    : STATUS_LABEL[status][lang];
}

/**
 * Fixed notes (column `note`) of unmasked rows; `implausible`, `estimated` and
 * `below_min_denominator` get notes with figures, built in publish/published.ts
 * from these openings.
 */
export const STATUS_NOTE = {
  implausible: { de: 'Zähler größer als Nenner', en: 'numerator greater than denominator' },
  estimated: { de: 'Summe enthält gesperrte Eingangswerte', en: 'total contains suppressed input cells' },
  below_min_denominator: { de: 'Nenner unter dem Mindestnenner', en: 'denominator below the minimum' },
  zero_denominator: { de: 'Nenner ist 0', en: 'denominator is 0' },
  suppressed_input: { de: 'Eingangswert gesperrt (Geheimhaltung der Quelle)', en: 'input suppressed by the source' },
  missing_input: { de: 'Eingangswert fehlt', en: 'input missing' },
  rejected_input: {
    de: 'Eingangszeilen abgewiesen (siehe abgewiesene_zeilen.csv)',
    en: 'input rows rejected (see abgewiesene_zeilen.csv)',
  },
  incomplete_input: { de: 'Summe unvollständig', en: 'sum incomplete' },
} as const satisfies Partial<Record<ComputedStatus, Words>>;

/** Note of an estimated row whose estimate comes from a boundary change (a split area's rows divided by weights). */
export const ESTIMATED_SPLIT_NOTE: Words = {
  de: 'geschätzt: enthält Zeilen eines geteilten Gebiets, nach Gewichten auf die neuen Gebiete aufgeteilt (areas.changes)',
  en: 'estimated: contains rows of a split area divided among its new areas by weights (areas.changes)',
};

/** Why a row shows no number, as a clause for sentences ("… nicht ausgewiesen werden: <reason>."). */
export const STATUS_REASON: Partial<Record<Status, Words>> = {
  below_min_denominator: {
    de: 'die Zahl der Fälle im Nenner liegt unter dem Mindestnenner',
    en: 'the denominator is below the minimum denominator',
  },
  zero_denominator: { de: 'der Nenner ist 0', en: 'the denominator is 0' },
  missing_input: { de: 'Eingangsdaten fehlen', en: 'input data are missing' },
  rejected_input: { de: 'Eingangsdaten wurden bei der Prüfung abgewiesen', en: 'input rows were rejected' },
  suppressed_input: { de: 'die Quelle hat den Wert gesperrt', en: 'the source suppressed the value' },
};
