/**
 * A `.vl.json` is self-contained: rendered by plain vega + vega-lite in a separate
 * Node process (no spm code: no text metrics, no post-processing), a masked map
 * shows the same hatch as spm's SVG and labels carry the German decimal comma.
 * Rendered as the Vega editor does (vega + vega-lite in Chromium, text measured by
 * the browser), the drawing has spm's size. (Plain Node measures text with a
 * rough estimate, so its sizes say nothing about an editor.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from '../../src/report/pdf.js';
import { choropleth } from '../../src/charts/choropleth.js';
import { ranking } from '../../src/charts/ranking.js';
import { timeSeries } from '../../src/charts/time-series.js';
import type { ChartSpec } from '../../src/charts/types.js';
import { renderSvg } from '../../src/render/svg.js';
import { svgSize } from '../../src/render/print-size.js';
import { syntheticGeoJson } from '../../data-samples/geo.js';
import { META, ROWS } from '../charts/fixtures/rows.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SGB = 'sgb2_quote_unter_15';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-vljson-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** What the Vega editor does with the file: parse the JSON, compile, render. Nothing of spm is loaded. */
const PLAIN = `
import fs from 'node:fs';
import * as vega from 'vega';
import { compile } from 'vega-lite';
const spec = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
process.stdout.write(await view.toSVG());
`;
function plainSvg(spec: ChartSpec, name: string): string {
  const file = path.join(tmp, `${name}.vl.json`);
  fs.writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  return execFileSync(process.execPath, ['--input-type=module', '-e', PLAIN, file], { cwd: ROOT, encoding: 'utf8' });
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
// the drawing's size in px (spm's SVG has its root size in mm, the viewBox in px)
const size = (svg: string) => {
  const { width, height } = svgSize(svg);
  return { w: width, h: height };
};
/** Paths filled with a gradient, and the stripe stops of each gradient (dark/light pairs). */
const hatched = (svg: string) => (svg.match(/<path[^>]*fill="url\(#gradient_\d+\)"/g) ?? []).length;
const stripeStops = (svg: string) =>
  [...svg.matchAll(/<linearGradient[^>]*>(.*?)<\/linearGradient>/g)].map(
    (m) => (m[1]!.match(/stop-color="#555555"/g) ?? []).length,
  );

const geoMeta = () => {
  const g = syntheticGeoJson(
    [
      { id: '05558012-01', name: 'Coesfeld-Innenstadt', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558012-02', name: 'Coesfeld-Nord', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558012-08', name: 'Goxel', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558016-01', name: 'Dülmen-Mitte', ags: '05558016', kommune: 'Dülmen' },
    ],
    1,
  );
  return { ...META, geo: { sozialraeume: g.sozialraeume, kommunen: g.kommunen, idProperty: 'id' } };
};

describe('.vl.json outside spm', () => {
  it('a map with a masked area: the same hatch and decimal commas as spm draws', async () => {
    const spec = choropleth(ROWS, geoMeta(), { indicator: SGB, level: 'sozialraum', year: 2024 });
    const ours = await renderSvg(spec);
    const plain = plainSvg(spec, 'karte');
    // Goxel (gesperrt) and the area without data are hatched, plus the legend swatch
    expect(hatched(ours)).toBeGreaterThanOrEqual(2);
    expect(hatched(plain)).toBe(hatched(ours));
    expect(stripeStops(plain)).toEqual(stripeStops(ours));
    expect(Math.min(...stripeStops(plain))).toBeGreaterThanOrEqual(4); // at least two stripes each
    expect(plain).not.toContain('spm-hatch'); // no renderer pattern anywhere
    expect(ours).not.toContain('spm-hatch');
    const labels = texts(plain).filter((t) => /^\d/.test(t));
    expect(labels.some((t) => /^\d+,\d$/.test(t))).toBe(true);
    expect(labels.some((t) => /^\d+\.\d$/.test(t))).toBe(false);
  });

  it('a ranking and a time series: German numbers and the same gesperrt labels outside spm', async () => {
    const specs = {
      rangfolge: ranking(ROWS, META, { indicator: SGB, kommune: '05558012' }),
      zeitreihe: timeSeries(ROWS, META, { indicator: SGB, area: '05558012' }),
    };
    for (const [name, spec] of Object.entries(specs)) {
      const ours = await renderSvg(spec);
      const plain = plainSvg(spec, name);
      const numbers = texts(plain).filter((t) => /^-?\d+[.,]\d+$/.test(t));
      expect(numbers.length, name).toBeGreaterThan(0);
      expect(
        numbers.every((t) => t.includes(',')),
        name,
      ).toBe(true);
      expect(texts(plain).filter((t) => t.includes('gesperrt')).length, name).toBe(
        texts(ours).filter((t) => t.includes('gesperrt')).length,
      );
    }
  });
});

describe.skipIf(!fs.existsSync(DEFAULT_CHROMIUM))('.vl.json in a browser (as in the Vega editor)', () => {
  it('map, ranking and time series have the size spm draws them in', async () => {
    const specs: Record<string, ChartSpec> = {
      karte: choropleth(ROWS, geoMeta(), { indicator: SGB, level: 'sozialraum', year: 2024 }),
      rangfolge: ranking(ROWS, META, { indicator: SGB, kommune: '05558012' }),
      zeitreihe: timeSeries(ROWS, META, { indicator: SGB, area: '05558012' }),
    };
    const lib = (p: string) => pathToFileURL(path.join(ROOT, 'node_modules', p)).href;
    const page = path.join(tmp, 'editor.html');
    fs.writeFileSync(
      page,
      `<!DOCTYPE html><meta charset="utf-8"><script src="${lib('vega/build/vega.min.js')}"></script>` +
        `<script src="${lib('vega-lite/build/vega-lite.min.js')}"></script>`,
    );
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const tab = await browser.newPage();
      await tab.goto(pathToFileURL(page).href);
      for (const [name, spec] of Object.entries(specs)) {
        const json = JSON.stringify(spec);
        const svg = (await tab.evaluate(`(async () => {
          const spec = JSON.parse(${JSON.stringify(json)});
          const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
          return view.toSVG();
        })()`)) as string;
        const ours = size(await renderSvg(spec));
        const theirs = size(svg);
        // the spec fixes widths and heights; text measured by the browser instead of spm's metrics may move an edge
        expect(Math.abs(theirs.w - ours.w), name).toBeLessThanOrEqual(4);
        expect(Math.abs(theirs.h - ours.h), name).toBeLessThanOrEqual(4);
        expect(hatched(svg), name).toBe(hatched(await renderSvg(spec)));
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
