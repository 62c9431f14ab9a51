/**
 * Präventionskette: for one Kommune, every indicator ordered along the
 * Lebensphasen (Schwangerschaft/Geburt, 0-3, 3-6, 6-10, 10-16, 16-25,
 * übergreifend), each marked better / worse / not distinguishable from the Kreis
 * by shape and colour at its relative deviation from the Kreis value, with the
 * latest value as a label.
 *
 * ```
 * rows ─ per indicator: latest year of the Kommune ─ publicPoint
 *   ─ deviation = value / Kreis − 1 (only where both are published)
 *   -> facet rows by Lebensphase: rule at 0, point (shape + colour), label column
 *   -> frame
 * ```
 */
import { dativeTop, wordsOf } from './levels.js';
import type { ChartMeta, ChartSpec, KennzahlRow, Lebensphase } from './types.js';
import { publicPoint, GAP_TEXT } from './mask.js';
import { indicatorMeta, selectRows } from './select.js';
import {
  ESTIMATED_EXPLANATION,
  ESTIMATED_MARK,
  ESTIMATED_TOOLTIP,
  formatDe,
  formatValue,
  markEstimated,
} from './format.js';
import { tooltipExpr } from './tooltip.js';
import { frame } from './frame.js';
import { SIZE, WIDTH } from './theme.js';
import { sigColorScale, sigKey, sigLabel, type SigKey } from './significance.js';
import { VERDICT } from './vocabulary.js';
import { textWidth } from './text-width.js';

export const LEBENSPHASEN: readonly Lebensphase[] = [
  'schwangerschaft_geburt',
  '0-3',
  '3-6',
  '6-10',
  '10-16',
  '16-25',
  'uebergreifend',
];
export const LEBENSPHASE_LABEL: Record<Lebensphase, string> = {
  schwangerschaft_geburt: 'Schwangerschaft und Geburt',
  '0-3': '0 bis unter 3 Jahre',
  '3-6': '3 bis unter 6 Jahre',
  '6-10': '6 bis unter 10 Jahre',
  '10-16': '10 bis unter 16 Jahre',
  '16-25': '16 bis unter 25 Jahre',
  uebergreifend: 'Übergreifend (Lebenslage)',
};

export interface PraeventionsketteOptions {
  /** AGS of the Kommune. */
  kommune: string;
  /** Year (default: per indicator the latest year with data for the Kommune). */
  year?: number;
  /** Indicator ids to show (default: all in meta with data). */
  indicators?: string[];
  /** Clip deviations to ± this many percent (default 60). */
  clip?: number;
}

export function praeventionskette(
  rows: readonly KennzahlRow[],
  meta: ChartMeta,
  options: PraeventionsketteOptions,
): ChartSpec {
  const words = wordsOf(meta);
  const o = { clip: 60, ...options };
  const ids = o.indicators ?? [...new Set(rows.map((r) => r.indicator_id))];
  const inds = ids
    .map((id) => indicatorMeta(meta, id, rows))
    .sort(
      (a, b) =>
        LEBENSPHASEN.indexOf(a.lebensphase) - LEBENSPHASEN.indexOf(b.lebensphase) ||
        (a.short_title ?? a.title).localeCompare(b.short_title ?? b.title, 'de'),
    );
  const kommuneName = rows.find((r) => r.area_id === o.kommune)?.area_name ?? o.kommune;

  // 1. One row per indicator: the Kommune's value in the chosen or latest year.
  //    `dev` is the signed relative deviation from the Kreis value; `pos` puts it on the
  //    side the indicator's polarity calls favourable (right = günstiger; for neutral
  //    context indicators right = höher), clipped to ±clip with the clip marked.
  const data: Record<string, unknown>[] = [];
  const present = new Set<SigKey>();
  const polarities = new Set(inds.map((i) => i.polarity));
  for (const ind of inds) {
    const own = selectRows(rows, { indicator: ind.id, level: 'kommune', area: o.kommune });
    if (!own.length) continue;
    const year = o.year ?? Math.max(...own.map((r) => r.year));
    const r = own.find((x) => x.year === year);
    if (!r) continue;
    const p = publicPoint(r);
    const kreis = selectRows(rows, { indicator: ind.id, level: 'kreis', year }).map(publicPoint)[0];
    // no comparison (e.g. a published rate without counts: no interval, no test): no deviation is
    // drawn either, as the report's sentence says "ein Vergleich … ist nicht möglich"
    const compared = p.value !== null && p.sig_kreis != null;
    const ref = compared ? (p.ref_kreis_value ?? kreis?.value ?? null) : null;
    // the Kreis value is estimated when the Kreis row it comes from is
    const refEstimated = ref !== null && kreis?.value != null && kreis.estimated;
    const dev = p.value !== null && ref ? (p.value / ref - 1) * 100 : null;
    const oriented = dev === null ? null : ind.polarity === 'worse' ? -dev : dev;
    const pos = oriented === null ? null : Math.max(-o.clip, Math.min(o.clip, oriented));
    const clipped = oriented !== null && Math.abs(oriented) > o.clip;
    const k = sigKey(p);
    if (compared) present.add(k);
    const label =
      p.value === null
        ? GAP_TEXT[p.gap ?? 'fehlt']
        : `${markEstimated(formatValue(p.value, ind.unit), p.estimated)}${ref !== null ? ` (${words.top} ${markEstimated(formatValue(ref, ind.unit).replace(/\u00a0je\u00a0.*$/, ''), refEstimated)})` : compared ? '' : ` (${VERDICT.none.word})`}`;
    const hinweis = [
      p.estimated ? `Wert ${ESTIMATED_TOOLTIP}` : '',
      refEstimated ? `${words.topValue} ${ESTIMATED_TOOLTIP}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    data.push({
      indicator: `${ind.short_title ?? ind.title}${ind.polarity === 'neutral' ? ' (Kontext)' : ''}`,
      phase: LEBENSPHASE_LABEL[ind.lebensphase],
      polarity: ind.polarity,
      year,
      value: p.value,
      dev: dev === null ? null : Math.round(dev * 10) / 10,
      pos: pos === null ? null : Math.round(pos * 10) / 10,
      // in words, not signed: "−75 %" at the günstiger edge read as a contradiction (lower is better there)
      clip_text:
        clipped && dev !== null ? `${formatDe(Math.abs(dev), 0)}\u00a0% ${dev > 0 ? 'höher' : 'niedriger'}` : '',
      clip_side: clipped ? (pos! > 0 ? 'right' : 'left') : null,
      sig: compared ? sigLabel(k, meta.kreis.name) : null,
      label,
      hinweis: hinweis || null,
    });
  }
  // The usual year goes into the title; labels of other years say theirs.
  const counts = new Map<number, number>();
  for (const d of data) counts.set(d.year as number, (counts.get(d.year as number) ?? 0) + 1);
  const mainYear = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
  for (const d of data) if (d.year !== mainYear) d.label = `${d.label}, ${d.year}`;
  // Neutral indicators bring higher/lower, rated ones worse/better: one legend over both.
  const scales = [...polarities].map((pol) => sigColorScale(pol, present, meta.kreis.name));
  const domain: string[] = [];
  const range: string[] = [];
  const shapes: string[] = [];
  for (const s of scales)
    s.domain.forEach((d, i) => {
      if (!domain.includes(d)) {
        domain.push(d);
        range.push(s.range[i]!);
        shapes.push(s.shapes[i]!);
      }
    });

  // 2. Layout: indicator names on the axis, a plot for the deviation, a label column.
  const labelW = Math.max(...data.map((d) => textWidth(String(d.indicator), SIZE.label)), 60);
  const valueW = Math.max(...data.map((d) => textWidth(String(d.label), SIZE.footer)), 60);
  // A point at the clip is centred on the plot's edge: the names keep a gap wider than half a
  // point (size 90: radius 5.4 px), or the point hides their last letters.
  const labelGap = 8;
  const plotW = Math.max(120, WIDTH.page - labelW - labelGap - valueW - 40);
  const y = {
    field: 'indicator',
    type: 'nominal',
    title: null,
    sort: null,
    axis: { ticks: false, domain: false, labelLimit: 300, labelPadding: labelGap, grid: true, gridColor: '#eeeeee' },
  };
  // Ticks without sign: the side says the direction, the number the size of the gap.
  const x = {
    field: 'pos',
    type: 'quantitative',
    title: [
      `\u2190 ungünstiger als ${words.theTop}  |  günstiger als ${words.theTop} \u2192`,
      `Abstand zum ${words.topValue} in % des ${words.topValue}s (relativ, keine Prozentpunkte)`,
    ],
    scale: { domain: [-o.clip, o.clip] },
    axis: {
      labelExpr: "abs(datum.value) == 0 ? '0' : format(abs(datum.value), 'd') + '\u00a0%'",
      // five labelled ticks: with Vega's seven (every 20 %) half the labels overlapped and were
      // dropped, the 0 (the Kreis value) among them
      values: [-o.clip, -Math.round(o.clip / 2), 0, Math.round(o.clip / 2), o.clip],
      grid: false,
      titleFontWeight: 'normal',
    },
  };
  const side = (from: number, to: number, color: string) => ({
    mark: { type: 'rect', color, opacity: 1 },
    encoding: { x: { datum: from, type: 'quantitative', scale: { domain: [-o.clip, o.clip] } }, x2: { datum: to } },
  });
  const body = {
    data: { values: data },
    facet: {
      row: {
        field: 'phase',
        type: 'nominal',
        title: null,
        sort: LEBENSPHASEN.map((l) => LEBENSPHASE_LABEL[l]),
        header: {
          labelAngle: 0,
          labelAlign: 'left',
          labelAnchor: 'start',
          labelOrient: 'top',
          labelFontWeight: 'bold',
          labelPadding: 4,
        },
      },
    },
    spacing: 8,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: plotW,
      height: { step: 18 },
      layer: [
        // the favourable half tinted light blue, the unfavourable light orange (as the verdict colours)
        side(-o.clip, 0, '#FBEDE3'),
        side(0, o.clip, '#E8F4FB'),
        {
          mark: { type: 'rule', color: '#000000', strokeWidth: 1 },
          encoding: { x: { datum: 0, type: 'quantitative' } },
        },
        {
          // No filter transform: a null deviation is dropped by the mark (invalid: 'filter'),
          // and all layers keep one data source for the independent y scales.
          mark: {
            type: 'point',
            invalid: 'filter',
            filled: true,
            size: 90,
            stroke: '#000000',
            strokeWidth: 0.7,
            opacity: 1,
            tooltip: tooltipExpr(
              [
                { field: 'indicator', title: 'Kennzahl' },
                { field: 'label', title: 'Wert' },
                {
                  field: 'dev',
                  title: `Abweichung vom ${words.topValue} (% des ${words.topValue}s)`,
                  format: '+,.1f',
                },
                { field: 'sig', title: 'Vergleich' },
                { field: 'hinweis', title: 'Hinweis' },
              ],
              { estimated: false },
            ),
          },
          encoding: {
            y,
            x,
            color: {
              field: 'sig',
              type: 'nominal',
              title: null,
              scale: { domain, range },
              legend: { orient: 'top', direction: 'horizontal', columns: 2 },
            },
            shape: { field: 'sig', type: 'nominal', title: null, scale: { domain, range: shapes } },
          },
        },
        // values beyond the clip: drawn at the edge, the true deviation written beside the point
        {
          mark: {
            type: 'text',
            fontSize: SIZE.footer,
            baseline: 'middle',
            dx: { expr: "datum.clip_side === 'right' ? -9 : 9" },
            align: { expr: "datum.clip_side === 'right' ? 'right' : 'left'" },
            fontWeight: 'bold',
          },
          encoding: { y, x, text: { field: 'clip_text' } },
        },
        {
          mark: { type: 'text', align: 'left', fontSize: SIZE.footer, x: plotW + 10 },
          encoding: { y, text: { field: 'label' } },
        },
      ],
    },
  };
  const yearText = mainYear !== undefined ? `, ${mainYear}` : '';
  return frame(meta, body, {
    title: `Präventionskette ${kommuneName}: Kennzahlen entlang der Lebensphasen im Vergleich mit ${dativeTop(meta.kreis.name)}${yearText}`,
    subtitle: `Rechts günstiger, links ungünstiger als ${words.theTop} (nach der Bewertungsrichtung der Kennzahl; Kontextkennzahlen: rechts höher). Abstand in % des ${words.topValue}s, ab ${o.clip} % am Rand mit der wahren Abweichung beschriftet (z. B. „95 % höher“). Form und Farbe: statistisch ${VERDICT.worse.word} / ${VERDICT.better.word} / ${VERDICT.not_distinguishable.word}; rechts: neuester Wert`,
    indicators: inds,
    // "(g)" beside a value: said under the chart too, not only in the tooltip a printed page has not
    ...(data.some((d) => String(d.label).includes(ESTIMATED_MARK)) ? { notes: [`${ESTIMATED_EXPLANATION}.`] } : {}),
    width: WIDTH.page,
    widthMm: 170,
  });
}
