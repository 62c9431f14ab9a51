/**
 * Rendering: SVG content (axis titles, German tick labels, one symbol/bar per
 * published row, no masked number), PNG size and dpi, files written atomically
 * and byte-identical across runs and across worker / in-process rendering.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { timeSeries } from '../../src/charts/time-series.js';
import { ranking } from '../../src/charts/ranking.js';
import { smallMultiples } from '../../src/charts/small-multiples.js';
import { formatDe } from '../../src/charts/format.js';
import { renderSvg } from '../../src/render/svg.js';
import { renderPng, pngInfo, pngText, printWidthMm, svgSize, MM_PER_PX } from '../../src/render/png.js';
import { renderCharts } from '../../src/render/render-charts.js';
import { META, ROWS } from '../charts/fixtures/rows.js';

const SGB = 'sgb2_quote_unter_15';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-render-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Items of the first mark group of a kind (`symbol`, `rect`, ...) in a layer. */
function markItems(svg: string, kind: string, layer?: number): number {
  const re = new RegExp(
    `<g class="mark-${kind} role-mark concat_0_layer_${layer ?? '\\d+'}_marks"[^>]*>(.*?)</g>`,
    's',
  );
  const m = re.exec(svg);
  return m ? (m[1]!.match(/<path /g) ?? []).length : 0;
}
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))),
  );

describe('renderSvg', () => {
  it('time series: axis title with unit, German ticks, one point per published value', async () => {
    const spec = timeSeries(ROWS, META, { indicator: SGB, area: '05558012' });
    const svg = await renderSvg(spec);
    const t = texts(svg);
    expect(t).toContain('SGB-II-Quote unter 15 (%)');
    expect(t).toEqual(expect.arrayContaining(['0,0', '5,0', '10,0', '15,0']));
    expect(t.some((x) => /^\d+\.\d$/.test(x))).toBe(false); // no English decimals
    expect(t).toContain('2015');
    expect(t).toContain('Bruch 2016');
    // Coesfeld 8 of 10 years published, Kreis 10, NRW 10.
    expect(markItems(svg, 'symbol')).toBe(28);
    expect(svg).toContain('font-family="DejaVu Sans"');
  });

  it('ranking: one bar per published Sozialraum, masked area as text, no masked number', async () => {
    const spec = ranking(ROWS, META, { indicator: SGB, kommune: '05558012' });
    const svg = await renderSvg(spec);
    expect(markItems(svg, 'rect', 0)).toBe(2);
    expect(texts(svg)).toContain('gesperrt');
    // Everything a reader or screen reader gets: texts and aria-labels (Vega's tooltip-like descriptions).
    const said = [...texts(svg), ...[...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]!)].join(' | ');
    const goxel = ROWS.find((r) => r.area_id === '05558012-08' && r.year === 2024 && r.indicator_id === SGB)!;
    expect(goxel.suppression).toBe('gesperrt');
    for (const n of [goxel.value!, goxel.ci_low!, goxel.ci_high!, goxel.denominator!]) {
      for (const digits of [1, 2, 3])
        expect(said).not.toMatch(new RegExp(`(?<![\\d.,])${formatDe(n, digits).replace('.', '\\.')}(?!\\d)`));
    }
    expect(said).not.toContain('Goxel; Wert');
  });

  it('a label cut to its labelLimit takes the width it is drawn in, not its full length', async () => {
    const bars = (name: string) =>
      ({
        data: { values: [{ name, v: 1 }] },
        mark: 'bar',
        encoding: {
          y: { field: 'name', type: 'nominal', axis: { labelLimit: 80 } },
          x: { field: 'v', type: 'quantitative' },
        },
        width: 100,
      }) as never;
    const width = (svg: string) => Number(/viewBox="[-\d.]+ [-\d.]+ ([\d.]+)/.exec(svg)![1]);
    const long = await renderSvg(bars('Thalkirchen - Obersendling - Forstenried - Fürstenried - Solln'));
    expect(texts(long).some((t) => t.startsWith('Thalkirchen') && t.endsWith('\u2026'))).toBe(true);
    expect(width(long)).toBeLessThanOrEqual(width(await renderSvg(bars('Kurz'))) + 80);
  });

  it('is deterministic across renders', async () => {
    const spec = timeSeries(ROWS, META, { indicator: SGB, area: '05558016' });
    expect(await renderSvg(spec)).toBe(await renderSvg(spec));
  });
});

describe('renderPng', () => {
  it('85 mm at 300 dpi is 1004 px wide, with a pHYs chunk of 300 dpi', async () => {
    const svg = await renderSvg(timeSeries(ROWS, META, { indicator: SGB, area: '05558012' }));
    const png = renderPng(svg, { dpi: 300, widthMm: 85 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const info = pngInfo(png);
    expect(info.width).toBe(1004);
    expect(info.dpi).toBe(300);
    const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"|width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
    const [w, h] = m[1] ? [Number(m[1]), Number(m[2])] : [Number(m[3]), Number(m[4])];
    expect(info.height).toBe(Math.round((1004 * h) / w));
  });
});

describe('print size', () => {
  const ptOf12px = (png: Buffer, svgPx: number) => {
    const info = pngInfo(png);
    return ((12 * (info.width / info.dpi!)) / svgPx) * 72;
  };
  const box = (w: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="200" viewBox="0 0 ${w} 200"><rect width="${w}" height="200" fill="#ccc"/></svg>`;
  it('a column chart (400 px + padding) is placed at 85 mm, its 12-px text at about 7 pt', () => {
    const png = renderPng(box(416));
    expect(pngInfo(png)).toMatchObject({ width: 1004, dpi: 300 });
    expect(ptOf12px(png, 416)).toBeCloseTo(6.95, 1);
  });
  it('the placed width follows the SVG: text prints at one size in every chart', () => {
    for (const w of [300, 416, 560, 776, 832]) {
      const png = renderPng(box(w));
      expect(ptOf12px(png, w)).toBeCloseTo(6.95, 1);
      expect(ptOf12px(png, w)).toBeGreaterThanOrEqual(6.5);
    }
  });
  it('a chart wider than 832 px shrinks to the 170-mm text width of an A4 page (text below 7 pt)', () => {
    const png = renderPng(box(1200));
    expect(pngInfo(png).width).toBe(2008);
    expect(ptOf12px(png, 1200)).toBeLessThan(6.95);
    expect(printWidthMm(1200)).toBe(170);
  });
  it('the SVG carries the placed size of its PNG in mm, its viewBox the px drawing', async () => {
    for (const spec of [
      timeSeries(ROWS, META, { indicator: SGB, area: '05558012' }),
      smallMultiples(ROWS, META, { indicator: SGB }),
    ]) {
      const svg = await renderSvg(spec);
      const root = /<svg\b[^>]*>/.exec(svg)![0];
      const w = Number(/\swidth="([\d.]+)mm"/.exec(root)?.[1]);
      const h = Number(/\sheight="([\d.]+)mm"/.exec(root)?.[1]);
      const px = svgSize(svg);
      expect(root).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
      expect(w).toBeCloseTo(printWidthMm(px.width), 1);
      const info = pngInfo(renderPng(svg));
      expect(w).toBeCloseTo((info.width / info.dpi!) * 25.4, 1);
      expect(h).toBeCloseTo((info.height / info.dpi!) * 25.4, 0);
    }
  });
  it('an explicit width still wins (API: renderPng(svg, { widthMm }))', () => {
    expect(pngInfo(renderPng(box(1200), { widthMm: 85 })).width).toBe(1004);
  });
});

describe('renderCharts', () => {
  const jobs = [
    {
      name: 'charts/sgb2_quote_unter_15/zeitreihe_05558012',
      spec: timeSeries(ROWS, META, { indicator: SGB, area: '05558012' }),
    },
    {
      name: 'charts/sgb2_quote_unter_15/rangfolge_05558012',
      spec: ranking(ROWS, META, { indicator: SGB, kommune: '05558012' }),
    },
    { name: 'charts/sgb2_quote_unter_15/kommunen_05558', spec: smallMultiples(ROWS, META, { indicator: SGB }) },
  ];
  const files = (dir: string) =>
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort();

  it('writes vl.json, svg and png per job, no temp files left', async () => {
    const out = path.join(tmp, 'a');
    const r = await renderCharts(jobs, out, ['vl.json', 'svg', 'png'], { workers: 0 });
    expect(r.mode).toBe('in-process');
    expect(r.errors).toEqual([]);
    expect(files(out)).toEqual(
      jobs.flatMap((j) => ['png', 'svg', 'vl.json'].map((e) => path.join(...j.name.split('/')) + '.' + e)).sort(),
    );
    // placed at the SVG's width at the shared print scale: 12 px text prints at the same size in both
    for (const j of [jobs[0]!, jobs[2]!]) {
      const info = pngInfo(fs.readFileSync(path.join(out, j.name + '.png')));
      const px = svgSize(fs.readFileSync(path.join(out, j.name + '.svg'), 'utf8')).width;
      expect(info.width).toBe(Math.round(((px * MM_PER_PX) / 25.4) * 300));
    }
  });

  it('a PNG carries the chart title and its alt text (the SVG aria-label) as text chunks', () => {
    const job = jobs[0]!;
    const png = fs.readFileSync(path.join(tmp, 'a', job.name + '.png'));
    const spec = job.spec as unknown as { title: { text: string[] }; description: string };
    const text = pngText(png);
    expect(text.Title).toBe(spec.title.text.join(' '));
    expect(text.Description).toBe(spec.description);
    expect(text.Description).toContain('\u2013'); // "2015–2024": exact in iTXt, tEXt has "2015-2024"
    // every chunk's CRC checks out (node's own crc32)
    for (let off = 8; off < png.length; ) {
      const len = png.readUInt32BE(off);
      expect(png.readUInt32BE(off + 8 + len)).toBe(zlib.crc32(png.subarray(off + 4, off + 8 + len)));
      off += 12 + len;
    }
    const svg = fs.readFileSync(path.join(tmp, 'a', job.name + '.svg'), 'utf8');
    expect(svg).toContain(`aria-label="${spec.description}"`);
  });

  it('worker threads (TypeScript sources via tsx) give byte-identical files', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const r = await renderCharts(jobs, b, ['vl.json', 'svg', 'png'], { workers: 2 });
    expect(r.mode).toBe('workers');
    for (const f of files(a))
      expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f)))).toBe(true);
  });

  it('a second run rewrites identical bytes', async () => {
    const a = path.join(tmp, 'a');
    const c = path.join(tmp, 'c');
    await renderCharts(jobs, c, ['vl.json', 'svg', 'png'], { workers: 0 });
    for (const f of files(a))
      expect(fs.readFileSync(path.join(c, f)).equals(fs.readFileSync(path.join(a, f)))).toBe(true);
  });

  it('refuses names outside the output folder', async () => {
    const r = renderCharts([{ name: '../x', spec: jobs[0]!.spec }], path.join(tmp, 'd'), ['vl.json'], { workers: 0 });
    await expect(r).rejects.toThrow(/Ausgabeordner/);
  });
});
