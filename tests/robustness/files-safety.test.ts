/**
 * No run harms the user's files (issue 13): `--db` never deletes or reuses a file
 * spm did not create, and a second run on the same database is refused; the
 * output folder is never the project, an input folder or `/`; spm replaces only
 * files it wrote itself; charts are staged and moved in with the tables; the
 * unmasked tables never appear below the public folder; stale staging of dead
 * runs is removed. Every case through the real CLI, files compared byte for byte.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject, cleanupProjects, cliMain, repoRoot, runCli, snapshotDir, STACK_RE } from './harness.js';

afterAll(() => cleanupProjects());

const DATA =
  'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;41;1830\n05558012-02;2023;17;900\n05558004-01;2023;12;700\n';

function project(patch?: (c: Record<string, unknown>) => void): string {
  return buildProject({ files: { 'daten/data.csv': DATA }, ...(patch ? { patch } : {}) });
}

function expectSame(before: Map<string, Buffer>, after: Map<string, Buffer>): void {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [k, b] of before) expect(after.get(k)!.equals(b), k).toBe(true);
}

function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

function spawnCli(args: string[]) {
  const preflight = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'preflight.cjs');
  const loader = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--require', preflight, '--import', loader, cliMain, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ status: number | null; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stderr })),
  );
  return { child, done };
}

async function waitFor(cond: () => boolean, ms = 60_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

function filesBelow(dir: string): string[] {
  return [...snapshotDir(dir).keys()];
}

describe('--db names a file', () => {
  it('an input CSV named as --db is refused and stays byte-identical', async () => {
    const dir = project();
    const before = snapshotDir(dir);
    const r = await runCli(['compute', dir, '--db', path.join(dir, 'daten', 'data.csv'), '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toContain('keine DuckDB-Datenbank');
    expect(r.stderr).toContain(path.join(dir, 'daten', 'data.csv'));
    expectSame(before, snapshotDir(dir));
  }, 60_000);

  it('a DuckDB database spm did not create is refused and stays byte-identical', async () => {
    const dir = project();
    const foreign = path.join(dir, 'fremd.duckdb');
    const inst = await DuckDBInstance.create(foreign);
    const conn = await inst.connect();
    await conn.run('CREATE TABLE wichtig AS SELECT 42 AS x');
    conn.closeSync();
    inst.closeSync();
    const before = snapshotDir(dir);
    const r = await runCli(['compute', dir, '--db', foreign, '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toContain('nicht angelegt');
    expectSame(before, snapshotDir(dir));
  }, 60_000);

  it('spm reuses its own database file; a folder as --db is refused', async () => {
    const dir = project();
    const db = path.join(os.tmpdir(), `spm-own-${process.pid}.duckdb`);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await runCli(['compute', dir, '--db', db, '--quiet', '--no-charts']);
        expect(r.status, r.stderr).toBe(0);
      }
      const r = await runCli(['compute', dir, '--db', path.join(dir, 'daten'), '--quiet']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('ist ein Ordner');
      expect(fs.readFileSync(path.join(dir, 'daten', 'data.csv'), 'utf8')).toBe(DATA);
    } finally {
      fs.rmSync(db, { force: true });
      fs.rmSync(db + '.wal', { force: true });
    }
  }, 90_000);

  it('two runs on one --db: the second is refused clearly, the first completes', async () => {
    const a = project();
    const b = project();
    const db = path.join(os.tmpdir(), `spm-shared-${process.pid}.duckdb`);
    try {
      const first = spawnCli(['compute', a, '--db', db, '--quiet']);
      expect(await waitFor(() => fs.existsSync(db))).toBe(true);
      const second = await runCli(['compute', b, '--db', db, '--quiet']);
      const one = await first.done;
      expect(one.status, one.stderr).toBe(0);
      expect(second.status).toBe(1);
      expect(second.stderr).not.toMatch(STACK_RE);
      expect(second.stderr).toContain('anderen spm-Lauf');
      expect(fs.existsSync(db)).toBe(true);
      expect(fs.existsSync(path.join(b, 'out', 'kennzahlen.csv'))).toBe(false);
    } finally {
      fs.rmSync(db, { force: true });
      fs.rmSync(db + '.wal', { force: true });
    }
  }, 120_000);
});

describe('the output folder', () => {
  const refused: [string, (dir: string) => string[], string][] = [
    ['output: . (the project folder)', () => [], 'ist der Projektordner'],
    ['--out an input folder', (dir) => ['--out', path.join(dir, 'daten')], 'enthält Eingabedateien'],
    ['--out /', () => ['--out', '/'], 'Wurzelverzeichnis'],
    ['--out the folder above the project', (dir) => ['--out', path.dirname(dir)], 'enthält den Projektordner'],
  ];
  for (const [name, args, msg] of refused) {
    it(`refused: ${name}; nothing changes`, async () => {
      const dir = project(name.startsWith('output: .') ? (c) => (c.output = '.') : undefined);
      // the user's own files where spm would write
      fs.mkdirSync(path.join(dir, 'charts'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'charts', 'mein_diagramm.svg'), '<svg/>');
      fs.mkdirSync(path.join(dir, 'vergleich'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'vergleich', 'notizen.txt'), 'eigene Notizen');
      const before = snapshotDir(dir);
      const r = await runCli(['compute', dir, ...args(dir), '--quiet']);
      expect(r.status).toBe(1);
      expect(r.stderr).not.toMatch(STACK_RE);
      expect(r.stderr).toContain(msg);
      expectSame(before, snapshotDir(dir));
      if (name.includes('/')) expect(fs.readdirSync('/').filter((f) => f.startsWith('.spm'))).toEqual([]);
    }, 60_000);
  }

  it('the user’s own files in the output folder stay; spm replaces only its own', async () => {
    const dir = project();
    const out = path.join(dir, 'out');
    const mine: Record<string, string> = {
      'charts/mein_diagramm.svg': '<svg/>',
      'vergleich/notizen.txt': 'eigene Notizen',
      'intern/vermerk.txt': 'intern',
      'bericht.docx': 'Word',
    };
    for (const [f, c] of Object.entries(mine)) {
      fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
      fs.writeFileSync(path.join(out, f), c);
    }
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['compute', dir, '--quiet', ...(i === 0 ? ['--unmasked-internal'] : [])]);
      expect(r.status, r.stderr).toBe(0);
      for (const [f, c] of Object.entries(mine)) expect(fs.readFileSync(path.join(out, f), 'utf8'), f).toBe(c);
    }
    // the second run (without --unmasked-internal) removed spm's own internal tables only
    expect(fs.readdirSync(path.join(out, 'intern'))).toEqual(['vermerk.txt']);
    expect(fs.existsSync(path.join(out, 'kennzahlen.csv'))).toBe(true);
  }, 120_000);

  it('a file of the user at a name spm writes is not overwritten: exit 1, nothing changes', async () => {
    const dir = project();
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'kennzahlen.csv'), 'meine eigene Tabelle');
    const before = snapshotDir(dir);
    const r = await runCli(['compute', dir, '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toContain('nicht von spm stammen');
    expect(r.stderr).toContain('kennzahlen.csv');
    expectSame(before, snapshotDir(dir));
  }, 60_000);

  it('stale staging of dead runs (in and beside the output folder) is removed on the next run', async () => {
    const dir = project();
    const dead = deadPid();
    const out = path.join(dir, 'out');
    const stale = [`.spm-tmp-${dead}-staging`, `.spm-tmp-${dead}-charts`, `.spm-tmp-${dead}`];
    for (const s of stale) fs.mkdirSync(path.join(out, s, 'x'), { recursive: true });
    fs.mkdirSync(path.join(dir, `.spm-intern-${dead}-out`, 'intern'), { recursive: true });
    fs.writeFileSync(path.join(dir, `.spm-intern-${dead}-out`, 'intern', 'kennzahlen_intern_unmaskiert.csv'), 'geheim');
    const r = await runCli(['compute', dir, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.') && f !== '.spm-dateien.json')).toEqual([]);
    // (.spm/ is the project's cache folder, see README "Zwischenspeicher")
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.spm') && f !== '.spm')).toEqual([]);
  }, 60_000);
});

describe('interrupted runs', () => {
  it('a run killed while its unmasked tables are staged leaves none below the public folder', async () => {
    // The staging window is short: on a loaded machine a run may finish before the poll sees
    // it. Such a run proves nothing about a kill, so it is tried again on a fresh project.
    let dir = '';
    let seen = false;
    for (let attempt = 0; attempt < 5 && !seen; attempt++) {
      dir = project();
      const run = spawnCli(['compute', dir, '--unmasked-internal', '--quiet']);
      const staged = () => fs.readdirSync(dir).some((f) => f.startsWith('.spm-intern-'));
      seen = await waitFor(() => staged() || run.child.exitCode !== null);
      seen = seen && run.child.exitCode === null && staged();
      run.child.kill('SIGKILL');
      await run.done;
      const out = path.join(dir, 'out');
      // killed before the move: no unmasked file anywhere below out/
      if (seen) expect(filesBelow(out).filter((f) => f.includes('unmaskiert'))).toEqual([]);
    }
    expect(seen).toBe(true);
    // the next run removes the dead run's staging beside out/
    const r = await runCli(['compute', dir, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('.spm-intern-'))).toBe(false);
  }, 300_000);

  it('charts killed while rendering: the previous complete charts and tables stay', async () => {
    const dir = project();
    const out = path.join(dir, 'out');
    const r0 = await runCli(['compute', dir, '--quiet']);
    expect(r0.status, r0.stderr).toBe(0);
    const before = snapshotDir(out);
    expect([...before.keys()].some((f) => f.startsWith('charts/'))).toBe(true);
    // new data, so a finished run would change the files
    fs.writeFileSync(path.join(dir, 'daten', 'data.csv'), DATA.replace(';41;', ';43;'));
    const run = spawnCli(['compute', dir, '--quiet']);
    const staging = () => fs.existsSync(out) && fs.readdirSync(out).some((f) => /^\.spm-tmp-\d+-charts$/.test(f));
    const seen = await waitFor(staging);
    run.child.kill('SIGKILL');
    await run.done;
    expect(seen).toBe(true);
    const after = snapshotDir(out);
    for (const [f, b] of before) expect(after.get(f)?.equals(b), f).toBe(true);
    expect(
      [...after.keys()].filter((f) => !before.has(f) && !f.startsWith('.spm-tmp-') && !f.startsWith('.spm.lock')),
    ).toEqual([]);
  }, 120_000);

  it('a report killed while writing: index and Kommune pages stay the previous complete set', async () => {
    const dir = project();
    const r0 = await runCli(['report', dir, '--quiet']);
    expect(r0.status, r0.stderr).toBe(0);
    const reports = path.join(dir, 'out', 'reports');
    const before = snapshotDir(reports);
    expect([...before.keys()].some((f) => f.endsWith('index.html'))).toBe(true);
    fs.writeFileSync(path.join(dir, 'daten', 'data.csv'), DATA.replace(';41;', ';43;'));
    const run = spawnCli(['report', dir, '--quiet']);
    const slug = fs.readdirSync(reports)[0]!;
    const staging = () => fs.readdirSync(path.join(reports, slug)).some((f) => /^\.spm-tmp-\d+-report$/.test(f));
    const seen = await waitFor(staging);
    run.child.kill('SIGKILL');
    await run.done;
    expect(seen).toBe(true);
    const after = snapshotDir(reports);
    for (const [f, b] of before) expect(after.get(f)?.equals(b), f).toBe(true);
    // the next run completes and removes the dead run's staging
    const r = await runCli(['report', dir, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(reports, slug)).filter((f) => f.startsWith('.spm-tmp'))).toEqual([]);
  }, 120_000);
});
