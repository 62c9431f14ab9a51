/**
 * A yearly update into the folder that holds last year's release (src/export/replaced-release.ts):
 * the sample Kreis up to 2023, then up to 2024 into the same `out/`. Unless the 2023 release is
 * named as an earlier one or declared unpublished, the run (compute, export, report, charts) stops
 * before it writes anything,
 * because the two releases together would give protected counts away (lp-attack-releases.test.ts, "a yearly
 * update"). Runs over the same years are never stopped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/api/session.js';
import { computeRun } from '../../src/run/compute-run.js';
import { validateRun } from '../../src/run/validate-run.js';
import { manifestFolders, previousRelease, unnamedReleaseIssue } from '../../src/export/replaced-release.js';
import { loadProject } from '../../src/config/load-project.js';
import { UserError } from '../../src/util/issues.js';
import { listing, runCli, STACK_RE } from '../robustness/harness.js';
import { withDb } from '../ingest/helpers.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-replaced-release-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const RANGE = 'years: { from: 2015, to: 2024 }';

const original = new Map<string, string>();

/** The sample's spm.yaml with its years up to `to` and `extra` as the next line of settings. */
function setYears(project: string, to: number, extra = ''): void {
  const file = path.join(project, 'spm.yaml');
  if (!original.has(file)) original.set(file, fs.readFileSync(file, 'utf8'));
  const text = original.get(file) as string;
  const line = text.split('\n').find((l) => l.includes('years: { from: 2015, to: '));
  expect(line, 'the sample names its years in settings').toBeDefined();
  const indent = /^\s*/.exec(line as string)?.[0] ?? '';
  fs.writeFileSync(
    file,
    text.replace(line as string, `${indent}years: { from: 2015, to: ${to} }${extra ? `\n${indent}${extra}` : ''}`),
  );
}

async function refusal(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

describe('a run with a new year into the folder of an unnamed earlier release', () => {
  const project = path.join(tmp, 'kreis');
  const out = path.join(project, 'out');
  const named = path.join(tmp, 'named');
  let release2023 = '';

  it('stops before writing (CLI: exit 1, no stack trace), says what to do, and validate warns', async () => {
    fs.cpSync(sample, project, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
    expect(fs.readFileSync(path.join(project, 'spm.yaml'), 'utf8')).toContain(RANGE);
    setYears(project, 2023);
    await computeRun(project, { charts: [], formats: ['csv', 'parquet'] });
    expect(previousRelease(out)).toEqual({ lastYear: 2023, parquet: path.join(out, 'kennzahlen.parquet') });
    release2023 = listing(out);
    // the whole folder too, for the release kept in a folder of its own (below)
    fs.cpSync(out, path.join(tmp, 'release-2023'), { recursive: true });
    // the same release, kept for the project that names it (last test)
    fs.cpSync(sample, named, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
    fs.cpSync(out, path.join(named, 'out'), { recursive: true });

    setYears(project, 2024);
    const r = await runCli(['compute', project, '--no-charts', '--quiet']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toContain('liegt die Ausgabe eines früheren Laufs mit den Jahren bis 2023');
    expect(r.stderr).toContain('dieser Lauf reicht bis 2024');
    expect(r.stderr).toContain('frueher_veroeffentlicht: [veroeffentlicht/2023/kennzahlen.parquet]');
    expect(r.stderr).toContain('--replace-unpublished');
    expect(r.stderr).toContain('Es wurde nichts geschrieben.');
    // a report or charts of 2024 would be another release beside it: the same stop
    const report = await runCli(['report', project, '--quiet']);
    expect(report.status, report.stderr).toBe(1);
    expect(report.stderr).not.toMatch(STACK_RE);
    expect(report.stderr).toContain('dieser Bericht reicht bis 2024 und wäre eine weitere Veröffentlichung');
    const charts = await runCli(['charts', project, '--quiet', '--format', 'vl.json']);
    expect(charts.status, charts.stderr).toBe(1);
    expect(charts.stderr).toContain('diese Diagramme reichen bis 2024');
    // nothing written (no report folder either): the 2023 release is as it was, byte for byte
    expect(listing(out)).toBe(release2023);

    const v = await validateRun(project);
    expect(v.ok).toBe(true);
    const w = v.issues.find((i) => i.code === 'output.earlier_release');
    expect(w?.severity).toBe('warning');
    expect(w?.message).toMatch(/^spm compute hält an: /);
  }, 120_000);

  it('the library stops at export too, and writes with replaceUnpublished', async () => {
    await using spm = await Spm.open(project, { scratchDir: path.join(tmp, 'scratch') });
    await spm.load();
    await spm.compute();
    const e = await refusal(spm.export(out, { formats: ['parquet'] }));
    expect(e.issues[0]?.code).toBe('output.earlier_release');
    expect(listing(out)).toBe(release2023);
    // declared unpublished: replaced by the release up to 2024
    await spm.export(out, { formats: ['csv', 'parquet'], replaceUnpublished: true });
    expect(previousRelease(out)?.lastYear).toBe(2024);
    // the same years again (the edit-run loop): no decision needed
    await computeRun(project, { charts: [], formats: ['csv', 'parquet'] });
    expect(previousRelease(out)?.lastYear).toBe(2024);
  }, 120_000);

  it('goes ahead when the earlier release is named (a copy with the same bytes), and pins its counts', async () => {
    expect(listing(path.join(named, 'out'))).toBe(release2023);
    const keep = path.join(named, 'veroeffentlicht', '2023');
    fs.mkdirSync(keep, { recursive: true });
    fs.copyFileSync(path.join(named, 'out', 'kennzahlen.parquet'), path.join(keep, 'kennzahlen.parquet'));
    // another file named (not last year's release) is not enough
    const other = path.join(named, 'anders.parquet');
    fs.copyFileSync(path.join(named, 'out', 'kennzahlen.parquet'), other);
    fs.appendFileSync(other, Buffer.from([0]));
    setYears(named, 2024, 'suppression: { frueher_veroeffentlicht: [anders.parquet] }');
    const e = await refusal(computeRun(named, { charts: [], formats: ['parquet'] }));
    expect(e.issues[0]?.code).toBe('output.earlier_release');
    setYears(named, 2024, 'suppression: { frueher_veroeffentlicht: [veroeffentlicht/2023/kennzahlen.parquet] }');
    const r = await computeRun(named, { charts: [], formats: ['parquet'] });
    expect(r.results.masks?.earlier?.pinned ?? 0).toBeGreaterThan(0);
    expect(previousRelease(path.join(named, 'out'))?.lastYear).toBe(2024);
    // the manifest names the release the pass took as known, by its hash
    const manifest = JSON.parse(fs.readFileSync(path.join(named, 'out', 'manifest.json'), 'utf8'));
    const sha = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(keep, 'kennzahlen.parquet')))
      .digest('hex');
    expect(manifest.suppression.frueher_veroeffentlicht).toEqual([
      { file: 'veroeffentlicht/2023/kennzahlen.parquet', sha256: sha },
    ]);
    // and so does the Parquet file itself (its key/value metadata), which travels with every copy
    await withDb(async (conn) => {
      const kv = await conn.runAndReadAll(
        "SELECT decode(value) FROM parquet_kv_metadata($1) WHERE decode(key) = 'spm:frueher_veroeffentlicht'",
        [path.join(named, 'out', 'kennzahlen.parquet')],
      );
      expect(JSON.parse(String(kv.getRowsJS()[0]?.[0]))).toEqual(manifest.suppression.frueher_veroeffentlicht);
    });

    // next year the planner keeps the 2024 release and names it, but the 2023 release it was protected
    // against has gone to an archive the scan does not see: the run asks for it, and goes ahead with it
    const keep2024 = path.join(named, 'veroeffentlicht', '2024');
    fs.mkdirSync(keep2024, { recursive: true });
    fs.copyFileSync(path.join(named, 'out', 'kennzahlen.parquet'), path.join(keep2024, 'kennzahlen.parquet'));
    fs.renameSync(keep, path.join(named, '.archiv-2023'));
    setYears(named, 2024, 'suppression: { frueher_veroeffentlicht: [veroeffentlicht/2024/kennzahlen.parquet] }');
    const chain = await runCli(['compute', named, '--no-charts', '--quiet', '--format', 'parquet']);
    expect(chain.status, chain.stderr).toBe(1);
    expect(chain.stderr).not.toMatch(STACK_RE);
    expect(chain.stderr).toContain(
      `  - veroeffentlicht/2023/kennzahlen.parquet (SHA-256 ${sha.slice(0, 12)}…), als bekannt genommen von veroeffentlicht/2024/kennzahlen.parquet; an diesem Ort liegt sie nicht mehr`,
    );
    expect(chain.stderr).toContain(
      'frueher_veroeffentlicht: [veroeffentlicht/2024/kennzahlen.parquet, veroeffentlicht/2023/kennzahlen.parquet] } (Pfade dorthin anpassen',
    );
    const v = await validateRun(named);
    expect(v.issues.find((i) => i.code === 'earlier.chain')?.severity).toBe('error');
    setYears(
      named,
      2024,
      'suppression: { frueher_veroeffentlicht: [veroeffentlicht/2024/kennzahlen.parquet, .archiv-2023/kennzahlen.parquet] }',
    );
    const both = await computeRun(named, { charts: [], formats: ['parquet'] });
    expect(both.results.masks?.earlier?.files).toBe(2);
  }, 240_000);
});

describe('a run with a new year beside an unnamed earlier release in another folder of the project (--out ausgabe-2023)', () => {
  const project = path.join(tmp, 'ordner');

  it('stops before writing, names that folder, and goes ahead once it is named or declared unpublished', async () => {
    fs.cpSync(sample, project, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
    // last year's release in a folder of its own, as `spm compute --out ausgabe-2023` left it
    expect(fs.existsSync(path.join(tmp, 'release-2023', 'manifest.json')), 'kept by the first test').toBe(true);
    fs.cpSync(path.join(tmp, 'release-2023'), path.join(project, 'ausgabe-2023'), { recursive: true });
    setYears(project, 2024);
    const kept = listing(path.join(project, 'ausgabe-2023'));
    const r = await runCli(['compute', project, '--out', path.join(project, 'ausgabe-2024'), '--no-charts', '--quiet']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toContain(
      'Im Projektordner liegt in ausgabe-2023 die Ausgabe eines früheren Laufs mit den Jahren bis 2023; dieser Lauf reicht bis 2024. ',
    );
    expect(r.stderr).toContain('frueher_veroeffentlicht: [ausgabe-2023/kennzahlen.parquet]');
    expect(r.stderr).toContain('den Ordner löschen oder mit --replace-unpublished fortfahren');
    expect(r.stderr).toContain('Es wurde nichts geschrieben.');
    // the default output folder, a report: the same stop; nothing written anywhere in the project
    const plain = await runCli(['compute', project, '--no-charts', '--quiet']);
    expect(plain.status, plain.stderr).toBe(1);
    expect(plain.stderr).toContain('ausgabe-2023');
    const report = await runCli(['report', project, '--quiet']);
    expect(report.status, report.stderr).toBe(1);
    expect(report.stderr).toContain('dieser Bericht reicht bis 2024 und wäre eine weitere Veröffentlichung');
    expect(listing(path.join(project, 'ausgabe-2023'))).toBe(kept);
    expect(fs.existsSync(path.join(project, 'ausgabe-2024'))).toBe(false);
    expect(fs.existsSync(path.join(project, 'out'))).toBe(false);
    const v = await validateRun(project);
    expect(v.issues.find((i) => i.code === 'output.earlier_release')?.message).toContain('ausgabe-2023');

    const issue = async () =>
      unnamedReleaseIssue(loadProject(project).project, path.join(project, 'out'), [2015, 2024]);
    // a copy of the folder four folders deep is not looked into; one three folders deep is
    fs.mkdirSync(path.join(project, 'a', 'b', 'c'), { recursive: true });
    fs.renameSync(path.join(project, 'ausgabe-2023'), path.join(project, 'a', 'b', 'c', 'ausgabe-2023'));
    expect(await issue()).toBeUndefined();
    fs.renameSync(path.join(project, 'a', 'b', 'c', 'ausgabe-2023'), path.join(project, 'a', 'b', 'ausgabe-2023'));
    expect((await issue())?.message).toContain('a/b/ausgabe-2023');
    fs.renameSync(path.join(project, 'a', 'b', 'ausgabe-2023'), path.join(project, 'ausgabe-2023'));
    // two of them: both named in one message
    fs.cpSync(path.join(project, 'ausgabe-2023'), path.join(project, 'kopie'), { recursive: true });
    const two = (await issue())?.message ?? '';
    expect(two).toContain(
      'Im Projektordner liegen Ausgaben früherer Läufe: ausgabe-2023 (Jahre bis 2023), kopie (Jahre bis 2023)',
    );
    expect(two).toContain('frueher_veroeffentlicht: [ausgabe-2023/kennzahlen.parquet, kopie/kennzahlen.parquet]');
    fs.rmSync(path.join(project, 'kopie'), { recursive: true });
    // beside an older release in the output folder itself: one message, both to name
    fs.cpSync(path.join(tmp, 'release-2023'), path.join(project, 'out'), { recursive: true });
    const both = (await issue())?.message ?? '';
    expect(both).toContain(
      'Im Ausgabeordner out liegt die Ausgabe eines früheren Laufs mit den Jahren bis 2023, im Projektordner außerdem ausgabe-2023 (Jahre bis 2023); dieser Lauf reicht bis 2024 und würde sie ersetzen.',
    );
    expect(both).toContain(
      'frueher_veroeffentlicht: [veroeffentlicht/2023/kennzahlen.parquet, ausgabe-2023/kennzahlen.parquet]',
    );
    expect(both).toContain('2. nie veröffentlicht: mit --replace-unpublished fortfahren');
    fs.rmSync(path.join(project, 'out'), { recursive: true });
    // declared unpublished, or named: nothing stands against the run
    expect(
      await unnamedReleaseIssue(loadProject(project).project, path.join(project, 'out'), [2015, 2024], true),
    ).toBeUndefined();
    setYears(project, 2024, 'suppression: { frueher_veroeffentlicht: [ausgabe-2023/kennzahlen.parquet] }');
    expect(await issue()).toBeUndefined();
    // the same years as that release: no new release, no stop
    setYears(project, 2023);
    expect(
      await unnamedReleaseIssue(loadProject(project).project, path.join(project, 'out'), [2015, 2023]),
    ).toBeUndefined();
  }, 120_000);
});

describe('manifestFolders', () => {
  it('finds manifests up to three folders below the project, not in hidden folders, node_modules or links', () => {
    const root = path.join(tmp, 'scan');
    const put = (...p: string[]) => {
      fs.mkdirSync(path.join(root, ...p), { recursive: true });
      fs.writeFileSync(path.join(root, ...p, 'manifest.json'), '{}');
    };
    put('out');
    put('a', 'b', 'c');
    put('a', 'b', 'c', 'd');
    put('.spm', 'x');
    put('node_modules', 'y');
    fs.symlinkSync(path.join(root, 'out'), path.join(root, 'link'));
    expect(manifestFolders(root).map((d) => path.relative(root, d))).toEqual([path.join('a', 'b', 'c'), 'out']);
  });
});

describe('previousRelease', () => {
  const dir = path.join(tmp, 'manifests');
  const write = (m: unknown) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  };
  const base = {
    spm_version: '0.1.0',
    project: { settings: {} },
    sources: [{ years: [2019, 2021] }, { years: [2022] }],
    outputs: [{ file: 'kennzahlen.csv' }],
  };

  it('reads the last year of the sources, within the configured years, of a manifest of spm with a table', () => {
    fs.rmSync(dir, { recursive: true, force: true });
    expect(previousRelease(dir)).toBeUndefined();
    write(base);
    expect(previousRelease(dir)).toEqual({ lastYear: 2022 });
    write({ ...base, project: { settings: { years: { from: 2015, to: 2021 } } } });
    expect(previousRelease(dir)).toEqual({ lastYear: 2021 });
    // not spm's, no table of figures, no years, not JSON: no release
    write({ ...base, spm_version: undefined });
    expect(previousRelease(dir)).toBeUndefined();
    write({ ...base, outputs: [{ file: 'abgewiesene_zeilen.csv' }] });
    expect(previousRelease(dir)).toBeUndefined();
    write({ ...base, sources: [] });
    expect(previousRelease(dir)).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{');
    expect(previousRelease(dir)).toBeUndefined();
  });
});
