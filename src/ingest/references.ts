/**
 * Published reference values (`references:` in spm.yaml): rates of the Bund, the Land
 * or other Kreise as their statistics offices publish them, one row per reference,
 * indicator and year. They are shown beside the project's own values (vergleich
 * tables, reference lines in charts), never summed and never given an interval: spm
 * has no counts for them. The publisher's symbols stay what they are: `.` is
 * "gesperrt", `x` "nicht sinnvoll", never a number.
 *
 * Read synchronously and strictly (the chart metadata needs it without a database):
 * a row that does not fit is a user error naming file, line and column.
 */
import fs from 'node:fs';
import type { Project } from '../config/project.js';
import { UserError, type Issue } from '../util/issues.js';
import { displayPath, resolveInProject } from '../util/paths.js';
import { areaKey } from './areas.js';
import { decodeWindows1252 } from './decode.js';
import { findHeader } from './fields.js';
import { splitLoose } from './reader.js';

export type ReferenceStatus = 'ok' | 'gesperrt' | 'nicht_sinnvoll' | 'fehlt';

export interface ReferenceValue {
  reference_id: string;
  reference_name: string;
  indicator_id: string;
  year: number;
  /** null unless `status` is ok. */
  value: number | null;
  status: ReferenceStatus;
  source?: string;
  stand?: string;
}

function decode(buf: Buffer): string {
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return decodeWindows1252(body);
  }
}

const q = (s: string): string => `„${s}“`;

/** The reference values of the project (empty without `references:`). Throws UserError on any bad row. */
export function readReferenceValues(project: Project): ReferenceValue[] {
  const cfg = project.config.references;
  if (!cfg) return [];
  const r = resolveInProject(project.root, cfg.file);
  if ('error' in r)
    throw new UserError({
      severity: 'error',
      code: 'references.path',
      message: r.error,
      file: 'spm.yaml',
      path: 'references.file',
    });
  const shown = displayPath(project.root, r.abs);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(r.abs);
  } catch {
    throw new UserError({
      severity: 'error',
      code: 'references.missing',
      message: `Datei mit Referenzwerten ${q(shown)} nicht gefunden oder nicht lesbar (references.file).`,
      file: shown,
      path: 'references.file',
    });
  }
  const lines = decode(buf).split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === '') h++;
  const headLine = lines[h] ?? '';
  const delim = [';', '\t', ','].reduce((a, b) => (headLine.split(b).length > headLine.split(a).length ? b : a));
  const header = splitLoose(headLine, delim, '"').map((x) => x.trim());
  const c = cfg.columns;
  const idx = {
    reference: findHeader(header, c.reference),
    indicator: findHeader(header, c.indicator),
    year: findHeader(header, c.year),
    value: findHeader(header, c.value),
    source: findHeader(header, c.source),
    stand: findHeader(header, c.stand),
  };
  const missing = [c.reference, c.indicator, c.year, c.value].filter(
    (_, i) => [idx.reference, idx.indicator, idx.year, idx.value][i]! < 0,
  );
  if (missing.length > 0)
    throw new UserError({
      severity: 'error',
      code: 'references.header',
      message:
        `Referenzwerte: Spalte(n) ${missing.map(q).join(', ')} fehlen in der Kopfzeile; gefunden: ${header.map(q).join(', ')}. ` +
        `Spaltennamen unter references.columns angeben.`,
      file: shown,
      line: h + 1,
    });
  const byKey = new Map<string, (typeof cfg.list)[number][]>();
  for (const item of cfg.list)
    for (const k of new Set([item.id, item.name, ...item.codes].map(areaKey))) {
      byKey.set(k, [...(byKey.get(k) ?? []), item]);
    }
  const known = new Set(project.indicators.map((i) => i.def.id));
  const sym = cfg.symbols;
  const set = (xs: readonly string[]): Set<string> => new Set(xs.map((x) => x.trim()));
  const suppressed = set(sym.suppressed);
  const notMeaningful = set(sym.not_meaningful);
  const missingSym = set(sym.missing);
  const zero = set(sym.zero);
  const rows = lines.slice(h + 1).map((text, i) => ({ text, line: h + 2 + i }));
  const cellsOf = (text: string): string[] => splitLoose(text, delim, '"').map((x) => x.trim());
  // a comma in any value, or dots grouping thousands ("83.019.213"): German numbers
  const valueCells = rows.filter(({ text }) => text.trim() !== '').map(({ text }) => cellsOf(text)[idx.value] ?? '');
  const decimal =
    cfg.decimal ?? (valueCells.some((v) => /,/.test(v) || /^-?\d{1,3}(\.\d{3}){2,}$/.test(v)) ? 'comma' : 'point');
  const numRe = decimal === 'comma' ? /^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/ : /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
  const issues: Issue[] = [];
  const out: ReferenceValue[] = [];
  const seen = new Map<string, number>();
  const err = (line: number, column: string, code: string, message: string): void => {
    issues.push({ severity: 'error', code: `references.${code}`, message, file: shown, line, column });
  };
  for (const { text, line } of rows) {
    if (text.trim() === '') continue;
    const f = cellsOf(text);
    const ref = f[idx.reference] ?? '';
    const ind = f[idx.indicator] ?? '';
    const yearCell = f[idx.year] ?? '';
    const raw = (f[idx.value] ?? '').replace(/\s*%$/, '');
    const items = byKey.get(areaKey(ref)) ?? [];
    if (items.length !== 1) {
      err(
        line,
        c.reference,
        'reference',
        items.length === 0
          ? `Referenz ${q(ref)} steht nicht in references.list (bekannt: ${cfg.list.map((x) => q(x.name)).join(', ')}); dort ergänzen oder unter codes eine Schreibweise angeben.`
          : `Referenz ${q(ref)} passt zu mehreren Einträgen in references.list (${items.map((x) => q(x.id)).join(', ')}).`,
      );
      continue;
    }
    const item = items[0]!;
    if (!known.has(ind)) {
      err(line, c.indicator, 'indicator', `Indikator ${q(ind)} ist nicht definiert.`);
      continue;
    }
    const ym = /^(\d{4})$|^\d{1,2}\.\d{1,2}\.(\d{4})$/.exec(yearCell);
    if (!ym) {
      err(line, c.year, 'year', `${q(yearCell)} ist kein Jahr (erwartet z. B. „2023“ oder „31.12.2023“).`);
      continue;
    }
    const year = Number(ym[1] ?? ym[2]);
    let value: number | null = null;
    let status: ReferenceStatus = 'ok';
    if (suppressed.has(raw)) status = 'gesperrt';
    else if (notMeaningful.has(raw)) status = 'nicht_sinnvoll';
    else if (missingSym.has(raw)) status = 'fehlt';
    else if (zero.has(raw)) value = 0;
    else if (numRe.test(raw)) {
      const n = decimal === 'comma' ? raw.replace(/\./g, '').replace(',', '.') : raw.replace(/,/g, '');
      value = Number(n) + 0;
    } else {
      err(
        line,
        c.value,
        'value',
        `${q(raw)} ist keine Zahl (Dezimalzeichen ${decimal === 'comma' ? 'Komma' : 'Punkt'}; references.decimal) und kein Zeichen der Tabelle (references.symbols: ${[...suppressed, ...notMeaningful].map(q).join(', ')} …).`,
      );
      continue;
    }
    const key = `${item.id}\u0001${ind}\u0001${year}`;
    const first = seen.get(key);
    if (first !== undefined) {
      err(line, c.reference, 'duplicate', `${item.name}, ${ind}, ${year} steht doppelt (zuerst in Zeile ${first}).`);
      continue;
    }
    seen.set(key, line);
    const v: ReferenceValue = {
      reference_id: item.id,
      reference_name: item.name,
      indicator_id: ind,
      year,
      value,
      status,
    };
    const source = (idx.source >= 0 ? f[idx.source] : '') || cfg.source;
    const stand = (idx.stand >= 0 ? f[idx.stand] : '') || cfg.stand;
    if (source) v.source = source;
    if (stand) v.stand = stand;
    out.push(v);
  }
  if (issues.length > 0) throw new UserError(issues);
  return out;
}
