/**
 * Fitting legends into the width a chart was designed for. Vega lays a legend out
 * beside or above the plot and grows the chart to hold it: a long entry (a Stadtbezirk
 * "Thalkirchen - Obersendling - Forstenried - Fürstenried - Solln") made a column chart
 * 670 px wide, and the print shrank all its text. Here the entries go into as many
 * columns as fit, and a label that fits in no column is shortened with an ellipsis.
 */
import { SIZE } from './theme.js';
import { textWidth } from './text-width.js';

/** Vega's legend defaults: space between symbol and label, between columns. */
const LABEL_OFFSET = 4;
const COLUMN_PADDING = 10;

export interface LegendFit {
  /** Columns of the entry grid (entries fill it row by row). */
  columns: number;
  /** Label limit in px: the widest label that fits beside its symbol. */
  labelLimit: number;
}

/**
 * The most columns (at most `maxColumns`) in which the entries `labels` fit into `available`
 * px, with a symbol `symbolWidth` px wide; one column with shortened labels if none fit.
 */
export function fitLegend(
  labels: readonly string[],
  available: number,
  symbolWidth: number,
  maxColumns = labels.length,
  fontSize: number = SIZE.label,
): LegendFit {
  const entry = labels.map((l) => symbolWidth + LABEL_OFFSET + textWidth(l, fontSize));
  for (let c = Math.max(1, Math.min(maxColumns, labels.length)); c >= 1; c--) {
    let total = COLUMN_PADDING * (c - 1);
    for (let j = 0; j < c; j++) total += Math.max(0, ...entry.filter((_, i) => i % c === j));
    if (total <= available) return { columns: c, labelLimit: Math.floor(available - symbolWidth - LABEL_OFFSET) };
  }
  return { columns: 1, labelLimit: Math.floor(available - symbolWidth - LABEL_OFFSET) };
}

/** `text` shortened with an ellipsis to at most `maxWidth` px (whole if it fits). */
export function ellipsize(text: string, maxWidth: number, fontSize: number = SIZE.label): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  let n = chars.length;
  while (n > 1 && textWidth(`${chars.slice(0, n).join('').trimEnd()}\u2026`, fontSize) > maxWidth) n--;
  return `${chars.slice(0, n).join('').trimEnd()}\u2026`;
}
