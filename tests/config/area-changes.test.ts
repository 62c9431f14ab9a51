/**
 * `spm validate` checks `areas.changes`: shape, weights summing to 1, cycles (config
 * stage), and against the area list unknown codes and validity years (ingest stage);
 * every message names spm.yaml, its line and the YAML path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRun } from '../../src/index.js';
import { printValidate } from '../../cli/print.js';
import { checkAreaChanges } from '../../src/config/area-changes.js';
import { AreasSchema } from '../../src/config/schema.js';
import { jsonSchema } from '../../src/config/json-schema.js';
import { UserError } from '../../src/util/issues.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The mini project with `changes` (YAML lines) under `areas:` and an edited area list. */
function variant(changes: string[], editAreas?: (csv: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-changes-'));
  dirs.push(dir);
  fs.cpSync(mini, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
  const y = path.join(dir, 'spm.yaml');
  fs.writeFileSync(
    y,
    fs
      .readFileSync(y, 'utf8')
      .replace('  file: gebiete.csv\n', `  file: gebiete.csv\n  changes:\n${changes.join('\n')}\n`),
  );
  if (editAreas) {
    const g = path.join(dir, 'gebiete.csv');
    fs.writeFileSync(g, editAreas(fs.readFileSync(g, 'utf8')));
  }
  return dir;
}

/** What validate prints, or the user error it stops with (as the CLI prints it). */
async function printed(dir: string): Promise<string> {
  try {
    const r = await validateRun(dir);
    const lines: string[] = [];
    printValidate(r, (s) => lines.push(s));
    return lines.join('\n');
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}

/** Line number (1-based) of the first line of spm.yaml containing `text`. */
function lineOf(dir: string, text: string): number {
  return (
    fs
      .readFileSync(path.join(dir, 'spm.yaml'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

describe('spm validate checks areas.changes', () => {
  it('weights not summing to 1 and a cycle: spm.yaml, line and YAML path', async () => {
    const dir = variant([
      '    - { kind: split, year: 2022, from: "05558004-01", to: [A, B], weights: { A: 0.5, B: 0.6 } }',
      '    - { kind: rename, year: 2022, from: X, to: Y }',
      '    - { kind: rename, year: 2022, from: Y, to: X }',
    ]);
    const text = await printed(dir);
    expect(text).toMatch(
      new RegExp(
        `spm\\.yaml:${lineOf(dir, 'weights: { A')}.*areas\\.changes\\[0\\]\\.weights.*Gewichte ergeben zusammen 1,1, erwartet 1`,
      ),
    );
    expect(text).toMatch(/spm\.yaml:\d+, areas\.changes\[1\]\.year: Gebiet "X" entsteht erst 2022.*Zyklus/);
  }, 60_000);

  it('unknown codes and validity years against the area list', async () => {
    const dir = variant(
      [
        '    - { kind: split, year: 2022, from: "05558004-01", to: ["05558004-01a", "05558004-01b"] }',
        '    - { kind: rename, year: 2020, from: "05558004-02", to: "05558004-99" }',
      ],
      (csv) =>
        csv
          .replace('05558004-01;Nord;05558004;Ascheberg;;', '05558004-01;Nord;05558004;Ascheberg;;2020')
          .replace(
            /\n?$/,
            '\n05558004-01a;Nord-West;05558004;Ascheberg;2022;\n05558004-01b;Nord-Ost;05558004;Ascheberg;2021;\n',
          ),
    );
    const text = await printed(dir);
    expect(text).toMatch(/areas\.changes\[1\]\.to.*Gebiet "05558004-99" steht nicht in der Gebietsliste gebiete\.csv/);
    expect(text).toMatch(
      /spm\.yaml:\d+.*areas\.changes\[0\]\.year.*"05558004-01" endet mit der Änderung 2022.*bis 2020 gültig; erwartet gueltig_bis 2021/,
    );
    expect(text).toContain('"05558004-01b" entsteht mit der Änderung 2022, ist laut gebiete.csv aber ab 2021 gültig');
  }, 60_000);
});

describe('checkAreaChanges', () => {
  const check = (changes: unknown[]) =>
    checkAreaChanges({ areas: AreasSchema.parse({ file: 'g.csv', changes }) }).map((i) => `${i.path}: ${i.message}`);
  it('accepts a consistent chain and a code that continues after a split', () => {
    expect(
      check([
        { kind: 'split', year: 2020, from: 'A', to: ['A', 'B'], weights: { A: 0.7, B: 0.3 } },
        { kind: 'split', year: 2022, from: 'A', to: ['A', 'C'] },
        { kind: 'merge', year: 2024, from: ['B', 'C'], to: 'D' },
      ]),
    ).toEqual([]);
  });
  it('refuses wrong shapes, weights on a merge, a code ending twice, a chain going back in time', () => {
    const out = check([
      { kind: 'merge', year: 2020, from: 'A', to: 'B', weights: { B: 1 } },
      { kind: 'split', year: 2020, from: 'C', to: ['D', 'E'], weights: { D: 0.5, F: 0.5 } },
      { kind: 'rename', year: 2021, from: 'C', to: 'G' },
      { kind: 'rename', year: 2019, from: 'D', to: 'H' },
    ]);
    expect(out).toContain(
      'areas.changes[0].from: Zusammenlegung 2020: mindestens zwei alte Schlüssel erwartet (sonst kind: rename)',
    );
    expect(out).toContain('areas.changes[0].weights: Zusammenlegung 2020: Gewichte gibt es nur bei kind: split');
    expect(out).toContain('areas.changes[1].weights: Teilung 2020: Gewicht für "F", das nicht unter to steht');
    expect(out).toContain('areas.changes[1].weights: Teilung 2020: Gewicht fehlt für "E"');
    expect(out.some((x) => x.startsWith('areas.changes[2].from: Gebiet "C" endet schon'))).toBe(true);
    expect(out.some((x) => x.startsWith('areas.changes[3].year: Gebiet "D" entsteht erst 2020'))).toBe(true);
  });
  it('is in the JSON Schema for editors', () => {
    const s = JSON.stringify(jsonSchema('project'));
    expect(s).toContain('Gebietsänderungen');
    expect(s).toContain('"split"');
  });
});
