/** Integration tests of ingestProject beyond the bad-inputs files. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../../src/config/schema.js';
import { ingestProject } from '../../src/ingest/index.js';
import { UserError } from '../../src/util/issues.js';
import { ingest, makeProject, plain, repoRoot, withDb } from './helpers.js';

const hze = (files = 'daten/*.csv'): Partial<SourceInput> => ({
  id: 'hze',
  files,
  area: { column: 'sozialraum_id', level: 'sozialraum' },
  period: { column: 'jahr', kind: 'kalenderjahr' },
  columns: {
    hze_faelle: { header: 'hze_faelle', type: 'count' },
    bev_unter_21: { header: 'bev_unter_21', type: 'count' },
  },
});
const HEAD = 'sozialraum_id;jahr;hze_faelle;bev_unter_21\n';

async function expectUserError(tp: ReturnType<typeof makeProject>, re: RegExp): Promise<UserError> {
  let err: unknown;
  await withDb(async (conn) => {
    try {
      await ingestProject(conn, tp.project, { tmpDir: tp.tmpDir });
    } catch (e) {
      err = e;
    }
  });
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).message).toMatch(re);
  return err as UserError;
}

describe('area list', () => {
  it('loads Kommunen and Sozialräume into DuckDB', async () => {
    await ingest(makeProject({ 'daten/a.csv': HEAD + '05558012-01;2023;1;2\n' }, [hze()]), async (r, q) => {
      expect(r.areas.kommunen).toHaveLength(11);
      expect(r.areas.sozialraeume).toHaveLength(33);
      expect(r.areas.kommunen.find((k) => k.ags === '05558016')!.name).toBe('Dülmen');
      expect(plain(await q('SELECT count(*) AS n FROM areas_kommune'))).toEqual([{ n: 11 }]);
      expect(plain(await q(`SELECT * FROM areas_sozialraum WHERE sozialraum_id = '05558012-03'`))).toEqual([
        {
          sozialraum_id: '05558012-03',
          sozialraum_name: 'Coesfeld 03',
          kommune_ags: '05558012',
          valid_from: null,
          valid_to: null,
        },
      ]);
    });
  });

  it('repairs 7-digit AGS and Sozialraum ids, drops totals rows, flags duplicates and foreign AGS', async () => {
    const areas =
      'Titel der Gebietsliste\n' +
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis\n' +
      '5558012-01;Innenstadt;5558012;Coesfeld;;\n' +
      '05558012-02;Lette;05558012;Coesfeld;2020;\n' +
      '05558012;Coesfeld gesamt;05558012;Coesfeld;;\n' +
      'Insgesamt;;;;;\n' +
      '05558012-02;Lette doppelt;05558012;Coesfeld;;\n' +
      '05566004-01;Fremd;05566004;Ahaus;;\n' +
      '05558016-01;Alt;05558016;Dülmen;;2021\n';
    const tp = makeProject(
      {
        'gebiete.csv': areas,
        'daten/a.csv': HEAD + '05558012-02;2019;1;2\n05558016-01;2022;3;4\n05558016-01;2021;3;4\n',
      },
      [hze()],
    );
    await ingest(tp, async (r) => {
      expect(r.areas.sozialraeume.map((s) => [s.id, s.kommune_ags, s.valid_from, s.valid_to])).toEqual([
        ['05558012-01', '05558012', undefined, undefined],
        ['05558012-02', '05558012', 2020, undefined],
        ['05558016-01', '05558016', undefined, 2021],
      ]);
      const areaRejects = r.rejects.filter((x) => x.source === 'areas');
      expect(areaRejects.map((x) => [x.line, x.code, x.severity])).toEqual([
        [5, 'total_row', 'info'],
        [6, 'total_row', 'info'],
        [7, 'duplicate_area', 'error'],
        [8, 'ags_outside_kreis', 'error'],
      ]);
      const acc = r.areas.accounting;
      expect([acc.rows_read, acc.rows_loaded, acc.rows_rejected]).toEqual([7, 3, 4]);
      const repaired = r.issues.filter((i) => i.code === 'areas.ags_repaired');
      expect(repaired.map((i) => [i.file, i.line, i.column])).toEqual([
        ['gebiete.csv', 3, 'kommune_ags'],
        ['gebiete.csv', 3, 'sozialraum_id'],
      ]);
      expect(r.issues.some((i) => i.code === 'areas.ags_outside_kreis' && i.severity === 'error' && i.line === 8)).toBe(
        true,
      );
      // validity
      const src = r.rejects.filter((x) => x.source === 'hze');
      expect(src.map((x) => [x.line, x.code, x.area_id, x.year])).toEqual([
        [2, 'area_not_valid', '05558012-02', 2019],
        [3, 'area_not_valid', '05558016-01', 2022],
      ]);
    });
  });

  it('an unreadable area list is a UserError', async () => {
    const tp = makeProject({ 'daten/a.csv': HEAD }, [hze()], { areas: { file: 'fehlt.csv' } });
    await expectUserError(tp, /Gebietsliste „fehlt.csv“ ist nicht lesbar/);
  });
});

describe('sources', () => {
  it('totals rows are rejected as info, not loaded', async () => {
    const tp = makeProject(
      {
        'daten/a.csv':
          HEAD +
          '05558012-01;2023;1;10\nInsgesamt;2023;5;50\n05558012;2023;3;30\nCoesfeld;2023;3;30\nKreis Coesfeld;2023;9;90\n',
      },
      [hze()],
    );
    await ingest(tp, async (r, q) => {
      expect(r.rejects.map((x) => [x.line, x.code, x.severity])).toEqual([
        [3, 'total_row', 'info'],
        [4, 'total_row', 'info'],
        [5, 'total_row', 'info'],
        [6, 'total_row', 'info'],
      ]);
      expect(plain(await q('SELECT sum(hze_faelle) AS s FROM src_hze'))).toEqual([{ s: 1 }]);
    });
  });

  it('leading zero lost at Sozialraum level: repaired, one warning per file naming the lines', async () => {
    const tp = makeProject(
      { 'daten/a.csv': HEAD + '5558012-01;2023;1;10\n05558012-02;2023;1;10\n5558012-03;2023;1;10\n' },
      [hze()],
    );
    await ingest(tp, async (r, q) => {
      expect(plain(await q('SELECT area_id FROM src_hze ORDER BY _line')).map((x) => x.area_id)).toEqual([
        '05558012-01',
        '05558012-02',
        '05558012-03',
      ]);
      const w = r.issues.filter((i) => i.code === 'source.leading_zero_repaired');
      expect(w).toHaveLength(1);
      expect(w[0]!.message).toContain('2, 4');
    });
  });

  it('missing configured header: UserError naming file, line, expected and found', async () => {
    const tp = makeProject({ 'daten/a.csv': 'sozialraum_id;jahr;faelle;bev_unter_21\n05558012-01;2023;1;2\n' }, [
      hze(),
    ]);
    const e = await expectUserError(tp, /daten\/a.csv:1.*„hze_faelle“ nicht gefunden/);
    expect(e.message).toContain('gefunden: „sozialraum_id“, „jahr“, „faelle“, „bev_unter_21“');
  });

  it('no matching files and patterns escaping the project are UserErrors', async () => {
    await expectUserError(makeProject({}, [hze('daten/nichts_*.csv')]), /keine Datei passt/);
    await expectUserError(makeProject({}, [hze('../daten/*.csv')]), /verlässt mit ".." den Projektordner/);
  });

  it('reads UTF-16LE with BOM and tabs (Excel "Unicode-Text")', async () => {
    const text = 'sozialraum_id\tjahr\thze_faelle\tbev_unter_21\r\n05558016-01\t2023\t5\t1.200\r\n';
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    await ingest(makeProject({ 'daten/a.csv': buf }, [hze()]), async (r, q) => {
      const f = r.sources.get('hze')!.accounting.files[0]!;
      expect(f.read).toMatchObject({ encoding: 'utf-16le', bom: true, delimiter: '\t', line_ending: 'crlf' });
      expect(plain(await q('SELECT area_id, hze_faelle, bev_unter_21 FROM src_hze'))).toEqual([
        { area_id: '05558016-01', hze_faelle: 5, bev_unter_21: 1200 },
      ]);
    });
  });

  it('pinned UTF-8: an undecodable line is a rejected row', async () => {
    const buf = Buffer.concat([
      Buffer.from(HEAD + '05558012-01;2023;1;2\n'),
      Buffer.from('05558012-02;2023;1;2 ü\n', 'latin1'),
    ]);
    const src = { ...hze(), read: { encoding: 'utf-8' as const } };
    await ingest(makeProject({ 'daten/a.csv': buf }, [src]), async (r) => {
      expect(r.rejects.map((x) => [x.line, x.code])).toEqual([[3, 'encoding_error']]);
    });
  });

  it('footers, blank lines, CR line endings, comma files and quoted multi-line text', async () => {
    const cr =
      'sozialraum_id,jahr,hze_faelle,bev_unter_21\r05558012-01,2023,1.5,"1,200"\r\r05558012-02,2023,2,3\r\rStand: 31.03.2025\r* vorläufig\r';
    const src = {
      ...hze(),
      kind: 'microdata' as const,
      columns: {
        hze_faelle: { header: 'hze_faelle', type: 'number' as const },
        bev_unter_21: { header: 'bev_unter_21', type: 'count' as const },
      },
    };
    await ingest(makeProject({ 'daten/a.csv': cr }, [src]), async (r, q) => {
      const f = r.sources.get('hze')!.accounting.files[0]!;
      expect(f.read).toMatchObject({
        delimiter: ',',
        decimal: 'point',
        thousands: ',',
        line_ending: 'cr',
        skip_bottom: 3,
      });
      expect(f.skipped_lines.map((s) => [s.line, s.why])).toEqual([
        [3, 'blank'],
        [5, 'blank'],
        [6, 'footer'],
        [7, 'footer'],
      ]);
      expect(plain(await q('SELECT _line, hze_faelle, bev_unter_21 FROM src_hze ORDER BY _line'))).toEqual([
        { _line: 2, hze_faelle: 1.5, bev_unter_21: 1200 },
        { _line: 4, hze_faelle: 2, bev_unter_21: 3 },
      ]);
    });
    const multi =
      'sozialraum_id;jahr;bemerkung;hze_faelle\n05558012-01;2023;"zwei\nZeilen; mit ""Zitat""";4\n05558012-02;2023;;5\n';
    const src2 = {
      ...hze(),
      kind: 'microdata' as const,
      columns: {
        bemerkung: { header: 'bemerkung', type: 'text' as const },
        hze_faelle: { header: 'hze_faelle', type: 'count' as const },
      },
    };
    await ingest(makeProject({ 'daten/a.csv': multi }, [src2]), async (_r, q) => {
      expect(plain(await q('SELECT _line, bemerkung, hze_faelle FROM src_hze ORDER BY _line'))).toEqual([
        { _line: 2, bemerkung: 'zwei\nZeilen; mit "Zitat"', hze_faelle: 4 },
        { _line: 4, bemerkung: null, hze_faelle: 5 },
      ]);
    });
  });

  it('microdata: typed columns, no flags, symbols give NULL; cell errors name line, column and text', async () => {
    const text =
      'sozialraum_id;schuljahr;alter;bmi;impfpass;geschlecht\n' +
      '05558012-01;2023/24;70;88,5;ja;w\n' +
      '05558012-02;2023/24;.;*;nein;m\n' +
      '05558012-03;2023/24;70,5;1;ja;m\n' +
      '05558012-03;2023/24;71;1;x;m\n';
    const src: Partial<SourceInput> = {
      id: 'seu',
      kind: 'microdata',
      files: 'daten/*.csv',
      area: { column: 'sozialraum_id', level: 'sozialraum' },
      period: { column: 'schuljahr', kind: 'schuljahr', schuljahr_rule: 'end_year' },
      columns: {
        alter: { header: 'alter', type: 'integer' },
        bmi: { header: 'bmi', type: 'number' },
        impfpass: { header: 'impfpass', type: 'boolean' },
        geschlecht: { header: 'geschlecht', type: 'text' },
      },
    };
    await ingest(makeProject({ 'daten/m.csv': text }, [src]), async (r, q) => {
      const cols = (
        await q(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'src_seu' ORDER BY ordinal_position`,
        )
      ).map((x) => `${x.column_name}:${x.data_type}`);
      expect(cols).toEqual([
        '_file:VARCHAR',
        '_line:BIGINT',
        'area_id:VARCHAR',
        'year:INTEGER',
        'period:VARCHAR',
        'alter:BIGINT',
        'bmi:DOUBLE',
        'impfpass:BOOLEAN',
        'geschlecht:VARCHAR',
      ]);
      expect(plain(await q('SELECT _line, alter, bmi, impfpass, geschlecht FROM src_seu ORDER BY _line'))).toEqual([
        { _line: 2, alter: 70, bmi: 88.5, impfpass: true, geschlecht: 'w' },
        { _line: 3, alter: null, bmi: null, impfpass: false, geschlecht: 'm' },
      ]);
      expect(r.rejects.map((x) => [x.line, x.column, x.code])).toEqual([
        [4, 'alter', 'not_integer'],
        [5, 'impfpass', 'invalid_boolean'],
      ]);
      expect(r.rejects[0]!.reason).toContain('„70,5“');
      const acc = r.sources.get('seu')!.accounting;
      expect([acc.rows_read, acc.rows_loaded, acc.rows_rejected]).toEqual([4, 2, 2]);
    });
  });

  it('aggregated: text columns are part of the key; duplicates across files are rejected too', async () => {
    const src: Partial<SourceInput> = {
      ...hze(),
      columns: {
        geschlecht: { header: 'geschlecht', type: 'text' },
        hze_faelle: { header: 'hze_faelle', type: 'count' },
      },
    };
    const a = 'sozialraum_id;jahr;geschlecht;hze_faelle\n05558012-01;2023;m;1\n05558012-01;2023;w;2\n';
    const b = 'sozialraum_id;jahr;geschlecht;hze_faelle\n05558012-01;2023;w;3\n';
    await ingest(makeProject({ 'daten/a.csv': a, 'daten/b.csv': b }, [src]), async (r, q) => {
      expect(r.rejects.map((x) => [x.file, x.line, x.code])).toEqual([
        ['daten/a.csv', 3, 'duplicate_key'],
        ['daten/b.csv', 2, 'duplicate_key'],
      ]);
      expect(r.rejects[0]!.reason).toContain('daten/b.csv:2');
      expect(plain(await q('SELECT _file, _line, geschlecht FROM src_hze'))).toEqual([
        { _file: 'daten/a.csv', _line: 2, geschlecht: 'm' },
      ]);
      const files = r.sources.get('hze')!.accounting.files;
      for (const f of files) expect(f.rows_read).toBe(f.rows_loaded + f.rows_rejected);
      expect(plain(await q('SELECT file, line FROM rejects ORDER BY file, line'))).toEqual([
        { file: 'daten/a.csv', line: 3 },
        { file: 'daten/b.csv', line: 2 },
      ]);
    });
  });

  it('streams large files: chunk boundaries, a Latin-1 line far into a UTF-8 file, progress events', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 300000; i++) lines.push(`05558016-0${(i % 3) + 1};${2000 + (i % 20)};${i % 7};Dülmen ${i}`);
    const head = Buffer.from('sozialraum_id;jahr;hze_faelle;name\n' + lines.join('\n') + '\n');
    const latin = Buffer.from('05558016-01;2023;1;Dülmen latin\n', 'latin1');
    const tail = Buffer.from('05558016-02;2023;2;Dülmen utf8\n');
    const buf = Buffer.concat([head, latin, tail]);
    expect(buf.length).toBeGreaterThan(8 << 20);
    const src: Partial<SourceInput> = {
      ...hze(),
      kind: 'microdata',
      columns: { hze_faelle: { header: 'hze_faelle', type: 'count' }, name: { header: 'name', type: 'text' } },
    };
    const tp = makeProject({ 'daten/big.csv': buf }, [src]);
    const events: number[] = [];
    await withDb(async (conn) => {
      const r = await ingestProject(conn, tp.project, { tmpDir: tp.tmpDir, onProgress: (e) => events.push(e.rows) });
      const acc = r.sources.get('hze')!.accounting;
      expect([acc.rows_read, acc.rows_loaded, acc.rows_rejected]).toEqual([300002, 300002, 0]);
      expect(r.issues.filter((i) => i.code === 'csv.mixed_encoding').map((i) => i.line)).toEqual([300002]);
      const rows = plain(
        (
          await conn.runAndReadAll('SELECT _line, name FROM src_hze WHERE _line >= 300001 ORDER BY _line')
        ).getRowObjectsJS(),
      );
      expect(rows).toEqual([
        { _line: 300001, name: 'Dülmen 299999' },
        { _line: 300002, name: 'Dülmen latin' },
        { _line: 300003, name: 'Dülmen utf8' },
      ]);
      const order = plain(
        (
          await conn.runAndReadAll(
            'SELECT count(*) AS n FROM (SELECT _line, lag(_line) OVER () AS prev FROM src_hze) WHERE prev IS NOT NULL AND _line <= prev',
          )
        ).getRowObjectsJS(),
      );
      expect(order).toEqual([{ n: 0 }]);
    });
    expect(events.at(-1)).toBe(300002);
  });
});

describe('a pinned read.skip_bottom never drops a data row', () => {
  const pinned = (): Partial<SourceInput> => ({ ...hze(), read: { skip_bottom: 1 } });
  const footerErrors = (issues: readonly { code: string; file?: string; line?: number; column?: string }[]) =>
    issues.filter((i) => i.code === 'source.footer_is_data').map((i) => [i.file, i.line, i.column]);

  it('refuses a file whose last line, skipped as its footer, is a data row (both load paths)', async () => {
    const tp = makeProject({ 'daten/a.csv': HEAD + '05558012-01;2023;1;2\n05558012-02;2023;3;4\n' }, [pinned()]);
    await ingest(tp, async (r) => {
      expect(footerErrors(r.issues)).toEqual([['daten/a.csv', 3, 'sozialraum_id']]);
      const issue = r.issues.find((i) => i.code === 'source.footer_is_data')!;
      expect(issue.severity).toBe('error');
      expect(issue.message).toContain('read.skip_bottom: 1');
      expect(issue.message).toContain('„05558012-02“');
    });
  });

  it('skips a source note, a totals line and a blank line as footers without a word', async () => {
    for (const footer of ['Quelle: Testamt, Stand 31.12.2023\n', 'Insgesamt;2023;4;6\n', ';;;\n']) {
      const tp = makeProject({ 'daten/a.csv': `${HEAD}05558012-01;2023;1;2\n05558012-02;2023;3;4\n${footer}` }, [
        pinned(),
      ]);
      await ingest(tp, async (r) => {
        expect(footerErrors(r.issues)).toEqual([]);
        expect(r.sources.get('hze')!.accounting).toMatchObject({ rows_read: 2, rows_loaded: 2 });
      });
    }
  });
});

describe('a file that is no text file', () => {
  const realXlsx = fs.readFileSync(
    path.join(repoRoot, 'tests', 'fixtures', 'real', 'muenchen_indikatorenatlas_kinderbetreuung.xlsx'),
  );

  it('a workbook, an old .xls or a PDF saved as .csv, binary data: refused as such, naming the file', async () => {
    const nuls = Buffer.alloc(2000);
    nuls.write('sozialraum_id;jahr', 0);
    for (const [content, words] of [
      [realXlsx, 'eine Excel-Arbeitsmappe (.xlsx)'],
      [
        Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 7)]),
        'eine alte Excel-Arbeitsmappe (.xls)',
      ],
      [Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), 'ein PDF'],
      [nuls, 'enthält Binärdaten'],
    ] as const) {
      const err = await expectUserError(makeProject({ 'daten/a.csv': content }, [hze()]), /keine Textdatei \(CSV\)/);
      expect(err.issues[0]).toMatchObject({ code: 'csv.binary', file: 'daten/a.csv' });
      expect(err.message).toContain(words);
    }
  });

  it('one stray NUL byte in a text file is no binary file: the rest loads', async () => {
    const tp = makeProject(
      { 'daten/a.csv': `${HEAD}05558012-01;2023;1;2\n05558012-02;20\u000023;3;4\n05558012-03;2023;5;6\n` },
      [hze()],
    );
    await ingest(tp, async (r) => {
      expect(r.sources.get('hze')!.accounting).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    });
  });
});
