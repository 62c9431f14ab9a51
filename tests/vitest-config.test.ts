/**
 * The everyday project `fast` shares one module graph per worker (`isolate: false` in
 * vitest.config.ts). A test file that replaces modules with `vi.mock` / `vi.doMock` would leak
 * its mocks into the files after it, so every such file must run isolated: listed in
 * `MOCKING_TESTS` (project `fast-mocked`), `SLOW_TESTS` (project `slow`) or `ATTACK_TESTS` (project
 * `attack`), all isolated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import config, { ATTACK_TESTS, MOCKING_TESTS, SLOW_TESTS } from '../vitest.config.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('vitest projects', () => {
  it('every file that mocks modules runs isolated, never in the shared `fast` project', () => {
    const isolated = new Set(globSync([...MOCKING_TESTS, ...SLOW_TESTS, ...ATTACK_TESTS], { cwd: ROOT }));
    const mocking = globSync('tests/**/*.test.ts', { cwd: ROOT }).filter((f) =>
      /\bvi\.(?:do)?mock\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
    );
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((f) => !isolated.has(f))).toEqual([]);
  });

  it('only `fast` shares its module graph; the mocking files are left out of it', () => {
    const projects = (config.test?.projects ?? []) as {
      test: { name: string; isolate?: boolean; exclude?: string[] };
    }[];
    const byName = new Map(projects.map((p) => [p.test.name, p.test]));
    expect(byName.get('fast')?.isolate).toBe(false);
    for (const f of MOCKING_TESTS) expect(byName.get('fast')?.exclude).toContain(f);
    expect(byName.get('fast-mocked')?.isolate).toBeUndefined();
    expect(byName.get('slow')?.isolate).toBeUndefined();
    expect(byName.get('attack')?.isolate).toBeUndefined();
    // the attack files run neither in the everyday run nor twice
    for (const f of ATTACK_TESTS) expect(byName.get('fast')?.exclude).toContain(f);
    expect(globSync(ATTACK_TESTS, { cwd: ROOT }).length).toBe(3);
  });
});
