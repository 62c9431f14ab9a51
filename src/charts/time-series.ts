/**
 * Time series: one area (usually a Kommune) against the Kreis, and the Land and
 * published reference values (Bund, other Kreise) where given, over the years.
 *
 * ```
 * rows ─ select indicator, pool window ─┬─ area series  ─┐
 *                                       ├─ Kommune (for a Sozialraum)
 *                                       ├─ Kreis series  ├─ every year of the range,
 *                                       └─ Land values  ─┘  null where masked/missing
 *   -> layers: CI band (area), line, points, break rules + labels
 *   -> frame: title, notes (gap years, breaks), source line
 * ```
 *
 * A masked or missing year is a `value: null` point: lines and bands break there
 * (`invalid: 'break-paths-filter-domains'`), nothing is drawn at zero and nothing
 * is interpolated across it.
 */
import type { ChartMeta, ChartSpec, KennzahlRow } from './types.js';
import { publicPoint, GAP_TEXT, type GapReason, type PublicPoint } from './mask.js';
import { areaName, indicatorMeta, selectRows } from './select.js';
import { axisFormat, axisTitle, unitLabel, yearRanges } from './format.js';
import { frame } from './frame.js';
import { SERIES_STYLE, SIZE, WIDTH } from './theme.js';
import { fitLegend } from './fit.js';
import { wrapText } from './text-width.js';
import { pointTooltip } from './tooltip.js';
import { seriesBreakNotes, breakLabel } from './breaks.js';

export interface TimeSeriesOptions {
  indicator: string;
  /** area_id of the area shown (Kommune AGS or Sozialraum id). */
  area: string;
  /** Pool window (1 = single years). */
  poolYears?: number;
  /** Draw the Land series where `meta.land` has values (default true). */
  land?: boolean;
  /** Show CI bands (default true). */
  ci?: boolean;
  /** Plot width in px (default fits a column chart). */
  width?: number;
  height?: number;
}

type SeriesKey = keyof typeof SERIES_STYLE;
interface SeriesPoint extends PublicPoint {
  series: string;
  key: SeriesKey;
}

function seriesPoints(rows: KennzahlRow[], key: SeriesKey, name: string, years: number[]): SeriesPoint[] {
  const byYear = new Map(rows.map((r) => [r.year, r]));
  return years.map((year) => {
    const r = byYear.get(year);
    const p: PublicPoint = r
      ? publicPoint(r)
      : {
          area_id: '',
          area_name: name,
          year,
          value: null,
          ci_low: null,
          ci_high: null,
          numerator: null,
          denominator: null,
          sig_kreis: null,
          sig_kommune: null,
          ref_kreis_value: null,
          estimated: false,
          gap: 'fehlt',
        };
    return { ...p, area_name: name, series: name, key };
  });
}

/** Gap years of one series grouped by reason: `Keine Angabe für Coesfeld: 2017 (gesperrt (Datenschutz))`. */
function gapNote(points: SeriesPoint[]): string | undefined {
  const by = new Map<GapReason, number[]>();
  for (const p of points) if (p.gap) by.set(p.gap, [...(by.get(p.gap) ?? []), p.year]);
  if (!by.size || !points[0]) return undefined;
  const parts = [...by].map(([reason, ys]) => `${yearRanges(ys)} (${GAP_TEXT[reason]})`);
  return `Keine Angabe für ${points[0].series}: ${parts.join('; ')}.`;
}

export function timeSeries(rows: readonly KennzahlRow[], meta: ChartMeta, options: TimeSeriesOptions): ChartSpec {
  const o = { poolYears: 1, land: true, ci: true, width: WIDTH.column - 70, height: 190, ...options };
  const ind = indicatorMeta(meta, o.indicator, rows);
  const all = selectRows(rows, { indicator: o.indicator, poolYears: o.poolYears });

  // 1. Series and the year range (every year in the data of this indicator).
  const areaRows = all.filter((r) => r.area_id === o.area);
  const first = areaRows[0];
  const name = first?.area_name ?? areaName(rows, o.area);
  const years = [...new Set(all.map((r) => r.year))].sort((a, b) => a - b);
  const series: SeriesPoint[][] = [seriesPoints(areaRows, 'area', name, years)];
  if (first?.level === 'sozialraum' && first.kommune_ags) {
    const k = all.filter((r) => r.level === 'kommune' && r.area_id === first.kommune_ags);
    if (k.length) series.push(seriesPoints(k, 'kommune', k[0]!.area_name, years));
  }
  if (first?.level !== 'kreis')
    series.push(
      seriesPoints(
        all.filter((r) => r.level === 'kreis'),
        'kreis',
        meta.kreis.name,
        years,
      ),
    );
  const landValues =
    o.land && o.poolYears === 1 ? (meta.land?.values ?? []).filter((v) => v.indicator_id === o.indicator) : [];
  if (landValues.length && meta.land) {
    const lv = new Map(landValues.map((v) => [v.year, v.value]));
    series.push(
      years.map((year) => ({
        ...seriesPoints([], 'land', meta.land!.name, [year])[0]!,
        value: lv.get(year) ?? null,
        gap: lv.has(year) ? null : 'fehlt',
      })),
    );
  }
  // published reference values (references:; at most three lines): as printed, never an interval
  const refs = o.land && o.poolYears === 1 ? (meta.references ?? []).slice(0, 3) : [];
  const refMasked: string[] = [];
  refs.forEach((ref, i) => {
    const own = new Map(ref.values.filter((v) => v.indicator_id === o.indicator).map((v) => [v.year, v]));
    if (own.size === 0) return;
    const key = `ref${i + 1}` as SeriesKey;
    const masked = years.filter((y) => own.get(y)?.status === 'gesperrt');
    if (masked.length > 0) refMasked.push(`${ref.name}: ${yearRanges(masked)} vom Herausgeber gesperrt`);
    series.push(
      years.map((year) => {
        const v = own.get(year);
        return {
          ...seriesPoints([], key, ref.name, [year])[0]!,
          value: v?.value ?? null,
          gap: v?.value != null ? null : v?.status === 'gesperrt' ? 'gesperrt' : 'fehlt',
        };
      }),
    );
  });
  // A published year whose neighbours have no value is "lone": no line reaches it, so it
  // gets its interval as a whisker; estimated values are drawn hollow.
  for (const ser of series) {
    ser.forEach((p, i) => {
      const prev = ser[i - 1]?.value ?? null;
      const next = ser[i + 1]?.value ?? null;
      (p as SeriesPoint & { lone?: boolean }).lone = p.value !== null && prev === null && next === null;
    });
  }
  const data = series.flat();
  const names = series.map((s) => s[0]!.series);
  const keys = series.map((s) => s[0]!.key);

  // 2. Scales shared by line, point and band: colour, dash and shape per series.
  const legendTitle = null;
  // the legend starts at the chart's left edge (theme): entries that do not fit in one row go
  // into columns, a name too long for a row is shortened (it is in the title in full)
  const fit = fitLegend(names, o.width + 70, Math.sqrt(400));
  // a y title longer than the plot is high would reach up into the legend: wrapped to the
  // plot's height, the plot giving up the width of the added lines
  const yLines = wrapText(axisTitle(ind), o.height, SIZE.axisTitle);
  const yTitle = yLines.length > 1 ? yLines : axisTitle(ind);
  const plotWidth = o.width - (yLines.length - 1) * (SIZE.axisTitle + 3);
  const color = {
    field: 'series',
    type: 'nominal',
    title: legendTitle,
    scale: { domain: names, range: keys.map((k) => SERIES_STYLE[k].color) },
    legend: {
      orient: 'top',
      direction: 'horizontal',
      symbolType: 'stroke',
      symbolStrokeWidth: 2.5,
      symbolSize: 400,
      offset: 6,
      ...(fit.columns < names.length ? { columns: fit.columns, labelLimit: fit.labelLimit } : {}),
    },
  };
  const dash = {
    field: 'series',
    type: 'nominal',
    title: legendTitle,
    scale: { domain: names, range: keys.map((k) => SERIES_STYLE[k].dash) },
  };
  const shape = {
    field: 'series',
    type: 'nominal',
    title: legendTitle,
    scale: { domain: names, range: keys.map((k) => SERIES_STYLE[k].shape) },
    legend: null,
  };
  const xMin = years[0] ?? 0;
  const xMax = years[years.length - 1] ?? 0;
  const x = {
    field: 'year',
    type: 'quantitative',
    title: null,
    scale: { domain: [xMin - 0.3, xMax + 0.3], nice: false, zero: false },
    axis: { values: years, format: 'd', labelAngle: 0, labelOverlap: true, grid: false },
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    title: yTitle,
    axis: { format: axisFormat(ind.unit), titlePadding: 8 },
    scale: { zero: true },
  };

  // 3. Layers: band, line, points, declared breaks.
  const layers: Record<string, unknown>[] = [];
  // the subtitle explains the band only where one is drawn (a published rate has no interval)
  let band = false;
  if (o.ci) {
    // One band layer per series with a fixed colour: bands stay out of the legend.
    for (const k of keys.filter((k) => k !== 'land' && !k.startsWith('ref'))) {
      if (!data.some((p) => p.key === k && p.ci_low !== null)) continue;
      band = true;
      layers.push({
        transform: [{ filter: `datum.key === '${k}'` }],
        mark: { type: 'area', opacity: 0.2, color: SERIES_STYLE[k].color, invalid: 'break-paths-filter-domains' },
        encoding: { x, y: { field: 'ci_low', type: 'quantitative' }, y2: { field: 'ci_high' } },
      });
    }
  }
  layers.push({
    mark: { type: 'line', strokeWidth: 2, invalid: 'break-paths-filter-domains' },
    encoding: { x, y, color, strokeDash: dash },
  });
  layers.push({
    transform: [{ filter: 'datum.value != null && datum.lone && datum.ci_low != null' }],
    mark: { type: 'rule', strokeWidth: 1.5 },
    encoding: {
      x,
      y: { field: 'ci_low', type: 'quantitative' },
      y2: { field: 'ci_high' },
      color: { ...color, legend: null },
    },
  });
  layers.push({
    transform: [{ filter: 'datum.value != null && !datum.estimated' }],
    mark: { type: 'point', filled: true, size: 36, opacity: 1, invalid: 'filter', tooltip: pointTooltip(ind.unit) },
    encoding: { x, y, color: { ...color, legend: null }, shape },
  });
  layers.push({
    transform: [{ filter: 'datum.value != null && datum.estimated' }],
    mark: {
      type: 'point',
      filled: false,
      fill: '#ffffff',
      strokeWidth: 1.5,
      size: 44,
      opacity: 1,
      invalid: 'filter',
      tooltip: pointTooltip(ind.unit),
    },
    encoding: { x, y, color: { ...color, legend: null }, shape },
  });
  // gaps of the shown area marked on the x axis: × masked, – no value (e.g. below the minimum denominator)
  layers.push({
    transform: [
      { filter: "datum.key === 'area' && datum.gap != null" },
      { calculate: "datum.gap === 'gesperrt' ? '\u00d7' : '\u2013'", as: 'gap_mark' },
    ],
    mark: { type: 'text', y: o.height - 7, fontSize: SIZE.label, fontWeight: 'bold', color: '#555555' },
    encoding: {
      x,
      text: { field: 'gap_mark' },
      tooltip: [
        { field: 'year', title: 'Jahr' },
        { field: 'gap', title: 'kein Wert' },
      ],
    },
  });
  const breaks = ind.breaks.filter((b) => b.year > xMin && b.year <= xMax);
  if (breaks.length) {
    const bdata = breaks.map((b) => ({ x: b.year - 0.5, label: breakLabel(b.year) }));
    layers.push({
      data: { values: bdata },
      mark: { type: 'rule', color: '#333333', strokeDash: [3, 3], strokeWidth: 1 },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    });
    layers.push({
      data: { values: bdata },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: SIZE.footer, color: '#333333' },
      encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  const body = {
    width: plotWidth,
    height: o.height,
    data: { values: data },
    layer: layers,
    // Points get their own (identical) colour scale so that the legend is the line layer's: dashed strokes.
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  };

  // 4. Frame: notes for gaps and breaks.
  const marks: string[] = [];
  if (data.some((p) => p.key === 'area' && p.gap === 'gesperrt')) marks.push('× unten: Jahr gesperrt');
  if (data.some((p) => p.key === 'area' && p.gap && p.gap !== 'gesperrt')) marks.push('– unten: kein Wert');
  if (data.some((p) => p.estimated)) marks.push('offener Punkt: geschätzt (Summe enthält gesperrte Eingangswerte)');
  if (data.some((p) => (p as SeriesPoint & { lone?: boolean }).lone && p.ci_low !== null))
    marks.push('einzelner Punkt mit senkrechtem 95-%-Konfidenzintervall: Jahr ohne ausweisbare Nachbarjahre');
  const notes = [
    ...(marks.length ? [`Zeichen: ${marks.join('; ')}.`] : []),
    ...refMasked.map((t) => `${t}.`),
    ...series
      .filter((s) => s[0]!.key !== 'land' && !s[0]!.key.startsWith('ref'))
      .map(gapNote)
      .filter((n): n is string => !!n),
    ...seriesBreakNotes(breaks),
  ];
  const pool = o.poolYears > 1 ? `, ${o.poolYears}-Jahres-Werte` : '';
  return frame(meta, body, {
    // "im Vergleich" only beside another line (the top without a Land value has none)
    title: `${ind.title}: ${name}${series.length > 1 ? ' im Vergleich' : ''}, ${xMin}\u2013${xMax}`,
    subtitle: `${unitLabel(ind)}${pool}${band ? '; Band: 95-%-Konfidenzintervall' : ''}`,
    notes,
    indicators: [ind],
    land: keys.includes('land'),
    references: refs.filter((_, i) => keys.includes(`ref${i + 1}` as SeriesKey)).map((r) => r.id),
  });
}
