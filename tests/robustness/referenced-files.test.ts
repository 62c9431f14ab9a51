/**
 * Paths (issue 13): a symbolic link in the project that leads out of it is
 * refused unless `settings.allow_links_outside_project` allows it; `validate`
 * checks every file spm.yaml names (`geo:`, `land:`), and `compute` gives the
 * same verdict (exit 1, never an internal error). Through the real CLI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject, cleanupProjects, runCli, snapshotDir, STACK_RE } from './harness.js';

afterAll(() => cleanupProjects());

const DATA = 'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;41;1830\n05558012-02;2023;17;900\n';
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-secret-'));
afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));
const SECRET = 'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;GEHEIM;1\n';
fs.writeFileSync(path.join(outside, 'geheim.csv'), SECRET);

function expectSame(before: Map<string, Buffer>, after: Map<string, Buffer>): void {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [k, b] of before) expect(after.get(k)!.equals(b), k).toBe(true);
}

describe('symbolic links out of the project', () => {
  it('a source file linked to a file outside is refused: exit 1, nothing of it printed or written', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA }, sources: [{ files: 'daten/*.csv' }] });
    fs.symlinkSync(path.join(outside, 'geheim.csv'), path.join(dir, 'daten', 'x.csv'));
    const before = snapshotDir(dir);
    for (const cmd of ['validate', 'compute']) {
      const r = await runCli([cmd, dir, '--quiet'].filter((a) => cmd === 'compute' || a !== '--quiet'));
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(STACK_RE);
      expect(r.stderr).toContain('daten/x.csv ist ein Verweis (Symlink)');
      expect(r.stdout + r.stderr).not.toContain('GEHEIM');
    }
    expectSame(before, snapshotDir(dir));
  }, 60_000);

  it('a linked area list is refused too; the setting allows links explicitly', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA } });
    const areas = path.join(outside, 'gebiete.csv');
    fs.renameSync(path.join(dir, 'gebiete.csv'), areas);
    fs.symlinkSync(areas, path.join(dir, 'gebiete.csv'));
    const r = await runCli(['validate', dir]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('gebiete.csv ist ein Verweis (Symlink)');
    expect(r.stderr).toContain('areas.file');
    const yaml = fs
      .readFileSync(path.join(dir, 'spm.yaml'), 'utf8')
      .replace('settings:\n', 'settings:\n  allow_links_outside_project: true\n');
    fs.writeFileSync(path.join(dir, 'spm.yaml'), yaml);
    const ok = await runCli(['compute', dir, '--quiet', '--no-charts']);
    expect(ok.status, ok.stderr).toBe(0);
  }, 60_000);

  it('ziele.yaml, an indicator folder and an earlier release out of the project are refused, not read', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA } });
    fs.writeFileSync(path.join(outside, 'ziele.yaml'), 'ziele: [GEHEIM\n');
    fs.symlinkSync(path.join(outside, 'ziele.yaml'), path.join(dir, 'ziele.yaml'));
    const yaml = path.join(dir, 'spm.yaml');
    fs.appendFileSync(yaml, 'ziele: ziele.yaml\n');
    const goals = await runCli(['validate', dir]);
    expect(goals.status, goals.stderr).toBe(1);
    expect(goals.stderr).toContain('ziele.yaml ist ein Verweis (Symlink)');
    expect(goals.stdout + goals.stderr).not.toContain('GEHEIM');
    // an indicator folder linked out
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('ziele: ziele.yaml\n', ''));
    const ind = path.join(outside, 'ind');
    fs.mkdirSync(ind);
    fs.renameSync(path.join(dir, 'indicators'), path.join(ind, 'echt'));
    fs.symlinkSync(path.join(ind, 'echt'), path.join(dir, 'indicators'));
    const folder = await runCli(['validate', dir]);
    expect(folder.status, folder.stderr).toBe(1);
    expect(folder.stderr).toContain('indicators ist ein Verweis (Symlink)');
    // an earlier release named with ..
    fs.rmSync(path.join(dir, 'indicators'));
    fs.renameSync(path.join(ind, 'echt'), path.join(dir, 'indicators'));
    fs.writeFileSync(
      yaml,
      fs
        .readFileSync(yaml, 'utf8')
        .replace(/( +)min_count: 1\n/, '$1min_count: 1\n$1frueher_veroeffentlicht: [../alt/kennzahlen.parquet]\n'),
    );
    const earlier = await runCli(['validate', dir]);
    expect(earlier.status, earlier.stderr).toBe(1);
    expect(earlier.stderr).toContain('führt aus dem Projektordner heraus');
    expect(earlier.stderr).toContain('frueher_veroeffentlicht');
  }, 60_000);

  it('a link that stays inside the project is fine', async () => {
    const dir = buildProject({
      files: { 'daten/data.csv': DATA, 'archiv/echt.csv': DATA },
      sources: [{ files: 'daten/*.csv' }],
    });
    fs.rmSync(path.join(dir, 'daten', 'data.csv'));
    fs.symlinkSync(path.join(dir, 'archiv', 'echt.csv'), path.join(dir, 'daten', 'data.csv'));
    const r = await runCli(['compute', dir, '--quiet', '--no-charts']);
    expect(r.status, r.stderr).toBe(0);
  }, 60_000);
});

describe('files named in spm.yaml besides the sources', () => {
  const cases: [string, Record<string, string>, (c: Record<string, unknown>) => void, string][] = [
    ['land: missing file', {}, (c) => (c.land = { file: 'land/nrw.csv' }), 'Datei mit Landeswerten nicht gefunden'],
    [
      'land: a line that does not parse',
      { 'land/nrw.csv': 'indicator_id;year;value\nquote;2023;viel\n' },
      (c) => (c.land = { file: 'land/nrw.csv' }),
      'land/nrw.csv:2',
    ],
    ['land: a folder', { 'land/nrw.csv/x': '' }, (c) => (c.land = { file: 'land/nrw.csv' }), 'nicht lesbar'],
    ['geo: missing file', {}, (c) => (c.geo = { kommunen: 'geo/k.geojson' }), 'geo/k.geojson nicht gefunden'],
    [
      'geo: broken JSON',
      { 'geo/k.geojson': '{"type": "Feature' },
      (c) => (c.geo = { kommunen: 'geo/k.geojson' }),
      'kein gültiges JSON',
    ],
    [
      'geo: not a FeatureCollection',
      { 'geo/k.geojson': '[1, 2]' },
      (c) => (c.geo = { sozialraeume: 'geo/k.geojson' }),
      'keine GeoJSON-FeatureCollection',
    ],
  ];
  for (const [name, files, patch, msg] of cases) {
    it(`${name}: validate and compute both exit 1 with the file named`, async () => {
      const dir = buildProject({ files: { 'daten/data.csv': DATA, ...files }, patch });
      const before = snapshotDir(dir);
      for (const cmd of ['validate', 'compute']) {
        const r = await runCli([cmd, dir]);
        expect(r.status, `${cmd}: ${r.stderr}`).toBe(1);
        expect(r.stderr).not.toMatch(STACK_RE);
        expect(r.stderr).not.toContain('Interner Fehler');
        expect(r.stderr).toContain(msg);
      }
      expectSame(before, snapshotDir(dir));
    }, 60_000);
  }
});
