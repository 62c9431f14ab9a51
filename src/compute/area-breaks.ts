/**
 * Series breaks from boundary changes (`areas.changes`): an area whose territory
 * changed has a break in the change year, so changes and trends are never read
 * across it as if the area were the same. These are the new codes of a change
 * (a code that continues after a split or absorbs a merge included) and every
 * higher area whose part of the changed territory differs before and after
 * (a Sozialraum moved from one Kommune to another breaks both Kommunen).
 */
import type { AreaChange } from '../config/schema.js';
import type { Area } from '../ingest/types.js';

export const CREATE_AREA_BREAKS =
  'CREATE OR REPLACE TABLE spm_area_breaks (area_id VARCHAR, year INTEGER, description VARCHAR)';

const KIND_DE: Record<AreaChange['kind'], string> = {
  split: 'Teilung',
  merge: 'Zusammenlegung',
  rename: 'Umbenennung',
};

export interface AreaBreak {
  area_id: string;
  year: number;
  description: string;
}

/** The breaks of every declared change, sorted (area, year); one per area and year. */
export function areaBreaks(changes: readonly AreaChange[], areas: readonly Area[]): AreaBreak[] {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    let a = byId.get(id);
    while (a !== undefined && a.depth > 1) {
      out.push(a.parent);
      a = byId.get(a.parent);
    }
    return out;
  };
  const seen = new Map<string, AreaBreak>();
  const add = (area_id: string, year: number, description: string): void => {
    const k = `${area_id}\u0001${year}`;
    if (!seen.has(k)) seen.set(k, { area_id, year, description });
  };
  for (const c of changes) {
    const description =
      c.description ?? `Gebietsänderung ${c.year}: ${KIND_DE[c.kind]} ${c.from.join(', ')} -> ${c.to.join(', ')}`;
    for (const t of c.to) add(t, c.year, description);
    const before = new Set(c.from.flatMap(ancestors));
    const after = new Set(c.to.flatMap(ancestors));
    const same = before.size === after.size && [...before].every((x) => after.has(x));
    if (!same) for (const a of [...before, ...after]) add(a, c.year, description);
  }
  return [...seen.values()].sort((a, b) => (a.area_id < b.area_id ? -1 : a.area_id > b.area_id ? 1 : a.year - b.year));
}
