/**
 * Charts of the Sozialindex (src/steering): a ranking of the Sozialräume with
 * the simulated rank interval, a map of the need classes, and a map of the
 * Sozialraumtypen. Inputs are the published index tables, so a Sozialraum
 * without an index ("nicht berechenbar") is shown hatched like a masked value.
 *
 * ```
 * SteeringYear ─ ranking: point = rank, rule = rank interval (1 = most need)
 *              ─ maps: GeoJSON lookup -> need class / type (ordinal, nominal), gaps hatched
 * ```
 */
import type { SteeringReport, SteeringYear } from '../steering/build.js';
import type { ChartJob, ChartMeta, ChartSpec, IndicatorMeta } from './types.js';
import { frame } from './frame.js';
import { MASKED_FILL, WIDTH } from './theme.js';
import { formatDe } from './format.js';
import { inTop } from './levels.js';

const NO_INDEX = 'nicht berechenbar';
const CLASSES = ['sehr hoch', 'hoch', 'mittel', 'niedrig'] as const;
/** ColorBrewer OrRd steps, dark = more need; readable in greyscale. */
const CLASS_COLORS = ['#b30000', '#e34a33', '#fdbb84', '#fef0d9'];
/**
 * Okabe–Ito colours (and Tol's wine) for up to 10 types, colour-blind safe, ordered so that the first
 * four differ in lightness too (CIE L* 32, 54, 70, 89): a map printed in greyscale keeps them apart (with
 * the former order Typ 1 and Typ 4 printed as the same grey, L* 54 and 58).
 */
export const TYPE_COLORS = [
  '#882255',
  '#D55E00',
  '#56B4E9',
  '#F0E442',
  '#0072B2',
  '#009E73',
  '#E69F00',
  '#CC79A7',
  '#999999',
  '#000000',
];

function inds(meta: ChartMeta, r: SteeringReport): (IndicatorMeta | undefined)[] {
  return r.indicators.map((i) => meta.indicators.find((m) => m.id === i.id));
}

function methodNote(r: SteeringReport, y: SteeringYear): string {
  const std = r.config.standardisierung === 'z' ? 'z-Werte' : 'Perzentilränge';
  const w = { gleich: 'gleich gewichtet', erklaert: 'festgelegte Gewichte', pca: 'Gewichte der 1. Hauptkomponente' }[
    r.config.gewichte
  ];
  return `Sozialindex aus ${r.indicators.map((i) => i.label).join(', ')} (${std}, ${w}); ${y.index.ranked} von ${y.input.areas.length} Sozialräumen berechenbar, die übrigen haben einen gesperrten oder fehlenden Eingangswert.`;
}

/** Ranking: rank with its simulated interval per Sozialraum, most need on top. */
export function sozialindexRanking(r: SteeringReport, y: SteeringYear, meta: ChartMeta): ChartSpec {
  const level = Math.round((y.index.simulation?.level ?? 0.9) * 100);
  const values = y.index.rows
    .filter((x) => x.status === 'berechnet')
    .map((x) => ({
      name: r.areas.get(x.id)?.name ?? x.id,
      rang: x.rank,
      rang_unten: x.rankLow,
      rang_oben: x.rankHigh,
      index: x.index === null ? null : Math.round(x.index * 100) / 100,
    }))
    .sort((a, b) => (a.rang as number) - (b.rang as number) || (a.name < b.name ? -1 : 1));
  const y0 = {
    field: 'name',
    type: 'nominal',
    title: null,
    sort: { field: 'rang', order: 'ascending' },
    axis: { labelLimit: 170 },
  };
  const x = {
    type: 'quantitative',
    title: `Rang (1 = höchster Bedarf), ${level}-%-Intervall`,
    scale: { domainMin: 1 },
  };
  const tooltip = [
    { field: 'name', type: 'nominal', title: 'Sozialraum' },
    { field: 'rang', type: 'quantitative', title: 'Rang' },
    { field: 'rang_unten', type: 'quantitative', title: 'Rang von' },
    { field: 'rang_oben', type: 'quantitative', title: 'Rang bis' },
    { field: 'index', type: 'quantitative', title: 'Sozialindex', format: ',.2f' },
  ];
  const body = {
    width: WIDTH.page - 220,
    height: { step: 12 },
    data: { values },
    layer: [
      {
        mark: { type: 'rule', color: '#555555', strokeWidth: 1.5 },
        encoding: { y: y0, x: { ...x, field: 'rang_unten' }, x2: { field: 'rang_oben' }, tooltip },
      },
      {
        mark: { type: 'point', filled: true, color: '#0072B2', size: 40 },
        encoding: { y: y0, x: { ...x, field: 'rang' }, tooltip },
      },
    ],
  };
  return frame(meta, body, {
    title: `Sozialindex ${y.period}: Rang der Sozialräume ${inTop(meta.kreis.name)} mit ${level}-%-Intervall`,
    subtitle: 'Überlappende Intervalle: die Rangfolge dieser Sozialräume ist durch die Daten nicht gesichert',
    notes: [
      methodNote(r, y),
      `Intervall: ${formatDe(y.index.simulation?.draws ?? 0, 0)} Simulationen aus den Konfidenzintervallen der Eingangswerte.`,
    ],
    indicators: inds(meta, r),
    width: WIDTH.page,
    widthMm: 170,
  });
}

function mapBody(
  meta: ChartMeta,
  values: { area_id: string; name: string; cls: string | null }[],
  color: Record<string, unknown>,
): Record<string, unknown> {
  const geo = meta.geo;
  const fc = geo?.sozialraeume;
  if (!geo || !fc) throw new Error('Karte: keine GeoJSON-Datei der Sozialräume konfiguriert (spm.yaml, geo:)');
  const lookup = {
    lookup: `properties.${geo.idProperty}`,
    from: { data: { values }, key: 'area_id', fields: ['name', 'cls'] },
  };
  const layers: Record<string, unknown>[] = [
    {
      transform: [lookup, { filter: 'isValid(datum.cls)' }],
      mark: { type: 'geoshape', stroke: '#ffffff', strokeWidth: 0.8 },
      encoding: {
        color: { field: 'cls', ...color },
        tooltip: [
          { field: 'name', type: 'nominal', title: 'Sozialraum' },
          { field: 'cls', type: 'nominal', title: 'Klasse' },
        ],
      },
    },
    {
      transform: [lookup, { filter: '!isValid(datum.cls)' }],
      mark: { type: 'geoshape', stroke: '#ffffff', strokeWidth: 0.8 },
      encoding: {
        color: {
          datum: NO_INDEX,
          type: 'nominal',
          title: null,
          scale: { domain: [NO_INDEX], range: [MASKED_FILL] },
          legend: { orient: 'bottom', symbolStrokeColor: '#555555' },
        },
      },
    },
  ];
  if (geo.kommunen)
    layers.push({
      data: { values: geo.kommunen.features },
      mark: { type: 'geoshape', filled: false, stroke: '#000000', strokeWidth: 1.4 },
    });
  const width = WIDTH.column - 20;
  return {
    width,
    height: width,
    projection: { type: 'mercator' },
    data: { values: fc.features },
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  };
}

const legend = {
  orient: 'bottom',
  direction: 'vertical',
  symbolType: 'square',
  symbolSize: 160,
  labelLimit: 360,
  titleLimit: 360,
};

/** Map of the need classes (standardised index cut at +1.5, +1 and −1 SD). */
export function sozialindexMap(r: SteeringReport, y: SteeringYear, meta: ChartMeta): ChartSpec {
  const values = y.index.rows.map((x) => ({ area_id: x.id, name: r.areas.get(x.id)?.name ?? x.id, cls: x.needClass }));
  const body = mapBody(meta, values, {
    type: 'ordinal',
    title: 'Bedarf nach Sozialindex',
    scale: { domain: [...CLASSES], range: CLASS_COLORS },
    legend: { ...legend, symbolStrokeColor: '#555555' },
  });
  return frame(meta, body, {
    title: `Sozialindex ${y.period}: Bedarfsklassen der Sozialräume ${inTop(meta.kreis.name)}`,
    subtitle: 'Klassen: standardisierter Index über +1,5 / +1 / −1 Standardabweichungen (wie im Berliner Monitoring)',
    notes: [methodNote(r, y), `schraffiert: ${NO_INDEX}`],
    indicators: inds(meta, r),
    usermeta: { hatch: [MASKED_FILL] },
  });
}

/** Map of the Sozialraumtypen with their labels in the legend. */
export function sozialraumtypenMap(r: SteeringReport, y: SteeringYear, meta: ChartMeta): ChartSpec {
  const t = y.types;
  if (!t) throw new Error('Sozialraumtypen: in spm.yaml nicht konfiguriert (sozialindex.typen)');
  // the legend names the types; their (long) labels go into the footer, which wraps
  const name = (typ: number): string => `Typ ${typ}`;
  const values = t.assignments.map((a) => ({
    area_id: a.id,
    name: r.areas.get(a.id)?.name ?? a.id,
    cls: a.typ === null ? null : name(a.typ),
  }));
  const body = mapBody(meta, values, {
    type: 'nominal',
    title: 'Sozialraumtyp',
    scale: { domain: t.types.map((x) => name(x.typ)), range: TYPE_COLORS.slice(0, t.types.length) },
    legend: { ...legend, symbolStrokeColor: '#555555' },
  });
  return frame(meta, body, {
    title: `Sozialraumtypen ${y.period} ${inTop(meta.kreis.name)}`,
    subtitle: `Clusteranalyse (k-means) mit ${t.k} Typen über die standardisierten Werte von ${r.indicators.map((i) => i.label).join(', ')}`,
    notes: [
      ...t.types.map((x) => `Typ ${x.typ} (${x.members} Sozialräume): ${x.label}.`),
      // the method's details (seed, starts) are in the Steckbrief; the reader of a Vorlage needs the reading
      'Typ 1 = höchster Bedarf. Benannt nach dem Profil des Typ-Mittelpunkts: „über-“ oder „unterdurchschnittlich“ ab 0,5 Standardabweichungen vom Mittel, „deutlich“ ab 1. Verfahren: sozialindex/steckbrief.md.',
      `schraffiert: ${NO_INDEX} (gesperrter oder fehlender Eingangswert)`,
    ],
    indicators: inds(meta, r),
    usermeta: { hatch: [MASKED_FILL] },
  });
}

/** Chart jobs of the index: `sozialindex/rangfolge_<Jahr>`, `karte_<Jahr>`, `typen_karte_<Jahr>` (maps only with GeoJSON). */
export function sozialindexCharts(r: SteeringReport, meta: ChartMeta): ChartJob[] {
  const jobs: ChartJob[] = [];
  for (const y of r.years) {
    jobs.push({ name: `sozialindex/rangfolge_${y.year}`, spec: sozialindexRanking(r, y, meta) });
    if (meta.geo?.sozialraeume) {
      jobs.push({ name: `sozialindex/karte_${y.year}`, spec: sozialindexMap(r, y, meta) });
      if (y.types) jobs.push({ name: `sozialindex/typen_karte_${y.year}`, spec: sozialraumtypenMap(r, y, meta) });
    }
  }
  return jobs;
}
