/**
 * Incremental charts: `<out>/charts/.spm-cache.json` remembers, per chart, the SHA-256 of its
 * Vega-Lite spec (which holds the chart's data inline) and of every file rendered from it.
 * A chart is rendered again only when its spec changed, a requested format is new, or a file
 * is missing or no longer has the bytes spm wrote; otherwise the files stay as they are.
 * The cache is written by spm only and belongs to the output folder; it also records the spm
 * version with a SHA-256 of the renderer's code and the versions of vega, vega-lite and resvg, so a
 * new renderer renders everything once (a changed PNG size with the same spec and version kept the
 * old files before).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChartJob } from '../charts/types.js';
import { writeFileAtomic } from '../util/atomic.js';
import { sha256Text } from '../util/hash.js';
import { spmVersion } from '../util/paths.js';
import { codeHash } from '../util/code-hash.js';

export const CHART_CACHE_FILE = path.join('charts', '.spm-cache.json');

interface CacheEntry {
  /** SHA-256 of the spec as JSON. */
  spec: string;
  /** format -> SHA-256 of the file. */
  files: Record<string, string>;
}

interface CacheFile {
  spm: string;
  charts: Record<string, CacheEntry>;
}

export interface ChartCache {
  /** The jobs whose files are all present and unchanged for the same spec. */
  reusable(jobs: readonly ChartJob[], formats: readonly string[]): Set<string>;
  /** Record the freshly written files of these jobs, found below `dir` (failed jobs are forgotten). */
  record(jobs: readonly ChartJob[], formats: readonly string[], failed: ReadonlySet<string>, dir: string): void;
  /** Only these jobs remain (a full run); their files in other formats are forgotten too. */
  retain(jobs: readonly ChartJob[], formats: readonly string[]): void;
  /** Write the cache to `<dir>/charts/.spm-cache.json` (the staging folder; moved in with the charts). */
  save(dir: string): Promise<void>;
}

const specHash = (job: ChartJob): string => sha256Text(JSON.stringify(job.spec));

let rendererKey: string | undefined;

/** spm's version, the SHA-256 of src/render (dist/src/render when built) and the rendering packages' versions. */
export function chartRendererKey(): string {
  return (rendererKey ??= `${spmVersion()}+${codeHash(new URL('../render/', import.meta.url), ['vega', 'vega-lite', '@resvg/resvg-js']).slice(0, 16)}`);
}

function fileHash(file: string): string | null {
  try {
    return sha256Text(fs.readFileSync(file));
  } catch {
    return null;
  }
}

/** Where a chart's file lies below `base` (job names start with `charts/`). */
export function chartFile(base: string, name: string, format: string): string {
  return path.join(base, `${name}.${format}`);
}

export function openChartCache(outDir: string): ChartCache {
  const file = path.join(outDir, CHART_CACHE_FILE);
  const version = chartRendererKey();
  let charts: Record<string, CacheEntry> = {};
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    if (c && c.spm === version && c.charts && typeof c.charts === 'object') charts = c.charts;
  } catch {
    // no cache or an unreadable one: everything is rendered
  }
  return {
    reusable(jobs, formats) {
      const hit = new Set<string>();
      for (const job of jobs) {
        const e = charts[job.name];
        if (!e || e.spec !== specHash(job)) continue;
        if (formats.every((f) => e.files[f] !== undefined && fileHash(chartFile(outDir, job.name, f)) === e.files[f]))
          hit.add(job.name);
      }
      return hit;
    },
    record(jobs, formats, failed, dir) {
      for (const job of jobs) {
        if (failed.has(job.name)) {
          delete charts[job.name];
          continue;
        }
        const files: Record<string, string> = {};
        for (const f of formats) {
          const h = fileHash(chartFile(dir, job.name, f));
          if (h !== null) files[f] = h;
        }
        charts[job.name] = { spec: specHash(job), files };
      }
    },
    retain(jobs, formats) {
      const next: Record<string, CacheEntry> = {};
      for (const job of jobs) {
        const e = charts[job.name];
        if (!e) continue;
        next[job.name] = {
          spec: e.spec,
          files: Object.fromEntries(formats.filter((f) => e.files[f] !== undefined).map((f) => [f, e.files[f]!])),
        };
      }
      charts = next;
    },
    async save(dir) {
      const sorted = Object.fromEntries(
        Object.keys(charts)
          .sort()
          .map((k) => [k, charts[k]!]),
      );
      const target = path.join(dir, CHART_CACHE_FILE);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await writeFileAtomic(
        target,
        JSON.stringify({ spm: version, charts: sorted } satisfies CacheFile, null, 1) + '\n',
      );
    },
  };
}
