import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** An open DuckDB: in memory by default, a `.duckdb` file on request. */
export interface Database {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

export interface DatabaseOptions {
  threads?: number;
  /** DuckDB memory limit, e.g. "1GB"; larger intermediate results spill to `tempDir`. */
  memoryLimit?: string;
  /** Where DuckDB may spill; inside the run's own scratch folder, never the working directory. */
  tempDir?: string;
}

/** Default memory limit: keeps an NRW-sized run well under 2 GiB of process memory. */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export async function openDatabase(file?: string, options: DatabaseOptions = {}): Promise<Database> {
  const config: Record<string, string> = {
    // No extension may be downloaded at run time: everything used ships in the npm package.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
  };
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.tempDir !== undefined) config.temp_directory = options.tempDir;
  const instance = await DuckDBInstance.create(file ?? ':memory:', config);
  const conn = await instance.connect();
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
