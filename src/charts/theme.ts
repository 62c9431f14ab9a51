/**
 * The look shared by all charts: DejaVu Sans, German locale, sizes for an A4
 * column (85 mm) and a palette that stays apart in greyscale print. Colours come
 * from Okabe & Ito (2008) and are paired with dash patterns, shapes or distinct
 * lightness so that no distinction rests on hue alone.
 */
import type { Config } from 'vega-lite/types_unstable/config.js';
import { GERMAN_NUMBER_LOCALE, GERMAN_TIME_LOCALE } from './format.js';
import { FONT_FAMILY } from './text-width.js';
import type { Sig } from './types.js';
import { SIG_LABEL } from '../publish/vocabulary.js';

/** Font sizes in px; at 85 mm print width and ~400 px chart width 1 px ≈ 0,6 pt. */
export const SIZE = {
  title: 13,
  label: 11,
  axisTitle: 11,
  footer: 9.5,
  footerLine: 12,
} as const;

/** Target total width in px of a column chart (85 mm) and a page-wide chart (170 mm). */
export const WIDTH = { column: 400, page: 760 } as const;

export const TEXT_COLOR = '#1a1a1a';

/** Series of a time series: area, Kreis, Land. Lightness 45 / 70 / 55 (CIE L*), plus dash and shape. */
export const SERIES_STYLE = {
  area: { color: '#0072B2', dash: [] as number[], shape: 'circle' },
  kommune: { color: '#009E73', dash: [8, 2, 2, 2], shape: 'diamond' },
  kreis: { color: '#E69F00', dash: [6, 3], shape: 'square' },
  land: { color: '#555555', dash: [2, 2], shape: 'triangle-up' },
} as const;

/**
 * Significance classes. Worse is dark, better mid, not distinguishable light grey
 * with an outline: three lightness steps readable in greyscale. Shapes carry no
 * direction for verdicts (a worse value can be lower, e.g. an Impfquote); only
 * higher/lower use triangles. Neutral
 * indicators (higher/lower) use purple tones so they are not read as a verdict.
 */
export const SIG_STYLE: Record<Sig | 'none', { label: string; color: string; shape: string }> = {
  worse: { label: `${SIG_LABEL.worse.de} als Kreis`, color: '#B84A00', shape: 'square' },
  better: { label: `${SIG_LABEL.better.de} als Kreis`, color: '#56B4E9', shape: 'diamond' },
  not_distinguishable: { label: SIG_LABEL.not_distinguishable.de, color: '#E6E6E6', shape: 'circle' },
  higher: { label: `${SIG_LABEL.higher.de} als Kreis`, color: '#5E3C99', shape: 'triangle-up' },
  lower: { label: `${SIG_LABEL.lower.de} als Kreis`, color: '#C2A5CF', shape: 'triangle-down' },
  none: { label: 'ohne Vergleich', color: '#FFFFFF', shape: 'cross' },
};

/** Sequential scheme for maps: ColorBrewer YlGnBu, monotone in lightness. */
export const MAP_SCHEME = 'yellowgreenblue';
/** Fill of masked areas on maps (hatched by the renderer, see render/patterns.ts). */
export const MASKED_FILL = '#d9d9d9';

/** Top-level `config` of every chart. */
export function chartConfig(): Config {
  return {
    font: FONT_FAMILY,
    locale: { number: structuredClone(GERMAN_NUMBER_LOCALE) as never, time: structuredClone(GERMAN_TIME_LOCALE) as never },
    background: '#ffffff',
    padding: 8,
    view: { stroke: null },
    concat: { spacing: 10 },
    axis: {
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      labelFontSize: SIZE.label,
      titleFontSize: SIZE.axisTitle,
      titleFontWeight: 'normal',
      labelColor: TEXT_COLOR,
      titleColor: TEXT_COLOR,
      domainColor: '#444444',
      tickColor: '#444444',
      gridColor: '#dddddd',
      labelLimit: 220,
    },
    legend: {
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      labelFontSize: SIZE.label,
      titleFontSize: SIZE.axisTitle,
      titleFontWeight: 'normal',
      labelColor: TEXT_COLOR,
      titleColor: TEXT_COLOR,
      orient: 'bottom',
      direction: 'horizontal',
      symbolStrokeColor: '#333333',
      labelLimit: 260,
    },
    header: {
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      labelFontSize: SIZE.label,
      labelColor: TEXT_COLOR,
    },
    title: {
      font: FONT_FAMILY,
      fontSize: SIZE.title,
      fontWeight: 'bold',
      color: TEXT_COLOR,
      anchor: 'start',
      offset: 8,
      subtitleFont: FONT_FAMILY,
      subtitleFontSize: SIZE.label,
      subtitleColor: '#333333',
    },
    text: { font: FONT_FAMILY, fontSize: SIZE.label, color: TEXT_COLOR },
  };
}
