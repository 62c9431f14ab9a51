/**
 * The compiled path: src/charts + src/render built with tsc into a scratch
 * folder (inside node_modules/.cache so that packages resolve), then run by plain
 * node: the pool must start `worker.js` next to the compiled module and give the
 * same bytes as in-process rendering.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const out = path.join(root, 'node_modules', '.cache', 'spm-render-dist-test');

describe('render workers from compiled JavaScript', () => {
  it('start worker.js and render byte-identically to in-process', () => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    const tsconfig = path.join(out, 'tsconfig.json');
    fs.writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: path.join(root, 'tsconfig.json'),
        compilerOptions: {
          noEmit: false,
          outDir: path.join(out, 'dist'),
          rootDir: root,
          declaration: false,
          sourceMap: false,
        },
        include: [],
        files: [
          path.join(root, 'src/render/index.ts'),
          path.join(root, 'src/render/worker.ts'),
          path.join(root, 'src/charts/index.ts'),
          path.join(root, 'tests/charts/fixtures/rows.ts'),
        ],
      }),
    );
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], {
      stdio: 'pipe',
    });
    const script = path.join(out, 'run.mjs');
    fs.writeFileSync(
      script,
      `import { renderCharts } from './dist/src/render/index.js';
import { timeSeries, ranking } from './dist/src/charts/index.js';
import { ROWS, META } from './dist/tests/charts/fixtures/rows.js';
import fs from 'node:fs';
const jobs = [
  { name: 'a', spec: timeSeries(ROWS, META, { indicator: 'sgb2_quote_unter_15', area: '05558012' }) },
  { name: 'b', spec: ranking(ROWS, META, { indicator: 'sgb2_quote_unter_15', kommune: '05558012' }) },
];
const w = await renderCharts(jobs, process.argv[2] + '/w', ['svg', 'png'], { workers: 2 });
const s = await renderCharts(jobs, process.argv[2] + '/s', ['svg', 'png'], { workers: 0 });
const same = ['a.svg', 'a.png', 'b.svg', 'b.png'].every((f) => fs.readFileSync(process.argv[2] + '/w/' + f).equals(fs.readFileSync(process.argv[2] + '/s/' + f)));
console.log(JSON.stringify({ workers: w.mode, inProcess: s.mode, same, errors: [...w.errors, ...s.errors] }));
`,
    );
    const res = JSON.parse(
      execFileSync(process.execPath, [script, path.join(out, 'files')], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop()!,
    );
    expect(res).toEqual({ workers: 'workers', inProcess: 'in-process', same: true, errors: [] });
  }, 180_000);
});
