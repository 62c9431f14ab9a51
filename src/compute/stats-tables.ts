/**
 * Lookup table the stats SQL joins: exact Poisson bounds for each distinct
 * count. DuckDB has no chi-square quantile function, so JS (src/stats, checked
 * against R) computes them once per distinct count instead of once per row.
 * The table is created by the plan (compute/plan-tables.ts `POISSON`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { garwoodTable } from '../stats/index.js';

export async function fillStatsLookups(conn: DuckDBConnection, confidence: number): Promise<void> {
  const distinct = await conn.runAndReadAll(
    `SELECT DISTINCT r.num_est FROM spm_results r JOIN spm_indicators i USING (indicator_id)
     WHERE NOT i.proportion AND r.num_est IS NOT NULL AND r.num_est >= 0 ORDER BY 1`,
  );
  const ks = (distinct.getColumnsJS()[0] ?? []) as number[];
  const poisson = await conn.createAppender('spm_poisson');
  for (const r of garwoodTable(ks, confidence)) {
    poisson.appendDouble(r.k);
    poisson.appendDouble(r.low);
    poisson.appendDouble(r.high);
    poisson.endRow();
  }
  poisson.flushSync();
  poisson.closeSync();
}
