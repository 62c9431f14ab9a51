/**
 * The raw files of the own-Kreis end-to-end test (tests/e2e/own-kreis.test.ts), shaped unlike the
 * sample: other headers, Windows-1252 from Excel, a title line, a Jobcenter file with "*" and an
 * Excel-padded footer, SEU with one row per child, a Kommune AGS that lost its leading zero. Shared
 * with the LP attack (tests/privacy/lp-attack-more.test.ts), which attacks the project set up from them.
 *
 * The "Musterkreis" (06999) and all values are invented for these tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';

export const KOMMUNEN = [
  { ags: '06999001', name: 'Adorf', sr: ['A1', 'A2', 'A3'] },
  { ags: '06999002', name: 'Bestadt', sr: ['B1', 'B2', 'B3'] },
  { ags: '06999003', name: 'Cehausen', sr: ['C1', 'C2'] },
];
const SR = KOMMUNEN.flatMap((k) => k.sr.map((id) => ({ id, ags: k.ags })));
const YEARS = [2022, 2023, 2024];

/** Small deterministic PRNG so the files are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cp1252 = (s: string): Buffer => iconv.encode(s.replace(/\n/g, '\r\n'), 'windows-1252');

export interface Truth {
  u15: Map<string, number>; // `${sr}|${year}`
  nef: Map<string, number | '*'>;
  children: { sr: string; year: number; valid: boolean; bmi: number | null; heft: boolean; u8: boolean | null }[];
  hze: Map<string, number>; // `${ags}|${year}`
  u21: Map<string, number>;
}

export function writeRawFolder(dir: string): Truth {
  const r = rng(16);
  const t: Truth = { u15: new Map(), nef: new Map(), children: [], hze: new Map(), u21: new Map() };
  fs.mkdirSync(path.join(dir, 'Lieferungen'), { recursive: true });
  // Einwohnermeldeamt: one file per year, title line, Excel column order of its own
  for (const y of YEARS) {
    const lines = [
      `Einwohner nach Altersgruppen, Musterkreis, Stand 31.12.${y}`,
      'SR-Nr;Jahr;0 - 3 Jahre;3 - 6 Jahre;unter 15 Jahre;unter 18 Jahre;unter 21 Jahre;Einwohner insgesamt;Ausländer;Lebendgeborene',
    ];
    for (const s of SR) {
      const u3 = 60 + Math.floor(r() * 60);
      const u6 = 60 + Math.floor(r() * 60);
      const u15 = u3 + u6 + 200 + Math.floor(r() * 150);
      const u18 = u15 + 60 + Math.floor(r() * 40);
      const u21 = u18 + 60 + Math.floor(r() * 40);
      const all = u21 * 4 + Math.floor(r() * 500);
      t.u15.set(`${s.id}|${y}`, u15);
      t.u21.set(`${s.ags}|${y}`, (t.u21.get(`${s.ags}|${y}`) ?? 0) + u21);
      lines.push(
        [
          s.id,
          y,
          u3,
          u6,
          u15,
          u18,
          u21,
          all.toLocaleString('de-DE'),
          Math.floor(all * 0.1),
          20 + Math.floor(r() * 20),
        ].join(';'),
      );
    }
    fs.writeFileSync(path.join(dir, 'Lieferungen', `Einwohner_${y}.csv`), cp1252(lines.join('\n') + '\n'));
  }
  // Jobcenter: "*" for 1 or 2, a title line and an Excel-padded source line at the bottom
  {
    const lines = [
      'Sonderauswertung SGB II nach Sozialräumen;;;;;',
      'Sozialraum;Berichtsjahr;NEF u15;eLb 15 bis unter 18;BG mit Kindern;Alleinerziehende BG',
    ];
    for (const y of YEARS)
      for (const s of SR) {
        const small = s.id === 'C2' && y === 2023;
        const nef = small ? '*' : 15 + Math.floor(r() * 80);
        t.nef.set(`${s.id}|${y}`, nef);
        const bg = 40 + Math.floor(r() * 60);
        lines.push([s.id, y, nef, 5 + Math.floor(r() * 10), bg, Math.floor(bg * 0.4)].join(';'));
      }
    lines.push('Quelle: Statistik der Bundesagentur für Arbeit;;;;;');
    fs.writeFileSync(path.join(dir, 'Lieferungen', 'Jobcenter_SGB2.csv'), cp1252(lines.join('\n') + '\n'));
  }
  // Gesundheitsamt: one row per child, school year, decimal comma, ja/nein
  {
    const lines = [
      'Lfd. Nr.;Schuljahr;SR;GKZ;Geschlecht;Messung gültig;BMI-Perzentil;Sprachtest;Sprachförderbedarf;Impfpass;Masern-Impfungen;U-Heft vorgelegt;U8;U9',
    ];
    let nr = 0;
    for (const y of YEARS)
      for (const s of SR)
        for (let i = 0; i < 25 + Math.floor(r() * 10); i++) {
          const valid = r() > 0.05;
          const bmi = valid ? Math.round(r() * 1000) / 10 : null;
          const heft = r() > 0.1;
          const u8 = heft ? r() > 0.08 : null;
          const tested = r() > 0.1;
          const pass = r() > 0.1;
          t.children.push({ sr: s.id, year: y, valid, bmi, heft, u8 });
          const yn = (b: boolean | null): string => (b === null ? '' : b ? 'ja' : 'nein');
          lines.push(
            [
              ++nr,
              `${y - 1}/${String(y).slice(2)}`,
              s.id,
              s.ags,
              r() > 0.5 ? 'w' : 'm',
              yn(valid),
              bmi === null ? '' : String(bmi).replace('.', ','),
              yn(tested),
              tested ? yn(r() > 0.7) : '',
              yn(pass),
              pass ? Math.floor(r() * 3) : '',
              yn(heft),
              yn(u8),
              yn(heft ? r() > 0.1 : null),
            ].join(';'),
          );
        }
    fs.writeFileSync(path.join(dir, 'Lieferungen', 'SEU_Einzeldaten.csv'), cp1252(lines.join('\n') + '\n'));
  }
  // Jugendamt: per Kommune; Excel dropped the leading zero of one AGS
  {
    const lines = ['Gemeinde;AGS;Jahr;Hilfen insgesamt;HzE ohne 35a;Inobhutnahmen'];
    for (const y of YEARS)
      for (const k of KOMMUNEN) {
        const all = 30 + Math.floor(r() * 40);
        t.hze.set(`${k.ags}|${y}`, all);
        lines.push(
          [k.name, k.ags === '06999002' ? '6999002' : k.ags, y, all, all - 5, 3 + Math.floor(r() * 5)].join(';'),
        );
      }
    fs.writeFileSync(path.join(dir, 'Lieferungen', 'HzE_Jugendamt.csv'), cp1252(lines.join('\n') + '\n'));
  }
  return t;
}

/**
 * What the planner does after `spm init`: names the Sozialräume in gebiete.csv and fills the TODO
 * values of spm.yaml (the Kreis name and the data holders).
 */
export function completeProject(dir: string): void {
  const areasFile = path.join(dir, 'gebiete.csv');
  const completed = fs
    .readFileSync(areasFile, 'utf8')
    .split('\n')
    .map((l, i) =>
      i === 0 || l === '' ? l : l.replace(/^([A-C]\d);;/, (_m, id: string) => `${id};Sozialraum ${id};`),
    );
  fs.writeFileSync(areasFile, completed.join('\n'));
  const yamlFile = path.join(dir, 'spm.yaml');
  const yaml = fs
    .readFileSync(yamlFile, 'utf8')
    .replace('"TODO: Name des Kreises"', '"Musterkreis"')
    .replace(/"TODO: Datenhalter"/g, '"Musterkreis, Fachdienst"');
  fs.writeFileSync(yamlFile, yaml);
}
