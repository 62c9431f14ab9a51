/**
 * Incremental charts (src/run/chart-cache.ts) on the mini project: a second run draws nothing
 * and leaves the files as they were (and spm's record of its files keeps them); a changed or
 * missing file or another spm version draws again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRun } from '../../src/run/compute-run.js';
import { CHART_CACHE_FILE } from '../../src/run/chart-cache.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let out: string;

function chartFiles(): Record<string, string> {
  const root = path.join(out, 'charts');
  const files: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(out, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return files;
}

// vl.json only: the cache logic is the same for every format, and no SVG rendering is needed
const run = (formats: ('vl.json' | 'svg')[] = ['vl.json']) =>
  computeRun(mini, { out, charts: formats, formats: ['csv'] });

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-chart-cache-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('incremental charts', () => {
  let first: Record<string, string>;
  let jobs = 0;

  it('the first run draws every chart and writes the cache', async () => {
    const r = await run();
    expect(r.charts?.errors).toBe(0);
    jobs = r.charts?.rendered ?? 0;
    expect(jobs).toBeGreaterThan(0);
    expect(r.charts?.files).toBe(jobs);
    first = chartFiles();
    expect(Object.keys(first)).toContain(CHART_CACHE_FILE);
  }, 120_000);

  it('a second run on the same data draws nothing and leaves the same files', async () => {
    const r = await run();
    expect(r.charts?.rendered).toBe(0);
    expect(r.charts?.files).toBe(jobs);
    expect(chartFiles()).toEqual(first);
    // the kept charts are still spm's own (a later run may replace or remove them)
    const owned = JSON.parse(fs.readFileSync(path.join(out, '.spm-dateien.json'), 'utf8')) as string[];
    for (const f of Object.keys(first)) expect(owned).toContain(f.split(path.sep).join('/'));
  }, 120_000);

  it('a changed and a missing file are drawn again, byte-identical to the first run', async () => {
    const specs = Object.keys(first)
      .filter((f) => f.endsWith('.vl.json'))
      .sort();
    fs.writeFileSync(path.join(out, specs[0]!), '{}');
    fs.rmSync(path.join(out, specs[1]!));
    const r = await run();
    expect(r.charts?.rendered).toBe(2);
    expect(chartFiles()).toEqual(first);
  }, 120_000);

  it('another spm version draws everything again, byte-identical', async () => {
    const cacheFile = path.join(out, CHART_CACHE_FILE);
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { spm: string };
    // the version with the renderer's code: the same version with another renderer draws everything too
    expect(cache.spm).toMatch(/^\d+\.\d+\.\d+.*\+[0-9a-f]{16}$/);
    fs.writeFileSync(cacheFile, JSON.stringify({ ...cache, spm: cache.spm.replace(/\+.*$/, '+0000000000000000') }));
    const r = await run();
    expect(r.charts?.rendered).toBe(jobs);
    expect(chartFiles()).toEqual(first);
  }, 120_000);
});
