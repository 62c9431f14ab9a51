/**
 * Boundary changes against the area list: every code of `areas.changes` must be an
 * area of one level, old codes must end and new codes begin in the change year, and
 * old codes whose later rows can be carried to new codes are marked (`Area.carried`)
 * so that the row validators load those rows instead of rejecting them.
 */
import { carryTargets } from '../config/area-changes.js';
import type { AreaChange } from '../config/schema.js';
import type { Issue } from '../util/issues.js';
import type { AreaIndex } from './areas.js';

/** Checks the changes against the area list; marks carried old codes. Returns the issues (errors stop ingest). */
export function applyAreaChanges(changes: readonly AreaChange[], index: AreaIndex, areasFile: string): Issue[] {
  const issues: Issue[] = [];
  const err = (path: string, message: string): void => {
    issues.push({ severity: 'error', code: 'areas.change_invalid', message, path });
  };
  changes.forEach((c, i) => {
    const at = `areas.changes[${i}]`;
    const levels = new Set<string>();
    let known = true;
    for (const [list, key] of [
      [c.from, 'from'],
      [c.to, 'to'],
    ] as const) {
      for (const code of list) {
        const a = index.byId.get(code);
        if (a === undefined) {
          known = false;
          err(`${at}.${key}`, `Gebiet "${code}" steht nicht in der Gebietsliste ${areasFile}`);
        } else levels.add(a.level);
      }
    }
    if (!known) return;
    if (levels.size > 1)
      err(at, `alte und neue Gebiete müssen auf einer Ebene liegen, hier: ${[...levels].join(', ')}`);
    for (const code of c.from) {
      if (c.to.includes(code)) continue;
      const a = index.byId.get(code)!;
      if (a.valid_to !== c.year - 1)
        err(
          `${at}.year`,
          `Gebiet "${code}" endet mit der Änderung ${c.year}, ist laut ${areasFile} aber ${a.valid_to === undefined ? 'unbefristet gültig' : `bis ${a.valid_to} gültig`}; erwartet gueltig_bis ${c.year - 1}`,
        );
    }
    for (const code of c.to) {
      if (c.from.includes(code)) continue;
      const a = index.byId.get(code)!;
      if (a.valid_from !== c.year)
        err(
          `${at}.year`,
          `Gebiet "${code}" entsteht mit der Änderung ${c.year}, ist laut ${areasFile} aber ${a.valid_from === undefined ? 'ohne Anfangsjahr' : `ab ${a.valid_from} gültig`}; erwartet gueltig_ab ${c.year}`,
        );
    }
  });
  if (issues.length > 0) return issues;
  // old codes: rows are carried from the change year on, until a change on the way cannot carry them
  const years = [...new Set(changes.map((c) => c.year))].sort((a, b) => a - b);
  for (const c of changes) {
    for (const code of c.from) {
      if (c.to.includes(code)) continue;
      const a = index.byId.get(code)!;
      if (a.carried !== undefined) continue;
      const checks = [c.year, ...years.filter((y) => y > c.year)];
      let until: number | undefined;
      let ok = false;
      for (const y of checks) {
        if (carryTargets(changes, code, y) === undefined) {
          until = y - 1;
          break;
        }
        ok = true;
      }
      if (ok) a.carried = until === undefined ? {} : { until };
    }
  }
  return issues;
}
