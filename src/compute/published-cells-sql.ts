/**
 * Cells of a published value (an indicator with `published:` instead of counts).
 *
 * The base cells come from the usual aggregate pass (the value of the one row of
 * an area and year, and 1 as its "denominator"). The roll-ups that pass made are
 * deleted: a rate is never summed. In their place come the totals rows the source
 * itself publishes (a row of any declared level above the source's or of the top,
 * kept at load in `spm_totals_<id>`), filtered like the indicator; in a Kreis of one Kommune (a
 * kreisfreie Stadt) the Kommune's row is also the Kreis value.
 */
import { compileFilter, parseFilter } from '../compile/filter/index.js';
import type { CompiledIndicator, CompiledSql } from '../compile/types.js';
import { totalsTable } from '../ingest/totals.js';
import { quoteIdent } from '../util/sql.js';
import { Params } from './params.js';

export function publishedCellsSql(
  ind: CompiledIndicator,
  numMid: number,
  denMid: number,
  kreisAgs: string,
  withTotals: boolean,
): CompiledSql[] {
  const del = new Params();
  const out: CompiledSql[] = [
    {
      sql: `DELETE FROM spm_mcells WHERE mid IN (${del.add(numMid)}, ${del.add(denMid)}) AND NOT is_base`,
      parameters: del.values,
    },
  ];
  if (!withTotals) return out;
  const m = ind.numerator.measure;
  const parameters: unknown[] = [];
  const where =
    m.filter !== undefined ? compileFilter(parseFilter(m.filter), parameters, (c) => `t.${quoteIdent(c)}`) : 'TRUE';
  const p = new Params(parameters);
  const col = `t.${quoteIdent(m.column as string)}`;
  const src = p.add(ind.numerator.sourceId);
  const num = p.add(numMid);
  const den = p.add(denMid);
  const kreis = p.add(kreisAgs);
  const sql = `INSERT INTO spm_mcells
WITH t AS (
  SELECT t.level, t.area_id, t.year, ${col} AS v, t._file || ':' || CAST(t._line AS VARCHAR) AS ref
  FROM ${quoteIdent(totalsTable(ind.numerator.sourceId))} t
  WHERE ${where}
    AND EXISTS (SELECT 1 FROM areas a WHERE a.area_id = t.area_id AND a.level = t.level)
), top_level AS (SELECT level FROM areas WHERE depth = 0),
lv AS (
  SELECT level, area_id, year, v, ref FROM t
  UNION ALL
  -- a kreisfreie Stadt: its one Kommune's published value is the Kreis value too
  SELECT (SELECT level FROM top_level), CAST(${kreis} AS VARCHAR), year, v, ref FROM t
  WHERE t.area_id IN (SELECT area_id FROM areas WHERE depth = 1) AND (SELECT COUNT(*) FROM areas WHERE depth = 1) = 1
    AND NOT EXISTS (SELECT 1 FROM t k WHERE k.level = (SELECT level FROM top_level) AND k.year = t.year)
), one AS (
  -- two published rows for one area and year: not a value (as duplicate keys at load)
  SELECT level, area_id, year, any_value(v) AS v, any_value(ref) AS ref FROM lv
  WHERE area_id IS NOT NULL GROUP BY level, area_id, year HAVING COUNT(*) = 1
)
SELECT mid, ${src}, level, area_id, year, 1, val, TRUE, val IS NULL, 0, 0, 0, FALSE, ref, 0, 0, 0
FROM (
  SELECT CAST(${num} AS INTEGER) AS mid, level, area_id, year, CAST(v AS DOUBLE) AS val, ref FROM one
  UNION ALL
  SELECT CAST(${den} AS INTEGER), level, area_id, year, CAST(1 AS DOUBLE), ref FROM one
)`;
  out.push({ sql, parameters: p.values });
  return out;
}
