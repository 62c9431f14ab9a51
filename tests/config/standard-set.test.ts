import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFromConfig } from '../../src/config/load-project.js';
import { loadStandardSet } from '../../src/config/load-indicators.js';
import { CANONICAL_SCHEMAS, canonicalSchema, matchColumn } from '../../src/config/canonical/schemas.js';
import { indicatorNeeds } from '../../src/config/canonical/needs.js';
import { standardIndicators } from '../../src/run/indicators-run.js';
import { UserError, formatIssue } from '../../src/util/issues.js';
import type { ProjectFileInput, SourceInput } from '../../src/config/schema.js';
import { tempDir } from '../tmp-dirs.js';

const root = tempDir('spm-std-');

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    throw e;
  }
  throw new Error('expected a UserError');
}

const bev: SourceInput = {
  id: 'ewo',
  schema: 'bevoelkerung',
  title: 'Einwohner',
  files: 'ewo.csv',
  kind: 'aggregated',
  area: { column: 'SR', level: 'sozialraum' },
  period: { column: 'Jahr', kind: 'kalenderjahr' },
  columns: {
    bev_unter_15: { header: 'u15' },
    bev_unter_18: { header: 'u18' },
    bev_insgesamt: { header: 'gesamt' },
  },
  stichtag: '31.12.',
  owner: 'Meldeamt',
};
const jc: SourceInput = {
  id: 'jobcenter',
  schema: 'sgb2',
  title: 'SGB II',
  files: 'jc.csv',
  kind: 'aggregated',
  area: { column: 'SR', level: 'sozialraum' },
  period: { column: 'Jahr', kind: 'kalenderjahr' },
  columns: { nef_unter_15: { header: 'NEF u15' } },
  stichtag: 'Dezember',
  owner: 'Jobcenter',
};
const einschulung: SourceInput = {
  id: 'einschulung',
  schema: 'seu',
  title: 'SEU',
  files: 'seu.csv',
  kind: 'microdata',
  area: { column: 'SR', level: 'sozialraum' },
  period: { column: 'Schuljahr', kind: 'schuljahr', schuljahr_rule: 'end_year' },
  columns: { groesse_gewicht_gueltig: { header: 'Messung ok' }, bmi_perzentil: { header: 'BMI-Perz.' } },
  stichtag: 'Schuljahr',
  owner: 'Gesundheitsamt',
};

function config(
  indicators: ProjectFileInput['indicators'],
  sources: SourceInput[] = [bev, jc, einschulung],
): ProjectFileInput {
  return {
    name: 'Test',
    kreis: { ags: '09999', name: 'Testkreis' },
    areas: { file: 'gebiete.csv' },
    sources,
    indicators,
  };
}

describe('canonical schemas and the bundled set', () => {
  const bundled = loadStandardSet();

  it('every standard indicator names a canonical schema and only its columns, with fitting types', () => {
    expect(bundled.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(bundled.indicators.length).toBe(25);
    for (const ind of bundled.indicators) {
      for (const need of indicatorNeeds(ind.def)) {
        const schema = canonicalSchema(need.schema);
        expect(schema, `${ind.def.id}: Schema ${need.schema}`).toBeDefined();
        for (const c of need.columns)
          expect(
            schema?.columns.map((x) => x.name),
            `${ind.def.id}: ${c}`,
          ).toContain(c);
        const m = ind.def[need.role];
        if (m.measure === 'sum')
          expect(['count', 'number', 'integer']).toContain(schema?.columns.find((x) => x.name === m.column)?.type);
        else expect(schema?.kind).toBe('microdata');
      }
    }
  });

  it('indicators/SCHEMAS.md documents every schema and column', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../indicators/SCHEMAS.md'), 'utf8');
    for (const s of CANONICAL_SCHEMAS) {
      expect(doc).toContain(`## \`${s.id}\``);
      for (const c of s.columns) expect(doc).toContain(`| \`${c.name}\` | ${c.type} |`);
    }
  });

  it('matches header spellings regardless of case, umlauts and punctuation', () => {
    const seu = canonicalSchema('seu')!;
    expect(matchColumn(seu, 'BMI-Perzentil')?.name).toBe('bmi_perzentil');
    expect(matchColumn(seu, 'Körperkoordination auffällig')?.name).toBe('koerperkoordination_befund');
    expect(matchColumn(seu, 'Lieblingsfarbe')).toBeUndefined();
  });
});

describe('the standard set in a project', () => {
  it('takes what the sources provide, resolves canonical schemas to the project ids, and notes the rest', () => {
    const { project, issues } = projectFromConfig(config([{ use: 'spm:standard' }]), root);
    const ids = project.indicators.map((i) => i.def.id).sort();
    expect(ids).toEqual([
      'anteil_unter_18',
      'seu_adipositas',
      'seu_uebergewicht_inkl_adipositas',
      'seu_uebergewicht_ohne_adipositas',
      'sgb2_quote_unter_15',
    ]);
    const sgb2 = project.indicators.find((i) => i.def.id === 'sgb2_quote_unter_15')!.def;
    expect([sgb2.numerator.source, sgb2.denominator.source]).toEqual(['jobcenter', 'ewo']);
    // the Steckbrief names this project's data owners, not the sample's
    expect(sgb2.steckbrief.data_owner).toBe('Zähler: Jobcenter; Nenner: Meldeamt');
    // the schema's type was filled in: bmi_perzentil is a number, the flag a boolean
    const src = project.config.sources.find((s) => s.id === 'einschulung')!;
    expect(src.columns.bmi_perzentil?.type).toBe('number');
    expect(src.columns.groesse_gewicht_gueltig?.type).toBe('boolean');
    const note = issues.find((i) => i.code === 'config.standard_skipped');
    expect(note?.message).toContain('20 Indikatoren nicht gewählt');
    expect(note?.message).toContain('hze_eckwert');
  });

  it('a project whose sources give none of the set is warned, not told "keine Fehler" with 0 indicators', () => {
    // a source without schema: (an official export loaded by hand) provides no canonical column
    const { schema: _schema, ...plain } = bev;
    const { project, issues } = projectFromConfig(config([{ use: 'spm:standard' }], [plain]), root);
    expect(project.indicators).toEqual([]);
    const note = issues.find((i) => i.code === 'config.standard_skipped');
    expect(note?.severity).toBe('warning');
    expect(note?.message).toContain('keine Kennzahl berechenbar, allen 25 Indikatoren fehlen Quellen oder Spalten');
  });

  it('include/exclude by family or id, and overrides a single definition', () => {
    const { project } = projectFromConfig(
      config([
        {
          use: 'spm:standard',
          include: ['gesundheit_seu', 'sgb2_quote_unter_15'],
          exclude: ['seu_adipositas'],
          overrides: {
            seu_uebergewicht_inkl_adipositas: {
              min_denominator: 30,
              numerator: { filter: 'groesse_gewicht_gueltig = true and bmi_perzentil >= 90' },
            },
          },
        },
      ]),
      root,
    );
    expect(project.indicators.map((i) => i.def.id).sort()).toEqual([
      'seu_uebergewicht_inkl_adipositas',
      'seu_uebergewicht_ohne_adipositas',
      'sgb2_quote_unter_15',
    ]);
    const ov = project.indicators.find((i) => i.def.id === 'seu_uebergewicht_inkl_adipositas')!;
    expect(ov.def.min_denominator).toBe(30);
    expect(ov.def.numerator).toEqual({
      source: 'einschulung',
      measure: 'count',
      filter: 'groesse_gewicht_gueltig = true and bmi_perzentil >= 90',
    });
    expect(ov.file).toContain('overrides');
  });

  it('refuses an included indicator the project cannot provide, naming what is missing', () => {
    const errs = errorsOf(() =>
      projectFromConfig(
        config([{ use: 'spm:standard', include: ['hze_eckwert', 'seu_sprachfoerderbedarf', 'gibtsnicht'] }]),
        root,
      ),
    );
    expect(errs.join('\n')).toContain('hze_eckwert braucht keine Quelle mit schema: hze');
    expect(errs.join('\n')).toContain(
      'seu_sprachfoerderbedarf braucht Quelle "einschulung" ohne Spalte sprache_getestet, sprache_befund',
    );
    expect(errs.join('\n')).toContain('"gibtsnicht" ist weder eine Familie');
  });

  it('refuses a canonical column declared with a contradicting type, and an unknown schema', () => {
    const bad: SourceInput = {
      ...einschulung,
      schema: ['seu', 'sue'],
      columns: { bmi_perzentil: { header: 'BMI', type: 'boolean' } },
    };
    const errs = errorsOf(() => projectFromConfig(config([], [bad]), root));
    expect(errs.join('\n')).toContain('Spalte "bmi_perzentil" hat im Quellschema den Typ number, nicht boolean');
    expect(errs.join('\n')).toContain('Quellschema "sue" gibt es nicht');
  });

  it('spm indicators lists needs, provision and selection for a project folder', () => {
    const dir = tempDir('spm-std-dir-');
    fs.writeFileSync(
      path.join(dir, 'spm.yaml'),
      JSON.stringify(config([{ use: 'spm:standard', exclude: ['soziale_lage'] }])),
    );
    const r = standardIndicators(dir);
    const sgb2 = r.indicators.find((i) => i.id === 'sgb2_quote_unter_15')!;
    expect(sgb2).toMatchObject({ provided: true, selected: false });
    expect(sgb2.needs[0]).toEqual({
      role: 'numerator',
      schema: 'sgb2',
      columns: ['nef_unter_15'],
      source: 'jobcenter',
    });
    const hze = r.indicators.find((i) => i.id === 'hze_eckwert')!;
    expect(hze).toMatchObject({
      provided: false,
      selected: false,
      missing: 'keine Quelle mit schema: hze; Quelle "ewo" ohne Spalte bev_unter_21',
    });
    expect(r.indicators.find((i) => i.id === 'seu_adipositas')).toMatchObject({ provided: true, selected: true });
    // without a project: the needs only
    expect(standardIndicators().indicators.find((i) => i.id === 'u8_nichtteilnahme')?.needs[0]?.schema).toBe(
      'u_untersuchungen',
    );
  });
});
