/**
 * Published totals in source files (a Kommune, Stadt or Kreis row among the
 * Sozialräume): not loaded as areas, but kept with their values so that the
 * export can compare them with the sum of the parts ("published total vs sum of
 * parts", datenqualitaet_summen.csv) instead of discarding them.
 *
 * A total is placed in the hierarchy by its code (Kommune AGS, Kreis AGS);
 * only a row without a code is placed by the Kommune's or the Kreis's name, and a
 * generic label ("Insgesamt", "Summe") only where it cannot mean anything else.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AreaLevel } from '../config/schema.js';
import { quoteIdent } from '../util/sql.js';
import type { AreaIndex } from './areas.js';
import type { LoadedColumn } from './types.js';

export interface PublishedTotal {
  file: string;
  line: number;
  level: 'kommune' | 'kreis';
  /** Kommune AGS or Kreis AGS. */
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

/** Where a totals row belongs in the hierarchy, or null if it cannot be placed. */
export function placeTotal(
  areas: AreaIndex,
  sourceLevel: AreaLevel,
  cell: string,
): Pick<PublishedTotal, 'level' | 'area_id' | 'by'> | null {
  const t = cell.trim();
  const reg = areas.registry;
  const kreis = reg.kreis.ags;
  const komByAgs = new Set(reg.kommunen.map((k) => k.ags));
  if (t === kreis || t === kreis + '000') {
    // a kreisfreie Stadt: <Kreis>000 is also its one Kommune
    if (sourceLevel === 'sozialraum' && komByAgs.has(t)) return { level: 'kommune', area_id: t, by: 'code' };
    return { level: 'kreis', area_id: kreis, by: 'code' };
  }
  if (komByAgs.has(t)) return { level: 'kommune', area_id: t, by: 'code' };
  if (/^\d{7}$/.test(t) && komByAgs.has('0' + t)) return { level: 'kommune', area_id: '0' + t, by: 'code' };
  const l = t.toLowerCase();
  const kom = reg.kommunen.filter((k) => k.name.toLowerCase() === l);
  if (kom.length === 1 && sourceLevel === 'sozialraum') return { level: 'kommune', area_id: kom[0]!.ags, by: 'name' };
  if (l === reg.kreis.name.trim().toLowerCase()) return { level: 'kreis', area_id: kreis, by: 'name' };
  // "Insgesamt", "Summe": placed only where it cannot be anything else – in a Kommune-level
  // file the Kreis, in a Sozialraum file of a Kreis with one Kommune that Kommune. In a
  // Sozialraum file of several Kommunen it may be a Kommune's or the Kreis's total: not placed.
  if (sourceLevel === 'kommune') return { level: 'kreis', area_id: kreis, by: 'label' };
  if (reg.kommunen.length === 1) return { level: 'kommune', area_id: reg.kommunen[0]!.ags, by: 'label' };
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
