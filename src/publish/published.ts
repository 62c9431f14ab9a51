/**
 * The published long table (`spm_published`, written as `kennzahlen.*`) and the
 * unmasked internal table (`spm_internal`), both from `spm_stats`, with the
 * columns of publish/schema.ts in their fixed order.
 *
 * Masking happens here and only here: computations use true counts; the
 * published table hides every number of a masked row and every comparison,
 * change or trend that involves a masked row (so nothing suppressed can be
 * recovered by differencing). A masked row says only "gesperrt": no reason
 * (small count, complementary cell, suppressed in the source), no status
 * (published as `masked`), no counts. Below the minimum denominator neither the
 * value nor its counts are published (Steckbrief: "kein Ausweis als Zahl").
 * The reason of a mask is in the internal table only, built on explicit request.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Params, bindable } from '../compute/params.js';
import { AMPEL_SQL } from '../compute/stats-sql.js';
import { sqlString } from '../util/sql.js';
import { roomOnOutOfMemory } from '../util/memory-limit.js';
import { COLUMNS, PUBLISHED_COLUMNS, type ColumnType, type MaskRule, type PublishedColumn } from './schema.js';
import type { CompiledSql } from '../compile/types.js';
import type { DuckType, PlanTable, SqlStep } from '../compile/plan.js';
import type { Project } from '../config/project.js';
import {
  ESTIMATED_SPLIT_NOTE,
  STATUS_NOTE,
  SUPPRESSED,
  SUPPRESSION_LABEL,
  SUPPRESSION_REASON_TEXT,
  SUPPRESSION_TEXT,
  VALUE_STATUSES,
} from './vocabulary.js';

const MASKED = 's.suppression IS NOT NULL';

/** SQL condition under which `rule` hides a column of the published table. */
export function maskCondition(rule: Exclude<MaskRule, 'special'>): string | null {
  switch (rule) {
    case 'none':
      return null;
    case 'row':
      return MASKED;
    case 'value':
      return `${MASKED} OR s.status NOT IN (${VALUE_STATUSES.map(sqlString).join(', ')})`;
    case 'ref_kommune':
      return `${MASKED} OR s.ref_kommune_suppression IS NOT NULL`;
    case 'ref_kreis':
      return `${MASKED} OR s.ref_kreis_suppression IS NOT NULL`;
    case 'prev':
      return `${MASKED} OR s.prev_suppression IS NOT NULL`;
    case 'base':
      return `${MASKED} OR s.base_suppression IS NOT NULL`;
    case 'trend':
      return `${MASKED} OR s.trend_masked`;
    case 'ampel':
      return `${MASKED} OR (s.ampel_mode = 'relative' AND (CASE WHEN s.ampel_reference = 'kommune' AND s.level_rank >= 2 THEN s.ref_kommune_suppression ELSE s.ref_kreis_suppression END) IS NOT NULL) OR (s.ampel_mode = 'absolute' AND s.trend_masked)`;
  }
}

/**
 * "12 Eingangszeile(n)" (one source) or "12 … der Zählerquelle und 3 der Nennerquelle" from the per-role counts
 * (`num_n_<kind>`, `den_n_<kind>`); NULL when both are 0 (e.g. a row whose year
 * could not be read touches every area of the source, and is not counted per area).
 */
function rowCounts(kind: 'rej' | 'unas'): string {
  const n = `s.num_n_${kind}`;
  const d = `s.den_n_${kind}`;
  // a rejected row is counted whole: whether it would have passed the numerator's filter is unknown
  return `CASE WHEN ${n} > 0 AND ${n} = ${d} AND i.source_num = i.source_den THEN CAST(${n} AS VARCHAR) || ' Eingangszeile(n)'
      WHEN ${n} > 0 AND ${d} > 0 THEN CAST(${n} AS VARCHAR) || ' Eingangszeile(n) der Zählerquelle und ' || CAST(${d} AS VARCHAR) || ' der Nennerquelle'
      WHEN ${n} > 0 THEN CAST(${n} AS VARCHAR) || ' Eingangszeile(n) der Zählerquelle'
      WHEN ${d} > 0 THEN CAST(${d} AS VARCHAR) || ' Eingangszeile(n) der Nennerquelle' END`;
}

const N = (k: keyof typeof STATUS_NOTE): string => sqlString(STATUS_NOTE[k].de);

/** The note of an unmasked row: why there is no or an estimated value (fixed words from the vocabulary). */
const STATUS_NOTE_SQL = `CASE
    WHEN s.status = 'implausible' THEN ${N('implausible')} || COALESCE(' (Zähler: ' || s.num_ref || '; Nenner: ' || s.den_ref || ')', '')
    WHEN s.status = 'estimated' AND s.num_n_supp + s.den_n_supp = 0 THEN ${sqlString(ESTIMATED_SPLIT_NOTE.de)}
    WHEN s.status = 'estimated' THEN ${N('estimated')} || ' (Anzahl: ' || CAST(s.num_n_supp + s.den_n_supp AS VARCHAR)
      || '), mit der Mitte ihres Wertebereichs geschätzt (Zähler ' || replace(printf('%.10g', s.num_lo), '.', ',')
      || ' bis ' || replace(printf('%.10g', s.num_hi), '.', ',') || ')'
    WHEN s.status = 'below_min_denominator' THEN ${N('below_min_denominator')} || ' ' || replace(printf('%.10g', s.min_den), '.', ',')
    WHEN s.status = 'zero_denominator' THEN ${N('zero_denominator')}
    WHEN s.status = 'suppressed_input' THEN ${N('suppressed_input')}
    WHEN s.status = 'missing_input' THEN ${N('missing_input')}
    WHEN s.status = 'incomplete_input' THEN ${N('incomplete_input')} || ': ' || ${rowCounts('unas')}
      || ' keinem gültigen Gebiet zuzuordnen (unbekanntes oder in diesem Jahr nicht gültiges Gebiet; siehe abgewiesene_zeilen.csv)'
    WHEN s.status = 'rejected_input' THEN 'Eingangszeilen abgewiesen (' || COALESCE(${rowCounts('rej')} || '; ', '') || 'siehe abgewiesene_zeilen.csv)'
    WHEN s.published THEN 'veröffentlichter Wert der Quelle (nicht aus Zählern berechnet, ohne Konfidenzintervall)'
    ELSE NULL END`;

/** The published note of a masked row: the same words for every masked row. */
export const MASKED_NOTE = `${SUPPRESSION_LABEL.de}: ${SUPPRESSION_TEXT.de}`;

/** Published (masked) or internal (true) form of one column. */
function columnSql(c: PublishedColumn, masked: boolean, note: string): string {
  const expr = c.sql === 'AMPEL' ? AMPEL_SQL : c.sql === '$note' ? `${note}::VARCHAR` : c.sql;
  if (c.mask === 'special') {
    switch (c.name) {
      case 'status':
        return masked ? `CASE WHEN ${MASKED} THEN 'masked' ELSE s.status END` : 's.status';
      case 'suppression':
        return masked ? `CASE WHEN ${MASKED} THEN ${sqlString(SUPPRESSED)} END` : 's.suppression';
      case 'note': {
        if (masked) return `CASE WHEN ${MASKED} THEN ${sqlString(MASKED_NOTE)} ELSE ${STATUS_NOTE_SQL} END`;
        const reasons = Object.entries(SUPPRESSION_REASON_TEXT).map(
          ([k, t]) => `WHEN ${sqlString(k)} THEN ${sqlString(t.de)}`,
        );
        return `CASE WHEN ${MASKED} THEN CASE s.suppression ${reasons.join(' ')} END ELSE ${STATUS_NOTE_SQL} END`;
      }
      default:
        throw new Error(`no published form for ${(c as PublishedColumn).name}`);
    }
  }
  const hidden = masked ? maskCondition(c.mask) : null;
  return hidden ? `CASE WHEN ${hidden} THEN NULL ELSE ${expr} END` : expr;
}

/** The sort keys of the published rows, carried by the unsorted rows (see {@link publishedTableSql}). */
const SORT_KEYS = [
  ['s.ord', 'sort_ord'],
  ['s.pool_years', 'sort_pool'],
  ['s.year', 'sort_year'],
  ['s.level_rank', 'sort_rank'],
  ['s.area_id', 'sort_area'],
] as const;

/**
 * The SQL building `spm_published` (masked) or `spm_internal` (unmasked, with the
 * reason of every mask in `suppression` and `note`) from `spm_stats`, in two steps:
 * `rows` materialises the view's joins unsorted (with the sort keys) into a temporary
 * table, `sorted` sorts it into the table and drops it. In one statement the joins and the
 * sort held their memory at once and ran out of it instead of spilling (4x NRW under the
 * 1 GiB default, NRW under 256 MB), so the step was repeated under 80 % of RAM.
 * `one` builds the table of a small project in one statement: the view's joins and the sort together,
 * with the area sorted as itself (the same order as its rank above, NULL last). The rows are
 * materialised once instead of twice: the sample Kreis (29,160 rows of 51 columns) spent most of the
 * two statements' time writing the rows into tables, not computing them.
 * @param masked false only for the explicitly requested internal export
 */
export function publishedTableSql(
  dataNote: string | null,
  masked = true,
  compressed = false,
): { rows: CompiledSql; sorted: CompiledSql; one: CompiledSql } {
  const p = new Params();
  const note = p.add(dataNote);
  const table = masked ? 'spm_published' : 'spm_internal';
  const rows = `${table}_rows`;
  const cols = COLUMNS.map((c) => `  ${columnSql(c, masked, note)} AS ${c.name}`);
  const keys = SORT_KEYS.map(([expr, name]) => `  ${expr} AS ${name}`);
  const sql = `CREATE OR REPLACE TEMP TABLE ${rows} AS
SELECT
${[...cols, ...keys].join(',\n')}
FROM spm_stats s
JOIN spm_indicators i ON i.indicator_id = s.indicator_id`;
  // The area (a string) is sorted as its rank among the rows' areas: the same order, but a sort on
  // integers only (this statement alone on the NRW bench's tables, 1 GB limit, two threads: 5.7-7.2 s ->
  // 4.9-5.1 s, CPU 11.1-14.0 -> 9.5-9.8 s).
  // LEFT JOIN: a row whose area is NULL keeps its place (NULL last, as before).
  const select = `SELECT ${COLUMNS.map((c) => `x.${c.name}`).join(', ')}
FROM ${rows} x
LEFT JOIN (SELECT a, (row_number() OVER (ORDER BY a))::INTEGER AS r FROM (SELECT DISTINCT sort_area AS a FROM ${rows})) ar
  ON ar.a = x.sort_area
-- sorted once here; later scans keep this order (DuckDB preserves insertion order)
ORDER BY ${SORT_KEYS.map(([, name]) => (name === 'sort_area' ? 'ar.r' : `x.${name}`)).join(', ')}`;
  const sorted = compressed
    ? `ATTACH IF NOT EXISTS ':memory:' AS ${PUBLISHED_CATALOG} (COMPRESS);
CREATE OR REPLACE TABLE ${PUBLISHED_CATALOG}.${table} AS
${select};
DROP TABLE ${rows};
CHECKPOINT ${PUBLISHED_CATALOG};
CREATE OR REPLACE VIEW ${table} AS SELECT * FROM ${PUBLISHED_CATALOG}.${table}`
    : `CREATE OR REPLACE TABLE ${table} AS
${select};
DROP TABLE ${rows}`;
  const one = `CREATE OR REPLACE TABLE ${table} AS
SELECT
${cols.join(',\n')}
FROM spm_stats s
JOIN spm_indicators i ON i.indicator_id = s.indicator_id
-- sorted once here; later scans keep this order (DuckDB preserves insertion order)
ORDER BY ${SORT_KEYS.map(([expr]) => expr).join(', ')}`;
  return {
    rows: { sql, parameters: p.values },
    sorted: { sql: sorted, parameters: [] },
    one: { sql: one, parameters: p.values },
  };
}

/**
 * The in-memory database that holds the published table compressed (`publishSteps` with
 * `compressed`); `spm_published` is a view on it. DuckDB keeps the tables of its main in-memory
 * database uncompressed: at NRW size the published table (2 million rows, 51 columns) filled most
 * of the 1 GiB default limit and was read back from the spill folder for every file written from
 * it. Compressed (at the CHECKPOINT) it takes a fraction of that; see `EXPORT_WRITE_MEMORY_BYTES` in
 * api/database.ts for what that allows.
 */
export const PUBLISHED_CATALOG = 'spm_pub';

/**
 * Build `spm_published` or, on explicit request, `spm_internal` (see {@link publishedTableSql}); a
 * statement that runs out of memory is repeated once under 80 % of RAM, like the plan's steps.
 */
export async function createPublishedTable(
  conn: DuckDBConnection,
  dataNote: string | null,
  masked = true,
): Promise<void> {
  const q = publishedTableSql(dataNote, masked);
  for (const [label, step] of [
    ['rows', q.rows],
    ['sorted', q.sorted],
  ] as const)
    await roomOnOutOfMemory(conn, () => conn.run(step.sql, bindable(step.parameters)), undefined, `internal ${label}`);
}

const DUCK_TYPE: Record<ColumnType, DuckType> = { text: 'VARCHAR', int: 'INTEGER', double: 'DOUBLE', bool: 'BOOLEAN' };

/** The published table as the plan declares it: the columns of publish/schema.ts with their DuckDB types. */
export const PUBLISHED_TABLE: PlanTable = {
  name: 'spm_published',
  kind: 'table',
  columns: COLUMNS.map((c) => ({ name: c.name, type: DUCK_TYPE[c.type] })),
};

/** The data note of a project's published rows (synthetic sample data say so in every row). */
export function dataNoteOf(project: Project): string | null {
  return project.config.synthetic ? 'synthetische Beispieldaten' : null;
}

/**
 * The publish steps of the plan: the masked table every output reads, then (when only
 * some years or indicators are published) the others dropped from it.
 */
export function publishSteps(
  dataNote: string | null,
  years?: readonly number[],
  /** The published table in its own compressed in-memory database (runs without a database file). */
  compressed = false,
  /** Publish only these indicators (`compute --indicator`); the others were computed and protected. */
  indicators?: readonly string[],
  /**
   * A small project (see `SMALL_PUBLISHED_ROWS` in api/session.ts; not with `compressed`): the table in
   * one statement (`one` of {@link publishedTableSql}) instead of two that DuckDB can spill one by one.
   */
  oneStatement = false,
): SqlStep[] {
  const q = publishedTableSql(dataNote, true, compressed);
  const target = compressed ? `${PUBLISHED_CATALOG}.spm_published` : 'spm_published';
  const masked =
    'Spalten aus publish/schema.ts; gesperrte Zeilen zeigen nur „gesperrt“, ohne Zahlen, Vergleiche, Veränderungen, Trend und Ampel';
  const table = (description: string, sql: CompiledSql): SqlStep => ({
    kind: 'sql',
    id: 'publish',
    stage: 'publish',
    indicators: 'all',
    produces: PUBLISHED_TABLE,
    description,
    sql,
  });
  const steps: SqlStep[] =
    oneStatement && !compressed
      ? [table(`Veröffentlichte Tabelle (kennzahlen.*), sortiert: ${masked}`, q.one)]
      : [
          {
            kind: 'sql',
            id: 'publish_rows',
            stage: 'publish',
            indicators: 'all',
            description: `Veröffentlichte Zeilen, noch unsortiert (temporär): ${masked}`,
            sql: q.rows,
          },
          table(
            'Veröffentlichte Tabelle (kennzahlen.*): die Zeilen sortiert (ein eigener Schritt, damit DuckDB beides auslagern kann)' +
              (compressed
                ? `, komprimiert in einer eigenen In-Memory-Datenbank (${PUBLISHED_CATALOG}; spm_published ist eine Sicht darauf)`
                : ''),
            q.sorted,
          ),
        ];
  // a selection drops the other rows from the published table (one DELETE with a list parameter)
  const keepOnly = (id: string, description: string, column: string, list: (p: Params) => string): void => {
    const p = new Params();
    const sql = `DELETE FROM ${target} WHERE NOT list_contains(${list(p)}, ${column})`;
    steps.push({
      kind: 'sql',
      id,
      stage: 'publish',
      indicators: 'all',
      produces: PUBLISHED_TABLE,
      description,
      sql: { sql, parameters: p.values },
    });
  };
  if (years !== undefined)
    keepOnly(
      'publish_years',
      `Nur die gewählten Jahre veröffentlichen (${years.join(', ')}); die übrigen wurden nur als Vorjahr, Basisjahr und Trend gerechnet`,
      'year',
      (p) => p.addIntList(years.map((y) => Math.trunc(y))),
    );
  if (indicators !== undefined)
    keepOnly(
      'publish_indicators',
      `Nur die gewählten Indikatoren veröffentlichen (${indicators.join(', ')}); die übrigen wurden mitgerechnet und mitgeschützt, damit jede Teilveröffentlichung dieselben Sperrungen hat wie der ganze Satz`,
      'indicator_id',
      (p) => p.addTextList(indicators),
    );
  return steps;
}

/** SELECT of the published columns in their fixed order. */
export const PUBLISHED_SELECT = `SELECT ${PUBLISHED_COLUMNS.join(', ')} FROM spm_published`;

/** The same columns from the unmasked internal table (only on explicit request). */
export const INTERNAL_SELECT = `SELECT ${PUBLISHED_COLUMNS.join(', ')}, 'UNMASKIERT – nur für den internen Gebrauch' AS masking FROM spm_internal`;
