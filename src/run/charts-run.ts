/** Charts of a computed project: build the Vega-Lite jobs and render them into `<out>/charts/`. */
import fs from 'node:fs';
import path from 'node:path';
import type { Spm } from '../api/session.js';
import { buildProjectCharts, chartMetaFromProject } from '../charts/index.js';
import { renderCharts } from '../render/index.js';
import { chartFile, openChartCache, pruneCharts } from './chart-cache.js';

export type ChartFormat = 'vl.json' | 'svg' | 'png';

export interface ChartsOptions {
  formats: readonly ChartFormat[];
  kommune?: string;
  indicator?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ChartsResult {
  /** Chart files present for the requested charts (rendered now or kept from the last run). */
  files: number;
  jobs: number;
  /** Charts rendered in this run; the others were unchanged (see chart-cache.ts). */
  rendered: number;
  errors: { name: string; message: string }[];
  mode: string;
}

/**
 * Build the chart specs and render those whose spec (with its inline data) changed since the
 * last run into this folder; unchanged charts keep their files (cache in `charts/.spm-cache.json`).
 */
export async function writeProjectCharts(spm: Spm, outDir: string, options: ChartsOptions): Promise<ChartsResult> {
  const rows = await spm.results();
  const meta = chartMetaFromProject(spm.project);
  const jobs = buildProjectCharts(rows, meta, {
    ...(options.kommune ? { kommune: options.kommune } : {}),
    ...(options.indicator ? { indicator: options.indicator } : {}),
  });
  const formats = [...new Set(options.formats)];
  const full = !options.kommune && !options.indicator;
  const cache = openChartCache(outDir);
  const reuse = cache.reusable(jobs, formats);
  // Charts of an earlier run with other indicators, Kommunen or formats must not linger.
  if (full) {
    pruneCharts(outDir, new Set(jobs.filter((j) => reuse.has(j.name)).flatMap((j) => formats.map((f) => chartFile(outDir, j.name, f)))));
    cache.retain(jobs, formats);
  }
  const todo = jobs.filter((j) => !reuse.has(j.name));
  options.onProgress?.(0, jobs.length);
  const r = todo.length > 0 ? await renderCharts(todo, outDir, formats) : { files: [], errors: [], mode: 'cache' };
  cache.record(todo, formats, new Set(r.errors.map((e) => e.name)));
  await cache.save();
  options.onProgress?.(jobs.length, jobs.length);
  return { files: r.files.length + reuse.size * formats.length, jobs: jobs.length, rendered: todo.length, errors: r.errors, mode: r.mode };
}
