/** Charts of a computed project: build the Vega-Lite jobs and render them into `<out>/charts/`. */
import fs from 'node:fs';
import path from 'node:path';
import type { Spm } from '../api/session.js';
import { buildProjectCharts, chartMetaFromProject } from '../charts/index.js';
import { renderCharts } from '../render/index.js';

export type ChartFormat = 'vl.json' | 'svg' | 'png';

export interface ChartsOptions {
  formats: readonly ChartFormat[];
  kommune?: string;
  indicator?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ChartsResult {
  files: number;
  jobs: number;
  errors: { name: string; message: string }[];
  mode: string;
}

export async function writeProjectCharts(spm: Spm, outDir: string, options: ChartsOptions): Promise<ChartsResult> {
  const rows = await spm.results();
  const meta = chartMetaFromProject(spm.project);
  const jobs = buildProjectCharts(rows, meta, {
    ...(options.kommune ? { kommune: options.kommune } : {}),
    ...(options.indicator ? { indicator: options.indicator } : {}),
  });
  // Charts of an earlier run with other indicators or Kommunen must not linger.
  if (!options.kommune && !options.indicator) fs.rmSync(path.join(outDir, 'charts'), { recursive: true, force: true });
  options.onProgress?.(0, jobs.length);
  const r = await renderCharts(jobs, outDir, options.formats, options.onProgress ? { onProgress: options.onProgress } : {});
  return { files: r.files.length, jobs: jobs.length, errors: r.errors, mode: r.mode };
}
