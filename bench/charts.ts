/**
 * Chart rendering benchmark: N charts of the sample Kreis, measured in one run.
 *
 *   npx tsx bench/charts.ts [--n 48] [--peer 12]
 *   (compiled: npm run build && node dist/bench/charts.js)
 *
 * 1. builds the sample's chart jobs (tests/charts/fixtures/sample-rows.json.gz)
 *    and takes N distinct specs (every kind of chart, round robin)
 * 2. renders them
 *    A in process, sequentially (SVG only, and SVG + PNG 300 dpi)
 *    B with the worker pool, cold (start included) and warm (pool already up)
 *    C the peer: one `vl2svg spec.vl.json out.svg` process per chart (vega-lite's
 *      CLI, node_modules/.bin/vl2svg: what `npx vl2svg` runs, without npm's own
 *      start-up), on the first `--peer` charts
 * 3. prints charts/second per mode and the ratios. Reports only; never fails on timings.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { buildProjectCharts } from '../src/charts/project-charts.js';
import type { ChartJob, ChartMeta, KennzahlRow } from '../src/charts/types.js';
import { chartMetaFromProject } from '../src/charts/meta.js';
import { loadProject } from '../src/config/load-project.js';
import { syntheticGeoJson } from '../data-samples/geo.js';
import { clearCompileCache, renderSvg } from '../src/render/svg.js';
import { renderPng } from '../src/render/png.js';
import { pngOptionsFor } from '../src/render/job.js';
import { RenderPool, defaultPoolSize } from '../src/render/pool.js';

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'data-samples')))
    dir = path.dirname(dir);
  return dir;
}
const ROOT = repoRoot();

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

function sampleJobs(n: number): ChartJob[] {
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
  const geo = syntheticGeoJson(areas, 5558);
  const meta: ChartMeta = { ...chartMetaFromProject(project), geo: { ...geo, idProperty: 'id' } };
  const all = buildProjectCharts(rows, meta);
  const byKind = new Map<string, ChartJob[]>();
  for (const j of all) {
    const kind = j.name.split('/')[2]!.split('_')[0]!;
    byKind.set(kind, [...(byKind.get(kind) ?? []), j]);
  }
  const out: ChartJob[] = [];
  for (let i = 0; out.length < n && i < all.length; i++)
    for (const list of byKind.values()) if (list[i] && out.length < n) out.push(list[i]!);
  return out;
}

async function timed(f: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')}: ${code}\n${err}`))));
  });
}

async function main() {
  const n = arg('n', 48);
  const peerN = Math.min(arg('peer', 12), n);
  const jobs = sampleJobs(n);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-bench-charts-'));
  const svgOnly = ['svg' as const];
  const both = ['svg' as const, 'png' as const];
  const png = { dpi: 300 };
  console.log(
    `${jobs.length} Diagramme, ${defaultPoolSize()} Render-Threads (freie Kerne), Node ${process.version}, ${import.meta.url.endsWith('.ts') ? 'TypeScript (tsx)' : 'kompiliert (dist)'}`,
  );

  // Warm the in-process modules once (the pool's workers warm themselves at start).
  await renderSvg(jobs[0]!.spec);
  const results: { mode: string; seconds: number; charts: number }[] = [];
  results.push({
    mode: 'A in-process, SVG',
    charts: n,
    seconds: await timed(async () => {
      for (const j of jobs) await renderSvg(j.spec);
    }),
  });
  clearCompileCache();
  results.push({
    mode: 'A in-process, SVG+PNG',
    charts: n,
    seconds: await timed(async () => {
      for (const j of jobs) renderPng(await renderSvg(j.spec), pngOptionsFor(j.spec, png));
    }),
  });
  // Every pool pass on a fresh pool: workers cache compiled specs, a second pass would measure the cache.
  const fresh = async (): Promise<RenderPool | undefined> => {
    const p = await RenderPool.start();
    await p?.run({ id: -1, spec: jobs[jobs.length - 1]!.spec, formats: svgOnly, png }); // first render warms vega in each worker
    return p;
  };
  let pool: RenderPool | undefined;
  const cold = await timed(async () => {
    pool = await RenderPool.start();
    if (pool) await Promise.all(jobs.map((j, id) => pool!.run({ id, spec: j.spec, formats: svgOnly, png })));
  });
  if (pool) {
    const size = pool.size;
    await pool.close();
    results.push({ mode: `B pool (${size}), SVG, cold`, charts: n, seconds: cold });
    for (const [label, formats] of [
      ['SVG', svgOnly],
      ['SVG+PNG', both],
    ] as const) {
      const p = (await fresh())!;
      results.push({
        mode: `B pool (${size}), ${label}, warm`,
        charts: n,
        seconds: await timed(async () => {
          await Promise.all(jobs.map((j, id) => p.run({ id, spec: j.spec, formats: [...formats], png })));
        }),
      });
      await p.close();
    }
  } else console.log('Worker nicht verfügbar: B entfällt');

  const vl2svg = path.join(ROOT, 'node_modules/.bin/vl2svg');
  const specs = jobs.slice(0, peerN).map((j, i) => {
    const f = path.join(tmp, `${i}.vl.json`);
    fs.writeFileSync(f, JSON.stringify(j.spec));
    return f;
  });
  results.push({
    mode: 'C vl2svg, ein Prozess je Diagramm, SVG',
    charts: peerN,
    seconds: await timed(async () => {
      for (const f of specs) await run(vl2svg, [f, f.replace('.vl.json', '.svg')]);
    }),
  });
  fs.rmSync(tmp, { recursive: true, force: true });

  const rate = (r: { seconds: number; charts: number }) => r.charts / r.seconds;
  const peer = rate(results[results.length - 1]!);
  const seq = rate(results[0]!);
  console.log('');
  for (const r of results) {
    console.log(
      `${r.mode.padEnd(40)} ${String(r.charts).padStart(3)} in ${r.seconds.toFixed(2).padStart(6)} s  ${rate(r).toFixed(1).padStart(6)} Diagramme/s  ×${(rate(r) / seq).toFixed(2)} vs A-SVG  ×${(rate(r) / peer).toFixed(1)} vs vl2svg`,
    );
  }
}

await main();
