/** Test helpers: tiny projects in a temp dir and an in-memory DuckDB. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../../src/config/project.js';
import { ProjectFileSchema, type SourceInput } from '../../src/config/schema.js';
import { ingestProject } from '../../src/ingest/index.js';
import type { LoadedTables } from '../../src/ingest/types.js';
import { expect } from 'vitest';
import { takeSnapshot, withoutPaths, type PathEvent, type Snapshot } from './diff-helpers.js';
import { tempDir } from '../tmp-dirs.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The awkward-extracts corpus, kept in the repository (tests/fixtures/bad-inputs, README there). */
export const badInputs = path.join(repoRoot, 'tests', 'fixtures', 'bad-inputs');
// A missing corpus must fail every test that imports these helpers, never skip silently.
if (!fs.existsSync(path.join(badInputs, 'README.md'))) throw new Error(`Test-Fixture fehlt: ${badInputs}`);

export const KOMMUNEN: [string, string][] = [
  ['05558004', 'Ascheberg'],
  ['05558008', 'Billerbeck'],
  ['05558012', 'Coesfeld'],
  ['05558016', 'Dülmen'],
  ['05558020', 'Havixbeck'],
  ['05558024', 'Lüdinghausen'],
  ['05558028', 'Nordkirchen'],
  ['05558032', 'Nottuln'],
  ['05558036', 'Olfen'],
  ['05558040', 'Rosendahl'],
  ['05558044', 'Senden'],
];

export function areaCsv(): string {
  const lines = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name'];
  for (const [ags, name] of KOMMUNEN)
    for (const n of ['01', '02', '03']) lines.push(`${ags}-${n};${name} ${n};${ags};${name}`);
  return lines.join('\n') + '\n';
}

export interface TestProject {
  project: Project;
  root: string;
  tmpDir: string;
}

/** Creates a project folder with `files` (relative path -> content) and the given sources. */
export function makeProject(
  files: Record<string, string | Buffer>,
  sources: Partial<SourceInput>[],
  extra: { areas?: Record<string, unknown> } = {},
): TestProject {
  const root = tempDir('spm-ingest-');
  const all: Record<string, string | Buffer> = { 'gebiete.csv': areaCsv(), ...files };
  for (const [rel, content] of Object.entries(all)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  const config = ProjectFileSchema.parse({
    name: 'Test',
    kreis: { ags: '05558', name: 'Coesfeld' },
    areas: { file: 'gebiete.csv', ...(extra.areas ?? {}) },
    sources: sources.map((s, i) => ({
      id: `s${i}`,
      title: 'Testquelle',
      kind: 'aggregated',
      stichtag: '31.12.',
      owner: 'Test',
      ...s,
    })),
  });
  const tmpDir = path.join(root, '.spm-tmp');
  return { project: { root, config, indicators: [] }, root, tmpDir };
}

/** Copies a bad-input file into a project under `daten/`. */
export function badInput(name: string): Buffer {
  return fs.readFileSync(path.join(badInputs, name));
}

export async function withDb<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/**
 * Runs ingest on a test project and hands the tables plus a query helper to `fn`,
 * once per load path (the JS reader, then the default with the DuckDB fast path);
 * both must produce the same tables, rejects, issues and accounting.
 */
export async function ingest(
  tp: TestProject,
  fn: (r: LoadedTables, q: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<void>,
): Promise<void> {
  const snaps: Snapshot[] = [];
  for (const p of ['js', 'auto'] as const) {
    await withDb(async (conn) => {
      const paths: PathEvent[] = [];
      const r = await ingestProject(conn, tp.project, { tmpDir: tp.tmpDir, path: p, onPath: (e) => paths.push(e) });
      const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
      await fn(r, q);
      snaps.push(await takeSnapshot(conn, r, paths));
    });
  }
  if (process.env.SPM_SHOW_PATHS) console.log(snaps[1]!.paths);
  expect(withoutPaths(snaps[1]!)).toEqual(withoutPaths(snaps[0]!));
  fs.rmSync(tp.root, { recursive: true, force: true });
}

/** Rows of a query with BigInt converted to Number for easy comparison. */
export function plain(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}
