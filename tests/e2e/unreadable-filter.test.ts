/**
 * A filter the protection cannot read beside counts of the same columns, end to end: an own indicator
 * "U7a oder U8 nicht wahrgenommen" (`u7a = false or u8 = false`) in the sample beside the standard
 * set's U7a and U8. Its count is at least each of theirs and at most both together, which anyone who
 * reads the filters knows and spm's relations cannot say; `spm validate` and `spm compute` name the
 * condition and the indicators and stop (exit 1, no stack trace, nothing written), until the planner
 * confirms with `settings.suppression.filter_beziehungen_geprueft: true`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const sample = path.join(repo, 'data-samples', 'kreis-coesfeld');

function spm(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'cli', 'main.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-unreadable-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a filter condition the protection cannot read', () => {
  it('stops validate and compute, naming the condition and the indicators, until the planner confirms', () => {
    const project = path.join(tmp, 'kreis');
    fs.cpSync(sample, project, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
    const own = path.join(project, 'eigene');
    fs.mkdirSync(own);
    const u8 = fs.readFileSync(path.join(repo, 'indicators', 'u8_nichtteilnahme.yaml'), 'utf8');
    fs.writeFileSync(
      path.join(own, 'u7a_oder_u8.yaml'),
      u8
        .replace('id: u8_nichtteilnahme', 'id: u7a_oder_u8_nichtteilnahme')
        .replace(/source: u_untersuchungen/g, 'source: seu')
        .replace(/^title: .*$/m, 'title: "Nichtteilnahme an U7a oder U8"')
        .replace(/^short_title: .*$/m, 'short_title: "U7a oder U8 nicht wahrgenommen"')
        .replace(
          '"vorsorgeheft_vorgelegt = true and u8 = false"',
          '"vorsorgeheft_vorgelegt = true and (u7a = false or u8 = false)"',
        ),
    );
    const yaml = path.join(project, 'spm.yaml');
    const text = fs.readFileSync(yaml, 'utf8');
    expect(text).toContain('indicators: ["spm:standard"]');
    fs.writeFileSync(yaml, text.replace('indicators: ["spm:standard"]', 'indicators: ["spm:standard", eigene]'));

    for (const cmd of ['validate', 'compute']) {
      const r = spm([cmd, project, ...(cmd === 'compute' ? ['--no-charts', '--quiet'] : [])]);
      expect(r.status, r.stderr).toBe(1);
      const all = r.stdout + r.stderr;
      expect(all).toContain('„u7a = false or u8 = false“ im Filter von u7a_oder_u8_nichtteilnahme (Zähler)');
      expect(all).toContain('u7a_nichtteilnahme (Zähler)');
      expect(all).toContain('u8_nichtteilnahme (Zähler)');
      expect(all).toContain('filter_beziehungen_geprueft: true');
      expect(all).not.toContain('Interner Fehler');
      expect(all).not.toMatch(/^\s+at /m);
    }
    expect(fs.existsSync(path.join(project, 'out', 'kennzahlen.csv'))).toBe(false);

    // confirmed by the planner: validate passes (compute would publish)
    fs.writeFileSync(
      yaml,
      fs
        .readFileSync(yaml, 'utf8')
        .replace(/^settings:$/m, 'settings:\n  suppression: { filter_beziehungen_geprueft: true }'),
    );
    const ok = spm(['validate', project]);
    expect(ok.stdout + ok.stderr).not.toContain('u7a = false or u8 = false');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  }, 300_000);
});
