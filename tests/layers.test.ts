/**
 * Imports follow the pipeline: no module imports a later stage. Layers, lowest first:
 *
 *   compile/filter (the filter language, a leaf: config validates filters with it)
 *   < config < ingest < compile < privacy < compute < publish
 *   < steering (goals, Sozialindex, Sozialraumtypen: computed from the published rows)
 *   < charts | render | report | export (presentation, one layer)
 *   < api < run < index.ts
 *
 * `util/` and `stats/` are libraries usable from anywhere (and import no stage).
 * `privacy` sits below `compute`: it is the protection library the compute
 * executor calls between the results and the statistics (masks must exist
 * before intervals and comparisons are masked); it depends on compile
 * (measures, relations), never on compute. `run` (the command runners) sits
 * above `api`: every runner opens an `Spm` session.
 *
 * Every `import … from`, `export … from` and `import()` with a relative path
 * counts, type-only imports too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ColumnType } from '../src/config/schema.js';
import type { ColumnType as FilterColumnType } from '../src/compile/filter/column-types.js';

const SRC = path.resolve(import.meta.dirname, '..', 'src');

const LAYERS: readonly (readonly string[])[] = [
  ['compile/filter'],
  ['config'],
  ['ingest'],
  ['compile'],
  ['privacy'],
  ['compute'],
  ['publish'],
  ['steering'],
  ['charts', 'render', 'report', 'export'],
  ['api'],
  ['run'],
  ['index.ts'],
];
const ANYWHERE = new Set(['util', 'stats']);

/** The layer unit of a file below src/: `compile/filter`, a top folder, or `index.ts`. */
function unitOf(rel: string): string {
  const parts = rel.split(path.sep);
  if (parts[0] === 'compile' && parts[1] === 'filter') return 'compile/filter';
  return parts[0] as string;
}

function rank(unit: string): number {
  const i = LAYERS.findIndex((l) => l.includes(unit));
  if (i < 0) throw new Error(`src/${unit} is in no layer: add it to LAYERS in tests/layers.test.ts`);
  return i;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Relative module paths a file imports or re-exports (static and dynamic). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^\s*import\s+['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

/** Every import running back up the pipeline, as `from -> to`. */
function violations(): string[] {
  const bad: string[] = [];
  for (const file of files(SRC)) {
    const from = unitOf(path.relative(SRC, file));
    if (ANYWHERE.has(from)) {
      // libraries import no stage
      for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
        const to = unitOf(path.relative(SRC, path.resolve(path.dirname(file), spec)));
        if (!ANYWHERE.has(to) && to !== from) bad.push(`${path.relative(SRC, file)} -> ${spec}`);
      }
      continue;
    }
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
      if (target.startsWith('..')) continue; // outside src (e.g. package.json reads are not imports)
      const to = unitOf(target);
      if (ANYWHERE.has(to) || to === from) continue;
      if (rank(to) > rank(from)) bad.push(`${path.relative(SRC, file)} -> ${spec} (${from} imports the later ${to})`);
    }
  }
  return bad.sort();
}

describe('import direction', () => {
  it('finds the imports of a file (static, type-only, re-exports, dynamic)', () => {
    const text = [
      "import { a } from '../compute/x.js';",
      "import type { B } from '../publish/schema.js';",
      "export { c } from './c.js';",
      "export type { D } from '../api/session.js';",
      "const m = await import('../run/r.js');",
      "import '../side-effect.js';",
      "import fs from 'node:fs';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      '../compute/x.js',
      '../publish/schema.js',
      './c.js',
      '../api/session.js',
      '../run/r.js',
      '../side-effect.js',
    ]);
  });

  it('every folder of src/ is in a layer', () => {
    for (const e of fs.readdirSync(SRC, { withFileTypes: true })) {
      if (!e.isDirectory() && !/\.ts$/.test(e.name)) continue;
      const unit = e.name;
      if (ANYWHERE.has(unit)) continue;
      expect(() => rank(unit), unit).not.toThrow();
    }
  });

  it('no module imports a later stage of the pipeline', () => {
    expect(violations()).toEqual([]);
  });

  it('the filter language names the same column types as the config schema', () => {
    expectTypeOf<FilterColumnType>().toEqualTypeOf<ColumnType>();
  });
});
