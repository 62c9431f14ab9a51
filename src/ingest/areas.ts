/**
 * The area list (Sozialraum -> Kommune -> Kreis): reading, repair of lost leading
 * zeros, totals rows, and resolution of area ids in source files.
 */
import type { AreaLevel } from '../config/schema.js';
import type { Project } from '../config/project.js';
import { UserError, type Issue } from '../util/issues.js';
import { findHeader } from './fields.js';
import { msg } from './messages.js';
import { displayPath, escapesProject, resolveProjectPath } from './paths.js';
import { readCsvFile } from './reader.js';
import type { AreaRegistry, FileAccounting, Kommune, RejectedRow, Sozialraum } from './types.js';

export const AREAS_SOURCE = 'areas';

const TOTAL_RE = /(^|[\s(])(insgesamt|summe|gesamt|zusammen|total)($|[\s):.,])/i;

/** Resolution outcome codes of `AreaIndex.resolve`. */
export const AREA_OK = 0;
export const AREA_REPAIRED = 1;
export const AREA_TOTAL = 2;
export const AREA_UNKNOWN = 3;
export type AreaOutcome = 0 | 1 | 2 | 3;

export class AreaIndex {
  readonly sozById = new Map<string, Sozialraum>();
  readonly komByAgs = new Map<string, Kommune>();
  private readonly sozByAlias = new Map<string, Sozialraum>();
  private readonly komNames = new Set<string>();
  private readonly kreisNameLower: string;
  /** Set by `resolve`: the normalized id and, at sozialraum level, the Sozialraum. */
  id = '';
  soz: Sozialraum | undefined = undefined;

  constructor(readonly registry: AreaRegistry) {
    for (const k of registry.kommunen) {
      this.komByAgs.set(k.ags, k);
      this.komNames.add(k.name.toLowerCase());
    }
    for (const s of registry.sozialraeume) this.sozById.set(s.id, s);
    // other spellings from the area list; an id always wins over an alias
    for (const s of registry.sozialraeume)
      for (const a of s.aliases ?? []) if (!this.sozById.has(a) && !this.sozByAlias.has(a.toLowerCase())) this.sozByAlias.set(a.toLowerCase(), s);
    this.kreisNameLower = registry.kreis.name.trim().toLowerCase();
  }

  /** A totals row label (Insgesamt, Summe, Kreis …, the Kreis name or AGS). */
  isTotalLabel(s: string, level: AreaLevel): boolean {
    const l = s.trim().toLowerCase();
    if (l === '') return false;
    if (TOTAL_RE.test(l)) return true;
    if (l === 'kreis' || l.startsWith('kreis ') || l.startsWith('kr. ')) return true;
    // the bare Kreis name may also be a Kommune's name (Kreis Coesfeld / Stadt Coesfeld):
    // at Kommune level it is then not taken for a total
    if (l === this.kreisNameLower && (level === 'sozialraum' || !this.komNames.has(l))) return true;
    const kreis = this.registry.kreis.ags;
    return l === kreis || l === kreis + '000' || l === kreis.replace(/^0/, '');
  }

  isKommuneLabel(s: string): boolean {
    const t = s.trim();
    if (this.komByAgs.has(t) || (/^\d{7}$/.test(t) && this.komByAgs.has('0' + t))) return true;
    return this.komNames.has(t.toLowerCase());
  }

  /** Resolves a source's area cell. Sets `id` (and `soz`) and returns the outcome. */
  resolve(level: AreaLevel, raw: string): AreaOutcome {
    let s = raw;
    if (s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32)) s = s.trim();
    if (level === 'sozialraum') {
      const hit = this.sozById.get(s);
      if (hit !== undefined) {
        this.id = s;
        this.soz = hit;
        return AREA_OK;
      }
      const z = this.sozById.get('0' + s);
      if (z !== undefined) {
        this.id = z.id;
        this.soz = z;
        return AREA_REPAIRED;
      }
      const alias = this.sozByAlias.size > 0 ? this.sozByAlias.get(s.toLowerCase()) : undefined;
      if (alias !== undefined) {
        this.id = alias.id;
        this.soz = alias;
        return AREA_OK;
      }
      this.soz = undefined;
      this.id = s;
      if (this.isTotalLabel(s, level) || this.isKommuneLabel(s)) return AREA_TOTAL;
      return AREA_UNKNOWN;
    }
    this.soz = undefined;
    if (this.komByAgs.has(s)) {
      this.id = s;
      return AREA_OK;
    }
    if (this.komByAgs.has('0' + s)) {
      this.id = '0' + s;
      return AREA_REPAIRED;
    }
    this.id = s;
    if (this.isTotalLabel(s, level)) return AREA_TOTAL;
    return AREA_UNKNOWN;
  }
}

export interface AreasResult {
  registry: AreaRegistry;
  index: AreaIndex;
  rejects: RejectedRow[];
  issues: Issue[];
}

function parseYear(s: string): number | undefined | null {
  const t = s.trim();
  if (t === '') return undefined;
  if (!/^\d{4}$/.test(t)) return null;
  return Number(t);
}

/** Reads `project.config.areas` into the area registry. Throws UserError if unreadable. */
export async function loadAreas(project: Project, needSozialraum: boolean): Promise<AreasResult> {
  const cfg = project.config.areas;
  const kreis = project.config.kreis;
  if (escapesProject(cfg.file))
    throw new UserError({ severity: 'error', code: 'config.path_escapes', message: msg.pathEscapes(cfg.file), path: 'areas.file' });
  const abs = resolveProjectPath(project.root, cfg.file);
  const display = displayPath(project.root, abs);
  const cols = cfg.columns;
  const issues: Issue[] = [];
  const rejects: RejectedRow[] = [];
  const kommunen: Kommune[] = [];
  const komMap = new Map<string, Kommune>();
  const sozialraeume: Sozialraum[] = [];
  const sozLine = new Map<string, number>();
  const pendingTotals: { line: number; id: string; name: string; raw: string }[] = [];
  let idx = { soz: -1, sozName: -1, ags: -1, komName: -1, from: -1, to: -1, aliases: -1 };
  let width = 0;
  let loaded = 0;
  let rejected = 0;

  const reject = (line: number, code: string, reason: string, severity: RejectedRow['severity'], raw: string, column?: string, area?: string): void => {
    rejected++;
    const r: RejectedRow = { source: AREAS_SOURCE, file: display, line, code, reason, severity, raw: raw.slice(0, 200) };
    if (column !== undefined) r.column = column;
    if (area !== undefined) r.area_id = area;
    rejects.push(r);
    if (severity === 'error') {
      const issue: Issue = { severity: 'error', code: `areas.${code}`, message: reason, file: display, line };
      if (column !== undefined) issue.column = column;
      issues.push(issue);
    }
  };

  const kreisName = kreis.name.trim().toLowerCase();
  /** Totals words; `withKreisName`: also the bare Kreis name (not for name columns: Kreis Coesfeld has a Kommune Coesfeld). */
  const isTotal = (s: string, withKreisName: boolean): boolean => {
    const l = s.trim().toLowerCase();
    return (
      l !== '' &&
      (TOTAL_RE.test(l) ||
        l === 'kreis' ||
        l.startsWith('kreis ') ||
        (withKreisName && l === kreisName) ||
        l === kreis.ags ||
        l === kreis.ags + '000')
    );
  };

  let result;
  try {
    result = await readCsvFile(
      abs,
      display,
      cfg.read,
      {
        keyHeaders: [cols.sozialraum_id, cols.kommune_ags],
        allHeaders: Object.values(cols),
        numericHeaders: [],
      },
      {
        header(fields, line) {
          idx = {
            soz: findHeader(fields, cols.sozialraum_id),
            sozName: findHeader(fields, cols.sozialraum_name),
            ags: findHeader(fields, cols.kommune_ags),
            komName: findHeader(fields, cols.kommune_name),
            from: findHeader(fields, cols.valid_from),
            to: findHeader(fields, cols.valid_to),
            aliases: findHeader(fields, cols.aliases),
          };
          width = fields.length;
          const missing: string[] = [];
          if (idx.ags < 0) missing.push(cols.kommune_ags);
          if (needSozialraum && idx.soz < 0) missing.push(cols.sozialraum_id);
          if (missing.length > 0)
            throw new UserError({
              severity: 'error',
              code: 'areas.missing_header',
              message: msg.missingHeaders(display, line, missing, fields),
              file: display,
              line,
            });
        },
        row(fields, line, raw, bad) {
          if (bad) return reject(line, 'encoding_error', msg.undecodableLine(cfg.read.encoding), 'error', raw);
          if (fields.length < width || fields.slice(width).some((f) => f.trim() !== '')) {
            let n = fields.length;
            while (n > width && fields[n - 1]!.trim() === '') n--;
            return reject(line, 'ragged_row', msg.ragged(width, n), 'error', raw);
          }
          const cell = (i: number): string => (i >= 0 ? (fields[i] ?? '').trim() : '');
          let ags = cell(idx.ags);
          let sozId = cell(idx.soz);
          const sozName = cell(idx.sozName);
          const komName = cell(idx.komName);
          // totals rows
          // a kreisfreie Stadt: its one Kommune has the AGS <Kreis>000; with a Sozialraum on the row it is no total
          const cityKommune = ags === kreis.ags + '000' && sozId !== '' && sozId !== ags && !isTotal(sozId, true) && !isTotal(sozName, false);
          if (ags === '' || (isTotal(ags, true) && !cityKommune) || isTotal(komName, false) || isTotal(sozId, true) || isTotal(sozName, false)) {
            return reject(line, 'total_row', msg.totalRow(sozId || ags || komName || sozName), 'info', raw, undefined, sozId || ags);
          }
          if (/^\d{7}$/.test(ags) && ('0' + ags).startsWith(kreis.ags)) {
            const fixed = '0' + ags;
            issues.push({ severity: 'warning', code: 'areas.ags_repaired', message: msg.agsRepaired(ags, fixed), file: display, line, column: cols.kommune_ags });
            ags = fixed;
          }
          if (!/^\d{8}$/.test(ags)) return reject(line, 'ags_invalid', msg.agsInvalid(ags), 'error', raw, cols.kommune_ags, ags);
          if (!ags.startsWith(kreis.ags))
            return reject(line, 'ags_outside_kreis', msg.agsOutsideKreis(ags, kreis.ags), 'error', raw, cols.kommune_ags, ags);
          // Kommune
          const known = komMap.get(ags);
          if (!known) {
            const k: Kommune = { ags, name: komName || ags };
            komMap.set(ags, k);
            kommunen.push(k);
          } else if (komName !== '' && known.name !== komName && known.name !== ags) {
            issues.push({ severity: 'warning', code: 'areas.kommune_name_conflict', message: msg.kommuneNameConflict(ags, known.name, komName), file: display, line });
          } else if (known.name === ags && komName !== '') known.name = komName;
          if (idx.soz < 0 || sozId === '') {
            loaded++;
            return;
          }
          // a Kommune AGS or name in the Sozialraum column is that Kommune's total
          if (sozId === ags || sozId === ags.slice(1) || sozId.toLowerCase() === komName.toLowerCase()) {
            return reject(line, 'total_row', msg.totalRow(sozId), 'info', raw, cols.sozialraum_id, sozId);
          }
          if (/^\d{7}(?!\d)/.test(sozId) && !sozId.startsWith(kreis.ags) && ('0' + sozId).startsWith(kreis.ags)) {
            const fixed = '0' + sozId;
            issues.push({ severity: 'warning', code: 'areas.ags_repaired', message: msg.agsRepaired(sozId, fixed), file: display, line, column: cols.sozialraum_id });
            sozId = fixed;
          }
          if (/^\d{8}$/.test(sozId) || /^\d{7}$/.test(sozId)) {
            // possibly another Kommune's AGS: decide after all Kommunen are known
            pendingTotals.push({ line, id: sozId, name: sozName, raw });
          }
          const first = sozLine.get(sozId);
          if (first !== undefined) return reject(line, 'duplicate_area', msg.duplicateSozialraum(sozId, first), 'error', raw, cols.sozialraum_id, sozId);
          const from = parseYear(cell(idx.from));
          const to = parseYear(cell(idx.to));
          if (from === null) return reject(line, 'invalid_year', msg.badValidYear(cols.valid_from, cell(idx.from)), 'error', raw, cols.valid_from, sozId);
          if (to === null) return reject(line, 'invalid_year', msg.badValidYear(cols.valid_to, cell(idx.to)), 'error', raw, cols.valid_to, sozId);
          const s: Sozialraum = { id: sozId, name: sozName || sozId, kommune_ags: ags };
          if (from !== undefined) s.valid_from = from;
          if (to !== undefined) s.valid_to = to;
          const aliases = cell(idx.aliases).split('|').map((a) => a.trim()).filter((a) => a !== '' && a !== sozId);
          if (aliases.length > 0) s.aliases = aliases;
          sozLine.set(sozId, line);
          sozialraeume.push(s);
          loaded++;
        },
      },
    );
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new UserError({ severity: 'error', code: 'areas.unreadable', message: msg.areaFileMissing(display), file: display, path: 'areas.file' });
    throw e;
  }
  if (result.empty || result.rows === 0) {
    throw new UserError({
      severity: 'error',
      code: 'areas.empty',
      message: result.empty ? msg.emptyFile(display) : msg.noDataRows(display),
      file: display,
      path: 'areas.file',
    });
  }
  // Sozialraum ids that are in fact Kommune AGS are totals rows
  for (const p of pendingTotals) {
    const id = p.id.length === 7 ? '0' + p.id : p.id;
    if (komMap.has(id) && sozLine.get(p.id) === p.line) {
      const i = sozialraeume.findIndex((s) => s.id === p.id);
      if (i >= 0) sozialraeume.splice(i, 1);
      sozLine.delete(p.id);
      loaded--;
      rejected++;
      rejects.push({ source: AREAS_SOURCE, file: display, line: p.line, column: cols.sozialraum_id, code: 'total_row', reason: msg.totalRow(p.id), severity: 'info', area_id: p.id, raw: p.raw.slice(0, 200) });
    }
  }
  rejects.sort((a, b) => a.line - b.line);
  issues.unshift(...result.issues);
  const fa: FileAccounting = {
    file: display,
    sha256: result.sha256,
    bytes: result.bytes,
    read: result.read,
    header: result.header,
    rows_read: result.rows,
    rows_loaded: loaded,
    rows_rejected: rejected,
    skipped_lines: result.skipped,
  };
  const registry: AreaRegistry = {
    kreis: { ags: kreis.ags, name: kreis.name },
    kommunen,
    sozialraeume,
    accounting: { source: AREAS_SOURCE, files: [fa], rows_read: result.rows, rows_loaded: loaded, rows_rejected: rejected },
  };
  return { registry, index: new AreaIndex(registry), rejects, issues };
}
