/**
 * Rejected rows grouped by cause, so a planner reads one line with a count and
 * examples instead of 24 identical ones, plus a hint at the likely cause where
 * the pattern shows it: a wrong `kreis.ags` (every AGS shares another prefix),
 * or Excel-padded footer lines (`Quelle: …;;;;;`) that want `read.skip_bottom`.
 */
import type { RejectedRow } from '../ingest/types.js';

export interface RejectGroup {
  source: string;
  file: string;
  code: string;
  column?: string;
  severity: RejectedRow['severity'];
  count: number;
  /** Reason of the first row (the others differ at most in the value). */
  reason: string;
  /** First lines (up to 8). */
  lines: number[];
  /** The reason of each of those lines (rows of one cause can still differ, e.g. too few vs too many fields). */
  reasons: string[];
  /** Distinct area ids (or codes) with their counts, most frequent first (up to 5). */
  values: { value: string; count: number }[];
  /** German hint at the likely cause. */
  hint?: string;
}

/** Text in the first field, then at most empty fields: a note line (Excel pads it with `;;;`). */
const NOTE_RE = /^\s*"?[^;,\t|\d\s][^;\t|]*"?(?:\s*[;,\t|])*\s*$/;
/** `source` of rejected rows of the area list (src/ingest/areas.ts). */
const AREAS = 'areas';

/** Causes of a row whose area is not the project's: a wrong `kreis.ags` shows in these only. */
const AREA_CODES = new Set(['unknown_area', 'ags_outside_kreis', 'outside_project']);

/**
 * `kreisAgs`: the Kreis code of a project declared with `kreis:` (the classic Kreis shape), else
 * undefined: a Stadt or a declared hierarchy has no `kreis.ags` a hint could name.
 */
export function groupRejects(rejects: readonly RejectedRow[], kreisAgs: string | undefined): RejectGroup[] {
  const groups = new Map<string, { g: RejectGroup; values: Map<string, number>; rows: RejectedRow[] }>();
  for (const r of rejects) {
    if (r.severity === 'info') continue;
    const key = [r.source, r.file, r.code, r.column ?? ''].join('\u0000');
    let e = groups.get(key);
    if (!e) {
      const g: RejectGroup = {
        source: r.source,
        file: r.file,
        code: r.code,
        severity: r.severity,
        count: 0,
        reason: r.reason,
        lines: [],
        reasons: [],
        values: [],
      };
      if (r.column !== undefined) g.column = r.column;
      e = { g, values: new Map(), rows: [] };
      groups.set(key, e);
    }
    e.g.count++;
    if (e.g.lines.length < 8) {
      e.g.lines.push(r.line);
      e.g.reasons.push(r.reason);
    }
    if (r.area_id) e.values.set(r.area_id, (e.values.get(r.area_id) ?? 0) + 1);
    e.rows.push(r);
  }
  const footers = footerRuns(rejects);
  const out: RejectGroup[] = [];
  for (const { g, values, rows } of groups.values()) {
    g.values = [...values.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, 5);
    const hint =
      (kreisAgs !== undefined && AREA_CODES.has(g.code) ? kreisHint(values, kreisAgs) : undefined) ??
      footerHint(rows, footers.get(`${g.source}\u0000${g.file}`));
    if (hint) g.hint = hint;
    out.push(g);
  }
  // a wrong kreis.ags rejects the area list; every source row then has an unknown area
  if (out.some((g) => g.source === AREAS && g.hint)) {
    for (const g of out)
      if (!g.hint && g.code === 'unknown_area')
        g.hint = 'Folgefehler: die Gebietsliste wurde abgewiesen (kreis.ags, siehe oben)';
  }
  return out;
}

/** Every rejected AGS starts with the same 5 digits, and they are not kreis.ags. */
function kreisHint(values: Map<string, number>, kreisAgs: string): string | undefined {
  const ids = [...values.keys()];
  if (ids.length === 0 || !ids.every((v) => /^\d{8}$/.test(v))) return undefined;
  const prefixes = new Set(ids.map((v) => v.slice(0, 5)));
  const [p] = [...prefixes];
  if (prefixes.size !== 1 || p === kreisAgs) return undefined;
  return `alle diese Gemeindeschlüssel beginnen mit ${p}, kreis.ags in spm.yaml ist "${kreisAgs}": wahrscheinlich ist kreis.ags falsch (gemeint wohl "${p}")`;
}

/**
 * Per file: the run of note lines among the last rejected lines (consecutive line
 * numbers up to the highest rejected line, every one a note).
 */
function footerRuns(rejects: readonly RejectedRow[]): Map<string, { from: number; to: number; first: string }> {
  const byFile = new Map<string, Map<number, string | undefined>>();
  for (const r of rejects) {
    if (r.severity === 'info') continue;
    const k = `${r.source}\u0000${r.file}`;
    const m = byFile.get(k) ?? new Map<number, string | undefined>();
    m.set(r.line, r.raw);
    byFile.set(k, m);
  }
  const out = new Map<string, { from: number; to: number; first: string }>();
  for (const [k, lines] of byFile) {
    const to = Math.max(...lines.keys());
    let from = to;
    while (lines.has(from - 1) && isNote(lines.get(from - 1))) from--;
    if (isNote(lines.get(to))) out.set(k, { from, to, first: lines.get(from) as string });
  }
  return out;
}

function isNote(raw: string | undefined): boolean {
  return raw !== undefined && NOTE_RE.test(raw);
}

/** Every row of the group lies in the note run at the end of its file. */
function footerHint(
  rows: readonly RejectedRow[],
  run: { from: number; to: number; first: string } | undefined,
): string | undefined {
  if (!run || !rows.every((r) => r.line >= run.from && r.line <= run.to)) return undefined;
  const n = run.to - run.from + 1;
  const text = run.first.replace(/[;,\t|\s]+$/, '');
  return `${n === 1 ? `Zeile ${run.from}` : `die Zeilen ${run.from}–${run.to}`} am Dateiende ${n === 1 ? 'ist' : 'sind'} wohl Fuß- oder Quellenzeilen ("${text}"${n > 1 ? ' …' : ''}), von Excel mit leeren Feldern aufgefüllt: read: { skip_bottom: ${n} } bei dieser Quelle setzen (oder die Zeilen löschen)`;
}
