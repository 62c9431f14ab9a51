/**
 * Suppression on the computed cell table: `spm_cells` + `spm_measures` +
 * areas -> `spm_masks`.
 *
 * Works per measure (a `measure_key` shared by several indicator/role pairs is
 * one set of published numbers): cells of all indicator/role pairs with that key
 * are merged into one system (a cell is published if any of them publishes it),
 * suppressed once, and every mask is expanded back to each indicator/role cell
 * of that measure, so a shared denominator gets identical masks everywhere.
 *
 * The merged cells are built in one SQL statement (areas and measures as
 * integer codes), read back one measure at a time as columns (integers,
 * doubles, booleans: no strings); masks go out through one appender of
 * integers plus one INSERT ... SELECT that joins the codes back to names.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Highs } from 'highs';
import { buildCellIndex, constantCells, EquationBuilder, type CellIndex, type CompactSystem } from './system.js';
import { suppressCompact, type SuppressStats } from './suppress.js';
import { auditComponents, auditProfile, loadSolver, PIECE_DEFAULT, type AuditProblem } from './audit.js';
import { auditAndCover } from './cover-loop.js';
import { releaseSolver, SMALL_PASS_CELLS, tierForPass } from './lp.js';
import { withMemoryAtMost, withOneThread } from '../util/memory-limit.js';
import { GroupPool, limitFromEnv } from './group-pool.js';
import type { MeasureRelation } from './relations.js';
import {
  boundRelations,
  breakCycles,
  closeBounds,
  proportionPairs,
  type BoundWidening,
  type ProportionPair,
} from './bound-relations.js';
import { lowPoint } from './low-point.js';
import { memoryDebug } from '../util/memory-debug.js';
import { collectGarbage } from '../util/gc.js';
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';

/** How far a pass is (`SuppressionOptions.onGroup`): groups and cells whose masks are decided. */
export interface GroupProgress {
  done: number;
  total: number;
  cells: number;
  totalCells: number;
}

export interface SuppressionOptions {
  /** Counts in [1, threshold − 1] (for non-whole counts: above 0 and below the threshold) are secret. Default 3. */
  threshold?: number;
  /**
   * Called once the groups are known (done 0) and after each group's masks are decided (solved, or
   * taken from a pass before or an earlier run), in the order the groups finish: the pass is most of
   * a large run (NRW size: two thirds of it), and a progress line should move during it.
   */
  onGroup?: (p: GroupProgress) => void;
  /** Additive relations between measures (by measure key): related measures are protected together. */
  relations?: readonly MeasureRelation[];
  /** Run the interval (LP) audit after the linear pass and add covers until it passes (default true). */
  audit?: boolean;
  /**
   * Indicators whose numerator <= denominator is one of `relations` (`bound: true`, see
   * `boundRelations`): the fixed bounds their rows give (the numerator's upper bound, the
   * denominator's lower bound) are left out, the relation holds them.
   */
  exactBounds?: readonly string[];
  /**
   * "numerator <= denominator" between groups through low points (see low-point.ts): the groups are
   * solved numerators first, and a denominator group takes each numerator's value at its group's low
   * point as a lower bound (cycles between groups are closed as relations, `breakCycles`). Without
   * it a denominator's lower bounds are only the true counts of the numerators of at least the
   * threshold, which an attacker combining the groups can beat (the sample generated with seed 101).
   */
  lowPoints?: boolean;
  /**
   * Results of groups solved before in this run (by the content of their job, `groupKey`): a pass
   * again after a refusal (src/compute/js-steps.ts) solves only the groups whose cells, bounds or
   * relations changed; the others give the same masks and low points as before (the result of a
   * group depends on its job alone).
   */
  memo?: Map<string, GroupMemo>;
  /**
   * Results of groups solved in earlier runs (by `groupKey`; the store answers only for the same
   * protection code, see src/compute/group-cache.ts): a group whose job is unchanged takes its
   * result from there, and every group solved here is put there. Only for a pass that starts from its
   * primary masks (the first of a run: no `warm` start yet), whose result is its job's alone; the
   * caller does not pass it to a later pass of the run, whose groups start from the complements of
   * the pass before.
   */
  stored?: GroupStore;
  /**
   * Numerator cells that must be 0 at once at their group's low point (see `lowPoint`): what a pass
   * before refused under them (`SuppressionCounts.zeroTargets`). Per measure code, the cells' keys.
   */
  zeroTargets?: ZeroTargets;
  /**
   * The pass's prepared tables, kept for the next pass of the same run (`protectCells`): a pass with
   * this object builds them, leaves them in the database and notes what it built; a later pass with
   * the same object builds only the measure cells of the indicators whose `exactBounds` changed
   * (`spm_priv_cells`), instead of every table again (NRW bench: 8-10 s of SQL per pass). The caller
   * drops them when done (`dropPassTables`).
   */
  tables?: PassTables;
  /**
   * The complements of the pass before in this run (`WarmStart`): a group solved again starts its
   * linear pass from the cells that pass masked as complements (`suppressCompact`'s `initial`), not
   * from its primary masks alone. A pass again after a refusal changes a few bounds or relations of
   * a group, and most of its complements still serve: 4x NRW, the second pass's two merged groups
   * took 131 s and 178 s instead of 256 s and 365 s (most of it the covers the audit asks for), with
   * 5.3 % fewer complements in all. The interval audit judges the result as any other. The pass
   * leaves its own complements in it for the next one. SPM_PRIVACY_WARM=0 turns it off (to compare).
   */
  warm?: WarmStart;
}

/** Per measure code: keys (`cellKey` in suppressCells) of the cells a pass masked as complements. */
export interface WarmStart {
  prev?: Map<number, Set<number>>;
}

/** What a pass left prepared in the database for the next one (`SuppressionOptions.tables`). */
export interface PassTables {
  /** The tables are complete (false while a pass builds or updates them: a failed pass leaves them to be built again). */
  built: boolean;
  /** The indicators whose fixed bounds `spm_priv_cells` leaves out (`exactBounds` of the pass that built it). */
  exact: Set<string>;
  threshold: number;
  lowPoints: boolean;
  /** `spm_indicators` existed (see `numeratorBounds`). */
  hasIndicators: boolean;
}

/** The tables a pass prepares (`PassTables`), dropped by the pass itself unless the caller keeps them. */
const PASS_TABLES = ['spm_priv_ir', 'spm_priv_cells', 'spm_priv_area', 'spm_priv_tree', 'spm_priv_ub'] as const;

/** Drops what passes left prepared (`SuppressionOptions.tables`) and marks the state as empty. */
export async function dropPassTables(conn: DuckDBConnection, tables: PassTables): Promise<void> {
  tables.built = false;
  for (const t of PASS_TABLES) await conn.run(`DROP TABLE IF EXISTS ${t}`);
}

/** Per numerator measure code: keys of cells (`cellKey` in suppressCells) to hold at 0 in its low point. */
export type ZeroTargets = Map<number, Set<number>>;

/** Results of groups by `groupKey`, kept beyond the run (`SuppressionOptions.stored`). */
export interface GroupStore {
  get(key: string): GroupMemo | undefined;
  set(key: string, result: GroupMemo): void;
}

/** A group's result kept for a later pass of the same run (`SuppressionOptions.memo`). */
export interface GroupMemo {
  reason: Int8Array;
  refused: Int32Array;
  unresolved: number;
  audit: AuditSummary;
  low?: Float64Array;
}

/**
 * The content of a group's job: its cells with their bounds and flags, relations, threshold, second
 * hierarchies, whether its low point is asked for (and which cells at 0), and whether it is audited.
 * Not the measures' codes: the job names its measures by their place in the group (`member`, and the
 * relations' parts), and the codes, numbered over the whole Kennzahlenset, change for every group
 * when one measure is added or its filter sorts elsewhere (the key of `SuppressionOptions.stored`
 * must not).
 */
export function groupKey(
  buf: PackedBuffer,
  relations: readonly GroupRelation[],
  threshold: number,
  groups: ReadonlyMap<number, readonly number[]>,
  low: boolean,
  zero?: Int32Array,
  audit = true,
): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ relations, threshold, groups: [...groups], low, zero: zero ? [...zero] : [], audit }));
  for (const key of Object.keys(buf).sort() as (keyof PackedBuffer)[]) {
    const a = buf[key];
    h.update(key);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

/** Totals of the interval audit of one run (`SuppressionCounts.audit`, `MeasureResult.audit`). */
export interface AuditSummary {
  components: number;
  lps: number;
  maxVars: number;
  covers: number;
  rounds: number;
  ms: number;
  unresolved: number;
  /** LPs over a relaxation around a failing cell, and failures they proved without the whole component. */
  relaxed: number;
  proven: number;
  /** Blocks of the groups whose audit was split (see `prepareBlocks`; 0 where no group was). */
  blocks: number;
  /** Protected cells earlier releases already bound as far as this one does (see cover-loop.ts). */
  earlierLimited: number;
  /**
   * Protected cells that fail only with the true counts of unpublished denominators as their
   * numerators' bounds, and pass without those bounds (see `tightBoundsOnly` in cover-loop.ts).
   */
  tightBoundsOnly: number;
}

export interface SuppressionCounts {
  /** Rows of `spm_masks` (indicator/role cells) by reason. */
  primary: number;
  secondary: number;
  input: number;
  /** The same at the level of measures (a shared measure counts once). */
  measureCells: { primary: number; secondary: number; input: number };
  measures: number;
  /** Protected cells the algorithm could not protect (should always be 0). */
  unresolved: number;
  /**
   * Interval audit: components and LPs solved, largest component (unknown cells), covers added,
   * wall time, and cells no cover could fix (`unresolved`: their range is held by bounds from
   * other measures, e.g. a denominator at least its numerator; not counted in `unresolved` above).
   */
  audit: AuditSummary;
  /**
   * The cells counted in `audit.unresolved`, by indicator and role (a measure several indicators
   * share is named once for each): the refusal to publish names them. Empty when the audit passed.
   */
  refused: RefusedCell[];
  /** Groups of measures suppressed together (measures joined by relations count once). */
  groups: number;
  /** Worker threads that solved groups (0: all in the calling thread). */
  threads: number;
  /** Wall time of the pass, and CPU time of the process during it (all threads, DuckDB's too). */
  ms: number;
  cpuMs: number;
  /** Wall time by step (prepare, read_suppress; read = the group reads in it, suppress = its JS part; append, expand), ms. */
  timings: Record<string, number>;
  /** With `SuppressionOptions.memo`: groups whose result came from it (solved before in this run). */
  reused?: number;
  /** With `SuppressionOptions.stored`: groups whose result came from it (solved in an earlier run). */
  fromStore?: number;
  /**
   * With low points: `SuppressionOptions.zeroTargets` and, for every refused count of a denominator,
   * the numerator cells under it (and theirs, down the chain): the next pass holds them at 0.
   */
  zeroTargets?: ZeroTargets;
  /**
   * With low points: for the refused counts of denominators, the numerator measures whose low point
   * is above 0 somewhere in the refused cell's area (any year or window), as `den\u0000num` measure
   * keys: what held the denominator up, and so the pairs the next pass makes relations first (see
   * `widenBelow`).
   */
  lowCulprits?: Set<string>;
}

export const DEFAULT_THRESHOLD = 3;

/** A protected count no secondary suppression could protect (see `SuppressionCounts.refused`). */
export interface RefusedCell {
  indicator_id: string;
  role: string;
  level: string;
  area_id: string;
  /** The area's name, where compute knows it (the pass itself reads no names: they are no part of the mask cache's key). */
  area_label?: string;
  year: number;
  pool_years: number;
}

/** Names the refused cells (mcode, acode, year, pool; 4 numbers each) by indicator, role, level and area. */
async function nameRefused(conn: DuckDBConnection, cells: readonly number[]): Promise<RefusedCell[]> {
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE spm_priv_refused (mcode INTEGER, acode INTEGER, year INTEGER, pool INTEGER)',
  );
  const app = await conn.createAppender('spm_priv_refused');
  for (let k = 0; k < cells.length; k += 4) {
    for (let j = 0; j < 4; j++) app.appendInteger(cells[k + j]!);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
  const rows = (
    await conn.runAndReadAll(`SELECT DISTINCT c.indicator_id, c.role, c.level, c.area_id, c.year, c.pool_years
FROM spm_priv_refused t
JOIN spm_priv_ir ir USING (mcode)
JOIN spm_priv_area a USING (acode)
JOIN spm_cells c ON c.indicator_id = ir.indicator_id AND c.role = ir.role
  AND c.area_id = a.area_id AND c.year = t.year AND c.pool_years = t.pool
ORDER BY c.indicator_id, c.role, c.level, c.area_id, c.year, c.pool_years`)
  ).getRowObjectsJS();
  await conn.run('DROP TABLE spm_priv_refused');
  return rows.map((r) => ({
    indicator_id: String(r.indicator_id),
    role: String(r.role),
    level: String(r.level),
    area_id: String(r.area_id),
    year: Number(r.year),
    pool_years: Number(r.pool_years),
  }));
}

export const CREATE_MASKS = `CREATE OR REPLACE TABLE spm_masks (
  indicator_id VARCHAR, role VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  reason VARCHAR -- 'primary' | 'secondary' | 'input'
)`;

/** DuckDB's memory limit while the groups are solved (lowered only; see suppressCells). */
const PASS_DUCKDB_BYTES = 256 * 2 ** 20;
/** Levels of a hierarchy the packed cell keys can hold (the top included). */
const MAX_LEVELS = 16;
/** `lvl` of the groups of second hierarchies (Jugendamtsbezirke): outside the tree's levels. */
export const GROUP_LVL = MAX_LEVELS - 1;
/** Level names of the default Kreis hierarchy, deepest first (the `lvl` numbers of its cells). */
const LEVELS = ['sozialraum', 'kommune', 'kreis'] as const;
/** Extra cost of a Kreis total as a complement (see CompactSystem.penalty). */
export const KREIS_PENALTY = 2;
const REASONS = ['primary', 'secondary', 'input'] as const;

/**
 * SQL creating \`spm_priv_tree(area_id, depth, parent_id)\`: from the generic
 * \`areas\` table of ingest (any declared hierarchy), or, for callers that only
 * have the Kreis-shaped tables, from \`areas_sozialraum\` / \`areas_kommune\` and the
 * Kreis cells (Sozialraum 2 -> Kommune 1 -> Kreis 0).
 */
async function hierarchySql(conn: DuckDBConnection): Promise<string> {
  // groups of second hierarchies (no parent, below every level) are fed as extra equations instead
  if (await tableExists(conn, 'areas'))
    return 'CREATE OR REPLACE TABLE spm_priv_tree AS SELECT area_id, depth, parent_id FROM areas WHERE parent_id IS NOT NULL OR depth = 0';
  const kreis = "(SELECT min(area_id) FROM spm_cells WHERE level = 'kreis')";
  const kommunen = (await tableExists(conn, 'areas_kommune'))
    ? `SELECT kommune_ags AS area_id, 1 AS depth, ${kreis} AS parent_id FROM areas_kommune UNION `
    : '';
  return `CREATE OR REPLACE TABLE spm_priv_tree AS
SELECT area_id, max(depth) AS depth, min(parent_id) AS parent_id FROM (
  SELECT sozialraum_id AS area_id, 2 AS depth, kommune_ags AS parent_id FROM areas_sozialraum
  UNION ${kommunen}SELECT DISTINCT kommune_ags, 1, ${kreis} FROM areas_sozialraum
  UNION SELECT DISTINCT area_id, CASE level WHEN 'kreis' THEN 0 ELSE 1 END, CASE level WHEN 'kommune' THEN ${kreis} END
  FROM spm_cells WHERE level IN ('kreis', 'kommune')
) GROUP BY area_id`;
}

/**
 * The order in which the pass reads and solves its measure groups: groups of more than
 * LARGE_GROUP_CELLS cells first, then the most expected work first (the small counts to protect,
 * plus a hundredth of the cells for the linear pass), ties by group.
 * The groups are independent and merged in group order, so the masks do not depend on it; the two
 * worker threads do. In group order the largest group (NRW g0007: 84,108 small counts, 60 % of the
 * pass's work) started late and the pass ended with one worker idle while the other solved one of
 * the last groups of 6 s. On the dumps of the NRW bench's 21 groups, the small counts and cells of a
 * group against its time in one thread: g0007 84,108 / 291,438 / 58.8 s; g0018 35,721 / 97,146 /
 * 6.4 s; g0011 15,784 / 97,146 / 5.1 s; g0000 3 / 874,314 / 2.2 s; g0009 45 / 97,146 / 0.1 s.
 */
export async function groupOrder(
  conn: DuckDBConnection,
  mgroups: readonly { mcodes: readonly number[] }[],
  threshold: number,
): Promise<number[]> {
  const r = await conn.runAndReadAll(
    'SELECT mcode, COUNT(*)::INTEGER, (COUNT(*) FILTER (WHERE x > 0 AND x < $1))::INTEGER FROM spm_priv_cells GROUP BY mcode',
    [threshold],
  );
  const cellsOf = new Map<number, [number, number]>();
  for (const [m, n, small] of r.getRowsJS() as [number, number, number][]) cellsOf.set(m, [n, small]);
  const cells = mgroups.map((g) => g.mcodes.reduce((t, m) => t + (cellsOf.get(m)?.[0] ?? 0), 0));
  const work = mgroups.map((g, i) => g.mcodes.reduce((w, m) => w + (cellsOf.get(m)?.[1] ?? 0), 0) + cells[i]! / 100);
  const large = (i: number) => (cells[i]! > LARGE_GROUP_CELLS ? 1 : 0);
  return mgroups.map((_, i) => i).sort((a, b) => large(b) - large(a) || work[b]! - work[a]! || a - b);
}

/**
 * `order` changed as little as needed so that every group comes after the groups in its `deps`
 * (the numerators' groups of its denominators, see low-point.ts): repeatedly the first group of
 * `order` whose dependencies are all placed. The dependencies form no cycle (`breakCycles`).
 */
export function lowPointOrder(order: readonly number[], deps: readonly (readonly number[])[]): number[] {
  const placed = new Uint8Array(deps.length);
  const out: number[] = [];
  const left = [...order];
  while (left.length > 0) {
    const k = left.findIndex((g) => deps[g]!.every((d) => placed[d] === 1));
    if (k < 0) throw new Error('Geheimhaltung: Zähler- und Nennergruppen bilden einen Kreis');
    const g = left.splice(k, 1)[0]!;
    placed[g] = 1;
    out.push(g);
  }
  return out;
}

/**
 * Groups of more cells than this are read first (see `groupOrder`): a group is read while the
 * workers are still busy with earlier ones, and its cells wait in this thread's heap until one is
 * free. 4x NRW ordered by work alone: its group of 3,400,542 cells was read seventh, and the pass
 * peaked at 4,330 MiB RSS (3,667 MiB in group order, where it came first); NRW has none this large.
 */
const LARGE_GROUP_CELLS = 1_000_000;

/** True if a count must not be published by itself (primary rule). */
export function isSmallCount(x: number, threshold: number): boolean {
  return x > 0 && x < threshold;
}

async function tableExists(conn: DuckDBConnection, name: string): Promise<boolean> {
  const r = await conn.runAndReadAll(
    `SELECT COUNT(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = '${name}' AND NOT temporary`,
  );
  const rows = r.getRowObjectsJS();
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * Creates `spm_priv_ub`: per proportion's cell key (indicator, level, area, year, window) the
 * numerator's bounds (`ub`: the denominator's true count; `ub_pub`: the same where it is published;
 * `ub_status`: what the row's status shows) and the denominator's (`lb_n`, `den_ok`). Requires
 * `spm_cells`, `spm_priv_ir` and (optionally) `spm_indicators`; returns whether that exists.
 */
export async function numeratorBounds(conn: DuckDBConnection, threshold: number): Promise<boolean> {
  // Upper bounds: a numerator of a proportion never exceeds its denominator (when that is
  // exactly known: no missing, rejected or source-suppressed part). Also below the minimum
  // denominator, where a row publishes no counts (issue #11): the attacker still knows
  // numerator <= denominator there, and sums of such denominators can follow from the published
  // ones (the sample with Schulbezirke: 10 = x2015 + x2016 + x2017 of a pooled numerator, and
  // the two denominators of 2015 and 2016 summing to 8 by the Schulbezirk and Kommune totals, give
  // x2017 >= 2). The bound is the denominator's true count, more than the attacker knows: the
  // cautious side. And a denominator is at
  // least each numerator over it that is not secret (those are published unless masked as
  // covers; counting them even then is the cautious side).
  const hasIndicators = await tableExists(conn, 'spm_indicators');
  // One row per cell key (indicator, level, area, year, window) with the numerator's bound (the
  // denominator's count where it is exactly known) and the
  // denominator's (the largest numerator over it that is not secret, where the denominator is at
  // least the minimum denominator): one grouping of spm_cells instead of two self-joins, joined below
  // on the cell's key without its role (NRW bench: the bounds 1.6-2.3 s -> 1.5-1.7 s wall, 3.2-4.1 s ->
  // 2.5-2.7 s CPU alone, the same 3,161,007 bounds; and the join below is on five keys to half as
  // many rows).
  const clean = (t: string) =>
    `NOT COALESCE(${t}.missing, FALSE) AND NOT COALESCE(${t}.rejected, FALSE) AND COALESCE(${t}.n_suppressed, 0) = 0`;
  await conn.run(
    `CREATE OR REPLACE TABLE spm_priv_ub AS ${
      hasIndicators
        ? `SELECT c.indicator_id, c.level, c.area_id, c.year, c.pool_years,
  min(c.value) FILTER (WHERE c.role = 'denominator' AND ${clean('c')} AND c.value IS NOT NULL) AS ub,
  min(c.value) FILTER (WHERE c.role = 'denominator' AND ${clean('c')} AND c.value IS NOT NULL
    AND c.value >= COALESCE(i.min_den, 0)) AS ub_pub,
  min(CASE WHEN c.value >= COALESCE(i.min_den, 0) OR c.value = 0 THEN c.value
    ELSE greatest(c.value, ceil(i.min_den) - 1) END)
    FILTER (WHERE c.role = 'denominator' AND ${clean('c')} AND c.value IS NOT NULL) AS ub_status,
  max(c.value) FILTER (WHERE c.role = 'numerator' AND ${clean('c')} AND c.value >= ${threshold}) AS lb_n,
  bool_or(c.role = 'denominator' AND c.value >= COALESCE(i.min_den, 0)) AS den_ok
FROM spm_cells c JOIN spm_indicators i ON i.indicator_id = c.indicator_id
WHERE i.proportion AND c.role IN ('numerator', 'denominator')
GROUP BY c.indicator_id, c.level, c.area_id, c.year, c.pool_years`
        : `SELECT indicator_id, level, area_id, year, pool_years, NULL::DOUBLE AS ub, NULL::DOUBLE AS ub_pub, NULL::DOUBLE AS ub_status, NULL::DOUBLE AS lb_n, FALSE AS den_ok
FROM spm_cells WHERE FALSE`
    }`,
  );
  // A denominator below its indicator's minimum publishes no counts in that row, so a numerator's
  // status bound there is "at most the minimum − 1" (ub_status, the fallback of cover-loop.ts). But
  // the same count can be published elsewhere: as the numerator of another indicator (Vorsorgeheft
  // vorgelegt: the numerator of seu_vorsorgeheft_vorgelegt over all children examined, and the
  // denominator of the U-Untersuchungen), or as a denominator at or above another indicator's
  // minimum. Where any indicator/role of the denominator's measure may publish the cell (any row
  // but a proportion's whose denominator is known to be below its minimum: a count or a rate
  // counts as published, the cautious side), the attacker knows the true count: the bound is
  // the true one (ub_pub), and not tight. (A proportion's row is looked up in spm_priv_ub itself,
  // one row per key: its denominator is known below the minimum where ub is set and ub_pub not.)
  if (hasIndicators) {
    const t0 = performance.now();
    const r = await conn.run(`UPDATE spm_priv_ub u SET ub_pub = u.ub, ub_status = u.ub
FROM (
  WITH t AS (
    SELECT u.indicator_id, u.level, u.area_id, u.year, u.pool_years, d.mcode
    FROM spm_priv_ub u JOIN spm_priv_ir d ON d.indicator_id = u.indicator_id AND d.role = 'denominator'
    WHERE u.ub IS NOT NULL AND u.ub_pub IS NULL
  )
  SELECT DISTINCT t.indicator_id, t.level, t.area_id, t.year, t.pool_years
  FROM t
  JOIN spm_priv_ir o ON o.mcode = t.mcode
  JOIN spm_cells c ON c.indicator_id = o.indicator_id AND c.role = o.role AND c.level = t.level
    AND c.area_id = t.area_id AND c.year = t.year AND c.pool_years = t.pool_years
  LEFT JOIN spm_priv_ub w ON w.indicator_id = c.indicator_id AND w.level = c.level
    AND w.area_id = c.area_id AND w.year = c.year AND w.pool_years = c.pool_years
  WHERE w.indicator_id IS NULL OR w.ub IS NULL OR w.ub_pub IS NOT NULL
) p
WHERE p.indicator_id = u.indicator_id AND p.level = u.level AND p.area_id = u.area_id
  AND p.year = u.year AND p.pool_years = u.pool_years`);
    if (process.env.SPM_PRIVACY_DEBUG)
      console.error(
        `privacy: ${r.rowsChanged} bounds published by another indicator (${Math.round(performance.now() - t0)} ms)`,
      );
  }
  return hasIndicators;
}

/** A temporary table `name(indicator_id)` of these ids (appended: the ids are the user's text, never SQL). */
async function idTable(conn: DuckDBConnection, name: string, ids: readonly string[]): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (indicator_id VARCHAR)`);
  const app = await conn.createAppender(name);
  for (const id of ids) {
    app.appendVarchar(id);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
}

/**
 * Decides the masks for every published cell and writes `spm_masks`.
 *
 * Requires `spm_cells`, `areas_sozialraum` and (optionally) `spm_measures`;
 * without `spm_measures` each indicator/role is its own measure.
 */
export async function suppressCells(
  conn: DuckDBConnection,
  options: SuppressionOptions = {},
): Promise<SuppressionCounts> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const timings: Record<string, number> = {};
  let tLap = t0;
  const lap = (what: string) => {
    const now = performance.now();
    timings[what] = Math.round(now - tLap);
    tLap = now;
    memoryDebug(`privacy ${what}`);
  };
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 1)
    throw new Error(`threshold must be a number >= 1, got ${threshold}`);
  // the tables a pass before prepared with the same threshold and mode (options.tables): kept, and
  // only the measure cells of indicators whose exact bounds changed are built again (below)
  const kept = options.tables;
  const reuse =
    kept?.built === true && kept.threshold === threshold && kept.lowPoints === (options.lowPoints === true)
      ? kept
      : undefined;
  // (until this pass has them complete again: a pass that fails on the way builds them anew)
  if (kept) kept.built = false;
  if (!reuse) {
    const measureOf = (await tableExists(conn, 'spm_measures'))
      ? `COALESCE(m.measure_key, '__cell__|' || ir.indicator_id || '|' || ir.role)`
      : `'__cell__|' || ir.indicator_id || '|' || ir.role`;
    const measureJoin = (await tableExists(conn, 'spm_measures'))
      ? 'LEFT JOIN spm_measures m ON m.indicator_id = ir.indicator_id AND m.role = ir.role'
      : '';
    // indicator/role -> measure code
    await conn.run(`CREATE OR REPLACE TABLE spm_priv_ir AS
WITH ir AS (SELECT DISTINCT indicator_id, role FROM spm_cells),
k AS (SELECT ir.indicator_id, ir.role, ${measureOf} AS measure_key FROM ir ${measureJoin})
SELECT indicator_id, role, measure_key, (dense_rank() OVER (ORDER BY measure_key) - 1)::INTEGER AS mcode FROM k`);
    // the hierarchy: every area with its depth (0 = top) and parent, from any declared hierarchy
    await conn.run(await hierarchySql(conn));
    // area id -> code (codes follow area_id order: the tie-break order of complements)
    await conn.run(`CREATE OR REPLACE TABLE spm_priv_area AS
SELECT area_id, (row_number() OVER (ORDER BY area_id) - 1)::INTEGER AS acode
FROM (SELECT DISTINCT area_id FROM spm_cells UNION SELECT parent_id FROM spm_priv_tree WHERE parent_id IS NOT NULL)`);
  }
  // numerator <= denominator as a relation wherever a proportion's two measures are in one group
  // (see `closeBounds`): added to the caller's relations and exact bounds
  // (with low points also around every cycle between groups, see `breakCycles`); the pairs left
  // between groups are the low points' (`lowPairs`)
  let lowPairs: ProportionPair[] = [];
  {
    const { pairs } = await proportionPairs(conn);
    const w: BoundWidening = { measures: new Set(), chosen: new Map() };
    const given = new Set(options.exactBounds ?? []);
    for (const p of pairs) if (given.has(p.indicator)) w.chosen.set(p.indicator, p);
    const before = new Set(w.chosen.keys());
    const added = options.lowPoints
      ? breakCycles(w, pairs, options.relations ?? [])
      : closeBounds(w, pairs, options.relations ?? []);
    if (options.lowPoints) lowPairs = pairs.filter((p) => !w.chosen.has(p.indicator));
    if (added > 0) {
      const added: BoundWidening = {
        measures: new Set(),
        chosen: new Map([...w.chosen].filter(([id]) => !before.has(id))),
      };
      const { relations, exactBounds } = boundRelations(added);
      if (process.env.SPM_PRIVACY_DEBUG)
        console.error(
          `privacy: ${exactBounds.length} proportions with both measures in one group: bound relations (${exactBounds.join(', ')})`,
        );
      options = {
        ...options,
        relations: [...(options.relations ?? []), ...relations],
        exactBounds: [...given, ...exactBounds],
      };
    }
  }
  lap('prepare_codes');
  const hasIndicators = reuse ? reuse.hasIndicators : await numeratorBounds(conn, threshold);
  lap('prepare_bounds');
  // one row per measure cell: a cell is published if any indicator/role of the measure publishes it.
  // Two statements: the joins first into a narrow table of integer codes, then the grouping and
  // sorting over it. In one statement the joins, the grouping and the sort held their memory at
  // once and ran out of it under the 1 GiB default at 4x NRW (and at NRW under 256 MB) instead of
  // spilling; the whole pass was then repeated under 80 % of RAM.
  // cells an earlier release published with the value they have now (spm_pinned, from
  // settings.suppression.frueher_veroeffentlicht): the attacker holds that release
  const hasPinned = await tableExists(conn, 'spm_pinned');
  const pinnedJoin = hasPinned
    ? `
  LEFT JOIN spm_pinned p ON p.indicator_id = c.indicator_id AND p.role = c.role AND p.level = c.level
    AND p.area_id = c.area_id AND p.year = c.year AND p.pool_years = c.pool_years`
    : '';
  const pinnedSql = hasPinned ? 'p.indicator_id IS NOT NULL' : 'FALSE';
  // indicators whose numerator <= denominator is a relation of the group (options.exactBounds): their
  // rows give no fixed bounds (a table, not SQL text: indicator ids are the user's)
  const exact = [...new Set(options.exactBounds ?? [])];
  if (exact.length > 0) await idTable(conn, 'spm_priv_exact', exact);
  // (in every area: with the relations in one Kommune only and the fixed bounds elsewhere, the LP
  // could move a denominator, a variable of the same group, below a numerator held by its fixed
  // bound; the random projects of tests/privacy/lp-attack-more.test.ts found such a leak)
  const exactJoin = exact.length > 0 ? '\n  LEFT JOIN spm_priv_exact e ON e.indicator_id = c.indicator_id' : '';
  const notExact = exact.length > 0 ? ' AND e.indicator_id IS NULL' : '';
  // (a pass after one that kept its tables) the indicators whose exact bounds changed: only the cells
  // of their measures differ from the kept spm_priv_cells (a measure cell aggregates all its
  // indicators' rows, so all of those measures' rows are built again); in a table, the ids are the user's
  const changed = reuse
    ? [
        ...new Set([
          ...exact.filter((id) => !reuse.exact.has(id)),
          ...[...reuse.exact].filter((id) => !exact.includes(id)),
        ]),
      ]
    : [];
  if (changed.length > 0) await idTable(conn, 'spm_priv_chg', changed);
  const changedMcodes = 'SELECT mcode FROM spm_priv_ir JOIN spm_priv_chg USING (indicator_id)';
  // (those measures' indicators' rows of a table, filtered before the joins: with the filter on the
  // measure code alone DuckDB still joined all of spm_priv_ub, NRW 3.1 s of the 3.3 s of all cells)
  const only = (table: string) =>
    reuse
      ? `(SELECT * FROM ${table} WHERE indicator_id IN (SELECT indicator_id FROM spm_priv_ir WHERE mcode IN (${changedMcodes})))`
      : table;
  if (!reuse || changed.length > 0) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE spm_priv_joined AS
-- (a LEFT JOIN with an extra condition on the left side, ON c.level = ... AND ..., is a
-- nested loop in DuckDB: the level test goes into the SELECT instead)
-- lvl: height above the deepest level (the top has the largest); parent: the code of the area one level up
WITH s AS (
  SELECT t.area_id, (SELECT max(depth) FROM spm_priv_tree) - t.depth AS lvl, min(pa.acode) AS parent
  FROM spm_priv_tree t LEFT JOIN spm_priv_area pa ON pa.area_id = t.parent_id GROUP BY t.area_id, t.depth
), c AS (
  SELECT ir.mcode, COALESCE(s.lvl, ${GROUP_LVL})::INTEGER AS lvl,
    a.acode, COALESCE(s.parent, -1)::INTEGER AS parent,
    c.year::INTEGER AS year, c.pool_years::INTEGER AS pool,
    NOT COALESCE(c.missing, FALSE) AND NOT COALESCE(c.rejected, FALSE) AND NOT (c.is_base AND COALESCE(c.n_suppressed, 0) > 0) AS known,
    COALESCE(c.is_base AND COALESCE(c.n_suppressed, 0) > 0, FALSE) AS input,
    COALESCE(c.is_base AND c.value IS NULL, FALSE) AS fixed,
    COALESCE(c.missing, FALSE) OR COALESCE(c.rejected, FALSE) OR COALESCE(c.n_suppressed, 0) > 0 AS unclean,
    ${pinnedSql} AS pinned,
    COALESCE(c.value, 0)::DOUBLE AS x,
    CASE WHEN c.role = 'numerator'${notExact} THEN u.ub END AS ub,
    CASE WHEN c.role = 'numerator'${notExact} THEN u.ub_pub END AS ub_pub,
    CASE WHEN c.role = 'numerator'${notExact} THEN u.ub_status END AS ub_status,
    CASE WHEN c.role = 'denominator' AND u.den_ok${notExact} THEN u.lb_n END AS lb
  FROM ${only('spm_cells')} c JOIN spm_priv_ir ir ON ir.indicator_id = c.indicator_id AND ir.role = c.role
  JOIN spm_priv_area a ON a.area_id = c.area_id
  LEFT JOIN s ON s.area_id = c.area_id
  LEFT JOIN ${only('spm_priv_ub')} u ON u.indicator_id = c.indicator_id AND u.level = c.level AND u.area_id = c.area_id
    AND u.year = c.year AND u.pool_years = c.pool_years${pinnedJoin}${exactJoin}${reuse ? `\n  WHERE ir.mcode IN (${changedMcodes})` : ''}
)
SELECT * FROM c`);
  }
  lap('prepare_joined');
  // A numerator's upper bound that is the true count of an unpublished denominator is "tight": a
  // failure that needs it is judged again with the bound the row's status shows (see cover-loop.ts).
  // Not with low points: a witness above the denominator's true count need not extend to the
  // denominator's group (whose published cells can determine that count), so such a failure is
  // refused, and the next round makes the pair a relation (src/compute/js-steps.ts).
  const tightSql = options.lowPoints ? 'FALSE' : 'min(ub) IS NOT NULL AND min(ub_pub) IS NULL';
  const cellsSql = `SELECT mcode, lvl, acode, parent, year, pool, bool_or(known) AS known, bool_or(input) AS input, bool_and(fixed) AS fixed,
  bool_or(unclean) AS unclean, bool_or(pinned) AS pinned, COALESCE(max(x) FILTER (WHERE known), max(x)) AS x, min(ub) AS ub,
  ${tightSql} AS ub_tight, min(ub_status) AS ub_status, max(lb) AS lb
FROM spm_priv_joined GROUP BY mcode, lvl, acode, parent, year, pool
ORDER BY mcode, lvl, acode, year, pool`;
  if (!reuse) await conn.run(`CREATE OR REPLACE TABLE spm_priv_cells AS\n${cellsSql}`);
  else if (changed.length > 0) {
    // the changed measures' rows replaced: they now follow the others (a group mixing changed and
    // kept measures reads out of order once and is read again sorted, see readGroupPacked)
    await conn.run(`DELETE FROM spm_priv_cells WHERE mcode IN (${changedMcodes})`);
    await conn.run(`INSERT INTO spm_priv_cells\n${cellsSql}`);
  }
  await conn.run('DROP TABLE IF EXISTS spm_priv_joined');
  await conn.run('DROP TABLE IF EXISTS spm_priv_chg');
  if (kept) {
    kept.exact = new Set(exact);
    kept.threshold = threshold;
    kept.lowPoints = options.lowPoints === true;
    kept.hasIndicators = hasIndicators;
    kept.built = true;
  }
  lap('prepare_cells');
  await conn.run(
    `CREATE OR REPLACE TABLE spm_priv_masks (mcode INTEGER, lvl INTEGER, acode INTEGER, year INTEGER, pool INTEGER, reason INTEGER)`,
  );
  // second hierarchies: group code -> member codes (each group = Σ its members)
  const groups = new Map<number, number[]>();
  if (await tableExists(conn, 'area_groups')) {
    const gr = await conn.runAndReadAll(`SELECT g.acode AS g, m.acode AS m FROM area_groups x
JOIN spm_priv_area g ON g.area_id = x.group_id JOIN spm_priv_area m ON m.area_id = x.area_id ORDER BY g.acode, m.acode`);
    for (const [g, m] of gr.getRowsJS() as [number, number][]) groups.set(g, [...(groups.get(g) ?? []), m]);
  }
  const irRows = (
    await conn.runAndReadAll('SELECT DISTINCT mcode, measure_key FROM spm_priv_ir ORDER BY mcode')
  ).getRowObjectsJS();
  const mgroups = measureGroups(
    irRows.map((r) => String(r.measure_key)),
    options.relations ?? [],
  );
  // low points (options.lowPoints): per denominator measure the numerator measures of other groups,
  // per group the groups that must be solved before it, and whether its low point is needed
  const mcodeOfKey = new Map(irRows.map((r) => [String(r.measure_key), Number(r.mcode)]));
  const groupOfMcode = new Map<number, number>();
  mgroups.forEach((g, id) => {
    for (const m of g.mcodes) groupOfMcode.set(m, id);
  });
  const numsOfDen = new Map<number, number[]>();
  // the numerator measures whose low points later groups read
  const lowMcodes = new Set<number>();
  const deps: number[][] = mgroups.map(() => []);
  const needLow = new Uint8Array(mgroups.length);
  for (const p of lowPairs) {
    const num = mcodeOfKey.get(p.num);
    const den = mcodeOfKey.get(p.den);
    if (num === undefined || den === undefined) continue;
    const gn = groupOfMcode.get(num)!;
    const gd = groupOfMcode.get(den)!;
    if (gn === gd) continue;
    const l = numsOfDen.get(den) ?? [];
    if (!l.includes(num))
      numsOfDen.set(
        den,
        [...l, num].sort((a, b) => a - b),
      );
    lowMcodes.add(num);
    if (!deps[gd]!.includes(gn)) deps[gd]!.push(gn);
    needLow[gn] = 1;
  }
  const zeroTargets: ZeroTargets = new Map([...(options.zeroTargets ?? [])].map(([m, k]) => [m, new Set(k)]));
  const addZeroTargets = (den: number, key: number): void => {
    for (const num of numsOfDen.get(den) ?? []) {
      let keys = zeroTargets.get(num);
      if (!keys) zeroTargets.set(num, (keys = new Set()));
      if (keys.has(key)) continue;
      keys.add(key);
      addZeroTargets(num, key);
    }
  };
  // the buffer cells of a group to hold at 0 in its low point (options.zeroTargets)
  const zeroCells = (buf: PackedBuffer, mcodes: readonly number[]): Int32Array | undefined => {
    const out: number[] = [];
    for (let i = 0; i < buf.flags.length; i++) {
      const keys = options.zeroTargets?.get(mcodes[buf.member[i]!]!);
      if (keys?.has(cellKey(buf.lvl[i]!, buf.area[i]!, buf.year[i]!, buf.pool[i]!))) out.push(i);
    }
    return out.length > 0 ? Int32Array.from(out) : undefined;
  };
  /** Per numerator measure: its cells' keys (level, area, year, window; ascending) and low points. */
  const lows = new Map<number, { keys: Float64Array; low: Float64Array }>();
  const cellKey = (l: number, a: number, y: number, w: number) => ((l * 1048576 + a) * 4096 + (y - y0)) * 64 + w;
  // a group's denominator cells at least the low point of every numerator over them
  const applyLows = (buf: PackedBuffer, mcodes: readonly number[]): void => {
    for (let i = 0; i < buf.flags.length; i++) {
      const nums = numsOfDen.get(mcodes[buf.member[i]!]!);
      if (!nums) continue;
      const k = cellKey(buf.lvl[i]!, buf.area[i]!, buf.year[i]!, buf.pool[i]!);
      for (const num of nums) {
        const t = lows.get(num);
        if (!t) throw new Error(`Geheimhaltung: Untergrenzen von Messgröße ${num} fehlen`);
        const j = firstAtLeast(t.keys, k);
        if (t.keys[j] === k && t.low[j]! > buf.lb[i]!) buf.lb[i] = t.low[j]!;
      }
    }
  };
  // (refused denominators) the numerators whose low point is above 0 in the cell's area
  const keyOfMcode = new Map(irRows.map((r) => [Number(r.mcode), String(r.measure_key)]));
  const lowCulprits = new Set<string>();
  const addCulprits = (den: number, lvl: number, area: number): void => {
    const from = cellKey(lvl, area, y0, 0);
    const to = cellKey(lvl, area + 1, y0, 0);
    for (const num of numsOfDen.get(den) ?? []) {
      const t = lows.get(num);
      if (!t) continue;
      for (let j = firstAtLeast(t.keys, from); j < t.keys.length && t.keys[j]! < to; j++)
        if (t.low[j]! > 0) {
          lowCulprits.add(`${keyOfMcode.get(den)}\u0000${keyOfMcode.get(num)}`);
          break;
        }
    }
  };
  // a solved group's low points, kept for the numerator measures of later groups
  const keepLows = (buf: PackedBuffer, mcodes: readonly number[], low: Float64Array | undefined): void => {
    mcodes.forEach((mc, k) => {
      if (!lowMcodes.has(mc)) return;
      if (!low) throw new Error(`Geheimhaltung: Tiefpunkt der Gruppe mit Messgröße ${mc} fehlt`);
      const idx: number[] = [];
      for (let i = 0; i < buf.flags.length; i++) if (buf.member[i] === k) idx.push(i);
      lows.set(mc, {
        keys: Float64Array.from(idx, (i) => cellKey(buf.lvl[i]!, buf.area[i]!, buf.year[i]!, buf.pool[i]!)),
        low: Float64Array.from(idx, (i) => low[i]!),
      });
    });
  };
  lap('prepare');

  // Masks are collected first and appended after the stream is done: an appender
  // flushing on the same connection would end the streamed result early.
  const outRows: number[] = [];
  const refusedRows: number[] = [];
  const measureCells = { primary: 0, secondary: 0, input: 0 };
  let unresolved = 0;
  let suppressMs = 0;
  const audit = noAudit();
  const [y0, cellCount, maxMcode] = (
    (
      await conn.runAndReadAll(
        'SELECT COALESCE(MIN(year), 0)::INTEGER, COUNT(*)::INTEGER, COALESCE(MAX(mcode), -1)::INTEGER FROM spm_priv_cells',
      )
    ).getRowsJS()[0] ?? [0, 0, -1]
  ).map(Number) as [number, number, number];
  // worker threads for large passes (SPM_PRIVACY_THREADS = number of workers, 0: none)
  let threads = privacyThreads(cellCount);
  if (process.env.SPM_PRIVACY_DEBUG) console.error(`privacy: ${cellCount} cells, ${threads} worker threads asked for`);
  // HiGHS, when the pass audits: a small pass keeps most of its functions in V8's baseline code (tierForPass)
  let h: Highs | null = null;
  if (options.audit !== false) {
    tierForPass(cellCount);
    h = await loadSolver();
  }
  // (assigned in the loop's callback: the cast keeps TypeScript from narrowing it to null)
  let pool = null as GroupPool | null;
  let workerMs = 0;
  // Groups whose masks are not merged yet, in group order. A group's cells (its buffer) are held
  // only until its result is digested (on arrival, in any order: the buffer goes, only its masked
  // cells stay); the digests are merged in group order. At 4x NRW the buffers of all groups
  // together were several hundred MB of JS arrays beside DuckDB's buffer pool, and with worker
  // threads every group after a slow one waited with its buffer (NRW: heap 500 MB behind g0007).
  interface Digest {
    /** Masked cells: mcode, lvl, acode, year, pool, reason (6 numbers each), in cell order. */
    rows: number[];
    /** Cells the audit could not protect: mcode, acode, year, pool (4 numbers each). */
    refused: number[];
    reply: GroupReply;
  }
  // the complements of the pass before (options.warm), and this pass's for the next one
  const warmPrev = process.env.SPM_PRIVACY_WARM === '0' ? undefined : options.warm?.prev;
  const warmNext = options.warm ? new Map<number, Set<number>>() : undefined;
  // groups and cells decided so far (options.onGroup)
  const decided = { done: 0, total: mgroups.length, cells: 0, totalCells: cellCount };
  options.onGroup?.({ ...decided });
  const digest = (buf: PackedBuffer, mcodes: readonly number[], r: GroupReply, key?: string): Digest => {
    if (r.error !== undefined || !r.reason || !r.audit) throw new Error(`Geheimhaltung (Worker): ${r.error}`);
    decided.done++;
    decided.cells += buf.flags.length;
    options.onGroup?.({ ...decided });
    if (r.low) keepLows(buf, mcodes, r.low);
    if (key !== undefined && (options.memo || options.stored)) {
      const m: GroupMemo = {
        reason: r.reason,
        refused: r.refused ?? new Int32Array(0),
        unresolved: r.unresolved ?? 0,
        audit: r.audit,
        ...(r.low ? { low: r.low } : {}),
      };
      options.memo?.set(key, m);
      options.stored?.set(key, m);
    }
    const rows: number[] = [];
    for (let i = 0; i < r.reason.length; i++) {
      const reason = r.reason[i]!;
      if (reason < 0) continue;
      const mc = mcodes[buf.member[i]!]!;
      rows.push(mc, buf.lvl[i]!, buf.area[i]!, buf.year[i]!, buf.pool[i]!, reason);
      // this pass's complements, for the next pass's start (options.warm)
      if (reason === 1 && warmNext) {
        let keys = warmNext.get(mc);
        if (!keys) warmNext.set(mc, (keys = new Set()));
        keys.add(cellKey(buf.lvl[i]!, buf.area[i]!, buf.year[i]!, buf.pool[i]!));
      }
    }
    const refused: number[] = [];
    for (const i of r.refused ?? []) {
      refused.push(mcodes[buf.member[i]!]!, buf.area[i]!, buf.year[i]!, buf.pool[i]!);
      // a refused denominator: the next pass holds the numerators under it at 0 (see zeroTargets)
      addZeroTargets(mcodes[buf.member[i]!]!, cellKey(buf.lvl[i]!, buf.area[i]!, buf.year[i]!, buf.pool[i]!));
      addCulprits(mcodes[buf.member[i]!]!, buf.lvl[i]!, buf.area[i]!);
    }
    return { rows, refused, reply: { ...r, reason: undefined, refused: undefined, low: undefined } };
  };
  // a group sent back after its linear pass: its blocks on any free worker (ahead of new groups),
  // then its masks as if one worker had solved it
  const solveBlocks = async (p: GroupPool, r: GroupReply, x?: Float64Array, zero?: Int32Array): Promise<GroupReply> => {
    if (r.error !== undefined) return r;
    const state = r.state!;
    const replies = await Promise.all(state.blocks.map((_, k) => p.run({ kind: 'block', state, block: k }, true)));
    const failed = replies.find((b) => b.error !== undefined);
    if (failed) return failed;
    const m = finishGroup(
      state,
      replies.map((b) => b.block!),
    );
    let ms = r.ms ?? 0;
    for (const b of replies) ms += b.ms ?? 0;
    // the low point over the whole group, here (its state is in this thread)
    const low = x ? lowPoint(h, state.system, m.reason, x, threshold, zero) : undefined;
    return {
      id: r.id,
      reason: m.reason,
      refused: m.refused,
      unresolved: m.stats.unresolved,
      audit: m.audit,
      ms,
      ...(low ? { low } : {}),
    };
  };
  // per group (by id): its digest, or the promise of it while a worker solves the group
  const done: ({ d?: Digest; p?: Promise<Digest> } | undefined)[] = new Array(mgroups.length);
  let nextMerge = 0;
  const merge = ({ rows, refused, reply: r }: Digest): void => {
    for (const v of refused) refusedRows.push(v);
    // JS time of the groups (summed over threads, like the audit's ms)
    if (r.ms !== undefined) {
      suppressMs += r.ms;
      workerMs += r.ms;
    }
    unresolved += r.unresolved ?? 0;
    for (const key of Object.keys(audit) as (keyof typeof audit)[])
      audit[key] = key === 'maxVars' ? Math.max(audit[key], r.audit![key]) : audit[key] + r.audit![key];
    for (let k = 0; k < rows.length; k += 6) {
      measureCells[REASONS[rows[k + 5]!]!]++;
      for (let j = 0; j < 6; j++) outRows.push(rows[k + j]!);
    }
  };
  // merges the leading groups that are digested (in group order: the same masks as in one thread)
  const mergeReady = (): void => {
    for (; nextMerge < done.length && done[nextMerge]?.d; nextMerge++) {
      merge(done[nextMerge]!.d!);
      done[nextMerge] = undefined;
    }
  };
  // the order matters only for the worker threads' balance and memory; one thread keeps group order
  // (with low points numerators first: a group is read once the groups it depends on are solved)
  const order = lowPointOrder(
    threads > 0 ? await groupOrder(conn, mgroups, threshold) : mgroups.map((_, i) => i),
    deps,
  );
  const finished: (Promise<unknown> | undefined)[] = new Array(mgroups.length);
  let reused = 0;
  let fromStore = 0;
  // DuckDB's tables stay in its scratch folder while the groups are solved in JS (at NRW size about
  // 700 MB beside the audit's heap); the loop's only statement is the ordered read of one group
  // (a read that needs more than the lowered limit is repeated under the limit from before: withRoom).
  // DuckDB reads on one thread here: the worker threads solving groups have the cores. The statements
  // before the loop run on all of DuckDB's threads (NRW: 8.7 -> 4.1 s, peak RSS of the pass 1,463 ->
  // 1,553 MiB, below the run's peak in the export; one thread for the whole pass was a guard from
  // when these statements were one and ran out of memory on two threads at 4x NRW: split, they ran
  // there on two threads without falling back to 80 % of RAM, RSS at most 2,080 MiB).
  let readMs = 0;
  readProfile.fetchMs = 0;
  try {
    await withOneThread(conn, () =>
      withMemoryAtMost(conn, PASS_DUCKDB_BYTES, async (withRoom) => {
        // a small pass reads all its cells in one statement and cuts them into groups here (one scan
        // instead of one per group: the sample's 29 groups took 0.23 s to read one by one)
        const tAll = performance.now();
        const all = cellCount < SMALL_PASS_CELLS ? await withRoom(() => readAllPacked(conn, y0, maxMcode)) : undefined;
        readMs += performance.now() - tAll;
        for (const id of order) {
          const g = mgroups[id]!;
          for (const d of deps[id]!) await finished[d];
          const tr = performance.now();
          const packed =
            (all && groupFromAll(all, g.mcodes)) ?? (await withRoom(() => readGroupPacked(conn, g.mcodes, y0)));
          if (deps[id]!.length > 0) applyLows(packed, g.mcodes);
          const size = packed.flags.length;
          readMs += performance.now() - tr;
          memoryDebug(`privacy group ${id + 1} read (${size} cells)`);
          // solved before in this run with the same job (options.memo): its result again
          const zero = needLow[id] ? zeroCells(packed, g.mcodes) : undefined;
          const key =
            options.memo || options.stored
              ? groupKey(packed, g.relations, threshold, groups, needLow[id] === 1, zero, h !== null)
              : undefined;
          const memo = key !== undefined ? options.memo?.get(key) : undefined;
          // else solved in an earlier run with the same job and code (options.stored): its result, and for
          // this run's later passes as if solved here
          const stored = memo || key === undefined ? undefined : options.stored?.get(key);
          const known =
            memo ??
            (stored && stored.reason.length === size && (stored.low === undefined || stored.low.length === size)
              ? stored
              : undefined);
          if (known) {
            if (memo) reused++;
            else {
              options.memo?.set(key!, known);
              fromStore++;
            }
            done[id] = { d: digest(packed, g.mcodes, { id, ...known }) };
            mergeReady();
            continue;
          }
          // a group solved again starts from the pass before's complements (options.warm); marked after
          // the memo's key: the key is the job's content, and the start does not change what it asks
          if (warmPrev) {
            let marked = 0;
            for (let i = 0; i < size; i++) {
              const keys = warmPrev.get(g.mcodes[packed.member[i]!]!);
              if (keys?.has(cellKey(packed.lvl[i]!, packed.area[i]!, packed.year[i]!, packed.pool[i]!))) {
                packed.flags[i] = packed.flags[i]! | 64;
                marked++;
              }
            }
            if (process.env.SPM_PRIVACY_DEBUG && marked > 0)
              console.error(`privacy: group ${id + 1} starts from ${marked} complements of the pass before`);
          }
          // a group with secret cells goes to a worker thread when there are workers (the pool is
          // started at the first such group); the others need no LP and are solved here
          const secret = h !== null && threads > 0 && hasSecretPacked(packed, threshold);
          if (secret && !pool) {
            pool = (await GroupPool.start(threads)) ?? null;
            if (!pool) threads = 0;
          }
          if (secret && pool) {
            // a large group's linear pass (prepareGroup) holds its whole system in one worker: it starts
            // alone, and the next group waits for it (see EXCLUSIVE_FROM_CELLS)
            const exclusive = size >= exclusiveFromCells();
            await (exclusive ? pool.whenIdle() : pool.whenFree());
            // and with fresh workers: an idle worker's heaps still hold what its last group left
            if (exclusive) await pool.renew();
            const job: GroupJob = {
              kind: 'group',
              buffer: packed,
              threshold,
              relations: g.relations,
              groups: [...groups],
              ...(needLow[id] ? { low: true } : {}),
              ...(zero ? { zero } : {}),
            };
            const entry: (typeof done)[number] = {};
            const p = pool;
            const first = p.run(job);
            entry.p = first
              .then((r) => (r.state ? solveBlocks(p, r, needLow[id] ? packed.x : undefined, zero) : r))
              .then((r) => (entry.d = digest(packed, g.mcodes, { ...r, id }, key)));
            // a failed job is reported when it is merged (below), not as an unhandled rejection here
            entry.p.catch(() => {});
            finished[id] = entry.p;
            if (exclusive) await first.catch(() => {});
            done[id] = entry;
            // This thread only reads and hands out groups now: it allocates too little for V8 to
            // collect on its own, so each group's read arrays would stay (NRW: heap 115 -> 546 MB
            // behind g0007, beside the workers' heaps). A full collection while the workers solve.
            collectGarbage(256 * 2 ** 20);
          } else {
            const tm = performance.now();
            const r = processGroup(unpackBuffer(packed), threshold, g.relations, h, groups);
            suppressMs += performance.now() - tm;
            // where the time and the memory of the pass go, group by group (4x NRW: issue #18)
            if (process.env.SPM_PRIVACY_DEBUG) {
              const m = process.memoryUsage();
              const mib = (b: number) => Math.round(b / 2 ** 20);
              console.error(
                `privacy: group ${id + 1}/${mgroups.length} (${g.mcodes.length} measures, ${size} cells): ` +
                  `${Math.round(performance.now() - tm)} ms, ${r.audit.lps} LPs, ${r.audit.rounds} rounds; ` +
                  `rss ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)} MiB, external ${mib(m.external)} MiB`,
              );
            }
            done[id] = {
              d: digest(
                packed,
                g.mcodes,
                {
                  id,
                  reason: r.reason,
                  refused: r.refused,
                  unresolved: r.stats.unresolved,
                  audit: r.audit,
                  ...(needLow[id] ? { low: lowPoint(h, r.system, r.reason, packed.x, threshold, zero) } : {}),
                },
                key,
              ),
            };
          }
          memoryDebug(`privacy group ${id + 1}/${mgroups.length} (${size} cells)`);
          mergeReady();
        }
        // the rest (groups still in worker threads), in group order
        for (; nextMerge < done.length; nextMerge++) {
          const entry = done[nextMerge]!;
          done[nextMerge] = undefined;
          merge(entry.d ?? (await entry.p!));
        }
      }),
    );
  } catch (e) {
    // a failed group (a worker's error, or one thrown here) ends the pass: its workers would keep
    // the process alive after the error is reported (a HiGHS abort in a worker left `spm compute`
    // waiting after its message, 4x NRW, 7 Dec 2026)
    await pool?.close().catch(() => {});
    throw e;
  }
  if (process.env.SPM_PRIVACY_DEBUG && options.memo)
    console.error(`privacy: ${reused} of ${mgroups.length} groups as solved before in this run`);
  if (process.env.SPM_PRIVACY_DEBUG && options.stored)
    console.error(`privacy: ${fromStore} of ${mgroups.length} groups as solved in an earlier run`);
  // (every group merged) this pass's complements are the next pass's start
  if (options.warm && warmNext) options.warm.prev = warmNext;
  if (pool) {
    await pool.close();
    if (process.env.SPM_PRIVACY_DEBUG)
      console.error(`privacy: ${threads} worker threads, ${Math.round(workerMs)} ms of groups solved in them`);
  }
  audit.ms = Math.round(audit.ms);
  // HiGHS's heap only grows: after a large pass it is dropped (and freed by the caller's GC)
  const highsBytes = h ? await releaseSolver() : 0;
  memoryDebug('privacy groups done', `highs ${Math.round(highsBytes / 2 ** 20)} MiB`);
  if (process.env.SPM_PRIVACY_DEBUG)
    console.error(`privacy: audit ${JSON.stringify(audit)} ${JSON.stringify(auditProfile)}`);
  lap('read_suppress');
  timings.read = Math.round(readMs);
  timings.read_fetch = Math.round(readProfile.fetchMs);
  readProfile.fetchMs = 0;
  timings.suppress = Math.round(suppressMs);
  timings.audit = audit.ms;
  const app = await conn.createAppender('spm_priv_masks');
  for (let k = 0; k < outRows.length; k += 6) {
    for (let j = 0; j < 6; j++) app.appendInteger(outRows[k + j]!);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();

  lap('append');
  await conn.run(CREATE_MASKS);
  await conn.run(`INSERT INTO spm_masks
SELECT c.indicator_id, c.role, c.level, c.area_id, c.year, c.pool_years,
  CASE t.reason WHEN 0 THEN 'primary' WHEN 1 THEN 'secondary' ELSE 'input' END
FROM spm_priv_masks t
JOIN spm_priv_ir ir USING (mcode)
JOIN spm_priv_area a USING (acode)
JOIN spm_cells c ON c.indicator_id = ir.indicator_id AND c.role = ir.role
  AND c.area_id = a.area_id AND c.year = t.year AND c.pool_years = t.pool
ORDER BY c.indicator_id, c.role, t.lvl, c.area_id, c.year, c.pool_years`);
  const refused = refusedRows.length > 0 ? await nameRefused(conn, refusedRows) : [];
  const counts = await conn.runAndReadAll('SELECT reason, COUNT(*)::INTEGER AS n FROM spm_masks GROUP BY reason');
  const byReason = { primary: 0, secondary: 0, input: 0 };
  for (const r of counts.getRowObjectsJS()) byReason[r.reason as keyof typeof byReason] = Number(r.n);
  // (the prepared tables stay for the caller's next pass when it keeps them: options.tables)
  for (const t of [...(kept ? [] : PASS_TABLES), 'spm_priv_masks', 'spm_priv_exact'])
    await conn.run(`DROP TABLE IF EXISTS ${t}`);
  lap('expand');
  // where the pass's time goes outside the JS solving (its SQL before and after the group loop, the reads)
  if (process.env.SPM_PRIVACY_DEBUG) console.error(`privacy: timings (ms) ${JSON.stringify(timings)}`);
  const cpu = process.cpuUsage(cpu0);
  return {
    ...byReason,
    measureCells,
    measures: irRows.length,
    groups: mgroups.length,
    threads: pool ? threads : 0,
    unresolved,
    audit,
    refused,
    ms: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    timings,
    ...(options.memo ? { reused } : {}),
    ...(options.stored ? { fromStore } : {}),
    ...(options.lowPoints ? { zeroTargets, lowCulprits } : {}),
  };
}

/** The first index of ascending `keys` whose key is at least `k` (`keys.length` if none). */
function firstAtLeast(keys: Float64Array, k: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Time of the group reads spent waiting for DuckDB's chunks (the rest of `timings.read` is decoding in JS). */
const readProfile = { fetchMs: 0 };

/**
 * The cells of one measure group, in canonical order (member, level, area, year, window), from
 * `spm_priv_cells` (repeatable: a read that ran out of memory is repeated with more room). As
 * typed arrays: what a worker thread is sent (see `PackedBuffer`), written straight into them
 * without the thirteen growing plain arrays of a MeasureBuffer per cell (`unpackBuffer` gives those).
 */
export async function readGroupPacked(
  conn: DuckDBConnection,
  mcodes: readonly number[],
  y0: number,
  ordered = false,
): Promise<PackedBuffer> {
  // No ORDER BY: spm_priv_cells was written in this order (mcode, lvl, acode, year, pool) and a scan
  // keeps it (insertion order is preserved); sorting each group again cost about a third of the reads.
  // The masks depend on the order, so it is checked: a scan that ever comes back out of order is
  // read again with ORDER BY (never solved in the order it came in).
  const memberOf = mcodes.map((mc, i) => `WHEN ${mc} THEN ${i}`).join(' ');
  const { buf, n, inOrder } = await streamPacked(
    conn,
    `SELECT ${packedColumns(`CASE mcode ${memberOf} END`, y0)}
  FROM spm_priv_cells WHERE mcode IN (${mcodes.join(', ')})${ordered ? ' ORDER BY mcode, lvl, acode, year, pool' : ''}`,
    y0,
  );
  if (!inOrder) {
    if (ordered) throw new Error('Geheimhaltung: Zellen einer Gruppe doppelt oder ungeordnet gelesen');
    return readGroupPacked(conn, mcodes, y0, true);
  }
  // exact length (a message copies a typed array's whole buffer, room to grow included)
  return n === buf.flags.length ? buf : grownPacked(buf, n, n);
}

/**
 * The columns a group's read selects: member, area, level, year and window packed in one integer
 * (below 2^53 while the member is below {@link PACKED_MEMBERS}: exact as a DOUBLE, which reads
 * without a BigInt per cell), the parent, the flags in another integer, and the values and bounds.
 */
function packedColumns(member: string, y0: number): string {
  return `(((((${member})::BIGINT * 1048576 + acode) * ${MAX_LEVELS} + lvl) * 4096 + (year - ${y0})) * 64 + pool)::DOUBLE AS k,
parent, (known::INTEGER + 2 * input::INTEGER + 4 * fixed::INTEGER + 8 * unclean::INTEGER + 16 * pinned::INTEGER + 32 * ub_tight::INTEGER) AS f, x, ub, lb, ub_status`;
}

/** Members a packed key holds: 2^53 / (2^20 areas · MAX_LEVELS · 4,096 years · 64 windows). */
const PACKED_MEMBERS = 2 ** 53 / (1048576 * MAX_LEVELS * 4096 * 64);

/**
 * Streams the cells `sql` selects (the columns of {@link packedColumns}) into typed arrays: the first
 * `n` cells of `buf`. `inOrder` is false when a cell's canonical position (member, level, area, year,
 * window) is not above the one before it (out of order, or twice).
 */
async function streamPacked(
  conn: DuckDBConnection,
  sql: string,
  y0: number,
): Promise<{ buf: PackedBuffer; n: number; inOrder: boolean }> {
  const res = await conn.stream(sql);
  let buf = emptyPacked(4096);
  let n = 0;
  let last = -1;
  let inOrder = true;
  for (;;) {
    const tf = performance.now();
    const chunk = await res.fetchChunk();
    readProfile.fetchMs += performance.now() - tf;
    if (!chunk || chunk.rowCount === 0) break;
    if (n + chunk.rowCount > buf.flags.length)
      buf = grownPacked(buf, n, Math.max(2 * buf.flags.length, n + chunk.rowCount));
    const { lvl, area, parent, year, pool, member, x, ub, lb, ubStatus, flags } = buf;
    const vk = chunk.getColumnVector(0);
    const vp = chunk.getColumnVector(1);
    const vf = chunk.getColumnVector(2);
    const vx = chunk.getColumnVector(3);
    const vu = chunk.getColumnVector(4);
    const vl = chunk.getColumnVector(5);
    const vs = chunk.getColumnVector(6);
    for (let r = 0; r < chunk.rowCount; r++, n++) {
      let k = vk.getItem(r) as number;
      const w = k % 64;
      k = (k - w) / 64;
      const y = (k % 4096) + y0;
      k = (k - (k % 4096)) / 4096;
      const l = k % MAX_LEVELS;
      k = (k - l) / MAX_LEVELS;
      const a = k % 1048576;
      const m = (k - a) / 1048576;
      // canonical position (member, level, area, year, window): below 2^53
      const pos = (((m * MAX_LEVELS + l) * 1048576 + a) * 4096 + (y - y0)) * 64 + w;
      if (pos <= last) inOrder = false;
      last = pos;
      lvl[n] = l;
      area[n] = a;
      parent[n] = vp.getItem(r) as number;
      year[n] = y;
      pool[n] = w;
      member[n] = m;
      x[n] = (vx.getItem(r) as number | null) ?? 0;
      ub[n] = (vu.getItem(r) as number | null) ?? Infinity;
      lb[n] = (vl.getItem(r) as number | null) ?? 0;
      ubStatus[n] = (vs.getItem(r) as number | null) ?? Infinity;
      flags[n] = vf.getItem(r) as number;
    }
  }
  return { buf, n, inOrder };
}

/** All cells of a pass (`readAllPacked`): the fields of `PackedBuffer` with the mcode as member, sorted. */
export interface AllPacked {
  cells: PackedBuffer;
  /** Per mcode: the first cell and the end of its cells in `cells`. */
  ranges: Map<number, [number, number]>;
}

/**
 * Every cell of `spm_priv_cells` in one read (a small pass), sorted (a small table sorts in a few
 * ms): the columns and the order check of `readGroupPacked`, with the mcode itself as member.
 * Undefined when the largest mcode (`maxMcode`) does not fit the packed key or a cell comes twice:
 * the groups are then read one by one.
 */
export async function readAllPacked(
  conn: DuckDBConnection,
  y0: number,
  maxMcode: number,
): Promise<AllPacked | undefined> {
  if (maxMcode >= PACKED_MEMBERS) return undefined;
  const { buf, n, inOrder } = await streamPacked(
    conn,
    `SELECT ${packedColumns('mcode', y0)} FROM spm_priv_cells ORDER BY mcode, lvl, acode, year, pool`,
    y0,
  );
  if (!inOrder) return undefined;
  const ranges = new Map<number, [number, number]>();
  for (let i = 0; i < n; ) {
    const m = buf.member[i]!;
    let j = i + 1;
    while (j < n && buf.member[j] === m) j++;
    ranges.set(m, [i, j]);
    i = j;
  }
  return { cells: buf, ranges };
}

/**
 * A group's cells from `readAllPacked`, as `readGroupPacked` reads them: its measures' cells in the
 * order of `mcodes` (ascending, as the groups list them), member = the index in `mcodes`. Undefined
 * when `mcodes` is not ascending (the group is then read on its own).
 */
export function groupFromAll(all: AllPacked, mcodes: readonly number[]): PackedBuffer | undefined {
  let n = 0;
  for (let i = 0; i < mcodes.length; i++) {
    if (i > 0 && mcodes[i]! <= mcodes[i - 1]!) return undefined;
    const r = all.ranges.get(mcodes[i]!);
    if (r) n += r[1] - r[0];
  }
  const g = emptyPacked(n);
  let at = 0;
  for (let i = 0; i < mcodes.length; i++) {
    const r = all.ranges.get(mcodes[i]!);
    if (!r) continue;
    for (const key of Object.keys(g) as (keyof PackedBuffer)[]) g[key].set(all.cells[key].subarray(r[0], r[1]), at);
    g.member.fill(i, at, at + r[1] - r[0]);
    at += r[1] - r[0];
  }
  return g;
}

function emptyPacked(cap: number): PackedBuffer {
  return {
    lvl: new Int32Array(cap),
    area: new Int32Array(cap),
    parent: new Int32Array(cap),
    year: new Int32Array(cap),
    pool: new Int32Array(cap),
    member: new Int32Array(cap),
    x: new Float64Array(cap),
    ub: new Float64Array(cap),
    lb: new Float64Array(cap),
    ubStatus: new Float64Array(cap),
    flags: new Uint8Array(cap),
  };
}

/** A copy of the first `n` cells of `b` in arrays of length `cap`. */
function grownPacked(b: PackedBuffer, n: number, cap: number): PackedBuffer {
  const g = emptyPacked(cap);
  for (const key of Object.keys(g) as (keyof PackedBuffer)[]) g[key].set(b[key].subarray(0, n));
  return g;
}

/** True if some cell of the group is secret (otherwise the group needs no LP at all). */
function hasSecretPacked(b: PackedBuffer, threshold: number): boolean {
  for (let i = 0; i < b.flags.length; i++) if ((b.flags[i]! & 4) === 0 && isSmallCount(b.x[i]!, threshold)) return true;
  return false;
}

/** A job for a worker thread: one measure group (see group-worker.ts). */
export interface GroupJob {
  kind: 'group';
  buffer: PackedBuffer;
  threshold: number;
  relations: readonly GroupRelation[];
  groups: [number, readonly number[]][];
  /** Also send back the group's low point (`GroupReply.low`, see low-point.ts). */
  low?: boolean;
  /** Buffer cells to hold at 0 in the low point (`lowPoint`'s `zero`). */
  zero?: Int32Array;
}

/** A job for a worker thread: one block of a group's audit (see `prepareBlocks`). */
export interface BlockJob {
  kind: 'block';
  state: GroupState;
  block: number;
}

/** A job as the worker receives it: `id` is the pool's. */
export type PoolJob = (GroupJob | BlockJob) & { id: number };

/**
 * A worker's answer: the masks of the group's cells (`MeasureResult.reason`); or, for a group
 * whose audit has several blocks, its state after the linear pass (the blocks come as jobs of their
 * own); or a block's covers; or the error.
 */
export interface GroupReply {
  id: number;
  reason?: Int8Array;
  unresolved?: number;
  /** Buffer cells no cover could protect (see `MeasureResult.refused`). */
  refused?: Int32Array;
  audit?: AuditSummary;
  state?: GroupState;
  block?: BlockResult;
  /** Wall time the worker spent on the job. */
  ms?: number;
  /** Per buffer cell: its value at the group's low point (when the job asked for it). */
  low?: Float64Array;
  error?: string;
  /**
   * The worker holds much memory after the job (HiGHS's WebAssembly heap, which only grows, or its
   * V8 heap): the pool replaces it by a fresh one (see `RECYCLE_WORKER_BYTES` in group-pool.ts).
   */
  recycle?: boolean;
}

/**
 * Cells of the pass from which its groups are solved in worker threads by default. The NRW bench
 * project has 3,435,840 (its largest group alone took about 95 s: in one thread the other groups
 * waited behind it; with two workers they were solved beside it, 194 -> 157-164 s wall, the same
 * CPU and the same masks). The bench small project has 344,520: on a quiet machine five paired
 * direct runs took 10.6-12.0 s wall with two workers against 12.4-14.3 s in one thread (9-24 %
 * less), with CPU from 7 % less to 15 % more (median about 5 % more) and byte-identical output;
 * an earlier measurement on a loaded machine had found no gain there. The sample Kreis has 50,220,
 * where starting the workers does not pay.
 */
export const THREADS_FROM_CELLS = 200_000;

/**
 * Groups from this many cells start only when every worker is idle, and the next group waits until
 * their linear pass is done (their blocks then run on all workers as before). With every proportion's
 * "numerator <= denominator" as a relation (`SPM_PRIVACY_BOUNDS=joint`) the NRW bench's SEU measures are
 * one group of 1,360,044 cells, whose linear pass holds about 500 MB of heap and 400 MB of typed
 * arrays in its worker; beside the next group's (582,876 cells) in the other worker the run's peak
 * RSS was 2,527 MiB (3 Dec 2026).
 */
export const EXCLUSIVE_FROM_CELLS = 500_000;

/** {@link EXCLUSIVE_FROM_CELLS}, or `SPM_PRIVACY_EXCLUSIVE_CELLS` (tests: small groups start alone too). */
export function exclusiveFromCells(): number {
  return limitFromEnv('SPM_PRIVACY_EXCLUSIVE_CELLS', EXCLUSIVE_FROM_CELLS);
}

/**
 * Worker threads for the protection pass: `SPM_PRIVACY_THREADS` when set (0: every group in the
 * calling thread); otherwise two (at most one per core, none on one core) from
 * THREADS_FROM_CELLS cells. Two, not one per core: every worker holds a group and a HiGHS
 * heap (NRW: HiGHS alone grew to 261 MiB in one thread), and the peak memory at NRW size
 * must stay under 2 GiB.
 */
export function privacyThreads(cells: number, cores = availableParallelism()): number {
  const env = process.env.SPM_PRIVACY_THREADS;
  if (env !== undefined && env !== '') return Math.max(0, Math.floor(Number(env)) || 0);
  if (cells < THREADS_FROM_CELLS || cores < 2) return 0;
  return 2;
}

/** A relation inside a group: member indices (the rest, if any, becomes a pseudo member). */
export interface GroupRelation {
  total: number;
  parts: number[];
  rest: boolean;
  /** numerator (the one part) <= denominator (the total): see `MeasureRelation.bound`. */
  bound?: boolean;
}

/**
 * Measures joined by relations are one group (one system); the others are groups of one.
 * Groups in order of their smallest measure code; members in code order.
 */
export function measureGroups(
  keys: readonly string[],
  relations: readonly MeasureRelation[],
): { mcodes: number[]; relations: GroupRelation[] }[] {
  const code = new Map(keys.map((k, i) => [k, i]));
  const parent = keys.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const usable = relations.filter((r) => code.has(r.total) && r.parts.every((p) => code.has(p)));
  for (const r of usable) {
    for (const p of r.parts) {
      const x = find(code.get(r.total)!);
      const y = find(code.get(p)!);
      parent[Math.max(x, y)] = Math.min(x, y);
    }
  }
  const byRoot = new Map<number, number[]>();
  keys.forEach((_, i) => {
    const r = find(i);
    byRoot.set(r, [...(byRoot.get(r) ?? []), i]);
  });
  return [...byRoot.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, mcodes]) => {
      const member = new Map(mcodes.map((m, i) => [m, i]));
      const rels = usable
        .filter((r) => member.has(code.get(r.total)!))
        .map((r) => ({
          total: member.get(code.get(r.total)!)!,
          parts: r.parts.map((p) => member.get(code.get(p)!)!),
          rest: r.rest,
          ...(r.bound ? { bound: true } : {}),
        }));
      return { mcodes, relations: rels };
    });
}

/**
 * A group's cells as typed arrays, as a worker thread receives them: a message copies a typed array
 * as one block of memory, a plain array element by element. NRW bench, the 21 groups sent to the
 * workers (2.8 million cells): 1.9 s to serialise them as MeasureBuffers (in the thread that reads
 * the groups) and 3.6 s to deserialise them (in the workers); as typed arrays 0.1 s for both, plus
 * 0.5 s in the workers to turn them into plain arrays (`unpackBuffer`). The flags are known, input,
 * fixed, unclean, pinned, ubTight, pre (bits 0-6).
 */
export interface PackedBuffer {
  lvl: Int32Array;
  area: Int32Array;
  parent: Int32Array;
  year: Int32Array;
  pool: Int32Array;
  member: Int32Array;
  x: Float64Array;
  ub: Float64Array;
  lb: Float64Array;
  /** See `MeasureBuffer.ubStatus`. */
  ubStatus: Float64Array;
  flags: Uint8Array;
}

/** The buffer as typed arrays; member, unclean, ub and lb default as `prepareGroup` pads them. */
export function packBuffer(b: MeasureBuffer): PackedBuffer {
  const n = b.size;
  const flags = new Uint8Array(n);
  const member = new Int32Array(n);
  const ub = new Float64Array(n);
  const lb = new Float64Array(n);
  const ubStatus = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const known = b.known[i]!;
    const input = b.input[i]!;
    const unclean = i < b.unclean.length ? b.unclean[i]! : !known || input;
    flags[i] =
      (known ? 1 : 0) |
      (input ? 2 : 0) |
      (b.fixed[i] ? 4 : 0) |
      (unclean ? 8 : 0) |
      (b.pinned[i] ? 16 : 0) |
      (b.ubTight[i] ? 32 : 0) |
      (b.pre[i] ? 64 : 0);
    member[i] = i < b.member.length ? b.member[i]! : 0;
    ub[i] = i < b.ub.length ? b.ub[i]! : Infinity;
    lb[i] = i < b.lb.length ? b.lb[i]! : 0;
    ubStatus[i] = i < b.ubStatus.length ? b.ubStatus[i]! : Infinity;
  }
  return {
    lvl: Int32Array.from(b.lvl),
    area: Int32Array.from(b.area),
    parent: Int32Array.from(b.parent),
    year: Int32Array.from(b.year),
    pool: Int32Array.from(b.pool),
    member,
    x: Float64Array.from(b.x),
    ub,
    lb,
    ubStatus,
    flags,
  };
}

/** The MeasureBuffer again (plain arrays: `prepareGroup` appends the pseudo members' cells). */
export function unpackBuffer(p: PackedBuffer): MeasureBuffer {
  const b = new MeasureBuffer();
  const n = p.flags.length;
  // a loop, not Array.from (which goes through the iterator: three times slower here)
  const plain = (t: Int32Array | Float64Array): number[] => {
    const a = new Array<number>(t.length);
    for (let i = 0; i < t.length; i++) a[i] = t[i]!;
    return a;
  };
  b.lvl = plain(p.lvl);
  b.area = plain(p.area);
  b.parent = plain(p.parent);
  b.year = plain(p.year);
  b.pool = plain(p.pool);
  b.member = plain(p.member);
  b.x = plain(p.x);
  b.ub = plain(p.ub);
  b.lb = plain(p.lb);
  b.ubStatus = plain(p.ubStatus);
  for (let i = 0; i < n; i++) {
    const f = p.flags[i]!;
    b.known.push((f & 1) !== 0);
    b.input.push((f & 2) !== 0);
    b.fixed.push((f & 4) !== 0);
    b.unclean.push((f & 8) !== 0);
    b.pinned.push((f & 16) !== 0);
    b.ubTight.push((f & 32) !== 0);
    b.pre.push((f & 64) !== 0);
  }
  return b;
}

/** Cells of one measure group in canonical order (member, level, area_id, year, window). */
export class MeasureBuffer {
  lvl: number[] = [];
  area: number[] = [];
  parent: number[] = [];
  year: number[] = [];
  pool: number[] = [];
  x: number[] = [];
  known: boolean[] = [];
  input: boolean[] = [];
  fixed: boolean[] = [];
  /** Member measure of the group (0 for a single measure). */
  member: number[] = [];
  /** Some part missing, rejected or source-suppressed: relations do not hold on its known part. */
  unclean: boolean[] = [];
  /** Published with this value in an earlier release (spm_pinned): a constant to the attacker. */
  pinned: boolean[] = [];
  /**
   * The upper bound comes from a denominator below the minimum denominator only (a row that
   * publishes no counts). The attacker knows the numerator is at most that denominator, itself
   * unknown; the audit takes its true count (the cautious side), and only where that leaves a
   * failure no cover fixes, the audit without it (see `auditAndCover`).
   */
  ubTight: boolean[] = [];
  /** Masked as a complement by the pass before (`SuppressionOptions.warm`): the linear pass starts with it masked. */
  pre: boolean[] = [];
  /**
   * Where `ubTight`: the bound the row's status gives instead (a numerator at most its denominator,
   * which "unter Mindestnenner" says is below the minimum denominator: min_den - 1; a published
   * denominator or a 0 as itself). Infinity elsewhere.
   */
  ubStatus: number[] = [];
  /** Upper bound (the denominator of a proportion), Infinity if none. */
  ub: number[] = [];
  /** Lower bound (the largest non-secret numerator over a denominator), 0 if none. */
  lb: number[] = [];
  get size(): number {
    return this.lvl.length;
  }
  static fromColumns(
    cols: [number[], number[], number[], number[], number[], number[], boolean[], boolean[], boolean[]],
  ): MeasureBuffer {
    const b = new MeasureBuffer();
    [b.lvl, b.area, b.parent, b.year, b.pool, b.x, b.known, b.input, b.fixed] = cols;
    return b;
  }
  push(
    lvl: number,
    area: number,
    parent: number,
    year: number,
    pool: number,
    x: number,
    known: boolean,
    input: boolean,
    fixed = false,
  ): void {
    this.lvl.push(lvl);
    this.area.push(area);
    this.parent.push(parent);
    this.year.push(year);
    this.pool.push(pool);
    this.x.push(x);
    this.known.push(known);
    this.input.push(input);
    this.fixed.push(fixed);
  }
}

export interface MeasureResult {
  system: CompactSystem;
  /** Per cell of the buffer: -1 = publish, 0 primary, 1 secondary, 2 input. */
  reason: Int8Array;
  /** Buffer cells the audit could not protect (ascending; empty when it passed): the refusal names them. */
  refused: Int32Array;
  stats: SuppressStats;
  audit: AuditSummary;
}

/** One measure without relations or audit (the linear pass only). */
export function processMeasure(
  b: MeasureBuffer,
  threshold: number,
  groups: ReadonlyMap<number, readonly number[]> = new Map(),
): MeasureResult {
  return processGroup(b, threshold, [], null, groups);
}

/** Audit totals of nothing audited yet (the start of every sum). */
export function noAudit(): AuditSummary {
  return {
    components: 0,
    lps: 0,
    maxVars: 0,
    covers: 0,
    rounds: 0,
    ms: 0,
    unresolved: 0,
    relaxed: 0,
    proven: 0,
    blocks: 0,
    earlierLimited: 0,
    tightBoundsOnly: 0,
  };
}
/**
 * Builds the system of one measure group, suppresses it (linear pass), then
 * audits it with LP bounds and adds covers until the audit passes.
 *
 * Equations, per member measure (for every year; `parent` of a cell is the code of
 * the area one level up, `lvl` its height: 0 for the deepest level, the top the largest):
 * - an area (window 1) = Σ its child areas (window 1) present in that year
 *   (Kommune = Σ Sozialräume, Kreis = Σ Kommunen; likewise in any declared hierarchy);
 * - window w ending in y = Σ window-1 cells of the same area in y−w+1..y that exist;
 * - second hierarchies: a group (window 1) = Σ its members (window 1);
 * and per relation, for every area, year and window where all its measures have a
 * cell: total = Σ parts (+ rest). A relation holds for true counts; the equations
 * are over the exact known parts x, so a relation enters only where no member has a
 * missing, rejected or source-suppressed part, unless it has a rest: then the rest
 * is a pseudo member (never published, x = total − Σ parts, which satisfies the
 * hierarchy and window equations by linearity), >= 0 where clean.
 *
 * A base cell without any value (missing, or entirely source-suppressed like BA
 * "*") has x = 0 for everyone, so it is a constant and left out (`fixed`).
 */
export function processGroup(
  b: MeasureBuffer,
  threshold: number,
  relations: readonly GroupRelation[],
  h: Highs | null,
  groups: ReadonlyMap<number, readonly number[]> = new Map(),
): MeasureResult {
  const state = prepareGroup(b, threshold, relations, h !== null, groups);
  if (!('blocks' in state)) return state;
  const results: BlockResult[] = [];
  for (let k = 0; k < Math.max(1, state.blocks.length); k++) {
    const t0 = performance.now();
    results.push(auditBlock(h!, state, k));
    if (process.env.SPM_PRIVACY_DEBUG && state.blocks.length > 0)
      console.error(
        `privacy: block ${k + 1}/${state.blocks.length} (${state.blocks[k]!.length} cells): ${Math.round(performance.now() - t0)} ms, ${results[k]!.covers.length} covers`,
      );
  }
  return finishGroup(state, results);
}

/**
 * The group's system and its linear pass (see `processGroup`); then, with `audit`, the state its
 * blocks are audited from (`auditBlock`, in this thread or in workers), else the result.
 */
export function prepareGroup(
  b: MeasureBuffer,
  threshold: number,
  relations: readonly GroupRelation[],
  audit: boolean,
  groups: ReadonlyMap<number, readonly number[]> = new Map(),
): MeasureResult | GroupState {
  const n0 = b.size;
  for (let i = b.member.length; i < n0; i++) b.member.push(0);
  for (let i = b.unclean.length; i < n0; i++) b.unclean.push(!b.known[i] || b.input[i]!);
  for (let i = b.ub.length; i < n0; i++) b.ub.push(Infinity);
  for (let i = b.lb.length; i < n0; i++) b.lb.push(0);
  for (let i = b.pinned.length; i < n0; i++) b.pinned.push(false);
  for (let i = b.ubTight.length; i < n0; i++) b.ubTight.push(false);
  for (let i = b.ubStatus.length; i < n0; i++) b.ubStatus.push(Infinity);
  // nothing secret: nothing to protect, only source-suppressed cells to report
  let anySecret = false;
  for (let i = 0; i < n0 && !anySecret; i++) anySecret = !b.fixed[i] && isSmallCount(b.x[i]!, threshold);
  if (!anySecret) {
    const reason = new Int8Array(n0).fill(-1);
    for (let i = 0; i < n0; i++) if (b.input[i]) reason[i] = 2;
    const empty: CompactSystem = {
      n: 0,
      known: new Uint8Array(0),
      secret: new Uint8Array(0),
      size: new Float64Array(0),
      eqStart: Int32Array.of(0),
      eqCells: new Int32Array(0),
    };
    return {
      system: empty,
      reason,
      refused: new Int32Array(0),
      stats: { primary: 0, secondary: 0, rounds: 0, unresolved: 0 },
      audit: noAudit(),
    };
  }
  let members = 1;
  let yMin = Infinity;
  let yMax = -Infinity;
  let pMax = 1;
  let aMax = 0;
  let top = 0;
  for (let i = 0; i < n0; i++) {
    members = Math.max(members, b.member[i]! + 1);
    yMin = Math.min(yMin, b.year[i]!);
    yMax = Math.max(yMax, b.year[i]!);
    pMax = Math.max(pMax, b.pool[i]!);
    aMax = Math.max(aMax, b.area[i]!, b.parent[i]!);
    if (b.lvl[i] !== GROUP_LVL) top = Math.max(top, b.lvl[i]!);
  }
  let lvlMax = top;
  for (let i = 0; i < n0; i++) lvlMax = Math.max(lvlMax, b.lvl[i]!);
  const nl = lvlMax + 1;
  const ySpan = yMax - yMin + 1;
  // pseudo members: the rest of each relation that has one
  const restOf = new Map<number, number>();
  relations.forEach((r, k) => {
    if (r.rest) restOf.set(k, members + restOf.size);
  });
  const allMembers = members + restOf.size;
  const slot = (m: number, l: number, a: number, y: number, w: number) =>
    (((m * (aMax + 1) + a) * nl + l) * ySpan + (y - yMin)) * (pMax + 1) + w;
  const at = new Int32Array(allMembers * (aMax + 1) * nl * ySpan * (pMax + 1)).fill(-1);
  for (let i = 0; i < n0; i++) at[slot(b.member[i]!, b.lvl[i]!, b.area[i]!, b.year[i]!, b.pool[i]!)] = i;
  const lbOf: number[] = b.lb.slice(0, n0).map((v, i) => (b.fixed[i] ? 0 : Math.min(v, b.x[i]!)));
  const pseudo: boolean[] = new Array<boolean>(n0).fill(false);
  for (const [k, pm] of restOf) {
    const r = relations[k]!;
    for (let i = 0; i < n0; i++) {
      if (b.member[i] !== r.total || b.fixed[i]) continue;
      let x = b.x[i]!;
      let clean = !b.unclean[i];
      let ok = true;
      for (const p of r.parts) {
        const j = at[slot(p, b.lvl[i]!, b.area[i]!, b.year[i]!, b.pool[i]!)]!;
        if (j < 0) ok = false;
        else {
          x -= b.x[j]!;
          if (b.unclean[j]) clean = false;
        }
      }
      if (!ok) continue;
      b.push(b.lvl[i]!, b.area[i]!, b.parent[i]!, b.year[i]!, b.pool[i]!, x, false, false, false);
      b.member.push(pm);
      b.unclean.push(!clean);
      b.pinned.push(false);
      b.ubTight.push(false);
      b.ubStatus.push(Infinity);
      b.ub.push(Infinity);
      b.lb.push(0);
      // a numerator above its denominator (two sources that do not agree): no bound there (the
      // fixed bounds leave out such cells too: the true point must stay feasible)
      lbOf.push(clean && (x >= 0 || !r.bound) ? 0 : -Infinity);
      pseudo.push(true);
      at[slot(pm, b.lvl[i]!, b.area[i]!, b.year[i]!, b.pool[i]!)] = b.size - 1;
    }
  }
  const n = b.size;
  const { lvl, area, parent, year, pool, fixed, member } = b;
  const find = (m: number, l: number, a: number, y: number, w: number) =>
    y < yMin || y > yMax || l >= nl ? -1 : at[slot(m, l, a, y, w)]!;

  // hierarchy: window-1 total of each window-1 cell (its parent area one level up), as CSR lists
  const up = new Int32Array(n).fill(-1);
  const childCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (pool[i] !== 1 || parent[i]! < 0 || lvl[i] === GROUP_LVL) continue;
    const t = find(member[i]!, lvl[i]! + 1, parent[i]!, year[i]!, 1);
    if (t < 0) continue;
    up[i] = t;
    childCount[t + 1]!++;
  }
  for (let i = 0; i < n; i++) childCount[i + 1]! += childCount[i]!;
  const childStart = childCount;
  const fill = childStart.slice(0, n);
  const child = new Int32Array(childStart[n]!);
  for (let i = 0; i < n; i++) if (up[i]! >= 0) child[fill[up[i]!]!++] = i;

  const eb = new EquationBuilder();
  const blocks: number[] = [];
  // block of an equation: the area of its total, or its parent's for the deepest level
  // (the Kommune in a Kreis); top totals: one block of their own
  const blockOf = (t: number) => (lvl[t] === top ? aMax + 1 : lvl[t] === 0 ? parent[t]! : area[t]!);
  const ps: number[] = [];
  // A rest (pseudo member) gets no hierarchy, window or group equation of its own: each would be
  // the difference of its total's and its parts' equations, so it adds nothing the per-cell
  // relations do not say, but it tied every rest of a measure into one chain of unknowns (all
  // areas, all years), and through them every masked cell of the group into one component of the
  // audit (NRW bench at min_count 5: 744,066 cells). Without them the model is what the attacker
  // knows: the hierarchies of the published measures and, per cell, total = Σ parts + rest >= 0.
  for (let i = 0; i < n; i++) {
    if (pseudo[i]) continue;
    const w = pool[i]!;
    ps.length = 0;
    if (w === 1) {
      // a fixed part (constant 0) is left out, but its total keeps its (maybe empty) equation
      const c0 = childStart[i]!;
      const c1 = childStart[i + 1]!;
      if (c0 === c1) continue;
      for (let k = c0; k < c1; k++) if (!fixed[child[k]!]) ps.push(child[k]!);
    } else {
      for (let y = year[i]! - w + 1; y <= year[i]!; y++) {
        const j = find(member[i]!, lvl[i]!, area[i]!, y, 1);
        if (j >= 0 && !fixed[j]) ps.push(j);
      }
    }
    eb.add(i, ps);
    blocks.push(blockOf(i));
  }
  // Redundant but useful for the local pass: a pooled Kommune (Kreis) = Σ pooled Sozialräume
  // (Kommunen), where every year of the window has the same parts and every part has its
  // pooled cell.
  for (let i = 0; i < n; i++) {
    const w = pool[i]!;
    if (w === 1 || lvl[i] === 0 || pseudo[i]) continue;
    const last = find(member[i]!, lvl[i]!, area[i]!, year[i]!, 1);
    if (last < 0 || childStart[last] === childStart[last + 1]) continue;
    let ok = true;
    for (let y = year[i]! - w + 1; y < year[i]! && ok; y++) {
      const t = find(member[i]!, lvl[i]!, area[i]!, y, 1);
      if (t < 0 || childStart[t + 1]! - childStart[t]! !== childStart[last + 1]! - childStart[last]!) ok = false;
      else
        for (let k = 0; k < childStart[t + 1]! - childStart[t]! && ok; k++)
          ok = area[child[childStart[t]! + k]!] === area[child[childStart[last]! + k]!];
    }
    if (!ok) continue;
    ps.length = 0;
    for (let k = childStart[last]!; k < childStart[last + 1]! && ok; k++) {
      const c = child[k]!;
      const pc = find(member[c]!, lvl[c]!, area[c]!, year[i]!, w);
      if (pc < 0) ok = false;
      else ps.push(pc);
    }
    if (!ok) continue;
    eb.add(i, ps);
    blocks.push(blockOf(i));
  }
  // second hierarchies: a group (window 1) = Σ its members (window 1) present in that year
  if (groups.size > 0) {
    const lvlOfArea = new Map<number, number>();
    for (let i = 0; i < n; i++) if (lvl[i] !== GROUP_LVL) lvlOfArea.set(area[i]!, lvl[i]!);
    for (let i = 0; i < n; i++) {
      if (lvl[i] !== GROUP_LVL || pool[i] !== 1 || pseudo[i]) continue;
      const ms = groups.get(area[i]!);
      if (!ms) continue;
      ps.length = 0;
      for (const m of ms) {
        const l = lvlOfArea.get(m);
        const j = l === undefined ? -1 : find(member[i]!, l, m, year[i]!, 1);
        if (j >= 0 && !fixed[j]) ps.push(j);
      }
      eb.add(i, ps);
      blocks.push(aMax + 2);
    }
  }
  // relations: total = Σ parts (+ rest) in every cell where all members exist
  relations.forEach((r, k) => {
    const pm = restOf.get(k);
    for (let i = 0; i < n0; i++) {
      if (member[i] !== r.total || fixed[i]) continue;
      ps.length = 0;
      let clean = !b.unclean[i];
      let ok = true;
      for (const p of r.parts) {
        const j = find(p, lvl[i]!, area[i]!, year[i]!, pool[i]!);
        if (j < 0) ok = false;
        else {
          if (b.unclean[j]) clean = false;
          if (!fixed[j]) ps.push(j);
        }
      }
      if (!ok) continue;
      if (pm !== undefined) {
        const j = find(pm, lvl[i]!, area[i]!, year[i]!, pool[i]!);
        if (j < 0) continue;
        ps.push(j);
      } else if (!clean) continue;
      eb.add(i, ps);
      blocks.push(lvl[i] === GROUP_LVL ? aMax + 2 : blockOf(i));
    }
  });
  const { eqStart, eqCells } = eb.build();
  const eqBlock = Int32Array.from(blocks);
  const known = new Uint8Array(n);
  const secret = new Uint8Array(n);
  const penalty = new Int32Array(n);
  const pinned = new Uint8Array(n);
  let anyPinned = false;
  for (let i = 0; i < n; i++) {
    // published in an earlier release with this value: known, and a constant (never a complement)
    if (b.pinned[i] && !pseudo[i] && b.known[i]) pinned[i] = 1;
    if (pinned[i]) anyPinned = true;
    known[i] = !pseudo[i] && (b.known[i] || fixed[i]) ? 1 : 0;
    secret[i] = !pseudo[i] && !fixed[i] && isSmallCount(b.x[i]!, threshold) ? 1 : 0;
    if (lvl[i] === top && top > 0) penalty[i] = KREIS_PENALTY;
  }
  const lbArr = Float64Array.from(lbOf);
  const ubArr = Float64Array.from(b.ub);
  let ubTight: Uint8Array | undefined;
  let ubStatus: Float64Array | undefined;
  for (let i = 0; i < n; i++) {
    if (!b.ubTight[i] || pseudo[i]) continue;
    ubTight ??= new Uint8Array(n);
    ubStatus ??= new Float64Array(n).fill(Infinity);
    ubTight[i] = 1;
    ubStatus[i] = Math.max(b.ubStatus[i]!, ubArr[i]!);
  }
  const level = new Float64Array(n);
  for (let i = 0; i < n; i++) if (secret[i]) level[i] = Math.min(threshold, ubArr[i]!);
  // a numerator whose bound is a relation (see `MeasureRelation.bound`) need not reach above its
  // denominator's count, as with the fixed bound (ub) it replaces
  let levelCap: Float64Array | undefined;
  // (disjoint subgroups within a group: each part at most the group's count), only where the
  // relation holds in the data: where the parts exceed the total (sources that do not agree, a total
  // row of a long file that is none) the total's count says nothing about a part's range
  for (const r of relations) {
    if (!r.bound) continue;
    for (let i = 0; i < n0; i++) {
      if (member[i] !== r.total || fixed[i] || b.unclean[i]) continue;
      const js = r.parts.map((part) => find(part, lvl[i]!, area[i]!, year[i]!, pool[i]!));
      let sum = 0;
      for (const j of js) if (j >= 0) sum += b.x[j]!;
      if (sum > b.x[i]!) continue;
      for (const j of js) {
        if (j < 0 || !secret[j]) continue;
        levelCap ??= new Float64Array(n).fill(Infinity);
        levelCap[j] = Math.min(levelCap[j]!, b.x[i]!);
        level[j] = Math.min(level[j]!, b.x[i]!);
      }
    }
  }
  const system: CompactSystem = {
    n,
    known,
    secret,
    size: Float64Array.from(b.x),
    eqStart,
    eqCells,
    eqBlock,
    penalty,
    ...(anyPinned ? { pinned } : {}),
    // the room rule only where the interval audit judges the result
    ...(audit ? { level, lb: lbArr, ub: ubArr } : {}),
    ...(audit && ubTight ? { ubTight, ubStatus } : {}),
    ...(audit && levelCap ? { levelCap } : {}),
  };
  const stats: SuppressStats = { primary: 0, secondary: 0, rounds: 0, unresolved: 0 };
  // (a pass again) the complements of the pass before as its starting masks
  const initial: number[] = [];
  for (let i = 0; i < n0 && i < b.pre.length; i++) if (b.pre[i]) initial.push(i);
  const masked = suppressCompact(system, stats, initial.length > 0 ? initial : undefined);
  const input = new Uint8Array(n0);
  for (let i = 0; i < n0; i++) input[i] = b.input[i] ? 1 : 0;
  const state: GroupState = {
    n0,
    system,
    masked,
    input,
    threshold,
    stats,
    // (only for the debug output: not copied to every block's worker otherwise)
    ...(process.env.SPM_PRIVACY_DEBUG
      ? { label: [member, lvl, area, year, pool].map((a) => Int32Array.from(a)) as GroupState['label'] }
      : {}),
    blocks: [],
  };
  if (!audit) return finishGroup(state, []);
  prepareBlocks(state);
  return state;
}

/**
 * A measure group after its linear pass: what the interval audit of its blocks needs (in this
 * thread or in workers: typed arrays only, so it can be sent to a worker).
 */
export interface GroupState {
  /** Cells of the buffer (the pseudo members come after them). */
  n0: number;
  system: CompactSystem;
  /** The masks of the linear pass (each block starts from them). */
  masked: Uint8Array;
  /** Per buffer cell: 1 = source-suppressed. */
  input: Uint8Array;
  threshold: number;
  stats: SuppressStats;
  /** member, level, area, year, window of each cell (debug output of unresolved cells). */
  label?: [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  /**
   * The audit's blocks: cells of the components each one starts from (see `prepareBlocks`);
   * an empty list is one block over the whole group.
   */
  blocks: Int32Array[];
  idx?: CellIndex;
  constant?: Uint8Array;
}

/** Masked cells each block adds to the linear pass's masks, and its audit totals. */
export interface BlockResult {
  covers: Int32Array;
  rounds: number;
  unresolved: number;
  /** The cells no cover could protect (see `AuditLoopResult.refused`). */
  refused: Int32Array;
  audit: AuditSummary;
}

/**
 * Unknown cells (in components with an audited cell) from which a group's audit is split into
 * blocks: below, the group is one block (the sample Kreis has 50,220 cells in all its groups;
 * the NRW bench's largest group 291,438).
 */
export const BLOCKS_FROM_CELLS = 100_000;
/**
 * Unknown cells per block of small components (a component the audit cuts into pieces, above
 * PIECE_DEFAULT cells, is a block of its own).
 */
const BLOCK_CELLS = 40_000;

/**
 * Splits the group's audit into blocks that are solved independently, each from the linear pass's
 * masks: a block audits its components and adds covers until they pass. The masks of all blocks
 * together pass too, since masking more cells only enlarges what the attacker must consider (every
 * witness of a block stays a solution). The blocks depend on the group alone, never on the number
 * of threads, so the masks are the same in one thread and in several.
 *
 * NRW bench, group g0007: one component of 32,691 cells (the Kreis over 396 Kommunen ties it)
 * and 292 of about 1,000 cells took 73 s in one block, the large one 23 s of it; in blocks
 * the other worker takes the small ones beside it.
 */
export function prepareBlocks(state: GroupState): void {
  // SPM_PRIVACY_BLOCKS="from,cells" (tests, tuning): other sizes than BLOCKS_FROM_CELLS, BLOCK_CELLS
  const [from, cellsPerBlock] = (process.env.SPM_PRIVACY_BLOCKS ?? '').split(',').map(Number);
  const blocksFrom = from !== undefined && from >= 1 ? from : BLOCKS_FROM_CELLS;
  const blockCells = cellsPerBlock !== undefined && cellsPerBlock >= 1 ? cellsPerBlock : BLOCK_CELLS;
  const sys = state.system;
  const idx = (state.idx ??= buildCellIndex(sys));
  const constant = (state.constant ??= constantCells(sys, idx));
  const audited = auditedCells(state, constant);
  const comps = auditComponents({ sys, masked: state.masked, constant, audited } as AuditProblem);
  let total = 0;
  for (const c of comps) total += c.length;
  state.blocks = [];
  if (total < blocksFrom || comps.length < 2) return;
  const large: number[][] = [];
  let chunk: number[] = [];
  const small: number[][] = [];
  for (const c of comps) {
    if (c.length > PIECE_DEFAULT) large.push(c);
    else {
      for (const v of c) chunk.push(v);
      if (chunk.length >= blockCells) {
        small.push(chunk);
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) small.push(chunk);
  // the large components first: a worker starts on them while the other takes the small ones
  state.blocks = [...large, ...small].map((c) => Int32Array.from(c).sort());
}

function auditedCells(state: GroupState, constant: Uint8Array): Uint8Array {
  const { n, secret } = state.system;
  const audited = new Uint8Array(n);
  for (let i = 0; i < n; i++) audited[i] = secret[i] && !constant[i] ? 1 : 0;
  return audited;
}

/**
 * Audits block k of a group (all of it when it has no blocks) from the linear pass's masks and
 * returns the covers it adds.
 */
export function auditBlock(h: Highs, state: GroupState, k: number): BlockResult {
  const sys = state.system;
  const { n } = sys;
  const idx = (state.idx ??= buildCellIndex(sys));
  const constant = (state.constant ??= constantCells(sys, idx));
  const masked = state.masked.slice();
  const problem: AuditProblem = {
    sys,
    idx,
    x: sys.size,
    masked,
    constant,
    lb: sys.lb!,
    ub: sys.ub!,
    audited: auditedCells(state, constant),
    threshold: state.threshold,
    loOk: new Uint8Array(n),
    hiOk: new Uint8Array(n),
  };
  const label = (c: number) =>
    state.label
      ? `m${state.label[0][c]} l${state.label[1][c]} a${state.label[2][c]} ${state.label[3][c]}/${state.label[4][c]}`
      : `cell ${c}`;
  const d = (c: number) =>
    `${label(c)} x=${sys.size[c]} k=${sys.known[c]} m=${masked[c]} c=${constant[c]} lb=${sys.lb![c]} ub=${sys.ub![c]}` +
    (sys.ubTight?.[c] ? ` status-ub=${sys.ubStatus![c]}` : '');
  const seed = state.blocks.length > 0 ? Array.from(state.blocks[k]!) : undefined;
  const r = auditAndCover(h, problem, sys.penalty, d, seed);
  const covers: number[] = [];
  for (let i = 0; i < n; i++) if (masked[i] && !state.masked[i]) covers.push(i);
  const a = r.stats;
  return {
    covers: Int32Array.from(covers),
    rounds: r.rounds,
    unresolved: r.unresolved,
    refused: Int32Array.from(r.refused),
    audit: {
      components: a.components,
      lps: a.lps,
      maxVars: a.maxVars,
      covers: covers.length,
      rounds: r.rounds,
      ms: a.ms,
      unresolved: r.unresolved,
      relaxed: a.relaxed ?? 0,
      proven: a.proven ?? 0,
      blocks: 0,
      earlierLimited: r.earlierLimited,
      tightBoundsOnly: r.tightBoundsOnly,
    },
  };
}

/**
 * The group's masks: the linear pass's and every block's covers (a cell two blocks chose counts
 * once), as reasons per buffer cell.
 */
export function finishGroup(state: GroupState, results: readonly BlockResult[]): MeasureResult {
  const { n0, system, input } = state;
  const masked = state.masked.slice();
  const stats = { ...state.stats };
  const audit = noAudit();
  const refused = new Set<number>();
  for (const r of results) {
    for (const c of r.refused) if (c < n0) refused.add(c);
    for (const c of r.covers) {
      if (masked[c]) continue;
      masked[c] = 1;
      audit.covers++;
      stats.secondary++;
    }
    audit.components += r.audit.components;
    audit.lps += r.audit.lps;
    audit.maxVars = Math.max(audit.maxVars, r.audit.maxVars);
    audit.rounds = Math.max(audit.rounds, r.rounds);
    audit.ms += r.audit.ms;
    audit.unresolved += r.unresolved;
    audit.relaxed += r.audit.relaxed;
    audit.proven += r.audit.proven;
    audit.earlierLimited += r.audit.earlierLimited;
    audit.tightBoundsOnly += r.audit.tightBoundsOnly;
  }
  audit.blocks = state.blocks.length;
  // with earlier releases: a small count they already determine (they published it, or it follows
  // from what they published) is a constant, so no audit can protect it; it is masked all the same
  // and counted with those the earlier releases limit
  if (system.pinned) {
    const constant = state.constant ?? constantCells(system, state.idx ?? buildCellIndex(system));
    for (let i = 0; i < system.n; i++) if (system.secret[i] && constant[i]) audit.earlierLimited++;
  }
  const reason = new Int8Array(n0).fill(-1);
  for (let i = 0; i < n0; i++) {
    if (input[i]) reason[i] = 2;
    else if (masked[i]) reason[i] = system.known[i] && system.secret[i] ? 0 : 1;
  }
  return { system, reason, refused: Int32Array.from(refused).sort(), stats, audit };
}

export { LEVELS };
