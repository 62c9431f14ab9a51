/**
 * `spm validate` output a planner can act on: rejected rows grouped by cause,
 * the likely cause named (wrong kreis.ags, Excel-padded footer lines), no
 * reference to a file validate does not write.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { validateRun } from '../../src/index.js';
import { printValidate } from '../../cli/print.js';
import { tempDir } from '../tmp-dirs.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');

function variant(change: (dir: string) => void): string {
  const dir = tempDir('spm-validate-');
  fs.cpSync(mini, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
  change(dir);
  return dir;
}

async function printed(dir: string): Promise<{ text: string; r: Awaited<ReturnType<typeof validateRun>> }> {
  const r = await validateRun(dir);
  const lines: string[] = [];
  printValidate(r, (s) => lines.push(s));
  return { text: lines.join('\n'), r };
}

describe('spm validate groups rejected rows and names the likely cause', () => {
  it('a wrong kreis.ags: one line per file, the hint names the right AGS, no repeated errors', async () => {
    const dir = variant((d) => {
      const f = path.join(d, 'spm.yaml');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('ags: "05558"', 'ags: "05559"'));
    });
    const { text, r } = await printed(dir);
    expect(r.ok).toBe(false);
    expect(text).toContain('Abgewiesen (4 Zeilen): gebiete.csv, Spalte "kommune_ags"');
    expect(text).toContain(
      'kreis.ags in spm.yaml ist "05559": wahrscheinlich ist kreis.ags falsch (gemeint wohl "05558")',
    );
    expect(text).toContain('Folgefehler: die Gebietsliste wurde abgewiesen');
    // each problem once: no separate "Fehler:" line per area row
    expect(text.match(/liegt nicht im Kreis/g)).toHaveLength(1);
    expect(text).not.toContain('abgewiesene_zeilen.csv');
  }, 60_000);

  it('a Sozialraum missing from the area list: one line with the count, lines and the value', async () => {
    const dir = variant((d) => {
      const f = path.join(d, 'gebiete.csv');
      fs.writeFileSync(
        f,
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => !l.startsWith('05558012-02'))
          .join('\n'),
      );
    });
    const { text, r } = await printed(dir);
    const sgb2 = r.rejectGroups.find((g) => g.file === 'rohdaten/sgb2.csv');
    expect(sgb2).toMatchObject({ code: 'unknown_area', count: 2, values: [{ value: '05558012-02', count: 2 }] });
    expect(text).toMatch(
      /Abgewiesen \(2 Zeilen\): rohdaten\/sgb2\.csv, Spalte "Sozialraum": .*Zeilen 6, 10; Werte: "05558012-02" \(2×\)/,
    );
  }, 60_000);

  it('Excel-padded note lines at the end of a file: hint to set read.skip_bottom', async () => {
    const dir = variant((d) => {
      const f = path.join(d, 'rohdaten', 'sgb2.csv');
      const text = iconv.decode(fs.readFileSync(f), 'windows-1252').replace(/\s*$/, '\r\n');
      fs.writeFileSync(f, iconv.encode(`${text}Datenquelle: Statistik der BA, Sonderauswertung;;\r\n`, 'windows-1252'));
    });
    const { text } = await printed(dir);
    expect(text).toContain('read: { skip_bottom: 2 } bei dieser Quelle setzen');
    expect(text).toContain('am Dateiende sind wohl Fuß- oder Quellenzeilen');
  }, 60_000);

  it("a declared relation between a source's columns that a row breaks: an error naming file and line, as compute refuses it", async () => {
    const dir = tempDir('spm-validate-rel-');
    const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
    fs.cpSync(sample, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
    const file = path.join(dir, 'rohdaten', 'bevoelkerung_2024.csv');
    const row = '"05558004-02";"Ascheberg-Nord";2024;73;84;116;158;91;103;431;522;';
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(row);
    fs.writeFileSync(file, text.replace(row, row.replace(';431;522;', ';431;523;')));
    const { text: out, r } = await printed(dir);
    expect(r.ok).toBe(false);
    expect(out).toContain(
      'relations[1]: Die erklärte Beziehung bevoelkerung.bev_unter_18 = bevoelkerung.bev_unter_15 + bevoelkerung.bev_15_bis_unter_18 gilt in 1 Zeile der Quelle bevoelkerung nicht: rohdaten/bevoelkerung_2024.csv:3 (05558004-02, 2024): 523 ≠ 522.',
    );
    // the unchanged sample passes
    fs.writeFileSync(file, text);
    expect((await printed(dir)).r.ok).toBe(true);
  }, 120_000);
});
