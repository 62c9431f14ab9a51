/**
 * The output folder belongs to the user: spm replaces or removes only files it
 * wrote itself, and refuses folders where its writes could hit the user's own
 * files (the project folder, a folder holding inputs, `/`).
 *
 * What spm wrote is recorded in `.spm-dateien.json` (sorted relative paths) and,
 * for folders written before that record existed, in the `outputs` of spm's
 * `manifest.json`. New files are staged in a folder of their own and moved in
 * together (see {@link commitStaged}); a file at a target path that spm did not
 * write stops the run before anything is moved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Project } from '../config/project.js';
import { UserError } from '../util/issues.js';
import { inside } from '../util/paths.js';

/** spm's record of the files it wrote into an output folder. */
export const OWNED_RECORD = '.spm-dateien.json';

function real(p: string): string {
  // the nearest existing ancestor decides where a not yet created folder will be
  const missing: string[] = [];
  let dir = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync(dir), ...missing.reverse());
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return path.resolve(p);
      missing.push(path.basename(dir));
      dir = up;
    }
  }
}

/** The fixed (non-glob) folder a pattern starts in: `rohdaten/seu_*.csv` -> `rohdaten`. */
function staticBase(root: string, pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}()!]/.test(part)) break;
    fixed.push(part);
  }
  const base = fixed.join('/');
  return path.isAbsolute(pattern) ? path.resolve('/', base) : path.resolve(root, base);
}

/** Folders holding the project's inputs (spm.yaml, area list, sources, indicators, geo, land). */
export function inputFolders(project: Project): string[] {
  const c = project.config;
  const dirs = new Set<string>([project.root]);
  const add = (p: string | undefined): void => {
    if (p) dirs.add(path.dirname(path.resolve(project.root, p)));
  };
  add(c.areas.file);
  for (const s of c.sources)
    for (const f of Array.isArray(s.files) ? s.files : [s.files]) dirs.add(staticBase(project.root, f));
  for (const i of c.indicators)
    if (typeof i === 'string' && !i.startsWith('spm:')) dirs.add(path.resolve(project.root, i));
  add(c.geo?.sozialraeume);
  add(c.geo?.kommunen);
  add(c.land?.file);
  return [...dirs];
}

/**
 * Refuses an output folder where spm's writes could hit the user's files: `/`,
 * the home folder, the project folder or one above it, or a folder that is or
 * holds an input folder.
 */
export function assertSafeOutDir(project: Project, outDir: string, what = 'Ausgabeordner'): void {
  const out = real(outDir);
  const refuse = (why: string): never => {
    throw new UserError({
      severity: 'error',
      code: 'output.unsafe',
      message: `${what} ${outDir} ${why}. spm schreibt und löscht dort Dateien; bitte einen eigenen Unterordner angeben (z. B. "output: out" in spm.yaml oder --out <ordner>)`,
    });
  };
  if (path.dirname(out) === out) refuse('ist das Wurzelverzeichnis');
  if (out === real(os.homedir())) refuse('ist das Home-Verzeichnis');
  const root = real(project.root);
  if (inside(out, root)) refuse(out === root ? 'ist der Projektordner' : 'enthält den Projektordner');
  for (const d of inputFolders(project)) {
    const r = real(d);
    if (inside(out, r)) refuse(`enthält Eingabedateien (${r})`);
  }
}

/** Relative paths (with `/`) spm recorded as its own in `outDir`. */
export function readOwned(outDir: string): Set<string> {
  const owned = new Set<string>();
  try {
    const list = JSON.parse(fs.readFileSync(path.join(outDir, OWNED_RECORD), 'utf8')) as unknown;
    if (Array.isArray(list)) for (const f of list) if (typeof f === 'string') owned.add(f);
  } catch {
    /* no record yet */
  }
  try {
    const m = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as {
      spm_version?: unknown;
      outputs?: unknown;
    };
    if (typeof m.spm_version === 'string' && Array.isArray(m.outputs)) {
      owned.add('manifest.json');
      for (const o of m.outputs)
        if (o && typeof (o as { file?: unknown }).file === 'string') owned.add((o as { file: string }).file);
    }
  } catch {
    /* no manifest of spm */
  }
  // a recorded path never leads out of the folder, whatever the record says
  for (const f of owned)
    if (!inside(outDir, path.resolve(outDir, f)) || f === '' || path.isAbsolute(f)) owned.delete(f);
  return owned;
}

/** Every file below `dir`, relative with `/`. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

function moveFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    // staged on another file system: copy next to the target, then rename
    const tmp = path.join(path.dirname(to), `.${path.basename(to)}.tmp-${process.pid}`);
    fs.copyFileSync(from, tmp);
    fs.renameSync(tmp, to);
    fs.rmSync(from, { force: true });
  }
}

function removeEmptyDirs(outDir: string, rel: string): void {
  for (let d = path.dirname(rel); d !== '.' && d !== ''; d = path.dirname(d)) {
    try {
      fs.rmdirSync(path.join(outDir, d));
    } catch {
      return; // not empty or not there
    }
  }
}

export interface StagedSet {
  /** Staging folder and the files in it (relative paths as they go into `outDir`). */
  dir: string;
  files: string[];
  /** Files of this set already in `outDir` and unchanged (incremental charts): kept, still spm's. */
  keep?: string[];
}

/**
 * Moves staged files into `outDir` together. Refuses (before moving anything)
 * when a target path holds a file spm did not write. Files spm wrote earlier
 * that match `replaces` and are not in the new set are removed (an earlier run's
 * Kommunen or indicators must not linger). `last` is moved in last (the
 * manifest, which names the others' hashes).
 */
export function commitStaged(
  outDir: string,
  sets: readonly StagedSet[],
  options: { replaces: (file: string) => boolean; last?: string },
): void {
  const owned = readOwned(outDir);
  const incoming = new Map<string, string>();
  for (const s of sets) for (const f of s.files) incoming.set(f, path.join(s.dir, ...f.split('/')));
  const foreign: string[] = [];
  for (const f of incoming.keys()) {
    const target = path.join(outDir, ...f.split('/'));
    let exists = false;
    try {
      fs.lstatSync(target);
      exists = true;
    } catch {
      /* free */
    }
    if (exists && !owned.has(f)) foreign.push(f);
    else if (exists && !fs.lstatSync(target).isFile()) foreign.push(f);
  }
  // a folder spm needs may not be a file or a link of the user's
  for (const f of incoming.keys()) {
    for (let d = path.dirname(f); d !== '.'; d = path.dirname(d)) {
      try {
        const st = fs.lstatSync(path.join(outDir, d));
        if (!st.isDirectory()) foreign.push(d);
      } catch {
        /* created on move */
      }
    }
  }
  if (foreign.length) {
    const list = [...new Set(foreign)].sort();
    throw new UserError({
      severity: 'error',
      code: 'output.foreign_file',
      message:
        `Im Ausgabeordner ${outDir} liegen Dateien, die nicht von spm stammen und überschrieben würden: ` +
        `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` (und ${list.length - 5} weitere)` : ''}. ` +
        'spm ersetzt nur eigene Dateien; bitte einen leeren Ausgabeordner angeben oder die Dateien verschieben.',
    });
  }
  // 1. files of earlier runs that the new set does not contain
  const kept = new Set<string>();
  const keep = new Set(sets.flatMap((s) => s.keep ?? []));
  for (const f of owned) {
    if (incoming.has(f)) continue;
    if (keep.has(f) || !options.replaces(f)) {
      kept.add(f);
      continue;
    }
    const target = path.join(outDir, ...f.split('/'));
    try {
      if (fs.lstatSync(target).isFile()) fs.rmSync(target, { force: true });
    } catch {
      /* already gone */
    }
    removeEmptyDirs(outDir, f);
  }
  // 2. the new files, `last` at the end
  const order = [...incoming.keys()].sort().filter((f) => f !== options.last);
  if (options.last && incoming.has(options.last)) order.push(options.last);
  for (const f of order) moveFile(incoming.get(f)!, path.join(outDir, ...f.split('/')));
  writeOwned(
    outDir,
    [...kept, ...incoming.keys()].filter((f) => f !== OWNED_RECORD),
  );
}

function writeOwned(outDir: string, files: string[]): void {
  const file = path.join(outDir, OWNED_RECORD);
  const tmp = path.join(outDir, `.${OWNED_RECORD}.tmp-${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify([...new Set(files)].sort(), null, 1) + '\n');
  fs.renameSync(tmp, file);
}

/** A fresh staging folder `.spm-tmp-<pid>-<what>` inside `dir` (removed by the caller, or by the next run if killed). */
export function stagingDir(dir: string, what: string): string {
  const stage = path.join(dir, `.spm-tmp-${process.pid}-${what}`);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  return stage;
}

/**
 * Where the unmasked internal tables are staged: never below the public output
 * folder, even for a moment. A sibling of it (`.spm-intern-<pid>-<name>`), or a
 * private folder in the system temp folder when the parent is not writable.
 */
export function internalStagingDir(outDir: string): string {
  const sibling = path.join(path.dirname(outDir), `.spm-intern-${process.pid}-${path.basename(outDir)}`);
  try {
    fs.rmSync(sibling, { recursive: true, force: true });
    fs.mkdirSync(sibling, { mode: 0o700 });
    return sibling;
  } catch {
    return fs.mkdtempSync(path.join(os.tmpdir(), `spm-intern-${process.pid}-`));
  }
}
