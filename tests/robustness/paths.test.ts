/**
 * Paths: files outside the project folder only when the user names an absolute
 * path; `..` is refused in `files:` globs, `areas.file`, `indicators:` and
 * `output:` (with spm.yaml and the line); a compute run writes only under the
 * output folder (nothing else in the project folder or the working directory).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { areaCsv, buildProject, cleanupProjects, runCli, runLib, snapshotDir, STACK_RE } from './harness.js';

afterAll(() => cleanupProjects());

const DATA = 'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;41;1830\n';

describe('paths in spm.yaml', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-outside-'));
  fs.writeFileSync(path.join(outside, 'data.csv'), DATA);
  fs.writeFileSync(path.join(outside, 'gebiete.csv'), areaCsv());
  afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

  const refused: [string, (c: Record<string, unknown>) => void, string, string, number][] = [
    [
      'files: ../x.csv',
      (c) => ((c.sources as Record<string, unknown>[])[0]!.files = '../x/data.csv'),
      'config.path_escapes',
      'sources[0].files',
      10,
    ],
    [
      'files: a glob with ".." inside braces',
      (c) => ((c.sources as Record<string, unknown>[])[0]!.files = '{../x,daten}/*.csv'),
      'config.path_escapes',
      'sources[0].files',
      10,
    ],
    [
      'files: list with daten/../../x.csv',
      (c) => ((c.sources as Record<string, unknown>[])[0]!.files = ['daten/data.csv', 'daten/../../x/data.csv']),
      'config.path_escapes',
      'sources[0].files[1]',
      12,
    ],
    [
      'areas.file: ../gebiete.csv',
      (c) => ((c.areas as Record<string, unknown>).file = '../gebiete.csv'),
      'config.path_escapes',
      'areas.file',
      6,
    ],
    ['indicators: [../ind]', (c) => (c.indicators = ['../ind']), 'config.path', 'indicators[0]', 28],
    ['output: ../out', (c) => (c.output = '../out'), 'config.path_escapes', 'output', 29],
  ];
  for (const [name, patch, code, at, line] of refused) {
    it(`refused: ${name}`, async () => {
      const dir = buildProject({ files: { 'daten/data.csv': DATA }, patch });
      const lib = await runLib(dir);
      expect(lib.crash).toBeUndefined();
      expect(
        lib.errors.map((e) => [e.code, e.file, e.line, e.path]),
        lib.errors[0]?.message,
      ).toEqual([[code, 'spm.yaml', line, at]]);
      expect(lib.errors[0]!.message).toContain('..');
    });
  }

  it('refused through the CLI: exit 1, spm.yaml:line named, nothing written outside', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA }, patch: (c) => (c.output = '../spm-out-escape') });
    const r = await runCli(['compute', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toContain('spm.yaml:29');
    expect(fs.existsSync(path.join(dir, '..', 'spm-out-escape'))).toBe(false);
  }, 60_000);

  it('absolute paths named by the user may lie outside (files and areas.file)', async () => {
    const dir = buildProject({
      patch: (c) => {
        (c.sources as Record<string, unknown>[])[0]!.files = path.join(outside, 'data.csv');
        (c.areas as Record<string, unknown>).file = path.join(outside, 'gebiete.csv');
      },
    });
    const lib = await runLib(dir, ['SELECT _file, area_id, zaehler FROM src_s']);
    expect(lib.errors).toEqual([]);
    expect(lib.rows![0]).toEqual([
      { _file: path.join(outside, 'data.csv').split(path.sep).join('/'), area_id: '05558012-01', zaehler: 41 },
    ]);
  });
});

describe('a compute run writes only under the output folder', () => {
  it('project folder unchanged except out/ and the cache .spm/cache/, working directory untouched, no scratch left', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA } });
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-cwd-'));
    const before = snapshotDir(dir);
    const r = await runCli(['compute', dir, '--quiet'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const after = snapshotDir(dir);
    const changed = [...after.keys()].filter(
      (k) => !k.startsWith('out/') && !k.startsWith('.spm/cache/') && !(before.get(k)?.equals(after.get(k)!) ?? false),
    );
    expect(changed).toEqual([]);
    // the protection result cache (README "Zwischenspeicher"), and nothing else of spm's
    expect([...after.keys()].filter((k) => k.startsWith('.spm/cache/masks/') && k.endsWith('.json'))).toHaveLength(1);
    expect([...before.keys()].filter((k) => !after.has(k))).toEqual([]);
    const out = fs.readdirSync(path.join(dir, 'out'));
    expect(out).toEqual(
      expect.arrayContaining(['abgewiesene_zeilen.csv', 'kennzahlen.csv', 'kennzahlen.parquet', 'manifest.json']),
    );
    // no scratch folder, temporary file or lock left behind
    expect(out.filter((f) => f.startsWith('.') && f !== '.spm-dateien.json')).toEqual([]);
    expect(fs.readdirSync(cwd)).toEqual([]);
    fs.rmSync(cwd, { recursive: true, force: true });
  }, 60_000);
});
