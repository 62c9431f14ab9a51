/**
 * The named JS steps of the plan: work DuckDB cannot do in SQL (chi-square
 * quantiles, the suppression and its LP audit, R-checked trend fits) or that
 * reads back for the run's summary. Dispatch is a `Record` over the step names,
 * so a new step kind fails to compile until it is handled here.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';
import type { JsStep, JsStepArgs, JsStepName } from '../compile/plan.js';
import { checkRelations } from '../privacy/relations-check.js';
import { PublicationRefused } from '../privacy/refusal.js';
import type { RefusedCell } from '../privacy/db.js';
import type { MeasureRelation } from '../privacy/relations.js';
import type { BoundWidening } from '../privacy/bound-relations.js';
import { STATUSES, type Status } from './results-sql.js';
import { fillStatsLookups } from './stats-tables.js';
import { computeTrends } from './trend-js.js';
import { carryAggregates } from './carry.js';
import { protectionKey, restoreMasks, storeMasks, type EarlierSummary, type MaskCounts } from './mask-cache.js';
import { loadEarlierReleases, type EarlierReleases } from './earlier.js';
import { collectGarbageFully } from '../util/gc.js';
import { memoryDebug } from '../util/memory-debug.js';
import { UserError } from '../util/issues.js';
import { roomOnOutOfMemory } from '../util/memory-limit.js';

/** (moved to util/memory-limit.ts: the export uses it too) */
export { roomOnOutOfMemory };

/** What JS steps read and report while the plan runs. */
export interface JsContext {
  conn: DuckDBConnection;
  rows: number;
  byStatus: Record<Status, number> | undefined;
  masks: MaskCounts;
  /** Folder of the protection cache (`<project>/.spm/cache/masks`); undefined = no cache. */
  cacheDir?: string | undefined;
  /** Whether the protection result came from the cache (`hit`), was computed (`miss`), or `off`. */
  maskCache: 'hit' | 'miss' | 'off';
  /** Earlier releases taken as known by the protection pass (settings.suppression.frueher_veroeffentlicht). */
  earlier?: EarlierReleases;
  /** On a miss: stores the computed masks in the cache (called once the run's outputs are in place). */
  storeMasks?: () => Promise<void>;
}

function earlierSummary(e: EarlierReleases, limited: number): EarlierSummary {
  return { ...e, files: e.files.length, limited };
}

type Handlers = { [K in JsStepName]: (ctx: JsContext, args: JsStepArgs[K]) => Promise<void> };

/** The refused cells with their areas' names (the newest where an area was renamed), where `areas` has them. */
async function withAreaNames(conn: DuckDBConnection, cells: readonly RefusedCell[]): Promise<RefusedCell[]> {
  const ids = [...new Set(cells.map((c) => c.area_id))];
  if (ids.length === 0) return [...cells];
  const exists = await conn.runAndReadAll("SELECT 1 FROM duckdb_tables() WHERE table_name = 'areas'");
  if (exists.getRows().length === 0) return [...cells];
  const rows = await conn.runAndReadAll(
    `SELECT area_id, arg_max(area_name, COALESCE(valid_from, 0)) AS area_name FROM areas
     WHERE list_contains($1::VARCHAR[], area_id) AND area_name IS NOT NULL GROUP BY area_id`,
    [listValue(ids)],
  );
  const names = new Map(rows.getRowObjectsJS().map((r) => [String(r.area_id), String(r.area_name)]));
  return cells.map((c) => (names.has(c.area_id) ? { ...c, area_label: names.get(c.area_id)! } : c));
}

/**
 * How the pass treats "numerator <= denominator" of the proportions. The default (undefined): every
 * proportion's as a relation of the protection problem from the first pass on (`den = num + rest`,
 * rest >= 0), so the numerator and denominator measures are protected and audited together.
 *
 * With `SPM_PRIVACY_BOUND_ROUNDS=n` (tests of the refusal, diagnostics): the pass as before 3 Dec 2026,
 * each measure group on its own with the other groups' true counts as fixed bounds, and after a
 * refusal up to n rounds with the relations one step further around the refused counts (0: refuse
 * after the first pass). Separate groups are not safe: each audit takes the other groups' cells at
 * their true values, but an attacker combines the groups' ranges. The sample generated with seed 101
 * (tests/privacy/lp-attack.test.ts, SPM_ATTACK_SAMPLE_SEED=101) had one Sozialraum's count of all
 * children examined in 2017 pinned at 1, and its Impfpass count narrowed to 1..3, by chains of
 * "numerator <= denominator" across Impfpass, Masern, Vorsorgeheft and all children (windows and
 * Kommune totals in between) that no group's audit saw.
 */
function boundRounds(): number | undefined {
  const v = process.env.SPM_PRIVACY_BOUND_ROUNDS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UserError(`SPM_PRIVACY_BOUND_ROUNDS: eine ganze Zahl ab 0 erwartet, nicht "${v}"`);
  return n;
}

const HANDLERS: Handlers = {
  check_relations: async (ctx, a) => {
    await checkRelations(ctx.conn, a.relations, new Map(Object.entries(a.measureIds)));
  },
  count_statuses: async (ctx, a) => {
    const counts = a.indicators
      ? await ctx.conn.runAndReadAll(
          'SELECT status, COUNT(*) AS n FROM spm_results WHERE list_contains($1::VARCHAR[], indicator_id) GROUP BY status',
          [listValue([...a.indicators])],
        )
      : await ctx.conn.runAndReadAll('SELECT status, COUNT(*) AS n FROM spm_results GROUP BY status');
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
    ctx.rows = 0;
    for (const r of counts.getRowObjectsJS()) {
      byStatus[r.status as Status] = Number(r.n);
      ctx.rows += Number(r.n);
    }
    ctx.byStatus = byStatus;
  },
  suppress: async (ctx, a) => {
    // earlier releases (settings.suppression.frueher_veroeffentlicht): their counts are known (spm_pinned);
    // without, no pins may be left from elsewhere (a table of that name in a database the caller passed)
    if (a.earlier) ctx.earlier = await loadEarlierReleases(ctx.conn, a.earlier, a.threshold);
    else await ctx.conn.run('DROP TABLE IF EXISTS spm_pinned');
    // the same inputs, options and code as a run before: its masks (see mask-cache.ts)
    const key = ctx.cacheDir ? await protectionKey(ctx.conn, a) : undefined;
    if (ctx.cacheDir && key) {
      const hit = await restoreMasks(ctx.conn, ctx.cacheDir, key);
      ctx.maskCache = hit ? 'hit' : 'miss';
      if (hit) {
        // the figures of the earlier releases as read now; how many cells they limited, from the run stored
        ctx.masks = ctx.earlier ? { ...hit, earlier: earlierSummary(ctx.earlier, hit.earlier?.limited ?? 0) } : hit;
        return;
      }
    }
    // the protection code (and HiGHS) is loaded only when the pass runs, not for masks from the cache
    const { suppressCells } = await import('../privacy/index.js');
    const pass = (relations: readonly MeasureRelation[], exactBounds: readonly string[]) =>
      roomOnOutOfMemory(
        ctx.conn,
        () => suppressCells(ctx.conn, { threshold: a.threshold, relations, exactBounds }),
        undefined,
        'suppress',
      );
    const b = await import('../privacy/bound-relations.js');
    const widening: BoundWidening = { measures: new Set(), chosen: new Map() };
    const rounds = boundRounds();
    // every proportion's "numerator <= denominator" as a relation from the start (see boundRounds)
    if (rounds === undefined) b.chooseAll(widening, (await b.proportionPairs(ctx.conn)).pairs);
    const run = () => {
      const { relations, exactBounds } = b.boundRelations(widening);
      return pass([...a.relations, ...relations], exactBounds);
    };
    let s = await run();
    // (SPM_PRIVACY_BOUND_ROUNDS only) a refused count may be pinned by other groups' bounds: again with
    // "numerator <= denominator" around it as relations, reaching further each round
    let boundPairs = 0;
    for (let round = 0; round < (rounds ?? 0) && s.unresolved === 0 && s.audit.unresolved > 0; round++) {
      const { pairs, keyOf } = await b.proportionPairs(ctx.conn);
      // nothing new to try: the refusal stands (suppressCells adds the pairs inside one group itself)
      if (b.widenBounds(widening, pairs, keyOf, s.refused) === 0) break;
      boundPairs = b.boundRelations(widening).relations.length;
      if (process.env.SPM_PRIVACY_DEBUG)
        console.error(
          `privacy: ${s.refused.length} refused, round ${round + 1} with ${boundPairs} numerator <= denominator relations (${widening.chosen.size} indicators)`,
        );
      s = await run();
    }
    if (s.unresolved > 0) throw new Error(`suppression left ${s.unresolved} protected cells recoverable`);
    // the interval audit could not widen some protected range: publishing would narrow a small
    // count, so nothing is published (a figure unsafe to publish is worse than none)
    if (s.audit.unresolved > 0)
      throw new PublicationRefused(s.audit.unresolved, await withAreaNames(ctx.conn, s.refused), a.threshold);
    ctx.masks = {
      primary: s.primary,
      secondary: s.secondary,
      input: s.input,
      ...(ctx.earlier ? { earlier: earlierSummary(ctx.earlier, s.audit.earlierLimited) } : {}),
      ...(s.audit.tightBoundsOnly > 0 ? { tightBoundsOnly: s.audit.tightBoundsOnly } : {}),
      ...(boundPairs > 0 ? { boundPairs } : {}),
    };
    // the pass's garbage (hundreds of MB at NRW size) must not stay resident beside DuckDB's buffer pool
    // (and HiGHS's WebAssembly heap, dropped by the pass when it grew large)
    await collectGarbageFully();
    memoryDebug('after protection, GC');
    const { conn, cacheDir, masks } = ctx;
    if (cacheDir && key) ctx.storeMasks = () => storeMasks(conn, cacheDir, key, masks);
  },
  poisson_lookup: async (ctx, a) => {
    await fillStatsLookups(ctx.conn, a.confidence);
  },
  trends: async (ctx, a) => {
    await computeTrends(ctx.conn, { trendYears: a.trendYears, confidence: a.confidence });
  },
  carry: async (ctx, a) => {
    await carryAggregates(ctx.conn, a.sourceId, a.mids, a.changes, a.published);
  },
};

export async function runJsStep(ctx: JsContext, step: JsStep): Promise<void> {
  // the union of steps narrows per name inside HANDLERS; TypeScript cannot follow the correlation here
  await (HANDLERS[step.name] as (c: JsContext, a: unknown) => Promise<void>)(ctx, step.args);
}
