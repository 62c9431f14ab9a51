/** Charts of a computed project: build the Vega-Lite jobs and render them into `<out>/charts/`. */
import fs from 'node:fs';
import path from 'node:path';
import type { Spm } from '../api/session.js';
import { buildProjectCharts, chartMetaFromProject } from '../charts/index.js';
import { renderCharts } from '../render/index.js';
import { commitStaged, stagingDir, type StagedSet } from '../export/output-folder.js';
import { CHART_CACHE_FILE, chartFile, openChartCache } from './chart-cache.js';

export type ChartFormat = 'vl.json' | 'svg' | 'png';

export interface ChartsOptions {
  formats: readonly ChartFormat[];
  kommune?: string;
  indicator?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ChartsResult {
  /** Chart files present for the requested charts (drawn now or kept from the last run). */
  files: number;
  jobs: number;
  /** Charts drawn in this run; the others were unchanged (see chart-cache.ts). */
  rendered: number;
  errors: { name: string; message: string }[];
  mode: string;
}

const rel = (base: string, file: string): string => path.relative(base, file).split(path.sep).join('/');

/**
 * Renders the charts whose spec (with its inline data) changed since the last run into a
 * staging folder inside `outDir` (`.spm-tmp-<pid>-charts`) and returns the staged set; unchanged
 * charts keep their files in `outDir` (listed as `keep`; cache in `charts/.spm-cache.json`). The
 * caller moves the set in with {@link commitStaged} (together with the tables in `spm compute`)
 * and removes the folder.
 */
export async function stageProjectCharts(
  spm: Spm,
  outDir: string,
  options: ChartsOptions,
): Promise<ChartsResult & { staged: StagedSet }> {
  const rows = await spm.results();
  const meta = chartMetaFromProject(spm.project);
  const jobs = buildProjectCharts(rows, meta, {
    ...(options.kommune ? { kommune: options.kommune } : {}),
    ...(options.indicator ? { indicator: options.indicator } : {}),
  });
  const formats = [...new Set(options.formats)];
  const cache = openChartCache(outDir);
  const reuse = cache.reusable(jobs, formats);
  // a full run forgets charts that no longer exist and formats no longer asked for
  if (!options.kommune && !options.indicator) cache.retain(jobs, formats);
  const todo = jobs.filter((j) => !reuse.has(j.name));
  const stage = stagingDir(outDir, 'charts');
  options.onProgress?.(0, jobs.length);
  // job names start with charts/: rendered into the staging folder they land in <stage>/charts/
  const r =
    todo.length > 0
      ? await renderCharts(todo, stage, formats, progressOf(options, jobs.length - todo.length, jobs.length))
      : { files: [] as string[], errors: [], mode: 'cache' };
  options.onProgress?.(jobs.length, jobs.length);
  cache.record(todo, formats, new Set(r.errors.map((e) => e.name)), stage);
  await cache.save(stage);
  const files = [...r.files.map((f) => rel(stage, f)), CHART_CACHE_FILE.split(path.sep).join('/')];
  const keep = jobs
    .filter((j) => reuse.has(j.name))
    .flatMap((j) => formats.map((f) => rel(outDir, chartFile(outDir, j.name, f))));
  return {
    files: r.files.length + keep.length,
    jobs: jobs.length,
    rendered: todo.length,
    errors: r.errors,
    mode: r.mode,
    staged: { dir: stage, files, keep },
  };
}

/** Renders the changed charts and moves them into `<out>/charts/`; a full run replaces spm's earlier charts. */
export async function writeProjectCharts(spm: Spm, outDir: string, options: ChartsOptions): Promise<ChartsResult> {
  fs.mkdirSync(outDir, { recursive: true });
  try {
    const r = await stageProjectCharts(spm, outDir, options);
    // charts of an earlier run with other indicators or Kommunen must not linger
    const full = !options.kommune && !options.indicator;
    commitStaged(outDir, [r.staged], { replaces: (f) => full && f.startsWith('charts/') });
    return { files: r.files, jobs: r.jobs, rendered: r.rendered, errors: r.errors, mode: r.mode };
  } finally {
    fs.rmSync(path.join(outDir, `.spm-tmp-${process.pid}-charts`), { recursive: true, force: true });
  }
}

/** Per-chart progress over all jobs (cached charts count as done). */
function progressOf(options: ChartsOptions, already: number, total: number): { onProgress?: (done: number) => void } {
  const cb = options.onProgress;
  return cb ? { onProgress: (done: number) => cb(already + done, total) } : {};
}
