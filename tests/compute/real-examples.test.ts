/**
 * The example projects with real published files (data-samples/atlas-muenchen,
 * data-samples/genesis-kreise-sh) computed end to end, and the published-total
 * check and rounding of fractional sums on a small hand-made project.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeRun } from '../../src/run/compute-run.js';

const samples = path.resolve(import.meta.dirname, '..', '..', 'data-samples');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** Rows of a German CSV written by spm (BOM, ";", decimal comma). */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cols = head!.split(';');
  return lines.map((l) => Object.fromEntries(l.split(';').map((v, i) => [cols[i]!, v.replace(/^"|"$/g, '')])));
}
const num = (s: string | undefined): number => Number((s ?? '').replace(',', '.'));

describe('example projects with real published files', () => {
  it('atlas-muenchen: the published rates are reproduced, the city row is checked against the sum of the Stadtbezirke', async () => {
    const out = tmp('spm-muc-');
    const r = await computeRun(path.join(samples, 'atlas-muenchen'), { out, charts: [] });
    expect(r.sources[0]).toMatchObject({ rows_read: 4212, rows_loaded: 4050, rows_rejected: 162 });
    const rows = readCsv(path.join(out, 'kennzahlen.csv'));
    const get = (area: string, year: string) => rows.find((x) => x.area_id === area && x.year === year && x.pool_years === '1')!;
    // Indikatorenatlas: Stadt München 2024 20,2 %; 01 Altstadt - Lehel 34,5 %; 2023 Stadt 20,3 %
    expect(Math.round(num(get('09162000', '2024').value) * 10) / 10).toBe(20.2);
    expect(Math.round(num(get('01', '2024').value) * 10) / 10).toBe(34.5);
    expect(Math.round(num(get('09162000', '2023').value) * 10) / 10).toBe(20.3);
    const check = readCsv(path.join(out, 'datenqualitaet_summen.csv'));
    const city2024 = check.find((x) => x.jahr === '2024' && x.merkmal === 'Altersgruppen / bis 2 Jahre' && x.spalte === 'betreut')!;
    expect(city2024).toMatchObject({ ebene: 'kommune', gebiet: '09162000', veroeffentlicht: '17784', summe_der_teile: '17784', differenz: '0', status: 'gleich', teile: '25' });
    // "Betreuungsangebot" repeats the city total as Basiswert 2 in every row: not additive, and shown as such
    expect(check.find((x) => x.merkmal === 'Betreuungsangebot / insgesamt' && x.spalte === 'betreut_gesamt')!.status).toBe('abweichend');
  }, 120_000);

  it('genesis-kreise-sh: loads with its config alone (no indicators), rows outside the project counted', async () => {
    const out = tmp('spm-gen-');
    const r = await computeRun(path.join(samples, 'genesis-kreise-sh'), { out, charts: [] });
    expect(r.sources[0]).toMatchObject({ rows_read: 408, rows_loaded: 360, rows_rejected: 48 });
  }, 120_000);
});

describe('published totals and fractional sums (hand-made project)', () => {
  it('a Kommune row by its AGS is compared with the sum of its Sozialräume; a sum with a small part is not shown; sums keep the input precision', async () => {
    const root = tmp('spm-tot-');
    fs.mkdirSync(path.join(root, 'rohdaten'));
    fs.mkdirSync(path.join(root, 'indicators'));
    fs.writeFileSync(
      path.join(root, 'gebiete.csv'),
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\nA1;A eins;05558004;Ascheberg\nA2;A zwei;05558004;Ascheberg\nA3;A drei;05558004;Ascheberg\nB1;B eins;05558008;Billerbeck\nB2;B zwei;05558008;Billerbeck\n',
    );
    // Jahresdurchschnitte (fractional counts); the Kommune rows carry their AGS
    fs.writeFileSync(
      path.join(root, 'rohdaten', 'sgb2.csv'),
      'Gebiet;Jahr;Leistungsberechtigte;Einwohner\nA1;2023;12000,1;40000\nA2;2023;12000,5;41000\nA3;2023;12545,8;42000\n05558004;2023;36546,4;123000\nB1;2023;2;500\nB2;2023;40;600\n05558008;2023;42;1100\n',
    );
    fs.writeFileSync(
      path.join(root, 'spm.yaml'),
      `name: Test
kreis: { ags: "05558", name: Kreis Test }
areas: { file: gebiete.csv }
sources:
  - id: sgb2
    title: SGB II
    files: rohdaten/sgb2.csv
    kind: aggregated
    area: { column: Gebiet, level: sozialraum }
    period: { column: Jahr, kind: kalenderjahr }
    columns:
      lb: { header: Leistungsberechtigte, type: count }
      ew: { header: Einwohner, type: count }
    stichtag: Jahresdurchschnitt
    owner: Test
indicators: [indicators]
settings: { min_denominator: 1 }
`,
    );
    fs.writeFileSync(
      path.join(root, 'indicators', 'q.yaml'),
      `id: sgb2_quote
title: SGB-II-Quote
description: Test
family: soziale_lage
lebensphase: uebergreifend
unit: percent
polarity: worse
numerator: { source: sgb2, measure: sum, column: lb }
denominator: { source: sgb2, measure: sum, column: ew }
steckbrief: { stichtag: J, data_owner: T, numerator_source: T, denominator_source: T, definition: T, suppression: T }
`,
    );
    const out = path.join(root, 'out');
    await computeRun(root, { out, charts: [] });
    const k = readCsv(path.join(out, 'kennzahlen.csv')).find((x) => x.area_id === '05558004')!;
    expect(k.numerator).toBe('36546,4');
    const check = readCsv(path.join(out, 'datenqualitaet_summen.csv'));
    expect(check.find((x) => x.gebiet === '05558004' && x.spalte === 'lb')).toMatchObject({ zugeordnet_nach: 'code', veroeffentlicht: '36546,4', summe_der_teile: '36546,4', differenz: '0', status: 'gleich' });
    // B1 has 2 (below the minimum count 3): the sum, the difference and the status are withheld
    expect(check.find((x) => x.gebiet === '05558008' && x.spalte === 'lb')).toMatchObject({ summe_der_teile: '', differenz: '', status: 'nicht_ausgewiesen_geheimhaltung' });
    expect(check.find((x) => x.gebiet === '05558008' && x.spalte === 'ew')).toMatchObject({ summe_der_teile: '1100', status: 'gleich' });
  }, 120_000);
});
