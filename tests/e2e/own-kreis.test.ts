/**
 * End to end, the way a Jugendhilfeplanerin sets up her own Kreis: a folder of raw
 * files shaped unlike the sample (other headers, Windows-1252 from Excel, a title
 * line, a Jobcenter file with "*" and an Excel-padded footer, SEU with one row per
 * child, a Kommune AGS that lost its leading zero) -> `spm init` -> complete the
 * area list and the TODOs -> `spm validate` -> `spm compute`, and the published
 * counts checked against counts this test makes itself from the rows it wrote.
 *
 * The "Musterkreis" (06999) and all values are invented for this test.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../tmp-dirs.js';
import { completeProject, type Truth, writeRawFolder } from './own-kreis-project.js';

const repo = path.resolve(import.meta.dirname, '..', '..');

function spm(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'cli', 'main.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Reads kennzahlen.csv independently: `;`, UTF-8 with BOM, German numbers. */
function kennzahlen(file: string): Record<string, string>[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const cells = (l: string): string[] => l.split(';').map((c) => c.replace(/^"(.*)"$/, '$1'));
  const header = cells(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((v, i) => [header[i]!, v])));
}
const num = (s: string | undefined): number => Number((s ?? '').replace(/\./g, '').replace(',', '.'));

let dir: string;
let truth: Truth;
let init: ReturnType<typeof spm>;

beforeAll(() => {
  dir = tempDir('spm-own-kreis-');
  truth = writeRawFolder(dir);
  init = spm(['init', dir]);
}, 120_000);

describe('Eigenen Kreis einrichten: spm init -> ergänzen -> compute', () => {
  it('spm init detects formats, proposes sources with canonical schemas and the area list', () => {
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toContain(
      'Lieferungen/Jobcenter_SGB2.csv: 24 Zeilen, windows-1252, ";" -> Quelle sgb2 (Schema sgb2)',
    );
    expect(init.stdout).toContain('-> Quelle seu (Schema seu, u_untersuchungen)');
    expect(init.stdout).toContain('Noch zu tun:');
    const yaml = fs.readFileSync(path.join(dir, 'spm.yaml'), 'utf8');
    expect(yaml).toContain('ags: "06999"');
    expect(yaml).toContain('files: "Lieferungen/Einwohner_*.csv"');
    expect(yaml).toContain('bmi_perzentil: { header: "BMI-Perzentil" }');
    expect(yaml).toContain('nef_unter_15: { header: "NEF u15" }');
    expect(yaml).toContain('period: { column: "Schuljahr", kind: schuljahr, schuljahr_rule: end_year }');
    expect(yaml).toContain('area: { column: "AGS", level: kommune }');
    const areas = fs.readFileSync(path.join(dir, 'gebiete.csv'), 'utf8').trim().split('\n');
    expect(areas).toHaveLength(1 + 8);
    // the Kommune came from the SEU file's GKZ, its name from the Jugendamt file
    expect(areas).toContain('A1;;06999001;Adorf;;');
    expect(areas).toContain('B2;;06999002;Bestadt;;');
    // a second init refuses to overwrite
    const again = spm(['init', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('überschreibt keine Projektdatei');
  }, 60_000);

  it('after completing names and TODOs, validate passes and compute publishes the right counts', () => {
    // before the planner fills in the TODO values, validate names what is missing
    const before = spm(['validate', dir]);
    expect(before.stdout + before.stderr).toContain('noch nicht ausgefüllt');
    // the planner completes the area list (names of the Sozialräume) and the TODO values
    completeProject(dir);

    const v = spm(['validate', dir]);
    expect(v.stderr).not.toContain('Fehler');
    expect(v.status).toBe(0);
    expect(v.stdout).not.toContain('noch nicht ausgefüllt');

    const ind = spm(['indicators', dir]);
    expect(ind.status).toBe(0);
    expect(ind.stdout).toContain('[x] sgb2_quote_unter_15');
    expect(ind.stdout).toContain('[-] kita_quote_unter_3');

    const c = spm(['compute', dir, '--no-charts', '--format', 'csv', '--quiet']);
    expect(c.stderr).toBe('');
    expect(c.status).toBe(0);
    const rows = kennzahlen(path.join(dir, 'out', 'kennzahlen.csv'));
    const ids = new Set(rows.map((x) => x.indicator_id));
    for (const id of [
      'sgb2_quote_unter_15',
      'seu_adipositas',
      'seu_uebergewicht_inkl_adipositas',
      'u8_nichtteilnahme',
      'hze_eckwert',
      'inobhutnahmen',
    ])
      expect(ids).toContain(id);
    expect(ids).not.toContain('kita_quote_unter_3');
    const pick = (id: string, level: string, area: string, year: number): Record<string, string> => {
      const row = rows.find(
        (x) =>
          x.indicator_id === id &&
          x.level === level &&
          x.area_id === area &&
          x.year === String(year) &&
          x.pool_years === '1',
      );
      if (!row) throw new Error(`keine Zeile ${id} ${level} ${area} ${year}`);
      return row;
    };

    // SGB II unter 15, Sozialraum A1 2024: the counts as written
    const a1 = pick('sgb2_quote_unter_15', 'sozialraum', 'A1', 2024);
    expect(num(a1.numerator)).toBe(truth.nef.get('A1|2024'));
    expect(num(a1.denominator)).toBe(truth.u15.get('A1|2024'));
    // the "*" cell is masked (gesperrt), not read as a number
    const star = pick('sgb2_quote_unter_15', 'sozialraum', 'C2', 2023);
    expect(star.suppression).toBe('gesperrt');
    expect([star.numerator, star.value]).toEqual(['', '']);

    // Adipositas, Kreis 2024: children with a valid measurement, BMI percentile > 97
    const kids = truth.children.filter((k) => k.year === 2024 && k.valid && k.bmi !== null);
    const adi = pick('seu_adipositas', 'kreis', '06999', 2024);
    expect(num(adi.denominator)).toBe(kids.length);
    expect(num(adi.numerator)).toBe(kids.filter((k) => (k.bmi as number) > 97).length);

    // U8 not taken part, Kommune Adorf 2023 (school year 2022/23 -> 2023)
    const adorf = new Set(['A1', 'A2', 'A3']);
    const heft = truth.children.filter((k) => k.year === 2023 && adorf.has(k.sr) && k.heft);
    const u8 = pick('u8_nichtteilnahme', 'kommune', '06999001', 2023);
    expect(num(u8.denominator)).toBe(heft.length);
    expect(num(u8.numerator)).toBe(heft.filter((k) => k.u8 === false).length);

    // HzE-Eckwert, Bestadt 2024: the AGS without its leading zero was repaired, not dropped
    const hze = pick('hze_eckwert', 'kommune', '06999002', 2024);
    expect(num(hze.numerator)).toBe(truth.hze.get('06999002|2024'));
    expect(num(hze.denominator)).toBe(truth.u21.get('06999002|2024'));
  }, 240_000);

  it('a Sozialindex for 8 Sozialräume: what the masks leave too few for is left out with a warning, the rest is published', () => {
    // the planner adds a Sozialindex; with 8 small Sozialräume the masks leave 4 with all values:
    // too few for 5 types, and with four indicators too few for PCA weights (it needs 5)
    const yamlFile = path.join(dir, 'spm.yaml');
    const base = fs.readFileSync(yamlFile, 'utf8');
    const block = (ids: string, gewichte: string): string =>
      `${base}\nsozialindex:\n  indikatoren: [${ids}]\n  gewichte: ${gewichte}\n  typen: { anzahl: 5, seed: 1, starts: 10 }\n`;
    const out = path.join(dir, 'out');
    try {
      fs.writeFileSync(yamlFile, block('sgb2_quote_unter_15, seu_adipositas', 'gleich'));
      const c = spm(['compute', dir, '--no-charts', '--format', 'csv']);
      expect(c.status).toBe(0);
      expect(c.stdout).toContain(
        'spm.yaml, sozialindex.typen.anzahl: Sozialraumtypen 2024 nicht gebildet: 5 Typen brauchen mindestens 5 Sozialräume mit allen Werten, vorhanden 4',
      );
      expect(c.stdout).toContain('Sozialindex (sozialindex/, Steckbrief sozialindex/steckbrief.md): 2024: 4 von 8');
      const steckbrief = fs.readFileSync(path.join(out, 'sozialindex', 'steckbrief.md'), 'utf8');
      expect(steckbrief).toContain('- 2024: keine Typen gebildet – 5 Typen brauchen mindestens 5 Sozialräume');
      expect(
        fs.readFileSync(path.join(out, 'sozialindex', 'sozialindex.csv'), 'utf8').split('\n').length,
      ).toBeGreaterThan(8);
      // no year has types: no type tables with a header alone
      expect(fs.existsSync(path.join(out, 'sozialindex', 'sozialraumtypen.csv'))).toBe(false);
      expect(fs.existsSync(path.join(out, 'vergleich', 'vergleich_sozialraumtypen.csv'))).toBe(false);

      fs.writeFileSync(
        yamlFile,
        block('sgb2_quote_unter_15, seu_adipositas, u8_nichtteilnahme, seu_uebergewicht_inkl_adipositas', 'pca'),
      );
      const p = spm(['compute', dir, '--no-charts', '--format', 'csv']);
      expect(p.status).toBe(0);
      expect(p.stdout).toMatch(
        /Warnung: .*spm\.yaml, sozialindex\.gewichte: Sozialindex 2024 nicht berechnet: Hauptkomponente braucht mindestens 5 Sozialräume mit allen Werten, vorhanden [0-4] /,
      );
      expect(p.stdout).not.toContain('Sozialindex (sozialindex/');
      // every other output is published; no index of an earlier run is left standing
      expect(kennzahlen(path.join(out, 'kennzahlen.csv')).length).toBe(468);
      expect(fs.existsSync(path.join(out, 'sozialindex'))).toBe(false);
    } finally {
      fs.writeFileSync(yamlFile, base);
    }
  }, 240_000);
});
