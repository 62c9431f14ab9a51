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
  // two matching headers make a schema; a single one only when no other schema matches at all
  const strong = all.filter((m) => m.columns.length >= 2);
  const schemas = strong.length > 0 ? strong : all.length === 1 ? all : [];
  const matched = new Set(schemas.flatMap((s) => s.columns.map((c) => c.header)));
  const unmatched = header.filter((h, i) => !used.has(i) && !matched.has(h) && h.trim() !== '');

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
  return out;
}
