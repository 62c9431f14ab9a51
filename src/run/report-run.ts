/** `spm report`: compute in memory and write the Kreis overview and one Kommunalprofil per Kommune. */
import fs from 'node:fs';
import path from 'node:path';
import { Spm, defaultOutDir, resolveKommuneSelection, type ProjectSource, scratchFor } from '../api/session.js';
import { chartMetaFromProject } from '../charts/index.js';
import { keptPages, writeReportsInto } from '../report/index.js';
import { acquireLock } from './lock.js';
import { progressStages, refuseInputErrors, type ProgressEvent } from './compute-run.js';
import { refuseUnnamedRelease } from '../export/replaced-release.js';
import { projectYears } from '../compute/compute.js';
import { makeDir } from '../util/environment.js';
import { assertSafeOutDir, commitStaged, stagingDir } from '../export/output-folder.js';
import { Stopwatch, type StageTiming } from '../util/stopwatch.js';
import { CHART_CACHE_FILE, openChartCache } from './chart-cache.js';
import type { ChartReuse } from '../report/types.js';

export interface ReportRunOptions {
  /** Folder that receives `<project>/index.html` (default: `<output>/reports`). */
  out?: string;
  /** Also print each page to PDF with Chromium. */
  pdf?: boolean;
  /** Only these Kommunen (AGS). */
  kommunen?: readonly string[];
  /** Also write 300-dpi PNGs of the charts (default: SVG only). */
  png?: boolean;
  /** Reuse unchanged results of earlier runs from `<project>/.spm/cache/` (default true). */
  cache?: boolean;
  /**
   * The output in the project's output folder (and spm's outputs elsewhere in the project folder)
   * were never published: report a later year without naming them as earlier releases (otherwise
   * such a run stops; src/export/replaced-release.ts).
   */
  replaceUnpublished?: boolean;
  /**
   * Progress while it runs, as `spm compute` reports it (loading, the computation steps with the
   * protection pass's groups), then `report` while the pages, charts and PDFs are written.
   */
  onProgress?: (e: ProgressEvent) => void;
}

export interface ReportRunResult {
  dir: string;
  index: string;
  files: number;
  warnings: string[];
  /** Wall and CPU time per stage (`spm report --verbose`). */
  timings: StageTiming[];
  /** Chart files drawn in this run and copied from an earlier report or `spm compute`. */
  charts: { rendered: number; reused: number };
}

/** Folder name of a project: its folder's name, reduced to safe characters. */
export function projectSlug(root: string): string {
  return (
    path
      .basename(root)
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'projekt'
  );
}

export async function reportRun(source: ProjectSource, options: ReportRunOptions = {}): Promise<ReportRunResult> {
  const clock = new Stopwatch();
  const emit = options.onProgress ?? (() => {});
  const stages = progressStages(emit);
  emit({ stage: 'config' });
  await using spm = await Spm.open(source, { ...scratchFor(options.out), cache: options.cache ?? true });
  const root = options.out !== undefined ? path.resolve(options.out) : path.join(defaultOutDir(spm.project), 'reports');
  const dir = path.join(root, projectSlug(spm.project.root));
  assertSafeOutDir(spm.project, dir, 'Berichtsordner');
  // what stops the run is found before the report folder is created
  const loaded = await spm.load({ onProgress: stages.load });
  refuseInputErrors(spm.issues);
  // names ("Ascheberg") stand for their codes
  const kommunen = options.kommunen ? resolveKommuneSelection(loaded, options.kommunen) : undefined;
  // a report of a new year is a release beside the one in the output folder (the same check as compute)
  await refuseUnnamedRelease(
    spm.project,
    defaultOutDir(spm.project),
    projectYears(loaded, spm.project),
    options.replaceUnpublished,
    'report',
  );
  makeDir(dir);
  const lock = acquireLock(dir);
  // pages and charts are written to a staging folder and moved in together, so an
  // interrupted run never leaves new pages next to old ones
  const stage = path.join(dir, `.spm-tmp-${process.pid}-report`);
  try {
    clock.lap('Projekt und Rohdaten laden');
    emit({ stage: 'compile' });
    await spm.compute({ onProgress: stages.compute });
    const rows = await spm.results();
    clock.lap('Kennzahlen berechnen und sperren');
    emit({ stage: 'report' });
    stagingDir(dir, 'report');
    const reuse = chartReuse(dir, defaultOutDir(spm.project), !options.kommunen);
    const r = await writeReportsInto(
      { rows, meta: chartMetaFromProject(spm.project), project: spm.project },
      {
        outDir: stage,
        ...(options.pdf ? { pdf: true } : {}),
        // a selection keeps the other Kommunen's pages of an earlier run (commitStaged below) and links them
        ...(kommunen ? { kommunen, existingPages: keptPages(dir) } : {}),
        chartFiles: { reuse, ...(options.png ? { formats: ['svg', 'png'] } : {}) },
      },
    );
    const files = r.files.map((f) => path.relative(stage, f).split(path.sep).join('/'));
    clock.stages.push(...r.timings);
    const before = new Stopwatch();
    commitStaged(dir, [{ dir: stage, files }], { replaces: () => !options.kommunen, last: 'index.html' });
    await spm.commitCache();
    before.lap('Dateien übernehmen');
    emit({ stage: 'done' });
    return {
      dir,
      index: path.join(dir, 'index.html'),
      files: r.files.length,
      warnings: r.warnings,
      timings: [...clock.stages, ...before.stages],
      charts: r.charts,
    };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
    lock.release();
  }
}

/**
 * Chart files to copy instead of rendering: the report folder's own charts from its
 * last run, then `spm compute`'s charts in the project's output folder; each only
 * where its cache (`charts/.spm-cache.json`) says the spec is the same and the file
 * still has the bytes spm wrote. The report folder's cache is renewed; `full`: a
 * run over all Kommunen, which forgets charts no longer shown.
 */
function chartReuse(reportDir: string, computeDir: string, full: boolean): ChartReuse {
  const own = openChartCache(reportDir);
  const computed = openChartCache(computeDir);
  return {
    find(jobs, formats) {
      const found = new Map<string, string>();
      for (const n of own.reusable(jobs, formats)) found.set(n, reportDir);
      const rest = jobs.filter((j) => !found.has(j.name));
      if (path.resolve(computeDir) !== path.resolve(reportDir))
        for (const n of computed.reusable(rest, formats)) found.set(n, computeDir);
      return found;
    },
    async save(stage, jobs, formats, failed) {
      if (full) own.retain(jobs, formats);
      own.record(jobs, formats, failed, stage);
      await own.save(stage);
      return path.join(stage, CHART_CACHE_FILE);
    },
  };
}
