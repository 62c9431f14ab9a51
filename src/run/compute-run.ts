/**
 * `spm compute` as one library call, built on {@link Spm}.
 *
 * project folder -> config -> ingest -> compile -> compute -> export -> charts
 *
 * 1. open: load and validate spm.yaml and the indicators, open DuckDB
 * 2. load: the area list and every source (row accounting, rejects)
 * 3. compute: cells, roll-ups, pooled windows, results, masks, statistics
 * 4. export: kennzahlen.csv / .parquet, abgewiesene_zeilen.csv, manifest.json (atomically)
 * 5. charts: Vega-Lite specs rendered to SVG (and PNG on request)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../config/project.js';
import { STAGE_LABELS, projectYears, type ComputeSummary } from '../compute/compute.js';
import { Stopwatch, type StageTiming } from '../util/stopwatch.js';
import type { PlanStage } from '../compile/plan.js';
import type { LoadedTables, SourceAccounting, DetectedReadOptions } from '../ingest/types.js';
import { memoryDebug } from '../util/memory-debug.js';
import type { OutputFileInfo } from '../export/manifest.js';
import type { ExportFormat } from '../export/write.js';
import { UserError, type Issue } from '../util/issues.js';
import {
  Spm,
  defaultOutDir,
  scratchFor,
  type ComputeOptions,
  type LoadOptions,
  type ProjectSource,
} from '../api/session.js';
import { acquireLock } from './lock.js';
import { makeDir } from '../util/environment.js';
import type { ChartFormat, ChartsResult } from './charts-run.js';
import { assertSafeOutDir, type StagedSet } from '../export/output-folder.js';
import type { GoalVerdict } from '../steering/goals.js';
import { stageSozialindex } from './sozialindex-run.js';
import { projectHierarchy } from '../config/hierarchy.js';
import { refuseUnnamedRelease } from '../export/replaced-release.js';
import { totalsDifferIssue } from '../export/totals-check.js';

export type ProgressEvent =
  | { stage: 'config' | 'compile' | 'export' | 'report' | 'done' }
  | { stage: 'ingest'; source: string; file: string; rows: number }
  | { stage: 'compute'; done: number; total: number; indicator: string }
  | { stage: 'charts'; done: number; total: number };

/**
 * Spm's callbacks of `load`, `compute` and the charts as {@link ProgressEvent}s for `emit`: the same
 * stages for `computeRun`, `chartsRun` and `reportRun`.
 */
export function progressStages(emit: (e: ProgressEvent) => void): {
  load: NonNullable<LoadOptions['onProgress']>;
  compute: NonNullable<ComputeOptions['onProgress']>;
  charts: (done: number, total: number) => void;
} {
  return {
    load: (e) => emit({ stage: 'ingest', ...e }),
    compute: (done, total, step) => emit({ stage: 'compute', done, total, indicator: step }),
    charts: (done, total) => emit({ stage: 'charts', done, total }),
  };
}

export interface ComputeRunOptions {
  /** Output folder (default: `output` of spm.yaml, relative to the project). */
  out?: string;
  /** Keep the DuckDB database in this file instead of memory. */
  db?: string;
  /** Only these indicator ids. */
  indicators?: readonly string[];
  /** DuckDB worker threads. */
  threads?: number;
  /** DuckDB memory limit (default: DuckDB's 80 % of RAM); larger intermediates spill to the run's scratch folder. */
  memoryLimit?: string;
  /** Table formats besides the manifest (default csv + parquet). */
  formats?: readonly ExportFormat[];
  /**
   * Also write the UNMASKED table (true counts of suppressed cells) to
   * `<out>/intern/` for internal use only; marked as such in file and manifest.
   */
  unmaskedInternal?: boolean;
  /** Chart files to render into `<out>/charts/` (default: vl.json + svg; [] = no charts). */
  charts?: readonly ChartFormat[];
  /** Reuse unchanged results of earlier runs from `<project>/.spm/cache/` (default true; see `OpenOptions.cache`). */
  cache?: boolean;
  /**
   * The output already in the folder (and spm's outputs elsewhere in the project folder) were never
   * published: replace it even when this run reaches a later year (otherwise such a run stops unless
   * those outputs are named as earlier releases; src/export/replaced-release.ts).
   */
  replaceUnpublished?: boolean;
  onProgress?: (e: ProgressEvent) => void;
}

export interface SourceSummary {
  source: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  /** Of the rejected rows: totals rows and rows of areas outside the project (not errors). */
  rows_totals: number;
  rows_outside_project: number;
  files: { file: string; read: DetectedReadOptions; rows_read: number; rows_loaded: number; rows_rejected: number }[];
}

export interface ComputeRunResult {
  project: string;
  synthetic: boolean;
  outDir: string;
  outputs: OutputFileInfo[];
  sources: SourceSummary[];
  /** Rows rejected with severity error (data lost for an area/year; affected values are flagged). */
  rejected: number;
  /** Totals rows ("Insgesamt", …) skipped as not being areas. */
  totalsRows: number;
  results: ComputeSummary;
  charts?: { files: number; rendered: number; errors: number };
  /** Goals (`ziele:`) by verdict, one per goal (a goal on several areas by its summary); absent without goals. */
  goals?: Partial<Record<GoalVerdict, number>>;
  /** With `sozialindex:` in spm.yaml: years and Sozialräume with an index (of all). */
  /**
   * Per index year: the areas ranked and the areas that exist in that year (`areas`; an area created or
   * dissolved by a boundary change counts only in its years, as in the Steckbrief); `level_label`: the
   * label of the index's level ("Sozialraum", "Stadtbezirk").
   */
  sozialindex?: { years: number[]; ranked: number[]; areas: number[]; level_label: string };
  issues: Issue[];
  timings_ms: Record<'config' | 'ingest' | 'compile' | 'compute' | 'export' | 'charts' | 'total', number>;
  /** Wall and CPU time per step in run order, with German names (`spm compute --verbose`). */
  stages: StageTiming[];
}

export function summarizeSources(loaded: LoadedTables): SourceSummary[] {
  return [...loaded.sources.values()].map((s) => summarizeAccounting(s.accounting));
}

function summarizeAccounting(a: SourceAccounting): SourceSummary {
  return {
    source: a.source,
    rows_read: a.rows_read,
    rows_loaded: a.rows_loaded,
    rows_rejected: a.rows_rejected,
    rows_totals: a.rows_totals ?? 0,
    rows_outside_project: a.rows_outside_project ?? 0,
    files: a.files.map((f) => ({
      file: f.file,
      read: f.read,
      rows_read: f.rows_read,
      rows_loaded: f.rows_loaded,
      rows_rejected: f.rows_rejected,
    })),
  };
}

export function resolveOutDir(project: Project, out?: string): string {
  // --out is named by the user on the command line; the default stays inside the project.
  return out !== undefined ? path.resolve(out) : defaultOutDir(project);
}

/**
 * Errors in the inputs (an empty or header-only source, a missing column …) stop
 * a run before anything is written, the same verdict as `spm validate` (exit 1):
 * figures computed without those inputs would look complete and be wrong.
 */
export function refuseInputErrors(issues: readonly Issue[]): void {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) return;
  throw new UserError([
    ...errors,
    {
      severity: 'error',
      code: 'run.input_errors',
      message:
        'Die Eingabedaten enthalten Fehler (siehe oben); es wurde nichts geschrieben, frühere Ergebnisse bleiben unverändert. `spm validate` zeigt alle Befunde.',
    },
  ]);
}

/**
 * Replaces the last stage ("Berechnung", compile + compute) by the compute steps it ran
 * (`steps_ms` / `steps_cpu_ms`) and the rest of it: compiling the indicators and building the plan.
 */
function splitComputeStage(stages: StageTiming[], summary: ComputeSummary): void {
  const all = stages.pop();
  if (!all) return;
  const steps = (Object.keys(STAGE_LABELS) as PlanStage[]).map((k) => ({
    stage: STAGE_LABELS[k],
    wallMs: summary.steps_ms[k],
    cpuMs: summary.steps_cpu_ms[k],
  }));
  const sum = (f: (t: StageTiming) => number) => steps.reduce((a, t) => a + f(t), 0);
  stages.push(
    {
      stage: 'Plan',
      wallMs: Math.max(0, all.wallMs - sum((t) => t.wallMs)),
      cpuMs: Math.max(0, all.cpuMs - sum((t) => t.cpuMs)),
    },
    ...steps,
  );
}

export const DEFAULT_CHART_FORMATS: readonly ChartFormat[] = ['vl.json', 'svg'];

export async function computeRun(source: ProjectSource, options: ComputeRunOptions = {}): Promise<ComputeRunResult> {
  const t0 = performance.now();
  const clock = new Stopwatch();
  const timings = { config: 0, ingest: 0, compile: 0, compute: 0, export: 0, charts: 0, total: 0 };
  const emit = options.onProgress ?? (() => {});
  const stages = progressStages(emit);
  emit({ stage: 'config' });
  // 1. open, then lock the output folder against a concurrent run
  const spm0 = await Spm.open(source, {
    ...(options.db ? { db: options.db } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
    ...scratchFor(options.out),
    cache: options.cache ?? true,
  });
  const outDir = resolveOutDir(spm0.project, options.out);
  let lock: ReturnType<typeof acquireLock>;
  try {
    assertSafeOutDir(spm0.project, outDir);
    makeDir(outDir);
    lock = acquireLock(outDir);
  } catch (e) {
    spm0.close();
    throw e;
  }
  await using spm = spm0;
  try {
    let t = performance.now();
    timings.config = t - t0;
    clock.lap('Konfiguration');
    // 2. load
    const loaded = await spm.load({ onProgress: stages.load });
    refuseInputErrors(spm.issues);
    const differ = await totalsDifferIssue(spm.connection, spm.project, loaded);
    if (differ) spm.issues.push(differ);
    // a new year would replace the release in the folder: decided before the work, not after it
    await refuseUnnamedRelease(spm.project, outDir, projectYears(loaded, spm.project), options.replaceUnpublished);
    timings.ingest = performance.now() - t;
    clock.lap('Laden');
    memoryDebug('ingest');
    t = performance.now();
    // 3. compile + compute
    emit({ stage: 'compile' });
    const summary = await spm.compute({
      ...(options.indicators ? { indicators: options.indicators } : {}),
      onProgress: stages.compute,
    });
    timings.compute = performance.now() - t;
    clock.lap('Berechnung');
    splitComputeStage(clock.stages, summary);
    t = performance.now();
    // 4. charts, staged; 5. export: tables and charts are moved in together
    const chartFormats = options.charts ?? DEFAULT_CHART_FORMATS;
    let charts: ChartsResult | undefined;
    let chartSet: StagedSet | undefined;
    let outputs: OutputFileInfo[];
    let sozialindex: Awaited<ReturnType<typeof stageSozialindex>>;
    try {
      if (chartFormats.length > 0) {
        // the chart and render modules are loaded only when charts are asked for
        const { stageProjectCharts } = await import('./charts-run.js');
        const { staged, ...r } = await stageProjectCharts(spm, outDir, {
          formats: chartFormats,
          onProgress: stages.charts,
        });
        chartSet = staged;
        charts = r;
        clock.lap('Diagramme');
      }
      // the Sozialindex (spm.yaml sozialindex:) from the published rows, staged beside the charts
      sozialindex = await stageSozialindex(spm, outDir, {
        formats: options.formats ?? ['csv', 'parquet'],
        charts: chartFormats,
        ...(options.indicators ? { indicators: options.indicators } : {}),
      });
      timings.charts = performance.now() - t;
      if (sozialindex) clock.lap('Sozialindex');
      t = performance.now();
      emit({ stage: 'export' });
      const staged = [...(chartSet ? [chartSet] : []), ...(sozialindex ? [sozialindex.staged] : [])];
      outputs = await spm.export(outDir, {
        formats: options.formats ?? ['csv', 'parquet'],
        unmaskedInternal: options.unmaskedInternal ?? false,
        ...(staged.length ? { staged } : {}),
        ...(options.replaceUnpublished ? { replaceUnpublished: true } : {}),
      });
    } finally {
      fs.rmSync(path.join(outDir, `.spm-tmp-${process.pid}-charts`), { recursive: true, force: true });
      fs.rmSync(path.join(outDir, `.spm-tmp-${process.pid}-sozialindex`), { recursive: true, force: true });
    }
    timings.export = performance.now() - t;
    clock.lap('Ausgabe');
    memoryDebug('export');
    emit({ stage: 'done' });
    const result: ComputeRunResult = {
      project: spm.project.config.name,
      synthetic: spm.project.config.synthetic,
      outDir,
      outputs,
      sources: summarizeSources(loaded),
      rejected: loaded.rejects.filter((r) => r.severity === 'error').length,
      totalsRows: loaded.rejects.filter((r) => r.code === 'total_row').length,
      results: summary,
      issues: spm.issues,
      timings_ms: timings,
      stages: clock.stages,
    };
    if (charts) result.charts = { files: charts.files, rendered: charts.rendered, errors: charts.errors.length };
    if (spm.project.goals?.length) {
      const goals: Partial<Record<GoalVerdict, number>> = {};
      for (const e of await spm.goals())
        if (e.teil === 'gruppe' || e.gruppe === null) goals[e.verdict] = (goals[e.verdict] ?? 0) + 1;
      result.goals = goals;
      clock.lap('Ziele');
    }
    if (sozialindex)
      result.sozialindex = {
        years: sozialindex.report.years.map((y) => y.year),
        ranked: sozialindex.report.years.map((y) => y.index.ranked),
        areas: sozialindex.report.years.map((y) => y.input.areas.length),
        level_label: projectHierarchy(spm.project.config).levels.at(-1)?.label ?? 'Sozialraum',
      };
    timings.total = performance.now() - t0;
    for (const k of Object.keys(timings) as (keyof typeof timings)[]) timings[k] = Math.round(timings[k]);
    return result;
  } finally {
    lock.release();
  }
}
