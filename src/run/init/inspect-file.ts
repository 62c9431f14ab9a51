/**
 * `spm init`, step 1: read one raw file the way the loader does (encoding,
 * delimiter, title and footer lines detected by src/ingest/reader) and describe
 * it: which column holds the area and the period, which canonical schema its
 * headers match, which area codes and years it contains.
 */
import { readCsvFile } from '../../ingest/reader.js';
import { ReadOptionsSchema } from '../../config/schema.js';
import type { DetectedReadOptions } from '../../ingest/types.js';
import {
  AREA_SPELLS,
  CANONICAL_SCHEMAS,
  PERIOD_SPELLS,
  matchColumn,
  normHeader,
} from '../../config/canonical/schemas.js';

/** A header matched to a canonical column. */
export interface ColumnMatch {
  canonical: string;
  header: string;
}

export interface FileInspection {
  /** Project-relative path with `/`. */
  file: string;
  read: DetectedReadOptions;
  header: string[];
  rows: number;
  area?: { column: string; level: 'sozialraum' | 'kommune' };
  period?: { column: string; kind: 'kalenderjahr' | 'schuljahr' };
  /** Area codes found (totals rows left out), with a name where the file has one. */
  areas: Map<string, string>;
  /** Sozialraum -> Kommune AGS, where a file carries both. */
  kommuneOf: Map<string, string>;
  years: Set<number>;
  /** More than one row per area and period: one row per child or case. */
  repeatedKeys: boolean;
  /** Canonical schemas whose columns the headers match, best first. */
  schemas: { schema: string; columns: ColumnMatch[] }[];
  /** Headers neither area, period nor matched. */
  unmatched: string[];
  /**
   * Read as the file of a kreisfreie Stadt: its area columns (Stadtbezirk, Stadtteil …) with codes
   * that are no Gemeindeschlüssel. Absent when the file has none.
   */
  city?: CityInspection;
}

/** One area column of a Stadt: the level it names, its codes and the names beside them. */
export interface CityColumn {
  column: string;
  /** Header of the name column beside it, if any. */
  nameColumn?: string;
  /** Level id and label from the header: `stadtbezirk`, "Stadtbezirk". */
  level: string;
  label: string;
  /** Coarse (1) to fine (4): the order of levels when the data do not tell. */
  rank: number;
  /** Code -> name (empty where the file has none), totals rows left out. */
  codes: Map<string, string>;
}

export interface CityInspection {
  /** Area columns, coarsest first; the last is the level the file delivers. */
  columns: CityColumn[];
  /** Parent code per code, for each column after the first: `parents[i]` maps codes of column i+1 to column i. */
  parents: Map<string, string>[];
  /** Gemeindeschlüssel in the file (a column naming the Stadt itself). */
  ags: Set<string>;
  /** The generic word only (Sozialraum): a Kreis may use it as well. */
  generic: boolean;
  repeatedKeys: boolean;
  schemas: { schema: string; columns: ColumnMatch[] }[];
  unmatched: string[];
}

const TOTAL_RE = /(^|[\s(])(insgesamt|summe|gesamt|zusammen|total)($|[\s):.,])|^kreis\b/i;
const SCHULJAHR_RE = /^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$/;
const norm = (xs: readonly string[]): Set<string> => new Set(xs.map(normHeader));
const SOZ = norm(AREA_SPELLS.sozialraum);
const KOM = norm(AREA_SPELLS.kommune);
const PER = norm(PERIOD_SPELLS);
const NAME = norm([
  'name',
  'sozialraumname',
  'sozialraum name',
  'bezeichnung',
  'gemeindename',
  'gemeinde name',
  'kommune name',
  'ortsteil',
]);

/**
 * Area words of a Stadt (normalized header -> level id, label, rank coarse 1 .. fine 4). A header is
 * the word alone or with a code suffix ("Stadtbezirk Nr.", "Planungsraum-ID").
 */
const CITY_WORDS: Record<string, { level: string; label: string; rank: number }> = {
  bezirk: { level: 'bezirk', label: 'Bezirk', rank: 1 },
  stadtbezirk: { level: 'stadtbezirk', label: 'Stadtbezirk', rank: 1 },
  ortsbezirk: { level: 'ortsbezirk', label: 'Ortsbezirk', rank: 1 },
  prognoseraum: { level: 'prognoseraum', label: 'Prognoseraum', rank: 2 },
  stadtbezirksteil: { level: 'stadtbezirksteil', label: 'Stadtbezirksteil', rank: 2 },
  stadtteil: { level: 'stadtteil', label: 'Stadtteil', rank: 2 },
  ortsteil: { level: 'ortsteil', label: 'Ortsteil', rank: 2 },
  bezirksregion: { level: 'bezirksregion', label: 'Bezirksregion', rank: 3 },
  statistischerbezirk: { level: 'statistischer_bezirk', label: 'Statistischer Bezirk', rank: 3 },
  sozialraum: { level: 'sozialraum', label: 'Sozialraum', rank: 3 },
  stadtviertel: { level: 'stadtviertel', label: 'Stadtviertel', rank: 3 },
  viertel: { level: 'viertel', label: 'Viertel', rank: 3 },
  wohnbezirk: { level: 'wohnbezirk', label: 'Wohnbezirk', rank: 4 },
  planungsraum: { level: 'planungsraum', label: 'Planungsraum', rank: 4 },
  quartier: { level: 'quartier', label: 'Quartier', rank: 4 },
  wohnquartier: { level: 'wohnquartier', label: 'Wohnquartier', rank: 4 },
};
const CODE_SUFFIX = /(nr|nummer|id|schluessel|code|kennung|kennziffer|kz)$/;
/** Generic name headers, taken for the area column left of them. */
const CITY_NAME = norm(['name', 'bezeichnung', 'gebiet', 'gebietsname', 'gebietsbezeichnung']);
/** A Stadt's area code: short, no spaces, a digit in it ("01", "1", "0101", "A1", "3.2"); never an 8-digit AGS. */
const CITY_CODE_RE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,11}$/;

/** `"Stadtbezirk Nr."` -> the Stadtbezirk word and whether the header is a code ("Nr.") or the word alone. */
function cityWord(h: string): { word: string; suffixed: boolean } | undefined {
  if (CITY_WORDS[h]) return { word: h, suffixed: false };
  const m = CODE_SUFFIX.exec(h);
  if (m && CITY_WORDS[h.slice(0, m.index)]) return { word: h.slice(0, m.index), suffixed: true };
  return undefined;
}

export async function inspectFile(abs: string, shown: string): Promise<FileInspection> {
  const rows: string[][] = [];
  let header: string[] = [];
  const r = await readCsvFile(
    abs,
    shown,
    ReadOptionsSchema.parse({}),
    { keyHeaders: [], allHeaders: [], numericHeaders: [] },
    {
      header(fields) {
        header = fields;
      },
      row(fields) {
        rows.push(fields);
      },
    },
  );
  const col = (i: number): string[] => rows.map((f) => (f[i] ?? '').trim());
  const n = header.map(normHeader);

  // period: a known spelling, else a column of years only
  let periodIdx = n.findIndex((h) => PER.has(h));
  if (periodIdx < 0)
    periodIdx = header.findIndex(
      (_, i) => rows.length > 0 && col(i).every((v) => /^(19|20)\d\d$/.test(v) || SCHULJAHR_RE.test(v)),
    );
  const periodVals = periodIdx >= 0 ? col(periodIdx) : [];
  const schuljahr = periodVals.some((v) => SCHULJAHR_RE.test(v)) || n[periodIdx] === 'schuljahr';
  const years = new Set<number>();
  for (const v of periodVals) {
    const m = SCHULJAHR_RE.exec(v);
    const y = m ? Number(m[1]) + 1 : /^\d{4}$/.test(v) ? Number(v) : NaN;
    if (Number.isFinite(y)) years.add(y);
  }

  // area: a Sozialraum column beats a Kommune column; codes that look like an AGS mean Kommune
  const isAgs = (vs: string[]): boolean => vs.filter((v) => v && !TOTAL_RE.test(v)).every((v) => /^\d{7,8}$/.test(v));
  const sozIdx = n.findIndex((h, i) => SOZ.has(h) && i !== periodIdx);
  const komIdx = n.findIndex((h, i) => KOM.has(h) && i !== periodIdx && i !== sozIdx && isAgs(col(i)));
  const komAny = komIdx >= 0 ? komIdx : n.findIndex((h, i) => KOM.has(h) && i !== periodIdx && i !== sozIdx);
  const areaIdx = sozIdx >= 0 ? sozIdx : komAny;
  const level: 'sozialraum' | 'kommune' = sozIdx >= 0 && !isAgs(col(sozIdx)) ? 'sozialraum' : 'kommune';
  const nameIdx = n.findIndex((h, i) => NAME.has(h) && i !== areaIdx);
  const komNameIdx = level === 'kommune' ? n.findIndex((h, i) => KOM.has(h) && i !== areaIdx && !isAgs(col(i))) : -1;

  const areas = new Map<string, string>();
  const kommuneOf = new Map<string, string>();
  const keys = new Set<string>();
  let repeatedKeys = false;
  for (const f of rows) {
    let code = areaIdx >= 0 ? (f[areaIdx] ?? '').trim() : '';
    if (code === '' || TOTAL_RE.test(code)) continue;
    if (level === 'kommune' && /^\d{7}$/.test(code)) code = '0' + code; // Excel dropped the leading zero
    const nameCell = nameIdx >= 0 ? (f[nameIdx] ?? '').trim() : komNameIdx >= 0 ? (f[komNameIdx] ?? '').trim() : '';
    if (TOTAL_RE.test(nameCell)) continue;
    if (!areas.has(code) || (areas.get(code) === '' && nameCell)) areas.set(code, nameCell);
    if (level === 'sozialraum' && komIdx >= 0) {
      const ags = (f[komIdx] ?? '').trim();
      if (/^\d{7,8}$/.test(ags)) kommuneOf.set(code, ags.padStart(8, '0'));
    }
    const key = `${code}\u0000${periodIdx >= 0 ? f[periodIdx] : ''}`;
    if (keys.has(key)) repeatedKeys = true;
    keys.add(key);
  }

  const used = new Set([areaIdx, periodIdx, nameIdx, komIdx, komNameIdx].filter((i) => i >= 0));
  const { schemas, unmatched } = matchSchemas(header, used, false);

  const out: FileInspection = {
    file: shown,
    read: r.read,
    header,
    rows: rows.length,
    areas,
    kommuneOf,
    years,
    repeatedKeys,
    schemas,
    unmatched,
  };
  if (areaIdx >= 0) out.area = { column: header[areaIdx]!, level };
  if (periodIdx >= 0) out.period = { column: header[periodIdx]!, kind: schuljahr ? 'schuljahr' : 'kalenderjahr' };
  const city = inspectCity(header, rows, periodIdx);
  if (city) out.city = city;
  return out;
}

/**
 * The canonical schemas the headers not in `used` match. Two matching headers make a schema; a
 * single one only when no other schema matches at all, or (`singles`, a Stadt's file) when each
 * single-header schema matches a header of its own ("Kinder unter 3" and "Betreute Kinder unter 3").
 */
function matchSchemas(
  header: readonly string[],
  used: ReadonlySet<number>,
  singles: boolean,
): { schemas: FileInspection['schemas']; unmatched: string[] } {
  const all = CANONICAL_SCHEMAS.map((s) => {
    const columns: ColumnMatch[] = [];
    header.forEach((h, i) => {
      if (used.has(i)) return;
      const c = matchColumn(s, h);
      if (c && !columns.some((x) => x.canonical === c.name)) columns.push({ canonical: c.name, header: h });
    });
    return { schema: s.id, columns };
  })
    .filter((m) => m.columns.length > 0)
    .sort((a, b) => b.columns.length - a.columns.length);
  const strong = all.filter((m) => m.columns.length >= 2);
  const distinct = new Set(all.map((m) => m.columns[0]!.header)).size === all.length;
  const schemas = strong.length > 0 ? strong : all.length === 1 || (singles && distinct) ? all : [];
  const matched = new Set(schemas.flatMap((s) => s.columns.map((c) => c.header)));
  const unmatched = header.filter((h, i) => !used.has(i) && !matched.has(h) && h.trim() !== '');
  return { schemas, unmatched };
}

/** The file read as a Stadt's: area columns by header, their codes and names, the parent of each code. */
function inspectCity(
  header: readonly string[],
  rows: readonly string[][],
  periodIdx: number,
): CityInspection | undefined {
  const n = header.map(normHeader);
  const col = (i: number): string[] => rows.map((f) => (f[i] ?? '').trim());
  const values = (i: number): string[] => col(i).filter((v) => v !== '' && !TOTAL_RE.test(v));
  const isCode = (i: number): boolean => {
    const vs = values(i);
    return (
      vs.length > 0 && vs.every((v) => CITY_CODE_RE.test(v) && /\d/.test(v)) && !vs.every((v) => /^\d{7,8}$/.test(v))
    );
  };
  // code columns: the area word (with or without "Nr.") over codes
  const codeIdx: number[] = [];
  n.forEach((h, i) => {
    if (i !== periodIdx && cityWord(h) && isCode(i)) codeIdx.push(i);
  });
  if (codeIdx.length === 0) return undefined;
  const taken = new Set([...codeIdx, periodIdx]);
  // the name beside each: "<Wort> Name", "Name <Wort>", "<Wort>bezeichnung", the word alone over names,
  // else a generic "Name"/"Bezeichnung" right of the code column
  const nameOf = new Map<number, number>();
  for (const ci of codeIdx) {
    const w = cityWord(n[ci]!)!.word;
    const own = [`${w}name`, `name${w}`, `${w}bezeichnung`, `bezeichnung${w}`, `${w}sname`];
    let ni = n.findIndex((h, i) => !taken.has(i) && own.includes(h));
    if (ni < 0) ni = n.findIndex((h, i) => !taken.has(i) && h === w && !isCode(i));
    if (ni < 0) {
      const next = codeIdx.find((x) => x > ci) ?? n.length;
      ni = n.findIndex((h, i) => i > ci && i < next && !taken.has(i) && CITY_NAME.has(h));
    }
    if (ni >= 0) {
      nameOf.set(ci, ni);
      taken.add(ni);
    }
  }
  // a Gemeindeschlüssel column (the Stadt itself) is no data column either
  const ags = new Set<string>();
  const agsIdx: number[] = [];
  n.forEach((h, i) => {
    const vs = values(i);
    if (!taken.has(i) && KOM.has(h) && vs.length > 0 && vs.every((v) => /^\d{7,8}$/.test(v))) {
      for (const v of vs) ags.add(v.padStart(8, '0'));
      agsIdx.push(i);
    }
  });
  // coarse to fine: fewer codes first; a coarser column is kept only where each finer code has one parent
  const distinct = (i: number): number => new Set(values(i)).size;
  const order = [...codeIdx].sort((a, b) => distinct(a) - distinct(b) || a - b);
  const finest = order[order.length - 1]!;
  const chain = [finest];
  const parents: Map<string, string>[] = [];
  for (let k = order.length - 2; k >= 0; k--) {
    const up = order[k]!;
    const child = chain[0]!;
    if (distinct(up) >= distinct(child)) continue;
    const m = new Map<string, string>();
    let ok = true;
    for (const f of rows) {
      const c = (f[child] ?? '').trim();
      const p = (f[up] ?? '').trim();
      if (c === '' || p === '' || TOTAL_RE.test(c) || TOTAL_RE.test(p)) continue;
      if (m.has(c) && m.get(c) !== p) ok = false;
      m.set(c, p);
    }
    if (!ok) continue;
    chain.unshift(up);
    parents.unshift(m);
  }
  const columns: CityColumn[] = chain.map((i) => {
    const w = CITY_WORDS[cityWord(n[i]!)!.word]!;
    const ni = nameOf.get(i);
    const codes = new Map<string, string>();
    for (const f of rows) {
      const code = (f[i] ?? '').trim();
      const name = ni !== undefined ? (f[ni] ?? '').trim() : '';
      if (code === '' || TOTAL_RE.test(code) || TOTAL_RE.test(name)) continue;
      if (!codes.get(code)) codes.set(code, name);
    }
    return {
      column: header[i]!,
      ...(ni !== undefined ? { nameColumn: header[ni]! } : {}),
      level: w.level,
      label: w.label,
      rank: w.rank,
      codes,
    };
  });
  const keys = new Set<string>();
  let repeatedKeys = false;
  for (const f of rows) {
    const code = (f[finest] ?? '').trim();
    if (code === '' || TOTAL_RE.test(code)) continue;
    const key = `${code}\u0000${periodIdx >= 0 ? f[periodIdx] : ''}`;
    if (keys.has(key)) repeatedKeys = true;
    keys.add(key);
  }
  // columns of the area words left out of the chain stay data columns (unmatched, named in the proposal)
  const used = new Set(
    [...chain, ...chain.map((i) => nameOf.get(i) ?? -1), ...agsIdx, periodIdx].filter((i) => i >= 0),
  );
  const { schemas, unmatched } = matchSchemas(header, used, true);
  return {
    columns,
    parents,
    ags,
    generic: columns.every((c) => c.level === 'sozialraum'),
    repeatedKeys,
    schemas,
    unmatched,
  };
}
