/**
 * Worker thread of the protection pass: solves measure groups (`prepareGroup`: linear
 * pass; then the interval audit + covers of its blocks, `auditBlock`) with its own
 * HiGHS instance and sends back the masks. A group whose audit has several blocks is
 * sent back after its linear pass, and its blocks come again as jobs of their own (to
 * any worker). Started by `GroupPool` (group-pool.ts).
 */
import { parentPort } from 'node:worker_threads';
import { auditBlock, finishGroup, type GroupReply, type PoolJob, prepareGroup, unpackBuffer } from './db.js';
import { loadSolver } from './lp.js';
import { recycleWorkerBytes } from './group-pool.js';
import { lowPoint } from './low-point.js';

if (!parentPort) throw new Error('privacy/group-worker.ts ist als Worker-Thread zu starten');
const port = parentPort;
const h = await loadSolver();
const recycle = recycleWorkerBytes();
/** Tests: every job fails, as after HiGHS aborted in this worker (the caller must end the pool). */
const failEveryJob = process.env.SPM_PRIVACY_WORKER_FAIL === '1';
port.on('message', (job: PoolJob) => {
  let reply: GroupReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const t0 = performance.now();
    if (failEveryJob) throw new Error('SPM_PRIVACY_WORKER_FAIL: Auftrag abgebrochen');
    if (job.kind === 'block') {
      const r = auditBlock(h, job.state, job.block);
      reply = { id: job.id, block: r, ms: performance.now() - t0 };
      transfer = [r.covers.buffer as ArrayBuffer, r.refused.buffer as ArrayBuffer];
    } else {
      const b = unpackBuffer(job.buffer);
      const s = prepareGroup(b, job.threshold, job.relations, true, new Map(job.groups));
      if ('blocks' in s && s.blocks.length > 1) {
        // each block's worker rebuilds the index (less to copy than to compute)
        s.idx = undefined;
        s.constant = undefined;
        reply = { id: job.id, state: s, ms: performance.now() - t0 };
      } else {
        const r = 'blocks' in s ? finishGroup(s, [auditBlock(h, s, 0)]) : s;
        // the group's low point, for the denominators of later groups (see low-point.ts)
        const low = job.low ? lowPoint(h, r.system, r.reason, job.buffer.x, job.threshold, job.zero) : undefined;
        reply = {
          id: job.id,
          reason: r.reason,
          refused: r.refused,
          unresolved: r.stats.unresolved,
          audit: r.audit,
          ms: performance.now() - t0,
          ...(low ? { low } : {}),
        };
        transfer = [r.reason.buffer as ArrayBuffer, r.refused.buffer as ArrayBuffer];
        if (low) transfer.push(low.buffer as ArrayBuffer);
      }
    }
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  // HiGHS's heap only grows, and V8 keeps what the worker's heap grew to: after a large job the pool
  // starts a fresh worker instead of keeping this one's memory for the rest of the pass
  if (h.memoryBytes + process.memoryUsage().heapTotal > recycle) reply.recycle = true;
  port.postMessage(reply, transfer);
});
port.postMessage({ ready: true });
