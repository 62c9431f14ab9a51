import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '../util/duckdb.js';
import { UserError } from '../util/issues.js';
import { checkMemoryLimit } from '../util/memory-limit.js';

/** An open DuckDB: in memory by default, a `.duckdb` file on request. */
export interface Database {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  /** The database file, or undefined in memory. */
  file: string | undefined;
  close(): void;
}

/** DuckDB's memory limit when none is given: 1 GiB, or 80 % of RAM (DuckDB's default) on a machine with less. */
export function defaultMemoryLimit(totalMem: number = os.totalmem()): string {
  return `${Math.min(DEFAULT_MEMORY_LIMIT_BYTES, Math.floor(totalMem * 0.8))}b`;
}

/** 1 GiB: the largest tables of an NRW-sized run (millions of rows) spill beyond it, small projects never reach it. */
export const DEFAULT_MEMORY_LIMIT_BYTES = 2 ** 30;

/**
 * 3 GiB: DuckDB's limit while the published table's CSV and Parquet files are written, in runs
 * under the default limit (a user's --memory-limit stays in force) whose published table is
 * compressed in memory (publish/published.ts, PUBLISHED_CATALOG). DuckDB's ordered CSV writer keeps
 * fewer batches in flight the lower the limit, not the less memory there is: at NRW size (2 million
 * rows) the CSV took 9.2-10.3 s under 1 GiB, 7.4 s under 2 GiB and 5.1 s under 3 GiB, while the
 * process's peak RSS was 1,628 MiB (1,577-1,809 MiB under 1 GiB; measured 1 Dec 2026). Uncompressed,
 * the table itself was read into the larger buffer pool: peak RSS 2,582 MiB.
 */
export const EXPORT_WRITE_MEMORY_BYTES = 3 * 2 ** 30;

/** {@link EXPORT_WRITE_MEMORY_BYTES}, or 80 % of RAM on a machine with less. */
export function exportWriteMemoryBytes(totalMem: number = os.totalmem()): number {
  return Math.min(EXPORT_WRITE_MEMORY_BYTES, Math.floor(totalMem * 0.8));
}

/**
 * DuckDB's allocator (jemalloc) hands memory back to the system sooner than by default:
 * freed memory was kept in thread caches and dirty pages, so a run's RSS stood far above
 * what DuckDB's buffer manager counted (NRW: 1,534 MiB RSS with 555 MiB counted after the
 * aggregation). Measured at NRW size (`spm compute --no-charts`): peak RSS 1,941 and 2,098
 * MiB with DuckDB's defaults, 1,805 MiB with the lower thresholds alone, 1,658-1,750 MiB in
 * four runs with the background thread too; wall time 155-160 s in all, the sample Kreis
 * unchanged (1.9 s).
 */
export const ALLOCATOR_SETTINGS: Readonly<Record<string, string>> = {
  allocator_flush_threshold: '16MiB',
  allocator_bulk_deallocation_flush_threshold: '64MiB',
  allocator_background_threads: 'true',
};

export interface DatabaseOptions {
  threads?: number;
  /** DuckDB memory limit, e.g. "2GB" (default: {@link defaultMemoryLimit}); larger intermediates spill to `tempDir`. */
  memoryLimit?: string;
  /** Where DuckDB may spill; inside the run's own scratch folder, never the working directory. */
  tempDir?: string;
}

/** The table that marks a database file as spm's own (`--db`): spm never reuses or empties any other file. */
export const DB_MARK_TABLE = 'spm_datenbank';

function dbError(code: string, message: string): UserError {
  return new UserError({ severity: 'error', code, message });
}

/**
 * Refuses a `--db` file that is not a DuckDB database (checked by its header,
 * before DuckDB touches it): a CSV or any other file named by mistake stays as it is.
 */
function checkDatabaseFile(file: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const dir = path.dirname(file);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
      throw dbError(
        'db.folder',
        `--db ${file}: der Ordner ${dir} existiert nicht. Bitte einen vorhandenen Ordner angeben.`,
      );
    return false;
  }
  const foreign = (what: string) =>
    dbError(
      'db.foreign',
      `--db ${file}: ${what}. spm legt seine Datenbank nur in einer neuen Datei an oder verwendet eine, die es selbst angelegt hat; ` +
        'die Datei bleibt unverändert. Bitte einen neuen Dateinamen angeben (z. B. spm.duckdb).',
    );
  if (st.isDirectory()) throw foreign('ist ein Ordner');
  if (!st.isFile()) throw foreign('ist keine gewöhnliche Datei');
  const head = Buffer.alloc(12);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 12, 0);
  } finally {
    fs.closeSync(fd);
  }
  // DuckDB files carry the magic "DUCK" at byte 8
  if (head.subarray(8, 12).toString('latin1') !== 'DUCK') throw foreign('ist keine DuckDB-Datenbank');
  return true;
}

export async function openDatabase(file?: string, options: DatabaseOptions = {}): Promise<Database> {
  const config: Record<string, string> = {
    // No extension may be downloaded at run time: everything used ships in the npm package.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  // A bounded default instead of DuckDB's 80 % of RAM: every table and operator of a run
  // spills to `tempDir` beyond it (in-memory tables too), so an NRW-sized run stays within a
  // laptop's memory and 4x NRW completes; the user's --memory-limit replaces it.
  config.memory_limit =
    options.memoryLimit !== undefined ? checkMemoryLimit(options.memoryLimit) : defaultMemoryLimit();
  Object.assign(config, ALLOCATOR_SETTINGS);
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.tempDir !== undefined) config.temp_directory = options.tempDir;
  const existed = file !== undefined && checkDatabaseFile(file);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file ?? ':memory:', config);
  } catch (e) {
    const msg = (e as Error).message ?? '';
    // DuckDB holds a file lock for as long as a run has the database open
    if (file && /lock/i.test(msg)) {
      const pid = /PID (\d+)/.exec(msg)?.[1];
      throw dbError(
        'db.locked',
        `--db ${file} wird gerade von einem anderen spm-Lauf${pid ? ` (Prozess ${pid})` : ''} benutzt. ` +
          'Bitte warten, bis er fertig ist, oder eine andere Datei angeben.',
      );
    }
    if (file && existed)
      throw dbError(
        'db.foreign',
        `--db ${file} lässt sich nicht als DuckDB-Datenbank öffnen (${msg}); die Datei bleibt unverändert.`,
      );
    throw e;
  }
  const conn = await instance.connect();
  const close = (): void => {
    conn.closeSync();
    instance.closeSync();
  };
  if (file) {
    try {
      await prepareFile(conn, file, existed);
    } catch (e) {
      close();
      throw e;
    }
  }
  return { instance, conn, file, close };
}

export { bufferPoolLimit, limitSetting, withMemoryLimit } from '../util/memory-limit.js';

/**
 * A new file gets spm's mark; a marked file of an earlier run is emptied (its
 * tables are spm's own); an unmarked DuckDB file is someone else's and refused.
 */
async function prepareFile(conn: DuckDBConnection, file: string, existed: boolean): Promise<void> {
  const objects = (
    await conn.runAndReadAll(
      "SELECT table_name AS name, table_type AS kind FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main'",
    )
  ).getRowObjectsJS() as { name: string; kind: string }[];
  if (existed) {
    if (!objects.some((o) => o.name === DB_MARK_TABLE)) {
      throw dbError(
        'db.foreign',
        `--db ${file} ist eine DuckDB-Datenbank, die spm nicht angelegt hat; spm verändert sie nicht. Bitte einen neuen Dateinamen angeben.`,
      );
    }
    for (const o of objects) {
      if (o.name === DB_MARK_TABLE) continue;
      await conn.run(`DROP ${o.kind === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(o.name)} CASCADE`);
    }
    return;
  }
  await conn.run(`CREATE TABLE ${DB_MARK_TABLE} (key VARCHAR, value VARCHAR)`);
  await conn.run(`INSERT INTO ${DB_MARK_TABLE} VALUES ('angelegt_von', 'spm')`);
}

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
