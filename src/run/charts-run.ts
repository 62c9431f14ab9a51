/** Charts of a computed project: build the Vega-Lite jobs and render them into `<out>/charts/`. */
import fs from 'node:fs';
import path from 'node:path';
import type { Spm } from '../api/session.js';
import { buildProjectCharts, chartMetaFromProject } from '../charts/index.js';
import { renderCharts } from '../render/index.js';
import { commitStaged, stagingDir, type StagedSet } from '../export/output-folder.js';

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

/**
 * Renders the charts into a staging folder inside `outDir` (`.spm-tmp-<pid>-charts`)
 * and returns the staged set; the caller moves it in with {@link commitStaged}
 * (together with the tables in `spm compute`) and removes the folder.
 */
export async function stageProjectCharts(spm: Spm, outDir: string, options: ChartsOptions): Promise<ChartsResult & { staged: StagedSet }> {
  const rows = await spm.results();
  const meta = chartMetaFromProject(spm.project);
  const jobs = buildProjectCharts(rows, meta, {
    ...(options.kommune ? { kommune: options.kommune } : {}),
    ...(options.indicator ? { indicator: options.indicator } : {}),
  });
  const stage = stagingDir(outDir, 'charts');
  options.onProgress?.(0, jobs.length);
  const r = await renderCharts(jobs, path.join(stage, 'charts'), options.formats, options.onProgress ? { onProgress: options.onProgress } : {});
  const files = r.files.map((f) => path.relative(stage, f).split(path.sep).join('/'));
  return { files: r.files.length, jobs: jobs.length, errors: r.errors, mode: r.mode, staged: { dir: stage, files } };
}

/** Renders the charts and moves them into `<out>/charts/`; a full run replaces spm's earlier charts. */
export async function writeProjectCharts(spm: Spm, outDir: string, options: ChartsOptions): Promise<ChartsResult> {
  fs.mkdirSync(outDir, { recursive: true });
  try {
    const r = await stageProjectCharts(spm, outDir, options);
    // charts of an earlier run with other indicators or Kommunen must not linger
    const full = !options.kommune && !options.indicator;
    commitStaged(outDir, [r.staged], { replaces: (f) => full && f.startsWith('charts/') });
    return { files: r.files, jobs: r.jobs, errors: r.errors, mode: r.mode };
  } finally {
    fs.rmSync(path.join(outDir, `.spm-tmp-${process.pid}-charts`), { recursive: true, force: true });
  }
}
