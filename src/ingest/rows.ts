/**
 * Validation of one data row of a source file: shape, area, period and cells.
 *
 * Shared by both load paths: the JS path runs every row through it; the DuckDB
 * fast path (fast.ts) only the rows its SQL did not accept as clean, so both
 * paths reject, repair and flag rows with the same code and the same words.
 */
import type { ColumnType, SourceConfig } from '../config/schema.js';
import { UserError, type Issue } from '../util/issues.js';
import {
  AREA_ALIAS,
  AREA_AMBIGUOUS,
  AREA_OK,
  AREA_REPAIRED,
  AREA_TOTAL,
  AREA_UNKNOWN,
  type AreaIndex,
} from './areas.js';
import { depthOf } from '../config/hierarchy.js';
import { CellParser, FLAG_MISSING, FLAG_SUPPRESSED } from './cells.js';
import { csvText, isNumericType } from './db.js';
import { cleanHeader } from './fields.js';
import { msg } from './messages.js';
import { PeriodParser, type PeriodResult } from './period.js';
import { findColumn, refName } from './reshape.js';
import { placeTotal, type PublishedTotal } from './totals.js';
import type { DetectedReadOptions, RejectedRow } from './types.js';

/** The source-level facts the validator needs (computed once per source). */
export class SourceShape {
  readonly aggregated: boolean;
  readonly nCols: number;
  readonly colTypes: ColumnType[];
  readonly colHeaders: string[];
  readonly colNumeric: boolean[];
  readonly textCols: number[];
  /** Display names of the area and period columns ("Spalte 2" for a position). */
  readonly areaHeader: string;
  readonly periodHeader: string;
  /** Per-column number format overrides. */
  readonly colFormats: {
    decimal?: 'comma' | 'point' | undefined;
    thousands?: '.' | ',' | ' ' | 'none' | undefined;
    symbols?: Partial<Record<'zero' | 'missing' | 'suppressed', string[]>> | undefined;
  }[];

  constructor(readonly source: SourceConfig) {
    this.aggregated = source.kind === 'aggregated';
    this.colTypes = Object.values(source.columns).map((s) => s.type);
    this.colHeaders = Object.values(source.columns).map((s) => refName(s.header));
    this.areaHeader = refName(source.area.column);
    this.periodHeader = source.period.column !== undefined ? refName(source.period.column) : 'Zeitraum';
    this.colFormats = Object.values(source.columns).map((s) => ({
      decimal: s.decimal,
      thousands: s.thousands,
      symbols: s.symbols,
    }));
    this.nCols = this.colTypes.length;
    this.colNumeric = this.colTypes.map(isNumericType);
    this.textCols = this.colTypes.map((t, i) => (t === 'text' ? i : -1)).filter((i) => i >= 0);
  }
}

/**
 * Per-file row validator. `row` returns true for an accepted row and leaves the
 * temp-CSV text (`out`, without newline), the key of aggregated sources (`key`),
 * the area id and the reference year in fields; a rejected row is recorded in
 * `fileRejects`. Repaired area ids and provisional markers are collected for the
 * per-file issues (`fileIssues`).
 */
export class RowValidator {
  rejected = 0;
  readonly fileRejects: RejectedRow[] = [];
  /** Totals rows of the file with their values (for the published-total check). */
  readonly totals: PublishedTotal[] = [];
  out = '';
  key = '';
  area = '';
  year = 0;

  width = 0;
  private headerFields: string[] = [];
  private headerLine = 0;
  areaIdx = -1;
  periodIdx = -1;
  colIdx: number[] = [];
  private parser: CellParser | null = null;
  /** Per column: its own parser when the column has its own number format. */
  private parsers: CellParser[] = [];
  /** Fixed layout (reshaped records `[area, period, cols...]`): no header-repeat test. */
  private fixed = false;
  private readonly periods: PeriodParser;
  private readonly periodCache = new Map<string, { res: PeriodResult; quoted: string }>();
  private readonly repairedLines: number[] = [];
  private repairExample: [string, string] | null = null;
  private readonly spellingLines: number[] = [];
  private spellingExample: [string, string] | null = null;
  private readonly markers = new Map<string, { header: string; marker: string; lines: number[]; count: number }>();
  private readonly quotedAreas = new Map<string, string>();

  constructor(
    private readonly shape: SourceShape,
    private readonly display: string,
    private readonly areas: AreaIndex,
  ) {
    this.periods = new PeriodParser(shape.source.period, shape.periodHeader);
  }

  /** Maps the configured headers to field indices; throws a UserError naming missing headers. */
  header(fields: string[], line: number, read: DetectedReadOptions): void {
    const source = this.shape.source;
    this.width = fields.length;
    this.headerFields = fields.map(cleanHeader);
    this.headerLine = line;
    this.areaIdx = findColumn(fields, source.area.column);
    this.periodIdx = source.period.column !== undefined ? findColumn(fields, source.period.column) : -1;
    this.colIdx = Object.values(source.columns).map((c) => findColumn(fields, c.header));
    const missing: string[] = [];
    if (this.areaIdx < 0) missing.push(this.shape.areaHeader);
    if (this.periodIdx < 0) missing.push(this.shape.periodHeader);
    this.shape.colHeaders.forEach((h, i) => {
      if (this.colIdx[i]! < 0) missing.push(h);
    });
    if (missing.length > 0)
      throw new UserError({
        severity: 'error',
        code: 'source.missing_header',
        message: msg.missingHeaders(this.display, line, missing, fields),
        file: this.display,
        line,
      });
    this.makeParsers(read);
  }

  /** Records come reshaped as `[area, period, cols...]` (reshape.ts); `fileHeader` is the file's own. */
  fixedLayout(line: number, read: DetectedReadOptions, fileHeader: readonly string[]): void {
    this.fixed = true;
    this.width = 2 + this.shape.nCols;
    this.headerFields = fileHeader.map(cleanHeader);
    this.headerLine = line;
    this.areaIdx = 0;
    this.periodIdx = 1;
    this.colIdx = this.shape.colTypes.map((_, i) => 2 + i);
    this.makeParsers(read);
  }

  private makeParsers(read: DetectedReadOptions): void {
    const symbols = this.shape.source.read.symbols;
    const detected = read.detected.includes('decimal');
    this.parser = new CellParser(symbols, read.decimal, read.thousands, detected);
    this.parsers = this.shape.colFormats.map((f) => {
      if (f.decimal === undefined && f.thousands === undefined && f.symbols === undefined) return this.parser!;
      const decimal = f.decimal ?? read.decimal;
      const thousands = f.thousands ?? (f.decimal === undefined ? read.thousands : decimal === 'comma' ? '.' : ',');
      const own = f.symbols === undefined ? symbols : columnSymbols(symbols, f.symbols);
      return new CellParser(own, decimal, thousands, f.decimal === undefined && detected);
    });
  }

  /** A line naming only the period of the block below it: counted, not data, not an error. */
  rejectBlockLabel(line: number, raw: string): void {
    this.reject(line, 'period_label_row', msg.periodLabelRow(), 'info', raw);
  }

  /** A record with more fields than the header (reshaped sources check this before reshaping). */
  rejectRagged(line: number, width: number, found: number, raw: string): void {
    this.reject(line, 'ragged_row', msg.ragged(width, found), 'error', raw);
  }

  private reject(
    line: number,
    code: string,
    reason: string,
    severity: RejectedRow['severity'],
    raw: string,
    column?: string,
    area?: string,
    year?: number,
  ): false {
    this.rejected++;
    const r: RejectedRow = {
      source: this.shape.source.id,
      file: this.display,
      line,
      code,
      reason,
      severity,
      raw: raw.length > 200 ? raw.slice(0, 200) : raw,
    };
    if (column !== undefined) r.column = column;
    if (area !== undefined && area !== '') r.area_id = area;
    if (year !== undefined) r.year = year;
    this.fileRejects.push(r);
    return false;
  }

  row(fields: string[], line: number, raw: string, bad: boolean): boolean {
    const source = this.shape.source;
    const { aggregated, nCols, colTypes, colHeaders, colNumeric, textCols } = this.shape;
    if (bad) return this.reject(line, 'encoding_error', msg.undecodableLine(source.read.encoding), 'error', raw);
    const width = this.width;
    const nf = fields.length;
    if (nf !== width) {
      let n = nf;
      while (n > width && fields[n - 1]!.trim() === '') n--;
      if (n !== width) {
        // a quote left open joins the following lines into this record: say so
        let extra = 0;
        for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) extra++;
        const [area, year] = extra === 0 ? this.placeOf(fields) : [undefined, undefined];
        return this.reject(
          line,
          'ragged_row',
          msg.ragged(width, n) + (extra > 0 ? msg.raggedMultiline(line, line + extra) : ''),
          'error',
          raw,
          undefined,
          area,
          year,
        );
      }
    }
    // area
    const areas = this.areas;
    const outcome = areas.resolve(source.area.level, fields[this.areaIdx]!, source.area.match);
    const areaId = areas.id;
    // the header repeated inside the data (files concatenated): not data, not an error
    if (outcome === AREA_UNKNOWN && !this.fixed && this.isHeaderRepeat(fields))
      return this.reject(line, 'repeated_header', msg.repeatedHeader(this.headerLine), 'info', raw);
    // period
    const pRaw = fields[this.periodIdx]!;
    let pc = this.periodCache.get(pRaw);
    if (pc === undefined) {
      pc = { res: this.periods.parse(pRaw), quoted: csvText(pRaw.trim()) };
      if (this.periodCache.size < 10000) this.periodCache.set(pRaw, pc);
    }
    const pres = pc.res;
    const year = pres.ok ? pres.year : undefined;
    const areaCol = this.shape.areaHeader;
    if (outcome === AREA_TOTAL) {
      if (pres.ok) this.keepTotal(fields, line, areaId, pres.year, pc.quoted);
      return this.reject(line, 'total_row', msg.totalRow(areaId), 'info', raw, areaCol, areaId, year);
    }
    // a spelling that fits several areas: never guessed, whatever area.unknown says
    if (outcome === AREA_AMBIGUOUS)
      return this.reject(
        line,
        'ambiguous_area',
        msg.ambiguousArea(areaId, source.area.level, areas.candidates),
        'error',
        raw,
        areaCol,
        areaId,
        year,
      );
    // rows of areas outside the project (a Land-wide file): counted, not loaded, not an error
    if (outcome === AREA_UNKNOWN && areaId !== '' && source.area.unknown === 'ignore')
      return this.reject(line, 'outside_project', msg.outsideProject(areaId), 'info', raw, areaCol, areaId, year);
    if (!pres.ok)
      return this.reject(line, pres.code, pres.reason, 'error', raw, this.shape.periodHeader, areaId, undefined);
    if (outcome === AREA_UNKNOWN) {
      if (areaId === '')
        return this.reject(line, 'missing_area', msg.areaEmpty(areaCol), 'error', raw, areaCol, undefined, year);
      return this.reject(
        line,
        'unknown_area',
        msg.unknownArea(areaId, source.area.level, this.topOfName(areaId)),
        'error',
        raw,
        areaCol,
        areaId,
        year,
      );
    }
    const y = pres.year;
    const ar = areas.area;
    if (
      ar !== undefined &&
      ((ar.valid_from !== undefined && y < ar.valid_from) ||
        (ar.carried === undefined
          ? ar.valid_to !== undefined && y > ar.valid_to
          : ar.carried.until !== undefined && y > ar.carried.until))
    )
      return this.reject(
        line,
        'area_not_valid',
        msg.areaNotValid(areaId, y, ar.valid_from, ar.valid_to),
        'error',
        raw,
        areaCol,
        areaId,
        y,
      );
    // cells
    const parsers = this.parsers;
    const colIdx = this.colIdx;
    let qa = this.quotedAreas.get(areaId);
    if (qa === undefined) this.quotedAreas.set(areaId, (qa = csvText(areaId)));
    let out = line + ',' + qa + ',' + y + ',' + pc.quoted;
    let key = '';
    for (let c = 0; c < nCols; c++) {
      const p = parsers[c]!;
      const err = p.parse(fields[colIdx[c]!]!, colTypes[c]!, colHeaders[c]!);
      if (err !== null) return this.reject(line, err.code, err.reason, 'error', raw, colHeaders[c]!, areaId, y);
      const v = p.value;
      if (colNumeric[c]) {
        out += v === null ? ',' : ',' + v;
        if (aggregated)
          out +=
            p.flag === 0
              ? ','
              : p.flag === FLAG_MISSING
                ? ',missing'
                : p.flag === FLAG_SUPPRESSED
                  ? ',suppressed'
                  : ',';
        if (p.marker !== '') {
          const mk = colHeaders[c]! + '\u0001' + p.marker;
          let m = this.markers.get(mk);
          if (m === undefined)
            this.markers.set(mk, (m = { header: colHeaders[c]!, marker: p.marker, lines: [], count: 0 }));
          m.count++;
          if (m.lines.length < 20) m.lines.push(line);
        }
      } else if (v === null) out += ',';
      else if (typeof v === 'string') {
        out += ',' + csvText(v);
        if (aggregated) key += '\u0001' + v;
      } else out += v ? ',true' : ',false';
      if (aggregated && v === null && colTypes[c] === 'text') key += '\u0001\u0000';
    }
    if (outcome === AREA_REPAIRED) {
      this.repairedLines.push(line);
      if (this.repairExample === null) this.repairExample = [fields[this.areaIdx]!.trim(), areaId];
    } else if (outcome === AREA_ALIAS) {
      this.spellingLines.push(line);
      if (this.spellingExample === null) this.spellingExample = [fields[this.areaIdx]!.trim(), areaId];
    }
    this.out = out;
    this.area = areaId;
    this.year = y;
    this.key = aggregated ? areaId + '\u0001' + y + (textCols.length > 0 ? key : '') : '';
    return true;
  }

  /** Keeps a totals row with its parsed values (cells that do not parse are null). */

  /**
   * The top's name when an unknown area's cell may be its total under another name: a name (not a
   * code) in a file of the level right below the top, in a project declared with `areas.top` (a
   * Kreis project takes "Kreis …" as its total already).
   */
  private topOfName(cell: string): string | undefined {
    const h = this.areas.registry.hierarchy;
    if (h.kreisShape || depthOf(h, this.shape.source.area.level) !== 1 || !/\p{L}{3}/u.test(cell)) return undefined;
    return h.top.name;
  }
  private keepTotal(fields: readonly string[], line: number, label: string, year: number, quotedPeriod: string): void {
    const place = placeTotal(this.areas, this.shape.source.area.level, label);
    if (place === null) return;
    const values = this.shape.colTypes.map((t, c) => {
      const p = this.parsers[c]!;
      return p.parse(fields[this.colIdx[c]!] ?? '', t, this.shape.colHeaders[c]!) === null ? p.value : null;
    });
    const period = quotedPeriod.slice(1, -1).replace(/""/g, '"');
    this.totals.push({ file: this.display, line, ...place, label, year, period, values });
  }

  /**
   * Area and year of a ragged row where both cells still read as a known area and
   * a valid period, so only the cell that row would have fed is flagged; otherwise
   * undefined (the row may have fed any area or year, and all of them are flagged).
   */
  private placeOf(fields: readonly string[]): [string | undefined, number | undefined] {
    const areaCell = fields[this.areaIdx];
    const periodCell = fields[this.periodIdx];
    let area: string | undefined;
    let year: number | undefined;
    if (areaCell !== undefined) {
      const outcome = this.areas.resolve(this.shape.source.area.level, areaCell, this.shape.source.area.match);
      if (outcome !== AREA_UNKNOWN && outcome !== AREA_TOTAL && outcome !== AREA_AMBIGUOUS) area = this.areas.id;
    }
    if (periodCell !== undefined) {
      const p = this.periods.parse(periodCell);
      if (p.ok) year = p.year;
    }
    return [area, year];
  }

  /** True if the record repeats the header line (area and period cells are their headers). */
  private isHeaderRepeat(fields: readonly string[]): boolean {
    const h = this.headerFields;
    return (
      cleanHeader(fields[this.areaIdx] ?? '') === h[this.areaIdx] &&
      cleanHeader(fields[this.periodIdx] ?? '') === h[this.periodIdx] &&
      this.colIdx.every((i) => cleanHeader(fields[i] ?? '') === h[i])
    );
  }

  /**
   * The area of a line that a pinned `read.skip_bottom` skipped, when its area cell names an area
   * of the project at the source's level: then the line is a data row the setting would drop.
   */
  dataRowArea(area: string | undefined): string | undefined {
    if (area === undefined) return undefined;
    const { level, match } = this.shape.source.area;
    const o = this.areas.resolve(level, area, match);
    return o === AREA_OK || o === AREA_REPAIRED || o === AREA_ALIAS ? this.areas.id : undefined;
  }

  /** The per-file warnings: repaired leading zeros, provisional markers. */
  fileIssues(): Issue[] {
    const issues: Issue[] = [];
    const display = this.display;
    const column = this.shape.areaHeader;
    if (this.repairedLines.length > 0 && this.repairExample !== null) {
      const [from, to] = this.repairExample;
      issues.push({
        severity: 'warning',
        code: 'source.leading_zero_repaired',
        message: msg.leadingZeroRepaired(this.repairedLines.length, this.repairedLines, from, to),
        file: display,
        line: this.repairedLines[0]!,
        column,
      });
    }
    if (this.spellingLines.length > 0 && this.spellingExample !== null) {
      const [from, to] = this.spellingExample;
      issues.push({
        severity: 'info',
        code: 'source.area_by_spelling',
        message: msg.areaMatchedBySpelling(this.spellingLines.length, this.spellingLines, from, to),
        file: display,
        line: this.spellingLines[0]!,
        column,
      });
    }
    for (const m of this.markers.values())
      issues.push({
        severity: 'info',
        code: 'source.provisional_marker',
        message: msg.provisional(m.header, m.marker, m.count, m.lines),
        file: display,
        line: m.lines[0]!,
        column: m.header,
      });
    return issues;
  }
}

/**
 * A column's own Zeichenerklärung: the groups it gives replace those of the file, and a
 * symbol it assigns is taken out of the file's other groups ("." secret, not "missing").
 */
function columnSymbols(
  file: { zero: string[]; missing: string[]; suppressed: string[] },
  own: Partial<Record<'zero' | 'missing' | 'suppressed', string[]>>,
): { zero: string[]; missing: string[]; suppressed: string[] } {
  const taken = new Set([...(own.zero ?? []), ...(own.missing ?? []), ...(own.suppressed ?? [])].map((x) => x.trim()));
  const pick = (k: 'zero' | 'missing' | 'suppressed'): string[] =>
    own[k] ?? file[k].filter((x) => !taken.has(x.trim()));
  return { zero: pick('zero'), missing: pick('missing'), suppressed: pick('suppressed') };
}
