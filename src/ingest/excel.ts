/**
 * Excel workbooks (.xlsx) as sources: one sheet (optionally a cell range) is read
 * with `read-excel-file` and handed to the same sink as a CSV file, with the same
 * header detection (title rows, stacked header rows, footers) and row accounting.
 *
 * Numbers stored as numbers keep their exact text from the workbook XML (no float
 * round trip); numbers stored as text ("20,2", common in city atlases) decide the
 * decimal convention, and stored numbers are written in that convention.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ReadOptions } from '../config/schema.js';
import { UserError, type Issue } from '../util/issues.js';
import { detectNumberFormat } from './cells.js';
import { cleanHeader, dropTrailingEmpty, findHeader } from './fields.js';
import { msg } from './messages.js';
import type { PinnedFooter, ReadFileResult, ReaderHints, ReaderSink } from './reader.js';
import { joinHeaderRows, positionNames } from './reshape.js';
import type { DetectedReadOptions, SkippedLine } from './types.js';

const NUMBER_TAG = '\u0000n:';

/** Column letters to a 0-based index ("A" -> 0, "AA" -> 26). */
function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function parseRange(range: string): { r0: number; r1: number; c0: number; c1: number } {
  const m = /^([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)$/.exec(range)!;
  return { c0: colIndex(m[1]!), r0: Number(m[2]) - 1, c1: colIndex(m[3]!), r1: Number(m[4]) - 1 };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** Reads one sheet of a workbook into the sink; `display` is the project-relative path. */
export async function readExcelFile(
  absPath: string,
  display: string,
  opts: ReadOptions,
  hints: ReaderHints,
  sink: ReaderSink,
): Promise<ReadFileResult> {
  const buf = await readFile(absPath);
  const sha256 = createHash('sha256').update(buf).digest('hex');
  // loaded on the first Excel file only: most projects read CSV
  const { readSheet } = await import('read-excel-file/node');
  let data: unknown[][];
  try {
    // numbers come as their XML text, tagged so that text cells can be told apart
    data = (await readSheet(buf, opts.sheet ?? 1, {
      parseNumber: (s: string) => NUMBER_TAG + s,
      trim: false,
    })) as unknown[][];
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'SheetNotFoundError')
      throw new UserError({
        severity: 'error',
        code: 'source.sheet_missing',
        message: msg.sheetMissing(display, String(opts.sheet)),
        file: display,
      });
    throw new UserError({
      severity: 'error',
      code: 'source.xlsx_unreadable',
      message: msg.xlsxUnreadable(display, (e as Error).message),
      file: display,
    });
  }
  let rowOffset = 0;
  if (opts.range !== undefined) {
    const r = parseRange(opts.range);
    rowOffset = r.r0;
    data = data.slice(r.r0, r.r1 + 1).map((row) => row.slice(r.c0, r.c1 + 1));
  }
  const raw: string[][] = data.map((row) => row.map(cellText));

  // number convention: from numbers stored as text; stored numbers follow it
  const textNums: string[] = [];
  for (const row of raw)
    for (const c of row) if (!c.startsWith(NUMBER_TAG) && /^[-+]?[\d .,]+%?$/.test(c.trim())) textNums.push(c);
  const detected: (keyof ReadOptions)[] = [];
  let decimal: 'comma' | 'point' = opts.decimal === 'auto' ? 'point' : opts.decimal;
  let thousands: DetectedReadOptions['thousands'] = opts.thousands === 'auto' ? 'none' : opts.thousands;
  if (opts.decimal === 'auto' && textNums.length > 0) {
    const nf = detectNumberFormat(textNums.slice(0, 2000), ';');
    decimal = nf.decimal;
    if (opts.thousands === 'auto') thousands = nf.thousands;
  }
  if (opts.decimal === 'auto') detected.push('decimal');
  if (opts.thousands === 'auto') detected.push('thousands');
  const rows = raw.map((row) =>
    row.map((c) => {
      if (!c.startsWith(NUMBER_TAG)) return c;
      const n = c.slice(NUMBER_TAG.length);
      return decimal === 'comma' ? n.replace('.', ',') : n;
    }),
  );

  // header: pinned, or the first row holding a configured header, or the first row as wide as the table
  const nonEmpty = (r: readonly string[]): number => dropTrailingEmpty(r.slice()).length;
  const nHeader = opts.header_rows;
  let headerIdx = -1;
  if (opts.skip_top !== 'auto') headerIdx = opts.skip_top;
  else {
    detected.push('skip_top');
    for (let i = 0; i < Math.min(rows.length, 200) && headerIdx < 0; i++)
      if (hints.keyHeaders.some((h) => findHeader(rows[i]!.map(cleanHeader), h) >= 0))
        headerIdx = Math.max(0, i - Math.max(nHeader, 1) + 1);
    if (headerIdx < 0) {
      const widest = Math.max(0, ...rows.map(nonEmpty));
      headerIdx = Math.max(
        0,
        rows.findIndex((r) => nonEmpty(r) >= Math.max(2, widest)),
      );
    }
  }
  const skipped: SkippedLine[] = [];
  for (let i = 0; i < Math.min(headerIdx, rows.length); i++)
    skipped.push({
      line: i + 1 + rowOffset,
      why: nonEmpty(rows[i]!) === 0 ? 'blank' : 'title',
      text: rows[i]!.join(' ').slice(0, 200),
    });
  const firstData = headerIdx + nHeader;
  const read: DetectedReadOptions = {
    encoding: 'utf-8',
    bom: false,
    delimiter: ';',
    decimal,
    thousands,
    skip_top: headerIdx,
    skip_bottom: 0,
    line_ending: 'lf',
    detected,
  };
  const issues: Issue[] = [];
  if (firstData > rows.length || rows.length === 0)
    return {
      file: display,
      sha256,
      bytes: buf.length,
      read,
      header: [],
      headerLine: 0,
      rows: 0,
      skipped,
      issues,
      empty: true,
    };
  const headerBlock = rows.slice(headerIdx, firstData);
  const dataRows = rows.slice(firstData);
  const width = nHeader === 0 ? Math.max(0, ...dataRows.map(nonEmpty)) : 0;
  const header =
    nHeader === 0
      ? positionNames(width)
      : nHeader === 1
        ? dropTrailingEmpty(headerBlock[0]!.map(cleanHeader))
        : joinHeaderRows(headerBlock);
  // footer: trailing rows with at most one filled cell (notes, "Stand", "©")
  let end = dataRows.length;
  if (opts.skip_bottom !== 'auto') end = Math.max(0, end - opts.skip_bottom);
  else {
    detected.push('skip_bottom');
    while (end > 0 && nonEmpty(dataRows[end - 1]!) <= 1 && header.length > 1) end--;
  }
  const lineOf = (i: number): number => firstData + i + 1 + rowOffset;
  sink.header(
    header,
    firstData + rowOffset,
    read,
    skipped.filter((l) => l.why === 'title').map((l) => l.text),
  );
  let n = 0;
  for (let i = 0; i < end; i++) {
    const r = dataRows[i]!;
    if (nonEmpty(r) === 0) {
      skipped.push({ line: lineOf(i), why: 'blank', text: '' });
      continue;
    }
    n++;
    sink.row(r, lineOf(i), r.join(';').slice(0, 200), false);
  }
  const pinnedFooters: PinnedFooter[] = [];
  for (let i = end; i < dataRows.length; i++) {
    const blank = nonEmpty(dataRows[i]!) === 0;
    skipped.push({ line: lineOf(i), why: blank ? 'blank' : 'footer', text: dataRows[i]!.join(' ').slice(0, 200) });
    if (opts.skip_bottom !== 'auto' && !blank) pinnedFooters.push({ line: lineOf(i), fields: dataRows[i]! });
  }
  read.skip_bottom = dataRows.length - end;
  if (read.detected.length > 0)
    issues.push({ severity: 'info', code: 'csv.detected', message: msg.detected(read), file: display });
  return {
    file: display,
    sha256,
    bytes: buf.length,
    read,
    header,
    headerLine: firstData + rowOffset,
    rows: n,
    skipped,
    issues,
    empty: false,
    ...(pinnedFooters.length > 0 ? { pinnedFooters } : {}),
  };
}
