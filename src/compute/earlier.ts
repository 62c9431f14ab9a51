/**
 * Earlier releases the protection pass must take as known (settings.suppression.frueher_veroeffentlicht):
 * the `kennzahlen.parquet` of last year's Monitoring, or of a run before an indicator was added.
 *
 * Why: a new release computes its masks afresh, so it can hide a cell the earlier one published
 * (hiding nothing: the attacker holds that release) and publish one the earlier one hid. Together
 * the two releases then give away what each protects, as separate `--indicator` runs did before
 * they were protected as one set. With the earlier releases named, every count they published with
 * the value it has now goes into `spm_pinned`; the pass treats those cells as constants (never a
 * complement, always known: `pinned` in src/privacy/system.ts), so its audit covers the union of
 * both releases. A count published earlier with another value (a revision) is not pinned.
 *
 * ```
 * kennzahlen.parquet (earlier) ─ numerator, denominator of every row that published them
 *   ─ equal to what this run would publish in that row (spm_results)?
 *   ─ spm_pinned (indicator_id, role, level, area_id, year, pool_years)
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import { sha256File } from '../util/hash.js';
import { UserError } from '../util/issues.js';
import { displayPath } from '../util/paths.js';

const SETTING = 'settings.suppression.frueher_veroeffentlicht';

/**
 * The key of `kennzahlen.parquet`'s key/value metadata that names the earlier releases its masks were
 * chosen against, as JSON `[{ file, sha256 }]` (written by src/publish/table-schema.ts).
 */
export const EARLIER_RELEASES_KEY = 'spm:frueher_veroeffentlicht';
const COLUMNS = ['indicator_id', 'level', 'area_id', 'year', 'pool_years', 'numerator', 'denominator'] as const;

export interface EarlierReleases {
  /** Files read (absolute). */
  files: string[];
  /** Counts (measure values of indicator rows) published earlier with the value they have now. */
  pinned: number;
  /** Of those, exact counts from 1 to threshold − 1 (not estimates): published earlier, so known whatever this run masks. */
  small: number;
  /** Counts published earlier with another value than now (revised data): not pinned. */
  changed: number;
  /**
   * Counts published earlier in rows this run does not have (an indicator dropped, an area renamed,
   * a year left out): public, but not in the pass. A relation to what is published now can narrow.
   */
  unmatched: number;
  /** Indicators of the earlier releases that this run does not compute. */
  dropped: string[];
  /** The first counts (up to 10) that are `unmatched` or `changed`, for the refusal's message. */
  differences: EarlierDifference[];
}

/** A count of an earlier release that this run does not publish as it was (see `EarlierReleases`). */
export interface EarlierDifference {
  indicator_id: string;
  role: string;
  level: string;
  area_id: string;
  year: number;
  pool_years: number;
  /** The value published earlier. */
  earlier: number;
  /** This run's value in that row; null when the row does not exist now. */
  now: number | null;
}

/** The earlier releases named in spm.yaml, as absolute paths (relative ones are relative to the project). */
export function earlierFiles(project: Project): string[] | undefined {
  return project.config.settings.suppression.frueher_veroeffentlicht?.map((f) => path.resolve(project.root, f));
}

/**
 * Checks that every file is an earlier release's kennzahlen.parquet (`spm validate` runs it too).
 * @throws UserError naming the file when one is missing, not Parquet, or lacks a column
 */
export async function checkEarlierFiles(conn: DuckDBConnection, files: readonly string[], root: string): Promise<void> {
  for (const f of files) {
    if (!fs.existsSync(f) || !fs.statSync(f).isFile())
      throw new UserError({
        severity: 'error',
        code: 'earlier.missing',
        message: `die Datei ${f} gibt es nicht (erwartet: kennzahlen.parquet einer früheren Veröffentlichung).`,
        path: SETTING,
      });
    if (path.extname(f).toLowerCase() !== '.parquet')
      throw new UserError({
        severity: 'error',
        code: 'earlier.format',
        message: `${f} ist keine Parquet-Datei; bitte die kennzahlen.parquet der früheren Veröffentlichung angeben.`,
        path: SETTING,
      });
    let names: string[];
    try {
      const d = await conn.runAndReadAll('DESCRIBE SELECT * FROM read_parquet($1)', [f]);
      names = d.getRowObjectsJS().map((r) => String(r.column_name));
    } catch (e) {
      throw new UserError({
        severity: 'error',
        code: 'earlier.format',
        message: `${f} lässt sich nicht als Parquet lesen (${(e as Error).message.split('\n')[0]}).`,
        path: SETTING,
      });
    }
    const missing = COLUMNS.filter((c) => !names.includes(c));
    if (missing.length)
      throw new UserError({
        severity: 'error',
        code: 'earlier.columns',
        message: `${f} ist keine kennzahlen.parquet von spm: es fehlen die Spalten ${missing.join(', ')}.`,
        path: SETTING,
      });
  }
  await checkEarlierChain(conn, files, root);
}

/** An earlier release a named one was protected against (from its Parquet metadata). */
interface ChainEntry {
  /** As that run's manifest shows it: relative to its project folder, or absolute. */
  file: string;
  sha256: string;
}

/** The earlier releases `file` names in its metadata ({@link EARLIER_RELEASES_KEY}); [] when none. */
async function chainOf(conn: DuckDBConnection, file: string): Promise<ChainEntry[]> {
  let text: unknown;
  let list: unknown;
  try {
    // keys and values are bytes: compared and decoded as such (a value that is no UTF-8 is refused below)
    const r = await conn.runAndReadAll(
      'SELECT decode(value) AS v FROM parquet_kv_metadata($1) WHERE key = encode($2)',
      [file, EARLIER_RELEASES_KEY],
    );
    text = r.getRowsJS()[0]?.[0];
    if (text === undefined) return [];
    list = JSON.parse(String(text));
  } catch {
    list = undefined;
  }
  const ok = (e: unknown): e is ChainEntry =>
    typeof e === 'object' &&
    e !== null &&
    typeof (e as ChainEntry).file === 'string' &&
    typeof (e as ChainEntry).sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test((e as ChainEntry).sha256);
  if (!Array.isArray(list) || !list.every(ok))
    throw new UserError({
      severity: 'error',
      code: 'earlier.chain',
      message:
        `${file}: die Angabe der früheren Veröffentlichungen, gegen die diese Ausgabe geschützt wurde ` +
        `(Metadaten ${EARLIER_RELEASES_KEY}), ist nicht lesbar; die Datei ist nicht so, wie spm sie schrieb.`,
      path: SETTING,
    });
  return list;
}

/**
 * Every release that a named earlier release was itself protected against must be named too.
 *
 * A run that names last year's release pins the counts that release published, but the release
 * before it (which last year's run took as known) is public as well: it can hold counts last
 * year's release no longer shows (a small count published before, an indicator dropped since, a
 * year that fell out of the window). Pinned only through last year's file, those would be
 * unknown to this run's pass, which could then choose them as complements. So each named file's
 * own list (its Parquet metadata, {@link EARLIER_RELEASES_KEY}) must be covered by the named files,
 * by content (SHA-256): the whole chain back to the first release, wherever the files now lie.
 * @throws UserError naming each missing release, what to add to spm.yaml, and whether the file
 *   still lies where it was named then
 */
export async function checkEarlierChain(conn: DuckDBConnection, files: readonly string[], root: string): Promise<void> {
  const chains = await Promise.all(files.map(async (f) => ({ f, chain: await chainOf(conn, f) })));
  if (chains.every((c) => c.chain.length === 0)) return;
  const hashes = new Set(await Promise.all(files.map((f) => sha256File(f))));
  const open: { by: string; e: ChainEntry }[] = [];
  for (const { f, chain } of chains)
    for (const e of chain)
      if (!hashes.has(e.sha256) && !open.some((o) => o.e.sha256 === e.sha256)) open.push({ by: f, e });
  if (open.length === 0) return;
  const lines: string[] = [];
  let moved = false;
  for (const { by, e } of open) {
    // where that run named it (relative to the project folder), looked at only inside the project folder
    const at = path.resolve(root, e.file);
    let where = 'sie liegt noch dort';
    if (displayPath(root, at) === at) where = 'sie lag außerhalb des Projektordners (dort nicht nachgesehen)';
    else if (!fs.existsSync(at)) where = 'an diesem Ort liegt sie nicht mehr';
    else if ((await sha256File(at)) !== e.sha256)
      where = 'dort liegt heute eine Datei mit anderem Inhalt; gemeint ist die mit genau diesem SHA-256';
    if (where !== 'sie liegt noch dort') moved = true;
    lines.push(
      `  - ${e.file} (SHA-256 ${e.sha256.slice(0, 12)}…), als bekannt genommen von ${displayPath(root, by)}; ${where}`,
    );
  }
  const one = open.length === 1;
  const list = [...files.map((f) => displayPath(root, f)), ...open.map((o) => o.e.file)];
  throw new UserError({
    severity: 'error',
    code: 'earlier.chain',
    message:
      (one
        ? 'Eine genannte frühere Veröffentlichung wurde ihrerseits gegen eine noch frühere geschützt, die hier fehlt. ' +
          'Auch diese ist öffentlich und kann Zahlen zeigen, die die spätere nicht mehr zeigt'
        : 'Genannte frühere Veröffentlichungen wurden ihrerseits gegen noch frühere geschützt, die hier fehlen. ' +
          'Auch diese sind öffentlich und können Zahlen zeigen, die die späteren nicht mehr zeigen') +
      '; ohne sie könnte dieser Lauf gerade solche Zahlen als Sperrpartner wählen. Bitte ' +
      (one ? 'diese Datei' : 'diese Dateien') +
      ` (mit genau diesem Inhalt) unter ${SETTING} zusätzlich nennen:\n${lines.join('\n')}\n` +
      `also in spm.yaml: settings: suppression: { frueher_veroeffentlicht: [${list.join(', ')}] }` +
      (moved ? ' (Pfade dorthin anpassen, wo die Dateien heute liegen).' : '.'),
    path: SETTING,
  });
}

/**
 * Creates `spm_pinned` from the earlier releases (absolute paths), compared with `spm_results`.
 * @throws UserError naming the file when one is missing, not Parquet, or lacks a column
 */
export async function loadEarlierReleases(
  conn: DuckDBConnection,
  files: readonly string[],
  threshold: number,
  root: string,
): Promise<EarlierReleases> {
  await checkEarlierFiles(conn, files, root);
  // every count an earlier release published (a masked row publishes none), beside what this run
  // would publish in the same row (spm_results, before masking): where both are equal, the earlier
  // release told the attacker exactly what this row's count tells. An estimated count (a sum with
  // source-suppressed parts at the midpoint of their range) is compared as published, too.
  const one = `SELECT indicator_id, level, area_id, year::INTEGER AS year, pool_years::INTEGER AS pool_years,
  numerator::DOUBLE AS numerator, denominator::DOUBLE AS denominator FROM read_parquet($FILE)`;
  const union = files.map((_, i) => one.replace('$FILE', `$${i + 1}`)).join('\nUNION ALL\n');
  // one row per earlier count, beside what this run would publish in that row (`now`; `matched`:
  // the row exists now); the pins and the figures for the run summary are read from it
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE spm_earlier AS
WITH e AS (${union}),
c AS (
  SELECT DISTINCT * FROM (
    SELECT indicator_id, 'numerator' AS role, level, area_id, year, pool_years, numerator AS value FROM e WHERE numerator IS NOT NULL
    UNION ALL
    SELECT indicator_id, 'denominator' AS role, level, area_id, year, pool_years, denominator AS value FROM e WHERE denominator IS NOT NULL
  )
)
SELECT c.*, r.indicator_id IS NOT NULL AS matched, r.status,
  CASE c.role WHEN 'numerator' THEN r.numerator ELSE r.denominator END AS now
FROM c LEFT JOIN spm_results r ON r.indicator_id = c.indicator_id AND r.level = c.level AND r.area_id = c.area_id
  AND r.year = c.year AND r.pool_years = c.pool_years`,
    [...files],
  );
  await conn.run(`CREATE OR REPLACE TABLE spm_pinned AS
SELECT DISTINCT indicator_id, role, level, area_id, year, pool_years FROM spm_earlier WHERE value = now ORDER BY ALL`);
  const r = await conn.runAndReadAll(
    `SELECT (SELECT count(*) FROM spm_pinned) AS pinned,
  count(*) FILTER (WHERE value = now AND value > 0 AND value < $1 AND status IN ('ok', 'implausible', 'zero_denominator')) AS small,
  count(*) FILTER (WHERE matched AND value IS DISTINCT FROM now) AS changed,
  count(*) FILTER (WHERE NOT matched) AS unmatched
FROM spm_earlier`,
    [threshold],
  );
  // indicators of the earlier releases this run does not compute: their counts are public, but not in the pass
  const gone = await conn.runAndReadAll(
    'SELECT DISTINCT indicator_id FROM spm_earlier EXCEPT SELECT DISTINCT indicator_id FROM spm_results ORDER BY 1',
  );
  // the first rows that differ, rows missing now first
  const diff = await conn.runAndReadAll(
    `SELECT indicator_id, role, level, area_id, year, pool_years, value AS earlier, now FROM spm_earlier
     WHERE NOT matched OR value IS DISTINCT FROM now
     ORDER BY matched, indicator_id, level, area_id, year, pool_years, role LIMIT 10`,
  );
  await conn.run('DROP TABLE spm_earlier');
  const row = r.getRowObjectsJS()[0] ?? {};
  return {
    files: [...files],
    pinned: Number(row.pinned ?? 0),
    small: Number(row.small ?? 0),
    changed: Number(row.changed ?? 0),
    unmatched: Number(row.unmatched ?? 0),
    dropped: gone.getRowsJS().map((x) => String(x[0])),
    differences: diff.getRowObjectsJS().map((x) => ({
      indicator_id: String(x.indicator_id),
      role: String(x.role),
      level: String(x.level),
      area_id: String(x.area_id),
      year: Number(x.year),
      pool_years: Number(x.pool_years),
      earlier: Number(x.earlier),
      now: x.now === null ? null : Number(x.now),
    })),
  };
}
