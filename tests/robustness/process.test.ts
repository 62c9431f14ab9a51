/**
 * Runs as processes: interrupted runs (SIGKILL at several points) never leave a
 * partial or mixed-up kennzahlen.* behind; a second concurrent run on the same
 * output folder is refused (exit 1, clear message) and a stale lock of a dead
 * process is taken over; the whole output folder is byte-identical across runs
 * and across --threads 1 and the default.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject, cleanupProjects, KOMMUNEN, repoRoot, runCli, snapshotDir, STACK_RE } from './harness.js';

afterAll(() => cleanupProjects());

const OUTPUTS = ['kennzahlen.csv', 'kennzahlen.parquet', 'abgewiesene_zeilen.csv', 'manifest.json'];

/** Aggregated data (every area, 40 years) scaled by `f`, plus a microdata source of `n` rows to make a run last. */
function files(f: number, n: number): Record<string, string> {
  const agg = ['sozialraum_id;jahr;zaehler;nenner'];
  for (const [ags] of KOMMUNEN)
    for (const s of ['01', '02', '03'])
      for (let y = 1990; y < 2030; y++) agg.push(`${ags}-${s};${y};${(y % 7) * f};${100 + (y % 13)}`);
  const micro = ['sozialraum_id;jahr;wert'];
  for (let i = 0; i < n; i++)
    micro.push(`${KOMMUNEN[i % KOMMUNEN.length]![0]}-0${(i % 3) + 1};${1990 + (i % 40)};${i % 100}`);
  return { 'daten/data.csv': agg.join('\n') + '\n', 'daten/micro.csv': micro.join('\n') + '\n' };
}

function project(n: number) {
  return buildProject({
    files: files(1, n),
    sources: [{}, { id: 'm', kind: 'microdata', files: 'daten/micro.csv', columns: { wert: ['wert', 'number'] } }],
  });
}

function spawnCompute(dir: string, extra: string[] = []) {
  return spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'cli', 'main.ts'), 'compute', dir, '--quiet', ...extra],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function outputs(dir: string): Map<string, Buffer> {
  return new Map(OUTPUTS.map((f) => [f, fs.readFileSync(path.join(dir, 'out', f))]));
}

describe('interrupted runs (SIGKILL)', () => {
  it('the previous complete outputs stay intact; no partial kennzahlen.* replaces them', async () => {
    const dir = project(60_000);
    // the "new" outputs of the changed inputs, and the "old" complete outputs
    fs.writeFileSync(path.join(dir, 'daten', 'data.csv'), files(2, 0)['daten/data.csv']!);
    const t0 = performance.now();
    expect((await runCli(['compute', dir, '--quiet'])).status).toBe(0);
    const full = performance.now() - t0;
    const fresh = outputs(dir);
    fs.writeFileSync(path.join(dir, 'daten', 'data.csv'), files(1, 0)['daten/data.csv']!);
    expect((await runCli(['compute', dir, '--quiet'])).status).toBe(0);
    const old = outputs(dir);
    for (const f of OUTPUTS.slice(0, 2)) expect(old.get(f)!.equals(fresh.get(f)!), f).toBe(false);
    fs.writeFileSync(path.join(dir, 'daten', 'data.csv'), files(2, 0)['daten/data.csv']!);

    // kill at spread-out points of a run (startup, ingest, compute, export), fixed pseudo-random jitter
    const points = [0.1, 0.35, 0.6, 0.75, 0.85, 0.95];
    let killedBeforeExport = 0;
    for (const [i, p] of points.entries()) {
      const delay = Math.round(full * p + ((i * 37) % 50));
      const child = spawnCompute(dir);
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      const code = await exited;
      const now = outputs(dir);
      let same = 0;
      for (const f of OUTPUTS) {
        const b = now.get(f)!;
        const isOld = b.equals(old.get(f)!);
        const isNew = b.equals(fresh.get(f)!);
        expect(isOld || isNew, `${f} after a kill at ${delay} ms is complete (old or new), exit ${code}`).toBe(true);
        if (isOld) same++;
      }
      if (same === OUTPUTS.length) killedBeforeExport++;
      // the next run starts from the previous complete outputs again
      for (const [f, b] of old) fs.writeFileSync(path.join(dir, 'out', f), b);
    }
    expect(killedBeforeExport).toBeGreaterThan(0);

    // a normal run afterwards takes over the stale lock, cleans up and completes
    const r = await runCli(['compute', dir, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    for (const f of OUTPUTS) expect(fs.readFileSync(path.join(dir, 'out', f)).equals(fresh.get(f)!), f).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'out')).filter((x) => x.startsWith('.') && x !== '.spm-dateien.json')).toEqual(
      [],
    );
  }, 170_000);
});

describe('the lock on the output folder', () => {
  it('a second concurrent compute is refused with a clear message and exit 1', async () => {
    const dir = project(150_000);
    const first = spawnCompute(dir);
    const firstDone = new Promise<number | null>((resolve) => first.on('close', (code) => resolve(code)));
    const lock = path.join(dir, 'out', '.spm.lock');
    for (let i = 0; i < 400 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 25));
    expect(fs.existsSync(lock)).toBe(true);
    expect(fs.readFileSync(lock, 'utf8').trim()).toBe(String(first.pid));
    const second = await runCli(['compute', dir, '--quiet']);
    expect(second.status).toBe(1);
    expect(second.stderr).not.toMatch(STACK_RE);
    expect(second.stderr).toMatch(
      new RegExp(`^Fehler: Ein anderer spm-Lauf \\(Prozess ${first.pid}\\) schreibt gerade in `),
    );
    expect(await firstDone).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
  }, 120_000);

  it('a stale lock of a dead process and its scratch files are taken over and removed', async () => {
    // one microdata row: a header-only source is an input error (exit 1, like validate)
    const dir = project(1);
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const out = path.join(dir, 'out');
    fs.mkdirSync(path.join(out, `.spm-tmp-${dead}`, 'duckdb'), { recursive: true });
    fs.writeFileSync(path.join(out, '.spm.lock'), `${dead}\n`);
    fs.writeFileSync(path.join(out, `.kennzahlen.csv.tmp-${dead}`), 'halb geschrieben');
    const r = await runCli(['compute', dir, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(out).filter((x) => x.startsWith('.') && x !== '.spm-dateien.json')).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'kennzahlen.csv'), 'utf8').startsWith('\uFEFFindicator_id;')).toBe(true);
  }, 60_000);
});

describe('determinism of the whole output folder', () => {
  it('every file, recursively, is byte-identical across two runs and across --threads 1 and the default', async () => {
    const dir = project(20_000);
    const outs = ['o1', 'o2', 'o3'].map((o) => path.join(dir, o));
    const runs = await Promise.all([
      // three at once on a shared 2-core machine: more than the default minute each
      runCli(['compute', dir, '--quiet', '--out', outs[0]!], { timeoutMs: 110_000 }),
      runCli(['compute', dir, '--quiet', '--out', outs[1]!], { timeoutMs: 110_000 }),
      runCli(['compute', dir, '--quiet', '--out', outs[2]!, '--threads', '1'], { timeoutMs: 110_000 }),
    ]);
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    const [a, b, c] = outs.map(snapshotDir);
    expect([...a!.keys()].sort()).toEqual(expect.arrayContaining(OUTPUTS));
    for (const other of [b!, c!]) {
      expect([...other.keys()].sort()).toEqual([...a!.keys()].sort());
      for (const [f, bytes] of a!) expect(other.get(f)!.equals(bytes), f).toBe(true);
    }
  }, 120_000);
});

describe('output into a pipe that is closed early (spm --help | head)', () => {
  it('ends quietly: no unhandled EPIPE, no stack trace, exit code 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli', 'main.ts'), '--help'], {
      cwd: repoRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // the reader goes away before spm writes its first line
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).not.toMatch(/EPIPE/);
    expect(stderr).not.toMatch(STACK_RE);
    expect(status).toBe(0);
  }, 60_000);
});
