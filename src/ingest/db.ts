/**
 * DuckDB side of ingest: table layouts, the normalized temp CSV that carries
 * parsed values into DuckDB (read with explicit column types), and appenders
 * for the small tables. Cell text never enters SQL: values travel as data in
 * the temp file or through the appender; only identifiers (validated config
 * ids, via quoteIdent) and the temp file name (via sqlString) are spliced.
 */
import { closeSync, openSync, writeSync, rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType } from '../config/schema.js';
import { quoteIdent, sqlString } from '../util/sql.js';
import type { AreaRegistry, LoadedColumn, RejectedRow } from './types.js';

export function duckType(t: ColumnType): string {
  switch (t) {
    case 'count':
    case 'number':
      return 'DOUBLE';
    case 'integer':
      return 'BIGINT';
    case 'text':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
  }
}

export function isNumericType(t: ColumnType): boolean {
  return t === 'count' || t === 'number' || t === 'integer';
}

/** The physical columns of a source table after `_file`, in temp-CSV order. */
export function sourceColumns(columns: readonly LoadedColumn[], aggregated: boolean): [string, string][] {
  const out: [string, string][] = [
    ['_line', 'BIGINT'],
    ['area_id', 'VARCHAR'],
    ['year', 'INTEGER'],
    ['period', 'VARCHAR'],
  ];
  for (const c of columns) {
    out.push([c.name, duckType(c.type)]);
    if (aggregated && isNumericType(c.type)) out.push([`${c.name}__flag`, 'VARCHAR']);
  }
  return out;
}

export async function createSourceTable(
  conn: DuckDBConnection,
  table: string,
  cols: readonly [string, string][],
): Promise<void> {
  const defs = [`_file VARCHAR`, ...cols.map(([n, t]) => `${quoteIdent(n)} ${t}`)].join(', ');
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(table)} (${defs})`);
}

/** Quotes a text value for the temp CSV (always quoted, so "" is an empty string, not NULL). */
export function csvText(s: string): string {
  return s.indexOf('"') < 0 ? '"' + s + '"' : '"' + s.replace(/"/g, '""') + '"';
}

/**
 * Writes the normalized temp CSV in segments and loads each finished segment
 * into DuckDB while the next one is being parsed (DuckDB works on its own
 * threads). Segments are inserted strictly in order, so rows keep file order.
 */
export class SegmentedLoader {
  private fd: number | null = null;
  private buf = '';
  private segBytes = 0;
  private seg = 0;
  private chain: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  private readonly paths: string[] = [];

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly table: string,
    private readonly basePath: string,
    private readonly fileDisplay: string,
    private readonly cols: readonly [string, string][],
    private readonly segmentChars = 48 << 20,
  ) {}

  write(rowText: string): void {
    this.buf += rowText;
    if (this.buf.length > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    if (this.fd === null) {
      const p = `${this.basePath}.${this.seg}.csv`;
      this.paths.push(p);
      this.fd = openSync(p, 'w');
    }
    writeSync(this.fd, this.buf);
    this.segBytes += this.buf.length;
    this.buf = '';
    if (this.segBytes >= this.segmentChars) this.rotate();
  }

  private rotate(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    this.segBytes = 0;
    const p = this.paths[this.seg]!;
    this.seg++;
    this.chain = this.chain.then(async () => {
      if (this.failed !== null) return;
      try {
        await loadTempCsv(this.conn, this.table, p, this.fileDisplay, this.cols);
      } catch (e) {
        this.failed = e;
      } finally {
        rmSync(p, { force: true });
      }
    });
  }

  /** Flushes, loads the last segment and waits for all loads. */
  async finish(): Promise<void> {
    this.flush();
    this.rotate();
    await this.chain;
    if (this.failed !== null) throw this.failed;
  }

  /** Abandons the load (after an error): closes and removes the temp files. */
  async abort(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.failed ??= new Error('aborted');
    await this.chain.catch(() => undefined);
    for (const p of this.paths) rmSync(p, { force: true });
  }
}

/** Bulk-loads a temp CSV into the source table; `_file` is bound as a parameter. */
export async function loadTempCsv(
  conn: DuckDBConnection,
  table: string,
  tmpPath: string,
  fileDisplay: string,
  cols: readonly [string, string][],
): Promise<void> {
  const spec = '{' + cols.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(', ') + '}';
  const sql =
    `INSERT INTO ${quoteIdent(table)} SELECT $1::VARCHAR AS _file, * FROM read_csv(${sqlString(tmpPath)}, ` +
    `columns = ${spec}, header = false, delim = ',', quote = '"', escape = '"', auto_detect = false, ` +
    `allow_quoted_nulls = false, new_line = '\\n', strict_mode = true)`;
  await conn.run(sql, [fileDisplay]);
}

export async function writeAreas(conn: DuckDBConnection, reg: AreaRegistry): Promise<void> {
  await conn.run(
    'CREATE OR REPLACE TABLE areas (area_id VARCHAR, area_name VARCHAR, level VARCHAR, depth INTEGER, parent_id VARCHAR, top1_id VARCHAR, valid_from INTEGER, valid_to INTEGER)',
  );
  const h = reg.hierarchy;
  const byId = new Map(reg.areas.map((x) => [x.id, x]));
  const top1 = (id: string): string => {
    let x = byId.get(id)!;
    while (x.depth > 1) x = byId.get(x.parent)!;
    return x.id;
  };
  const t = await conn.createAppender('areas');
  t.appendVarchar(h.top.id);
  t.appendVarchar(h.top.name);
  t.appendVarchar(h.top.level);
  t.appendInteger(0);
  t.appendNull();
  t.appendNull();
  t.appendNull();
  t.appendNull();
  t.endRow();
  for (const x of reg.areas) {
    t.appendVarchar(x.id);
    t.appendVarchar(x.name);
    t.appendVarchar(x.level);
    t.appendInteger(x.depth);
    t.appendVarchar(x.parent);
    t.appendVarchar(top1(x.id));
    if (x.valid_from === undefined) t.appendNull();
    else t.appendInteger(x.valid_from);
    if (x.valid_to === undefined) t.appendNull();
    else t.appendInteger(x.valid_to);
    t.endRow();
  }
  // groups of the second hierarchies: areas without a parent, below every level
  for (const g of reg.groups) {
    t.appendVarchar(g.id);
    t.appendVarchar(g.name);
    t.appendVarchar(g.grouping);
    t.appendInteger(h.levels.length + 1);
    t.appendNull();
    t.appendNull();
    t.appendNull();
    t.appendNull();
    t.endRow();
  }
  t.closeSync();
  await conn.run('CREATE OR REPLACE TABLE area_groups (group_id VARCHAR, area_id VARCHAR)');
  const m = await conn.createAppender('area_groups');
  for (const g of reg.groups) {
    for (const a of g.members) {
      m.appendVarchar(g.id);
      m.appendVarchar(a);
      m.endRow();
    }
  }
  m.closeSync();
  await conn.run('CREATE OR REPLACE TABLE areas_kommune (kommune_ags VARCHAR, kommune_name VARCHAR)');
  await conn.run(
    'CREATE OR REPLACE TABLE areas_sozialraum (sozialraum_id VARCHAR, sozialraum_name VARCHAR, kommune_ags VARCHAR, valid_from INTEGER, valid_to INTEGER)',
  );
  const k = await conn.createAppender('areas_kommune');
  for (const x of reg.kommunen) {
    k.appendVarchar(x.ags);
    k.appendVarchar(x.name);
    k.endRow();
  }
  k.closeSync();
  const s = await conn.createAppender('areas_sozialraum');
  for (const x of reg.sozialraeume) {
    s.appendVarchar(x.id);
    s.appendVarchar(x.name);
    s.appendVarchar(x.kommune_ags);
    if (x.valid_from === undefined) s.appendNull();
    else s.appendInteger(x.valid_from);
    if (x.valid_to === undefined) s.appendNull();
    else s.appendInteger(x.valid_to);
    s.endRow();
  }
  s.closeSync();
}

export async function writeRejects(conn: DuckDBConnection, rejects: readonly RejectedRow[]): Promise<void> {
  await conn.run(
    'CREATE OR REPLACE TABLE rejects (source VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR, code VARCHAR, reason VARCHAR, severity VARCHAR, area_id VARCHAR, year INTEGER)',
  );
  const a = await conn.createAppender('rejects');
  for (const r of rejects) {
    a.appendVarchar(r.source);
    a.appendVarchar(r.file);
    a.appendBigInt(BigInt(r.line));
    if (r.column === undefined) a.appendNull();
    else a.appendVarchar(r.column);
    a.appendVarchar(r.code);
    a.appendVarchar(r.reason);
    a.appendVarchar(r.severity);
    if (r.area_id === undefined) a.appendNull();
    else a.appendVarchar(r.area_id);
    if (r.year === undefined) a.appendNull();
    else a.appendInteger(r.year);
    a.endRow();
  }
  a.closeSync();
}
