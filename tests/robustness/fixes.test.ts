/**
 * Unit tests for the fixes of the robustness pass that the corpus does not show
 * directly: the output-folder lock, folders where files are expected, UTF-16
 * YAML, and the clipping of cell text in messages.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/config/yaml-source.js';
import { acquireLock } from '../../src/run/lock.js';
import { UserError } from '../../src/util/issues.js';
import { patternEscapes } from '../../src/util/paths.js';
import { buildProject, cleanupProjects, runLib } from './harness.js';

afterAll(() => cleanupProjects());

const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('output-folder lock (src/run/lock.ts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lock-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the PID, refuses a second holder, and is removed on release', () => {
    const lock = acquireLock(dir);
    expect(fs.readFileSync(path.join(dir, '.spm.lock'), 'utf8')).toBe(`${process.pid}\n`);
    let err: unknown;
    try {
      acquireLock(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).issues.map((i) => i.code)).toEqual(['run.locked']);
    expect((err as UserError).message).toContain(`Prozess ${process.pid}`);
    lock.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('takes over a stale lock (dead PID, empty or garbage content) and removes the dead run’s scratch files', () => {
    for (const content of [`${deadPid()}\n`, '', 'kaputt']) {
      const dead = deadPid();
      fs.writeFileSync(path.join(dir, '.spm.lock'), content);
      fs.mkdirSync(path.join(dir, `.spm-tmp-${dead}`, 'duckdb'), { recursive: true });
      fs.writeFileSync(path.join(dir, `.manifest.json.tmp-${dead}`), '{');
      fs.writeFileSync(path.join(dir, `.spm.lock.${dead}`), `${dead}\n`);
      const lock = acquireLock(dir);
      expect(fs.readFileSync(path.join(dir, '.spm.lock'), 'utf8')).toBe(`${process.pid}\n`);
      expect(fs.readdirSync(dir).sort()).toEqual(['.spm.lock']);
      lock.release();
    }
  });

  it('release never removes a lock another run has taken over meanwhile', () => {
    const lock = acquireLock(dir);
    fs.writeFileSync(path.join(dir, '.spm.lock'), '999999999\n');
    lock.release();
    expect(fs.readFileSync(path.join(dir, '.spm.lock'), 'utf8')).toBe('999999999\n');
    fs.rmSync(path.join(dir, '.spm.lock'));
  });
});

describe('config files that are not what they should be', () => {
  it('a folder named spm.yaml: config.not_found, no crash', async () => {
    const dir = buildProject({});
    fs.rmSync(path.join(dir, 'spm.yaml'));
    fs.mkdirSync(path.join(dir, 'spm.yaml'));
    const lib = await runLib(dir);
    expect(lib.crash).toBeUndefined();
    expect(lib.errors.map((e) => e.code)).toEqual(['config.not_found']);
  });

  it('a folder named x.yaml among the indicators is not read as a file', async () => {
    const dir = buildProject({
      files: { 'daten/data.csv': 'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;1;2\n' },
    });
    fs.mkdirSync(path.join(dir, 'indicators', 'x.yaml'));
    const lib = await runLib(dir);
    expect(lib.crash).toBeUndefined();
    expect(lib.errors).toEqual([]);
  });

  it('UTF-16 and NUL in YAML bytes are refused with a line', () => {
    const u16 = parseYaml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x\n', 'utf16le')]), 'spm.yaml');
    expect(u16.data).toBeUndefined();
    expect(u16.issues.map((i) => [i.code, i.line])).toEqual([['yaml.encoding', 1]]);
    const nul = parseYaml(Buffer.from('name: x\nkreis: \u0000\n'), 'spm.yaml');
    expect(nul.issues.map((i) => [i.code, i.line])).toEqual([['yaml.encoding', 2]]);
    expect(parseYaml(Buffer.from('\ufeffname: x\n'), 'spm.yaml').data).toEqual({ name: 'x' });
  });

  it('patternEscapes: ".." as a path segment or brace alternative, never for absolute paths', () => {
    for (const p of ['../x', 'a/../../x', '{..,a}/x.csv', 'a/{b,..}/c', '..\\x', '..'])
      expect(patternEscapes(p), p).toBe(true);
    for (const p of ['a/..b/x', 'x..csv', '/abs/../x', 'daten/*.csv', '{a,b}/*.csv'])
      expect(patternEscapes(p), p).toBe(false);
  });
});

describe('messages', () => {
  it('a cell in a reason is clipped and control characters are made visible', async () => {
    const dir = buildProject({
      files: {
        'daten/data.csv': `sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;${'x'.repeat(5000)};1\n05558012-02;2023;a\u0000b;1\n`,
      },
    });
    const lib = await runLib(dir);
    expect(lib.rejects.map((r) => [r.line, r.code])).toEqual([
      [2, 'invalid_number'],
      [3, 'invalid_number'],
    ]);
    expect(lib.rejects[0]!.reason).toContain(`„${'x'.repeat(80)}…“`);
    expect(lib.rejects[0]!.reason.length).toBeLessThan(300);
    expect(lib.rejects[1]!.reason).toContain('„a\\u0000b“');
  });
});
