/**
 * The whole protection pass as `spm compute` runs it: `suppressCells` once, and again while the
 * interval audit refuses counts that "numerator <= denominator" relations around them could free
 * (see `boundRounds` in src/compute/js-steps.ts for the modes). In one function, so that the tests'
 * attacker (tests/privacy/lp-attack*.test.ts) attacks exactly what compute publishes, second passes
 * included.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  boundRelations,
  chooseAll,
  proportionPairs,
  widenBelow,
  widenBounds,
  type BoundWidening,
} from './bound-relations.js';
import {
  dropPassTables,
  suppressCells,
  type GroupMemo,
  type GroupProgress,
  type GroupStore,
  type WarmStart,
  type PassTables,
  type SuppressionCounts,
  type ZeroTargets,
} from './db.js';
import type { MeasureRelation } from './relations.js';

export interface ProtectOptions {
  threshold: number;
  /** The project's relations between measures (found and declared). */
  relations: readonly MeasureRelation[];
  /**
   * `low` (the default): low points, and after a refusal the pairs around it as relations, as many
   * rounds as reach further. `joint`: every proportion's pair a relation from the first pass on.
   * `{ rounds: n }`: the pass before low points, each group with the others' true counts as fixed
   * bounds, and up to n rounds of relations after a refusal (not safe; tests of the refusal only).
   */
  mode?: 'low' | 'joint' | { rounds: number };
  /** (low) passes with numerator cells held at 0 before pairs become relations (SPM_PRIVACY_ZERO_ROUNDS). */
  zeroRounds?: number;
  /** The interval audit after the linear pass (default true; false only to show what it adds, in tests). */
  audit?: boolean;
  /**
   * Results of groups solved in earlier runs (src/compute/group-cache.ts): the first pass takes a
   * group's result from there when its job is unchanged, and puts there what it solves. Later passes
   * of the run do not use it: their groups start from the complements of the pass before.
   */
  stored?: GroupStore;
  /** Runs each pass (compute: again with more memory when DuckDB ran out). */
  wrap?: (pass: () => Promise<SuppressionCounts>) => Promise<SuppressionCounts>;
  /** Each pass's progress (`SuppressionOptions.onGroup`), with the pass's number (1 = the first). */
  onProgress?: (p: PassProgress) => void;
}

/** How far the protection is: the pass under way (1, 2, …) and its groups and cells decided. */
export interface PassProgress extends GroupProgress {
  pass: number;
}

export interface ProtectResult {
  /** The last pass's counts (its `audit.unresolved` > 0: the refusal stands). */
  counts: SuppressionCounts;
  /** "numerator <= denominator" pairs the last pass held as relations (0: none beyond the first pass's). */
  boundPairs: number;
  /** Passes run (1: the first one published). */
  passes: number;
  /** Protected counts the first pass could not protect (its `audit.unresolved`; 0 when it published). */
  firstRefused: number;
  /** The proportions (indicator ids, sorted) whose "numerator <= denominator" the last pass held as relations. */
  chosen: string[];
}

const zeroTargetCount = (z: ZeroTargets | undefined) => [...(z?.values() ?? [])].reduce((t, k) => t + k.size, 0);

/** Protects the cells of `spm_cells` (masks in `spm_masks`, as `suppressCells`); see the header. */
export async function protectCells(conn: DuckDBConnection, options: ProtectOptions): Promise<ProtectResult> {
  const mode = options.mode ?? 'low';
  const lowPoints = mode === 'low';
  const rounds = typeof mode === 'object' ? mode.rounds : lowPoints ? Number.POSITIVE_INFINITY : 0;
  const zeroMax = lowPoints ? (options.zeroRounds ?? 0) : 0;
  const wrap = options.wrap ?? ((pass) => pass());
  // the groups a later pass leaves as they were are not solved again (see SuppressionOptions.memo)
  const memo = new Map<string, GroupMemo>();
  // and the prepared tables stay from pass to pass (see SuppressionOptions.tables), dropped at the end
  const tables: PassTables = {
    built: false,
    exact: new Set(),
    threshold: options.threshold,
    lowPoints,
    hasIndicators: false,
  };
  // and a group solved again starts from the complements of the pass before (SuppressionOptions.warm)
  const warm: WarmStart = {};
  // (with low points) numerator cells to hold at 0, from the refusals of a pass before (see below)
  let zeroTargets: ZeroTargets | undefined;
  const widening: BoundWidening = { measures: new Set(), chosen: new Map() };
  if (mode === 'joint') chooseAll(widening, (await proportionPairs(conn)).pairs);
  let passes = 0;
  const run = () => {
    const { relations, exactBounds } = boundRelations(widening);
    // the groups of the first pass start from their primary masks alone: their results are their jobs'
    const stored = passes === 0 ? options.stored : undefined;
    passes++;
    const pass = passes;
    const onProgress = options.onProgress;
    return wrap(() =>
      suppressCells(conn, {
        threshold: options.threshold,
        ...(onProgress ? { onGroup: (g: GroupProgress) => onProgress({ ...g, pass }) } : {}),
        relations: [...options.relations, ...relations],
        exactBounds,
        lowPoints,
        ...(options.audit === false ? { audit: false } : {}),
        memo,
        ...(stored ? { stored } : {}),
        tables,
        warm,
        ...(zeroTargets ? { zeroTargets } : {}),
      }),
    );
  };
  try {
    let s = await run();
    const firstRefused = s.audit.unresolved;
    const refusedNow = () => s.unresolved === 0 && s.audit.unresolved > 0;
    // (with low points, SPM_PRIVACY_ZERO_ROUNDS) a refused denominator: first again with the numerators
    // under it held at 0 in their groups' low points, with covers there where needed
    // (src/privacy/low-point.ts); only those groups and the ones after them are solved again
    for (let z = 0; z < zeroMax && refusedNow() && zeroTargetCount(s.zeroTargets) > zeroTargetCount(zeroTargets); z++) {
      if (process.env.SPM_PRIVACY_DEBUG)
        console.error(
          `privacy: ${s.refused.length} refused, again with ${zeroTargetCount(s.zeroTargets)} numerator cells at 0`,
        );
      zeroTargets = s.zeroTargets;
      s = await run();
    }
    // a refused count may be pinned by other groups' bounds: again with "numerator <= denominator"
    // around it as relations, reaching further each round (with low points as many rounds as reach
    // further: at the end every pair is a relation)
    let boundPairs = 0;
    for (let round = 0; round < rounds && refusedNow(); round++) {
      // (SPM_PRIVACY_ZERO_ROUNDS) the cells held at 0 so far stay so
      if (zeroMax > 0) zeroTargets = s.zeroTargets ?? zeroTargets;
      const { pairs, keyOf } = await proportionPairs(conn);
      // nothing new to try: the refusal stands (suppressCells adds the pairs inside one group itself)
      // (with low points first only the pairs whose numerators held a refused denominator up, then all
      // pairs below it, see widenBelow)
      const added =
        (lowPoints
          ? widenBelow(widening, pairs, keyOf, s.refused, s.lowCulprits) ||
            widenBelow(widening, pairs, keyOf, s.refused)
          : 0) || widenBounds(widening, pairs, keyOf, s.refused);
      if (added === 0) break;
      boundPairs = boundRelations(widening).relations.length;
      if (process.env.SPM_PRIVACY_DEBUG)
        console.error(
          `privacy: ${s.refused.length} refused, round ${round + 1} with ${boundPairs} numerator <= denominator relations (${widening.chosen.size} indicators)`,
        );
      s = await run();
    }
    return { counts: s, boundPairs, passes, firstRefused, chosen: [...widening.chosen.keys()].sort() };
  } finally {
    await dropPassTables(conn, tables);
  }
}
