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

/**
 * A worker that holds more than this after a job (HiGHS's WebAssembly heap plus its V8 heap) is
 * replaced by a fresh one. Both only grow: on the NRW bench, with every proportion's bound a relation
 * (one group of 1,360,044 cells), the pass's RSS climbed from 1.4 to 2.4 GiB over the groups after
 * the largest (HiGHS heaps of 218 MiB per worker, 3 Dec 2026). Starting a worker costs about 0.1 s.
 */
export const RECYCLE_WORKER_BYTES = 192 * 2 ** 20;

/** The number in the environment variable `name` when it is one and not negative, else `fallback` (the pass's limits, for tests). */
export function limitFromEnv(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined || v === '' ? Number.NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** {@link RECYCLE_WORKER_BYTES}, or `SPM_PRIVACY_RECYCLE_BYTES` (tests: 0 replaces a worker after every job). */
export function recycleWorkerBytes(): number {
  return limitFromEnv('SPM_PRIVACY_RECYCLE_BYTES', RECYCLE_WORKER_BYTES);
}

/** Workers replaced by fresh ones in this process so far, and workers running now (tests). */
export const poolStats = { replaced: 0, running: 0 };

/** Starts one worker and waits until it has loaded HiGHS. */
async function startWorker(): Promise<Worker> {
  const { entry, eval: isEval } = workerEntry(import.meta.url, 'group-worker');
  const worker = new Worker(entry, { eval: isEval });
  try {
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
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  poolStats.running++;
  worker.once('exit', () => poolStats.running--);
  return worker;
}

export class GroupPool {
  private idle: Worker[] = [];
  private queue: Queued[] = [];
  /** Block jobs: taken before `queue`, in the order they came. */
  private urgent: Queued[] = [];
  private pending = new Map<number, Queued>();
  private nextId = 0;
  private readonly workers: Worker[] = [];
  /** Workers that have been given a job since they started (their heaps hold what it left). */
  private used = new WeakSet<Worker>();
  /** Replacements being started (see `RECYCLE_WORKER_BYTES`); `close` waits for them. */
  private starting = new Set<Promise<void>>();
  private closed = false;
  /** Callers of `whenFree`/`whenIdle` waiting for a worker to become free. */
  private waiting: (() => void)[] = [];
  private failed: Error | undefined;
  private constructor(workers: Worker[]) {
    for (const w of workers) this.attach(w);
  }

  /** Starts `size` workers and waits until each has loaded HiGHS; undefined when workers are unavailable. */
  static async start(size: number): Promise<GroupPool | undefined> {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < size; i++) workers.push(await startWorker());
    } catch {
      await Promise.all(workers.map((w) => w.terminate()));
      return undefined;
    }
    return new GroupPool(workers);
  }

  /** A started worker joins the pool (idle). */
  private attach(w: Worker): void {
    this.workers.push(w);
    w.on('message', (r: GroupReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (r.recycle) this.replace(w);
      else this.release(w);
      p?.resolve(r);
    });
    w.on('error', (e) => this.fail(e));
    this.release(w);
  }

  /** A worker that holds much memory is terminated and a fresh one takes its place. */
  private replace(w: Worker): void {
    this.workers.splice(this.workers.indexOf(w), 1);
    poolStats.replaced++;
    const started = (async () => {
      await w.terminate();
      try {
        const fresh = await startWorker();
        if (this.closed) await fresh.terminate();
        else this.attach(fresh);
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      }
    })();
    this.starting.add(started);
    void started.finally(() => this.starting.delete(started));
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    for (const q of [...this.urgent.splice(0), ...this.queue.splice(0)]) q.reject(e);
    for (const wake of this.waiting.splice(0)) wake();
  }

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
    this.used.add(w);
    const id = this.nextId++;
    this.pending.set(id, q);
    const msg: PoolJob = { ...q.job, id };
    w.postMessage(msg);
  }

  /** Resolves when a worker is free and no job is waiting (before a new group is read). */
  whenFree(): Promise<void> {
    return this.waitUntil(() => this.idle.length > 0);
  }

  /** Resolves when every worker is free and no job is waiting (before a large group, see `EXCLUSIVE_FROM_CELLS`). */
  whenIdle(): Promise<void> {
    return this.waitUntil(() => this.idle.length === this.workers.length && this.starting.size === 0);
  }

  /**
   * Replaces every idle worker that has solved a job by a fresh one and waits until they have
   * started (before a large group, after `whenIdle`). A worker below `RECYCLE_WORKER_BYTES` still
   * holds up to that much: its HiGHS heap and V8 heap only grow. On the NRW bench the largest
   * group's linear pass beside such a worker, idle, was the run's peak (2,030 MiB; 1,754 MiB with a
   * fresh worker after every job, 7 Dec 2026).
   */
  async renew(): Promise<void> {
    const kept: Worker[] = [];
    for (const w of this.idle.splice(0)) {
      if (this.used.has(w)) this.replace(w);
      else kept.push(w);
    }
    this.idle.push(...kept);
    await Promise.all(this.starting);
    if (this.failed) throw this.failed;
  }

  /** Waits (woken by `release`) until no job is queued and `ready` holds; throws once the pool failed. */
  private async waitUntil(ready: () => boolean): Promise<void> {
    while (!ready() || this.queue.length > 0 || this.urgent.length > 0) {
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
    this.closed = true;
    await Promise.all(this.starting);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
