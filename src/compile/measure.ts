/**
 * Compile one measure (numerator or denominator) to parameterised SQL.
 *
 * The generated SQL explains itself: a comment line says which indicator, role,
 * source and filter it stands for (`spm explain` prints it).
 */
import type { Measure, SourceConfig } from '../config/schema.js';
import { compileFilter, parseFilter, renderFilter } from './filter/index.js';
import { quoteIdent } from '../util/sql.js';
import type { CompiledMeasure, Role } from './types.js';

export function sourceTable(sourceId: string): string {
  return `src_${sourceId}`;
}

const ROLE_DE: Record<Role, string> = { numerator: 'Zähler', denominator: 'Nenner' };

/**
 * @example
 * compileMeasure('seu_adipositas', 'numerator', { source: 'seu', measure: 'count', filter: 'bmi_perzentil > 97' }, seuSource)
 * // query.sql:
 * // -- Zähler von seu_adipositas: Anzahl Zeilen aus Quelle "seu" mit bmi_perzentil > 97
 * // SELECT area_id, year, CAST(COUNT(*) AS DOUBLE) AS value, 0 AS n_missing, 0 AS n_suppressed, NULL AS src_ref
 * // FROM "src_seu" WHERE ("bmi_perzentil" > $1) GROUP BY area_id, year
 * // parameters: [97]
 */
export function compileMeasure(indicatorId: string, role: Role, m: Measure, source: SourceConfig): CompiledMeasure {
  const parameters: unknown[] = [];
  const table = sourceTable(source.id);
  const filterNode = m.filter !== undefined ? parseFilter(m.filter) : undefined;
  const where = filterNode ? compileFilter(filterNode, parameters) : undefined;
  const what = m.measure === 'count' ? 'Anzahl Zeilen' : `Summe von ${m.column}`;
  const description = `${ROLE_DE[role]} von ${indicatorId}: ${what} aus Quelle "${source.id}"${filterNode ? ` mit ${renderFilter(filterNode)}` : ''}`;

  const select: string[] = ['area_id', 'year'];
  if (m.measure === 'count') {
    select.push('CAST(COUNT(*) AS DOUBLE) AS value', '0 AS n_missing', '0 AS n_suppressed');
  } else {
    const col = quoteIdent(m.column as string);
    if (source.kind === 'aggregated') {
      const flag = quoteIdent(`${m.column as string}__flag`);
      select.push(
        `CAST(SUM(${col}) AS DOUBLE) AS value`,
        `COUNT(*) FILTER (WHERE ${flag} = 'missing') AS n_missing`,
        `COUNT(*) FILTER (WHERE ${flag} = 'suppressed') AS n_suppressed`,
      );
    } else {
      select.push(`CAST(COALESCE(SUM(${col}), 0) AS DOUBLE) AS value`, '0 AS n_missing', '0 AS n_suppressed');
    }
  }
  select.push(source.kind === 'aggregated' ? "MIN(_file || ':' || CAST(_line AS VARCHAR)) AS src_ref" : 'NULL AS src_ref');
  // Why one comment line: it survives into `spm explain` and DuckDB's query logs.
  const sql = [
    `-- ${description.replace(/\n/g, ' ')}`,
    `SELECT ${select.join(', ')}`,
    `FROM ${quoteIdent(table)}`,
    ...(where ? [`WHERE ${where}`] : []),
    'GROUP BY area_id, year',
  ].join('\n');

  return {
    indicatorId,
    role,
    sourceId: source.id,
    table,
    level: source.area.level,
    sourceKind: source.kind,
    suppressedRange: [source.suppressed_range[0], source.suppressed_range[1]],
    description,
    query: { sql, parameters },
  };
}
