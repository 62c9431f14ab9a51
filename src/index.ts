/**
 * spm: Sozialräumliches Präventionsmonitoring as a library.
 *
 * The one public entry. The pipeline:
 *
 * ```
 * spm.yaml + indicators/*.yaml + CSV extracts
 *   -> loadProject      (config: zod-validated Project)
 *   -> ingestProject    (DuckDB tables with row accounting and rejects)
 *   -> compileProject   (indicator -> compiled measures with parameterised filters)
 *   -> buildPlan        (the typed plan: steps with ids, descriptions, declared tables, SQL or a named JS step;
 *                        `spm explain` prints it)
 *   -> computeIndicators(the executor over the plan: cells, roll-ups, pooled windows, results; suppression
 *                        masks from src/privacy; statistics; publish steps)
 *   -> publish          (the published schema: masked table, only "gesperrt" for masked rows)
 *   -> kennzahlen.csv / .parquet / .schema.json / manifest.json, charts, reports
 * ```
 *
 * @example
 * ```ts
 * import { computeRun } from '@spm-monitoring/spm';
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
  LevelConfig,
  GroupingConfig,
} from './config/schema.js';
/**
 * The project's area hierarchy as data: the top area and the levels below it
 * (`kreis > kommune > sozialraum` for a Kreis, any declared levels otherwise).
 * @example
 * projectHierarchy(project.config).levels.map((l) => l.name) // ['kommune', 'sozialraum']
 */
export { projectHierarchy, levelNames } from './config/hierarchy.js';
export type { Hierarchy, HierarchyLevel } from './config/hierarchy.js';
export type { Project, LoadedIndicator } from './config/project.js';
export type {
  LoadedTables,
  LoadedSource,
  RejectedRow,
  AreaRegistry,
  Area,
  Group,
  DetectedReadOptions,
  SourceAccounting,
  FileAccounting,
} from './ingest/types.js';
export type { CompiledIndicator, CompiledMeasure, CompiledSql } from './compile/types.js';
export type { Issue, Severity } from './util/issues.js';
export type { ComputeSummary } from './compute/compute.js';
/** Published status of a row (`masked` for suppressed rows), significance codes, the `suppression` value, area levels. */
export type { Status, Sig, Suppression, Level, Ampel, Polarity, Words } from './publish/vocabulary.js';
/** One published row, and the column definitions it derives from. */
export type { KennzahlRow, ColumnDef, ColumnType, ColumnUnit, MaskRule } from './publish/schema.js';
export type { ComputeRunOptions, ComputeRunResult, ProgressEvent, SourceSummary } from './run/compute-run.js';
export type { ChartsRunResult } from './run/charts-cli-run.js';
export type { ReportRunOptions, ReportRunResult } from './run/report-run.js';
export type { ReportInput, ReportOptions, ReportResult } from './report/index.js';
export type { ChartFormat } from './run/charts-run.js';
export type { ExportFormat, OutputFileInfo } from './export/write.js';
export type { ResultFilter } from './publish/results.js';
export type { OpenOptions, LoadOptions, ComputeOptions, ProjectSource } from './api/session.js';
export type { ChartJob, ChartMeta, ChartSpec } from './charts/types.js';
export type { Table } from 'apache-arrow';
export type { ValidateResult } from './run/validate-run.js';
export type { RejectGroup } from './run/reject-groups.js';
export type { Explanation } from './compute/explain.js';
export type { ExplainRunResult } from './run/explain.js';
export type {
  Plan,
  PlanStep,
  SqlStep,
  CreateStep,
  JsStep,
  JsStepName,
  JsStepArgs,
  PlanTable,
  PlanColumn,
  PlanStage,
  DuckType,
} from './compile/plan.js';
export type { StandardIndicatorInfo, IndicatorsRunResult } from './run/indicators-run.js';
export type { InitRunOptions, InitRunResult, InitDecisions } from './run/init-run.js';
export type { Proposal as InitProposal, ProposedSource as InitProposedSource } from './run/init/propose.js';
export type { CanonicalSchema, CanonicalColumn } from './config/canonical/schemas.js';
export type { SozialindexConfig } from './config/sozialindex-schema.js';
export type {
  IndexInput,
  InputValue,
  InputIndicator,
  Standardisation,
  Weighting,
  NeedClass,
  NoIndexReason,
} from './steering/types.js';
export type { SozialindexOptions, SozialindexResult, IndexRow, IndexWeight } from './steering/sozialindex.js';
export type { TypenOptions, TypenResult, SozialraumTyp } from './steering/sozialraumtypen.js';
export type { SteeringReport, SteeringYear, SkippedPart, IndicatorInfo } from './steering/build.js';
/** Thrown by `sozialindex()` / `sozialraumtypen()` when too few Sozialräume have all values (PCA weights, k types). */
export { TooFewAreasError } from './steering/types.js';
export type { KmeansResult, KmeansOptions } from './steering/kmeans.js';
export type { FirstComponent } from './steering/pca.js';

import {
  loadProject as loadProjectImpl,
  projectFromConfig as projectFromConfigImpl,
  type ProjectOptions,
  type LoadProjectResult,
} from './config/load-project.js';
import { computeRun as computeRunImpl } from './run/compute-run.js';
import { validateRun as validateRunImpl } from './run/validate-run.js';
import { explainIndicator as explainIndicatorImpl } from './compute/explain.js';
import {
  explainRun as explainRunImpl,
  explainText as explainTextImpl,
  explainJson as explainJsonImpl,
} from './run/explain.js';
import { dataNoteOf, publishSteps } from './publish/published.js';
import { planText as planTextImpl } from './compile/plan-text.js';
import type { Project } from './config/project.js';
import type { LoadedTables } from './ingest/types.js';
import type { Explanation } from './compute/explain.js';
import { standardIndicators as standardIndicatorsImpl } from './run/indicators-run.js';
import { initRun as initRunImpl } from './run/init-run.js';
import { CANONICAL_SCHEMAS as CANONICAL_SCHEMAS_IMPL } from './config/canonical/schemas.js';
import { jsonSchema as jsonSchemaImpl, type SchemaKind } from './config/json-schema.js';
import { IndicatorSchema as IndicatorSchemaImpl, type IndicatorInput, type Indicator } from './config/schema.js';
import { UserError as UserErrorImpl, formatIssue as formatIssueImpl } from './util/issues.js';
import { PublicationRefused as PublicationRefusedImpl } from './privacy/refusal.js';
import { EarlierReleaseRefused as EarlierReleaseRefusedImpl } from './compute/earlier-refusal.js';
import { zodGerman, zodIssuesToIssues } from './config/zod-issues.js';
import { STATUSES as STATUSES_IMPL } from './publish/vocabulary.js';
import { COLUMNS as COLUMNS_IMPL } from './publish/schema.js';
import * as vocabularyImpl from './publish/vocabulary.js';
import { Spm as SpmImpl, smallProject } from './api/session.js';
import { reportRun as reportRunImpl } from './run/report-run.js';
import { writeReports as writeReportsImpl } from './report/index.js';
import { chartsRun as chartsRunImpl, CHART_FORMATS as CHART_FORMATS_IMPL } from './run/charts-cli-run.js';
import { EXPORT_FORMATS as EXPORT_FORMATS_IMPL } from './export/write.js';
import { resultsToArrow as resultsToArrowImpl } from './publish/arrow-table.js';
import {
  buildProjectCharts as buildProjectChartsImpl,
  chartMetaFromProject as chartMetaFromProjectImpl,
  timeSeries as timeSeriesImpl,
  ranking as rankingImpl,
  choropleth as choroplethImpl,
  smallMultiples as smallMultiplesImpl,
  praeventionskette as praeventionsketteImpl,
} from './charts/index.js';
import { sozialindex as sozialindexImpl } from './steering/sozialindex.js';
import { sozialraumtypen as sozialraumtypenImpl, typeMeans as typeMeansImpl } from './steering/sozialraumtypen.js';
import { buildSteering as buildSteeringImpl } from './steering/build.js';
import { SozialindexSchema as SozialindexSchemaImpl } from './config/sozialindex-schema.js';
import { zScores as zScoresImpl } from './steering/matrix.js';
import { firstComponent as firstComponentImpl } from './steering/pca.js';
import { kmeans as kmeansImpl } from './steering/kmeans.js';
import {
  sozialindexRanking as sozialindexRankingImpl,
  sozialindexMap as sozialindexMapImpl,
  sozialraumtypenMap as sozialraumtypenMapImpl,
} from './charts/sozialindex.js';
import {
  renderSvg as renderSvgImpl,
  renderPng as renderPngImpl,
  renderCharts as renderChartsImpl,
} from './render/index.js';

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

/**
 * The plan `compute` runs, filtered to the steps one indicator depends on: SQL
 * steps with their parameters, JS steps by name, publish steps included. Needs
 * the loaded tables (`spm.load()`), whose years and measure ids it shows.
 * @example
 * ```ts
 * const e = explainIndicator(spm.project, 'seu_adipositas', await spm.load());
 * e.plan.steps.map((s) => s.id) // ['create:spm_mcells', …, 'aggregate:seu', 'cells:seu', …, 'suppress', …, 'publish']
 * ```
 */
export function explainIndicator(project: Project, id: string, loaded: LoadedTables): Explanation {
  const small = smallProject(project, loaded);
  return explainIndicatorImpl(project, id, loaded, {
    publish: publishSteps(dataNoteOf(project), undefined, false, undefined, small),
    small,
  });
}

/** `spm explain`: open the project, load it and explain one indicator (issues of loading included). */
export const explainRun = explainRunImpl;

/**
 * An explanation as a DuckDB script: each step's description as a comment, the SQL
 * with its parameters written as quoted literals (printing only: spm binds them).
 */
export const explainText = explainTextImpl;

/** An explanation as plain JSON (`spm explain --json`). */
export const explainJson = explainJsonImpl;

/** A plan (or a filtered one) as a DuckDB script, step by step. */
export const planText = planTextImpl;

/**
 * The bundled standard set with what each indicator needs (canonical source schema
 * and columns); with a project folder also whether it provides that and selects it.
 * @example
 * ```ts
 * const r = standardIndicators('data-samples/kreis-coesfeld');
 * r.indicators.find((i) => i.id === 'seu_adipositas')?.provided // true
 * ```
 */
export const standardIndicators = standardIndicatorsImpl;

/**
 * Create a project from a folder of raw files: detects each file's format as the
 * loader does, proposes sources with their canonical schema and column mapping,
 * the Kreis and an area list from the codes found, writes a commented `spm.yaml`
 * and `gebiete.csv` (never over an existing `spm.yaml`) and returns what is left to do.
 * @example
 * ```ts
 * const r = await initRun('mein-kreis');
 * r.todo // ['gebiete.csv: bei 8 Sozialräumen den Gemeindeschlüssel … ergänzen', …]
 * ```
 */
export const initRun = initRunImpl;

/**
 * The canonical source schemas of the standard set (bevoelkerung, sgb2, seu,
 * u_untersuchungen, hze, kita, fruehe_hilfen): columns, types, meaning and known
 * header spellings. A source implements one with `schema: seu` in spm.yaml.
 */
export const CANONICAL_SCHEMAS = CANONICAL_SCHEMAS_IMPL;

/** JSON Schema of `spm.yaml` (`'project'`) or of indicator files (`'indicator'`), generated from the zod schemas. */
export const jsonSchema = jsonSchemaImpl;

/** A user mistake (bad config or data): carries issues; print `message`, no stack trace. */
export const UserError = UserErrorImpl;
/** Type of {@link UserError} instances. */
export type UserError = UserErrorImpl;

/**
 * Thrown by a compute when the data protection audit finds protected counts that no secondary
 * suppression protects: nothing is published. `cells` names them (indicator, role, level, area,
 * year, window); `message` is the German text the CLI prints (exit code 3).
 */
export const PublicationRefused = PublicationRefusedImpl;
/** Type of {@link PublicationRefused} instances. */
export type PublicationRefused = PublicationRefusedImpl;
/**
 * A {@link PublicationRefused} (also exit code 3) for earlier releases
 * (`settings.suppression.frueher_veroeffentlicht`) that hold counts in rows this run does not have
 * or with other values: the protection cannot take them into account. `earlier` holds the counts
 * and the first differing rows; `settings.suppression.frueher_abweichend_hinnehmen: true` publishes anyway.
 */
export const EarlierReleaseRefused = EarlierReleaseRefusedImpl;
/** Type of {@link EarlierReleaseRefused} instances. */
export type EarlierReleaseRefused = EarlierReleaseRefusedImpl;
export type { EarlierDifference, EarlierReleases } from './compute/earlier.js';
export type { RefusedCell } from './privacy/db.js';

/** `Fehler: spm.yaml:12, sources[0].id: ...` — the one format for issues. */
export const formatIssue = formatIssueImpl;

/** All statuses a published row can have, best first; `masked` for suppressed rows. */
export const STATUSES = STATUSES_IMPL;

/**
 * The published schema: every column of `kennzahlen.*` in file order with type,
 * unit, the mask that hides it, German and English label and description.
 * @example
 * ```ts
 * COLUMNS.find((c) => c.name === 'sig_kreis')?.label.de // 'Vergleich mit dem Kreis'
 * ```
 */
export const COLUMNS = COLUMNS_IMPL;

/** German and English words of the published codes (status, suppression, significance, trend, Ampel, units). */
export const vocabulary = vocabularyImpl;

/**
 * One project with its DuckDB, for scripts: `Spm.open(dir)`, `load()`,
 * `compute({ indicators, years })`, `results(filter)` / `resultsArrow(filter)`,
 * `export(outDir, { formats })`, `connection` (escape hatch for ad-hoc SQL),
 * `close()` or `await using`.
 * @example
 * ```ts
 * await using spm = await Spm.open('data-samples/kreis-coesfeld');
 * await spm.compute({ indicators: ['sgb2_quote_unter_15'] });
 * const rows = await spm.results({ levels: ['kommune'], years: [2024] });
 * ```
 */
export const Spm = SpmImpl;
/** Type of {@link Spm} instances. */
export type Spm = SpmImpl;

/** `spm report` as a library call: Kreis overview + one Kommunalprofil per Kommune (HTML, Markdown, optional PDF). */
export const reportRun = reportRunImpl;
/** Write the reports from published rows and chart metadata (offline HTML with inline charts, Markdown, PDF). */
export const writeReports = writeReportsImpl;

/** `spm charts` as a library call: compute in memory and render the project's charts. */
export const chartsRun = chartsRunImpl;
/** Chart file formats: `vl.json`, `svg`, `png` (300 dpi). */
export const CHART_FORMATS = CHART_FORMATS_IMPL;
/** Table formats of `export`: `csv` (German Excel), `parquet`, `arrow` (IPC file), `json`. */
export const EXPORT_FORMATS = EXPORT_FORMATS_IMPL;
/** Published rows -> apache-arrow Table with typed columns. */
export const resultsToArrow = resultsToArrowImpl;

/** All chart jobs of a project (time series, rankings, maps, small multiples, Präventionskette). */
export const buildProjectCharts = buildProjectChartsImpl;
/** Chart metadata (indicator titles, units, sources with Stand, Kreis, synthetic flag) from a project. */
export const chartMetaFromProject = chartMetaFromProjectImpl;
/** Time series of one area vs the Kreis (and Land), CI band, gaps for masked years, breaks marked. */
export const timeSeries = timeSeriesImpl;
/** Ranking of Sozialräume or Kommunen for one year with CI whiskers and the Kreis reference line. */
export const ranking = rankingImpl;
/** Choropleth map of Sozialräume or Kommunen from the project's GeoJSON. */
export const choropleth = choroplethImpl;
/** Small multiples: one indicator, all Kommunen, with the Kreis line in each. */
export const smallMultiples = smallMultiplesImpl;
/** Präventionskette overview of a Kommune: indicators along the Lebensphasen vs the Kreis. */
export const praeventionskette = praeventionsketteImpl;
/** Vega-Lite spec -> SVG text (bundled DejaVu fonts, deterministic ids). */
export const renderSvg = renderSvgImpl;
/** SVG -> PNG buffer (default 300 dpi, placed at the SVG's width at one print scale: 416 px = 85 mm, at most 170 mm). */
export const renderPng = renderPngImpl;
/** Render chart jobs to `.vl.json` / `.svg` / `.png` files, in parallel where it helps. */
export const renderCharts = renderChartsImpl;

/**
 * Sozialindex: one composite need score per Sozialraum from chosen indicators, as city
 * Sozialmonitoring builds its Statusindex — oriented by polarity (`direction` 1 = higher is
 * more need), standardised (`z` over the areas with a value, or percentile `rang`), weighted
 * (`gleich`, `erklaert`, or `pca` = first principal component), rank 1 = most need, need
 * classes at ±1/1.5 SD, and rank and index intervals from a seeded simulation of each input
 * within its published CI. Works on plain arrays. A masked (`masked: true`) or missing input
 * gives no index unless `missing.minInputs` allows one from the inputs present; a masked
 * value is never used.
 * @example
 * ```ts
 * const r = sozialindex({
 *   areas: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
 *   indicators: [{ id: 'sgb2', direction: 1 }, { id: 'kita', direction: -1 }],
 *   values: [
 *     [{ value: 10, ciLow: 8, ciHigh: 12 }, { value: 50 }],
 *     [{ value: 20, ciLow: 17, ciHigh: 23 }, { value: 40 }],
 *     [{ value: 30, ciLow: 26, ciHigh: 34 }, { value: null, masked: true }],
 *   ],
 * }, { simulation: { draws: 1000, seed: 1, level: 0.9 } });
 * r.rows.map((x) => x.rank) // [2, 1, null]  (C: nicht berechenbar)
 * ```
 */
export const sozialindex = sozialindexImpl;

/**
 * Sozialraumtypen: k-means (Lloyd, seeded k-means++ starts, deterministic) on the oriented
 * z-scores of the areas with all inputs; Typ 1 = highest mean need; each type labelled by its
 * centroid profile ("überdurchschnittliche Belastung bei SGB-II-Quote unter 15 und
 * Sprachförderbedarf"). Same input as {@link sozialindex}.
 * @example
 * ```ts
 * const t = sozialraumtypen(input, { k: 4, seed: 5558, starts: 10 });
 * t.assignments.find((a) => a.id === '05558012-01')?.typ // 2
 * t.types[0]?.label // 'deutlich überdurchschnittliche Belastung bei …'
 * ```
 */
export const sozialraumtypen = sozialraumtypenImpl;

/** Mean of published values per type ("ähnliche Sozialräume"): unweighted, over members with a value. */
export const typeMeans = typeMeansImpl;

/**
 * Sozialindex and Sozialraumtypen from published rows (`Spm.results()`), a `sozialindex:`
 * configuration and the indicator definitions, for the given area level; what
 * `Spm.sozialindex()` and `spm compute` use. Throws {@link UserError} for a configuration
 * that does not fit the data. A year whose index (PCA weights) or types need more Sozialräume
 * with all values than the masks leave is not thrown over: it is listed in `skipped` (and,
 * for the index, missing from `years`).
 */
export const buildSteering = buildSteeringImpl;

/** Zod schema of `sozialindex:` in spm.yaml. */
export const SozialindexSchema = SozialindexSchemaImpl;

/** z-scores per column as R `scale()` (sample SD), nulls kept. */
export const zScores = zScoresImpl;
/** First principal component (Jacobi eigen-decomposition; loadings sign-fixed to a positive sum). */
export const firstComponent = firstComponentImpl;
/** k-means with seeded k-means++ starts and Lloyd iterations (as R `kmeans(..., algorithm = "Lloyd")`). */
export const kmeans = kmeansImpl;

/** Ranking of Sozialräume by Sozialindex with the simulated rank interval (Vega-Lite). */
export const sozialindexRanking = sozialindexRankingImpl;
/** Map of the Sozialindex need classes; Sozialräume without index hatched. */
export const sozialindexMap = sozialindexMapImpl;
/** Map of the Sozialraumtypen, labels in the footer. */
export const sozialraumtypenMap = sozialraumtypenMapImpl;

/**
 * Define an indicator in TypeScript with the same schema as the YAML files;
 * validated immediately, pass it to `loadProject(dir, { indicators: [...] })`.
 * A definition that does not fit throws a {@link UserError} with German messages
 * naming each field (e.g. `defineIndicator(sgb2_u15_custom), unit: Ungültige Option …`).
 * @example
 * ```ts
 * const quote = defineIndicator({ id: 'sgb2_u15_custom', ... });
 * ```
 */
export function defineIndicator(input: IndicatorInput): Indicator {
  const r = IndicatorSchemaImpl.safeParse(input, zodGerman);
  if (r.success) return r.data;
  const id =
    input && typeof input === 'object' && typeof (input as { id?: unknown }).id === 'string'
      ? (input as { id: string }).id
      : 'ohne id';
  throw new UserErrorImpl(zodIssuesToIssues(r.error, `defineIndicator(${id})`));
}

/**
 * Zod schema of one goal (Zielsystem) as written under `ziele:` in spm.yaml or in `ziele.yaml`:
 * `id`, `titel`, `gebiet` (or `gebiete` + `gruppenname`), optional `ebene`, `kennzahl`,
 * `zielwert` and/or `richtung` (`sinken` | `steigen`), `startjahr`, `zieljahr`,
 * `meilensteine` ([{ jahr, wert }]), `verantwortlich`, `handlungsfeld`, `beschreibung`.
 */
export { GoalSchema } from './config/goals-schema.js';
export type { Goal, GoalInput, LoadedGoal, Milestone } from './config/goals-schema.js';
export type { GoalEvaluation, GoalVerdict, MilestoneEvaluation } from './steering/goals.js';
import {
  evaluateGoals as evaluateGoalsImpl,
  GOAL_VERDICTS as GOAL_VERDICTS_IMPL,
  GOAL_VERDICT_LABEL as GOAL_VERDICT_LABEL_IMPL,
} from './steering/goals.js';

/**
 * Evaluate goals on PUBLISHED rows (`spm.results()` or a read `kennzahlen.parquet`): per goal
 * and area the start value, the current value (latest year, at most the Zieljahr) with its
 * CI, the value a linear path through the milestones requires now, the verdict and the
 * statistical caveat in German. A masked or missing start or current value gives
 * `nicht_beurteilbar` and no number derived from it. `Spm.goals()` does the same for the
 * project's own goals.
 * @example
 * ```ts
 * const evals = evaluateGoals(spm.project.goals ?? [], await spm.results(), spm.project.indicators.map((i) => i.def));
 * evals[0]?.verdict   // 'auf_kurs'
 * evals[0]?.caveat    // 'Der Unterschied zum Zielpfad liegt innerhalb des Konfidenzintervalls; …'
 * ```
 */
export const evaluateGoals = evaluateGoalsImpl;
/** The verdicts of a goal: `erreicht`, `auf_kurs`, `nicht_auf_kurs`, `nicht_beurteilbar`. */
export const GOAL_VERDICTS = GOAL_VERDICTS_IMPL;
/** German words of the verdicts (`auf_kurs` -> "auf Kurs"). */
export const GOAL_VERDICT_LABEL = GOAL_VERDICT_LABEL_IMPL;
