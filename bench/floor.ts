/**
 * The floor of the benchmark: the whole job of `spm compute --no-charts`, written by hand as
 * DuckDB SQL (no spm code), so that spm/floor says what spm's engineering costs.
 *
 * Run: `node dist/bench/floor.js <project> <out-dir>` (or `npx tsx bench/floor.ts ...`);
 * prints one JSON object (timings, rows, DuckDB version) on stdout.
 *
 * The same work: reads the same CSV files (read_csv, shapes of the sample project as written by
 * bench/generate-nrw.ts), one GROUP BY pass per source for all measures of indicators/*.yaml
 * (sums, filtered counts, suppressed `*` and missing cells counted apart), the grid of valid
 * areas x years, roll-ups Sozialraum -> Kommune -> Kreis, pooled windows, status, value as ratio
 * of sums, Wilson and Garwood (exact Poisson) intervals, comparisons with Kommune and Kreis,
 * previous and base year, weighted trends with t intervals since the latest break, Ampel, primary
 * and input masks applied to every published column, German CSV + Parquet of the long table, the
 * comparison per Kommune (vergleich_alle + one partitioned COPY per format).
 *
 * Not done (spm's extra work): validation and row accounting, rejects, notes naming input rows,
 * Land values, the manifest with hashes, secondary suppression. bench/check.ts compares the
 * result with spm's, column by column.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { FH_HEADERS, HZE_HEADERS, KITA_HEADERS, SGB2_HEADERS } from '../data-samples/generate.js';
import { REPO_ROOT } from './generate-nrw.js';

const UNIT_SCALE: Record<string, number> = {
  percent: 100,
  per_1000: 1_000,
  per_10000: 10_000,
  per_100000: 100_000,
  ratio: 1,
  count: 0,
};

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Count cells with German thousands dots and the statistics offices' symbols. */
const num = (h: string): string =>
  `CASE ${ident(h)} WHEN '-' THEN 0 WHEN '*' THEN NULL ELSE TRY_CAST(replace(${ident(h)}, '.', '') AS DOUBLE) END`;
/** A cell the office suppressed (`*` = 1 or 2): counted apart, with the midpoint of its range. */
const star = (h: string): string => `COALESCE(${ident(h)} = '*', FALSE)`;
const bool = (h: string): string => `CASE ${ident(h)} WHEN 'ja' THEN TRUE WHEN 'nein' THEN FALSE END`;
const allVarchar = (headers: readonly string[]): string =>
  '{' + headers.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ') + '}';

interface SourceRead {
  level: 'sozialraum' | 'kommune';
  /** SELECT giving area_id, year and the spm column names, typed. */
  sql: (dir: string) => string;
}

function sources(): Record<string, SourceRead> {
  const bev: [string, string][] = [
    ['bev_unter_3', 'unter 3'],
    ['bev_3_bis_unter_6', '3 bis unter 6'],
    ['bev_6_bis_unter_10', '6 bis unter 10'],
    ['bev_10_bis_unter_15', '10 bis unter 15'],
    ['bev_15_bis_unter_18', '15 bis unter 18'],
    ['bev_18_bis_unter_21', '18 bis unter 21'],
    ['bev_unter_15', 'unter 15'],
    ['bev_unter_18', 'unter 18'],
    ['bev_unter_21', 'unter 21'],
    ['bev_insgesamt', 'insgesamt'],
    ['bev_nichtdeutsch', 'nichtdeutsch'],
    ['geburten', 'Geburten'],
  ];
  const s = SGB2_HEADERS;
  const sgb2: [string, string][] = [
    ['personen_in_bg', s.personen_bg],
    ['nef_unter_15', s.nef_u15],
    ['lb_15_bis_unter_18', s.lb_15_18],
    ['lb_18_bis_unter_21', s.lb_18_21],
    ['bg_mit_kindern', s.bg_kinder],
    ['bg_alleinerziehende', s.bg_ae],
  ];
  const h = HZE_HEADERS;
  const hze: [string, string][] = [
    ['hze_27_35_laufend', h.l27],
    ['hze_27_35_beendet', h.b27],
    ['hze_35a_laufend', h.l35a],
    ['hze_35a_beendet', h.b35a],
    ['hze_41_laufend', h.l41],
    ['hze_41_beendet', h.b41],
    ['hze_insgesamt', h.sum],
    ['hze_ohne_35a', h.sumOhne35a],
    ['fremdunterbringung_33_34', h.fremd],
    ['inobhutnahmen_42', h.inob],
  ];
  const k = KITA_HEADERS;
  const kita: [string, string][] = [
    ['kita_u3_einrichtung', k.u3Kita],
    ['kita_u3_tagespflege', k.u3Tp],
    ['kita_u3_betreut', k.u3],
    ['kita_3_bis_unter_6_betreut', k.ue3],
  ];
  const f = FH_HEADERS;
  const fh: [string, string][] = [
    ['fh_familien_angeschrieben', f.angeschrieben],
    ['fh_willkommensbesuche', f.besuche],
  ];
  const cols = (m: [string, string][], conv: (h: string) => string): string =>
    m
      .map(([n, hd]) => `${conv(hd)} AS ${ident(n)}, ${conv === num ? star(hd) : 'FALSE'} AS ${ident(n + '__s')}`)
      .join(', ');
  const seuBool = [
    'groesse_gewicht_gueltig',
    'sprache_getestet',
    'sprache_befund',
    'visuomotorik_getestet',
    'visuomotorik_befund',
    'koerperkoordination_getestet',
    'koerperkoordination_befund',
    'impfpass_vorgelegt',
    'vorsorgeheft_vorgelegt',
    'u7a',
    'u8',
    'u9',
    'u1_u9_vollstaendig',
  ];
  const seuTypes =
    `{'lfd_nr': 'BIGINT', 'sozialraum': 'VARCHAR', 'schuljahr': 'VARCHAR', 'geschlecht': 'VARCHAR', 'groesse_gewicht_gueltig': 'VARCHAR', ` +
    `'bmi_perzentil': 'DOUBLE', 'sprache_getestet': 'VARCHAR', 'sprache_befund': 'VARCHAR', 'visuomotorik_getestet': 'VARCHAR', ` +
    `'visuomotorik_befund': 'VARCHAR', 'koerperkoordination_getestet': 'VARCHAR', 'koerperkoordination_befund': 'VARCHAR', ` +
    `'impfpass_vorgelegt': 'VARCHAR', 'masern_dosen': 'VARCHAR', 'vorsorgeheft_vorgelegt': 'VARCHAR', 'u7a': 'VARCHAR', 'u8': 'VARCHAR', ` +
    `'u9': 'VARCHAR', 'u1_u9_vollstaendig': 'VARCHAR'}`;
  return {
    bevoelkerung: {
      level: 'sozialraum',
      // UTF-8 with BOM (DuckDB skips it), CRLF, quoted fields, thousands dots
      sql: (d) => `SELECT "Sozialraum" AS area_id, "Jahr" AS year, ${cols(bev, ident)}
        FROM read_csv(${lit(join(d, 'rohdaten', 'bevoelkerung_*.csv'))}, delim = ';', header = true, auto_detect = false, quote = '"', escape = '"', thousands = '.', decimal_separator = ',',
          columns = {'Sozialraum': 'VARCHAR', 'Bezeichnung': 'VARCHAR', 'Jahr': 'INTEGER', ${bev.map(([, hd]) => `${lit(hd)}: 'DOUBLE'`).join(', ')}})`,
    },
    sgb2: {
      level: 'sozialraum',
      // Windows-1252 read as latin-1 (same code points for all characters in the file), title line, footer line
      sql: (d) => `SELECT ${ident(s.area)} AS area_id, CAST(${ident(s.year)} AS INTEGER) AS year, ${cols(sgb2, num)}
        FROM read_csv(${lit(join(d, 'rohdaten', 'sgb2_sozialraeume.csv'))}, delim = ';', header = true, auto_detect = false, quote = '"', escape = '"', encoding = 'latin-1', skip = 1,
          null_padding = true, columns = ${allVarchar([s.area, s.name, s.year, s.month, ...sgb2.map(([, hd]) => hd)])})
        WHERE TRY_CAST(${ident(s.year)} AS INTEGER) IS NOT NULL`,
    },
    seu: {
      level: 'sozialraum',
      // one row per child; Schuljahr 2023/24 -> 2024 (end_year)
      sql: (
        d,
      ) => `SELECT sozialraum AS area_id, CAST(substr(schuljahr, 1, 4) AS INTEGER) + 1 AS year, geschlecht, bmi_perzentil,
          TRY_CAST(masern_dosen AS INTEGER) AS masern_dosen, ${seuBool.map((c) => `${bool(c)} AS ${c}`).join(', ')}
        FROM read_csv(${lit(join(d, 'rohdaten', 'seu_microdata.csv'))}, delim = ';', header = true, auto_detect = false, quote = '"', escape = '"', decimal_separator = ',', columns = ${seuTypes})`,
    },
    hze: {
      level: 'kommune',
      sql: (d) => `SELECT ${ident(h.ags)} AS area_id, CAST(${ident(h.year)} AS INTEGER) AS year, ${cols(hze, num)}
        FROM read_csv(${lit(join(d, 'rohdaten', 'hze_kommunen.csv'))}, delim = ';', header = true, auto_detect = false, quote = '"', escape = '"', encoding = 'latin-1',
          columns = ${allVarchar([h.ags, h.name, h.year, ...hze.map(([, hd]) => hd)])})`,
    },
    kita: {
      level: 'sozialraum',
      sql: (d) => `SELECT ${ident(k.area)} AS area_id, ${ident(k.year)} AS year, ${cols(kita, ident)}
        FROM read_csv(${lit(join(d, 'rohdaten', 'kita_betreuung.csv'))}, delim = ';', header = true, auto_detect = false, quote = '"', escape = '"',
          columns = {${lit(k.kommune)}: 'VARCHAR', ${lit(k.area)}: 'VARCHAR', ${lit(k.year)}: 'INTEGER', ${kita.map(([, hd]) => `${lit(hd)}: 'DOUBLE'`).join(', ')}})`,
    },
    fruehe_hilfen: {
      level: 'kommune',
      sql: (d) => `SELECT ${ident(f.ags)} AS area_id, CAST(${ident(f.year)} AS INTEGER) AS year, ${cols(fh, num)}
        FROM read_csv(${lit(join(d, 'rohdaten', 'fruehe_hilfen_willkommensbesuche.csv'))}, delim = ',', header = true, auto_detect = false, quote = '"', escape = '"',
          columns = ${allVarchar([f.ags, f.name, f.year, ...fh.map(([, hd]) => hd)])})`,
    },
  };
}

interface MeasureDef {
  source: string;
  measure: 'sum' | 'count';
  column?: string;
  filter?: string;
}

interface IndicatorDef {
  id: string;
  version: number;
  title: string;
  unit: string;
  polarity: 'worse' | 'better' | 'neutral';
  proportion?: boolean;
  min_denominator?: number;
  pool_years?: number;
  ampel?: {
    mode?: 'relative' | 'absolute';
    reference?: 'kreis' | 'kommune';
    target?: { value: number; year?: number };
  };
  numerator: MeasureDef;
  denominator: MeasureDef;
  steckbrief?: { breaks?: { year: number }[] };
}

interface Settings {
  min_denominator: number;
  pool_years?: number;
  years?: { from: number; to: number };
  confidence: number;
  base_year?: number;
  trend_years: number;
  min_count: number;
}

function loadIndicators(): IndicatorDef[] {
  const dir = join(REPO_ROOT, 'indicators');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseYaml(readFileSync(join(dir, f), 'utf8')) as IndicatorDef);
}

function loadSettings(projectDir: string): {
  settings: Settings;
  kreisAgs: string;
  kreisName: string;
  sourceOf: Map<string, string>;
} {
  const y = parseYaml(readFileSync(join(projectDir, 'spm.yaml'), 'utf8')) as {
    kreis: { ags: string; name: string };
    settings?: Partial<Settings> & { suppression?: { min_count?: number } };
    sources?: { id: string; schema?: string | string[] }[];
  };
  // the standard indicators name canonical schemas (u_untersuchungen); the project says
  // which of its sources delivers each (the SEU file delivers the U-Untersuchungen too)
  const sourceOf = new Map<string, string>();
  for (const src of y.sources ?? [])
    for (const schema of [src.schema ?? []].flat()) if (schema !== src.id) sourceOf.set(schema, src.id);
  const st = y.settings ?? {};
  const settings: Settings = {
    min_denominator: st.min_denominator ?? 20,
    confidence: st.confidence ?? 0.95,
    trend_years: st.trend_years ?? 5,
    min_count: st.suppression?.min_count ?? 3,
    ...(st.pool_years !== undefined ? { pool_years: st.pool_years } : {}),
    ...(st.years ? { years: st.years } : {}),
    ...(st.base_year !== undefined ? { base_year: st.base_year } : {}),
  };
  return { settings, kreisAgs: y.kreis.ags, kreisName: y.kreis.name, sourceOf };
}

/** The filters of the standard set are plain comparisons; refuse anything else rather than splice it. */
function filterSql(f: string): string {
  if (!/^[a-z0-9_ <>=!.]+$/i.test(f)) throw new Error(`floor: Filter nicht als SQL übernehmbar: ${f}`);
  return f;
}

// ---------------------------------------------------------------------------------------
// The few quantiles DuckDB lacks, written here from the textbook formulas (not spm's
// src/stats): chi-square for the exact Poisson interval, Student t for the trend interval.
// ---------------------------------------------------------------------------------------

function logGamma(x: number): number {
  // Lanczos (g = 7, n = 9)
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x): series below a + 1, continued fraction above. */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 100_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return sum * Math.exp(lead);
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-17) break;
  }
  return 1 - Math.exp(lead) * h;
}

/** Quantile of the Gamma(a, 1) distribution by bisection to the last bit. */
function qGamma(p: number, a: number): number {
  let lo = 0;
  let hi = Math.max(1, a + 20 * Math.sqrt(a) + 20);
  while (gammaP(a, hi) < p) hi *= 2;
  for (let i = 0; i < 2000; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (gammaP(a, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Garwood: [qgamma(α/2, k), qgamma(1 − α/2, k + 1)], lower bound 0 at k = 0. */
function garwood(k: number, confidence: number): [number, number] {
  const a = (1 - confidence) / 2;
  return [k <= 0 ? 0 : qGamma(a, k), qGamma(1 - a, k + 1)];
}

/** Regularised incomplete beta I_x(a, b) (continued fraction). */
function betaI(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - betaI(1 - x, b, a);
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < 1e-300) d = 1e-300;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = 1 + aa / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = 1 + aa / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return (front * h) / a;
}

/** Upper quantile t(1 − α/2, df) by bisection on the t distribution function. */
function tQuantile(confidence: number, df: number): number {
  const target = (1 - confidence) / 2; // upper tail
  const upper = (t: number): number => 0.5 * betaI(df / (df + t * t), df / 2, 0.5);
  let lo = 0;
  let hi = 1;
  while (upper(hi) > target) hi *= 2;
  for (let i = 0; i < 2000; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (upper(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------
// The job
// ---------------------------------------------------------------------------------------

export interface FloorResult {
  duckdb_version: string;
  threads: number;
  timings_ms: {
    config: number;
    read_aggregate: number;
    cells: number;
    results: number;
    stats: number;
    export: number;
    total: number;
  };
  /** Milliseconds of the single statements. */
  steps_ms: Record<string, number>;
  rows_read: Record<string, number>;
  rows_read_total: number;
  measures: number;
  result_rows: number;
}

async function scalar(conn: DuckDBConnection, sql: string): Promise<unknown> {
  const r = await conn.runAndReadAll(sql);
  return r.getRows()[0]?.[0];
}

/** German number text: whole numbers without ".0", otherwise DuckDB's shortest digits with a comma. */
const deNum = (c: string): string =>
  `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} = trunc(${c}) AND abs(${c}) < 1e15 THEN CAST(CAST(${c} AS BIGINT) AS VARCHAR) ELSE replace(CAST(${c} AS VARCHAR), '.', ',') END`;
/**
 * Excel formula guard for text (list_contains, not IN: an IN list of five or more constants
 * becomes a join in DuckDB, and the CSV writer then lost the rows' order).
 */
const deText = (c: string): string =>
  `CASE WHEN list_contains([61, 43, 45, 64, 9, 13], ascii(${c})) THEN '''' || ${c} ELSE ${c} END`;

export const FLOOR_COLUMNS = [
  'indicator_id',
  'indicator_version',
  'indicator_title',
  'level',
  'area_id',
  'area_name',
  'kommune_ags',
  'year',
  'period',
  'pool_years',
  'numerator',
  'denominator',
  'value',
  'ci_low',
  'ci_high',
  'ci_method',
  'unit',
  'status',
  'suppression',
  'note',
  'ref_kommune_value',
  'diff_kommune',
  'ratio_kommune',
  'sig_kommune',
  'ref_kreis_value',
  'diff_kreis',
  'ratio_kreis',
  'sig_kreis',
  'prev_value',
  'change_prev_abs',
  'change_prev_rel',
  'base_year',
  'base_value',
  'change_base_abs',
  'change_base_rel',
  'series_break',
  'trend_from',
  'trend_n',
  'trend_slope',
  'trend_low',
  'trend_high',
  'trend_sig',
  'ampel',
  'target_status',
] as const;

const TEXT = new Set([
  'indicator_id',
  'indicator_title',
  'level',
  'area_id',
  'area_name',
  'kommune_ags',
  'period',
  'ci_method',
  'unit',
  'status',
  'suppression',
  'note',
  'sig_kommune',
  'sig_kreis',
  'trend_sig',
  'ampel',
  'target_status',
  'kommune',
]);
const INTS = new Set([
  'indicator_version',
  'year',
  'pool_years',
  'base_year',
  'trend_from',
  'trend_n',
  'rank_kommunen',
  'kommunen_mit_wert',
]);

function germanSelect(cols: readonly string[], from: string): string {
  return cols
    .map((c, i) => {
      const name = ident(i === 0 ? `\uFEFF${c}` : c);
      if (c === 'series_break')
        return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} THEN 'ja' ELSE 'nein' END AS ${name}`;
      if (TEXT.has(c)) return `${deText(c)} AS ${name}`;
      if (INTS.has(c)) return `CAST(${c} AS VARCHAR) AS ${name}`;
      return `${deNum(c)} AS ${name}`;
    })
    .join(', ')
    .concat(` FROM ${from}`);
}

const CSV_OPTS = `(FORMAT csv, DELIMITER ';', HEADER, QUOTE '"', ESCAPE '"', NEW_LINE '\\r\\n')`;

export async function runFloor(projectDir: string, outDir: string): Promise<FloorResult> {
  const t0 = performance.now();
  const dir = resolve(projectDir);
  const indicators = loadIndicators();
  const { settings, kreisAgs, kreisName, sourceOf } = loadSettings(dir);
  // distinct measures, grouped by source
  const measureIds = new Map<string, number>();
  const bySource = new Map<string, { mid: number; m: MeasureDef }[]>();
  const key = (m: MeasureDef): number => {
    const k = `${m.source}|${m.measure}|${m.column ?? ''}|${m.filter ?? ''}`;
    let id = measureIds.get(k);
    if (id === undefined) {
      id = measureIds.size;
      measureIds.set(k, id);
      const src = sourceOf.get(m.source) ?? m.source;
      bySource.set(src, [...(bySource.get(src) ?? []), { mid: id, m }]);
    }
    return id;
  };
  const ind = indicators.map((i, ord) => ({
    ord,
    d: i,
    scale: UNIT_SCALE[i.unit] ?? 1,
    num: key(i.numerator),
    den: key(i.denominator),
    pool: i.pool_years ?? settings.pool_years ?? null,
  }));
  const srcs = sources();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'vergleich'), { recursive: true });

  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  const version = String(await scalar(conn, 'SELECT version()'));
  const threads = Number(await scalar(conn, "SELECT current_setting('threads')"));
  const steps: Record<string, number> = {};
  const exec = async (label: string, sql: string): Promise<void> => {
    const ts = performance.now();
    await conn.run(sql);
    steps[label] = Math.round(performance.now() - ts);
  };
  let t = performance.now();
  const timings = { config: t - t0, read_aggregate: 0, cells: 0, results: 0, stats: 0, export: 0, total: 0 };
  const lap = (k: Exclude<keyof typeof timings, 'config' | 'total'>): void => {
    timings[k] = performance.now() - t;
    t = performance.now();
  };
  const yFrom = settings.years?.from ?? 0;
  const yTo = settings.years?.to ?? 9999;

  // 1. read + GROUP BY per source (one pass over each file): per measure the known sum, the
  //    number of suppressed cells (*) and of missing cells
  await conn.run(
    `CREATE TABLE areas AS SELECT * FROM read_csv(${lit(join(dir, 'gebiete.csv'))}, delim = ';', header = true, auto_detect = false, quote = '"', escape = '"',
      columns = {'sozialraum_id': 'VARCHAR', 'sozialraum_name': 'VARCHAR', 'kommune_ags': 'VARCHAR', 'kommune_name': 'VARCHAR', 'gueltig_ab': 'INTEGER', 'gueltig_bis': 'INTEGER'})`,
  );
  await conn.run(
    `CREATE TABLE kommunen AS SELECT kommune_ags, min(kommune_name) AS kommune_name FROM areas GROUP BY kommune_ags`,
  );
  const rowsRead: Record<string, number> = {};
  const sourceYears = new Map<string, number[]>();
  for (const [id, list] of bySource) {
    const src = srcs[id];
    if (!src) throw new Error(`floor: Quelle ${id} unbekannt`);
    const exprs = list.flatMap(({ mid, m }) => {
      const f = m.filter ? ` AND (${filterSql(m.filter)})` : '';
      if (m.measure === 'count') return [`COUNT(*) FILTER (WHERE TRUE${f}) AS v${mid}`, `0 AS s${mid}`, `0 AS x${mid}`];
      const c = ident(m.column!);
      const cs = ident(m.column! + '__s');
      return [
        `SUM(${c}) FILTER (WHERE TRUE${f}) AS v${mid}`,
        `COUNT(*) FILTER (WHERE ${cs}${f}) AS s${mid}`,
        `COUNT(*) FILTER (WHERE ${c} IS NULL AND NOT ${cs}${f}) AS x${mid}`,
      ];
    });
    await exec(
      `agg_${id}`,
      `CREATE TABLE agg_${id} AS SELECT area_id, year, COUNT(*) AS _rows, ${exprs.join(', ')}
       FROM (${src.sql(dir)}) WHERE year BETWEEN ${yFrom} AND ${yTo} GROUP BY area_id, year`,
    );
    rowsRead[id] = Number(await scalar(conn, `SELECT SUM(_rows) FROM agg_${id}`));
    const ys = await conn.runAndReadAll(`SELECT DISTINCT year FROM agg_${id} ORDER BY 1`);
    sourceYears.set(
      id,
      ys.getRows().map((r) => Number(r[0])),
    );
  }
  lap('read_aggregate');

  // 2. cells: grid of valid areas x project years per measure, roll-ups, pooled windows
  const years = [...new Set([...sourceYears.values()].flat())].sort((a, b) => a - b);
  const yearList = `[${years.join(', ')}]`;
  const microdata = new Set(['seu']);
  await conn.run(`CREATE TABLE cells (mid INTEGER, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
    value DOUBLE, missing BOOLEAN, n_supp INTEGER, is_base BOOLEAN)`);
  for (const [id, list] of bySource) {
    const src = srcs[id]!;
    const covered = `[${(sourceYears.get(id) ?? []).join(', ')}]`;
    const grid =
      src.level === 'sozialraum'
        ? `SELECT a.sozialraum_id AS area_id, y.year FROM areas a, (SELECT UNNEST(${yearList}) AS year) y
           WHERE (a.gueltig_ab IS NULL OR y.year >= a.gueltig_ab) AND (a.gueltig_bis IS NULL OR y.year <= a.gueltig_bis)`
        : `SELECT k.kommune_ags AS area_id, y.year FROM kommunen k, (SELECT UNNEST(${yearList}) AS year) y`;
    const zero = microdata.has(id) ? `list_contains(${covered}, g.year)` : 'FALSE';
    const parts = list.map(
      ({ mid }) => `SELECT ${mid}, '${src.level}', g.area_id, g.year, 1,
        CASE WHEN a._rows IS NULL THEN (CASE WHEN ${zero} THEN 0 END) ELSE a.v${mid} END,
        (a._rows IS NULL AND NOT ${zero}) OR COALESCE(a.x${mid}, 0) > 0, COALESCE(a.s${mid}, 0), TRUE
      FROM g LEFT JOIN agg_${id} a ON a.area_id = g.area_id AND a.year = g.year`,
    );
    await exec(`base_${id}`, `INSERT INTO cells WITH g AS (${grid}) ${parts.join('\nUNION ALL\n')}`);
  }
  await exec(
    'rollup_kommune',
    `INSERT INTO cells
SELECT c.mid, 'kommune', a.kommune_ags, c.year, 1, SUM(c.value), bool_or(c.missing), SUM(c.n_supp), FALSE
FROM cells c JOIN areas a ON a.sozialraum_id = c.area_id WHERE c.level = 'sozialraum' GROUP BY c.mid, a.kommune_ags, c.year`,
  );
  await exec(
    'rollup_kreis',
    `INSERT INTO cells
SELECT mid, 'kreis', ${lit(kreisAgs)}, year, 1, SUM(value), bool_or(missing), SUM(n_supp), FALSE FROM cells WHERE level = 'kommune' GROUP BY mid, year`,
  );
  const widths = [...new Set(ind.map((i) => i.pool).filter((w): w is number => w !== null))];
  for (const w of widths) {
    const mids = [...new Set(ind.filter((i) => i.pool === w).flatMap((i) => [i.num, i.den]))];
    await exec(
      `pool_${w}`,
      `INSERT INTO cells
SELECT mid, level, area_id, year, ${w}, wv, wm OR n < ${w}, ws, FALSE FROM (
  SELECT mid, level, area_id, year, SUM(value) OVER w AS wv, bool_or(missing) OVER w AS wm, SUM(n_supp) OVER w AS ws, COUNT(*) OVER w AS n,
    MIN(year) OVER (PARTITION BY mid, level, area_id) AS first_year
  FROM cells WHERE pool_years = 1 AND list_contains([${mids.join(', ')}], mid)
  WINDOW w AS (PARTITION BY mid, level, area_id ORDER BY year RANGE BETWEEN ${w - 1} PRECEDING AND CURRENT ROW)
) WHERE year - ${w - 1} >= first_year`,
    );
  }
  // primary (1 .. min_count - 1 of a known count) and input (a source-suppressed base cell) masks per cell
  await exec(
    'cell_masks',
    `CREATE TABLE cmask AS SELECT mid, level, area_id, year, pool_years,
  CASE WHEN is_base AND n_supp > 0 THEN 'input' WHEN NOT missing AND value > 0 AND value < ${settings.min_count} THEN 'primary' END AS reason
FROM cells`,
  );
  lap('cells');

  // 3. results per indicator: status, value as ratio of sums (suppressed cells at the midpoint 1.5)
  await conn.run(`CREATE TABLE ind (ord INTEGER, indicator_id VARCHAR, version INTEGER, title VARCHAR, unit VARCHAR, scale DOUBLE, proportion BOOLEAN,
    min_den DOUBLE, polarity VARCHAR, ampel_mode VARCHAR, ampel_ref VARCHAR, target_value DOUBLE, target_year INTEGER, num INTEGER, den INTEGER, pool INTEGER,
    years INTEGER[], base_year INTEGER, break_years INTEGER[])`);
  const values = ind.map((i) => {
    const d = i.d;
    const ys = years.filter(
      (y) =>
        (sourceYears.get(sourceOf.get(d.numerator.source) ?? d.numerator.source) ?? []).includes(y) ||
        (sourceYears.get(sourceOf.get(d.denominator.source) ?? d.denominator.source) ?? []).includes(y),
    );
    const brk = (d.steckbrief?.breaks ?? []).map((b) => b.year);
    const a = d.ampel ?? {};
    const n = (v: number | undefined | null): string => (v === undefined || v === null ? 'NULL' : String(v));
    return `(${i.ord}, ${lit(d.id)}, ${d.version}, ${lit(d.title)}, ${lit(d.unit)}, ${i.scale}, ${d.proportion ? 'TRUE' : 'FALSE'}, ${d.min_denominator ?? settings.min_denominator},
      ${lit(d.polarity)}, ${lit(a.mode ?? 'relative')}, ${lit(a.reference ?? 'kreis')}, ${n(a.target?.value)}, ${n(a.target?.year)}, ${i.num}, ${i.den}, ${n(i.pool)},
      [${ys.join(', ')}]::INTEGER[], ${settings.base_year ?? Math.min(...ys)}, [${brk.join(', ')}]::INTEGER[])`;
  });
  await conn.run(`INSERT INTO ind VALUES ${values.join(', ')}`);
  await exec(
    'results',
    `CREATE TABLE res AS
WITH j AS (
  SELECT i.*, n.level, n.area_id, n.year, n.pool_years,
    n.missing OR (n.value IS NULL AND n.n_supp = 0) AS num_missing, d.missing OR (d.value IS NULL AND d.n_supp = 0) AS den_missing,
    n.is_base AND n.n_supp > 0 AS num_sb, d.is_base AND d.n_supp > 0 AS den_sb, n.n_supp + d.n_supp AS n_supp,
    COALESCE(n.value, 0) + 1.5 * n.n_supp AS num_est, COALESCE(d.value, 0) + 1.5 * d.n_supp AS den_est,
    COALESCE(n.value, 0) + n.n_supp AS num_lo, COALESCE(n.value, 0) + 2 * n.n_supp AS num_hi, COALESCE(d.value, 0) + 2 * d.n_supp AS den_hi,
    least(COALESCE(mn.reason, 'zz'), COALESCE(md.reason, 'zz')) AS m
  FROM ind i
  JOIN cells n ON n.mid = i.num AND (n.pool_years = 1 OR n.pool_years = i.pool)
  JOIN cells d ON d.mid = i.den AND d.level = n.level AND d.area_id = n.area_id AND d.year = n.year AND d.pool_years = n.pool_years
  LEFT JOIN cmask mn ON mn.mid = n.mid AND mn.level = n.level AND mn.area_id = n.area_id AND mn.year = n.year AND mn.pool_years = n.pool_years
  LEFT JOIN cmask md ON md.mid = d.mid AND md.level = d.level AND md.area_id = d.area_id AND md.year = d.year AND md.pool_years = d.pool_years
  WHERE list_contains(i.years, n.year)
), s AS (
  SELECT *, CASE
    WHEN num_missing OR den_missing THEN 'missing_input'
    WHEN num_sb OR den_sb THEN 'suppressed_input'
    WHEN scale <> 0 AND den_est = 0 THEN 'zero_denominator'
    WHEN proportion AND num_lo > den_hi THEN 'implausible'
    WHEN scale <> 0 AND den_est < min_den THEN 'below_min_denominator'
    WHEN n_supp > 0 THEN 'estimated'
    ELSE 'ok' END AS status
  FROM j
)
SELECT s.* EXCLUDE (m), NULLIF(m, 'zz') AS suppression,
  CASE WHEN num_missing OR num_sb THEN NULL ELSE num_est END AS numerator,
  CASE WHEN den_missing OR den_sb THEN NULL ELSE den_est END AS denominator,
  CASE WHEN status IN ('ok', 'estimated', 'implausible') THEN (CASE WHEN scale = 0 THEN num_est ELSE num_est / den_est * scale END) END AS value,
  CASE WHEN scale = 0 THEN 1.0 ELSE den_est END AS weight
FROM s`,
  );
  lap('results');

  // 4. intervals: Wilson in SQL, Garwood from a lookup of the distinct counts; Wilson is exactly 0 at
  //    k = 0 and exactly 1 at k = n (the closed form leaves a rounding residue there)
  const z = -qNormal((1 - settings.confidence) / 2);
  const ks = (
    await conn.runAndReadAll('SELECT DISTINCT num_est FROM res WHERE NOT proportion AND value IS NOT NULL ORDER BY 1')
  )
    .getRows()
    .map((r) => Number(r[0]));
  await conn.run('CREATE TABLE pois (k DOUBLE, lo DOUBLE, hi DOUBLE)');
  const app = await conn.createAppender('pois');
  for (const k of ks) {
    const [lo, hi] = garwood(k, settings.confidence);
    app.appendDouble(k);
    app.appendDouble(lo);
    app.appendDouble(hi);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
  const tq = Array.from({ length: settings.trend_years }, (_, df) =>
    df === 0 ? 'NULL' : String(tQuantile(settings.confidence, df)),
  );
  await exec(
    'ci',
    `CREATE TABLE ci AS SELECT r.*,
  CASE WHEN r.proportion THEN 'wilson' ELSE 'poisson_exakt' END AS ci_method,
  CASE WHEN r.value IS NULL THEN NULL
    WHEN r.proportion THEN CASE WHEN r.num_est = 0 AND r.den_est > 0 THEN 0.0 WHEN r.num_est <= r.den_est THEN greatest(0.0, (p + ${z} * ${z} / (2 * r.den_est)
      - ${z} * sqrt(p * (1 - p) / r.den_est + ${z} * ${z} / (4 * r.den_est * r.den_est))) / (1 + ${z} * ${z} / r.den_est)) * r.scale END
    WHEN r.scale = 0 THEN pz.lo ELSE pz.lo / r.den_est * r.scale END AS ci_low,
  CASE WHEN r.value IS NULL THEN NULL
    WHEN r.proportion THEN CASE WHEN r.num_est = r.den_est AND r.den_est > 0 THEN r.scale::DOUBLE
      WHEN r.num_est <= r.den_est THEN least(1.0, (p + ${z} * ${z} / (2 * r.den_est)
      + ${z} * sqrt(p * (1 - p) / r.den_est + ${z} * ${z} / (4 * r.den_est * r.den_est))) / (1 + ${z} * ${z} / r.den_est)) * r.scale END
    WHEN r.scale = 0 THEN pz.hi ELSE pz.hi / r.den_est * r.scale END AS ci_high
FROM (SELECT *, num_est / NULLIF(den_est, 0) AS p FROM res) r
LEFT JOIN pois pz ON pz.k = CASE WHEN r.proportion THEN NULL ELSE r.num_est END`,
  );
  await conn.run('DROP TABLE res');
  // 5. trend: weighted least squares over the last N years since the latest break, by window sums
  //    (x relative to the window's end year); previous and base year; references; Ampel
  const N = settings.trend_years;
  await exec(
    'stats',
    `CREATE TABLE st AS
WITH seg AS (
  SELECT c.*, len(list_filter(c.break_years, lambda b: b <= c.year)) AS segment,
    COALESCE(list_max(list_filter(c.break_years, lambda b: b <= c.year)), -1) AS last_break,
    CASE WHEN c.pool_years = 1 AND c.value IS NOT NULL AND c.weight > 0 THEN c.weight END AS tw
  FROM ci c
), win AS (
  SELECT s.*,
    list_contains(break_years, year) AS break_prev,
    len(list_filter(break_years, lambda b: b > base_year AND b <= year)) > 0 AS break_base,
    COUNT(tw) OVER tr AS tn, MIN(year) FILTER (WHERE tw IS NOT NULL) OVER tr AS tfrom,
    bool_or(suppression IS NOT NULL) OVER tr AS tmasked,
    SUM(tw) OVER tr AS sw, SUM(tw * (year - 2000)) OVER tr AS swx, SUM(tw * value) OVER tr AS swy,
    SUM(tw * (year - 2000) * (year - 2000)) OVER tr AS swxx, SUM(tw * (year - 2000) * value) OVER tr AS swxy, SUM(tw * value * value) OVER tr AS swyy,
    MIN(value) FILTER (WHERE tw IS NOT NULL) OVER tr = MAX(value) FILTER (WHERE tw IS NOT NULL) OVER tr AS tconst
  FROM seg s
  WINDOW tr AS (PARTITION BY indicator_id, level, area_id, pool_years, segment ORDER BY year RANGE BETWEEN ${N - 1} PRECEDING AND CURRENT ROW)
), fit AS (
  -- a constant series has slope 0 and no residual exactly (the window sums would leave a rounding residue)
  SELECT w.*, CASE WHEN pool_years = 1 AND tn >= 2 AND sxx > 0 THEN (CASE WHEN tconst THEN 0.0 ELSE sxy / sxx END) END AS trend_slope,
    CASE WHEN pool_years = 1 AND tn >= 3 AND sxx > 0
      THEN (CASE WHEN tconst THEN 0.0 ELSE sqrt(greatest(syy - sxy * sxy / sxx, 0) / (tn - 2) / sxx) END) END AS se
  FROM (SELECT *, swxx - swx * swx / sw AS sxx, swxy - swx * swy / sw AS sxy, swyy - swy * swy / sw AS syy FROM win) w
), joined AS (
  SELECT f.*, pv.prev_value, pv.prev_supp, bv.base_value, bv.base_supp, [${tq.join(', ')}][tn - 1] AS tq,
    CASE WHEN f.level <> 'kreis' THEN k.value END AS ref_kreis_value, CASE WHEN f.level <> 'kreis' THEN k.suppression END AS ref_kreis_supp,
    CASE WHEN f.level = 'sozialraum' THEN km.value END AS ref_kommune_value, CASE WHEN f.level = 'sozialraum' THEN km.suppression END AS ref_kommune_supp,
    CASE f.level WHEN 'kreis' THEN ${lit(kreisName)} WHEN 'kommune' THEN kn.kommune_name ELSE a.sozialraum_name END AS area_name,
    CASE f.level WHEN 'kommune' THEN f.area_id WHEN 'sozialraum' THEN a.kommune_ags END AS kommune_ags
  FROM fit f
  -- previous and base year: equality joins on the series key
  LEFT JOIN (SELECT indicator_id, level, area_id, pool_years, year, value AS prev_value, suppression AS prev_supp FROM ci) pv
    ON pv.indicator_id = f.indicator_id AND pv.level = f.level AND pv.area_id = f.area_id AND pv.pool_years = f.pool_years AND pv.year = f.year - 1
  LEFT JOIN (SELECT indicator_id, level, area_id, pool_years, year, value AS base_value, suppression AS base_supp FROM ci) bv
    ON bv.indicator_id = f.indicator_id AND bv.level = f.level AND bv.area_id = f.area_id AND bv.pool_years = f.pool_years AND bv.year = f.base_year
  LEFT JOIN areas a ON a.sozialraum_id = f.area_id
  LEFT JOIN kommunen kn ON kn.kommune_ags = f.area_id
  LEFT JOIN (SELECT indicator_id, pool_years, year, value, suppression FROM ci WHERE level = 'kreis') k
    ON k.indicator_id = f.indicator_id AND k.pool_years = f.pool_years AND k.year = f.year
  LEFT JOIN (SELECT indicator_id, pool_years, year, area_id, value, suppression FROM ci WHERE level = 'kommune') km
    ON km.indicator_id = f.indicator_id AND km.pool_years = f.pool_years AND km.year = f.year AND km.area_id = a.kommune_ags
), dir AS (
  SELECT j.*, j.trend_slope - j.tq * j.se AS trend_low, j.trend_slope + j.tq * j.se AS trend_high,
    CASE WHEN j.value IS NULL OR j.ref_kreis_value IS NULL OR j.ci_low IS NULL THEN NULL WHEN j.ci_low > j.ref_kreis_value THEN 'higher'
      WHEN j.ci_high < j.ref_kreis_value THEN 'lower' ELSE 'not_distinguishable' END AS d_kreis,
    CASE WHEN j.value IS NULL OR j.ref_kommune_value IS NULL OR j.ci_low IS NULL THEN NULL WHEN j.ci_low > j.ref_kommune_value THEN 'higher'
      WHEN j.ci_high < j.ref_kommune_value THEN 'lower' ELSE 'not_distinguishable' END AS d_kommune
  FROM joined j
), o AS (
  SELECT d.*,
    ${['kreis', 'kommune']
      .map(
        (
          x,
        ) => `CASE WHEN d_${x} IS NULL THEN NULL WHEN d_${x} = 'not_distinguishable' OR polarity = 'neutral' THEN d_${x}
      WHEN (d_${x} = 'higher') = (polarity = 'worse') THEN 'worse' ELSE 'better' END AS sig_${x}`,
      )
      .join(',\n    ')},
    CASE WHEN trend_low IS NULL THEN NULL WHEN polarity = 'neutral' THEN (CASE WHEN trend_low > 0 THEN 'higher' WHEN trend_high < 0 THEN 'lower' ELSE 'not_distinguishable' END)
      WHEN trend_low > 0 THEN (CASE WHEN polarity = 'worse' THEN 'worse' ELSE 'better' END)
      WHEN trend_high < 0 THEN (CASE WHEN polarity = 'worse' THEN 'better' ELSE 'worse' END) ELSE 'not_distinguishable' END AS trend_sig,
    CASE WHEN value IS NULL OR ampel_mode <> 'absolute' THEN NULL
      WHEN (polarity = 'better' AND value >= target_value) OR (polarity <> 'better' AND value <= target_value) THEN 'erreicht'
      WHEN trend_slope IS NULL OR target_year IS NULL THEN NULL
      WHEN (polarity = 'better' AND value + trend_slope * (target_year - year) >= target_value)
        OR (polarity <> 'better' AND value + trend_slope * (target_year - year) <= target_value) THEN 'auf_kurs'
      ELSE 'nicht_auf_kurs' END AS target_status
  FROM dir d
)
SELECT o.*, CASE WHEN ampel_mode = 'absolute' THEN CASE target_status WHEN 'erreicht' THEN 'gruen' WHEN 'auf_kurs' THEN 'gelb' WHEN 'nicht_auf_kurs' THEN 'rot' END
  ELSE CASE (CASE WHEN ampel_ref = 'kommune' AND level = 'sozialraum' THEN sig_kommune ELSE sig_kreis END)
    WHEN 'worse' THEN 'rot' WHEN 'better' THEN 'gruen' WHEN 'not_distinguishable' THEN 'gelb' END END AS ampel_raw
FROM o`,
  );
  await conn.run('DROP TABLE ci');
  lap('stats');

  // 6. published (masked) table, German CSV, Parquet, comparison per Kommune
  const hide = (cond: string, e: string): string =>
    `CASE WHEN ${cond} THEN NULL ELSE ${e} END AS ${e.replace(/^.*\./, '')}`;
  // published as spm publishes: a masked row says only "gesperrt" (status masked, no reason); counts,
  // value and interval only for rows with a value (ok, estimated, implausible)
  const M = 'suppression IS NOT NULL';
  const V = `${M} OR status NOT IN ('ok', 'estimated', 'implausible')`;
  const rk = `${M} OR ref_kommune_supp IS NOT NULL`;
  const rkr = `${M} OR ref_kreis_supp IS NOT NULL`;
  const pv = `${M} OR prev_supp IS NOT NULL`;
  const bs = `${M} OR base_supp IS NOT NULL`;
  const tr = `${M} OR COALESCE(tmasked, FALSE)`;
  await exec(
    'published',
    `CREATE TABLE pub AS SELECT indicator_id, version AS indicator_version, title AS indicator_title, level, area_id, area_name, kommune_ags, year,
  CASE WHEN pool_years = 1 THEN CAST(year AS VARCHAR) ELSE CAST(year - pool_years + 1 AS VARCHAR) || '–' || CAST(year AS VARCHAR) END AS period, pool_years,
  ${['numerator', 'denominator', 'value', 'ci_low', 'ci_high'].map((c) => hide(V, c)).join(', ')},
  CASE WHEN ${V} OR ci_low IS NULL THEN NULL ELSE ci_method END AS ci_method, unit,
  CASE WHEN ${M} THEN 'masked' ELSE status END AS status, CASE WHEN ${M} THEN 'gesperrt' END AS suppression,
  CASE WHEN ${M} THEN 'gesperrt'
    WHEN status = 'implausible' THEN 'Zähler größer als Nenner' WHEN status = 'below_min_denominator' THEN 'Nenner unter dem Mindestnenner'
    WHEN status = 'missing_input' THEN 'Eingangswert fehlt' WHEN status = 'suppressed_input' THEN 'Eingangswert gesperrt (Geheimhaltung der Quelle)' END AS note,
  ${hide(rk, 'ref_kommune_value')}, CASE WHEN ${rk} THEN NULL ELSE value - ref_kommune_value END AS diff_kommune,
  CASE WHEN ${rk} THEN NULL ELSE value / NULLIF(ref_kommune_value, 0) END AS ratio_kommune, ${hide(rk, 'sig_kommune')},
  ${hide(rkr, 'ref_kreis_value')}, CASE WHEN ${rkr} THEN NULL ELSE value - ref_kreis_value END AS diff_kreis,
  CASE WHEN ${rkr} THEN NULL ELSE value / NULLIF(ref_kreis_value, 0) END AS ratio_kreis, ${hide(rkr, 'sig_kreis')},
  ${hide(pv, 'prev_value')}, CASE WHEN ${pv} THEN NULL ELSE value - prev_value END AS change_prev_abs,
  CASE WHEN ${pv} THEN NULL ELSE (value - prev_value) / NULLIF(prev_value, 0) END AS change_prev_rel,
  base_year, ${hide(bs, 'base_value')}, CASE WHEN ${bs} THEN NULL ELSE value - base_value END AS change_base_abs,
  CASE WHEN ${bs} THEN NULL ELSE (value - base_value) / NULLIF(base_value, 0) END AS change_base_rel, break_prev OR break_base AS series_break,
  CASE WHEN trend_slope IS NOT NULL AND NOT (${tr}) THEN tfrom END AS trend_from,
  CASE WHEN ${tr} OR trend_slope IS NULL THEN NULL ELSE tn END AS trend_n, ${['trend_slope', 'trend_low', 'trend_high', 'trend_sig'].map((c) => hide(tr, c)).join(', ')},
  CASE WHEN ${M} OR (ampel_mode = 'relative' AND (CASE WHEN ampel_ref = 'kommune' AND level = 'sozialraum' THEN ref_kommune_supp ELSE ref_kreis_supp END) IS NOT NULL)
    OR (ampel_mode = 'absolute' AND COALESCE(tmasked, FALSE)) THEN NULL ELSE ampel_raw END AS ampel,
  CASE WHEN ${tr} THEN NULL ELSE target_status END AS target_status, ord, polarity
FROM st ORDER BY ord, pool_years, year, CASE level WHEN 'kreis' THEN 0 WHEN 'kommune' THEN 1 ELSE 2 END, area_id`,
  );
  await conn.run('DROP TABLE st');
  const cols = FLOOR_COLUMNS.join(', ');
  await exec(
    'csv',
    `COPY (SELECT ${germanSelect(FLOOR_COLUMNS, 'pub')}) TO ${lit(join(outDir, 'kennzahlen.csv'))} ${CSV_OPTS}`,
  );
  await exec(
    'parquet',
    `COPY (SELECT ${cols} FROM pub) TO ${lit(join(outDir, 'kennzahlen.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
  );
  const vcols = [
    'kommune_ags',
    'kommune',
    'indicator_id',
    'indicator_title',
    'unit',
    'year',
    'value',
    'ci_low',
    'ci_high',
    'status',
    'suppression',
    'prev_value',
    'change_prev_abs',
    'change_prev_rel',
    'base_year',
    'base_value',
    'change_base_abs',
    'change_base_rel',
    'series_break',
    'trend_from',
    'trend_n',
    'trend_slope',
    'trend_low',
    'trend_high',
    'trend_sig',
    'kreis_value',
    'diff_kreis',
    'ratio_kreis',
    'sig_kreis',
    'rank_kommunen',
    'kommunen_mit_wert',
    'ampel',
    'target_status',
  ];
  await exec(
    'vergleich',
    `CREATE TABLE vgl AS
WITH latest AS (SELECT indicator_id, MAX(year) AS year FROM pub WHERE level = 'kommune' AND pool_years = 1 AND value IS NOT NULL GROUP BY indicator_id)
SELECT p.area_id AS kommune_ags, p.area_name AS kommune, p.indicator_id, p.indicator_title, p.unit, p.year, p.value, p.ci_low, p.ci_high, p.status, p.suppression,
  p.prev_value, p.change_prev_abs, p.change_prev_rel, p.base_year, p.base_value, p.change_base_abs, p.change_base_rel, p.series_break,
  p.trend_from, p.trend_n, p.trend_slope, p.trend_low, p.trend_high, p.trend_sig, p.ref_kreis_value AS kreis_value, p.diff_kreis, p.ratio_kreis, p.sig_kreis,
  CASE WHEN p.value IS NULL THEN NULL ELSE CAST(rank() OVER (PARTITION BY p.indicator_id, p.value IS NULL
    ORDER BY CASE WHEN p.polarity = 'worse' THEN p.value ELSE -p.value END) AS INTEGER) END AS rank_kommunen,
  COUNT(p.value) OVER (PARTITION BY p.indicator_id) AS kommunen_mit_wert, p.ampel, p.target_status
FROM pub p JOIN latest l ON l.indicator_id = p.indicator_id AND l.year = p.year WHERE p.level = 'kommune' AND p.pool_years = 1
ORDER BY kommune_ags, indicator_id`,
  );
  const v = join(outDir, 'vergleich');
  await exec(
    'vergleich_files',
    `COPY (SELECT ${germanSelect(vcols, 'vgl')}) TO ${lit(join(v, 'vergleich_alle.csv'))} ${CSV_OPTS}`,
  );
  await conn.run(`COPY vgl TO ${lit(join(v, 'vergleich_alle.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
  // per Kommune: one partitioned COPY per format (hive folders kommune=<AGS>/)
  await conn.run(`COPY (SELECT kommune_ags AS k, ${germanSelect(vcols, 'vgl')}) TO ${lit(join(v, 'csv'))} (FORMAT csv, DELIMITER ';', HEADER, QUOTE '"', ESCAPE '"',
    NEW_LINE '\\r\\n', PARTITION_BY (k))`);
  await conn.run(
    `COPY (SELECT kommune_ags AS k, * FROM vgl) TO ${lit(join(v, 'parquet'))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (k))`,
  );
  const resultRows = Number(await scalar(conn, 'SELECT COUNT(*) FROM pub'));
  lap('export');
  conn.closeSync();
  instance.closeSync();
  timings.total = performance.now() - t0;
  const round = Object.fromEntries(
    Object.entries(timings).map(([k, x]) => [k, Math.round(x)]),
  ) as FloorResult['timings_ms'];
  return {
    duckdb_version: version,
    threads,
    timings_ms: round,
    steps_ms: steps,
    rows_read: rowsRead,
    rows_read_total: Object.values(rowsRead).reduce((s, n) => s + n, 0),
    measures: measureIds.size,
    result_rows: resultRows,
  };
}

/** Standard normal quantile (Acklam's rational approximation refined by one Halley step on erfc). */
function qNormal(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p > 1 - 0.02425) {
    return -qNormal(1 - p);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  // Halley refinement with Φ(x) = erfc(−x/√2)/2
  for (let i = 0; i < 3; i++) {
    const e = 0.5 * erfc(-x / Math.SQRT2) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

/** erfc with relative accuracy ~1e-16 (continued fraction for large x, series for small). */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf by its Maclaurin series
    let sum = x;
    let term = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Lentz continued fraction
  let f = x;
  let C = x;
  let D = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    D = x + an * D;
    D = 1 / D;
    C = x + an / C;
    const del = C * D;
    f *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

async function main(argv: string[]): Promise<void> {
  const [project, out] = argv;
  if (!project || !out) throw new Error('Aufruf: floor <projekt> <ausgabeordner>');
  const r = await runFloor(project, resolve(out));
  process.stdout.write(JSON.stringify(r) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`floor: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
