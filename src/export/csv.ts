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

/**
 * Text for Excel: a leading =, +, -, @, tab or CR would make Excel run the cell
 * as a formula (CSV injection), so such text gets a leading apostrophe.
 */
export function safeTextSql(col: string): string {
  return `CASE WHEN list_contains(['=', '+', '-', '@', chr(9), chr(13)], left(${col}, 1)) THEN '''' || ${col} ELSE ${col} END`;
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
  const counted = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM (${select})`, bindable(params));
  const rows = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
  await copyGermanCsv(conn, exprs, select, file, params, preamble);
  return rows;
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
  const described = await conn.runAndReadAll(`DESCRIBE ${select}`, bindable(params));
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

/** The options of DuckDB's CSV writer for German Excel CSV (`;`, `"` quoting, CRLF). */
export const CSV_COPY_OPTIONS = `FORMAT csv, DELIMITER ';', HEADER, QUOTE '"', ESCAPE '"', NEW_LINE '\\r\\n'`;

/** One COPY of `select` with the expressions of {@link germanCsvColumns} to `file` (temp name + rename). */
export async function copyGermanCsv(
  conn: DuckDBConnection,
  exprs: readonly string[],
  select: string,
  file: string,
  params: unknown[] = [],
  preamble?: string,
): Promise<void> {
  await writeAtomic(file, async (tmp) => {
    // COPY takes no parameter for its target, hence sqlString (see util/sql.ts).
    await conn.run(
      `COPY (SELECT ${exprs.join(', ')} FROM (${select}) q) TO ${sqlString(tmp)} (${CSV_COPY_OPTIONS})`,
      bindable(params),
    );
    // small files only (the rejected rows): prepend the line in JS
    if (preamble !== undefined)
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`\uFEFF${preamble}\r\n`, 'utf8'), fs.readFileSync(tmp)]));
  });
}
