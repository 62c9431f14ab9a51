/** Differential testing of the two load paths: the same project loaded with `path: 'js'` and with the fast path. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Project } from '../../src/config/project.js';
import { ingestProject, type IngestOptions, type LoadedTables } from '../../src/ingest/index.js';

export interface PathEvent {
  source: string;
  file: string;
  path: 'js' | 'sql';
  why?: string;
  files?: number;
}

export interface Snapshot {
  tables: Record<string, unknown[]>;
  columns: Record<string, string[]>;
  rejectsTable: unknown[];
  result: Omit<LoadedTables, 'sources'> & { sources: unknown[] };
  paths: PathEvent[];
}

const norm = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return v;
};

/** Everything ingest produced: tables (sorted by file and line), rejects, issues, accounting. */
export async function takeSnapshot(conn: DuckDBConnection, r: LoadedTables, paths: PathEvent[]): Promise<Snapshot> {
  const tables: Record<string, unknown[]> = {};
  const columns: Record<string, string[]> = {};
  for (const [id, s] of r.sources) {
    const res = await conn.runAndReadAll(`SELECT * FROM "${s.table}" ORDER BY _file, _line`);
    tables[id] = res.getRowsJS().map((row) => row.map(norm));
    columns[id] = res.columnNames().map((n, i) => `${n}:${res.columnTypes()[i]!.toString()}`);
  }
  // published totals kept at load (spm_totals_<id>): both paths must keep the same rows
  for (const [id] of r.sources) {
    const t = await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE table_name = 'spm_totals_${id}'`);
    if (t.getRowsJS().length === 0) continue;
    const res = await conn.runAndReadAll(`SELECT * FROM "spm_totals_${id}" ORDER BY _file, _line`);
    tables[`totals:${id}`] = res.getRowsJS().map((row) => row.map(norm));
  }
  const rej = await conn.runAndReadAll('SELECT * FROM rejects');
  const extra = await conn.runAndReadAll(
    "SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL SELECT type_name FROM duckdb_types() WHERE type_name LIKE 'spm_fast%'",
  );
  if (extra.getRowsJS().length > 0)
    throw new Error('fast path left temp objects behind: ' + JSON.stringify(extra.getRowsJS()));
  return {
    tables,
    columns,
    rejectsTable: rej.getRowsJS().map((row) => row.map(norm)),
    result: { ...r, sources: [...r.sources.values()] },
    paths,
  };
}

/** Loads the project with one path into a fresh in-memory DuckDB. */
export async function snapshot(project: Project, tmpDir: string, path: IngestOptions['path']): Promise<Snapshot> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const paths: PathEvent[] = [];
    const r = await ingestProject(conn, project, { tmpDir, path, onPath: (e) => paths.push(e) });
    return await takeSnapshot(conn, r, paths);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

export function withoutPaths(s: Snapshot): Omit<Snapshot, 'paths'> {
  const { paths: _p, ...rest } = s;
  return rest;
}
