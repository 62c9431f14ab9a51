import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** An open DuckDB: in memory by default, a `.duckdb` file on request. */
export interface Database {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  /** The database file, or undefined in memory. */
  file: string | undefined;
  close(): void;
}

export interface DatabaseOptions {
  threads?: number;
  /** DuckDB memory limit, e.g. "2GB" (default: DuckDB's 80 % of RAM); larger intermediates spill to `tempDir`. */
  memoryLimit?: string;
  /** Where DuckDB may spill; inside the run's own scratch folder, never the working directory. */
  tempDir?: string;
}


export async function openDatabase(file?: string, options: DatabaseOptions = {}): Promise<Database> {
  const config: Record<string, string> = {
    // No extension may be downloaded at run time: everything used ships in the npm package.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  // DuckDB's own default (80 % of RAM) unless the user sets a limit: with a low
  // limit, large NRW-sized runs spill heavily and some operators cannot spill at all.
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.tempDir !== undefined) config.temp_directory = options.tempDir;
  const instance = await DuckDBInstance.create(file ?? ':memory:', config);
  const conn = await instance.connect();
  return {
    instance,
    conn,
    file,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
