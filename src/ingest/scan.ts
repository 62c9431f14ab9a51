/**
 * Structural pre-scan of a CSV file over raw bytes, for the DuckDB fast path.
 *
 * Decides whether DuckDB's own CSV reader sees exactly the records the JS reader
 * (reader.ts) would hand to the row validator: one record per physical line, the
 * header's field count on every data line, no blank lines or multi-line quoted
 * fields inside the data block, an encoding DuckDB decodes identically. Header,
 * title lines, delimiter and number format come from the same head analysis as
 * the JS reader; footers use the same footer test on the lines at the end.
 *
 * Streams the file in chunks (memory bounded by a chunk, a few sample lines and
 * the footer candidates at the end); per line it only counts bytes, it builds no
 * field strings except for a handful of sampled lines.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { promises as fsp } from 'node:fs';
import type { ReadOptions } from '../config/schema.js';
import type { Issue } from '../util/issues.js';
import { hasUtf8Sequence } from './decode.js';
import { cleanHeader, dropTrailingEmpty } from './fields.js';
import { msg } from './messages.js';
import {
  analyzeHead,
  clip,
  footerCandidate,
  isBlankText,
  splitLoose,
  type HeadInfo,
  type PinnedFooter,
  type ReaderHints,
} from './reader.js';
import type { DetectedReadOptions, SkippedLine } from './types.js';

const CHUNK_BYTES = 4 << 20;
/** More footer candidates in a row than this: not a clean file. */
const MAX_RUN = 10000;
const MAX_SAMPLES = 64;
const C1_RE = /[\x80-\x9f]/;
/** A byte offset is remembered every CHECKPOINT_EVERY data lines (to re-read single lines). */
export const CHECKPOINT_EVERY = 4096;

export interface ScanSample {
  line: number;
  fields: string[];
}

export interface CleanScan {
  clean: true;
  head: HeadInfo;
  read: DetectedReadOptions;
  sha256: string;
  bytes: number;
  header: string[];
  headerLine: number;
  /** Title lines above the header and footer lines below the data. */
  skipped: SkippedLine[];
  /** The lines a pinned `read.skip_bottom` skipped (see `ReadFileResult.pinnedFooters`). */
  pinnedFooters: PinnedFooter[];
  issues: Issue[];
  /** Data block: lines firstData .. firstData + nData - 1, one record each. */
  firstData: number;
  nData: number;
  /** Fields per data line (>= header width: Excel's trailing empty columns). */
  fieldCount: number;
  /** DuckDB `encoding`. */
  duckEncoding: 'utf-8' | 'latin-1';
  /** Some footer line DuckDB may not parse (then read with ignore_errors, only the data block is used). */
  footers: number;
  samples: ScanSample[];
  /** Byte offset of data line firstData + i * CHECKPOINT_EVERY. */
  checkpoints: number[];
}

export interface NotClean {
  clean: false;
  why: string;
}

export type ScanResult = CleanScan | NotClean;

interface LineInfo {
  line: number;
  start: number;
  end: number;
  fields: number;
  blank: boolean;
}

class NotCleanError extends Error {}

/**
 * Scans an open file. Returns `clean: false` with a reason when the file needs the
 * JS reader (anything unusual); never throws for file contents.
 */
export async function scanFile(
  fh: fsp.FileHandle,
  display: string,
  opts: ReadOptions,
  hints: ReaderHints,
): Promise<ScanResult> {
  const size = (await fh.stat()).size;
  const head = await analyzeHead(fh, size, display, opts, hints);
  if (head.empty) return { clean: false, why: 'leere Datei' };
  if (head.utf16) return { clean: false, why: 'UTF-16' };
  if (head.eolByte !== 10) return { clean: false, why: 'CR-Zeilenenden' };
  const quote = head.quote;
  const Q = quote.charCodeAt(0);
  const D = head.delim.charCodeAt(0);
  if (quote.length !== 1 || Q > 127 || Q === D || Q === 10 || Q === 13 || Q === 32 || Q === 9)
    return { clean: false, why: 'Anführungszeichen' };
  const utf8 = head.enc === 'utf-8';
  const autoCp = !utf8 && opts.encoding === 'auto';
  const read = head.read;
  if (read.decimal === 'comma' ? read.thousands === ',' : read.thousands === '.')
    return { clean: false, why: 'Dezimal- gleich Tausendertrennzeichen' };
  const headerLine = head.headerLineNo;
  const pinned = opts.skip_bottom === 'auto' ? -1 : opts.skip_bottom;
  const decode = (b: Buffer, s: number, e: number): string => b.toString(utf8 ? 'utf8' : 'latin1', s, e);

  const hash = createHash('sha256');
  const skipped: SkippedLine[] = [];
  let header: string[] = [];
  let width = 0;
  let fieldCount = -1;
  let crlf: boolean | null = null;
  let lineNo = 0;
  let lastLine = 0;
  const run: LineInfo[] = []; // trailing footer candidates (auto) or the last N lines (pinned)
  let lastData: LineInfo | null = null; // last line known to be data (auto mode)
  let samples: ScanSample[] = [];
  let stride = 1;
  const checkpoints: number[] = [];

  const dataLine = (li: LineInfo): void => {
    if (li.blank) throw new NotCleanError(`Leerzeile ${li.line} im Datenblock`);
    if (li.fields < 0) throw new NotCleanError(`Zeile ${li.line}: Anführungszeichen (mehrzeilig oder im Feld)`);
    if (fieldCount < 0) {
      fieldCount = li.fields;
      if (fieldCount < width) throw new NotCleanError(`Zeile ${li.line}: weniger Felder als die Kopfzeile`);
    } else if (li.fields !== fieldCount)
      throw new NotCleanError(`Zeile ${li.line}: ${li.fields} statt ${fieldCount} Felder`);
    lastData = li;
  };

  /** Fields outside quotes (strict quoting: a quote only around a whole field), -1 if irregular. */
  const countFields = (b: Buffer, s: number, e: number): number => {
    let fields = 1;
    let i = s;
    let atStart = true;
    while (i < e) {
      const c = b[i]!;
      if (atStart && c === Q) {
        i++;
        for (;;) {
          const j = b.indexOf(Q, i);
          if (j < 0 || j >= e) return -1;
          if (j + 1 < e && b[j + 1] === Q) {
            i = j + 2;
            continue;
          }
          i = j + 1;
          break;
        }
        if (i < e) {
          if (b[i] !== D) return -1;
          fields++;
          i++;
        }
        continue;
      }
      if (c === D) {
        fields++;
        atStart = true;
      } else {
        if (c === Q) return -1;
        atStart = false;
      }
      i++;
    }
    return fields;
  };

  const isBlankBytes = (b: Buffer, s: number, e: number): boolean => {
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c !== D && c !== Q && c !== 32 && c !== 9 && c !== 0xa0 && c !== 0xc2) return false;
    }
    return true;
  };

  /** Cheap byte test: could the line be a footer candidate? (then the exact text test decides) */
  const maybeFooter = (b: Buffer, s: number, e: number, hasDelim: boolean): boolean => {
    if (!hasDelim || s === e) return true;
    let i = s;
    while (i < e && (b[i] === 32 || b[i] === Q)) i++;
    if (i >= e) return true;
    const c = b[i]!;
    const l = c | 0x20;
    return l === 0x2a || l === 0x71 || l === 0x73 || l === 0x61 || l === 0x66 || l === 0x68 || c === D || c === 9;
  };

  // per block: next quote and CR byte (native indexOf instead of a test per byte)
  let nextQ = -1;
  let nextCR = -1;

  const onLine = (b: Buffer, s: number, e: number, fileOff: number, hasEol: boolean): void => {
    lineNo++;
    // line ending; a CR anywhere else is not clean (the JS reader keeps it, DuckDB ends the line)
    let ce = e;
    if (hasEol) {
      const cr = e > s && b[e - 1] === 13;
      if (crlf === null) crlf = cr;
      else if (crlf !== cr) throw new NotCleanError(`Zeile ${lineNo}: gemischte Zeilenenden`);
      if (cr) ce--;
    }
    if (nextCR >= 0 && nextCR < e) {
      if (nextCR < ce || !hasEol) throw new NotCleanError(`Zeile ${lineNo}: CR im Text`);
      nextCR = b.indexOf(13, e);
    }
    if (nextQ >= 0 && nextQ < s) nextQ = b.indexOf(Q, s);
    const hasQ = nextQ >= 0 && nextQ < ce;
    if (lineNo <= headerLine) {
      let quotes = 0;
      for (let i = s; i < ce; i++) if (b[i] === Q) quotes++;
      if ((quotes & 1) !== 0) throw new NotCleanError(`Zeile ${lineNo}: offenes Anführungszeichen über den Daten`);
      const text = decode(b, lineNo === 1 ? s + head.bomLen : s, ce);
      if (lineNo < headerLine) {
        const why: SkippedLine['why'] =
          lineNo === 1 && head.layout.sepLine ? 'sep_line' : text.trim() === '' ? 'blank' : 'title';
        skipped.push({ line: lineNo, why, text: clip(text) });
      } else {
        header = dropTrailingEmpty(splitLoose(text, head.delim, quote).map(cleanHeader));
        width = header.length;
      }
      return;
    }
    // a BOM inside the file (joined files): the JS reader strips it with a warning
    if (utf8 && ce - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf)
      throw new NotCleanError(`Zeile ${lineNo}: BOM im Datenblock`);
    lastLine = lineNo;
    const idx = lineNo - headerLine - 1;
    if (idx % CHECKPOINT_EVERY === 0) checkpoints.push(fileOff);
    let fields: number;
    let hasDelim: boolean;
    if (hasQ) {
      fields = countFields(b, s, ce);
      const d = b.indexOf(D, s);
      hasDelim = d >= 0 && d < ce;
    } else {
      fields = 1;
      for (let i = s; i < ce; i++) if (b[i] === D) fields++;
      hasDelim = fields > 1;
    }
    const f0 = s < ce ? b[s]! : -1;
    const blank =
      f0 < 0 ||
      ((f0 === D || f0 === Q || f0 === 32 || f0 === 9 || f0 === 0xa0 || f0 === 0xc2) && isBlankBytes(b, s, ce));
    const li: LineInfo = { line: lineNo, start: fileOff, end: fileOff + (ce - s), fields, blank };
    if (idx % stride === 0) {
      samples.push({ line: lineNo, fields: splitLoose(decode(b, s, ce), head.delim, quote) });
      if (samples.length > MAX_SAMPLES) {
        stride *= 2;
        samples = samples.filter((x) => (x.line - headerLine - 1) % stride === 0);
      }
    }
    if (pinned >= 0) {
      run.push(li);
      if (run.length > pinned) dataLine(run.shift()!);
      if (run.length > MAX_RUN) throw new NotCleanError('zu viele Fußzeilen');
      return;
    }
    const cand =
      (li.blank || maybeFooter(b, s, ce, hasDelim)) && footerCandidate(decode(b, s, ce), width, head.delim, quote);
    if (cand) {
      run.push(li);
      if (run.length > MAX_RUN) throw new NotCleanError('zu viele Fußzeilen');
      return;
    }
    for (const r of run) dataLine(r);
    run.length = 0;
    dataLine(li);
  };

  const buf = Buffer.alloc(CHUNK_BYTES);
  let carry: Buffer | null = null;
  let filePos = 0; // bytes read
  let dataPos = 0; // file offset of data[0]
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, filePos);
      const eof = bytesRead === 0;
      const chunk = buf.subarray(0, bytesRead);
      if (!eof) hash.update(chunk);
      const data: Buffer = carry !== null ? Buffer.concat([carry, chunk]) : chunk;
      const base = dataPos;
      filePos += bytesRead;
      carry = null;
      let end = data.length;
      if (!eof) {
        const last = data.lastIndexOf(10);
        if (last < 0) {
          carry = Buffer.from(data);
          continue;
        }
        end = last + 1;
      }
      const block = data.subarray(0, end);
      if (utf8 ? !isUtf8(block) : autoCp && hasUtf8Sequence(block))
        return { clean: false, why: 'gemischte oder ungültige Kodierung' };
      if (!utf8 && C1_RE.test(block.toString('latin1')))
        return { clean: false, why: 'Windows-1252-Zeichen (0x80–0x9F)' };
      if (block.indexOf(0) >= 0) return { clean: false, why: 'NUL-Byte' };
      nextQ = block.indexOf(Q);
      nextCR = block.indexOf(13);
      let pos = 0;
      for (;;) {
        const nl = block.indexOf(10, pos);
        if (nl < 0) {
          if (pos < block.length) onLine(block, pos, block.length, base + pos, false);
          break;
        }
        onLine(block, pos, nl, base + pos, true);
        pos = nl + 1;
      }
      if (!eof && end < data.length) carry = Buffer.from(data.subarray(end));
      dataPos = base + end;
      if (eof) break;
    }
  } catch (e) {
    if (e instanceof NotCleanError) return { clean: false, why: e.message };
    throw e;
  }
  if (lineNo <= headerLine) return { clean: false, why: 'keine Datenzeilen' };

  // what is left in `run` is footer (auto: candidates at the end; pinned: the last N lines)
  const footerLines = run.slice();
  const lastDataLine = footerLines.length > 0 ? footerLines[0]!.line - 1 : lastLine;
  const nData = lastDataLine - headerLine;
  if (nData <= 0) return { clean: false, why: 'keine Datenzeilen' };
  const lastInfo = lastData as LineInfo | null;
  const readText = async (li: { start: number; end: number }): Promise<string> => {
    const b = Buffer.alloc(li.end - li.start);
    if (b.length > 0) await fh.read(b, 0, b.length, li.start);
    return decode(b, 0, b.length);
  };
  const pinnedFooters: PinnedFooter[] = [];
  for (const li of footerLines) {
    const text = await readText(li);
    const blank = isBlankText(text, head.delim, quote);
    skipped.push({ line: li.line, why: blank ? 'blank' : 'footer', text: clip(text) });
    if (pinned >= 0 && !blank) pinnedFooters.push({ line: li.line, fields: splitLoose(text, head.delim, quote) });
  }
  samples = samples.filter((x) => x.line <= lastDataLine);
  if (lastInfo !== null && lastInfo.line === lastDataLine && !samples.some((x) => x.line === lastDataLine))
    samples.push({ line: lastDataLine, fields: splitLoose(await readText(lastInfo), head.delim, quote) });
  read.skip_bottom = footerLines.length;
  const issues = [...head.issues];
  if (read.detected.length > 0) {
    issues.push({ severity: 'info', code: 'csv.detected', message: msg.detected(read), file: display });
  }
  return {
    clean: true,
    head,
    read,
    sha256: hash.digest('hex'),
    bytes: size,
    header,
    headerLine,
    skipped,
    pinnedFooters,
    issues,
    firstData: headerLine + 1,
    nData,
    fieldCount,
    duckEncoding: utf8 ? 'utf-8' : 'latin-1',
    footers: footerLines.length,
    samples,
    checkpoints,
  };
}
