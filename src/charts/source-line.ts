/**
 * The source line under every chart:
 * `Quelle: <Quellen>; Stand: <Stand>; eigene Berechnung`, plus the synthetic
 * note where the project says `synthetic: true`.
 */
import type { ChartMeta, IndicatorMeta, SourceMeta } from './types.js';

/** `Stand` as written in spm.yaml (`2025-03-31`) in German form (`31.03.2025`). */
export function standDe(stand: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(stand);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : stand;
}

/** The sources of an indicator, in the order numerator, denominator; all sources when it names none. */
export function indicatorSources(meta: ChartMeta, ind: IndicatorMeta | undefined): SourceMeta[] {
  const ids = ind?.sources ?? meta.sources.map((s) => s.id);
  const out: SourceMeta[] = [];
  for (const id of ids) {
    const s = meta.sources.find((x) => x.id === id);
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * Source line: `Quelle: A, B; Stand: 31.08.2024; eigene Berechnung`; sources of different Stand each
 * with its own (`Quelle: A (Stand: 31.08.2024), B (Stand: 20.05.2025); eigene Berechnung`). With `land`, the Land's source (spm.yaml `land.source`, `land.stand`) is named too. */
export function sourceLine(
  meta: ChartMeta,
  inds: readonly (IndicatorMeta | undefined)[],
  land = false,
  references: readonly string[] = [],
): string {
  const sources: SourceMeta[] = [];
  for (const ind of inds) for (const s of indicatorSources(meta, ind)) if (!sources.includes(s)) sources.push(s);
  if (land && meta.land)
    sources.push({
      id: 'land',
      title: meta.land.source ?? `Landeswerte ${meta.land.name}`,
      ...(meta.land.stand ? { stand: meta.land.stand } : {}),
    });
  for (const r of meta.references ?? [])
    if (references.includes(r.id) && !sources.some((s) => s.title === (r.source ?? `Referenzwerte ${r.name}`)))
      sources.push({
        id: `ref_${r.id}`,
        title: r.source ?? `Referenzwerte ${r.name}`,
        ...(r.stand ? { stand: r.stand } : {}),
      });
  const stands = [...new Set(sources.map((s) => s.stand).filter((x): x is string => !!x))];
  // sources of different Stand: each with its own (one Stand for all would date the older data too late)
  if (stands.length > 1)
    return `Quelle: ${sources.map((s) => (s.stand ? `${s.title} (Stand: ${standDe(s.stand)})` : s.title)).join(', ')}; eigene Berechnung`;
  const stand = stands.length ? `; Stand: ${standDe(stands[0]!)}` : '';
  return `Quelle: ${sources.map((s) => s.title).join(', ') || meta.kreis.name}${stand}; eigene Berechnung`;
}

export const SYNTHETIC_NOTE = 'synthetische Beispieldaten';
