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
import { VERDICT } from './vocabulary.js';

/**
 * Font sizes in px. A column chart is 400 px wide (416 with padding) and placed at 85 mm;
 * every chart is placed at that scale (render/png.ts, 1 px ≈ 0,58 pt), so 12 px prints at
 * about 7 pt in every chart, a page-wide one (760 px) at 159 mm. Only a chart wider than
 * 832 px is shrunk, to the 170-mm text width.
 */
export const SIZE = {
  title: 15,
  label: 12,
  axisTitle: 12,
  footer: 12,
  footerLine: 14.5,
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
  // published reference values (references:, e.g. Bund, another Kreis): greys and purple, own dashes
  ref1: { color: '#CC79A7', dash: [1, 3], shape: 'triangle-down' },
  ref2: { color: '#999999', dash: [4, 2, 1, 2], shape: 'cross' },
  ref3: { color: '#56B4E9', dash: [10, 3], shape: 'triangle-left' },
} as const;

/**
 * Significance classes in charts: colour and shape from the shared vocabulary
 * (vocabulary.ts), so tables print the same mark. Worse is dark, better mid, not
 * distinguishable light grey with an outline: three lightness steps readable in
 * greyscale. Shapes carry no direction for verdicts (a worse value can be lower,
 * e.g. an Impfquote); only higher/lower of neutral indicators use triangles.
 * The words come with the reference (`sigLabel(k, 'Kreis Coesfeld')`, or the Stadt's
 * name in a Stadt project), never a fixed "als Kreis".
 */
export const SIG_STYLE: Record<Sig | 'none', { color: string; shape: string }> = Object.fromEntries(
  (['worse', 'better', 'not_distinguishable', 'higher', 'lower', 'none'] as const).map((k) => [
    k,
    { color: VERDICT[k].color, shape: VERDICT[k].shape },
  ]),
) as Record<Sig | 'none', { color: string; shape: string }>;

/** Sequential scheme for maps: ColorBrewer YlGnBu, monotone in lightness. */
export const MAP_SCHEME = 'yellowgreenblue';
/** Fill of masked areas on maps (hatched by the renderer, see render/patterns.ts). */
export const MASKED_FILL = '#d9d9d9';

/** Top-level `config` of every chart. */
export function chartConfig(): Config {
  return {
    font: FONT_FAMILY,
    locale: {
      number: structuredClone(GERMAN_NUMBER_LOCALE) as never,
      time: structuredClone(GERMAN_TIME_LOCALE) as never,
    },
    background: '#ffffff',
    padding: 8,
    // no generated English ARIA text on marks and guides ("X-axis titled …", "year: 2015; ci_low: …"):
    // the chart's German `description` labels the whole SVG, the report's table beside it has the numbers
    aria: false,
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
      // a legend above the plot starts at the chart's left edge (under the title), not at the plot's:
      // it has the whole width (Vega's legend layout; Vega-Lite passes it on but does not type it)
      layout: { top: { anchor: 'start', frame: 'bounds' } } as never,
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
