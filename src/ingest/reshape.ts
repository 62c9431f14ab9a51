/**
 * Reshaping of files that are not one named header row + one row per area and
 * period: stacked header rows (GENESIS), header-less files, columns by position,
 * the period fixed in the config / in the file name / in the column headers
 * (wide layout, unpivoted), and area ids inside a longer cell ("01 Altstadt - Lehel").
 *
 * A `Reshaper` sits between a reader (CSV or Excel) and the row validator: it maps
 * every file record to canonical records `[area, period, col1, col2, ...]` and hands
 * them to `RowValidator.row` in its fixed layout. Such sources always take the JS
 * path (the DuckDB fast path only reads the plain one-header shape).
 */
import path from 'node:path';
import type { PeriodSpec, SourceConfig } from '../config/schema.js';
import { UserError } from '../util/issues.js';
import { cleanHeader, dropTrailingEmpty, findHeader } from './fields.js';
import { msg } from './messages.js';
import type { ReaderSink } from './reader.js';
import type { DetectedReadOptions } from './types.js';

export type ColumnRef = string | number;

/** Display name of a column reference: the header text, or "Spalte N". */
export function refName(ref: ColumnRef): string {
  return typeof ref === 'number' ? `Spalte ${ref}` : ref;
}

/** Index of a column reference in a header (position or header text), -1 if absent. */
export function findColumn(headers: readonly string[], ref: ColumnRef): number {
  if (typeof ref === 'number') return ref - 1;
  const i = findHeader(headers, ref);
  if (i >= 0) return i;
  // "Spalte 3" also names the third column (the name spm gives to unnamed columns)
  const m = /^spalte\s+(\d+)$/i.exec(ref.trim());
  return m ? Number(m[1]) - 1 : -1;
}

/** True if a source needs the reshaping layer (and so the JS path). */
export function needsReshape(source: SourceConfig, files: readonly string[] = []): boolean {
  const p = source.period;
  return (
    source.read.header_rows !== 1 ||
    typeof source.area.column === 'number' ||
    source.area.pattern !== undefined ||
    p.column === undefined ||
    p.fill_down ||
    typeof p.column === 'number' ||
    Object.values(source.columns).some((c) => typeof c.header === 'number') ||
    files.some(isExcelFile)
  );
}

export function isExcelFile(file: string): boolean {
  return /\.xlsx$/i.test(file);
}

/**
 * Joins stacked header rows into one name per column. A blank cell in an upper row
 * right of a label continues that label (a spanning header); parts repeated from
 * the row above are written once. Columns left without a name are "Spalte N".
 */
export function joinHeaderRows(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(0, ...rows.map((r) => dropTrailingEmpty([...r]).length));
  const filled = rows.map((r, ri) => {
    const out: string[] = [];
    let carry = '';
    for (let c = 0; c < width; c++) {
      const v = cleanHeader(r[c] ?? '');
      if (v !== '') carry = v;
      // the last row is not spread: it names single columns
      out.push(v !== '' ? v : ri < rows.length - 1 ? carry : '');
    }
    return out;
  });
  const names: string[] = [];
  for (let c = 0; c < width; c++) {
    const parts: string[] = [];
    for (const row of filled) {
      const v = row[c]!;
      if (v !== '' && parts[parts.length - 1] !== v) parts.push(v);
    }
    names.push(parts.length > 0 ? parts.join(' ') : `Spalte ${c + 1}`);
  }
  return names;
}

/** Names of the columns of a header-less file. */
export function positionNames(width: number): string[] {
  return Array.from({ length: width }, (_, i) => `Spalte ${i + 1}`);
}

const PERIOD_TOKEN = /(?<![\d.])(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}|\d{4}\s*[/\-–]\s*\d{2,4}|\d{4})(?![\d.])/;

/** A period written in a header or file name ("31.12.2023", "2023/24", "2023"), or null. */
export function periodToken(text: string): { token: string; rest: string } | null {
  const m = PERIOD_TOKEN.exec(text);
  if (!m) return null;
  const y = Number(/\d{4}/.exec(m[1]!)![0]);
  if (y < 1900 || y > 2100) return null;
  const rest = (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).replace(/\s+/g, ' ').trim();
  return { token: m[1]!, rest };
}

/** The period of a file from its name, or a UserError naming the file. */
export function periodFromFileName(spec: PeriodSpec, file: string, display: string): string {
  const base = path.basename(file);
  if (spec.from_file_name === true) {
    const t = periodToken(base.replace(/\.[^.]+$/, '').replace(/_/g, ' '));
    if (t) return t.token;
  } else if (typeof spec.from_file_name === 'string') {
    const m = new RegExp(spec.from_file_name).exec(base);
    if (m) return (m[1] ?? m[0]).trim();
  }
  throw new UserError({
    severity: 'error',
    code: 'source.period_from_file_name',
    message: msg.noPeriodInFileName(base),
    file: display,
  });
}

/** Where canonical records go: the row validator (and the loader behind it). */
export interface ReshapeTarget {
  /** The header is read; `fields` are the file's column names (for messages). */
  header(fields: string[], line: number, read: DetectedReadOptions): void;
  row(fields: string[], line: number, raw: string, bad: boolean): void;
  ragged(line: number, width: number, found: number, raw: string): void;
  /** A line that only names the period of the block below it (period.fill_down). */
  blockLabel(line: number, raw: string): void;
}

/** The period written in a title line above the header, or a UserError naming the file. */
export function periodFromTitle(spec: true | string, titles: readonly string[], display: string, line: number): string {
  for (const t of titles) {
    if (spec === true) {
      const p = periodToken(t.replace(/;/g, ' '));
      if (p) return p.token;
    } else {
      const m = new RegExp(spec).exec(t);
      if (m) return (m[1] ?? m[0]).trim();
    }
  }
  throw new UserError({
    severity: 'error',
    code: 'source.period_from_title',
    message: msg.noPeriodInTitle(display, line, titles),
    file: display,
    line,
  });
}

interface WideGroup {
  period: string;
  /** Field index per configured column (-1: the column is absent for this period). */
  cols: number[];
}

/**
 * Maps file records to canonical records for the row validator. `records` counts
 * the canonical records (in the wide layout, one per line and period).
 */
export class Reshaper implements ReaderSink {
  records = 0;
  private lastPeriod = '';
  private width = 0;
  private areaIdx = -1;
  private periodIdx = -1;
  private colIdx: number[] = [];
  private groups: WideGroup[] = [];
  private readonly pattern: RegExp | null;
  private readonly refs: ColumnRef[];

  constructor(
    private readonly source: SourceConfig,
    private readonly inner: ReshapeTarget,
    private readonly display: string,
    private fixedPeriod: string | null,
  ) {
    this.pattern = source.area.pattern !== undefined ? new RegExp(source.area.pattern) : null;
    this.refs = Object.values(source.columns).map((c) => c.header);
  }

  header(fields: string[], line: number, read: DetectedReadOptions, titles: readonly string[] = []): void {
    const s = this.source;
    if (s.period.from_title !== undefined)
      this.fixedPeriod = periodFromTitle(s.period.from_title, titles, this.display, line);
    this.width = fields.length;
    const missing: string[] = [];
    const at = (ref: ColumnRef): number => {
      const i = findColumn(fields, ref);
      if (i < 0 || (typeof ref === 'number' && i >= fields.length)) {
        missing.push(refName(ref));
        return -1;
      }
      return i;
    };
    this.areaIdx = at(s.area.column);
    if (s.period.column !== undefined) this.periodIdx = at(s.period.column);
    if (s.period.in_headers) {
      // columns whose header holds a period; the rest of the header names the column
      const byPeriod = new Map<string, WideGroup>();
      const rests: string[] = [];
      fields.forEach((h, i) => {
        if (i === this.areaIdx) return;
        const t = periodToken(h);
        if (t === null) return;
        let g = byPeriod.get(t.token);
        if (g === undefined) byPeriod.set(t.token, (g = { period: t.token, cols: this.refs.map(() => -1) }));
        const rest = t.rest === '' ? 'Wert' : t.rest;
        rests.push(rest);
        this.refs.forEach((ref, ci) => {
          if (typeof ref === 'number' ? ref - 1 === i : findHeader([rest], ref) === 0) g!.cols[ci] = i;
        });
      });
      // only periods that carry a configured column ("Veränderung 2022-2023" is no period of the data)
      this.groups = [...byPeriod.values()].filter((g) => g.cols.some((c) => c >= 0));
      if (byPeriod.size === 0)
        throw new UserError({
          severity: 'error',
          code: 'source.no_period_headers',
          message: msg.noPeriodHeaders(this.display, line, fields),
          file: this.display,
          line,
        });
      this.refs.forEach((ref, ci) => {
        if (this.groups.every((g) => g.cols[ci]! < 0))
          missing.push(
            `${refName(ref)} (Überschrift ohne Zeitraum; gefunden: ${[...new Set(rests)].slice(0, 8).join(', ')})`,
          );
      });
    } else this.colIdx = this.refs.map(at);
    if (missing.length > 0)
      throw new UserError({
        severity: 'error',
        code: 'source.missing_header',
        message: msg.missingHeaders(this.display, line, missing, fields),
        file: this.display,
        line,
      });
    this.inner.header(fields, line, read);
  }

  /** The area of a file record as `row` reads it (its area column, cut by `area.pattern`). */
  areaCell(fields: readonly string[]): string {
    const area = fields[this.areaIdx] ?? '';
    if (this.pattern === null) return area;
    const m = this.pattern.exec(area.trim());
    return m ? (m[1] ?? m[0]) : area;
  }

  row(fields: string[], line: number, raw: string, bad: boolean): void {
    const v = this.inner;
    const n = dropTrailingEmpty(fields).length;
    // more fields than the header, or fewer (a cut-off line): ragged, as on the plain path
    if (!bad && this.width > 0 && (n > this.width || fields.length < this.width)) {
      this.records++;
      v.ragged(line, this.width, n > this.width ? n : fields.length, raw);
      return;
    }
    const area = this.areaCell(fields);
    const cell = (i: number): string => (i < 0 ? '' : (fields[i] ?? ''));
    if (this.groups.length > 0) {
      for (const g of this.groups) {
        this.records++;
        v.row([area, g.period, ...g.cols.map(cell)], line, raw, bad);
      }
      return;
    }
    this.records++;
    let period = this.fixedPeriod ?? cell(this.periodIdx);
    if (this.source.period.fill_down && this.fixedPeriod === null) {
      const values = this.colIdx.map(cell);
      if (period.trim() !== '') {
        this.lastPeriod = period;
        // "31.12.2023;;" alone on a line: the heading of the block below
        if (area.trim() === '' && values.every((x) => x.trim() === '')) {
          v.blockLabel(line, raw);
          return;
        }
      } else period = this.lastPeriod;
      v.row([area, period, ...values], line, raw, bad);
      return;
    }
    v.row([area, period, ...this.colIdx.map(cell)], line, raw, bad);
  }
}
