/**
 * Temporary folders for a test file, removed once the file's tests are done. The hook is registered
 * when a test file first imports this module: vitest gives each test file its own module graph, so
 * each file removes what it made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new folder in the system's temp folder (`prefix` + random suffix), removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
