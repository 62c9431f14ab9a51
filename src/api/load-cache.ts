/**
 * A cache of the load stage (area list and sources -> DuckDB tables and their accounting) inside
 * the project folder (`<project>/.spm/cache/sources/`), so a planner who edits an indicator, a
 * label or a goal and runs again does not wait for every extract to be read, checked and
 * loaded again (the sample Kreis: about 0.7 s of a 3.5 s run).
 *
 * The key is a SHA-256 over everything the stage reads:
 * - the contents (SHA-256) and paths of every file it reads: the area list, the grouping files
 *   and every file of every source, after the source's patterns are expanded (a file added to
 *   a folder a pattern matches changes the key);
 * - the parts of spm.yaml it reads: `kreis`, `areas`, `sources`, `settings`, and the project
 *   folder;
 * - the code: every source file of spm (`src`, or `dist/src` when built: any change of spm
 *   misses), spm's, Node's, DuckDB's and the readers' versions, and this file's format.
 *
 * An entry is the tables the load created, one Parquet file each, and a manifest with the load's
 * result (accounting, rejected rows, issues) and each table's definition, row count and file
 * SHA-256. It is used only when the manifest names the same key and every check holds, the
 * restored tables' definitions included; anything else (a partial write, a changed byte, another
 * format) is a miss, and the stage runs as without cache. Only loads without errors are stored,
 * and only when every object they created is a table of the database's main schema whose columns
 * have types Parquet gives back exactly (text, whole numbers, doubles, booleans). Writes go
 * through private names and renames, the manifest last. (A DuckDB file instead of Parquet took
 * about 150 ms more to write for the sample Kreis, most of it the checkpoint on detach.)
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { LoadedTables } from '../ingest/types.js';
import { sourceFiles } from '../ingest/source.js';
import { escapesProject, insideRoot, resolveProjectPath } from '../ingest/paths.js';
import { sha256File, sha256Text } from '../util/hash.js';
import { listValue } from '../util/duckdb.js';
import { quoteIdent, sqlString } from '../util/sql.js';
import { pruneCache } from '../util/cache-prune.js';
import { spmVersion } from '../util/paths.js';
import { codeHash } from '../util/code-hash.js';

/** Bumped when the key or the stored form changes. */
const FORMAT = 1;

/** Entries kept per project (the newest by time of writing): each holds a copy of every source. */
const KEEP = 2;

interface StoredTable {
  name: string;
  /** DuckDB's own definition (`duckdb_tables().sql`), `CREATE TABLE name(...)`. */
  sql: string;
  rows: number;
  /** SHA-256 of its Parquet file. */
  sha256: string;
}

interface Stored {
  format: number;
  key: string;
  tables: StoredTable[];
  loaded: LoadedTables;
}

/** Column types a Parquet round trip gives back unchanged (every value, NULLs included). */
const EXACT_TYPES = new Set(['VARCHAR', 'INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN']);

export interface LoadCacheKey {
  key: string;
  /** Every source file (absolute), as the load would read them. */
  sourceFiles: string[];
  /** SHA-256 of every file the key covers (area list, groupings, sources). */
  sha256: string[];
}

let codeKey: string | undefined;

/** SHA-256 over spm's code (every .js/.ts file below src or dist/src) and the versions it runs on. */
function loadCodeHash(): string {
  return (codeKey ??= codeHash(
    new URL('../', import.meta.url),
    ['@duckdb/node-api', 'csv-parse', 'iconv-lite', 'read-excel-file', 'tinyglobby'],
    `spm ${spmVersion()}\u0000node ${process.version}\u0000format ${FORMAT}`,
  ));
}

/** A file the load reads by name from spm.yaml, only when it is plainly inside the project folder. */
function projectFile(root: string, p: string): string | undefined {
  if (escapesProject(p)) return undefined;
  const abs = resolveProjectPath(root, p);
  try {
    return insideRoot(fs.realpathSync(root), fs.realpathSync(abs)) ? abs : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cache key of loading this project as its files are now; undefined when the load would
 * stop with an error before reading (a pattern without files, a path outside the project):
 * the load runs without cache and reports it.
 */
export async function loadCacheKey(conn: DuckDBConnection, project: Project): Promise<LoadCacheKey | undefined> {
  try {
    const cfg = project.config;
    const named: string[] = [];
    for (const p of [cfg.areas.file, ...cfg.areas.groupings.map((g) => g.file)]) {
      const abs = projectFile(project.root, p);
      if (abs === undefined) return undefined;
      named.push(abs);
    }
    const lists: string[][] = [];
    for (let i = 0; i < cfg.sources.length; i++) lists.push(await sourceFiles(project, cfg.sources[i]!, i));
    const h = createHash('sha256');
    h.update(`spm-sources ${FORMAT}\u0000${loadCodeHash()}\u0000`);
    const v = await conn.runAndReadAll('SELECT version()');
    h.update(`duckdb ${String(v.getRowsJS()[0]?.[0])}\u0000`);
    h.update(
      JSON.stringify({
        root: project.root,
        kreis: cfg.kreis ?? null,
        areas: cfg.areas,
        sources: cfg.sources,
        settings: cfg.settings,
      }),
    );
    const sha256: string[] = [];
    for (const [k, list] of [named, ...lists].entries()) {
      h.update(`\u0000list ${k}`);
      for (const f of list) {
        const sha = await sha256File(f);
        sha256.push(sha);
        h.update(`\u0000${f}\u0000${sha}`);
      }
    }
    return { key: h.digest('hex'), sourceFiles: lists.flat(), sha256 };
  } catch {
    return undefined;
  }
}

const manifestFile = (dir: string, key: string): string => path.join(dir, `${key}.v8`);
const dataFile = (dir: string, key: string, i: number): string => path.join(dir, `${key}.${i}.parquet`);

/** Every object of the database (tables, views, sequences, macros in any schema) by kind and oid. */
export async function catalogObjects(conn: DuckDBConnection): Promise<Set<string>> {
  const r = await conn.runAndReadAll(
    `SELECT 't' || table_oid FROM duckdb_tables()
UNION ALL SELECT 'v' || view_oid FROM duckdb_views() WHERE NOT internal
UNION ALL SELECT 's' || sequence_oid FROM duckdb_sequences()
UNION ALL SELECT 'f' || function_oid FROM duckdb_functions() WHERE NOT internal
UNION ALL SELECT 'y' || type_oid FROM duckdb_types() WHERE NOT internal`,
  );
  return new Set((r.getRowsJS() as [string][]).map(([x]) => x));
}

function parseStored(bytes: Buffer, key: string): Stored | undefined {
  const s = v8.deserialize(bytes) as Partial<Stored> | undefined;
  if (s?.format !== FORMAT || s.key !== key || !Array.isArray(s.tables)) return undefined;
  for (const t of s.tables)
    if (
      typeof t?.name !== 'string' ||
      typeof t.sql !== 'string' ||
      typeof t.sha256 !== 'string' ||
      !Number.isInteger(t.rows)
    )
      return undefined;
  if (!s.loaded || !(s.loaded.sources instanceof Map) || !Array.isArray(s.loaded.rejects)) return undefined;
  return s as Stored;
}

/** Definition and row count of each table (one statement). */
async function tableFacts(conn: DuckDBConnection, names: readonly string[]): Promise<Map<string, [string, number]>> {
  const counts = names
    .map((n, i) => `SELECT ${i} AS i, count(*)::BIGINT AS n FROM ${quoteIdent(n)}`)
    .join(' UNION ALL ');
  const r = await conn.runAndReadAll(
    `SELECT t.table_name, t.sql, c.n FROM duckdb_tables() t JOIN (${counts}) c ON t.table_name = $1[c.i + 1]
WHERE t.database_name = current_database() AND t.schema_name = 'main' AND NOT t.temporary`,
    [listValue([...names])],
  );
  return new Map((r.getRowsJS() as [string, string, bigint][]).map(([name, sql, n]) => [name, [sql, Number(n)]]));
}

/**
 * The load's tables and result from the cache; undefined (and none of its tables left behind)
 * when there is no complete, matching entry.
 */
export async function restoreLoad(conn: DuckDBConnection, dir: string, key: string): Promise<LoadedTables | undefined> {
  let stored: Stored | undefined;
  try {
    stored = parseStored(fs.readFileSync(manifestFile(dir, key)), key);
    if (!stored) return undefined;
    for (const [i, t] of stored.tables.entries())
      if (sha256Text(fs.readFileSync(dataFile(dir, key, i))) !== t.sha256) return undefined;
  } catch {
    return undefined;
  }
  const created: string[] = [];
  try {
    for (const [i, t] of stored.tables.entries()) {
      created.push(t.name);
      await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(t.name)} AS SELECT * FROM read_parquet($1)`, [
        dataFile(dir, key, i),
      ]);
    }
    // the same definitions (names, column names and types in order) and row counts as when stored
    const facts = await tableFacts(
      conn,
      stored.tables.map((t) => t.name),
    );
    for (const t of stored.tables) {
      const [sql, rows] = facts.get(t.name) ?? ['', -1];
      if (sql !== t.sql || rows !== t.rows) throw new Error('changed');
    }
    return stored.loaded;
  } catch {
    for (const t of created) await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(t)}`).catch(() => undefined);
    return undefined;
  }
}

/**
 * Prepares an entry of the tables the load created (every object new since `before`) and its
 * result in `staging` (the run's private scratch folder); the function it returns moves the entry
 * into the cache folder `dir` (`Spm.commitCache`, after a successful run: a run that stops
 * leaves the project folder as it was). Prepares nothing (undefined) when the load had errors,
 * read other file contents than the key covers (a file changed while it ran), created anything
 * but tables of the main schema (or columns of other types than `EXACT_TYPES`), or its result
 * does not survive v8 serialisation unchanged. Never fails the run.
 */
export async function prepareLoad(
  conn: DuckDBConnection,
  staging: string,
  dir: string,
  key: LoadCacheKey,
  before: ReadonlySet<string>,
  loaded: LoadedTables,
): Promise<(() => void) | undefined> {
  if (loaded.issues.some((i) => i.severity === 'error')) return undefined;
  const read = [loaded.areas.accounting, ...[...loaded.sources.values()].map((s) => s.accounting)].flatMap((a) =>
    a.files.map((f) => f.sha256),
  );
  if (!isDeepStrictEqual([...read].sort(), [...key.sha256].sort())) return undefined;
  try {
    const now = await catalogObjects(conn);
    const added = [...now].filter((x) => !before.has(x));
    const r = await conn.runAndReadAll(
      `SELECT 't' || t.table_oid, t.table_name, bool_and(list_contains($1, c.data_type))
FROM duckdb_tables() t JOIN duckdb_columns() c ON c.table_oid = t.table_oid
WHERE t.database_name = current_database() AND t.schema_name = 'main' AND NOT t.temporary
GROUP BY ALL ORDER BY 1`,
      [listValue([...EXACT_TYPES])],
    );
    const tables = (r.getRowsJS() as [string, string, boolean][]).filter(([oid]) => !before.has(oid));
    if (tables.length === 0 || tables.length !== added.length || tables.some(([, , exact]) => !exact)) return undefined;
    const bytes = v8.serialize(loaded);
    if (!isDeepStrictEqual(v8.deserialize(bytes), loaded)) return undefined;
    const facts = await tableFacts(
      conn,
      tables.map(([, name]) => name),
    );
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    const stored: StoredTable[] = [];
    for (const [i, [, name]] of tables.entries()) {
      const [sql, rows] = facts.get(name) ?? ['', -1];
      if (rows < 0) return undefined;
      const file = dataFile(staging, key.key, i);
      await conn.run(`COPY ${quoteIdent(name)} TO ${sqlString(file)} (FORMAT parquet)`);
      stored.push({ name, sql, rows, sha256: sha256Text(fs.readFileSync(file)) });
    }
    const manifest: Stored = { format: FORMAT, key: key.key, tables: stored, loaded };
    fs.writeFileSync(manifestFile(staging, key.key), v8.serialize(manifest));
    // the data first, the manifest last
    const names = [
      ...stored.map((_, i) => path.basename(dataFile(dir, key.key, i))),
      path.basename(manifestFile(dir, key.key)),
    ];
    return () => commitFiles(staging, dir, names);
  } catch {
    // a cache that cannot be written (full disk) only costs time next run
    return undefined;
  }
}

/**
 * Moves the files `names` from `staging` into `dir` in their order, each under a private name
 * first (copied when the folders are on different file systems) and then renamed.
 */
function commitFiles(staging: string, dir: string, names: readonly string[]): void {
  const tag = `tmp-${process.pid}-${randomUUID()}`;
  const moving: string[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const name of names) {
      const tmp = path.join(dir, `${name}.${tag}`);
      moving.push(tmp);
      try {
        fs.renameSync(path.join(staging, name), tmp);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        fs.copyFileSync(path.join(staging, name), tmp);
      }
      fs.renameSync(tmp, path.join(dir, name));
    }
    pruneCache(dir, '.v8', KEEP);
  } catch {
    // a read-only project folder or a full disk: no entry (a manifest is only moved after its data)
  } finally {
    for (const f of moving) fs.rmSync(f, { force: true });
  }
}
