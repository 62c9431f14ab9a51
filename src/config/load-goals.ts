/**
 * The goals of a project (`ziele:` in spm.yaml, or the file it names): read,
 * validated with zod (German messages with file, line and YAML path) and checked
 * against the indicators: a known indicator, a Zielwert inside the indicator's
 * range, a direction for context indicators. Area codes are checked once the area
 * list is loaded (steering/goal-areas.ts).
 */
import fs from 'node:fs';
import type { LoadedIndicator } from './project.js';
import type { ProjectFile } from './schema.js';
import { GoalsFileSchema, type Goal, type LoadedGoal } from './goals-schema.js';
import { parseYaml, type ParsedYaml } from './yaml-source.js';
import { zodGerman, zodIssuesToIssues } from './zod-issues.js';
import type { Issue } from '../util/issues.js';
import { displayPath, resolveInProject } from '../util/paths.js';
import { linksOutside } from '../util/links.js';
import { recordFileRead } from './read-log.js';
import { goalIssue } from './goal-issue.js';

export { goalIssue };

export interface GoalsResult {
  goals: LoadedGoal[];
  issues: Issue[];
}

/**
 * @param yaml the parsed spm.yaml (for lines of goals written inline), if read from a file
 * @param shown how spm.yaml is shown in messages
 */
export function loadGoals(
  config: ProjectFile,
  root: string,
  indicators: readonly LoadedIndicator[],
  yaml: ParsedYaml | undefined,
  shown: string,
): GoalsResult {
  const entry = config.ziele;
  if (entry === undefined) return { goals: [], issues: [] };
  let goals: Goal[];
  let file = shown;
  let source: ParsedYaml | undefined = yaml;
  if (typeof entry === 'string') {
    const at = { file: shown, path: 'ziele', ...lineAt(yaml, ['ziele']) };
    const r = resolveInProject(root, entry);
    if ('error' in r) return fail({ severity: 'error', code: 'goals.path', message: r.error, ...at });
    // a link out of the project is not read (as for every other file spm.yaml names)
    const outside = config.settings.allow_links_outside_project ? [] : linksOutside(root, [r.abs], 'ziele');
    if (outside[0]) return fail({ ...outside[0], ...at });
    file = displayPath(root, r.abs);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(r.abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const message =
        code === 'ENOENT'
          ? `Zieldatei ${file} nicht gefunden`
          : `Zieldatei ${file} ist nicht lesbar (${code ?? 'Fehler'})`;
      return fail({ severity: 'error', code: 'goals.missing', message, ...at });
    }
    recordFileRead(r.abs, bytes);
    source = parseYaml(bytes, file);
    if (source.data === undefined) return { goals: [], issues: source.issues };
    const parsed = GoalsFileSchema.safeParse(source.data, zodGerman);
    if (!parsed.success) return { goals: [], issues: zodIssuesToIssues(parsed.error, file, source) };
    goals = parsed.data.ziele;
  } else goals = entry;
  const loaded = goals.map((def, index) => ({ def, file, index, lines: goalLines(source, def, index) }));
  return { goals: loaded, issues: goalRules(loaded, indicators) };
}

function fail(issue: Issue): GoalsResult {
  return { goals: [], issues: [issue] };
}

function lineAt(yaml: ParsedYaml | undefined, p: PropertyKey[]): { line?: number } {
  const line = yaml?.lineOf(p);
  return line === undefined ? {} : { line };
}

function goalLines(yaml: ParsedYaml | undefined, g: Goal, i: number): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (key: string, p: PropertyKey[]): void => {
    const line = yaml?.lineOf(['ziele', i, ...p]);
    if (line !== undefined) out[key] = line;
  };
  put('', []);
  for (const k of ['id', 'gebiet', 'ebene', 'kennzahl', 'zielwert', 'richtung']) put(k, [k]);
  g.gebiete?.forEach((_, j) => put(`gebiete[${j}]`, ['gebiete', j]));
  g.meilensteine.forEach((_, j) => put(`meilensteine[${j}]`, ['meilensteine', j, 'wert']));
  return out;
}

/** Smallest and largest value the indicator can take (percent shares 0–100, everything else >= 0). */
export function indicatorRange(ind: LoadedIndicator['def']): { min: number; max: number } {
  const share = ind.unit === 'percent' && ind.proportion !== false;
  return { min: 0, max: share ? 100 : Number.POSITIVE_INFINITY };
}

const UNIT_WORD: Record<string, string> = {
  percent: '%',
  per_1000: 'je 1.000',
  per_10000: 'je 10.000',
  per_100000: 'je 100.000',
  count: 'Anzahl',
  ratio: 'Verhältnis',
};

function goalRules(goals: readonly LoadedGoal[], indicators: readonly LoadedIndicator[]): Issue[] {
  const issues: Issue[] = [];
  const byId = new Map(indicators.map((i) => [i.def.id, i.def]));
  const seen = new Set<string>();
  for (const g of goals) {
    const d = g.def;
    if (seen.has(d.id)) issues.push(goalIssue(g, 'id', 'error', 'goals.duplicate', `Ziel-id "${d.id}" ist doppelt`));
    seen.add(d.id);
    const ind = byId.get(d.kennzahl);
    if (!ind) {
      const known = [...byId.keys()].sort().join(', ');
      issues.push(
        goalIssue(
          g,
          'kennzahl',
          'error',
          'goals.indicator',
          `Kennzahl "${d.kennzahl}" ist nicht definiert (vorhanden: ${known})`,
        ),
      );
      continue;
    }
    const range = indicatorRange(ind);
    const outside = (v: number) => v < range.min || v > range.max;
    const rangeText =
      range.max === Number.POSITIVE_INFINITY ? `mindestens ${range.min}` : `zwischen ${range.min} und ${range.max}`;
    const unit = UNIT_WORD[ind.unit] ?? ind.unit;
    if (d.zielwert !== undefined && outside(d.zielwert))
      issues.push(
        goalIssue(
          g,
          'zielwert',
          'error',
          'goals.range',
          `Zielwert ${d.zielwert} liegt außerhalb des Wertebereichs der Kennzahl "${d.kennzahl}" (${unit}: ${rangeText})`,
        ),
      );
    d.meilensteine.forEach((m, j) => {
      if (m.wert !== undefined && outside(m.wert))
        issues.push(
          goalIssue(
            g,
            `meilensteine[${j}]`,
            'error',
            'goals.range',
            `Meilenstein ${m.jahr}: Wert ${m.wert} liegt außerhalb des Wertebereichs (${unit}: ${rangeText})`,
          ),
        );
    });
    if (ind.polarity === 'neutral' && d.richtung === undefined)
      issues.push(
        goalIssue(
          g,
          'zielwert',
          'error',
          'goals.direction',
          `"${d.kennzahl}" ist eine Kontextkennzahl ohne Polarität: richtung (sinken / steigen) angeben`,
        ),
      );
    const favourable = ind.polarity === 'worse' ? 'sinken' : ind.polarity === 'better' ? 'steigen' : undefined;
    if (d.richtung !== undefined && favourable !== undefined && d.richtung !== favourable)
      issues.push(
        goalIssue(
          g,
          'richtung',
          'warning',
          'goals.against_polarity',
          `richtung: ${d.richtung} bei "${d.kennzahl}", wo ein ${ind.polarity === 'worse' ? 'höherer' : 'niedrigerer'} Wert als ungünstiger gilt; bewertet wird nach der angegebenen Richtung`,
        ),
      );
  }
  return issues;
}
