/**
 * Rendering of chart specs: SVG via Vega (headless), PNG via resvg with the
 * bundled DejaVu fonts, files via a worker pool.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(spec);
 * const png = renderPng(svg, { dpi: 300, widthMm: 85 }); // 1004 px wide
 * await renderCharts(jobs, 'out', ['vl.json', 'svg', 'png']);
 * ```
 */
export { renderSvg, compileSpec, installTextMetrics } from './svg.js';
export {
  renderPng,
  pngInfo,
  pixelWidth,
  printWidthMm,
  svgSize,
  MM_PER_PX,
  MAX_WIDTH_MM,
  withDpi,
  type PngOptions,
} from './png.js';
export { renderCharts, type RenderChartsOptions, type RenderChartsResult } from './render-charts.js';
export { RenderPool, defaultPoolSize } from './pool.js';
export type { Format } from './job.js';
