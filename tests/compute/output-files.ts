/** Helpers of the cache tests: every output file of a run, and an in-place edit of a project file. */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/** Every file below `out` (spm's private `.spm*` files left out) by relative path. */
export function outputs(out: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith('.spm')) files[path.relative(out, p)] = fs.readFileSync(p);
    }
  };
  walk(out);
  return files;
}

/** Replace text in a project file (CSV extracts as Latin-1, so any byte survives; the rest UTF-8); it must change. */
export function editFile(project: string, file: string, from: string, to: string): void {
  const p = path.join(project, file);
  const enc = file.endsWith('.csv') ? 'latin1' : 'utf8';
  const text = fs.readFileSync(p, enc);
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  fs.writeFileSync(p, next, enc);
}
