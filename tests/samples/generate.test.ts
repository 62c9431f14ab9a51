/**
 * The bundled sample project (data-samples/kreis-coesfeld) and the standard Kennzahlenset
 * (indicators/*.yaml): deterministic generation, schema validity, cross references and a
 * plausibility check of the synthetic data.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generatedFiles, generateSample, SAMPLE_DIR } from '../../data-samples/generate.js';
import {
  IndicatorFileSchema,
  ProjectFileSchema,
  type Indicator,
  type Measure,
  type ProjectFile,
  type SourceConfig,
} from '../../src/config/schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const INDICATOR_DIR = join(ROOT, 'indicators');

const tmpDirs: string[] = [];
function freshSample(seed?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'spm-sample-'));
  tmpDirs.push(dir);
  generateSample(dir, seed === undefined ? {} : { seed });
  return dir;
}
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

function listFiles(dir: string, skip: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      const rel = relative(dir, abs).split('\\').join('/');
      if (skip(rel)) continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

function loadProject(): ProjectFile {
  const raw: unknown = parseYaml(readFileSync(join(SAMPLE_DIR, 'spm.yaml'), 'utf8'));
  return ProjectFileSchema.parse(raw);
}

function loadIndicators(): { file: string; defs: Indicator[] }[] {
  return readdirSync(INDICATOR_DIR)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => {
      const parsed = IndicatorFileSchema.parse(parseYaml(readFileSync(join(INDICATOR_DIR, f), 'utf8')));
      return { file: f, defs: 'indicators' in parsed ? parsed.indicators : [parsed] };
    });
}

// ---- raw CSV helpers (deliberately independent of src/ingest) --------------------------

function decode(buf: Buffer, encoding: string): string {
  if (encoding === 'windows-1252' || encoding === 'latin1') return new TextDecoder('windows-1252').decode(buf);
  return new TextDecoder('utf-8').decode(buf).replace(/^\uFEFF/, '');
}

function splitRow(line: string, delim: string): string[] {
  return line.split(delim).map((c) => c.replace(/^"(.*)"$/, '$1').replace(/""/g, '"'));
}

/** Header and data rows of a sample CSV, using the source's declared (or the known) layout. */
function readCsv(abs: string, src?: SourceConfig): { header: string[]; rows: string[][] } {
  const text = decode(readFileSync(abs), src?.read.encoding ?? 'utf-8');
  let ls = text.split(/\r?\n/);
  if (ls[ls.length - 1] === '') ls.pop();
  const top = typeof src?.read.skip_top === 'number' ? src.read.skip_top : 0;
  const bottom = typeof src?.read.skip_bottom === 'number' ? src.read.skip_bottom : 0;
  ls = ls.slice(top, ls.length - bottom);
  const first = ls[0] ?? '';
  const delim = first.includes(';') ? ';' : ',';
  return { header: splitRow(first, delim), rows: ls.slice(1).map((l) => splitRow(l, delim)) };
}

function sourceFiles(src: SourceConfig): string[] {
  const patterns = Array.isArray(src.files) ? src.files : [src.files];
  const out: string[] = [];
  for (const p of patterns) {
    const dir = join(SAMPLE_DIR, dirname(p));
    const re = new RegExp(
      `^${basename(p)
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    for (const f of readdirSync(dir).sort()) if (re.test(f)) out.push(join(dir, f));
  }
  return out;
}

/** BA / statistics office cell -> number ('-' = 0; '*' and missing -> null). */
function cell(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === '-') return 0;
  if (t === '' || t === '*' || t === '.') return null;
  return Number(t.replace(/\./g, '').replace(',', '.'));
}

// ---- filter expressions ------------------------------------------------------------------

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'between', 'is', 'null', 'true', 'false']);

/** Tokenise a filter of the spm filter language; returns the column identifiers it uses. */
function filterColumns(expr: string): string[] {
  const re = /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|(<=|>=|!=|=|<|>|\(|\)|,)|([A-Za-z_][A-Za-z0-9_]*))/y;
  const cols: string[] = [];
  let pos = 0;
  while (pos < expr.length) {
    if (/^\s*$/.test(expr.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(expr);
    if (!m) throw new Error(`Filter "${expr}": unerwartetes Zeichen an Position ${pos}`);
    pos = re.lastIndex;
    const word = m[4];
    if (word !== undefined) {
      if (KEYWORDS.has(word.toLowerCase())) continue;
      if (!/^[a-z][a-z0-9_]*$/.test(word)) throw new Error(`Filter "${expr}": ungültiger Spaltenname ${word}`);
      cols.push(word);
    }
  }
  return cols;
}

// ---- tests ----------------------------------------------------------------------------------

describe('sample generator', () => {
  it('is deterministic: two runs give identical bytes', () => {
    const a = freshSample();
    const b = freshSample();
    for (const f of generatedFiles()) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
  });

  it('depends on the seed', () => {
    const a = freshSample(1);
    const b = freshSample(2);
    expect(
      readFileSync(join(a, 'rohdaten/seu_microdata.csv')).equals(readFileSync(join(b, 'rohdaten/seu_microdata.csv'))),
    ).toBe(false);
  });

  it('committed data-samples/kreis-coesfeld equals a fresh generation (no hand edits)', () => {
    const fresh = freshSample();
    const expected = generatedFiles().sort();
    const present = listFiles(
      SAMPLE_DIR,
      (rel) => rel === 'out' || rel === '.spm' || rel === 'README.md' || rel === '.gitignore',
    );
    expect(present).toEqual(expected);
    for (const f of expected) {
      expect(
        readFileSync(join(SAMPLE_DIR, f)).equals(readFileSync(join(fresh, f))),
        `${f} weicht von der Erzeugung ab`,
      ).toBe(true);
    }
  });

  it('writes the shapes offices send (BOM, Windows-1252 + CRLF, title and footer, symbols)', () => {
    const bev = readFileSync(join(SAMPLE_DIR, 'rohdaten/bevoelkerung_2024.csv'));
    expect([...bev.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bev.toString('utf8')).toMatch(/;\d{1,3}\.\d{3};/); // thousands dots

    const sgb2 = readFileSync(join(SAMPLE_DIR, 'rohdaten/sgb2_sozialraeume.csv'));
    expect(sgb2.includes(Buffer.from([0xfc]))).toBe(true); // "ü" in Windows-1252
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(sgb2)).toThrow();
    const sgbText = decode(sgb2, 'windows-1252');
    const sgbLines = sgbText.split('\r\n');
    expect(sgbText.split('\n').length).toBe(sgbLines.length); // CRLF throughout
    expect(sgbLines[0]).toMatch(/^Statistik der Grundsicherung/);
    expect(sgbLines[sgbLines.length - 2]).toMatch(/^Quelle: /);
    expect(sgbText).toMatch(/;\*(;|\r\n)/);
    expect(sgbText).toMatch(/;-(;|\r\n)/);
    expect(sgbText).toMatch(/;\d{1,3}\.\d{3};/); // thousands dots

    const seu = readFileSync(join(SAMPLE_DIR, 'rohdaten/seu_microdata.csv'));
    expect(seu[0]).not.toBe(0xef);
    expect(seu.toString('utf8')).toMatch(/;\d{1,2},\d;/); // decimal comma

    const kita = readCsv(join(SAMPLE_DIR, 'rohdaten/kita_betreuung.csv'));
    expect(kita.rows.filter((r) => r[1] === 'Insgesamt').length).toBeGreaterThan(2);
    expect(kita.rows.some((r) => /kreis|nrw|land/i.test(r.join(' ')))).toBe(false); // no Kreis/Land row

    const hze = decode(readFileSync(join(SAMPLE_DIR, 'rohdaten/hze_kommunen.csv')), 'windows-1252');
    expect(hze).toContain('§§ 27-35');
    expect(hze).toMatch(/;-(;|\r\n)/);
  });
});

describe('sample spm.yaml', () => {
  it('validates against ProjectFileSchema', () => {
    const raw: unknown = parseYaml(readFileSync(join(SAMPLE_DIR, 'spm.yaml'), 'utf8'));
    const r = ProjectFileSchema.safeParse(raw);
    expect(r.success, JSON.stringify(r.error?.issues, null, 2)).toBe(true);
    const p = loadProject();
    expect(p.synthetic).toBe(true);
    expect(p.name).toMatch(/synthetisch/i);
    expect(p.indicators).toEqual(['spm:standard']);
    expect(p.kreis.ags).toBe('05558');
  });

  it('declares headers that exist in the raw files, and only known areas', () => {
    const p = loadProject();
    const areas = readCsv(join(SAMPLE_DIR, p.areas.file));
    const sozialraeume = new Set(areas.rows.map((r) => r[0]));
    const kommunen = new Set(areas.rows.map((r) => r[2]));
    expect(sozialraeume.size).toBeGreaterThanOrEqual(11 * 4);
    expect(kommunen.size).toBe(11);
    for (const src of p.sources) {
      const files = sourceFiles(src);
      expect(files.length, src.id).toBeGreaterThan(0);
      for (const f of files) {
        const { header, rows } = readCsv(f, src);
        const needed = [src.area.column, src.period.column, ...Object.values(src.columns).map((c) => c.header)];
        for (const h of needed) expect(header, `${src.id}: ${basename(f)}`).toContain(h);
        const ai = header.indexOf(String(src.area.column));
        const known = src.area.level === 'sozialraum' ? sozialraeume : kommunen;
        for (const r of rows) {
          const a = r[ai] ?? '';
          if (a === 'Insgesamt') continue; // totals rows, which spm must skip
          expect(known.has(a), `${src.id}: unbekanntes Gebiet ${a} in ${basename(f)}`).toBe(true);
        }
      }
    }
  });
});

describe('standard Kennzahlenset (indicators/)', () => {
  const files = loadIndicators();
  const all = files.flatMap((f) => f.defs);

  it('has at least 18 indicators, one file per indicator named by its id', () => {
    expect(all.length).toBeGreaterThanOrEqual(18);
    for (const f of files) {
      expect(f.defs.length).toBe(1);
      expect(f.file).toBe(`${f.defs[0]?.id}.yaml`);
    }
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
    const families = new Set(all.map((d) => d.family));
    for (const fam of ['soziale_lage', 'gesundheit_seu', 'gesundheit_u', 'bildung', 'jugendhilfe', 'demografie']) {
      expect(families.has(fam as Indicator['family'])).toBe(true);
    }
  });

  it('every file validates against IndicatorFileSchema (strict)', () => {
    for (const f of readdirSync(INDICATOR_DIR).filter((x) => x.endsWith('.yaml'))) {
      const r = IndicatorFileSchema.safeParse(parseYaml(readFileSync(join(INDICATOR_DIR, f), 'utf8')));
      expect(r.success, `${f}: ${JSON.stringify(r.error?.issues, null, 2)}`).toBe(true);
    }
  });

  it('refers only to sources (by their canonical schema) and columns declared in the sample spm.yaml', () => {
    const p = loadProject();
    const bySchema = (name: string): (typeof p.sources)[number] | undefined =>
      p.sources.find((s) => [s.schema ?? []].flat().includes(name));
    const check = (ind: Indicator, side: string, m: Measure): void => {
      const where = `${ind.id}.${side}`;
      const src = bySchema(m.source);
      expect(src, `${where}: Quelle ${m.source} fehlt in spm.yaml`).toBeDefined();
      if (!src) return;
      const cols = src.columns;
      if (m.measure === 'sum') {
        const c = m.column ?? '';
        expect(Object.keys(cols), `${where}: Spalte ${c}`).toContain(c);
        expect(['count', 'number', 'integer'], `${where}: Spalte ${c} ist nicht numerisch`).toContain(cols[c]?.type);
      } else {
        expect(src.kind, `${where}: measure count braucht Mikrodaten`).toBe('microdata');
      }
      if (m.filter !== undefined) {
        for (const c of filterColumns(m.filter)) expect(Object.keys(cols), `${where}: Filterspalte ${c}`).toContain(c);
      }
    };
    for (const ind of all) {
      check(ind, 'numerator', ind.numerator);
      check(ind, 'denominator', ind.denominator);
    }
  });

  it('states breaks and definitions where they apply', () => {
    const get = (id: string): Indicator => {
      const d = all.find((x) => x.id === id);
      if (!d) throw new Error(`Indikator ${id} fehlt`);
      return d;
    };
    expect(get('sgb2_quote_unter_15').steckbrief.breaks.map((b) => b.year)).toContain(2016);
    expect(get('hze_eckwert').unit).toBe('per_10000');
    expect(get('hze_eckwert').steckbrief.definition).toMatch(/35a/);
    expect(get('hze_eckwert').steckbrief.definition).toMatch(/41/);
    expect(get('seu_masern_impfquote_2_dosen').denominator.filter).toMatch(/impfpass_vorgelegt = true/);
    expect(get('seu_vorsorgeheft_vorgelegt').denominator.filter).toBeUndefined();
    for (const d of all) if (d.unit === 'percent') expect(d.proportion, d.id).toBe(true);
    for (const d of all.filter((x) => x.family === 'demografie')) expect(d.polarity).toBe('neutral');
  });
});

describe('plausibility of the synthetic data', () => {
  it('SGB-II-Quote unter 15 per Sozialraum spans < 5 % to > 30 % in 2024', () => {
    const p = loadProject();
    const sgb2 = p.sources.find((s) => s.id === 'sgb2');
    const bev = p.sources.find((s) => s.id === 'bevoelkerung');
    if (!sgb2 || !bev) throw new Error('Quellen sgb2 / bevoelkerung fehlen');

    const bevFile = readCsv(join(SAMPLE_DIR, 'rohdaten/bevoelkerung_2024.csv'), bev);
    const bi = bevFile.header.indexOf(String(bev.columns.bev_unter_15?.header ?? ''));
    const denom = new Map(bevFile.rows.map((r) => [r[0] ?? '', cell(r[bi]) ?? NaN]));

    const s = readCsv(join(SAMPLE_DIR, 'rohdaten/sgb2_sozialraeume.csv'), sgb2);
    const yi = s.header.indexOf(String(sgb2.period.column));
    const ni = s.header.indexOf(String(sgb2.columns.nef_unter_15?.header ?? ''));
    const rates: number[] = [];
    for (const r of s.rows.filter((x) => x[yi] === '2024')) {
      const n = cell(r[ni]);
      const d = denom.get(r[0] ?? '');
      if (n === null || d === undefined || !(d >= 20)) continue; // '*' or tiny base
      rates.push((100 * n) / d);
    }
    expect(rates.length).toBeGreaterThan(50);
    expect(Math.min(...rates)).toBeLessThan(5);
    expect(Math.max(...rates)).toBeGreaterThan(30);
  });

  it('SEU has about 2,000 children per year and every numerator stays within its base', () => {
    const { header, rows } = readCsv(join(SAMPLE_DIR, 'rohdaten/seu_microdata.csv'));
    const si = header.indexOf('schuljahr');
    const perYear = new Map<string, number>();
    for (const r of rows) perYear.set(r[si] ?? '', (perYear.get(r[si] ?? '') ?? 0) + 1);
    expect([...perYear.keys()].sort()).toEqual([
      '2014/15',
      '2015/16',
      '2016/17',
      '2017/18',
      '2018/19',
      '2019/20',
      '2020/21',
      '2021/22',
      '2022/23',
      '2023/24',
    ]);
    for (const n of perYear.values()) {
      expect(n).toBeGreaterThan(1500);
      expect(n).toBeLessThan(2600);
    }
    // consistency of the microdata: findings only where tested, U only where the Heft was shown
    const col = (name: string): number => header.indexOf(name);
    const pairs: [string, string][] = [
      ['sprache_getestet', 'sprache_befund'],
      ['visuomotorik_getestet', 'visuomotorik_befund'],
      ['koerperkoordination_getestet', 'koerperkoordination_befund'],
      ['vorsorgeheft_vorgelegt', 'u8'],
      ['vorsorgeheft_vorgelegt', 'u1_u9_vollstaendig'],
      ['impfpass_vorgelegt', 'masern_dosen'],
      ['groesse_gewicht_gueltig', 'bmi_perzentil'],
    ];
    const violations: string[] = [];
    for (const r of rows) {
      for (const [gate, dep] of pairs) {
        if (r[col(gate)] === 'nein' && r[col(dep)] !== '') violations.push(`${r[0]}: ${dep} ohne ${gate}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
