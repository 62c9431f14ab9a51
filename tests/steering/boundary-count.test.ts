/**
 * The run summary's Sozialindex count after a boundary change: "35 von 65 Sozialräumen" counts the
 * areas of that year, as the Steckbrief and sozialindex.csv do, not every area the series ever had
 * (the sample with Coesfeld-Innenstadt renamed 05558012-01 -> 05558012-11 from 2024: neither code has
 * a 3-year window in 2024, so 65 of the 66 areas of 2024; before, the summary said 67).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeRun } from '../../src/run/compute-run.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-si-boundary-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Sozialindex count across a boundary change', () => {
  it('the summary counts the areas of the index year, like sozialindex.csv', async () => {
    fs.cpSync(sample, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
    const areas = path.join(dir, 'gebiete.csv');
    const old = fs
      .readFileSync(areas, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('05558012-01;')) as string;
    expect(old).toMatch(/;2015;$/);
    const renamed = `${old}2023\n${old.replace('05558012-01;', '05558012-11;').replace(';2015;', ';2024;')}`;
    fs.writeFileSync(areas, fs.readFileSync(areas, 'utf8').replace(old, renamed));
    const yaml = path.join(dir, 'spm.yaml');
    const anchor = '  read: { encoding: utf-8, delimiter: ";" }\n\nsources:';
    expect(fs.readFileSync(yaml, 'utf8')).toContain(anchor);
    fs.writeFileSync(
      yaml,
      fs
        .readFileSync(yaml, 'utf8')
        .replace(
          anchor,
          '  read: { encoding: utf-8, delimiter: ";" }\n  changes:\n    - { kind: rename, year: 2024, from: "05558012-01", to: "05558012-11" }\n\nsources:',
        ),
    );
    const r = await computeRun(dir, { charts: [], formats: ['csv'] });
    const rows = fs
      .readFileSync(path.join(dir, 'out', 'sozialindex', 'sozialindex.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(r.sozialindex?.years).toEqual([2024]);
    expect(r.sozialindex?.areas).toEqual([rows.length - 1]);
    expect(r.sozialindex?.areas).toEqual([65]);
    expect(fs.readFileSync(path.join(dir, 'out', 'sozialindex', 'steckbrief.md'), 'utf8')).toContain('von 65 Sozialr');
  }, 180_000);
});
