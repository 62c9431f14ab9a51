/**
 * When the level below the top is also the smallest (a Stadt with Stadtbezirken only, a
 * Kreis whose Kommunen have no Sozialräume), the pages say nothing about areas below a
 * Kommune: no "und 0 Sozialräume", no "liegt nur für Kommunen vor, nicht für Sozialräume",
 * no overview column of zeros, no column comparing the Kommune with itself.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/report/model.js';
import { indexPage } from '../../src/report/page-index.js';
import { kommunePage } from '../../src/report/page-kommune.js';
import { kurzPage } from '../../src/report/page-kurz.js';
import { pageMarkdown } from '../../src/report/markdown.js';
import type { ReportInput } from '../../src/report/types.js';
import { MINI, reportInput, tmpDir } from './helpers.js';

let tmp: string;
let input: ReportInput;

beforeAll(async () => {
  tmp = tmpDir('spm-report-nosmallest-');
  input = await reportInput(MINI, tmp);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Index, Kommunalprofil and Kurzprofil of Coesfeld as Markdown. */
function pages(i: ReportInput): { index: string; kommune: string; kurz: string } {
  // a Land value for every indicator and year: its row in the area tables must fit the columns too
  const years = [...new Set(i.rows.map((r) => `${r.indicator_id}|${r.year}`))].map((k) => k.split('|'));
  const land = { name: 'Testland', values: years.map(([id, y]) => ({ indicator_id: id!, year: Number(y), value: 1 })) };
  const model = buildModel({ ...i, meta: { ...i.meta, land } });
  const k = model.kommunen.find((x) => x.ags === '05558012')!;
  const files = { files: new Map() };
  return {
    index: pageMarkdown(indexPage(model, files)),
    kommune: pageMarkdown(kommunePage(model, k, files)),
    kurz: pageMarkdown(kurzPage(model, k, files)),
  };
}

/** Every Markdown table has as many cells in each row as in its head. */
function tablesAligned(md: string): void {
  const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
  const tables = md.split(/\n\n/).filter((b) => b.startsWith('|'));
  expect(tables.length).toBeGreaterThan(0);
  for (const table of tables) {
    const lines = table.split('\n').filter((l) => l.startsWith('|'));
    for (const l of lines) expect(cells(l), l).toBe(cells(lines[0]!));
  }
}

const withoutSozialraeume = (): ReportInput => ({ ...input, rows: input.rows.filter((r) => r.level !== 'sozialraum') });

describe('no areas below the Kommunen', () => {
  it('a Kreis whose Kommunen have no Sozialräume', () => {
    const p = pages(withoutSozialraeume());
    const all = `${p.index}\n${p.kommune}\n${p.kurz}`;
    expect(all).not.toMatch(/und 0 /);
    expect(all).not.toContain('liegt nur für');
    expect(all).not.toContain('Vergleich mit Coesfeld');
    expect(all).not.toContain('Sozialräume');
    expect(all).not.toContain('Kreis bzw. Kommune');
    expect(p.kommune).toContain('Kennzahlen der Präventionskette für Coesfeld (AGS 05558012), verglichen mit');
    expect(p.kommune).toContain('der Unterschied zum Kreiswert ist statistisch gesichert');
    expect(p.index).toMatch(/\| Kommune \| AGS \| ■ ungünstiger \|/);
    for (const md of [p.index, p.kommune, p.kurz]) tablesAligned(md);
    expect(p.kommune).toContain('| Testland (Land) |');
  });

  it('a Stadt with one level of Stadtbezirke', () => {
    const meta = {
      ...input.meta,
      kreis: { ...input.meta.kreis, name: 'Teststadt' },
      levelLabels: ['Stadt', 'Stadtbezirk'],
      agsCodes: false,
    };
    const p = pages({ ...withoutSozialraeume(), meta });
    const all = `${p.index}\n${p.kommune}\n${p.kurz}`;
    expect(all).not.toMatch(/und 0 /);
    expect(all).not.toContain('nicht für Stadtbezirke');
    expect(all).not.toContain('Vergleich mit Coesfeld');
    expect(all).not.toContain('Stadt bzw. Stadtbezirk');
    expect(p.kurz).toContain('Alle Werte, Zeitreihen und Steckbriefe');
    expect(p.index).toMatch(/\| Stadtbezirk \| Schlüssel \| ■ ungünstiger \|/);
    for (const md of [p.index, p.kommune, p.kurz]) tablesAligned(md);
    expect(p.kommune).toContain('| Testland (Land) |');
  });

  it('with Sozialräume the counts, the note and the comparison with the Kommune stay', () => {
    const p = pages(input);
    expect(p.kommune).toContain('(AGS 05558012) und 2 Sozialräume, verglichen');
    expect(p.kommune).toContain('| Vergleich mit Coesfeld |');
    expect(p.kommune).toContain('Diese Kennzahl liegt nur für Kommunen vor, nicht für Sozialräume.');
    expect(p.kommune).toContain('Vergleichswert (Kreis bzw. Kommune)');
    expect(p.index).toMatch(/\| Kommune \| AGS \| Sozialräume \| ■ ungünstiger \|/);
    for (const md of [p.index, p.kommune, p.kurz]) tablesAligned(md);
    expect(p.kommune).toContain('| Testland (Land) |');
  });
});
