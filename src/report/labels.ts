/**
 * German labels of the report: families, significance verdicts, statuses,
 * suppression markers. One module, so tests compare against the same strings.
 */
import type { Family, Sig, Status, Suppression } from '../charts/types.js';
import { VERDICT, type VerdictKey } from '../charts/vocabulary.js';

export const FAMILY_ORDER: readonly Family[] = ['soziale_lage', 'fruehe_hilfen', 'gesundheit_u', 'gesundheit_seu', 'bildung', 'jugendhilfe', 'demografie'];

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
  (Object.keys(VERDICT) as VerdictKey[]).map((k) => [k, { symbol: VERDICT[k].symbol, text: VERDICT[k].word, cls: VERDICT[k].cls }]),
) as Record<Sig | 'masked' | 'none', SigStyle>;

/** Why a row shows no value (table cells and notes). */
export const STATUS_GAP: Partial<Record<Status, string>> = {
  below_min_denominator: 'Mindestnenner nicht erreicht',
  zero_denominator: 'Nenner 0',
  suppressed_input: 'in der Quelle gesperrt',
  missing_input: 'keine Daten',
  rejected_input: 'Eingangsdaten abgewiesen',
};

export const MASKED_TEXT = 'aus Datenschutzgründen nicht ausgewiesen';

export const SUPPRESSION_TEXT: Record<Suppression, string> = {
  primary: 'gesperrt: kleine Fallzahl',
  secondary: 'gesperrt: Sekundärsperrung',
  input: 'gesperrt: in der Quelle geheim gehalten',
};

export const AMPEL_LABEL = { rot: 'rot', gelb: 'gelb', gruen: 'grün' } as const;

export const SYNTHETIC_BANNER = 'Synthetische Beispieldaten: Alle Zahlen dieses Berichts sind erfunden und beschreiben keine realen Gebiete oder Personen.';
