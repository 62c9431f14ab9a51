/**
 * Incremental charts: `<out>/charts/.spm-cache.json` remembers, per chart, the SHA-256 of its
 * Vega-Lite spec (which holds the chart's data inline) and of every file rendered from it.
 * A chart is rendered again only when its spec changed, a requested format is new, or a file
 * is missing or no longer has the bytes spm wrote; otherwise the files stay as they are.
 * The cache is written by spm only and belongs to the output folder; it also records the spm
 * version, so a new renderer renders everything once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChartJob } from '../charts/types.js';
import { writeFileAtomic } from '../util/atomic.js';
import { sha256Text } from '../util/hash.js';
import { spmVersion } from '../util/paths.js';

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
  /** Record freshly written files of these jobs (failed jobs are forgotten). */
  record(jobs: readonly ChartJob[], formats: readonly string[], failed: ReadonlySet<string>): void;
  /** Only these jobs remain (a full run); their files in other formats are forgotten too. */
  retain(jobs: readonly ChartJob[], formats: readonly string[]): void;
  save(): Promise<void>;
}

const specHash = (job: ChartJob): string => sha256Text(JSON.stringify(job.spec));

function fileHash(file: string): string | null {
  try {
    return sha256Text(fs.readFileSync(file));
  } catch {
    return null;
  }
}

export function chartFile(outDir: string, name: string, format: string): string {
  return path.join(outDir, `${name}.${format}`);
}

export function openChartCache(outDir: string): ChartCache {
  const file = path.join(outDir, CHART_CACHE_FILE);
  const version = spmVersion();
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
        if (formats.every((f) => e.files[f] !== undefined && fileHash(chartFile(outDir, job.name, f)) === e.files[f])) hit.add(job.name);
      }
      return hit;
    },
    record(jobs, formats, failed) {
      for (const job of jobs) {
        if (failed.has(job.name)) {
          delete charts[job.name];
          continue;
        }
        const files: Record<string, string> = {};
        for (const f of formats) {
          const h = fileHash(chartFile(outDir, job.name, f));
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
        next[job.name] = { spec: e.spec, files: Object.fromEntries(formats.filter((f) => e.files[f] !== undefined).map((f) => [f, e.files[f]!])) };
      }
      charts = next;
    },
    async save() {
      const sorted = Object.fromEntries(Object.keys(charts).sort().map((k) => [k, charts[k]!]));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, JSON.stringify({ spm: version, charts: sorted } satisfies CacheFile, null, 1) + '\n');
    },
  };
}

/** Remove files under `<out>/charts/` that no current chart produces (and folders left empty). */
export function pruneCharts(outDir: string, keep: ReadonlySet<string>): void {
  const root = path.join(outDir, 'charts');
  const walk = (dir: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    let left = 0;
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (walk(p)) left++;
        else fs.rmSync(p, { recursive: true, force: true });
      } else if (keep.has(p) || p === path.join(outDir, CHART_CACHE_FILE)) left++;
      else fs.rmSync(p, { force: true });
    }
    return left > 0;
  };
  walk(root);
}
