/**
 * Estimated values (status `estimated`) in charts: the "(g)" marker on every printed
 * label, "geschätzt" in the tooltip, tooltips without "null", and a German
 * description instead of Vega's English ARIA text in the standalone SVG.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { timeSeries } from '../../src/charts/time-series.js';
import { ranking } from '../../src/charts/ranking.js';
import { smallMultiples } from '../../src/charts/small-multiples.js';
import { praeventionskette } from '../../src/charts/praeventionskette.js';
import { choropleth } from '../../src/charts/choropleth.js';
import { ESTIMATED_MARK, markEstimated } from '../../src/charts/format.js';
import { renderSvg } from '../../src/render/svg.js';
import { syntheticGeoJson } from '../../data-samples/geo.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { META, ROWS } from './fixtures/rows.js';
import { body, type Json } from './helpers.js';

const SGB = 'sgb2_quote_unter_15';
/** Coesfeld, the Kreis and Coesfeld-Nord 2024 estimated (as after a boundary change). */
const EST = new Set(['05558012', '05558', '05558012-02']);
const rows: KennzahlRow[] = ROWS.map((r) =>
  r.indicator_id === SGB && r.year === 2024 && EST.has(r.area_id) && r.suppression == null
    ? { ...r, status: 'estimated' }
    : r,
);
const geoMeta = () => {
  const g = syntheticGeoJson(
    [
      { id: '05558012-01', name: 'Coesfeld-Innenstadt', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558012-02', name: 'Coesfeld-Nord', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558012-08', name: 'Goxel', ags: '05558012', kommune: 'Coesfeld' },
    ],
    1,
  );
  return { ...META, geo: { sozialraeume: g.sozialraeume, kommunen: g.kommunen, idProperty: 'id' } };
};

const specs = {
  timeSeries: () => timeSeries(rows, META, { indicator: SGB, area: '05558012' }),
  ranking: () => ranking(rows, META, { indicator: SGB, kommune: '05558012', year: 2024 }),
  smallMultiples: () => smallMultiples(rows, META, { indicator: SGB }),
  praeventionskette: () => praeventionskette(rows, META, { kommune: '05558012', indicators: [SGB] }),
  choropleth: () => choropleth(rows, geoMeta(), { indicator: SGB, level: 'sozialraum', year: 2024 }),
};

/** Every tooltip and text of the drawn chart (Vega scene graph), with the datum of its item. */
async function drawn(spec: unknown): Promise<{ tips: { tip: unknown; datum: Json }[]; texts: string[] }> {
  const vega = await import('vega');
  const view = new vega.View(vega.parse(compile(spec as never, { logger: vega.logger(vega.None) }).spec), {
    renderer: 'none',
  });
  await view.runAsync();
  const tips: { tip: unknown; datum: Json }[] = [];
  const texts: string[] = [];
  type Item = { tooltip?: unknown; datum?: Json; text?: unknown; items?: Item[] };
  const walk = (n: Item) => {
    for (const i of n.items ?? []) walk(i);
    if (n.tooltip != null) tips.push({ tip: n.tooltip, datum: n.datum ?? {} });
    if (n.text != null) texts.push([n.text].flat().join(' '));
  };
  walk((view.scenegraph() as unknown as { root: Item }).root);
  view.finalize();
  return { tips, texts };
}

describe('estimated values in charts', () => {
  it('markEstimated appends the one marker', () => {
    expect(markEstimated('10,9 %', true)).toBe(`10,9 %\u00a0${ESTIMATED_MARK}`);
    expect(markEstimated('10,9 %', false)).toBe('10,9 %');
  });

  for (const [name, make] of Object.entries(specs)) {
    it(`${name}: tooltips say "geschätzt" for an estimated value and never "null"`, async () => {
      const { tips } = await drawn(make());
      expect(tips.length).toBeGreaterThan(0);
      let estimated = 0;
      for (const { tip, datum } of tips) {
        const s = JSON.stringify(tip);
        expect(s, name).not.toMatch(/null|undefined|NaN/);
        if (datum.estimated === true || (name === 'praeventionskette' && datum.hinweis)) {
          estimated++;
          expect(s).toContain('geschätzt');
        }
      }
      expect(estimated, name).toBeGreaterThan(0);
    });
  }

  it('praeventionskette: label marks the estimated Kommune and Kreis values', async () => {
    const { texts } = await drawn(specs.praeventionskette());
    const label = texts.find((t) => /\(Kreis /.test(t));
    expect(label).toMatch(/^\d+,\d\u00a0%\u00a0\(g\) \(Kreis \d+,\d\u00a0%\u00a0\(g\)\)$/);
    // and says what "(g)" means on the page (a printed chart has no tooltip)
    expect(texts.join(' ')).toContain('„(g)“: geschätzt, weil die Summe gesperrte Eingangswerte enthält');
  });

  it('ranking: value labels and the Kreis/Kommune reference lines carry "(g)"', async () => {
    const { texts } = await drawn(specs.ranking());
    expect(texts.filter((t) => /^\d+,\d\u00a0\(g\)$/.test(t))).toHaveLength(1); // Coesfeld-Nord
    expect(texts.some((t) => /^Kreis Coesfeld: \d+,\d\u00a0%\u00a0\(g\)$/.test(t))).toBe(true);
    expect(texts.some((t) => /^Coesfeld: \d+,\d\u00a0%\u00a0\(g\)$/.test(t))).toBe(true);
    // and says what "(g)" means on the page (a printed chart has no tooltip)
    expect(texts.join(' ')).toContain('„(g)“: geschätzt, weil die Summe gesperrte Eingangswerte enthält');
  });

  it('carries a German description; the SVG is labelled with it, not with Vega English', async () => {
    for (const make of [specs.timeSeries, specs.ranking]) {
      const spec = make() as unknown as Json;
      expect(spec.description).toMatch(/^Diagramm: SGB-II-Quote/);
      const svg = await renderSvg(spec as never);
      const labels = [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]!);
      expect(labels[0]).toMatch(/^Diagramm: SGB-II-Quote/);
      expect(svg).toMatch(/^<svg role="img" aria-label="Diagramm: /);
      expect(labels.join(' | ')).not.toMatch(/axis titled|Title text|for a (linear|discrete|band) scale|\w+: \d{4}; /);
    }
    expect((body(specs.timeSeries()) as Json).title).toMatchObject({ aria: false });
  });
});
