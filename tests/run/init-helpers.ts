/** Helpers of the `spm init` tests: a folder of files, the message of the UserError a call throws. */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../src/index.js';
import { tempDir } from '../tmp-dirs.js';

/** A temporary folder with these files (names relative to it, folders created). */
export function folder(files: Record<string, string>, prefix = 'spm-init-'): string {
  const dir = tempDir(prefix);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The message of the UserError `p` rejects with; any other outcome fails the test. */
export async function userError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('expected a UserError');
}
