/**
 * Generator of the bundled synthetic sample project `data-samples/kreis-coesfeld/`.
 *
 * Run: `npx tsx data-samples/generate.ts [outDir] [--seed N]`
 *
 * Everything is derived from one seed through a small PRNG (mulberry32); there is no
 * Math.random, no clock and no locale-dependent formatting, so every run writes the same
 * bytes. The shape follows the real Kreis Coesfeld (AGS 05558, 11 Kommunen with their real
 * AGS), the values are invented: a latent deprivation score per Sozialraum drives SGB II,
 * SEU findings, U-Untersuchungen, Kita attendance, HzE etc.; counts get binomial/Poisson noise.
 *
 * Files written (README.md and out/ in the folder are left alone):
 *   spm.yaml, gebiete.csv, rohdaten/bevoelkerung_<Jahr>.csv, rohdaten/sgb2_sozialraeume.csv,
 *   rohdaten/seu_microdata.csv, rohdaten/hze_kommunen.csv, rohdaten/kita_betreuung.csv,
 *   rohdaten/fruehe_hilfen_willkommensbesuche.csv, ziele.yaml (example goals of the Zielsystem)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { syntheticGeoJson } from './geo.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_SEED = 5558;
export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2024;
export const YEARS: readonly number[] = Array.from(
  { length: LAST_YEAR - FIRST_YEAR + 1 },
  (_, i) => FIRST_YEAR + i,
);

/** Relative paths of every file the generator writes (for tests and tools). */
export function generatedFiles(): string[] {
  return [
    'spm.yaml',
    'gebiete.csv',
    ...YEARS.map((y) => `rohdaten/bevoelkerung_${y}.csv`),
    'rohdaten/sgb2_sozialraeume.csv',
    'rohdaten/seu_microdata.csv',
    'rohdaten/hze_kommunen.csv',
    'rohdaten/kita_betreuung.csv',
    'rohdaten/fruehe_hilfen_willkommensbesuche.csv',
    'geo/sozialraeume.geojson',
    'geo/kommunen.geojson',
    'land/nrw_referenzwerte.csv',
    'ziele.yaml',
  ];
}

// ---------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a label mixed with the seed: independent streams per topic. */
function streamSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

class Rng {
  private readonly u: () => number;
  private spare: number | undefined;
  constructor(seed: number) {
    this.u = mulberry32(seed);
  }
  uniform(): number {
    return this.u();
  }
  bernoulli(p: number): boolean {
    return this.u() < p;
  }
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u1 = this.u();
    while (u1 <= 1e-12) u1 = this.u();
    const u2 = this.u();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 40) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= this.u();
      } while (p > l);
      return k - 1;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    let k = 0;
    for (let i = 0; i < n; i++) if (this.u() < p) k++;
    return k;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.u() * (i + 1));
      const t = xs[i] as T;
      xs[i] = xs[j] as T;
      xs[j] = t;
    }
    return xs;
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Standard normal CDF (Abramowitz/Stegun 7.1.26 for erf, |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

// ---------------------------------------------------------------------------------------
// Areas
// ---------------------------------------------------------------------------------------

interface KommuneDef {
  ags: string;
  name: string;
  /** [Sozialraum name, residents 2015 (approx.), latent deprivation score] */
  areas: [string, number, number][];
}

/** The 11 Kommunen of the Kreis Coesfeld with their real AGS; Sozialräume partly invented. */
export const KOMMUNEN: readonly KommuneDef[] = [
  {
    ags: '05558004',
    name: 'Ascheberg',
    areas: [
      ['Ascheberg-Mitte', 5200, 0.4],
      ['Ascheberg-Nord', 3100, -0.3],
      ['Herbern', 4900, -0.2],
      ['Davensberg', 1700, -0.6],
      ['Bauerschaften Ascheberg', 600, -1.0],
    ],
  },
  {
    ags: '05558008',
    name: 'Billerbeck',
    areas: [
      ['Billerbeck-Innenstadt', 3600, 0.6],
      ['Billerbeck-Ost', 3300, -0.2],
      ['Billerbeck-West', 3400, -0.4],
      ['Beerlage', 450, -1.0],
      ['Bauerschaften Billerbeck', 950, -0.9],
    ],
  },
  {
    ags: '05558012',
    name: 'Coesfeld',
    areas: [
      ['Coesfeld-Innenstadt', 5200, 1.2],
      ['Coesfeld-Nord', 4800, 0.3],
      ['Coesfeld-Ost', 5600, -0.2],
      ['Coesfeld-Süd', 5400, 0.1],
      ['Coesfeld-Südwest', 4300, 2.0],
      ['Coesfeld-West', 4500, 0.5],
      ['Lette', 4200, -0.4],
      ['Goxel', 380, -1.1],
      ['Flamschen/Stevede', 2120, -0.9],
    ],
  },
  {
    ags: '05558016',
    name: 'Dülmen',
    areas: [
      ['Dülmen-Mitte', 8000, 1.4],
      ['Dülmen-Nord', 7200, 2.2],
      ['Dülmen-Ost', 5600, 0.6],
      ['Dülmen-Süd', 6000, 0.0],
      ['Dülmen-West', 6400, 0.9],
      ['Hausdülmen', 3300, -0.3],
      ['Buldern', 5200, -0.4],
      ['Hiddingsel', 1700, -0.7],
      ['Merfeld', 2000, -0.3],
      ['Rorup', 1600, -0.8],
    ],
  },
  {
    ags: '05558020',
    name: 'Havixbeck',
    areas: [
      ['Havixbeck-Ortskern', 4100, 0.3],
      ['Havixbeck-Nord', 3200, -0.3],
      ['Havixbeck-Süd', 2900, -0.5],
      ['Hohenholte', 1250, -0.8],
      ['Bauerschaften Havixbeck', 550, -1.0],
    ],
  },
  {
    ags: '05558024',
    name: 'Lüdinghausen',
    areas: [
      ['Lüdinghausen-Innenstadt', 4500, 0.9],
      ['Lüdinghausen-Nord', 4300, 0.2],
      ['Lüdinghausen-Ost', 4000, 1.8],
      ['Lüdinghausen-Süd', 3700, -0.1],
      ['Lüdinghausen-West', 2600, -0.3],
      ['Seppenrade', 4700, -0.5],
      ['Aldenhövel/Tetekum', 1200, -0.9],
    ],
  },
  {
    ags: '05558028',
    name: 'Nordkirchen',
    areas: [
      ['Nordkirchen-Ortskern', 3900, 0.1],
      ['Nordkirchen-Nord', 2300, -0.3],
      ['Südkirchen', 2700, -0.4],
      ['Capelle', 1500, -0.6],
    ],
  },
  {
    ags: '05558032',
    name: 'Nottuln',
    areas: [
      ['Nottuln-Ortskern', 5200, 0.5],
      ['Nottuln-Nord', 3600, -0.2],
      ['Nottuln-Süd', 3300, 0.0],
      ['Appelhülsen', 4200, -0.3],
      ['Schapdetten', 1600, -0.7],
      ['Darup', 2100, -0.6],
    ],
  },
  {
    ags: '05558036',
    name: 'Olfen',
    areas: [
      ['Olfen-Mitte', 4300, 0.4],
      ['Olfen-Nord', 3500, -0.1],
      ['Olfen-Süd', 3200, -0.3],
      ['Vinnum', 1600, -0.6],
      ['Kökelsum/Eversum', 400, -1.0],
    ],
  },
  {
    ags: '05558040',
    name: 'Rosendahl',
    areas: [
      ['Osterwick', 4600, -0.2],
      ['Holtwick', 3100, -0.1],
      ['Darfeld', 2700, -0.4],
      ['Höven', 600, -0.9],
    ],
  },
  {
    ags: '05558044',
    name: 'Senden',
    areas: [
      ['Senden-Ortskern', 6000, 0.7],
      ['Senden-Nord', 4000, 0.0],
      ['Senden-Süd', 3200, -0.3],
      ['Bösensell', 2600, -0.6],
      ['Ottmarsbocholt', 3900, -0.4],
      ['Venne', 800, -0.8],
    ],
  },
];

interface Area {
  id: string;
  name: string;
  ags: string;
  kommune: string;
  pop0: number;
  d: number;
}

function buildAreas(): Area[] {
  const out: Area[] = [];
  for (const k of KOMMUNEN) {
    k.areas.forEach(([name, pop0, d], i) => {
      out.push({ id: `${k.ags}-${String(i + 1).padStart(2, '0')}`, name, ags: k.ags, kommune: k.name, pop0, d });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Formatting and encodings
// ---------------------------------------------------------------------------------------

/** Integer with German thousands dots: 12345 -> "12.345". */
function thousands(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += '.';
    out += s[i];
  }
  return (n < 0 ? '-' : '') + out;
}

/** One decimal with decimal comma: 87.26 -> "87,3". */
function decComma1(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1).replace('.', ',');
}

const CP1252_EXTRA: Record<string, number> = {
  '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '–': 0x96, '—': 0x97, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94,
};

/** Encode text as Windows-1252; throws on characters outside the code page. */
function cp1252(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) bytes.push(c);
    else if (CP1252_EXTRA[ch] !== undefined) bytes.push(CP1252_EXTRA[ch]);
    else throw new Error(`Zeichen ${JSON.stringify(ch)} nicht in Windows-1252`);
  }
  return Buffer.from(bytes);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function lines(rows: string[], eol: '\n' | '\r\n'): string {
  return rows.map((r) => r + eol).join('');
}

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

// ---------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------

interface Pop {
  u3: number;
  a3_6: number;
  a6_10: number;
  a10_15: number;
  a15_18: number;
  a18_21: number;
  total: number;
  nd: number;
  births: number;
}

const u15 = (p: Pop): number => p.u3 + p.a3_6 + p.a6_10 + p.a10_15;
const u18 = (p: Pop): number => u15(p) + p.a15_18;
const u21 = (p: Pop): number => u18(p) + p.a18_21;

/** Year factors 2015..2024 of the age bands (births rose to 2021 and fell from 2022). */
const F_U3 = [0.93, 0.97, 0.99, 1.0, 1.01, 1.01, 1.04, 1.03, 0.99, 0.95];
const F_3_6 = [0.92, 0.93, 0.95, 0.97, 0.99, 1.0, 1.01, 1.02, 1.04, 1.03];
const F_6_10 = [0.96, 0.97, 0.97, 0.98, 0.99, 1.0, 1.01, 1.03, 1.04, 1.05];
const F_10_15 = [1.03, 1.02, 1.0, 0.99, 0.98, 0.98, 0.99, 1.0, 1.01, 1.02];
const F_15_18 = [1.05, 1.05, 1.04, 1.02, 1.0, 0.99, 0.98, 0.98, 0.99, 1.0];
const F_18_21 = [1.04, 1.05, 1.05, 1.04, 1.02, 1.0, 0.98, 0.97, 0.98, 0.98];
/** SGB II level by year (logit shift): dip 2015-2019/2021, rise with Ukraine 2022-2023. */
const SGB2_YEAR = [0.1, 0.14, 0.12, 0.03, -0.07, -0.03, -0.09, 0.06, 0.18, 0.15];

const at = (xs: readonly number[], i: number): number => xs[Math.min(Math.max(i, 0), xs.length - 1)] ?? 1;

function simulatePopulation(areas: Area[], seed: number): Map<string, Map<number, Pop>> {
  const rng = new Rng(streamSeed(seed, 'bevoelkerung'));
  const out = new Map<string, Map<number, Pop>>();
  for (const a of areas) {
    const growth = 0.0005 + 0.005 * rng.uniform(); // Neubaugebiete in some areas
    const childMult = clamp(1 + 0.1 * a.d, 0.8, 1.3);
    const refugeeWeight = Math.max(0, a.d + 0.5);
    const byYear = new Map<number, Pop>();
    for (const y of YEARS) {
      const t = y - FIRST_YEAR;
      const flight = 1 + (y >= 2016 ? 0.008 * refugeeWeight : 0) + (y >= 2022 ? 0.007 * refugeeWeight : 0);
      const T = a.pop0 * (1 + growth * t) * flight;
      const kidsFlight = 1 + (y >= 2016 ? 0.015 * refugeeWeight : 0) + (y >= 2022 ? 0.02 * refugeeWeight : 0);
      const p: Pop = {
        u3: rng.poisson(T * 0.027 * childMult * at(F_U3, t) * kidsFlight),
        a3_6: rng.poisson(T * 0.027 * childMult * at(F_3_6, t) * kidsFlight),
        a6_10: rng.poisson(T * 0.036 * childMult * at(F_6_10, t) * kidsFlight),
        a10_15: rng.poisson(T * 0.047 * childMult * at(F_10_15, t) * kidsFlight),
        a15_18: rng.poisson(T * 0.03 * childMult * at(F_15_18, t) * kidsFlight),
        a18_21: rng.poisson(T * 0.033 * (1 + 0.05 * a.d) * at(F_18_21, t)),
        total: 0,
        nd: 0,
        births: 0,
      };
      p.total = Math.max(rng.poisson(T), u21(p) + 1);
      const ndShare = clamp(
        0.015 +
          0.033 * (a.d + 1.1) +
          0.003 * t +
          (y >= 2016 ? 0.006 * (1 + Math.max(a.d, 0)) : 0) +
          (y >= 2022 ? 0.007 * (1 + Math.max(a.d, 0)) : 0),
        0.005,
        0.4,
      );
      p.nd = rng.binomial(p.total, ndShare);
      p.births = rng.poisson((p.u3 / 3) * (y >= 2023 ? 0.96 : 1.0));
      byYear.set(y, p);
    }
    out.set(a.id, byYear);
  }
  return out;
}

function popOf(pop: Map<string, Map<number, Pop>>, id: string, y: number): Pop {
  const p = pop.get(id)?.get(y);
  if (!p) throw new Error(`no population for ${id} ${y}`);
  return p;
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

function gebieteCsv(areas: Area[]): string {
  const rows = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis'];
  for (const a of areas) rows.push(`${a.id};${a.name};${a.ags};${a.kommune};${FIRST_YEAR};`);
  return lines(rows, '\n');
}

const BEV_HEADERS = [
  'Sozialraum',
  'Bezeichnung',
  'Jahr',
  'unter 3',
  '3 bis unter 6',
  '6 bis unter 10',
  '10 bis unter 15',
  '15 bis unter 18',
  '18 bis unter 21',
  'unter 15',
  'unter 18',
  'unter 21',
  'insgesamt',
  'nichtdeutsch',
  'Geburten',
];

function bevoelkerungCsv(areas: Area[], pop: Map<string, Map<number, Pop>>, y: number): Buffer {
  const rows = [BEV_HEADERS.map(q).join(';')];
  for (const a of areas) {
    const p = popOf(pop, a.id, y);
    const vals = [p.u3, p.a3_6, p.a6_10, p.a10_15, p.a15_18, p.a18_21, u15(p), u18(p), u21(p), p.total, p.nd, p.births];
    rows.push([q(a.id), q(a.name), String(y), ...vals.map(thousands)].join(';'));
  }
  return Buffer.concat([BOM, Buffer.from(lines(rows, '\r\n'), 'utf8')]);
}

/** BA convention: 0 -> "-", 1 and 2 -> "*", otherwise with thousands dots. */
function ba(n: number): string {
  if (n === 0) return '-';
  if (n <= 2) return '*';
  return thousands(n);
}

export const SGB2_HEADERS = {
  area: 'Sozialraum',
  name: 'Sozialraumname',
  year: 'Kalenderjahr',
  month: 'Berichtsmonat',
  personen_bg: 'Personen in Bedarfsgemeinschaften',
  nef_u15: 'Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren',
  lb_15_18: 'Leistungsberechtigte 15 bis unter 18 Jahre',
  lb_18_21: 'Leistungsberechtigte 18 bis unter 21 Jahre',
  bg_kinder: 'Bedarfsgemeinschaften mit Kindern unter 18 Jahren',
  bg_ae: 'Alleinerziehenden-Bedarfsgemeinschaften',
} as const;

function sgb2Csv(areas: Area[], pop: Map<string, Map<number, Pop>>, seed: number): Buffer {
  const rng = new Rng(streamSeed(seed, 'sgb2'));
  const h = SGB2_HEADERS;
  const rows = [
    'Statistik der Grundsicherung für Arbeitsuchende nach dem SGB II - Sonderauswertung nach Sozialräumen, Kreis Coesfeld, Berichtsmonat Dezember',
    [h.area, h.name, h.year, h.month, h.personen_bg, h.nef_u15, h.lb_15_18, h.lb_18_21, h.bg_kinder, h.bg_ae].join(';'),
  ];
  const areaEffect = new Map(areas.map((a) => [a.id, 0.12 * rng.normal()]));
  for (const y of YEARS) {
    const t = y - FIRST_YEAR;
    for (const a of areas) {
      const p = popOf(pop, a.id, y);
      const logit =
        -3.0 + 0.95 * a.d + at(SGB2_YEAR, t) + (areaEffect.get(a.id) ?? 0) + (y >= 2022 ? 0.05 * Math.max(0, a.d) : 0) + 0.05 * rng.normal();
      const pr = sigmoid(logit);
      const nef = rng.binomial(u15(p), pr);
      const lb1518 = rng.binomial(p.a15_18, pr * 0.85);
      const lb1821 = rng.binomial(p.a18_21, pr * 0.65);
      const bgK = rng.binomial(nef + lb1518, 1 / 1.9);
      const bgAe = rng.binomial(bgK, clamp(0.4 + 0.04 * a.d, 0.3, 0.55));
      // adults in Bedarfsgemeinschaften: lower rate than children; gives values over 1.000
      const adultsBg = rng.binomial(p.total - u18(p), pr * 0.42);
      const personen = nef + lb1518 + adultsBg;
      rows.push([a.id, a.name, String(y), 'Dezember', ba(personen), ba(nef), ba(lb1518), ba(lb1821), ba(bgK), ba(bgAe)].join(';'));
    }
  }
  rows.push(
    'Quelle: Statistik der Bundesagentur für Arbeit, Sonderauswertung für das Jobcenter Kreis Coesfeld (synthetische Beispieldaten); * = Wert 1 oder 2 aus Datenschutzgründen anonymisiert; - = nichts vorhanden',
  );
  return cp1252(lines(rows, '\r\n'));
}

export const SEU_COLUMNS = [
  'lfd_nr',
  'sozialraum',
  'schuljahr',
  'geschlecht',
  'groesse_gewicht_gueltig',
  'bmi_perzentil',
  'sprache_getestet',
  'sprache_befund',
  'visuomotorik_getestet',
  'visuomotorik_befund',
  'koerperkoordination_getestet',
  'koerperkoordination_befund',
  'impfpass_vorgelegt',
  'masern_dosen',
  'vorsorgeheft_vorgelegt',
  'u7a',
  'u8',
  'u9',
  'u1_u9_vollstaendig',
] as const;

const jn = (b: boolean): string => (b ? 'ja' : 'nein');

function seuCsv(areas: Area[], pop: Map<string, Map<number, Pop>>, seed: number): string {
  const rng = new Rng(streamSeed(seed, 'seu'));
  const rows = [SEU_COLUMNS.join(';')];
  let lfd = 0;
  for (const y of YEARS) {
    const t = y - FIRST_YEAR;
    const schuljahr = `${y - 1}/${String(y % 100).padStart(2, '0')}`;
    const corona = y === 2021 || y === 2022 ? 1 : y === 2023 ? 0.5 : 0;
    const yearRows: string[][] = [];
    for (const a of areas) {
      // children starting school in summer y were 5 at 31.12. of y-1 ("3 bis unter 6")
      const base = popOf(pop, a.id, Math.max(FIRST_YEAR, y - 1));
      const n = rng.poisson(base.a3_6 / 3);
      for (let i = 0; i < n; i++) {
        const d = a.d;
        const fam = 0.5 * rng.normal(); // family-level latent, correlates findings
        const male = rng.bernoulli(0.513);
        const valid = rng.bernoulli(0.975);
        let bmi = '';
        if (valid) {
          const mu = -0.03 + 0.17 * d + 0.1 * fam + 0.012 * t + 0.07 * corona + (y >= 2023 ? 0.03 : 0);
          const pct = clamp(100 * phi(mu + rng.normal()), 0.1, 99.9);
          bmi = decComma1(pct);
        }
        const spT = rng.bernoulli(clamp(0.965 - 0.02 * Math.max(d, 0), 0.85, 0.99));
        const spB = spT ? jn(rng.bernoulli(sigmoid(-2.0 + 0.75 * d + 0.5 * fam + 0.02 * t + (y >= 2023 ? 0.15 : 0)))) : '';
        const vmT = rng.bernoulli(0.97);
        const vmB = vmT ? jn(rng.bernoulli(sigmoid(-1.9 + 0.35 * d + 0.4 * fam + (male ? 0.35 : 0) + 0.2 * corona))) : '';
        const kkT = rng.bernoulli(0.96);
        const kkB = kkT ? jn(rng.bernoulli(sigmoid(-2.1 + 0.3 * d + 0.4 * fam + (male ? 0.2 : 0) + 0.25 * corona))) : '';
        const impf = rng.bernoulli(clamp(0.93 - 0.035 * d - 0.02 * fam, 0.75, 0.99));
        let masern = '';
        if (impf) {
          if (rng.bernoulli(0.003)) masern = '.';
          else {
            const law = y >= 2021 ? 0.9 : y === 2020 ? 0.4 : 0;
            const p2 = sigmoid(2.4 - 0.25 * d - 0.3 * fam + 0.03 * t + law);
            masern = rng.bernoulli(p2) ? '2' : rng.bernoulli(0.6) ? '1' : '0';
          }
        }
        const heft = rng.bernoulli(clamp(0.94 - 0.04 * d - 0.02 * fam, 0.75, 0.99));
        let u7a = '';
        let u8 = '';
        let u9 = '';
        let komplett = '';
        if (heft) {
          const b7a = rng.bernoulli(sigmoid(3.0 - 0.55 * d - 0.5 * fam + 0.03 * t));
          const b8 = rng.bernoulli(sigmoid(2.9 - 0.55 * d - 0.5 * fam + 0.03 * t));
          const b9 = rng.bernoulli(sigmoid(2.8 - 0.55 * d - 0.5 * fam + 0.04 * t - (y === 2021 ? 0.2 : 0)));
          const rest = rng.bernoulli(sigmoid(2.6 - 0.3 * d - 0.3 * fam));
          u7a = jn(b7a);
          u8 = jn(b8);
          u9 = jn(b9);
          komplett = jn(b7a && b8 && b9 && rest);
        }
        yearRows.push([
          a.id,
          schuljahr,
          male ? 'm' : 'w',
          jn(valid),
          bmi,
          jn(spT),
          spB,
          jn(vmT),
          vmB,
          jn(kkT),
          kkB,
          jn(impf),
          masern,
          jn(heft),
          u7a,
          u8,
          u9,
          komplett,
        ]);
      }
    }
    // the Gesundheitsamt's export is in order of examination, not by Sozialraum
    rng.shuffle(yearRows);
    for (const r of yearRows) rows.push([String(++lfd), ...r].join(';'));
  }
  return lines(rows, '\n');
}

export const HZE_HEADERS = {
  ags: 'Gemeindeschlüssel',
  name: 'Gemeinde',
  year: 'Jahr',
  l27: 'HzE §§ 27-35 laufend am 31.12.',
  b27: 'HzE §§ 27-35 beendet im Jahr',
  l35a: '§ 35a laufend am 31.12.',
  b35a: '§ 35a beendet im Jahr',
  l41: '§ 41 laufend am 31.12.',
  b41: '§ 41 beendet im Jahr',
  sum: 'Hilfen insgesamt (§§ 27-35, 35a, 41) laufend + beendet',
  sumOhne35a: 'Hilfen §§ 27-35, 41 (ohne 35a) laufend + beendet',
  fremd: 'Fremdunterbringung §§ 33, 34 laufend + beendet',
  inob: 'Inobhutnahmen § 42',
} as const;

interface KommuneAgg {
  ags: string;
  name: string;
  d: number;
  pop: Map<number, { u18: number; u21: number; births: number }>;
}

function kommuneAggregates(areas: Area[], pop: Map<string, Map<number, Pop>>): KommuneAgg[] {
  return KOMMUNEN.map((k) => {
    const mine = areas.filter((a) => a.ags === k.ags);
    const w = mine.reduce((s, a) => s + a.pop0, 0);
    const d = mine.reduce((s, a) => s + a.pop0 * a.d, 0) / w;
    const byYear = new Map<number, { u18: number; u21: number; births: number }>();
    for (const y of YEARS) {
      let s18 = 0;
      let s21 = 0;
      let b = 0;
      for (const a of mine) {
        const p = popOf(pop, a.id, y);
        s18 += u18(p);
        s21 += u21(p);
        b += p.births;
      }
      byYear.set(y, { u18: s18, u21: s21, births: b });
    }
    return { ags: k.ags, name: k.name, d, pop: byYear };
  });
}

/** Statistics offices' convention: "-" for exactly zero. */
const dash = (n: number): string => (n === 0 ? '-' : thousands(n));

function hzeCsv(kommunen: KommuneAgg[], seed: number): Buffer {
  const rng = new Rng(streamSeed(seed, 'hze'));
  const h = HZE_HEADERS;
  const rows = [[h.ags, h.name, h.year, h.l27, h.b27, h.l35a, h.b35a, h.l41, h.b41, h.sum, h.sumOhne35a, h.fremd, h.inob].join(';')];
  for (const y of YEARS) {
    const t = y - FIRST_YEAR;
    for (const k of kommunen) {
      const p = k.pop.get(y);
      if (!p) throw new Error('pop');
      const rate = 0.026 * (1 + 0.55 * k.d) * (1 + 0.015 * t);
      const total = rng.poisson(p.u21 * rate);
      const n35a = rng.binomial(total, 0.14 + 0.012 * t);
      const n41 = rng.binomial(total - n35a, 0.075);
      const n27 = total - n35a - n41;
      const l27 = rng.binomial(n27, 0.58);
      const l35a = rng.binomial(n35a, 0.6);
      const l41 = rng.binomial(n41, 0.55);
      const fremd = rng.binomial(n27, 0.26);
      const uma = y === 2015 ? 2.6 : y === 2016 ? 2.0 : y === 2017 ? 1.3 : y >= 2022 ? 1.1 : 1.0;
      const inob = rng.poisson(p.u18 * 0.0022 * (1 + 0.5 * k.d) * uma);
      rows.push(
        [k.ags, k.name, String(y), dash(l27), dash(n27 - l27), dash(l35a), dash(n35a - l35a), dash(l41), dash(n41 - l41), dash(total), dash(n27 + n41), dash(fremd), dash(inob)].join(';'),
      );
    }
  }
  return cp1252(lines(rows, '\r\n'));
}

export const KITA_HEADERS = {
  kommune: 'Kommune',
  area: 'Sozialraum',
  year: 'Jahr',
  u3Kita: 'Kinder unter 3 Jahren in Kindertageseinrichtungen',
  u3Tp: 'Kinder unter 3 Jahren in Kindertagespflege',
  u3: 'Kinder unter 3 Jahren betreut zusammen',
  ue3: 'Kinder 3 bis unter 6 Jahren betreut zusammen',
} as const;

function kitaCsv(areas: Area[], pop: Map<string, Map<number, Pop>>, seed: number): string {
  const rng = new Rng(streamSeed(seed, 'kita'));
  const h = KITA_HEADERS;
  const rows = [[h.kommune, h.area, h.year, h.u3Kita, h.u3Tp, h.u3, h.ue3].join(';')];
  for (const y of YEARS) {
    const t = y - FIRST_YEAR;
    for (const k of KOMMUNEN) {
      const sums = [0, 0, 0, 0];
      for (const a of areas.filter((x) => x.ags === k.ags)) {
        const p = popOf(pop, a.id, y);
        const q3 = clamp(0.24 + 0.012 * t - 0.045 * a.d - (y === 2021 ? 0.01 : 0), 0.05, 0.6);
        const u3 = rng.binomial(p.u3, q3);
        const tp = rng.binomial(u3, clamp(0.3 - 0.05 * a.d, 0.1, 0.45));
        const q36 = clamp(0.955 - 0.03 * a.d - (y >= 2022 ? 0.02 * Math.max(a.d, 0) : 0), 0.8, 0.99);
        const ue3 = rng.binomial(p.a3_6, q36);
        const vals = [u3 - tp, tp, u3, ue3];
        vals.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v));
        rows.push([k.name, a.id, String(y), ...vals.map(String)].join(';'));
      }
      // the Jugendamt's Kita-Bedarfsplanung closes every Kommune block with a total line
      rows.push([k.name, 'Insgesamt', String(y), ...sums.map(String)].join(';'));
    }
  }
  return lines(rows, '\n');
}

export const FH_HEADERS = {
  ags: 'AGS',
  name: 'Kommune',
  year: 'Jahr',
  angeschrieben: 'Familien angeschrieben',
  besuche: 'Willkommensbesuche durchgeführt',
} as const;

function fruehHilfenCsv(kommunen: KommuneAgg[], seed: number): string {
  const rng = new Rng(streamSeed(seed, 'fruehe_hilfen'));
  const h = FH_HEADERS;
  const rows = [[h.ags, h.name, h.year, h.angeschrieben, h.besuche].join(',')];
  for (const y of YEARS) {
    const t = y - FIRST_YEAR;
    for (const k of kommunen) {
      const p = k.pop.get(y);
      if (!p) throw new Error('pop');
      if (k.name === 'Rosendahl' && y <= 2016) {
        // documentation of the Willkommensbesuche only from 2017 on
        rows.push([k.ags, k.name, String(y), '.', '.'].join(','));
        continue;
      }
      const ang = rng.binomial(p.births, 0.97);
      const corona = y === 2020 ? 0.55 : y === 2021 ? 0.8 : 1;
      const besuche = rng.binomial(ang, clamp((0.62 + 0.02 * t - 0.05 * k.d) * corona, 0.05, 0.95));
      rows.push([k.ags, k.name, String(y), String(ang), String(besuche)].join(','));
    }
  }
  return lines(rows, '\n');
}

// ---------------------------------------------------------------------------------------
// spm.yaml
// ---------------------------------------------------------------------------------------

function yq(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
}

function col(name: string, header: string, type: string, description?: string): string {
  return `      ${name}: { header: ${yq(header)}, type: ${type}${description ? `, description: ${yq(description)}` : ''} }`;
}

function spmYaml(seed: number): string {
  const hz = HZE_HEADERS;
  const sg = SGB2_HEADERS;
  const ki = KITA_HEADERS;
  const fh = FH_HEADERS;
  const seuBool = (n: string, d: string): string => col(n, n, 'boolean', d);
  return `# Beispielprojekt des spm: SYNTHETISCHE Daten in der Form des Kreises Coesfeld.
# Erzeugt mit \`npx tsx data-samples/generate.ts\` (Seed ${seed}); nicht von Hand bearbeiten,
# sondern data-samples/generate.ts ändern und neu erzeugen.
name: "Kreis Coesfeld - synthetisches Beispielprojekt (keine echten Daten)"
synthetic: true
kreis:
  ags: "05558"
  name: "Kreis Coesfeld"

areas:
  file: gebiete.csv
  read: { encoding: utf-8, delimiter: ";" }

sources:
  # schema: welches kanonische Quellschema die Quelle liefert (indicators/SCHEMAS.md); das
  # Standardset "spm:standard" rechnet mit den dort festgelegten Spaltennamen unter columns:.
  # Einwohnermeldeamt: eine Datei je Jahr, UTF-8 mit BOM, Tausenderpunkte.
  # Kodierung und Trennzeichen bleiben auf auto (BOM-Erkennung), Tausenderpunkt ist festgelegt,
  # weil "1.234" sonst auch als Dezimalzahl gelesen werden könnte.
  - id: bevoelkerung
    title: "Bevölkerung nach Altersgruppen (Einwohnermeldeamt)"
    files: "rohdaten/bevoelkerung_*.csv"
    kind: aggregated
    schema: bevoelkerung
    read: { thousands: "." }
    area: { column: "Sozialraum", level: sozialraum }
    period: { column: "Jahr", kind: kalenderjahr }
    columns:
${[
  col('bev_unter_3', 'unter 3', 'count'),
  col('bev_3_bis_unter_6', '3 bis unter 6', 'count'),
  col('bev_6_bis_unter_10', '6 bis unter 10', 'count'),
  col('bev_10_bis_unter_15', '10 bis unter 15', 'count'),
  col('bev_15_bis_unter_18', '15 bis unter 18', 'count'),
  col('bev_18_bis_unter_21', '18 bis unter 21', 'count'),
  col('bev_unter_15', 'unter 15', 'count', 'Summe der Altersgruppen unter 15 (vom Meldeamt mitgeliefert)'),
  col('bev_unter_18', 'unter 18', 'count', 'Summe der Altersgruppen unter 18'),
  col('bev_unter_21', 'unter 21', 'count', 'Summe der Altersgruppen unter 21'),
  col('bev_insgesamt', 'insgesamt', 'count'),
  col('bev_nichtdeutsch', 'nichtdeutsch', 'count', 'Personen ohne deutsche Staatsangehörigkeit'),
  col('geburten', 'Geburten', 'count', 'Lebendgeborene im Kalenderjahr (Wohnort Sozialraum)'),
].join('\n')}
    stichtag: "31.12."
    owner: "Einwohnermeldeämter der Kommunen, zusammengeführt vom Kreis Coesfeld"
    stand: "2025-02-14"
    note: "Melderegister, nicht Fortschreibung IT.NRW: keine Zensus-Korrektur"

  # Bundesagentur für Arbeit / Jobcenter: Windows-1252, CRLF, Titelzeile, Quellenzeile,
  # "*" für 1 und 2, "-" für nichts vorhanden. Ein sorgfältiger Planer legt das fest.
  - id: sgb2
    title: "SGB II nach Sozialräumen (Sonderauswertung der Bundesagentur für Arbeit)"
    files: "rohdaten/sgb2_sozialraeume.csv"
    kind: aggregated
    schema: sgb2
    read:
      encoding: windows-1252
      delimiter: ";"
      thousands: "."
      skip_top: 1
      skip_bottom: 1
    area: { column: ${yq(sg.area)}, level: sozialraum }
    period: { column: ${yq(sg.year)}, kind: kalenderjahr }
    columns:
${[
  col('personen_in_bg', sg.personen_bg, 'count', 'alle Personen in SGB-II-Bedarfsgemeinschaften'),
  col('nef_unter_15', sg.nef_u15, 'count', 'NEF unter 15 in SGB-II-Bedarfsgemeinschaften'),
  col('lb_15_bis_unter_18', sg.lb_15_18, 'count'),
  col('lb_18_bis_unter_21', sg.lb_18_21, 'count'),
  col('bg_mit_kindern', sg.bg_kinder, 'count'),
  col('bg_alleinerziehende', sg.bg_ae, 'count'),
].join('\n')}
    stichtag: "Dezember"
    owner: "Statistik der Bundesagentur für Arbeit / Jobcenter Kreis Coesfeld"
    stand: "2025-04-10"

  # Schuleingangsuntersuchung: Mikrodaten, eine Zeile je untersuchtem Kind.
  # Schuljahr 2023/24 = Einschulung Sommer 2024 -> Bezugsjahr 2024 (end_year).
  - id: seu
    title: "Schuleingangsuntersuchung (SOPESS), Einzeldaten"
    files: "rohdaten/seu_microdata.csv"
    kind: microdata
    schema: [seu, u_untersuchungen]
    read: { delimiter: ";", decimal: comma }
    area: { column: "sozialraum", level: sozialraum }
    period: { column: "schuljahr", kind: schuljahr, schuljahr_rule: end_year }
    columns:
${[
  col('lfd_nr', 'lfd_nr', 'integer', 'laufende Nummer der Untersuchung'),
  col('geschlecht', 'geschlecht', 'text', 'm / w'),
  seuBool('groesse_gewicht_gueltig', 'Größe und Gewicht gültig gemessen'),
  col('bmi_perzentil', 'bmi_perzentil', 'number', 'BMI-Perzentil nach Kromeyer-Hauschild (leer ohne gültige Messung)'),
  seuBool('sprache_getestet', 'Sprachkompetenz getestet (SOPESS)'),
  seuBool('sprache_befund', 'Sprachförderbedarf festgestellt (leer wenn nicht getestet)'),
  seuBool('visuomotorik_getestet', 'Visuomotorik getestet'),
  seuBool('visuomotorik_befund', 'Visuomotorik auffällig'),
  seuBool('koerperkoordination_getestet', 'Körperkoordination getestet'),
  seuBool('koerperkoordination_befund', 'Körperkoordination auffällig'),
  seuBool('impfpass_vorgelegt', 'Impfpass vorgelegt'),
  col('masern_dosen', 'masern_dosen', 'integer', 'dokumentierte Masern-Impfdosen 0/1/2 (leer ohne Impfpass)'),
  seuBool('vorsorgeheft_vorgelegt', 'Vorsorgeheft (gelbes Heft) vorgelegt'),
  seuBool('u7a', 'U7a dokumentiert (leer ohne Heft)'),
  seuBool('u8', 'U8 dokumentiert (leer ohne Heft)'),
  seuBool('u9', 'U9 dokumentiert (leer ohne Heft)'),
  seuBool('u1_u9_vollstaendig', 'U1 bis U9 vollständig dokumentiert (leer ohne Heft)'),
].join('\n')}
    stichtag: "Untersuchungszeitraum des Schuljahres (Einschulung im Sommer des Bezugsjahres)"
    owner: "Kreis Coesfeld, Gesundheitsamt (Kinder- und Jugendgesundheitsdienst)"
    stand: "2024-08-31"

  # Jugendamt: nur Kommune-Ebene (Gemeindeschlüssel), Windows-1252, "-" für null.
  - id: hze
    title: "Hilfen zur Erziehung, Eingliederungshilfe § 35a, Inobhutnahmen nach Kommunen"
    files: "rohdaten/hze_kommunen.csv"
    kind: aggregated
    schema: hze
    read: { encoding: windows-1252 }
    area: { column: ${yq(hz.ags)}, level: kommune }
    period: { column: ${yq(hz.year)}, kind: kalenderjahr }
    columns:
${[
  col('hze_27_35_laufend', hz.l27, 'count'),
  col('hze_27_35_beendet', hz.b27, 'count'),
  col('hze_35a_laufend', hz.l35a, 'count'),
  col('hze_35a_beendet', hz.b35a, 'count'),
  col('hze_41_laufend', hz.l41, 'count'),
  col('hze_41_beendet', hz.b41, 'count'),
  col('hze_insgesamt', hz.sum, 'count', 'Hilfen §§ 27-35, 35a, 41: laufend am 31.12. + im Jahr beendet'),
  col('hze_ohne_35a', hz.sumOhne35a, 'count', 'Hilfen §§ 27-35, 41 ohne 35a: laufend am 31.12. + im Jahr beendet'),
  col('fremdunterbringung_33_34', hz.fremd, 'count', 'Vollzeitpflege § 33 und Heimerziehung § 34: laufend + beendet'),
  col('inobhutnahmen_42', hz.inob, 'count', 'vorläufige Schutzmaßnahmen nach § 42 im Jahr'),
].join('\n')}
    stichtag: "31.12. (laufende Hilfen) bzw. Kalenderjahr (beendete Hilfen, Inobhutnahmen)"
    owner: "Jugendämter im Kreis Coesfeld (Kreisjugendamt und Stadtjugendämter)"
    stand: "2025-05-20"
    note: "Jugendämter liefern nur nach Kommunen, nicht nach Sozialräumen"

  # Kita-Bedarfsplanung: Kinder nach Wohnort-Sozialraum; Summenzeilen "Insgesamt" je Kommune
  # stehen in der Datei und sind keine Gebiete. Leseoptionen bleiben auf auto.
  - id: kita
    title: "Kindertagesbetreuung nach Wohnort-Sozialraum (Kita-Bedarfsplanung)"
    files: "rohdaten/kita_betreuung.csv"
    kind: aggregated
    schema: kita
    area: { column: ${yq(ki.area)}, level: sozialraum }
    period: { column: ${yq(ki.year)}, kind: kalenderjahr }
    columns:
${[
  col('kita_u3_einrichtung', ki.u3Kita, 'count'),
  col('kita_u3_tagespflege', ki.u3Tp, 'count'),
  col('kita_u3_betreut', ki.u3, 'count', 'Kinder unter 3 in Kita oder Kindertagespflege'),
  col('kita_3_bis_unter_6_betreut', ki.ue3, 'count', 'Kinder 3 bis unter 6 in Kita oder Kindertagespflege'),
].join('\n')}
    stichtag: "01.03."
    owner: "Jugendämter im Kreis Coesfeld, Kita-Bedarfsplanung"
    stand: "2024-09-30"

  # Frühe Hilfen: Kommune-Ebene, Komma-getrennt (Export aus einer Web-Anwendung), alles auto.
  - id: fruehe_hilfen
    title: "Frühe Hilfen: Willkommensbesuche nach Kommunen"
    files: "rohdaten/fruehe_hilfen_willkommensbesuche.csv"
    kind: aggregated
    schema: fruehe_hilfen
    area: { column: ${yq(fh.ags)}, level: kommune }
    period: { column: ${yq(fh.year)}, kind: kalenderjahr }
    columns:
${[
  col('fh_familien_angeschrieben', fh.angeschrieben, 'count'),
  col('fh_willkommensbesuche', fh.besuche, 'count', 'durchgeführte Willkommensbesuche bei Familien mit Neugeborenen'),
].join('\n')}
    stichtag: "Kalenderjahr"
    owner: "Netzwerkkoordination Frühe Hilfen im Kreis Coesfeld"
    stand: "2025-01-31"

indicators: ["spm:standard"]
output: out

# Karten: synthetische Gebietsgrenzen (plausibel, nicht die echten)
geo:
  sozialraeume: geo/sozialraeume.geojson
  kommunen: geo/kommunen.geojson
  id_property: id

# Landeswerte (synthetisch) zum Vergleich in Tabellen und Zeitreihen
land:
  file: land/nrw_referenzwerte.csv
  name: NRW
  source: Landeswerte NRW (synthetisch)
  stand: 2025-03-31

# Beziehungen zwischen veröffentlichten Anzahlen, die aus den Definitionen folgen, aber nicht
# aus den Filtern ablesbar sind (getrennte Spalten): die Geheimhaltung muss sie kennen, weil
# ein Angreifer sie kennt. spm prüft sie an den Daten.
relations:
  - total: bevoelkerung.bev_unter_15
    parts: [bevoelkerung.bev_unter_3, bevoelkerung.bev_3_bis_unter_6, bevoelkerung.bev_6_bis_unter_10, bevoelkerung.bev_10_bis_unter_15]
  - total: bevoelkerung.bev_unter_18
    parts: [bevoelkerung.bev_unter_15, bevoelkerung.bev_15_bis_unter_18]
  - total: bevoelkerung.bev_unter_21
    parts: [bevoelkerung.bev_unter_18, bevoelkerung.bev_18_bis_unter_21]
  - total: bevoelkerung.bev_insgesamt
    parts: [bevoelkerung.bev_unter_21]
    rest: true
  - total: bevoelkerung.bev_insgesamt
    parts: [bevoelkerung.bev_nichtdeutsch]
    rest: true
  - total: hze.hze_insgesamt
    parts: [hze.hze_ohne_35a, hze.hze_35a_laufend, hze.hze_35a_beendet]
  - total: hze.hze_ohne_35a
    parts: [hze.fremdunterbringung_33_34]
    rest: true

settings:
  min_denominator: 20
  pool_years: 3
  language: de
  years: { from: ${FIRST_YEAR}, to: ${LAST_YEAR} }

# Sozialindex je Sozialraum (Vorbild: Statusindex des Berliner Monitorings Soziale Stadtentwicklung):
# z-Werte der gewählten Indikatoren, gleich gewichtet; gepoolte 3-Jahres-Werte, weil Einzeljahre
# kleiner Sozialräume oft gesperrt sind. Ein gesperrter Eingangswert ergibt keinen Index.
# Sozialraumtypen: k-means mit 4 Typen (Seed fest), Vergleich mit "ähnlichen Sozialräumen".
sozialindex:
  indikatoren:
    - sgb2_quote_unter_15
    - sgb2_alleinerziehende_bg_anteil
    - seu_sprachfoerderbedarf
    - { id: anteil_nichtdeutsch, richtung: hoeher_ist_bedarf }
  pool_jahre: 3
  standardisierung: z
  gewichte: gleich
  fehlend: kein_index
  unsicherheit: { ziehungen: 1000, seed: 5558, niveau: 0.9 }
  typen: { anzahl: 4, seed: 5558, starts: 10 }

# Ziele der Kommunen und des Kreises (Zielsystem): in ziele.yaml, bewertet in vergleich/ziele.csv
# und in der Zielübersicht der Kommunalprofile
ziele: ziele.yaml
`;
}

/**
 * Example goals (Zielsystem), as Modellkommunen of "Kein Kind zurücklassen!" set them:
 * a Zielwert with a milestone for a Kommune, a direction for the Kreis, a Zielwert that
 * is off its path, and a goal on two Sozialräume whose small values are masked (the
 * evaluation then says "nicht beurteilbar" and derives no number from them).
 */
function zieleYaml(): string {
  return `# Ziele (Zielsystem) des synthetischen Beispielprojekts. Bewertet werden nur
# veröffentlichte Werte: gesperrte Start- oder aktuelle Werte ergeben "nicht beurteilbar".
ziele:
  - id: u7a_duelmen
    titel: "Nichtteilnahme an der U7a in Dülmen sinkt bis 2026 auf 4 %"
    gebiet: "05558016"
    kennzahl: u7a_nichtteilnahme
    zielwert: 4
    startjahr: 2019
    zieljahr: 2026
    meilensteine:
      - { jahr: 2022, wert: 6 }
    verantwortlich: "Stadt Dülmen, Netzwerk Frühe Hilfen mit dem Kinder- und Jugendgesundheitsdienst"
    handlungsfeld: "Gesundheit in der frühen Kindheit"
    beschreibung: "Erinnerungsschreiben zur U7a und Lotsinnen in den Familienzentren."
  - id: sprache_kreis
    titel: "Sinkender Anteil der Kinder mit Sprachförderbedarf im Kreis"
    gebiet: "05558"
    kennzahl: seu_sprachfoerderbedarf
    richtung: sinken
    startjahr: 2019
    zieljahr: 2027
    verantwortlich: "Kreis Coesfeld, Fachdienst Kindertagesbetreuung"
    handlungsfeld: "Sprachliche Bildung"
    beschreibung: "Alltagsintegrierte Sprachbildung in allen Kitas (Sprach-Kitas)."
  - id: kita_u3_luedinghausen
    titel: "Betreuungsquote unter 3 Jahren in Lüdinghausen bis 2025 auf 35 %"
    gebiet: "05558024"
    kennzahl: kita_quote_unter_3
    zielwert: 35
    startjahr: 2018
    zieljahr: 2025
    verantwortlich: "Stadt Lüdinghausen, Jugendamt (Kita-Bedarfsplanung)"
    handlungsfeld: "Frühe Bildung und Betreuung"
  - id: u7a_duelmen_innenstadt
    titel: "Weniger Kinder ohne U7a in der Dülmener Innenstadt"
    gebiete: ["05558016-01", "05558016-03"]
    gruppenname: "Dülmen-Innenstadt (Mitte und Ost)"
    kennzahl: u7a_nichtteilnahme
    richtung: sinken
    startjahr: 2019
    zieljahr: 2026
    verantwortlich: "Stadt Dülmen, Quartiersmanagement Innenstadt"
    handlungsfeld: "Gesundheit in der frühen Kindheit"
    beschreibung: "Aufsuchende Beratung im Quartier; in kleinen Sozialräumen sind Werte oft gesperrt."
`;
}

// ---------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------

/** Write the sample project into `outDir` (created if needed; `rohdaten/` is replaced). */
export function generateSample(outDir: string, opts: { seed?: number } = {}): void {
  const seed = opts.seed ?? DEFAULT_SEED;
  const areas = buildAreas();
  const pop = simulatePopulation(areas, seed);
  const kommunen = kommuneAggregates(areas, pop);

  const raw = join(outDir, 'rohdaten');
  rmSync(raw, { recursive: true, force: true });
  mkdirSync(raw, { recursive: true });

  writeFileSync(join(outDir, 'spm.yaml'), spmYaml(seed), 'utf8');
  writeFileSync(join(outDir, 'ziele.yaml'), zieleYaml(), 'utf8');
  writeFileSync(join(outDir, 'gebiete.csv'), gebieteCsv(areas), 'utf8');
  for (const y of YEARS) writeFileSync(join(raw, `bevoelkerung_${y}.csv`), bevoelkerungCsv(areas, pop, y));
  writeFileSync(join(raw, 'sgb2_sozialraeume.csv'), sgb2Csv(areas, pop, seed));
  writeFileSync(join(raw, 'seu_microdata.csv'), seuCsv(areas, pop, seed), 'utf8');
  writeFileSync(join(raw, 'hze_kommunen.csv'), hzeCsv(kommunen, seed));
  writeFileSync(join(raw, 'kita_betreuung.csv'), kitaCsv(areas, pop, seed), 'utf8');
  writeFileSync(join(raw, 'fruehe_hilfen_willkommensbesuche.csv'), fruehHilfenCsv(kommunen, seed), 'utf8');
  // Synthetic boundaries for the maps (plausible, not the real ones).
  const geo = syntheticGeoJson(areas, seed);
  mkdirSync(join(outDir, 'geo'), { recursive: true });
  writeFileSync(join(outDir, 'geo', 'sozialraeume.geojson'), JSON.stringify(geo.sozialraeume) + '\n', 'utf8');
  writeFileSync(join(outDir, 'geo', 'kommunen.geojson'), JSON.stringify(geo.kommunen) + '\n', 'utf8');
  mkdirSync(join(outDir, 'land'), { recursive: true });
  writeFileSync(join(outDir, 'land', 'nrw_referenzwerte.csv'), landCsv(seed), 'utf8');
}

/**
 * Synthetic Land (NRW) reference values for a few indicators, shaped like the
 * published NRW figures (SGB-II-Quote u15 around 17 %, HzE-Eckwert around 330
 * per 10.000 unter 21, Übergewicht inkl. Adipositas around 11 %).
 */
function landCsv(seed: number): string {
  const rng = mulberry32(seed ^ 0x4e5257);
  const lines = ['indicator_id;year;value'];
  const series: [string, (i: number) => number][] = [
    ['sgb2_quote_unter_15', (i) => 17.6 - 0.35 * Math.min(i, 5) + (i >= 7 ? 0.6 * (i - 6) : 0)],
    ['hze_eckwert', (i) => 318 + 2.5 * i],
    ['seu_uebergewicht_inkl_adipositas', (i) => 10.8 + 0.12 * i],
    ['seu_masern_impfquote_2_dosen', (i) => 92.5 + 0.45 * i],
  ];
  for (const [id, f] of series) {
    YEARS.forEach((y, i) => lines.push(`${id};${y};${(f(i) + (rng() - 0.5) * 0.2).toFixed(1).replace('.', ',')}`));
  }
  return lines.join('\n') + '\n';
}

const here = dirname(fileURLToPath(import.meta.url));
export const SAMPLE_DIR = join(here, 'kreis-coesfeld');

function main(argv: string[]): void {
  let out = SAMPLE_DIR;
  let seed = DEFAULT_SEED;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') seed = Number(argv[++i]);
    else if (a !== undefined) out = resolve(a);
  }
  if (!Number.isInteger(seed)) throw new Error('--seed erwartet eine ganze Zahl');
  generateSample(out, { seed });
  process.stdout.write(`Beispielprojekt geschrieben: ${out} (Seed ${seed})\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
