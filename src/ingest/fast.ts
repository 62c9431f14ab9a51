/**
 * DuckDB fast path of ingest for structurally clean files (see scan.ts).
 *
 * DuckDB reads the data block with `read_csv(all_varchar)`; SQL trims, validates
 * and converts every cell vectorised and inserts the rows it accepts as clean
 * straight into `src_<id>`. A row SQL does not accept as clean (a reject, a
 * repaired area id, a provisional marker, an unusual spelling) is inserted as a
 * placeholder with a negative `_line`; those few lines are then re-read from the
 * file and run through the same `RowValidator` as the JS path, which rejects them
 * or fills the placeholder in place (UPDATE, so rows keep file order). Both paths
 * therefore give the same table, the same rejects and the same accounting.
 *
 * The SQL only accepts a cell when the JS parser would accept it with the same
 * value; anything it is not sure about goes to the JS validator. Cell text never
 * enters SQL text: the file name, separators and symbol lists are parameters,
 * everything else is fixed text of this module.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';
import type { ColumnType, SourceConfig } from '../config/schema.js';
import { UserError } from '../util/issues.js';
import { quoteIdent, sqlString } from '../util/sql.js';
import type { AreaIndex } from './areas.js';
import { CellParser, FLAG_MISSING, FLAG_SUPPRESSED } from './cells.js';
import { loadTempCsv } from './db.js';
import { splitLoose, type ReaderHints } from './reader.js';
import { RowValidator, type SourceShape } from './rows.js';
import { CHECKPOINT_EVERY, scanFile, type CleanScan } from './scan.js';
import type { ReadFileResult } from './reader.js';

/** Every character JavaScript's String.prototype.trim removes (DuckDB `trim(s, chars)` gets them as a parameter). */
export const JS_WHITESPACE = (() => {
  let s = '';
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    if (ch.trim() === '') s += ch;
  }
  return s;
})();

const AREAS_TABLE = 'spm_fast_areas';
const AREA_TYPE = 'spm_fast_area';
const SAMPLES_TABLE = 'spm_fast_samples';
const FIX_TABLE = 'spm_fast_fix';
const PUNT_BATCH = 10000;
/** More rows for the JS validator than this (and this share): the JS path is cheaper. */
const MAX_PUNT_ROWS = 20000;
const MAX_PUNT_SHARE = 0.2;

const TRUE_WORDS = ['ja', 'j', '1', 'true', 'wahr'];
const FALSE_WORDS = ['nein', 'n', '0', 'false', 'falsch'];

/** The fast path gives up on a file (then the JS path loads it). */
class FastFallback extends Error {}

export interface FastFileResult {
  ok: true;
  result: ReadFileResult;
  validator: RowValidator;
  written: number;
}

export interface FastSkip {
  ok: false;
  why: string;
}

/** A clean file, scanned and its header checked, not yet loaded. */
export interface FastPrepared {
  ok: true;
  abs: string;
  display: string;
  fileIdx: number;
  scan: CleanScan;
  v: RowValidator;
  /** Files with the same key are read by one read_csv (same options and column positions). */
  key: string;
}

export interface FastGroupResult {
  loaded: FastFileResult[];
  failed?: { why: string };
  split: boolean;
}

/** Per-source state of the fast path: the area ids as a temp table. */
export class FastSource {
  private prepared = false;

  constructor(
    private readonly conn: DuckDBConnection,
    readonly shape: SourceShape,
    readonly table: string,
    readonly physical: readonly [string, string][],
    private readonly areas: AreaIndex,
    private readonly tmpDir: string,
  ) {}

  private get source(): SourceConfig {
    return this.shape.source;
  }

  /** Valid-from / valid-to years by area position (null if no area has any). */
  private validity: { from: (number | null)[]; to: (number | null)[] } | null = null;
  private areaCount = 0;

  /**
   * Area ids become an ENUM type: `TRY_CAST(cell AS spm_fast_area)` is NULL for an id
   * the area list does not know (a hash lookup, no join that could reorder rows).
   */
  private async prepare(): Promise<void> {
    if (this.prepared) return;
    const conn = this.conn;
    this.prepared = true;
    const ids: string[] = [];
    const from: (number | null)[] = [];
    const to: (number | null)[] = [];
    for (const [id, s] of this.areas.deliveredAt(this.source.area.level)) {
      ids.push(id);
      from.push(s.valid_from ?? null);
      // an old code of a boundary change: its later rows are carried to the new codes, not rejected
      to.push(s.carried !== undefined ? (s.carried.until ?? null) : (s.valid_to ?? null));
    }
    this.areaCount = ids.length;
    if (from.some((x) => x !== null) || to.some((x) => x !== null)) this.validity = { from, to };
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${AREAS_TABLE} (pos INTEGER, id VARCHAR)`);
    const a = await conn.createAppender(AREAS_TABLE, 'main', 'temp');
    ids.forEach((id, i) => {
      a.appendInteger(i);
      a.appendVarchar(id);
      a.endRow();
    });
    a.closeSync();
    await conn.run(
      `DROP TYPE IF EXISTS ${AREA_TYPE}` +
        (ids.length > 0
          ? `; CREATE TYPE ${AREA_TYPE} AS ENUM (SELECT id FROM temp.main.${AREAS_TABLE} ORDER BY pos)`
          : ''),
    );
  }

  private fixTable = false;

  /** The temp table for rows the JS validator filled in (only when a file has any). */
  private async emptyFixTable(): Promise<void> {
    if (this.fixTable) {
      await this.conn.run(`DELETE FROM temp.main.${FIX_TABLE}`);
      return;
    }
    const defs = ['_file VARCHAR', ...this.physical.map(([n, t]) => `${quoteIdent(n)} ${t}`)].join(', ');
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${FIX_TABLE} (${defs})`);
    this.fixTable = true;
  }

  async dispose(): Promise<void> {
    if (!this.prepared) return;
    // one call for the four (fixed names, no parameters)
    await this.conn.run(
      `DROP TABLE IF EXISTS temp.main.${AREAS_TABLE}; DROP TABLE IF EXISTS temp.main.${FIX_TABLE}; ` +
        `DROP TABLE IF EXISTS temp.main.${SAMPLES_TABLE}; DROP TYPE IF EXISTS ${AREA_TYPE}`,
    );
  }

  /**
   * Scans one file and checks its header (a UserError like the JS path when a configured
   * header is missing); `ok: false` when the file needs the JS path. Nothing is loaded yet:
   * `loadGroup` loads consecutive prepared files whose `key` is the same with one read_csv.
   */
  async prepareFile(
    abs: string,
    display: string,
    fileIdx: number,
    hints: ReaderHints,
  ): Promise<FastPrepared | FastSkip> {
    const fh = await fsp.open(abs, 'r');
    let scan: CleanScan;
    try {
      const sc = await scanFile(fh, display, this.source.read, hints);
      if (!sc.clean) return { ok: false, why: sc.why };
      scan = sc;
    } finally {
      await fh.close();
    }
    const v = new RowValidator(this.shape, display, this.areas);
    v.header(scan.header, scan.headerLine, scan.read); // throws UserError like the JS path
    if (
      this.source.read.symbols.zero
        .concat(this.source.read.symbols.missing, this.source.read.symbols.suppressed)
        .some((x) => /[0-9]/.test(x))
    )
      return { ok: false, why: 'Symbol mit Ziffern' };
    await this.prepare();
    if (this.areaCount === 0) return { ok: false, why: 'keine Gebiete' };
    // everything the SQL text and read_csv's options depend on; a file with footer lines is read alone
    const key = JSON.stringify([
      scan.head.delim,
      scan.head.quote,
      scan.headerLine,
      scan.duckEncoding,
      scan.fieldCount,
      scan.footers > 0 ? `footers:${fileIdx}` : 0,
      v.width,
      v.areaIdx,
      v.periodIdx,
      v.colIdx,
      scan.read.decimal,
      scan.read.thousands,
      scan.read.detected.includes('decimal'),
    ]);
    return { ok: true, abs, display, fileIdx, scan, v, key };
  }

  /**
   * Loads prepared files (same `key`, in file order) with one INSERT, then runs the rows SQL
   * did not accept through their file's validator. Returns the files loaded, a prefix of
   * `group`; when a file must go to the JS path instead, `failed` says why: it is
   * `group[loaded.length]`, and neither it nor any later file of the group stays loaded (so
   * rows keep file order when the caller loads it and then the rest). `split`: the group's
   * INSERT failed, the caller should load the remaining files one at a time.
   */
  async loadGroup(group: readonly FastPrepared[]): Promise<FastGroupResult> {
    const tmpPath = path.join(this.tmpDir, `spm_fast_${this.source.id}_${process.pid}_${group[0]!.fileIdx}.csv`);
    const loaded: FastFileResult[] = [];
    try {
      try {
        await this.insertGroup(group);
      } catch (e) {
        if (e instanceof UserError) throw e;
        // DuckDB saw a file differently than the scan (or failed): nothing of the group stays loaded
        await this.deleteFiles(group);
        const m = (e as Error).message.split('\n')[0]!;
        if (group.length > 1) return { loaded, split: true };
        return { loaded, failed: { why: e instanceof FastFallback ? m : `DuckDB: ${m}` }, split: false };
      }
      const punts = await this.puntCounts();
      for (let i = 0; i < group.length; i++) {
        const f = group[i]!;
        let written: number;
        try {
          written = await this.fixPunts(f, punts.get(f.display) ?? 0, tmpPath);
        } catch (e) {
          if (e instanceof UserError) throw e;
          await this.deleteFiles(group.slice(i));
          const m = (e as Error).message.split('\n')[0]!;
          return { loaded, failed: { why: e instanceof FastFallback ? m : `DuckDB: ${m}` }, split: false };
        }
        const scan = f.scan;
        const result: ReadFileResult = {
          file: f.display,
          sha256: scan.sha256,
          bytes: scan.bytes,
          read: scan.read,
          header: scan.header,
          headerLine: scan.headerLine,
          rows: scan.nData,
          skipped: scan.skipped,
          issues: scan.issues,
          empty: false,
          ...(scan.pinnedFooters.length > 0 ? { pinnedFooters: scan.pinnedFooters } : {}),
        };
        loaded.push({ ok: true, result, validator: f.v, written });
      }
      return { loaded, split: false };
    } finally {
      rmSync(tmpPath, { force: true });
    }
  }

  private async deleteFiles(files: readonly FastPrepared[]): Promise<void> {
    await this.conn.run(`DELETE FROM ${quoteIdent(this.table)} WHERE list_contains($1, _file)`, [
      listValue(files.map((f) => f.display)),
    ]);
  }

  /** Placeholder rows by file (only the group just inserted has any: the others were filled or dropped). */
  private async puntCounts(): Promise<Map<string, number>> {
    const r = await this.conn.runAndReadAll(
      `SELECT _file, count(*) FROM ${quoteIdent(this.table)} WHERE _line < 0 GROUP BY _file`,
    );
    return new Map(r.getRows().map((row) => [row[0] as string, Number(row[1])]));
  }

  /** The SQL load of a group: samples, then the INSERT; checks the row count. */
  private async insertGroup(group: readonly FastPrepared[]): Promise<void> {
    const conn = this.conn;
    const { sql, params } = this.buildSql(group);
    // the sampled lines as the JS reader splits them: DuckDB's row `ord` must show the same fields
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${SAMPLES_TABLE} (ord BIGINT, fields VARCHAR[])`);
    const ap = await conn.createAppender(SAMPLES_TABLE, 'main', 'temp');
    let base = 0;
    for (const f of group) {
      for (const s of f.scan.samples) {
        ap.appendBigInt(BigInt(base + s.line - f.scan.firstData + 1));
        ap.appendValue(listValue(s.fields));
        ap.endRow();
      }
      base += f.scan.nData;
    }
    ap.closeSync();
    const res = await conn.run(sql, params);
    if (res.rowsChanged !== base) throw new FastFallback(`DuckDB las ${res.rowsChanged} statt ${base} Datenzeilen`);
  }

  /** The JS pass over the rows of one file SQL did not accept. Returns the rows loaded. */
  private async fixPunts(f: FastPrepared, nPunt: number, tmpPath: string): Promise<number> {
    const { display, scan, v } = f;
    if (nPunt === 0) return scan.nData;
    const conn = this.conn;
    const t = quoteIdent(this.table);
    if (nPunt > MAX_PUNT_ROWS && nPunt > scan.nData * MAX_PUNT_SHARE)
      throw new FastFallback(`${nPunt} von ${scan.nData} Zeilen nicht in Standardform`);
    let after = 0;
    const fh = await fsp.open(f.abs, 'r');
    try {
      const lines = new LineReader(fh, scan);
      for (;;) {
        const r = await conn.runAndReadAll(
          `SELECT -_line AS l FROM ${t} WHERE _file = $1 AND _line < 0 AND -_line > $2 ORDER BY l LIMIT ${PUNT_BATCH}`,
          [display, after],
        );
        const batch = (r.getColumns()[0] ?? []).map((x) => Number(x));
        if (batch.length === 0) break;
        let out = '';
        for (const line of batch) {
          const text = await lines.text(line);
          if (v.row(splitLoose(text, scan.head.delim, scan.head.quote), line, text, false)) {
            out += v.out + '\n';
          }
        }
        if (out !== '') {
          const fd = openSync(tmpPath, 'w');
          try {
            writeSync(fd, out);
          } finally {
            closeSync(fd);
          }
          await this.emptyFixTable();
          await loadTempCsv(conn, FIX_TABLE, tmpPath, display, this.physical);
          const sets = this.physical.map(([n]) => `${quoteIdent(n)} = f.${quoteIdent(n)}`).join(', ');
          await conn.run(
            `UPDATE ${t} SET ${sets} FROM temp.main.${FIX_TABLE} AS f WHERE ${t}._file = f._file AND ${t}._line = -f._line`,
          );
        }
        after = batch[batch.length - 1]!;
        if (batch.length < PUNT_BATCH) break;
      }
    } finally {
      await fh.close();
    }
    await conn.run(`DELETE FROM ${t} WHERE _file = $1 AND _line < 0`, [display]);
    return scan.nData - v.rejected;
  }

  /**
   * The INSERT of one file. Parameters carry every value; the SQL text is fixed or
   * built from config enums (decimal/thousands) and generated column names.
   *
   * Each cell is first tested in its canonical raw form (`ja`, `12`, `1.344,5`, a
   * symbol, empty), which is what almost all cells look like; only the others are
   * trimmed like `CellParser` does and tested again (CASE evaluates that lazily).
   * What is still not accepted makes the row a placeholder for the JS validator.
   */
  private buildSql(group: readonly FastPrepared[]): { sql: string; params: DuckDBValue[] } {
    // the files of a group share everything in their key: the first one stands for the layout
    const { scan, v } = group[0]!;
    const multi = group.length > 1;
    const source = this.source;
    const shape = this.shape;
    const params: DuckDBValue[] = [];
    const p = (x: DuckDBValue): string => {
      params.push(x);
      return `$${params.length}`;
    };
    /** A parameter that is only bound if the SQL uses it (DuckDB refuses unused ones). */
    const lazy = (x: DuckDBValue): (() => string) => {
      let ref: string | null = null;
      return () => (ref ??= p(x));
    };
    const list = (xs: readonly string[]): (() => string) =>
      xs.length === 0 ? () => 'CAST([] AS VARCHAR[])' : lazy(listValue([...xs]));
    const F = scan.fieldCount;
    const WS = lazy(JS_WHITESPACE);
    const NBSP = lazy('\u00a0');
    const sym = source.read.symbols;
    const Z = list(sym.zero.map((s) => s.trim()));
    const M = list(sym.missing.map((s) => s.trim()));
    const S = list(sym.suppressed.map((s) => s.trim()));
    /** CellParser's trim: only when the cell starts or ends with a control/space or ends with NBSP. */
    const cellTrim = (r: string): string =>
      `(CASE WHEN ${r} < '!' OR right(${r}, 1) <= ' ' OR suffix(${r}, ${NBSP()}) THEN trim(${r}, ${WS()}) ELSE ${r} END)`;
    /**
     * Each value column is classified in two steps: level q2 tests the raw cell (`kr<k>`, NULL
     * when no raw form fits), and only those cells are trimmed (`tr<k>`, level qt) and tested again
     * (`k<k>`, level qk). Trimming every cell cost more than all other tests together; inlining
     * the trim into every later test made the SQL so long that binding it cost more than reading
     * a small file.
     */
    const lt: string[] = [];
    const lk: string[] = [];
    const passRaw = (c: string): void => {
      if (!l2.includes(c)) l2.push(c);
    };
    /** What CellParser makes of an empty cell: class (see below) or 9 (not accepted). */
    const parser = new CellParser(sym, scan.read.decimal, scan.read.thousands, scan.read.detected.includes('decimal'));
    const emptyClass = (type: ColumnType): number => {
      if (parser.parse('', type, '') !== null) return 9;
      if (type === 'boolean') return 2;
      return parser.flag === FLAG_MISSING ? 2 : parser.flag === FLAG_SUPPRESSED ? 3 : parser.value === 0 ? 1 : 9;
    };

    const dec = scan.read.decimal === 'comma' ? ',' : '.';
    const th = scan.read.thousands;
    const reDec = dec === ',' ? ',' : '\\.';
    const intRe =
      th === '.' ? '[0-9]{1,3}(?:\\.[0-9]{3})+|[0-9]+' : th === ',' ? '[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+' : '[0-9]+';
    const countRe = `(?:${intRe})(?:${reDec}[0-9]+)?|${reDec}[0-9]+`;
    const numRe: Record<'count' | 'number' | 'integer', string> = {
      count: countRe,
      number: `-?(?:${countRe})`,
      integer: `-?(?:${intRe})`,
    };
    const norm = (t: string): string => {
      let x = t;
      if (th === '.' || th === ',') x = `replace(${x}, '${th}', '')`;
      if (dec === ',') x = `replace(${x}, ',', '.')`;
      return x;
    };
    const col = (j: number): string => `c${j}`;

    // level 1 (q1): raw cells of the data block, with the line number
    const used = new Set<number>([v.areaIdx, v.periodIdx, ...v.colIdx]);
    // several files: read_csv's file_index picks the file's values out of list parameters
    const perFile = (xs: DuckDBValue[]): string => `list_extract(${p(listValue(xs))}, r.fi + 1)`;
    const firstData = multi ? perFile(group.map((f) => f.scan.firstData)) : p(scan.firstData);
    const base = multi ? perFile(group.map((_, i) => sumData(group.slice(0, i)))) : null;
    const l1: string[] = [
      base === null ? `${firstData} + r.ord - 1 AS line` : `${firstData} + r.ord - ${base} - 1 AS line`,
      ...[...used].sort((x, y) => x - y).map(col),
    ];
    if (multi) l1.push('r.fi AS fi');
    const extra: string[] = [];
    for (let j = v.width; j < F; j++) extra.push(`(c${j} IS NULL OR trim(c${j}, ${WS()}) = '')`);
    l1.push(`${extra.length > 0 ? extra.join(' AND ') : 'true'} AS extra_ok`);

    // level 2 (q2): classes of the cells and the reference year
    const area = col(v.areaIdx);
    const period = col(v.periodIdx);
    const l2: string[] = [
      ...(multi ? ['fi'] : []),
      'line',
      `${area} AS area`,
      `${period} AS period`,
      'extra_ok',
      `TRY_CAST(${area} AS ${AREA_TYPE}) AS ae`,
    ];
    let yearExpr = 'CASE WHEN y0 BETWEEN 1900 AND 2100 THEN y0 END';
    if (source.period.kind === 'kalenderjahr') {
      l2.push(
        `CASE WHEN regexp_full_match(${period}, '[0-9]{4}') THEN TRY_CAST(${period} AS INTEGER) ` +
          `WHEN regexp_full_match(${period}, '[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{4}') THEN TRY_CAST(right(${period}, 4) AS INTEGER) ` +
          `WHEN regexp_full_match(${period}, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') THEN TRY_CAST(left(${period}, 4) AS INTEGER) END AS y0`,
      );
    } else {
      // "2023/24", "2023/2024", "2023 - 24" (spaces only; other spellings go to the JS validator)
      const add = source.period.schuljahr_rule === 'start_year' ? 0 : 1;
      const re = `'^([0-9]{4}) *[/\u2013-] *([0-9]{2}|[0-9]{4})$'`;
      l2.push(`regexp_extract(${period}, ${re}, ['s', 'e']) AS sj`);
      yearExpr =
        `CASE WHEN TRY_CAST(sj.s AS INTEGER) BETWEEN 1900 AND 2100 AND ((strlen(sj.e) = 2 AND TRY_CAST(sj.e AS INTEGER) = (TRY_CAST(sj.s AS INTEGER) + 1) % 100) ` +
        `OR (strlen(sj.e) = 4 AND TRY_CAST(sj.e AS INTEGER) = TRY_CAST(sj.s AS INTEGER) + 1)) THEN TRY_CAST(sj.s AS INTEGER) + ${add} END`;
    }
    const l3: string[] = [...(multi ? ['fi'] : []), 'line', 'area', 'period', 'extra_ok', 'ae', `${yearExpr} AS year`];
    const okParts: string[] = ['extra_ok', 'ae IS NOT NULL', 'year IS NOT NULL'];
    if (this.validity !== null) {
      // -1 for "no bound": a list parameter starting with NULL would lose its type
      const years = (xs: (number | null)[]): string => p(listValue(xs.map((x) => x ?? -1)));
      l3.push(`nullif(list_extract(${years(this.validity.from)}::INTEGER[], enum_code(ae) + 1), -1) AS vf`);
      l3.push(`nullif(list_extract(${years(this.validity.to)}::INTEGER[], enum_code(ae) + 1), -1) AS vt`);
      okParts.push('(vf IS NULL OR year >= vf)', '(vt IS NULL OR year <= vt)');
    }
    const outCols: string[] = ['area', 'year', 'period'];
    shape.colTypes.forEach((type, k) => {
      const c = col(v.colIdx[k]!);
      const e = emptyClass(type);
      if (type === 'text') {
        l2.push(
          `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} >= '!' AND right(${c}, 1) > ' ' AND NOT suffix(${c}, ${NBSP()}) THEN ${c} ELSE nullif(${cellTrim(c)}, '') END AS v${k}`,
        );
        l3.push(`v${k}`);
        outCols.push(`v${k}`);
        return;
      }
      const kr = `kr${k}`;
      const t = `tr${k}`;
      passRaw(c);
      lt.push(`CASE WHEN ${kr} IS NULL THEN ${cellTrim(c)} END AS ${t}`);
      if (type === 'boolean') {
        const ascii = `strlen(${t}) = length(${t})`;
        // list_contains, not IN: DuckDB turns a long IN list into a join evaluated for every row
        const exact = (words: string[]): string =>
          '[' +
          words
            .flatMap((w) => [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)])
            .filter((w, i, a) => a.indexOf(w) === i)
            .map((w) => `'${w}'`)
            .join(', ') +
          ']';
        const lowerWords = (words: string[]): string => '[' + words.map((w) => `'${w}'`).join(', ') + ']';
        l2.push(
          `CASE WHEN ${c} = 'ja' THEN 1 WHEN ${c} = 'nein' THEN 0 WHEN ${c} IS NULL THEN ${e} ` +
            `WHEN list_contains(${exact(TRUE_WORDS)}, ${c}) THEN 1 WHEN list_contains(${exact(FALSE_WORDS)}, ${c}) THEN 0 END AS ${kr}`,
        );
        lk.push(
          `CASE WHEN ${kr} IS NOT NULL THEN ${kr} ` +
            `WHEN ${ascii} AND list_contains(${lowerWords(TRUE_WORDS)}, lower(${t})) THEN 1 ` +
            `WHEN ${ascii} AND list_contains(${lowerWords(FALSE_WORDS)}, lower(${t})) THEN 0 ` +
            `WHEN ${t} <> 'x' AND ${t} <> 'X' AND NOT list_contains(${Z()}, ${t}) AND (list_contains(${M()}, ${t}) OR list_contains(${S()}, ${t})) THEN 2 ` +
            `ELSE 9 END AS k${k}`,
        );
        l3.push(`k${k}`, `CASE k${k} WHEN 1 THEN true WHEN 0 THEN false END AS v${k}`);
        okParts.push(`k${k} <> 9`);
        outCols.push(`v${k}`);
        return;
      }
      // numbers: 0 plain digits, 4 number in the file's convention, 10 the same after trimming,
      // 1 zero symbol, 2 missing, 3 suppressed, 9 not accepted
      const re = sqlString(numRe[type]);
      l2.push(
        `CASE WHEN regexp_full_match(${c}, '[0-9]{1,15}') THEN 0 WHEN ${c} IS NULL THEN ${e} ` +
          `WHEN strlen(${c}) <= 15 AND regexp_full_match(${c}, ${re}) THEN 4 ` +
          `WHEN list_contains(${Z()}, ${c}) THEN 1 WHEN list_contains(${M()}, ${c}) THEN 2 WHEN list_contains(${S()}, ${c}) THEN 3 END AS ${kr}`,
      );
      lk.push(
        `CASE WHEN ${kr} IS NOT NULL THEN ${kr} ` +
          `WHEN strlen(${t}) <= 15 AND regexp_full_match(${t}, ${re}) THEN 10 ` +
          `WHEN list_contains(${Z()}, ${t}) THEN 1 WHEN list_contains(${M()}, ${t}) THEN 2 WHEN list_contains(${S()}, ${t}) THEN 3 ELSE 9 END AS k${k}`,
      );
      const target = type === 'integer' ? 'BIGINT' : 'DOUBLE';
      const zero = type === 'number' ? ' + 0.0' : ''; // no -0 (as CellParser)
      l3.push(
        `k${k}`,
        `CASE k${k} WHEN 0 THEN CAST(${c} AS ${target}) WHEN 4 THEN CAST(${norm(c)} AS ${target})${zero} ` +
          `WHEN 10 THEN CAST(${norm(t)} AS ${target})${zero} WHEN 1 THEN 0 END AS v${k}`,
      );
      okParts.push(`k${k} <> 9`);
      outCols.push(`v${k}`);
      if (shape.aggregated) {
        l3.push(`CASE k${k} WHEN 2 THEN 'missing' WHEN 3 THEN 'suppressed' END AS f${k}`);
        outCols.push(`f${k}`);
      }
    });

    const columns = '{' + Array.from({ length: F }, (_, j) => `'c${j}': 'VARCHAR'`).join(', ') + '}';
    const fieldList = '[' + Array.from({ length: F }, (_, j) => `coalesce(c${j}, '')`).join(', ') + ']';
    const files = multi ? p(listValue(group.map((f) => f.abs))) : p(group[0]!.abs);
    const csv =
      `read_csv(${files}, delim = ${p(scan.head.delim)}, quote = ${p(scan.head.quote)}, escape = ${p(scan.head.quote)}, ` +
      `header = false, skip = ${p(scan.headerLine)}, columns = ${columns}, auto_detect = false, all_varchar = true, ` +
      `encoding = ${p(scan.duckEncoding)}, null_padding = false, strict_mode = true` +
      (scan.footers > 0 ? ', ignore_errors = true' : '') +
      ')';
    const mismatch = p('spm: Stichprobe der Zeilen stimmt nicht mit DuckDB überein');
    let rows: string;
    if (base === null) rows = `r.ord <= ${p(scan.nData)}`;
    else {
      // a file giving more or fewer rows than scanned moves a row out of its file's range
      const n = perFile(group.map((f) => f.scan.nData));
      const counts = p('spm: Zeilenzahl einer Datei stimmt nicht mit DuckDB überein');
      rows = `(r.ord - ${base} BETWEEN 1 AND ${n} OR error(${counts}))`;
    }
    const fileCol = multi ? `list_extract(${p(listValue(group.map((f) => f.display)))}, fi + 1)` : p(group[0]!.display);
    const sql =
      `INSERT INTO ${quoteIdent(this.table)} ` +
      `SELECT ${fileCol}, CASE WHEN ok THEN line ELSE -line END, ${outCols.join(', ')} FROM (` +
      `SELECT *, coalesce(${okParts.join(' AND ')}, false) AS ok FROM (` +
      `SELECT ${l3.join(', ')} FROM (SELECT *${lk.map((x) => ', ' + x).join('')} FROM (SELECT *${lt.map((x) => ', ' + x).join('')} FROM (` +
      `SELECT ${l2.join(', ')} FROM (` +
      `SELECT ${l1.join(', ')} FROM (SELECT row_number() OVER () AS ord${multi ? ', CAST(file_index AS BIGINT) AS fi' : ''}, * FROM ${csv}) AS r ` +
      `LEFT JOIN temp.main.${SAMPLES_TABLE} AS s ON s.ord = r.ord ` +
      `WHERE ${rows} AND (s.ord IS NULL OR s.fields = ${fieldList} OR error(${mismatch}))` +
      `) AS q1) AS q2) AS qt) AS qk) AS q3) AS q4`;
    return { sql, params };
  }
}

function sumData(files: readonly FastPrepared[]): number {
  return files.reduce((n, f) => n + f.scan.nData, 0);
}

/** Re-reads single data lines of a clean file (ascending), using the scan's checkpoints. */
class LineReader {
  private line: number;
  private pos: number;
  private readonly buf = Buffer.alloc(1 << 20);
  private bufStart = 0;
  private bufLen = 0;
  private size = -1;

  constructor(
    private readonly fh: fsp.FileHandle,
    private readonly scan: CleanScan,
  ) {
    this.line = scan.firstData;
    this.pos = scan.checkpoints[0] ?? 0;
  }

  private async load(from: number): Promise<void> {
    if (this.size < 0) this.size = (await this.fh.stat()).size;
    const { bytesRead } = await this.fh.read(this.buf, 0, this.buf.length, from);
    this.bufStart = from;
    this.bufLen = bytesRead;
  }

  /** File offset of the next newline at or after `from` (file size at the end). */
  private async nextNl(from: number): Promise<number> {
    for (;;) {
      if (from < this.bufStart || from >= this.bufStart + this.bufLen) {
        await this.load(from);
        if (this.bufLen === 0) return from;
      }
      const i = this.buf.subarray(0, this.bufLen).indexOf(10, from - this.bufStart);
      if (i >= 0) return this.bufStart + i;
      from = this.bufStart + this.bufLen;
    }
  }

  async text(target: number): Promise<string> {
    const ci = Math.floor((target - this.scan.firstData) / CHECKPOINT_EVERY);
    const cpLine = this.scan.firstData + ci * CHECKPOINT_EVERY;
    if (cpLine > this.line && ci < this.scan.checkpoints.length) {
      this.line = cpLine;
      this.pos = this.scan.checkpoints[ci]!;
    }
    if (target < this.line) throw new Error('LineReader: lines must ascend');
    while (this.line < target) {
      this.pos = (await this.nextNl(this.pos)) + 1;
      this.line++;
    }
    const nl = await this.nextNl(this.pos);
    let b: Buffer;
    let s: number;
    let e: number;
    if (this.pos >= this.bufStart && nl <= this.bufStart + this.bufLen) {
      b = this.buf;
      s = this.pos - this.bufStart;
      e = nl - this.bufStart;
    } else {
      b = Buffer.alloc(nl - this.pos);
      if (b.length > 0) await this.fh.read(b, 0, b.length, this.pos);
      s = 0;
      e = b.length;
    }
    if (e > s && b[e - 1] === 13) e--;
    return b.toString(this.scan.duckEncoding === 'utf-8' ? 'utf8' : 'latin1', s, e);
  }
}
