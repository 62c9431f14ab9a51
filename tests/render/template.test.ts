/**
 * Chart templates (src/render/template.ts): a chart drawn from the template of its
 * kind gets exactly the runtime spec and the SVG it gets when compiled on its own,
 * for every kind of chart of the sample, and for texts that must not be tokenized
 * (quotes, digits, names of Object.prototype, texts used elsewhere in the spec).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { buildProjectCharts } from '../../src/charts/project-charts.js';
import { chartMetaFromProject } from '../../src/charts/meta.js';
import type { ChartJob, ChartMeta, ChartSpec, KennzahlRow } from '../../src/charts/types.js';
import { loadProject } from '../../src/config/load-project.js';
import { syntheticGeoJson } from '../../data-samples/geo.js';
import {
  installTextMetrics,
  renderStats,
  renderSvg,
  templateRuntime,
  labelSvg,
  physicalSize,
} from '../../src/render/svg.js';
import { tokenizeSpec } from '../../src/render/template.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function sampleJobs(): ChartJob[] {
  const rows = JSON.parse(
    zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'tests/charts/fixtures/sample-rows.json.gz'))).toString('utf8'),
  ) as KennzahlRow[];
  const { project } = loadProject(path.join(ROOT, 'data-samples/kreis-coesfeld'));
  const areas = fs
    .readFileSync(path.join(ROOT, 'data-samples/kreis-coesfeld/gebiete.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [id = '', name = '', ags = '', kommune = ''] = l.split(';');
      return { id, name, ags, kommune };
    });
  const meta: ChartMeta = {
    ...chartMetaFromProject(project),
    geo: { ...syntheticGeoJson(areas, 5558), idProperty: 'id' },
  };
  return buildProjectCharts(rows, meta);
}

const direct = (spec: ChartSpec) => vega.parse(compile(structuredClone(spec) as never).spec);
// Vega names some operators with a process-wide counter (`_:vega:_12`); they never reach the SVG
const json = (v: unknown) => JSON.stringify(v).replace(/_:vega:_\d+/g, '_:vega:_N');

async function directSvg(spec: ChartSpec): Promise<string> {
  await installTextMetrics();
  const view = new vega.View(direct(spec), { renderer: 'none', logLevel: vega.Error });
  vega.resetSVGDefIds();
  const svg = await view.toSVG();
  view.finalize();
  // the spec's German description as the SVG's label and its size in mm, as renderSvg adds them
  return physicalSize(labelSvg(svg, spec));
}

const all = sampleJobs();
// per kind of chart (time series, ranking, map, small multiples, Präventionskette, …) three charts of one indicator
const byKind = new Map<string, ChartJob[]>();
for (const j of all) {
  const kind = j.name.split('/').pop()!.split('_')[0]!;
  const list = byKind.get(kind) ?? [];
  if (list.length < 3 && (!list.length || list[0]!.name.split('/')[1] === j.name.split('/')[1])) list.push(j);
  byKind.set(kind, list);
}
const picked = [...byKind.values()].flat();

describe('chart templates', () => {
  it('give the runtime spec and the SVG of a chart compiled on its own, for every kind of chart', async () => {
    expect(byKind.size).toBeGreaterThanOrEqual(5);
    const before = { ...renderStats };
    for (const job of picked) {
      const filled = await templateRuntime(job.spec);
      expect(filled, job.name).toBeDefined();
      expect(json(filled), job.name).toBe(json(direct(job.spec)));
      const svg = await renderSvg(job.spec);
      expect(svg, job.name).toBe(await directSvg(job.spec));
    }
    // every chart drawn from a template, and charts of one kind for other areas share it
    expect(renderStats.fromTemplate - before.fromTemplate).toBe(picked.length);
    expect(renderStats.fallbacks).toBe(before.fallbacks);
    expect(renderStats.templates - before.templates).toBeLessThan(picked.length);
  }, 120_000);

  it('keep texts that are not plain, and texts used elsewhere, in the template key', async () => {
    const job = picked.find((j) => j.name.includes('zeitreihe'))!;
    const odd = ['Kreis "Nord"', "Müller's Hof", '2024', 'constructor', 'a\\b', 'Zeile\nzwei', 'Straße – Süd …'];
    for (const text of odd) {
      const spec = structuredClone(job.spec) as ChartSpec & { title: { text: string[] } };
      spec.title.text = [text, ...spec.title.text.slice(1)];
      const t = tokenizeSpec(spec)!;
      const plain = !/["'\\\n]/.test(text) && !/^\d+$/.test(text) && !(text in Object.prototype);
      expect(t.texts.includes(text), text).toBe(plain);
      if (text === 'constructor') continue; // Vega itself fails on this title, with or without a template
      expect(json(await templateRuntime(spec)), text).toBe(json(direct(spec)));
      expect(await renderSvg(spec), text).toBe(await directSvg(spec));
    }
    // a title equal to a field name stays in the key (Vega-Lite compares titles with default titles)
    const spec = structuredClone(job.spec) as ChartSpec & { title: { text: string[] } };
    spec.title.text = ['value'];
    expect(tokenizeSpec(spec)!.texts).not.toContain('value');
    // the token mark itself: no template at all
    const marked = structuredClone(job.spec) as ChartSpec & { title: { text: string[] } };
    marked.title.text = ['spm~t~0~'];
    expect(tokenizeSpec(marked)).toBeUndefined();
    expect(await renderSvg(marked)).toBe(await directSvg(marked));
  }, 120_000);

  it('share one data token between equal data arrays and hand the chart its own objects', () => {
    const job = picked.find((j) => j.name.includes('zeitreihe'))!;
    const t = tokenizeSpec(job.spec)!;
    expect(t.data.length).toBeGreaterThan(0);
    expect(t.key).not.toContain('area_name":"'); // no data in the key
    const values = (job.spec as unknown as { vconcat: { data: { values: unknown[] } }[] }).vconcat[0]!.data.values;
    expect(t.data).toContain(values);
  });
});
