/**
 * Every file spm.yaml names besides the sources (`areas.file`, `geo:`, `land:`)
 * is checked when a project is opened, so `spm validate` reports a missing or
 * broken one and `compute` never meets it later as an internal error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from './project.js';
import { readLandValues } from './land.js';
import { UserError, type Issue } from '../util/issues.js';
import { linksOutside } from '../util/links.js';
import { displayPath, resolveInProject } from '../util/paths.js';

function geoIssues(project: Project, file: string | undefined, yamlPath: string): Issue[] {
  if (!file) return [];
  const at = { file: 'spm.yaml', path: yamlPath };
  const r = resolveInProject(project.root, file);
  if ('error' in r) return [{ severity: 'error', code: 'geo.path', message: r.error, ...at }];
  const shown = displayPath(project.root, r.abs);
  let text: string;
  try {
    if (!fs.statSync(r.abs).isFile())
      return [{ severity: 'error', code: 'geo.missing', message: `GeoJSON-Datei ${shown} ist keine Datei`, ...at }];
    text = fs.readFileSync(r.abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return [{ severity: 'error', code: 'geo.missing', message: `GeoJSON-Datei ${shown} nicht gefunden`, ...at }];
    return [
      {
        severity: 'error',
        code: 'geo.unreadable',
        message: `GeoJSON-Datei ${shown} ist nicht lesbar (${code ?? 'Fehler'})`,
        ...at,
      },
    ];
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return [
      {
        severity: 'error',
        code: 'geo.json',
        message: `${shown} ist kein gültiges JSON: ${(e as Error).message}`,
        ...at,
      },
    ];
  }
  const fc = data as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return [
      {
        severity: 'error',
        code: 'geo.shape',
        message: `${shown} ist keine GeoJSON-FeatureCollection (erwartet "type": "FeatureCollection" mit "features": [...])`,
        ...at,
      },
    ];
  }
  return [];
}

/** Issues (errors) for the files spm.yaml names besides the sources. */
export function referencedFileIssues(project: Project): Issue[] {
  const c = project.config;
  const issues: Issue[] = [];
  if (!c.settings.allow_links_outside_project) {
    const named: [string | undefined, string][] = [
      [c.areas.file, 'areas.file'],
      [c.geo?.sozialraeume, 'geo.sozialraeume'],
      [c.geo?.kommunen, 'geo.kommunen'],
      [c.land?.file, 'land.file'],
      [c.references?.file, 'references.file'],
    ];
    for (const [p, at] of named)
      if (p && !path.isAbsolute(p)) issues.push(...linksOutside(project.root, [path.resolve(project.root, p)], at));
  }
  // earlier releases (read by compute and validate): inside the project or named absolutely, like every other file
  (c.settings.suppression.frueher_veroeffentlicht ?? []).forEach((f, i) => {
    const at = `settings.suppression.frueher_veroeffentlicht[${i}]`;
    const r = resolveInProject(project.root, f);
    if ('error' in r)
      issues.push({ severity: 'error', code: 'config.path', message: r.error, file: 'spm.yaml', path: at });
    else if (!c.settings.allow_links_outside_project) issues.push(...linksOutside(project.root, [r.abs], at));
  });
  issues.push(...geoIssues(project, c.geo?.sozialraeume, 'geo.sozialraeume'));
  issues.push(...geoIssues(project, c.geo?.kommunen, 'geo.kommunen'));
  try {
    const skipped = { lines: [] as number[], indicators: new Set<string>() };
    readLandValues(project, skipped);
    if (skipped.lines.length > 0)
      issues.push({
        severity: 'warning',
        code: 'land.not_computed',
        message: `${skipped.lines.length} Zeilen mit Landeswerten für Kennzahlen, die das Projekt nicht berechnet (${[...skipped.indicators].sort().join(', ')}), übersprungen`,
        file: c.land?.file ?? 'spm.yaml',
        line: skipped.lines[0]!,
      });
  } catch (e) {
    if (!(e instanceof UserError)) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!code) throw e;
      issues.push({
        severity: 'error',
        code: 'land.unreadable',
        message: `Datei mit Landeswerten ${c.land?.file} ist nicht lesbar (${code})`,
        file: 'spm.yaml',
        path: 'land.file',
      });
      return issues;
    }
    issues.push(...e.issues.map((i) => (i.path || i.file ? i : { ...i, file: 'spm.yaml', path: 'land.file' })));
  }
  return issues;
}
