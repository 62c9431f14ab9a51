/**
 * German number formats for charts: the Vega locale (so that d3-format `,.1f`
 * prints `1.234,5`), format strings per unit, and a TS formatter for the few
 * labels that are composed before embedding (notes, Präventionskette labels).
 */
import type { Unit } from '../config/schema.js';
import type { IndicatorMeta } from './types.js';
import { UNIT_LABEL } from '../publish/vocabulary.js';

/** d3 number locale for German (`config.locale.number`). */
export const GERMAN_NUMBER_LOCALE = {
  decimal: ',',
  thousands: '.',
  grouping: [3],
  currency: ['', '\u00a0€'],
} as const;

/** d3 time locale for German (`config.locale.time`). */
export const GERMAN_TIME_LOCALE = {
  dateTime: '%A, der %e. %B %Y, %X',
  date: '%d.%m.%Y',
  time: '%H:%M:%S',
  periods: ['AM', 'PM'],
  days: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
  shortDays: ['So', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa'],
  months: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  shortMonths: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'],
} as const;

/** d3-format string for values of a unit: one decimal for rates, grouping for counts. */
export function valueFormat(unit: Unit): string {
  switch (unit) {
    case 'count':
      return ',.0f';
    case 'ratio':
      return ',.2f';
    default:
      return ',.1f';
  }
}

/**
 * Axis tick format. Percentages keep one decimal (`12,5`, `10,0`) like the
 * values; rates per 1.000 ff. drop trailing zeros (`250`, `2,5`) so large ticks
 * stay short.
 */
export function axisFormat(unit: Unit): string {
  return unit === 'percent' ? valueFormat(unit) : valueFormat(unit).replace(/f$/, '~f');
}

const PER: Record<Exclude<Unit, 'percent' | 'count' | 'ratio'>, string> = {
  per_1000: UNIT_LABEL.per_1000.per!,
  per_10000: UNIT_LABEL.per_10000.per!,
  per_100000: UNIT_LABEL.per_100000.per!,
};

/**
 * The unit as printed on an axis: `%`, `je 1.000`, or with the population taken
 * from the title: "… je 10.000 unter 21" -> `je 10.000 unter 21`.
 */
export function unitLabel(ind: Pick<IndicatorMeta, 'unit' | 'title'>): string {
  switch (ind.unit) {
    case 'percent':
    case 'count':
    case 'ratio':
      return UNIT_LABEL[ind.unit].short.de;
    default: {
      const per = PER[ind.unit];
      const m = new RegExp(`je ${per.replace('.', '\\.')}(\\s+[^,;()]+)?$`).exec(ind.title.trim());
      return m ? `je ${per}${m[1] ?? ''}`.trim() : `je ${per}`;
    }
  }
}

/** Short unit suffix for value labels: `12,5 %`, `37,0 je 10.000`. */
export function unitSuffix(unit: Unit): string {
  if (unit === 'percent') return '\u00a0%';
  if (unit === 'count' || unit === 'ratio') return '';
  return `\u00a0je\u00a0${PER[unit]}`;
}

/** Axis title: short title plus unit, e.g. `SGB-II-Quote unter 15 (%)`. */
export function axisTitle(ind: Pick<IndicatorMeta, 'unit' | 'title' | 'short_title'>): string {
  return `${ind.short_title ?? ind.title} (${unitLabel(ind)})`;
}

/** German decimal formatting in TS, deterministic (no Intl, no locale data). */
export function formatDe(x: number, digits = 1): string {
  const neg = x < 0;
  const fixed = Math.abs(x).toFixed(digits);
  const [int = '0', frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const s = frac ? `${grouped},${frac}` : grouped;
  return neg && Number(fixed) !== 0 ? `\u2212${s}` : s;
}

/**
 * The marker of an estimated value (status `estimated`: a sum holding suppressed
 * inputs, counted with the middle of their range). Every printed value of such a
 * row carries it: table cells, the overview matrix, sentences, chart labels.
 */
export const ESTIMATED_MARK = '(g)';

/** What the marker means: every document that prints it explains it in these words. */
export const ESTIMATED_EXPLANATION = `„${ESTIMATED_MARK}“: geschätzt, weil die Summe gesperrte Eingangswerte enthält`;

/** The tooltip line of an estimated value. */
export const ESTIMATED_TOOLTIP = 'geschätzt (Summe enthält gesperrte Eingangswerte)';

/**
 * A printed value, with the marker if it is estimated: `10,9 %` -> `10,9 % (g)`, joined by a no-break
 * space (a narrow table column broke "43,4 (g)" into "43,4" and "(g)" in the Kurzprofil's Ampel).
 */
export function markEstimated(text: string, estimated: boolean | null | undefined): string {
  return estimated ? `${text}\u00a0${ESTIMATED_MARK}` : text;
}

/** A value with its unit, formatted as the unit's axis format would. */
export function formatValue(x: number, unit: Unit): string {
  const digits = unit === 'count' ? 0 : unit === 'ratio' ? 2 : 1;
  return formatDe(x, digits) + unitSuffix(unit);
}

/** Year lists for notes: `2017, 2019–2021`. */
export function yearRanges(years: readonly number[]): string {
  const ys = [...new Set(years)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < ys.length; ) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j]! + 1) j++;
    parts.push(j > i + 1 ? `${ys[i]}\u2013${ys[j]}` : j === i + 1 ? `${ys[i]}, ${ys[j]}` : `${ys[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
