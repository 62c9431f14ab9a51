/**
 * Loading one source: validate every row (shape, area, period, cells, keys) and
 * bulk-load the accepted rows into `src_<id>`: structurally clean files through
 * DuckDB's CSV reader with validation in SQL (fast.ts), all others through the
 * streaming JS reader and a normalized temp CSV.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';
import type { SourceConfig } from '../config/schema.js';
import type { Project } from '../config/project.js';
import { UserError, type Issue } from '../util/issues.js';
import { quoteIdent } from '../util/sql.js';
import type { AreaIndex } from './areas.js';
import { createSourceTable, isNumericType, SegmentedLoader, sourceColumns } from './db.js';
import { FastSource, type FastGroupResult, type FastPrepared, type FastSkip } from './fast.js';
import { msg } from './messages.js';
import { displayPath, escapesProject, expandFiles } from './paths.js';
import { linksOutside } from '../util/links.js';
import { readExcelFile } from './excel.js';
import { readCsvFile, type ReaderSink, type ReadFileResult } from './reader.js';
import { writeTotals, type PublishedTotal } from './totals.js';
import { findColumn, isExcelFile, needsReshape, periodFromFileName, refName, Reshaper } from './reshape.js';
import { RowValidator, SourceShape } from './rows.js';
import type { FileAccounting, LoadedColumn, LoadedSource, RejectedRow } from './types.js';

export interface IngestOptions {
  tmpDir: string;
  onProgress?: (e: { source: string; file: string; rows: number }) => void;
  /**
   * Load path (internal, for tests and benchmarks): `auto` (default) loads
   * structurally clean files through DuckDB's CSV reader and SQL validation and
   * everything else through the JS reader; `js` always the JS reader; `sql` is
   * `auto` (a file that is not clean still needs the JS reader).
   */
  path?: 'auto' | 'js' | 'sql';
  /** Which path loaded a file, and why not the fast one; `files`: how many files one read_csv read with it. */
  onPath?: (e: { source: string; file: string; path: 'js' | 'sql'; why?: string; files?: number }) => void;
  /** Called once with every source file (absolute paths) before the first one is read, e.g. to size DuckDB's threads. */
  beforeRead?: (files: readonly string[]) => Promise<void>;
}

export interface SourceResult {
  loaded: LoadedSource;
  rejects: RejectedRow[];
  issues: Issue[];
}

const PROGRESS_EVERY = 1 << 17;
/** At most this many files in one read_csv (their scans wait in memory until loaded). */
const MAX_GROUP_FILES = 128;

interface DupRef {
  file: string;
  fileIdx: number;
  line: number;
  area: string;
  year: number;
}

/** Resolves a source's file patterns; throws UserError for escaping patterns or no match. */
export async function sourceFiles(project: Project, source: SourceConfig, index: number): Promise<string[]> {
  const patterns = typeof source.files === 'string' ? [source.files] : source.files;
  const bad = patterns.filter(escapesProject);
  if (bad.length > 0)
    throw new UserError(
      bad.map((p) => ({
        severity: 'error' as const,
        code: 'source.pattern_escapes',
        message: msg.patternEscapes(source.id, p),
        path: `sources[${index}].files`,
      })),
    );
  const files = await expandFiles(project.root, patterns);
  const outside = project.config.settings.allow_links_outside_project
    ? []
    : linksOutside(project.root, files, `sources[${index}].files`);
  if (outside.length > 0) throw new UserError(outside);
  if (files.length === 0)
    throw new UserError({
      severity: 'error',
      code: 'source.no_files',
      message: msg.noFiles(source.id, patterns),
      path: `sources[${index}].files`,
    });
  return files;
}

export async function loadSource(
  conn: DuckDBConnection,
  project: Project,
  source: SourceConfig,
  files: readonly string[],
  areas: AreaIndex,
  opts: IngestOptions,
): Promise<SourceResult> {
  const level = source.area.level;
  const table = `src_${source.id}`;
  const shape = new SourceShape(source);
  const aggregated = shape.aggregated;
  const columns: LoadedColumn[] = Object.entries(source.columns).map(([name, spec]) => ({ name, type: spec.type }));
  const physical = sourceColumns(columns, aggregated);
  await createSourceTable(conn, table, physical);

  const rejects: RejectedRow[] = [];
  const issues: Issue[] = [];
  const accounts: FileAccounting[] = [];
  const totals: PublishedTotal[] = [];
  // configured header texts (positions are not searched for)
  const texts = (refs: readonly (string | number | undefined)[]): string[] =>
    refs.filter((r): r is string => typeof r === 'string');
  const colRefs = Object.values(source.columns).map((c) => c.header);
  const hints = {
    keyHeaders: texts([source.area.column]),
    allHeaders: texts([source.area.column, source.period.column, ...colRefs]),
    numericHeaders: texts(colRefs.filter((_, i) => shape.colNumeric[i])),
  };
  const mode = opts.path ?? 'auto';
  // reshaped files and per-column number formats are read by the JS path only
  const reshape = needsReshape(source, files);
  const perColumnFormat = Object.values(source.columns).some(
    (c) => c.decimal !== undefined || c.thousands !== undefined || c.symbols !== undefined,
  );
  const jsOnly = reshape
    ? 'Dateiform (Kopfzeilen, Zeitraum, Position oder Excel)'
    : perColumnFormat
      ? 'Zahlenformat oder Zeichen je Spalte'
      : source.area.match !== 'code'
        ? 'Gebiete nach Namen (area.match)'
        : null;
  const fast =
    mode === 'js' || jsOnly !== null ? null : new FastSource(conn, shape, table, physical, areas, opts.tmpDir);

  /** A file that vanished or cannot be read: the user's problem, named. */
  const unreadable = (e: unknown, display: string): unknown => {
    if (e instanceof UserError) return e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      return new UserError({
        severity: 'error',
        code: 'source.unreadable',
        message: msg.fileMissing(display),
        file: display,
      });
    return e;
  };

  /** The streaming JS reader (files the fast path does not take). */
  const jsLoad = async (
    fi: number,
    abs: string,
    display: string,
  ): Promise<{ result: ReadFileResult; v: RowValidator; written: number; reshaper: Reshaper | null }> => {
    let written = 0;
    let reshaper: Reshaper | null = null;
    const tmpBase = path.join(opts.tmpDir, `spm_ingest_${source.id}_${process.pid}_${fi}`);
    const writer = new SegmentedLoader(conn, table, tmpBase, display, physical);
    const val = new RowValidator(shape, display, areas);
    const row = (fields: string[], line: number, raw: string, bad: boolean): void => {
      if (!val.row(fields, line, raw, bad)) return;
      writer.write(val.out + '\n');
      written++;
      if ((written & (PROGRESS_EVERY - 1)) === 0)
        opts.onProgress?.({ source: source.id, file: display, rows: written });
    };
    let result: ReadFileResult;
    try {
      let sink: ReaderSink = { header: (fields, line, read) => val.header(fields, line, read), row };
      if (reshape) {
        const p = source.period;
        const fixed =
          p.value !== undefined
            ? String(p.value)
            : p.from_file_name !== undefined
              ? periodFromFileName(p, abs, display)
              : null;
        reshaper = new Reshaper(
          source,
          {
            header: (f, l, r) => val.fixedLayout(l, r, f),
            row,
            ragged: (l, w, n, raw) => val.rejectRagged(l, w, n, raw),
            blockLabel: (l, raw) => val.rejectBlockLabel(l, raw),
          },
          display,
          fixed,
        );
        sink = reshaper;
      }
      result = isExcelFile(abs)
        ? await readExcelFile(abs, display, source.read, hints, sink)
        : await readCsvFile(abs, display, source.read, hints, sink);
    } catch (e) {
      await writer.abort();
      throw unreadable(e, display);
    }
    await writer.finish();
    opts.onProgress?.({ source: source.id, file: display, rows: written });
    return { result, v: val, written, reshaper };
  };

  /** Issues, rejects, totals and the accounting of one loaded file (in file order). */
  const finish = (
    display: string,
    result: ReadFileResult,
    v: RowValidator,
    written: number,
    reshaper: Reshaper | null,
  ): void => {
    issues.push(...result.issues);
    // a pinned skip_bottom must not drop a data row (a file without the footer it expects)
    for (const f of result.pinnedFooters ?? []) {
      const area = v.dataRowArea(reshaper !== null ? reshaper.areaCell(f.fields) : f.fields[v.areaIdx]);
      if (area !== undefined)
        issues.push({
          severity: 'error',
          code: 'source.footer_is_data',
          message: msg.pinnedFooterIsData(result.read.skip_bottom, area),
          file: display,
          line: f.line,
          column: refName(source.area.column),
        });
    }
    const tooLong = result.issues.some((i) => i.code === 'csv.line_too_long');
    // a line too long is refused with its own reason: "empty" would be false
    if (!tooLong && result.empty)
      issues.push({ severity: 'error', code: 'source.empty_file', message: msg.emptyFile(display), file: display });
    else if (!tooLong && result.rows === 0)
      issues.push({
        severity: 'error',
        code: 'source.no_data_rows',
        message: msg.noDataRows(display),
        file: display,
        line: result.headerLine,
      });
    issues.push(...v.fileIssues());
    rejects.push(...v.fileRejects);
    totals.push(...[...v.totals].sort((a, b) => a.line - b.line));
    accounts.push({
      file: display,
      sha256: result.sha256,
      bytes: result.bytes,
      read: result.read,
      header: result.header,
      // a wide file yields one record per line and period: those are the rows counted
      rows_read: reshaper !== null ? reshaper.records : result.rows,
      rows_loaded: written,
      rows_rejected: v.rejected,
      skipped_lines: result.skipped,
    });
  };

  // clean files wait here until a file of another layout (or the end) comes: consecutive files
  // of the same layout are read by one read_csv, in file order
  let pending: FastPrepared[] = [];
  let oneByOne = false;
  const flush = async (): Promise<void> => {
    while (fast !== null && pending.length > 0) {
      const group = oneByOne ? pending.slice(0, 1) : pending;
      let r: FastGroupResult;
      try {
        r = await fast.loadGroup(group);
      } catch (e) {
        const p = (e as NodeJS.ErrnoException).path;
        throw unreadable(e, group.find((f) => f.abs === p)?.display ?? group[0]!.display);
      }
      r.loaded.forEach((x, i) => {
        const f = group[i]!;
        opts.onPath?.({ source: source.id, file: f.display, path: 'sql', files: group.length });
        opts.onProgress?.({ source: source.id, file: f.display, rows: x.written });
        finish(f.display, x.result, x.validator, x.written, null);
      });
      pending = pending.slice(r.loaded.length);
      if (r.split) oneByOne = true;
      else if (r.failed !== undefined) {
        const f = pending.shift()!;
        opts.onPath?.({ source: source.id, file: f.display, path: 'js', why: r.failed.why });
        const j = await jsLoad(f.fileIdx, f.abs, f.display);
        finish(f.display, j.result, j.v, j.written, j.reshaper);
      }
    }
  };

  try {
    for (let fi = 0; fi < files.length; fi++) {
      const abs = files[fi]!;
      const display = displayPath(project.root, abs);
      if (fast !== null) {
        let fr: FastPrepared | FastSkip;
        try {
          fr = await fast.prepareFile(abs, display, fi, hints);
        } catch (e) {
          throw unreadable(e, display);
        }
        if (fr.ok) {
          if (pending.length > 0 && (pending[0]!.key !== fr.key || pending.length >= MAX_GROUP_FILES)) await flush();
          pending.push(fr);
          continue;
        }
        await flush();
        opts.onPath?.({ source: source.id, file: display, path: 'js', why: fr.why });
      } else opts.onPath?.({ source: source.id, file: display, path: 'js', why: jsOnly ?? 'path: js' });
      const j = await jsLoad(fi, abs, display);
      finish(display, j.result, j.v, j.written, j.reshaper);
    }
    await flush();
  } finally {
    await fast?.dispose();
  }

  // duplicate keys: every row of a duplicated key is rejected and removed (found in SQL over the
  // loaded table: fetching every row's key into JS cost more than loading the rows)
  if (aggregated) {
    const texts = shape.textCols.map((i) => quoteIdent(Object.keys(source.columns)[i]!));
    const key = ['area_id', 'year', ...texts].join(', ');
    const r = await conn.runAndReadAll(
      `SELECT g, list_position($1, _file) AS fp, _line, area_id, year, rid FROM (` +
        `SELECT _file, _line, area_id, year, rowid AS rid, count(*) OVER (PARTITION BY ${key}) AS n, ` +
        `dense_rank() OVER (ORDER BY ${key}) AS g FROM ${quoteIdent(table)}) WHERE n > 1 ORDER BY g, fp, _line`,
      [listValue(accounts.map((a) => a.file))],
    );
    const groups: DupRef[][] = [];
    let lastG: unknown = null;
    for (const row of r.getRows()) {
      if (row[0] !== lastG) groups.push([]);
      lastG = row[0];
      const fileIdx = Number(row[1]) - 1;
      groups[groups.length - 1]!.push({
        file: accounts[fileIdx]!.file,
        fileIdx,
        line: Number(row[2]),
        area: row[3] as string,
        year: Number(row[4]),
      });
    }
    for (const refs of groups) {
      // an area named like an area of another level (Hamburg's Stadtteil Eimsbüttel and its Bezirk):
      // the later row is that area's total, not a second Merkmal of a long file
      const namesake = source.area.match !== 'code' ? areas.namesake(refs[0]!.area) : undefined;
      const hint = namesake ? [] : textKeyHint(accounts[refs[0]!.fileIdx]?.header ?? [], source);
      for (const r of refs) {
        const others = refs
          .filter((o) => o !== r)
          .map((o) => (o.file === r.file ? `Zeile ${o.line}` : `${o.file}:${o.line}`));
        rejects.push({
          source: source.id,
          file: r.file,
          line: r.line,
          column: shape.areaHeader,
          code: 'duplicate_key',
          reason:
            msg.duplicateKey(r.area, r.year, others, hint) +
            (namesake ? msg.duplicateNamesake(namesake.name, namesake.levelLabel, namesake.id) : ''),
          severity: 'error',
          area_id: r.area,
          year: r.year,
        });
        const acc = accounts[r.fileIdx]!;
        acc.rows_loaded--;
        acc.rows_rejected++;
      }
    }
    if (groups.length > 0)
      await conn.run(`DELETE FROM ${quoteIdent(table)} WHERE rowid IN (SELECT unnest($1::BIGINT[]))`, [
        listValue(r.getRows().map((row) => row[5] as bigint)),
      ]);
  }
  rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

  const years = await yearsAndDecimals(conn, table, columns);
  if (aggregated) await writeTotals(conn, source.id, columns, totals);
  const sum = (k: 'rows_read' | 'rows_loaded' | 'rows_rejected'): number => accounts.reduce((s, a) => s + a[k], 0);
  const loaded: LoadedSource = {
    id: source.id,
    table,
    kind: source.kind,
    level,
    years,
    columns,
    publishedTotals: totals.length,
    accounting: {
      source: source.id,
      files: accounts,
      rows_read: sum('rows_read'),
      rows_loaded: sum('rows_loaded'),
      rows_rejected: sum('rows_rejected'),
      rows_totals: rejects.filter((r) => r.code === 'total_row').length,
      rows_outside_project: rejects.filter((r) => r.code === 'outside_project').length,
    },
  };
  return { loaded, rejects, issues };
}

/**
 * Columns of the file that the source does not use (candidates for text key columns
 * of a long-format file: Indikator, Ausprägung, Geschlecht ...).
 */
function textKeyHint(header: readonly string[], source: SourceConfig): string[] {
  const used = new Set<number>();
  const refs = [source.area.column, source.period.column, ...Object.values(source.columns).map((c) => c.header)];
  for (const r of refs) if (r !== undefined) used.add(findColumn(header, r));
  return header
    .filter((h, i) => !used.has(i) && h !== '' && !/^Spalte \d+$/.test(h))
    .slice(0, 5)
    .map((h) => refName(h));
}

const MAX_DECIMALS = 6;

/**
 * The years in the loaded table (ascending), and `decimals` of the numeric columns from the
 * loaded values (same for both load paths): one pass over the table.
 */
async function yearsAndDecimals(conn: DuckDBConnection, table: string, columns: LoadedColumn[]): Promise<number[]> {
  const numeric = columns.filter((c) => isNumericType(c.type));
  const expr = (c: string): string => {
    const whens = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => `WHEN ${c} = round(${c}, ${d}) THEN ${d}`).join(
      ' ',
    );
    return `max(CASE WHEN ${c} IS NULL THEN 0 ${whens} ELSE ${MAX_DECIMALS + 1} END)`;
  };
  const res = await conn.runAndReadAll(
    `SELECT list_sort(list(DISTINCT year) FILTER (WHERE year IS NOT NULL))${numeric.map((c, i) => `, ${expr(quoteIdent(c.name))} AS d${i}`).join('')} FROM ${quoteIdent(table)}`,
  );
  const row = res.getRows()[0] ?? [];
  numeric.forEach((c, i) => {
    const d = row[i + 1] === null || row[i + 1] === undefined ? null : Number(row[i + 1]);
    if (d !== null && d <= MAX_DECIMALS) c.decimals = d;
  });
  const list = row[0] as { items: unknown[] } | null | undefined;
  return (list?.items ?? []).map((v) => Number(v));
}
