/**
 * The benchmark's NRW generator and floor, on a tiny size: deterministic bytes, the same file
 * shapes as the sample project, accepted by spm with the standard Kennzahlenset, and a floor
 * that computes the same numerators and denominators as spm. No timings are asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  DEFAULT_SEED,
  ensureProject,
  FULL,
  generateNrw,
  KREIS_AGS,
  parseGenerateArgs,
  SMALL,
  X4,
  type BenchSize,
} from '../../bench/generate-nrw.js';
import { runFloor, type FloorResult } from '../../bench/floor.js';
import { checkAgainstFloor } from '../../bench/check.js';
import { computeRun, type ComputeRunResult } from '../../src/run/compute-run.js';
import { SAMPLE_DIR } from '../../data-samples/generate.js';

const TINY: BenchSize = { name: 'tiny', kommunen: 3, sozialraeume: 20, seuPerYear: 600 };
const FILES = [
  'gebiete.csv',
  'rohdaten/bevoelkerung_2015.csv',
  'rohdaten/bevoelkerung_2024.csv',
  'rohdaten/sgb2_sozialraeume.csv',
  'rohdaten/seu_microdata.csv',
  'rohdaten/hze_kommunen.csv',
  'rohdaten/kita_betreuung.csv',
  'rohdaten/fruehe_hilfen_willkommensbesuche.csv',
];

const tmp: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'spm-bench-'));
  tmp.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

/** First `n` lines of a file as raw bytes, with the line ending kind. */
function head(file: string, n: number): { lines: Buffer[]; crlf: boolean } {
  const b = readFileSync(file);
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < b.length && lines.length < n; i++) {
    if (b[i] === 0x0a) {
      lines.push(b.subarray(start, i));
      start = i + 1;
    }
  }
  return { lines, crlf: lines[0]?.at(-1) === 0x0d };
}

describe('bench/generate-nrw', () => {
  let dir: string;
  beforeAll(() => {
    dir = fresh();
    generateNrw(dir, TINY, 7);
  });

  it('writes the same bytes for the same seed and size, other bytes for another seed', () => {
    const again = fresh();
    generateNrw(again, TINY, 7);
    for (const f of [...FILES, 'spm.yaml'])
      expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
    const other = fresh();
    generateNrw(other, TINY, 8);
    expect(
      readFileSync(join(other, 'rohdaten/seu_microdata.csv')).equals(
        readFileSync(join(dir, 'rohdaten/seu_microdata.csv')),
      ),
    ).toBe(false);
  });

  it('has the headers, encodings and line endings of the sample project', () => {
    for (const f of FILES) {
      const ours = head(join(dir, f), 2);
      const sample = head(join(SAMPLE_DIR, f), 2);
      expect(ours.crlf, f).toBe(sample.crlf);
      // sgb2 starts with a title line naming the Kreis; its header is the second line
      const i = f.includes('sgb2') ? 1 : 0;
      expect(ours.lines[i]!.equals(sample.lines[i]!), f).toBe(true);
    }
    const areas = readFileSync(join(dir, 'gebiete.csv'), 'utf8').trim().split('\n').slice(1);
    expect(areas).toHaveLength(TINY.sozialraeume);
    for (const a of areas) expect(a.split(';')[2]!.startsWith(KREIS_AGS)).toBe(true);
    const kommunen = new Set(areas.map((a) => a.split(';')[2]));
    expect(kommunen.size).toBe(TINY.kommunen);
  });

  it('skips regeneration when the stamp matches and regenerates when a file changed', () => {
    const d = fresh();
    expect(ensureProject(d, TINY, 7).regenerated).toBe(true);
    expect(ensureProject(d, TINY, 7).regenerated).toBe(false);
    writeFileSync(join(d, 'rohdaten/hze_kommunen.csv'), 'kaputt');
    expect(ensureProject(d, TINY, 7).regenerated).toBe(true);
    expect(ensureProject(d, TINY, 9).regenerated).toBe(true);
  });

  describe('spm compute and the floor on the generated project', () => {
    let spm: ComputeRunResult;
    let floor: FloorResult;
    let out: string;
    beforeAll(async () => {
      out = fresh();
      spm = await computeRun(dir, { out: join(out, 'spm'), charts: [] });
      floor = await runFloor(dir, join(out, 'floor'));
    }, 120_000);

    it('loads every row except the Kita total lines, for all 25 standard indicators', () => {
      expect(spm.results.indicators).toBe(25);
      expect(spm.issues.filter((i) => i.severity === 'error')).toEqual([]);
      for (const s of spm.sources) {
        if (s.source === 'kita') expect(s.rows_rejected).toBe(TINY.kommunen * 10);
        else expect(s.rows_rejected, s.source).toBe(0);
        expect(floor.rows_read[s.source], s.source).toBe(s.rows_read);
      }
    });

    it('the floor computes the same numerators and denominators as spm where spm shows a value', async () => {
      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      const r = await conn.runAndReadAll(`
        SELECT count(*) AS n,
          count(*) FILTER (WHERE abs(s.numerator - f.numerator) > 1e-9 OR abs(s.denominator - f.denominator) > 1e-9) AS diff
        FROM read_parquet('${join(out, 'spm', 'kennzahlen.parquet')}') s
        JOIN read_parquet('${join(out, 'floor', 'kennzahlen.parquet')}') f USING (indicator_id, level, area_id, year, pool_years)
        WHERE s.status = 'ok'`);
      const [n, diff] = r.getRows()[0]!.map(Number);
      conn.closeSync();
      inst.closeSync();
      expect(n).toBeGreaterThan(1000);
      expect(diff).toBe(0);
    });

    it('the floor agrees with spm in every published column except where secondary suppression hides a value', async () => {
      const c = await checkAgainstFloor(
        join(out, 'spm', 'kennzahlen.parquet'),
        join(out, 'floor', 'kennzahlen.parquet'),
      );
      expect(c.rows_unmatched).toBe(0);
      expect(c.rows_spm).toBe(c.rows_floor);
      expect(c.examples).toEqual([]);
      expect(c.mismatches).toBe(0);
      expect(c.equal).toBeGreaterThan(c.compared / 2);
    });
  });
});

describe('generate-nrw command line', () => {
  it('takes the three sizes of the bench, and a seed and a folder', () => {
    expect(parseGenerateArgs([])).toEqual({ size: FULL, seed: DEFAULT_SEED, out: undefined, force: false });
    expect(parseGenerateArgs(['--small']).size).toBe(SMALL);
    expect(parseGenerateArgs(['--x4', '--seed', '7', '--out', 'x', '--force'])).toEqual({
      size: X4,
      seed: 7,
      out: resolve('x'),
      force: true,
    });
  });

  it('takes a Kreis of its own size, which needs all three figures and a folder', () => {
    const a = parseGenerateArgs([
      '--kommunen',
      '100',
      '--sozialraeume',
      '1250',
      '--seu-per-year',
      '40_000',
      '--out',
      'k',
    ]);
    expect(a.size).toEqual({ name: 'custom', kommunen: 100, sozialraeume: 1250, seuPerYear: 40_000 });
    expect(a.seed).toBe(DEFAULT_SEED);
    expect(a.out).toBe(resolve('k'));
    expect(() => parseGenerateArgs(['--kommunen', '10', '--sozialraeume', '100', '--seu-per-year', '900'])).toThrow(
      'braucht --out',
    );
    expect(() => parseGenerateArgs(['--kommunen', '10', '--sozialraeume', '100', '--out', 'k'])).toThrow(
      'braucht --kommunen, --sozialraeume und --seu-per-year',
    );
    expect(() =>
      parseGenerateArgs(['--small', '--kommunen', '10', '--sozialraeume', '100', '--seu-per-year', '9', '--out', 'k']),
    ).toThrow('schließen sich aus');
  });

  it('names the argument and the value it refuses', () => {
    expect(() => parseGenerateArgs(['--kommunen', '1000'])).toThrow(
      '--kommunen erwartet eine ganze Zahl von 1 bis 999, nicht „1000“',
    );
    expect(() => parseGenerateArgs(['--seed', 'abc'])).toThrow('--seed erwartet eine ganze Zahl ab 0, nicht „abc“');
    expect(() => parseGenerateArgs(['--seu-per-year'])).toThrow(
      '--seu-per-year erwartet eine ganze Zahl ab 1, es fehlt der Wert',
    );
    expect(() => parseGenerateArgs(['--seed', '1.5'])).toThrow('nicht „1.5“');
    expect(() => parseGenerateArgs(['--out'])).toThrow('--out erwartet einen Ordner');
    expect(() => parseGenerateArgs(['--gross'])).toThrow('unbekanntes Argument: --gross');
    expect(() =>
      parseGenerateArgs(['--kommunen', '10', '--sozialraeume', '31', '--seu-per-year', '9', '--out', 'k']),
    ).toThrow('31 Sozialräume passen nicht auf 10 Kommunen (4 bis 30 je Kommune)');
  });

  it('bench/run takes the same seeds: a negative one is refused there too, by name, without a stack trace', () => {
    const run = resolve(import.meta.dirname, '..', '..', 'bench', 'run.ts');
    // `--rounds 0` stops a bench/run that took the seed before it generates or measures anything
    const r = spawnSync(process.execPath, ['--import', 'tsx', run, '--seed', '-3', '--rounds', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('bench: --seed erwartet eine ganze Zahl ab 0, nicht „-3“');
  });

  it('writes a Kreis of its own size into the folder named', () => {
    const d = fresh();
    const a = parseGenerateArgs(['--kommunen', '4', '--sozialraeume', '21', '--seu-per-year', '700', '--out', d]);
    const r = ensureProject(a.out!, a.size, a.seed);
    expect([r.kommunen, r.sozialraeume]).toEqual([4, 21]);
    const rows = readFileSync(join(d, 'gebiete.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(21);
    expect(new Set(rows.map((l) => l.split(';')[2]))).toEqual(
      new Set(['001', '002', '003', '004'].map((k) => `${KREIS_AGS}${k}`)),
    );
  });
});
