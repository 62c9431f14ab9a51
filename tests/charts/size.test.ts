/**
 * Chart sizes: a chart stays as wide as it was designed (a column chart 400 px plus padding,
 * a page-wide chart 760 px), whatever its names and values, so that its text prints at the
 * size the theme intends. Widths are measured on the rendered SVG (DejaVu metrics).
 */
import { describe, expect, it } from 'vitest';
import { ranking } from '../../src/charts/ranking.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { renderSvg } from '../../src/render/svg.js';
import { META, ROWS } from './fixtures/rows.js';
import { body, type Json } from './helpers.js';

const SGB = 'sgb2_quote_unter_15';
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
