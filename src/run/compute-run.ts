/**
 * `spm compute` as a library call.
 *
 * project folder -> config -> ingest -> compile -> compute -> export
 *
 * 1. load and validate spm.yaml and the indicators
 * 2. open DuckDB and load the area list and every source (row accounting)
 * 3. compile each indicator to parameterised SQL
 * 4. compute cells, roll-ups, pooled windows and results
 * 5. write kennzahlen.csv / .parquet, abgewiesene_zeilen.csv, manifest.json atomically
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../config/project.js';
import { loadProject } from '../config/load-project.js';
import { compileProject } from '../compile/compile-indicator.js';
import { computeIndicators, type ComputeSummary } from '../compute/compute.js';
import { ingestProject } from '../ingest/index.js';
import type { LoadedTables, SourceAccounting, DetectedReadOptions } from '../ingest/types.js';
import { createPublishedView, PUBLISHED_SELECT } from '../export/published.js';
import { writeGermanCsv } from '../export/csv.js';
import { writeParquet } from '../export/parquet.js';
import { buildManifest, type OutputFileInfo } from '../export/manifest.js';
import { writeFileAtomic } from '../util/atomic.js';
import { sha256File } from '../util/hash.js';
import { resolveInProject } from '../util/paths.js';
import { UserError, type Issue } from '../util/issues.js';
import { openDatabase, type Database } from './database.js';
import { acquireLock } from './lock.js';

export type ProgressEvent =
  | { stage: 'config' | 'compile' | 'export' | 'done' }
  | { stage: 'ingest'; source: string; file: string; rows: number }
  | { stage: 'compute'; done: number; total: number; indicator: string };

export interface ComputeRunOptions {
  /** Output folder (default: `output` of spm.yaml, relative to the project). */
  out?: string;
  /** Keep the DuckDB database in this file instead of memory. */
  db?: string;
  /** Only these indicator ids. */
  indicators?: readonly string[];
  /** DuckDB worker threads. */
  threads?: number;
  onProgress?: (e: ProgressEvent) => void;
}

export interface SourceSummary {
  source: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
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
  issues: Issue[];
  timings_ms: Record<'config' | 'ingest' | 'compile' | 'compute' | 'export' | 'total', number>;
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
    files: a.files.map((f) => ({ file: f.file, read: f.read, rows_read: f.rows_read, rows_loaded: f.rows_loaded, rows_rejected: f.rows_rejected })),
  };
}

export function resolveOutDir(project: Project, out?: string): string {
  if (out !== undefined) return path.resolve(out); // named by the user on the command line
  const r = resolveInProject(project.root, project.config.output);
  if ('error' in r) throw new UserError({ severity: 'error', code: 'config.output', message: r.error, file: 'spm.yaml', path: 'output' });
  return r.abs;
}

export async function computeRun(dirOrProject: string | Project, options: ComputeRunOptions = {}): Promise<ComputeRunResult> {
  const t0 = performance.now();
  const timings = { config: 0, ingest: 0, compile: 0, compute: 0, export: 0, total: 0 };
  const emit = options.onProgress ?? (() => {});
  // 1. config
  emit({ stage: 'config' });
  const issues: Issue[] = [];
  let project: Project;
  if (typeof dirOrProject === 'string') {
    const r = loadProject(dirOrProject);
    project = r.project;
    issues.push(...r.issues);
  } else project = dirOrProject;
  const outDir = resolveOutDir(project, options.out);
  fs.mkdirSync(outDir, { recursive: true });
  const lock = acquireLock(outDir);
  const tmpDir = path.join(outDir, `.spm-tmp-${process.pid}`);
  let db: Database | undefined;
  let t = performance.now();
  timings.config = t - t0;
  try {
    if (options.db) fs.rmSync(path.resolve(options.db), { force: true });
    db = await openDatabase(options.db ? path.resolve(options.db) : undefined, options.threads);
    fs.mkdirSync(tmpDir, { recursive: true });
    // 2. ingest
    const loaded = await ingestProject(db.conn, project, {
      tmpDir,
      onProgress: (e) => emit({ stage: 'ingest', ...e }),
    });
    issues.push(...loaded.issues);
    timings.ingest = performance.now() - t;
    t = performance.now();
    // 3. compile
    emit({ stage: 'compile' });
    const compiled = compileProject(project, options.indicators);
    if (options.indicators) {
      const known = new Set(project.indicators.map((i) => i.def.id));
      const unknown = options.indicators.filter((id) => !known.has(id));
      if (unknown.length) throw new UserError(`Unbekannte Indikatoren: ${unknown.join(', ')}`);
    }
    timings.compile = performance.now() - t;
    t = performance.now();
    // 4. compute
    const summary = await computeIndicators(db.conn, project, loaded, compiled, {
      onProgress: (done, total, indicator) => emit({ stage: 'compute', done, total, indicator }),
    });
    timings.compute = performance.now() - t;
    t = performance.now();
    // 5. export
    emit({ stage: 'export' });
    const outputs = await writeOutputs(db, project, loaded, compiled, summary, outDir, issues);
    timings.export = performance.now() - t;
    timings.total = performance.now() - t0;
    emit({ stage: 'done' });
    return {
      project: project.config.name,
      synthetic: project.config.synthetic,
      outDir,
      outputs,
      sources: summarizeSources(loaded),
      rejected: loaded.rejects.filter((r) => r.severity === 'error').length,
      totalsRows: loaded.rejects.filter((r) => r.code === 'total_row').length,
      results: summary,
      issues,
      timings_ms: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])) as ComputeRunResult['timings_ms'],
    };
  } finally {
    db?.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
    lock.release();
  }
}

async function writeOutputs(
  db: Database,
  project: Project,
  loaded: LoadedTables,
  compiled: Parameters<typeof buildManifest>[0]['compiled'],
  summary: ComputeSummary,
  outDir: string,
  issues: Issue[],
): Promise<OutputFileInfo[]> {
  const conn = db.conn;
  await createPublishedView(conn, project.config.synthetic ? 'synthetische Beispieldaten' : null);
  const outputs: OutputFileInfo[] = [];
  const csv = path.join(outDir, 'kennzahlen.csv');
  const rows = await writeGermanCsv(conn, PUBLISHED_SELECT, csv);
  outputs.push({ file: 'kennzahlen.csv', sha256: await sha256File(csv), rows });
  const parquet = path.join(outDir, 'kennzahlen.parquet');
  await writeParquet(conn, PUBLISHED_SELECT, parquet);
  outputs.push({ file: 'kennzahlen.parquet', sha256: await sha256File(parquet), rows });
  const rejectsCsv = path.join(outDir, 'abgewiesene_zeilen.csv');
  const nRejects = await writeGermanCsv(
    conn,
    'SELECT source AS quelle, file AS datei, line AS zeile, "column" AS spalte, code, reason AS grund, severity AS schwere, area_id AS gebiet, year AS jahr FROM rejects ORDER BY source, file, line, code',
    rejectsCsv,
  );
  outputs.push({ file: 'abgewiesene_zeilen.csv', sha256: await sha256File(rejectsCsv), rows: nRejects });
  const configSha = project.configFile ? await sha256File(project.configFile) : undefined;
  const manifest = buildManifest({ project, ...(configSha ? { configSha256: configSha } : {}), loaded, compiled, summary, outputs, issues });
  const manifestFile = path.join(outDir, 'manifest.json');
  await writeFileAtomic(manifestFile, JSON.stringify(manifest, jsonReplacer, 2) + '\n');
  outputs.push({ file: 'manifest.json', sha256: await sha256File(manifestFile) });
  return outputs;
}

/** BigInt and DuckDB values in JSON. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && 'items' in value && Array.isArray((value as { items: unknown[] }).items)) {
    return (value as { items: unknown[] }).items;
  }
  return value;
}
