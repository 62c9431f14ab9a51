/** Project-relative paths and file globs. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { patternEscapes } from '../util/paths.js';

export function resolveProjectPath(root: string, p: string): string {
  return path.isAbsolute(p) ? path.normalize(p) : path.resolve(root, p);
}

/** Path as shown to the user: relative to the project folder (forward slashes) when inside it. */
export function displayPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return abs.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}

/** True if a relative pattern leaves the project folder with `..` (see util/paths.ts). */
export const escapesProject = patternEscapes;

/** True if `abs` lies inside `root` (or is root). */
export function insideRoot(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * Expands the patterns to absolute file paths, sorted and de-duplicated. A file
 * that a relative pattern reaches outside the project folder (glob tricks past
 * the `..` check) is not included.
 */
export async function expandFiles(root: string, patterns: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of patterns) {
    const norm = p.split('\\').join('/');
    if (!isDynamicPattern(norm)) {
      const abs = resolveProjectPath(root, p);
      if (!path.isAbsolute(p) && !insideRoot(root, abs)) continue;
      if (existsSync(abs) && statSync(abs).isFile()) out.add(abs);
      continue;
    }
    if (path.isAbsolute(p)) {
      const hits = await glob(norm.replace(/^\/+/, ''), { cwd: '/', absolute: true, onlyFiles: true, dot: false });
      for (const h of hits) out.add(path.normalize(h));
    } else {
      const hits = await glob(norm, { cwd: root, absolute: true, onlyFiles: true, dot: false });
      for (const h of hits) if (insideRoot(root, path.normalize(h))) out.add(path.normalize(h));
    }
  }
  return [...out].sort();
}
