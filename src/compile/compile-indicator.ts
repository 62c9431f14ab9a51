/** Compile an indicator definition against the project's sources. */
import type { LoadedIndicator, Project } from '../config/project.js';
import type { Unit } from '../config/schema.js';
import { compileMeasure } from './measure.js';
import type { CompiledIndicator } from './types.js';

/** Multiplier from a ratio of counts to the unit (count: the numerator itself). */
export const UNIT_SCALE: Record<Unit, number> = {
  percent: 100,
  per_1000: 1_000,
  per_10000: 10_000,
  per_100000: 100_000,
  ratio: 1,
  count: 0,
};

export function compileIndicator(project: Project, loaded: LoadedIndicator): CompiledIndicator {
  const def = loaded.def;
  const sources = new Map(project.config.sources.map((s) => [s.id, s]));
  const num = sources.get(def.numerator.source);
  const den = sources.get(def.denominator.source);
  // Rules in config/rules.ts guarantee both exist; this guards library callers.
  if (!num || !den) throw new Error(`indicator ${def.id}: unknown source`);
  const numerator = compileMeasure(def.id, 'numerator', def.numerator, num);
  const denominator = compileMeasure(def.id, 'denominator', def.denominator, den);
  if (def.published !== undefined) {
    // own measure keys: the cells of a published value must not be shared with summed counts
    numerator.key += '#published';
    denominator.key += '#published';
    numerator.description = `veröffentlichter Wert von ${def.id}: Spalte ${def.published.column} aus Quelle "${num.id}" (nicht summiert)`;
    return {
      indicator: loaded,
      numerator,
      denominator,
      baseLevel: numerator.level,
      scale: 1,
      proportion: false,
      minDenominator: 0,
      published: true,
    };
  }
  const baseLevel = numerator.level === 'kommune' || denominator.level === 'kommune' ? 'kommune' : 'sozialraum';
  const compiled: CompiledIndicator = {
    indicator: loaded,
    numerator,
    denominator,
    baseLevel,
    scale: UNIT_SCALE[def.unit],
    proportion: def.proportion ?? def.unit === 'percent',
    minDenominator: def.min_denominator ?? project.config.settings.min_denominator,
  };
  const pool = def.pool_years ?? project.config.settings.pool_years;
  if (pool !== undefined) compiled.poolYears = pool;
  return compiled;
}

/** Compile all (or the selected) indicators of a project, in definition order. */
export function compileProject(project: Project, ids?: readonly string[]): CompiledIndicator[] {
  const wanted = ids ? new Set(ids) : undefined;
  return project.indicators.filter((i) => !wanted || wanted.has(i.def.id)).map((i) => compileIndicator(project, i));
}
