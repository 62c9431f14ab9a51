/**
 * Reports for the Jugendhilfeausschuss: the published long table as HTML pages
 * (interactive charts, tables, one sentence per finding), a Markdown variant for
 * Word and wiki authors, chart files, and optionally PDFs.
 *
 * ```
 * rows (kennzahlen.parquet) + ChartMeta + Project
 *   -> buildModel            indicators in report order, Kommunen, report years, chart jobs
 *   -> renderCharts          <outDir>/charts/<indicator>/<kind>_<area>.svg|.png (for Word, Markdown);
 *                            files of an earlier run with the same spec are copied instead (chartFiles.reuse)
 *   -> indexPage, kurzPage, kommunePage  page documents (Blocks)
 *   -> pageHtml, pageMarkdown  index.html, kurzprofil-<AGS>.html (2–4 pages), kommune-<AGS>.html, *.md
 *   -> writeAssets           assets/: vega, vega-lite, fonts, report.css, report.js
 *   -> printPdfs (pdf: true) *.pdf via headless Chromium (twice where a contents list needs page numbers)
 * ```
 * Deterministic: no dates, ids by position; the same input gives the same bytes
 * (PDFs excepted: Chromium stamps them).
 *
 * @example
 * ```ts
 * const rows = await readKennzahlen('out/kennzahlen.parquet');
 * const { project } = loadProject('data-samples/kreis-coesfeld');
 * const { files } = await writeReports({ rows, meta: chartMetaFromProject(project), project }, { outDir: 'out/bericht' });
 * // -> out/bericht/index.html, index.md, kommune-05558012.html, …, assets/…, charts/…
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderCharts } from '../render/render-charts.js';
import type { Format } from '../render/job.js';
import { writeFileAtomic } from '../util/atomic.js';
import { Stopwatch } from '../util/stopwatch.js';
import type { Page, ReportInput, ReportOptions, ReportResult } from './types.js';
import { buildModel, type ReportModel } from './model.js';
import { indexPage } from './page-index.js';
import { kommunePage } from './page-kommune.js';
import { kurzPage } from './page-kurz.js';
import { pageHtml } from './html.js';
import { pageMarkdown } from './markdown.js';
import { writeAssets } from './assets.js';
import { printPdfs, DEFAULT_CHROMIUM } from './pdf.js';
import type { ChartFiles } from './chart-blocks.js';
import { commitStaged, readOwned, stagingDir } from '../export/output-folder.js';
import { kommuneFile } from './page-common.js';
import { makeDir } from '../util/environment.js';

export type { ReportInput, ReportOptions, ReportResult, Page, Block, Inline, Cell, ChartReuse } from './types.js';
export { readKennzahlen } from './read-rows.js';
export { buildModel, type ReportModel } from './model.js';
export { comparisonSentence, trendSentence, maskedSentence, subjectOf, valueText, signedDiff } from './sentences.js';
export { escapeHtml, escapeMd, jsonForScript } from './escape.js';
export { pageHtml } from './html.js';
export { pageMarkdown } from './markdown.js';
export { printPdfs, chromiumMissing, CHROMIUM_ARGS, DEFAULT_CHROMIUM } from './pdf.js';

/** Names of the charts the pages show, in page order. */
export function reportChartNames(model: ReportModel, kommunen: readonly string[]): string[] {
  const names: string[] = [];
  for (const ind of model.indicators) {
    for (const kind of ['zeitreihe', 'rangfolge', 'kommunen', 'karte'])
      names.push(`charts/${ind.id}/${kind}_${model.kreis.ags}`);
  }
  for (const ags of kommunen) {
    names.push(`charts/praeventionskette/praeventionskette_${ags}`);
    for (const ind of model.indicators)
      names.push(`charts/${ind.id}/zeitreihe_${ags}`, `charts/${ind.id}/rangfolge_${ags}`);
  }
  return names.filter((n) => model.charts.has(n));
}

/**
 * Kommune pages (`kommune-<AGS>.html`) spm wrote into `outDir` in an earlier run that are
 * still there: a run over a selection of Kommunen keeps them and links to them (`existingPages`).
 */
export function keptPages(outDir: string): string[] {
  return [...readOwned(outDir)]
    .filter((f) => /^kommune-[^/]+\.html$/.test(f) && fs.existsSync(path.join(outDir, f)))
    .sort();
}

/**
 * The reports into `options.outDir`, through a staging folder: nothing is moved in if a file of
 * that name is there and not spm's (spm's own are recorded in the folder, as for `spm compute`),
 * so a user's `index.html` is never overwritten; an interrupted run leaves the old pages.
 * @throws UserError naming the files that are in the way
 */
export async function writeReports(input: ReportInput, options: ReportOptions): Promise<ReportResult> {
  const outDir = path.resolve(options.outDir);
  makeDir(outDir);
  const stage = stagingDir(outDir, 'report');
  try {
    // the folder's older pages stay (replaces: () => false), so a selection links to them too
    const existing = options.kommunen && !options.existingPages ? { existingPages: keptPages(outDir) } : {};
    const r = await writeReportsInto(input, { ...options, ...existing, outDir: stage });
    const files = r.files.map((f) => path.relative(stage, f).split(path.sep).join('/'));
    if (files.some((f) => f.startsWith('../') || path.isAbsolute(f)))
      throw new Error('writeReports: a file outside its folder');
    commitStaged(outDir, [{ dir: stage, files }], { replaces: () => false, last: 'index.html' });
    return { ...r, files: files.map((f) => path.join(outDir, ...f.split('/'))) };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** writeReports straight into `options.outDir`, replacing what is there (`spm report` stages it itself). */
export async function writeReportsInto(input: ReportInput, options: ReportOptions): Promise<ReportResult> {
  const outDir = path.resolve(options.outDir);
  const warnings: string[] = [];
  if (options.language === 'en') warnings.push('Berichte gibt es bisher nur auf Deutsch; language: en wird ignoriert.');
  fs.mkdirSync(outDir, { recursive: true });
  const clock = new Stopwatch();
  // 1. Model.
  const built = buildModel(input);
  clock.lap('Modell und Diagrammspezifikationen');
  const kommunen = built.kommunen.filter((k) => !options.kommunen || options.kommunen.includes(k.ags));
  const ags = kommunen.map((k) => k.ags);
  // Links go to the pages this run writes plus the pages an earlier run left in the folder and
  // that stay there (`existingPages`, from the folder's record of spm's own files and checked on
  // disk by the caller): `spm report --kommune 01` after a full run keeps every link, into an
  // empty folder it links only Kommune 01; a link never leads to a page that is not there.
  const existing = new Set(options.existingPages ?? []);
  const model: ReportModel = {
    ...built,
    hasPage: (a) => !options.kommunen || ags.includes(a) || existing.has(`${kommuneFile(a)}.html`),
  };
  // 2. Chart files for Word and Markdown.
  const cf = options.chartFiles ?? {};
  // SVG by default: PNG at 300 dpi took two thirds of a report run (661 charts for 11 Kommunen); on request.
  const formats: Format[] = cf.formats ?? ['svg'];
  const names = reportChartNames(model, ags).filter((n) => !cf.filter || cf.filter(n));
  const chartFiles: ChartFiles = { files: new Map() };
  const files: string[] = [];
  let reused = 0;
  let rendered = 0;
  if (names.length && formats.length) {
    const jobs = names.map((n) => model.charts.get(n)!);
    // charts drawn before from the same spec (an earlier report, `spm compute`) are copied, not rendered again
    const found = cf.reuse?.find(jobs, formats) ?? new Map<string, string>();
    const todo = jobs.filter((j) => !found.has(j.name));
    const res = todo.length
      ? await renderCharts(todo, outDir, formats, {
          dpi: cf.dpi ?? 300,
          ...(cf.workers !== undefined ? { workers: cf.workers } : {}),
        })
      : { files: [] as string[], errors: [] as { name: string; message: string }[] };
    const written = new Set(res.files);
    for (const [name, base] of found) {
      for (const f of formats) {
        const to = path.resolve(outDir, `${name}.${f}`);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(path.join(base, `${name}.${f}`), to);
        written.add(to);
      }
    }
    for (const n of names) {
      const entry: { png?: string; svg?: string } = {};
      for (const f of ['png', 'svg'] as const)
        if (written.has(path.resolve(outDir, `${n}.${f}`))) entry[f] = `${n}.${f}`;
      chartFiles.files.set(n, entry);
    }
    files.push(...written);
    for (const e of res.errors) warnings.push(`Diagramm ${e.name} nicht gerendert: ${e.message}`);
    if (cf.reuse) files.push(await cf.reuse.save(outDir, jobs, formats, new Set(res.errors.map((e) => e.name))));
    reused = found.size;
    rendered = todo.length - res.errors.length;
  }
  clock.lap(`Diagrammdateien (${names.length}, ${reused} übernommen)`);
  // 3. Pages as HTML and Markdown.
  const pages: Page[] = [
    indexPage(model, chartFiles),
    ...kommunen.flatMap((k) => [kurzPage(model, k, chartFiles), kommunePage(model, k, chartFiles)]),
  ];
  const html: string[] = [];
  for (const page of pages) {
    const h = path.join(outDir, `${page.name}.html`);
    const md = path.join(outDir, `${page.name}.md`);
    await writeFileAtomic(h, pageHtml(page));
    await writeFileAtomic(md, pageMarkdown(page));
    html.push(h);
    files.push(h, md);
  }
  clock.lap(`Seiten (${pages.length})`);
  // 4. Assets beside the pages.
  files.push(...(await writeAssets(outDir)));
  clock.lap('Assets');
  // 5. PDFs.
  if (options.pdf) {
    const pdf = await printPdfs(html, options.chromiumPath ?? DEFAULT_CHROMIUM);
    files.push(...pdf.files);
    warnings.push(...pdf.warnings);
    clock.lap(`PDF (${pdf.files.length})`);
  }
  return {
    files: files.map((f) => path.resolve(f)).sort(),
    warnings,
    timings: clock.stages,
    charts: { rendered, reused },
  };
}
