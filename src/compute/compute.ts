/**
 * The compute stage: an executor over the plan (compile/plan.ts, built by
 * compute/build-plan.ts). It walks the steps in order: SQL steps run with their
 * parameters, `create` steps create their table from its declared columns, JS
 * steps run by name (compute/js-steps.ts). The order of the computation itself
 * (aggregate, cells, roll-ups, pools, results, suppression, statistics,
 * publishing) is the plan's, documented in build-plan.ts.
 */
import type { MaskCounts } from './mask-cache.js';
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { Plan, PlanStage, PlanStep } from '../compile/plan.js';
import { stepSql } from '../compile/plan.js';
import type { CompiledSql } from '../compile/types.js';
import { bindable } from './params.js';
import { roomOnOutOfMemory, runJsStep, type JsContext } from './js-steps.js';
import type { Status } from './results-sql.js';
import { memoryDebug, memoryDebugOn } from '../util/memory-debug.js';

export { projectYears, indicatorYears } from './years.js';

export interface ComputeOptions {
  /** Keep the intermediate tables (cells, results, intervals, trends), e.g. in a `--db` file for inspection. */
  keepIntermediate?: boolean;
  onProgress?: (done: number, total: number, step: string) => void;
  /**
   * Folder for the protection result cache (`<project>/.spm/cache/masks`, see mask-cache.ts);
   * undefined: the protection pass always runs.
   */
  cacheDir?: string;
  /**
   * On a cache miss, receives the function that stores the computed masks (`spm_masks` must
   * still exist then): the caller stores them only after its run succeeded, so a refused
   * run leaves the project folder as it was.
   */
  onCacheable?: (store: () => Promise<void>) => void;
  /** Called after each step that ran (tests compare the declared columns with the tables produced). */
  afterStep?: (step: PlanStep) => Promise<void>;
  /**
   * Stop at the protection step, before it runs (`spm validate`: the counts this run would publish,
   * `spm_results`, are there to compare with earlier releases). The summary's counts are those up to there.
   */
  untilProtection?: boolean;
}

export interface ComputeSummary {
  /** Indicators published (those of `compute({ indicators })`, or all). */
  indicators: number;
  /**
   * Indicators whose counts the protection covered: always the whole Kennzahlenset, so that any
   * selection publishes the masks of the full run (set by Spm.compute; absent: `indicators`).
   */
  protectedIndicators?: number;
  /** Result rows computed: every year and pooled window of the published indicators (also years not in `compute({ years })`). */
  rows: number;
  /**
   * Those rows by data status, before masking (a masked row counts under its status here; the
   * published rows say `masked`, and `suppression` counts the masks).
   */
  byStatus: Record<Status, number>;
  /** Masked (indicator, role) cells by reason; with earlier releases named, what they contributed. */
  masks: MaskCounts;
  /**
   * Milliseconds per step (wall clock, rounded) for `--json` and the benchmark; not written to
   * any output file (outputs stay byte-identical across runs).
   */
  steps_ms: ComputeSteps;
  /** CPU milliseconds per step (all threads of the process, so DuckDB's workers count too); like `steps_ms`. */
  steps_cpu_ms: ComputeSteps;
  /**
   * The protection result: from the cache (`hit`), computed and stored (`miss`), or computed without
   * cache (`off`); `sources`: the same for the load stage (set by the session, api/load-cache.ts).
   */
  cache: {
    masks: 'hit' | 'miss' | 'off';
    sources?: 'hit' | 'miss' | 'off';
    /** On a miss of the masks: the groups of the protection pass taken from earlier runs and solved now. */
    groups?: { reused: number; solved: number };
  };
}

export type ComputeSteps = Record<PlanStage, number>;

/** German names of the stages for `spm compute --verbose`. */
export const STAGE_LABELS: Readonly<Record<PlanStage, string>> = {
  setup: 'Vorbereitung',
  aggregate: 'Aggregation',
  rollup: 'Summen',
  pool: 'Mehrjahresfenster',
  results: 'Ergebnis',
  suppression: 'Geheimhaltung',
  intervals: 'Statistik',
  trend: 'Trends',
  comparisons: 'Vergleiche',
  publish: 'Veröffentlichung',
};

/** Stages in run order, with the progress label shown when a stage starts (aggregate: one per source). */
const STAGES: readonly [PlanStage, string | undefined][] = [
  ['setup', undefined],
  ['aggregate', undefined],
  ['rollup', 'Summen'],
  ['pool', 'Mehrjahresfenster'],
  ['results', 'Ergebnis'],
  ['suppression', 'Geheimhaltung'],
  ['intervals', 'Statistik'],
  ['trend', undefined],
  ['comparisons', undefined],
  ['publish', undefined],
];

export async function run(conn: DuckDBConnection, q: CompiledSql): Promise<void> {
  // without parameters one call to DuckDB (parse, plan, run) instead of three (extract, prepare, run)
  if (q.parameters.length === 0) await conn.run(q.sql);
  else await conn.run(q.sql, bindable(q.parameters));
}

/**
 * Runs the SQL steps of a stage, keeping the last parameterised statement prepared while the
 * next step has the same text (the per-indicator rows of the setup tables: 25 INSERTs for the
 * sample, each of which DuckDB parsed and planned anew). Only consecutive steps share it:
 * nothing runs between them, so the catalog it was planned against is the same.
 */
class StepRunner {
  private prepared: { sql: string; statement: DuckDBPreparedStatement } | undefined;

  constructor(private readonly conn: DuckDBConnection) {}

  async run(q: CompiledSql): Promise<void> {
    if (q.parameters.length === 0 || this.prepared?.sql !== q.sql) {
      this.release();
      if (q.parameters.length === 0) return run(this.conn, q);
      const extracted = await this.conn.extractStatements(q.sql);
      // a script of several statements runs as before (the ones before the last run every time)
      if (extracted.count !== 1) return run(this.conn, q);
      this.prepared = { sql: q.sql, statement: await extracted.prepare(0) };
    }
    const statement = this.prepared.statement;
    try {
      statement.clearBindings();
      statement.bind(bindable(q.parameters));
      await statement.run();
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** Frees the kept statement (before a JS step, at the end of a stage, and after an error). */
  release(): void {
    this.prepared?.statement.destroySync();
    this.prepared = undefined;
  }
}

/** DuckDB's own memory (buffer pool in use, spilled) for the debug line. */
async function duckdbMemory(conn: DuckDBConnection): Promise<string> {
  const r = await conn.runAndReadAll(
    'SELECT sum(memory_usage_bytes)::DOUBLE, sum(temporary_storage_bytes)::DOUBLE FROM duckdb_memory()',
  );
  const [used, spilled] = (r.getRowsJS()[0] ?? [0, 0]) as number[];
  return `duckdb ${Math.round((used ?? 0) / 2 ** 20)} spilled ${Math.round((spilled ?? 0) / 2 ** 20)} MiB`;
}

/** Run the plan on a connection holding the loaded tables; returns the run's summary. */
export async function computeIndicators(
  conn: DuckDBConnection,
  plan: Plan,
  options: ComputeOptions = {},
): Promise<ComputeSummary> {
  const onProgress = options.onProgress;
  // the steps done when the last event was sent: a long step's own events (ctx.progress) keep it
  let lastDone = 0;
  const progress = (done: number, total: number, step: string): void => {
    lastDone = done;
    onProgress?.(done, total, step);
  };
  const stepsMs = Object.fromEntries(STAGES.map(([s]) => [s, 0])) as ComputeSteps;
  const stepsCpuMs = { ...stepsMs };
  const ctx: JsContext = {
    conn,
    rows: 0,
    byStatus: undefined,
    masks: { primary: 0, secondary: 0, input: 0 },
    cacheDir: options.cacheDir,
    maskCache: 'off',
  };
  const total = plan.steps.filter((s) => s.progress !== undefined).length + STAGES.filter(([, l]) => l).length;
  if (onProgress) ctx.progress = (label) => onProgress(lastDone, total, label);
  let done = 0;
  let stopped = false;
  for (const [stage, label] of STAGES) {
    if (stopped) break;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    if (label) progress(done++, total, label);
    const runner = new StepRunner(conn);
    try {
      for (const step of plan.steps) {
        if (step.stage !== stage || (step.cleanup && options.keepIntermediate)) continue;
        if (options.untilProtection && step.kind === 'js' && step.name === 'suppress') {
          stopped = true;
          break;
        }
        if (step.progress !== undefined) progress(done++, total, step.progress);
        const q = stepSql(step);
        // one statement fails as a whole (DuckDB rolls it back), so it can be repeated with more room
        if (q) await roomOnOutOfMemory(conn, () => runner.run(q), undefined, step.id);
        else if (step.kind === 'js') {
          runner.release();
          await runJsStep(ctx, step);
        }
        if (options.afterStep) {
          runner.release();
          await options.afterStep(step);
        }
      }
    } finally {
      runner.release();
    }
    stepsMs[stage] = Math.round(performance.now() - t0);
    const c = process.cpuUsage(c0);
    stepsCpuMs[stage] = Math.round((c.user + c.system) / 1000);
    if (memoryDebugOn()) memoryDebug(`compute.${stage}`, await duckdbMemory(conn));
  }
  progress(total, total, '');
  if (ctx.storeMasks) options.onCacheable?.(ctx.storeMasks);
  if (!ctx.byStatus) throw new Error('plan without a count_statuses step');
  return {
    indicators: plan.indicators.length,
    rows: ctx.rows,
    byStatus: ctx.byStatus,
    masks: ctx.masks,
    steps_ms: stepsMs,
    steps_cpu_ms: stepsCpuMs,
    cache: { masks: ctx.maskCache, ...(ctx.groupCache ? { groups: ctx.groupCache } : {}) },
  };
}
