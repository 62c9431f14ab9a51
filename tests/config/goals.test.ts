/**
 * Goals in spm.yaml or ziele.yaml: zod errors in German with file, line and YAML path,
 * the rules against the indicators (unknown, range, polarity), the area check at load
 * (`spm validate`), and the evaluation on the mini project through `Spm.goals()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import { UserError, formatIssue } from '../../src/util/issues.js';
import { validateRun } from '../../src/run/validate-run.js';
import { Spm } from '../../src/api/session.js';
import { jsonSchema } from '../../src/config/json-schema.js';
import { computeRun } from '../../src/run/compute-run.js';
import { printCompute } from '../../cli/print.js';
import type { IndicatorInput } from '../../src/config/schema.js';
import { tempDir } from '../tmp-dirs.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
const miniYaml = fs.readFileSync(path.join(mini, 'spm.yaml'), 'utf8');

/** A copy of the mini project with extra text appended to spm.yaml and extra files. */
function project(extraYaml: string, files: Record<string, string> = {}): string {
  const dir = tempDir('spm-ziele-');
  fs.cpSync(mini, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'spm.yaml'), miniYaml + extraYaml);
  for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
  return dir;
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e.issues.map(formatIssue);
    throw e;
  }
  throw new Error('expected a UserError');
}

const line = (dir: string, file: string, text: string) =>
  fs
    .readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

const GOAL = `  - id: z1
    titel: "SGB-II-Quote in Ascheberg senken"
    gebiet: "05558004"
    kennzahl: sgb2_u15
    zielwert: 3
    startjahr: 2022
    zieljahr: 2025
`;

describe('goals in spm.yaml', () => {
  it('loads goals written inline', () => {
    const { project: p } = loadProject(project(`ziele:\n${GOAL}`));
    expect(p.goals?.map((g) => [g.def.id, g.file, g.index])).toEqual([['z1', 'spm.yaml', 0]]);
  });

  it('zod errors name spm.yaml, the line and the YAML path, in German', () => {
    const dir = project(
      `ziele:\n${GOAL.replace('zieljahr: 2025', 'zieljahr: 2021').replace('zielwert: 3', 'zielwer: 3')}`,
    );
    const errs = errorsOf(() => loadProject(dir));
    expect(errs).toContainEqual(
      `Fehler: spm.yaml:${line(dir, 'spm.yaml', 'zielwer:')}, ziele[0].zielwer: Unbekannter Schlüssel: "zielwer" (Tippfehler? \`spm schema\` zeigt die erlaubten Felder)`,
    );
  });

  it.each([
    [
      'zieljahr before startjahr',
      GOAL.replace('zieljahr: 2025', 'zieljahr: 2022'),
      'ziele[0].zieljahr',
      /zieljahr \(2022\) muss nach dem startjahr \(2022\) liegen/,
    ],
    [
      'neither zielwert nor richtung',
      GOAL.replace('    zielwert: 3\n', ''),
      'ziele[0].zielwert',
      /zielwert \(z\. B\. 5\) oder richtung/,
    ],
    [
      'gebiet and gebiete',
      GOAL + '    gebiete: ["05558004-01"]\n',
      'ziele[0].gebiet',
      /genau eines angeben: gebiet .* oder gebiete/,
    ],
    [
      'milestone outside the years',
      GOAL + '    meilensteine: [{ jahr: 2026, wert: 4 }]\n',
      'ziele[0].meilensteine[0].jahr',
      /Meilenstein 2026 muss zwischen startjahr \(2022\) und zieljahr \(2025\) liegen/,
    ],
    ['unknown direction', GOAL + '    richtung: fallen\n', 'ziele[0].richtung', /sinken|steigen/],
  ])('%s', (_name, goal, yamlPath, message) => {
    const errs = errorsOf(() => loadProject(project(`ziele:\n${goal}`)));
    const err = errs.find((e) => e.includes(`, ${yamlPath}: `));
    expect(err, errs.join('\n')).toMatch(/^Fehler: spm\.yaml:\d+, /);
    expect(err).toMatch(message);
  });
});

describe('goals in ziele.yaml', () => {
  it('an unknown indicator and a Zielwert above 100 % name ziele.yaml, the line and the path', () => {
    const goals = `ziele:\n${GOAL.replace('kennzahl: sgb2_u15', 'kennzahl: sgb2_u16')}${GOAL.replace('id: z1', 'id: z2').replace('zielwert: 3', 'zielwert: 120')}`;
    const dir = project('ziele: ziele.yaml\n', { 'ziele.yaml': goals });
    const errs = errorsOf(() => loadProject(dir));
    expect(errs).toContainEqual(
      `Fehler: ziele.yaml:${line(dir, 'ziele.yaml', 'sgb2_u16')}, ziele[0].kennzahl: Kennzahl "sgb2_u16" ist nicht definiert (vorhanden: hze_eckwert, seu_uebergewicht, sgb2_u15)`,
    );
    expect(errs).toContainEqual(
      `Fehler: ziele.yaml:${line(dir, 'ziele.yaml', 'zielwert: 120')}, ziele[1].zielwert: Zielwert 120 liegt außerhalb des Wertebereichs der Kennzahl "sgb2_u15" (%: zwischen 0 und 100)`,
    );
  });

  it('a negative rate, a milestone outside the range and a duplicate id', () => {
    const g = GOAL.replace('kennzahl: sgb2_u15', 'kennzahl: hze_eckwert').replace('zielwert: 3', 'zielwert: -1');
    const dir = project('ziele: ziele.yaml\n', {
      'ziele.yaml': `ziele:\n${g}${GOAL}    meilensteine: [{ jahr: 2023, wert: 101 }]\n`,
    });
    const errs = errorsOf(() => loadProject(dir)).join('\n');
    expect(errs).toMatch(/ziele\[0\]\.zielwert: Zielwert -1 liegt außerhalb .* \(je 10\.000: mindestens 0\)/);
    expect(errs).toMatch(/ziele\[1\]\.id: Ziel-id "z1" ist doppelt/);
    expect(errs).toMatch(/ziele\[1\]\.meilensteine\[0\]: Meilenstein 2023: Wert 101 liegt außerhalb/);
  });

  it('zod errors of the goals file name it', () => {
    const dir = project('ziele: ziele.yaml\n', {
      'ziele.yaml': `ziele:\n${GOAL.replace('startjahr: 2022', 'startjahr: "2022"')}`,
    });
    expect(errorsOf(() => loadProject(dir)).join('\n')).toMatch(/^Fehler: ziele\.yaml:\d+, ziele\[0\]\.startjahr: /m);
  });

  it('a missing goals file is named', () => {
    const errs = errorsOf(() => loadProject(project('ziele: fehlt.yaml\n')));
    expect(errs[0]).toMatch(/^Fehler: spm\.yaml:\d+, ziele: Zieldatei fehlt\.yaml nicht gefunden/);
  });

  it('a goals file outside the project is refused', () => {
    expect(errorsOf(() => loadProject(project('ziele: ../ziele.yaml\n')))[0]).toMatch(/aus dem Projektordner heraus/);
  });

  it('richtung against the polarity is a warning; a context indicator needs a richtung', () => {
    const warn = loadProject(project(`ziele:\n${GOAL}    richtung: steigen\n`));
    expect(warn.issues.map(formatIssue)).toContainEqual(
      expect.stringMatching(
        /^Warnung: spm\.yaml:\d+, ziele\[0\]\.richtung: richtung: steigen bei "sgb2_u15", wo ein höherer Wert als ungünstiger gilt/,
      ),
    );
    const neutral = parse(fs.readFileSync(path.join(mini, 'indicators', 'sgb2_u15.yaml'), 'utf8')) as IndicatorInput;
    const dir = project(`ziele:\n${GOAL.replace('sgb2_u15', 'kontext')}`);
    const errs = errorsOf(() => loadProject(dir, { indicators: [{ ...neutral, id: 'kontext', polarity: 'neutral' }] }));
    expect(errs.join('\n')).toMatch(
      /ziele\[0\]\.zielwert: "kontext" ist eine Kontextkennzahl ohne Polarität: richtung/,
    );
  });

  it('the JSON Schema of ziele.yaml is generated from the zod schema', () => {
    const s = JSON.stringify(jsonSchema('goals'));
    for (const k of ['zielwert', 'richtung', 'meilensteine', 'verantwortlich', 'handlungsfeld']) expect(s).toContain(k);
    expect(JSON.stringify(jsonSchema('project'))).toContain('"ziele"');
  });
});

describe('goals against the area list and the data', () => {
  it('spm validate names an unknown area and an undeclared ebene with file and line', async () => {
    const goals = `ziele:\n${GOAL.replace('"05558004"', '"05558099"')}${GOAL.replace('id: z1', 'id: z2')}    ebene: jugendamt\n${GOAL.replace('id: z1', 'id: z3').replace('gebiet: "05558004"', 'gebiete: ["05558004-01", "05558004-09"]')}`;
    const dir = project('ziele: ziele.yaml\n', { 'ziele.yaml': goals });
    const r = await validateRun(dir);
    expect(r.ok).toBe(false);
    const errs = r.issues.filter((i) => i.code.startsWith('goals.')).map(formatIssue);
    expect(errs).toEqual([
      `Fehler: ziele.yaml:${line(dir, 'ziele.yaml', '05558099')}, ziele[0].gebiet: Gebiet "05558099" steht nicht in der Gebietsliste (Schlüssel als Text, z. B. "05558016")`,
      `Fehler: ziele.yaml:${line(dir, 'ziele.yaml', 'jugendamt')}, ziele[1].ebene: Ebene "jugendamt" ist nicht deklariert (vorhanden: kreis, kommune, sozialraum)`,
      `Fehler: ziele.yaml:${line(dir, 'ziele.yaml', '05558004-09')}, ziele[2].gebiete[1]: Gebiet "05558004-09" steht nicht in der Gebietsliste (Schlüssel als Text, z. B. "05558016")`,
    ]);
  });

  it('Spm.goals() evaluates on the published rows of the mini project', async () => {
    const dir = project(
      `ziele:\n${GOAL}${GOAL.replace('id: z1', 'id: z2').replace('gebiet: "05558004"', 'gebiet: "05558"').replace('startjahr: 2022', 'startjahr: 2023')}`,
    );
    await using spm = await Spm.open(dir);
    await spm.compute();
    const [g1, g2] = await spm.goals();
    const rows = await spm.results({ indicators: ['sgb2_u15'], areas: ['05558004'], poolYears: [1] });
    const at = (y: number) => rows.find((r) => r.year === y)!;
    expect(g1).toMatchObject({ goal_id: 'z1', area_name: 'Ascheberg', level: 'kommune', current_year: 2023 });
    expect(g1!.start_value).toBe(at(2022).value);
    expect(g1!.current_value).toBe(at(2023).value);
    expect(g1!.ci_low).toBe(at(2023).ci_low);
    // path 2023 = start + (3 − start) · 1/3
    expect(g1!.path_value).toBeCloseTo(at(2022).value! + ((3 - at(2022).value!) * 1) / 3, 12);
    expect(g2).toMatchObject({ goal_id: 'z2', level: 'kreis', verdict: 'nicht_beurteilbar' });
    expect(g2!.reason).toMatch(/Noch kein Jahr nach dem Startjahr 2023/);
  });

  it('spm compute counts the goals by verdict and names the table', async () => {
    const dir = project(
      `ziele:\n${GOAL}${GOAL.replace('id: z1', 'id: z2').replace('startjahr: 2022', 'startjahr: 2023')}`,
    );
    const r = await computeRun(dir, { out: path.join(dir, 'out'), charts: [] });
    expect(r.outputs.map((o) => o.file)).toContain('vergleich/ziele.csv');
    expect(r.goals?.nicht_beurteilbar).toBe(1);
    expect(Object.values(r.goals ?? {}).reduce((a, b) => a + (b ?? 0), 0)).toBe(2);
    const lines: string[] = [];
    printCompute(r, (l) => lines.push(l));
    expect(lines).toContainEqual(
      expect.stringMatching(/^Ziele: 2 – .*1 nicht beurteilbar \(vergleich\/ziele\.csv\)\.$/),
    );
  });
});
