/**
 * File shapes beyond "one named header row, one row per area and period": wide
 * layouts, stacked and absent header rows, columns by position, the period from the
 * config or the file name, per-column number formats. Each project is loaded by both
 * load paths and must give the same result (helpers `ingest`).
 */
import { describe, expect, it } from 'vitest';
import { joinHeaderRows, periodToken } from '../../src/ingest/reshape.js';
import { ingestProject } from '../../src/ingest/index.js';
import type { UserError } from '../../src/util/issues.js';
import { ingest, makeProject, plain, withDb } from './helpers.js';

const base = { stichtag: '31.12.', owner: 'Test' };

describe('header rows and period tokens', () => {
  it('joins stacked header rows: spanning labels continue, repeats are written once, empty columns get positions', () => {
    expect(
      joinHeaderRows([
        ['', '', 'Art der Hilfe', '', ''],
        ['', '', '§ 27', '§ 28', '§ 29'],
        ['Gemeinde', '', 'Anzahl', 'Anzahl', 'Anzahl'],
      ]),
    ).toEqual([
      'Gemeinde',
      'Spalte 2',
      'Art der Hilfe § 27 Anzahl',
      'Art der Hilfe § 28 Anzahl',
      'Art der Hilfe § 29 Anzahl',
    ]);
    expect(
      joinHeaderRows([
        ['', 'Stichtag', 'Stichtag'],
        ['', '31.12.2022', '31.12.2023'],
      ]),
    ).toEqual(['Spalte 1', 'Stichtag 31.12.2022', 'Stichtag 31.12.2023']);
  });

  it('finds the period in a header and leaves the rest as the column name', () => {
    expect(periodToken('Stichtag 31.12.2023')).toEqual({ token: '31.12.2023', rest: 'Stichtag' });
    expect(periodToken('2019')).toEqual({ token: '2019', rest: '' });
    expect(periodToken('Einschulung 2023/24 Kinder')).toEqual({ token: '2023/24', rest: 'Einschulung Kinder' });
    expect(periodToken('§ 27')).toBeNull();
    expect(periodToken('Gemeinde 05558012')).toBeNull();
  });
});

describe('file shapes (both load paths agree)', () => {
  it('wide layout: years as column headers are unpivoted, one row per area and year', async () => {
    const tp = makeProject(
      { 'd/bev.csv': 'Sozialraum;2018;2019;2020\n05558004-01;100;110;-\n05558004-02;200;.;220\n' },
      [
        {
          ...base,
          files: 'd/bev.csv',
          area: { column: 'Sozialraum', level: 'sozialraum' },
          period: { in_headers: true, kind: 'kalenderjahr' },
          columns: { einwohner: { header: 'Wert', type: 'count' } },
        },
      ],
    );
    await ingest(tp, async (r, q) => {
      expect(r.sources.get('s0')!.accounting).toMatchObject({ rows_read: 6, rows_loaded: 6, rows_rejected: 0 });
      const rows = plain(
        await q('SELECT area_id, year, einwohner, einwohner__flag AS f FROM src_s0 ORDER BY area_id, year'),
      );
      expect(rows).toEqual([
        { area_id: '05558004-01', year: 2018, einwohner: 100, f: null },
        { area_id: '05558004-01', year: 2019, einwohner: 110, f: null },
        { area_id: '05558004-01', year: 2020, einwohner: 0, f: null },
        { area_id: '05558004-02', year: 2018, einwohner: 200, f: null },
        { area_id: '05558004-02', year: 2019, einwohner: null, f: 'missing' },
        { area_id: '05558004-02', year: 2020, einwohner: 220, f: null },
      ]);
    });
  });

  it('GENESIS-style: the year only in a header line (";;2023") above the column names, a Land-wide file', async () => {
    const csv = [
      'Tabelle: 22811-01i',
      'Mindestsicherungsquote;;',
      ';;Quote',
      ';;2023',
      'Gemeinde;Name;Prozent',
      '05558004;Ascheberg;"4,6"',
      '05558008;Billerbeck;"3,9"',
      '05111000;Düsseldorf;"17,8"',
      '__________',
      '© IT.NRW, Düsseldorf, 2024',
      'Stand: 02.05.2024',
    ].join('\n');
    const tp = makeProject({ 'd/msq.csv': csv }, [
      {
        ...base,
        files: 'd/msq.csv',
        read: { header_rows: 3 },
        area: { column: 'Gemeinde', level: 'kommune', unknown: 'ignore' },
        period: { in_headers: true, kind: 'kalenderjahr' },
        columns: { msq: { header: 'Quote Prozent', type: 'number' } },
      },
    ]);
    await ingest(tp, async (r, q) => {
      const acc = r.sources.get('s0')!.accounting;
      expect(acc).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
      expect(acc.files[0]!.read).toMatchObject({ skip_top: 2, skip_bottom: 3 });
      expect(r.rejects.map((x) => [x.line, x.code, x.severity])).toEqual([[8, 'outside_project', 'info']]);
      expect(plain(await q('SELECT area_id, year, period, msq FROM src_s0 ORDER BY area_id'))).toEqual([
        { area_id: '05558004', year: 2023, period: '2023', msq: 4.6 },
        { area_id: '05558008', year: 2023, period: '2023', msq: 3.9 },
      ]);
    });
  });

  it('no header row: columns by position; period fixed in the config', async () => {
    const tp = makeProject({ 'd/x.csv': '05558004-01;12;100\n05558004-02;7;80\n' }, [
      {
        ...base,
        files: 'd/x.csv',
        read: { header_rows: 0 },
        area: { column: 1, level: 'sozialraum' },
        period: { value: 2023, kind: 'kalenderjahr' },
        columns: { faelle: { header: 2 }, kinder: { header: 3 } },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(r.sources.get('s0')!.accounting.files[0]!.header).toEqual(['Spalte 1', 'Spalte 2', 'Spalte 3']);
      expect(plain(await q('SELECT area_id, year, faelle, kinder FROM src_s0 ORDER BY area_id'))).toEqual([
        { area_id: '05558004-01', year: 2023, faelle: 12, kinder: 100 },
        { area_id: '05558004-02', year: 2023, faelle: 7, kinder: 80 },
      ]);
    });
  });

  it('period from the file name (one Stichtag per file)', async () => {
    const tp = makeProject(
      {
        'd/profil_2022.csv': 'Stadtteil;Einwohner\n05558004-01;100\n',
        'd/profil_2023.csv': 'Stadtteil;Einwohner\n05558004-01;104\n',
      },
      [
        {
          ...base,
          files: 'd/profil_*.csv',
          area: { column: 'Stadtteil', level: 'sozialraum' },
          period: { from_file_name: true, kind: 'kalenderjahr' },
          columns: { ew: { header: 'Einwohner' } },
        },
      ],
    );
    await ingest(tp, async (_r, q) => {
      expect(plain(await q('SELECT year, ew FROM src_s0 ORDER BY year'))).toEqual([
        { year: 2022, ew: 100 },
        { year: 2023, ew: 104 },
      ]);
    });
  });

  it('per-column number formats, "35,5%", space thousands, "-  23"', async () => {
    const csv =
      'Gebiet;Jahr;Quote;Bestand;Anteil;Saldo;Einwohner\n' +
      '05558004-01;2023;"4,6";50880.3;35,5%;-  23;1 788 994\n' +
      '05558004-02;2023;"12,0";7.5;4 %;17;12 034\n';
    const tp = makeProject({ 'd/x.csv': csv }, [
      {
        ...base,
        files: 'd/x.csv',
        area: { column: 'Gebiet', level: 'sozialraum' },
        period: { column: 'Jahr', kind: 'kalenderjahr' },
        read: { decimal: 'comma', thousands: ' ' },
        columns: {
          quote: { header: 'Quote', type: 'number' },
          bestand: { header: 'Bestand', type: 'count', decimal: 'point', thousands: 'none' },
          anteil: { header: 'Anteil', type: 'number' },
          saldo: { header: 'Saldo', type: 'number' },
          ew: { header: 'Einwohner', type: 'count' },
        },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects).toEqual([]);
      expect(plain(await q('SELECT quote, bestand, anteil, saldo, ew FROM src_s0 ORDER BY area_id'))).toEqual([
        { quote: 4.6, bestand: 50880.3, anteil: 35.5, saldo: -23, ew: 1788994 },
        { quote: 12, bestand: 7.5, anteil: 4, saldo: 17, ew: 12034 },
      ]);
    });
  });

  it('space as thousands separator is detected', async () => {
    const tp = makeProject(
      { 'd/x.csv': 'Gebiet;Jahr;Einwohner\n05558004-01;2023;1 788 994\n05558004-02;2023;12 034\n' },
      [
        {
          ...base,
          files: 'd/x.csv',
          area: { column: 'Gebiet', level: 'sozialraum' },
          period: { column: 'Jahr', kind: 'kalenderjahr' },
          columns: { ew: { header: 'Einwohner' } },
        },
      ],
    );
    await ingest(tp, async (r, q) => {
      expect(r.sources.get('s0')!.accounting.files[0]!.read.thousands).toBe(' ');
      expect(plain(await q('SELECT ew FROM src_s0 ORDER BY area_id'))).toEqual([{ ew: 1788994 }, { ew: 12034 }]);
    });
  });

  it('a percentage in a count column: the message says to declare it a number', async () => {
    const tp = makeProject({ 'd/x.csv': 'Gebiet;Jahr;Anteil\n05558004-01;2023;35,5%\n' }, [
      {
        ...base,
        files: 'd/x.csv',
        area: { column: 'Gebiet', level: 'sozialraum' },
        period: { column: 'Jahr', kind: 'kalenderjahr' },
        columns: { anteil: { header: 'Anteil', type: 'count' } },
      },
    ]);
    await ingest(tp, async (r) => {
      expect(r.rejects).toHaveLength(1);
      expect(r.rejects[0]!.reason).toContain('als type: number angeben');
    });
  });

  it('a rates-only column with its own Zeichenerklärung: "." secret, "x" not meaningful, "0" no data', async () => {
    const csv =
      'Gemeinde;Jahr;Quote;Empfänger\n05558004;2023;4,6;120\n05558008;2023;.;.\n05558012;2023;x;0\n05558016;2023;0;0\n05558020;2023;-;0\n';
    const tp = makeProject({ 'd/msq.csv': csv }, [
      {
        ...base,
        files: 'd/msq.csv',
        area: { column: 'Gemeinde', level: 'kommune' },
        period: { column: 'Jahr', kind: 'kalenderjahr' },
        columns: {
          quote: { header: 'Quote', type: 'number', symbols: { suppressed: ['.'], missing: ['x', '0'] } },
          empf: { header: 'Empfänger', type: 'count' },
        },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects).toEqual([]);
      expect(
        plain(await q('SELECT area_id, quote, quote__flag AS qf, empf, empf__flag AS ef FROM src_s0 ORDER BY area_id')),
      ).toEqual([
        { area_id: '05558004', quote: 4.6, qf: null, empf: 120, ef: null },
        { area_id: '05558008', quote: null, qf: 'suppressed', empf: null, ef: 'missing' },
        { area_id: '05558012', quote: null, qf: 'missing', empf: 0, ef: null },
        { area_id: '05558016', quote: null, qf: 'missing', empf: 0, ef: null },
        { area_id: '05558020', quote: 0, qf: null, empf: 0, ef: null },
      ]);
    });
  });

  it('spellings of one area in different files: id inside a longer cell, id without leading zero', async () => {
    const areas =
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n01;Altstadt - Lehel;05558004;Ascheberg\n02;Maxvorstadt;05558004;Ascheberg\n';
    const a = 'Raumbezug;Jahr;Anzahl\n01 Altstadt - Lehel;2022;10\n02 Maxvorstadt;2022;20\n';
    const b = 'Stadtteil;Jahr;Anzahl\n1;2023;11\nSchwabing;2025;5\n';
    const tp = makeProject({ 'gebiete.csv': areas, 'd/a.csv': a, 'd/b.csv': b }, [
      {
        ...base,
        files: 'd/a.csv',
        area: { column: 'Raumbezug', level: 'sozialraum', pattern: '^(\\d+) ' },
        period: { column: 'Jahr', kind: 'kalenderjahr' },
        columns: { n: { header: 'Anzahl' } },
      },
      {
        ...base,
        files: 'd/b.csv',
        area: { column: 'Stadtteil', level: 'sozialraum' },
        period: { column: 'Jahr', kind: 'kalenderjahr' },
        columns: { n: { header: 'Anzahl' } },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(plain(await q('SELECT area_id, year, n FROM src_s0 ORDER BY area_id'))).toEqual([
        { area_id: '01', year: 2022, n: 10 },
        { area_id: '02', year: 2022, n: 20 },
      ]);
      expect(plain(await q('SELECT area_id, year, n FROM src_s1 ORDER BY year'))).toEqual([
        { area_id: '01', year: 2023, n: 11 },
      ]);
      expect(r.rejects.filter((x) => x.source === 's1').map((x) => [x.line, x.code])).toEqual([[3, 'unknown_area']]);
    });
  });

  it('period from a title line above the header; a file without one is a user error naming the file', async () => {
    const csv =
      'Tabelle: 12411-01-01-5\nBevölkerung: Gemeinden, Stichtag 31.12.2023;;\nGemeinde;Name;Insgesamt\n05558004;Ascheberg;15 412\n';
    const src = {
      ...base,
      files: 'd/*.csv',
      area: { column: 'Gemeinde', level: 'kommune' as const },
      period: { from_title: true as const, kind: 'kalenderjahr' as const },
      columns: { ew: { header: 'Insgesamt' } },
    };
    const tp = makeProject({ 'd/bev.csv': csv }, [src]);
    await ingest(tp, async (_r, q) => {
      expect(plain(await q('SELECT area_id, year, period, ew FROM src_s0'))).toEqual([
        { area_id: '05558004', year: 2023, period: '31.12.2023', ew: 15412 },
      ]);
    });
    const bad = makeProject({ 'd/bev.csv': 'Gemeinde;Name;Insgesamt\n05558004;Ascheberg;1\n' }, [src]);
    const err = await withDb((conn) =>
      ingestProject(conn, bad.project, { tmpDir: bad.tmpDir }).catch((e: unknown) => e),
    );
    expect((err as UserError).issues[0]).toMatchObject({ file: 'd/bev.csv', code: 'source.period_from_title' });
  });

  it('period only at the start of a block (fill_down): block heading lines are counted, not data', async () => {
    const csv =
      ';;Bevölkerung\nStichtag;Gemeinde;Anzahl\n31.12.2022;;\n;05558004;100\n;05558008;200\n31.12.2023;;\n;05558004;110\n31.12.2024;05558008;220\n';
    const tp = makeProject({ 'd/x.csv': csv }, [
      {
        ...base,
        files: 'd/x.csv',
        area: { column: 'Gemeinde', level: 'kommune' },
        period: { column: 'Stichtag', fill_down: true, kind: 'kalenderjahr' },
        columns: { ew: { header: 'Anzahl' } },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(r.sources.get('s0')!.accounting).toMatchObject({ rows_read: 6, rows_loaded: 4, rows_rejected: 2 });
      expect(r.rejects.map((x) => [x.line, x.code, x.severity])).toEqual([
        [3, 'period_label_row', 'info'],
        [6, 'period_label_row', 'info'],
      ]);
      expect(plain(await q('SELECT area_id, year, ew FROM src_s0 ORDER BY year, area_id'))).toEqual([
        { area_id: '05558004', year: 2022, ew: 100 },
        { area_id: '05558008', year: 2022, ew: 200 },
        { area_id: '05558004', year: 2023, ew: 110 },
        { area_id: '05558008', year: 2024, ew: 220 },
      ]);
    });
  });

  it('a cut-off or too long line in a reshaped file is a ragged row, as on the plain path', async () => {
    const tp = makeProject(
      { 'd/bev.csv': 'Sozialraum;2018;2019\n05558004-01;100;110\n05558004-02;200\n05558004-03;1;2;3\n' },
      [
        {
          ...base,
          files: 'd/bev.csv',
          area: { column: 'Sozialraum', level: 'sozialraum' },
          period: { in_headers: true, kind: 'kalenderjahr' },
          columns: { ew: { header: 'Wert' } },
        },
      ],
    );
    await ingest(tp, async (r) => {
      expect(r.sources.get('s0')!.accounting).toMatchObject({ rows_read: 4, rows_loaded: 2, rows_rejected: 2 });
      expect(r.rejects.map((x) => [x.line, x.code])).toEqual([
        [3, 'ragged_row'],
        [4, 'ragged_row'],
      ]);
    });
  });
});
