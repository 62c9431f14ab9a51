/**
 * "Published total vs sum of parts": every totals row a source file carried (a
 * Kommune, Bezirk, Prognoseraum, Stadt or Kreis row – any declared level above the
 * source's, kept at load in `spm_totals_<id>`) next to spm's own roll-up of the
 * same column over the parts below it in the area hierarchy (matched by code),
 * with the same text keys (long format: Indikator, Ausprägung ...). Written as
 * `datenqualitaet_summen.csv`; only count columns are compared (rates do not add up).
 *
 * Data protection: a sum that contains a part below the project's minimum count
 * or a part suppressed in the source is not shown (nor its difference or its
 * status), since with the published parts it would let that part be recovered.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { Issue } from '../util/issues.js';
import type { LoadedTables } from '../ingest/types.js';
import { totalsTable } from '../ingest/totals.js';
import { projectHierarchy } from '../config/hierarchy.js';
import { quoteIdent } from '../util/sql.js';
import { Params } from '../compute/params.js';

/** The SELECT for the check table (UNION over sources and count columns), or null if there is nothing to check. */
export function totalsCheckSql(project: Project, loaded: LoadedTables): { sql: string; parameters: unknown[] } | null {
  const p = new Params();
  const minCount = p.add(project.config.settings.suppression.min_count);
  const levels = projectHierarchy(project.config).levels.length;
  const parts: string[] = [];
  for (const s of loaded.sources.values()) {
    if (s.kind !== 'aggregated' || !s.publishedTotals) continue;
    const texts = s.columns.filter((c) => c.type === 'text').map((c) => quoteIdent(c.name));
    const merkmal = texts.length > 0 ? `concat_ws(' / ', ${texts.map((t) => `t.${t}`).join(', ')})` : 'NULL';
    const same = texts.map((t) => ` AND q.${t} IS NOT DISTINCT FROM t.${t}`).join('');
    const groupTexts = texts.map((t) => `, s.${t}`).join('');
    for (const c of s.columns.filter((x) => x.type === 'count')) {
      const col = quoteIdent(c.name);
      const flag = quoteIdent(`${c.name}__flag`);
      const dec = p.add(c.decimals ?? 6);
      const src = quoteIdent(s.table);
      // one row per area above the rows (every declared level and the top), by code
      const nodes = `
    SELECT anc.anc_id AS node, s.year${groupTexts},
      SUM(s.${col}) AS summe, COUNT(*) AS teile, COUNT(*) FILTER (WHERE s.${col} IS NULL) AS fehlend,
      COUNT(*) FILTER (WHERE (s.${col} > 0 AND s.${col} < ${minCount}) OR s.${flag} = 'suppressed') AS klein
    FROM ${src} s JOIN spm_check_anc anc ON anc.area_id = s.area_id AND anc.anc_id <> s.area_id
    GROUP BY anc.anc_id, s.year${groupTexts}`;
      const label = p.add(s.id);
      const colName = p.add(c.name);
      parts.push(`SELECT ${label} AS quelle, t._file AS datei, t._line AS zeile, t.level AS ebene, t.area_id AS gebiet,
    t.label AS bezeichnung_in_datei, t.placed_by AS zugeordnet_nach, t.year AS jahr, t.period AS zeitraum, ${merkmal} AS merkmal,
    ${colName} AS spalte, t.${col} AS veroeffentlicht,
    CASE WHEN q.klein = 0 THEN round(q.summe, ${dec}) END AS summe_der_teile,
    CASE WHEN q.klein = 0 THEN round(t.${col} - q.summe, ${dec}) END AS differenz,
    COALESCE(q.teile, 0) AS teile, COALESCE(q.fehlend, 0) AS teile_ohne_wert,
    CASE
      WHEN t.${col} IS NULL THEN 'kein_veroeffentlichter_wert'
      WHEN q.teile IS NULL THEN 'keine_teile'
      WHEN q.klein > 0 THEN 'nicht_ausgewiesen_geheimhaltung'
      WHEN q.fehlend > 0 THEN 'unvollstaendig'
      WHEN round(t.${col} - q.summe, ${dec}) = 0 THEN 'gleich'
      ELSE 'abweichend' END AS status
  FROM ${quoteIdent(totalsTable(s.id))} t
  LEFT JOIN (${nodes}) q
    ON q.node = t.area_id AND q.year = t.year${same}`);
    }
  }
  if (parts.length === 0) return null;
  // every area with each of its ancestors (codes are unique over all levels and the top)
  const anc = `WITH RECURSIVE spm_check_anc(area_id, anc_id) AS (
    SELECT area_id, area_id FROM areas WHERE depth BETWEEN 1 AND ${p.add(levels)}
    UNION ALL
    SELECT c.area_id, a.parent_id FROM spm_check_anc c JOIN areas a ON a.area_id = c.anc_id WHERE a.parent_id IS NOT NULL
  )`;
  return {
    sql: `${anc}\nSELECT * FROM (${parts.join('\nUNION ALL\n')}) ORDER BY quelle, datei, zeile, spalte`,
    parameters: p.values,
  };
}

const de = (x: number): string => x.toLocaleString('de-DE', { maximumFractionDigits: 6 });

/**
 * The published totals that differ from spm's sum of their parts, as one warning for the planner
 * (none when every comparable total matches): a total larger than its parts says that areas or
 * rows are missing (an area list without `gueltig_ab` for areas that did not exist yet, a "-" of
 * the source read as 0), a smaller one that a part is counted twice. Either way the sums spm
 * publishes above those parts may be wrong. Sums with a small or suppressed part stay withheld.
 */
export async function totalsDifferIssue(
  conn: DuckDBConnection,
  project: Project,
  loaded: LoadedTables,
): Promise<Issue | undefined> {
  const check = totalsCheckSql(project, loaded);
  if (check === null) return undefined;
  const r = await conn.runAndReadAll(
    `SELECT datei, zeile, ebene, gebiet, jahr, spalte, merkmal, veroeffentlicht, summe_der_teile, count(*) OVER () AS n
     FROM (${check.sql}) WHERE status = 'abweichend'
     ORDER BY abs(differenz) DESC, datei, zeile, spalte LIMIT 3`,
    check.parameters as DuckDBValue[],
  );
  const rows = r.getRowObjectsJS();
  const first = rows[0];
  if (first === undefined) return undefined;
  const examples = rows
    .map(
      (x) =>
        `${x.datei}:${x.zeile} ${x.ebene} „${x.gebiet}“ ${x.jahr}, ${x.spalte}${x.merkmal ? ` (${x.merkmal})` : ''}: ` +
        `in der Datei ${de(Number(x.veroeffentlicht))}, Summe der Teile ${de(Number(x.summe_der_teile))}`,
    )
    .join('; ');
  const n = Number(first.n);
  return {
    severity: 'warning',
    code: 'totals.differ',
    message:
      `${n === 1 ? 'Eine Summenzeile' : `${de(n)} Summenzeilen`} der Eingangsdateien ${n === 1 ? 'weicht' : 'weichen'} von der ` +
      `Summe ihrer Teile ab, die spm bildet (${examples}). Die Werte darüber können falsch sein: fehlen Gebiete oder Zeilen ` +
      `(Gebiete, die es in dem Jahr noch nicht gab, brauchen gueltig_ab in der Gebietsliste; ein „-“ der Quelle zählt als 0), ` +
      `oder ist ein Teil doppelt gezählt? Alle Vergleiche: datenqualitaet_summen.csv (intern).`,
  };
}
