/**
 * The named JS steps of the plan: work DuckDB cannot do in SQL (chi-square
 * quantiles, the suppression and its LP audit, R-checked trend fits) or that
 * reads back for the run's summary. Dispatch is a `Record` over the step names,
 * so a new step kind fails to compile until it is handled here.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';
import type { JsStep, JsStepArgs, JsStepName } from '../compile/plan.js';
import { checkRelations } from '../privacy/relations-check.js';
import { findDataRelations, unmodelledIssues } from './data-relations.js';
import type { MeasureRelation } from '../privacy/relations.js';
import { PublicationRefused } from '../privacy/refusal.js';
import { EarlierReleaseRefused } from './earlier-refusal.js';
import type { RefusedCell } from '../privacy/db.js';
import type { PassProgress } from '../privacy/protect.js';
import { STATUSES, type Status } from './results-sql.js';
import { fillStatsLookups } from './stats-tables.js';
import { computeTrends } from './trend-js.js';
import { carryAggregates } from './carry.js';
import { GroupCache } from './group-cache.js';
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
  /** Equations of the data neither declared nor proven (check_relations): relations of the protection too. */
  dataRelations?: MeasureRelation[];
  rows: number;
  byStatus: Record<Status, number> | undefined;
  masks: MaskCounts;
  /** Folder of the protection cache (`<project>/.spm/cache/masks`); undefined = no cache. */
  cacheDir?: string | undefined;
  /** Whether the protection result came from the cache (`hit`), was computed (`miss`), or `off`. */
  maskCache: 'hit' | 'miss' | 'off';
  /** On a miss of the masks' cache: the first pass's groups taken from earlier runs and solved now (group-cache.ts). */
  groupCache?: { reused: number; solved: number };
  /** Earlier releases taken as known by the protection pass (settings.suppression.frueher_veroeffentlicht). */
  earlier?: EarlierReleases;
  /** On a miss: stores the computed masks in the cache (called once the run's outputs are in place). */
  storeMasks?: () => Promise<void>;
  /** Tells the run's progress where a long step is (a label in place of the step's; see `protectionLabel`). */
  progress?: (label: string) => void;
}

const nf = new Intl.NumberFormat('de-DE');

/**
 * The progress label of the protection pass: groups and the share of cells decided, and the pass's
 * number from the second on (a refusal's pairs as relations, see protect.ts). Percent rounded down:
 * 100 % only when every cell is decided.
 */
export function protectionLabel(p: PassProgress): string {
  const pct = p.totalCells > 0 ? Math.floor((100 * p.cells) / p.totalCells) : 100;
  const pass = p.pass > 1 ? `, Durchgang ${p.pass}` : '';
  return `Geheimhaltung: ${nf.format(p.done)}/${nf.format(p.total)} Gruppen, ${pct} % der Zellen${pass}`;
}

function earlierSummary(e: EarlierReleases, limited: number): EarlierSummary {
  const { differences: _, ...rest } = e;
  return { ...rest, files: e.files.length, limited };
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
 * How the pass treats "numerator <= denominator" of the proportions. The default (undefined): through
 * low points (src/privacy/low-point.ts). The measure groups stay as their own relations make them and
 * are solved numerators first; a numerator's upper bound is its denominator's true count, and a
 * denominator's lower bound is each numerator's value at its group's low point (one assignment of
 * that group the attacker cannot rule out, with the masked cells as low as they go). Every witness
 * of either audit then extends to an assignment of all groups, so each audit holds against an
 * attacker who combines them. Where the audit still refuses a count (a single low point cannot put
 * every numerator at 0 at once), the pass runs again with "numerator <= denominator" around the
 * refused counts as relations (`den = num + rest`, rest >= 0, one group), reaching further each
 * round, at the end every pair.
 *
 * `SPM_PRIVACY_BOUNDS=joint`: every pair a relation from the first pass on (3 Dec 2026: the NRW
 * bench's SEU measures one group of 1,360,044 cells, the pass 5x slower and over 2 GiB).
 *
 * With `SPM_PRIVACY_BOUND_ROUNDS=n` (tests of the refusal, diagnostics): the pass as before 3 Dec 2026,
 * each measure group on its own with the other groups' true counts as fixed bounds (a denominator's
 * only for numerators of at least the threshold), and after a refusal up to n rounds as above (0:
 * refuse after the first pass). Not safe: the sample generated with seed 101
 * (tests/privacy/lp-attack.test.ts, SPM_ATTACK_SAMPLE_SEED=101) had one Sozialraum's count of all
 * children examined in 2017 pinned at 1, and its Impfpass count narrowed to 1..3, by chains of
 * "numerator <= denominator" across Impfpass, Masern, Vorsorgeheft and all children (windows and
 * Kommune totals in between) that no group's audit saw: a denominator at 0 needs the numerators over
 * it at 0, which their own group's published cells can rule out.
 */
function boundRounds(): number | undefined {
  const v = process.env.SPM_PRIVACY_BOUND_ROUNDS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UserError(`SPM_PRIVACY_BOUND_ROUNDS: eine ganze Zahl ab 0 erwartet, nicht "${v}"`);
  return n;
}

/**
 * Passes again with numerator cells held at 0 (low points, see `suppress` below) before pairs become
 * relations, `SPM_PRIVACY_ZERO_ROUNDS` (default 0). Each pass adds the cells under what the one before
 * refused. Measured on 3 Dec 2026: the sample Kreis publishes after three such passes (2 refused, then
 * 1 other, whose numerator's new covers moved its low point, then 2, then none) with 4,711 secondary
 * masks instead of 4,734, in about the same time; the NRW bench did not converge (9, 9, then 6-7
 * refused) and the passes cost 80-100 s before the relations were needed all the same (runs of 349
 * and 332 s instead of 253 s). So by default a refusal goes straight to the relations.
 */
function zeroRounds(): number {
  const v = process.env.SPM_PRIVACY_ZERO_ROUNDS;
  if (v === undefined || v === '') return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UserError(`SPM_PRIVACY_ZERO_ROUNDS: eine ganze Zahl ab 0 erwartet, nicht "${v}"`);
  return n;
}

const HANDLERS: Handlers = {
  check_relations: async (ctx, a) => {
    const midOf = new Map(Object.entries(a.measureIds));
    await checkRelations(ctx.conn, a.relations, midOf);
    // equations the data hold beyond the declared and proven ones: the protection takes them as known
    const found = await findDataRelations(ctx.conn, midOf, a.relations);
    if (found.unmodelled.length > 0 && !a.acceptUnmodelled) throw new UserError(unmodelledIssues(found.unmodelled));
    ctx.dataRelations = found.relations;
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
    if (a.earlier) {
      ctx.earlier = await loadEarlierReleases(ctx.conn, a.earlier, a.threshold, a.earlierRoot ?? process.cwd());
      // counts the pass cannot know (rows gone, values revised): refused unless the project accepts them
      if ((ctx.earlier.unmatched > 0 || ctx.earlier.changed > 0) && !a.acceptEarlierDifferences)
        throw new EarlierReleaseRefused(ctx.earlier, a.earlierRoot ?? process.cwd(), a.threshold);
    } else await ctx.conn.run('DROP TABLE IF EXISTS spm_pinned');
    // how the pass treats "numerator <= denominator" (see boundRounds): part of the cache's key, as the
    // modes give different (each sound) masks
    const rounds = boundRounds();
    const mode = rounds !== undefined ? { rounds } : process.env.SPM_PRIVACY_BOUNDS === 'joint' ? 'joint' : 'low';
    const zeroMax = zeroRounds();
    // the same inputs, options, mode and code as a run before: its masks (see mask-cache.ts)
    // (with the equations the data hold beyond the known relations, found by check_relations)
    const relations = [...a.relations, ...(ctx.dataRelations ?? [])];
    const key = ctx.cacheDir
      ? await protectionKey(ctx.conn, { ...a, relations, mode, zeroRounds: zeroMax })
      : undefined;
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
    const { protectCells } = await import('../privacy/protect.js');
    // the groups whose jobs are unchanged since an earlier run: their results (see group-cache.ts)
    const stored = ctx.cacheDir ? new GroupCache(path.join(ctx.cacheDir, 'groups')) : undefined;
    const {
      counts: s,
      boundPairs,
      firstRefused,
      passes,
    } = await protectCells(ctx.conn, {
      threshold: a.threshold,
      relations,
      mode,
      zeroRounds: zeroMax,
      ...(stored ? { stored } : {}),
      wrap: (pass) => roomOnOutOfMemory(ctx.conn, pass, undefined, 'suppress'),
      ...(ctx.progress ? { onProgress: (p: PassProgress) => ctx.progress?.(protectionLabel(p)) } : {}),
    });
    if (stored) ctx.groupCache = { reused: stored.hits, solved: stored.solved };
    if (s.unresolved > 0) throw new Error(`suppression left ${s.unresolved} protected cells recoverable`);
    // the interval audit could not widen some protected range: publishing would narrow a small
    // count, so nothing is published (a figure unsafe to publish is worse than none)
    if (s.audit.unresolved > 0)
      throw new PublicationRefused(s.audit.unresolved, await withAreaNames(ctx.conn, s.refused), a.threshold);
    ctx.masks = {
      primary: s.primary,
      secondary: s.secondary,
      input: s.input,
      ...(ctx.dataRelations?.length ? { dataRelations: ctx.dataRelations.map((r) => r.label) } : {}),
      ...(ctx.earlier ? { earlier: earlierSummary(ctx.earlier, s.audit.earlierLimited) } : {}),
      ...(s.audit.tightBoundsOnly > 0 ? { tightBoundsOnly: s.audit.tightBoundsOnly } : {}),
      ...(boundPairs > 0 ? { boundPairs, firstRefused, passes } : {}),
    };
    // the pass's garbage (hundreds of MB at NRW size) must not stay resident beside DuckDB's buffer pool
    // (and HiGHS's WebAssembly heap, dropped by the pass when it grew large)
    await collectGarbageFully();
    memoryDebug('after protection, GC');
    const { conn, cacheDir, masks } = ctx;
    if (cacheDir && key)
      ctx.storeMasks = async () => {
        await storeMasks(conn, cacheDir, key, masks);
        stored?.commit();
      };
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
