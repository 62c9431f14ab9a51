/**
 * `spm compute --watch` end to end: the real CLI in a child process on a small project. It computes,
 * computes again after an edit, reports a broken spm.yaml as `spm compute` does (no stack trace) and goes
 * on, computes after the fix, and ends on Ctrl+C (SIGINT) with exit code 0. The loop's details (which
 * files count, edits during a run) are in tests/cli/watch.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject, cleanupProjects, runCli, spawnCli, STACK_RE } from './harness.js';

afterAll(cleanupProjects);

const SOURCE_CSV = ['sozialraum_id;jahr;zaehler;nenner', '05558004-01;2023;7;40', '05558004-02;2023;9;50', ''].join(
  '\n',
);

describe('spm compute --watch', () => {
  it('computes again after each saved change, goes on after an error, and ends on Ctrl+C', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': SOURCE_CSV } });
    const child = spawnCli(['compute', dir, '--watch', '--no-charts']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
    const until = async (cond: () => boolean, what: string) => {
      const end = Date.now() + 90_000;
      while (!cond()) {
        if (Date.now() > end)
          throw new Error(`nicht eingetreten: ${what}\n--- stderr\n${stderr}\n--- stdout\n${stdout}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(() => stderr.includes('Beobachte '), 'der erste Lauf');
      expect(count(stdout, /^Ergebnis: /gm)).toBe(1);
      const csv = path.join(dir, 'out', 'kennzahlen.csv');
      expect(fs.existsSync(csv)).toBe(true);

      // an edit of the indicator: computed again, the new title in the output
      const ind = path.join(dir, 'indicators', 'quote.yaml');
      fs.writeFileSync(ind, fs.readFileSync(ind, 'utf8').replace('title: Quote', 'title: Quote neu'));
      await until(
        () => count(stderr, /^Fertig in \d+,\d s; beobachte weiter\.$/gm) === 1,
        'der Lauf nach der Änderung',
      );
      expect(stderr).toMatch(/^\d\d:\d\d:\d\d geändert: indicators\/quote\.yaml – rechne neu …$/m);
      expect(count(stdout, /^Ergebnis: /gm)).toBe(2);
      expect(fs.readFileSync(csv, 'utf8')).toContain('Quote neu');

      // a broken spm.yaml: the error as spm compute gives it, no stack trace, still watching
      const yamlFile = path.join(dir, 'spm.yaml');
      const good = fs.readFileSync(yamlFile, 'utf8');
      fs.writeFileSync(yamlFile, `${good}kaputt: [\n`);
      await until(() => stderr.includes('Mit Fehler beendet'), 'der Lauf mit Fehler');
      expect(stderr).toMatch(/spm\.yaml:\d+: YAML-Syntaxfehler/);
      expect(stderr).not.toMatch(STACK_RE);

      // the fix: computed again
      fs.writeFileSync(yamlFile, good);
      await until(() => count(stderr, /^Fertig in /gm) === 2, 'der Lauf nach der Korrektur');
      expect(count(stdout, /^Ergebnis: /gm)).toBe(3);

      child.kill('SIGINT');
      expect(await closed).toBe(0);
      expect(stderr.trimEnd().split('\n').at(-1)).toBe('Beobachtung beendet.');
      // spm's own output and cache never started a run: one header per saved change
      expect(count(stderr, / geändert: /g)).toBe(3);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses --watch with --json (one summary per run is for people, not for scripts)', async () => {
    const dir = buildProject({ files: { 'daten/data.csv': SOURCE_CSV } });
    const r = await runCli(['compute', dir, '--watch', '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--watch und --json zusammen');
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
