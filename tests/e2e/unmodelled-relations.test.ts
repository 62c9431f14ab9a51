/**
 * Relations the protection cannot take, end to end. A filter it cannot read beside counts of the same columns: an own indicator
 * "U7a oder U8 nicht wahrgenommen" (`u7a = false or u8 = false`) in the sample beside the standard
 * set's U7a and U8. Its count is at least each of theirs and at most both together, which anyone who
 * reads the filters knows and spm's relations cannot say; `spm validate` and `spm compute` name the
 * condition and the indicators and stop (exit 1, no stack trace, nothing written), until the planner
 * confirms with `settings.suppression.beziehungen_geprueft: true`. And an equation of the data that is
 * no total = Σ parts (Jungen + Mädchen = Deutsche + Nichtdeutsche, with no total column published).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLongProject } from '../privacy/lp-attack-project.js';

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
      expect(all).toContain('beziehungen_geprueft: true');
      expect(all).not.toContain('Interner Fehler');
      expect(all).not.toMatch(/^\s+at /m);
    }
    expect(fs.existsSync(path.join(project, 'out', 'kennzahlen.csv'))).toBe(false);

    // confirmed by the planner: validate passes (compute would publish)
    fs.writeFileSync(
      yaml,
      fs.readFileSync(yaml, 'utf8').replace(/^settings:$/m, 'settings:\n  suppression: { beziehungen_geprueft: true }'),
    );
    const ok = spm(['validate', project]);
    expect(ok.stdout + ok.stderr).not.toContain('u7a = false or u8 = false');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  }, 300_000);
});

describe('an equation of the data that is no total = Σ parts', () => {
  it('stops compute naming the equation, until the planner confirms; a total = Σ parts is taken and said', () => {
    const root = path.join(tmp, 'kreuz');
    fs.mkdirSync(root);
    // Hilfen by Geschlecht and by Staatsangehörigkeit as columns of one file, without the total
    writeLongProject(
      root,
      'merkmal',
      (i, y) => {
        const [m, w, d] = [2 + ((i * 7 + y) % 9), 1 + ((i * 5 + y * 3) % 8), 1 + ((i + y) % 5)];
        return [
          ['m', m],
          ['w', w],
          ['d', d],
          ['nd', m + w - d],
        ];
      },
      [
        ['jungen', 'Jungen', 'm'],
        ['maedchen', 'Mädchen', 'w'],
        ['deutsche', 'Deutsche', 'd'],
        ['nichtdeutsche', 'Nichtdeutsche', 'nd'],
      ],
      'wide',
    );
    const r = spm(['compute', root, '--no-charts', '--quiet']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'In jeder vollständigen Zelle der Daten gilt hilfen.d + hilfen.nd = hilfen.m + hilfen.w',
    );
    expect(r.stderr).toContain('beziehungen_geprueft: true');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(root, 'out', 'kennzahlen.csv'))).toBe(false);
    // spm validate says it before: it computes up to the protection pass
    const v = spm(['validate', root]);
    expect(v.status, v.stdout + v.stderr).toBe(1);
    expect(v.stdout + v.stderr).toContain(
      'In jeder vollständigen Zelle der Daten gilt hilfen.d + hilfen.nd = hilfen.m + hilfen.w',
    );
    expect(v.stdout + v.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(root, 'out'))).toBe(false);

    const yaml = path.join(root, 'spm.yaml');
    const text = fs.readFileSync(yaml, 'utf8');
    fs.writeFileSync(
      yaml,
      text.replace('suppression: { min_count: 3 }', 'suppression: { min_count: 3, beziehungen_geprueft: true }'),
    );
    const okValidate = spm(['validate', root]);
    expect(okValidate.status, okValidate.stdout + okValidate.stderr).toBe(0);
    const ok = spm(['compute', root, '--no-charts']);
    expect(ok.status, ok.stderr).toBe(0);

    // with the total published, both equations are total = Σ parts: taken by the protection, and said
    fs.writeFileSync(yaml, text);
    const csv = path.join(root, 'hilfen.csv');
    const lines = fs.readFileSync(csv, 'utf8').split('\n');
    fs.writeFileSync(
      csv,
      lines
        .map((l, i) => {
          if (i === 0) return `${l};alle`;
          const f = l.split(';');
          return `${l};${Number(f[2]) + Number(f[3])}`;
        })
        .join('\n'),
    );
    fs.writeFileSync(
      yaml,
      text.replace(
        'nd: { header: nd, type: count } }',
        'nd: { header: nd, type: count }, alle: { header: alle, type: count } }',
      ),
    );
    fs.writeFileSync(
      path.join(root, 'indicators', 'alle.yaml'),
      fs
        .readFileSync(path.join(root, 'indicators', 'jungen.yaml'), 'utf8')
        .replace('id: jungen', 'id: alle')
        .replace('"Jungen', '"Alle')
        .replace('column: m', 'column: alle'),
    );
    const both = spm(['compute', root, '--no-charts']);
    expect(both.status, both.stderr).toBe(0);
    expect(both.stdout).toContain(
      'Hinweis: In jeder vollständigen Zelle der Daten gilt hilfen.alle = hilfen.d + hilfen.nd; hilfen.alle = hilfen.m + hilfen.w.',
    );
  }, 300_000);
});
