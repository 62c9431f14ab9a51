/**
 * A small pool of render workers (node:worker_threads), one per idle core by default.
 * Each worker keeps its modules and its chart templates warm (see template.ts), so
 * a job costs only filling a template and drawing. Jobs of one template go to the
 * worker that compiled it, as long as that does not leave another worker idle.
 *
 * The worker file sits next to this module: `worker.js` in dist/, `worker.ts`
 * under vitest/tsx, where it is started with tsx's loader (see `workerEntry`). If a
 * worker cannot start (no tsx, sandbox), the pool reports `available = false`
 * and callers render in process.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../util/worker-entry.js';
import type { RenderRequest, RenderResult } from './job.js';
import { tokenizeSpec } from './template.js';

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * Render threads for this machine: one per core that other processes leave idle (load
 * average; this run itself counts as one). A worker on a busy core gains no time and
 * costs CPU (its own vega warming up, its own templates): on 2 shared cores at load 16
 * the sample report's 585 charts took 27 s CPU / 75 s wall in 2 workers against 17 s /
 * 49 s in process. 1 means in process.
 */
export function defaultPoolSize(): number {
  const cores = Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) || 1);
  const busy = Math.max(0, (os.loadavg()[0] ?? 0) - 1);
  return Math.max(1, Math.min(cores, Math.floor(cores - busy + 0.5)));
}

export class RenderPool {
  private slots: Slot[] = [];
  private queue: { req: RenderRequest; key: string | undefined; resolve: (r: RenderResult) => void }[] = [];
  /** Which worker holds a template (by template key). */
  private owner = new Map<string, Slot>();
  private pending = new Map<number, (r: RenderResult) => void>();
  /** Why the last `start` fell back (for `renderCharts`' result), if it did. */
  static lastStartError: string | undefined;
  private constructor(readonly size: number) {}

  /** Start `size` workers and wait until each has loaded its modules; undefined when workers are unavailable. */
  static async start(size = defaultPoolSize()): Promise<RenderPool | undefined> {
    const pool = new RenderPool(size);
    try {
      const { entry, eval: isEval } = workerEntry(import.meta.url, 'worker');
      await Promise.all(
        Array.from({ length: size }, async () => {
          const worker = new Worker(entry, { eval: isEval });
          await new Promise<void>((resolve, reject) => {
            const onMsg = (m: { ready?: boolean }) => {
              if (m?.ready) {
                worker.off('error', reject);
                worker.off('exit', onExit);
                resolve();
              }
            };
            const onExit = (code: number) => reject(new Error(`Render-Worker beendet (Code ${code})`));
            worker.once('message', onMsg);
            worker.once('error', reject);
            worker.once('exit', onExit);
          });
          const slot: Slot = { worker, busy: false };
          worker.on('message', (res: RenderResult) => pool.done(slot, res));
          pool.slots.push(slot);
        }),
      );
    } catch (e) {
      RenderPool.lastStartError = e instanceof Error ? e.message : String(e);
      await pool.close();
      return undefined;
    }
    RenderPool.lastStartError = undefined;
    return pool;
  }

  run(req: RenderRequest): Promise<RenderResult> {
    return new Promise((resolve) => {
      this.queue.push({ req, key: tokenizeSpec(req.spec)?.key, resolve });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      if (!this.queue.length) return;
      // the oldest job whose template this worker holds or no worker holds yet; else the oldest job
      const mine = this.queue.findIndex((q) => q.key === undefined || (this.owner.get(q.key) ?? slot) === slot);
      const [next] = this.queue.splice(Math.max(mine, 0), 1);
      if (!next) return;
      if (next.key !== undefined && !this.owner.has(next.key)) this.owner.set(next.key, slot);
      slot.busy = true;
      this.pending.set(next.req.id, next.resolve);
      slot.worker.postMessage(next.req);
    }
  }

  private done(slot: Slot, res: RenderResult): void {
    slot.busy = false;
    const resolve = this.pending.get(res.id);
    this.pending.delete(res.id);
    resolve?.(res);
    this.pump();
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}
