/** `spm report`: compute in memory and write the Kreis overview and one Kommunalprofil per Kommune. */
import fs from 'node:fs';
import path from 'node:path';
import { Spm, defaultOutDir, type ProjectSource, scratchFor } from '../api/session.js';
import { chartMetaFromProject } from '../charts/index.js';
import { writeReports } from '../report/index.js';
import { acquireLock } from './lock.js';
import { refuseInputErrors } from './compute-run.js';
import { makeDir } from '../util/environment.js';
import { assertSafeOutDir, commitStaged, stagingDir } from '../export/output-folder.js';

export interface ReportRunOptions {
  /** Folder that receives `<project>/index.html` (default: `<output>/reports`). */
  out?: string;
  /** Also print each page to PDF with Chromium. */
  pdf?: boolean;
  /** Only these Kommunen (AGS). */
  kommunen?: readonly string[];
  /** Also write 300-dpi PNGs of the charts (default: SVG only). */
  png?: boolean;
}

export interface ReportRunResult {
  dir: string;
  index: string;
  files: number;
  warnings: string[];
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
  await using spm = await Spm.open(source, scratchFor(options.out));
  const root = options.out !== undefined ? path.resolve(options.out) : path.join(defaultOutDir(spm.project), 'reports');
  const dir = path.join(root, projectSlug(spm.project.root));
  assertSafeOutDir(spm.project, dir, 'Berichtsordner');
  makeDir(dir);
  const lock = acquireLock(dir);
  // pages and charts are written to a staging folder and moved in together, so an
  // interrupted run never leaves new pages next to old ones
  const stage = path.join(dir, `.spm-tmp-${process.pid}-report`);
  try {
    await spm.load();
    refuseInputErrors(spm.issues);
    await spm.compute();
    const rows = await spm.results();
    stagingDir(dir, 'report');
    const r = await writeReports(
      { rows, meta: chartMetaFromProject(spm.project), project: spm.project },
      {
        outDir: stage,
        ...(options.pdf ? { pdf: true } : {}),
        ...(options.kommunen ? { kommunen: [...options.kommunen] } : {}),
        ...(options.png ? { chartFiles: { formats: ['svg', 'png'] } } : {}),
      },
    );
    const files = r.files.map((f) => path.relative(stage, f).split(path.sep).join('/'));
    commitStaged(dir, [{ dir: stage, files }], { replaces: () => !options.kommunen, last: 'index.html' });
    return { dir, index: path.join(dir, 'index.html'), files: r.files.length, warnings: r.warnings };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
    lock.release();
  }
}
