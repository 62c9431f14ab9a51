/**
 * `Spm`: one project with its DuckDB, for scripts. The CLI's commands are thin
 * wrappers over this class (see src/run/).
 *
 * ```
 * Spm.open(dir | config)   -> config stage (validated Project)
 *   .load()                -> ingest (DuckDB tables, row accounting, rejects)
 *   .compute(options)      -> compile + compute (results with statistics and masks)
 *   .results(filter)       -> typed rows / .resultsArrow(filter) -> apache-arrow Table
 *   .export(outDir, ...)   -> kennzahlen.csv / .parquet / .arrow / .json + manifest.json
 *   .close()               -> DuckDB released (also via `await using`)
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import type { Project } from '../config/project.js';
import { projectHierarchy } from '../config/hierarchy.js';
import type { IndicatorInput, ProjectFileInput } from '../config/schema.js';
import type { LoadProjectResult } from '../config/load-project.js';
import { configFileOf, readConfigCache, writeConfigCache } from './config-cache.js';
import { catalogObjects, loadCacheKey, prepareLoad, restoreLoad } from './load-cache.js';
import { compileProject } from '../compile/compile-indicator.js';
import { neverTrueFilterIssues, sourceColumnTypes } from '../privacy/relations.js';
import type { CompiledIndicator } from '../compile/types.js';
import { computeIndicators, projectYears, type ComputeSummary } from '../compute/compute.js';
import { buildPlan } from '../compute/build-plan.js';
import { earlierFiles, loadEarlierReleases, type EarlierReleases } from '../compute/earlier.js';
import { ingestProject } from '../ingest/index.js';
import type { LoadedTables } from '../ingest/types.js';
import type { KennzahlRow } from '../publish/schema.js';
import { exportWriteMemoryBytes, openDatabase, withMemoryLimit, type Database } from './database.js';
import { assertSafeOutDir, type StagedSet } from '../export/output-folder.js';
import { makeDir } from '../util/environment.js';
import { referencedFileIssues } from '../config/referenced-files.js';
import { readReferenceValues } from '../ingest/references.js';
import { explainIndicator, type Explanation } from '../compute/explain.js';
import { UserError, type Issue } from '../util/issues.js';
import { resolveInProject } from '../util/paths.js';
import { dataNoteOf, publishSteps } from '../publish/published.js';
import { readResults, type ResultFilter } from '../publish/results.js';
import { writeExports, type ExportFormat, type OutputFileInfo } from '../export/write.js';
import { refuseUnnamedRelease } from '../export/replaced-release.js';
import { goalAreaIssues } from '../steering/goal-areas.js';
import { evaluateGoals, GOAL_COLUMNS, type GoalEvaluation } from '../steering/goals.js';
import type { SozialindexConfig } from '../config/sozialindex-schema.js';
import { STEERING_COLUMNS, skippedIssues, type SteeringReport } from '../steering/build.js';
import { indexLevels, steeringFromProject } from '../steering/from-project.js';

/**
 * Below this many source rows in all (one DuckDB row group) a project runs on one DuckDB
 * thread: its tables are too small to be split, and idle workers only cost CPU time (the
 * sample Kreis: about 1.3 s of 6 s). The figures are the same with any number of threads.
 */
export const SMALL_PROJECT_ROWS = 122_880;

/**
 * Sources smaller than this in all (bytes on disk) are loaded on one DuckDB thread already: they
 * cannot hold many more rows than `SMALL_PROJECT_ROWS` (the sample Kreis: 1.8 MB, 23,000 rows).
 */
export const SMALL_PROJECT_BYTES = 4 * 1024 * 1024;

/** Memory limit while loading sources (fixed text, not user input). */
const LOAD_MEMORY_LIMIT = '1GB';

export interface OpenOptions {
  /**
   * Keep the DuckDB database in this file instead of memory: a new file, or one spm wrote before
   * (emptied); any other existing file is refused and left unchanged.
   */
  db?: string;
  /**
   * DuckDB worker threads (default: all cores; one for a small project, whose sources have
   * fewer rows together than one DuckDB row group, see `SMALL_PROJECT_ROWS`).
   */
  threads?: number;
  /** DuckDB memory limit (default: 1 GiB, see `defaultMemoryLimit`); larger tables and intermediates spill to the scratch folder. */
  memoryLimit?: string;
  /** Indicators defined in code (`defineIndicator`), added to those from YAML. */
  indicators?: readonly IndicatorInput[];
  /**
   * Folder for temporary files (normalised CSV, DuckDB spill): spm makes its own folder
   * `.spm-tmp-<pid>` inside it and removes that on close; the folder itself and everything
   * else in it are left alone (it is made if missing and removed on close if spm made it and
   * it is empty then). Default: the project's output folder.
   */
  scratchDir?: string;
  /**
   * Reuse results of earlier runs from `<project>/.spm/cache/` when their inputs are the same
   * (byte for byte, with the same options and spm code): today the protection pass, the
   * longest step. Never changes a figure; delete the folder to clear it. Default false
   * (`spm compute` turns it on; `--no-cache` off).
   */
  cache?: boolean;
  /**
   * Keep the published table compressed in its own in-memory database (see PUBLISHED_CATALOG in
   * publish/published.ts). Default: for projects whose published table may exceed
   * `SMALL_PUBLISHED_ROWS` rows, and never with `db` (a view in the file would point into a
   * database gone after the run).
   */
  compressPublished?: boolean;
}

/**
 * Up to this many published rows (areas x indicators x years x 2, single years and windows) the
 * published table stays a plain table of the main in-memory database: compressing it (an ATTACH
 * and a CHECKPOINT) saves memory only at Land size, and costs the sample Kreis (29,160 rows)
 * about 0.15 s of its 3.6 s CPU (paired runs, 2 Dec 2026). At NRW size (2 million rows) the
 * compressed table is what keeps the export under 2 GiB (see EXPORT_WRITE_MEMORY_BYTES).
 */
export const SMALL_PUBLISHED_ROWS = 250_000;

/**
 * Whether a loaded project publishes at most `SMALL_PUBLISHED_ROWS` rows (areas x indicators x
 * years x 2, single years and windows): its plan builds the published table and the neighbours of
 * its rows in one statement each (`publishSteps`, `BuildPlanOptions.small`).
 */
export function smallProject(project: Project, loaded: LoadedTables, indicators?: number): boolean {
  const areas = loaded.areas.areas.length + loaded.areas.groups.length + 1;
  const years = Math.max(1, projectYears(loaded, project).length);
  return areas * (indicators ?? compileProject(project).length) * years * 2 <= SMALL_PUBLISHED_ROWS;
}

/** The project's cache folder (`spm compute` keeps reusable intermediate results there). */
export function projectCacheDir(project: Project): string {
  return path.join(project.root, '.spm', 'cache');
}

export interface LoadOptions {
  onProgress?: (e: { source: string; file: string; rows: number }) => void;
}

export interface ComputeOptions {
  /** Only these indicator ids (default: all). */
  indicators?: readonly string[];
  /**
   * Publish only these reference years. All years of the data are still computed,
   * so previous-year, base-year and trend values of the kept years are the same as
   * in a full run (a 2024 row keeps its change vs 2023 and its 5-year trend).
   */
  years?: readonly number[];
  onProgress?: (done: number, total: number, step: string) => void;
}

/**
 * Refuses a selection of indicators (`--indicator`) that names one the project does not have: a typo
 * would otherwise give an empty or partial output without a word.
 */
export function checkIndicatorSelection(project: Project, ids: readonly string[]): void {
  const known = new Set(project.indicators.map((i) => i.def.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length)
    throw new UserError(`Unbekannte Indikatoren: ${unknown.join(', ')} (vorhanden: ${[...known].join(', ')})`);
}

/** Refuses a selection of Kommunen (`--kommune`) that names an AGS the area list does not have (as above). */
export function checkKommuneSelection(loaded: LoadedTables, ags: readonly string[]): void {
  resolveKommuneSelection(loaded, ags);
}

/**
 * The codes of the areas of the second level a user named (`--kommune`): by code, or by name
 * ("Ascheberg", case and surrounding spaces aside) where exactly one area has it.
 * @throws UserError naming the unknown or ambiguous ones, with the areas there are
 */
export function resolveKommuneSelection(loaded: LoadedTables, given: readonly string[]): string[] {
  const known = loaded.areas.kommunen;
  const key = (s: string) => s.trim().toLocaleLowerCase('de');
  const out: string[] = [];
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const g of given) {
    if (known.some((k) => k.ags === g)) {
      out.push(g);
      continue;
    }
    const byName = known.filter((k) => key(k.name) === key(g) || k.ags === g.trim());
    if (byName.length === 1) out.push(byName[0]!.ags);
    else if (byName.length > 1) ambiguous.push(`${g} (${byName.map((k) => k.ags).join(' oder ')})`);
    else unknown.push(g);
  }
  const list = known.map((k) => `${k.ags} ${k.name}`).join(', ');
  if (unknown.length || ambiguous.length)
    throw new UserError(
      [
        unknown.length ? `Unbekannte Kommunen: ${unknown.join(', ')}` : '',
        ambiguous.length ? `Mehrdeutige Namen, bitte den Schlüssel angeben: ${ambiguous.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') + ` (vorhanden: ${list})`,
    );
  return out;
}

/** A value a script passed, for a message: as JSON, cut after 120 characters (a whole config would drown the message). */
function shownValue(v: unknown): string {
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    t = String(v);
  }
  return t.length > 120 ? `${t.slice(0, 120)}…` : t;
}

/**
 * A list option of a library call checked at run time (plain JavaScript passes anything): an array
 * of strings, or of whole years. A UserError naming the call and the option otherwise.
 */
function checkList(call: string, option: string, value: unknown, kind: 'string' | 'year' | 'integer'): void {
  if (value === undefined) return;
  const ok = (x: unknown) =>
    kind === 'string'
      ? typeof x === 'string'
      : typeof x === 'number' && Number.isInteger(x) && (kind !== 'year' || (x >= 1000 && x <= 9999));
  if (Array.isArray(value) && value.every(ok)) return;
  const want =
    kind === 'string'
      ? 'eine Liste von Texten'
      : kind === 'year'
        ? 'eine Liste vierstelliger Jahreszahlen'
        : 'eine Liste ganzer Zahlen';
  throw new UserError({
    severity: 'error',
    code: 'api.argument',
    message: `${call}: ${option} muss ${want} sein, z. B. ${kind === 'string' ? "['sgb2_quote_unter_15']" : kind === 'year' ? '[2023, 2024]' : '[1, 3]'}; angegeben: ${shownValue(value)}`,
  });
}

/** The filter of `results`/`export` checked at run time; an unknown level names the project's levels. */
function checkFilter(project: Project, filter: ResultFilter): void {
  if (filter === null || typeof filter !== 'object')
    throw new UserError({
      severity: 'error',
      code: 'api.argument',
      message: "Der Filter muss ein Objekt sein, z. B. { levels: ['kommune'] }",
    });
  checkList('Filter', 'indicators', filter.indicators, 'string');
  checkList('Filter', 'areas', filter.areas, 'string');
  checkList('Filter', 'levels', filter.levels, 'string');
  checkList('Filter', 'years', filter.years, 'year');
  checkList('Filter', 'poolYears', filter.poolYears, 'integer');
  if (filter.levels) {
    const h = projectHierarchy(project.config);
    const known = [
      h.top.level,
      ...h.levels.map((l) => l.name),
      ...(project.config.areas.groupings ?? []).map((g) => g.name),
    ];
    const unknown = filter.levels.filter((l) => !known.includes(l));
    if (unknown.length)
      throw new UserError({
        severity: 'error',
        code: 'api.argument',
        message: `Filter: unbekannte Ebene ${unknown.map((l) => `„${l}“`).join(', ')} (Ebenen des Projekts: ${known.join(', ')})`,
      });
  }
}

/** A source of project configuration: a folder with spm.yaml, or a config object with its root folder. */
export type ProjectSource = string | { config: ProjectFileInput; root: string };

export class Spm implements AsyncDisposable {
  /** The validated project (config + indicators). */
  readonly project: Project;
  /** Warnings and notes collected so far (config, ingest). */
  readonly issues: Issue[];
  private readonly db: Database;
  private readonly scratch: string;
  private loadedTables: LoadedTables | undefined;
  private readonly memoryLimit: string | undefined;
  private readonly keepTables: boolean;
  /** The user chose the number of threads (`open({ threads })`). */
  private threadsChosen = false;
  /** Folders this session created for its scratch space (removed again on close when empty). */
  private readonly createdDirs: string[];
  private compiledIndicators: CompiledIndicator[] | undefined;
  private summary: ComputeSummary | undefined;
  private publishYears: number[] | undefined;
  /** The goals of the last compute, evaluated once (export and the run's summary both read them). */
  private goalEvaluations: Promise<GoalEvaluation[]> | undefined;
  private closed = false;
  /** Set by `open({ cache: true })`. */
  private cacheDir: string | undefined;
  /** `open({ compressPublished })`; undefined: by the project's size (see `compressedPublished`). */
  private compressChosen: boolean | undefined;
  /** The published table is compressed in this session (decided at the first compute, then kept). */
  private compressDecided: boolean | undefined;
  /** Stores the last compute's protection result in the cache (see `commitCache`). */
  private pendingCache: (() => Promise<void>) | undefined;
  /** Moves the prepared entry of the load into the cache (see `commitCache`). */
  private pendingLoadCache: (() => void) | undefined;
  /** The last load: from the cache (`hit`), read (`miss`: stored by `commitCache` when it can be), or read without cache (`off`). */
  private loadCacheState: 'hit' | 'miss' | 'off' = 'off';
  /** Stores the validated config in the cache (see `commitCache`). */
  private pendingConfigCache: (() => void) | undefined;
  /** The filters no row passes were looked for (once a session: the indicators do not change). */
  private filtersChecked = false;

  private constructor(
    project: Project,
    db: Database,
    scratch: string,
    issues: Issue[],
    memoryLimit: string | undefined,
    createdDirs: string[],
  ) {
    this.project = project;
    this.db = db;
    this.scratch = scratch;
    this.issues = issues;
    this.memoryLimit = memoryLimit;
    this.createdDirs = createdDirs;
    this.keepTables = db.file !== undefined;
  }

  /**
   * Open a project: validate spm.yaml (or the config object) and the indicators,
   * open DuckDB. Throws {@link UserError} with every problem found.
   * @example
   * ```ts
   * await using spm = await Spm.open('data-samples/kreis-coesfeld');
   * await spm.compute();
   * const rows = await spm.results({ levels: ['kommune'], years: [2024], indicators: ['sgb2_quote_unter_15'] });
   * rows[0]?.value // 5.149… (percent)
   * ```
   */
  static async open(source: ProjectSource, options: OpenOptions = {}): Promise<Spm> {
    // plain JavaScript passes anything: a folder or { config, root } only
    const ok =
      (typeof source === 'string' && source.trim() !== '') ||
      (source !== null &&
        typeof source === 'object' &&
        typeof source.root === 'string' &&
        source.config !== null &&
        typeof source.config === 'object');
    if (!ok)
      throw new UserError({
        severity: 'error',
        code: 'api.argument',
        message: `open: erwartet einen Projektordner (Text) oder { config, root }; angegeben: ${shownValue(source)}`,
      });
    if (options === null || typeof options !== 'object')
      throw new UserError({
        severity: 'error',
        code: 'api.argument',
        message: 'open: die Optionen müssen ein Objekt sein',
      });
    const { result, storeConfig } = await loadConfig(source, options);
    const { project, issues } = result;
    // geo:, land: and the area list are checked now, not met later as internal errors
    const fileIssues = referencedFileIssues(project);
    // references: (published reference values) too, with file, line and column
    try {
      readReferenceValues(project);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      fileIssues.push(...e.issues);
    }
    if (fileIssues.some((i) => i.severity === 'error'))
      throw new UserError([...issues.filter((i) => i.severity === 'error'), ...fileIssues]);
    if (
      options.threads !== undefined &&
      !(typeof options.threads === 'number' && Number.isInteger(options.threads) && options.threads >= 1)
    )
      throw new UserError({
        severity: 'error',
        code: 'api.argument',
        message: `open: threads muss eine ganze Zahl ab 1 sein; angegeben: ${String(options.threads)}`,
      });
    const scratch = scratchIn(options.scratchDir ?? defaultOutDir(project));
    const created: string[] = [];
    for (let d = path.dirname(scratch); !fs.existsSync(d); d = path.dirname(d)) created.push(d);
    makeDir(scratch);
    // --db: opened only if it is new or spm's own (database.ts); never deleted
    const db = await openDatabase(options.db ? path.resolve(options.db) : undefined, {
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
      tempDir: path.join(scratch, 'duckdb'),
    });
    const spm = new Spm(project, db, scratch, [...issues, ...fileIssues], options.memoryLimit, created);
    scratchInUse.add(scratch);
    if (options.cache) spm.cacheDir = projectCacheDir(project);
    spm.pendingConfigCache = storeConfig;
    spm.threadsChosen = options.threads !== undefined;
    spm.compressChosen = options.compressPublished;
    return spm;
  }

  /**
   * The DuckDB connection — the escape hatch for ad-hoc SQL over the loaded
   * tables (`src_<source>`, `areas_sozialraum`, `areas_kommune`, `rejects`,
   * and after compute `spm_published`). WARNING: SQL you run here is yours; pass
   * values as parameters (`conn.run(sql, [values])`), never by string building.
   */
  get connection(): DuckDBConnection {
    this.assertOpen();
    return this.db.conn;
  }

  /** Load the area list and every source into DuckDB (once). */
  async load(options: LoadOptions = {}): Promise<LoadedTables> {
    this.assertOpen();
    if (this.loadedTables) return this.loadedTables;
    // Loaded source tables are only scanned once later: while loading, a limit
    // lets DuckDB spill them to the scratch folder, so a 2 GB extract does not
    // end up in memory. Compute runs with the default (or the user's) limit again.
    // (withMemoryLimit sets the previous limit back explicitly: DuckDB's RESET does not reach the buffer pool)
    // Small sources are read on one thread (idle workers only cost CPU); the thread count
    // before is kept, so a project with more rows than its size suggested gets it back below.
    let threadsBefore: string | undefined;
    const beforeRead = async (files: readonly string[]) => {
      if (this.threadsChosen) return;
      let bytes = 0;
      for (const f of files) bytes += fs.statSync(f).size;
      if (bytes >= SMALL_PROJECT_BYTES) return;
      threadsBefore = await currentThreads(this.db.conn);
      await this.db.conn.run('SET threads = 1');
    };
    const ingest = () =>
      ingestProject(this.db.conn, this.project, {
        tmpDir: this.scratch,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        beforeRead,
      });
    // with cache: the tables and result of an earlier load of the same files and settings (api/load-cache.ts)
    const cacheDir = this.cacheDir === undefined ? undefined : path.join(this.cacheDir, 'sources');
    const key = cacheDir === undefined ? undefined : await loadCacheKey(this.db.conn, this.project);
    let loaded = cacheDir && key ? await restoreLoad(this.db.conn, cacheDir, key.key) : undefined;
    if (loaded && key) {
      // the same thread choice as when the files are read
      await beforeRead(key.sourceFiles);
      this.loadCacheState = 'hit';
    } else {
      const before = cacheDir && key ? await catalogObjects(this.db.conn) : undefined;
      loaded =
        this.memoryLimit === undefined
          ? await withMemoryLimit(this.db.conn, LOAD_MEMORY_LIMIT, ingest)
          : await ingest();
      if (cacheDir && key && before)
        this.pendingLoadCache = await prepareLoad(
          this.db.conn,
          path.join(this.scratch, 'load-cache'),
          cacheDir,
          key,
          before,
          loaded,
        );
      this.loadCacheState = cacheDir ? 'miss' : 'off';
    }
    this.issues.push(...loaded.issues);
    const rows = [...loaded.sources.values()].reduce((n, x) => n + x.accounting.rows_read, 0);
    if (!this.threadsChosen && rows < SMALL_PROJECT_ROWS) {
      if (threadsBefore === undefined) await this.db.conn.run('SET threads = 1');
    } else if (threadsBefore !== undefined) await this.db.conn.run(`SET threads = ${Number(threadsBefore)}`);
    // goals name areas: checked against the area list as soon as it is loaded
    this.issues.push(...goalAreaIssues(this.project.goals ?? [], loaded.areas));
    this.loadedTables = loaded;
    return loaded;
  }

  /** Compute every (or the selected) indicator for every area level and year, with statistics and masks. */
  async compute(options: ComputeOptions = {}): Promise<ComputeSummary> {
    this.assertOpen();
    checkList('compute', 'indicators', options.indicators, 'string');
    checkList('compute', 'years', options.years, 'year');
    if (options.indicators?.length === 0)
      throw new UserError({
        severity: 'error',
        code: 'api.argument',
        message: 'compute: indicators ist eine leere Liste; ohne die Angabe werden alle Indikatoren berechnet',
      });
    const loaded = await this.load();
    if (options.indicators) checkIndicatorSelection(this.project, options.indicators);
    if (options.years !== undefined) {
      // requested years without data would publish an empty table: say which years there are
      const all = projectYears(loaded, this.project);
      if (!options.years.some((y) => all.includes(y)))
        throw new UserError({
          severity: 'error',
          code: 'compute.no_years',
          message: `Für die gewählten Jahre (${options.years.join(', ') || 'keine'}) liegen keine Daten vor; vorhandene Jahre: ${all.join(', ') || 'keine'}.`,
        });
    }
    // Every indicator is computed and protected, also when only some are published: the masks of a
    // shared or related measure must not depend on the selection. Otherwise two runs with different
    // selections (Übergewicht inkl. Adipositas in one, Adipositas in another) publish a cell in one
    // and hide it in the other, and together give away what each one protects (issue #11).
    const all = compileProject(this.project);
    // filters that no row passes: a count of 0 everywhere, almost always a typing error (a warning)
    if (!this.filtersChecked) {
      this.filtersChecked = true;
      this.issues.push(...neverTrueFilterIssues(all, sourceColumnTypes(this.project.config)));
    }
    const compiled = options.indicators ? all.filter((c) => options.indicators!.includes(c.indicator.def.id)) : all;
    const publishIndicators = options.indicators ? compiled.map((c) => c.indicator.def.id) : undefined;
    const plan = this.plan(loaded, all, options.years, publishIndicators);
    const summary = await computeIndicators(this.db.conn, plan, {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      keepIntermediate: this.keepTables,
      ...(this.cacheDir ? { cacheDir: path.join(this.cacheDir, 'masks') } : {}),
      onCacheable: (store) => {
        this.pendingCache = store;
      },
    });
    if (options.indicators) summary.protectedIndicators = all.length;
    summary.cache.sources = this.loadCacheState;
    this.publishYears = options.years ? [...options.years] : undefined;
    this.goalEvaluations = undefined;
    this.compiledIndicators = compiled;
    this.summary = summary;
    return summary;
  }

  /**
   * The plan of a compute over every indicator of `all` (all are protected together); published
   * are the `years` (default: all; every year is computed as context for prev/base/trend) and the
   * indicators `publishIndicators` (default: all).
   */
  private plan(
    loaded: LoadedTables,
    all: ReturnType<typeof compileProject>,
    years?: readonly number[],
    publishIndicators?: string[],
  ): ReturnType<typeof buildPlan> {
    const small = this.smallPublished(all.length);
    return buildPlan(this.project, loaded, all, {
      publish: publishSteps(this.dataNote(), years, this.compressedPublished(all.length), publishIndicators, small),
      ...(publishIndicators ? { publishIndicators } : {}),
      small,
    });
  }

  /**
   * The earlier releases named in `settings.suppression.frueher_veroeffentlicht`, compared with
   * the counts this run would publish (`spm validate`): `changed` and `unmatched` counts make
   * `compute` refuse unless `frueher_abweichend_hinnehmen` is set. Computes up to the protection
   * pass, without it; undefined when the project names no earlier release.
   * @throws UserError as `compute` does before its protection pass (an earlier file missing, …)
   */
  async earlierReleases(): Promise<EarlierReleases | undefined> {
    this.assertOpen();
    const files = earlierFiles(this.project);
    if (!files) return undefined;
    await this.computeUntilProtection();
    return loadEarlierReleases(
      this.db.conn,
      files,
      this.project.config.settings.suppression.min_count,
      this.project.root,
    );
  }

  /**
   * Computes the indicators up to the protection pass and keeps nothing of it: what would stop
   * `compute` before the pass stops here (a declared relation the data do not hold, an equation of
   * the data that no relation can take; `spm validate` runs it). Throws those as `UserError`.
   */
  async computeUntilProtection(): Promise<void> {
    this.assertOpen();
    const loaded = await this.load();
    await computeIndicators(this.db.conn, this.plan(loaded, compileProject(this.project)), { untilProtection: true });
  }

  /**
   * With `open({ cache: true })`: store what the last `compute` may reuse next time (the
   * protection result, the loaded sources and the validated config) in `<project>/.spm/cache/`. `export` does this
   * once its files are in place; call it yourself after a compute you keep without exporting.
   * Without cache or on a cache hit it does nothing.
   */
  async commitCache(): Promise<void> {
    this.assertOpen();
    const store = this.pendingCache;
    this.pendingCache = undefined;
    await store?.();
    const storeConfig = this.pendingConfigCache;
    this.pendingConfigCache = undefined;
    storeConfig?.();
    const storeLoad = this.pendingLoadCache;
    this.pendingLoadCache = undefined;
    storeLoad?.();
  }

  /** Published (masked) result rows, optionally filtered; in the order of kennzahlen.csv. */
  async results(filter: ResultFilter = {}): Promise<KennzahlRow[]> {
    this.requireComputed();
    checkFilter(this.project, filter);
    return readResults(this.db.conn, filter);
  }

  /**
   * The project's goals (`ziele:` in spm.yaml) evaluated on the published rows:
   * start value, current value with CI, the linear path, the verdict (`erreicht`,
   * `auf_kurs`, `nicht_auf_kurs`, `nicht_beurteilbar`) and the caveat in words. Only
   * published values are used: a masked start or current value gives `nicht_beurteilbar`.
   * @example
   * ```ts
   * await spm.compute();
   * const goals = await spm.goals();
   * goals[0]?.verdict // 'auf_kurs'
   * ```
   */
  async goals(): Promise<GoalEvaluation[]> {
    this.requireComputed();
    this.goalEvaluations ??= this.evaluateGoals().catch((e: unknown) => {
      this.goalEvaluations = undefined;
      throw e;
    });
    // a copy: the caller may change its array, the next caller gets the evaluation as it was
    return [...(await this.goalEvaluations)];
  }

  private async evaluateGoals(): Promise<GoalEvaluation[]> {
    const goals = this.project.goals ?? [];
    if (goals.length === 0) return [];
    const rows = await readResults(
      this.db.conn,
      { indicators: [...new Set(goals.map((g) => g.def.kennzahl))], poolYears: [1] },
      GOAL_COLUMNS,
    );
    const evals = evaluateGoals(
      goals,
      rows,
      this.project.indicators.map((i) => i.def),
    );
    // compute({ years }) publishes only those years: a start year outside them has no published
    // value here, which is the selection's doing, not the data's; say so instead of "kein Wert"
    const years = this.publishYears;
    if (years === undefined) return evals;
    return evals.map((e) =>
      e.verdict === 'nicht_beurteilbar' && e.start_value === null && !years.includes(e.startjahr)
        ? {
            ...e,
            reason: `Startjahr ${e.startjahr} ist nicht unter den veröffentlichten Jahren (${years.join(', ')}); für die Ziele compute() ohne years aufrufen`,
          }
        : e,
    );
  }

  /** The same rows as an apache-arrow Table with typed columns. */
  async resultsArrow(filter: ResultFilter = {}): Promise<Table> {
    // apache-arrow is loaded only when a Table is asked for
    const { resultsToArrow } = await import('../publish/arrow-table.js');
    return resultsToArrow(await this.results(filter));
  }

  /**
   * Write the published table in the given formats plus `manifest.json` (and
   * `abgewiesene_zeilen.csv`) into `outDir`, atomically. `filter` restricts the rows
   * of `kennzahlen.*` like {@link Spm.results}; the comparison tables
   * `vergleich/*.csv` / `*.parquet` are written only for the formats `csv` / `parquet`.
   * @example
   * ```ts
   * await spm.export('out', { formats: ['arrow'], filter: { levels: ['kommune'], years: [2024] } });
   * // out/kennzahlen.arrow (Kommune rows of 2024), out/manifest.json, out/abgewiesene_zeilen.csv
   * ```
   * A folder holding an earlier output of spm with fewer years (last year's release) is replaced
   * only when its `kennzahlen.parquet` is named in `settings.suppression.frueher_veroeffentlicht`
   * or with `replaceUnpublished: true` (it was never published); otherwise a UserError, and nothing
   * is written (src/export/replaced-release.ts). The same for such outputs elsewhere in the
   * project folder (another year's `--out` folder): named, or `replaceUnpublished`.
   */
  async export(
    outDir: string,
    options: {
      formats?: readonly ExportFormat[];
      unmaskedInternal?: boolean;
      filter?: ResultFilter;
      staged?: readonly StagedSet[];
      /** The earlier output in `outDir` was never published: replace it even if this run has a later year. */
      replaceUnpublished?: boolean;
    } = {},
  ): Promise<OutputFileInfo[]> {
    this.requireComputed();
    if (typeof outDir !== 'string' || outDir.trim() === '')
      throw new UserError({ severity: 'error', code: 'api.argument', message: 'export: kein Ausgabeordner angegeben' });
    if (options.filter) checkFilter(this.project, options.filter);
    // the rules of the CLI's --out: never /, the home or the project folder, nor one holding inputs
    assertSafeOutDir(this.project, outDir);
    makeDir(outDir);
    await refuseUnnamedRelease(
      this.project,
      path.resolve(outDir),
      this.publishYears ?? projectYears(this.loadedTables as LoadedTables, this.project),
      options.replaceUnpublished,
    );
    // two exports into one folder at once (two sessions of one script) would mix their files
    const target = path.resolve(outDir);
    if (exportsRunning.has(target))
      throw new UserError({
        severity: 'error',
        code: 'run.locked',
        message: `In ${outDir} schreibt gerade ein anderer Export dieses Programms; bitte nacheinander exportieren (await).`,
      });
    exportsRunning.add(target);
    try {
      return await this.exportInto(target, options);
    } finally {
      exportsRunning.delete(target);
    }
  }

  private async exportInto(outDir: string, options: Parameters<Spm['export']>[1] & object): Promise<OutputFileInfo[]> {
    const issues = [...this.issues];
    const outputs = await writeExports(
      this.db.conn,
      {
        ...(options.filter ? { filter: options.filter } : {}),
        ...(this.publishYears ? { publishYears: this.publishYears } : {}),
        project: this.project,
        // under the default limit the main table's files are written with more room (see EXPORT_WRITE_MEMORY_BYTES)
        ...(this.memoryLimit === undefined && this.compressedPublished()
          ? { writeMemoryBytes: exportWriteMemoryBytes() }
          : {}),
        loaded: this.loadedTables as LoadedTables,
        compiled: this.compiledIndicators as CompiledIndicator[],
        summary: this.summary as ComputeSummary,
        outDir: path.resolve(outDir),
        formats: options.formats ?? ['csv', 'parquet'],
        unmaskedInternal: options.unmaskedInternal ?? false,
        dataNote: this.dataNote(),
        issues,
        goals: () => this.goals(),
      },
      options.staged,
    );
    // the files are in place: what this run may reuse next time goes into the cache now
    await this.commitCache();
    return outputs;
  }

  /**
   * The Sozialindex and Sozialraumtypen of the computed project (spm.yaml `sozialindex:`, or
   * `config`), built from the published (masked) rows only. Each area's `reason` for having no
   * index is for internal use; the published tables say only "nicht berechenbar".
   * @example
   * ```ts
   * const si = await spm.sozialindex();
   * si.years[0]?.index.rows.filter((r) => r.rank !== null && r.rank <= 3).map((r) => [r.id, r.rankLow, r.rankHigh]);
   * ```
   */
  async sozialindex(config?: SozialindexConfig): Promise<SteeringReport> {
    this.requireComputed();
    const rows = await readResults(this.db.conn, { levels: indexLevels(this.project) }, STEERING_COLUMNS);
    const report = steeringFromProject(this.project, rows, config);
    // no year with an index: nothing to return, say why (a year or types left out: in report.skipped)
    if (report.years.length === 0) throw new UserError(skippedIssues(report, 'error', this.project.configFile));
    return report;
  }

  /**
   * The plan of one indicator as `compute` runs it (loads the data first: the
   * year lists and measure ids are the real ones), publish steps included.
   */
  async explain(indicatorId: string): Promise<Explanation> {
    const loaded = await this.load();
    const small = this.smallPublished();
    return explainIndicator(this.project, indicatorId, loaded, {
      publish: publishSteps(this.dataNote(), undefined, this.compressedPublished(), undefined, small),
      small,
    });
  }

  /**
   * Whether the published table is kept compressed in its own in-memory database (see
   * PUBLISHED_CATALOG): without a database file (a view in a file would point into a database gone
   * after the run), as `open({ compressPublished })` says, else when the project may publish more
   * than `SMALL_PUBLISHED_ROWS` rows.
   */
  private compressedPublished(indicators?: number): boolean {
    if (this.compressDecided !== undefined) return this.compressDecided;
    if (this.db.file !== undefined) this.compressDecided = false;
    else if (this.compressChosen !== undefined) this.compressDecided = this.compressChosen;
    // decided once per session: the view of a compressed table and a plain table of the same
    // name cannot replace each other
    else
      this.compressDecided = !(
        this.loadedTables !== undefined && smallProject(this.project, this.loadedTables, indicators)
      );
    return this.compressDecided;
  }

  /**
   * Whether the plan takes the steps of a small project (`BuildPlanOptions.small`: the published table
   * and the neighbours of its rows in one statement each): when it publishes at most
   * `SMALL_PUBLISHED_ROWS` rows (unknown before `load`: not small) and its published table is not
   * kept compressed (`open({ compressPublished: true })` asks for the large project's steps).
   */
  private smallPublished(indicators?: number): boolean {
    return (
      !this.compressedPublished(indicators) &&
      this.loadedTables !== undefined &&
      smallProject(this.project, this.loadedTables, indicators)
    );
  }

  /** Row accounting etc. of the last load (undefined before `load`). */
  get loaded(): LoadedTables | undefined {
    return this.loadedTables;
  }

  /** Status counts of the last compute (undefined before `compute`). */
  get computed(): ComputeSummary | undefined {
    return this.summary;
  }

  /** Release DuckDB and remove the scratch folder. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    fs.rmSync(this.scratch, { recursive: true, force: true });
    scratchInUse.delete(this.scratch);
    // e.g. `spm validate` must not leave an empty output folder behind
    for (const d of this.createdDirs) {
      try {
        fs.rmdirSync(d);
      } catch {
        break; // not empty (outputs were written): keep it and its parents
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  private dataNote(): string | null {
    return dataNoteOf(this.project);
  }

  private assertOpen(): void {
    if (this.closed)
      throw new UserError({
        severity: 'error',
        code: 'api.closed',
        message: 'Das Projekt ist schon geschlossen (close()); bitte mit Spm.open neu öffnen',
      });
  }

  private requireComputed(): void {
    this.assertOpen();
    if (!this.summary)
      throw new UserError({
        severity: 'error',
        code: 'api.not_computed',
        message: 'Noch keine Ergebnisse: bitte zuerst compute() aufrufen, dann lesen oder exportieren',
      });
  }
}

/**
 * The config stage, from the cache when `options.cache` is set and nothing it read has changed
 * (api/config-cache.ts). On a miss, `storeConfig` stores the result; the session calls it in
 * `commitCache`, after a successful run only. The config modules (yaml, zod) are loaded only
 * on a miss.
 */
async function loadConfig(
  source: ProjectSource,
  options: OpenOptions,
): Promise<{ result: LoadProjectResult; storeConfig?: () => void }> {
  // indicators defined in code are not files: such a project is never cached
  const cacheable = typeof source === 'string' && options.cache && !options.indicators;
  const configFile = cacheable ? configFileOf(source) : '';
  const cacheDir = path.join(path.dirname(configFile), '.spm', 'cache');
  const cached = cacheable ? readConfigCache(cacheDir, configFile) : undefined;
  if (cached) return { result: cached };
  const { loadProject, projectFromConfig } = await import('../config/load-project.js');
  const projectOptions = options.indicators ? { indicators: options.indicators } : {};
  if (typeof source !== 'string') return { result: projectFromConfig(source.config, source.root, projectOptions) };
  if (!cacheable) return { result: loadProject(source, projectOptions) };
  const { withReadLog } = await import('../config/read-log.js');
  const { result, reads } = withReadLog(() => loadProject(source, projectOptions));
  return { result, storeConfig: () => writeConfigCache(cacheDir, configFile, result, reads) };
}

/** DuckDB's number of worker threads now. */
async function currentThreads(conn: DuckDBConnection): Promise<string> {
  const r = await conn.runAndReadAll("SELECT current_setting('threads')::VARCHAR");
  return String(r.getRows()[0]?.[0]);
}

/** Output folders an export of this process is writing into now. */
const exportsRunning = new Set<string>();

/** Scratch folders of the sessions open in this process (a second session gets its own). */
const scratchInUse = new Set<string>();

/**
 * A scratch folder of this process inside `dir`: `.spm-tmp-<pid>`, or `.spm-tmp-<pid>-<letters>`
 * while another open session of this process uses that (removed on close; a dead run's is
 * cleaned by the lock, which knows both forms).
 */
export function scratchIn(dir: string): string {
  const base = path.join(path.resolve(dir), `.spm-tmp-${process.pid}`);
  if (!scratchInUse.has(base)) return base;
  for (let i = 0; ; i++) {
    const c = `${base}-${String.fromCharCode(97 + (i % 26)).repeat(1 + Math.floor(i / 26))}`;
    if (!scratchInUse.has(c) && !fs.existsSync(c)) return c;
  }
}

/** Open options placing the scratch folder in a user-named output folder, if any. */
export function scratchFor(out: string | undefined): Pick<OpenOptions, 'scratchDir'> {
  return out !== undefined ? { scratchDir: out } : {};
}

/** The output folder named in spm.yaml, resolved inside the project. */
export function defaultOutDir(project: Project): string {
  const r = resolveInProject(project.root, project.config.output);
  if ('error' in r)
    throw new UserError({
      severity: 'error',
      code: 'config.output',
      message: r.error,
      file: 'spm.yaml',
      path: 'output',
    });
  return r.abs;
}
