/**
 * The floor of the benchmark: a minimal hand-written DuckDB script that reads the same CSV
 * files as `spm compute` directly with DuckDB's `read_csv` and runs the same GROUP BYs the
 * standard Kennzahlenset needs, then rolls up to Kommune and Kreis, forms the 3-year pools
 * and writes one long result table (indicator x level x area x year x pool) to Parquet.
 *
 * Run: `node dist/bench/floor.js <project> <out.parquet>` (or `npx tsx bench/floor.ts ...`);
 * prints one JSON object (timings, rows, DuckDB version) on stdout.
 *
 * Honest on purpose: the same files, the same aggregations (sums for aggregated sources,
 * filtered counts for the SEU microdata, one per numerator and denominator of each
 * indicator), the same roll-ups and pools, one typed output. No validation, no row
 * accounting, no rejects, no CSV export, no manifest: that is what spm adds on top.
 *
 * The reading is written by hand for the file shapes of the sample project (see
 * bench/generate-nrw.ts); the measures come from indicators/*.yaml, whose filter
 * expressions over boolean/number columns are valid DuckDB SQL as written.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { FH_HEADERS, HZE_HEADERS, KITA_HEADERS, SGB2_HEADERS } from '../data-samples/generate.js';
import { REPO_ROOT } from './generate-nrw.js';

const YEAR_FROM = 2015;
const YEAR_TO = 2024;
const POOL = 3;

const UNIT_SCALE: Record<string, number> = { percent: 100, per_1000: 1_000, per_10000: 10_000, per_100000: 100_000, ratio: 1, count: 0 };

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Count cells with German thousands dots and the statistics offices' symbols. */
const num = (h: string): string =>
  `CASE ${ident(h)} WHEN '-' THEN 0 WHEN '*' THEN 1.5 WHEN '.' THEN NULL ELSE CAST(replace(${ident(h)}, '.', '') AS DOUBLE) END`;
const bool = (h: string): string => `CASE ${ident(h)} WHEN 'ja' THEN TRUE WHEN 'nein' THEN FALSE END`;
const allVarchar = (headers: readonly string[]): string => '{' + headers.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ') + '}';

interface SourceRead {
  level: 'sozialraum' | 'kommune';
  /** SELECT giving area_id, year and the spm column names, typed. */
  sql: (dir: string) => string;
}

function sources(): Record<string, SourceRead> {
  const bev: [string, string][] = [
    ['bev_unter_3', 'unter 3'], ['bev_3_bis_unter_6', '3 bis unter 6'], ['bev_6_bis_unter_10', '6 bis unter 10'],
    ['bev_10_bis_unter_15', '10 bis unter 15'], ['bev_15_bis_unter_18', '15 bis unter 18'], ['bev_18_bis_unter_21', '18 bis unter 21'],
    ['bev_unter_15', 'unter 15'], ['bev_unter_18', 'unter 18'], ['bev_unter_21', 'unter 21'], ['bev_insgesamt', 'insgesamt'],
    ['bev_nichtdeutsch', 'nichtdeutsch'], ['geburten', 'Geburten'],
  ];
  const s = SGB2_HEADERS;
  const sgb2: [string, string][] = [
    ['personen_in_bg', s.personen_bg], ['nef_unter_15', s.nef_u15], ['lb_15_bis_unter_18', s.lb_15_18],
    ['lb_18_bis_unter_21', s.lb_18_21], ['bg_mit_kindern', s.bg_kinder], ['bg_alleinerziehende', s.bg_ae],
  ];
  const h = HZE_HEADERS;
  const hze: [string, string][] = [
    ['hze_27_35_laufend', h.l27], ['hze_27_35_beendet', h.b27], ['hze_35a_laufend', h.l35a], ['hze_35a_beendet', h.b35a],
    ['hze_41_laufend', h.l41], ['hze_41_beendet', h.b41], ['hze_insgesamt', h.sum], ['hze_ohne_35a', h.sumOhne35a],
    ['fremdunterbringung_33_34', h.fremd], ['inobhutnahmen_42', h.inob],
  ];
  const k = KITA_HEADERS;
  const kita: [string, string][] = [
    ['kita_u3_einrichtung', k.u3Kita], ['kita_u3_tagespflege', k.u3Tp], ['kita_u3_betreut', k.u3], ['kita_3_bis_unter_6_betreut', k.ue3],
  ];
  const f = FH_HEADERS;
  const fh: [string, string][] = [['fh_familien_angeschrieben', f.angeschrieben], ['fh_willkommensbesuche', f.besuche]];
  const cols = (m: [string, string][], conv: (h: string) => string): string => m.map(([n, hd]) => `${conv(hd)} AS ${ident(n)}`).join(', ');
  const seuBool = [
    'groesse_gewicht_gueltig', 'sprache_getestet', 'sprache_befund', 'visuomotorik_getestet', 'visuomotorik_befund',
    'koerperkoordination_getestet', 'koerperkoordination_befund', 'impfpass_vorgelegt', 'vorsorgeheft_vorgelegt',
    'u7a', 'u8', 'u9', 'u1_u9_vollstaendig',
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
      sql: (d) => `SELECT "Sozialraum" AS area_id, "Jahr" AS year, ${bev.map(([n, hd]) => `${ident(hd)} AS ${ident(n)}`).join(', ')}
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
      sql: (d) => `SELECT sozialraum AS area_id, CAST(substr(schuljahr, 1, 4) AS INTEGER) + 1 AS year, geschlecht, bmi_perzentil,
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
      sql: (d) => `SELECT ${ident(k.area)} AS area_id, ${ident(k.year)} AS year, ${kita.map(([n, hd]) => `${ident(hd)} AS ${ident(n)}`).join(', ')}
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
  unit: string;
  numerator: MeasureDef;
  denominator: MeasureDef;
}

function loadIndicators(): IndicatorDef[] {
  const dir = join(REPO_ROOT, 'indicators');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseYaml(readFileSync(join(dir, f), 'utf8')) as IndicatorDef);
}

/** The filters of the standard set are plain comparisons; refuse anything else rather than splice it. */
function filterSql(f: string): string {
  if (!/^[a-z0-9_ <>=!.]+$/i.test(f)) throw new Error(`floor: Filter nicht als SQL übernehmbar: ${f}`);
  return f;
}

export interface FloorResult {
  duckdb_version: string;
  threads: number;
  timings_ms: { config: number; read_aggregate: number; rollup: number; export: number; total: number };
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

export async function runFloor(projectDir: string, outFile: string, kreisAgs = '05999'): Promise<FloorResult> {
  const t0 = performance.now();
  const dir = resolve(projectDir);
  const indicators = loadIndicators();
  // distinct measures, grouped by source
  const measureIds = new Map<string, string>();
  const bySource = new Map<string, { id: string; expr: string }[]>();
  const key = (m: MeasureDef): string => {
    const k = `${m.source}|${m.measure}|${m.column ?? ''}|${m.filter ?? ''}`;
    let id = measureIds.get(k);
    if (id === undefined) {
      id = `m${measureIds.size}`;
      measureIds.set(k, id);
      const expr =
        m.measure === 'sum'
          ? `SUM(${ident(m.column!)})` + (m.filter ? ` FILTER (WHERE ${filterSql(m.filter)})` : '')
          : `COUNT(*)` + (m.filter ? ` FILTER (WHERE ${filterSql(m.filter)})` : '');
      const list = bySource.get(m.source) ?? [];
      list.push({ id, expr });
      bySource.set(m.source, list);
    }
    return id;
  };
  const ind = indicators.map((i) => ({ id: i.id, scale: UNIT_SCALE[i.unit] ?? 1, num: key(i.numerator), den: key(i.denominator) }));
  const srcs = sources();

  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
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
  const timings = { config: t - t0, read_aggregate: 0, rollup: 0, export: 0, total: 0 };

  // 1. read + GROUP BY per source (one pass over each file)
  await conn.run(
    `CREATE TABLE areas AS SELECT * FROM read_csv(${lit(join(dir, 'gebiete.csv'))}, delim = ';', header = true, auto_detect = false, quote = '"', escape = '"',
      columns = {'sozialraum_id': 'VARCHAR', 'sozialraum_name': 'VARCHAR', 'kommune_ags': 'VARCHAR', 'kommune_name': 'VARCHAR', 'gueltig_ab': 'INTEGER', 'gueltig_bis': 'INTEGER'})`,
  );
  await conn.run(`CREATE TABLE kommunen AS SELECT DISTINCT kommune_ags, kommune_name FROM areas`);
  const rowsRead: Record<string, number> = {};
  const baseParts: string[] = [];
  for (const [id, list] of bySource) {
    const src = srcs[id];
    if (!src) throw new Error(`floor: Quelle ${id} unbekannt`);
    await exec(
      `agg_${id}`,
      `CREATE TABLE agg_${id} AS SELECT area_id, year, COUNT(*) AS _rows, ${list.map((m) => `${m.expr} AS ${m.id}`).join(', ')}
       FROM (${src.sql(dir)}) WHERE year BETWEEN ${YEAR_FROM} AND ${YEAR_TO} GROUP BY area_id, year`,
    );
    rowsRead[id] = Number(await scalar(conn, `SELECT SUM(_rows) FROM agg_${id}`));
    for (const m of list) baseParts.push(`SELECT '${m.id}' AS measure, '${src.level}' AS lvl, area_id, year, ${m.id} AS value FROM agg_${id}`);
  }
  timings.read_aggregate = performance.now() - t;
  t = performance.now();

  // 2. base cells (known areas only), roll-ups Sozialraum -> Kommune -> Kreis, 3-year pools
  await exec('base', `CREATE TABLE base AS ${baseParts.join('\nUNION ALL ')}`);
  await exec('cells', `CREATE TABLE cells AS
WITH sr AS (
  SELECT b.measure, 'sozialraum' AS level, b.area_id, b.year, b.value, a.kommune_ags
  FROM base b JOIN areas a ON a.sozialraum_id = b.area_id WHERE b.lvl = 'sozialraum'
), kom AS (
  SELECT measure, 'kommune' AS level, kommune_ags AS area_id, year, SUM(value) AS value FROM sr GROUP BY measure, kommune_ags, year
  UNION ALL
  SELECT b.measure, 'kommune', b.area_id, b.year, b.value FROM base b JOIN kommunen k ON k.kommune_ags = b.area_id WHERE b.lvl = 'kommune'
), kreis AS (
  SELECT measure, 'kreis' AS level, ${lit(kreisAgs)} AS area_id, year, SUM(value) AS value FROM kom GROUP BY measure, year
), single AS (
  SELECT measure, level, area_id, year, value FROM sr UNION ALL SELECT * FROM kom UNION ALL SELECT * FROM kreis
)
SELECT measure, level, area_id, year, 1 AS pool_years, value FROM single
UNION ALL
SELECT measure, level, area_id, year, ${POOL}, win FROM (
  SELECT *, SUM(value) OVER w AS win, MIN(year) OVER (PARTITION BY measure, level, area_id) AS first_year
  FROM single WINDOW w AS (PARTITION BY measure, level, area_id ORDER BY year RANGE BETWEEN ${POOL - 1} PRECEDING AND CURRENT ROW)
) WHERE year - ${POOL - 1} >= first_year`);
  await conn.run(`CREATE TABLE ind (ord INTEGER, indicator_id VARCHAR, scale DOUBLE, num VARCHAR, den VARCHAR)`);
  await conn.run(`INSERT INTO ind VALUES ${ind.map((i, n) => `(${n}, ${lit(i.id)}, ${i.scale}, ${lit(i.num)}, ${lit(i.den)})`).join(', ')}`);
  timings.rollup = performance.now() - t;
  t = performance.now();

  // 3. results: ratio of sums per indicator, area, year and pool; one Parquet file
  rmSync(outFile, { force: true });
  await exec('copy', `COPY (
SELECT i.indicator_id, n.level, n.area_id,
  CASE n.level WHEN 'sozialraum' THEN a.sozialraum_name WHEN 'kommune' THEN k.kommune_name ELSE 'Kreis' END AS area_name,
  CASE n.level WHEN 'sozialraum' THEN a.kommune_ags WHEN 'kommune' THEN n.area_id END AS kommune_ags,
  n.year, n.pool_years, n.value AS numerator, d.value AS denominator,
  CASE WHEN i.scale = 0 THEN n.value WHEN d.value > 0 THEN n.value / d.value * i.scale END AS value
FROM ind i
JOIN cells n ON n.measure = i.num
JOIN cells d ON d.measure = i.den AND d.level = n.level AND d.area_id = n.area_id AND d.year = n.year AND d.pool_years = n.pool_years
-- Sozialraum ids and Kommune AGS never coincide: plain equi-joins (a level test in ON makes DuckDB nested-loop)
LEFT JOIN areas a ON a.sozialraum_id = n.area_id
LEFT JOIN kommunen k ON k.kommune_ags = n.area_id
ORDER BY i.ord, n.pool_years, n.year, n.level, n.area_id
) TO ${lit(outFile)} (FORMAT parquet, COMPRESSION zstd)`);
  const resultRows = Number(await scalar(conn, `SELECT COUNT(*) FROM read_parquet(${lit(outFile)})`));
  timings.export = performance.now() - t;
  conn.closeSync();
  instance.closeSync();
  timings.total = performance.now() - t0;
  const round = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])) as FloorResult['timings_ms'];
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

async function main(argv: string[]): Promise<void> {
  const [project, out] = argv;
  if (!project || !out) throw new Error('Aufruf: floor <projekt> <ergebnis.parquet>');
  const r = await runFloor(project, resolve(out));
  process.stdout.write(JSON.stringify(r) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`floor: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
