/** An in-memory DuckDB connection for one test file's `describe` (opened before its tests, closed after). */
import { afterAll, beforeAll } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export function memoryConnection(): () => DuckDBConnection {
  let inst: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
  });
  afterAll(() => {
    conn?.closeSync();
    inst?.closeSync();
  });
  return () => {
    if (!conn) throw new Error('memoryConnection: used outside its describe block');
    return conn;
  };
}
