/**
 * The user's environment (issue 13): a full disk, a read-only folder or a
 * missing permission is exit 1 with a German message naming the path, never an
 * internal error; the previous complete outputs stay byte-identical.
 *
 * A full disk and a read-only file system are made with a small tmpfs, which
 * needs root (the CI container runs as root); as another user those cases are
 * reported as skipped, and the permission case uses a folder without write access.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject, cleanupProjects, runCli, snapshotDir, STACK_RE } from './harness.js';

afterAll(() => cleanupProjects());

const DATA =
  'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;41;1830\n05558012-02;2023;17;900\n05558004-01;2023;12;700\n';
const isRoot = process.getuid?.() === 0;

/** A fresh tmpfs of `size` mounted at a temp folder; unmounted after the test file. */
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m]);
      fs.rmSync(m, { recursive: true, force: true });
    } catch {
      /* already gone */
    }
  }
});
function smallDisk(size: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

/** Fills the disk of `dir` up to `leave` bytes. */
function fill(dir: string, leave: number): void {
  const st = fs.statfsSync(dir);
  const free = st.bavail * st.bsize;
  fs.writeFileSync(path.join(dir, 'ballast.bin'), Buffer.alloc(Math.max(0, free - leave)));
}

function expectUnchanged(before: Map<string, Buffer>, after: Map<string, Buffer>): void {
  expect([...after.keys()].filter((k) => !k.startsWith('.spm')).sort()).toEqual(
    [...before.keys()].filter((k) => !k.startsWith('.spm')).sort(),
  );
  for (const [k, b] of before) if (!k.startsWith('.spm')) expect(after.get(k)?.equals(b), k).toBe(true);
}

describe.runIf(isRoot)('full disk and read-only file system (tmpfs)', () => {
  it('full disk during compute: exit 1, German message with the path; previous outputs unchanged', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA } });
    const disk = smallDisk('8m');
    const out = path.join(disk, 'out');
    const r0 = await runCli(['compute', dir, '--out', out, '--quiet']);
    expect(r0.status, r0.stderr).toBe(0);
    const before = snapshotDir(out);
    fs.writeFileSync(path.join(dir, 'daten', 'data.csv'), DATA.replace(';41;', ';43;'));
    fill(disk, 16 * 1024);
    const r = await runCli(['compute', dir, '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).not.toContain('Interner Fehler');
    expect(r.stderr).toContain('Kein Speicherplatz');
    expect(r.stderr).toContain(out);
    expectUnchanged(before, snapshotDir(out));
  }, 120_000);

  it('full disk during `spm charts`: the message names the file being written', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA } });
    const disk = smallDisk('64k');
    const r = await runCli(['charts', dir, '--out', path.join(disk, 'out')]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toMatch(/Fehler: \S+\/charts\/\S+: Kein Speicherplatz/);
  }, 120_000);

  it('read-only file system: exit 1, "schreibgeschützt", the folder named, nothing changed', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA } });
    const disk = smallDisk('8m');
    const out = path.join(disk, 'out');
    const r0 = await runCli(['compute', dir, '--out', out, '--quiet', '--no-charts']);
    expect(r0.status, r0.stderr).toBe(0);
    const before = snapshotDir(out);
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    for (const target of [out, path.join(disk, 'neu')]) {
      const r = await runCli(['compute', dir, '--out', target, '--quiet']);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(STACK_RE);
      expect(r.stderr).toContain('schreibgeschützt');
      expect(r.stderr).toContain(target);
    }
    expectUnchanged(before, snapshotDir(out));
  }, 120_000);
});

describe('permission denied', () => {
  it('an output folder spm may not create: exit 1, German message with the path', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA } });
    // /sys refuses new folders even for root (EPERM); a folder without write permission otherwise (EACCES)
    let target = '/sys/spm-nicht-erlaubt/out';
    if (!isRoot) {
      const locked = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-locked-'));
      fs.chmodSync(locked, 0o555);
      target = path.join(locked, 'out');
    }
    const r = await runCli(['compute', dir, '--out', target, '--quiet']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.stderr).toContain('Keine Berechtigung');
    expect(r.stderr).toContain(path.dirname(target));
  }, 60_000);

  it('an output folder that is a file, a --db in a missing folder: exit 1 naming the path, the file unchanged', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': DATA, 'notiz.txt': 'meine Notiz' } });
    for (const [args, msg] of [
      [['--out', path.join(dir, 'notiz.txt')], 'ist eine Datei, kein Ordner'],
      [['--out', path.join(dir, 'notiz.txt', 'out')], 'ist eine Datei, kein Ordner'],
      [['--db', path.join(dir, 'fehlt', 'x.duckdb')], 'existiert nicht'],
    ] as const) {
      const r = await runCli(['compute', dir, ...args, '--quiet']);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(STACK_RE);
      expect(r.stderr).toContain(msg);
      expect(r.stderr).toContain(args[1].split('/').slice(0, -1).join('/'));
      // the file is named as the user wrote it, not as a scratch folder spm would make inside it
      if (args[0] === '--out') expect(r.stderr).toContain(`${path.join(dir, 'notiz.txt')} ist eine Datei, kein Ordner`);
      expect(r.stderr).not.toContain('.spm-tmp');
    }
    expect(fs.readFileSync(path.join(dir, 'notiz.txt'), 'utf8')).toBe('meine Notiz');
  }, 60_000);
});
