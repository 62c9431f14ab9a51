/**
 * Declared relations are promises about the data: `total = Σ parts` (or, with
 * a rest, `total >= Σ parts`) in every area and year. A promise that does not
 * hold would make the suppression protect against the wrong attacker, so it is a
 * user error naming the cells (first ten) where it fails.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError, type Issue } from '../util/issues.js';
import type { MeasureRelation } from './relations.js';

const EPS = 1e-6;
const SHOW = 10;

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toLocaleString('de-DE', { maximumFractionDigits: 4 });
}

/**
 * Checks every declared relation on the single-year measure cells
 * (`spm_mcells`, measure ids from `midOf`), where the total and all published parts
 * are complete (not missing, no source-suppressed or rejected part).
 */
export async function checkRelations(
  conn: DuckDBConnection,
  relations: readonly MeasureRelation[],
  midOf: ReadonlyMap<string, number>,
): Promise<void> {
  const issues: Issue[] = [];
  for (const r of relations) {
    if (r.origin !== 'declared') continue;
    const t = midOf.get(r.total);
    const ps = r.parts.map((p) => midOf.get(p));
    if (t === undefined || ps.some((p) => p === undefined)) continue;
    const joins = ps
      .map(
        (
          p,
          i,
        ) => `JOIN spm_mcells p${i} ON p${i}.mid = ${p} AND p${i}.level = t.level AND p${i}.area_id = t.area_id AND p${i}.year = t.year AND p${i}.pool_years = 1
  AND NOT COALESCE(p${i}.missing, FALSE) AND COALESCE(p${i}.n_suppressed, 0) = 0 AND NOT COALESCE(p${i}.rejected, FALSE)`,
      )
      .join('\n');
    const sum = ps.map((_, i) => `COALESCE(p${i}.value, 0)`).join(' + ');
    const bad = r.rest ? `t.value - (${sum}) < -${EPS}` : `abs(t.value - (${sum})) > ${EPS}`;
    const res =
      await conn.runAndReadAll(`SELECT t.level, t.area_id, t.year, t.value AS total, ${ps.map((_, i) => `p${i}.value AS v${i}`).join(', ')},
  COUNT(*) OVER ()::INTEGER AS n
FROM spm_mcells t
${joins}
WHERE t.mid = ${t} AND t.pool_years = 1 AND NOT COALESCE(t.missing, FALSE) AND COALESCE(t.n_suppressed, 0) = 0
  AND NOT COALESCE(t.rejected, FALSE) AND t.value IS NOT NULL AND ${bad}
ORDER BY CASE t.level WHEN 'sozialraum' THEN 0 WHEN 'kommune' THEN 1 ELSE 2 END, t.area_id, t.year
LIMIT ${SHOW}`);
    const rows = res.getRowObjectsJS();
    if (rows.length === 0) continue;
    const n = Number(rows[0]!.n);
    const cells = rows.map((x) => {
      const parts = ps.map((_, i) => Number(x[`v${i}`] ?? 0));
      const s = parts.reduce((a, b) => a + b, 0);
      return `${x.level} ${x.area_id} ${x.year}: ${fmt(Number(x.total))} ${r.rest ? '<' : '≠'} ${parts.map(fmt).join(' + ')} = ${fmt(s)}`;
    });
    issues.push({
      severity: 'error',
      code: 'relations.violated',
      file: 'spm.yaml',
      path: r.path,
      message:
        `Die erklärte Beziehung "${r.label}" gilt in den Daten nicht (${n} Zelle${n === 1 ? '' : 'n'}): ${cells.join('; ')}` +
        `${n > SHOW ? '; …' : ''}. Beziehung korrigieren (z. B. "rest: true", wenn weitere Teile zur Summe gehören) oder die Daten prüfen.`,
    });
  }
  if (issues.length) throw new UserError(issues);
}
