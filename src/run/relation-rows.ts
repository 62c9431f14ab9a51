/**
 * `spm validate`: declared relations between columns of one aggregated source
 * (`relations: [{ total: bevoelkerung.bev_unter_18, parts: [...] }]`), checked on the
 * source's rows. `spm compute` checks every declared relation on the summed cells and refuses
 * one that does not hold (`relations.violated`, src/privacy/relations-check.ts), naming area and
 * year; validate used to pass such a project. Here the rows where it fails are named by file and
 * line. Relations with an indicator's role, across sources or over microdata (which hold on
 * sums, not on each record) are left to compute.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { LoadedTables } from '../ingest/types.js';
import type { Issue } from '../util/issues.js';
import { quoteIdent } from '../util/sql.js';

const EPS = 1e-6;
const SHOW = 5;

const fmt = (x: number): string => x.toLocaleString('de-DE', { maximumFractionDigits: 4 });

export async function relationRowIssues(
  conn: DuckDBConnection,
  project: Project,
  loaded: LoadedTables,
): Promise<Issue[]> {
  const issues: Issue[] = [];
  const relations = project.config.relations ?? [];
  for (const [i, r] of relations.entries()) {
    const refs = [r.total, ...r.parts].map((x) => x.split('.') as [string, string]);
    const sourceId = refs[0]?.[0];
    if (sourceId === undefined || refs.some(([s]) => s !== sourceId)) continue;
    const source = loaded.sources.get(sourceId);
    if (source?.kind !== 'aggregated') continue;
    const names = new Set(source.columns.map((c) => c.name));
    if (refs.some(([, c]) => !names.has(c))) continue;
    const [total, ...parts] = refs.map(([, c]) => quoteIdent(c));
    const sum = parts.join(' + ');
    const bad = r.rest ? `${total} - (${sum}) < -${EPS}` : `abs(${total} - (${sum})) > ${EPS}`;
    const res = await conn.runAndReadAll(
      `SELECT _file, _line, area_id, year, ${total} AS total, ${sum} AS parts, COUNT(*) OVER ()::INTEGER AS n
       FROM ${quoteIdent(source.table)}
       WHERE ${[total, ...parts].map((c) => `${c} IS NOT NULL`).join(' AND ')} AND ${bad}
       ORDER BY _file, _line LIMIT ${SHOW}`,
    );
    const rows = res.getRowObjectsJS();
    const first = rows[0];
    if (!first) continue;
    const n = Number(first.n);
    const lines = rows.map(
      (x) =>
        `${x._file}:${x._line} (${x.area_id}, ${x.year}): ${fmt(Number(x.total))} ${r.rest ? '<' : '≠'} ${fmt(Number(x.parts))}`,
    );
    issues.push({
      severity: 'error',
      code: 'relations.violated',
      file: project.configFile ?? 'spm.yaml',
      path: `relations[${i}]`,
      message:
        `Die erklärte Beziehung ${r.total} ${r.rest ? '>=' : '='} ${r.parts.join(' + ')} gilt in ${n} Zeile${n === 1 ? '' : 'n'} ` +
        `der Quelle ${sourceId} nicht: ${lines.join('; ')}${n > SHOW ? '; …' : ''}. spm compute rechnet so nicht: ` +
        'die Zeilen korrigieren, oder die Beziehung (z. B. "rest: true", wenn weitere Teile zur Summe gehören).',
    });
  }
  return issues;
}
