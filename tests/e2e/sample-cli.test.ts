/**
 * End to end: the `spm` command on the bundled sample project, checked against
 * values this test computes itself from the raw CSV files (not through spm).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const sample = path.join(repo, 'data-samples', 'kreis-coesfeld');
const raw = path.join(sample, 'rohdaten');

function spm(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'cli', 'main.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Minimal independent CSV reading: `;`, optional quotes, German numbers. */
function readRows(file: string, encoding: 'utf-8' | 'windows-1252', skipTop = 0): Record<string, string>[] {
  let text = new TextDecoder(encoding).decode(fs.readFileSync(file));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .slice(skipTop);
  const cells = (l: string): string[] => l.split(';').map((c) => c.replace(/^"(.*)"$/, '$1'));
  const header = cells(lines[0] as string);
  // data rows have as many fields as the header (title and footer lines do not)
  return lines
    .slice(1)
    .map(cells)
    .filter((c) => c.length === header.length && !/insgesamt/i.test(c.join(' ')))
    .map((c) => Object.fromEntries(c.map((v, i) => [header[i] as string, v])));
}
const num = (s: string | undefined): number => Number((s ?? '').replace(/\./g, '').replace(',', '.'));

function population(year: number): Record<string, string>[] {
  return readRows(path.join(raw, `bevoelkerung_${year}.csv`), 'utf-8');
}

let out: string;
let out2: string;
type Row = Record<string, string>;
let table: Row[];

function cell(indicator: string, area: string, year: number): Row {
  const r = table.find(
    (x) => x.indicator_id === indicator && x.area_id === area && x.year === String(year) && x.pool_years === '1',
  );
  if (!r) throw new Error(`no row ${indicator} ${area} ${year}`);
  return r;
}
const value = (r: Row): number => Number((r.value as string).replace(',', '.'));

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-e2e-'));
  out2 = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-e2e2-'));
  const r = spm(['compute', sample, '--out', out, '--quiet', '--no-charts']);
  if (r.status !== 0) throw new Error(`spm compute failed: ${r.stderr}`);
  const text = fs.readFileSync(path.join(out, 'kennzahlen.csv'), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\r\n').filter(Boolean);
  const header = (lines[0] as string).split(';');
  // Only simple rows are needed here; notes with ';' are quoted, so split carefully.
  table = lines.slice(1).map((l) => {
    const fields: string[] = [];
    let cur = '';
    let q = false;
    for (const ch of l) {
      if (ch === '"') q = !q;
      else if (ch === ';' && !q) {
        fields.push(cur);
        cur = '';
      } else cur += ch;
    }
    fields.push(cur);
    return Object.fromEntries(header.map((h, i) => [h, fields[i] ?? '']));
  });
}, 120_000);

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(out2, { recursive: true, force: true });
});

describe('spm compute on the sample project', () => {
  it('SGB-II-Quote unter 15 of a Kommune equals the sum of its Sozialräume from the raw files', () => {
    const sgb2 = readRows(path.join(raw, 'sgb2_sozialraeume.csv'), 'windows-1252', 1).filter(
      (r) => r.Kalenderjahr === '2024',
    );
    const pop = population(2024);
    // a Kommune whose Sozialräume have no suppressed value in 2024
    const kommunen = [...new Set(pop.map((r) => (r.Sozialraum as string).slice(0, 8)))];
    const ags = kommunen.find((k) =>
      sgb2
        .filter((r) => r.Sozialraum?.startsWith(k))
        .every(
          (r) =>
            /^\d/.test(r['Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren'] ?? '') ||
            r['Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren'] === '-',
        ),
    );
    expect(ags).toBeDefined();
    const nef = sgb2
      .filter((r) => r.Sozialraum?.startsWith(ags as string))
      .reduce(
        (s, r) =>
          s +
          (r['Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren'] === '-'
            ? 0
            : num(r['Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren'])),
        0,
      );
    const u15 = pop.filter((r) => r.Sozialraum?.startsWith(ags as string)).reduce((s, r) => s + num(r['unter 15']), 0);
    const row = cell('sgb2_quote_unter_15', ags as string, 2024);
    expect(row.status).toBe('ok');
    expect(num(row.numerator)).toBe(nef);
    expect(num(row.denominator)).toBe(u15);
    expect(value(row)).toBeCloseTo((nef / u15) * 100, 9);
  });

  it('Übergewicht of the Kreis is counted from the SEU microdata (Schuljahr 2023/24 -> 2024)', () => {
    const seu = readRows(path.join(raw, 'seu_microdata.csv'), 'utf-8').filter((r) => r.schuljahr === '2023/24');
    const valid = seu.filter((r) => r.groesse_gewicht_gueltig === 'ja' && r.bmi_perzentil !== '');
    const over = valid.filter((r) => num(r.bmi_perzentil) > 90);
    const row = cell('seu_uebergewicht_inkl_adipositas', '05558', 2024);
    expect(num(row.numerator)).toBe(over.length);
    expect(num(row.denominator)).toBe(valid.length);
    expect(value(row)).toBeCloseTo((over.length / valid.length) * 100, 9);
  });

  it('U8-Nichtteilnahme of one Sozialraum is counted from the microdata', () => {
    const seu = readRows(path.join(raw, 'seu_microdata.csv'), 'utf-8').filter(
      (r) => r.schuljahr === '2022/23' && r.sozialraum === '05558016-01',
    );
    const heft = seu.filter((r) => r.vorsorgeheft_vorgelegt === 'ja');
    const no = heft.filter((r) => r.u8 === 'nein');
    const row = cell('u8_nichtteilnahme', '05558016-01', 2023);
    expect(num(row.numerator)).toBe(no.length);
    expect(num(row.denominator)).toBe(heft.length);
  });

  it('HzE-Eckwert of the Kreis per 10,000 unter 21 from the Kommune-level source', () => {
    const hze = readRows(path.join(raw, 'hze_kommunen.csv'), 'windows-1252').filter((r) => r.Jahr === '2024');
    const col = 'Hilfen insgesamt (§§ 27-35, 35a, 41) laufend + beendet';
    const hilfen = hze.reduce((s, r) => s + (r[col] === '-' ? 0 : num(r[col])), 0);
    const u21 = population(2024).reduce((s, r) => s + num(r['unter 21']), 0);
    const row = cell('hze_eckwert', '05558', 2024);
    expect(value(row)).toBeCloseTo((hilfen / u21) * 10000, 9);
    expect(table.some((r) => r.indicator_id === 'hze_eckwert' && r.level === 'sozialraum')).toBe(false);
  });

  it('says in every row that the data are synthetic', () => {
    expect(table.every((r) => r.data_note === 'synthetische Beispieldaten')).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).synthetic).toBe(true);
  });

  it('covers every Kommune and Sozialraum for every year 2015-2024', () => {
    const areas = new Set(
      table.filter((r) => r.indicator_id === 'sgb2_quote_unter_15').map((r) => r.area_id as string),
    );
    expect([...areas].filter((a) => a.length === 8)).toHaveLength(11);
    expect([...areas].filter((a) => a.includes('-')).length).toBeGreaterThanOrEqual(44);
    const years = new Set(table.map((r) => r.year));
    expect([...years].sort()).toEqual(['2015', '2016', '2017', '2018', '2019', '2020', '2021', '2022', '2023', '2024']);
  });

  it('gives byte-identical outputs on a re-run, also with one thread', () => {
    const r = spm(['compute', sample, '--out', out2, '--quiet', '--threads', '1', '--no-charts']);
    expect(r.status).toBe(0);
    const files = [
      'kennzahlen.csv',
      'kennzahlen.parquet',
      'kennzahlen.schema.json',
      'abgewiesene_zeilen.csv',
      'manifest.json',
    ];
    for (const f of [...files, 'vergleich/vergleich_alle.csv']) {
      expect(fs.readFileSync(path.join(out2, f)).equals(fs.readFileSync(path.join(out, f))), f).toBe(true);
    }
  }, 120_000);

  it('validate passes on the sample and --json is machine-readable', () => {
    const r = spm(['validate', sample, '--json', '--out', out2]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
  }, 60_000);

  it('explain prints the plan of an indicator, parameters as literals, and --json the same plan', () => {
    const r = spm(['explain', 'seu_adipositas', sample]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('FROM "src_seu"');
    expect(r.stdout).toMatch(/WHERE .*"bmi_perzentil" > 97/);
    expect(r.stdout).not.toMatch(/\$\d/);
    for (const id of ['aggregate:seu', 'results', 'suppress', 'intervals', 'trends', 'comparisons', 'publish'])
      expect(r.stdout).toContain(`[${id}]`);
    const j = spm(['explain', 'seu_adipositas', sample, '--json']);
    expect(j.status).toBe(0);
    const plan = JSON.parse(j.stdout) as {
      indicator: string;
      steps: { id: string; sql?: string; parameters?: unknown[] }[];
    };
    expect(plan.indicator).toBe('seu_adipositas');
    const agg = plan.steps.find((s) => s.id === 'aggregate:seu');
    expect(agg?.sql).toMatch(/"bmi_perzentil" > \$\d/);
    expect(agg?.parameters).toContain(97);
  }, 60_000);

  it('a user mistake gives a message and exit code 1, no stack trace', () => {
    const r = spm(['compute', path.join(repo, 'does-not-exist')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Fehler: Keine Projektdatei gefunden/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('spm schema', () => {
  it('prints a JSON Schema for spm.yaml', () => {
    const s = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', path.join(repo, 'cli', 'main.ts'), 'schema'], {
        encoding: 'utf8',
      }),
    );
    expect(s.properties.sources.type).toBe('array');
  }, 60_000);
});
