import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** An open DuckDB: in memory by default, a `.duckdb` file on request. */
export interface Database {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

export async function openDatabase(file?: string, threads?: number): Promise<Database> {
  const options: Record<string, string> = {};
  if (threads !== undefined) options.threads = String(threads);
  // No extension may be downloaded at run time: everything used ships in the npm package.
  options.autoinstall_known_extensions = 'false';
  options.autoload_known_extensions = 'false';
  const instance = await DuckDBInstance.create(file ?? ':memory:', options);
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
