/**
 * German labels of the report: families, significance verdicts, statuses,
 * suppression markers. One module, so tests compare against the same strings.
 */
import type { Family } from '../charts/types.js';
import {
  AMPEL_LABEL as AMPEL_WORDS,
  SIG_LABEL,
  SIG_SYMBOL,
  STATUS_LABEL,
  SUPPRESSION_LABEL,
  SUPPRESSION_TEXT,
  type Ampel,
  type Sig,
  type Status,
} from '../publish/vocabulary.js';

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

const sig = (k: Sig, cls: string): SigStyle => ({ symbol: SIG_SYMBOL[k], text: SIG_LABEL[k].de, cls });

export const SIG_MARK: Record<Sig | 'masked' | 'none', SigStyle> = {
  worse: sig('worse', 'sig-worse'),
  better: sig('better', 'sig-better'),
  not_distinguishable: sig('not_distinguishable', 'sig-nd'),
  higher: sig('higher', 'sig-higher'),
  lower: sig('lower', 'sig-lower'),
  masked: { symbol: '×', text: SUPPRESSION_LABEL.de, cls: 'sig-masked' },
  none: { symbol: '·', text: 'kein Vergleich', cls: 'sig-none' },
};

/** Why a row shows no value (table cells and notes). */
export const STATUS_GAP: Partial<Record<Status, string>> = Object.fromEntries(
  (['below_min_denominator', 'zero_denominator', 'suppressed_input', 'missing_input', 'rejected_input'] as const).map((s) => [s, STATUS_LABEL[s].de]),
);

/** What "gesperrt" means; the same for every masked row (no reason is published). */
export const MASKED_TEXT = SUPPRESSION_TEXT.de;

export const AMPEL_LABEL = Object.fromEntries(Object.entries(AMPEL_WORDS).map(([k, v]) => [k, v.de])) as Record<Ampel, string>;

export const SYNTHETIC_BANNER = 'Synthetische Beispieldaten: Alle Zahlen dieses Berichts sind erfunden und beschreiben keine realen Gebiete oder Personen.';
