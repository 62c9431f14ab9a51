/**
 * One `spm compute` per output folder at a time: a second run is refused with a
 * clear message instead of two processes writing the same files.
 *
 * The lock file `.spm.lock` holds the PID of its owner. It is created complete
 * (written under a private name, then hard-linked to `.spm.lock`, which fails if
 * it exists), so no other run can ever read a half-written lock. A lock whose
 * process is gone (killed run) is stale: it is moved aside under a private name
 * and taken over only if what was moved is still the stale lock that was read,
 * so two runs that find the same stale lock cannot both take it over. Taking over
 * also removes the scratch files the dead run left in the output folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/issues.js';

export const LOCK_FILE = '.spm.lock';

export interface Lock {
  release(): void;
}

export function acquireLock(outDir: string): Lock {
  const file = path.join(outDir, LOCK_FILE);
  const content = `${process.pid}\n`;
  const own = path.join(outDir, `${LOCK_FILE}.${process.pid}`);
  fs.writeFileSync(own, content);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (create(own, file, content)) {
        removeLeftovers(outDir);
        return lockHandle(file, content);
      }
      let seen: string;
      try {
        seen = fs.readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
        throw e;
      }
      const pid = Number(seen.trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new UserError({
          severity: 'error',
          code: 'run.locked',
          message:
            `Ein anderer spm-Lauf (Prozess ${pid}) schreibt gerade in ${outDir}. Bitte warten, bis er fertig ist ` +
            `(läuft sicher keiner mehr, die Sperrdatei ${file} löschen).`,
        });
      }
      // stale: move it aside, then check that it was the lock we judged stale
      const aside = path.join(outDir, `${LOCK_FILE}.stale-${process.pid}`);
      try {
        fs.renameSync(file, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const moved = fs.readFileSync(aside, 'utf8');
      if (moved !== seen) {
        // another run took the stale lock over in between: give its lock back
        try {
          fs.linkSync(aside, file);
        } catch {
          /* a third run holds it now; ours is not taken either way */
        }
      }
      fs.rmSync(aside, { force: true });
    }
  } finally {
    fs.rmSync(own, { force: true });
  }
  throw new UserError({
    severity: 'error',
    code: 'run.locked',
    message: `Sperrdatei ${file} konnte nicht angelegt werden (andere spm-Läufe gleichzeitig?)`,
  });
}

/** Creates `file` with `content` atomically; false if it exists. */
function create(own: string, file: string, content: string): boolean {
  try {
    fs.linkSync(own, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
  }
  // file system without hard links: exclusive create (a reader may briefly see it empty)
  try {
    fs.writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function lockHandle(file: string, content: string): Lock {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // only our own lock: never remove one another run has taken over meanwhile
      try {
        if (fs.readFileSync(file, 'utf8') === content) fs.rmSync(file, { force: true });
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Scratch files of dead runs in the output folder: `.spm-tmp-<pid>/`, staging
 * folders `.spm-tmp-<pid>-<what>/` and the temporary names of atomic writes
 * `.<file>.tmp-<pid>`, also under `intern/` and `charts/`.
 */
function removeLeftovers(outDir: string): void {
  // staging folders (`.spm-tmp-<pid>-staging`, `-charts`, `-report`) and, beside the
  // output folder, the staged unmasked tables of a killed run (`.spm-intern-<pid>-<name>`)
  const parent = path.dirname(path.resolve(outDir));
  const internal = new RegExp(`^\\.spm-intern-(\\d+)-${escapeRe(path.basename(outDir))}$`);
  for (const dir of [outDir, path.join(outDir, 'intern'), path.join(outDir, 'charts'), parent]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      // beside the output folder (the user's own folder) only spm's internal staging
      const m =
        dir === parent
          ? internal.exec(name)
          : (/^\.spm-tmp-(\d+)(?:-[a-z]+)?$/.exec(name) ??
            /^\..+\.tmp-(\d+)$/.exec(name) ??
            /^\.spm\.lock\.(?:stale-)?(\d+)$/.exec(name));
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid || isAlive(pid)) continue;
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
