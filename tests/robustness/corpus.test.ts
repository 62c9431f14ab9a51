/**
 * The bad-input corpus (corpus.ts) through the library and the real CLI.
 *
 * Library: the exact error issues (code, file, line, column, YAML path), every
 * rejected row, the warnings and the loaded values. CLI (`spm validate`, and
 * `spm compute` where a case lists computed values): exit code 0 or 1 (never 2),
 * no stack trace, the places of the errors in the output, and the computed values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issue } from '../../src/util/issues.js';
import { CASES, type Case } from './corpus.js';
import {
  badInputsDir,
  buildProject,
  cleanupProjects,
  pool,
  readGermanCsv,
  runCli,
  runLib,
  STACK_RE,
  type CliResult,
} from './harness.js';

interface Prepared {
  dir: string;
  validate: Promise<CliResult>;
  compute?: Promise<CliResult>;
}

const prepared = new Map<string, Prepared>();

/** See Case.cli. */
const runsCli = (c: Case): boolean => c.cli ?? (c.name.startsWith('bad-inputs/') || (c.errors ?? []).length > 0);

beforeAll(() => {
  // start all CLI runs at once (at most 3 at a time); each test awaits its own
  const jobs: { c: Case; dir: string; resolve: (r: CliResult) => void; kind: 'validate' | 'compute' }[] = [];
  for (const c of CASES) {
    const dir = buildProject(c.spec);
    const p: Prepared = { dir, validate: Promise.resolve({ status: null, signal: null, stdout: '', stderr: '' }) };
    if (runsCli(c)) p.validate = new Promise((resolve) => jobs.push({ c, dir, resolve, kind: 'validate' }));
    if (c.compute) p.compute = new Promise((resolve) => jobs.push({ c, dir, resolve, kind: 'compute' }));
    prepared.set(c.name, p);
  }
  void pool(jobs, 3, async (j) => {
    const args =
      j.kind === 'validate'
        ? ['validate', j.dir, '--out', path.join(j.dir, 'out-validate')]
        : ['compute', j.dir, '--quiet'];
    j.resolve(await runCli(args));
  });
});

afterAll(() => cleanupProjects());

const place = (i: Issue) => ({
  code: i.code,
  file: i.file,
  line: i.line,
  column: i.column,
  path: i.path,
});

describe('bad-input corpus', () => {
  it('has at least 40 cases and covers every file in tests/fixtures/bad-inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(CASES.filter(runsCli).length).toBeGreaterThanOrEqual(25);
    const files = fs.readdirSync(badInputsDir).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const f of files)
      expect(
        CASES.some((c) => c.name.startsWith(`bad-inputs/${f}`)),
        f,
      ).toBe(true);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const p = prepared.get(c.name)!;
      // --- library: exact outcome
      const lib = await runLib(p.dir, c.query ? [c.query.sql] : []);
      expect(lib.crash, String((lib.crash as Error | undefined)?.stack)).toBeUndefined();
      const expErrors = (c.errors ?? []).map((e) => ({
        code: e.code,
        file: e.file,
        line: e.line,
        column: e.column,
        path: e.path,
      }));
      expect(lib.errors.map(place)).toEqual(expErrors);
      (c.errors ?? []).forEach((e, i) => {
        if (e.message) expect(lib.errors[i]!.message).toMatch(e.message);
      });
      expect(lib.rejects.map((r) => [r.file, r.line, r.column ?? null, r.code, r.severity])).toEqual(c.rejects ?? []);
      for (const r of lib.rejects) expect(r.reason.length, 'reason is short').toBeLessThan(1000);
      // a project built without indicators (a loading case) says so once; the case's own warnings beside it
      const noIndicators = lib.warnings.filter((w) => w.code === 'config.no_indicators');
      expect(noIndicators.length).toBe(c.spec.indicators && Object.keys(c.spec.indicators).length === 0 ? 1 : 0);
      expect(
        lib.warnings.filter((w) => w.code !== 'config.no_indicators').map((w) => [w.code, w.file, w.line]),
      ).toEqual(c.warnings ?? []);
      if (c.query) expect(lib.rows?.[0]).toEqual(c.query.rows);

      // --- CLI validate: exit 0/1, no stack trace, errors named with file:line
      const failing = (c.errors ?? []).length > 0 || (c.rejects ?? []).some((r) => r[4] === 'error');
      if (runsCli(c)) {
        const v = await p.validate;
        const all = v.stdout + v.stderr;
        expect(v.stderr).not.toMatch(STACK_RE);
        expect(all).not.toMatch(/Interner Fehler/);
        expect(v.status, all).toBe(failing ? 1 : 0);
        for (const e of c.errors ?? [])
          expect(all).toContain(
            e.file !== undefined && e.line !== undefined ? `${e.file}:${e.line}` : (e.file ?? e.code),
          );
        for (const r of (c.rejects ?? []).filter((x) => x[4] === 'error')) expect(all).toContain(`${r[0]}:${r[1]}`);
      }

      // --- CLI compute: the computed values (never exit 0 with a wrong value)
      if (c.compute) {
        const r = await p.compute!;
        expect(r.stderr).not.toMatch(STACK_RE);
        expect(r.status, r.stderr).toBe(0);
        const rows = readGermanCsv(path.join(p.dir, 'out', 'kennzahlen.csv')).filter(
          (x) => x.indicator_id === 'quote' && x.pool_years === '1',
        );
        for (const [area, year, status, num, den, value] of c.compute) {
          const row = rows.find((x) => x.area_id === area && x.year === year);
          expect(row, `${area} ${year}`).toBeDefined();
          expect([row!.status, row!.numerator, row!.denominator], `${area} ${year}`).toEqual([status, num, den]);
          if (value === '') expect(row!.value).toBe('');
          else expect(Number(String(row!.value).replace(',', '.'))).toBeCloseTo(value, 12);
        }
      }
    }, 120_000);
  }
});
