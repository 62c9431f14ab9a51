import type { LoadedIndicator } from '../config/project.js';
import type { AreaLevel, Measure } from '../config/schema.js';

export type Role = 'numerator' | 'denominator';

/** SQL plus its bind parameters (kysely's CompiledQuery shape). */
export interface CompiledSql {
  sql: string;
  parameters: unknown[];
}

/** One side of a rate, compiled: per area and year at the source's level. */
export interface CompiledMeasure {
  indicatorId: string;
  role: Role;
  sourceId: string;
  /** Identity of the measured quantity (source, measure, column, canonical filter): equal keys = equal cells. */
  key: string;
  measure: Measure;
  table: string;
  level: AreaLevel;
  sourceKind: 'aggregated' | 'microdata';
  /** Range of a suppressed cell (e.g. BA "*" = 1..2), used for estimate bounds in totals. */
  suppressedRange: [number, number];
  /** Human-readable description, also the SQL comment. */
  description: string;
}

/** An indicator ready to compute: the output of compile, input of compute. */
export interface CompiledIndicator {
  indicator: LoadedIndicator;
  numerator: CompiledMeasure;
  denominator: CompiledMeasure;
  /** Finest level both measures exist at. */
  baseLevel: AreaLevel;
  /** Factor applied to numerator/denominator (100 for percent, 1 for ratio; 0 marks `count`). */
  scale: number;
  proportion: boolean;
  minDenominator: number;
  poolYears?: number;
  /**
   * A value published by the source (rates-only tables): the "numerator" is the value
   * at its own level, the "denominator" 1; never rolled up, pooled or suppressed, no
   * interval. Kommune/Kreis values come only from totals rows the file publishes.
   */
  published?: boolean;
}
