/**
 * Build the committed example report of the sample project into
 * reports/kreis-coesfeld/ (run: `npx tsx reports/build-example.ts`).
 *
 * compute (temp folder) -> kennzahlen.parquet -> writeReports
 *
 * To keep the folder small (about 20 MB), chart files (PNG, 150 dpi) are written
 * only for the Präventionskette of each Kommune and the Kreis-wide rankings;
 * all charts are interactive in the HTML pages. A full set: `spm report` or
 * writeReports without `chartFiles`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeRun } from '../src/run/compute-run.js';
import { loadProject } from '../src/config/load-project.js';
import { chartMetaFromProject } from '../src/charts/meta.js';
import { readKennzahlen, writeReports } from '../src/report/index.js';

const root = path.resolve(import.meta.dirname, '..');
const project = path.join(root, 'data-samples', 'kreis-coesfeld');
const target = path.join(root, 'reports', 'kreis-coesfeld');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-example-'));
try {
  // 1. Compute the sample project.
  await computeRun(project, { out: tmp, charts: [] });
  // 2. Published rows and chart metadata.
  const rows = await readKennzahlen(path.join(tmp, 'kennzahlen.parquet'));
  const loaded = loadProject(project).project;
  // 3. A fresh folder, so removed pages do not linger.
  fs.rmSync(target, { recursive: true, force: true });
  const kreis = loaded.config.kreis.ags;
  const { files, warnings } = await writeReports(
    { rows, meta: chartMetaFromProject(loaded), project: loaded },
    { outDir: target, chartFiles: { formats: ['png'], dpi: 150, filter: (n) => n.startsWith('charts/praeventionskette/') || n.endsWith(`/rangfolge_${kreis}`) } },
  );
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  console.log(`${files.length} Dateien, ${(bytes / 1e6).toFixed(1)} MB in ${path.relative(root, target)}`);
  for (const w of warnings) console.warn(w);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
