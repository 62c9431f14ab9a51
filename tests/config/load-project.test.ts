import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject, projectFromConfig } from '../../src/config/load-project.js';
import { parseYaml } from '../../src/config/yaml-source.js';
import { UserError, formatIssue } from '../../src/util/issues.js';
import { jsonSchema } from '../../src/config/json-schema.js';
import { parse } from 'yaml';
import type { ProjectFileInput } from '../../src/config/schema.js';
import { tempDir } from '../tmp-dirs.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');

function tmpProject(files: Record<string, string>): string {
  const dir = tempDir('spm-cfg-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
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

describe('loadProject', () => {
  it('loads the mini project with its indicators', () => {
    const { project } = loadProject(mini);
    expect(project.config.kreis.ags).toBe('05558');
    expect(project.indicators.map((i) => i.def.id)).toEqual(['hze_eckwert', 'seu_uebergewicht', 'sgb2_u15']);
    expect(project.indicators[0]?.file).toBe('indicators/hze_eckwert.yaml');
    expect(project.config.sources[1]?.read.encoding).toBe('windows-1252');
    expect(project.config.sources[0]?.read.encoding).toBe('auto');
  });

  it('names file, line and YAML path of a wrong type (AGS as number)', () => {
    const dir = tmpProject({
      'spm.yaml': 'name: X\nkreis:\n  ags: 5558\n  name: K\nareas: { file: a.csv }\nsources: []\n',
    });
    const errs = errorsOf(() => loadProject(dir));
    expect(errs).toContainEqual(
      expect.stringMatching(/^Fehler: spm\.yaml:3, kreis\.ags: .*erwartet string.*Anführungszeichen/),
    );
    expect(errs.some((e) => e.includes('sources'))).toBe(true);
  });

  it('reports unknown keys with their line', () => {
    const dir = tmpProject({
      'spm.yaml':
        'name: X\nkreis: { ags: "05558", name: K }\nareas: { file: a.csv }\nsources:\n  - id: a\n    titel: T\n',
    });
    const errs = errorsOf(() => loadProject(dir));
    expect(errs).toContainEqual(
      expect.stringMatching(/spm\.yaml:6, sources\[0\]\.titel: Unbekannter Schlüssel: "titel"/),
    );
  });

  it('a key left empty or out is said so ("ist leer", "fehlt"), not as zod\'s "erwartet Array, erhalten null"', () => {
    const dir = tmpProject({
      'spm.yaml': 'name: X\nkreis: { ags: "05558", name: K }\nareas: { file: a.csv }\nsources:\nindicators: []\n',
    });
    const errs = errorsOf(() => loadProject(dir));
    expect(errs).toContainEqual(
      'Fehler: spm.yaml:4, sources: ist leer (erwartet: eine Liste (Einträge mit „- “); nach dem Doppelpunkt steht nichts)',
    );
    const noName = tmpProject({
      'spm.yaml': 'kreis: { ags: "05558", name: K }\nareas: { file: a.csv }\nsources: []\n',
    });
    expect(errorsOf(() => loadProject(noName)).join('\n')).toMatch(/name: fehlt \(erwartet: ein Text\)/);
  });

  it('reports YAML syntax errors with a line', () => {
    const dir = tmpProject({ 'spm.yaml': 'name: X\nkreis: [\n' });
    const errs = errorsOf(() => loadProject(dir));
    expect(errs[0]).toMatch(/^Fehler: spm\.yaml:\d+: YAML-Syntaxfehler/);
  });

  it('says where spm.yaml is missing', () => {
    const errs = errorsOf(() => loadProject(path.join(os.tmpdir(), 'does-not-exist-spm')));
    expect(errs[0]).toMatch(/Keine Projektdatei gefunden/);
  });

  it('names the indicator file and the unknown column of a filter', () => {
    const base = fs.readFileSync(path.join(mini, 'spm.yaml'), 'utf8');
    const dir = tmpProject({
      'spm.yaml': base,
      'indicators/bad.yaml': fs
        .readFileSync(path.join(mini, 'indicators', 'seu_uebergewicht.yaml'), 'utf8')
        .replace('bmi_perzentil > 90', 'bmi_perzentill > 90'),
    });
    const errs = errorsOf(() => loadProject(dir));
    expect(errs.join('\n')).toMatch(/indicators\/bad\.yaml:9, Spalte "bmi_perzentill", numerator\.filter/);
  });

  it('refuses an indicator folder outside the project', () => {
    const base = fs
      .readFileSync(path.join(mini, 'spm.yaml'), 'utf8')
      .replace('indicators: [indicators]', 'indicators: [../elsewhere]');
    const dir = tmpProject({ 'spm.yaml': base });
    expect(errorsOf(() => loadProject(dir)).join('\n')).toMatch(/aus dem Projektordner heraus/);
  });

  it('requires a schuljahr_rule for Schuljahr periods', () => {
    const base = fs.readFileSync(path.join(mini, 'spm.yaml'), 'utf8').replace('schuljahr_rule: end_year', 'x_rule: 1');
    const dir = tmpProject({ 'spm.yaml': base });
    const errs = errorsOf(() => loadProject(dir)).join('\n');
    expect(errs).toMatch(/schuljahr_rule/);
  });

  it('builds a project from an in-memory config', () => {
    const config = parse(fs.readFileSync(path.join(mini, 'spm.yaml'), 'utf8')) as ProjectFileInput;
    const { project } = projectFromConfig({ ...config, name: 'Im Speicher' }, mini);
    expect(project.root).toBe(mini);
    expect(project.config.name).toBe('Im Speicher');
    expect(project.indicators).toHaveLength(3);
  });
});

describe('jsonSchema', () => {
  it('describes spm.yaml and indicator files', () => {
    const p = jsonSchema('project') as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(p.properties)).toEqual(
      expect.arrayContaining(['name', 'kreis', 'areas', 'sources', 'indicators', 'output', 'settings']),
    );
    // kreis or areas.top (a kreisfreie Stadt, a Stadtstaat): neither is required alone
    expect(p.required).toEqual(expect.arrayContaining(['name', 'areas', 'sources']));
    const areas = JSON.stringify(p.properties.areas);
    for (const k of ['top', 'levels', 'id_column', 'groupings']) expect(areas).toContain(`"${k}"`);
    const i = JSON.stringify(jsonSchema('indicator'));
    expect(i).toContain('per_10000');
    expect(i).toContain('steckbrief');
  });
});

describe('declared area hierarchy in spm.yaml', () => {
  const yaml = (areas: string, level: string): string =>
    [
      'name: Stadt',
      'indicators: []',
      areas,
      'sources:',
      '  - id: s',
      '    title: S',
      '    files: s.csv',
      '    kind: aggregated',
      `    area: { column: gebiet, level: ${level} }`,
      '    period: { column: jahr, kind: kalenderjahr }',
      '    stichtag: "31.12."',
      '    owner: Amt',
    ].join('\n');
  const stadt = [
    'areas:',
    '  file: gebiete.csv',
    '  top: { level: stadt, id: "09162000", name: München }',
    '  levels:',
    '    - { name: stadtbezirk, id_column: bezirk_nr }',
  ].join('\n');

  it('names the YAML path and line of a source level the hierarchy does not declare', () => {
    const dir = tmpProject({ 'spm.yaml': yaml(stadt, 'sozialraum') });
    const errors = errorsOf(() => loadProject(dir));
    expect(errors.join('\n')).toMatch(
      /spm\.yaml:13.*sources\[0\]\.area\.level.*"sozialraum" ist nicht deklariert \(Ebenen unter München: stadtbezirk\)/,
    );
  });

  it('accepts a declared level and sets kreis to the top area', () => {
    const { project } = loadProject(tmpProject({ 'spm.yaml': yaml(stadt, 'stadtbezirk') }));
    expect(project.config.kreis).toEqual({ ags: '09162000', name: 'München' });
  });

  it('wants kreis or areas.top, not both and not neither', () => {
    const neither = errorsOf(() =>
      loadProject(tmpProject({ 'spm.yaml': yaml('areas: { file: gebiete.csv }', 'kommune') })),
    );
    expect(neither.join('\n')).toContain('kreis (ags, name) oder areas.top');
    const both = errorsOf(() =>
      loadProject(tmpProject({ 'spm.yaml': 'kreis: { ags: "09162", name: M }\n' + yaml(stadt, 'stadtbezirk') })),
    );
    expect(both.join('\n')).toContain('entweder kreis oder areas.top');
  });
});

describe('YAML syntax errors: German, at the line to look at', () => {
  const first = (text: string) => parseYaml(text, 'spm.yaml').issues[0]!;
  it('an unclosed quote or bracket is named where it opens, not where the file ends', () => {
    const quote = first('name: X\nkreis: { ags: "05558", name: K }\ntitel: "Monitoring\nareas: { file: a.csv }\n');
    expect(quote).toMatchObject({ code: 'yaml.syntax', line: 3 });
    expect(quote.message).toBe(
      'YAML-Syntaxfehler: das Anführungszeichen " wird nicht geschlossen (der Text läuft bis zum Dateiende weiter).',
    );
    const brace = first('name: X\nkreis: { ags: "05558", name: K\nareas: { file: a.csv }\n');
    expect(brace).toMatchObject({ line: 2 });
    expect(brace.message).toContain('die Klammer { wird nicht mit } geschlossen');
  });
  it('tabs, duplicate keys, indentation and a missing colon in German, the library text in brackets', () => {
    expect(first('a:\n\tb: 1\n')).toMatchObject({ line: 2, message: expect.stringContaining('nur Leerzeichen') });
    expect(first('a: 1\na: 2\n')).toMatchObject({ line: 2, message: expect.stringContaining('zweimal') });
    expect(first('a:\n  b: 1\n c: 2\n')).toMatchObject({
      line: 3,
      message: expect.stringContaining('derselben Spalte'),
    });
    expect(first('a: 1\nb c\nd: 2\n').message).toContain('fehlt der Doppelpunkt');
    expect(first('a: 1\na: 2\n').message).toContain('(Map keys must be unique)');
  });
});
