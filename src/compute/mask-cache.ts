/**
 * A cache of the protection result (`spm_masks`) inside the project folder
 * (`<project>/.spm/cache/masks/`), so a planner who edits a label or a chart
 * and runs again does not wait for the protection pass (most of a run's CPU).
 *
 * The key is a SHA-256 over everything the pass reads:
 * - the contents of the tables it reads (`PROTECTION_TABLES`) as a multiset of rows (and their column types)
 *   (row order does not matter to the pass, which orders everything itself), minus
 *   columns that are only labels (`LABEL_COLUMNS`, e.g. an indicator's title);
 * - its options (threshold, relations);
 * - the code: every file of `src/privacy` (so any change to the pass invalidates),
 *   the HiGHS and DuckDB versions, spm's version and this file's format version.
 *
 * A cached result is used only if its manifest is complete, names the same key, and the
 * masks file has the recorded SHA-256, row count and counts by reason; anything else
 * (a partial write, a corrupt file, another format) is ignored and the pass runs again.
 * Writes go through a temporary name and a rename, so concurrent runs never read half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ProtectOptions } from '../privacy/protect.js';
import type { MeasureRelation } from '../privacy/relations.js';
// spm_masks from its declared columns (the same as src/privacy's CREATE_MASKS, tested): a run whose masks
// come from the cache does not load the protection code and its solver (about 40 ms of a small run)
import { MASKS } from './plan-tables.js';
import { createTableSql } from '../compile/plan.js';
import { sha256File } from '../util/hash.js';
import type { EarlierReleases } from './earlier.js';
import { sqlString } from '../util/sql.js';
import { pruneCache } from '../util/cache-prune.js';
import { spmVersion } from '../util/paths.js';
import { codeHash } from '../util/code-hash.js';

/** Bumped when the key or the stored form changes. */
const FORMAT = 2;

/** Entries kept per project: the newest by time of writing (older ones are removed). */
const KEEP = 8;

/**
 * Tables (or views) the protection pass reads (src/privacy/db.ts). A test fails when
 * src/privacy reads a table that is not listed here.
 */
export const PROTECTION_TABLES = [
  'spm_cells',
  'spm_measures',
  'spm_indicators',
  'areas',
  'areas_sozialraum',
  'areas_kommune',
  'area_groups',
  'spm_pinned',
] as const;

/**
 * Columns of those tables that are only words or presentation: a label edit must not cost a
 * protection pass. A test fails when src/privacy names one of them.
 */
export const LABEL_COLUMNS: Record<string, readonly string[]> = {
  spm_indicators: [
    'ord',
    'version',
    'title',
    'unit',
    'scale',
    'source_num',
    'source_den',
    'polarity',
    'ampel_mode',
    'ampel_reference',
    'target_value',
    'target_year',
  ],
  areas: ['area_name'],
  areas_sozialraum: ['sozialraum_name'],
  areas_kommune: ['kommune_name'],
};

export interface MaskCounts {
  primary: number;
  secondary: number;
  input: number;
  /** With earlier releases named (settings.suppression.frueher_veroeffentlicht): what they contributed. */
  earlier?: EarlierSummary;
  /**
   * Protected cells judged without the true counts of unpublished denominators as their
   * numerators' bounds: with them no cover could protect them (see `tightBoundsOnly` in
   * src/privacy/cover-loop.ts). Absent when 0.
   */
  tightBoundsOnly?: number;
  /**
   * After a refusal, the pairs of measures whose "numerator <= denominator" the pass took as
   * relations (protected together) instead of fixed bounds (src/privacy/bound-relations.ts). Absent when 0.
   */
  boundPairs?: number;
  /** With `boundPairs`: the protected counts the first pass could not protect, and the passes run in all. */
  firstRefused?: number;
  passes?: number;
  /**
   * Equations every complete cell of the data holds that were neither declared nor proven from the
   * filters (labels; src/compute/data-relations.ts): the pass took them as relations. Absent when none.
   */
  dataRelations?: string[];
}

/**
 * The earlier releases the protection took as known, for the run summary (stored with the masks):
 * what `loadEarlierReleases` found (the number of files instead of their paths), and the protected
 * cells they already bound as far as this run does (no masking could help).
 */
export type EarlierSummary = Omit<EarlierReleases, 'files' | 'differences'> & { files: number; limited: number };

interface Stored {
  format: number;
  key: string;
  rows: number;
  sha256: string;
  counts: MaskCounts;
}

let privacyHash: string | undefined;

/** SHA-256 over the files of src/privacy (dist/src/privacy when built) and the solver's and spm's versions. */
export function privacyCodeHash(): string {
  return (privacyHash ??= codeHash(new URL('../privacy/', import.meta.url), ['highs'], `spm ${spmVersion()}`));
}

/** Column names and types of the protection tables that exist (types are part of the key). */
async function existing(conn: DuckDBConnection): Promise<Map<string, { name: string; type: string }[]>> {
  const r = await conn.runAndReadAll(
    `SELECT table_name, list(column_name ORDER BY column_index) AS cols, list(data_type ORDER BY column_index) AS types
FROM duckdb_columns()
WHERE list_contains(${`[${PROTECTION_TABLES.map((t) => `'${t}'`).join(', ')}]`}, table_name) GROUP BY table_name`,
  );
  const out = new Map<string, { name: string; type: string }[]>();
  for (const [t, cols, types] of r.getRowsJS() as [string, string[], string[]][])
    out.set(
      t,
      cols.map((name, i) => ({ name, type: types[i] ?? '?' })),
    );
  return out;
}

const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;

/**
 * Digest of a table's rows as a multiset: row count, XOR of each row's 64-bit DuckDB hash of
 * its values (NULLs and the column positions are part of it; the column types are in the
 * key beside it) and the sum of those hashes (so two equal rows do not cancel out); the order
 * of the rows plays no part. DuckDB's hash runs in its vectorised engine, about a fifth of
 * the CPU of an MD5 over each row's JSON; it may differ between DuckDB versions, which are in
 * the key.
 */
async function tableDigest(
  conn: DuckDBConnection,
  table: string,
  cols: readonly { name: string; type: string }[],
): Promise<string> {
  const skip = new Set(LABEL_COLUMNS[table] ?? []);
  const kept = cols.filter((c) => !skip.has(c.name));
  // one hash per row (a subquery: referenced twice, computed once)
  const r = await conn.runAndReadAll(
    `SELECT count(*)::VARCHAR, bit_xor(h)::VARCHAR, sum(h::HUGEINT)::VARCHAR FROM (
SELECT hash(struct_pack(${kept.map((c) => `${quote(c.name)} := ${quote(c.name)}`).join(', ')})) AS h FROM ${quote(table)})`,
  );
  return `${table}(${kept.map((c) => `${c.name} ${c.type}`).join(',')}):${(r.getRowsJS()[0] ?? []).join('/')}`;
}

/** The cache key of the protection pass on the current tables with these options. */
export async function protectionKey(
  conn: DuckDBConnection,
  options: {
    threshold: number;
    relations: readonly MeasureRelation[];
    /** How the pass treats "numerator <= denominator" and its zero rounds (ProtectOptions; default low, 0). */
    mode?: ProtectOptions['mode'];
    zeroRounds?: number;
  },
): Promise<string> {
  const h = createHash('sha256');
  h.update(`spm-masks ${FORMAT}\u0000${privacyCodeHash()}\u0000`);
  const v = await conn.runAndReadAll('SELECT version()');
  h.update(`duckdb ${String(v.getRowsJS()[0]?.[0])}\u0000`);
  h.update(
    JSON.stringify({
      threshold: options.threshold,
      relations: options.relations,
      mode: options.mode ?? 'low',
      zeroRounds: options.zeroRounds ?? 0,
    }),
  );
  const tables = await existing(conn);
  for (const t of PROTECTION_TABLES) {
    const cols = tables.get(t);
    h.update(`\u0000${cols ? await tableDigest(conn, t, cols) : `${t}:absent`}`);
  }
  return h.digest('hex');
}

const files = (dir: string, key: string) => ({
  manifest: path.join(dir, `${key}.json`),
  data: path.join(dir, `${key}.parquet`),
});

function parseStored(text: string, key: string): Stored | undefined {
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch {
    return undefined;
  }
  const o = s as Partial<Stored>;
  const n = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (o?.format !== FORMAT || o.key !== key || !n(o.rows) || typeof o.sha256 !== 'string') return undefined;
  const c = o.counts;
  if (!c || !n(c.primary) || !n(c.secondary) || !n(c.input)) return undefined;
  return o as Stored;
}

/**
 * Restore `spm_masks` from the cache; undefined (and no `spm_masks` left behind) when there
 * is no complete, matching entry.
 */
export async function restoreMasks(conn: DuckDBConnection, dir: string, key: string): Promise<MaskCounts | undefined> {
  const f = files(dir, key);
  let stored: Stored | undefined;
  try {
    stored = parseStored(fs.readFileSync(f.manifest, 'utf8'), key);
    if (!stored || (await sha256File(f.data)) !== stored.sha256) return undefined;
  } catch {
    return undefined;
  }
  try {
    await conn.run(createTableSql(MASKS));
    await conn.run(
      'INSERT INTO spm_masks SELECT indicator_id, role, level, area_id, year, pool_years, reason FROM read_parquet($1)',
      [f.data],
    );
    const r = await conn.runAndReadAll('SELECT reason, COUNT(*)::INTEGER AS n FROM spm_masks GROUP BY reason');
    const got: Record<string, number> = {};
    for (const [reason, n] of r.getRowsJS() as [string, number][]) got[reason] = n;
    const c = stored.counts;
    const total = Object.values(got).reduce((a, b) => a + b, 0);
    const same =
      total === stored.rows &&
      (got.primary ?? 0) === c.primary &&
      (got.secondary ?? 0) === c.secondary &&
      (got.input ?? 0) === c.input;
    if (same) return { ...c };
  } catch {
    // unreadable Parquet: recompute
  }
  await conn.run('DROP TABLE IF EXISTS spm_masks');
  return undefined;
}

/**
 * Store `spm_masks` (sorted) under the key: data and manifest are written under private
 * names and renamed, the manifest last, so a reader sees a whole entry or none.
 */
export async function storeMasks(conn: DuckDBConnection, dir: string, key: string, counts: MaskCounts): Promise<void> {
  const f = files(dir, key);
  const tag = `tmp-${process.pid}-${randomUUID()}`;
  const tmp = { data: `${f.data}.${tag}`, manifest: `${f.manifest}.${tag}` };
  try {
    fs.mkdirSync(dir, { recursive: true });
    await conn.run(
      `COPY (SELECT indicator_id, role, level, area_id, year, pool_years, reason FROM spm_masks
ORDER BY indicator_id, role, level, area_id, year, pool_years, reason) TO ${sqlString(tmp.data)} (FORMAT parquet)`,
    );
    const rows = counts.primary + counts.secondary + counts.input;
    const stored: Stored = { format: FORMAT, key, rows, sha256: await sha256File(tmp.data), counts };
    fs.writeFileSync(tmp.manifest, JSON.stringify(stored) + '\n');
    fs.renameSync(tmp.data, f.data);
    fs.renameSync(tmp.manifest, f.manifest);
    pruneCache(dir, '.json', KEEP);
  } catch {
    // a cache that cannot be written (read-only project folder, full disk) only costs time next run
  } finally {
    fs.rmSync(tmp.data, { force: true });
    fs.rmSync(tmp.manifest, { force: true });
  }
}
