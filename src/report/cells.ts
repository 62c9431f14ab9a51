/** Table cells shared by the pages: values with CI, counts, comparisons, markers for masked rows. */
import type { IndicatorMeta, KennzahlRow, Sig } from '../charts/types.js';
import { SUPPRESSION_LABEL } from '../publish/vocabulary.js';
import { formatDe, markEstimated } from '../charts/format.js';
import type { Cell } from './types.js';
import { DIRECTION, directionOf, type DirectionKey } from '../charts/vocabulary.js';
import { AMPEL_LABEL, MASKED_TEXT, SIG_MARK, STATUS_GAP } from './labels.js';

const digits = (ind: Pick<IndicatorMeta, 'unit'>) => (ind.unit === 'count' ? 0 : ind.unit === 'ratio' ? 2 : 1);

export function numberText(x: number, ind: Pick<IndicatorMeta, 'unit'>): string {
  return formatDe(x, digits(ind));
}

/** A count (decimals only for averages such as a Jahresdurchschnitt). */
export function countText(x: number): string {
  return formatDe(x, Number.isInteger(x) ? 0 : 1);
}

export function valueCell(ind: IndicatorMeta, r: KennzahlRow | undefined): Cell {
  if (!r) return { text: '–', cls: 'gap', title: 'keine Daten' };
  // the same words for every masked row: no reason (it would tell small counts from complementary cells)
  if (r.suppression != null) return { text: SUPPRESSION_LABEL.de, cls: 'masked', title: MASKED_TEXT };
  if (r.value == null) return { text: '–', cls: 'gap', title: STATUS_GAP[r.status] ?? 'kein Wert' };
  const est = r.status === 'estimated';
  return {
    text: markEstimated(numberText(r.value, ind), est),
    cls: est ? 'num estimated' : 'num',
    ...(est ? { title: 'geschätzt: enthält gesperrte Eingangswerte' } : {}),
  };
}

export function ciCell(ind: IndicatorMeta, r: KennzahlRow | undefined): Cell {
  if (!r || r.suppression != null || r.ci_low == null || r.ci_high == null) return { text: '', cls: 'num' };
  return { text: `${numberText(r.ci_low, ind)} – ${numberText(r.ci_high, ind)}`, cls: 'num ci' };
}

/**
 * A number in a compute note (kennzahlen.csv, column `note`): digits, a decimal comma,
 * no thousands separator (SQL `printf('%.10g')` with `.` replaced by `,`).
 */
const NOTE_NUMBER = String.raw`\d+(?:,\d+)?`;
const NUMERATOR_RANGE = new RegExp(`Zähler (${NOTE_NUMBER}) bis (${NOTE_NUMBER})`);
/** The counts a note states: a numerator range, the number of suppressed inputs, a Mindestnenner. */
const NOTE_COUNTS = new RegExp(
  String.raw`(Zähler |(?<=Zähler ${NOTE_NUMBER}) bis |Anzahl: |Mindestnenner |Nenner ist )(${NOTE_NUMBER})(?!\d)`,
  'g',
);
const noteNumber = (s: string) => Number(s.replace(',', '.'));

/**
 * A compute note as the report shows it: its counts with German thousands separators
 * ("Zähler 3.119 bis 3.124"), like the count cells beside it. Compute writes the
 * numbers plain; years and other numbers in a note are left as they are.
 */
export function noteText(note: string): string {
  return note.replace(NOTE_COUNTS, (_, lead: string, n: string) => lead + countText(noteNumber(n)));
}

/**
 * A count as a committee reads it. An estimated total (it contains suppressed input
 * cells counted with the middle of their range) is not shown as "19,5": the
 * numerator gets the range from the note ("geschätzt 693–710"), whole or not (the middle
 * of 13 to 15 is 14, which would read as an exact count), any other half count
 * "ca. 60 (geschätzt)".
 */
export function countCell(
  x: number | null | undefined,
  r: KennzahlRow | undefined,
  which: 'numerator' | 'denominator' = 'numerator',
): Cell {
  if (!r || r.suppression != null || x == null) return { text: '', cls: 'num' };
  // the note's numerator range is a range only when the numerator itself holds suppressed cells
  const m = r.status === 'estimated' && which === 'numerator' ? NUMERATOR_RANGE.exec(r.note ?? '') : null;
  if (r.status === 'estimated' && ((m && m[1] !== m[2]) || !Number.isInteger(x))) {
    const text =
      m && m[1] !== m[2]
        ? `geschätzt ${countText(noteNumber(m[1]!))}–${countText(noteNumber(m[2]!))}`
        : `ca. ${countText(Math.round(x))} (geschätzt)`;
    return {
      text,
      cls: 'num estimated',
      title: 'Summe enthält gesperrte Eingangswerte; geschätzt mit der Mitte ihres Wertebereichs',
    };
  }
  return { text: countText(x), cls: 'num' };
}

/** Which reference a comparison cell is about: the direction is read against it. */
export type CompareWith = 'kreis' | 'kommune' | 'trend';

/** Direction of the row's value against the reference (or of its trend), if published. */
export function directionFor(
  r: KennzahlRow | undefined,
  ref: CompareWith,
  ind?: Pick<IndicatorMeta, 'unit'>,
): DirectionKey | undefined {
  if (!r || r.suppression != null || r.value == null) return undefined;
  if (ref === 'trend')
    return r.trend_slope == null ? undefined : r.trend_slope > 0 ? 'up' : r.trend_slope < 0 ? 'down' : 'same';
  const v = ref === 'kreis' ? r.ref_kreis_value : r.ref_kommune_value;
  return v == null ? undefined : directionOf(r.value, v, ind ? digits(ind) : 1);
}

/**
 * A comparison as verdict mark plus words, and for a rated significant verdict the
 * direction (`■ ungünstiger (↓ niedriger)`): the mark judges, the arrow says where
 * the value lies, so a low Impfquote is ungünstiger *and* niedriger.
 */
export function sigCell(
  sig: Sig | null | undefined,
  r: KennzahlRow | undefined,
  ref: CompareWith = 'kreis',
  ind?: Pick<IndicatorMeta, 'unit'>,
): Cell {
  const k = !r ? 'none' : r.suppression != null ? 'masked' : (sig ?? 'none');
  const s = SIG_MARK[k];
  const d = k === 'worse' || k === 'better' ? directionFor(r, ref, ind) : undefined;
  const dir = d ? ` (${DIRECTION[d].symbol}\u00a0${ref === 'trend' ? DIRECTION[d].trend : DIRECTION[d].word})` : '';
  return { text: `${s.symbol} ${s.text}${dir}`, cls: `sig ${s.cls}` };
}

/** Compact matrix cell: verdict mark, value, direction arrow for rated verdicts; the words for screen readers and as tooltip. */
export function sigSymbolCell(sig: Sig | null | undefined, r: KennzahlRow | undefined, ind: IndicatorMeta): Cell {
  const k = !r ? 'none' : r.suppression != null ? 'masked' : r.value == null ? 'none' : (sig ?? 'none');
  const s = SIG_MARK[k];
  const v =
    r && r.suppression == null && r.value != null
      ? markEstimated(numberText(r.value, ind), r.status === 'estimated')
      : '';
  const d = k === 'worse' || k === 'better' ? directionFor(r, 'kreis', ind) : undefined;
  const words = `${s.text}${d ? `, ${DIRECTION[d].word}` : ''}${v && r?.status === 'estimated' ? ', Wert geschätzt' : ''}`;
  return {
    text: [s.symbol, v ? ` ${v}` : '', d ? `\u00a0${DIRECTION[d].symbol}` : '', { sr: ` ${words}` }],
    cls: `sig ${s.cls}`,
    title: words,
  };
}

export function ampelCell(r: KennzahlRow | undefined): Cell {
  if (!r?.ampel) return { text: '' };
  return { text: AMPEL_LABEL[r.ampel], cls: `ampel ampel-${r.ampel}` };
}

export function noteCell(r: KennzahlRow | undefined): Cell {
  if (r?.suppression != null) return { text: SUPPRESSION_LABEL.de, cls: 'note' };
  return { text: r?.note ? noteText(r.note) : '', cls: 'note' };
}
