/**
 * German labels of the report: families, significance verdicts, statuses,
 * suppression markers. One module, so tests compare against the same strings.
 */
import type { Family } from '../charts/types.js';
import {
  AMPEL_LABEL as AMPEL_WORDS,
  STATUS_LABEL,
  SUPPRESSION_TEXT,
  type Ampel,
  type Status,
} from '../publish/vocabulary.js';
import type { Sig } from '../charts/types.js';
import { VERDICT, type VerdictKey } from '../charts/vocabulary.js';

export const FAMILY_ORDER: readonly Family[] = [
  'soziale_lage',
  'fruehe_hilfen',
  'gesundheit_u',
  'gesundheit_seu',
  'bildung',
  'jugendhilfe',
  'demografie',
];

export const FAMILY_LABEL: Record<Family, string> = {
  soziale_lage: 'Soziale Lage',
  fruehe_hilfen: 'Frühe Hilfen',
  gesundheit_u: 'Gesundheit: Früherkennungsuntersuchungen',
  gesundheit_seu: 'Gesundheit: Schuleingangsuntersuchung',
  bildung: 'Bildung und Betreuung',
  jugendhilfe: 'Kinder- und Jugendhilfe',
  demografie: 'Demografie',
};

/** Symbol, short text and CSS class of a comparison with a reference. */
export interface SigStyle {
  symbol: string;
  text: string;
  cls: string;
}

/** The verdict marks of tables: the shared vocabulary (charts/vocabulary.ts), so tables print the chart's shapes. */
export const SIG_MARK: Record<Sig | 'masked' | 'none', SigStyle> = Object.fromEntries(
  (Object.keys(VERDICT) as VerdictKey[]).map((k) => [
    k,
    { symbol: VERDICT[k].symbol, text: VERDICT[k].word, cls: VERDICT[k].cls },
  ]),
) as Record<Sig | 'masked' | 'none', SigStyle>;

/** Why a row shows no value (table cells and notes). */
export const STATUS_GAP: Partial<Record<Status, string>> = Object.fromEntries(
  (['below_min_denominator', 'zero_denominator', 'suppressed_input', 'missing_input', 'rejected_input'] as const).map(
    (s) => [s, STATUS_LABEL[s].de],
  ),
);

/** What "gesperrt" means; the same for every masked row (no reason is published). */
export const MASKED_TEXT = SUPPRESSION_TEXT.de;

export const AMPEL_LABEL = Object.fromEntries(Object.entries(AMPEL_WORDS).map(([k, v]) => [k, v.de])) as Record<
  Ampel,
  string
>;

export const SYNTHETIC_BANNER =
  'Synthetische Beispieldaten: Alle Zahlen dieses Berichts sind erfunden und beschreiben keine realen Gebiete oder Personen.';
