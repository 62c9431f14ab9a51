/**
 * The load stage cache (src/api/load-cache.ts) on a copy of the mini project with a totals row
 * (a rejected row that must come back from the cache too): a warm run gives byte-identical
 * outputs and the same accounting and issues, an indicator edit keeps the cached load, a
 * changed byte of any file the load reads, a new file a pattern matches or a changed source
 * setting reads again, a corrupt or partial entry is ignored, and `cache: false` neither
 * reads nor writes. Plus: a load whose files changed while it ran is not stored, and an entry
 * reaches the cache folder only when the run commits it (tests/robustness/files-safety.test.ts:
 * a run that stops changes nothing in the project folder).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editFile, outputs } from '../compute/output-files.js';
import { computeRun, type ComputeRunResult } from '../../src/run/compute-run.js';
import { catalogObjects, loadCacheKey, prepareLoad } from '../../src/api/load-cache.js';
import { loadProject } from '../../src/config/load-project.js';
import { ingestProject } from '../../src/ingest/index.js';
import { openDatabase } from '../../src/api/database.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let root: string;
let project: string;
const cacheDir = (): string => path.join(project, '.spm', 'cache', 'sources');
const entries = (): string[] => (fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()).sort() : []);

let n = 0;
async function run(cache = true): Promise<{ r: ComputeRunResult; files: Record<string, Buffer> }> {
  const out = path.join(root, `out-${n++}`);
  const r = await computeRun(project, { out, charts: [], cache });
  return { r, files: outputs(out) };
}

const edit = (file: string, from: string, to: string): void => editFile(project, file, from, to);

function expectSame(a: Awaited<ReturnType<typeof run>>, b: Awaited<ReturnType<typeof run>>): void {
  expect(Object.keys(a.files).sort()).toEqual(Object.keys(b.files).sort());
  for (const [f, bytes] of Object.entries(b.files)) expect(a.files[f]?.equals(bytes), f).toBe(true);
  expect(a.r.sources).toEqual(b.r.sources);
  expect(a.r.rejected).toBe(b.r.rejected);
  expect(a.r.totalsRows).toBe(b.r.totalsRows);
  expect(a.r.issues).toEqual(b.r.issues);
}

let cold: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-load-cache-'));
  project = path.join(root, 'mini');
  fs.cpSync(mini, project, { recursive: true, filter: (src) => path.basename(src) !== '.spm' });
  fs.appendFileSync(path.join(project, 'rohdaten', 'bev_2022.csv'), 'Insgesamt;2022;1.300;1.810\n');
  cold = await run(false);
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('load stage cache', () => {
  it('without cache: loads, writes no cache', () => {
    expect(cold.r.results.cache.sources).toBe('off');
    expect(cold.r.totalsRows).toBe(1);
    expect(fs.existsSync(path.join(project, '.spm'))).toBe(false);
  });

  it('first run stores the load, the second restores it; outputs, accounting and issues the same', async () => {
    const first = await run();
    expect(first.r.results.cache.sources).toBe('miss');
    expect(entries().filter((f) => f.endsWith('.v8'))).toHaveLength(1);
    expect(entries().filter((f) => f.endsWith('.parquet')).length).toBeGreaterThan(4);
    const second = await run();
    expect(second.r.results.cache.sources).toBe('hit');
    expectSame(second, cold);
    expectSame(first, cold);
    expect(second.files['abgewiesene_zeilen.csv']?.toString('utf8')).toContain('Insgesamt');
  }, 120_000);

  it('an indicator edit keeps the cached load', async () => {
    edit('indicators/sgb2_u15.yaml', 'title: SGB-II-Quote unter 15', 'title: SGB-II-Quote der unter 15-Jährigen');
    const r = await run();
    expect(r.r.results.cache.sources).toBe('hit');
    expect(r.files['kennzahlen.csv']?.toString('utf8')).toContain('SGB-II-Quote der unter 15-Jährigen');
  }, 120_000);

  it('a changed byte, area list, new file or source setting loads again, with the figures of a load without cache', async () => {
    const fresh = async (): Promise<void> => {
      const r = await run();
      expect(r.r.results.cache.sources).toBe('miss');
      expectSame(r, await run(false));
    };
    edit('rohdaten/sgb2.csv', '05558012-01;2022;300', '05558012-01;2022;301');
    await fresh();
    edit('gebiete.csv', ';Nord;', ';Nordost;');
    await fresh();
    // a third year the pattern rohdaten/bev_*.csv matches
    const bev23 = fs.readFileSync(path.join(project, 'rohdaten', 'bev_2023.csv'), 'latin1');
    fs.writeFileSync(path.join(project, 'rohdaten', 'bev_2024.csv'), bev23.replaceAll(';2023;', ';2024;'), 'latin1');
    await fresh();
    expect((await run()).r.results.cache.sources).toBe('hit');
    // the same settings written differently: the same key
    edit('spm.yaml', 'bev_u15: { header: unter 15, type: count }', 'bev_u15: { header: "unter 15", type: count }');
    expect((await run()).r.results.cache.sources).toBe('hit');
    edit('spm.yaml', 'owner: Einwohnermeldeamt', 'owner: Bürgerbüro');
    await fresh();
    // five keys stored so far: the 2 newest entries are kept, with their files only
    const manifests = entries().filter((f) => f.endsWith('.v8'));
    expect(manifests).toHaveLength(2);
    const keys = new Set(manifests.map((f) => f.slice(0, 64)));
    expect(entries().every((f) => keys.has(f.slice(0, 64)))).toBe(true);
  }, 240_000);

  it('a corrupt, partial or tampered entry is ignored and loaded again', async () => {
    const want = await run(false);
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    expect((await run()).r.results.cache.sources).toBe('miss');
    const manifest = path.join(cacheDir(), entries().find((f) => f.endsWith('.v8')) as string);
    const data = manifest.replace(/\.v8$/, '.0.parquet');
    const check = async (): Promise<void> => {
      const r = await run();
      expect(r.r.results.cache.sources).toBe('miss');
      expectSame(r, want);
    };
    const bytes = fs.readFileSync(data);
    const mid = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(mid) ^ 0xff, mid);
    fs.writeFileSync(data, bytes);
    await check();
    fs.writeFileSync(manifest, fs.readFileSync(manifest).subarray(0, 40));
    await check();
    fs.rmSync(data);
    await check();
    expect((await run()).r.results.cache.sources).toBe('hit');
    // a valid Parquet file with one area renamed: caught by its SHA-256
    const stored = v8.deserialize(fs.readFileSync(manifest)) as { tables: { name: string; sha256: string }[] };
    const i = stored.tables.findIndex((t) => t.name === 'areas');
    expect(i).toBeGreaterThanOrEqual(0);
    const areas = manifest.replace(/\.v8$/, `.${i}.parquet`);
    const rewrite = async (select: string): Promise<void> => {
      const db = await openDatabase();
      try {
        await db.conn.run(`COPY (${select} FROM read_parquet($1)) TO '${areas}.new' (FORMAT parquet)`, [areas]);
      } finally {
        db.close();
      }
      fs.renameSync(`${areas}.new`, areas);
    };
    await rewrite("SELECT * REPLACE (CASE WHEN area_name = 'Süd' THEN 'Südwest' ELSE area_name END AS area_name)");
    await check();
    // the same with the manifest's hash made to match, and a column of another type: caught by the definition
    expect((await run()).r.results.cache.sources).toBe('hit');
    await rewrite('SELECT * REPLACE (depth::BIGINT AS depth)');
    const sha = createHash('sha256').update(fs.readFileSync(areas)).digest('hex');
    const m = v8.deserialize(fs.readFileSync(manifest)) as { tables: { sha256: string }[] };
    m.tables[i]!.sha256 = sha;
    fs.writeFileSync(manifest, v8.serialize(m));
    await check();
    expect((await run()).r.results.cache.sources).toBe('hit');
  }, 240_000);

  it('does not store a load whose files changed while it ran, nor one with errors', async () => {
    const { project: p } = loadProject(project);
    const db = await openDatabase();
    const dir = path.join(root, 'store-test');
    const staging = path.join(root, 'staging');
    try {
      const key = await loadCacheKey(db.conn, p);
      expect(key).toBeDefined();
      const before = await catalogObjects(db.conn);
      const loaded = await ingestProject(db.conn, p, { tmpDir: path.join(root, 'tmp') });
      // the key's hashes as if a file had been edited between hashing and reading
      const edited = { ...key!, sha256: key!.sha256.map((h, i) => (i === 0 ? h.replace(/^./, 'x') : h)) };
      expect(await prepareLoad(db.conn, staging, dir, edited, before, loaded)).toBeUndefined();
      const withError = {
        ...loaded,
        issues: [...loaded.issues, { severity: 'error' as const, code: 'x', message: 'x' }],
      };
      expect(await prepareLoad(db.conn, staging, dir, key!, before, withError)).toBeUndefined();
      expect(fs.existsSync(dir)).toBe(false);
      // prepared in the staging folder; the cache folder only gets it on commit
      const commit = await prepareLoad(db.conn, staging, dir, key!, before, loaded);
      expect(commit).toBeDefined();
      expect(fs.readdirSync(staging).filter((f) => f.endsWith('.v8'))).toHaveLength(1);
      expect(fs.existsSync(dir)).toBe(false);
      commit!();
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.v8'))).toHaveLength(1);
      expect(fs.readdirSync(staging)).toEqual([]);
    } finally {
      db.close();
    }
  }, 120_000);
});
