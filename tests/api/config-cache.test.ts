/**
 * The config cache (src/api/config-cache.ts) on a copy of the mini project: stored only on
 * `commitCache` (a refused run leaves the project folder as it was) and never without cache;
 * a hit gives the same project and warnings as loading; any change to spm.yaml, to an
 * indicator file or to an indicator folder's listing, or a corrupt entry, is a miss.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/api/session.js';
import { readConfigCache } from '../../src/api/config-cache.js';
import { loadProject } from '../../src/config/load-project.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let root: string;
let project: string;
let configFile: string;
const cacheDir = (): string => path.join(project, '.spm', 'cache');
const entries = (): string[] =>
  fs.existsSync(path.join(cacheDir(), 'config')) ? fs.readdirSync(path.join(cacheDir(), 'config')) : [];

async function openAndCommit(): Promise<Spm> {
  const spm = await Spm.open(project, { cache: true });
  await spm.commitCache();
  spm.close();
  return spm;
}

function edit(file: string, from: string, to: string): void {
  const p = path.join(project, file);
  const text = fs.readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  fs.writeFileSync(p, next);
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-config-cache-'));
  project = path.join(root, 'mini');
  fs.cpSync(mini, project, { recursive: true, filter: (src) => path.basename(src) !== '.spm' });
  configFile = path.join(project, 'spm.yaml');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('config cache', () => {
  it('writes nothing without cache, and nothing before commitCache', async () => {
    (await Spm.open(project)).close();
    expect(fs.existsSync(path.join(project, '.spm'))).toBe(false);
    (await Spm.open(project, { cache: true })).close();
    expect(fs.existsSync(path.join(project, '.spm'))).toBe(false);
  });

  it('a stored entry gives the same project and warnings as loading', async () => {
    const first = await openAndCommit();
    expect(entries()).toHaveLength(1);
    const cached = readConfigCache(cacheDir(), configFile);
    expect(cached).toBeDefined();
    const loaded = loadProject(project);
    expect(cached).toStrictEqual(loaded);
    const again = await Spm.open(project, { cache: true });
    again.close();
    expect(again.project).toStrictEqual(first.project);
    expect(again.issues).toStrictEqual(first.issues);
  });

  it('an edited indicator file is a miss, and the edit is seen', async () => {
    edit('indicators/sgb2_u15.yaml', 'title: SGB', 'title: Geändert SGB');
    expect(readConfigCache(cacheDir(), configFile)).toBeUndefined();
    const spm = await openAndCommit();
    expect(spm.project.indicators.some((i) => i.def.title === 'Geändert SGB-II-Quote unter 15')).toBe(true);
    expect(readConfigCache(cacheDir(), configFile)?.project).toStrictEqual(spm.project);
  });

  it('a new file in an indicator folder is a miss', async () => {
    const before = (await Spm.open(project, { cache: true })).project.indicators.length;
    const text = fs.readFileSync(path.join(project, 'indicators', 'sgb2_u15.yaml'), 'utf8');
    const id = /^id:\s*(\S+)/m.exec(text)?.[1] as string;
    fs.writeFileSync(path.join(project, 'indicators', 'zz_kopie.yaml'), text.replace(`id: ${id}`, `id: ${id}_kopie`));
    expect(readConfigCache(cacheDir(), configFile)).toBeUndefined();
    const spm = await openAndCommit();
    expect(spm.project.indicators).toHaveLength(before + 1);
    fs.rmSync(path.join(project, 'indicators', 'zz_kopie.yaml'));
    expect(readConfigCache(cacheDir(), configFile)).toBeUndefined();
  });

  it('an edited spm.yaml is a miss', async () => {
    await openAndCommit();
    expect(readConfigCache(cacheDir(), configFile)).toBeDefined();
    edit('spm.yaml', 'name: ', 'name: Geändert ');
    expect(readConfigCache(cacheDir(), configFile)).toBeUndefined();
    const spm = await openAndCommit();
    expect(spm.project.config.name.startsWith('Geändert ')).toBe(true);
  });

  it('a corrupt entry is a miss and the project still opens', async () => {
    const [entry] = entries();
    const file = path.join(cacheDir(), 'config', entry as string);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    expect(readConfigCache(cacheDir(), configFile)).toBeUndefined();
    const spm = await Spm.open(project, { cache: true });
    spm.close();
    expect(spm.project.config.name.startsWith('Geändert ')).toBe(true);
  });
});
