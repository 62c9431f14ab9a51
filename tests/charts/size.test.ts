/**
 * Chart sizes: a chart stays as wide as it was designed (a column chart 400 px plus padding,
 * a page-wide chart 760 px), whatever its names and values, so that its text prints at the
 * size the theme intends. Widths are measured on the rendered SVG (DejaVu metrics).
 */
import { describe, expect, it } from 'vitest';
import { ranking } from '../../src/charts/ranking.js';
import { timeSeries } from '../../src/charts/time-series.js';
import { smallMultiples } from '../../src/charts/small-multiples.js';
import { choropleth } from '../../src/charts/choropleth.js';
import { syntheticGeoJson } from '../../data-samples/geo.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { renderSvg } from '../../src/render/svg.js';
import { META, ROWS } from './fixtures/rows.js';
import { body, marksOf, type Json } from './helpers.js';
import { textWidth } from '../../src/charts/text-width.js';

const SGB = 'sgb2_quote_unter_15';
const geoMeta = () => {
  const g = syntheticGeoJson(
    [
      { id: '05558012-01', name: 'Coesfeld-Innenstadt', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558012-02', name: 'Coesfeld-Nord', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558016-01', name: 'Dülmen-Mitte', ags: '05558016', kommune: 'Dülmen' },
    ],
    1,
  );
  return { ...META, geo: { sozialraeume: g.sozialraeume, kommunen: g.kommunen, idProperty: 'id' } };
};
/** The SVG's width in px (its viewBox, or its width attribute). */
function svgWidth(svg: string): number {
  const vb = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"/.exec(svg);
  return Number(vb ? vb[1] : /<svg[^>]*\swidth="([\d.]+)/.exec(svg)![1]);
}

/** The fixture's SGB-II rows lifted to 85-99 %: an Impfquote-like indicator on a cut axis. */
const HIGH: KennzahlRow[] = ROWS.map((r) =>
  r.indicator_id === SGB && r.suppression == null && r.value != null
    ? {
        ...r,
        value: r.value + 80,
        ci_low: r.ci_low! + 80,
        ci_high: Math.min(100, r.ci_high! + 80),
        ref_kreis_value: 89,
      }
    : r,
);

describe('ranking on a cut axis', () => {
  const spec = ranking(HIGH, META, { indicator: SGB, kommune: '05558012' });
  it('is drawn as dots on an axis from 85 with a masked row (the fixture is the case)', () => {
    const x = ((body(spec).layer as Json[])[0]!.encoding as Json).x as Json;
    expect((x.scale as Json).domain).toEqual([85, 100]);
    expect((body(spec).data as Json).values).toContainEqual(expect.objectContaining({ gap_text: 'gesperrt' }));
  });
  it('places "gesperrt" at the left edge of the plot in pixels, not at the value 0 off the axis', () => {
    const gap = (body(spec).layer as Json[]).find(
      (l) => JSON.stringify(l.transform) === '[{"filter":"datum.value == null"}]',
    )!;
    expect((gap.encoding as Json).x).toEqual({ value: 0 });
  });
  it('is no wider with the masked row than without it', async () => {
    const without = ranking(
      HIGH.filter((r) => r.suppression == null),
      META,
      { indicator: SGB, kommune: '05558012' },
    );
    expect(svgWidth(await renderSvg(spec))).toBeLessThanOrEqual(svgWidth(await renderSvg(without)) + 0.5);
  });
});

/** Column chart: 400 px of content plus 8 px padding on either side; page-wide: 760 plus padding. */
const COLUMN_PX = 416;
const PAGE_PX = 776;

/** Long names as München has them ("Thalkirchen - Obersendling - Forstenried - Fürstenried - Solln"). */
const LONG: Record<string, string> = {
  '05558': 'Landeshauptstadt München',
  '05558012': 'Thalkirchen - Obersendling - Forstenried - Fürstenried - Solln',
  '05558012-01': 'Ludwigsvorstadt - Isarvorstadt',
  '05558012-02': 'Aubing - Lochhausen - Langwied',
};
const longMeta = { ...META, kreis: { ags: '05558', name: LONG['05558']! } };
const longRows = (rows: readonly KennzahlRow[]) =>
  rows.map((r) => (LONG[r.area_id] ? { ...r, area_name: LONG[r.area_id]! } : r));

describe('charts stay as wide as designed', () => {
  it('a ranking on a cut axis with a masked row, the legend and the reference labels within a column', async () => {
    const spec = ranking(HIGH, META, { indicator: SGB, kommune: '05558012' });
    expect(svgWidth(await renderSvg(spec))).toBeLessThanOrEqual(COLUMN_PX);
  });
  it('a ranking of areas with long names: names shortened with an ellipsis, plot and values kept', async () => {
    const spec = ranking(longRows(ROWS), longMeta, { indicator: SGB, kommune: '05558012' });
    expect(svgWidth(await renderSvg(spec))).toBeLessThanOrEqual(COLUMN_PX);
    const all = ranking(longRows(ROWS), longMeta, { indicator: 'hze_eckwert' });
    expect(svgWidth(await renderSvg(all))).toBeLessThanOrEqual(COLUMN_PX);
  });
  it('a time series of an area with a long name: the legend wraps into rows', async () => {
    const spec = timeSeries(longRows(ROWS), longMeta, { indicator: SGB, area: '05558012' });
    expect(svgWidth(await renderSvg(spec))).toBeLessThanOrEqual(COLUMN_PX);
  });
  it('a time series whose y title is longer than the plot is high: wrapped, clear of the legend above', async () => {
    const meta = {
      ...longMeta,
      indicators: META.indicators.map((i) => ({ ...i, short_title: 'Anteil der betreuten Kinder bis 2 Jahre' })),
    };
    const spec = timeSeries(longRows(ROWS), meta, { indicator: SGB, area: '05558012' });
    const enc = marksOf(spec, 'line')[0]!.encoding as Json;
    const lines = (enc.y as Json).title as string[];
    expect(lines.length).toBe(2);
    for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(190);
    expect(svgWidth(await renderSvg(spec))).toBeLessThanOrEqual(COLUMN_PX);
  });
  it('small multiples with a long panel title', async () => {
    const spec = smallMultiples(longRows(ROWS), longMeta, { indicator: SGB });
    expect(svgWidth(await renderSvg(spec))).toBeLessThanOrEqual(PAGE_PX);
  });
  it('a map whose legend title is long', async () => {
    const spec = choropleth(ROWS, geoMeta(), { indicator: 'hze_eckwert', level: 'kommune', year: 2024 });
    expect(svgWidth(await renderSvg(spec))).toBeLessThanOrEqual(COLUMN_PX);
  });
});
