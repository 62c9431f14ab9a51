/**
 * Worker threads for the protection pass: measure groups are independent
 * problems, so several can be solved at once (one HiGHS instance per thread),
 * and so are the blocks of a large group's audit (see `prepareBlocks` in db.ts).
 * The caller keeps the order: results are merged in group order, and a group's
 * blocks depend on the group alone, so the masks are the same as in one thread.
 *
 * Jobs wait in a queue; block jobs go before it (they belong to a group already
 * started, whose result the merge waits for), so a free worker takes them first.
 *
 * The worker file sits next to this module: `group-worker.js` in dist/,
 * `group-worker.ts` under vitest/tsx, where it is started with tsx's loader (as the
 * render pool does). If a worker cannot start, `start` returns undefined and the
 * caller solves every group in its own thread.
 */
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../util/worker-entry.js';
import type { BlockJob, GroupJob, GroupReply, PoolJob } from './db.js';

interface Queued {
  job: GroupJob | BlockJob;
  resolve: (r: GroupReply) => void;
  reject: (e: Error) => void;
}

export class GroupPool {
  private idle: Worker[] = [];
  private queue: Queued[] = [];
  /** Block jobs: taken before `queue`, in the order they came. */
  private urgent: Queued[] = [];
  private pending = new Map<number, Queued>();
  private nextId = 0;
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
        pool.release(w);
        p?.resolve(r);
      });
      w.on('error', (e) => {
        pool.failed = e;
        for (const p of pool.pending.values()) p.reject(e);
        pool.pending.clear();
        for (const q of [...pool.urgent.splice(0), ...pool.queue.splice(0)]) q.reject(e);
        for (const wake of pool.waiting.splice(0)) wake();
      });
    }
    return pool;
  }

  private waiting: (() => void)[] = [];
  private failed: Error | undefined;

  /** A worker is free: it takes the next queued job, else it waits (and wakes a caller of `whenFree`). */
  private release(w: Worker): void {
    const next = this.urgent.shift() ?? this.queue.shift();
    if (next) this.dispatch(w, next);
    else {
      this.idle.push(w);
      this.waiting.shift()?.();
    }
  }

  private dispatch(w: Worker, q: Queued): void {
    const id = this.nextId++;
    this.pending.set(id, q);
    const msg: PoolJob = { ...q.job, id };
    w.postMessage(msg);
  }

  /** Resolves when a worker is free and no job is waiting (before a new group is read). */
  async whenFree(): Promise<void> {
    while (this.idle.length === 0 || this.queue.length > 0 || this.urgent.length > 0) {
      if (this.failed) throw this.failed;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    if (this.failed) throw this.failed;
  }

  /**
   * Runs a job on the next free worker (its `id` is the pool's own); `first`: ahead of the other
   * jobs waiting (the blocks of a started group).
   */
  run(job: GroupJob | BlockJob, first = false): Promise<GroupReply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      const q: Queued = { job, resolve, reject };
      const w = this.queue.length === 0 && this.urgent.length === 0 ? this.idle.pop() : undefined;
      if (w) this.dispatch(w, q);
      else (first ? this.urgent : this.queue).push(q);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
