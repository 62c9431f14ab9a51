/**
 * `spm init`, step 2: from the inspected files, propose sources (files of the
 * same shape that differ only by a year become one glob), their canonical schema
 * and column mapping, the Kreis and the area list.
 */
import { canonicalSchema } from '../../config/canonical/schemas.js';
import type { CityColumn, ColumnMatch, FileInspection } from './inspect-file.js';

/** The shape of the project: a Landkreis (kreis > kommune > sozialraum) or a kreisfreie Stadt (areas.top, areas.levels). */
export type Shape = 'kreis' | 'stadt';

export interface ProposedSource {
  id: string;
  files: string;
  fileCount: number;
  schemas: string[];
  kind: 'aggregated' | 'microdata';
  /** The level: sozialraum or kommune for a Kreis, a declared level (stadtbezirk …) for a Stadt. */
  area: { column: string; level: string };
  period: { column: string; kind: 'kalenderjahr' | 'schuljahr' };
  columns: ColumnMatch[];
  unmatched: string[];
  first: FileInspection;
  years: number[];
  /** Data owner when known (interactive mode); else spm.yaml gets a TODO. */
  owner?: string;
}

export interface AreaRow {
  sozialraum_id: string;
  sozialraum_name: string;
  kommune_ags: string;
  kommune_name: string;
}

export interface Proposal {
  sources: ProposedSource[];
  /** Files that could not become a source, with why. */
  leftOut: { file: string; why: string }[];
  kreisAgs?: string;
  /** Name of the Kreis when known (interactive mode). */
  kreisName?: string;
  areas: AreaRow[];
  /** Kommunen without Sozialräume in the files (Kommune-level sources only). */
  kommunen: { ags: string; name: string }[];
  years: number[];
  shape: Shape;
  /** The Stadt shape: its levels and areas (`areas` and `kommunen` are then empty). */
  stadt?: CityProposal;
}

/** A kreisfreie Stadt: the top (id and name where known) and the levels below it, from the files. */
export interface CityProposal {
  /** Gemeindeschlüssel of the Stadt: from the files when they name exactly one, or given (interactive mode). */
  id?: string;
  /** The id is the one the files name (spm.yaml asks to check it). */
  idFromFiles?: boolean;
  /** Name of the Stadt when known (interactive mode). */
  name?: string;
  /** Levels from the top down: `stadtbezirk` > `stadtteil`. */
  levels: { name: string; label: string }[];
  /** gebiete.csv rows: code and name per level from the top down; a row may stop at a higher level. */
  rows: { id: string; name: string }[][];
  /** Areas below the first level whose upper area the files do not tell. */
  noParent: number;
}

/** What the files say about the shape, and whether a human should confirm it. */
export interface ShapeGuess {
  shape: Shape;
  /** Gemeindeschlüssel of two or more Kommunen: a Kreis for sure. */
  certain: boolean;
  /** German, for the list of what is left to do. */
  why: string;
}

const agsOf = (files: readonly FileInspection[]): Set<string> => {
  const ags = new Set<string>();
  for (const f of files) {
    if (f.area?.level === 'kommune') for (const k of f.areas.keys()) if (/^\d{8}$/.test(k)) ags.add(k);
    for (const k of f.kommuneOf.values()) ags.add(k);
    for (const k of f.city?.ags ?? []) ags.add(k);
  }
  return ags;
};

/**
 * Kreis or kreisfreie Stadt: Gemeindeschlüssel of several Kommunen make a Kreis; area columns of a
 * Stadt (Stadtbezirk, Stadtteil, Planungsraum …) without them a Stadt. A folder with Sozialräume
 * only stays a Kreis (the word is a Kreis' as much as a Stadt's), as before.
 */
export function guessShape(files: readonly FileInspection[]): ShapeGuess {
  const ags = agsOf(files);
  if (ags.size >= 2)
    return { shape: 'kreis', certain: true, why: `Gemeindeschlüssel von ${ags.size} Kommunen in den Dateien` };
  const city = files.filter((f) => f.city && !f.city.generic);
  if (city.length > 0) {
    const words = [...new Set(city.flatMap((f) => f.city!.columns.map((c) => c.column)))];
    return {
      shape: 'stadt',
      certain: false,
      why: `Gebietsspalten einer Stadt (${words.slice(0, 3).join(', ')}${words.length > 3 ? ' …' : ''}) und keine Gemeindeschlüssel mehrerer Kommunen`,
    };
  }
  return { shape: 'kreis', certain: false, why: 'keine Gemeindeschlüssel mehrerer Kommunen in den Dateien' };
}

/**
 * The files a source can be proposed for, grouped into one source per name pattern (digits as
 * "*") and header; the others with the reason why not (`noArea`: null when the file has the area
 * column the shape needs).
 */
function groupFiles(
  files: readonly FileInspection[],
  noArea: (f: FileInspection) => string | null,
): { groups: FileInspection[][]; leftOut: Proposal['leftOut'] } {
  const leftOut: Proposal['leftOut'] = [];
  const groups = new Map<string, FileInspection[]>();
  for (const f of files) {
    const why = noArea(f) ?? (f.period ? null : 'keine Spalte mit dem Jahr oder Schuljahr erkannt');
    if (why) {
      leftOut.push({ file: f.file, why });
      continue;
    }
    const key = `${f.file.replace(/\d+/g, '*')}\u0000${f.header.join('\u0001')}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return { groups: [...groups.values()], leftOut };
}

/** The columns the schemas matched, each header once (the first schema's match). */
function mergedColumns(schemas: readonly { columns: readonly ColumnMatch[] }[]): ColumnMatch[] {
  const columns: ColumnMatch[] = [];
  for (const s of schemas) for (const c of s.columns) if (!columns.some((x) => x.header === c.header)) columns.push(c);
  return columns;
}

/** `base`, or `base_2`, `base_3` … whichever is not used yet (and is from now on). */
function uniqueId(used: Set<string>, base: string): string {
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
  used.add(id);
  return id;
}

export function propose(files: readonly FileInspection[], shape: Shape = guessShape(files).shape): Proposal {
  if (shape === 'stadt') return proposeCity(files);
  const { groups, leftOut } = groupFiles(files, (f) =>
    f.area ? null : 'keine Gebietsspalte erkannt (Sozialraum, AGS, Gemeindeschlüssel …)',
  );
  const used = new Set<string>();
  const sources: ProposedSource[] = [];
  for (const group of groups) {
    const first = group[0]!;
    const schemas = first.schemas.map((s) => s.schema);
    const columns = mergedColumns(first.schemas);
    const id = uniqueId(used, schemas[0] ?? slug(first.file));
    const microdata = first.repeatedKeys || schemas.some((s) => canonicalSchema(s)?.kind === 'microdata');
    sources.push({
      id,
      files: group.length > 1 ? globOf(first.file) : first.file,
      fileCount: group.length,
      schemas,
      kind: microdata ? 'microdata' : 'aggregated',
      area: first.area!,
      period: first.period!,
      columns,
      unmatched: first.unmatched,
      first,
      years: [...new Set(group.flatMap((g) => [...g.years]))].sort((a, b) => a - b),
    });
  }
  sources.sort((a, b) => a.id.localeCompare(b.id));

  // areas: Sozialräume from Sozialraum-level files; their Kommune from a file carrying both,
  // or from an id that starts with a known Kommune AGS (e.g. 05558004-01)
  const kommunen = new Map<string, string>();
  for (const f of files)
    if (f.area?.level === 'kommune') for (const [ags, name] of f.areas) if (!kommunen.get(ags)) kommunen.set(ags, name);
  const soz = new Map<string, AreaRow>();
  for (const f of files) {
    if (f.area?.level !== 'sozialraum') continue;
    for (const [id, name] of f.areas) {
      const row = soz.get(id) ?? { sozialraum_id: id, sozialraum_name: '', kommune_ags: '', kommune_name: '' };
      if (!row.sozialraum_name && name) row.sozialraum_name = name;
      const ags = f.kommuneOf.get(id) ?? [...kommunen.keys()].find((k) => id.startsWith(k));
      if (!row.kommune_ags && ags) row.kommune_ags = ags;
      soz.set(id, row);
    }
  }
  for (const row of soz.values()) {
    if (row.kommune_ags && !kommunen.has(row.kommune_ags)) kommunen.set(row.kommune_ags, '');
    row.kommune_name = kommunen.get(row.kommune_ags) ?? '';
  }
  const areas = [...soz.values()].sort((a, b) =>
    a.sozialraum_id.localeCompare(b.sozialraum_id, 'de', { numeric: true }),
  );
  const withSoz = new Set(areas.map((a) => a.kommune_ags));
  const prefixes = new Map<string, number>();
  for (const ags of kommunen.keys()) prefixes.set(ags.slice(0, 5), (prefixes.get(ags.slice(0, 5)) ?? 0) + 1);
  const kreisAgs = [...prefixes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const out: Proposal = {
    sources,
    leftOut,
    areas,
    kommunen: [...kommunen.entries()]
      .filter(([ags]) => !withSoz.has(ags))
      .map(([ags, name]) => ({ ags, name }))
      .sort((a, b) => a.ags.localeCompare(b.ags)),
    years: [...new Set(sources.flatMap((s) => s.years))].sort((a, b) => a - b),
    shape: 'kreis',
  };
  if (kreisAgs) out.kreisAgs = kreisAgs;
  return out;
}

/** Sources grouped as for a Kreis, with the area columns of a Stadt. */
function proposeCity(files: readonly FileInspection[]): Proposal {
  const { groups, leftOut } = groupFiles(files, (f) =>
    f.city
      ? null
      : f.area?.level === 'kommune'
        ? 'nur Werte ganzer Gemeinden, keine Gebietsspalte unter der Stadt (Stadtbezirk, Stadtteil …)'
        : 'keine Gebietsspalte einer Stadt erkannt (Stadtbezirk, Stadtteil, Planungsraum …)',
  );
  const used = new Set<string>();
  const sources: ProposedSource[] = [];
  for (const group of groups) {
    const first = group[0]!;
    const c = first.city!;
    const schemas = c.schemas.map((s) => s.schema);
    const columns = mergedColumns(c.schemas);
    const id = uniqueId(used, schemas[0] ?? slug(first.file));
    const microdata = c.repeatedKeys || schemas.some((s) => canonicalSchema(s)?.kind === 'microdata');
    const area = c.columns[c.columns.length - 1]!;
    sources.push({
      id,
      files: group.length > 1 ? globOf(first.file) : first.file,
      fileCount: group.length,
      schemas,
      kind: microdata ? 'microdata' : 'aggregated',
      area: { column: area.column, level: area.level },
      period: first.period!,
      columns,
      unmatched: c.unmatched,
      first,
      years: [...new Set(group.flatMap((g) => [...g.years]))].sort((a, b) => a - b),
    });
  }
  sources.sort((a, b) => a.id.localeCompare(b.id));
  const ags = agsOf(files);
  const stadt = cityAreas(files.flatMap((f) => (f.city ? [f.city] : [])));
  if (ags.size === 1) {
    stadt.id = [...ags][0]!;
    stadt.idFromFiles = true;
  }
  return {
    sources,
    leftOut,
    areas: [],
    kommunen: [],
    years: [...new Set(sources.flatMap((s) => s.years))].sort((a, b) => a - b),
    shape: 'stadt',
    stadt,
  };
}

/**
 * The levels of a Stadt and its area list. Levels are ordered by the data (a Stadtteil column whose
 * codes each lie in one Stadtbezirk of the same file is below it), else coarse words first
 * (Bezirk before Stadtteil before Planungsraum), else fewer codes first.
 */
function cityAreas(cities: readonly { columns: CityColumn[]; parents: Map<string, string>[] }[]): CityProposal {
  const levels = new Map<string, { label: string; rank: number; codes: Map<string, string> }>();
  /** child level -> parent level -> child code -> parent code */
  const up = new Map<string, Map<string, Map<string, string>>>();
  for (const c of cities) {
    c.columns.forEach((col, i) => {
      const l = levels.get(col.level) ?? { label: col.label, rank: col.rank, codes: new Map<string, string>() };
      for (const [code, name] of col.codes) if (!l.codes.get(code)) l.codes.set(code, name);
      levels.set(col.level, l);
      if (i === 0) return;
      const parent = c.columns[i - 1]!.level;
      const byParent = up.get(col.level) ?? new Map<string, Map<string, string>>();
      const m = byParent.get(parent) ?? new Map<string, string>();
      for (const [k, v] of c.parents[i - 1]!) if (!m.has(k)) m.set(k, v);
      byParent.set(parent, m);
      up.set(col.level, byParent);
    });
  }
  // Kahn: a level comes after every level the data put above it
  const order: string[] = [];
  const left = new Set(levels.keys());
  while (left.size > 0) {
    const ready = [...left].filter((l) => ![...(up.get(l)?.keys() ?? [])].some((p) => left.has(p)));
    const pick = (ready.length > 0 ? ready : [...left]).sort((a, b) => {
      const x = levels.get(a)!;
      const y = levels.get(b)!;
      return x.rank - y.rank || x.codes.size - y.codes.size || a.localeCompare(b);
    })[0]!;
    order.push(pick);
    left.delete(pick);
  }
  // one row per area of the deepest level it reaches; an area with nothing below ends its row
  const rows: { id: string; name: string }[][] = [];
  const covered = order.map(() => new Set<string>());
  let noParent = 0;
  for (let d = order.length - 1; d >= 0; d--) {
    for (const [code, name] of levels.get(order[d]!)!.codes) {
      if (covered[d]!.has(code)) continue;
      const row: { id: string; name: string }[] = order.map(() => ({ id: '', name: '' }));
      row[d] = { id: code, name };
      let k = d;
      let cur = code;
      while (k > 0) {
        const parent = up
          .get(order[k]!)
          ?.get(order[k - 1]!)
          ?.get(cur);
        if (parent === undefined) break;
        k--;
        cur = parent;
        covered[k]!.add(cur);
        row[k] = { id: cur, name: levels.get(order[k]!)!.codes.get(cur) ?? '' };
      }
      if (d > 0 && row[d - 1]!.id === '') noParent++;
      rows.push(row);
    }
  }
  const cmp = (a: { id: string }[], b: { id: string }[]): number => {
    for (let i = 0; i < a.length; i++) {
      const c = a[i]!.id.localeCompare(b[i]!.id, 'de', { numeric: true });
      if (c !== 0) return c;
    }
    return 0;
  };
  rows.sort(cmp);
  return { levels: order.map((l) => ({ name: l, label: levels.get(l)!.label })), rows, noParent };
}

/** `rohdaten/ewo_2015.csv` -> `rohdaten/ewo_*.csv` (digits of the file name only). */
function globOf(file: string): string {
  const cut = file.lastIndexOf('/') + 1;
  return file.slice(0, cut) + file.slice(cut).replace(/\d+/g, '*');
}

function slug(file: string): string {
  const base = file
    .split('/')
    .pop()!
    .replace(/\.[^.]*$/, '');
  const s = normalizeId(base.replace(/\d{4}/g, ''));
  return /^[a-z]/.test(s) ? s : `quelle_${s}`;
}

function normalizeId(s: string): string {
  return s
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}
