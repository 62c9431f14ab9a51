/**
 * Worker threads for the protection pass: measure groups are independent
 * problems, so several can be solved at once (one HiGHS instance per thread).
 * The caller keeps the order: results are merged in group order, so the masks
 * are the same as in one thread.
 *
 * The worker file sits next to this module: `group-worker.js` in dist/,
 * `group-worker.ts` under vitest/tsx, where it is started with tsx's loader (as the
 * render pool does). If a worker cannot start, `start` returns undefined and the
 * caller solves every group in its own thread.
 */
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../util/worker-entry.js';
import type { GroupJob, GroupReply } from './db.js';

export class GroupPool {
  private idle: Worker[] = [];
  private pending = new Map<number, { resolve: (r: GroupReply) => void; reject: (e: Error) => void }>();
  private constructor(private readonly workers: Worker[]) {
    this.idle = [...workers];
  }

  /** Starts `size` workers and waits until each has loaded HiGHS; undefined when workers are unavailable. */
  static async start(size: number): Promise<GroupPool | undefined> {
    const workers: Worker[] = [];
    try {
      const { entry, eval: isEval } = workerEntry(import.meta.url, 'group-worker');
      for (let i = 0; i < size; i++) {
        const worker = new Worker(entry, { eval: isEval });
        workers.push(worker);
        await new Promise<void>((resolve, reject) => {
          const onExit = (code: number) => reject(new Error(`Geheimhaltungs-Worker beendet (Code ${code})`));
          worker.once('message', () => {
            worker.off('error', reject);
            worker.off('exit', onExit);
            resolve();
          });
          worker.once('error', reject);
          worker.once('exit', onExit);
        });
      }
    } catch {
      await Promise.all(workers.map((w) => w.terminate()));
      return undefined;
    }
    const pool = new GroupPool(workers);
    for (const w of workers) {
      w.on('message', (r: GroupReply) => {
        const p = pool.pending.get(r.id);
        pool.pending.delete(r.id);
        pool.idle.push(w);
        p?.resolve(r);
        pool.waiting.shift()?.();
      });
      w.on('error', (e) => {
        pool.failed = e;
        for (const p of pool.pending.values()) p.reject(e);
        pool.pending.clear();
        for (const wake of pool.waiting.splice(0)) wake();
      });
    }
    return pool;
  }

  private waiting: (() => void)[] = [];
  private failed: Error | undefined;

  /** Resolves when a worker is free to take a job. */
  async whenFree(): Promise<void> {
    while (this.idle.length === 0) {
      if (this.failed) throw this.failed;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Runs a job on a free worker (await `whenFree` first). */
  run(job: GroupJob): Promise<GroupReply> {
    const w = this.idle.pop();
    if (!w) throw new Error('GroupPool.run ohne freien Worker');
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      w.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
