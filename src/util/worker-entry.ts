import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * How to start a worker thread whose module sits next to the caller (`base` without
 * extension, `from` = the caller's `import.meta.url`). From dist/ the compiled `.js` is
 * started directly. From TypeScript sources (vitest, tsx) the `.ts` file needs tsx's
 * loader; Node 20 does not pass `--import tsx` hooks on to workers, so a tiny eval
 * bootstrap registers tsx inside the worker and then imports the worker module.
 */
export function workerEntry(from: string, base: string): { entry: string | URL; eval: boolean } {
  const ts = /\.ts$/.test(new URL(from).pathname);
  if (!ts) return { entry: new URL(`./${base}.js`, from), eval: false };
  const url = new URL(`./${base}.ts`, from);
  // The ESM build of tsx's API (its CJS build resolves its loader relative to the caller).
  const tsxApi = pathToFileURL(
    createRequire(from)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return { entry: code, eval: true };
}
