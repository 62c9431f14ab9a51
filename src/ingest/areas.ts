/**
 * The area list (the declared hierarchy, by default Kreis -> Kommune ->
 * Sozialraum): reading, repair of lost leading zeros, totals rows, and
 * resolution of area ids in source files.
 *
 * Totals are recognised by code: a row is a total when its code is the code of
 * an area on a higher level (or of the top); an area above the source's level with
 * nothing below it (a Kommune without Sozialräume) is resolved first, as the source's own. Names never make a row a total in
 * the area list (Hamburg has Stadtteile named like their Bezirke).
 * `isTotalCode` is the reusable test (also for totals rows in source files).
 */
import type { Project } from '../config/project.js';
import { depthOf, projectHierarchy, topNameKeys, type Hierarchy, type HierarchyLevel } from '../config/hierarchy.js';
import { UserError, type Issue } from '../util/issues.js';
import { findHeader } from './fields.js';
import { msg } from './messages.js';
import { displayPath, escapesProject, resolveProjectPath } from './paths.js';
import { readCsvFile, type ReadFileResult } from './reader.js';
import type { Area, AreaRegistry, FileAccounting, Kommune, RejectedRow, Sozialraum } from './types.js';

export const AREAS_SOURCE = 'areas';

const TOTAL_RE = /(^|[\s(])(insgesamt|summe|gesamt|zusammen|total)($|[\s):.,])/i;

/** Resolution outcome codes of `AreaIndex.resolve`. */
export const AREA_OK = 0;
export const AREA_REPAIRED = 1;
export const AREA_TOTAL = 2;
export const AREA_UNKNOWN = 3;
/** The cell fits several areas of the level (see `AreaIndex.candidates`). */
export const AREA_AMBIGUOUS = 4;
/** Matched by a name or an alias of the area list (not by its code). */
export const AREA_ALIAS = 5;
export type AreaOutcome = 0 | 1 | 2 | 3 | 4 | 5;

/** How a source's area cell is matched (`sources[].area.match`). */
export type AreaMatch = 'code' | 'name' | 'any';

const DASHES = /[\u2010-\u2015\u2212\u00ad\ufe58\ufe63\uff0d-]/g;

/**
 * The spelling-free key of an area code, name or alias: case, Unicode form, runs of
 * whitespace, dash variants and spaces around dashes do not count ("Altstadt - Lehel" =
 * "altstadt-lehel"), and a purely numeric code loses its leading zeros ("01" = "1").
 */
export function areaKey(s: string): string {
  const k = s
    .normalize('NFC')
    .toLocaleLowerCase('de')
    .replace(DASHES, '-')
    .replace(/\s+/g, ' ')
    .replace(/ ?- ?/g, '-')
    .trim();
  return /^\d+$/.test(k) ? k.replace(/^0+(?=\d)/, '') : k;
}

/** Words that make an id cell a totals row when it is no area's code ("Insgesamt", "Summe" …). */
/**
 * A value that names a total of a Merkmal column in a long file: the whole value "Insgesamt",
 * "Gesamt", "Summe", "zusammen", "Total" or "alle", or one ending in "insgesamt" or "gesamt"
 * ("Kinder insgesamt"). Stricter than {@link isTotalWord}: "zusammen lebend" is a value like others.
 */
export function isTotalValue(cell: string): boolean {
  return /^(?:insgesamt|gesamt|summe|zusammen|total|alle|.*\s(?:insgesamt|gesamt))$/i.test(cell.trim());
}

export function isTotalWord(cell: string): boolean {
  const l = cell.trim().toLowerCase();
  return l !== '' && (TOTAL_RE.test(l) || l === 'kreis' || l.startsWith('kreis ') || l.startsWith('kr. '));
}

/**
 * The code with the leading zero Excel drops from AGS-like codes (Kreis "5558" for
 * "05558", Gemeinde "5558016"); only for numbers of 4 or more digits, because short codes
 * are codes of their own: the Regierungsbezirk "5" of NRW is no lost Land code "05".
 */
export function withLostZero(code: string): string | undefined {
  return /^\d{4,}$/.test(code) ? '0' + code : undefined;
}

/**
 * True if `code` is a totals code for areas of depth `depth`: the top's code or
 * the code of an area on a higher level (also with a leading zero lost in Excel).
 */
export function isTotalCode(code: string, depth: number, h: Hierarchy, areaById: ReadonlyMap<string, Area>): boolean {
  const c = code.trim();
  if (c === '') return false;
  if (c === h.top.id || withLostZero(c) === h.top.id) return true;
  const z = withLostZero(c);
  const hit = areaById.get(c) ?? (z === undefined ? undefined : areaById.get(z));
  return hit !== undefined && hit.depth < depth;
}

export class AreaIndex {
  /** Areas by level name, then by id. */
  readonly byLevel = new Map<string, Map<string, Area>>();
  /** Every area below the top by id (ids are unique across levels). */
  readonly byId = new Map<string, Area>();
  /**
   * The areas a source at a level delivers, by level name, then by id: the areas of that level and
   * every area above it without areas below it (a Kommune without Sozialräume is its own smallest
   * area: its row in a Sozialraum file is its data, not a total).
   */
  private readonly sourceLevel = new Map<string, Map<string, Area>>();
  private readonly names = new Set<string>();
  /** `areaKey` of every area name: a totals row "Altstadt - Lehel" for the area "Altstadt-Lehel". */
  private readonly nameSpellings = new Set<string>();
  /** Lower-case name of the top and its aliases (`areas.top.aliases`). */
  private readonly topNamesLower: Set<string>;
  /** `areaKey` of those. */
  private readonly topKeys: Set<string>;
  /** Per level: areas by the key (`areaKey`) of their code, and by the key of their name or an alias. */
  private readonly codeKeys = new Map<string, Map<string, Area[]>>();
  private readonly nameKeys = new Map<string, Map<string, Area[]>>();
  /** Set by `resolve`: the normalized id and the area (undefined unless resolved). */
  id = '';
  area: Area | undefined = undefined;
  /** Set by `resolve` for `AREA_AMBIGUOUS`: the areas the cell fits. */
  candidates: Area[] = [];

  constructor(readonly registry: AreaRegistry) {
    for (const l of registry.hierarchy.levels) {
      this.byLevel.set(l.name, new Map());
      this.codeKeys.set(l.name, new Map());
      this.nameKeys.set(l.name, new Map());
    }
    const add = (m: Map<string, Area[]> | undefined, key: string, x: Area): void => {
      if (m === undefined || key === '') return;
      const list = m.get(key);
      if (list === undefined) m.set(key, [x]);
      else if (!list.includes(x)) list.push(x);
    };
    const levels = registry.hierarchy.levels;
    const parents = new Set(registry.areas.map((x) => x.parent));
    for (const l of levels) this.sourceLevel.set(l.name, new Map());
    for (const x of registry.areas) {
      this.byLevel.get(x.level)?.set(x.id, x);
      this.byId.set(x.id, x);
      this.names.add(x.name.trim().toLowerCase());
      this.nameSpellings.add(areaKey(x.name));
      // its own level, and every deeper level when nothing lies below it
      const deliveredAt = parents.has(x.id) ? [x.level] : levels.slice(x.depth - 1).map((l) => l.name);
      for (const level of deliveredAt) {
        this.sourceLevel.get(level)?.set(x.id, x);
        add(this.codeKeys.get(level), areaKey(x.id), x);
        add(this.nameKeys.get(level), areaKey(x.name), x);
        for (const a of x.aliases ?? []) add(this.nameKeys.get(level), areaKey(a), x);
      }
    }
    this.topNamesLower = topNameKeys(registry.hierarchy, (s) => s.trim().toLowerCase());
    this.topKeys = topNameKeys(registry.hierarchy, areaKey);
  }

  /** Areas of one level, by id. */
  at(level: string): ReadonlyMap<string, Area> {
    return this.byLevel.get(level) ?? new Map();
  }

  /**
   * Another area (of another level) with the same name as area `id`, if any: Hamburg's Stadtteil
   * Eimsbüttel and its Bezirk Eimsbüttel. Its level's label (or name) comes along for messages.
   */
  namesake(id: string): { id: string; name: string; levelLabel: string } | undefined {
    const a = this.byId.get(id);
    if (a === undefined) return undefined;
    const key = areaKey(a.name);
    for (const x of this.registry.areas)
      if (x !== a && x.level !== a.level && areaKey(x.name) === key) {
        const l = this.registry.hierarchy.levels.find((v) => v.name === x.level);
        return { id: x.id, name: x.name, levelLabel: l?.label ?? x.level };
      }
    return undefined;
  }

  /** The areas a source at `level` delivers, by id: those of the level and the areas above it with nothing below. */
  deliveredAt(level: string): ReadonlyMap<string, Area> {
    return this.sourceLevel.get(level) ?? new Map();
  }

  /**
   * A totals row in a source at `level` whose cell is no area of that level: the
   * code of the top or of a higher-level area, a totals word, or the name of the
   * top or of another area.
   */
  isTotal(cell: string, level: string): boolean {
    const depth = depthOf(this.registry.hierarchy, level);
    if (isTotalCode(cell, depth, this.registry.hierarchy, this.byId) || isTotalWord(cell)) return true;
    const l = cell.trim().toLowerCase();
    if (l === '') return false;
    if (this.topNamesLower.has(l) || this.names.has(l)) return true;
    // another spelling of a name counts only where it is not a number (codes are matched above)
    const k = areaKey(l);
    return !/^\d+$/.test(k) && (this.nameSpellings.has(k) || this.topKeys.has(k));
  }

  /**
   * Resolves a source's area cell. Sets `id` (and `area`) and returns the outcome.
   * `match` (`sources[].area.match`): `code` takes the exact code, a lost leading zero,
   * the code in another spelling ("1" for "01") and the aliases of the area list;
   * `name` the name or an alias; `any` a code first, then a name. A spelling that fits
   * several areas of the level is `AREA_AMBIGUOUS` (never a guess).
   */
  resolve(level: string, raw: string, match: AreaMatch = 'code'): AreaOutcome {
    let s = raw;
    if (s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32)) s = s.trim();
    const m = this.sourceLevel.get(level);
    if (match !== 'name') {
      const hit = m?.get(s);
      if (hit !== undefined) {
        this.id = s;
        this.area = hit;
        return AREA_OK;
      }
      const z = m?.get('0' + s);
      if (z !== undefined) {
        this.id = z.id;
        this.area = z;
        return AREA_REPAIRED;
      }
    }
    this.area = undefined;
    this.id = s;
    if (s !== '') {
      const key = areaKey(s);
      const byCode = match === 'name' ? undefined : this.codeKeys.get(level)?.get(key);
      const found = byCode ?? this.nameKeys.get(level)?.get(key);
      // in code mode a name is no match (only an alias is)
      const list =
        match === 'code' && byCode === undefined
          ? found?.filter((x) => x.aliases?.some((a) => areaKey(a) === key))
          : found;
      if (list !== undefined && list.length > 1) {
        this.candidates = list;
        return AREA_AMBIGUOUS;
      }
      if (list !== undefined && list.length === 1) {
        this.area = list[0]!;
        this.id = this.area.id;
        return AREA_ALIAS;
      }
    }
    if (this.isTotal(s, level)) return AREA_TOTAL;
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

/** Reads `project.config.areas` into the area registry. `needDepth`: the deepest level a source uses. Throws UserError if unreadable. */
export async function loadAreas(project: Project, needDepth: number): Promise<AreasResult> {
  const cfg = project.config.areas;
  const h = projectHierarchy(project.config);
  if (escapesProject(cfg.file))
    throw new UserError({
      severity: 'error',
      code: 'config.path_escapes',
      message: msg.pathEscapes(cfg.file),
      path: 'areas.file',
    });
  const abs = resolveProjectPath(project.root, cfg.file);
  const display = displayPath(project.root, abs);
  const cols = cfg.columns;
  const issues: Issue[] = [];
  const rejects: RejectedRow[] = [];
  const byId = new Map<string, Area & { line: number }>();
  const order: (Area & { line: number })[] = [];
  /** The rows that declared an area as their deepest level (for duplicates). */
  const ownLine = new Map<string, number>();
  // Kreis shape: AGS must lie in the Kreis; Sozialraum ids built on the AGS get their zero back too
  const kreisAgs = h.kreisShape ? h.top.id : undefined;
  let levels: HierarchyLevel[] = h.levels;
  let idIdx: number[] = [];
  let nameIdx: number[] = [];
  /** Alias columns per level (`alias_column`) and the row's own alias column (`columns.aliases`). */
  let aliasIdx: number[] = [];
  let rowAliasIdx = -1;
  const aliasLines = new Map<Area, { alias: string; line: number; column: string }[]>();
  let fromIdx = -1;
  let toIdx = -1;
  let width = 0;
  let loaded = 0;
  let rejected = 0;

  const reject = (
    line: number,
    code: string,
    reason: string,
    severity: RejectedRow['severity'],
    raw: string,
    column?: string,
    area?: string,
  ): void => {
    rejected++;
    const r: RejectedRow = {
      source: AREAS_SOURCE,
      file: display,
      line,
      code,
      reason,
      severity,
      raw: raw.slice(0, 200),
    };
    if (column !== undefined) r.column = column;
    if (area !== undefined) r.area_id = area;
    rejects.push(r);
    if (severity === 'error') {
      const issue: Issue = { severity: 'error', code: `areas.${code}`, message: reason, file: display, line };
      if (column !== undefined) issue.column = column;
      issues.push(issue);
    }
  };

  /** A 7-digit id whose missing leading zero is certain (an AGS level, or an id built on an AGS in the Kreis). */
  const repairZero = (v: string, l: HierarchyLevel): string | undefined => {
    if (l.code === 'ags')
      return /^\d{7}$/.test(v) && (kreisAgs === undefined || ('0' + v).startsWith(kreisAgs)) ? '0' + v : undefined;
    if (kreisAgs !== undefined && /^\d{7}(?!\d)/.test(v) && !v.startsWith(kreisAgs) && ('0' + v).startsWith(kreisAgs))
      return '0' + v;
    return undefined;
  };

  let result: ReadFileResult;
  try {
    result = await readCsvFile(
      abs,
      display,
      cfg.read,
      {
        keyHeaders: h.levels.slice(0, Math.max(1, needDepth)).map((l) => l.idColumn),
        allHeaders: [
          ...h.levels.flatMap((l) => [l.idColumn, ...(l.nameColumn ? [l.nameColumn] : [])]),
          cols.valid_from,
          cols.valid_to,
        ],
        numericHeaders: [],
      },
      {
        header(fields, line) {
          const present = h.levels.map((l) => findHeader(fields, l.idColumn));
          // the levels in use: from the top down while their id column is present
          let k = 0;
          while (k < present.length && present[k]! >= 0) k++;
          const missing = h.levels.slice(k, Math.max(k, needDepth, 1)).map((l) => l.idColumn);
          if (missing.length > 0)
            throw new UserError({
              severity: 'error',
              code: 'areas.missing_header',
              message: msg.missingHeaders(display, line, missing, fields),
              file: display,
              line,
            });
          levels = h.levels.slice(0, k);
          idIdx = present.slice(0, k);
          nameIdx = levels.map((l) => (l.nameColumn ? findHeader(fields, l.nameColumn) : -1));
          aliasIdx = levels.map((l) => (l.aliasColumn ? findHeader(fields, l.aliasColumn) : -1));
          const noAlias = levels.filter((l, i) => l.aliasColumn !== undefined && aliasIdx[i]! < 0);
          if (noAlias.length > 0)
            throw new UserError({
              severity: 'error',
              code: 'areas.missing_header',
              message: msg.missingHeaders(
                display,
                line,
                noAlias.map((l) => l.aliasColumn!),
                fields,
              ),
              file: display,
              line,
            });
          rowAliasIdx = findHeader(fields, cols.aliases);
          fromIdx = findHeader(fields, cols.valid_from);
          toIdx = findHeader(fields, cols.valid_to);
          width = fields.length;
        },
        row(fields, line, raw, bad) {
          if (bad) return reject(line, 'encoding_error', msg.undecodableLine(cfg.read.encoding), 'error', raw);
          if (fields.length < width || fields.slice(width).some((f) => f.trim() !== '')) {
            let n = fields.length;
            while (n > width && fields[n - 1]!.trim() === '') n--;
            return reject(line, 'ragged_row', msg.ragged(width, n), 'error', raw);
          }
          const cell = (i: number): string => (i >= 0 ? (fields[i] ?? '').trim() : '');
          const ids = idIdx.map(cell);
          const names = nameIdx.map(cell);
          let deepest = -1;
          ids.forEach((v, i) => {
            if (v !== '') deepest = i;
          });
          // no key at all (a line of names only, "Insgesamt"): a totals row
          if (deepest < 0) {
            const shown = ids.find((v) => v !== '') ?? names.find((v) => v !== '') ?? '';
            return reject(line, 'total_row', msg.totalRow(shown), 'info', raw, undefined, shown || undefined);
          }
          // a totals word or the top's code in any key column ("Insgesamt;;;"): a totals row
          const word = ids.findIndex(
            (v) => v !== '' && (isTotalWord(v) || v === h.top.id || withLostZero(v) === h.top.id),
          );
          if (word >= 0)
            return reject(line, 'total_row', msg.totalRow(ids[word]!), 'info', raw, levels[word]!.idColumn, ids[word]);
          for (let i = 0; i < deepest; i++) {
            if (ids[i] === '')
              return reject(
                line,
                'level_gap',
                msg.levelGap(levels[i]!.idColumn, levels[deepest]!.idColumn),
                'error',
                raw,
                levels[i]!.idColumn,
              );
          }
          for (let i = 0; i <= deepest; i++) {
            const v = ids[i]!;
            if (v === h.top.id || withLostZero(v) === h.top.id || isTotalWord(v))
              return reject(line, 'total_row', msg.totalRow(v), 'info', raw, levels[i]!.idColumn, v);
            // the code of a level above on the same row (a Kommune AGS in the Sozialraum column)
            for (let j = 0; j < i; j++) {
              if (v === ids[j] || withLostZero(v) === ids[j] || v === withLostZero(ids[j]!))
                return reject(
                  line,
                  'total_row',
                  msg.totalRowCode(v, levels[j]!.label),
                  'info',
                  raw,
                  levels[i]!.idColumn,
                  v,
                );
            }
          }
          // codes: repair lost leading zeros, check AGS
          for (let i = 0; i <= deepest; i++) {
            const l = levels[i]!;
            const fixed = repairZero(ids[i]!, l);
            if (fixed !== undefined) {
              issues.push({
                severity: 'warning',
                code: 'areas.ags_repaired',
                message: msg.agsRepaired(ids[i]!, fixed),
                file: display,
                line,
                column: l.idColumn,
              });
              ids[i] = fixed;
            }
            if (l.code === 'ags') {
              if (!/^\d{8}$/.test(ids[i]!))
                return reject(line, 'ags_invalid', msg.agsInvalid(ids[i]!), 'error', raw, l.idColumn, ids[i]);
              if (kreisAgs !== undefined && !ids[i]!.startsWith(kreisAgs))
                return reject(
                  line,
                  'ags_outside_kreis',
                  msg.agsOutsideKreis(ids[i]!, kreisAgs),
                  'error',
                  raw,
                  l.idColumn,
                  ids[i],
                );
            }
          }
          // codes of the second level become parts of file names (vergleich_<code>.csv, the
          // charts and report pages per Kommune / Stadtbezirk): no path characters there
          if (/[\\/:*?"<>|\u0000-\u001f]/.test(ids[0]!))
            return reject(
              line,
              'code_invalid',
              msg.codeInvalid(levels[0]!.label, ids[0]!),
              'error',
              raw,
              levels[0]!.idColumn,
              ids[0],
            );
          // a code that another row declared on a higher level: this row is that area's total
          for (let i = 0; i <= deepest; i++) {
            const known = byId.get(ids[i]!);
            if (known && known.depth < i + 1)
              return reject(
                line,
                'total_row',
                msg.totalRowCode(ids[i]!, levels[known.depth - 1]!.label),
                'info',
                raw,
                levels[i]!.idColumn,
                ids[i],
              );
            // ... or the other way round: an earlier row used this row's higher-level code as a
            // smaller area with nothing below it: that earlier row was the total
            if (
              known &&
              known.depth > i + 1 &&
              ownLine.get(known.id) === known.line &&
              !order.some((a) => a.parent === known.id)
            ) {
              order.splice(order.indexOf(known), 1);
              byId.delete(known.id);
              ownLine.delete(known.id);
              loaded--;
              rejected++;
              rejects.push({
                source: AREAS_SOURCE,
                file: display,
                line: known.line,
                column: levels[known.depth - 1]!.idColumn,
                code: 'total_row',
                reason: msg.totalRowCode(known.id, levels[i]!.label),
                severity: 'info',
                area_id: known.id,
                raw: '',
              });
            }
          }
          const own = ids[deepest]!;
          const first = ownLine.get(own);
          if (first !== undefined)
            return reject(
              line,
              'duplicate_area',
              msg.duplicateArea(levels[deepest]!.label, own, first),
              'error',
              raw,
              levels[deepest]!.idColumn,
              own,
            );
          // the chain must agree with what earlier rows said about the same areas
          for (let i = 0; i <= deepest; i++) {
            const known = byId.get(ids[i]!);
            const parent = i === 0 ? h.top.id : ids[i - 1]!;
            if (known && (known.depth !== i + 1 || known.parent !== parent)) {
              const was = known.depth !== i + 1 ? `${levels[known.depth - 1]?.label ?? known.level}` : known.parent;
              return reject(
                line,
                'parent_conflict',
                msg.parentConflict(levels[i]!.label, ids[i]!, was, parent, known.line),
                'error',
                raw,
                levels[i]!.idColumn,
                ids[i],
              );
            }
          }
          const from = parseYear(cell(fromIdx));
          const to = parseYear(cell(toIdx));
          if (from === null)
            return reject(
              line,
              'invalid_year',
              msg.badValidYear(cols.valid_from, cell(fromIdx)),
              'error',
              raw,
              cols.valid_from,
              own,
            );
          if (to === null)
            return reject(
              line,
              'invalid_year',
              msg.badValidYear(cols.valid_to, cell(toIdx)),
              'error',
              raw,
              cols.valid_to,
              own,
            );
          for (let i = 0; i <= deepest; i++) {
            const id = ids[i]!;
            const name = names[i]!;
            const known = byId.get(id);
            if (!known) {
              const x: Area & { line: number } = {
                id,
                name: name || id,
                level: levels[i]!.name,
                depth: i + 1,
                parent: i === 0 ? h.top.id : ids[i - 1]!,
                line,
              };
              byId.set(id, x);
              order.push(x);
            } else if (name !== '' && known.name !== name && known.name !== id) {
              issues.push({
                severity: 'warning',
                code: 'areas.name_conflict',
                message: msg.nameConflict(levels[i]!.label, id, known.name, name),
                file: display,
                line,
              });
            } else if (known.name === id && name !== '') known.name = name;
          }
          // other spellings: a level's alias column for its area, the row's alias column for the row's own area
          for (let i = 0; i <= deepest; i++) {
            const pairs: [number, string][] = [[aliasIdx[i] ?? -1, levels[i]!.aliasColumn ?? '']];
            if (i === deepest) pairs.push([rowAliasIdx, cols.aliases]);
            for (const [idx, column] of pairs) {
              if (idx < 0) continue;
              const area = byId.get(ids[i]!)!;
              for (const alias of cell(idx).split('|')) {
                const a = alias.trim();
                if (a === '' || area.aliases?.includes(a)) continue;
                (area.aliases ??= []).push(a);
                let seen = aliasLines.get(area);
                if (seen === undefined) aliasLines.set(area, (seen = []));
                seen.push({ alias: a, line, column });
              }
            }
          }
          const x = byId.get(own)!;
          if (from !== undefined) x.valid_from = from;
          if (to !== undefined) x.valid_to = to;
          ownLine.set(own, line);
          loaded++;
        },
      },
    );
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new UserError({
        severity: 'error',
        code: 'areas.unreadable',
        message: msg.areaFileMissing(display),
        file: display,
        path: 'areas.file',
      });
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
  // an alias that is another area's code of the same level would never be used (codes go first)
  for (const [area, list] of aliasLines) {
    for (const { alias, line, column } of list) {
      const other = order.find((o) => o !== area && o.level === area.level && areaKey(o.id) === areaKey(alias));
      if (other === undefined) continue;
      const label = h.levels[area.depth - 1]?.label ?? area.level;
      issues.push({
        severity: 'error',
        code: 'areas.alias_conflict',
        message: msg.aliasConflict(label, alias, area.id, other.id),
        file: display,
        line,
        column,
      });
    }
  }
  const areas: Area[] = order.map(({ line: _line, ...a }) => a).sort((a, b) => a.depth - b.depth);
  const registry = buildRegistry(h, areas, {
    source: AREAS_SOURCE,
    files: [fa],
    rows_read: result.rows,
    rows_loaded: loaded,
    rows_rejected: rejected,
  });
  return { registry, index: new AreaIndex(registry), rejects, issues };
}

/** The registry with its Kreis-shaped views (Kommunen = depth 1, Sozialräume = deeper, with their depth-1 ancestor). */
export function buildRegistry(h: Hierarchy, areas: Area[], accounting: AreaRegistry['accounting']): AreaRegistry {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const top1 = (a: Area): string => {
    let x = a;
    while (x.depth > 1) x = byId.get(x.parent)!;
    return x.id;
  };
  const kommunen: Kommune[] = areas.filter((a) => a.depth === 1).map((a) => ({ ags: a.id, name: a.name }));
  const sozialraeume: Sozialraum[] = areas
    .filter((a) => a.depth > 1)
    .map((a) => {
      const s: Sozialraum = { id: a.id, name: a.name, kommune_ags: top1(a) };
      if (a.valid_from !== undefined) s.valid_from = a.valid_from;
      if (a.valid_to !== undefined) s.valid_to = a.valid_to;
      return s;
    });
  return {
    hierarchy: h,
    kreis: { ags: h.top.id, name: h.top.name },
    areas,
    kommunen,
    sozialraeume,
    groups: [],
    accounting,
  };
}
