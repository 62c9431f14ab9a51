/**
 * Published totals in source files (a Kommune, Stadt or Kreis row among the
 * Sozialräume): not loaded as areas, but kept with their values so that the
 * export can compare them with the sum of the parts ("published total vs sum of
 * parts", datenqualitaet_summen.csv) instead of discarding them.
 *
 * A total is placed in the hierarchy by its code (a Kommune AGS, a Bezirk or
 * Prognoseraum code, the Kreis or Stadt code), on every declared level above the
 * source's; only a row without a code is placed by a name, and a generic label
 * ("Insgesamt", "Summe") only where it cannot mean anything else.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AreaLevel } from '../config/schema.js';
import { quoteIdent } from '../util/sql.js';
import { depthOf, topNameKeys } from '../config/hierarchy.js';
import { areaKey, withLostZero, type AreaIndex } from './areas.js';
import type { Area, LoadedColumn } from './types.js';

export interface PublishedTotal {
  file: string;
  line: number;
  /** Level of the area the row is the total of: the top's level or a declared level above the source's. */
  level: string;
  /** Code of that area (Kommune AGS, Bezirk code, Kreis or Stadt code). */
  area_id: string;
  /** The area cell as written in the file. */
  label: string;
  /** How the row was placed: by its code or (no code in the file) by its name or a totals word. */
  by: 'code' | 'name' | 'label';
  year: number;
  period: string;
  /** Values of the source's columns (config order); unparseable cells are null. */
  values: (number | string | boolean | null)[];
}

/**
 * Where a totals row belongs in the hierarchy, or null if it cannot be placed: any
 * area above the source's level (Kommune, Stadtbezirk, Prognoseraum …) or the top,
 * by its code; only a row without a code by a name that is unique above the source's
 * level, and a totals word only where it can mean one area alone.
 */
export function placeTotal(
  areas: AreaIndex,
  sourceLevel: AreaLevel,
  cell: string,
): Pick<PublishedTotal, 'level' | 'area_id' | 'by'> | null {
  const t = cell.trim();
  const reg = areas.registry;
  const h = reg.hierarchy;
  const top = h.top.id;
  const depth = depthOf(h, sourceLevel);
  const above = (a: Area | undefined): Area | undefined => (a !== undefined && a.depth < depth ? a : undefined);
  const z = withLostZero(t);
  // a code of an area above the source's level; a kreisfreie Stadt's <Kreis>000 is also its one Kommune
  const hit = above(areas.byId.get(t)) ?? (z === undefined ? undefined : above(areas.byId.get(z)));
  if (hit !== undefined) return { level: hit.level, area_id: hit.id, by: 'code' };
  if (t === top || z === top || (h.kreisShape && t === top + '000'))
    return { level: h.top.level, area_id: top, by: 'code' };
  // by name in any spelling (case, spaces, dashes: "Hamburg - Mitte" = "Hamburg-Mitte")
  const l = areaKey(t);
  const named = reg.areas.filter((a) => a.depth < depth && areaKey(a.name) === l);
  if (named.length === 1) return { level: named[0]!.level, area_id: named[0]!.id, by: 'name' };
  if (named.length === 0 && topNameKeys(h, areaKey).has(l)) return { level: h.top.level, area_id: top, by: 'name' };
  // "Insgesamt", "Summe": placed only where it cannot be anything else – in a file of the
  // level below the top the top, else the level above the source's when it has one area
  // only. In a file below several areas it may be any of their totals: not placed.
  if (named.length > 0) return null;
  if (depth === 1) return { level: h.top.level, area_id: top, by: 'label' };
  const parents = reg.areas.filter((a) => a.depth === depth - 1);
  if (parents.length === 1) return { level: parents[0]!.level, area_id: parents[0]!.id, by: 'label' };
  return null;
}

/** Table of a source's published totals: `spm_totals_<id>`. */
export function totalsTable(sourceId: string): string {
  return `spm_totals_${sourceId}`;
}

/** Writes the published totals of a source into `spm_totals_<id>` (values as parameters). */
export async function writeTotals(
  conn: DuckDBConnection,
  sourceId: string,
  columns: readonly LoadedColumn[],
  totals: readonly PublishedTotal[],
): Promise<void> {
  const table = quoteIdent(totalsTable(sourceId));
  const type = (t: LoadedColumn['type']): string => (t === 'text' ? 'VARCHAR' : t === 'boolean' ? 'BOOLEAN' : 'DOUBLE');
  const defs = [
    '_file VARCHAR',
    '_line BIGINT',
    'level VARCHAR',
    'area_id VARCHAR',
    'label VARCHAR',
    'placed_by VARCHAR',
    'year INTEGER',
    'period VARCHAR',
    ...columns.map((c) => `${quoteIdent(c.name)} ${type(c.type)}`),
  ];
  await conn.run(`CREATE OR REPLACE TABLE ${table} (${defs.join(', ')})`);
  if (totals.length === 0) return;
  const n = 8 + columns.length;
  const stmt = await conn.prepare(
    `INSERT INTO ${table} VALUES (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')})`,
  );
  try {
    for (const t of totals) {
      stmt.bindVarchar(1, t.file);
      stmt.bindBigInt(2, BigInt(t.line));
      stmt.bindVarchar(3, t.level);
      stmt.bindVarchar(4, t.area_id);
      stmt.bindVarchar(5, t.label);
      stmt.bindVarchar(6, t.by);
      stmt.bindInteger(7, t.year);
      stmt.bindVarchar(8, t.period);
      columns.forEach((c, i) => {
        const v = t.values[i] ?? null;
        if (v === null) stmt.bindNull(9 + i);
        else if (c.type === 'text') stmt.bindVarchar(9 + i, String(v));
        else if (c.type === 'boolean') stmt.bindBoolean(9 + i, v === true);
        else stmt.bindDouble(9 + i, Number(v));
      });
      await stmt.run();
    }
  } finally {
    stmt.destroySync();
  }
}
