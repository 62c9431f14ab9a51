/**
 * `spm explain <indicator>`: loads the project (so years and measure ids are the
 * real ones), takes the plan `spm compute` would run and prints the steps the
 * indicator depends on, as a DuckDB script or as JSON.
 */
import { Spm, type ProjectSource, scratchFor } from '../api/session.js';
import { inlineParameters, planText } from '../compile/plan-text.js';
import { stepSql } from '../compile/plan.js';
import type { Explanation } from '../compute/explain.js';
import type { Issue } from '../util/issues.js';

export interface ExplainRunResult {
  explanation: Explanation;
  issues: Issue[];
}

export async function explainRun(
  source: ProjectSource,
  indicatorId: string,
  options: { out?: string } = {},
): Promise<ExplainRunResult> {
  await using spm = await Spm.open(source, scratchFor(options.out));
  const explanation = await spm.explain(indicatorId);
  return { explanation, issues: spm.issues };
}

/** The explanation as a DuckDB script: a header, then every step (see compile/plan-text.ts). */
export function explainText(e: Explanation): string {
  const d = e.indicator.indicator.def;
  const head = [
    `-- ${d.id} (Version ${d.version}): ${d.title}`.replace(/[\r\n]+/g, ' '),
    `-- Datei: ${e.indicator.indicator.file}; Einheit: ${d.unit}; Basisebene: ${e.indicator.baseLevel}; Mindestnenner: ${e.indicator.minDenominator}`,
    `-- Jahre (aus den Daten): ${e.years.length ? e.years.join(', ') : 'keine'}`,
    '-- Wert = Summe(Zähler) / Summe(Nenner) je Gebiet und Jahr (Quotient der Summen)',
    `-- Der Plan von spm compute, gefiltert auf ${d.id}: ${e.plan.steps.length} Schritte. SQL-Schritte laufen so in DuckDB`,
    '-- über den geladenen Tabellen (Parameter hier als Literale; spm selbst bindet sie als Parameter),',
    '-- JS-Schritte (Geheimhaltung, Poisson-Grenzen, Trends) laufen nur in spm.',
  ];
  return `${head.join('\n')}\n\n${planText(e.plan)}`;
}

/** The same explanation as plain JSON (`--json`): every step with its SQL, parameters and the inlined form. */
export function explainJson(e: Explanation): unknown {
  const d = e.indicator.indicator.def;
  return {
    indicator: d.id,
    version: d.version,
    years: e.years,
    measure_ids: e.plan.measureIds,
    steps: e.plan.steps.map((s) => {
      const q = stepSql(s);
      return {
        id: s.id,
        kind: s.kind,
        stage: s.stage,
        description: s.description,
        indicators: s.indicators,
        ...(s.produces
          ? { produces: { name: s.produces.name, kind: s.produces.kind, columns: s.produces.columns } }
          : {}),
        ...(s.cleanup ? { cleanup: true } : {}),
        ...(s.kind === 'js' ? { name: s.name, args: s.args } : {}),
        ...(q ? { sql: q.sql, parameters: q.parameters.map(plainParam), sql_inlined: inlineParameters(q) } : {}),
      };
    }),
  };
}

function plainParam(v: unknown): unknown {
  if (v && typeof v === 'object' && 'items' in v) return (v as { items: unknown[] }).items;
  return v;
}
