/**
 * Render a list of chart jobs to files.
 *
 * ```
 * jobs ─ (pool of workers | in process) ─> svg text, png bytes
 *      ─> <outDir>/<name>.vl.json, .svg, .png   (temp file + rename, in job order)
 * ```
 * Deterministic: the same jobs give byte-identical files (sorted JSON keys are
 * the builders' insertion order, SVG ids reset per chart, fonts bundled, PNG
 * without time chunks).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChartJob } from '../charts/types.js';
import { writeFileAtomic } from '../util/atomic.js';
import { runRenderJob, type Format, type RenderResult } from './job.js';
import type { PngOptions } from './png.js';
import { RenderPool, defaultPoolSize } from './pool.js';

export interface RenderChartsOptions extends PngOptions {
  /** Worker threads: a number, 0 for in process, default one per idle core (in process for one, or a single job). */
  workers?: number;
  /** An already started pool to reuse across calls (not closed here). */
  pool?: RenderPool;
  /** Called after each chart with the number done and the total (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface RenderChartsResult {
  files: string[];
  /** 'workers' or 'in-process'. */
  mode: 'workers' | 'in-process';
  errors: { name: string; message: string }[];
  /** Why workers were not used although asked for (in-process fallback). */
  workerError?: string;
}

/** Refuse names that would leave outDir. */
function target(outDir: string, name: string, ext: string): string {
  const file = path.resolve(outDir, `${name}.${ext}`);
  const rel = path.relative(path.resolve(outDir), file);
  if (rel.startsWith('..') || path.isAbsolute(rel))
    throw new Error(`Diagrammname "${name}" führt aus dem Ausgabeordner heraus`);
  return file;
}

export async function renderCharts(
  jobs: readonly ChartJob[],
  outDir: string,
  formats: readonly Format[],
  options: RenderChartsOptions = {},
): Promise<RenderChartsResult> {
  const { workers, pool: given, onProgress, ...png } = options;
  const fmts = [...new Set(formats)];
  const needsRender = fmts.includes('svg') || fmts.includes('png');
  const size = Math.min(workers ?? defaultPoolSize(), jobs.length);
  // 1. Workers when there is more than one job to share; otherwise, or if they cannot start, in process.
  const pool = given ?? (needsRender && size > 1 ? await RenderPool.start(size) : undefined);
  try {
    const render = (i: number): Promise<RenderResult> => {
      const req = { id: i, spec: jobs[i]!.spec, formats: fmts, png };
      return pool ? pool.run(req) : runRenderJob(req);
    };
    const files: string[] = [];
    const errors: RenderChartsResult['errors'] = [];
    // 2. Start all jobs (the pool queues them), write results in job order.
    const results = needsRender ? (pool ? jobs.map((_, i) => render(i)) : []) : [];
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      const res = needsRender ? await (pool ? results[i]! : render(i)) : { id: i };
      onProgress?.(i + 1, jobs.length);
      if (res.error) {
        errors.push({ name: job.name, message: res.error });
        continue;
      }
      fs.mkdirSync(path.dirname(target(outDir, job.name, 'x')), { recursive: true });
      for (const f of fmts) {
        const file = target(outDir, job.name, f);
        if (f === 'vl.json') await writeFileAtomic(file, JSON.stringify(job.spec, null, 2) + '\n');
        else if (f === 'svg' && res.svg !== undefined) await writeFileAtomic(file, res.svg);
        else if (f === 'png' && res.png) await writeFileAtomic(file, Buffer.from(res.png));
        else continue;
        files.push(file);
      }
    }
    const fellBack = !pool && needsRender && size > 1 ? RenderPool.lastStartError : undefined;
    return { files, mode: pool ? 'workers' : 'in-process', errors, ...(fellBack ? { workerError: fellBack } : {}) };
  } finally {
    if (pool && !given) await pool.close();
  }
}
