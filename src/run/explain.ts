/** `spm explain <indicator>`: the SQL an indicator compiles to, without running it. */
import type { Project } from '../config/project.js';
import { compileIndicator } from '../compile/compile-indicator.js';
import type { CompiledIndicator, CompiledSql } from '../compile/types.js';
import { baseCellsSql, kommuneRollupSql, kreisRollupSql, poolSql } from '../compute/cells-sql.js';
import { UserError } from '../util/issues.js';

export interface Explanation {
  indicator: CompiledIndicator;
  steps: { title: string; query: CompiledSql }[];
}

export function explainIndicator(project: Project, id: string): Explanation {
  const loaded = project.indicators.find((i) => i.def.id === id);
  if (!loaded) {
    const ids = project.indicators.map((i) => i.def.id);
    const near = ids.filter((x) => x.includes(id) || id.includes(x));
    throw new UserError(`Indikator "${id}" ist nicht definiert.${near.length ? ` Meinten Sie: ${near.join(', ')}?` : ''} Vorhanden: ${ids.join(', ')}`);
  }
  const c = compileIndicator(project, loaded);
  const steps: Explanation['steps'] = [];
  for (const m of [c.numerator, c.denominator]) {
    const label = m.role === 'numerator' ? 'Zähler' : 'Nenner';
    steps.push({ title: `${label}: Summen je Gebiet und Jahr (${m.level})`, query: m.query });
    steps.push({ title: `${label}: Gitter aller gültigen Gebiete x Jahre, Kennzeichen fehlend/gesperrt/abgewiesen`, query: baseCellsSql(m, [], []) });
    if (m.level === 'sozialraum') steps.push({ title: `${label}: Summe der Sozialräume je Kommune`, query: kommuneRollupSql(m) });
    steps.push({ title: `${label}: Summe der Kommunen für den Kreis`, query: kreisRollupSql(m, project.config.kreis.ags) });
  }
  if (c.poolYears !== undefined) steps.push({ title: `Gepoolte ${c.poolYears}-Jahres-Fenster`, query: poolSql(c.indicator.def.id, c.poolYears) });
  return { indicator: c, steps };
}
