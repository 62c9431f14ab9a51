import fs from 'node:fs';
import path from 'node:path';

/**
 * Write through a temporary name in the same folder and rename at the end, so
 * an interrupted run leaves the previous complete file in place.
 */
export async function writeAtomic(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    await write(tmp);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    // a failed write (full disk) carries no path: name the file it was for
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err === 'object' && err.code && !err.path) err.path = file;
    throw e;
  }
}

export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  await writeAtomic(file, async (tmp) => fs.writeFileSync(tmp, data));
}
