/**
 * Loading one source: validate every row (shape, area, period, cells, keys) and
 * bulk-load the accepted rows into `src_<id>` through a normalized temp CSV.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType, SourceConfig } from '../config/schema.js';
import type { Project } from '../config/project.js';
import { UserError, type Issue } from '../util/issues.js';
import { quoteIdent } from '../util/sql.js';
import { AREA_REPAIRED, AREA_TOTAL, AREA_UNKNOWN, type AreaIndex } from './areas.js';
import { CellParser, FLAG_MISSING, FLAG_SUPPRESSED } from './cells.js';
import { createSourceTable, csvText, isNumericType, SegmentedLoader, sourceColumns } from './db.js';
import { findHeader } from './fields.js';
import { msg } from './messages.js';
import { displayPath, escapesProject, expandFiles } from './paths.js';
import { PeriodParser, type PeriodResult } from './period.js';
import { readCsvFile } from './reader.js';
import type { FileAccounting, LoadedColumn, LoadedSource, RejectedRow } from './types.js';

export interface IngestOptions {
  tmpDir: string;
  onProgress?: (e: { source: string; file: string; rows: number }) => void;
}

export interface SourceResult {
  loaded: LoadedSource;
  rejects: RejectedRow[];
  issues: Issue[];
}

const PROGRESS_EVERY = 1 << 17;

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
      bad.map((p) => ({ severity: 'error' as const, code: 'source.pattern_escapes', message: msg.patternEscapes(source.id, p), path: `sources[${index}].files` })),
    );
  const files = await expandFiles(project.root, patterns);
  if (files.length === 0)
    throw new UserError({ severity: 'error', code: 'source.no_files', message: msg.noFiles(source.id, patterns), path: `sources[${index}].files` });
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
  const aggregated = source.kind === 'aggregated';
  const level = source.area.level;
  const table = `src_${source.id}`;
  const columns: LoadedColumn[] = Object.entries(source.columns).map(([name, spec]) => ({ name, type: spec.type }));
  const physical = sourceColumns(columns, aggregated);
  await createSourceTable(conn, table, physical);

  const rejects: RejectedRow[] = [];
  const issues: Issue[] = [];
  const accounts: FileAccounting[] = [];
  const nCols = columns.length;
  const colTypes: ColumnType[] = columns.map((c) => c.type);
  const colHeaders = Object.values(source.columns).map((s) => s.header);
  const colNumeric = colTypes.map(isNumericType);
  const textCols = colTypes.map((t, i) => (t === 'text' ? i : -1)).filter((i) => i >= 0);
  const keyMap = new Map<string, number>();
  const keyRefs: DupRef[] = [];
  const dupGroups = new Map<string, number[]>();
  const quotedAreas = new Map<string, string>();

  for (let fi = 0; fi < files.length; fi++) {
    const abs = files[fi]!;
    const display = displayPath(project.root, abs);
    const tmpBase = path.join(opts.tmpDir, `spm_ingest_${source.id}_${process.pid}_${fi}`);
    const writer = new SegmentedLoader(conn, table, tmpBase, display, physical);
    let written = 0;
    let rejected = 0;
    let width = 0;
    let areaIdx = -1;
    let periodIdx = -1;
    let colIdx: number[] = [];
    let parser: CellParser | null = null;
    const periods = new PeriodParser(source.period, source.period.column);
    const periodCache = new Map<string, { res: PeriodResult; quoted: string }>();
    const repairedLines: number[] = [];
    const repair: { example: [string, string] | null } = { example: null };
    const markers = new Map<string, { header: string; marker: string; lines: number[]; count: number }>();
    const fileRejects: RejectedRow[] = [];

    const reject = (line: number, code: string, reason: string, severity: RejectedRow['severity'], raw: string, column?: string, area?: string, year?: number): void => {
      rejected++;
      const r: RejectedRow = { source: source.id, file: display, line, code, reason, severity, raw: raw.length > 200 ? raw.slice(0, 200) : raw };
      if (column !== undefined) r.column = column;
      if (area !== undefined && area !== '') r.area_id = area;
      if (year !== undefined) r.year = year;
      fileRejects.push(r);
    };

    let result;
    try {
      result = await readCsvFile(
        abs,
        display,
        source.read,
        {
          keyHeaders: [source.area.column],
          allHeaders: [source.area.column, source.period.column, ...colHeaders],
          numericHeaders: colHeaders.filter((_, i) => colNumeric[i]),
        },
        {
          header(fields, line, read) {
            width = fields.length;
            areaIdx = findHeader(fields, source.area.column);
            periodIdx = findHeader(fields, source.period.column);
            colIdx = colHeaders.map((h) => findHeader(fields, h));
            const missing: string[] = [];
            if (areaIdx < 0) missing.push(source.area.column);
            if (periodIdx < 0) missing.push(source.period.column);
            colHeaders.forEach((h, i) => {
              if (colIdx[i]! < 0) missing.push(h);
            });
            if (missing.length > 0)
              throw new UserError({
                severity: 'error',
                code: 'source.missing_header',
                message: msg.missingHeaders(display, line, missing, fields),
                file: display,
                line,
              });
            parser = new CellParser(source.read.symbols, read.decimal, read.thousands, read.detected.includes('decimal'));
          },
          row(fields, line, raw, bad) {
            if (bad) return reject(line, 'encoding_error', msg.undecodableLine(source.read.encoding), 'error', raw);
            const nf = fields.length;
            if (nf !== width) {
              let n = nf;
              while (n > width && fields[n - 1]!.trim() === '') n--;
              if (n !== width) return reject(line, 'ragged_row', msg.ragged(width, n), 'error', raw);
            }
            // area
            const outcome = areas.resolve(level, fields[areaIdx]!);
            const areaId = areas.id;
            // period
            const pRaw = fields[periodIdx]!;
            let pc = periodCache.get(pRaw);
            if (pc === undefined) {
              pc = { res: periods.parse(pRaw), quoted: csvText(pRaw.trim()) };
              if (periodCache.size < 10000) periodCache.set(pRaw, pc);
            }
            const pres = pc.res;
            const year = pres.ok ? pres.year : undefined;
            if (outcome === AREA_TOTAL) return reject(line, 'total_row', msg.totalRow(areaId), 'info', raw, source.area.column, areaId, year);
            if (!pres.ok) return reject(line, pres.code, pres.reason, 'error', raw, source.period.column, areaId, undefined);
            if (outcome === AREA_UNKNOWN) {
              if (areaId === '') return reject(line, 'missing_area', msg.areaEmpty(source.area.column), 'error', raw, source.area.column, undefined, year);
              return reject(line, 'unknown_area', msg.unknownArea(areaId, level), 'error', raw, source.area.column, areaId, year);
            }
            const y = pres.year;
            const soz = areas.soz;
            if (soz !== undefined && ((soz.valid_from !== undefined && y < soz.valid_from) || (soz.valid_to !== undefined && y > soz.valid_to)))
              return reject(line, 'area_not_valid', msg.areaNotValid(areaId, y, soz.valid_from, soz.valid_to), 'error', raw, source.area.column, areaId, y);
            // cells
            const p = parser!;
            let qa = quotedAreas.get(areaId);
            if (qa === undefined) quotedAreas.set(areaId, (qa = csvText(areaId)));
            let out = line + ',' + qa + ',' + y + ',' + pc.quoted;
            let key = '';
            for (let c = 0; c < nCols; c++) {
              const err = p.parse(fields[colIdx[c]!]!, colTypes[c]!, colHeaders[c]!);
              if (err !== null) return reject(line, err.code, err.reason, 'error', raw, colHeaders[c]!, areaId, y);
              const v = p.value;
              if (colNumeric[c]) {
                out += v === null ? ',' : ',' + v;
                if (aggregated) out += p.flag === 0 ? ',' : p.flag === FLAG_MISSING ? ',missing' : p.flag === FLAG_SUPPRESSED ? ',suppressed' : ',';
                if (p.marker !== '') {
                  const mk = colHeaders[c]! + '\u0001' + p.marker;
                  let m = markers.get(mk);
                  if (m === undefined) markers.set(mk, (m = { header: colHeaders[c]!, marker: p.marker, lines: [], count: 0 }));
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
              repairedLines.push(line);
              if (repair.example === null) repair.example = [fields[areaIdx]!.trim(), areaId];
            }
            if (aggregated) {
              const k = areaId + '\u0001' + y + (textCols.length > 0 ? key : '');
              const prev = keyMap.get(k);
              const ref: DupRef = { file: display, fileIdx: fi, line, area: areaId, year: y };
              if (prev === undefined) {
                keyMap.set(k, keyRefs.length);
                keyRefs.push(ref);
              } else {
                let g = dupGroups.get(k);
                if (g === undefined) dupGroups.set(k, (g = [prev]));
                g.push(keyRefs.length);
                keyRefs.push(ref);
              }
            }
            writer.write(out + '\n');
            written++;
            if ((written & (PROGRESS_EVERY - 1)) === 0) opts.onProgress?.({ source: source.id, file: display, rows: written });
          },
        },
      );
    } catch (e) {
      await writer.abort();
      if (e instanceof UserError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
        throw new UserError({ severity: 'error', code: 'source.unreadable', message: msg.fileMissing(display), file: display });
      throw e;
    }
    await writer.finish();
    opts.onProgress?.({ source: source.id, file: display, rows: written });

    issues.push(...result.issues);
    if (result.empty) issues.push({ severity: 'error', code: 'source.empty_file', message: msg.emptyFile(display), file: display });
    else if (result.rows === 0)
      issues.push({ severity: 'error', code: 'source.no_data_rows', message: msg.noDataRows(display), file: display, line: result.headerLine });
    if (repairedLines.length > 0 && repair.example !== null) {
      const [from, to] = repair.example;
      issues.push({
        severity: 'warning',
        code: 'source.leading_zero_repaired',
        message: msg.leadingZeroRepaired(repairedLines.length, repairedLines, from, to),
        file: display,
        line: repairedLines[0]!,
        column: source.area.column,
      });
    }
    for (const m of markers.values())
      issues.push({ severity: 'info', code: 'source.provisional_marker', message: msg.provisional(m.header, m.marker, m.count, m.lines), file: display, line: m.lines[0]!, column: m.header });
    rejects.push(...fileRejects);
    accounts.push({
      file: display,
      sha256: result.sha256,
      bytes: result.bytes,
      read: result.read,
      header: result.header,
      rows_read: result.rows,
      rows_loaded: written,
      rows_rejected: rejected,
      skipped_lines: result.skipped,
    });
  }

  // duplicate keys: every row of a duplicated key is rejected and removed
  if (dupGroups.size > 0) {
    const del = await conn.prepare(`DELETE FROM ${quoteIdent(table)} WHERE _file = $1 AND _line = $2`);
    for (const group of dupGroups.values()) {
      const refs = group.map((i) => keyRefs[i]!);
      for (const r of refs) {
        const others = refs
          .filter((o) => o !== r)
          .map((o) => (o.file === r.file ? `Zeile ${o.line}` : `${o.file}:${o.line}`));
        rejects.push({
          source: source.id,
          file: r.file,
          line: r.line,
          column: source.area.column,
          code: 'duplicate_key',
          reason: msg.duplicateKey(r.area, r.year, others),
          severity: 'error',
          area_id: r.area,
          year: r.year,
        });
        del.bindVarchar(1, r.file);
        del.bindBigInt(2, BigInt(r.line));
        await del.run();
        const acc = accounts[r.fileIdx]!;
        acc.rows_loaded--;
        acc.rows_rejected++;
      }
    }
    del.destroySync();
  }
  rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

  const yr = await conn.runAndReadAll(`SELECT DISTINCT year FROM ${quoteIdent(table)} ORDER BY year`);
  const years = yr.getColumns()[0]?.map((v) => Number(v)) ?? [];
  const sum = (k: 'rows_read' | 'rows_loaded' | 'rows_rejected'): number => accounts.reduce((s, a) => s + a[k], 0);
  const loaded: LoadedSource = {
    id: source.id,
    table,
    kind: source.kind,
    level,
    years,
    columns,
    accounting: { source: source.id, files: accounts, rows_read: sum('rows_read'), rows_loaded: sum('rows_loaded'), rows_rejected: sum('rows_rejected') },
  };
  return { loaded, rejects, issues };
}
