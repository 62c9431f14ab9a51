/** The chart file formats (a module of its own: the CLI reads it without loading the renderer). */
import type { ChartFormat } from './charts-run.js';

export const CHART_FORMATS: readonly ChartFormat[] = ['vl.json', 'svg', 'png'];
