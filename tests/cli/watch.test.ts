/**
 * `spm compute --watch` (cli/watch.ts): which files count as a change, and the loop itself with a
 * stand-in run (the real CLI in a child process: tests/robustness/watch-cli.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  changedFiles,
  describeChanges,
  ignoredName,
  type RunInfo,
  snapshot,
  type WatchOptions,
  watchLoop,
} from '../../cli/watch.js';
import { tempDir } from '../tmp-dirs.js';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Waits until `cond` holds (checked every 10 ms), failing after `ms`. */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`nicht eingetreten: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('what counts as a change', () => {
  it('leaves out hidden folders, editor and office scratch files, backups', () => {
    for (const n of [
      '.spm',
      '.git',
      '.daten.csv.swp',
      '.~lock.daten.csv#',
      '~$daten.xlsx',
      'daten.csv~',
      '#daten.csv#',
      '4913',
      'node_modules',
    ])
      expect(ignoredName(n), n).toBe(true);
    for (const n of ['spm.yaml', 'daten.csv', 'indicators', 'gebiete_2024.csv', 'out'])
      expect(ignoredName(n), n).toBe(false);
  });

  it('takes every project file but the excluded folders, and named input files outside the project', () => {
    const dir = tempDir('spm-watch-');
    const outside = tempDir('spm-watch-outside-');
    write(path.join(dir, 'spm.yaml'), 'a');
    write(path.join(dir, 'indicators', 'x.yaml'), 'b');
    write(path.join(dir, 'out', 'kennzahlen.csv'), 'c');
    write(path.join(dir, '.spm', 'cache', 'k'), 'd');
    write(path.join(dir, 'indicators', '.x.yaml.swp'), 'e');
    write(path.join(outside, 'seu.csv'), 'f');
    const s = snapshot(dir, [path.join(dir, 'out')], [path.join(outside, 'seu.csv')]);
    expect([...s.keys()].map((f) => path.relative(dir, f))).toEqual([
      'indicators/x.yaml',
      'spm.yaml',
      path.relative(dir, path.join(outside, 'seu.csv')),
    ]);
  });

  it('follows a linked raw-data folder, each folder once', () => {
    const dir = tempDir('spm-watch-');
    const share = tempDir('spm-watch-share-');
    write(path.join(dir, 'spm.yaml'), 'a');
    write(path.join(share, 'seu_2024.csv'), 'b');
    fs.symlinkSync(share, path.join(dir, 'rohdaten'));
    // a link back to the project folder: a cycle, walked once
    fs.symlinkSync(dir, path.join(share, 'zurueck'));
    const s = snapshot(dir, []);
    expect([...s.keys()].map((f) => path.relative(dir, f))).toEqual(['rohdaten/seu_2024.csv', 'spm.yaml']);
    expect(snapshot(dir, [], [], 1).size).toBe(1);
  });

  it('names files that appeared, vanished or changed in size or time, not those in excluded folders', () => {
    const a = new Map([
      ['/p/spm.yaml', { size: 10, mtimeMs: 1 }],
      ['/p/gone.csv', { size: 5, mtimeMs: 1 }],
      ['/p/same.csv', { size: 5, mtimeMs: 1 }],
      ['/p/touched.csv', { size: 5, mtimeMs: 1 }],
      ['/p/out/kennzahlen.csv', { size: 1, mtimeMs: 1 }],
    ]);
    const b = new Map([
      ['/p/spm.yaml', { size: 11, mtimeMs: 1 }],
      ['/p/new.csv', { size: 1, mtimeMs: 2 }],
      ['/p/same.csv', { size: 5, mtimeMs: 1 }],
      ['/p/touched.csv', { size: 5, mtimeMs: 2 }],
      ['/p/out/kennzahlen.csv', { size: 2, mtimeMs: 2 }],
    ]);
    expect(changedFiles(a, b, ['/p/out'])).toEqual(['/p/gone.csv', '/p/new.csv', '/p/spm.yaml', '/p/touched.csv']);
    expect(changedFiles(a, b)).toContain('/p/out/kennzahlen.csv');
    expect(changedFiles(a, a)).toEqual([]);
  });

  it('names the changed files relative to the project, at most three', () => {
    expect(describeChanges('/p', ['/p/spm.yaml'])).toBe('spm.yaml');
    expect(describeChanges('/p', ['/p/a', '/p/b/c', '/p/d', '/p/e', '/q/f'])).toBe('a, b/c, d und 2 weitere');
    expect(describeChanges('/p', ['/q/seu.csv'])).toBe('/q/seu.csv');
  });
});

describe('the loop', () => {
  /** A project folder, a stand-in run that writes into out/ like spm does, and the loop's lines. */
  function setup(opts: { fail?: (n: number) => boolean; slow?: number } = {}) {
    const dir = tempDir('spm-watch-loop-');
    write(path.join(dir, 'spm.yaml'), 'name: x\n');
    write(path.join(dir, 'daten', 'seu.csv'), 'a;b\n1;2\n');
    const lines: string[] = [];
    const runs: number[] = [];
    const ctl = new AbortController();
    const run = async (): Promise<RunInfo> => {
      runs.push(Date.now());
      const n = runs.length;
      write(path.join(dir, 'out', 'kennzahlen.csv'), `Lauf ${n}\n`);
      if (opts.slow) await new Promise((r) => setTimeout(r, opts.slow));
      return opts.fail?.(n) ? { ok: false } : { ok: true, outDir: path.join(dir, 'out') };
    };
    const done = watchLoop({
      root: dir,
      run,
      say: (l) => lines.push(l),
      stop: ctl.signal,
      pollMs: 30,
      settleMs: 20,
      // no file system events: the snapshots alone must see every change
      watch: () => undefined,
      now: () => new Date(2026, 11, 6, 9, 5, 7),
    });
    return { dir, lines, runs, ctl, done };
  }

  it('runs once, again after each saved change, not after its own output, and stops when asked', async () => {
    const { dir, lines, runs, ctl, done } = setup();
    await until(() => lines.some((l) => l.startsWith('Beobachte')), 'der erste Lauf');
    expect(runs).toHaveLength(1);
    // the run's own output folder (out/, written by every run) never starts a run
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toHaveLength(1);
    write(path.join(dir, 'indicators', 'eigene.yaml'), 'id: x\n');
    await until(() => runs.length === 2 && lines.some((l) => l.startsWith('Fertig in')), 'der zweite Lauf');
    expect(lines).toContain('09:05:07 geändert: indicators/eigene.yaml – rechne neu …');
    // an editor's swap file and spm's cache are not changes
    write(path.join(dir, 'indicators', '.eigene.yaml.swp'), 'x');
    write(path.join(dir, '.spm', 'cache', 'k'), 'x');
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toHaveLength(2);
    fs.rmSync(path.join(dir, 'daten', 'seu.csv'));
    await until(() => runs.length === 3, 'der Lauf nach dem Löschen');
    expect(lines).toContain('09:05:07 geändert: daten/seu.csv – rechne neu …');
    ctl.abort();
    await done;
    expect(runs).toHaveLength(3);
  });

  it('starts the next run after one during which a file was saved', async () => {
    const { dir, runs, ctl, done, lines } = setup({ slow: 300 });
    await until(() => runs.length === 1, 'der erste Lauf');
    // saved while the first run is still under way
    write(path.join(dir, 'spm.yaml'), 'name: y\n');
    await until(() => runs.length === 2, 'der Lauf nach der Änderung während des ersten');
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(300);
    expect(lines.filter((l) => l.includes('geändert: spm.yaml'))).toHaveLength(1);
    ctl.abort();
    await done;
  });

  it('goes on after a run with an error, and says so', async () => {
    const { dir, runs, ctl, done, lines } = setup({ fail: (n) => n === 2 });
    await until(() => runs.length === 1, 'der erste Lauf');
    write(path.join(dir, 'spm.yaml'), 'name: [\n');
    await until(() => lines.some((l) => l.startsWith('Mit Fehler beendet')), 'der Lauf mit Fehler');
    expect(lines.find((l) => l.startsWith('Mit Fehler beendet'))).toMatch(
      /^Mit Fehler beendet \(\d+,\d s\); beobachte weiter: nach dem Speichern der Korrektur wird neu gerechnet\.$/,
    );
    write(path.join(dir, 'spm.yaml'), 'name: z\n');
    await until(() => runs.length === 3 && lines.at(-1)!.startsWith('Fertig in'), 'der Lauf nach der Korrektur');
    ctl.abort();
    await done;
  });

  /** The loop on `dir` with a run that returns `info`, fast timers, no events unless `options.watch` gives them. */
  function loop(dir: string, info: RunInfo, options: Partial<WatchOptions> = {}) {
    const lines: string[] = [];
    const state = { runs: 0 };
    const ctl = new AbortController();
    const done = watchLoop({
      root: dir,
      run: async () => {
        state.runs++;
        return info;
      },
      say: (l) => lines.push(l),
      stop: ctl.signal,
      pollMs: 30,
      settleMs: 20,
      watch: () => undefined,
      ...options,
    });
    return { lines, state, ctl, done };
  }

  it('says when the folder holds more files than it looks at, and still sees the inputs of the last run', async () => {
    const dir = tempDir('spm-watch-many-');
    for (const f of ['a.csv', 'b.csv', 'c.csv', 'spm.yaml']) write(path.join(dir, f), 'x\n');
    const { lines, state, ctl, done } = loop(dir, { ok: true, inputs: ['spm.yaml'] }, { maxFiles: 2 });
    await until(() => state.runs === 1, 'der erste Lauf');
    expect(lines[0]).toBe(
      'Hinweis: Der Projektordner hat mindestens 2 Dateien; beobachtet werden die ersten 2 (nach Namen geordnet) und die Eingabedateien des letzten Laufs.',
    );
    // spm.yaml is beyond the first two names, but the run read it
    write(path.join(dir, 'spm.yaml'), 'name: neu\n');
    await until(() => state.runs === 2, 'der Lauf nach der Änderung einer gelesenen Datei');
    ctl.abort();
    await done;
  });

  it('takes an input outside the project, first named by a run, as it is, and runs again when it changes', async () => {
    const dir = tempDir('spm-watch-in-');
    const share = tempDir('spm-watch-in-share-');
    write(path.join(dir, 'spm.yaml'), 'name: x\n');
    const seu = path.join(share, 'seu.csv');
    write(seu, 'a;b\n1;2\n');
    const { lines, state, ctl, done } = loop(dir, { ok: true, inputs: ['spm.yaml', seu] });
    await until(() => state.runs === 1, 'der erste Lauf');
    // not a new file for the loop: no run of its own
    await new Promise((r) => setTimeout(r, 200));
    expect(state.runs).toBe(1);
    write(seu, 'a;b\n1;2\n3;4\n');
    await until(() => state.runs === 2, 'der Lauf nach der Änderung der Eingabe außerhalb');
    expect(lines.some((l) => l.endsWith(`geändert: ${seu} – rechne neu …`))).toBe(true);
    ctl.abort();
    await done;
  });

  it('watches each project folder on its own (not the output folder), and an event starts the run at once', async () => {
    const dir = tempDir('spm-watch-ev-');
    write(path.join(dir, 'spm.yaml'), 'name: x\n');
    write(path.join(dir, 'daten', 'seu.csv'), 'a\n');
    write(path.join(dir, 'out', 'alt.csv'), 'a\n');
    write(path.join(dir, '.spm', 'cache', 'k'), 'a\n');
    const open = new Set<string>();
    const events: (() => void)[] = [];
    const { state, ctl, done } = loop(
      dir,
      { ok: true, outDir: path.join(dir, 'out') },
      {
        // no look at the files for a minute: only an event can start the run in time
        pollMs: 60_000,
        excluded: [path.join(dir, 'out')],
        watch: (folder, onEvent) => {
          open.add(folder);
          events.push(onEvent);
          return { close: () => open.delete(folder) };
        },
      },
    );
    await until(() => state.runs === 1, 'der erste Lauf');
    expect([...open].sort()).toEqual([dir, path.join(dir, 'daten')]);
    write(path.join(dir, 'indicators', 'eigene.yaml'), 'id: x\n');
    for (const e of events) e();
    await until(() => state.runs === 2, 'der Lauf nach dem Ereignis', 3000);
    expect([...open].sort()).toEqual([dir, path.join(dir, 'daten'), path.join(dir, 'indicators')]);
    fs.rmSync(path.join(dir, 'daten'), { recursive: true });
    for (const e of events) e();
    await until(() => state.runs === 3, 'der Lauf nach dem Löschen des Ordners', 3000);
    expect([...open].sort()).toEqual([dir, path.join(dir, 'indicators')]);
    ctl.abort();
    await done;
    expect(open.size).toBe(0);
  });

  it('finishes the run under way when stopped during it, and starts no other', async () => {
    const { dir, runs, ctl, done, lines } = setup({ slow: 300 });
    await until(() => lines.some((l) => l.startsWith('Beobachte')), 'der erste Lauf');
    write(path.join(dir, 'spm.yaml'), 'name: y\n');
    await until(() => runs.length === 2, 'der zweite Lauf');
    write(path.join(dir, 'spm.yaml'), 'name: yy\n');
    ctl.abort();
    await done;
    expect(runs).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^Fertig in \d+,\d s\.$/);
  });
});
