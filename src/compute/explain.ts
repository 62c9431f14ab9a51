/** `spm explain <indicator>`: the SQL an indicator compiles to, without running it. */
import type { Project } from '../config/project.js';
import { compileIndicator } from '../compile/compile-indicator.js';
import { sourceAggregateSql } from '../compile/measure.js';
import type { CompiledIndicator, CompiledSql } from '../compile/types.js';
import { baseCellsSql, poolSql, REJECT_ANCHORS_SQL, rollupSql } from './cells-sql.js';
import { projectHierarchy } from '../config/hierarchy.js';
import { resultsSql } from './results-sql.js';
import { UserError } from '../util/issues.js';
import { indicatorYears, projectYears } from './compute.js';
import type { LoadedTables } from '../ingest/types.js';

export interface Explanation {
  indicator: CompiledIndicator;
  /** Reference years the SQL runs for (from the loaded data; empty without it). */
  years: number[];
  steps: { title: string; query: CompiledSql }[];
}

/**
 * The statements `spm compute` runs for one indicator, in order, with their
 * parameters. (In a full run the aggregate pass of step 1 also computes the
 * other indicators' measures of the same source, in the same scan.) With the
 * loaded tables the year lists are those of the data, as in `spm compute`;
 * without, they are empty.
 */
export function explainIndicator(project: Project, id: string, loaded?: LoadedTables): Explanation {
  const found = project.indicators.find((i) => i.def.id === id);
  if (!found) {
    const ids = project.indicators.map((i) => i.def.id);
    const near = ids.filter((x) => x.includes(id) || id.includes(x));
    throw new UserError(
      `Indikator "${id}" ist nicht definiert.${near.length ? ` Meinten Sie: ${near.join(', ')}?` : ''} Vorhanden: ${ids.join(', ')}`,
    );
  }
  const c = compileIndicator(project, found);
  const years = loaded ? projectYears(loaded, project) : [];
  const steps: Explanation['steps'] = [];
  const measures = c.numerator.key === c.denominator.key ? [c.numerator] : [c.numerator, c.denominator];
  const bySource = new Map<string, typeof measures>();
  for (const m of measures) bySource.set(m.sourceId, [...(bySource.get(m.sourceId) ?? []), m]);
  for (const [sourceId, ms] of bySource) {
    const source = project.config.sources.find((s) => s.id === sourceId);
    if (!source) continue;
    steps.push({
      title: `Quelle ${sourceId}: ein Durchlauf, Summen je Gebiet und Jahr für ${ms.map((m) => (m.role === 'numerator' ? 'Zähler' : 'Nenner')).join(' und ')}`,
      query: sourceAggregateSql(source, ms),
    });
    ms.forEach((m, i) => {
      const label = m.role === 'numerator' ? 'Zähler' : 'Nenner';
      const covered = loaded?.sources.get(sourceId)?.years ?? [];
      steps.push({
        title: `${label}: Gitter aller gültigen Gebiete x Jahre (${m.level}), Kennzeichen fehlend/gesperrt/abgewiesen`,
        query: baseCellsSql(m, m.role === 'numerator' ? 0 : 1, i, years, covered),
      });
    });
  }
  steps.push({
    title: 'Abgewiesene Zeilen: welcher Summe sie fehlen (Gebiet, übergeordnetes Gebiet oder Gesamtgebiet)',
    query: { sql: REJECT_ANCHORS_SQL, parameters: [] },
  });
  const h = projectHierarchy(project.config);
  for (let d = h.levels.length; d >= 1; d--) {
    const parent = d === 1 ? h.top.label : h.levels[d - 2]!.label;
    steps.push({
      title: `Summe der Ebene ${h.levels[d - 1]!.label} je ${parent} (alle Kennzahlen)`,
      query: rollupSql(d),
    });
  }
  if (c.poolYears !== undefined) {
    steps.push({
      title: `Gepoolte ${c.poolYears}-Jahres-Fenster`,
      query: poolSql(c.numerator.key === c.denominator.key ? [0] : [0, 1], c.poolYears),
    });
  }
  steps.push({ title: 'Wert = Summe(Zähler) / Summe(Nenner), Status, Namen', query: resultsSql() });
  return { indicator: c, years: loaded ? indicatorYears(c, loaded, years) : [], steps };
}
