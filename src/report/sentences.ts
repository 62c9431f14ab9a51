/**
 * One plain German sentence per finding, generated from the published numbers.
 * Builders only: every wording the report uses lives here (tests compare
 * against them).
 *
 * @example
 * ```ts
 * comparisonSentence(sgb2, row, { ref: 'kreis', refName: 'Kreis Coesfeld' })
 * // 'Die SGB-II-Quote der Kinder unter 15 Jahren liegt 2024 in Coesfeld mit 18,4 %
 * //  signifikant über dem Kreiswert (11,9 %); das ist ungünstiger als im Kreis Coesfeld.'
 * ```
 *
 * Masked rows (suppression set) say only that the value is not shown, never a
 * number; a row without a value says why.
 */
import { KREIS_WORDS, type LevelWords } from '../charts/levels.js';
import type { IndicatorMeta, KennzahlRow, Level } from '../charts/types.js';
import type { Unit } from '../config/schema.js';
import { formatDe, markEstimated, unitLabel } from '../charts/format.js';
import { MASKED_TEXT } from './labels.js';
import { DIRECTION } from '../charts/vocabulary.js';
import { SIG_LABEL, STATUS_REASON, TREND_LABEL, UNIT_LABEL } from '../publish/vocabulary.js';

const NBSP = '\u00a0';

/**
 * The grammatical subject naming the indicator. Titles whose head noun is a rate
 * ("…quote", "Anteil …", "Eckwert …") take their article; any other title is
 * quoted behind "Der Anteil" / "Der Wert", which is always grammatical.
 */
export function subjectOf(ind: Pick<IndicatorMeta, 'title' | 'short_title' | 'unit'>): string {
  const title = ind.title.replace(/\s+je\s+\d{1,3}(\.\d{3})*\b.*$/, '').trim();
  const head = (title.split(/\s+/)[0] ?? '').toLowerCase();
  if (/(quote|rate)$/.test(head)) return `Die ${title}`;
  if (/(anteil|wert)$/.test(head)) return `Der ${title}`;
  const short = (ind.short_title ?? ind.title).trim();
  return `${ind.unit === 'percent' ? 'Der Anteil' : 'Der Wert'} „${short}“`;
}

/** A value with its unit: `18,4 %`, `4,2 je 1.000 unter 21`, `1.234`. */
export function valueText(x: number, ind: Pick<IndicatorMeta, 'unit' | 'title'>): string {
  switch (ind.unit) {
    case 'percent':
      return `${formatDe(x, 1)}${NBSP}%`;
    case 'count':
      return formatDe(x, 0);
    case 'ratio':
      return formatDe(x, 2);
    default:
      return `${formatDe(x, 1)}${NBSP}${sentenceUnit(unitLabel(ind)).replace(/ /g, NBSP)}`;
  }
}

/** The unit as a sentence says it: `je 1.000 unter 21` -> `je 1.000 unter 21-Jährige`. */
export function sentenceUnit(label: string): string {
  return label.replace(/\bunter (\d+)$/, 'unter $1-Jährige');
}

/** The unit of a difference: Prozentpunkte for percentages, else the rate's base. */
export function diffUnit(unit: Unit): string {
  return UNIT_LABEL[unit].diff.de;
}

const digitsOf = (unit: Unit) => (unit === 'count' ? 0 : unit === 'ratio' ? 2 : 1);

/** A signed difference: `+0,5 Prozentpunkte`, `−1,2 je 1.000`; with `digits` and unit `count` a bare signed number. */
export function signedDiff(x: number, unit: Unit, digits = digitsOf(unit)): string {
  const s = formatDe(x, digits);
  const signed = s.startsWith('\u2212') || Number(x.toFixed(digits)) === 0 ? s : `+${s}`;
  const u = diffUnit(unit);
  return u ? `${signed}${NBSP}${u.replace(/ /g, NBSP)}` : signed;
}

/** "in Coesfeld", "im Kreis Coesfeld", "im Sozialraum Lette". */
export function areaPhrase(level: Level, name: string, words: LevelWords = KREIS_WORDS): string {
  if (level === 'kreis') return /^Kreis\s/.test(name) ? `im ${name}` : `in ${name}`;
  if (level === 'sozialraum') return `${words.smallestFeminine ? 'in der' : 'im'} ${words.smallest} ${name}`;
  return `in ${name}`;
}

/** "für Coesfeld", "für den Kreis Coesfeld", "für den Sozialraum Lette". */
function forPhrase(level: Level, name: string, words: LevelWords = KREIS_WORDS): string {
  if (level === 'kreis') return /^Kreis\s/.test(name) ? `für den ${name}` : `für ${name}`;
  if (level === 'sozialraum') return `für ${words.smallestFeminine ? 'die' : 'den'} ${words.smallest} ${name}`;
  return `für ${name}`;
}

export interface ComparisonContext {
  /** Which comparison: Kommune and Kreis rows against the Kreis, Sozialräume also against their Kommune. */
  ref: 'kreis' | 'kommune';
  /** Name of the reference area ("Kreis Coesfeld", "Coesfeld"). */
  refName: string;
  /** 'wert': "Im Sozialraum Lette liegt der Wert …" where a heading already names the indicator. */
  subject?: 'indicator' | 'wert';
  /** Area and year for a missing row. */
  areaName?: string;
  level?: Level;
  year?: number;
  /** Words of the project's levels ("im Stadtteil"); default the Kreis words. */
  words?: LevelWords;
  /** The reference value (Kreis or Kommune) is estimated: it is printed with the marker "(g)". */
  refEstimated?: boolean;
}

/** The masked sentence: says that, never a number. */
export function maskedSentence(
  ind: IndicatorMeta,
  level: Level,
  areaName: string,
  year: number,
  words: LevelWords = KREIS_WORDS,
): string {
  return `${subjectOf(ind)} wird ${forPhrase(level, areaName, words)} ${year} ${MASKED_TEXT}.`;
}

/**
 * The finding of one row against a reference (Kreis or Kommune), in the cases:
 * significantly worse / better (rated indicators), significantly higher / lower
 * (neutral ones), not distinguishable, no comparison, masked, no value, no row.
 */
export function comparisonSentence(ind: IndicatorMeta, row: KennzahlRow | undefined, ctx: ComparisonContext): string {
  const subject = subjectOf(ind);
  if (!row) {
    const where = ctx.areaName ? ` ${forPhrase(ctx.level ?? 'kommune', ctx.areaName, ctx.words)}` : '';
    return `${subject} liegt${where}${ctx.year ? ` ${ctx.year}` : ''} nicht vor.`;
  }
  if (row.suppression != null) return maskedSentence(ind, row.level, row.area_name, row.year, ctx.words);
  const where = areaPhrase(row.level, row.area_name, ctx.words);
  if (row.value == null) {
    const reason = STATUS_REASON[row.status]?.de ?? 'es liegt kein Wert vor';
    return `${subject} kann ${forPhrase(row.level, row.area_name, ctx.words)} ${row.year} nicht ausgewiesen werden: ${reason}.`;
  }
  const v = markEstimated(valueText(row.value, ind), row.status === 'estimated');
  const sig = ctx.ref === 'kreis' ? row.sig_kreis : row.sig_kommune;
  const refValue = ctx.ref === 'kreis' ? row.ref_kreis_value : row.ref_kommune_value;
  const isRef = (ctx.ref === 'kreis' && row.level === 'kreis') || (ctx.ref === 'kommune' && row.level !== 'sozialraum');
  const rv = refValue == null ? '' : markEstimated(valueText(refValue, ind), ctx.refEstimated);
  if (isRef) return `${subject} liegt ${row.year} ${where} bei ${v}.`;
  if (sig == null || refValue == null) {
    return `${subject} liegt ${row.year} ${where} bei ${v}; ein Vergleich mit dem ${ctx.ref === 'kreis' ? (ctx.words ?? KREIS_WORDS).topValue : `Wert von ${ctx.refName}`} ist nicht möglich.`;
  }
  const refNoun =
    ctx.ref === 'kreis'
      ? `dem ${(ctx.words ?? KREIS_WORDS).topValue} (${rv})`
      : `dem Wert von ${ctx.refName} insgesamt (${rv})`;
  const refIn = ctx.ref === 'kreis' ? areaPhrase('kreis', ctx.refName) : `in ${ctx.refName} insgesamt`;
  const above = row.value > refValue;
  const dir = DIRECTION[above ? 'up' : 'down'].preposition;
  const start =
    ctx.subject === 'wert'
      ? `${where.charAt(0).toUpperCase()}${where.slice(1)} liegt der Wert ${row.year} mit ${v}`
      : `${subject} liegt ${row.year} ${where} mit ${v}`;
  switch (sig) {
    case 'worse':
      return `${start} signifikant ${dir} ${refNoun}; das ist ${SIG_LABEL.worse.de} als ${refIn}.`;
    case 'better':
      return `${start} signifikant ${dir} ${refNoun}; das ist ${SIG_LABEL.better.de} als ${refIn}.`;
    case 'higher':
      return `${start} signifikant über ${refNoun}.`;
    case 'lower':
      return `${start} signifikant unter ${refNoun}.`;
    case 'not_distinguishable':
      if (valueText(row.value, ind) === valueText(refValue, ind)) {
        const refGen =
          ctx.ref === 'kreis'
            ? `des ${(ctx.words ?? KREIS_WORDS).topValue}s (${rv})`
            : `des Werts von ${ctx.refName} insgesamt (${rv})`;
        return `${start} auf der Höhe ${refGen}.`;
      }
      return `${start} ${dir} ${refNoun}; der Unterschied ist statistisch nicht signifikant.`;
  }
}

/**
 * The trend over the last years: "Von 2020 bis 2024 ist der Wert signifikant
 * gestiegen (im Mittel +0,5 Prozentpunkte pro Jahr, 95-%-KI +0,3 bis +0,8); das
 * ist eine ungünstige Entwicklung." Undefined when the row has no published trend.
 */
export function trendSentence(
  ind: IndicatorMeta,
  row: KennzahlRow | undefined,
  areaBreaks: readonly { year: number }[] = [],
): string | undefined {
  if (!row || row.suppression != null || row.trend_sig == null || row.trend_slope == null || row.trend_from == null)
    return undefined;
  const from = row.trend_from;
  const span = `Von ${from} bis ${row.year}`;
  // the trend never crosses a declared break (it starts at the latest one), so warn only if one lies inside;
  // a boundary change of the area (areas.changes) breaks the series too: the trend starts again with it
  const changed = areaBreaks.filter((b) => b.year >= from && b.year <= row.year).map((b) => b.year);
  const brk = breakInWindow(ind, from, row.year)
    ? ' Achtung: Die Zeitreihe hat in diesem Zeitraum einen Bruch (siehe Steckbrief).'
    : changed.some((y) => y > from)
      ? ` Achtung: Die Zeitreihe hat in diesem Zeitraum einen Bruch (Gebietsänderung ${changed.find((y) => y > from)}).`
      : changed.includes(from)
        ? ` Die Zeitreihe beginnt mit der Gebietsänderung ${from} neu; frühere Jahre sind nicht vergleichbar.`
        : '';
  if (row.trend_sig === 'not_distinguishable') return `${span} zeigt sich kein statistisch gesicherter Trend.${brk}`;
  const moved = DIRECTION[row.trend_slope > 0 ? 'up' : 'down'].trend;
  const ci =
    row.trend_low != null && row.trend_high != null
      ? `, 95-%-KI ${signedDiff(row.trend_low, 'count', digitsOf(ind.unit))} bis ${signedDiff(row.trend_high, 'count', digitsOf(ind.unit))}`
      : '';
  const verdict =
    row.trend_sig === 'worse' || row.trend_sig === 'better' ? `; das ist eine ${TREND_LABEL[row.trend_sig].de}` : '';
  return `${span} ist der Wert signifikant ${moved} (im Mittel ${signedDiff(row.trend_slope, ind.unit)} pro Jahr${ci})${verdict}.${brk}`;
}

/** Change against the previous year, for tables: `+0,5 Prozentpunkte ggü. 2023`. */
export function changeText(ind: IndicatorMeta, row: KennzahlRow): string | undefined {
  if (row.suppression != null || row.change_prev_abs == null) return undefined;
  return `${signedDiff(row.change_prev_abs, ind.unit)} ggü. ${row.year - 1}`;
}

/** `1 Kennzahl` / `3 Kennzahlen` / `keine Kennzahl`. */
export function countNoun(n: number, one: string, many: string, zero = `keine ${one}`): string {
  return n === 0 ? zero : n === 1 ? `1 ${one}` : `${n} ${many}`;
}

/**
 * The summary of a Kommune against the Kreis, grammatical for any counts:
 * "Von 25 Kennzahlen liegen in Coesfeld im jeweils neuesten Jahr 4 signifikant
 * ungünstiger und keine signifikant günstiger als im Kreis Coesfeld; 17 sind nicht
 * vom Kreiswert unterscheidbar, 1 Kontextkennzahl weicht signifikant ab, 3 sind ohne Vergleich."
 */
export function glanceSentence(
  total: number,
  name: string,
  inKreis: string,
  c: { worse: number; better: number; nd: number; neutral: number; none: number },
  words: LevelWords = KREIS_WORDS,
): string {
  const num = (n: number) => (n === 0 ? 'keine' : String(n));
  const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);
  const parts = [
    `Von ${countNoun(total, 'Kennzahl', 'Kennzahlen')} ${verb(c.worse + c.better, 'liegt', 'liegen')} in ${name} im jeweils neuesten Jahr ${num(c.worse)} signifikant ungünstiger und ${num(c.better)} signifikant günstiger als ${inKreis}`,
  ];
  const rest: string[] = [];
  if (c.nd) rest.push(`${c.nd} ${verb(c.nd, 'ist', 'sind')} nicht vom ${words.topValue} unterscheidbar`);
  if (c.neutral)
    rest.push(
      `${countNoun(c.neutral, 'Kontextkennzahl', 'Kontextkennzahlen')} ${verb(c.neutral, 'weicht', 'weichen')} signifikant ab`,
    );
  if (c.none) rest.push(`${c.none} ${verb(c.none, 'ist', 'sind')} ohne Vergleich`);
  return `${parts[0]}${rest.length ? `; ${rest.join(', ')}` : ''}.`;
}

/** Does a declared break lie inside the window (from, to]? Only then a reader must be warned. */
export function breakInWindow(ind: Pick<IndicatorMeta, 'breaks'>, from: number, to: number): boolean {
  return (ind.breaks ?? []).some((b) => b.year > from && b.year <= to);
}

/**
 * The comparison with the Land: "Im Vergleich mit NRW (17,6 %) liegt der Wert
 * signifikant darunter; das ist günstiger." Undefined without a Land value.
 */
export function landSentence(
  ind: IndicatorMeta,
  row: KennzahlRow | undefined,
  land: { name: string } | undefined,
): string | undefined {
  if (!land || !row || row.suppression != null || row.value == null || row.ref_land_value == null) return undefined;
  const ref = `Im Vergleich mit ${land.name} (${valueText(row.ref_land_value, ind)})`;
  const side = row.value > row.ref_land_value ? 'darüber' : 'darunter';
  switch (row.sig_land) {
    case 'worse':
      return `${ref} liegt der Wert ${row.year} signifikant ${side}; das ist ungünstiger.`;
    case 'better':
      return `${ref} liegt der Wert ${row.year} signifikant ${side}; das ist günstiger.`;
    case 'higher':
    case 'lower':
      return `${ref} liegt der Wert ${row.year} signifikant ${side}.`;
    case 'not_distinguishable':
      return `${ref} ist der Unterschied ${row.year} statistisch nicht signifikant.`;
    default:
      return `${ref} ist ${row.year} kein Vergleich möglich.`;
  }
}
