/** The time-series comparison per Kommune (vergleich/*.csv, *.parquet) on the sample project. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { computeRun } from '../../src/run/compute-run.js';
import { loadProject } from '../../src/config/load-project.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
let out: string;
type Row = Record<string, unknown> & {
  kommune_ags: string;
  indicator_id: string;
  value: number | null;
  rank_kommunen: number | null;
  year: number;
};
let all: Row[];
let one: Row[];

async function read(file: string): Promise<Row[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const r = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
  const rows = r.getRowObjectsJS() as unknown as Row[];
  conn.closeSync();
  inst.closeSync();
  return rows;
}

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-vgl-'));
  await computeRun(sample, { out, charts: [] });
  all = await read(path.join(out, 'vergleich', 'vergleich_alle.parquet'));
  one = await read(path.join(out, 'vergleich', 'vergleich_05558016.parquet'));
}, 180_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('comparison per Kommune', () => {
  it('has one file per Kommune and one for all, every indicator once per Kommune', () => {
    const n = loadProject(sample).project.indicators.length;
    expect(all).toHaveLength(11 * n);
    expect(one).toHaveLength(n);
    expect(new Set(one.map((r) => r.kommune_ags))).toEqual(new Set(['05558016']));
    for (let k = 0; k < 11; k++)
      expect(fs.existsSync(path.join(out, 'vergleich', `vergleich_${all[k * n]?.kommune_ags}.csv`))).toBe(true);
    const csv = fs.readFileSync(path.join(out, 'vergleich', 'vergleich_05558016.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFkommune_ags;kommune;indicator_id')).toBe(true);
  });

  it('ranks the Kommunen by value, 1 = most favourable by polarity', () => {
    const polarity = new Map(loadProject(sample).project.indicators.map((i) => [i.def.id, i.def.polarity]));
    const by = new Map<string, Row[]>();
    for (const r of all) by.set(r.indicator_id, [...(by.get(r.indicator_id) ?? []), r]);
    for (const [id, rs] of by) {
      const ranked = rs
        .filter((r) => r.value !== null)
        .sort((a, b) => (a.rank_kommunen as number) - (b.rank_kommunen as number));
      for (let i = 1; i < ranked.length; i++) {
        const [prev, cur] = [ranked[i - 1]?.value as number, ranked[i]?.value as number];
        if (polarity.get(id) === 'worse') expect(cur).toBeGreaterThanOrEqual(prev);
        else expect(cur).toBeLessThanOrEqual(prev);
      }
      expect(rs.filter((r) => r.value === null).every((r) => r.rank_kommunen === null)).toBe(true);
    }
  });

  it('carries latest value with CI, changes, trend, Kreis comparison and Ampel', () => {
    const r = one.find((x) => x.indicator_id === 'sgb2_quote_unter_15') as Row;
    expect(r.year).toBe(2024);
    for (const c of [
      'value',
      'ci_low',
      'ci_high',
      'prev_value',
      'change_prev_abs',
      'base_value',
      'trend_slope',
      'kreis_value',
      'diff_kreis',
      'sig_kreis',
      'rank_kommunen',
      'ampel',
    ]) {
      expect(r[c], c).not.toBeNull();
    }
  });
});
