/**
 * Robustness test harness: small project folders generated from a description,
 * run through the library (exact issues, rejects and loaded values) and through
 * the real CLI in a child process (exit code, no stack trace, messages).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { stringify } from 'yaml';
import { loadProject } from '../../src/config/load-project.js';
import { ingestProject } from '../../src/ingest/index.js';
import type { RejectedRow } from '../../src/ingest/types.js';
import { UserError, type Issue } from '../../src/util/issues.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The awkward-extracts corpus, kept in the repository (tests/fixtures/bad-inputs, README there). */
export const badInputsDir = path.join(repoRoot, 'tests', 'fixtures', 'bad-inputs');
// A missing corpus must fail every test that imports the harness, never skip silently.
if (!fs.existsSync(path.join(badInputsDir, 'README.md'))) throw new Error(`Test-Fixture fehlt: ${badInputsDir}`);
export const cliMain = path.join(repoRoot, 'cli', 'main.ts');
const TSX_PREFLIGHT = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'preflight.cjs');
const TSX_LOADER = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export const KOMMUNEN: [string, string][] = [
  ['05558004', 'Ascheberg'],
  ['05558008', 'Billerbeck'],
  ['05558012', 'Coesfeld'],
  ['05558016', 'Dülmen'],
  ['05558020', 'Havixbeck'],
  ['05558024', 'Lüdinghausen'],
  ['05558028', 'Nordkirchen'],
  ['05558032', 'Nottuln'],
];

/** The default area list: three Sozialräume per Kommune (`<AGS>-01` … `-03`). */
export function areaCsv(extra: string[] = []): string {
  const lines = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis'];
  for (const [ags, name] of KOMMUNEN)
    for (const n of ['01', '02', '03']) lines.push(`${ags}-${n};${name} ${n};${ags};${name};;`);
  return [...lines, ...extra].join('\n') + '\n';
}

export function bad(name: string): Buffer {
  return fs.readFileSync(path.join(badInputsDir, name));
}

/** A source of the default project: canonical columns `zaehler` and `nenner` (counts). */
export interface SourceSpec {
  id?: string;
  files?: string | string[];
  kind?: 'aggregated' | 'microdata';
  area?: string;
  level?: 'sozialraum' | 'kommune';
  period?: string;
  periodKind?: 'kalenderjahr' | 'schuljahr';
  rule?: 'end_year' | 'start_year';
  /** Canonical name -> header (type count unless given as [header, type]). */
  columns?: Record<string, string | [string, string]>;
  read?: Record<string, unknown>;
}

export interface ProjectSpec {
  /** Files of the project (relative path -> content); `gebiete.csv` defaults to areaCsv(). */
  files?: Record<string, string | Buffer>;
  /** Sources (default: one aggregated source `s` over daten/data.csv). */
  sources?: SourceSpec[];
  /** Changes to the spm.yaml object before it is written. */
  patch?: (config: Record<string, unknown>) => void;
  /** spm.yaml verbatim (then `sources` and `patch` are ignored). */
  yaml?: string | Buffer;
  /** Indicator files (relative to indicators/); default: one percent indicator `quote` = zaehler / nenner. */
  indicators?: Record<string, string>;
}

export const QUOTE_INDICATOR = `id: quote
title: Quote
description: Zähler je 100 Nenner
family: jugendhilfe
lebensphase: uebergreifend
unit: percent
polarity: worse
numerator: { source: s, measure: sum, column: zaehler }
denominator: { source: s, measure: sum, column: nenner }
steckbrief:
  stichtag: "31.12."
  data_owner: Test
  numerator_source: Zähler
  denominator_source: Nenner
  definition: Test
  suppression: keine
`;

export function sourceConfig(s: SourceSpec, i: number): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [name, h] of Object.entries(s.columns ?? { zaehler: 'zaehler', nenner: 'nenner' }))
    columns[name] = Array.isArray(h) ? { header: h[0], type: h[1] } : { header: h, type: 'count' };
  return {
    id: s.id ?? (i === 0 ? 's' : `s${i}`),
    title: 'Testquelle',
    files: s.files ?? 'daten/data.csv',
    kind: s.kind ?? 'aggregated',
    ...(s.read ? { read: s.read } : {}),
    area: { column: s.area ?? 'sozialraum_id', level: s.level ?? 'sozialraum' },
    period:
      (s.periodKind ?? 'kalenderjahr') === 'schuljahr'
        ? { column: s.period ?? 'jahr', kind: 'schuljahr', schuljahr_rule: s.rule ?? 'end_year' }
        : { column: s.period ?? 'jahr', kind: 'kalenderjahr' },
    columns,
    stichtag: '31.12.',
    owner: 'Test',
  };
}

export function projectConfig(spec: ProjectSpec): Record<string, unknown> {
  const config: Record<string, unknown> = {
    name: 'Robustheitstest',
    kreis: { ags: '05558', name: 'Kreis Coesfeld' },
    areas: { file: 'gebiete.csv' },
    sources: (spec.sources ?? [{}]).map(sourceConfig),
    indicators: ['indicators'],
    output: 'out',
    settings: { min_denominator: 1, suppression: { min_count: 1 } },
  };
  spec.patch?.(config);
  return config;
}

const made: string[] = [];

/** Writes the project into a fresh temp folder and returns its path. */
export function buildProject(spec: ProjectSpec, prefix = 'spm-robust-'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(root);
  const files: Record<string, string | Buffer> = {
    'gebiete.csv': areaCsv(),
    'spm.yaml': spec.yaml ?? stringify(projectConfig(spec)),
    ...Object.fromEntries(
      Object.entries(spec.indicators ?? { 'quote.yaml': QUOTE_INDICATOR }).map(([k, v]) => [`indicators/${k}`, v]),
    ),
    ...spec.files,
  };
  fs.mkdirSync(path.join(root, 'indicators'), { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

export function cleanupProjects(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export interface LibOutcome {
  /** Error issues (thrown UserError or returned with severity error). */
  errors: Issue[];
  warnings: Issue[];
  rejects: RejectedRow[];
  /** Results of the queries, BigInt as Number; undefined if loading stopped. */
  rows?: Record<string, unknown>[][];
  /** Any exception that is not a UserError (a crash). */
  crash?: unknown;
}

/** loadProject + ingestProject on a fresh in-memory DuckDB, then the queries. */
export async function runLib(dir: string, queries: readonly string[] = []): Promise<LibOutcome> {
  const out: LibOutcome = { errors: [], warnings: [], rejects: [] };
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-robust-tmp-'));
  try {
    const { project, issues } = loadProject(dir);
    out.warnings.push(...issues.filter((i) => i.severity === 'warning'));
    const r = await ingestProject(conn, project, { tmpDir });
    out.errors.push(...r.issues.filter((i) => i.severity === 'error'));
    out.warnings.push(...r.issues.filter((i) => i.severity === 'warning'));
    out.rejects = r.rejects;
    out.rows = [];
    for (const q of queries) {
      const res = (await conn.runAndReadAll(q)).getRowObjectsJS() as Record<string, unknown>[];
      out.rows.push(
        res.map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
        ),
      );
    }
  } catch (e) {
    if (e instanceof UserError) out.errors.push(...e.issues.filter((i) => i.severity === 'error'));
    else out.crash = e;
  } finally {
    conn.closeSync();
    inst.closeSync();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return out;
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node --import tsx cli/main.ts ...args` (cwd: repo, so no stray files elsewhere), stdout and stderr piped. */
export function spawnCli(
  args: readonly string[],
  opts: { cwd?: string } = {},
): ChildProcessByStdio<null, Readable, Readable> {
  // tsx by absolute path, so any working directory works
  return spawn(process.execPath, ['--require', TSX_PREFLIGHT, '--import', TSX_LOADER, cliMain, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `node --import tsx cli/main.ts ...args` (cwd: repo, so no stray files elsewhere). */
export function runCli(args: readonly string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** A stack trace line on stderr (`    at foo (file:1:2)`). */
export const STACK_RE = /\n\s+at /;

/** Reads a German Excel CSV written by spm (BOM, `;`, CRLF, `"` quotes) into objects. */
export function readGermanCsv(file: string): Record<string, string>[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') q = false;
      else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ';') {
      rec.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      rec.push(field);
      records.push(rec);
      rec = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || rec.length > 0) {
    rec.push(field);
    records.push(rec);
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** Every file under `dir` (relative path -> bytes), recursively. */
export function snapshotDir(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), fs.readFileSync(abs));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** Every file below `dir` with its bytes' digest, sorted: equal listings mean nothing was written there. */
export function listing(dir: string): string {
  const digest = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
  return [...snapshotDir(dir)]
    .map(([f, b]) => `${f} ${digest(b)}`)
    .sort()
    .join('\n');
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
