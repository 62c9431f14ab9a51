/**
 * Second validation pass: rules across files that zod cannot see (an indicator
 * naming a source that does not exist, a filter on an undeclared column, ...).
 * Each rule returns issues; all are collected before anything stops.
 */
import type { LoadedIndicator } from './project.js';
import type { ColumnType, Measure, ProjectFile } from './schema.js';
import type { Issue } from '../util/issues.js';
import { levelNames, projectHierarchy } from './hierarchy.js';
import { checkFilter, parseFilter, FilterSyntaxError } from '../compile/filter/index.js';
import { patternEscapes } from '../util/paths.js';
import { checkAreaChanges } from './area-changes.js';

type Rule = (config: ProjectFile, indicators: readonly LoadedIndicator[]) => Issue[];

const uniqueSourceIds: Rule = (config) => {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  config.sources.forEach((s, i) => {
    if (seen.has(s.id))
      issues.push({
        severity: 'error',
        code: 'config.duplicate_source',
        message: `Quelle "${s.id}" ist doppelt definiert`,
        path: `sources[${i}].id`,
      });
    seen.add(s.id);
  });
  return issues;
};

const uniqueIndicatorIds: Rule = (_config, indicators) => {
  const seen = new Map<string, string>();
  const issues: Issue[] = [];
  for (const ind of indicators) {
    const prev = seen.get(ind.def.id);
    if (prev !== undefined) {
      issues.push({
        severity: 'error',
        code: 'indicator.duplicate_id',
        message: `Indikator-id "${ind.def.id}" ist schon in ${prev} definiert`,
        file: ind.file,
        path: 'id',
      });
    } else seen.set(ind.def.id, ind.file);
  }
  return issues;
};

const measuresResolve: Rule = (config, indicators) => {
  const sources = new Map(config.sources.map((s) => [s.id, s]));
  const issues: Issue[] = [];
  for (const ind of indicators) {
    for (const role of ['numerator', 'denominator'] as const) {
      const m: Measure = ind.def[role];
      // a published value: its "denominator" is the row itself (see schema.ts), checked with the numerator
      if (ind.def.published !== undefined && role === 'denominator') continue;
      const src = sources.get(m.source);
      const where = ind.def.published !== undefined ? 'published' : role;
      const at = (p: string): Pick<Issue, 'file' | 'path'> => ({ file: ind.file, path: `${where}.${p}` });
      if (!src) {
        issues.push({
          severity: 'error',
          code: 'indicator.unknown_source',
          message: `Quelle "${m.source}" ist in spm.yaml nicht definiert (vorhanden: ${[...sources.keys()].join(', ')})`,
          ...at('source'),
        });
        continue;
      }
      const columns = new Map<string, ColumnType>(Object.entries(src.columns).map(([k, v]) => [k, v.type]));
      if (m.measure === 'sum' && m.column) {
        const t = columns.get(m.column);
        if (!t)
          issues.push({
            severity: 'error',
            code: 'indicator.unknown_column',
            message: `Spalte "${m.column}" ist in Quelle "${src.id}" nicht deklariert (vorhanden: ${[...columns.keys()].join(', ')})`,
            ...at('column'),
          });
        else if (t === 'text' || t === 'boolean')
          issues.push({
            severity: 'error',
            code: 'indicator.sum_not_numeric',
            message: `Spalte "${m.column}" hat den Typ ${t} und kann nicht summiert werden`,
            ...at('column'),
          });
      }
      if (m.measure === 'count' && src.kind === 'aggregated') {
        issues.push({
          severity: 'warning',
          code: 'indicator.count_aggregated',
          message: `measure: count zählt Zeilen der aggregierten Quelle "${src.id}" (eine je Gebiet und Jahr) – gemeint ist wohl measure: sum`,
          ...at('measure'),
        });
      }
      if (m.filter !== undefined) {
        try {
          const node = parseFilter(m.filter);
          for (const p of checkFilter(node, columns)) {
            issues.push({
              severity: 'error',
              code: `indicator.filter.${p.code}`,
              message: p.message,
              column: p.column,
              ...at('filter'),
            });
          }
        } catch (e) {
          if (!(e instanceof FilterSyntaxError)) throw e;
          issues.push({ severity: 'error', code: 'indicator.filter.syntax', message: e.message, ...at('filter') });
        }
      }
    }
    const d = ind.def;
    const isProportion = d.proportion ?? d.unit === 'percent';
    if (isProportion && d.unit !== 'percent' && d.unit !== 'ratio') {
      issues.push({
        severity: 'warning',
        code: 'indicator.proportion_unit',
        message: `proportion: true mit Einheit ${d.unit}: Anteile werden üblicherweise in percent angegeben`,
        file: ind.file,
        path: 'unit',
      });
    }
  }
  return issues;
};

/**
 * Relative paths in spm.yaml stay inside the project folder: `..` is refused in
 * source globs, the area list, the output folder and the map/Land files (an
 * absolute path is the user naming a place outside explicitly and is allowed).
 */
const pathsStayInside: Rule = (config) => {
  const issues: Issue[] = [];
  const check = (p: string | undefined, at: string): void => {
    if (p !== undefined && patternEscapes(p))
      issues.push({
        severity: 'error',
        code: 'config.path_escapes',
        message: `Pfad "${p}" führt mit ".." aus dem Projektordner heraus; Dateien in den Projektordner legen oder einen absoluten Pfad angeben`,
        path: at,
      });
  };
  config.sources.forEach((s, i) => {
    if (typeof s.files === 'string') check(s.files, `sources[${i}].files`);
    else s.files.forEach((f, j) => check(f, `sources[${i}].files[${j}]`));
  });
  check(config.areas.file, 'areas.file');
  check(config.output, 'output');
  check(config.geo?.sozialraeume, 'geo.sozialraeume');
  check(config.geo?.kommunen, 'geo.kommunen');
  check(config.land?.file, 'land.file');
  return issues;
};

/** Values `spm init` marked TODO (it could not know them) and nobody filled in yet. */
const todosLeft: Rule = (config) => {
  const issues: Issue[] = [];
  const check = (v: string | undefined, at: string): void => {
    if (v !== undefined && /^TODO\b/.test(v.trim()))
      issues.push({
        severity: 'warning',
        code: 'config.todo',
        message: `noch nicht ausgefüllt: ${v} (von spm init vorgemerkt)`,
        path: at,
      });
  };
  check(config.kreis.name, 'kreis.name');
  config.sources.forEach((s, i) => {
    check(s.title, `sources[${i}].title`);
    check(s.owner, `sources[${i}].owner`);
    check(s.stichtag, `sources[${i}].stichtag`);
  });
  return issues;
};

/** The declared hierarchy is consistent and every source names one of its levels. */
const hierarchyLevels: Rule = (config) => {
  const issues: Issue[] = [];
  const h = projectHierarchy(config);
  const names = levelNames(h);
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) {
      const path = i === 0 ? 'areas.top.level' : `areas.levels[${i - 1}].name`;
      issues.push({
        severity: 'error',
        code: 'config.duplicate_level',
        message: `Gebietsebene "${n}" ist doppelt deklariert (Ebenen: ${names.join(' > ')})`,
        path,
      });
    }
    seen.add(n);
  });
  const below = h.levels.map((l) => l.name);
  config.sources.forEach((s, i) => {
    if (!below.includes(s.area.level)) {
      const top =
        s.area.level === h.top.level
          ? ` "${s.area.level}" ist die oberste Ebene (ein einziges Gebiet); Quellen liefern Werte für Ebenen darunter.`
          : '';
      issues.push({
        severity: 'error',
        code: 'config.unknown_level',
        message: `Gebietsebene "${s.area.level}" ist nicht deklariert (Ebenen unter ${h.top.name}: ${below.join(', ')}).${top}`,
        path: `sources[${i}].area.level`,
      });
    }
  });
  config.areas.groupings.forEach((g, i) => {
    if (!below.includes(g.of))
      issues.push({
        severity: 'error',
        code: 'config.unknown_level',
        message: `Gebietsebene "${g.of}" ist nicht deklariert (Ebenen: ${below.join(', ')})`,
        path: `areas.groupings[${i}].of`,
      });
    if (seen.has(g.name))
      issues.push({
        severity: 'error',
        code: 'config.duplicate_level',
        message: `Gliederung "${g.name}" heißt wie eine Gebietsebene oder eine andere Gliederung`,
        path: `areas.groupings[${i}].name`,
      });
    seen.add(g.name);
  });
  return issues;
};

const RULES: readonly Rule[] = [
  uniqueSourceIds,
  uniqueIndicatorIds,
  measuresResolve,
  pathsStayInside,
  hierarchyLevels,
  (config) => checkAreaChanges(config),
  todosLeft,
];

export function checkProjectRules(config: ProjectFile, indicators: readonly LoadedIndicator[]): Issue[] {
  return RULES.flatMap((rule) => rule(config, indicators));
}
