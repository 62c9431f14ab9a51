/** Parquet (typed columns) written by DuckDB itself. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../util/sql.js';
import { writeAtomic } from '../util/atomic.js';
import { bindable } from '../compute/params.js';

export async function writeParquet(conn: DuckDBConnection, select: string, file: string, params: unknown[] = []): Promise<void> {
  await writeAtomic(file, async (tmp) => {
    // COPY takes no parameter for its target, hence sqlString (see util/sql.ts).
    await conn.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`, bindable(params));
  });
}
