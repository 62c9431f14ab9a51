/**
 * Worker thread of the protection pass: solves measure groups (`processGroup`,
 * linear pass + interval audit + covers) with its own HiGHS instance and sends
 * back the masks. Started by `GroupPool` (group-pool.ts).
 */
import { parentPort } from 'node:worker_threads';
import { type GroupJob, type GroupReply, MeasureBuffer, processGroup } from './db.js';
import { loadSolver } from './lp.js';

if (!parentPort) throw new Error('privacy/group-worker.ts ist als Worker-Thread zu starten');
const port = parentPort;
const h = await loadSolver();
port.on('message', (job: GroupJob) => {
  let reply: GroupReply;
  try {
    const b = Object.assign(new MeasureBuffer(), job.buffer);
    const cpu0 = process.cpuUsage();
    const r = processGroup(b, job.threshold, job.relations, h, new Map(job.groups));
    const cpu = process.cpuUsage(cpu0);
    reply = {
      id: job.id,
      reason: r.reason,
      unresolved: r.stats.unresolved,
      audit: r.audit,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply, reply.reason ? [reply.reason.buffer as ArrayBuffer] : []);
});
port.postMessage({ ready: true });
