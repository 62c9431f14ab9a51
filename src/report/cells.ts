/** Table cells shared by the pages: values with CI, counts, comparisons, markers for masked rows. */
import type { IndicatorMeta, KennzahlRow, Sig } from '../charts/types.js';
import { SUPPRESSION_LABEL } from '../publish/vocabulary.js';
import { formatDe } from '../charts/format.js';
import type { Cell } from './types.js';
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
  return { text: numberText(r.value, ind) + (est ? ' (g)' : ''), cls: est ? 'num estimated' : 'num', ...(est ? { title: 'geschätzt: enthält gesperrte Eingangswerte' } : {}) };
}

export function ciCell(ind: IndicatorMeta, r: KennzahlRow | undefined): Cell {
  if (!r || r.suppression != null || r.ci_low == null || r.ci_high == null) return { text: '', cls: 'num' };
  return { text: `${numberText(r.ci_low, ind)} – ${numberText(r.ci_high, ind)}`, cls: 'num ci' };
}

export function countCell(x: number | null | undefined, r: KennzahlRow | undefined): Cell {
  if (!r || r.suppression != null || x == null) return { text: '', cls: 'num' };
  return { text: countText(x), cls: 'num' };
}

/** A comparison as symbol plus words (the words are the accessible name, not only colour). */
export function sigCell(sig: Sig | null | undefined, r: KennzahlRow | undefined): Cell {
  const k = !r ? 'none' : r.suppression != null ? 'masked' : sig ?? 'none';
  const s = SIG_MARK[k];
  return { text: `${s.symbol} ${s.text}`, cls: `sig ${s.cls}` };
}

/** Compact matrix cell: the symbol, with the words for screen readers and as tooltip. */
export function sigSymbolCell(sig: Sig | null | undefined, r: KennzahlRow | undefined, ind: IndicatorMeta): Cell {
  const k = !r ? 'none' : r.suppression != null ? 'masked' : r.value == null ? 'none' : sig ?? 'none';
  const s = SIG_MARK[k];
  const v = r && r.suppression == null && r.value != null ? numberText(r.value, ind) : '';
  return { text: [s.symbol, v ? ` ${v}` : '', { sr: ` ${s.text}` }], cls: `sig ${s.cls}`, title: s.text };
}

export function ampelCell(r: KennzahlRow | undefined): Cell {
  if (!r?.ampel) return { text: '' };
  return { text: AMPEL_LABEL[r.ampel], cls: `ampel ampel-${r.ampel}` };
}

export function noteCell(r: KennzahlRow | undefined): Cell {
  if (r?.suppression != null) return { text: SUPPRESSION_LABEL.de, cls: 'note' };
  return { text: r?.note ?? '', cls: 'note' };
}
