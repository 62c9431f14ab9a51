/**
 * The plan: the whole computation of a project as an explicit, typed list of
 * steps, built once (compute/build-plan.ts), run by the compute executor
 * (compute/compute.ts) and printed by `spm explain` (compile/plan-text.ts).
 *
 * A step has a stable id, a description (the SQL comment in `spm explain`), the
 * indicators it concerns, the table it produces with its declared columns, and
 * either parameterised SQL or the name of a JS step with its arguments. Tables
 * that steps fill by INSERT or appender are created in one place only, from
 * their declared columns (`createTableSql`), by a `create` step of the plan.
 */
import type { AreaChange } from '../config/schema.js';
import type { CompiledSql } from './types.js';

/** DuckDB column types the internal tables use. */
export type DuckType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'INTEGER[]';

export interface PlanColumn {
  readonly name: string;
  readonly type: DuckType;
}

/** A table (or view) a step produces, with the columns it declares. */
export interface PlanTable {
  readonly name: string;
  readonly columns: readonly PlanColumn[];
  readonly kind: 'table' | 'temp' | 'view';
}

/** Stages of a run (the keys of `steps_ms`, plus `publish`). */
export type PlanStage =
  | 'setup'
  | 'aggregate'
  | 'rollup'
  | 'pool'
  | 'results'
  | 'suppression'
  | 'intervals'
  | 'trend'
  | 'comparisons'
  | 'publish';

/** The JS steps and their arguments (plain data, printable as JSON). */
export interface JsStepArgs {
  /** Declared relations between measures must hold in the data (user error naming the cells otherwise). */
  /**
   * Declared relations between measures must hold in the data (user error naming the cells otherwise);
   * equations of the data beyond the known ones become relations of the protection (`data`), and one
   * that is no total = Σ parts stops the run unless `acceptUnmodelled` (settings.suppression.beziehungen_geprueft).
   */
  check_relations: {
    relations: readonly PlanRelation[];
    measureIds: Readonly<Record<string, number>>;
    acceptUnmodelled?: boolean;
  };
  /** Status counts of `spm_results` for the run summary (of these indicators only, if given). */
  count_statuses: { indicators?: readonly string[] };
  /** Primary and secondary suppression with the interval (LP) audit; refuses to publish an unprotected cell. */
  suppress: {
    threshold: number;
    relations: readonly PlanRelation[];
    /** Earlier releases' kennzahlen.parquet (absolute): their published counts are known (compute/earlier.ts). */
    earlier?: readonly string[];
    /** The project folder (absolute), against which earlier releases' own `frueher_veroeffentlicht` paths are shown. */
    earlierRoot?: string;
    /**
     * `settings.suppression.frueher_abweichend_hinnehmen`: publish although earlier releases hold counts
     * in rows this run lacks or with other values (otherwise `EarlierReleaseRefused`).
     */
    acceptEarlierDifferences?: boolean;
  };
  /** Exact Poisson (Garwood) bounds per distinct count, chi-square quantiles from src/stats. */
  poisson_lookup: { confidence: number };
  /** Weighted linear trend per series (R-checked `weightedTrend`). */
  trends: { trendYears: number; confidence: number };
  /** Late rows of old area codes moved to their new codes in a source's aggregate (areas.changes). */
  carry: {
    sourceId: string;
    mids: readonly number[];
    changes: readonly AreaChange[];
    /** Per measure: a value the source publishes (a rate), carried through renamings only. */
    published: readonly boolean[];
  };
}
export type JsStepName = keyof JsStepArgs;

/** A relation between measures (privacy/relations.ts `MeasureRelation`), as the plan carries it. */
export interface PlanRelation {
  total: string;
  parts: string[];
  rest: boolean;
  origin: 'definition' | 'declared' | 'data';
  label: string;
  path?: string;
}

interface StepBase {
  /** Stable id, e.g. `aggregate:seu`, `cells:3`, `rollup:2`, `results`. */
  readonly id: string;
  /** What the step does, in German; the SQL comment of `spm explain`. */
  readonly description: string;
  readonly stage: PlanStage;
  /** Indicator ids whose figures depend on this step; `all` for steps over every indicator. */
  readonly indicators: readonly string[] | 'all';
  /** The table the step creates or fills. */
  readonly produces?: PlanTable;
  /** Label of a progress event when the step starts (the sources of the aggregate stage). */
  readonly progress?: string;
  /** Frees memory only (dropping a consumed intermediate table); skipped when intermediates are kept. */
  readonly cleanup?: boolean;
}

export interface SqlStep extends StepBase {
  readonly kind: 'sql';
  readonly sql: CompiledSql;
}

/** Creates `produces` from its declared columns (the only CREATE of a table filled by INSERT or appender). */
export interface CreateStep extends StepBase {
  readonly kind: 'create';
  readonly produces: PlanTable;
}

export type JsStep = {
  [K in JsStepName]: StepBase & { readonly kind: 'js'; readonly name: K; readonly args: JsStepArgs[K] };
}[JsStepName];

export type PlanStep = SqlStep | CreateStep | JsStep;

export interface Plan {
  /** Indicator ids in output order. */
  readonly indicators: readonly string[];
  /** Reference years computed (context years included). */
  readonly years: readonly number[];
  /** Measure key -> measure id (`mid` in `spm_mcells`), stable across runs. */
  readonly measureIds: Readonly<Record<string, number>>;
  readonly steps: readonly PlanStep[];
}

/** `CREATE OR REPLACE TABLE` from the declared columns (names and types are spm's own, never user text). */
export function createTableSql(t: PlanTable): string {
  if (t.kind === 'view') throw new Error(`${t.name} is a view: it has no CREATE from columns`);
  const cols = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  return `CREATE OR REPLACE ${t.kind === 'temp' ? 'TEMP ' : ''}TABLE ${t.name} (${cols})`;
}

/** The SQL a step runs (`create` steps: their CREATE), undefined for JS steps. */
export function stepSql(s: PlanStep): CompiledSql | undefined {
  if (s.kind === 'sql') return s.sql;
  if (s.kind === 'create') return { sql: createTableSql(s.produces), parameters: [] };
  return undefined;
}

/** The steps one indicator's figures depend on, in plan order (the plan `spm explain` prints). */
export function filterPlan(plan: Plan, indicatorId: string): Plan {
  return {
    ...plan,
    indicators: plan.indicators.filter((i) => i === indicatorId),
    steps: plan.steps.filter((s) => s.indicators === 'all' || s.indicators.includes(indicatorId)),
  };
}
