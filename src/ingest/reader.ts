/**
 * Streaming CSV reader: detects the layout of a file from a head sample, then
 * streams it in large chunks, splitting lines and handing records to a sink.
 *
 * Memory stays bounded (one chunk plus a partial line); the file is never read
 * into JS memory as a whole.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { ReadOptions } from '../config/schema.js';
import { UserError, type Issue } from '../util/issues.js';
import { detectNumberFormat, type Decimal, type Thousands } from './cells.js';
import { binaryKind, detectBom, detectEightBit, detectUtf16ByNul, EightBitDecoder, type Encoding } from './decode.js';
import { cleanHeader, dropTrailingEmpty, findHeader, splitFields } from './fields.js';
import { encodingName, msg } from './messages.js';
import { joinHeaderRows, positionNames } from './reshape.js';
import type { DetectedReadOptions, SkippedLine } from './types.js';

const HEAD_BYTES = 1 << 20;
const CHUNK_BYTES = 4 << 20;
const SAMPLE_LINES = 2000;
const HEADER_SEARCH_LINES = 200;
const MAX_RECORD_LINES = 10000;
const MAX_ALT_WARNINGS = 10;
const DELIMS = [';', ',', '\t', '|'] as const;
export type Delim = (typeof DELIMS)[number];

const SEP_RE = /^\s*"?sep=(.)"?\s*[;,|\t]*\s*$/i;
const FOOTER_RE = /^["'\s]*(quelle|stand|anmerkung|fußnote|fussnote|hinweis|\*)/i;
const FOOTER_WORD_RE = /^["'\s]*(?:\*|(?:quelle|stand|anmerkung|fußnote|fussnote|hinweis)(?![a-zäöüß]))/i;

export interface ReaderHints {
  /** A line containing one of these headers is the header line (best: the area column). */
  keyHeaders: readonly string[];
  /** All configured headers (to choose the delimiter). */
  allHeaders: readonly string[];
  /** Headers of numeric columns (to detect the number convention). */
  numericHeaders: readonly string[];
}

export interface ReaderSink {
  /** Called once with the cleaned header fields; may throw a UserError. `titles`: the title lines above the header. */
  header(fields: string[], line: number, read: DetectedReadOptions, titles?: readonly string[]): void;
  /** Called for every data record (not for skipped lines). */
  row(fields: string[], line: number, raw: string, undecodable: boolean): void;
}

export interface ReadFileResult {
  file: string;
  sha256: string;
  bytes: number;
  read: DetectedReadOptions;
  header: string[];
  headerLine: number;
  /** Data records handed to the sink. */
  rows: number;
  skipped: SkippedLine[];
  issues: Issue[];
  /** No header line at all (empty or blank file). */
  empty: boolean;
  /**
   * The lines a pinned `read.skip_bottom` skipped (not blank), split into fields: the caller checks
   * that none of them is a data row (a file without the footer the setting expects would lose it).
   */
  pinnedFooters?: PinnedFooter[];
}

/** A line skipped by a pinned `read.skip_bottom`, split into its fields. */
export interface PinnedFooter {
  line: number;
  fields: string[];
}

export function clip(s: string): string {
  return s.length > 200 ? s.slice(0, 200) : s;
}

export function splitLoose(line: string, delim: string, quote: string): string[] {
  return splitFields(line, delim, quote) ?? line.split(delim);
}

export function isBlankText(text: string, delim: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === delim || ch === quote || ch === ' ' || ch === '\t' || ch === '\r' || ch === '\u00a0') continue;
    return false;
  }
  return true;
}

/**
 * True if a line may be a footer (source note, blank, a line without the delimiter):
 * such lines at the end of a file are not data.
 */
export function footerCandidate(text: string, headerWidth: number, delim: string, quote: string): boolean {
  if (headerWidth > 1 && text.indexOf(delim) < 0) return true;
  const n = text.length;
  if (n === 0) return true;
  const quoteCode = quote.charCodeAt(0);
  let i = 0;
  while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === quoteCode)) i++;
  if (i >= n) return true;
  const c = text.charCodeAt(i) | 0x20; // lower-case ASCII letters
  if (c === 0x2a /* * */ || c === 0x71 || c === 0x73 || c === 0x61 || c === 0x66 || c === 0x68) {
    if (FOOTER_RE.test(text) && FOOTER_WORD_RE.test(text)) return true;
  }
  if (text.charCodeAt(i) === delim.charCodeAt(0) || text.charCodeAt(i) === 9) return isBlankText(text, delim, quote);
  return false;
}

export interface Layout {
  headerIdx: number;
  delimiter: Delim;
  sepLine: boolean;
  /** The header line was found by a configured header name (not by field counts). */
  byKey?: boolean;
}

/** Finds the header line and the delimiter in the sample lines. */
export function detectLayout(lines: readonly string[], opts: ReadOptions, hints: ReaderHints): Layout {
  let first = 0;
  let sepDelim: Delim | null = null;
  const m0 = lines.length > 0 ? SEP_RE.exec(lines[0]!) : null;
  if (m0) {
    first = 1;
    const d = m0[1] as Delim;
    if ((DELIMS as readonly string[]).includes(d)) sepDelim = d;
  }
  const candidates: readonly Delim[] = opts.delimiter !== 'auto' ? [opts.delimiter] : sepDelim ? [sepDelim] : DELIMS;
  const quote = opts.quote;

  const score = (line: string, d: Delim): { keys: number; all: number; fields: number } => {
    const f = dropTrailingEmpty(splitLoose(line, d, quote));
    let keys = 0;
    let all = 0;
    for (const h of hints.keyHeaders) if (findHeader(f, h) >= 0) keys++;
    for (const h of hints.allHeaders) if (findHeader(f, h) >= 0) all++;
    return { keys, all, fields: f.length };
  };
  const bestDelim = (line: string): { d: Delim; keys: number } => {
    let best: Delim = candidates[0]!;
    let bk = -1;
    let ba = -1;
    let bf = -1;
    for (const d of candidates) {
      const s = score(line, d);
      if (s.keys > bk || (s.keys === bk && (s.all > ba || (s.all === ba && s.fields > bf)))) {
        best = d;
        bk = s.keys;
        ba = s.all;
        bf = s.fields;
      }
    }
    return { d: best, keys: bk };
  };

  if (opts.skip_top !== 'auto') {
    const idx = opts.skip_top;
    const line = lines[idx];
    return {
      headerIdx: idx,
      delimiter: line === undefined ? candidates[0]! : bestDelim(line).d,
      sepLine: m0 !== null && idx >= 1,
    };
  }
  const limit = Math.min(lines.length, first + HEADER_SEARCH_LINES);
  for (let i = first; i < limit; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const b = bestDelim(line);
    if (b.keys > 0) return { headerIdx: i, delimiter: b.d, sepLine: m0 !== null, byKey: true };
  }
  // Fallback: the delimiter with the most consistent field count; header = first line reaching it.
  let bestD: Delim = candidates[0]!;
  let bestMode = 1;
  for (const d of candidates) {
    const counts = new Map<number, number>();
    for (let i = first; i < Math.min(lines.length, first + SAMPLE_LINES); i++) {
      const line = lines[i]!;
      if (line.trim() === '') continue;
      const n = dropTrailingEmpty(splitLoose(line, d, quote)).length;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    let mode = 1;
    let freq = 0;
    for (const [n, c] of counts) if (n > 1 && (c > freq || (c === freq && n > mode))) [mode, freq] = [n, c];
    if (mode > bestMode) [bestD, bestMode] = [d, mode];
  }
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (dropTrailingEmpty(splitLoose(line, bestD, quote)).length >= bestMode)
      return { headerIdx: i, delimiter: bestD, sepLine: m0 !== null };
  }
  let firstNonBlank = first;
  while (firstNonBlank < lines.length && lines[firstNonBlank]!.trim() === '') firstNonBlank++;
  return { headerIdx: firstNonBlank, delimiter: bestD, sepLine: m0 !== null };
}

/** Resolves decimal/thousands from the options and the numeric cells of the sample. */
function resolveNumberFormat(
  opts: ReadOptions,
  sampleCells: () => string[],
  delimiter: string,
): { decimal: Decimal; thousands: Thousands } {
  if (opts.decimal !== 'auto' && opts.thousands !== 'auto') return { decimal: opts.decimal, thousands: opts.thousands };
  if (opts.decimal !== 'auto') return { decimal: opts.decimal, thousands: opts.decimal === 'comma' ? '.' : ',' };
  if (opts.thousands === '.') return { decimal: 'comma', thousands: '.' };
  if (opts.thousands === ',') return { decimal: 'point', thousands: ',' };
  const det = detectNumberFormat(sampleCells(), delimiter);
  return opts.thousands === 'auto' ? det : { decimal: det.decimal, thousands: opts.thousands };
}

/**
 * Reads one CSV file: detection on the first MiB, then a streaming pass.
 * `display` is the project-relative path used in messages.
 */
export async function readCsvFile(
  absPath: string,
  display: string,
  opts: ReadOptions,
  hints: ReaderHints,
  sink: ReaderSink,
): Promise<ReadFileResult> {
  const fh = await fsp.open(absPath, 'r');
  try {
    return await readOpen(fh, display, opts, hints, sink);
  } finally {
    await fh.close();
  }
}

/** What the head sample of a file says about its layout (shared by the JS reader and the fast-path scan). */
export interface HeadInfo {
  size: number;
  enc: Encoding;
  bomLen: number;
  utf16: boolean;
  eolByte: number;
  /** Decoder of 8-bit files (null for UTF-16). */
  decoder: EightBitDecoder | null;
  issues: Issue[];
  /** Blank or empty file (no header line): `read` is the base options then. */
  empty: boolean;
  layout: Layout;
  delim: Delim;
  quote: string;
  read: DetectedReadOptions;
  headerLineNo: number;
  /** Last header line (1-based; stacked header rows end here); headerLineNo - 1 for a header-less file. */
  headerEndLineNo: number;
}

/**
 * With stacked header rows found by a header name: the block of `n` rows that
 * contains the matched line and consists of table rows (2+ fields), topmost first.
 */
function headerBlockStart(
  lines: readonly string[],
  matched: number,
  n: number,
  first: number,
  delim: string,
  quote: string,
): number {
  const fieldsOf = (i: number): number => dropTrailingEmpty(splitLoose(lines[i] ?? '', delim, quote)).length;
  for (let s = Math.max(first, matched - n + 1); s <= matched; s++) {
    let ok = true;
    for (let j = s; j < s + n; j++) if (fieldsOf(j) < 2) ok = false;
    if (ok) return s;
  }
  return matched;
}

/** Reads the first MiB: encoding, line ending, header line, delimiter and number format. */
export async function analyzeHead(
  fh: fsp.FileHandle,
  size: number,
  display: string,
  opts: ReadOptions,
  hints: ReaderHints,
): Promise<HeadInfo> {
  const issues: Issue[] = [];
  const detected: (keyof ReadOptions)[] = [];

  const headBuf = Buffer.alloc(Math.min(size, HEAD_BYTES));
  if (headBuf.length > 0) await fh.read(headBuf, 0, headBuf.length, 0);
  // a workbook or PDF saved as .csv: said as such, never read as text (a header of control characters)
  const binary = binaryKind(headBuf, opts.encoding);
  if (binary !== undefined)
    throw new UserError({
      severity: 'error',
      code: 'csv.binary',
      message: msg.binaryFile(display, binary),
      file: display,
    });

  // --- encoding ------------------------------------------------------------
  const bom = detectBom(headBuf);
  let enc: Encoding;
  let bomLen = 0;
  const autoEnc = opts.encoding === 'auto';
  if (opts.encoding !== 'auto') {
    enc = opts.encoding;
    const family = enc === 'latin1' ? 'windows-1252' : enc;
    if (bom.encoding === family) bomLen = bom.length;
  } else if (bom.encoding) {
    enc = bom.encoding;
    bomLen = bom.length;
  } else {
    enc = detectUtf16ByNul(headBuf) ?? 'utf-8'; // 8-bit refined below
  }
  const utf16 = enc === 'utf-16le' || enc === 'utf-16be';

  // --- head text -----------------------------------------------------------
  let eolByte = 10;
  let headText: string;
  let decoder: EightBitDecoder | null = null;
  const headBody = headBuf.subarray(bomLen);
  if (utf16) {
    headText = new TextDecoder(enc).decode(headBody);
    if (size > HEAD_BYTES) headText = headText.slice(0, Math.max(0, headText.lastIndexOf('\n') + 1));
    if (!headText.includes('\n') && headText.includes('\r')) eolByte = 13;
  } else {
    if (headBody.indexOf(10) < 0 && headBody.indexOf(13) >= 0) eolByte = 13;
    let cut = headBody;
    if (size > HEAD_BYTES) {
      const last = headBody.lastIndexOf(eolByte);
      cut = headBody.subarray(0, last + 1);
    }
    if (autoEnc && !bom.encoding) enc = detectEightBit(cut, eolByte);
    const eb = enc === 'utf-8' ? 'utf-8' : 'windows-1252';
    decoder = new EightBitDecoder(eb, autoEnc, eolByte);
    headText = decoder.decode(cut).text;
  }
  if (autoEnc) detected.push('encoding');
  if (bomLen > 0) issues.push({ severity: 'info', code: 'csv.bom', message: msg.bomStripped(enc), file: display });

  const lineEnding: DetectedReadOptions['line_ending'] =
    eolByte === 13 ? 'cr' : headText.includes('\r\n') ? 'crlf' : 'lf';
  const eolChar = eolByte === 13 ? '\r' : '\n';
  const stripCR = eolByte === 10;

  // No line end in the first MB: a header of enormous width, or not a line-based
  // file at all. Refused with that reason, never taken for an empty file.
  const noLineEnd =
    size > HEAD_BYTES && (utf16 ? !/[\r\n]/.test(headText) : headBody.indexOf(10) < 0 && headBody.indexOf(13) < 0);
  if (noLineEnd) {
    issues.push({
      severity: 'error',
      code: 'csv.line_too_long',
      message: msg.lineTooLong(display, HEAD_BYTES),
      file: display,
      line: 1,
    });
    headText = '';
  }

  const sample: string[] = [];
  {
    let pos = 0;
    while (sample.length < SAMPLE_LINES) {
      const nl = headText.indexOf(eolChar, pos);
      if (nl < 0) {
        if (pos < headText.length) sample.push(headText.slice(pos));
        break;
      }
      let end = nl;
      if (stripCR && end > pos && headText.charCodeAt(end - 1) === 13) end--;
      sample.push(headText.slice(pos, end));
      pos = nl + 1;
    }
  }

  const baseRead = (): DetectedReadOptions => ({
    encoding: enc,
    bom: bomLen > 0,
    delimiter: opts.delimiter === 'auto' ? ';' : opts.delimiter,
    decimal: opts.decimal === 'auto' ? 'comma' : opts.decimal,
    thousands: opts.thousands === 'auto' ? '.' : opts.thousands,
    skip_top: 0,
    skip_bottom: 0,
    line_ending: lineEnding,
    detected,
  });

  // blank: nothing but whitespace, delimiters and quotes (Excel's ";;;" lines)
  if (sample.every((l) => /^[\s;,|"'\u00a0\ufeff]*$/.test(l))) {
    return {
      size,
      enc,
      bomLen,
      utf16,
      eolByte,
      decoder,
      issues,
      empty: true,
      layout: { headerIdx: 0, delimiter: ';', sepLine: false },
      delim: ';',
      quote: opts.quote,
      read: baseRead(),
      headerLineNo: 0,
      headerEndLineNo: 0,
    };
  }

  // --- layout --------------------------------------------------------------
  const layout = detectLayout(sample, opts, hints);
  const delim = layout.delimiter;
  const quote = opts.quote;
  const nHeader = opts.header_rows;
  if (nHeader > 1 && layout.byKey)
    layout.headerIdx = headerBlockStart(sample, layout.headerIdx, nHeader, layout.sepLine ? 1 : 0, delim, quote);
  if (opts.delimiter === 'auto') detected.push('delimiter');
  if (opts.skip_top === 'auto') detected.push('skip_top');
  if (opts.skip_bottom === 'auto') detected.push('skip_bottom');

  const sampleHeader = dropTrailingEmpty(splitLoose(sample[layout.headerIdx] ?? '', delim, quote).map(cleanHeader));
  // stacked or no header: every cell of the data sample is evidence (text cells are ignored by the detector)
  const numIdx =
    nHeader === 1
      ? hints.numericHeaders.map((h) => findHeader(sampleHeader, h)).filter((i) => i >= 0)
      : Array.from({ length: 200 }, (_, i) => i);
  const nf = resolveNumberFormat(
    opts,
    () => {
      const cells: string[] = [];
      for (let i = layout.headerIdx + Math.max(nHeader, 1); i < sample.length; i++) {
        const f = splitLoose(sample[i]!, delim, quote);
        for (const j of numIdx) {
          const c = f[j];
          if (c !== undefined) cells.push(c);
        }
      }
      return cells;
    },
    delim,
  );
  if (opts.decimal === 'auto') detected.push('decimal');
  if (opts.thousands === 'auto') detected.push('thousands');

  const read: DetectedReadOptions = {
    encoding: enc,
    bom: bomLen > 0,
    delimiter: delim,
    decimal: nf.decimal,
    thousands: nf.thousands,
    skip_top: layout.headerIdx,
    skip_bottom: 0,
    line_ending: lineEnding,
    detected,
  };
  return {
    size,
    enc,
    bomLen,
    utf16,
    eolByte,
    decoder,
    issues,
    empty: false,
    layout,
    delim,
    quote,
    read,
    headerLineNo: layout.headerIdx + 1,
    headerEndLineNo: layout.headerIdx + nHeader,
  };
}

async function readOpen(
  fh: fsp.FileHandle,
  display: string,
  opts: ReadOptions,
  hints: ReaderHints,
  sink: ReaderSink,
): Promise<ReadFileResult> {
  const size = (await fh.stat()).size;
  const head = await analyzeHead(fh, size, display, opts, hints);
  const { issues, enc, bomLen, utf16, eolByte, decoder, layout, delim, quote, read } = head;
  const skipped: SkippedLine[] = [];
  const stripCR = eolByte === 10;
  const eolChar = eolByte === 13 ? '\r' : '\n';

  const hash = createHash('sha256');
  if (head.empty) {
    // empty or blank file: hash it and stop
    const buf = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(size, 1)));
    for (let pos = 0; pos < size; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return {
      file: display,
      sha256: hash.digest('hex'),
      bytes: size,
      read,
      header: [],
      headerLine: 0,
      rows: 0,
      skipped,
      issues,
      empty: true,
    };
  }

  // --- streaming pass ------------------------------------------------------
  const headerLineNo = layout.headerIdx + 1;
  const headerEnd = head.headerEndLineNo;
  const headerRows: string[][] = [];
  const titleTexts = (): string[] => skipped.filter((l) => l.why === 'title').map((l) => l.text);
  let headerSent = false;
  const pinnedBottom = opts.skip_bottom === 'auto' ? -1 : opts.skip_bottom;
  let header: string[] = [];
  let headerWidth = 0;
  let lineNo = 0;
  let rows = 0;
  const altLines: number[] = [];
  const delimCode = delim.charCodeAt(0);

  interface Rec {
    text: string;
    line: number;
    bad: boolean;
    fields: string[] | null;
  }
  let open: Rec | null = null; // record with an open quoted field
  let openLines = 0;
  const pending: Rec[] = []; // possible footer lines (auto) or the last N records (pinned)

  const emit = (r: Rec): void => {
    if (isBlankText(r.text, delim, quote)) {
      skipped.push({ line: r.line, why: 'blank', text: clip(r.text) });
      return;
    }
    rows++;
    sink.row(r.fields ?? splitLoose(r.text, delim, quote), r.line, r.text, r.bad);
  };

  const isFooterCandidate = (text: string): boolean => footerCandidate(text, headerWidth, delim, quote);

  const record = (r: Rec): void => {
    if (pinnedBottom >= 0) {
      pending.push(r);
      if (pending.length > pinnedBottom) emit(pending.shift()!);
      return;
    }
    if (isFooterCandidate(r.text) || singleField(r)) {
      pending.push(r);
      return;
    }
    if (pending.length > 0) {
      for (const p of pending) emit(p);
      pending.length = 0;
    }
    emit(r);
  };
  /** A record that is one (quoted, maybe multi-line) note: a footer candidate too (GENESIS notes). */
  const singleField = (r: Rec): boolean =>
    headerWidth > 1 && r.fields !== null && dropTrailingEmpty(r.fields.slice()).length <= 1;
  /** Hot path of `record` for a plain line (no allocation of a Rec). */
  const recordPlain = (text: string, line: number, bad: boolean, fields: string[] | null): void => {
    if (pinnedBottom >= 0 || pending.length > 0 || isFooterCandidate(text)) {
      record({ text, line, bad, fields });
      return;
    }
    if (text.length === 0 || (text.charCodeAt(0) === delimCode && isBlankText(text, delim, quote))) {
      skipped.push({ line, why: 'blank', text: clip(text) });
      return;
    }
    rows++;
    sink.row(fields ?? splitLoose(text, delim, quote), line, text, bad);
  };

  const dataLine = (text: string, bad: boolean): void => {
    if (open !== null) {
      open.text += '\n' + text;
      open.bad ||= bad;
      openLines++;
      const f = splitFields(open.text, delim, quote);
      if (f !== null || openLines >= MAX_RECORD_LINES) {
        const r = open;
        r.fields = f;
        open = null;
        record(r);
      }
      return;
    }
    let fields: string[] | null = null;
    if (text.indexOf(quote) >= 0) {
      fields = splitFields(text, delim, quote);
      if (fields === null) {
        open = { text, line: lineNo, bad, fields: null };
        openLines = 1;
        return;
      }
    }
    recordPlain(text, lineNo, bad, fields);
  };

  const bomLines: number[] = [];
  const handleLine = (line: string, alt: boolean, bad: boolean): void => {
    lineNo++;
    let text = line;
    // a BOM at the start of a later line: files joined with `cat` or copy /b
    if (lineNo > 1 && text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
      bomLines.push(lineNo);
    }
    if (alt) altLines.push(lineNo);
    if (lineNo > headerEnd) {
      if (!headerSent) {
        // a file without header row: columns are named by position
        headerSent = true;
        header = positionNames(dropTrailingEmpty(splitLoose(text, delim, quote)).length);
        headerWidth = header.length;
        sink.header(header, lineNo, read, titleTexts());
      }
      dataLine(text, bad);
    } else if (lineNo < headerLineNo) {
      const why: SkippedLine['why'] =
        lineNo === 1 && layout.sepLine ? 'sep_line' : text.trim() === '' ? 'blank' : 'title';
      skipped.push({ line: lineNo, why, text: clip(text) });
    } else {
      headerRows.push(splitLoose(text, delim, quote));
      if (lineNo < headerEnd) return;
      header =
        headerRows.length === 1 ? dropTrailingEmpty(headerRows[0]!.map(cleanHeader)) : joinHeaderRows(headerRows);
      headerWidth = header.length;
      headerSent = true;
      sink.header(header, lineNo, read, titleTexts());
    }
  };

  let textCarry = '';
  const feedText = (text: string, final: boolean, alt: readonly number[], bad: readonly number[]): void => {
    const s = textCarry.length > 0 ? textCarry + text : text;
    textCarry = '';
    let pos = 0;
    let idx = 0;
    let ai = 0;
    let bi = 0;
    const noFlags = alt.length === 0 && bad.length === 0;
    for (;;) {
      const nl = s.indexOf(eolChar, pos);
      if (nl < 0) {
        if (final) {
          if (pos < s.length) {
            const isAlt = !noFlags && alt[ai] === idx;
            const isBad = !noFlags && bad[bi] === idx;
            handleLine(s.slice(pos), isAlt, isBad);
          }
        } else textCarry = s.slice(pos);
        break;
      }
      let end = nl;
      if (stripCR && end > pos && s.charCodeAt(end - 1) === 13) end--;
      if (noFlags) handleLine(s.slice(pos, end), false, false);
      else {
        const isAlt = alt[ai] === idx;
        const isBad = bad[bi] === idx;
        if (isAlt) ai++;
        if (isBad) bi++;
        handleLine(s.slice(pos, end), isAlt, isBad);
      }
      idx++;
      pos = nl + 1;
    }
  };

  const buf = Buffer.alloc(CHUNK_BYTES);
  let carry: Buffer | null = null;
  let filePos = 0;
  const u16 = utf16 ? new TextDecoder(enc) : null;
  let firstChunk = true;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, filePos);
    const eof = bytesRead === 0;
    let chunk = buf.subarray(0, bytesRead);
    if (!eof) {
      hash.update(chunk);
      filePos += bytesRead;
    }
    if (firstChunk && bomLen > 0) chunk = chunk.subarray(Math.min(bomLen, chunk.length));
    firstChunk = false;
    if (u16) {
      feedText(u16.decode(chunk, { stream: !eof }), eof, [], []);
    } else {
      const data: Buffer = carry !== null ? Buffer.concat([carry, chunk]) : chunk;
      carry = null;
      if (eof) {
        const d = decoder!.decode(data);
        feedText(d.text, true, d.alt, d.bad);
      } else {
        const last = data.lastIndexOf(eolByte);
        if (last < 0) carry = Buffer.from(data);
        else {
          const d = decoder!.decode(data.subarray(0, last + 1));
          if (last + 1 < data.length) carry = Buffer.from(data.subarray(last + 1));
          feedText(d.text, false, d.alt, d.bad);
        }
      }
    }
    if (eof) break;
  }
  if (open !== null) {
    const r: Rec = open;
    open = null;
    record(r);
  }
  // whatever is pending at the end is footer (auto) or the pinned last lines
  const pinnedFooters: PinnedFooter[] = [];
  for (const p of pending) {
    const blank = isBlankText(p.text, delim, quote);
    skipped.push({ line: p.line, why: blank ? 'blank' : 'footer', text: clip(p.text) });
    if (pinnedBottom >= 0 && !blank)
      pinnedFooters.push({ line: p.line, fields: p.fields ?? splitLoose(p.text, delim, quote) });
  }
  read.skip_bottom = pending.length;

  if (lineNo < headerEnd || !headerSent) {
    // header beyond the end (pinned skip_top larger than the file)
    return {
      file: display,
      sha256: hash.digest('hex'),
      bytes: size,
      read,
      header,
      headerLine: 0,
      rows,
      skipped,
      issues,
      empty: true,
    };
  }

  if (altLines.length > 0) {
    const used = encodingName(enc === 'utf-8' ? 'windows-1252' : 'utf-8');
    const fileEnc = encodingName(enc);
    for (const l of altLines.slice(0, MAX_ALT_WARNINGS))
      issues.push({
        severity: 'warning',
        code: 'csv.mixed_encoding',
        message: msg.mixedEncodingLine(l, used, fileEnc),
        file: display,
        line: l,
      });
    if (altLines.length > MAX_ALT_WARNINGS) {
      const rest = altLines.slice(MAX_ALT_WARNINGS);
      issues.push({
        severity: 'warning',
        code: 'csv.mixed_encoding',
        message: msg.mixedEncodingMore(rest.length, rest, used),
        file: display,
      });
    }
  }
  if (bomLines.length > 0)
    issues.push({
      severity: 'warning',
      code: 'csv.bom_inside',
      message: msg.bomInside(bomLines),
      file: display,
      line: bomLines[0]!,
    });
  if (read.detected.length > 0)
    issues.push({ severity: 'info', code: 'csv.detected', message: msg.detected(read), file: display });

  return {
    file: display,
    sha256: hash.digest('hex'),
    bytes: size,
    read,
    header,
    headerLine: headerEnd,
    rows,
    skipped,
    issues,
    empty: false,
    ...(pinnedFooters.length > 0 ? { pinnedFooters } : {}),
  };
}
