/**
 * Byte-level decoding: BOM and encoding detection, and decoding of line-aligned
 * chunks with a per-line fallback (mixed encodings).
 *
 * Fast path: a whole chunk that is valid in the file's encoding is decoded in one
 * native call. Only a chunk that is not is split into lines and each line is
 * decoded on its own (UTF-8 if valid, else Windows-1252).
 */
import { isUtf8 } from 'node:buffer';
import type { DetectedReadOptions } from './types.js';

export type Encoding = DetectedReadOptions['encoding'];
export type EightBit = 'utf-8' | 'windows-1252';

/** Windows-1252 code points for bytes 0x80..0x9F (undefined bytes keep their Latin-1 value). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d,
  0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,
  0x017e, 0x0178,
];
const C1_RE = /[\x80-\x9f]/;
const C1_RE_G = /[\x80-\x9f]/g;
const c1Replace = (ch: string): string => String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80]!);

/** Windows-1252 decoding (Node's TextDecoder treats it as ISO-8859-1). */
export function decodeWindows1252(buf: Uint8Array): string {
  const s = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  return C1_RE.test(s) ? s.replace(C1_RE_G, c1Replace) : s;
}

export function decodeUtf8(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
}

/** True if the bytes contain a UTF-8 multi-byte sequence (lead byte followed by continuation bytes). */
export function hasUtf8Sequence(buf: Uint8Array): boolean {
  const n = buf.length - 1;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b >= 0xc2 && b <= 0xf4) {
      const c = buf[i + 1]!;
      if (c >= 0x80 && c <= 0xbf) return true;
    }
  }
  return false;
}

export interface BomInfo {
  encoding: Encoding | null;
  length: number;
}

export function detectBom(head: Uint8Array): BomInfo {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', length: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return { encoding: null, length: 0 };
}

/** UTF-16 without BOM: NUL bytes at odd (LE) or even (BE) positions in ASCII-heavy text. */
export function detectUtf16ByNul(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/** What a file that is no text file is, by its first bytes (`binary` for NUL bytes outside UTF-16). */
export type BinaryKind = 'xlsx' | 'xls' | 'pdf' | 'binary';

/**
 * Recognises a file that is not text at all (an Excel workbook or a PDF saved or renamed as .csv):
 * by its signature, or by NUL bytes (at least 1 % of the first 4 KB) in a head that is neither UTF-16 by its BOM or its NUL pattern nor
 * declared UTF-16. Undefined for a text file.
 */
export function binaryKind(head: Uint8Array, declared: string): BinaryKind | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'xlsx';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'xls';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'pdf';
  if (declared === 'utf-16le' || declared === 'utf-16be' || detectBom(head).encoding?.startsWith('utf-16'))
    return undefined;
  if (detectUtf16ByNul(head) !== null) return undefined;
  // many NUL bytes, not a stray one in a text file (that line is rejected as undecodable, the rest loads)
  const part = head.subarray(0, 4096);
  let nul = 0;
  for (const b of part) if (b === 0) nul++;
  return nul >= Math.max(4, part.length / 100) ? 'binary' : undefined;
}

/** Splits bytes into lines at `eol` (the eol byte is not included). */
export function splitByteLines(buf: Uint8Array, eol: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (;;) {
    const i = b.indexOf(eol, start);
    if (i < 0) break;
    out.push(buf.subarray(start, i));
    start = i + 1;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

/**
 * Auto detection for an 8-bit file from a head sample: UTF-8 if the non-ASCII lines
 * are mostly valid UTF-8 (ties go to UTF-8: a valid multi-byte sequence is strong
 * evidence), else Windows-1252. Pure ASCII gives UTF-8.
 */
export function detectEightBit(head: Uint8Array, eol: number): EightBit {
  if (isUtf8(head)) return 'utf-8';
  let utf8Lines = 0;
  let otherLines = 0;
  for (const line of splitByteLines(head, eol)) {
    let high = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i]! >= 0x80) {
        high = true;
        break;
      }
    }
    if (!high) continue;
    if (isUtf8(line)) utf8Lines++;
    else otherLines++;
  }
  return utf8Lines >= otherLines && utf8Lines > 0 ? 'utf-8' : 'windows-1252';
}

/** Result of decoding a line-aligned chunk. Line indices are relative to the chunk's first line. */
export interface DecodedChunk {
  text: string;
  /** Lines decoded with the other encoding than the file's (auto mode). */
  alt: number[];
  /** Lines that do not decode in the pinned encoding (decoded lossy for display). */
  bad: number[];
}

const NO_LINES: number[] = [];

/**
 * Decodes line-aligned chunks of an 8-bit file. `auto`: a line that does not decode
 * in `enc` is decoded with the other encoding and reported in `alt`; pinned: in `bad`.
 */
export class EightBitDecoder {
  constructor(
    readonly enc: EightBit,
    readonly auto: boolean,
    readonly eol: number,
  ) {}

  decode(buf: Uint8Array): DecodedChunk {
    if (this.enc === 'utf-8') {
      if (isUtf8(buf)) return { text: decodeUtf8(buf), alt: NO_LINES, bad: NO_LINES };
      return this.perLine(buf);
    }
    // windows-1252
    if (!this.auto || !hasUtf8Sequence(buf)) return { text: decodeWindows1252(buf), alt: NO_LINES, bad: NO_LINES };
    return this.perLine(buf);
  }

  private perLine(buf: Uint8Array): DecodedChunk {
    const lines = splitByteLines(buf, this.eol);
    const endsWithEol = buf.length > 0 && buf[buf.length - 1] === this.eol;
    const parts: string[] = new Array(lines.length);
    const alt: number[] = [];
    const bad: number[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (this.enc === 'utf-8') {
        if (isUtf8(line)) parts[i] = decodeUtf8(line);
        else {
          parts[i] = decodeWindows1252(line);
          (this.auto ? alt : bad).push(i);
        }
      } else {
        // auto windows-1252: a line that is valid UTF-8 with multi-byte sequences is UTF-8
        if (hasUtf8Sequence(line) && isUtf8(line)) {
          parts[i] = decodeUtf8(line);
          alt.push(i);
        } else parts[i] = decodeWindows1252(line);
      }
    }
    const sep = this.eol === 10 ? '\n' : '\r';
    return { text: parts.join(sep) + (endsWithEol ? sep : ''), alt, bad };
  }
}
