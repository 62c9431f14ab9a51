/**
 * spm: Sozialräumliches Präventionsmonitoring as a library.
 *
 * The one public entry. The pipeline:
 *
 * ```
 * spm.yaml + indicators/*.yaml + CSV extracts
 *   -> loadProject      (config: zod-validated Project)
 *   -> ingestProject    (DuckDB tables with row accounting and rejects)
 *   -> compileProject   (indicator -> parameterised SQL)
 *   -> computeIndicators(cells, roll-ups, pooled windows, results)
 *   -> kennzahlen.csv / .parquet / manifest.json
 * ```
 *
 * @example
 * ```ts
 * import { computeRun } from 'spm';
 * const r = await computeRun('data-samples/kreis-coesfeld', { out: 'out' });
 * console.log(r.results.rows, r.results.byStatus.ok);
 * ```
 * @packageDocumentation
 */

export {
  /** Zod schema of `spm.yaml`. */
  ProjectFileSchema,
  /** Zod schema of one indicator definition. */
  IndicatorSchema,
  /** Zod schema of an indicator file (one indicator or `indicators: [...]`). */
  IndicatorFileSchema,
  /** Zod schema of a source definition. */
  SourceSchema,
} from './config/schema.js';
export type {
  ProjectFile,
  ProjectFileInput,
  Indicator,
  IndicatorInput,
  SourceConfig,
  SourceInput,
  ReadOptions,
  Unit,
  Measure,
  AreaLevel,
} from './config/schema.js';
export type { Project, LoadedIndicator } from './config/project.js';
export type { LoadedTables, LoadedSource, RejectedRow, AreaRegistry, DetectedReadOptions, SourceAccounting, FileAccounting } from './ingest/types.js';
export type { CompiledIndicator, CompiledMeasure, CompiledSql } from './compile/types.js';
export type { Issue, Severity } from './util/issues.js';
export type { ComputeSummary } from './compute/compute.js';
export type { Status } from './compute/results-sql.js';
export type { ComputeRunOptions, ComputeRunResult, ProgressEvent, SourceSummary } from './run/compute-run.js';
export type { ValidateResult } from './run/validate-run.js';
export type { Explanation } from './run/explain.js';

import { loadProject as loadProjectImpl, projectFromConfig as projectFromConfigImpl, type ProjectOptions, type LoadProjectResult } from './config/load-project.js';
import { computeRun as computeRunImpl } from './run/compute-run.js';
import { validateRun as validateRunImpl } from './run/validate-run.js';
import { explainIndicator as explainIndicatorImpl } from './run/explain.js';
import { jsonSchema as jsonSchemaImpl, type SchemaKind } from './config/json-schema.js';
import { IndicatorSchema as IndicatorSchemaImpl, type IndicatorInput, type Indicator } from './config/schema.js';
import { UserError as UserErrorImpl, formatIssue as formatIssueImpl } from './util/issues.js';
import { STATUSES as STATUSES_IMPL } from './compute/results-sql.js';

export type { ProjectOptions, LoadProjectResult, SchemaKind };

/**
 * Load and validate a project folder (its `spm.yaml` and indicator files).
 * Throws {@link UserError} listing every problem with file, line and YAML path.
 * @example
 * ```ts
 * const { project, issues } = loadProject('data-samples/kreis-coesfeld');
 * project.indicators.length // 23
 * ```
 */
export const loadProject = loadProjectImpl;

/**
 * Build a project from a config object instead of a file, rooted at a folder
 * (paths in the config are relative to it).
 */
export const projectFromConfig = projectFromConfigImpl;

/**
 * Run the whole pipeline on a project folder (or a loaded project) and write
 * `kennzahlen.csv`, `kennzahlen.parquet`, `abgewiesene_zeilen.csv` and `manifest.json`.
 * Returns row accounting, status counts, output hashes and stage timings.
 */
export const computeRun = computeRunImpl;

/** Check config and data without computing: row accounting, rejected rows, issues. */
export const validateRun = validateRunImpl;

/** The SQL an indicator compiles to, step by step, with its parameters. */
export const explainIndicator = explainIndicatorImpl;

/** JSON Schema of `spm.yaml` (`'project'`) or of indicator files (`'indicator'`), generated from the zod schemas. */
export const jsonSchema = jsonSchemaImpl;

/** A user mistake (bad config or data): carries issues; print `message`, no stack trace. */
export const UserError = UserErrorImpl;
/** Type of {@link UserError} instances. */
export type UserError = UserErrorImpl;

/** `Fehler: spm.yaml:12, sources[0].id: ...` — the one format for issues. */
export const formatIssue = formatIssueImpl;

/** All statuses a published value can have, best first. */
export const STATUSES = STATUSES_IMPL;

/**
 * Define an indicator in TypeScript with the same schema as the YAML files;
 * validated immediately, pass it to `loadProject(dir, { indicators: [...] })`.
 * @example
 * ```ts
 * const quote = defineIndicator({ id: 'sgb2_u15_custom', ... });
 * ```
 */
export function defineIndicator(input: IndicatorInput): Indicator {
  return IndicatorSchemaImpl.parse(input);
}
