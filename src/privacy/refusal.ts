/**
 * The refusal to publish: the interval audit found protected counts that no secondary
 * suppression protects (see `auditAndCover` in cover-loop.ts). Nothing is written then; the
 * error names the cells, so that a planner knows which figure stands in the way, and the CLI
 * prints it as a refusal (exit code 3), not as an internal error.
 */
import type { RefusedCell } from './db.js';

/** Cells the message lists one by one (the rest are counted). */
const LISTED = 10;

/** The roles as the planner reads them. */
export const ROLE: Record<string, string> = { numerator: 'Zähler', denominator: 'Nenner' };

export class PublicationRefused extends Error {
  /** Protected counts the audit could not protect (measure cells). */
  readonly count: number;
  /** The same cells by indicator and role (a measure several indicators share is named for each). */
  readonly cells: readonly RefusedCell[];
  readonly threshold: number;
  constructor(count: number, cells: readonly RefusedCell[], threshold: number) {
    super(refusalLines(count, cells, threshold).join('\n'));
    this.name = 'PublicationRefused';
    this.count = count;
    this.cells = cells;
    this.threshold = threshold;
  }
}

/** Where a cell is, as the planner reads it: level, area, year or window. */
export function place(
  c: Pick<RefusedCell, 'level' | 'area_id' | 'year' | 'pool_years'> & { area_label?: string | null },
): string {
  const window =
    c.pool_years > 1 ? `${c.year - c.pool_years + 1}–${c.year} (${c.pool_years}-Jahres-Fenster)` : `${c.year}`;
  return `${c.level} ${c.area_id}${c.area_label ? ` (${c.area_label})` : ''}, ${window}`;
}

/** One count: where it is, then every indicator and role that publishes it. */
export function describeRefusedCells(cells: readonly RefusedCell[]): string[] {
  const byPlace = new Map<string, string[]>();
  for (const c of cells) {
    const k = place(c);
    let names = byPlace.get(k);
    if (!names) byPlace.set(k, (names = []));
    names.push(`${c.indicator_id} (${ROLE[c.role] ?? c.role})`);
  }
  return [...byPlace].map(([k, names]) => `${k}: ${names.join(', ')}`);
}

/** The German message: what is refused, which cells, why, and what the planner can do. */
export function refusalLines(count: number, cells: readonly RefusedCell[], threshold: number): string[] {
  const one = count === 1;
  const lines = [
    `Geheimhaltung: ${one ? 'Eine gesperrte Fallzahl lässt' : `${count} gesperrte Fallzahlen lassen`} sich nicht ausreichend schützen. ` +
      'Es wird nichts veröffentlicht; was ein früherer Lauf geschrieben hat, bleibt unverändert.',
  ];
  const named = describeRefusedCells(cells);
  for (const l of named.slice(0, LISTED)) lines.push(`  ${l}`);
  if (named.length > LISTED) lines.push(`  … und ${named.length - LISTED} weitere`);
  const ids = [...new Set(cells.map((c) => c.indicator_id))];
  lines.push(
    `Aus den übrigen veröffentlichten Werten ließe sich ${one ? 'diese Fallzahl' : 'jede dieser Fallzahlen'} (1 bis ${threshold - 1}) ` +
      'eingrenzen, und keine weitere Sperrung verhindert das. Das ist eine Grenze der Sperrsuche von spm, kein Fehler in Ihren Daten.',
    ids.length > 0
      ? `Was Sie tun können: ${ids.length === 1 ? 'die Kennzahl' : 'die Kennzahlen'} aus dem Kennzahlenset nehmen ` +
          `(in spm.yaml: indicators: [{ use: "spm:standard", exclude: [${ids.join(', ')}] }] oder die Datei aus dem Indikatorordner) ` +
          'und neu rechnen; und den Fall bitte melden (SPM_PRIVACY_DEBUG=1 zeigt die beteiligten Zellen).'
      : 'Bitte melden Sie den Fall (SPM_PRIVACY_DEBUG=1 zeigt die beteiligten Zellen).',
  );
  return lines;
}
