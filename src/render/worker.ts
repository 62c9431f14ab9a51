/**
 * Render worker: keeps vega, vega-lite, the font metrics and resvg loaded and
 * answers `RenderRequest`s one at a time. Started by `RenderPool`.
 */
import { parentPort } from 'node:worker_threads';
import { runRenderJob, type RenderRequest } from './job.js';

if (!parentPort) throw new Error('render/worker.ts ist als Worker-Thread zu starten');
const port = parentPort;
port.on('message', (req: RenderRequest) => {
  void runRenderJob(req).then((res) => {
    port.postMessage(res, res.png ? [res.png.buffer as ArrayBuffer] : []);
  });
});
port.postMessage({ ready: true });
