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
import { validateRun } from '../../src/run/validate-run.js';
import { runCli } from '../robustness/harness.js';

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
  let all = fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  if (all[0]!.startsWith('INTERN')) all = all.slice(1); // the preamble line of internal tables
  const [head, ...lines] = all;
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
    const get = (area: string, year: string) =>
      rows.find((x) => x.area_id === area && x.year === year && x.pool_years === '1')!;
    // Indikatorenatlas: Stadt München 2024 20,2 %; 01 Altstadt - Lehel 34,5 %; 2023 Stadt 20,3 %
    expect(Math.round(num(get('09162000', '2024').value) * 10) / 10).toBe(20.2);
    expect(Math.round(num(get('01', '2024').value) * 10) / 10).toBe(34.5);
    expect(Math.round(num(get('09162000', '2023').value) * 10) / 10).toBe(20.3);
    const check = readCsv(path.join(out, 'datenqualitaet_summen.csv'));
    const city2024 = check.find(
      (x) => x.jahr === '2024' && x.merkmal === 'Altersgruppen / bis 2 Jahre' && x.spalte === 'betreut',
    )!;
    // the file's "Stadt München", placed by the name given in areas.top.aliases
    expect(city2024).toMatchObject({
      ebene: 'stadt',
      gebiet: '09162000',
      bezeichnung_in_datei: 'Stadt München',
      zugeordnet_nach: 'name',
      veroeffentlicht: '17784',
      summe_der_teile: '17784',
      differenz: '0',
      status: 'gleich',
      teile: '25',
    });
    // the published Indikatorwert as an indicator of its own: as printed, never summed, no interval
    const pub = (area: string, year: string) =>
      rows.find(
        (x) => x.indicator_id === 'kita_anteil_unter_3_veroeffentlicht' && x.area_id === area && x.year === year,
      )!;
    expect(pub('01', '2024')).toMatchObject({
      value: '34,5',
      numerator: '',
      denominator: '',
      ci_low: '',
      ci_high: '',
      ref_kreis_value: '20,2',
      diff_kreis: '14,3',
      sig_kreis: '',
      ampel: '',
    });
    // the city's value is the published "Stadt München" row; the Stadt is the top (areas.top), so
    // no second row of the same sums as a Kreis
    expect(pub('09162000', '2024')).toMatchObject({ level: 'stadt', value: '20,2', status: 'ok' });
    expect(rows.filter((x) => x.area_id === '09162')).toEqual([]);
    expect(pub('01', '2024').note).toContain('veröffentlichter Wert');
    // "Betreuungsangebot" repeats the city total as Basiswert 2 in every row: not additive, and shown as such
    expect(
      check.find((x) => x.merkmal === 'Betreuungsangebot / insgesamt' && x.spalte === 'betreut_gesamt')!.status,
    ).toBe('abweichend');
  }, 120_000);

  it('atlas-muenchen without the alias: the city rows are rejected, and validate points to areas.top.aliases', async () => {
    const dir = tmp('spm-muc-alias-');
    fs.cpSync(path.join(samples, 'atlas-muenchen'), dir, { recursive: true });
    const yaml = path.join(dir, 'spm.yaml');
    const text = fs.readFileSync(yaml, 'utf8');
    expect(text).toContain(', aliases: ["Stadt München"]');
    fs.writeFileSync(yaml, text.replace(', aliases: ["Stadt München"]', ''));
    const r = await validateRun(dir);
    expect(r.ok).toBe(false);
    const g = r.rejectGroups.find((x) => x.code === 'unknown_area')!;
    expect(g.count).toBe(162);
    expect(g.values).toEqual([{ value: 'Stadt München', count: 162 }]);
    expect(g.reason).toContain(
      'Ist die Zeile die Summe von „Landeshauptstadt München“ unter anderem Namen, diesen Namen unter areas.top.aliases eintragen',
    );
    expect(g.hint).toBeUndefined();
  }, 120_000);

  it('genesis-kreise-sh: loads with its config alone (no indicators), rows outside the project counted', async () => {
    const out = tmp('spm-gen-');
    const r = await computeRun(path.join(samples, 'genesis-kreise-sh'), { out, charts: [] });
    expect(r.sources[0]).toMatchObject({ rows_read: 408, rows_loaded: 360, rows_rejected: 48 });
    // and says why it computes nothing, with the line of indicators: in spm.yaml
    const none = r.issues.filter((i) => i.code === 'config.no_indicators');
    expect(none).toHaveLength(1);
    expect(none[0]).toMatchObject({ severity: 'warning', file: 'spm.yaml', line: 31 });
    expect(none[0]?.message).toContain('indicators: ["spm:standard"]');
    const charts = await runCli(['charts', path.join(samples, 'genesis-kreise-sh'), '--out', out, '--format', 'svg']);
    expect(charts.status, charts.stderr).toBe(0);
    expect(charts.stderr).toContain('Keine Indikatoren');
    expect(charts.stdout).toContain('0 Diagrammdateien');
  }, 120_000);
});

describe('rates-only source (hand-made Mindestsicherungsquote table)', () => {
  it('published rates per Kommune and for the Kreis: shown, compared, never summed; "." secret is suppressed_input', async () => {
    const root = tmp('spm-rate-');
    fs.mkdirSync(path.join(root, 'rohdaten'));
    fs.mkdirSync(path.join(root, 'indicators'));
    fs.writeFileSync(
      path.join(root, 'gebiete.csv'),
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n;;05558004;Ascheberg\n;;05558008;Billerbeck\n;;05558012;Coesfeld\n',
    );
    fs.writeFileSync(
      path.join(root, 'rohdaten', 'msq.csv'),
      'Tabelle: Mindestsicherungsquote\nGebiet;Name;2022;2023\n05558;Kreis Test;6,1;6,3\n05558004;Ascheberg;4,6;4,8\n05558008;Billerbeck;.;3,9\n05558012;Coesfeld;7,0;x\n05111000;Düsseldorf;17,0;17,8\n',
    );
    fs.writeFileSync(
      path.join(root, 'spm.yaml'),
      `name: Test
kreis: { ags: "05558", name: Kreis Test }
areas: { file: gebiete.csv }
sources:
  - id: msq
    title: Mindestsicherungsquote
    files: rohdaten/msq.csv
    kind: aggregated
    area: { column: Gebiet, level: kommune, unknown: ignore }
    period: { in_headers: true, kind: kalenderjahr }
    columns:
      quote: { header: Wert, type: number, symbols: { suppressed: ["."], missing: ["x"] } }
    stichtag: "31.12."
    owner: IT.NRW
indicators: [indicators]
`,
    );
    fs.writeFileSync(
      path.join(root, 'indicators', 'msq.yaml'),
      `id: msq
title: Mindestsicherungsquote
description: veröffentlichte Quote
family: soziale_lage
lebensphase: uebergreifend
unit: percent
polarity: worse
published: { source: msq, column: quote }
steckbrief: { stichtag: "31.12.", data_owner: IT.NRW, numerator_source: keiner, denominator_source: keiner, definition: amtlich, suppression: Quelle }
`,
    );
    const out = path.join(root, 'out');
    const r = await computeRun(root, { out, charts: [] });
    expect(r.sources[0]).toMatchObject({ rows_read: 10, rows_loaded: 6, rows_rejected: 4 });
    const rows = readCsv(path.join(out, 'kennzahlen.csv'));
    const get = (area: string, year: string) => rows.find((x) => x.area_id === area && x.year === year)!;
    expect(get('05558004', '2023')).toMatchObject({
      value: '4,8',
      ci_low: '',
      ref_kreis_value: '6,3',
      diff_kreis: '-1,5',
      status: 'ok',
    });
    expect(get('05558', '2023')).toMatchObject({ level: 'kreis', value: '6,3' });
    expect(get('05558008', '2022')).toMatchObject({ value: '', status: 'suppressed_input' });
    expect(get('05558012', '2023')).toMatchObject({ value: '', status: 'missing_input' });
    expect(get('05558004', '2023').prev_value).toBe('4,6');
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
    expect(check.find((x) => x.gebiet === '05558004' && x.spalte === 'lb')).toMatchObject({
      zugeordnet_nach: 'code',
      veroeffentlicht: '36546,4',
      summe_der_teile: '36546,4',
      differenz: '0',
      status: 'gleich',
    });
    // B1 has 2 (below the minimum count 3): the sum, the difference and the status are withheld
    expect(check.find((x) => x.gebiet === '05558008' && x.spalte === 'lb')).toMatchObject({
      summe_der_teile: '',
      differenz: '',
      status: 'nicht_ausgewiesen_geheimhaltung',
    });
    expect(check.find((x) => x.gebiet === '05558008' && x.spalte === 'ew')).toMatchObject({
      summe_der_teile: '1100',
      status: 'gleich',
    });
  }, 120_000);
});
