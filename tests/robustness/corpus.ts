/**
 * The bad-input corpus: one entry per case. Each case is a small project folder
 * (generated from `spec`) and its exact outcome: the error issues (code, file,
 * line, column or YAML path), every rejected row, the warnings, and the values
 * that were loaded or computed. Adding a case is adding one entry.
 */
import { bad, QUOTE_INDICATOR as QUOTE, type ProjectSpec } from './harness.js';

/** An error issue: code and place must match exactly (`message` is a pattern for the text). */
export interface ErrorExpect {
  code: string;
  file?: string;
  line?: number;
  column?: string;
  path?: string;
  message?: RegExp;
}

/** A rejected row: file, line, column (null: none), code, severity. */
export type RejectExpect = [string, number, string | null, string, 'error' | 'warning' | 'info'];

export interface Case {
  name: string;
  spec: ProjectSpec;
  /** Exactly these error issues (default: none). */
  errors?: ErrorExpect[];
  /** Exactly these rejected rows (default: none). */
  rejects?: RejectExpect[];
  /** Exactly these warnings as [code, file, line] (default: none). */
  warnings?: [string, string | undefined, number | undefined][];
  /** A query over the loaded tables and its exact rows. */
  query?: { sql: string; rows: Record<string, unknown>[] };
  /**
   * `spm compute` through the CLI: rows of indicator `quote` as [area, year, status,
   * numerator, denominator, value] (value a number compared to 12 digits, or '' for none).
   */
  compute?: [string, string, string, string, string, number | ''][];
  /**
   * Also run `spm validate` through the CLI. Default: the bad-inputs files and every
   * case that expects an error (the CLI runs of the other cases would only repeat the
   * library check and cost a process start each).
   */
  cli?: boolean;
}

const D = 'daten/data.csv';
const H = 'sozialraum_id;jahr;zaehler;nenner';
const data = (...lines: string[]): string => [H, ...lines].join('\n') + '\n';
const one = (content: string | Buffer, extra: ProjectSpec = {}): ProjectSpec => ({
  ...extra,
  files: { [D]: content, ...(extra.files ?? {}) },
});
const ROWS = (sql = 'SELECT _line, area_id, year, zaehler, nenner FROM src_s ORDER BY _line') => sql;

/** Columns of the bad-input HzE files as the default source. */
const hzeSource = { columns: { zaehler: 'hze_faelle', nenner: 'bev_unter_21' } };
const fromBad = (
  file: string,
  src: { columns?: Record<string, string | [string, string]> } & Record<string, unknown> = hzeSource,
): ProjectSpec => ({
  files: { [`daten/${file}`]: bad(file) },
  sources: [{ files: `daten/${file}`, ...src }],
  // the default indicator needs both canonical columns
  ...(src.columns && 'zaehler' in src.columns && 'nenner' in src.columns ? {} : { indicators: {} }),
});

const utf16 = (text: string, enc: 'utf16le' | 'utf16be', bom: boolean): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  const body = enc === 'utf16le' ? le : Buffer.from(le.map((_, i) => le[i ^ 1]!));
  return bom ? Buffer.concat([Buffer.from(enc === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]) : body;
};

const yamlOf = (lines: string[]): string => lines.join('\n') + '\n';
const BASE_YAML = [
  'name: Robustheitstest',
  'kreis: { ags: "05558", name: Kreis Coesfeld }',
  'areas: { file: gebiete.csv }',
  'sources:',
  '  - id: s',
  '    title: Testquelle',
  '    files: daten/data.csv',
  '    kind: aggregated',
  '    area: { column: sozialraum_id, level: sozialraum }',
  '    period: { column: jahr, kind: kalenderjahr }',
  '    columns:',
  '      zaehler: { header: zaehler, type: count }',
  '      nenner: { header: nenner, type: count }',
  '    stichtag: "31.12."',
  '    owner: Test',
  'indicators: [indicators]',
  'settings: { min_denominator: 1, suppression: { min_count: 1 } }',
];
const OK_DATA = { [D]: data('05558012-01;2023;41;1830') };
const yamlCase = (
  edit: (lines: string[]) => string[] | string,
  files: Record<string, string | Buffer> = OK_DATA,
): ProjectSpec => {
  const r = edit([...BASE_YAML]);
  return { yaml: typeof r === 'string' ? r : yamlOf(r), files };
};

export const CASES: Case[] = [
  // ---------------------------------------------------------------- tests/fixtures/bad-inputs
  {
    name: 'bad-inputs/sgb2_latin1_semicolon.csv: Latin-1, title + footer, thousands dots -> 24 rows',
    spec: fromBad('sgb2_latin1_semicolon.csv', {
      area: 'Sozialraum',
      period: 'Jahr',
      columns: {
        zaehler: 'Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren',
        nenner: 'Bevölkerung unter 15 Jahren',
      },
    }),
    query: {
      sql: "SELECT count(*) AS n, sum(zaehler) AS z, sum(nenner) AS b, min(_line) AS first, max(_line) AS last, max(nenner) FILTER (WHERE area_id = '05558004-01' AND year = 2023) AS b_asch FROM src_s",
      rows: [{ n: 24, z: 2886, b: 31953, first: 3, last: 26, b_asch: 1344 }],
    },
    compute: [['05558004-01', '2023', 'ok', '30', '1344', (30 / 1344) * 100]],
  },
  {
    name: 'bad-inputs/seu_bom_decimal_comma.csv: BOM, decimal comma, "." missing, 2023/24 -> 2024',
    spec: fromBad('seu_bom_decimal_comma.csv', {
      area: 'Sozialraum',
      period: 'Schuljahr',
      periodKind: 'schuljahr',
      rule: 'end_year',
      columns: {
        nenner: 'Untersuchte Kinder',
        zaehler: 'davon übergewichtig',
        anteil: ['Anteil übergewichtig in %', 'number'],
      },
    }),
    query: {
      sql: 'SELECT _line, area_id, year, period, zaehler, zaehler__flag, anteil FROM src_s WHERE _line IN (2, 5, 10) ORDER BY _line',
      rows: [
        {
          _line: 2,
          area_id: '05558020-01',
          year: 2024,
          period: '2023/24',
          zaehler: 17,
          zaehler__flag: null,
          anteil: 13.4,
        },
        { _line: 5, area_id: '05558024-02', year: 2024, period: '2023/24', zaehler: 9, zaehler__flag: null, anteil: 9 },
        {
          _line: 10,
          area_id: '05558020-03',
          year: 2024,
          period: '2023/24',
          zaehler: null,
          zaehler__flag: 'missing',
          anteil: null,
        },
      ],
    },
    compute: [
      ['05558020-01', '2024', 'ok', '17', '127', (17 / 127) * 100],
      ['05558020-03', '2024', 'missing_input', '', '', ''],
    ],
  },
  {
    name: 'bad-inputs/hze_duplicate_keys.csv: both rows of the key rejected, never summed',
    spec: fromBad('hze_duplicate_keys.csv'),
    rejects: [
      ['daten/hze_duplicate_keys.csv', 2, 'sozialraum_id', 'duplicate_key', 'error'],
      ['daten/hze_duplicate_keys.csv', 4, 'sozialraum_id', 'duplicate_key', 'error'],
    ],
    query: { sql: ROWS(), rows: [{ _line: 3, area_id: '05558012-02', year: 2023, zaehler: 17, nenner: 1204 }] },
    compute: [
      ['05558012-01', '2023', 'rejected_input', '', '', ''],
      ['05558012-02', '2023', 'ok', '17', '1204', (17 / 1204) * 100],
    ],
  },
  {
    name: 'bad-inputs/numerator_exceeds_denominator.csv: loads; the value is flagged implausible',
    spec: fromBad('numerator_exceeds_denominator.csv', {
      columns: { zaehler: 'u8_nicht_teilgenommen', nenner: 'kinder_mit_heft' },
    }),
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558016-01', year: 2023, zaehler: 12, nenner: 118 },
        { _line: 3, area_id: '05558016-02', year: 2023, zaehler: 131, nenner: 97 },
      ],
    },
    compute: [
      ['05558016-01', '2023', 'ok', '12', '118', (12 / 118) * 100],
      ['05558016-02', '2023', 'implausible', '131', '97', (131 / 97) * 100],
    ],
  },
  {
    name: 'bad-inputs/unknown_area.csv: line 3 rejected unknown_area',
    spec: fromBad('unknown_area.csv'),
    rejects: [['daten/unknown_area.csv', 3, 'sozialraum_id', 'unknown_area', 'error']],
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 }] },
  },
  {
    name: 'bad-inputs/ragged_rows.csv: lines 3 (missing field) and 4 (extra field) rejected',
    spec: fromBad('ragged_rows.csv'),
    rejects: [
      ['daten/ragged_rows.csv', 3, null, 'ragged_row', 'error'],
      ['daten/ragged_rows.csv', 4, null, 'ragged_row', 'error'],
    ],
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 }] },
  },
  {
    name: 'bad-inputs/negative_count.csv: line 2 rejected negative_count in hze_faelle',
    spec: fromBad('negative_count.csv'),
    rejects: [['daten/negative_count.csv', 2, 'hze_faelle', 'negative_count', 'error']],
    query: { sql: 'SELECT count(*) AS n FROM src_s', rows: [{ n: 0 }] },
  },
  {
    name: 'bad-inputs/mixed_encoding.csv: the Latin-1 line is decoded with a warning, no mojibake',
    spec: fromBad('mixed_encoding.csv', { columns: { name: ['name', 'text'], nenner: 'bev_unter_15' } }),
    warnings: [['csv.mixed_encoding', 'daten/mixed_encoding.csv', 3]],
    query: {
      sql: 'SELECT _line, area_id, name, nenner FROM src_s ORDER BY _line',
      rows: [
        { _line: 2, area_id: '05558016-01', name: 'Dülmen-Mitte', nenner: 1200 },
        { _line: 3, area_id: '05558016-02', name: 'Dülmen-Hausdülmen', nenner: 640 },
      ],
    },
  },
  {
    name: 'bad-inputs/header_only.csv: error source.no_data_rows at the header line',
    spec: fromBad('header_only.csv'),
    errors: [{ code: 'source.no_data_rows', file: 'daten/header_only.csv', line: 1, message: /keine Datenzeilen/ }],
  },
  {
    name: 'bad-inputs/empty.csv: error source.empty_file',
    spec: fromBad('empty.csv'),
    errors: [{ code: 'source.empty_file', file: 'daten/empty.csv', message: /ist leer/ }],
  },
  {
    name: 'bad-inputs/excel_sep_line.csv: sep=; line, quoted numbers, trailing empty columns',
    spec: fromBad('excel_sep_line.csv'),
    query: {
      sql: ROWS(),
      rows: [
        { _line: 3, area_id: '05558024-01', year: 2023, zaehler: 22, nenner: 1512 },
        { _line: 4, area_id: '05558024-02', year: 2023, zaehler: 9, nenner: 744 },
      ],
    },
  },
  {
    name: 'bad-inputs/ags_leading_zero_lost.csv: 5558012 repaired to 05558012 with a warning (Kommune level)',
    spec: fromBad('ags_leading_zero_lost.csv', {
      area: 'gemeinde_ags',
      level: 'kommune',
      columns: { nenner: 'bev_unter_15' },
    }),
    warnings: [['source.leading_zero_repaired', 'daten/ags_leading_zero_lost.csv', 2]],
    query: {
      sql: 'SELECT _line, area_id, nenner FROM src_s ORDER BY _line',
      rows: [
        { _line: 2, area_id: '05558012', nenner: 4900 },
        { _line: 3, area_id: '05558016', nenner: 6900 },
      ],
    },
  },
  {
    name: 'bad-inputs/schuljahr_and_kalenderjahr.csv (kind schuljahr): line 3 period_kind_mismatch',
    spec: fromBad('schuljahr_and_kalenderjahr.csv', {
      period: 'zeitraum',
      periodKind: 'schuljahr',
      rule: 'end_year',
      columns: { nenner: 'untersuchte', zaehler: 'sprachfoerderbedarf' },
    }),
    rejects: [['daten/schuljahr_and_kalenderjahr.csv', 3, 'zeitraum', 'period_kind_mismatch', 'error']],
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558032-01', year: 2023, zaehler: 19, nenner: 88 }] },
  },
  {
    name: 'bad-inputs/schuljahr_and_kalenderjahr.csv (kind kalenderjahr): line 2 period_kind_mismatch',
    spec: fromBad('schuljahr_and_kalenderjahr.csv', {
      period: 'zeitraum',
      columns: { nenner: 'untersuchte', zaehler: 'sprachfoerderbedarf' },
    }),
    rejects: [['daten/schuljahr_and_kalenderjahr.csv', 2, 'zeitraum', 'period_kind_mismatch', 'error']],
    query: { sql: ROWS(), rows: [{ _line: 3, area_id: '05558032-01', year: 2023, zaehler: 17, nenner: 91 }] },
  },

  // ---------------------------------------------------------------- encodings
  {
    name: 'UTF-16LE with BOM, tabs, CRLF (Excel "Unicode-Text")',
    spec: one(
      utf16(
        'sozialraum_id\tjahr\tzaehler\tnenner\r\n05558012-01\t2023\t41\t1.830\r\n05558016-02\t2023\t7\t900\r\n',
        'utf16le',
        true,
      ),
    ),
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 },
        { _line: 3, area_id: '05558016-02', year: 2023, zaehler: 7, nenner: 900 },
      ],
    },
    compute: [['05558012-01', '2023', 'ok', '41', '1830', (41 / 1830) * 100]],
  },
  {
    name: 'UTF-16BE without BOM',
    spec: one(utf16(data('05558012-01;2023;41;1830', '05558016-02;2023;7;900'), 'utf16be', false)),
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 },
        { _line: 3, area_id: '05558016-02', year: 2023, zaehler: 7, nenner: 900 },
      ],
    },
  },
  {
    name: 'Latin-1 (pinned) with umlauts in a header and a text column',
    spec: {
      files: {
        [D]: Buffer.from(
          'Sozialraum;Jahr;Bezeichnung;Fälle;Einwohner\n05558016-01;2023;Dülmen-Süd;5;1.000\n',
          'latin1',
        ),
      },
      sources: [
        {
          area: 'Sozialraum',
          period: 'Jahr',
          read: { encoding: 'latin1' },
          columns: { name: ['Bezeichnung', 'text'], zaehler: 'Fälle', nenner: 'Einwohner' },
        },
      ],
    },
    query: {
      sql: 'SELECT _line, area_id, name, zaehler, nenner FROM src_s',
      rows: [{ _line: 2, area_id: '05558016-01', name: 'Dülmen-Süd', zaehler: 5, nenner: 1000 }],
    },
  },
  {
    name: 'encoding pinned to UTF-8, one Latin-1 line: that line rejected encoding_error',
    spec: {
      files: {
        [D]: Buffer.concat([
          Buffer.from(data('05558012-01;2023;41;1830')),
          Buffer.from('05558016-01;2023;5;D\xfclmen\n', 'latin1'),
        ]),
      },
      sources: [{ read: { encoding: 'utf-8' }, columns: { zaehler: 'zaehler', nenner: 'nenner' } }],
    },
    rejects: [[D, 3, null, 'encoding_error', 'error']],
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 }] },
  },

  // ---------------------------------------------------------------- delimiters
  {
    name: 'comma delimiter, decimal point, a quoted text with a comma',
    spec: {
      files: { [D]: 'sozialraum_id,jahr,name,zaehler,nenner\n05558012-01,2023,"Innenstadt, Nord",4.5,1200\n' },
      sources: [{ columns: { name: ['name', 'text'], zaehler: 'zaehler', nenner: 'nenner' } }],
    },
    query: {
      sql: 'SELECT name, zaehler, nenner FROM src_s',
      rows: [{ name: 'Innenstadt, Nord', zaehler: 4.5, nenner: 1200 }],
    },
  },
  {
    name: 'pipe delimiter',
    spec: one('sozialraum_id|jahr|zaehler|nenner\n05558012-01|2023|41|1830\n'),
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 }] },
  },
  {
    name: 'delimiter pinned to ";" on a comma file: missing headers named with the line',
    spec: {
      files: { [D]: 'sozialraum_id,jahr,zaehler,nenner\n05558012-01,2023,41,1830\n' },
      sources: [{ read: { delimiter: ';' } }],
    },
    errors: [
      {
        code: 'source.missing_header',
        file: D,
        line: 1,
        path: 'sources[0]',
        message: /„sozialraum_id“, „jahr“, „zaehler“, „nenner“ nicht gefunden/,
      },
    ],
  },
  {
    name: 'mixed CRLF and LF line ends, trailing delimiters, every field quoted',
    spec: one(
      '"sozialraum_id";"jahr";"zaehler";"nenner";\r\n"05558012-01";"2023";"41";"1.830";\n"05558012-02";"2023";"0";"12";\r\n',
    ),
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 },
        { _line: 3, area_id: '05558012-02', year: 2023, zaehler: 0, nenner: 12 },
      ],
    },
  },

  // ---------------------------------------------------------------- ragged rows, quotes, line ends
  {
    name: 'a quote left open joins the rest of the file into one record: ragged, lines named',
    cli: true,
    spec: one(data('05558012-01;2023;41;1830', '"05558012-02;2023;7;900', '05558012-03;2023;1;10')),
    rejects: [[D, 3, null, 'ragged_row', 'error']],
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 }] },
  },
  {
    name: 'CR-only line ends (old Mac export)',
    cli: true,
    spec: one(`${H}\r05558012-01;2023;41;1830\r05558012-02;2023;7;900\r`),
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 },
        { _line: 3, area_id: '05558012-02', year: 2023, zaehler: 7, nenner: 900 },
      ],
    },
  },
  {
    name: 'a very long line (2 MB cell): rejected, the message shows a clipped cell',
    cli: true,
    spec: one(data('05558012-01;2023;41;1830', `05558012-02;2023;7;${'9'.repeat(2_000_000)}`, '05558004-01;2023;1;2')),
    rejects: [[D, 3, 'nenner', 'invalid_number', 'error']],
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 },
        { _line: 4, area_id: '05558004-01', year: 2023, zaehler: 1, nenner: 2 },
      ],
    },
  },
  {
    name: 'NUL bytes inside cells: each row rejected with the column named',
    cli: true,
    spec: one(
      `${H}\n05558012-01;2023;4\x001;1830\n05558012-02;20\x0023;1;1830\n0555\x008012-03;2023;1;1\n05558016-01;2023;2;20\n`,
    ),
    rejects: [
      [D, 2, 'zaehler', 'invalid_number', 'error'],
      [D, 3, 'jahr', 'invalid_period', 'error'],
      [D, 4, 'sozialraum_id', 'unknown_area', 'error'],
    ],
    query: { sql: ROWS(), rows: [{ _line: 5, area_id: '05558016-01', year: 2023, zaehler: 2, nenner: 20 }] },
  },
  {
    name: 'BOM in the middle (two files joined): BOM stripped with a warning, repeated header skipped',
    cli: true,
    spec: one(
      Buffer.concat([
        Buffer.from('\ufeff' + data('05558012-01;2023;41;1830')),
        Buffer.from('\ufeff' + data('05558012-02;2023;7;900')),
      ]),
    ),
    warnings: [['csv.bom_inside', D, 3]],
    rejects: [[D, 3, null, 'repeated_header', 'info']],
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 },
        { _line: 4, area_id: '05558012-02', year: 2023, zaehler: 7, nenner: 900 },
      ],
    },
  },
  {
    name: 'blank file (only whitespace and delimiters): source.empty_file',
    spec: one('\n ;;; \n\n'),
    errors: [{ code: 'source.empty_file', file: D }],
  },

  // ---------------------------------------------------------------- symbols
  {
    name: 'symbols: - is 0, . ... / x () missing, * suppressed, trailing p/r/s stripped',
    spec: one(
      data(
        '05558012-01;2023;-;100',
        '05558012-02;2023;.;...',
        '05558012-03;2023;/;x',
        '05558016-01;2023;();100',
        '05558016-02;2023;*;100',
        '05558016-03;2023;12p;1.830r',
        '05558020-01;2023;7 s;900',
      ),
    ),
    query: {
      sql: 'SELECT _line, zaehler, zaehler__flag AS zf, nenner, nenner__flag AS nf FROM src_s ORDER BY _line',
      rows: [
        { _line: 2, zaehler: 0, zf: null, nenner: 100, nf: null },
        { _line: 3, zaehler: null, zf: 'missing', nenner: null, nf: 'missing' },
        { _line: 4, zaehler: null, zf: 'missing', nenner: null, nf: 'missing' },
        { _line: 5, zaehler: null, zf: 'missing', nenner: 100, nf: null },
        { _line: 6, zaehler: null, zf: 'suppressed', nenner: 100, nf: null },
        { _line: 7, zaehler: 12, zf: null, nenner: 1830, nf: null },
        { _line: 8, zaehler: 7, zf: null, nenner: 900, nf: null },
      ],
    },
    compute: [
      ['05558012-01', '2023', 'ok', '0', '100', 0],
      ['05558012-02', '2023', 'missing_input', '', '', ''],
      // no value, so no counts either (published only with a value: Steckbrief "kein Ausweis als Zahl")
      ['05558016-01', '2023', 'missing_input', '', '', ''],
      // masked (suppressed in the source): published only as "gesperrt" with the neutral status
      ['05558016-02', '2023', 'masked', '', '', ''],
      ['05558016-03', '2023', 'ok', '12', '1830', (12 / 1830) * 100],
    ],
  },
  {
    name: 'own symbol list: "<3" suppressed; "*" is then not a symbol and is rejected',
    spec: {
      files: { [D]: data('05558012-01;2023;<3;100', '05558012-02;2023;*;100') },
      sources: [{ read: { symbols: { suppressed: ['<3'] } } }],
    },
    rejects: [[D, 3, 'zaehler', 'invalid_number', 'error']],
    query: {
      sql: 'SELECT _line, zaehler, zaehler__flag AS zf FROM src_s',
      rows: [{ _line: 2, zaehler: null, zf: 'suppressed' }],
    },
  },
  {
    name: 'boolean column with "x" and "vielleicht": rejected invalid_boolean',
    spec: {
      files: {
        [D]: 'sozialraum_id;schuljahr;geprueft\n05558012-01;2023/24;ja\n05558012-01;2023/24;x\n05558012-01;2023/24;vielleicht\n05558012-01;2023/24;N\n',
      },
      sources: [
        {
          kind: 'microdata',
          period: 'schuljahr',
          periodKind: 'schuljahr',
          columns: { geprueft: ['geprueft', 'boolean'] },
        },
      ],
      indicators: {},
    },
    rejects: [
      [D, 3, 'geprueft', 'invalid_boolean', 'error'],
      [D, 4, 'geprueft', 'invalid_boolean', 'error'],
    ],
    query: {
      sql: 'SELECT _line, year, geprueft FROM src_s ORDER BY _line',
      rows: [
        { _line: 2, year: 2024, geprueft: true },
        { _line: 5, year: 2024, geprueft: false },
      ],
    },
  },

  // ---------------------------------------------------------------- totals, duplicates, areas
  {
    name: 'totals rows (Insgesamt, Summe, a Kommune AGS, the Kreis) are skipped, not double-counted',
    cli: true,
    spec: one(
      data(
        '05558012-01;2023;10;100',
        '05558012-02;2023;20;200',
        '05558012-03;2023;30;300',
        'Insgesamt;2023;60;600',
        '05558012;2023;60;600',
        'Summe Coesfeld;2023;60;600',
        'Kreis Coesfeld;2023;60;600',
      ),
    ),
    rejects: [
      [D, 5, 'sozialraum_id', 'total_row', 'info'],
      [D, 6, 'sozialraum_id', 'total_row', 'info'],
      [D, 7, 'sozialraum_id', 'total_row', 'info'],
      [D, 8, 'sozialraum_id', 'total_row', 'info'],
    ],
    query: { sql: 'SELECT count(*) AS n, sum(zaehler) AS z FROM src_s', rows: [{ n: 3, z: 60 }] },
    // the Kommune is the sum of its Sozialräume, not doubled by the totals rows
    compute: [['05558012', '2023', 'ok', '60', '600', (60 / 600) * 100]],
  },
  {
    name: 'duplicate key across two files: both rows rejected, each names the other file',
    spec: {
      files: {
        'daten/a.csv': data('05558012-01;2023;41;1830'),
        'daten/b.csv': data('05558012-01;2023;44;1830', '05558012-02;2023;1;10'),
      },
      sources: [{ files: 'daten/*.csv' }],
    },
    rejects: [
      ['daten/a.csv', 2, 'sozialraum_id', 'duplicate_key', 'error'],
      ['daten/b.csv', 2, 'sozialraum_id', 'duplicate_key', 'error'],
    ],
    query: { sql: 'SELECT _file, _line, zaehler FROM src_s', rows: [{ _file: 'daten/b.csv', _line: 3, zaehler: 1 }] },
  },
  {
    name: 'a Sozialraum renamed (valid until 2022): its 2023 row rejected area_not_valid',
    spec: {
      files: {
        'gebiete.csv':
          'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis\n05558012-01;Alt;05558012;Coesfeld;;2022\n05558012-11;Neu;05558012;Coesfeld;2023;\n',
        [D]: data('05558012-01;2022;5;50', '05558012-01;2023;6;60', '05558012-11;2023;7;70'),
      },
    },
    rejects: [[D, 3, 'sozialraum_id', 'area_not_valid', 'error']],
    query: {
      sql: ROWS(),
      rows: [
        { _line: 2, area_id: '05558012-01', year: 2022, zaehler: 5, nenner: 50 },
        { _line: 4, area_id: '05558012-11', year: 2023, zaehler: 7, nenner: 70 },
      ],
    },
  },
  {
    name: 'Kommune level: an AGS of another Kreis and an unknown AGS are rejected unknown_area',
    spec: {
      files: { [D]: 'ags;jahr;zaehler;nenner\n05558012;2023;5;50\n05554012;2023;6;60\n05558099;2023;7;70\n' },
      sources: [{ area: 'ags', level: 'kommune' }],
    },
    rejects: [
      [D, 3, 'ags', 'unknown_area', 'error'],
      [D, 4, 'ags', 'unknown_area', 'error'],
    ],
    query: { sql: 'SELECT _line, area_id FROM src_s', rows: [{ _line: 2, area_id: '05558012' }] },
  },
  {
    name: '7-digit AGS in the area list and in a Sozialraum id: repaired with warnings',
    spec: {
      files: {
        'gebiete.csv':
          'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n05558012-01;Innenstadt;5558012;Coesfeld\n',
        [D]: data('5558012-01;2023;3;30'),
      },
    },
    warnings: [
      ['areas.ags_repaired', 'gebiete.csv', 2],
      ['source.leading_zero_repaired', D, 2],
    ],
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558012-01', year: 2023, zaehler: 3, nenner: 30 }] },
  },
  {
    name: 'area list with a duplicate Sozialraum: error with line and column',
    spec: { files: { 'gebiete.csv': areaListWithDuplicate(), ...OK_DATA } },
    errors: [{ code: 'areas.duplicate_area', file: 'gebiete.csv', line: 3, column: 'sozialraum_id' }],
    rejects: [['gebiete.csv', 3, 'sozialraum_id', 'duplicate_area', 'error']],
  },

  // ---------------------------------------------------------------- periods
  {
    name: 'Schuljahr spellings: 2023/24 and 2023-24 load (start_year), 2023/25 is invalid',
    spec: one(data('05558012-01;2023/24;1;10', '05558012-02;2023-24;2;20', '05558012-03;2023/25;3;30'), {
      sources: [{ periodKind: 'schuljahr', rule: 'start_year' }],
    }),
    rejects: [[D, 4, 'jahr', 'invalid_period', 'error']],
    query: {
      sql: 'SELECT _line, year, period FROM src_s ORDER BY _line',
      rows: [
        { _line: 2, year: 2023, period: '2023/24' },
        { _line: 3, year: 2023, period: '2023-24' },
      ],
    },
  },

  // ---------------------------------------------------------------- numbers
  {
    name: 'huge and odd numbers: 1e20 invalid, 18 digits too large, 10^15 accepted, -0 is 0',
    spec: one(
      data(
        '05558012-01;2023;1e20;1',
        '05558012-02;2023;999999999999999999;1',
        '05558012-03;2023;1.000.000.000.000.000;1',
        '05558016-01;2023;-0;5',
      ),
    ),
    rejects: [
      [D, 2, 'zaehler', 'invalid_number', 'error'],
      [D, 3, 'zaehler', 'value_too_large', 'error'],
    ],
    query: {
      sql: 'SELECT _line, zaehler FROM src_s ORDER BY _line',
      rows: [
        { _line: 4, zaehler: 1e15 },
        { _line: 5, zaehler: 0 },
      ],
    },
  },
  {
    name: 'negative values: rejected in a count, kept in a number column',
    spec: one(data('05558012-01;2023;-3;10', '05558012-02;2023;4;10'), {
      files: {
        [D]: 'sozialraum_id;jahr;zaehler;nenner;saldo\n05558012-01;2023;-3;10;-3,5\n05558012-02;2023;4;10;-1\n',
      },
      sources: [{ columns: { zaehler: 'zaehler', nenner: 'nenner', saldo: ['saldo', 'number'] } }],
    }),
    rejects: [[D, 2, 'zaehler', 'negative_count', 'error']],
    query: { sql: 'SELECT _line, zaehler, saldo FROM src_s', rows: [{ _line: 3, zaehler: 4, saldo: -1 }] },
  },

  // ---------------------------------------------------------------- headers
  {
    name: 'a configured header missing in the file: source.missing_header with file and line',
    spec: one('sozialraum_id;jahr;zaehler\n05558012-01;2023;41\n'),
    errors: [
      { code: 'source.missing_header', file: D, line: 1, path: 'sources[0]', message: /„nenner“ nicht gefunden/ },
    ],
  },
  {
    name: 'headers with other case, spaces and NBSP are matched loosely',
    spec: one('Sozialraum_ID ; JAHR;Zaehler\u00a0;  nenner\n05558012-01;2023;41;1830\n'),
    query: { sql: ROWS(), rows: [{ _line: 2, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 }] },
  },
  {
    name: 'title lines and footers with pinned skip_top / skip_bottom',
    spec: {
      files: { [D]: `Titel\nStand 2024\n${H}\n05558012-01;2023;41;1830\n05558012-02;2023;5;50\nQuelle: Test\n` },
      sources: [{ read: { skip_top: 2, skip_bottom: 1 } }],
    },
    query: {
      sql: ROWS(),
      rows: [
        { _line: 4, area_id: '05558012-01', year: 2023, zaehler: 41, nenner: 1830 },
        { _line: 5, area_id: '05558012-02', year: 2023, zaehler: 5, nenner: 50 },
      ],
    },
  },

  // ---------------------------------------------------------------- spm.yaml and indicator files
  {
    name: 'YAML: wrong type (min_denominator: zwanzig)',
    spec: yamlCase((l) => [...l.slice(0, -1), 'settings:', '  min_denominator: zwanzig']),
    errors: [{ code: 'config.invalid_type', file: 'spm.yaml', line: 18, path: 'settings.min_denominator' }],
  },
  {
    name: 'YAML: unknown key (Tippfehler "sorces")',
    spec: yamlCase((l) => [...l, 'sorces: []']),
    errors: [{ code: 'config.unrecognized_keys', file: 'spm.yaml', line: 18, path: 'sorces', message: /spm schema/ }],
  },
  {
    name: 'YAML: Kreis AGS without quotes (a number)',
    spec: yamlCase((l) => l.map((x) => x.replace('ags: "05558"', 'ags: 05558'))),
    errors: [
      { code: 'config.invalid_type', file: 'spm.yaml', line: 2, path: 'kreis.ags', message: /Anführungszeichen/ },
    ],
  },
  {
    name: 'YAML: alias bomb (billion laughs) is refused',
    spec: yamlCase((l) => [
      ...l,
      'x0: &a0 [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 7 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
    ]),
    errors: [{ code: 'yaml.alias', file: 'spm.yaml', line: 19 }],
  },
  {
    name: 'YAML: an alias that contains itself (cycle)',
    spec: yamlCase((l) => ['name: &n [*n]', ...l.slice(1)]),
    errors: [{ code: 'config.invalid_type', file: 'spm.yaml', line: 1, path: 'name' }],
  },
  {
    name: 'YAML: duplicate key',
    spec: yamlCase((l) => [l[0]!, 'name: Noch einmal', ...l.slice(1)]),
    errors: [{ code: 'yaml.syntax', file: 'spm.yaml', line: 2, message: /unique/ }],
  },
  {
    name: 'YAML: tab indentation',
    spec: yamlCase((l) => [...l.slice(0, -1), 'settings:', '\tmin_denominator: 1']),
    errors: [{ code: 'yaml.syntax', file: 'spm.yaml', line: 18, message: /Tabs/ }],
  },
  {
    name: 'YAML: spm.yaml saved as Latin-1 (umlaut) is refused, not mojibaked',
    spec: {
      yaml: Buffer.from(yamlOf(['# Projekt', 'name: Kreis Dülmen', ...BASE_YAML.slice(1)]), 'latin1'),
      files: OK_DATA,
    },
    errors: [{ code: 'yaml.encoding', file: 'spm.yaml', line: 2 }],
  },
  {
    name: 'YAML: schuljahr without schuljahr_rule',
    spec: yamlCase((l) => l.map((x) => x.replace('kind: kalenderjahr', 'kind: schuljahr'))),
    errors: [{ code: 'config.custom', file: 'spm.yaml', line: 10, path: 'sources[0].period.schuljahr_rule' }],
  },
  {
    name: 'indicator: wrong unit (promille)',
    spec: { files: OK_DATA, indicators: { 'quote.yaml': QUOTE.replace('unit: percent', 'unit: promille') } },
    errors: [
      { code: 'config.invalid_value', file: 'indicators/quote.yaml', line: 6, path: 'unit', message: /percent/ },
    ],
  },
  {
    name: 'indicator: filter naming an unknown column',
    spec: {
      files: OK_DATA,
      indicators: { 'quote.yaml': QUOTE.replace('column: zaehler }', 'column: zaehler, filter: "alter > 3" }') },
    },
    errors: [
      {
        code: 'indicator.filter.unknown_column',
        file: 'indicators/quote.yaml',
        line: 8,
        column: 'alter',
        path: 'numerator.filter',
      },
    ],
  },
  {
    name: 'no file matches the glob: source.no_files on the line of files:',
    spec: {
      yaml: yamlOf(BASE_YAML.map((x) => x.replace('files: daten/data.csv', 'files: daten/fehlt_*.csv'))),
      files: OK_DATA,
    },
    errors: [{ code: 'source.no_files', file: 'spm.yaml', line: 7, path: 'sources[0].files' }],
  },
];

function areaListWithDuplicate(): string {
  return 'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n05558012-01;Innenstadt;05558012;Coesfeld\n05558012-01;Lette;05558012;Coesfeld\n';
}
