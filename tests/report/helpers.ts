/** Build report inputs from a project folder: compute into a temp folder, read the parquet, load the project. */
import fs from 'node:fs';
import path from 'node:path';
import { computeRun } from '../../src/run/compute-run.js';
import { loadProject } from '../../src/config/load-project.js';
import { chartMetaFromProject } from '../../src/charts/meta.js';
import { readKennzahlen } from '../../src/report/read-rows.js';
import type { ReportInput } from '../../src/report/types.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const MINI = path.join(ROOT, 'tests', 'fixtures', 'mini');
export const SAMPLE = path.join(ROOT, 'data-samples', 'kreis-coesfeld');
export const XSS_SOZIALRAUM = '<script>alert(1)</script>';
export const XSS_KOMMUNE = 'Asche<img src=x onerror=alert(2)>berg & "Co"';

export async function reportInput(projectDir: string, tmp: string): Promise<ReportInput> {
  const out = path.join(tmp, 'out');
  await computeRun(projectDir, { out });
  const rows = await readKennzahlen(path.join(out, 'kennzahlen.parquet'));
  const { project } = loadProject(projectDir);
  return { rows, meta: chartMetaFromProject(project), project };
}

/** A copy of tests/fixtures/mini whose area list names a Sozialraum `<script>alert(1)</script>` and a Kommune with markup. */
export function hostileMini(tmp: string): string {
  const dir = path.join(tmp, 'mini-xss');
  fs.cpSync(MINI, dir, { recursive: true });
  const file = path.join(dir, 'gebiete.csv');
  const text = fs
    .readFileSync(file, 'utf8')
    .replace('05558004-01;Nord;05558004;Ascheberg', `05558004-01;${XSS_SOZIALRAUM};05558004;${XSS_KOMMUNE}`)
    .replace('05558004-02;Süd;05558004;Ascheberg', `05558004-02;Süd;05558004;${XSS_KOMMUNE}`);
  fs.writeFileSync(file, text);
  return dir;
}

/** A temporary folder (the suite's `tempDir`: removed after the file's tests at the latest). */
export { tempDir as tmpDir } from '../tmp-dirs.js';
