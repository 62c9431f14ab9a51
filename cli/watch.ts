/**
 * `spm compute --watch`: the planner's edit-run loop in one process. After the first run spm stays
 * and computes again whenever a file of the project changes (spm.yaml, indicators, areas, raw data).
 * A run in the same process skips what every new `spm compute` pays again: Node's start and spm's
 * modules, loading HiGHS, and V8's optimisation of the protection pass's code (`npm run bench:edit`, the
 * sample with one own indicator, 6 Dec 2026, medians of 3: after a title edit 2.02 s wall / 2.08 s CPU
 * against 2.69 s / 3.11 s as a new process; after an edit of the indicator's filter 6.48 s / 7.75 s
 * against 8.37 s / 10.85 s).
 *
 * What counts as a change: a file under the project folder (or an input file outside it that the last
 * run read) whose size or modification time differs from the snapshot taken before the last run, or
 * that appeared or vanished. Not watched: spm's own output folder, the `--db` file, and names spm never
 * reads (hidden files and folders such as `.spm/` and `.git/`, editors' swap, lock and backup files).
 * File system events (`fs.watch` on each folder) wake the loop at once; a snapshot every second catches what they miss
 * (network drives), and edits made while a run is under way start the next run when it ends. A run's
 * error is reported as `spm compute` reports it, and the loop goes on: the planner fixes the file, saves,
 * and the next run starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { displayPath, inside } from '../src/util/paths.js';
import { reportError } from './errors.js';

export interface FileState {
  size: number;
  mtimeMs: number;
}
/** Absolute path -> size and modification time. */
export type Snapshot = Map<string, FileState>;

/**
 * Names spm never reads as project files: hidden files and folders (`.spm/`, `.git/`, vim's
 * `.x.swp`, LibreOffice's `.~lock.x.csv#`), Office's `~$x.xlsx`, backups (`x~`, `#x#`), vim's write
 * test file `4913`, and `node_modules`.
 */
export function ignoredName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.startsWith('~') ||
    name.endsWith('~') ||
    (name.startsWith('#') && name.endsWith('#')) ||
    name === '4913' ||
    name === 'node_modules'
  );
}

/** At most this many files are looked at per snapshot (a project folder is not a home folder). */
export const MAX_FILES = 50_000;

/**
 * Size and modification time of every file under `root` (symbolic links followed, each folder once: a
 * raw-data folder is often a link to a share) and of the `extra` files, leaving out `excluded` paths and
 * ignored names; at most `max` files (in name order). `folders` receives the folders walked.
 */
export function snapshot(
  root: string,
  excluded: readonly string[],
  extra: readonly string[] = [],
  max = MAX_FILES,
  folders?: string[],
): Snapshot {
  const out: Snapshot = new Map();
  const seen = new Set<string>();
  const skip = (p: string) => excluded.some((x) => inside(x, p));
  const walk = (dir: string): void => {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(dir);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    folders?.push(dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.size >= max) return;
      if (ignoredName(e.name)) continue;
      const p = path.join(dir, e.name);
      if (skip(p)) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() || e.isSymbolicLink()) {
        // (vanished between listing and stat, a dangling link, unreadable: absent, as a deleted file is)
        const st = fileState(p);
        if (st) out.set(p, st);
        else if (e.isSymbolicLink() && isFolder(p)) walk(p);
      }
    }
  };
  walk(root);
  for (const f of extra) {
    const st = skip(f) || out.has(f) ? undefined : fileState(f);
    if (st) out.set(f, st);
  }
  return out;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Size and modification time of a file; undefined for a folder or a missing or unreadable path. */
function fileState(file: string): FileState | undefined {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** Files that appeared, vanished or changed from `before` to `after`, sorted; `excluded` paths left out of both. */
export function changedFiles(before: Snapshot, after: Snapshot, excluded: readonly string[] = []): string[] {
  const out = new Set<string>();
  const kept = (f: string) => !excluded.some((x) => inside(x, f));
  for (const [f, a] of after) {
    const b = before.get(f);
    if (kept(f) && (!b || b.size !== a.size || b.mtimeMs !== a.mtimeMs)) out.add(f);
  }
  for (const f of before.keys()) if (!after.has(f) && kept(f)) out.add(f);
  return [...out].sort();
}

/** What a run tells the loop: the output folder it wrote, and the input files it read (absolute). */
export interface RunInfo {
  /** false: the run stopped with an error (already reported). */
  ok: boolean;
  outDir?: string;
  inputs?: readonly string[];
}

export interface WatchOptions {
  /** The project folder. */
  root: string;
  /** One run; reports its own errors and never throws (the loop goes on either way). */
  run: () => Promise<RunInfo>;
  /** Paths never watched from the start (the `--out` folder, the `--db` file and its WAL). */
  excluded?: readonly string[];
  /** Lines for the planner (stderr in the CLI). */
  say: (line: string) => void;
  /** Ends the loop: at once when idle, after the run under way otherwise. */
  stop: AbortSignal;
  /** Milliseconds between snapshots without events (default 1,000). */
  pollMs?: number;
  /** Milliseconds to wait after a change before reading the files (writes finish; default 200). */
  settleMs?: number;
  /** At most this many files per snapshot (default {@link MAX_FILES}; replaced in tests). */
  maxFiles?: number;
  /** Watches one folder (not its subfolders) for events (replaced in tests; default Node's `fs.watch`). */
  watch?: (folder: string, onEvent: () => void) => { close(): void } | undefined;
  /** The clock for the header lines (replaced in tests). */
  now?: () => Date;
}

const nf0 = new Intl.NumberFormat('de-DE');
const nf1 = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * `fs.watch` on one folder. Each folder the snapshot walks gets its own (one inotify watch on Linux),
 * not one recursive watch of the project: Node 20 emulates `recursive` on Linux with an `fs.watch` per
 * file and folder, the output folder and `.spm/` included (the sample with charts: 1,336 files, against
 * 5 folders watched here), and answers every event with a `stat` in this thread; the watches count
 * against the system's limit (`fs.inotify.max_user_watches`, 8,192 on older kernels). Measured on the
 * sample with charts (three title edits each, 6 Dec 2026): 4.47-5.41 s from saving to "Fertig in"
 * with the recursive watch, 4.55-6.26 s with this one: the same within the noise.
 */
function nodeWatch(folder: string, onEvent: () => void): { close(): void } | undefined {
  try {
    const w = fs.watch(folder, onEvent);
    // an error later (the folder removed, too many watches) leaves the snapshots every second
    w.on('error', () => w.close());
    return w;
  } catch {
    return undefined;
  }
}

/** How the changed files are named in the header: relative to the project, at most three. */
export function describeChanges(root: string, files: readonly string[]): string {
  const names = files.map((f) => displayPath(root, f));
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} und ${names.length - 3} weitere` : shown;
}

/** Runs once, then again after every change, until `stop` fires. */
export async function watchLoop(o: WatchOptions): Promise<void> {
  const root = path.resolve(o.root);
  const pollMs = o.pollMs ?? 1000;
  const settleMs = o.settleMs ?? 200;
  const now = o.now ?? (() => new Date());
  const excluded = new Set((o.excluded ?? []).map((p) => path.resolve(p)));
  let inputs: string[] = [];
  // a wake-up: an event, the poll's timer, or the stop
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  const current = () => [...excluded];
  const maxFiles = o.maxFiles ?? MAX_FILES;
  // one watch per folder walked (see nodeWatch), kept in step with the folders of the newest snapshot
  const watchers = new Map<string, { close(): void } | undefined>();
  const take = (): Snapshot => {
    const folders: string[] = [];
    const snap = snapshot(root, current(), inputs, maxFiles, folders);
    for (const f of inputs) folders.push(path.dirname(f));
    const keep = new Set(folders);
    for (const [f, w] of watchers)
      if (!keep.has(f)) {
        w?.close();
        watchers.delete(f);
      }
    for (const f of keep) if (!watchers.has(f)) watchers.set(f, (o.watch ?? nodeWatch)(f, poke));
    return snap;
  };
  // the snapshot before the run under way (or the last one): what differs from it starts the next run
  let base: Snapshot = new Map();
  const runOnce = async (): Promise<boolean> => {
    const info = await o.run();
    if (info.outDir) excluded.add(path.resolve(info.outDir));
    if (info.inputs) {
      inputs = info.inputs.map((f) => path.resolve(root, f));
      // an input file the walk does not reach (outside the project), first named by this run, was not in
      // the snapshot before it: as it is now, or it would count as a new file and start a run at once
      for (const f of inputs) {
        const st = base.has(f) ? undefined : fileState(f);
        if (st) base.set(f, st);
      }
    }
    return info.ok;
  };
  o.stop.addEventListener('abort', poke, { once: true });
  // waits `ms`, or less when woken (an event, the stop)
  const sleep = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        wake = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      wake = wakeable ? done : () => (o.stop.aborted ? done() : undefined);
    });
  try {
    base = take();
    if (base.size >= maxFiles)
      o.say(
        `Hinweis: Der Projektordner hat mindestens ${nf0.format(maxFiles)} Dateien; beobachtet werden die ersten ${nf0.format(maxFiles)} (nach Namen geordnet) und die Eingabedateien des letzten Laufs.`,
      );
    await runOnce();
    if (!o.stop.aborted) o.say(`Beobachte ${root}: jede gespeicherte Änderung rechnet neu (Strg+C beendet).`);
    while (!o.stop.aborted) {
      let changed = changedFiles(base, take(), current());
      if (changed.length === 0) {
        await sleep(pollMs, true);
        continue;
      }
      // let the writes finish: read again until two snapshots agree
      let next = take();
      for (;;) {
        await sleep(settleMs, false);
        if (o.stop.aborted) return;
        const again = take();
        if (changedFiles(next, again).length === 0) break;
        next = again;
      }
      changed = changedFiles(base, next, current());
      if (changed.length === 0) continue;
      base = next;
      const t = now();
      const time = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
      o.say('');
      o.say(`${time} geändert: ${describeChanges(root, changed)} – rechne neu …`);
      const t0 = performance.now();
      const ok = await runOnce();
      const s = nf1.format((performance.now() - t0) / 1000);
      const going = !o.stop.aborted;
      if (ok) o.say(`Fertig in ${s} s${going ? '; beobachte weiter' : ''}.`);
      else
        o.say(
          `Mit Fehler beendet (${s} s)${going ? '; beobachte weiter: nach dem Speichern der Korrektur wird neu gerechnet' : ''}.`,
        );
    }
  } finally {
    for (const w of watchers.values()) w?.close();
    o.stop.removeEventListener('abort', poke);
  }
}

/** The parts of a compute run's result the loop needs (`ComputeRunResult`). */
interface ComputeInfo {
  outDir: string;
  sources: readonly { files: readonly { file: string }[] }[];
}

/**
 * `spm compute --watch` in the CLI: `once` is one `spm compute` (it prints its summary); its errors are
 * reported as `spm compute` reports them (cli/errors.ts) and the loop goes on. Ctrl+C (or SIGTERM) ends
 * it: at once when idle, after the run under way otherwise (a second Ctrl+C ends the process, exit 130).
 */
export async function watchCompute(
  dir: string,
  opts: { out?: string; db?: string; quiet?: boolean },
  once: () => Promise<ComputeInfo>,
  io: { err: (s: string) => void },
  verbose: boolean,
): Promise<void> {
  const abs = path.resolve(dir);
  const root = fs.existsSync(abs) && fs.statSync(abs).isFile() ? path.dirname(abs) : abs;
  // no project folder: nothing to watch, the run's own error (and exit code) says so
  if (!fs.existsSync(root)) {
    await once();
    return;
  }
  const ctl = new AbortController();
  let running = false;
  const onSignal = (): void => {
    if (ctl.signal.aborted) process.exit(130);
    ctl.abort();
    if (running && !opts.quiet) io.err('Strg+C: spm hört nach diesem Durchgang auf (noch einmal Strg+C: sofort).');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const excluded: string[] = [];
  if (opts.out) excluded.push(path.resolve(opts.out));
  if (opts.db) excluded.push(path.resolve(opts.db), `${path.resolve(opts.db)}.wal`);
  try {
    await watchLoop({
      root,
      excluded,
      // --quiet: only errors (each run's error is reported by `run` below)
      say: opts.quiet ? () => {} : io.err,
      stop: ctl.signal,
      run: async () => {
        running = true;
        try {
          const r = await once();
          return { ok: true, outDir: r.outDir, inputs: r.sources.flatMap((s) => s.files.map((f) => f.file)) };
        } catch (e) {
          reportError(e, io.err, verbose);
          return { ok: false };
        } finally {
          running = false;
        }
      },
    });
    if (!opts.quiet) io.err('Beobachtung beendet.');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
