/**
 * Small multiples: one indicator, one panel per Kommune with the Kreis line in
 * each, on a shared y scale. Masked years are gaps, as in the time series.
 */
import type { ChartMeta, ChartSpec, KennzahlRow } from './types.js';
import { publicPoint } from './mask.js';
import { indicatorMeta, selectRows } from './select.js';
import { axisFormat, axisTitle } from './format.js';
import { frame } from './frame.js';
import { inTop, vegaString, wordsOf } from './levels.js';
import { SERIES_STYLE, WIDTH } from './theme.js';
import { pointTooltip } from './tooltip.js';

export interface SmallMultiplesOptions {
  indicator: string;
  poolYears?: number;
  /** Panels per row (default 4). */
  columns?: number;
}

export function smallMultiples(
  rows: readonly KennzahlRow[],
  meta: ChartMeta,
  options: SmallMultiplesOptions,
): ChartSpec {
  const words = wordsOf(meta);
  const o = { poolYears: 1, columns: 4, ...options };
  const ind = indicatorMeta(meta, o.indicator, rows);
  const all = selectRows(rows, { indicator: o.indicator, poolYears: o.poolYears });
  const years = [...new Set(all.map((r) => r.year))].sort((a, b) => a - b);
  const kommunen = [
    ...new Map(all.filter((r) => r.level === 'kommune').map((r) => [r.area_id, r.area_name])).entries(),
  ].sort((a, b) => a[1].localeCompare(b[1], 'de'));
  const kreis = new Map(all.filter((r) => r.level === 'kreis').map((r) => [r.year, publicPoint(r)]));

  // 1. Every panel gets its Kommune's points and a copy of the Kreis points, every year (null = gap).
  const data: Record<string, unknown>[] = [];
  for (const [id, name] of kommunen) {
    const own = new Map(all.filter((r) => r.area_id === id).map((r) => [r.year, publicPoint(r)]));
    for (const year of years) {
      const p = own.get(year);
      data.push({
        panel: name,
        series: words.second,
        area_name: name,
        year,
        value: p?.value ?? null,
        ci_low: p?.ci_low ?? null,
        ci_high: p?.ci_high ?? null,
        numerator: p?.numerator ?? null,
        denominator: p?.denominator ?? null,
        estimated: p?.estimated ?? false,
      });
      const k = kreis.get(year);
      data.push({
        panel: name,
        series: meta.kreis.name,
        area_name: meta.kreis.name,
        year,
        value: k?.value ?? null,
        ci_low: null,
        ci_high: null,
        numerator: k?.numerator ?? null,
        denominator: k?.denominator ?? null,
      });
    }
  }
  // An incomplete last row would leave an empty panel with a bare axis: the Kreis fills it.
  const panels = kommunen.map((k) => k[1]);
  if (kommunen.length % o.columns !== 0) {
    panels.push(meta.kreis.name);
    for (const year of years) {
      const k = kreis.get(year);
      data.push({
        panel: meta.kreis.name,
        series: meta.kreis.name,
        area_name: meta.kreis.name,
        year,
        value: k?.value ?? null,
        ci_low: null,
        ci_high: null,
        numerator: k?.numerator ?? null,
        denominator: k?.denominator ?? null,
      });
    }
  }
  const domain = [words.second, meta.kreis.name];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain, range: [SERIES_STYLE.area.color, SERIES_STYLE.kreis.color] },
    legend: { orient: 'top', symbolType: 'stroke', symbolStrokeWidth: 2.5 },
  };
  const strokeDash = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain, range: [SERIES_STYLE.area.dash, SERIES_STYLE.kreis.dash] },
  };
  const xMin = years[0] ?? 0;
  const xMax = years[years.length - 1] ?? 0;
  const x = {
    field: 'year',
    type: 'quantitative',
    title: null,
    scale: { domain: [xMin, xMax], nice: false, zero: false },
    axis: { values: [xMin, xMax], format: 'd', grid: false, labelFlush: true },
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    title: null,
    axis: { format: axisFormat(ind.unit), tickCount: 3 },
    scale: { zero: true },
  };
  const panelWidth = Math.floor((WIDTH.page - 60) / o.columns) - 24;
  const body = {
    data: { values: data },
    facet: {
      field: 'panel',
      type: 'nominal',
      title: null,
      sort: panels,
      // a long panel name (a Stadtbezirk of three parts) is shortened rather than widening every column
      header: { labelFontWeight: 'bold', labelPadding: 2, labelLimit: panelWidth + 20 },
    },
    columns: o.columns,
    spacing: { row: 14, column: 14 },
    spec: {
      width: panelWidth,
      height: 80,
      layer: [
        {
          mark: { type: 'line', strokeWidth: 1.8, invalid: 'break-paths-filter-domains' },
          encoding: { x, y, color, strokeDash },
        },
        {
          transform: [{ filter: `datum.value != null && datum.series === ${vegaString(words.second)}` }],
          mark: {
            type: 'point',
            filled: true,
            size: 14,
            color: SERIES_STYLE.area.color,
            tooltip: pointTooltip(ind.unit),
          },
          encoding: { x, y },
        },
      ],
    },
  };
  return frame(meta, body, {
    title: `${ind.title}: ${words.seconds} ${inTop(meta.kreis.name)}, ${xMin}\u2013${xMax}`,
    subtitle: `${axisTitle(ind)}${o.poolYears > 1 ? `, ${o.poolYears}-Jahres-Werte` : ''}; Lücken: gesperrt oder keine Angabe`,
    indicators: [ind],
    width: WIDTH.page,
    widthMm: 170,
  });
}
