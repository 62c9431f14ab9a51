/**
 * `spm explain <indicator>`: the plan `spm compute` runs, filtered to the steps
 * one indicator's figures depend on (compile/plan.ts `filterPlan`). It is the
 * same plan, built from the whole project, so measure ids, years and the
 * aggregate pass over each source are those of a real run.
 */
import type { Project } from '../config/project.js';
import { compileProject } from '../compile/compile-indicator.js';
import { filterPlan, type Plan } from '../compile/plan.js';
import type { CompiledIndicator } from '../compile/types.js';
import type { LoadedTables } from '../ingest/types.js';
import { UserError } from '../util/issues.js';
import { buildPlan, type BuildPlanOptions } from './build-plan.js';
import { indicatorYears } from './years.js';

export interface Explanation {
  indicator: CompiledIndicator;
  /** Reference years the indicator is computed for (from the loaded data, context years included). */
  years: number[];
  /** The steps of the project's plan this indicator depends on, in run order. */
  plan: Plan;
}

/** Plan of one indicator; throws a {@link UserError} naming the defined ids for an unknown one. */
export function explainIndicator(
  project: Project,
  id: string,
  loaded: LoadedTables,
  options: BuildPlanOptions = {},
): Explanation {
  if (!project.indicators.some((i) => i.def.id === id)) {
    const ids = project.indicators.map((i) => i.def.id);
    const near = ids.filter((x) => x.includes(id) || id.includes(x));
    throw new UserError(
      `Indikator "${id}" ist nicht definiert.${near.length ? ` Meinten Sie: ${near.join(', ')}?` : ''} Vorhanden: ${ids.join(', ')}`,
    );
  }
  const compiled = compileProject(project);
  const plan = buildPlan(project, loaded, compiled, options);
  const indicator = compiled.find((c) => c.indicator.def.id === id) as CompiledIndicator;
  return { indicator, years: indicatorYears(indicator, loaded, plan.years), plan: filterPlan(plan, id) };
}
