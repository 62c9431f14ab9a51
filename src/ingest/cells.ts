/**
 * Cell parsing: symbols of the Zeichenerklärung, German/English numbers,
 * provisional markers, booleans, and detection of the number convention.
 */
import type { ColumnType, Symbols } from '../config/schema.js';
import { msg } from './messages.js';

export type Decimal = 'comma' | 'point';
export type Thousands = '.' | ',' | ' ' | 'none';

export const FLAG_NONE = 0;
export const FLAG_MISSING = 1;
export const FLAG_SUPPRESSED = 2;
export type Flag = 0 | 1 | 2;

export const HUGE = 1e15;

const BOOL_TRUE = new Set(['ja', 'j', '1', 'true', 'wahr']);
const BOOL_FALSE = new Set(['nein', 'n', '0', 'false', 'falsch']);
/** Exact spellings (fast path before lower-casing). */
const BOOL_EXACT = new Map<string, boolean>();
for (const w of BOOL_TRUE)
  for (const v of [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)]) BOOL_EXACT.set(v, true);
for (const w of BOOL_FALSE)
  for (const v of [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)]) BOOL_EXACT.set(v, false);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/**
 * Fast parser for unsigned plain numbers in the file's convention ("1.234,5",
 * "28,9", "1234.5"). Returns NaN for anything else (then the regex path decides).
 * m / 10^k with m < 2^53 is correctly rounded, i.e. equal to Number("<digits>.<frac>").
 */
export function fastNumber(s: string, decCode: number, thouCode: number): number {
  const n = s.length;
  if (n === 0 || n > 20) return NaN;
  let m = 0;
  let digits = 0;
  let intDigits = 0;
  let frac = 0;
  let seenDec = false;
  let group = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      m = m * 10 + d;
      digits++;
      if (seenDec) frac++;
      else {
        intDigits++;
        if (group >= 0) group++;
      }
    } else if (c === decCode && !seenDec) {
      if (intDigits === 0 || (group >= 0 && group !== 3)) return NaN;
      seenDec = true;
    } else if (c === thouCode && !seenDec) {
      if (intDigits === 0 || (group >= 0 ? group !== 3 : intDigits > 3)) return NaN;
      group = 0;
    } else return NaN;
  }
  if (digits > 15 || (seenDec && frac === 0) || (!seenDec && group >= 0 && group !== 3)) return NaN;
  return frac > 0 ? m / POW10[frac]! : m;
}

/** Builds the number pattern for a convention (slow path only). */
function numberPattern(decimal: Decimal, thousands: Thousands): RegExp {
  const dec = decimal === 'comma' ? ',' : '\\.';
  let intPart = '\\d+';
  if (thousands !== 'none') {
    const t = thousands === '.' ? '\\.' : thousands === ',' ? ',' : '[ \\u00a0\\u202f]';
    intPart = `(?:\\d{1,3}(?:${t}\\d{3})+|\\d+)`;
  }
  const exp = decimal === 'point' ? '(?:[eE][+-]?\\d+)?' : '';
  return new RegExp(`^(${intPart})?(?:${dec}(\\d+))?${exp}$`);
}

export interface CellError {
  code: string;
  reason: string;
}

/**
 * Parses cells of one file. Results are left in `value` / `flag` / `marker` to avoid
 * allocating per cell; `parse` returns null on success or the error.
 */
export class CellParser {
  value: number | boolean | string | null = null;
  flag: Flag = FLAG_NONE;
  /** Provisional marker stripped from the last parsed number (`p`, `r`, `s`) or ''. */
  marker = '';

  private readonly zero: Set<string>;
  private readonly missing: Set<string>;
  private readonly suppressed: Set<string>;
  private readonly digitSymbols: boolean;
  private readonly re: RegExp;

  constructor(
    symbols: Symbols,
    readonly decimal: Decimal,
    readonly thousands: Thousands,
    private readonly decimalDetected: boolean,
  ) {
    this.zero = new Set(symbols.zero.map((s) => s.trim()));
    this.missing = new Set(symbols.missing.map((s) => s.trim()));
    this.suppressed = new Set(symbols.suppressed.map((s) => s.trim()));
    this.digitSymbols = [...this.zero, ...this.missing, ...this.suppressed].some((s) => /^\d+$/.test(s));
    this.re = numberPattern(decimal, thousands);
    this.decCode = decimal === 'comma' ? 44 : 46;
    this.thouCode = thousands === 'none' ? -1 : thousands === ' ' ? 32 : thousands.charCodeAt(0);
  }
  private readonly decCode: number;
  private readonly thouCode: number;

  /** Classifies a (trimmed) cell as a symbol: 0 none, else sets value/flag and returns true. */
  private symbol(s: string): boolean {
    if (this.zero.has(s)) {
      this.value = 0;
      this.flag = FLAG_NONE;
      return true;
    }
    if (this.missing.has(s)) {
      this.value = null;
      this.flag = FLAG_MISSING;
      return true;
    }
    if (this.suppressed.has(s)) {
      this.value = null;
      this.flag = FLAG_SUPPRESSED;
      return true;
    }
    return false;
  }

  parse(raw: string, type: ColumnType, header: string): CellError | null {
    this.marker = '';
    this.flag = FLAG_NONE;
    let s = raw;
    const n0 = s.length;
    if (n0 > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(n0 - 1) <= 32 || s.charCodeAt(n0 - 1) === 160)) s = s.trim();
    switch (type) {
      case 'count':
      case 'number':
      case 'integer':
        return this.parseNumber(s, type, header);
      case 'text':
        this.value = s === '' ? null : s;
        return null;
      case 'boolean':
        return this.parseBoolean(s, header);
    }
  }

  private parseBoolean(s: string, header: string): CellError | null {
    const b = BOOL_EXACT.get(s);
    if (b !== undefined) {
      this.value = b;
      return null;
    }
    const l = s.toLowerCase();
    if (BOOL_TRUE.has(l)) {
      this.value = true;
      return null;
    }
    if (BOOL_FALSE.has(l)) {
      this.value = false;
      return null;
    }
    // 'x' (a tick mark) is deliberately not a boolean and not "missing": it is rejected
    if (l !== 'x' && this.symbol(s) && this.flag !== FLAG_NONE) {
      this.value = null;
      return null;
    }
    this.flag = FLAG_NONE;
    return { code: 'invalid_boolean', reason: msg.notBoolean(header, s) };
  }

  private parseNumber(s: string, type: ColumnType, header: string): CellError | null {
    const n = s.length;
    // fast path: plain digits
    if (n > 0 && n <= 15) {
      let v = 0;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      if (i === n && !(this.digitSymbols && this.symbol(s))) {
        this.value = v;
        return null;
      }
    }
    const f = this.digitSymbols && this.symbol(s) ? -1 : fastNumber(s, this.decCode, this.thouCode);
    if (f === -1) return null;
    if (f === f) {
      if (f > HUGE) return { code: 'value_too_large', reason: msg.tooLarge(header, s) };
      if (type === 'integer' && !Number.isInteger(f)) return { code: 'not_integer', reason: msg.notInteger(header, s) };
      this.value = f;
      return null;
    }
    if (this.symbol(s)) return null;
    let t = s;
    // a published percentage "35,5%" / "35,5 %" in a number column: the value is 35.5
    if (type === 'number' && t.charCodeAt(t.length - 1) === 37 /* % */) t = t.slice(0, -1).trimEnd();
    // provisional / revised / estimated marker after a number: "123p", "1.234 r"
    const last = t.charCodeAt(t.length - 1);
    if (last === 112 /* p */ || last === 114 /* r */ || last === 115 /* s */) {
      const body = t.slice(0, -1).trimEnd();
      const lc = body.charCodeAt(body.length - 1);
      if (lc >= 48 && lc <= 57) {
        this.marker = t[t.length - 1]!;
        t = body;
      }
    }
    let sign = 1;
    const c0 = t.charCodeAt(0);
    if (c0 === 45 /* - */ || c0 === 0x2212 /* − */) {
      sign = -1;
      t = t.slice(1).trimStart();
    } else if (c0 === 43 /* + */) t = t.slice(1).trimStart();
    const m = t === '' ? null : this.re.exec(t);
    if (!m || (m[1] === undefined && m[2] === undefined)) {
      this.marker = '';
      return { code: 'invalid_number', reason: msg.notANumber(header, s, this.decimal, this.decimalDetected) };
    }
    let norm = t;
    if (this.thousands !== 'none') {
      const intPart = m[1] ?? '';
      const rest = t.slice(intPart.length);
      norm = intPart.replace(/[^\d]/g, '') + rest;
    }
    if (this.decimal === 'comma') norm = norm.replace(',', '.');
    const v = sign * Number(norm);
    if (!Number.isFinite(v)) {
      this.marker = '';
      return { code: 'invalid_number', reason: msg.notANumber(header, s, this.decimal, this.decimalDetected) };
    }
    if (Math.abs(v) > HUGE) return { code: 'value_too_large', reason: msg.tooLarge(header, s) };
    if (type === 'count' && v < 0) return { code: 'negative_count', reason: msg.negativeCount(header, s) };
    if (type === 'integer' && !Number.isInteger(v)) return { code: 'not_integer', reason: msg.notInteger(header, s) };
    this.value = v === 0 ? 0 : v; // no -0
    return null;
  }
}

/** Evidence for the number convention in a sample of numeric cells. */
export function detectNumberFormat(
  cells: readonly string[],
  delimiter: string,
): { decimal: Decimal; thousands: Thousands } {
  let comma = 0;
  let point = 0;
  let dot3 = 0;
  let comma3 = 0;
  let pointThousands = false;
  let space = 0;
  for (const raw of cells) {
    let s = raw.trim().replace(/^[-+−]\s*/, '');
    s = s.replace(/\s*[prs]$/, '');
    s = s.replace(/\s*%$/, '');
    // "1 788 994": a space (or narrow no-break space) as thousands separator
    if (/^\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?$/.test(s)) {
      space++;
      if (s.includes(',')) comma++;
      continue;
    }
    if (s === '' || !/^[\d.,]+$/.test(s)) continue;
    if (/^\d{1,3}(\.\d{3})+,\d+$/.test(s)) comma++;
    else if (/^\d{1,3}(,\d{3})+\.\d+$/.test(s)) {
      point++;
      pointThousands = true;
    } else if (/^\d{1,3}(\.\d{3})+$/.test(s)) dot3++;
    else if (/^\d{1,3}(,\d{3})+$/.test(s)) comma3++;
    else if (/^\d*,\d+$/.test(s)) comma++;
    else if (/^\d*\.\d+$/.test(s)) point++;
  }
  if (space > 0 && dot3 === 0 && comma3 === 0 && point === 0) return { decimal: 'comma', thousands: ' ' };
  if (comma > point) return { decimal: 'comma', thousands: '.' };
  if (point > comma)
    return { decimal: 'point', thousands: pointThousands || comma3 > 0 ? ',' : dot3 > 0 ? 'none' : ',' };
  if (dot3 > 0 && comma3 === 0) return { decimal: 'comma', thousands: '.' };
  if (comma3 > 0 && dot3 === 0) return { decimal: 'point', thousands: ',' };
  return delimiter === ',' ? { decimal: 'point', thousands: ',' } : { decimal: 'comma', thousands: '.' };
}
