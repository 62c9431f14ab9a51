/**
 * A filter no row passes (`u8 = false and u8 = true`: "and" typed for "or"), end to end: `spm validate`
 * and `spm compute` warn, naming the filter, the indicator and the column, and still run (exit 0).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const sample = path.join(repo, 'data-samples', 'kreis-coesfeld');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-never-true-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function spm(args: string[]): { status: number; all: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'cli', 'main.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, all: r.stdout + r.stderr };
}

it('warns in validate and compute of a filter that no row passes', () => {
  const project = path.join(tmp, 'kreis');
  fs.cpSync(sample, project, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
  const own = path.join(project, 'eigene');
  fs.mkdirSync(own);
  const u8 = fs.readFileSync(path.join(repo, 'indicators', 'u8_nichtteilnahme.yaml'), 'utf8');
  const filter = 'vorsorgeheft_vorgelegt = true and u8 = false and u8 = true';
  fs.writeFileSync(
    path.join(own, 'u8_vertippt.yaml'),
    u8
      .replace('id: u8_nichtteilnahme', 'id: u8_vertippt')
      .replace(/source: u_untersuchungen/g, 'source: seu')
      .replace('"vorsorgeheft_vorgelegt = true and u8 = false"', `"${filter}"`),
  );
  const yaml = path.join(project, 'spm.yaml');
  const text = fs.readFileSync(yaml, 'utf8');
  expect(text).toContain('indicators: ["spm:standard"]');
  fs.writeFileSync(yaml, text.replace('indicators: ["spm:standard"]', 'indicators: ["spm:standard", eigene]'));
  for (const args of [
    ['validate', project],
    ['compute', project, '--no-charts'],
  ]) {
    const r = spm(args);
    expect(r.status, r.all).toBe(0);
    expect(r.all).toContain(`Der Filter „${filter}“ von u8_vertippt (Zähler) trifft auf keine Zeile zu`);
    expect(r.all).toContain('die Spalte „u8“');
    // the standard set's filters pass rows: one such warning only
    expect(r.all.match(/trifft auf keine Zeile zu/g)).toHaveLength(1);
  }
}, 300_000);
