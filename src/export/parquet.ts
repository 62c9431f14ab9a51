/** Parquet (typed columns) written by DuckDB itself. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../util/sql.js';
import { writeAtomic } from '../util/atomic.js';
import { copiedRows, runSql } from './csv.js';

/** The options of every Parquet file spm writes. */
export const PARQUET_COPY_OPTIONS = 'FORMAT parquet, COMPRESSION zstd';

/**
 * @param metadata file-level key/value metadata (fixed texts of the published schema, no user input
 *   except the data note, all through `sqlString`)
 */
export async function writeParquet(
  conn: DuckDBConnection,
  select: string,
  file: string,
  params: unknown[] = [],
  metadata: Record<string, string> = {},
): Promise<number> {
  const kv = Object.entries(metadata).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`);
  const kvOption = kv.length ? `, KV_METADATA {${kv.join(', ')}}` : '';
  let rows = 0;
  await writeAtomic(file, async (tmp) => {
    // COPY takes no parameter for its target or its options, hence sqlString (see util/sql.ts).
    rows = copiedRows(
      await runSql(conn, `COPY (${select}) TO ${sqlString(tmp)} (${PARQUET_COPY_OPTIONS}${kvOption})`, params),
    );
  });
  return rows;
}
