/**
 * `spm init`, step 2: from the inspected files, propose sources (files of the
 * same shape that differ only by a year become one glob), their canonical schema
 * and column mapping, the Kreis and the area list.
 */
import { canonicalSchema } from '../../config/canonical/schemas.js';
import type { ColumnMatch, FileInspection } from './inspect-file.js';

export interface ProposedSource {
  id: string;
  files: string;
  fileCount: number;
  schemas: string[];
  kind: 'aggregated' | 'microdata';
  area: { column: string; level: 'sozialraum' | 'kommune' };
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
}

export function propose(files: readonly FileInspection[]): Proposal {
  const leftOut: Proposal['leftOut'] = [];
  const groups = new Map<string, FileInspection[]>();
  for (const f of files) {
    if (!f.area) {
      leftOut.push({ file: f.file, why: 'keine Gebietsspalte erkannt (Sozialraum, AGS, Gemeindeschlüssel …)' });
      continue;
    }
    if (!f.period) {
      leftOut.push({ file: f.file, why: 'keine Spalte mit dem Jahr oder Schuljahr erkannt' });
      continue;
    }
    const key = `${f.file.replace(/\d+/g, '*')}\u0000${f.header.join('\u0001')}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const used = new Set<string>();
  const sources: ProposedSource[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const schemas = first.schemas.map((s) => s.schema);
    const columns: ColumnMatch[] = [];
    for (const s of first.schemas)
      for (const c of s.columns) if (!columns.some((x) => x.header === c.header)) columns.push(c);
    const base = schemas[0] ?? slug(first.file);
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
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
  };
  if (kreisAgs) out.kreisAgs = kreisAgs;
  return out;
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
