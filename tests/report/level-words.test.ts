/**
 * Report and chart texts name the project's declared levels: a Stadt whose levels
 * are Stadtbezirk > Stadtteil reads "Stadtbezirke" and "Stadtteile", never
 * "Kommune"; the Kreis project keeps its words (see pages.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/index.js';
import {
  dativePluralDe,
  dativeTop,
  forTop,
  genitiveTop,
  inTop,
  levelWords,
  pluralDe,
} from '../../src/charts/levels.js';
import { areaPhrase } from '../../src/report/sentences.js';
import { MINI, reportInput, tmpDir } from './helpers.js';

let tmp: string;
let files: string[];

/** The mini project as a kreisfreie Stadt: same data, levels declared as Stadtbezirk > Stadtteil. */
function stadtMini(dir: string): string {
  fs.cpSync(MINI, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
  const y = path.join(dir, 'spm.yaml');
  const text = fs
    .readFileSync(y, 'utf8')
    .replace('kreis: { ags: "05558", name: Kreis Test }\n', '')
    .replace(
      '  file: gebiete.csv\n',
      [
        '  file: gebiete.csv',
        '  top: { level: stadt, label: Stadt, id: "05558", name: Teststadt }',
        '  levels:',
        '    - { name: kommune, label: Stadtbezirk, id_column: kommune_ags, name_column: kommune_name }',
        '    - { name: sozialraum, label: Stadtteil, id_column: sozialraum_id, name_column: sozialraum_name }',
        '',
      ].join('\n'),
    );
  expect(text).toContain('label: Stadtbezirk');
  expect(text).not.toContain('kreis:');
  fs.writeFileSync(y, text);
  return dir;
}

/** Visible text of an HTML page: tags, scripts and attribute values left out. */
const visible = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ');

beforeAll(async () => {
  tmp = tmpDir('spm-report-levels-');
  const input = await reportInput(stadtMini(path.join(tmp, 'stadt')), tmp);
  const result = await writeReports(input, {
    outDir: path.join(tmp, 'r'),
    chartFiles: { formats: ['svg'], dpi: 96, workers: 0 },
  });
  files = result.files;
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a kreisfreie Stadt with Stadtbezirke', () => {
  it('no "Kommune", "Sozialraum" or "AGS" in the text of any page, chart title or alt text', () => {
    const pages = files.filter((f) => /\.(html|md)$/.test(f));
    expect(pages.length).toBeGreaterThan(2);
    for (const f of pages) {
      const text = f.endsWith('.html') ? visible(fs.readFileSync(f, 'utf8')) : fs.readFileSync(f, 'utf8');
      // file names of the pages (kommune-<code>.html) are links, not words a reader sees
      const words = text.replace(/\(?[\w/.-]*kommune-[\w.-]+\)?/g, ' ');
      expect(
        words.match(/.{0,40}(Kommun|Sozialr|AGS|Kreiswert|im Kreis\b|dem Kreis\b|des Kreises|Kreis bzw\.).{0,40}/g),
        path.basename(f),
      ).toBeNull();
    }
    const kommunePage = visible(fs.readFileSync(files.find((f) => /kommune-[^/]*\.html$/.test(f))!, 'utf8'));
    expect(kommunePage).toMatch(/Stadtwert|als in der Stadt/);
    const index = visible(fs.readFileSync(files.find((f) => f.endsWith('index.html'))!, 'utf8'));
    expect(index).toContain('Stadtbezirke im Überblick');
    expect(index).toContain('Je Stadtbezirk:');
    expect(index).toContain('Bericht des Stadtbezirks');
    // the Stadt's own words where the Kreis report says "des Kreises", "seine", "Kreis bzw."
    expect(index).toMatch(/für Teststadt und ihre \d+ Stadtbezirke:/);
    expect(index).toContain('signifikant vom Stadtwert abweichen');
    expect(index).toContain('Kennzahlen der Stadt und der Stadtbezirke mit einem statistisch gesicherten Trend');
    expect(index).toContain('Vergleichswert (Stadt bzw. Stadtbezirk)');
    const md = fs.readFileSync(files.find((f) => f.endsWith('index.md'))!, 'utf8');
    expect(md).toContain('jeweils mit der Linie der Stadt.');
    const specs = files.filter((f) => f.endsWith('.svg'));
    expect(specs.length).toBeGreaterThan(0);
    for (const f of specs) expect(fs.readFileSync(f, 'utf8'), path.basename(f)).not.toMatch(/Kommun|Sozialr/);
  });

  it('chart legends compare with the Stadt by its name, never "als Kreis"', () => {
    const svgs = files.filter((f) => f.endsWith('.svg')).map((f) => fs.readFileSync(f, 'utf8'));
    const legends = svgs.join('\n').match(/(ungünstiger|günstiger|höher|niedriger) als [^<"]+/g) ?? [];
    expect(legends.length).toBeGreaterThan(0);
    for (const l of legends) expect(l).not.toMatch(/als Kreis/);
    expect(legends.some((l) => l.includes('als Teststadt'))).toBe(true);
  });
});

describe('level words', () => {
  it('sentences name the smallest level with its article', () => {
    const w = levelWords(['Stadt', 'Stadtbezirk', 'Stadtteil'], false);
    expect(areaPhrase('sozialraum', 'Altona-Nord', w)).toBe('im Stadtteil Altona-Nord');
    expect(areaPhrase('sozialraum', 'Lette')).toBe('im Sozialraum Lette');
    expect(areaPhrase('sozialraum', 'Mitte', levelWords(['Land', 'Bezirk', 'Bezirksregion']))).toBe(
      'in der Bezirksregion Mitte',
    );
  });
  it('plurals and the Kreis default', () => {
    expect(
      ['Stadtbezirk', 'Stadtteil', 'Planungsraum', 'Gemeinde', 'Bezirksregion', 'Stadtbezirksteil'].map(pluralDe),
    ).toEqual(['Stadtbezirke', 'Stadtteile', 'Planungsräume', 'Gemeinden', 'Bezirksregionen', 'Stadtbezirksteile']);
    expect(levelWords(['Kreis', 'Kommune', 'Sozialraum']).kreis).toBe(true);
    expect(levelWords(['Stadt', 'Stadtbezirk', 'Stadtteil'], false)).toMatchObject({
      seconds: 'Stadtbezirke',
      smallests: 'Stadtteile',
      secondFeminine: false,
      code: 'Schlüssel',
    });
  });
  it('words for the top level: Kreiswert, Stadtwert, Landeswert', () => {
    expect(levelWords(['Kreis', 'Kommune', 'Sozialraum'])).toMatchObject({
      topValue: 'Kreiswert',
      withTop: 'dem Kreis',
    });
    expect(levelWords(['Stadt', 'Stadtbezirk', 'Stadtteil'], false)).toMatchObject({
      top: 'Stadt',
      topValue: 'Stadtwert',
      inTopLevel: 'in der Stadt',
      theTop: 'die Stadt',
      withTop: 'der Stadt',
    });
    expect(levelWords(['Land', 'Bezirk', 'Bezirksregion'])).toMatchObject({
      topValue: 'Landeswert',
      inTopLevel: 'im Land',
      theTop: 'das Land',
    });
    expect(levelWords(['Bezirk', 'Stadtteil', 'Block'])).toMatchObject({
      topValue: 'Bezirkswert',
      theTop: 'der Bezirk',
    });
  });
  it('genitive and possessive of the top level: des Kreises / seine, der Stadt / ihre, des Landes / seine', () => {
    const of = (labels: string[]) => {
      const w = levelWords(labels);
      return [w.ofTop, w.topPossessive];
    };
    expect(of(['Kreis', 'Kommune', 'Sozialraum'])).toEqual(['des Kreises', 'seine']);
    expect(of(['Stadt', 'Kommune', 'Sozialraum'])).toEqual(['der Stadt', 'ihre']);
    expect(of(['Stadt', 'Stadtbezirk', 'Stadtteil'])).toEqual(['der Stadt', 'ihre']);
    expect(of(['Land', 'Bezirk', 'Bezirksregion'])).toEqual(['des Landes', 'seine']);
    expect(of(['Bezirk', 'Stadtteil', 'Block'])).toEqual(['des Bezirks', 'seine']);
    expect(of(['Landkreis', 'Gemeinde', 'Ortsteil'])).toEqual(['des Landkreises', 'seine']);
  });
});

describe('the whole area named in a sentence', () => {
  // in, mit (dative), genitive, für: the article follows the name's head noun; a plain place name takes none
  const forms = (name: string): string[] => [inTop(name), dativeTop(name), genitiveTop(name), forTop(name)];
  it('a Kreis, however it is named', () => {
    expect(forms('Kreis Coesfeld')).toEqual([
      'im Kreis Coesfeld',
      'dem Kreis Coesfeld',
      'des Kreises Coesfeld',
      'für den Kreis Coesfeld',
    ]);
    expect(forms('Landkreis Osnabrück')).toEqual([
      'im Landkreis Osnabrück',
      'dem Landkreis Osnabrück',
      'des Landkreises Osnabrück',
      'für den Landkreis Osnabrück',
    ]);
    expect(forms('Hochsauerlandkreis')).toEqual([
      'im Hochsauerlandkreis',
      'dem Hochsauerlandkreis',
      'des Hochsauerlandkreises',
      'für den Hochsauerlandkreis',
    ]);
    expect(forms('Rhein-Sieg-Kreis')[2]).toBe('des Rhein-Sieg-Kreises');
    expect(forms('Märkischer Kreis')).toEqual([
      'im Märkischen Kreis',
      'dem Märkischen Kreis',
      'des Märkischen Kreises',
      'für den Märkischen Kreis',
    ]);
  });
  it('a Stadt, a Region, a Land and a plain name', () => {
    expect(forms('Landeshauptstadt München')).toEqual([
      'in der Landeshauptstadt München',
      'der Landeshauptstadt München',
      'der Landeshauptstadt München',
      'für die Landeshauptstadt München',
    ]);
    expect(forms('Freie und Hansestadt Hamburg')).toEqual([
      'in der Freien und Hansestadt Hamburg',
      'der Freien und Hansestadt Hamburg',
      'der Freien und Hansestadt Hamburg',
      'für die Freie und Hansestadt Hamburg',
    ]);
    expect(forms('Städteregion Aachen')[0]).toBe('in der Städteregion Aachen');
    expect(forms('Land Berlin')).toEqual([
      'im Land Berlin',
      'dem Land Berlin',
      'des Landes Berlin',
      'für das Land Berlin',
    ]);
    expect(forms('Teststadt')).toEqual(['in Teststadt', 'Teststadt', 'von Teststadt', 'für Teststadt']);
    expect(forms('Berlin')[2]).toBe('von Berlin');
  });
  it('dative plural of a level after "von"', () => {
    expect(['Sozialraum', 'Stadtbezirk', 'Gemeinde', 'Planungsraum', 'Bezirksregion'].map(dativePluralDe)).toEqual([
      'Sozialräumen',
      'Stadtbezirken',
      'Gemeinden',
      'Planungsräumen',
      'Bezirksregionen',
    ]);
  });
});
