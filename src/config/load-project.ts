/**
 * The config stage: spm.yaml + indicator files -> validated `Project`.
 *
 * 1. find and parse spm.yaml (YAML errors with line numbers)
 * 2. validate its shape with zod (German messages, file:line and YAML path)
 * 3. read the indicator folders, validate each file the same way
 * 4. cross-file rules (sources, columns, filters)
 * All issues are collected; if any is an error, a UserError carries them all.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedIndicator, Project } from './project.js';
import { ProjectFileSchema, IndicatorSchema, type IndicatorInput, type ProjectFileInput } from './schema.js';
import { parseYaml, type ParsedYaml } from './yaml-source.js';
import { zodGerman, zodIssuesToIssues } from './zod-issues.js';
import { loadIndicatorEntries } from './load-indicators.js';
import { fillCanonicalTypes, canonicalTypeRule } from './canonical/fill.js';
import { checkProjectRules } from './rules.js';
import { loadGoals } from './load-goals.js';
import { recordFileRead } from './read-log.js';
import { hasErrors, UserError, type Issue } from '../util/issues.js';

export const PROJECT_FILE = 'spm.yaml';

export interface LoadProjectResult {
  project: Project;
  /** Warnings and notes (errors are thrown as UserError). */
  issues: Issue[];
}

/** Options for building a project. */
export interface ProjectOptions {
  /** Indicators defined in code (e.g. with `defineIndicator`), added to those from YAML. */
  indicators?: readonly IndicatorInput[];
}

/** Load `<dir>/spm.yaml` (or the YAML file given) and everything it names. */
export function loadProject(dirOrFile: string, options: ProjectOptions = {}): LoadProjectResult {
  const abs = path.resolve(dirOrFile);
  const configFile = fs.existsSync(abs) && fs.statSync(abs).isFile() ? abs : path.join(abs, PROJECT_FILE);
  if (!fs.existsSync(configFile) || !fs.statSync(configFile).isFile()) {
    throw new UserError({
      severity: 'error',
      code: 'config.not_found',
      message: `Keine Projektdatei gefunden: ${configFile}. Ein Projektordner enthält eine spm.yaml (Beispiel: data-samples/kreis-coesfeld/spm.yaml).`,
    });
  }
  const root = path.dirname(configFile);
  const shown = path.basename(configFile);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(configFile);
  } catch (e) {
    throw new UserError({
      severity: 'error',
      code: 'config.unreadable',
      message: `Projektdatei ${configFile} ist nicht lesbar (${(e as NodeJS.ErrnoException).code ?? 'Fehler'})`,
      file: shown,
    });
  }
  recordFileRead(configFile, bytes);
  const yaml = parseYaml(bytes, shown);
  if (yaml.data === undefined) throw new UserError(yaml.issues);
  return buildProject(yaml.data, root, { ...options, configFile, yaml, shown });
}

/** Build a project from a config object (as if read from spm.yaml) rooted at `root`. */
export function projectFromConfig(
  config: ProjectFileInput,
  root: string,
  options: ProjectOptions = {},
): LoadProjectResult {
  return buildProject(config, path.resolve(root), { ...options, shown: '(Konfiguration)' });
}

function buildProject(
  data: unknown,
  root: string,
  ctx: ProjectOptions & { configFile?: string; yaml?: ParsedYaml; shown: string },
): LoadProjectResult {
  const issues: Issue[] = [...(ctx.yaml?.issues ?? [])];
  const parsed = ProjectFileSchema.safeParse(fillCanonicalTypes(data), zodGerman);
  if (!parsed.success) throw new UserError([...issues, ...zodIssuesToIssues(parsed.error, ctx.shown, ctx.yaml)]);
  const config = parsed.data;

  issues.push(...withConfigPlace(canonicalTypeRule(data, config), ctx));
  const fromFolders = loadIndicatorEntries(root, config);
  issues.push(...withConfigPlace(fromFolders.issues, ctx));
  const indicators: LoadedIndicator[] = [...fromFolders.indicators];
  (ctx.indicators ?? []).forEach((input, i) => {
    // named by its id where it has one (the place of a mistake in a script's indicators)
    const id = (input as { id?: unknown } | null)?.id;
    const place = `(Code: Indikator ${typeof id === 'string' && id !== '' ? `"${id}", ` : ''}Nr. ${i + 1})`;
    const r = IndicatorSchema.safeParse(input, zodGerman);
    if (r.success) indicators.push({ def: r.data, file: place });
    else issues.push(...zodIssuesToIssues(r.error, place));
  });

  // a project that only loads its sources (the GENESIS example) computes nothing: say so, or every
  // command reports "0 Werte" and "0 Diagrammdateien" without a reason
  if (indicators.length === 0)
    issues.push(
      ...withConfigPlace(
        [
          {
            severity: 'warning',
            code: 'config.no_indicators',
            path: 'indicators',
            message:
              'Keine Indikatoren: indicators: nennt keine Indikatordatei (oder nur leere Ordner). spm lädt und prüft die Quellen, ' +
              'berechnet aber keine Kennzahlen und zeichnet keine Diagramme. Den Standardsatz einbinden mit ' +
              'indicators: ["spm:standard"] oder eigene Indikatoren in einem Ordner ablegen (README: „The standard set“, „Indicators“).',
          },
        ],
        ctx,
      ),
    );
  issues.push(...withIndicatorLines(withConfigPlace(checkProjectRules(config, indicators), ctx), indicators));
  const goals = loadGoals(config, root, indicators, ctx.yaml, ctx.shown);
  issues.push(...goals.issues);
  if (hasErrors(issues)) throw new UserError(issues);
  const project: Project = { root, config, indicators, goals: goals.goals };
  if (ctx.configFile) project.configFile = ctx.configFile;
  return { project, issues };
}

/** Issues from rules about spm.yaml itself get its file name and line. */
function withConfigPlace(issues: Issue[], ctx: { yaml?: ParsedYaml; shown: string }): Issue[] {
  return issues.map((i) => {
    if (i.file) return i;
    const out: Issue = { ...i, file: ctx.shown };
    const line = i.path ? ctx.yaml?.lineOf(parsePath(i.path)) : undefined;
    if (line !== undefined) out.line = line;
    return out;
  });
}

/** Issues about indicator files get the line of their YAML path. */
function withIndicatorLines(issues: Issue[], indicators: readonly LoadedIndicator[]): Issue[] {
  const byFile = new Map(indicators.filter((i) => i.absPath).map((i) => [i.file, i.absPath as string]));
  const parsed = new Map<string, ParsedYaml>();
  return issues.map((i) => {
    const abs = i.file ? byFile.get(i.file) : undefined;
    if (!abs || i.line !== undefined || !i.path) return i;
    let y = parsed.get(abs);
    if (!y) {
      y = parseYaml(fs.readFileSync(abs), i.file as string);
      parsed.set(abs, y);
    }
    const line = y.lineOf(parsePath(i.path));
    return line === undefined ? i : { ...i, line };
  });
}

/** `sources[2].id` -> `['sources', 2, 'id']`. */
function parsePath(p: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}
