/**
 * Goals against the loaded area list: every `gebiet` / `gebiete` code must be the
 * top area, an area of a declared level or a group of a grouping (`areas.groupings`),
 * unambiguous or chosen with `ebene`. Issues name the goal's file, line and YAML path.
 */
import type { LoadedGoal } from '../config/goals-schema.js';
import { goalIssue } from '../config/goal-issue.js';
import type { AreaRegistry } from '../ingest/types.js';
import type { Issue } from '../util/issues.js';

/** Levels (and groupings) each area code occurs on. */
function codeLevels(reg: AreaRegistry): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const add = (id: string, level: string) => (m.get(id) ?? m.set(id, []).get(id)!).push(level);
  add(reg.hierarchy.top.id, reg.hierarchy.top.level);
  for (const a of reg.areas) add(a.id, a.level);
  for (const g of reg.groups) add(g.id, g.grouping);
  return m;
}

export function goalAreaIssues(goals: readonly LoadedGoal[], reg: AreaRegistry): Issue[] {
  if (goals.length === 0) return [];
  const levels = codeLevels(reg);
  const known = new Set([
    reg.hierarchy.top.level,
    ...reg.hierarchy.levels.map((l) => l.name),
    ...reg.groups.map((g) => g.grouping),
  ]);
  const issues: Issue[] = [];
  for (const g of goals) {
    const d = g.def;
    if (d.ebene !== undefined && !known.has(d.ebene)) {
      issues.push(
        goalIssue(
          g,
          'ebene',
          'error',
          'goals.level',
          `Ebene "${d.ebene}" ist nicht deklariert (vorhanden: ${[...known].join(', ')})`,
        ),
      );
      continue;
    }
    const check = (code: string, key: string): void => {
      const at = levels.get(code);
      if (!at)
        issues.push(
          goalIssue(
            g,
            key,
            'error',
            'goals.area',
            `Gebiet "${code}" steht nicht in der Gebietsliste (Schlüssel als Text, z. B. "05558016")`,
          ),
        );
      else if (d.ebene !== undefined && !at.includes(d.ebene))
        issues.push(
          goalIssue(
            g,
            key,
            'error',
            'goals.area',
            `Gebiet "${code}" ist kein Gebiet der Ebene "${d.ebene}" (sondern: ${at.join(', ')})`,
          ),
        );
      else if (d.ebene === undefined && at.length > 1)
        issues.push(
          goalIssue(
            g,
            key,
            'error',
            'goals.ambiguous',
            `Gebiet "${code}" kommt auf mehreren Ebenen vor (${at.join(', ')}): ebene angeben`,
          ),
        );
    };
    if (d.gebiet !== undefined) check(d.gebiet, 'gebiet');
    d.gebiete?.forEach((code, j) => check(code, `gebiete[${j}]`));
  }
  return issues;
}
