/**
 * The plan on the sample: every table a step produces has exactly the declared
 * columns (DESCRIBE after the step); the script `spm explain` prints for one
 * indicator runs in a fresh DuckDB over the sample's loaded tables and gives
 * compute's figures; the explained plan carries the suppression, statistics and
 * publish steps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spm, explainIndicator, explainText } from '../../src/index.js';
import { compileProject } from '../../src/compile/compile-indicator.js';
import type { Plan } from '../../src/compile/plan.js';
import { buildPlan } from '../../src/compute/build-plan.js';
import { computeIndicators } from '../../src/compute/compute.js';
import { dataNoteOf, publishSteps } from '../../src/publish/published.js';
import type { LoadedTables } from '../../src/ingest/types.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
const IND = 'seu_adipositas';

let tmp: string;
let spm: Spm;
let loaded: LoadedTables;
let plan: Plan;
const declaredVsActual: { table: string; declared: string[]; actual: string[] }[] = [];

async function columnsOf(conn: DuckDBConnection, table: string): Promise<string[]> {
  const r = await conn.runAndReadAll(`DESCRIBE ${table}`);
  return r.getRowObjectsJS().map((x) => `${x.column_name} ${x.column_type}`);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-plan-'));
  spm = await Spm.open(sample, { scratchDir: path.join(tmp, 'scratch') });
  loaded = await spm.load();
  const conn = spm.connection;
  // the loaded tables, for a fresh DuckDB to run the printed script over
  const tables = await conn.runAndReadAll(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  for (const r of tables.getRowObjectsJS()) {
    const t = String(r.table_name);
    await conn.run(`COPY (SELECT * FROM "${t}") TO '${path.join(tmp, `${t}.parquet`)}' (FORMAT parquet)`);
  }
  plan = buildPlan(spm.project, loaded, compileProject(spm.project), {
    publish: publishSteps(dataNoteOf(spm.project)),
  });
  await computeIndicators(conn, plan, {
    keepIntermediate: true,
    afterStep: async (s) => {
      if (!s.produces || declaredVsActual.some((d) => d.table === s.produces?.name)) return;
      declaredVsActual.push({
        table: s.produces.name,
        declared: s.produces.columns.map((c) => `${c.name} ${c.type}`),
        actual: await columnsOf(conn, s.produces.name),
      });
    },
  });
}, 300_000);

afterAll(() => {
  spm?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the plan of the sample', () => {
  it('declares exactly the columns of every table its steps produce', () => {
    const tables = declaredVsActual.map((d) => d.table);
    for (const t of ['spm_agg_seu', 'spm_mcells', 'spm_cells', 'spm_results', 'spm_masks', 'spm_ci', 'spm_stats'])
      expect(tables).toContain(t);
    expect(tables).toContain('spm_published');
    for (const d of declaredVsActual) expect(d.actual, d.table).toEqual(d.declared);
  });

  it('holds each result row once (#18): spm_stats is a view, spm_results and spm_ci keep only own figures', async () => {
    const kinds = (
      await spm.connection.runAndReadAll(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN ('spm_stats', 'spm_ci', 'spm_results')",
      )
    ).getRowObjectsJS();
    expect(Object.fromEntries(kinds.map((k) => [k.table_name, k.table_type]))).toEqual({
      spm_stats: 'VIEW',
      spm_ci: 'BASE TABLE',
      spm_results: 'BASE TABLE',
    });
    // per indicator or per area (title, unit, polarity, Ampel, area name …) is joined by the view, not copied per row
    for (const t of ['spm_results', 'spm_ci']) {
      const cols = (await columnsOf(spm.connection, t)).map((c) => c.split(' ')[0]);
      expect(cols.length, t).toBeLessThanOrEqual(25);
      for (const c of ['area_name', 'unit', 'polarity', 'ampel_mode', 'scale', 'version', 'parent_id'])
        expect(cols, `${t}.${c}`).not.toContain(c);
    }
  });

  it('has stable, unique step ids and real measure ids and years', () => {
    const ids = plan.steps.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(plan.years).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    const again = buildPlan(spm.project, loaded, compileProject(spm.project), {
      publish: publishSteps(dataNoteOf(spm.project)),
    });
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
  });

  it('explain lists the suppression, statistics, trend and publish steps of an indicator', () => {
    const e = explainIndicator(spm.project, IND, loaded);
    const ids = e.plan.steps.map((s) => s.id);
    for (const id of ['aggregate:seu', 'results', 'suppress', 'intervals', 'indicator_years', 'trends', 'comparisons'])
      expect(ids).toContain(id);
    expect(ids.at(-1)).toBe('publish');
    // only the steps the indicator depends on: no other source, no Poisson bounds for a proportion
    expect(ids).not.toContain('aggregate:bevoelkerung');
    expect(ids).not.toContain('poisson_lookup');
    expect(explainIndicator(spm.project, 'hze_eckwert', loaded).plan.steps.map((s) => s.id)).toContain(
      'poisson_lookup',
    );
    // the measure ids are those of the full run
    const num = e.plan.measureIds[e.indicator.numerator.key] as number;
    const cells = e.plan.steps.find((s) => s.id === `cells:${e.indicator.numerator.sourceId}`);
    expect(cells?.description).toContain(`Messgröße ${num} (Zähler von ${IND}`);
    expect(plan.measureIds[e.indicator.numerator.key]).toBe(num);
    const text = explainText(e);
    expect(text).toContain('[suppress]');
    expect(text).toContain('ACHTUNG');
    expect(text).not.toMatch(/\$\d/);
  });

  it("runs the printed script in a fresh DuckDB over the loaded tables and gives compute's figures", async () => {
    const text = explainText(explainIndicator(spm.project, IND, loaded));
    const db = await DuckDBInstance.create(':memory:');
    const fresh = await db.connect();
    try {
      for (const f of fs.readdirSync(tmp).filter((x) => x.endsWith('.parquet')))
        await fresh.run(
          `CREATE TABLE "${f.replace(/\.parquet$/, '')}" AS SELECT * FROM read_parquet('${path.join(tmp, f)}')`,
        );
      await fresh.run(text);
      const cols =
        'level, area_id, year, pool_years, status, numerator, denominator, value, ci_low, ci_high, ref_kreis_value, diff_kreis, sig_kreis, ref_kommune_value, diff_kommune, sig_kommune, prev_value, change_prev_abs, base_value, change_base_abs';
      const q = `SELECT ${cols} FROM spm_stats WHERE indicator_id = '${IND}' ORDER BY level, area_id, year, pool_years`;
      const mine = (await fresh.runAndReadAll(q)).getRowObjectsJS();
      const computed = (await spm.connection.runAndReadAll(q)).getRowObjectsJS();
      expect(mine.length).toBeGreaterThan(1000);
      expect(mine).toEqual(computed);
      // and the published figures of every unmasked row
      const pub = `SELECT level, area_id, year, pool_years, value, ci_low, ci_high FROM spm_published
        WHERE indicator_id = '${IND}' AND status <> 'masked' ORDER BY level, area_id, year, pool_years`;
      const published = (await spm.connection.runAndReadAll(pub)).getRowObjectsJS();
      const script = new Map(
        (await fresh.runAndReadAll(pub.replace("AND status <> 'masked'", '')))
          .getRowObjectsJS()
          .map((r) => [`${r.level}|${r.area_id}|${r.year}|${r.pool_years}`, r]),
      );
      expect(published.length).toBeGreaterThan(400);
      for (const r of published) expect(script.get(`${r.level}|${r.area_id}|${r.year}|${r.pool_years}`)).toEqual(r);
    } finally {
      fresh.closeSync();
      db.closeSync();
    }
  });
});
