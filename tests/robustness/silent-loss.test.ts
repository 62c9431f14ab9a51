/**
 * Never silently wrong (issue 13), through the real CLI: a source whose every
 * row is rejected keeps its indicator with a status per row and the summary
 * counts them; a first line over 1 MB is refused as such (never "leer"); an
 * empty or header-only source gives compute the same verdict as validate
 * (exit 1, nothing written); one ragged row flags only the cells it would have fed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildProject,
  cleanupProjects,
  QUOTE_INDICATOR,
  readGermanCsv,
  runCli,
  snapshotDir,
  STACK_RE,
} from './harness.js';

afterAll(() => cleanupProjects());

const AREAS = ['05558004-01', '05558004-02', '05558012-01', '05558012-02'];
/** An area list of exactly these four Sozialräume (two Kommunen), so every other cell is complete. */
const GEBIETE =
  'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis\n' +
  AREAS.map((a) => `${a};Gebiet ${a};${a.slice(0, 8)};${a.startsWith('05558004') ? 'Ascheberg' : 'Coesfeld'};;`).join(
    '\n',
  ) +
  '\n';

function rows(years: number[]): string {
  const out = ['sozialraum_id;jahr;zaehler;nenner'];
  for (const y of years) for (const a of AREAS) out.push(`${a};${y};10;100`);
  return out.join('\n') + '\n';
}

const SECOND_INDICATOR = `id: quote2
title: Quote 2
description: Zähler je 100 Nenner
family: jugendhilfe
lebensphase: uebergreifend
unit: percent
polarity: worse
numerator: { source: t, measure: sum, column: zaehler }
denominator: { source: t, measure: sum, column: nenner }
steckbrief:
  stichtag: "31.12."
  data_owner: Test
  numerator_source: Zähler
  denominator_source: Nenner
  definition: Test
  suppression: keine
`;

function twoSources(second: string | Buffer): string {
  return buildProject({
    files: { 'gebiete.csv': GEBIETE, 'daten/data.csv': rows([2022, 2023]), 'daten/t.csv': second },
    sources: [{}, { id: 't', files: 'daten/t.csv' }],
    indicators: { 'quote.yaml': QUOTE_INDICATOR, 'quote2.yaml': SECOND_INDICATOR },
  });
}

describe('a source whose every row is rejected', () => {
  it('its indicator stays in kennzahlen.csv with rejected_input per row; the summary counts them', async () => {
    const dir = twoSources('sozialraum_id;jahr;zaehler;nenner\n05558004-01;2023;-1;100\n05558012-01;2023;-5;100\n');
    const r = await runCli(['compute', dir, '--no-charts', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { results: Record<string, number>; rejected: number };
    expect(summary.rejected).toBe(2);
    const table = readGermanCsv(path.join(dir, 'out', 'kennzahlen.csv')).filter((x) => x.indicator_id === 'quote2');
    // Sozialräume 05558004-01 and 05558012-01, their Kommunen and the Kreis in 2023
    const rejected = table
      .filter((x) => x.status === 'rejected_input')
      .map((x) => `${x.level}:${x.area_id}:${x.year}`)
      .sort();
    expect(rejected).toEqual([
      'kommune:05558004:2023',
      'kommune:05558012:2023',
      'kreis:05558:2023',
      'sozialraum:05558004-01:2023',
      'sozialraum:05558012-01:2023',
    ]);
    expect(table.every((x) => x.value === '')).toBe(true);
    expect(table.filter((x) => x.status !== 'rejected_input').map((x) => x.status)).toEqual([
      'missing_input',
      'missing_input',
    ]);
    const text = await runCli(['compute', dir, '--no-charts']);
    expect(text.stdout).toMatch(/abgewiesen [1-9]/);
  }, 90_000);
});

describe('a first line longer than 1 MB', () => {
  const cases: [string, () => Buffer][] = [
    [
      'a header with 10^6 columns',
      () =>
        Buffer.from(
          `sozialraum_id;jahr;zaehler;nenner;${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(';')}\n05558012-01;2023;4;100\n`,
        ),
    ],
    ['a 50 MB single line', () => Buffer.alloc(50_000_000, 'x')],
  ];
  for (const [name, make] of cases) {
    it(`${name}: refused as too long by validate and compute (exit 1), never "leer"; nothing written`, async () => {
      const dir = buildProject({ files: { 'gebiete.csv': GEBIETE, 'daten/data.csv': make() } });
      const before = snapshotDir(dir);
      for (const cmd of ['validate', 'compute']) {
        const r = await runCli([cmd, dir]);
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).not.toMatch(STACK_RE);
        const said = r.stdout + r.stderr;
        expect(said).toContain('daten/data.csv:1: Die erste Zeile');
        expect(said).toContain('länger als 1 MB');
        expect(said).not.toContain('leer');
      }
      const after = snapshotDir(dir);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    }, 120_000);
  }
});

describe('an empty or header-only source', () => {
  for (const [name, content, msg] of [
    ['empty', '', 'ist leer'],
    ['header only', 'sozialraum_id;jahr;zaehler;nenner\n', 'keine Datenzeilen'],
  ] as const) {
    it(`${name}: compute exits 1 like validate and leaves the previous outputs byte-identical`, async () => {
      const dir = twoSources(rows([2023]));
      const r0 = await runCli(['compute', dir, '--quiet']);
      expect(r0.status, r0.stderr).toBe(0);
      const before = snapshotDir(path.join(dir, 'out'));
      fs.writeFileSync(path.join(dir, 'daten', 't.csv'), content);
      const v = await runCli(['validate', dir]);
      const c = await runCli(['compute', dir, '--quiet']);
      expect(v.status).toBe(1);
      expect(c.status).toBe(1);
      for (const r of [v, c]) {
        expect(r.stderr).not.toMatch(STACK_RE);
        expect(r.stdout + r.stderr).toContain(`daten/t.csv`);
        expect(r.stdout + r.stderr).toContain(msg);
      }
      const after = snapshotDir(path.join(dir, 'out'));
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [k, b] of before) expect(after.get(k)!.equals(b), k).toBe(true);
    }, 90_000);
  }
});

describe('one ragged row', () => {
  it('flags only the cells it would have fed (its area x year and their roll-ups)', async () => {
    const data = rows([2021, 2022, 2023]).replace('05558012-01;2022;10;100\n', '05558012-01;2022;10\n');
    const dir = buildProject({ files: { 'gebiete.csv': GEBIETE, 'daten/data.csv': data } });
    const r = await runCli(['compute', dir, '--no-charts', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const table = readGermanCsv(path.join(dir, 'out', 'kennzahlen.csv'));
    const flagged = table
      .filter((x) => x.status === 'rejected_input')
      .map((x) => `${x.level}:${x.area_id}:${x.year}`)
      .sort();
    expect(flagged).toEqual(['kommune:05558012:2022', 'kreis:05558:2022', 'sozialraum:05558012-01:2022']);
    expect(table.filter((x) => x.status !== 'rejected_input').every((x) => x.status === 'ok')).toBe(true);
    // the rejects file starts with an INTERN line; the row names line 8 with its area and year
    const rejects = fs
      .readFileSync(path.join(dir, 'out', 'abgewiesene_zeilen.csv'), 'utf8')
      .split('\r\n')
      .filter((l) => l.includes(';error;'));
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatch(/^s;daten\/data\.csv;8;;ragged_row;.*;error;05558012-01;2022;/);
  }, 60_000);
});
