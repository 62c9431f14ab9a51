/**
 * Charts for Vorlagen: pure builders, published rows + metadata -> Vega-Lite v6 spec.
 *
 * ```
 * kennzahlen (KennzahlRow[]) + ChartMeta
 *   -> publicPoint (masked rows lose every number)
 *   -> timeSeries | ranking | choropleth | smallMultiples | praeventionskette (body)
 *   -> frame (title, notes, source line, German locale, theme)
 *   -> ChartSpec  ──  src/render: renderCharts -> .vl.json / .svg / .png
 * ```
 *
 * @example
 * ```ts
 * import { buildProjectCharts } from './charts/index.js';
 * import { renderCharts } from './render/index.js';
 * const jobs = buildProjectCharts(rows, chartMetaFromProject(project));
 * await renderCharts(jobs, 'out', ['vl.json', 'svg', 'png']);
 * // -> out/charts/sgb2_quote_unter_15/zeitreihe_05558012.svg, ...
 * ```
 */
export type {
  ChartJob,
  ChartMeta,
  ChartSpec,
  IndicatorMeta,
  KennzahlRow,
  SourceMeta,
  LandValue,
  FeatureCollection,
} from './types.js';
export { timeSeries, type TimeSeriesOptions } from './time-series.js';
export { ranking, type RankingOptions } from './ranking.js';
export { choropleth, MASKED_LEGEND, type ChoroplethOptions } from './choropleth.js';
export { smallMultiples, type SmallMultiplesOptions } from './small-multiples.js';
export {
  praeventionskette,
  LEBENSPHASEN,
  LEBENSPHASE_LABEL,
  type PraeventionsketteOptions,
} from './praeventionskette.js';
export { buildProjectCharts, type ProjectChartOptions } from './project-charts.js';
export { chartMetaFromProject } from './meta.js';
export { publicPoint, isMasked, type PublicPoint } from './mask.js';
export { unitLabel, axisTitle, formatDe, valueFormat, GERMAN_NUMBER_LOCALE, GERMAN_TIME_LOCALE } from './format.js';
export { sourceLine } from './source-line.js';
