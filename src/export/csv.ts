/**
 * German Excel CSV: `;`, decimal comma, UTF-8 with BOM, CRLF — written by
 * DuckDB's own CSV writer (millions of rows without passing through JS), with
 * the German number format and the formula guard done in SQL.
 */
import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeAtomic } from '../util/atomic.js';
import { quoteIdent, sqlString } from '../util/sql.js';
import { bindable } from '../compute/params.js';

/** A DOUBLE as German text: whole numbers without ".0", otherwise the shortest exact digits with a comma. */
export function germanNumberSql(col: string): string {
  return `CASE WHEN ${col} IS NULL THEN NULL
    WHEN ${col} = trunc(${col}) AND abs(${col}) < 1e15 THEN CAST(CAST(${col} AS BIGINT) AS VARCHAR)
    ELSE replace(CAST(${col} AS VARCHAR), '.', ',') END`;
}

/** The first characters that make Excel run a cell as a formula: =, +, -, @, tab, CR. */
const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];
/** Their code points, for {@link safeTextSql}. */
const FORMULA_START_CODES = FORMULA_START.map((c) => c.codePointAt(0)).join(', ');

/**
 * Text for Excel: a leading =, +, -, @, tab or CR would make Excel run the cell
 * as a formula (CSV injection), so such text gets a leading apostrophe.
 *
 * The test reads the first code point (`ascii`, 0 for ''): the same cells as {@link safeTextJs}.
 * `list_contains` on purpose, never `IN (...)`: DuckDB rewrites an IN list of five or more
 * constants into a join, and with that join in the projection its CSV writer no longer kept the
 * rows in order (NRW: 2 million rows written in a different order on every run, 300,000 rows in a
 * test; `tests/export/csv-order.test.ts`).
 */
export function safeTextSql(col: string): string {
  return `CASE WHEN list_contains([${FORMULA_START_CODES}], ascii(${col})) THEN '''' || ${col} ELSE ${col} END`;
}

/**
 * Write the rows of `select` (ordered as given) to `file` as German Excel CSV; returns the row count.
 * @param preamble a line written before the header (after the BOM), e.g. "not for publication"
 */
export async function writeGermanCsv(
  conn: DuckDBConnection,
  select: string,
  file: string,
  params: unknown[] = [],
  preamble?: string,
): Promise<number> {
  const exprs = await germanCsvColumns(conn, select, params, preamble !== undefined);
  return copyGermanCsv(conn, exprs, select, file, params, preamble);
}

/** `conn.run` without an empty parameter list: one call to DuckDB instead of three (extract, prepare, run). */
export function runSql(conn: DuckDBConnection, sql: string, params: readonly unknown[] = []) {
  return params.length === 0 ? conn.runAndReadAll(sql) : conn.runAndReadAll(sql, bindable(params));
}

/** The row count a COPY returns (its only row). */
export function copiedRows(r: Awaited<ReturnType<typeof runSql>>): number {
  return Number(r.getRowsJS()[0]?.[0] ?? 0);
}

/**
 * The German column expressions of `select` (from its column types), for {@link copyGermanCsv}:
 * described once when the same SELECT is written many times with other parameters.
 * @param noBom true when a preamble line carries the BOM instead of the first header name
 */
export async function germanCsvColumns(
  conn: DuckDBConnection,
  select: string,
  params: unknown[] = [],
  noBom = false,
): Promise<string[]> {
  const described = await runSql(conn, `DESCRIBE ${select}`, params);
  const cols = described.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  return germanCsvExpressions(cols, noBom);
}

/**
 * The German column expressions for columns of known DuckDB types (as DESCRIBE names them):
 * what {@link germanCsvColumns} returns, without asking DuckDB.
 */
export function germanCsvExpressions(cols: readonly { name: string; type: string }[], noBom = false): string[] {
  return cols.map((c, i) => {
    const ref = `q.${quoteIdent(c.name)}`;
    // The BOM rides in front of the first header name: DuckDB writes it as the file's first bytes.
    const alias = quoteIdent(i === 0 && !noBom ? `\uFEFF${c.name}` : c.name);
    if (c.type === 'DOUBLE' || c.type === 'FLOAT' || c.type.startsWith('DECIMAL'))
      return `${germanNumberSql(ref)} AS ${alias}`;
    if (c.type === 'BOOLEAN')
      return `CASE WHEN ${ref} IS NULL THEN NULL WHEN ${ref} THEN 'ja' ELSE 'nein' END AS ${alias}`;
    if (c.type === 'VARCHAR') return `${safeTextSql(ref)} AS ${alias}`;
    return `CAST(${ref} AS VARCHAR) AS ${alias}`;
  });
}

/** {@link safeTextSql} in JS: the text a VARCHAR cell shows in spm's CSV files. */
export function safeTextJs(text: string): string {
  return FORMULA_START.includes(text.slice(0, 1)) ? `'${text}` : text;
}

/** The options of DuckDB's CSV writer for German Excel CSV (`;`, `"` quoting, CRLF). */
export const CSV_COPY_OPTIONS = `FORMAT csv, DELIMITER ';', HEADER, QUOTE '"', ESCAPE '"', NEW_LINE '\\r\\n'`;

/**
 * One COPY of `select` with the expressions of {@link germanCsvColumns} to `file` (temp name + rename);
 * returns the number of rows written (the COPY's own count: no second query counts them).
 */
export async function copyGermanCsv(
  conn: DuckDBConnection,
  exprs: readonly string[],
  select: string,
  file: string,
  params: unknown[] = [],
  preamble?: string,
): Promise<number> {
  let rows = 0;
  await writeAtomic(file, async (tmp) => {
    // COPY takes no parameter for its target, hence sqlString (see util/sql.ts).
    rows = copiedRows(
      await runSql(
        conn,
        `COPY (SELECT ${exprs.join(', ')} FROM (${select}) q) TO ${sqlString(tmp)} (${CSV_COPY_OPTIONS})`,
        params,
      ),
    );
    // small files only (the rejected rows): prepend the line in JS
    if (preamble !== undefined)
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`\uFEFF${preamble}\r\n`, 'utf8'), fs.readFileSync(tmp)]));
  });
  return rows;
}
