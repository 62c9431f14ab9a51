/**
 * The protection result cache (src/compute/mask-cache.ts) on a copy of the mini project with
 * threshold 3 (so there are primary and secondary masks): a warm run gives byte-identical
 * outputs, a label edit keeps the cached masks, any change of an input byte or of the
 * threshold recomputes, a corrupt or partial entry is ignored, and `cache: false` neither
 * reads nor writes. Plus guards that the key covers every table src/privacy reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editFile, outputs } from './output-files.js';
import { withEnv } from '../privacy/env.js';
import { computeRun, type ComputeRunResult } from '../../src/run/compute-run.js';
import { LABEL_COLUMNS, PROTECTION_TABLES } from '../../src/compute/mask-cache.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let root: string;
let project: string;
const cacheDir = (): string => path.join(project, '.spm', 'cache', 'masks');

let n = 0;
async function run(cache = true): Promise<{ r: ComputeRunResult; files: Record<string, Buffer> }> {
  const out = path.join(root, `out-${n++}`);
  const r = await computeRun(project, { out, charts: [], cache });
  return { r, files: outputs(out) };
}

const entries = (): string[] => (fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()).sort() : []);

const edit = (file: string, from: string, to: string): void => editFile(project, file, from, to);

let cold: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-mask-cache-'));
  project = path.join(root, 'mini');
  // without the fixture's own cache (other tests run compute on it)
  fs.cpSync(mini, project, { recursive: true, filter: (src) => path.basename(src) !== '.spm' });
  edit('spm.yaml', 'suppression: { min_count: 1 }', 'suppression: { min_count: 3 }');
  cold = await run(false);
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('protection result cache', () => {
  it('without cache: computes, writes no cache', () => {
    expect(cold.r.results.cache.masks).toBe('off');
    expect(cold.r.results.masks.primary + cold.r.results.masks.secondary).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(project, '.spm'))).toBe(false);
  });

  it('first run stores the masks, the second reads them; outputs byte-identical to the cold run', async () => {
    const first = await run();
    expect(first.r.results.cache.masks).toBe('miss');
    expect(entries().filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const second = await run();
    expect(second.r.results.cache.masks).toBe('hit');
    expect(second.r.results.masks).toEqual(cold.r.results.masks);
    expect(Object.keys(second.files).sort()).toEqual(Object.keys(cold.files).sort());
    for (const [f, bytes] of Object.entries(cold.files)) expect(second.files[f]?.equals(bytes), f).toBe(true);
    for (const [f, bytes] of Object.entries(cold.files)) expect(first.files[f]?.equals(bytes), f).toBe(true);
  }, 120_000);

  it('a label edit in an indicator keeps the cached masks', async () => {
    edit('indicators/sgb2_u15.yaml', 'title: SGB-II-Quote unter 15', 'title: SGB-II-Quote der unter 15-Jährigen');
    const r = await run();
    expect(r.r.results.cache.masks).toBe('hit');
    expect(r.files['kennzahlen.csv']?.toString('utf8')).toContain('SGB-II-Quote der unter 15-Jährigen');
  }, 120_000);

  it('a changed input byte or threshold recomputes, and gives the cold figures when changed back', async () => {
    edit('rohdaten/sgb2.csv', '05558012-01;2022;300', '05558012-01;2022;301');
    const changed = await run();
    expect(changed.r.results.cache.masks).toBe('miss');
    const fresh = await run(false);
    expect(changed.files['kennzahlen.csv']?.equals(fresh.files['kennzahlen.csv'] as Buffer)).toBe(true);
    edit('rohdaten/sgb2.csv', '05558012-01;2022;301', '05558012-01;2022;300');
    edit('spm.yaml', 'suppression: { min_count: 3 }', 'suppression: { min_count: 4 }');
    const threshold = await run();
    expect(threshold.r.results.cache.masks).toBe('miss');
    edit('spm.yaml', 'suppression: { min_count: 4 }', 'suppression: { min_count: 3 }');
    const back = await run();
    expect(back.r.results.cache.masks).toBe('hit');
    expect(back.r.results.masks).toEqual(cold.r.results.masks);
  }, 120_000);

  it('another mode of the pass (SPM_PRIVACY_BOUNDS, SPM_PRIVACY_ZERO_ROUNDS) recomputes; the default hits again', async () => {
    await run();
    expect((await run()).r.results.cache.masks).toBe('hit');
    for (const env of [{ SPM_PRIVACY_BOUNDS: 'joint' }, { SPM_PRIVACY_ZERO_ROUNDS: '2' }])
      expect((await withEnv(env, () => run())).r.results.cache.masks, JSON.stringify(env)).toBe('miss');
    expect((await run()).r.results.cache.masks).toBe('hit');
  }, 120_000);

  it('a corrupt, partial or tampered entry is ignored and recomputed', async () => {
    // the figures without cache now (the title was edited above); one entry only: the current inputs'
    const fresh = await run(false);
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    expect((await run()).r.results.cache.masks).toBe('miss');
    const json = entries().filter((f) => f.endsWith('.json'));
    expect(json).toHaveLength(1);
    const manifest = path.join(cacheDir(), json[0] as string);
    const data = manifest.replace(/\.json$/, '.parquet');
    const check = async (): Promise<void> => {
      const r = await run();
      expect(r.r.results.cache.masks).toBe('miss');
      for (const [f, bytes] of Object.entries(fresh.files)) expect(r.files[f]?.equals(bytes), f).toBe(true);
    };
    // one flipped byte in the data
    const bytes = fs.readFileSync(data);
    const mid = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(mid) ^ 0xff, mid);
    fs.writeFileSync(data, bytes);
    await check();
    // a manifest cut short
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').slice(0, 40));
    await check();
    // a manifest whose counts do not fit the data (the data's hash made to match)
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { counts: { primary: number } };
    m.counts.primary += 1;
    fs.writeFileSync(manifest, JSON.stringify(m));
    await check();
    // the data missing
    fs.rmSync(data);
    await check();
    expect((await run()).r.results.cache.masks).toBe('hit');
  }, 240_000);

  it('a run that writes nothing (a file of the user where spm would write) stores nothing either', async () => {
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    const out = path.join(root, 'out-refused');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'kennzahlen.csv'), 'meine eigene Tabelle');
    await expect(computeRun(project, { out, charts: [] })).rejects.toThrow(/nicht von spm stammen/);
    expect(entries()).toEqual([]);
  }, 120_000);

  it('cache: false neither reads nor writes', async () => {
    const before = entries();
    const r = await run(false);
    expect(r.r.results.cache.masks).toBe('off');
    expect(entries()).toEqual(before);
  }, 120_000);
});

describe('the cache key covers what src/privacy reads', () => {
  const privacy = path.resolve(import.meta.dirname, '..', '..', 'src', 'privacy');
  const code = fs
    .readdirSync(privacy)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f, fs.readFileSync(path.join(privacy, f), 'utf8')] as const);
  // code without comments (block and line comments)
  const bare = (s: string): string => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

  it('every table read by the protection pass is hashed', () => {
    const read = new Set<string>();
    for (const [f, s] of code) {
      // relations-check.ts is its own plan step (check_relations), before the pass
      if (f === 'relations-check.ts') continue;
      for (const m of bare(s).matchAll(/\b(?:FROM|JOIN)\s+(spm_\w+|area\w*)/g)) read.add(m[1] as string);
      for (const m of bare(s).matchAll(/tableExists\(conn, '(\w+)'\)/g)) read.add(m[1] as string);
    }
    const own = [...read].filter((t) => !t.startsWith('spm_priv_') && t !== 'spm_masks');
    expect(own.length).toBeGreaterThan(3);
    for (const t of own) expect(PROTECTION_TABLES as readonly string[], t).toContain(t);
  });

  it('no column left out of the key as a label is named in src/privacy', () => {
    const all = code.map(([, s]) => bare(s)).join('\n');
    for (const cols of Object.values(LABEL_COLUMNS))
      for (const c of cols) expect(new RegExp(`\\b${c}\\b`).test(all), c).toBe(false);
  });
});

describe('masks restored from the cache', () => {
  it('go into the table src/privacy creates (declared columns = CREATE_MASKS, names, types and order)', async () => {
    const { DuckDBInstance } = await import('../../src/util/duckdb.js');
    const { CREATE_MASKS } = await import('../../src/privacy/index.js');
    const { MASKS } = await import('../../src/compute/plan-tables.js');
    const { createTableSql } = await import('../../src/compile/plan.js');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const columns = async (sql: string) => {
      await conn.run(sql);
      return (await conn.runAndReadAll('DESCRIBE spm_masks')).getRowsJS();
    };
    const fromPrivacy = await columns(CREATE_MASKS);
    expect(fromPrivacy.length).toBe(7);
    expect(await columns(createTableSql(MASKS))).toEqual(fromPrivacy);
    conn.closeSync();
    db.closeSync();
  });
});
