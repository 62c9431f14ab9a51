/**
 * Pooled windows for Sozialraum charts. Small Sozialräume often have no
 * publishable single year (masked, or below the minimum denominator) while the
 * pooled 3-year value (sum of numerators / sum of denominators over the window)
 * is published. A chart then shows the window for all its areas, so that bars,
 * classes and comparisons rest on the same period, and says so in its title.
 *
 * Both the single years and the window are published rows of kennzahlen.csv
 * (the secondary suppression already protects "window = Σ years"), so showing
 * the window discloses nothing new.
 */
import type { KennzahlRow } from './types.js';

export interface ChartWindow {
  /** 1 = single year; else the width of the pooled window. */
  poolYears: number;
  /** `2024` or `2022–2024`. */
  period: string;
}

const published = (r: KennzahlRow) => r.suppression == null && r.value != null;

/**
 * The window a Sozialraum chart of `indicator` in `year` should show: the pooled
 * window when it publishes more Sozialräume than the single year, else the year.
 */
export function sozialraumWindow(
  rows: readonly KennzahlRow[],
  indicator: string,
  year: number,
  kommune?: string,
): ChartWindow {
  const counts = new Map<number, number>();
  const periods = new Map<number, string>();
  for (const r of rows) {
    if (r.indicator_id !== indicator || r.level !== 'sozialraum' || r.year !== year) continue;
    if (kommune !== undefined && r.kommune_ags !== kommune) continue;
    const p = Number(r.pool_years ?? 1);
    if (!periods.has(p)) periods.set(p, r.period ?? String(year));
    if (published(r)) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  let best: ChartWindow = { poolYears: 1, period: String(year) };
  let bestN = counts.get(1) ?? 0;
  for (const [p, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (p > 1 && n > bestN) {
      best = { poolYears: p, period: periods.get(p)! };
      bestN = n;
    }
  }
  return best;
}

/** Title suffix of a chart of one window: `2024` or `2022–2024 (3-Jahres-Werte)`. */
export function windowText(w: ChartWindow): string {
  return w.poolYears > 1 ? `${w.period} (${w.poolYears}-Jahres-Werte)` : w.period;
}

/** The note saying why a chart shows a pooled window. */
export function windowNote(w: ChartWindow, smallests = 'Sozialräume'): string | undefined {
  if (w.poolYears <= 1) return undefined;
  return `${w.poolYears}-Jahres-Werte ${w.period}: Zähler und Nenner über die Jahre summiert, weil Einzeljahreswerte vieler ${smallests} gesperrt sind oder unter dem Mindestnenner liegen.`;
}
