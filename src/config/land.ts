/**
 * Land reference values (e.g. NRW from IT.NRW): a small CSV `indicator_id;year;value`
 * with a decimal comma or point. Read strictly: a line that does not parse is an
 * error naming file and line, never a silently skipped value. Lines of standard-set indicators
 * the project leaves out (`exclude:`) are skipped and counted in `skipped` (a warning of every
 * command): the bundled NRW file holds them all, and leaving an indicator out must not break it.
 */
import fs from 'node:fs';
import type { Project } from './project.js';
import { UserError, type Issue } from '../util/issues.js';
import { displayPath, resolveInProject } from '../util/paths.js';
import { loadStandardSet } from './load-indicators.js';

let standardIds: Set<string> | undefined;
const standardSetIds = (): Set<string> => (standardIds ??= new Set(loadStandardSet().indicators.map((i) => i.def.id)));

/** Lines skipped because their indicator is one of the standard set that the project does not compute. */
export interface SkippedLandLines {
  lines: number[];
  indicators: Set<string>;
}

export interface LandValue {
  indicator_id: string;
  year: number;
  value: number;
}

export function readLandValues(project: Project, skipped?: SkippedLandLines): LandValue[] {
  const land = project.config.land;
  if (!land) return [];
  const r = resolveInProject(project.root, land.file);
  if ('error' in r)
    throw new UserError({
      severity: 'error',
      code: 'land.path',
      message: r.error,
      file: 'spm.yaml',
      path: 'land.file',
    });
  const shown = displayPath(project.root, r.abs);
  if (!fs.existsSync(r.abs))
    throw new UserError({
      severity: 'error',
      code: 'land.missing',
      message: `Datei mit Landeswerten nicht gefunden`,
      file: shown,
    });
  const lines = fs
    .readFileSync(r.abs, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const issues: Issue[] = [];
  const out: LandValue[] = [];
  const known = new Set(project.indicators.map((i) => i.def.id));
  const header = (lines[0] ?? '').split(';').map((h) => h.trim());
  if (header.join(';') !== 'indicator_id;year;value') {
    throw new UserError({
      severity: 'error',
      code: 'land.header',
      message: `Kopfzeile muss "indicator_id;year;value" lauten, gefunden "${lines[0] ?? ''}"`,
      file: shown,
      line: 1,
    });
  }
  lines.slice(1).forEach((text, i) => {
    const line = i + 2;
    if (text.trim() === '') return;
    const [id = '', year = '', value = '', ...rest] = text.split(';').map((c) => c.trim());
    const v = Number(value.replace(',', '.'));
    if (rest.length)
      issues.push({
        severity: 'error',
        code: 'land.fields',
        message: `erwartet 3 Felder, gefunden ${3 + rest.length}`,
        file: shown,
        line,
      });
    else if (!known.has(id) && standardSetIds().has(id)) {
      skipped?.lines.push(line);
      skipped?.indicators.add(id);
    } else if (!known.has(id))
      issues.push({
        severity: 'error',
        code: 'land.indicator',
        message: `Indikator "${id}" ist nicht definiert`,
        file: shown,
        line,
        column: 'indicator_id',
      });
    else if (!/^\d{4}$/.test(year))
      issues.push({
        severity: 'error',
        code: 'land.year',
        message: `kein Jahr: "${year}"`,
        file: shown,
        line,
        column: 'year',
      });
    else if (!/^-?\d+([.,]\d+)?$/.test(value) || !Number.isFinite(v))
      issues.push({
        severity: 'error',
        code: 'land.value',
        message: `keine Zahl: "${value}"`,
        file: shown,
        line,
        column: 'value',
      });
    else out.push({ indicator_id: id, year: Number(year), value: v });
  });
  if (issues.length) throw new UserError(issues);
  return out;
}
