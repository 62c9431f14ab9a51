/**
 * One vocabulary for the two things a comparison says, used alike by charts,
 * tables and sentences:
 *
 * - the **direction** of a value against its reference (or of a trend): `↑ höher`
 *   / `↓ niedriger` (trend: `↑ gestiegen` / `↓ gesunken`). Arrows only ever mean
 *   direction, never a judgement.
 * - the **verdict** (oriented by the indicator's polarity): `■ ungünstiger`,
 *   `◆ günstiger`, `○ nicht unterscheidbar`; for neutral (context) indicators the
 *   verdict is the direction itself, `▲ höher` / `▼ niedriger`, with no judgement.
 *   The symbol is the chart's point shape (square, diamond, circle, triangles),
 *   the colour the chart's fill, so a table reader sees the same mark as in the chart.
 *
 * Why: a table that printed ▲ for "ungünstiger" showed ▲ beside values below the
 * Kreis (an Impfquote below the Kreis is ungünstiger), and a chart drew other
 * shapes for the same verdicts.
 */
import type { Sig } from './types.js';
import { SIG_LABEL, SIG_SYMBOL, SUPPRESSION_LABEL } from '../publish/vocabulary.js';

export type VerdictKey = Sig | 'none' | 'masked';

export interface VerdictStyle {
  /** The word in tables and legends ("ungünstiger"). */
  word: string;
  /** The mark in tables; the same figure as the chart's `shape`. */
  symbol: string;
  /** Vega point shape. */
  shape: string;
  /** Fill in charts (Okabe-Ito based, apart in greyscale by lightness). */
  color: string;
  /** CSS class of table cells. */
  cls: string;
}

const STYLE: Record<VerdictKey, Omit<VerdictStyle, 'word' | 'symbol'>> = {
  worse: { shape: 'square', color: '#B84A00', cls: 'sig-worse' },
  better: { shape: 'diamond', color: '#56B4E9', cls: 'sig-better' },
  not_distinguishable: { shape: 'circle', color: '#E6E6E6', cls: 'sig-nd' },
  higher: { shape: 'triangle-up', color: '#5E3C99', cls: 'sig-higher' },
  lower: { shape: 'triangle-down', color: '#C2A5CF', cls: 'sig-lower' },
  none: { shape: 'cross', color: '#FFFFFF', cls: 'sig-none' },
  masked: { shape: 'cross', color: '#FFFFFF', cls: 'sig-masked' },
};

/** Words and symbols from the published vocabulary (src/publish/vocabulary.ts); shape and colour for charts. */
export const VERDICT: Record<VerdictKey, VerdictStyle> = Object.fromEntries(
  (Object.keys(STYLE) as VerdictKey[]).map((k) => {
    const word = k === 'masked' ? SUPPRESSION_LABEL.de : k === 'none' ? 'ohne Vergleich' : SIG_LABEL[k].de;
    const symbol = k === 'masked' ? '×' : k === 'none' ? '·' : SIG_SYMBOL[k];
    return [k, { word, symbol, ...STYLE[k] }];
  }),
) as Record<VerdictKey, VerdictStyle>;

export type DirectionKey = 'up' | 'down' | 'same';

/** Direction of a value against its reference, and of a trend. */
export const DIRECTION: Record<DirectionKey, { symbol: string; word: string; trend: string; preposition: string }> = {
  up: { symbol: '↑', word: 'höher', trend: 'gestiegen', preposition: 'über' },
  down: { symbol: '↓', word: 'niedriger', trend: 'gesunken', preposition: 'unter' },
  same: { symbol: '=', word: 'gleich', trend: 'unverändert', preposition: 'auf der Höhe' },
};

/** Direction of `value` against `ref` (equal at the printed precision counts as `same`). */
export function directionOf(value: number, ref: number, digits = 1): DirectionKey {
  const a = Number(value.toFixed(digits));
  const b = Number(ref.toFixed(digits));
  return a > b ? 'up' : a < b ? 'down' : 'same';
}

/** Verdict with the reference named, for chart legends: `ungünstiger als Kreis Coesfeld`. */
export function verdictLabel(k: VerdictKey, refName: string): string {
  if (k === 'not_distinguishable' || k === 'none' || k === 'masked') return VERDICT[k].word;
  return `${VERDICT[k].word} als ${refName}`;
}

/** The legend of the table symbols, one sentence. */
export function symbolLegend(): string {
  const v = (k: VerdictKey) => `${VERDICT[k].symbol} ${VERDICT[k].word}`;
  return `Bewertung: ${v('worse')}, ${v('better')}, ${v('not_distinguishable')} (statistisch, nach der Richtung, die die Kennzahl als günstig festlegt); Kontextkennzahlen ohne Bewertung: ${v('higher')}, ${v('lower')}; ${v('masked')}, ${v('none')}. Richtung des Werts: ${DIRECTION.up.symbol} ${DIRECTION.up.word}, ${DIRECTION.down.symbol} ${DIRECTION.down.word} als der Vergleichswert.`;
}
