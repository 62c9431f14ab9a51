/**
 * Chart blocks of the pages: the spec from the chart builders (by job name), an
 * alt text that states what the chart shows in numbers (so a screen reader user
 * or a black-and-white print reader loses nothing), and links to the files.
 */
import type { IndicatorMeta, KennzahlRow } from '../charts/types.js';
import { markEstimated } from '../charts/format.js';
import type { Block } from './types.js';
import type { ReportModel } from './model.js';
import { numberText } from './cells.js';
import { areaPhrase, valueText } from './sentences.js';
import { dativeTop, genitiveTop, wordsOf } from '../charts/levels.js';

export interface ChartFiles {
  /** Rendered files by job name, relative to the report folder. */
  files: Map<string, { png?: string; svg?: string }>;
}

const short = (ind: IndicatorMeta) => ind.short_title ?? ind.title;

export function chartBlock(model: ReportModel, ctx: ChartFiles, name: string, alt: string, caption: string): Block[] {
  const job = model.charts.get(name);
  if (!job) return [];
  return [{ kind: 'chart', name, alt, caption, spec: job.spec, files: ctx.files.get(name) ?? {} }];
}

/** Time series of a Kommune against the Kreis. */
export function timeSeriesAlt(
  model: ReportModel,
  ind: IndicatorMeta,
  ags: string,
  name: string,
  level: 'kommune' | 'kreis' = 'kommune',
): string {
  const own = model.series(ind.id, level, ags).filter((r) => r.suppression == null && r.value != null);
  const first = own[0];
  const last = own[own.length - 1];
  if (!first || !last) return `Liniendiagramm: ${short(ind)} in ${name}, ohne ausweisbare Werte.`;
  const shown = (r: KennzahlRow) => markEstimated(valueText(r.value!, ind), r.status === 'estimated');
  const kreis = model.get(ind.id, 'kreis', model.kreis.ags, last.year);
  const land = model.meta.land?.values.find((v) => v.indicator_id === ind.id && v.year === last.year);
  const kv =
    level === 'kreis'
      ? land && model.meta.land
        ? `, ${model.meta.land.name} ${valueText(land.value, ind)}`
        : ''
      : kreis && kreis.suppression == null && kreis.value != null
        ? `, ${model.kreis.name} ${markEstimated(valueText(kreis.value, ind), kreis.status === 'estimated')}`
        : '';
  const versus =
    level === 'kreis'
      ? model.meta.land
        ? ` im Vergleich mit ${model.meta.land.name}`
        : ''
      : ` im Vergleich mit ${dativeTop(model.kreis.name)}`;
  // as the chart: a band only where a series has an interval (a published rate has none)
  const band = [...own, ...(level === 'kreis' ? [] : model.series(ind.id, 'kreis', model.kreis.ags))].some(
    (r) => r.suppression == null && r.ci_low != null && r.ci_high != null,
  );
  return `Liniendiagramm${band ? ' mit 95-%-Konfidenzband' : ''}: ${short(ind)} ${level === 'kreis' ? areaPhrase('kreis', name) : `in ${name}`} von ${first.year} bis ${last.year}${versus}. ${first.year}: ${shown(first)}; ${last.year}: ${shown(last)}${kv}.`;
}

/** Ranking of Sozialräume (of a Kommune) or of the Kommunen (of the Kreis). */
export function rankingAlt(
  model: ReportModel,
  ind: IndicatorMeta,
  where: string,
  level: 'sozialraum' | 'kommune',
  ags: string | undefined,
  year: number,
  poolYears = 1,
): string {
  const single = model.rows.filter(
    (r) =>
      r.indicator_id === ind.id && r.level === level && r.year === year && (ags === undefined || r.kommune_ags === ags),
  );
  const rows =
    poolYears > 1
      ? single.map((r) => model.pooled(ind.id, level, r.area_id, year) ?? { ...r, suppression: null, value: null })
      : single;
  const period = poolYears > 1 ? (rows.find((r) => r.pool_years > 1)?.period ?? String(year)) : String(year);
  const shown = rows
    .filter((r) => r.suppression == null && r.value != null)
    .sort((a, b) => b.value! - a.value! || a.area_id.localeCompare(b.area_id));
  const masked = rows.filter((r) => r.suppression != null).length;
  const words = wordsOf(model.meta);
  const what = level === 'sozialraum' ? words.smallests : words.seconds;
  const parts = [
    `Balkendiagramm${shown.some((r) => r.ci_low != null && r.ci_high != null) ? ' mit 95-%-Konfidenzintervallen' : ''}: ${short(ind)} ${period}${poolYears > 1 ? ` (${poolYears}-Jahres-Werte)` : ''}, ${what} ${where} der Größe nach`,
  ];
  const hi = shown[0];
  const lo = shown[shown.length - 1];
  if (hi && lo)
    parts.push(
      `höchster Wert ${hi.area_name} (${markEstimated(numberText(hi.value!, ind), hi.status === 'estimated')}), niedrigster ${lo.area_name} (${markEstimated(numberText(lo.value!, ind), lo.status === 'estimated')})`,
    );
  if (masked) parts.push(`${masked} ${masked === 1 ? 'Gebiet' : 'Gebiete'} aus Datenschutzgründen nicht ausgewiesen`);
  const gaps = rows.filter((r) => r.suppression == null && r.value == null).length;
  if (gaps) parts.push(`${gaps} ${gaps === 1 ? 'Gebiet' : 'Gebiete'} ohne ausweisbaren Wert`);
  return parts.join('; ') + '.';
}

/** The Präventionskette of a Kommune: counts of the comparisons. */
export function chainAlt(
  name: string,
  kreisName: string,
  counts: { worse: number; better: number; nd: number; neutral: number; none: number },
): string {
  return `Punktdiagramm Präventionskette ${name}: Abweichung jeder Kennzahl vom Wert ${genitiveTop(kreisName)} entlang der Lebensphasen. Signifikant ungünstiger: ${counts.worse}, günstiger: ${counts.better}, nicht unterscheidbar: ${counts.nd}, Kontextkennzahlen mit signifikantem Unterschied: ${counts.neutral}, ohne Vergleich: ${counts.none}.`;
}
