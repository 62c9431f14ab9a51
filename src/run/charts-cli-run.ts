/** `spm charts`: compute in memory, render the charts into `<out>/charts/`. */
import type { ProgressEvent } from './compute-run.js';
import {
  Spm,
  checkIndicatorSelection,
  resolveKommuneSelection,
  type ProjectSource,
  scratchFor,
} from '../api/session.js';
import { writeProjectCharts, type ChartFormat } from './charts-run.js';
import { progressStages, refuseInputErrors, resolveOutDir } from './compute-run.js';
import { acquireLock } from './lock.js';
import { makeDir } from '../util/environment.js';
import { assertSafeOutDir } from '../export/output-folder.js';
import { refuseUnnamedRelease } from '../export/replaced-release.js';
import { projectYears } from '../compute/compute.js';
import type { Issue } from '../util/issues.js';

export { CHART_FORMATS } from './chart-formats.js';
import { CHART_FORMATS } from './chart-formats.js';

export interface ChartsRunResult {
  outDir: string;
  jobs: number;
  files: number;
  errors: { name: string; message: string }[];
  /** The run's warnings (as `spm compute` prints them: totals that differ, a project without indicators, …). */
  issues: Issue[];
}

export async function chartsRun(
  source: ProjectSource,
  options: {
    out?: string;
    kommune?: string;
    indicator?: string;
    formats?: readonly ChartFormat[];
    /** Reuse unchanged results of earlier runs from `<project>/.spm/cache/` (default true). */
    cache?: boolean;
    /** The outputs in the folder and elsewhere in the project were never published: draw a later year without naming them. */
    replaceUnpublished?: boolean;
    onProgress?: (e: ProgressEvent) => void;
  } = {},
): Promise<ChartsRunResult> {
  const emit = options.onProgress ?? (() => {});
  const stages = progressStages(emit);
  await using spm = await Spm.open(source, { ...scratchFor(options.out), cache: options.cache ?? true });
  const outDir = resolveOutDir(spm.project, options.out);
  assertSafeOutDir(spm.project, outDir);
  makeDir(outDir);
  const lock = acquireLock(outDir);
  try {
    const loaded = await spm.load({ onProgress: stages.load });
    refuseInputErrors(spm.issues);
    // a name ("Ascheberg") stands for its code
    const kommune = options.kommune ? resolveKommuneSelection(loaded, [options.kommune])[0] : undefined;
    if (options.indicator) checkIndicatorSelection(spm.project, [options.indicator]);
    // charts of a new year are a release beside the one in the folder (the same check as compute)
    await refuseUnnamedRelease(
      spm.project,
      outDir,
      projectYears(loaded, spm.project),
      options.replaceUnpublished,
      'charts',
    );
    emit({ stage: 'compile' });
    await spm.compute({ onProgress: stages.compute });
    const r = await writeProjectCharts(spm, outDir, {
      onProgress: stages.charts,
      formats: options.formats ?? CHART_FORMATS,
      ...(kommune ? { kommune } : {}),
      ...(options.indicator ? { indicator: options.indicator } : {}),
    });
    await spm.commitCache();
    emit({ stage: 'done' });
    return { outDir, jobs: r.jobs, files: r.files, errors: r.errors, issues: [...spm.issues] };
  } finally {
    lock.release();
  }
}
