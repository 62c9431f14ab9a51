/**
 * Injection: area ids and names, column headers, file names, source ids and YAML
 * values are never spliced into SQL. Each attempt is refused by validation or
 * loads as plain data: the values arrive verbatim and every table still exists.
 * Text cells starting with =, +, -, @, tab or CR are neutralised in the Excel CSV
 * (leading apostrophe) and stay verbatim in Parquet. (The filter language has its
 * own injection tests in tests/compile/filter.)
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { safeTextJs, safeTextSql } from '../../src/export/csv.js';
import { sqlString } from '../../src/util/sql.js';
import { buildProject, cleanupProjects, QUOTE_INDICATOR, readGermanCsv, runCli, runLib, STACK_RE } from './harness.js';

const ATTACKS = [
  "x'; DROP TABLE src_s; --",
  '"; DROP TABLE areas_kommune; --',
  "' OR '1'='1",
  "Robert'); DROP TABLE rejects;--",
  '$1',
  '?',
  '\\',
  "1); COPY (SELECT 1) TO '/tmp/pwned.csv'; --",
  '%s%n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile cell text on purpose, never a template
  '${process.exit(1)}',
];

afterAll(() => cleanupProjects());

const TABLES =
  "SELECT list_sort(list(table_name)) AS t FROM duckdb_tables() WHERE table_name IN ('src_s', 'areas_kommune', 'areas_sozialraum', 'rejects')";
const ALL_TABLES = ['areas_kommune', 'areas_sozialraum', 'rejects', 'src_s'];

describe('injection attempts load as plain data', () => {
  it('area ids and names from the area list and the data file', async () => {
    const areas = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name'];
    const rows = ['sozialraum_id;jahr;zaehler;nenner'];
    ATTACKS.forEach((a, i) => {
      const id = `05558012-${a}`;
      areas.push(`"${id.replace(/"/g, '""')}";"${a.replace(/"/g, '""')}";05558012;Coesfeld`);
      rows.push(`"${id.replace(/"/g, '""')}";2023;${i};100`);
    });
    const dir = buildProject({
      files: { 'gebiete.csv': areas.join('\n') + '\n', 'daten/data.csv': rows.join('\n') + '\n' },
    });
    const lib = await runLib(dir, [
      TABLES,
      'SELECT sozialraum_id, sozialraum_name FROM areas_sozialraum ORDER BY sozialraum_id',
      'SELECT area_id, zaehler FROM src_s ORDER BY zaehler',
    ]);
    expect(lib.crash).toBeUndefined();
    expect(lib.errors).toEqual([]);
    expect(lib.rejects).toEqual([]);
    expect(lib.rows![0]).toEqual([{ t: ALL_TABLES }]);
    expect(lib.rows![1]).toEqual(
      ATTACKS.map((a) => ({ sozialraum_id: `05558012-${a}`, sozialraum_name: a })).sort((x, y) =>
        x.sozialraum_id < y.sozialraum_id ? -1 : 1,
      ),
    );
    expect(lib.rows![2]).toEqual(ATTACKS.map((a, i) => ({ area_id: `05558012-${a}`, zaehler: i })));
  });

  it('column headers and a text column', async () => {
    const q = (x: string): string => `"${x.replace(/"/g, '""')}"`;
    const header = `sozialraum_id;jahr;${q(ATTACKS[0]!)};${q(ATTACKS[1]!)};bemerkung`;
    const body = ATTACKS.map((a, i) => `05558012-0${(i % 3) + 1};${2014 + i};${i};10;"${a.replace(/"/g, '""')}"`);
    const dir = buildProject({
      files: { 'daten/data.csv': [header, ...body].join('\n') + '\n' },
      sources: [{ columns: { zaehler: ATTACKS[0]!, nenner: ATTACKS[1]!, bemerkung: ['bemerkung', 'text'] } }],
    });
    const lib = await runLib(dir, [TABLES, 'SELECT zaehler, bemerkung FROM src_s ORDER BY zaehler']);
    expect(lib.crash).toBeUndefined();
    expect(lib.errors).toEqual([]);
    expect(lib.rows![0]).toEqual([{ t: ALL_TABLES }]);
    expect(lib.rows![1]).toEqual(ATTACKS.map((a, i) => ({ zaehler: i, bemerkung: a })));
  });

  it("file names like x'; DROP TABLE t; --.csv (JS and fast path)", async () => {
    const files: Record<string, string> = {};
    const names = ["x'; DROP TABLE src_s; --.csv", 'a"b; DROP TABLE rejects.csv', "$1'.csv", 'c\\d.csv'];
    names.forEach(
      (n, i) => (files[`daten/${n}`] = `sozialraum_id;jahr;zaehler;nenner\n05558012-01;${2020 + i};${i};10\n`),
    );
    // a row the fast path hands to the JS validator (and an UPDATE by file name)
    files[`daten/${names[0]}`] += '05558012-02;2020;7p;10\n';
    const dir = buildProject({ files, sources: [{ files: 'daten/*.csv' }] });
    const lib = await runLib(dir, [TABLES, 'SELECT _file, year, zaehler FROM src_s ORDER BY year, _line']);
    expect(lib.crash).toBeUndefined();
    expect(lib.errors).toEqual([]);
    expect(lib.rows![0]).toEqual([{ t: ALL_TABLES }]);
    expect(lib.rows![1]).toEqual([
      { _file: `daten/${names[0]}`, year: 2020, zaehler: 0 },
      { _file: `daten/${names[0]}`, year: 2020, zaehler: 7 },
      { _file: `daten/${names[1]}`, year: 2021, zaehler: 1 },
      { _file: `daten/${names[2]}`, year: 2022, zaehler: 2 },
      { _file: `daten/${names[3]}`, year: 2023, zaehler: 3 },
    ]);
  });

  it('source ids and canonical column names that are not identifiers are refused by validation', async () => {
    const dir = buildProject({
      sources: [{ id: 's; DROP TABLE x', columns: { 'zaehler"; --': 'zaehler', nenner: 'nenner' } }],
      files: { 'daten/data.csv': 'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;1;2\n' },
      indicators: {},
    });
    const lib = await runLib(dir);
    expect(lib.crash).toBeUndefined();
    expect(lib.errors.map((e) => [e.code, e.file, e.line, e.path])).toEqual([
      ['config.invalid_format', 'spm.yaml', 8, 'sources[0].id'],
      ['config.invalid_key', 'spm.yaml', 20, 'sources[0].columns.zaehler"; --'],
    ]);
  });

  it('YAML values (names, titles, owner) with SQL text load verbatim', async () => {
    const dir = buildProject({
      files: { 'daten/data.csv': 'sozialraum_id;jahr;zaehler;nenner\n05558012-01;2023;1;2\n' },
      patch: (c) => {
        c.name = ATTACKS[0];
        (c.kreis as Record<string, unknown>).name = ATTACKS[3];
        const s = (c.sources as Record<string, unknown>[])[0]!;
        s.title = ATTACKS[1];
        s.owner = ATTACKS[2];
        s.stichtag = ATTACKS[7];
      },
    });
    const lib = await runLib(dir, [TABLES]);
    expect(lib.crash).toBeUndefined();
    expect(lib.errors).toEqual([]);
    expect(lib.rows![0]).toEqual([{ t: ALL_TABLES }]);
  });
});

describe('formula injection in the Excel CSV', () => {
  it('area, Kommune, Kreis names and indicator titles starting with = + - @ tab CR get an apostrophe (compute via the CLI)', async () => {
    const names = ['=HYPERLINK("http://x","klick")', '+1+1', '-2+3', '@SUM(A1)', "x'; DROP TABLE src_s; --"];
    const areas = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name'];
    names.forEach((n, i) => areas.push(`05558012-0${i + 1};"${n.replace(/"/g, '""')}";05558012;"=cmd|' /C calc'!A0"`));
    const data = ['sozialraum_id;jahr;zaehler;nenner', ...names.map((_, i) => `05558012-0${i + 1};2023;${i + 1};10`)];
    const dir = buildProject({
      files: { 'gebiete.csv': areas.join('\n') + '\n', 'daten/data.csv': data.join('\n') + '\n' },
      patch: (c) => ((c.kreis as Record<string, unknown>).name = '\r+Kreis'),
      indicators: { 'quote.yaml': QUOTE_INDICATOR.replace('title: Quote', 'title: "\\t=2+3"') },
    });
    const r = await runCli(['compute', dir, '--quiet']);
    expect(r.stderr).not.toMatch(STACK_RE);
    expect(r.status, r.stderr).toBe(0);
    const csv = readGermanCsv(path.join(dir, 'out', 'kennzahlen.csv')).filter((x) => x.pool_years === '1');
    const soz = csv.filter((x) => x.level === 'sozialraum');
    expect(soz.map((x) => [x.area_id, x.area_name, x.numerator])).toEqual([
      ['05558012-01', `'${names[0]}`, '1'],
      ['05558012-02', `'${names[1]}`, '2'],
      ['05558012-03', `'${names[2]}`, '3'],
      ['05558012-04', `'${names[3]}`, '4'],
      ['05558012-05', names[4], '5'],
    ]);
    expect(csv.find((x) => x.level === 'kommune')!.area_name).toBe("'=cmd|' /C calc'!A0");
    expect(csv.find((x) => x.level === 'kreis')!.area_name).toBe("'\r+Kreis");
    expect(new Set(csv.map((x) => x.indicator_title))).toEqual(new Set(["'\t=2+3"]));
    // no cell of the CSV starts with a formula character
    for (const row of readGermanCsv(path.join(dir, 'out', 'kennzahlen.csv')))
      for (const [k, v] of Object.entries(row))
        if (!/^(numerator|denominator|value|ci_|diff_|change_|trend_|ratio_|ref_|prev_|base_)/.test(k))
          expect(v, k).not.toMatch(/^[=+\-@\t\r]/);
    // Parquet keeps the text verbatim
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      const pq = path.join(dir, 'out', 'kennzahlen.parquet').replace(/'/g, "''");
      const rows = (
        await conn.runAndReadAll(
          `SELECT DISTINCT area_name FROM read_parquet('${pq}') WHERE level = 'sozialraum' ORDER BY area_name`,
        )
      ).getRowObjectsJS();
      expect(rows.map((x) => x.area_name)).toEqual([...names].sort());
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  }, 120_000);
});

describe('formula guard in SQL and JS', () => {
  it('guards the same cells as safeTextJs (by the first code point, also before a combining mark)', async () => {
    const values = [
      '=1',
      '+1',
      '-1',
      '@A1',
      '\t=1',
      '\r=1',
      // "=" with a combining acute accent: one grapheme, whose first code point is still "="
      '=\u0301SUMME(A1)',
      '',
      'Ärzte',
      '€-Betrag',
      "'=1",
      ' =1',
      '1-2',
    ];
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      const rows = values.map((v, i) => `(${i}, ${sqlString(v)})`).join(', ');
      const r = await conn.runAndReadAll(`SELECT ${safeTextSql('v')} AS s FROM (VALUES ${rows}) t(i, v) ORDER BY i`);
      expect(r.getRowObjectsJS().map((x) => x.s)).toEqual(values.map(safeTextJs));
      expect(values.map(safeTextJs).filter((v) => v.startsWith("'")).length).toBe(8);
      const n = await conn.runAndReadAll(`SELECT ${safeTextSql('NULL::VARCHAR')} AS s`);
      expect(n.getRowObjectsJS()[0]!.s).toBeNull();
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});
