/**
 * Timing on a synthetic cell table (see nrw.ts). By default a quarter of NRW
 * (100 Kommunen, 1,250 Sozialräume, 10 years, 30 indicators over 40 measures,
 * 3-year windows) so that the suite stays quick; `SPM_PERF=nrw` runs the full
 * NRW size (396 Kommunen, 5,000 Sozialräume: ~5.8 million indicator cells,
 * ~3.9 million measure cells); `SPM_PERF_SPARSE=n` sets how many of the 30
 * numerators are very sparse (default 10). Logs wall and CPU time per step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { suppressCells } from '../../src/privacy/index.js';
import { createSyntheticNrw } from './nrw.js';

const full = process.env.SPM_PERF === 'nrw';

describe(`suppression pass on a synthetic ${full ? 'NRW' : 'quarter-NRW'} cell table`, () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  let cells = 0;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
    const t = performance.now();
    const sparse = process.env.SPM_PERF_SPARSE ? { sparse: Number(process.env.SPM_PERF_SPARSE) } : {};
    cells = (await createSyntheticNrw(conn, full ? sparse : { kommunen: 100, sozialraeume: 1250, ...sparse })).cells;
    console.log(`synthetic: ${cells} rows in spm_cells (${Math.round(performance.now() - t)} ms to build)`);
  }, 600_000);
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
  });

  const hash = async () =>
    (
      await conn.runAndReadAll(`SELECT md5(string_agg(k, ',' ORDER BY k)) AS h, COUNT(*)::INTEGER AS n
FROM (SELECT concat_ws('|', indicator_id, role, level, area_id, year, pool_years, reason) AS k FROM spm_masks)`)
    ).getRowObjectsJS();

  it('threshold 3: completes, protects everything, and is deterministic', async () => {
    const r = await suppressCells(conn, { threshold: 3 });
    console.log('threshold 3:', JSON.stringify({ ...r, ms: Math.round(r.ms), cpuMs: Math.round(r.cpuMs) }));
    expect(cells).toBeGreaterThan(full ? 5_000_000 : 1_000_000);
    expect(r.unresolved).toBe(0);
    expect(r.primary).toBeGreaterThan(0);
    expect(r.secondary).toBeGreaterThan(0);
    const a = await hash();
    await suppressCells(conn, { threshold: 3 });
    expect(await hash()).toEqual(a);
  }, 900_000);

  it('threshold 10', async () => {
    const r = await suppressCells(conn, { threshold: 10 });
    console.log('threshold 10:', JSON.stringify({ ...r, ms: Math.round(r.ms), cpuMs: Math.round(r.cpuMs) }));
    expect(r.unresolved).toBe(0);
  }, 900_000);
});
