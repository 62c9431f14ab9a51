/**
 * Area structures end to end through the library: a Sozialraum split whose old
 * code still appears in later years (the sums above it must not be `ok`), a
 * kreisfreie Stadt with its real AGS (Kreis code + 000), a Stadt declared with
 * its own levels, and `compute({ years: [] })`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/index.js';
import type { IndicatorInput, ProjectFileInput } from '../../src/config/schema.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { UserError } from '../../src/util/issues.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-areas-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** SEU microdata source at `level`: one row per child, `befund` 1 = Sprachförderbedarf. */
const seuSource = (level: string): ProjectFileInput['sources'][number] => ({
  id: 'seu',
  title: 'Schuleingangsuntersuchung',
  files: 'seu.csv',
  kind: 'microdata',
  area: { column: 'gebiet', level },
  period: { column: 'jahr', kind: 'kalenderjahr' },
  columns: { befund: { header: 'befund', type: 'integer' } },
  stichtag: 'Untersuchung',
  owner: 'Gesundheitsamt',
});

const sprache: IndicatorInput = {
  id: 'sprache',
  title: 'Sprachförderbedarf',
  description: 'Anteil der Kinder mit Sprachförderbedarf',
  family: 'gesundheit_seu',
  lebensphase: '3-6',
  unit: 'percent',
  polarity: 'worse',
  numerator: { source: 'seu', measure: 'count', filter: 'befund = 1' },
  denominator: { source: 'seu', measure: 'count' },
  min_denominator: 1,
  steckbrief: {
    stichtag: 'Untersuchung',
    data_owner: 'Gesundheitsamt',
    numerator_source: 'SEU',
    denominator_source: 'SEU',
    definition: 'Test',
    suppression: 'keine',
  },
};

/** Microdata rows: `n` children in `area` and `year`, the first `k` with a finding. */
function children(area: string, year: number, n: number, k: number): string[] {
  return Array.from({ length: n }, (_, i) => `${area};${year};${i < k ? 1 : 0}`);
}

const settings = { min_denominator: 1, suppression: { min_count: 1 } };

async function compute(root: string, config: ProjectFileInput): Promise<KennzahlRow[]> {
  const spm = await Spm.open({ config, root }, { indicators: [sprache] });
  try {
    await spm.compute();
    return await spm.results({ indicators: ['sprache'] });
  } finally {
    await spm.close();
  }
}

const pick = (rows: KennzahlRow[], area: string, year: number): KennzahlRow => {
  const r = rows.find((x) => x.area_id === area && x.year === year && x.pool_years === 1);
  if (!r) throw new Error(`no row ${area} ${year}`);
  return r;
};

describe('a Sozialraum split (Dülmen: 03 until 2021, 03a and 03b from 2022)', () => {
  const areas = [
    'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis',
    '05558016-01;Mitte;05558016;Dülmen;;',
    '05558016-03;Süd (alt);05558016;Dülmen;;2021',
    '05558016-03a;Süd-West;05558016;Dülmen;2022;',
    '05558016-03b;Süd-Ost;05558016;Dülmen;2022;',
    '05558012-01;Innenstadt;05558012;Coesfeld;;',
  ].join('\n');
  const seu = [
    'gebiet;jahr;befund',
    ...children('05558016-01', 2021, 40, 10),
    ...children('05558016-03', 2021, 30, 9),
    ...children('05558012-01', 2021, 20, 2),
    ...children('05558016-01', 2022, 40, 11),
    ...children('05558016-03a', 2022, 20, 5),
    ...children('05558016-03b', 2022, 15, 4),
    // the old code delivered again in 2022: 12 children, 7 with a finding (rejected: area_not_valid)
    ...children('05558016-03', 2022, 12, 7),
    ...children('05558012-01', 2022, 20, 3),
    // 2023: one child with a code nobody knows but built on Coesfeld's AGS, one without any known prefix
    ...children('05558016-01', 2023, 40, 10),
    ...children('05558016-03a', 2023, 20, 5),
    ...children('05558016-03b', 2023, 15, 4),
    ...children('05558012-01', 2023, 20, 3),
    ...children('05558012-99', 2023, 1, 1),
    ...children('XX-7', 2023, 2, 0),
  ].join('\n');
  const config: ProjectFileInput = {
    name: 'Split',
    kreis: { ags: '05558', name: 'Kreis Coesfeld' },
    areas: { file: 'gebiete.csv' },
    sources: [seuSource('sozialraum')],
    indicators: [],
    settings,
  };

  it('never leaves the Kommune or the Kreis marked ok without the rejected children', async () => {
    const rows = await compute(folder({ 'gebiete.csv': areas, 'seu.csv': seu }), config);
    // 2021: complete, 19/70 in Dülmen
    expect(pick(rows, '05558016', 2021)).toMatchObject({ status: 'ok', numerator: 19, denominator: 70 });
    // 2022: the new Sozialräume are fine on their own ...
    expect(pick(rows, '05558016-03a', 2022)).toMatchObject({ status: 'ok', numerator: 5, denominator: 20 });
    // ... but Dülmen and the Kreis lack the 12 rows of the old code: not ok, no value, the count in the note
    for (const area of ['05558016', '05558']) {
      const r = pick(rows, area, 2022);
      expect(r.status).toBe('incomplete_input');
      expect(r.value).toBeNull();
      expect(r.numerator).toBeNull();
      expect(r.note).toContain('Summe unvollständig: 12 Eingangszeile(n) keinem gültigen Gebiet zuzuordnen');
      expect(r.note).toContain('keinem gültigen Gebiet zuzuordnen');
    }
    // Coesfeld is not touched by Dülmen's rows
    expect(pick(rows, '05558012', 2022)).toMatchObject({ status: 'ok', numerator: 3, denominator: 20 });
  });

  it('places unknown codes at the Kommune their code starts with, else at the Kreis', async () => {
    const rows = await compute(folder({ 'gebiete.csv': areas, 'seu.csv': seu }), config);
    const coesfeld = pick(rows, '05558012', 2023);
    expect(coesfeld.status).toBe('incomplete_input');
    expect(coesfeld.note).toContain('1 Eingangszeile(n) keinem');
    expect(pick(rows, '05558016', 2023)).toMatchObject({ status: 'ok', numerator: 19, denominator: 75 });
    const kreis = pick(rows, '05558', 2023);
    expect(kreis.status).toBe('incomplete_input');
    // 1 row under Coesfeld + 2 rows without any known area
    expect(kreis.note).toContain('3 Eingangszeile(n) keinem');
  });
});

describe('a kreisfreie Stadt with its real AGS', () => {
  // München: Kreis 09162, Gemeinde 09162000; Stadtbezirke below it
  const areas = [
    'sozialraum_id;sozialraum_name;kommune_ags;kommune_name',
    '01;Altstadt-Lehel;09162000;München',
    '02;Ludwigsvorstadt-Isarvorstadt;09162000;München',
    '03;Maxvorstadt;09162000;München',
  ].join('\n');
  const seu = [
    'gebiet;jahr;befund',
    ...children('01', 2023, 10, 2),
    ...children('02', 2023, 20, 5),
    ...children('03', 2023, 30, 6),
  ].join('\n');
  const config: ProjectFileInput = {
    name: 'München',
    kreis: { ags: '09162', name: 'München' },
    areas: { file: 'gebiete.csv' },
    sources: [seuSource('sozialraum')],
    indicators: [],
    settings,
  };

  it('loads every area row and computes all three levels', async () => {
    const root = folder({ 'gebiete.csv': areas, 'seu.csv': seu });
    await using spm = await Spm.open({ config, root }, { indicators: [sprache] });
    const loaded = await spm.load();
    expect(loaded.areas.accounting).toMatchObject({ rows_read: 3, rows_loaded: 3, rows_rejected: 0 });
    expect(loaded.rejects.filter((r) => r.source === 'seu')).toEqual([]);
    await spm.compute();
    const rows = await spm.results({ indicators: ['sprache'] });
    expect(pick(rows, '09162000', 2023)).toMatchObject({
      level: 'kommune',
      area_name: 'München',
      status: 'ok',
      numerator: 13,
      denominator: 60,
    });
    expect(pick(rows, '09162', 2023)).toMatchObject({ level: 'kreis', status: 'ok', numerator: 13, denominator: 60 });
    expect(pick(rows, '02', 2023)).toMatchObject({
      level: 'sozialraum',
      kommune_ags: '09162000',
      numerator: 5,
      denominator: 20,
    });
  });

  it('takes a row with the Kreis code or the Gemeinde code in a Stadtbezirk extract for a total', async () => {
    const withTotals = seu + '\n' + ['09162000;2023;1', '09162;2023;1'].join('\n');
    const root = folder({ 'gebiete.csv': areas, 'seu.csv': withTotals });
    await using spm = await Spm.open({ config, root }, { indicators: [sprache] });
    const loaded = await spm.load();
    const seuRejects = loaded.rejects.filter((r) => r.source === 'seu');
    expect(seuRejects.map((r) => [r.code, r.severity])).toEqual([
      ['total_row', 'info'],
      ['total_row', 'info'],
    ]);
  });
});

describe('compute without years', () => {
  it('is a user error that names the available years, not an internal error', async () => {
    const root = folder({
      'gebiete.csv': 'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n01;A;09162000;München\n',
      'seu.csv': ['gebiet;jahr;befund', ...children('01', 2023, 5, 1)].join('\n'),
    });
    const config: ProjectFileInput = {
      name: 'x',
      kreis: { ags: '09162', name: 'München' },
      areas: { file: 'gebiete.csv' },
      sources: [seuSource('sozialraum')],
      indicators: [],
      settings,
    };
    await using spm = await Spm.open({ config, root }, { indicators: [sprache] });
    const err = await spm.compute({ years: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('vorhandene Jahre: 2023');
  });
});
