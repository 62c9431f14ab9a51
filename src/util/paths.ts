import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Resolve a path the user wrote in spm.yaml. Relative paths must stay inside the
 * project folder (`..` out of it is refused); an absolute path is the user naming
 * a place explicitly and is allowed.
 */
export function resolveInProject(root: string, userPath: string): { abs: string } | { error: string } {
  if (path.isAbsolute(userPath)) return { abs: path.normalize(userPath) };
  const abs = path.resolve(root, userPath);
  const rel = path.relative(root, abs);
  if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    return {
      error: `Pfad "${userPath}" führt aus dem Projektordner heraus; nur absolute Pfade dürfen außerhalb liegen`,
    };
  }
  return { abs };
}

/**
 * True if a relative path or glob pattern the user wrote leaves the project
 * folder with a `..` segment (also inside a brace alternative like `{..,x}`).
 * Absolute paths are the user naming a place explicitly and never "escape".
 */
export function patternEscapes(pattern: string): boolean {
  if (path.isAbsolute(pattern) || /^[a-zA-Z]:[\\/]/.test(pattern)) return false;
  return pattern.split(/[\\/{},]+/).includes('..');
}

/** Whether `abs` is `root` or lies inside it (by name: links are not resolved). */
export function inside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/** Path as shown to the user: relative to the project folder where possible, with `/`. */
export function displayPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return abs;
}

/** The name spm is published under on npm (plain "spm" is taken by an unrelated package). */
export const PACKAGE_NAME = '@spm-monitoring/spm';

let packageRootCache: string | undefined;

/** The folder of spm's own package.json (works from src/ under vitest and from dist/). */
export function packageRoot(): string {
  if (packageRootCache) return packageRootCache;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      const name = (JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name;
      if (name === PACKAGE_NAME) return (packageRootCache = dir);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('spm package root not found');
    dir = up;
  }
}

/** spm's version from its package.json. */
export function spmVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
