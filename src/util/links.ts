/**
 * Symbolic links inside the project that lead out of it (`rohdaten/x.csv ->
 * /etc/shadow`) are refused: a project folder should not read files elsewhere
 * without the user saying so, either by naming an absolute path in spm.yaml or
 * with `settings.allow_links_outside_project: true`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Issue } from './issues.js';
import { inside } from './paths.js';

/** Issues for the files that lie inside `root` by name but resolve (through links) outside it. */
export function linksOutside(root: string, files: readonly string[], yamlPath: string): Issue[] {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return [];
  }
  const issues: Issue[] = [];
  for (const f of files) {
    if (!inside(root, f)) continue; // an absolute path the user named
    let real: string;
    try {
      real = fs.realpathSync(f);
    } catch {
      continue; // missing or a dangling link: reported where the file is read
    }
    if (inside(realRoot, real)) continue;
    issues.push({
      severity: 'error',
      code: 'path.link_outside',
      message:
        `${path.relative(root, f).split(path.sep).join('/')} ist ein Verweis (Symlink) auf ${real} außerhalb des Projektordners; ` +
        'spm liest ihn nicht. Die Datei in den Projektordner kopieren, sie mit absolutem Pfad in spm.yaml nennen ' +
        'oder settings.allow_links_outside_project: true setzen.',
      path: yamlPath,
    });
  }
  return issues;
}
