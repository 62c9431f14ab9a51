/**
 * What a standard indicator needs from a project (canonical schema and columns
 * per measure) and whether the project provides it.
 */
import type { Indicator, Measure, ProjectFile, SourceConfig } from '../schema.js';
import { filterNodeColumns, parseFilter, FilterSyntaxError, type FilterNode } from '../../compile/filter/index.js';

/** One measure's requirement: a source of this canonical schema with these columns. */
export interface Need {
  role: 'numerator' | 'denominator';
  schema: string;
  columns: string[];
}

/** Columns a filter reads, in order of appearance. */
export function filterColumns(filter: string | undefined): string[] {
  if (filter === undefined) return [];
  let node: FilterNode;
  try {
    node = parseFilter(filter);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return [];
    throw e;
  }
  return filterNodeColumns(node);
}

function measureColumns(m: Measure): string[] {
  return [...new Set([...(m.column ? [m.column] : []), ...filterColumns(m.filter)])];
}

/** The needs of an indicator whose `source` fields name canonical schemas. */
export function indicatorNeeds(def: Indicator): Need[] {
  return (['numerator', 'denominator'] as const).map((role) => ({
    role,
    schema: def[role].source,
    columns: measureColumns(def[role]),
  }));
}

/** The schemas a source declares (`schema: seu` or `schema: [seu, u_untersuchungen]`). */
export function declaredSchemas(s: SourceConfig): string[] {
  return s.schema === undefined ? [] : Array.isArray(s.schema) ? s.schema : [s.schema];
}

/**
 * Which project sources implement a schema: those declaring it; if none does,
 * a source whose id equals the schema name and that declares no schema (projects
 * written before `schema:` existed, like the sample's first version).
 */
export function sourcesForSchema(config: ProjectFile, schema: string): SourceConfig[] {
  const declared = config.sources.filter((s) => declaredSchemas(s).includes(schema));
  if (declared.length > 0) return declared;
  return config.sources.filter((s) => s.id === schema && s.schema === undefined);
}

/** How a project provides one need: the source id, or what is missing (German). */
export type Provision = { ok: true; source: string } | { ok: false; missing: string };

export function provide(config: ProjectFile, need: Need): Provision {
  const sources = sourcesForSchema(config, need.schema);
  if (sources.length === 0) return { ok: false, missing: `keine Quelle mit schema: ${need.schema}` };
  if (sources.length > 1) {
    return {
      ok: false,
      missing: `mehrere Quellen mit schema: ${need.schema} (${sources.map((s) => s.id).join(', ')}); genau eine angeben`,
    };
  }
  const src = sources[0]!;
  const absent = need.columns.filter((c) => !(c in src.columns));
  if (absent.length > 0) return { ok: false, missing: `Quelle "${src.id}" ohne Spalte ${absent.join(', ')}` };
  return { ok: true, source: src.id };
}
