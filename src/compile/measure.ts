/**
 * Compile measures (numerator or denominator definitions) to parameterised SQL.
 *
 * All measures of one source are computed in a single GROUP BY pass over the
 * source table, each as an aggregate with its own `FILTER (WHERE ...)`: a
 * microdata source of millions of rows is scanned once, not once per indicator.
 * Identical measures (same source, measure, column and filter) share one key
 * and are computed once.
 */
import type { Measure, SourceConfig } from '../config/schema.js';
import { compileFilter, parseFilter, renderFilter } from './filter/index.js';
import { quoteIdent } from '../util/sql.js';
import type { CompiledMeasure, CompiledSql, Role } from './types.js';

export function sourceTable(sourceId: string): string {
  return `src_${sourceId}`;
}

const ROLE_DE: Record<Role, string> = { numerator: 'Zähler', denominator: 'Nenner' };

/** Identity of a measured quantity: equal keys give equal cells. */
export function measureKey(m: Measure): string {
  const filter = m.filter !== undefined ? renderFilter(parseFilter(m.filter)) : null;
  return JSON.stringify([m.source, m.measure, m.column ?? null, filter]);
}

export function compileMeasure(indicatorId: string, role: Role, m: Measure, source: SourceConfig): CompiledMeasure {
  const filterNode = m.filter !== undefined ? parseFilter(m.filter) : undefined;
  const what = m.measure === 'count' ? 'Anzahl Zeilen' : `Summe von ${m.column}`;
  const description = `${ROLE_DE[role]} von ${indicatorId}: ${what} aus Quelle "${source.id}"${filterNode ? ` mit ${renderFilter(filterNode)}` : ''}`;
  return {
    indicatorId,
    role,
    sourceId: source.id,
    key: measureKey(m),
    measure: m,
    table: sourceTable(source.id),
    level: source.area.level,
    sourceKind: source.kind,
    suppressedRange: [source.suppressed_range[0], source.suppressed_range[1]],
    description,
  };
}

/**
 * One pass over a source table computing every given measure per area and year:
 * for measure i the columns `m<i>_rows` (matching rows), `m<i>_value`,
 * `m<i>_missing`, `m<i>_suppressed` and `m<i>_ref` (file:line, aggregated sources).
 *
 * @example
 * sourceAggregateSql(seu, [adipositasNumerator])
 * // CREATE OR REPLACE TEMP TABLE "spm_agg_seu" AS
 * // SELECT area_id, year,
 * //   -- m0: Zähler von seu_adipositas: Anzahl Zeilen aus Quelle "seu" mit bmi_perzentil > 97
 * //   COUNT(*) FILTER (WHERE ("bmi_perzentil" > $1)) AS m0_rows, ...
 * // FROM "src_seu" GROUP BY area_id, year          parameters: [97]
 */
export function sourceAggregateSql(source: SourceConfig, measures: readonly CompiledMeasure[]): CompiledSql {
  const parameters: unknown[] = [];
  const cols: string[] = [];
  measures.forEach((cm, i) => {
    const m = cm.measure;
    const where = m.filter !== undefined ? compileFilter(parseFilter(m.filter), parameters) : undefined;
    const f = (extra?: string): string => {
      const conds = [where, extra].filter(Boolean);
      return conds.length ? ` FILTER (WHERE ${conds.join(' AND ')})` : '';
    };
    const p = `m${i}`;
    cols.push(`-- ${p}: ${cm.description.replace(/[\r\n]/g, ' ')}`);
    cols.push(`COUNT(*)${f()} AS ${p}_rows,`);
    if (m.measure === 'count') {
      cols.push(`CAST(COUNT(*)${f()} AS DOUBLE) AS ${p}_value, 0 AS ${p}_missing, 0 AS ${p}_suppressed,`);
    } else {
      const col = quoteIdent(m.column as string);
      if (source.kind === 'aggregated') {
        const flag = quoteIdent(`${m.column as string}__flag`);
        cols.push(
          `CAST(SUM(${col})${f()} AS DOUBLE) AS ${p}_value,`,
          `COUNT(*)${f(`${flag} = 'missing'`)} AS ${p}_missing,`,
          `COUNT(*)${f(`${flag} = 'suppressed'`)} AS ${p}_suppressed,`,
        );
      } else {
        cols.push(
          `CAST(COALESCE(SUM(${col})${f()}, 0) AS DOUBLE) AS ${p}_value, 0 AS ${p}_missing, 0 AS ${p}_suppressed,`,
        );
      }
    }
    cols.push(
      source.kind === 'aggregated'
        ? `MIN(_file || ':' || CAST(_line AS VARCHAR))${f()} AS ${p}_ref,`
        : `CAST(NULL AS VARCHAR) AS ${p}_ref,`,
    );
  });
  const body = cols.join('\n  ').replace(/,$/, '');
  const sql = `CREATE OR REPLACE TEMP TABLE ${quoteIdent(`spm_agg_${source.id}`)} AS
SELECT area_id, year,
  ${body}
FROM ${quoteIdent(sourceTable(source.id))}
GROUP BY area_id, year`;
  return { sql, parameters };
}
