/**
 * `<outDir>/assets/`: the browser bundles of vega and vega-lite copied from
 * node_modules (their source-map comment removed, so no tool asks for a file
 * that is not there), the DejaVu fonts the charts are measured with, and the
 * report's stylesheet and script. Everything the pages load is here: no CDN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fontFiles } from '../charts/text-width.js';
import { writeFileAtomic } from '../util/atomic.js';
import { REPORT_CSS } from './style.js';
import { REPORT_JS } from './client-script.js';

/** Path of a package's browser build: `vega` -> `.../vega/build/vega.min.js`. */
function bundle(pkg: 'vega' | 'vega-lite'): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve(pkg);
  const dir = path.dirname(entry);
  const file = path.join(dir, `${pkg}.min.js`);
  if (!fs.existsSync(file)) throw new Error(`Browser-Bundle von ${pkg} nicht gefunden (${file}); npm ci ausführen.`);
  return file;
}

const stripSourceMap = (js: string) => js.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');

export async function writeAssets(outDir: string): Promise<string[]> {
  const dir = path.join(outDir, 'assets');
  fs.mkdirSync(path.join(dir, 'fonts'), { recursive: true });
  const files: string[] = [];
  const put = async (rel: string, data: string | Buffer) => {
    const file = path.join(dir, rel);
    await writeFileAtomic(file, data);
    files.push(file);
  };
  for (const pkg of ['vega', 'vega-lite'] as const)
    await put(`${pkg}.min.js`, stripSourceMap(fs.readFileSync(bundle(pkg), 'utf8')));
  for (const f of fontFiles().filter((f) => /DejaVuSans(-Bold)?\.ttf$/.test(f)))
    await put(`fonts/${path.basename(f)}`, fs.readFileSync(f));
  await put('report.css', REPORT_CSS);
  await put('report.js', REPORT_JS);
  return files;
}
