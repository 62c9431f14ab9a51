/**
 * Published reference values from a table (`references:`): the Land and two other
 * Länder as published by Destatis (GENESIS 12411-0010, real, tests/fixtures/real) beside the
 * Kreise of Schleswig-Holstein (GENESIS 12411-0015, real). The reference table is written
 * by the test from the real Länder file (values copied programmatically, none typed in).
 * Checked: vergleich columns (ref_<id>_value, diff_<id>), the Land from the table as
 * land_value, nothing summed; the reader's symbols and errors on a small hand-made table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import { readReferenceValues } from '../../src/ingest/references.js';
import { computeRun } from '../../src/run/compute-run.js';
import { Spm } from '../../src/api/session.js';
import { UserError } from '../../src/util/issues.js';

const REAL = path.resolve(import.meta.dirname, '..', 'fixtures', 'real');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Rows of a German CSV written by spm (BOM, ";", decimal comma). */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  const cols = head!.split(';');
  return lines.map((l) => Object.fromEntries(l.split(';').map((v, i) => [cols[i]!, v.replace(/^"|"$/g, '')])));
}

/** A German integer as spm writes it ("1.234.567", "-12"). */
const de = (s: string | undefined): number => Number((s ?? '').replace(/\./g, ''));

/** The Länder table: name -> (year -> value as printed). */
function laender(): Map<string, Map<number, string>> {
  const lines = new TextDecoder('latin1')
    .decode(fs.readFileSync(path.join(REAL, 'genesis_12411-0010_laender.csv')))
    .split(/\r?\n/);
  const dates = lines.find((l) => l.startsWith(';31.12.'))!.split(';');
  const out = new Map<string, Map<number, string>>();
  for (const l of lines) {
    const f = l.split(';');
    if (f.length !== dates.length || f[0] === '') continue;
    out.set(f[0]!, new Map(f.slice(1).map((v, i) => [Number(dates[i + 1]!.slice(-4)), v])));
  }
  return out;
}

const KREISE = [
  ['01001', 'Flensburg'],
  ['01002', 'Kiel'],
  ['01003', 'Lübeck'],
  ['01004', 'Neumünster'],
  ['01051', 'Dithmarschen'],
  ['01053', 'Herzogtum Lauenburg'],
  ['01054', 'Nordfriesland'],
  ['01055', 'Ostholstein'],
  ['01056', 'Pinneberg'],
  ['01057', 'Plön'],
  ['01058', 'Rendsburg-Eckernförde'],
  ['01059', 'Schleswig-Flensburg'],
  ['01060', 'Segeberg'],
  ['01061', 'Steinburg'],
  ['01062', 'Stormarn'],
];

const YAML = `
name: Kreise Schleswig-Holsteins mit Referenzwerten (echte Daten)
areas:
  file: gebiete.csv
  top: { level: land, label: Land, id: "01", name: Schleswig-Holstein }
  levels:
    - { name: kreis, label: Kreis, id_column: kreis, name_column: name }
sources:
  - id: bevoelkerung
    title: Bevölkerungsstand (GENESIS 12411-0015)
    files: rohdaten/12411-0015.csv
    kind: aggregated
    read: { header_rows: 2 }
    area: { column: 1, level: kreis, unknown: ignore }
    period: { in_headers: true, kind: kalenderjahr }
    columns:
      einwohner: { header: Stichtag, type: count }
    stichtag: "31.12."
    owner: Statistisches Bundesamt (Destatis)
references:
  file: referenzen.csv
  source: "Statistisches Bundesamt (Destatis), GENESIS 12411-0010"
  stand: "2020-02-24"
  list:
    - { id: sh, name: Schleswig-Holstein, land: true }
    - { id: by, name: Bayern }
    - { id: hh, name: Hamburg, codes: ["02"] }
indicators: [indicators]
output: out
`;

const INDICATOR = `id: einwohner
title: Einwohnerinnen und Einwohner (veröffentlicht)
description: Bevölkerungsstand am 31.12., wie veröffentlicht
family: demografie
lebensphase: '0-3'
unit: count
polarity: neutral
published: { source: bevoelkerung, column: einwohner }
steckbrief:
  stichtag: "31.12."
  data_owner: Statistisches Bundesamt (Destatis)
  numerator_source: Bevölkerungsstand
  denominator_source: Bevölkerungsstand
  definition: wie veröffentlicht
  suppression: keine eigene (veröffentlichte Zahl)
`;

describe('published reference values (references:) from a table', () => {
  it('real GENESIS tables: the Land, Bayern and Hamburg beside the Kreise, never summed', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-refs-'));
    dirs.push(root);
    fs.writeFileSync(path.join(root, 'spm.yaml'), YAML);
    fs.writeFileSync(path.join(root, 'gebiete.csv'), 'kreis;name\n' + KREISE.map((k) => k.join(';')).join('\n') + '\n');
    fs.mkdirSync(path.join(root, 'rohdaten'));
    fs.copyFileSync(
      path.join(REAL, 'genesis_12411-0015_kreise_auszug.csv'),
      path.join(root, 'rohdaten', '12411-0015.csv'),
    );
    fs.mkdirSync(path.join(root, 'indicators'));
    fs.writeFileSync(path.join(root, 'indicators', 'einwohner.yaml'), INDICATOR);
    const l = laender();
    let refs = 'referenz;indicator_id;jahr;wert\n';
    for (const name of ['Schleswig-Holstein', 'Bayern', 'Hamburg'])
      for (const [y, v] of l.get(name)!)
        if (y >= 2015) refs += `${name === 'Hamburg' ? '02' : name};einwohner;31.12.${y};${v}\n`;
    fs.writeFileSync(path.join(root, 'referenzen.csv'), refs);

    const values = readReferenceValues(loadProject(root).project);
    expect(values.find((v) => v.reference_id === 'hh' && v.year === 2018)).toMatchObject({
      value: Number(l.get('Hamburg')!.get(2018)),
      status: 'ok',
      source: 'Statistisches Bundesamt (Destatis), GENESIS 12411-0010',
    });

    const out = path.join(root, 'out');
    await computeRun(root, { out, charts: [] });
    const v = readCsv(path.join(out, 'vergleich', 'vergleich_alle.csv'));
    const kiel = v.find((x) => x.kommune_ags === '01002')!;
    const bayern = Number(l.get('Bayern')!.get(2018));
    const sh = Number(l.get('Schleswig-Holstein')!.get(2018));
    expect(kiel.year).toBe('2018');
    // Kiel 31.12.2018 as published in 12411-0015 (the last Stichtag column)
    const kielRow = new TextDecoder('latin1')
      .decode(fs.readFileSync(path.join(REAL, 'genesis_12411-0015_kreise_auszug.csv')))
      .split(/\r?\n/)
      .find((x) => x.startsWith('01002;'))!
      .split(';');
    const kielValue = Number(kielRow[kielRow.length - 1]);
    expect(de(kiel.value)).toBe(kielValue);
    expect(de(kiel.ref_by_value)).toBe(bayern);
    expect(de(kiel.diff_by)).toBe(kielValue - bayern);
    expect(de(kiel.ref_hh_value)).toBe(Number(l.get('Hamburg')!.get(2018)));
    expect(kiel.ref_hh_hinweis).toBe('');
    // the Land from the table is the Land value (land_value, diff_land) like a land: file
    expect(de(kiel.land_value)).toBe(sh);
    expect(Object.keys(kiel)).not.toContain('ref_sh_value');
    // a published value is never summed: without a Land row in the file the Land has no value of its
    // own, and the reference values never turn into one
    const k = readCsv(path.join(out, 'kennzahlen.csv'));
    expect(k.filter((x) => x.level === 'kreis' && x.year === '2018')).toHaveLength(15);
    expect(k.filter((x) => x.area_id === '01' && x.value !== '')).toEqual([]);
  }, 120_000);

  it('the reader: symbols of the publisher, decimal comma, errors with file, line and column', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-refs-'));
    dirs.push(root);
    const yaml = (list: string) => `
name: T
kreis: { ags: "05558", name: Kreis Test }
areas: { file: gebiete.csv }
sources:
  - { id: s, title: t, files: x.csv, kind: aggregated, area: { column: a, level: sozialraum }, period: { column: j, kind: kalenderjahr }, columns: { n: { header: n, type: number } }, stichtag: x, owner: y }
indicators: [indicators]
references: { file: ref.csv, list: [${list}] }
`;
    fs.mkdirSync(path.join(root, 'indicators'));
    fs.writeFileSync(
      path.join(root, 'indicators', 'q.yaml'),
      INDICATOR.replace('id: einwohner', 'id: quote').replace('bevoelkerung, column: einwohner', 's, column: n'),
    );
    fs.writeFileSync(
      path.join(root, 'gebiete.csv'),
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n05558004-01;A;05558004;B\n',
    );
    fs.writeFileSync(path.join(root, 'spm.yaml'), yaml('{ id: bund, name: Deutschland, codes: [DG] }'));
    // hand-made table (not real data): one row per symbol
    fs.writeFileSync(
      path.join(root, 'ref.csv'),
      'referenz;indicator_id;jahr;wert;quelle\nDG;quote;2020;12,5;Destatis\nDeutschland;quote;2021;.;\ndeutschland;quote;2022;x;\nDG;quote;2023;-;\nDG;quote;2019;1.234,5 %;\n',
    );
    const got = readReferenceValues(loadProject(root).project).map((v) => [v.year, v.value, v.status, v.source ?? '']);
    expect(got).toEqual([
      [2020, 12.5, 'ok', 'Destatis'],
      [2021, null, 'gesperrt', ''],
      [2022, null, 'nicht_sinnvoll', ''],
      [2023, 0, 'ok', ''],
      [2019, 1234.5, 'ok', ''],
    ]);
    fs.writeFileSync(
      path.join(root, 'ref.csv'),
      'referenz;indicator_id;jahr;wert\nBayern;quote;2020;1\nDG;nix;2020;1\nDG;quote;20;1\nDG;quote;2020;zwölf\nDG;quote;2021;1\nDG;quote;2021;2\n',
    );
    let err: unknown;
    try {
      readReferenceValues(loadProject(root).project);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const issues = (err as UserError).issues.map((i) => [i.file, i.line, i.column, i.code]);
    expect(issues).toEqual([
      ['ref.csv', 2, 'referenz', 'references.reference'],
      ['ref.csv', 3, 'indicator_id', 'references.indicator'],
      ['ref.csv', 4, 'jahr', 'references.year'],
      ['ref.csv', 5, 'wert', 'references.value'],
      ['ref.csv', 7, 'referenz', 'references.duplicate'],
    ]);
    expect((err as UserError).issues[0]!.message).toContain('„Bayern“ steht nicht in references.list');
    // opening the project (validate, compute) reports the same, before any data is loaded
    const opened = await Spm.open(root).catch((e: unknown) => e);
    expect(opened).toBeInstanceOf(UserError);
    expect((opened as UserError).issues.map((i) => i.code)).toContain('references.duplicate');
    // thousands dots without any comma are read as German numbers too
    fs.writeFileSync(path.join(root, 'ref.csv'), 'referenz;indicator_id;jahr;wert\nDG;quote;2018;83.019.213\n');
    expect(readReferenceValues(loadProject(root).project).map((v) => v.value)).toEqual([83019213]);
  });
});
