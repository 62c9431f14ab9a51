/**
 * One `spm compute` per output folder at a time: a second run is refused with a
 * clear message instead of two processes writing the same files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/issues.js';

export interface Lock {
  release(): void;
}

export function acquireLock(outDir: string): Lock {
  const file = path.join(outDir, '.spm.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && isAlive(pid)) {
        throw new UserError({
          severity: 'error',
          code: 'run.locked',
          message: `Ein anderer spm-Lauf (Prozess ${pid}) schreibt gerade in ${outDir}. Bitte warten, bis er fertig ist.`,
        });
      }
      // A stale lock from a crashed run: take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new UserError(`Sperrdatei ${file} konnte nicht angelegt werden`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
