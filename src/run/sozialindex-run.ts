/**
 * The Sozialindex outputs of `spm compute`, staged like the charts and moved in
 * together with the tables:
 *
 * ```
 * <out>/sozialindex/sozialindex.csv|.parquet        index, interval, rank, rank interval, class, type
 * <out>/sozialindex/sozialindex_gewichte.csv|…      method and weights per year and indicator
 * <out>/sozialindex/sozialraumtypen.csv|…           types, labels, centroids
 * <out>/sozialindex/steckbrief.md                   method, inputs, weights, year, data protection
 * <out>/sozialindex/rangfolge_<Jahr>, karte_<Jahr>, typen_karte_<Jahr>  (.vl.json/.svg/.png)
 * <out>/vergleich/vergleich_sozialraumtypen.csv|…   "ähnliche Sozialräume" beside Kommune and Kreis
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Spm } from '../api/session.js';
import {
  NO_VALUES,
  STEERING_COLUMNS,
  skippedIssues,
  steeringAreas,
  type AreaNameRow,
  type SteeringReport,
} from '../steering/build.js';
import { indexLevel, indexLevels, steeringFromProject } from '../steering/from-project.js';
import { comparisonTable, indexTable, typesTable, weightsTable } from '../steering/tables.js';
import { sozialindexSteckbrief } from '../steering/steckbrief.js';
import { inTop } from '../charts/levels.js';
import { UserError, type Issue } from '../util/issues.js';
import { writeRowsTable } from '../export/rows-table.js';
import { stagingDir, type StagedSet } from '../export/output-folder.js';
import type { ExportFormat } from '../export/write.js';
import type { ChartFormat } from './charts-run.js';
import { writeFileAtomic } from '../util/atomic.js';
import { filteredSelect, readResults } from '../publish/results.js';
import { bindable } from '../compute/params.js';

export interface SozialindexStaged {
  staged: StagedSet;
  report: SteeringReport;
  chartErrors: { name: string; message: string }[];
}

const rel = (base: string, file: string): string => path.relative(base, file).split(path.sep).join('/');

/** The areas of the index's level with a published row, from distinct name rows of that level and the Kommunen. */
async function areaNames(spm: Spm, level: string): Promise<SteeringReport['areas']> {
  const q = filteredSelect({ levels: indexLevels(spm.project) }, ['level', 'area_id', 'area_name', 'kommune_ags']);
  const r = await spm.connection.runAndReadAll(
    `SELECT DISTINCT * FROM (${q.sql}) ORDER BY ALL`,
    bindable(q.parameters),
  );
  return steeringAreas(r.getRowObjectsJS() as unknown as AreaNameRow[], level);
}

/**
 * The warnings for `spm compute` when the index failed only because inputs have rows at the level
 * whose values are all gesperrt or missing (a matter of the data: every other output is published);
 * undefined for any other failure, which stays an error.
 */
export function noValuesWarnings(e: unknown): Issue[] | undefined {
  if (!(e instanceof UserError) || !e.issues.every((i) => i.code === NO_VALUES)) return undefined;
  return e.issues.map((i) => ({
    ...i,
    severity: 'warning' as const,
    message: `Sozialindex nicht berechnet: ${i.message}`,
  }));
}

/** Stage the Sozialindex files into `<outDir>/.spm-tmp-<pid>-sozialindex` (the caller commits and removes it). */
export async function stageSozialindex(
  spm: Spm,
  outDir: string,
  options: { formats: readonly ExportFormat[]; charts: readonly ChartFormat[]; indicators?: readonly string[] },
): Promise<SozialindexStaged | undefined> {
  const cfg = spm.project.config.sozialindex;
  if (!cfg) return undefined;
  // a run restricted to some indicators (--indicator) without all index inputs: no index, said so
  if (options.indicators) {
    const ids = cfg.indikatoren.map((e) => (typeof e === 'string' ? e : e.id));
    const missing = ids.filter((id) => !options.indicators?.includes(id));
    if (missing.length) {
      spm.issues.push({
        severity: 'warning',
        code: 'sozialindex.skipped',
        message: `Sozialindex nicht berechnet: der Lauf ist auf einzelne Indikatoren beschränkt, es fehlen ${missing.join(', ')}.`,
      });
      return undefined;
    }
  }
  // the rows are read once (and only the rows and columns the index reads) for the index and the
  // comparison table: its level and window; the names of the areas come from distinct rows
  // (turning DuckDB strings into JS strings is most of the cost, half the rows are other windows)
  const level = indexLevel(spm.project);
  const rows = await readResults(spm.connection, { levels: [level], poolYears: [cfg.pool_jahre] }, STEERING_COLUMNS);
  let report: SteeringReport;
  try {
    report = steeringFromProject(spm.project, rows, undefined, await areaNames(spm, level));
  } catch (e) {
    const warnings = noValuesWarnings(e);
    if (!warnings) throw e;
    spm.issues.push(...warnings);
    return undefined;
  }
  // a year's index or types left out for too few complete Sozialräume (masking can cause it): the
  // tables and every other output are published all the same, the gap is said here and in the Steckbrief
  spm.issues.push(...skippedIssues(report, 'warning', spm.project.configFile));
  if (report.years.length === 0) return undefined;
  const stage = stagingDir(outDir, 'sozialindex');
  const files: string[] = [];
  const fmt = { csv: options.formats.includes('csv'), parquet: options.formats.includes('parquet') };
  const conn = spm.connection;
  const tables: [string, ReturnType<typeof indexTable>][] = [
    ['sozialindex/sozialindex', indexTable(report)],
    ['sozialindex/sozialindex_gewichte', weightsTable(report)],
  ];
  // the type tables only when some year has types (the masks can leave too few complete Sozialräume:
  // then the Steckbrief says so instead of a table with a header alone)
  if (report.config.typen && report.years.some((y) => y.types)) {
    tables.push(['sozialindex/sozialraumtypen', typesTable(report)]);
    tables.push(['vergleich/vergleich_sozialraumtypen', comparisonTable(report, rows)]);
  }
  for (const [name, table] of tables) {
    fs.mkdirSync(path.join(stage, path.dirname(name)), { recursive: true });
    await writeRowsTable(conn, table, path.join(stage, name), fmt);
    if (fmt.csv) files.push(`${name}.csv`);
    if (fmt.parquet) files.push(`${name}.parquet`);
  }
  const steckbrief = sozialindexSteckbrief(report, inTop(spm.project.config.kreis.name));
  await writeFileAtomic(path.join(stage, 'sozialindex', 'steckbrief.md'), steckbrief);
  files.push('sozialindex/steckbrief.md');
  let chartErrors: { name: string; message: string }[] = [];
  if (options.charts.length > 0) {
    // charts and the renderer are loaded only when charts are asked for (`compute --no-charts` stays light)
    const [{ sozialindexCharts }, { chartMetaFromProject }, { renderCharts }] = await Promise.all([
      import('../charts/sozialindex.js'),
      import('../charts/index.js'),
      import('../render/index.js'),
    ]);
    const jobs = sozialindexCharts(report, chartMetaFromProject(spm.project));
    const r = await renderCharts(jobs, stage, options.charts, { workers: 0 });
    files.push(...r.files.map((f) => rel(stage, f)));
    chartErrors = r.errors;
  }
  return { staged: { dir: stage, files }, report, chartErrors };
}
