/**
 * Publication masks on the mini project with the default rule (counts 1 and 2
 * are not published): masked rows show no number, nothing derived from them is
 * published, and the unmasked internal export exists only on request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { computeRun } from '../../src/run/compute-run.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let project: string;
let out: string;
type Row = Record<string, unknown> & {
  indicator_id: string;
  level: string;
  area_id: string;
  year: number;
  pool_years: number;
  suppression: string | null;
  numerator: number | null;
  denominator: number | null;
};

async function readParquet(file: string): Promise<Row[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const r = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
  const rows = r.getRowObjectsJS() as unknown as Row[];
  conn.closeSync();
  inst.closeSync();
  return rows;
}

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-supp-'));
  fs.cpSync(mini, project, { recursive: true });
  const yaml = fs
    .readFileSync(path.join(project, 'spm.yaml'), 'utf8')
    .replace(/\n {2}suppression: \{ min_count: 1 \}\n/, '\n');
  fs.writeFileSync(path.join(project, 'spm.yaml'), yaml);
  out = path.join(project, 'out');
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('suppression in published outputs', () => {
  let rows: Row[];
  beforeAll(async () => {
    await computeRun(project, { out, charts: [] });
    rows = await readParquet(path.join(out, 'kennzahlen.parquet'));
  }, 60_000);

  it('masks counts of 1 and 2 and everything built from them', () => {
    // Übergewicht, Nord 2022: 1 of 2 children -> both counts are small
    const r = rows.find(
      (x) =>
        x.indicator_id === 'seu_uebergewicht' && x.area_id === '05558004-01' && x.year === 2022 && x.pool_years === 1,
    ) as Row;
    expect(r.suppression).toBe('gesperrt');
    expect(r.status).toBe('masked');
    for (const c of [
      'numerator',
      'denominator',
      'value',
      'ci_low',
      'ci_high',
      'diff_kreis',
      'sig_kreis',
      'change_prev_abs',
      'trend_slope',
    ])
      expect(r[c], c).toBeNull();
    expect(r.note).toBe('gesperrt: aus Datenschutzgründen nicht ausgewiesen');
  });

  it('publishes no count between 1 and 2 anywhere', () => {
    for (const r of rows) {
      for (const c of ['numerator', 'denominator'] as const) {
        const v = r[c];
        if (v !== null) expect(v === 0 || v >= 3, `${r.indicator_id} ${r.area_id} ${r.year} ${c}=${v}`).toBe(true);
      }
    }
  });

  it('adds complementary masks so no masked count follows from a published total', () => {
    // For every published total whose parts are published except exactly one masked part, the adversary would win.
    const key = (r: Row): string => `${r.indicator_id}|${r.year}|${r.pool_years}`;
    const groups = new Map<string, Row[]>();
    for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    for (const g of groups.values()) {
      for (const parent of g.filter((r) => r.level !== 'sozialraum')) {
        const children = g.filter((r) =>
          parent.level === 'kreis'
            ? r.level === 'kommune'
            : r.level === 'sozialraum' && r.kommune_ags === parent.area_id,
        );
        // an estimated total (contains source-suppressed cells) publishes no exact sum
        if (children.length === 0 || parent.numerator === null || parent.status === 'estimated') continue;
        const masked = children.filter((c) => c.numerator === null && c.suppression);
        expect(masked.length === 1, `${key(parent)} ${parent.area_id}`).toBe(false);
      }
    }
  });

  it('writes the unmasked internal table only on request, marked as such', async () => {
    expect(fs.existsSync(path.join(out, 'intern'))).toBe(false);
    const m1 = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(m1.suppression.unmasked_export).toBeNull();
    expect(m1.results.masked_rows).toBeGreaterThan(0);
    expect(m1.results.masked_cells).toBeUndefined();
    await computeRun(project, { out, unmaskedInternal: true, charts: [] });
    const internal = await readParquet(path.join(out, 'intern', 'kennzahlen_intern_unmaskiert.parquet'));
    const r = internal.find(
      (x) =>
        x.indicator_id === 'seu_uebergewicht' && x.area_id === '05558004-01' && x.year === 2022 && x.pool_years === 1,
    ) as Row;
    expect(r).toMatchObject({ numerator: 1, denominator: 2, masking: 'UNMASKIERT – nur für den internen Gebrauch' });
    const csv = fs.readFileSync(path.join(out, 'intern', 'kennzahlen_intern_unmaskiert.csv'), 'utf8');
    expect(csv).toContain('UNMASKIERT');
    const m2 = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(m2.suppression.unmasked_export).toMatch(/UNMASKIERTE/);
    // the published file stays masked
    const pub = await readParquet(path.join(out, 'kennzahlen.parquet'));
    expect(
      pub.find(
        (x) =>
          x.indicator_id === 'seu_uebergewicht' && x.area_id === '05558004-01' && x.year === 2022 && x.pool_years === 1,
      )?.numerator,
    ).toBeNull();
    // a later masked run removes the internal folder
    await computeRun(project, { out, charts: [] });
    expect(fs.existsSync(path.join(out, 'intern'))).toBe(false);
  }, 60_000);
});
