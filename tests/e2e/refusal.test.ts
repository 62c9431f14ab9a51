/**
 * The refusal to publish, end to end: at `min_count: 6` the sample Kreis has one protected
 * count that no secondary suppression in its own measure group protects (Vorsorgeheft vorgelegt,
 * Sozialraum 05558020-05, 2015: its pooled window and the bounds other measures' published
 * counts put on it pin it). With the second pass switched off (`SPM_PRIVACY_BOUND_ROUNDS=0`, as
 * before 2 Dec 2026), `spm compute` publishes nothing, names the cell and what to do, exits with 3
 * (not an internal error with exit 2), and leaves the outputs of the run before as they were.
 * With one round more (`SPM_PRIVACY_BOUND_ROUNDS=1`), the pass runs again with "numerator <=
 * denominator" around the count as relations (src/privacy/bound-relations.ts) and publishes; by
 * default those relations hold for every proportion from the first pass on, and it publishes at once.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const sample = path.join(repo, 'data-samples', 'kreis-coesfeld');

function spm(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'cli', 'main.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, SPM_PRIVACY_DEBUG: '', SPM_PRIVACY_BOUND_ROUNDS: '', ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every file below `dir` with its bytes' hex digest, as one sorted listing. */
function listing(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-refusal-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('spm compute refuses to publish when the audit cannot protect a count', () => {
  it('names the cell, exits with 3 and leaves the earlier outputs as they were', () => {
    const project = path.join(tmp, 'kreis');
    fs.cpSync(sample, project, { recursive: true });
    const first = spm(['compute', project, '--no-charts', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    const before = listing(path.join(project, 'out'));
    expect(before).toContain('kennzahlen.csv');

    const yaml = path.join(project, 'spm.yaml');
    const text = fs.readFileSync(yaml, 'utf8');
    expect(text).toMatch(/^settings:$/m);
    fs.writeFileSync(yaml, text.replace(/^settings:$/m, 'settings:\n  suppression: { min_count: 6 }'));
    const r = spm(['compute', project, '--no-charts', '--quiet'], { SPM_PRIVACY_BOUND_ROUNDS: '0' });

    expect(r.status, r.stderr).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      'Geheimhaltung: Eine gesperrte Fallzahl lässt sich nicht ausreichend schützen. ' +
        'Es wird nichts veröffentlicht; was ein früherer Lauf geschrieben hat, bleibt unverändert.',
    );
    // the measure's cell under every indicator and role that publishes it
    expect(lines[1]).toBe(
      '  sozialraum 05558020-05 (Bauerschaften Havixbeck), 2015: seu_vorsorgeheft_vorgelegt (Zähler), u1_u9_vollstaendig (Nenner), ' +
        'u7a_nichtteilnahme (Nenner), u8_nichtteilnahme (Nenner), u9_nichtteilnahme (Nenner)',
    );
    expect(r.stderr).toContain('Fallzahl (1 bis 5)');
    expect(r.stderr).toContain('exclude: [seu_vorsorgeheft_vorgelegt, u1_u9_vollstaendig, u7a_nichtteilnahme');
    expect(r.stderr).not.toContain('Interner Fehler');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
    expect(listing(path.join(project, 'out'))).toBe(before);

    // the pass as before 3 Dec 2026 with one more round: the bounds around the count as relations
    // publish, and the run says so
    const round = spm(['compute', project, '--no-charts', '--no-cache'], { SPM_PRIVACY_BOUND_ROUNDS: '1' });
    expect(round.status, round.stderr).toBe(0);
    expect(round.stdout).toMatch(
      /Hinweis: Im ersten Durchgang ließ sich eine kleine Fallzahl nicht schützen.*„Zähler <= Nenner“ für 5 Zähler-Nenner-Paare als Beziehung/,
    );
    // the default: "numerator <= denominator" between groups through low points (src/privacy/low-point.ts);
    // where one low point cannot free every count, the pass runs again with the pairs around the
    // refused counts as relations, as above, and publishes
    const again = spm(['compute', project, '--no-charts', '--no-cache']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /Hinweis: Im ersten Durchgang (ließ sich eine kleine Fallzahl|ließen sich \d+ kleine Fallzahlen) nicht schützen/,
    );
    expect(listing(path.join(project, 'out'))).not.toBe(before);
  });
});
