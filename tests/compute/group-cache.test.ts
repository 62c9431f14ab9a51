/**
 * The protection pass's groups kept from run to run (src/compute/group-cache.ts): after an edit that
 * changes one indicator's cells, the groups it does not touch come from the store, and the outputs
 * are byte for byte those of a run without cache. An entry is read only whole and unchanged, only
 * by the same protection code, and the store is pruned to the entries used last.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editFile, outputs } from './output-files.js';
import { withEnv } from '../privacy/env.js';
import { computeRun, type ComputeRunResult } from '../../src/run/compute-run.js';
import { GroupCache } from '../../src/compute/group-cache.js';
import { noAudit, type GroupMemo } from '../../src/privacy/db.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-group-cache-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function memo(cells: number, seed: number, low = true): GroupMemo {
  const reason = new Int8Array(cells).map((_, i) => ((i * 7 + seed) % 4) - 1);
  return {
    reason,
    refused: Int32Array.from([seed % cells, (seed + 3) % cells]),
    unresolved: 0,
    audit: { ...noAudit(), components: seed, lps: 2 * seed, covers: 1, ms: 1.5 },
    ...(low ? { low: Float64Array.from({ length: cells }, (_, i) => i / 3 + seed) } : {}),
  };
}

describe('the group store', () => {
  it('gives back what a run committed, whole; nothing before the commit, nothing damaged', () => {
    const dir = path.join(root, 'unit');
    const a = new GroupCache(dir);
    const m = memo(1001, 5);
    a.set('job-1', m);
    a.set('job-2', memo(17, 2, false));
    // not written before the run's outputs are
    expect(new GroupCache(dir).get('job-1')).toBeUndefined();
    a.commit();
    const b = new GroupCache(dir);
    expect(b.get('job-1')).toEqual(m);
    expect(b.get('job-2')?.low).toBeUndefined();
    expect(b.get('job-3')).toBeUndefined();
    expect(b.hits).toBe(2);
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    expect(files).toHaveLength(2);
    const big = files.find((f) => fs.statSync(f).size > 8000)!;
    const bytes = fs.readFileSync(big);
    // one flipped byte in the arrays, then the file cut short: not used
    const flipped = Buffer.from(bytes);
    flipped.writeUInt8(flipped.readUInt8(bytes.length - 100) ^ 1, bytes.length - 100);
    fs.writeFileSync(big, flipped);
    expect(new GroupCache(dir).get('job-1')).toBeUndefined();
    fs.writeFileSync(big, bytes.subarray(0, bytes.length - 8));
    expect(new GroupCache(dir).get('job-1')).toBeUndefined();
    fs.writeFileSync(big, bytes);
    expect(new GroupCache(dir).get('job-1')).toEqual(m);
  });

  it('answers only for the same protection code and settings', async () => {
    const dir = path.join(root, 'namespace');
    const a = new GroupCache(dir);
    a.set('job', memo(50, 1));
    a.commit();
    expect(new GroupCache(dir).get('job')).toBeDefined();
    // another block size of the audit (SPM_PRIVACY_BLOCKS) may give other masks
    await withEnv({ SPM_PRIVACY_BLOCKS: '7' }, async () => expect(new GroupCache(dir).get('job')).toBeUndefined());
  });

  it('keeps the entries this run used and those used last by others, up to 8 times its groups', () => {
    const dir = path.join(root, 'prune');
    const old = new GroupCache(dir);
    for (let i = 0; i < 40; i++) old.set(`old-${i}`, memo(5, i));
    old.commit();
    // the old entries used at known times, old-0 longest ago: all set back first, then each one read
    // (a read marks the entry as used now) and its time set to minute i of a day in 2026
    const names = fs.readdirSync(dir);
    expect(names).toHaveLength(40);
    const setTime = (f: string, t: Date) => fs.utimesSync(path.join(dir, f), t, t);
    for (const f of names) setTime(f, new Date(Date.UTC(2025, 0, 1)));
    const probe = new GroupCache(dir);
    for (let i = 0; i < 40; i++) {
      expect(probe.get(`old-${i}`)).toBeDefined();
      const touched = names.filter((f) => fs.statSync(path.join(dir, f)).mtimeMs > Date.UTC(2026, 5, 1));
      expect(touched).toHaveLength(1);
      setTime(touched[0]!, new Date(Date.UTC(2026, 0, 1) + i * 60_000));
    }
    // a run of 2 groups: one from the store (old-3), one solved now
    const run = new GroupCache(dir);
    expect(run.get('old-3')).toBeDefined();
    run.set('new', memo(5, 99));
    run.commit();
    const left = new GroupCache(dir);
    expect(left.get('old-3')).toBeDefined();
    expect(left.get('new')).toBeDefined();
    // 16 others kept: the newest by use, old-39 down to old-24 (old-3 is this run's)
    expect(fs.readdirSync(dir)).toHaveLength(18);
    for (let i = 24; i < 40; i++) expect(new GroupCache(dir).get(`old-${i}`), `old-${i}`).toBeDefined();
    for (const i of [0, 4, 23]) expect(new GroupCache(dir).get(`old-${i}`), `old-${i}`).toBeUndefined();
  });
});

describe('compute with the group store', () => {
  let project: string;
  let n = 0;
  async function run(cache = true): Promise<{ r: ComputeRunResult; files: Record<string, Buffer> }> {
    const out = path.join(root, `out-${n++}`);
    const r = await computeRun(project, { out, charts: [], cache });
    return { r, files: outputs(out) };
  }

  beforeAll(() => {
    project = path.join(root, 'mini');
    fs.cpSync(mini, project, { recursive: true, filter: (src) => path.basename(src) !== '.spm' });
    // threshold 3: primary and secondary masks in several groups
    editFile(project, 'spm.yaml', 'suppression: { min_count: 1 }', 'suppression: { min_count: 3 }');
  });

  it('after an edit of one indicator solves only the groups it touches; the outputs are those without cache', async () => {
    const first = await run();
    expect(first.r.results.cache.masks).toBe('miss');
    expect(first.r.results.cache.groups).toEqual({ reused: 0, solved: expect.any(Number) });
    const groups = first.r.results.cache.groups!.solved;
    expect(groups).toBeGreaterThan(2);

    // another numerator of one indicator: its cells change, the other indicators' do not
    editFile(project, 'indicators/seu_uebergewicht.yaml', 'bmi_perzentil > 90', 'bmi_perzentil > 40');
    const edited = await run();
    expect(edited.r.results.cache.masks).toBe('miss');
    const g = edited.r.results.cache.groups!;
    expect(g.reused).toBeGreaterThan(0);
    expect(g.solved).toBeGreaterThan(0);
    expect(g.reused + g.solved).toBe(groups);
    const fresh = await run(false);
    expect(fresh.r.results.cache.groups).toBeUndefined();
    expect(Object.keys(edited.files).sort()).toEqual(Object.keys(fresh.files).sort());
    for (const [f, bytes] of Object.entries(fresh.files)) expect(edited.files[f]?.equals(bytes), f).toBe(true);
    expect(edited.r.results.masks).toEqual(fresh.r.results.masks);

    // and back: every group of the first run from the store (the whole pass's entry is there too)
    editFile(project, 'indicators/seu_uebergewicht.yaml', 'bmi_perzentil > 40', 'bmi_perzentil > 90');
    expect((await run()).r.results.cache.masks).toBe('hit');
    fs.rmSync(path.join(project, '.spm', 'cache', 'masks'), { recursive: true, force: true });
    expect((await run()).r.results.cache.groups).toEqual({ reused: 0, solved: groups });
    const maskFiles = fs.readdirSync(path.join(project, '.spm', 'cache', 'masks')).filter((f) => f.endsWith('.json'));
    for (const f of maskFiles) fs.rmSync(path.join(project, '.spm', 'cache', 'masks', f));
    const again = await run();
    expect(again.r.results.cache.masks).toBe('miss');
    expect(again.r.results.cache.groups).toEqual({ reused: groups, solved: 0 });
    for (const [f, bytes] of Object.entries(first.files)) expect(again.files[f]?.equals(bytes), f).toBe(true);
  }, 240_000);

  it('keeps its entries when a new indicator renumbers the measures', async () => {
    const before = (await run(false)).r.results.masks;
    // without the whole pass's entries: the pass runs, every group from the store
    const masksDir = path.join(project, '.spm', 'cache', 'masks');
    for (const f of fs.readdirSync(masksDir)) if (/\.(json|parquet)$/.test(f)) fs.rmSync(path.join(masksDir, f));
    const warm = await run();
    expect(warm.r.results.cache.groups?.solved).toBe(0);
    const groups = warm.r.results.cache.groups!.reused;
    // a new numerator over the SEU denominator: a measure key that sorts before the others' shifts
    // their codes (numbered over the whole set), not their groups' jobs
    const own = fs
      .readFileSync(path.join(project, 'indicators', 'seu_uebergewicht.yaml'), 'utf8')
      .replace('id: seu_uebergewicht', 'id: aaa_seu_adipositas')
      .replace('bmi_perzentil > 90', 'bmi_perzentil > 97');
    fs.writeFileSync(path.join(project, 'indicators', 'aaa_seu_adipositas.yaml'), own);
    const added = await run();
    expect(added.r.results.cache.masks).toBe('miss');
    const g = added.r.results.cache.groups!;
    // the new numerator's group and the denominator's (its low points come from the numerators); the new
    // count (BMI > P97) is a subgroup of the Übergewicht numerator (> P90), so it joins that group (since
    // 6 Dec 2026, src/privacy/README.md "Relations"): as many groups as before
    expect(g.solved).toBeLessThanOrEqual(2);
    expect(g.reused + g.solved).toBe(groups);
    const fresh = await run(false);
    for (const [f, bytes] of Object.entries(fresh.files)) expect(added.files[f]?.equals(bytes), f).toBe(true);
    expect(added.r.results.masks).not.toEqual(before);
  }, 240_000);
});
