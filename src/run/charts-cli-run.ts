/** `spm charts`: compute in memory, render the charts into `<out>/charts/`. */
import { Spm, type ProjectSource, scratchFor } from '../api/session.js';
import { writeProjectCharts, type ChartFormat } from './charts-run.js';
import { refuseInputErrors, resolveOutDir } from './compute-run.js';
import { acquireLock } from './lock.js';
import { makeDir } from '../util/environment.js';
import { assertSafeOutDir } from '../export/output-folder.js';

export const CHART_FORMATS: readonly ChartFormat[] = ['vl.json', 'svg', 'png'];

export interface ChartsRunResult {
  outDir: string;
  jobs: number;
  files: number;
  errors: { name: string; message: string }[];
}

export async function chartsRun(
  source: ProjectSource,
  options: { out?: string; kommune?: string; indicator?: string; formats?: readonly ChartFormat[] } = {},
): Promise<ChartsRunResult> {
  await using spm = await Spm.open(source, scratchFor(options.out));
  const outDir = resolveOutDir(spm.project, options.out);
  assertSafeOutDir(spm.project, outDir);
  makeDir(outDir);
  const lock = acquireLock(outDir);
  try {
    await spm.load();
    refuseInputErrors(spm.issues);
    await spm.compute();
    const r = await writeProjectCharts(spm, outDir, {
      formats: options.formats ?? CHART_FORMATS,
      ...(options.kommune ? { kommune: options.kommune } : {}),
      ...(options.indicator ? { indicator: options.indicator } : {}),
    });
    return { outDir, jobs: r.jobs, files: r.files, errors: r.errors };
  } finally {
    lock.release();
  }
}
