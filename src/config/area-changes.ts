/**
 * Boundary changes (`areas.changes`): the checks that need no area list (shape of
 * each change, weights, the order of chained changes), and the resolution of an old
 * code in a year to the codes it is carried to. The checks against the area list
 * (codes known, validity years) are in ingest/area-changes.ts.
 */
import type { Issue } from '../util/issues.js';
import type { AreaChange, ProjectFile } from './schema.js';

const KIND_DE: Record<AreaChange['kind'], string> = {
  split: 'Teilung',
  merge: 'Zusammenlegung',
  rename: 'Umbenennung',
};

/** Tolerance for weights summing to 1 (shares written with a few decimals). */
const WEIGHT_EPS = 1e-6;

/** Shape, weights and order of the declared changes; issues carry the YAML path. */
export function checkAreaChanges(config: Pick<ProjectFile, 'areas'>): Issue[] {
  const issues: Issue[] = [];
  const changes = config.areas.changes;
  const err = (i: number, sub: string, code: string, message: string): void => {
    issues.push({ severity: 'error', code: `config.area_change_${code}`, message, path: `areas.changes[${i}]${sub}` });
  };
  changes.forEach((c, i) => {
    const what = `${KIND_DE[c.kind]} ${c.year}`;
    if (c.kind !== 'merge' && c.from.length !== 1)
      err(i, '.from', 'shape', `${what}: genau ein alter Schlüssel erwartet, ${c.from.length} angegeben`);
    if (c.kind === 'merge' && c.from.length < 2)
      err(i, '.from', 'shape', `${what}: mindestens zwei alte Schlüssel erwartet (sonst kind: rename)`);
    if (c.kind !== 'split' && c.to.length !== 1)
      err(i, '.to', 'shape', `${what}: genau ein neuer Schlüssel erwartet, ${c.to.length} angegeben`);
    if (c.kind === 'split' && c.to.length < 2)
      err(i, '.to', 'shape', `${what}: mindestens zwei neue Schlüssel erwartet (sonst kind: rename)`);
    for (const [list, sub] of [
      [c.from, '.from'],
      [c.to, '.to'],
    ] as const) {
      const dup = list.find((x, k) => list.indexOf(x) !== k);
      if (dup !== undefined) err(i, sub, 'shape', `${what}: Schlüssel "${dup}" ist doppelt angegeben`);
    }
    if (c.weights !== undefined) {
      if (c.kind !== 'split') err(i, '.weights', 'weights', `${what}: Gewichte gibt es nur bei kind: split`);
      else {
        const keys = Object.keys(c.weights);
        const extra = keys.filter((k) => !c.to.includes(k));
        const missing = c.to.filter((k) => !keys.includes(k));
        if (extra.length > 0)
          err(i, '.weights', 'weights', `${what}: Gewicht für "${extra.join('", "')}", das nicht unter to steht`);
        if (missing.length > 0) err(i, '.weights', 'weights', `${what}: Gewicht fehlt für "${missing.join('", "')}"`);
        const sum = Object.values(c.weights).reduce((a, b) => a + b, 0);
        if (Math.abs(sum - 1) > WEIGHT_EPS)
          err(
            i,
            '.weights',
            'weights',
            `${what}: Gewichte ergeben zusammen ${String(Math.round(sum * 1e6) / 1e6).replace('.', ',')}, erwartet 1`,
          );
      }
    }
  });
  // an area ends at most once, and a code changes again only after the change that made it:
  // this also rules out every cycle (a cycle needs a step that does not go forward in time)
  const endedBy = new Map<string, number>();
  changes.forEach((c, i) => {
    for (const x of c.from) {
      if (c.to.includes(x)) continue; // a code that continues (split into itself and others)
      const first = endedBy.get(x);
      if (first !== undefined)
        err(i, '.from', 'cycle', `Gebiet "${x}" endet schon mit areas.changes[${first}]; ein Gebiet endet nur einmal`);
      else endedBy.set(x, i);
    }
  });
  changes.forEach((c2, j) => {
    changes.forEach((c1, i) => {
      if (i === j) return;
      const via = c2.from.find((x) => c1.to.includes(x) && !c2.to.includes(x));
      if (via !== undefined && c2.year <= c1.year)
        err(
          j,
          '.year',
          'cycle',
          `Gebiet "${via}" entsteht erst ${c1.year} (areas.changes[${i}]) und kann nicht ${c2.year} wieder geändert werden (Zyklus oder falsche Reihenfolge der Jahre)`,
        );
    });
  });
  return issues;
}

/** One target of a carried old code: the new code and its share. */
export interface CarryTarget {
  id: string;
  weight: number;
}

/**
 * Where rows of `code` in `year` belong: the new codes of every change (in year
 * order) that ended `code` by then, followed through later changes; `null` if
 * the code was not changed by then, `undefined` if it cannot be carried (a split
 * without weights on the way). `estimated` is true when a split divided the rows;
 * `renameOnly` when every change on the way was a renaming (a published rate may follow
 * those, never a merge or a split: rates are not summed or divided).
 */
export function carryTargets(
  changes: readonly AreaChange[],
  code: string,
  year: number,
): { targets: CarryTarget[]; estimated: boolean; renameOnly: boolean } | null | undefined {
  let renameOnly = true;
  const step = (id: string, from: number, depth: number): CarryTarget[] | null | undefined => {
    if (depth > changes.length) return undefined; // cycles are refused by checkAreaChanges; never loop
    const c = changes
      .filter((x) => x.year > from && x.year <= year && x.from.includes(id) && !x.to.includes(id))
      .sort((a, b) => a.year - b.year)[0];
    if (c === undefined) return null;
    if (c.kind === 'split' && c.weights === undefined) return undefined;
    if (c.kind !== 'rename') renameOnly = false;
    const out: CarryTarget[] = [];
    for (const t of c.to) {
      const w = c.kind === 'split' ? (c.weights?.[t] ?? 0) : 1;
      const next = step(t, c.year, depth + 1);
      if (next === undefined) return undefined;
      if (next === null) out.push({ id: t, weight: w });
      else for (const n of next) out.push({ id: n.id, weight: w * n.weight });
    }
    return out;
  };
  const targets = step(code, -Infinity, 0);
  if (targets === null || targets === undefined) return targets;
  return { targets, estimated: targets.some((t) => t.weight < 1), renameOnly };
}
