/**
 * The published tables of the Sozialindex: plain rows with German column names
 * for `sozialindex/*.csv|parquet` and `vergleich/vergleich_sozialraumtypen.*`.
 * Index values are rounded to 2 decimals, weights and z-scores to 4 / 2; the
 * reason an area has no index stays out (internal only: `IndexRow.reason`).
 */
import type { SteeringRow } from './build.js';
import type { SteeringReport } from './build.js';
import { typeMeans } from './sozialraumtypen.js';

export type Cell = string | number | null;
export interface TableColumn {
  name: string;
  type: 'text' | 'int' | 'double';
}
export interface OutTable {
  columns: TableColumn[];
  rows: Cell[][];
}

const round = (x: number | null | undefined, digits: number): number | null => {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no "-0"
};

const STATUS_DE = { berechnet: 'berechnet', nicht_berechenbar: 'nicht berechenbar' } as const;

/** One row per Sozialraum and year: index, interval, rank, rank interval, class, type. */
export function indexTable(r: SteeringReport): OutTable {
  const columns: TableColumn[] = [
    { name: 'jahr', type: 'int' },
    { name: 'zeitraum', type: 'text' },
    { name: 'sozialraum_id', type: 'text' },
    { name: 'sozialraum', type: 'text' },
    { name: 'kommune_ags', type: 'text' },
    { name: 'kommune', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'sozialindex', type: 'double' },
    { name: 'sozialindex_unten', type: 'double' },
    { name: 'sozialindex_oben', type: 'double' },
    { name: 'rang', type: 'int' },
    { name: 'rang_unten', type: 'int' },
    { name: 'rang_oben', type: 'int' },
    { name: 'sozialraeume_mit_index', type: 'int' },
    { name: 'bedarfsklasse', type: 'text' },
    { name: 'eingangswerte', type: 'int' },
    { name: 'ausgelassen', type: 'text' },
    { name: 'typ', type: 'int' },
    { name: 'typ_bezeichnung', type: 'text' },
  ];
  const rows: Cell[][] = [];
  for (const y of r.years) {
    const typOf = new Map(y.types?.assignments.map((a) => [a.id, a.typ]) ?? []);
    const labelOf = new Map(y.types?.types.map((t) => [t.typ, t.label]) ?? []);
    for (const x of y.index.rows) {
      const a = r.areas.get(x.id);
      const typ = typOf.get(x.id) ?? null;
      const berechnet = x.status === 'berechnet';
      rows.push([
        y.year,
        y.period,
        x.id,
        a?.name ?? x.name ?? x.id,
        a?.kommune ?? null,
        a?.kommuneName ?? null,
        STATUS_DE[x.status],
        round(x.index, 2),
        round(x.indexLow, 2),
        round(x.indexHigh, 2),
        x.rank,
        x.rankLow,
        x.rankHigh,
        y.index.ranked,
        x.needClass,
        berechnet ? x.inputsUsed : null,
        x.leftOut.length ? x.leftOut.join(', ') : null,
        typ,
        typ === null ? null : (labelOf.get(typ) ?? null),
      ]);
    }
  }
  return { columns, rows };
}

/** Method per year and indicator: direction, weight, loading, mean and SD of the standardisation. */
export function weightsTable(r: SteeringReport): OutTable {
  const columns: TableColumn[] = [
    { name: 'jahr', type: 'int' },
    { name: 'indikator_id', type: 'text' },
    { name: 'indikator', type: 'text' },
    { name: 'richtung', type: 'text' },
    { name: 'standardisierung', type: 'text' },
    { name: 'gewichtung', type: 'text' },
    { name: 'gewicht', type: 'double' },
    { name: 'ladung_hk1', type: 'double' },
    { name: 'erklaerte_varianz_hk1', type: 'double' },
    { name: 'mittelwert', type: 'double' },
    { name: 'standardabweichung', type: 'double' },
    { name: 'sozialraeume_mit_wert', type: 'int' },
  ];
  const rows: Cell[][] = [];
  for (const y of r.years)
    for (const w of y.index.weights) {
      const ind = r.indicators.find((i) => i.id === w.indicator);
      rows.push([
        y.year,
        w.indicator,
        ind?.title ?? w.indicator,
        w.direction === 1 ? 'höher = mehr Bedarf' : 'niedriger = mehr Bedarf',
        y.index.standardisation,
        y.index.weighting,
        round(w.weight, 4),
        round(w.loading, 4),
        round(y.index.explained, 4),
        round(w.mean, 4),
        round(w.sd, 4),
        w.n,
      ]);
    }
  return { columns, rows };
}

/** The types: label, size and centroid (z-score per indicator) per year. */
export function typesTable(r: SteeringReport): OutTable {
  const columns: TableColumn[] = [
    { name: 'jahr', type: 'int' },
    { name: 'typ', type: 'int' },
    { name: 'bezeichnung', type: 'text' },
    { name: 'sozialraeume', type: 'int' },
    { name: 'indikator_id', type: 'text' },
    { name: 'indikator', type: 'text' },
    { name: 'zentroid_z', type: 'double' },
  ];
  const rows: Cell[][] = [];
  for (const y of r.years)
    for (const t of y.types?.types ?? [])
      for (const c of t.centroid)
        rows.push([
          y.year,
          t.typ,
          t.label,
          t.members,
          c.indicator,
          r.indicators.find((i) => i.id === c.indicator)?.title ?? c.indicator,
          round(c.z, 2),
        ]);
  return { columns, rows };
}

/**
 * "Ähnliche Sozialräume" beside Kommune and Kreis: per Sozialraum and indicator (every
 * indicator published at the level), the unweighted mean of the published values of the
 * Sozialräume of the same type. Masked rows show no value (as in kennzahlen.*), the type
 * mean is built from published values only.
 */
export function comparisonTable(r: SteeringReport, rows: readonly SteeringRow[]): OutTable {
  const columns: TableColumn[] = [
    { name: 'jahr', type: 'int' },
    { name: 'zeitraum', type: 'text' },
    { name: 'sozialraum_id', type: 'text' },
    { name: 'sozialraum', type: 'text' },
    { name: 'kommune_ags', type: 'text' },
    { name: 'indikator_id', type: 'text' },
    { name: 'indikator', type: 'text' },
    { name: 'einheit', type: 'text' },
    { name: 'wert', type: 'double' },
    { name: 'status', type: 'text' },
    { name: 'kommune_wert', type: 'double' },
    { name: 'kreis_wert', type: 'double' },
    { name: 'typ', type: 'int' },
    { name: 'typ_bezeichnung', type: 'text' },
    { name: 'aehnliche_sozialraeume_wert', type: 'double' },
    { name: 'aehnliche_sozialraeume_n', type: 'int' },
    { name: 'differenz_aehnliche', type: 'double' },
  ];
  const out: Cell[][] = [];
  for (const y of r.years) {
    if (!y.types) continue;
    const typOf = new Map(y.types.assignments.map((a) => [a.id, a.typ]));
    const labelOf = new Map(y.types.types.map((t) => [t.typ, t.label]));
    const own = rows
      .filter((x) => x.level === r.level && x.year === y.year && x.pool_years === r.config.pool_jahre)
      .sort((a, b) =>
        a.area_id < b.area_id ? -1 : a.area_id > b.area_id ? 1 : a.indicator_id < b.indicator_id ? -1 : 1,
      );
    const byInd = new Map<string, SteeringRow[]>();
    for (const x of own) byInd.set(x.indicator_id, [...(byInd.get(x.indicator_id) ?? []), x]);
    const means = new Map(
      [...byInd].map(([id, xs]) => [
        id,
        typeMeans(
          xs.map((x) => x.value),
          xs.map((x) => typOf.get(x.area_id) ?? null),
        ),
      ]),
    );
    for (const x of own) {
      const typ = typOf.get(x.area_id) ?? null;
      const m = typ === null ? undefined : means.get(x.indicator_id)?.get(typ);
      out.push([
        y.year,
        x.period,
        x.area_id,
        x.area_name,
        x.kommune_ags,
        x.indicator_id,
        x.indicator_title,
        x.unit,
        x.value,
        x.status,
        x.ref_kommune_value,
        x.ref_kreis_value,
        typ,
        typ === null ? null : (labelOf.get(typ) ?? null),
        m ? m.mean : null,
        m ? m.n : null,
        m && x.value !== null ? x.value - m.mean : null,
      ]);
    }
  }
  return { columns, rows: out };
}
