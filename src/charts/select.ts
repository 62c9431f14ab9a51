/** Picking rows out of the published long table. */
import type { ChartMeta, IndicatorMeta, KennzahlRow, Level } from './types.js';

export interface RowQuery {
  indicator: string;
  level?: Level;
  area?: string;
  kommune?: string;
  year?: number;
  poolYears?: number;
}

export function selectRows(rows: readonly KennzahlRow[], q: RowQuery): KennzahlRow[] {
  const pool = q.poolYears ?? 1;
  return rows.filter(
    (r) =>
      r.indicator_id === q.indicator &&
      (r.pool_years ?? 1) === pool &&
      (q.level === undefined || r.level === q.level) &&
      (q.area === undefined || r.area_id === q.area) &&
      (q.kommune === undefined || r.kommune_ags === q.kommune) &&
      (q.year === undefined || r.year === q.year),
  );
}

/** The indicator's metadata; a minimal stand-in from the rows when meta does not know it. */
export function indicatorMeta(meta: ChartMeta, id: string, rows: readonly KennzahlRow[] = []): IndicatorMeta {
  const found = meta.indicators.find((i) => i.id === id);
  if (found) return found;
  const r = rows.find((x) => x.indicator_id === id);
  return {
    id,
    title: r?.indicator_title ?? id,
    unit: r?.unit ?? 'percent',
    polarity: 'neutral',
    lebensphase: 'uebergreifend',
    family: 'soziale_lage',
    breaks: [],
  };
}

/** Latest year with at least one published value at the level. */
export function latestYear(
  rows: readonly KennzahlRow[],
  indicator: string,
  level?: Level,
  poolYears = 1,
): number | undefined {
  let best: number | undefined;
  for (const r of selectRows(rows, { indicator, level, poolYears })) {
    if (r.suppression == null && r.value != null && (best === undefined || r.year > best)) best = r.year;
  }
  return best;
}

export function areaName(rows: readonly KennzahlRow[], areaId: string): string {
  return rows.find((r) => r.area_id === areaId)?.area_name ?? areaId;
}
