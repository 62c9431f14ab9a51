/**
 * Boundary changes in the compute stage: rows of an old code delivered after its
 * validity (loaded by ingest because `areas.changes` maps them) are moved to the new
 * codes in a source's aggregate table before the base cells are formed.
 *
 * - rename, merge: the old code's sums go to the new code unchanged (exact);
 * - split with weights: each count is divided by the weights with the largest-remainder
 *   method, so the parts stay whole numbers and add up to the old count exactly (the
 *   sums above stay exact, and the attacker model of src/privacy, whole non-negative
 *   counts, still holds); the cells receiving a part are recorded in `spm_est_cells`
 *   and their rows get status `estimated`. A part of a missing or source-suppressed
 *   (`*`) old value cannot be divided: it makes the new cells missing.
 *
 * Afterwards the aggregate table is summed again by (area, year), so a new code that
 * also had rows of its own gets the sum of both.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';
import { carryTargets } from '../config/area-changes.js';
import type { AreaChange } from '../config/schema.js';
import { quoteIdent } from '../util/sql.js';
import { bindable, Params } from './params.js';

/** Divides `v` by `weights` (largest remainder; ties to the earlier target): whole parts adding up to `v`. */
export function divideCount(v: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(v)) return weights.map((w) => v * w);
  const raw = weights.map((w) => v * w);
  const parts = raw.map((x) => Math.floor(x + 1e-9));
  let left = v - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => ({ i, r: x - Math.floor(x + 1e-9) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    parts[o.i]!++;
    left--;
  }
  return parts;
}

/**
 * Moves the carried rows of one source's aggregate table `spm_agg_<source>` (measure i
 * has columns `m<i>_rows`, `_value`, `_missing`, `_suppressed`, `_ref`) to their new codes.
 * `mids[i]` is the measure id of column prefix `m<i>`.
 */
export async function carryAggregates(
  conn: DuckDBConnection,
  sourceId: string,
  mids: readonly number[],
  changes: readonly AreaChange[],
  /** Per measure: a value the source publishes (a rate), never summed or divided. */
  published: readonly boolean[] = [],
): Promise<void> {
  const old = [...new Set(changes.flatMap((c) => c.from.filter((x) => !c.to.includes(x))))].sort();
  if (old.length === 0) return;
  const table = quoteIdent(`spm_agg_${sourceId}`);
  const codes = bindable([listValue(old)]);
  // rows of an old code after its validity (earlier rows are its own cells)
  const late = `${table} g USING areas a WHERE a.area_id = g.area_id AND list_contains($1::VARCHAR[], g.area_id)
    AND a.valid_to IS NOT NULL AND g.year > a.valid_to`;
  const read = await conn.runAndReadAll(
    `SELECT g.* FROM ${table} g JOIN areas a ON a.area_id = g.area_id WHERE list_contains($1::VARCHAR[], g.area_id)
    AND a.valid_to IS NOT NULL AND g.year > a.valid_to ORDER BY g.area_id, g.year`,
    codes,
  );
  const rows = read.getRowObjectsJS();
  if (rows.length === 0) return;
  const moved: Record<string, unknown>[] = [];
  /** Parts of divided old rows: measure, divided row, new code, year. */
  const estimated: [number, string, string, number][] = [];
  for (const r of rows) {
    const code = String(r.area_id);
    const year = Number(r.year);
    const carry = carryTargets(changes, code, year);
    // ingest loads only rows it can carry; anything else here would be lost silently
    if (!carry) throw new Error(`carried row of ${code} ${year} has no target`);
    const w = carry.targets.map((t) => t.weight);
    const out = carry.targets.map((t) => ({ area_id: t.id, year }) as Record<string, unknown>);
    mids.forEach((mid, i) => {
      const k = (s: string): string => `m${i}_${s}`;
      const value = r[k('value')] === null ? null : Number(r[k('value')]);
      const missing = Number(r[k('missing')] ?? 0);
      const suppressed = Number(r[k('suppressed')] ?? 0);
      const nrows = Number(r[k('rows')] ?? 0);
      // a published rate follows a renaming only: merged or split, it would be summed or divided
      const carriable = !published[i] || carry.renameOnly;
      const divisible = carriable && (!carry.estimated || (missing === 0 && suppressed === 0 && value !== null));
      const parts = carry.estimated && divisible ? divideCount(value as number, w) : null;
      out.forEach((o, t) => {
        o[k('rows')] = nrows;
        o[k('ref')] = r[k('ref')] ?? null;
        if (!carry.estimated && carriable) {
          o[k('value')] = value;
          o[k('missing')] = missing;
          o[k('suppressed')] = suppressed;
        } else if (!divisible) {
          o[k('value')] = null;
          o[k('missing')] = Math.max(1, missing + suppressed);
          o[k('suppressed')] = 0;
        } else {
          o[k('value')] = parts![t];
          o[k('missing')] = 0;
          o[k('suppressed')] = 0;
          if ((value as number) !== 0) estimated.push([mid, `${code}|${year}`, String(o.area_id), year]);
        }
      });
    });
    moved.push(...out);
  }
  const cols = read.columnNames();
  await conn.run(`DELETE FROM ${late}`, codes);
  for (const o of moved) {
    const q = new Params();
    const values = cols.map((c) => q.add(o[c] ?? null));
    await conn.run(
      `INSERT INTO ${table} (${cols.map(quoteIdent).join(', ')}) VALUES (${values.join(', ')})`,
      bindable(q.values),
    );
  }
  // a new code with rows of its own and carried rows: one row per (area, year) again, each
  // column keeping its type (the plan declares the aggregate's columns, compute/plan-tables.ts)
  const types = new Map(
    (await conn.runAndReadAll(`DESCRIBE ${table}`))
      .getRowObjectsJS()
      .map((r) => [String(r.column_name), String(r.column_type)]),
  );
  const sums = cols
    .filter((c) => c !== 'area_id' && c !== 'year')
    .map((c) => {
      const q = quoteIdent(c);
      const agg = c.endsWith('_ref') ? `MIN(${q})` : `SUM(${q})`;
      return `CAST(${agg} AS ${types.get(c) ?? 'DOUBLE'}) AS ${q}`;
    });
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT area_id, year, ${sums.join(', ')} FROM ${table} GROUP BY area_id, year`,
  );
  if (estimated.length === 0) return;
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE spm_est_parts (mid INTEGER, grp VARCHAR, area_id VARCHAR, year INTEGER)',
  );
  for (const e of estimated) await conn.run('INSERT INTO spm_est_parts VALUES ($1, $2, $3, $4)', bindable(e));
  await conn.run(ESTIMATED_CELLS_SQL);
  await conn.run('DROP TABLE spm_est_parts');
}

/**
 * Which cells hold an estimate: every area (and group of a second hierarchy) that
 * contains some but not all parts of a divided row. An area holding all of them
 * (the Kommune around a split Sozialraum, the Kreis) has the exact old count.
 */
const ESTIMATED_CELLS_SQL = `INSERT INTO spm_est_cells
WITH n AS (SELECT mid, grp, COUNT(*) AS parts FROM spm_est_parts GROUP BY mid, grp),
held AS (
  SELECT p.mid, p.grp, x.anc_id AS area_id, p.year, COUNT(*) AS k
  FROM spm_est_parts p JOIN spm_area_anc x ON x.area_id = p.area_id GROUP BY ALL
  UNION ALL
  SELECT p.mid, p.grp, g.group_id, p.year, COUNT(*)
  FROM spm_est_parts p JOIN spm_area_anc x ON x.area_id = p.area_id JOIN area_groups g ON g.area_id = x.anc_id GROUP BY ALL
)
SELECT DISTINCT h.mid, h.area_id, h.year FROM held h JOIN n ON n.mid = h.mid AND n.grp = h.grp WHERE h.k < n.parts`;
