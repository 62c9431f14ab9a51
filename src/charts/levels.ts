/**
 * Charts and reports think in three roles: the whole area (`kreis`), the level
 * below it (`kommune`: Kommunen, Stadtbezirke, Bezirke …) and the smallest areas
 * (`sozialraum`). A project declares its own hierarchy; its rows are mapped onto
 * these roles here, once, so every builder follows any hierarchy. Levels between
 * the second and the deepest (Berlin's Prognoseräume and Bezirksregionen) stay in
 * the tables but get no charts of their own.
 */
import type { KennzahlRow } from './types.js';

/** The three roles; as `levels` of a ChartMeta they mean "rows are already in roles". */
export const ROLES = ['kreis', 'kommune', 'sozialraum'];
const DEFAULT = ROLES;

/** Rows with `level` replaced by its role; rows of intermediate levels are left out. */
export function rowsByRole(rows: readonly KennzahlRow[], levels: readonly string[] | undefined): KennzahlRow[] {
  if (!levels || (levels.length === DEFAULT.length && levels.every((l, i) => l === DEFAULT[i]))) return [...rows];
  const role = new Map<string, KennzahlRow['level']>();
  role.set(levels[0]!, 'kreis');
  if (levels.length > 1) role.set(levels[1]!, 'kommune');
  if (levels.length > 2) role.set(levels[levels.length - 1]!, 'sozialraum');
  const out: KennzahlRow[] = [];
  for (const r of rows) {
    const l = role.get(r.level);
    if (l !== undefined) out.push(l === r.level ? r : { ...r, level: l });
  }
  return out;
}
