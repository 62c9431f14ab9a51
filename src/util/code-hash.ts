/**
 * The caches' code keys (api/config-cache.ts, api/load-cache.ts, compute/mask-cache.ts,
 * run/chart-cache.ts): spm's own files as they are installed, and the versions of the packages a
 * cached stage runs on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Feeds every file below `dir` (recursively, in name order) whose name `keep` accepts into `h`,
 * each as `<path relative to base>\0<bytes>\0`.
 */
export function hashTree(h: Hash, dir: string, base: string, keep: (name: string) => boolean = () => true): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) hashTree(h, f, base, keep);
    else if (e.isFile() && keep(e.name))
      h.update(`${path.relative(base, f)}\u0000`)
        .update(fs.readFileSync(f))
        .update('\u0000');
  }
}

/** The version of the installed package `pkg` (its package.json above its main file), or "?" when it cannot be told. */
export function packageVersion(pkg: string): string {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(pkg));
    for (;;) {
      const pj = path.join(dir, 'package.json');
      if (fs.existsSync(pj)) {
        const p = JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string; version?: string };
        if (p.name === pkg) return p.version ?? '?';
      }
      const up = path.dirname(dir);
      if (up === dir) return '?';
      dir = up;
    }
  } catch {
    return '?';
  }
}

/** A code file of spm as installed: .ts below src, .js below dist/src (not the declarations). */
export const isCodeFile = (name: string): boolean => /\.(js|ts)$/.test(name) && !name.endsWith('.d.ts');

/**
 * SHA-256 (hex) over spm's code files below the folders `dirs` (URLs such as `new URL('../privacy/',
 * import.meta.url)`: src or dist/src, as installed), the versions of `packages`, and `extra`.
 * A cache keyed by it is not used by another version of that code.
 */
export function codeHash(dirs: URL | readonly URL[], packages: readonly string[], extra = ''): string {
  const h = createHash('sha256');
  for (const dir of Array.isArray(dirs) ? dirs : [dirs]) {
    const root = fileURLToPath(dir);
    h.update(`${path.basename(root)}/\u0000`);
    hashTree(h, root, root, isCodeFile);
  }
  for (const pkg of packages) h.update(`${pkg} ${packageVersion(pkg)}\u0000`);
  h.update(extra);
  return h.digest('hex');
}
