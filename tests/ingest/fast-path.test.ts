/**
 * Differential tests of the DuckDB fast path (src/ingest/fast.ts, scan.ts) against
 * the JS reader: generated files with clean and dirty cells must give identical
 * tables, rejects, issues and accounting on both paths.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import type { SourceInput } from '../../src/config/schema.js';
import { snapshot, withoutPaths, type PathEvent } from './diff-helpers.js';
import { KOMMUNEN, makeProject, repoRoot } from './helpers.js';

type ColType = 'count' | 'number' | 'integer' | 'boolean' | 'text';

interface Conv {
  delim: ';' | ',';
  dec: ',' | '.';
  th: '.' | ',';
}

const SOZ = KOMMUNEN.flatMap(([ags]) => ['01', '02', '03'].map((n) => `${ags}-${n}`));
const AGS = KOMMUNEN.map(([ags]) => ags);

/** Area list with validity years for two Sozialräume. */
function areaCsv(): string {
  const lines = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis'];
  for (const [ags, name] of KOMMUNEN)
    for (const n of ['01', '02', '03']) {
      const id = `${ags}-${n}`;
      const from = id === '05558012-02' ? '2020' : '';
      const to = id === '05558016-03' ? '2021' : '';
      lines.push(`${id};${name} ${n};${ags};${name};${from};${to}`);
    }
  return lines.join('\n') + '\n';
}

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** A number in the file's convention, clean or with the usual dirt. */
function numberCell(conv: Conv, type: ColType): fc.Arbitrary<string> {
  const int = fc.integer({ min: 0, max: 99999 });
  const grouped = fc.integer({ min: 1000, max: 9999999 }).map((n) => n.toLocaleString('en-US').replace(/,/g, conv.th));
  const decimal = fc
    .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }))
    .map(([a, b]) => `${a}${conv.dec}${b}`);
  const clean = fc.oneof(
    { weight: 6, arbitrary: int.map(String) },
    { weight: 2, arbitrary: grouped },
    { weight: type === 'integer' ? 1 : 3, arbitrary: decimal },
  );
  const dirty = fc.oneof(
    pick(['-', '.', '*', '', 'x', '...', '/', '()', 'X', '–']),
    int.map((n) => `-${n}`),
    decimal.map((d) => `-${d}`),
    int.map((n) => `${n}p`),
    int.map((n) => `${n} r`),
    int.map((n) => ` ${n} `),
    int.map((n) => `\u00a0${n}`),
    int.map((n) => `${n}\u00a0`),
    int.map((n) => `\u2003${n}`),
    decimal.map((d) => ` ${d}`),
    pick([
      '2000000000000000',
      '1234567890123456',
      '999999999999999',
      `${conv.dec}5`,
      `-${conv.dec}5`,
      '-0',
      '007',
      '1.2.3',
      '12,34,5',
      'abc',
      '1e5',
      '+5',
      '−2',
      '1 234',
      '12.34',
      '12,3456',
    ]),
  );
  return fc.oneof({ weight: 8, arbitrary: clean }, { weight: 2, arbitrary: dirty });
}

function boolCell(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: pick(['ja', 'nein']) },
    {
      weight: 3,
      arbitrary: pick([
        'j',
        'n',
        '1',
        '0',
        'true',
        'false',
        'wahr',
        'falsch',
        'JA',
        'Nein',
        'TRUE',
        'Wahr',
        'jA',
        'nEIN',
        ' ja',
        'nein ',
        '',
      ]),
    },
    { weight: 1, arbitrary: pick(['.', '*', '-', 'x', 'X', 'vielleicht', '2', 'y', 'ja\u00a0', 'NEİN']) },
  );
}

function textCell(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: pick(['m', 'w', 'd']) },
    {
      weight: 3,
      arbitrary: pick([
        '',
        ' m ',
        'Straße',
        'Müller',
        'a "q" b',
        'a;b',
        'a,b',
        '\u00a0x',
        'x\u00a0',
        ' ',
        '.',
        'ü ',
        '\u2003y',
      ]),
    },
  );
}

function areaCell(level: 'sozialraum' | 'kommune', ids: readonly string[]): fc.Arbitrary<string> {
  const dirty =
    level === 'sozialraum'
      ? pick([
          '5558012-01',
          '5558016-02',
          'Insgesamt',
          '05558012',
          'Coesfeld',
          'Kreis Coesfeld',
          '05566004-01',
          '',
          ' 05558012-01',
          '05558012-01 ',
          'unbekannt',
        ])
      : pick(['5558012', 'Insgesamt', '05558', 'Kreis Coesfeld', '05566004', '', ' 05558016', '05558016 ', 'Summe']);
  return fc.oneof({ weight: 12, arbitrary: pick(ids) }, { weight: 2, arbitrary: dirty });
}

function periodCell(kind: 'kalenderjahr' | 'schuljahr'): fc.Arbitrary<string> {
  const year = fc.integer({ min: 2018, max: 2023 });
  const clean =
    kind === 'kalenderjahr'
      ? fc.oneof(
          year.map(String),
          year.map((y) => `31.12.${y}`),
          year.map((y) => `${y}-12-31`),
        )
      : fc.oneof(
          year.map((y) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`),
          year.map((y) => `${y}/${y + 1}`),
        );
  const dirty = fc.oneof(
    year.map((y) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`),
    year.map(String),
    year.map((y) => ` ${y} `),
    year.map((y) => `${y} / ${String((y + 1) % 100).padStart(2, '0')}`),
    year.map((y) => `${y}–${y + 1}`),
    year.map((y) => `${y}/${String((y + 2) % 100).padStart(2, '0')}`),
    pick(['', '1850', '20x3', '2023/2025', '2100', '2101', '1.1.2022']),
  );
  return fc.oneof({ weight: 10, arbitrary: clean }, { weight: 2, arbitrary: dirty });
}

const layoutArb = fc.record({
  conv: pick<Conv>([
    { delim: ';', dec: ',', th: '.' },
    { delim: ',', dec: '.', th: ',' },
  ]),
  kind: pick(['aggregated', 'microdata'] as const),
  level: pick(['sozialraum', 'kommune'] as const),
  period: pick(['kalenderjahr', 'schuljahr:end_year', 'schuljahr:start_year'] as const),
  types: fc.array(pick<ColType>(['count', 'number', 'integer', 'boolean', 'text']), { minLength: 1, maxLength: 5 }),
  encoding: pick(['utf-8', 'utf-8-bom', 'latin1'] as const),
  pinEncoding: fc.boolean(),
  pinNumbers: fc.boolean(),
  crlf: fc.boolean(),
  title: fc.boolean(),
  footer: pick(['none', 'quelle', 'blank+quelle', 'stern'] as const),
  trailingEmpty: fc.boolean(),
  quoteSome: fc.boolean(),
  ragged: fc.integer({ min: 0, max: 150 }),
  rows: fc.integer({ min: 1, max: 40 }),
  seed: fc.integer({ min: 0, max: 1 << 30 }),
});

type Layout = typeof layoutArb extends fc.Arbitrary<infer T> ? T : never;

function quoteCell(s: string, conv: Conv, force: boolean): string {
  if (force || s.includes('"') || s.includes(conv.delim)) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/** Builds the file text for a layout (cells drawn with the layout's seed). */
function buildFile(l: Layout): { text: string; source: Partial<SourceInput> } {
  const conv = l.conv;
  const ids = l.level === 'sozialraum' ? SOZ : AGS;
  const pk = l.period.startsWith('schuljahr') ? 'schuljahr' : 'kalenderjahr';
  const cellArbs: fc.Arbitrary<string>[] = l.types.map((t) =>
    t === 'boolean' ? boolCell() : t === 'text' ? textCell() : numberCell(conv, t),
  );
  const rowArb = fc.tuple(
    areaCell(l.level, ids),
    periodCell(pk),
    fc.tuple(...cellArbs),
    fc.integer({ min: 0, max: 99 }),
  );
  const rows = fc.sample(rowArb, { numRuns: l.rows, seed: l.seed });
  // columns in the file: area, period, then the value columns in reverse (order must not matter)
  const headers = ['gebiet', 'zeitraum', ...l.types.map((_, i) => `Wert ${i + 1}`)];
  const order = [0, 1, ...l.types.map((_, i) => 2 + (l.types.length - 1 - i))];
  const lines: string[] = [];
  if (l.title) lines.push('Tabelle 1: Testdaten (synthetisch)');
  lines.push(order.map((i) => headers[i]!).join(conv.delim) + (l.trailingEmpty ? conv.delim + conv.delim : ''));
  rows.forEach(([area, period, cells, r], n) => {
    const fields = [area, period, ...cells];
    let out = order.map((i) => quoteCell(fields[i]!, conv, l.quoteSome && r % 7 === 0)).join(conv.delim);
    if (l.trailingEmpty) out += conv.delim + conv.delim;
    if (l.ragged > 0 && n === l.ragged) out += conv.delim + 'extra';
    lines.push(out);
  });
  if (l.footer === 'quelle') lines.push('Quelle: Testamt');
  if (l.footer === 'blank+quelle') lines.push('', 'Quelle: Testamt, Stand 2024');
  if (l.footer === 'stern') lines.push('* vorläufige Werte');
  const eol = l.crlf ? '\r\n' : '\n';
  let text = lines.join(eol) + eol;
  if (l.encoding === 'latin1') text = text.replace(/[^\u0000-\u007f\u00a0-\u00ff]/g, '?');
  const columns: NonNullable<SourceInput['columns']> = {};
  l.types.forEach((t, i) => (columns[`w${i + 1}`] = { header: `Wert ${i + 1}`, type: t }));
  const source: Partial<SourceInput> = {
    id: 'gen',
    kind: l.kind,
    files: 'daten/*.csv',
    area: { column: 'gebiet', level: l.level },
    period:
      pk === 'kalenderjahr'
        ? { column: 'zeitraum', kind: 'kalenderjahr' }
        : {
            column: 'zeitraum',
            kind: 'schuljahr',
            schuljahr_rule: l.period.endsWith('end_year') ? 'end_year' : 'start_year',
          },
    columns,
    read: {
      ...(l.pinEncoding ? { encoding: l.encoding === 'latin1' ? 'latin1' : 'utf-8' } : {}),
      ...(l.pinNumbers ? { decimal: conv.dec === ',' ? 'comma' : 'point', thousands: conv.th } : {}),
    },
  };
  return { text, source };
}

function encode(text: string, enc: Layout['encoding']): Buffer {
  if (enc === 'latin1') return Buffer.from(text, 'latin1');
  return Buffer.from((enc === 'utf-8-bom' ? '\ufeff' : '') + text, 'utf8');
}

describe('fast path: DuckDB load of clean files gives exactly the JS result', () => {
  it('generated files (clean and dirty cells, both conventions, encodings, titles, footers)', async () => {
    let sqlFiles = 0;
    let files = 0;
    const why = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(layoutArb, fc.integer({ min: 1, max: 3 }), async (l, nFiles) => {
        const files_: Record<string, Buffer> = { 'gebiete.csv': Buffer.from(areaCsv()) };
        let source: Partial<SourceInput> = {};
        for (let f = 0; f < nFiles; f++) {
          const b = buildFile({ ...l, seed: l.seed + f, ragged: f === 0 ? l.ragged : 0 });
          files_[`daten/f${f}.csv`] = encode(b.text, l.encoding);
          source = b.source;
        }
        const tp = makeProject(files_, [source]);
        try {
          const js = await snapshot(tp.project, tp.tmpDir, 'js');
          const sql = await snapshot(tp.project, tp.tmpDir, 'sql');
          expect(js.paths.every((p: PathEvent) => p.path === 'js')).toBe(true);
          for (const p of sql.paths) {
            files++;
            if (p.path === 'sql') sqlFiles++;
            else why.set(p.why!.replace(/\d+/g, 'N'), (why.get(p.why!.replace(/\d+/g, 'N')) ?? 0) + 1);
          }
          expect(withoutPaths(sql)).toEqual(withoutPaths(js));
        } finally {
          fs.rmSync(tp.root, { recursive: true, force: true });
        }
      }),
      { seed: 5558, numRuns: 100 },
    );
    // most generated files are structurally clean: the fast path must actually have been taken
    expect(sqlFiles / files).toBeGreaterThan(0.6);
    if (process.env.SPM_SHOW_PATHS) console.log({ files, sqlFiles, why: Object.fromEntries(why) });
  }, 300_000);

  it('the sample project: every file takes the fast path, same result', async () => {
    const { project } = loadProject(path.join(repoRoot, 'data-samples', 'kreis-coesfeld'));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-fast-'));
    try {
      const js = await snapshot(project, tmp, 'js');
      const sql = await snapshot(project, tmp, 'sql');
      expect(sql.paths.filter((p) => p.path !== 'sql')).toEqual([]);
      // the ten yearly population files are read by one read_csv
      expect(sql.paths.filter((p) => p.file.includes('bevoelkerung_')).map((p) => p.files)).toEqual(Array(10).fill(10));
      expect(withoutPaths(sql)).toEqual(withoutPaths(js));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  it('falls back to the JS reader for what DuckDB would read differently', async () => {
    const head = 'sozialraum_id;jahr;n\n';
    const cases: [string, string | Buffer, RegExp][] = [
      ['blank line inside the data', head + '05558012-01;2023;1\n\n05558012-02;2023;2\n', /Leerzeile/],
      ['multi-line quoted field', head + '05558012-01;2023;"1\n2"\n05558012-02;2023;2\n', /Anführungszeichen/],
      ['ragged row', head + '05558012-01;2023;1;9\n05558012-02;2023;2\n', /Felder/],
      ['quote inside a field', head + '05558012-01;2023;1"\n', /Anführungszeichen/],
      [
        'Windows-1252 byte 0x80..0x9F',
        Buffer.concat([Buffer.from(head + '05558012-01;2023;1\n'), Buffer.from([0x80]), Buffer.from(';2023;1\n')]),
        /Windows-1252|Kodierung/,
      ],
      ['mixed line endings', head.replace('\n', '\r\n') + '05558012-01;2023;1\r\n05558012-02;2023;2\n', /Zeilenenden/],
      ['CR inside a line', head + '05558012-01;20\r23;1\n', /CR/],
    ];
    for (const [name, content, re] of cases) {
      const tp = makeProject({ 'daten/a.csv': content }, [
        {
          id: 'x',
          files: 'daten/a.csv',
          kind: 'microdata',
          area: { column: 'sozialraum_id', level: 'sozialraum' },
          period: { column: 'jahr', kind: 'kalenderjahr' },
          columns: { n: { header: 'n', type: 'count' } },
        },
      ]);
      try {
        const js = await snapshot(tp.project, tp.tmpDir, 'js');
        const sql = await snapshot(tp.project, tp.tmpDir, 'sql');
        expect(
          sql.paths.map((p) => p.path),
          name,
        ).toEqual(['js']);
        expect(sql.paths[0]!.why, name).toMatch(re);
        expect(withoutPaths(sql), name).toEqual(withoutPaths(js));
      } finally {
        fs.rmSync(tp.root, { recursive: true, force: true });
      }
    }
  }, 60_000);

  it('rows outside the standard forms: in batches through the JS validator, or the JS path when most are', async () => {
    const head = 'sozialraum_id;jahr;n;flag\n';
    const src: Partial<SourceInput> = {
      id: 'x',
      files: 'daten/a.csv',
      kind: 'microdata',
      area: { column: 'sozialraum_id', level: 'sozialraum' },
      period: { column: 'jahr', kind: 'kalenderjahr' },
      columns: { n: { header: 'n', type: 'count' }, flag: { header: 'flag', type: 'boolean' } },
    };
    // 30 000 rows, every 2nd with a padded area id (15 000 for the JS validator: two batches), provisional markers,
    // spellings SQL accepts itself (`J`), a few rejects; then 50 000 rows, half of them padded: the JS path
    const many = (n: number, every: number): string => {
      let out = head;
      for (let i = 0; i < n; i++) {
        const area = SOZ[i % SOZ.length]!;
        const year = 2000 + (i % 100);
        const odd = i % every === 0;
        out += `${odd && i % 2 === 0 ? ' ' + area : area};${year};${odd && i % 5 === 0 ? i + 'p' : i % 997 === 0 ? '-1' : String(i)};${odd ? 'J' : 'nein'}\n`;
      }
      return out;
    };
    for (const [n, every, path] of [
      [30000, 2, 'sql'],
      [50000, 1, 'js'],
    ] as const) {
      const tp = makeProject({ 'daten/a.csv': many(n, every) }, [src]);
      try {
        const js = await snapshot(tp.project, tp.tmpDir, 'js');
        const sql = await snapshot(tp.project, tp.tmpDir, 'sql');
        expect(sql.paths.map((p) => [p.path, p.why])).toEqual([
          path === 'sql' ? ['sql', undefined] : ['js', expect.stringMatching(/Standardform/)],
        ]);
        expect(withoutPaths(sql)).toEqual(withoutPaths(js));
        expect((js.result.rejects as unknown[]).length).toBeGreaterThan(2);
      } finally {
        fs.rmSync(tp.root, { recursive: true, force: true });
      }
    }
  }, 120_000);

  it('several files of one layout: one read_csv; a file for the JS path in between keeps the order; duplicates across files', async () => {
    const head = 'sozialraum_id;jahr;n;flag\n';
    // rows `from`..`to`-1, each its own area and year (years after 2100 are rejected); `padded`: every area id
    // padded (all rows for the JS validator: over the share, so the JS path)
    const rows = (from: number, to: number, padded = false): string => {
      let out = head;
      for (let i = from; i < to; i++) {
        const area = SOZ[i % SOZ.length]!;
        out += `${padded ? ' ' + area : area};${2000 + Math.floor(i / SOZ.length)};${i % 13 === 0 ? ' ' + i : String(i)};${i % 5 === 0 ? 'J' : 'nein'}\n`;
      }
      return out;
    };
    const files = {
      'daten/a.csv': rows(0, 200),
      'daten/b.csv': rows(600, 25600, true),
      'daten/c.csv': rows(200, 400),
      'daten/d.csv': rows(400, 500),
      // another layout (a fifth column): its own read_csv
      'daten/e.csv': rows(500, 600).replace(/\n/g, ';x\n'),
      // repeats rows of a.csv and d.csv: for an aggregated source every copy is rejected, naming the others
      'daten/f.csv': head + rows(0, 3).split('\n')[2] + '\n' + rows(400, 401).split('\n')[1] + '\n',
    };
    const src = (kind: 'microdata' | 'aggregated'): Partial<SourceInput> => ({
      id: 'x',
      files: 'daten/*.csv',
      kind,
      area: { column: 'sozialraum_id', level: 'sozialraum' },
      period: { column: 'jahr', kind: 'kalenderjahr' },
      columns: { n: { header: 'n', type: 'count' }, flag: { header: 'flag', type: 'boolean' } },
    });
    for (const kind of ['microdata', 'aggregated'] as const) {
      const tp = makeProject(files, [src(kind)]);
      try {
        const js = await snapshot(tp.project, tp.tmpDir, 'js');
        const sql = await snapshot(tp.project, tp.tmpDir, 'sql');
        expect(sql.paths.map((p) => [p.file, p.path, p.path === 'sql' ? p.files : p.why])).toEqual([
          ['daten/a.csv', 'sql', 4],
          ['daten/b.csv', 'js', expect.stringMatching(/Standardform/)],
          ['daten/c.csv', 'sql', 2],
          ['daten/d.csv', 'sql', 2],
          ['daten/e.csv', 'sql', 1],
          ['daten/f.csv', 'sql', 1],
        ]);
        expect(withoutPaths(sql)).toEqual(withoutPaths(js));
        const dups = (js.result.rejects as { code: string }[]).filter((r) => r.code === 'duplicate_key');
        expect(dups).toHaveLength(kind === 'aggregated' ? 4 : 0);
      } finally {
        fs.rmSync(tp.root, { recursive: true, force: true });
      }
    }
  }, 120_000);

  it('new shapes on a clean file: totals rows (kept for the check), areas outside the project, space thousands, long format', async () => {
    // a Land-wide long-format file: Kommune totals by AGS, foreign Kommunen ignored, two Merkmale per area and year
    let csv = 'Gebiet;Jahr;Merkmal;Anzahl\n';
    for (const [ags] of KOMMUNEN.slice(0, 3)) {
      for (const m of ['a', 'b']) {
        let sum = 0;
        for (const n of ['01', '02', '03']) {
          const v = 1000 + Number(n) * 211 + (m === 'a' ? 0 : 7);
          sum += v;
          csv += `${ags}-${n};2023;${m};${String(v).replace(/(\d)(\d{3})$/, '$1 $2')}\n`;
        }
        csv += `${ags};2023;${m};${String(sum).replace(/(\d)(\d{3})$/, '$1 $2')}\n`;
      }
    }
    csv += '05111000-01;2023;a;1 000\n05111000-01;2023;b;1 001\n';
    const tp = makeProject({ 'daten/a.csv': csv }, [
      {
        id: 'x',
        files: 'daten/a.csv',
        kind: 'aggregated',
        area: { column: 'Gebiet', level: 'sozialraum', unknown: 'ignore' },
        period: { column: 'Jahr', kind: 'kalenderjahr' },
        columns: { merkmal: { header: 'Merkmal', type: 'text' }, n: { header: 'Anzahl', type: 'count' } },
      },
    ]);
    try {
      const js = await snapshot(tp.project, tp.tmpDir, 'js');
      const sql = await snapshot(tp.project, tp.tmpDir, 'sql');
      expect(sql.paths.map((p) => p.path)).toEqual(['sql']);
      expect(withoutPaths(sql)).toEqual(withoutPaths(js));
      expect(js.tables.x).toHaveLength(18);
      expect(js.tables['totals:x']).toHaveLength(6);
      const codes = (js.result.rejects as { code: string }[]).map((r) => r.code);
      expect(codes.filter((c) => c === 'outside_project')).toHaveLength(2);
      expect(codes.filter((c) => c === 'total_row')).toHaveLength(6);
    } finally {
      fs.rmSync(tp.root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('fast path vs JS path: area spellings (area.match, aliases in the area list)', () => {
  it('codes without leading zeros, aliases, names with other dashes, ambiguous spellings: same result on both paths', async () => {
    // the area list of a Stadt: Stadtbezirke "01".."03" with aliases; two share the alias "Nord" (ambiguous)
    const areas =
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;aliase\n' +
      '01;Altstadt - Lehel;09162000;Stadt;Altstadt|Nord\n' +
      '02;Ludwigsvorstadt - Isarvorstadt;09162000;Stadt;\n' +
      '03;Maxvorstadt;09162000;Stadt;Nord\n';
    const cells = ['01', '1', ' 2', '003', 'Altstadt', 'ALTSTADT', 'Nord', 'Maxvorstadt', 'Altstadt–Lehel', 'Moosach'];
    for (const match of ['code', 'name', 'any'] as const) {
      let csv = 'Gebiet;Jahr;Merkmal;n\n';
      cells.forEach((c, i) => {
        csv += `${c};2023;m${i};${i + 1}\n`;
      });
      // enough clean rows that the fast path stays on for code matching
      for (let y = 2000; y < 2020; y++) csv += `01;${y};m;5\n02;${y};m;6\n03;${y};m;7\n`;
      const tp = makeProject({ 'gebiete.csv': areas, 'daten/a.csv': csv }, [
        {
          id: 'x',
          files: 'daten/a.csv',
          kind: 'aggregated',
          area: { column: 'Gebiet', level: 'sozialraum', match },
          period: { column: 'Jahr', kind: 'kalenderjahr' },
          columns: { merkmal: { header: 'Merkmal', type: 'text' }, n: { header: 'n', type: 'count' } },
        },
      ]);
      (tp.project.config as { kreis: { ags: string; name: string } }).kreis = { ags: '09162', name: 'München' };
      try {
        const js = await snapshot(tp.project, tp.tmpDir, 'js');
        const sql = await snapshot(tp.project, tp.tmpDir, 'sql');
        expect(
          sql.paths.map((p) => p.path),
          match,
        ).toEqual([match === 'code' ? 'sql' : 'js']);
        expect(withoutPaths(sql), match).toEqual(withoutPaths(js));
        const loaded = new Map(
          (js.tables.x as unknown[][]).filter((r) => String(r[5]).startsWith('m')).map((r) => [r[5], r[2]]),
        );
        const rejects = js.result.rejects as { line: number; code: string; reason: string; column?: string }[];
        const codeOf = (i: number): string | undefined => rejects.find((r) => r.line === i + 2)?.code;
        // line i+2 holds cells[i]
        const expected: Record<typeof match, (string | undefined)[]> = {
          code: ['01', '01', '02', '03', '01', '01', undefined, undefined, undefined, undefined],
          name: [undefined, undefined, undefined, undefined, '01', '01', undefined, '03', '01', undefined],
          any: ['01', '01', '02', '03', '01', '01', undefined, '03', '01', undefined],
        };
        cells.forEach((_, i) => expect(loaded.get(`m${i}`), `${match}: ${cells[i]}`).toBe(expected[match][i]));
        // "Nord" is an alias of 01 and of 03: never guessed, an error naming both candidates
        expect(codeOf(6), match).toBe('ambiguous_area');
        const amb = rejects.find((r) => r.line === 8)!;
        expect(amb.column).toBe('Gebiet');
        expect(amb.reason).toMatch(/nicht eindeutig.*„01“ \(Altstadt - Lehel\).*„03“ \(Maxvorstadt\)/);
        expect(codeOf(9), match).toBe('unknown_area');
      } finally {
        fs.rmSync(tp.root, { recursive: true, force: true });
      }
    }
  }, 60_000);
});
