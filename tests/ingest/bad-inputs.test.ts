/**
 * One test per file in tests/fixtures/bad-inputs: the outcome its README states.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../../src/config/schema.js';
import { badInput, badInputs, ingest, makeProject, plain } from './helpers.js';

const hze: Partial<SourceInput> = {
  area: { column: 'sozialraum_id', level: 'sozialraum' },
  period: { column: 'jahr', kind: 'kalenderjahr' },
  columns: {
    hze_faelle: { header: 'hze_faelle', type: 'count' },
    bev_unter_21: { header: 'bev_unter_21', type: 'count' },
  },
};

function hzeProject(file: string) {
  return makeProject({ [`daten/${file}`]: badInput(file) }, [{ ...hze, id: 'hze', files: `daten/${file}` }]);
}

describe('bad-inputs', () => {
  it('the bad-inputs folder is where the tests expect it', () => {
    expect(fs.existsSync(path.join(badInputs, 'README.md'))).toBe(true);
  });

  const sgb2Source: Partial<SourceInput> = {
    id: 'sgb2',
    files: 'daten/sgb2_*.csv',
    area: { column: 'Sozialraum', level: 'sozialraum' },
    period: { column: 'Jahr', kind: 'kalenderjahr' },
    columns: {
      nef_u15: { header: 'Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren', type: 'count' },
      bev_u15: { header: 'Bevölkerung unter 15 Jahren', type: 'count' },
    },
  };

  it('sgb2_latin1_semicolon.csv: Latin-1, title and footer skipped, thousands dots, 24 rows', async () => {
    const tp = makeProject({ 'daten/sgb2_latin1_semicolon.csv': badInput('sgb2_latin1_semicolon.csv') }, [sgb2Source]);
    await ingest(tp, async (r, q) => {
      const acc = r.sources.get('sgb2')!.accounting;
      const f = acc.files[0]!;
      expect(f.file).toBe('daten/sgb2_latin1_semicolon.csv');
      expect(f.read).toMatchObject({
        encoding: 'windows-1252',
        delimiter: ';',
        decimal: 'comma',
        thousands: '.',
        skip_top: 1,
        skip_bottom: 1,
        line_ending: 'crlf',
      });
      expect(f.read.detected).toEqual(
        expect.arrayContaining(['encoding', 'delimiter', 'decimal', 'thousands', 'skip_top', 'skip_bottom']),
      );
      expect(f.header[3]).toBe('Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren');
      expect(f.skipped_lines.map((s) => [s.line, s.why])).toEqual([
        [1, 'title'],
        [27, 'footer'],
      ]);
      expect(f.skipped_lines[1]!.text).toMatch(/^Quelle: Statistik der Bundesagentur für Arbeit/);
      expect([acc.rows_read, acc.rows_loaded, acc.rows_rejected]).toEqual([24, 24, 0]);
      expect(r.rejects).toEqual([]);
      const rows = plain(await q(`SELECT * FROM src_sgb2 WHERE area_id = '05558004-01' ORDER BY year`));
      expect(rows).toEqual([
        {
          _file: 'daten/sgb2_latin1_semicolon.csv',
          _line: 3,
          area_id: '05558004-01',
          year: 2022,
          period: '2022',
          nef_u15: 16,
          nef_u15__flag: null,
          bev_u15: 850,
          bev_u15__flag: null,
        },
        {
          _file: 'daten/sgb2_latin1_semicolon.csv',
          _line: 4,
          area_id: '05558004-01',
          year: 2023,
          period: '2023',
          nef_u15: 30,
          nef_u15__flag: null,
          bev_u15: 1344,
          bev_u15__flag: null,
        },
      ]);
      const sums = plain(await q('SELECT sum(nef_u15) AS n, sum(bev_u15) AS b, count(*) AS c FROM src_sgb2'));
      expect(sums).toEqual([{ n: 2886, b: 31953, c: 24 }]); // checked independently with Python's csv module
      expect(r.sources.get('sgb2')!.years).toEqual([2022, 2023]);
      const det = r.issues.find((i) => i.code === 'csv.detected' && i.file === 'daten/sgb2_latin1_semicolon.csv')!;
      expect(det.message).toMatch(
        /^erkannt: Windows-1252, ';', Dezimalkomma.* – mit read: \{ encoding: windows-1252, delimiter: ";", decimal: comma/,
      );
    });
  });

  it('sgb2_latin1_semicolon.csv with a "*" cell: suppressed flag, value NULL (not 0, not an error)', async () => {
    const latin1 = badInput('sgb2_latin1_semicolon.csv')
      .toString('latin1')
      .replace('05558012-01;Coesfeld;2023;3;391', '05558012-01;Coesfeld;2023;*;391');
    expect(latin1).toContain(';*;391');
    const tp = makeProject({ 'daten/sgb2_star.csv': Buffer.from(latin1, 'latin1') }, [sgb2Source]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects).toEqual([]);
      const rows = plain(
        await q(
          `SELECT _line, nef_u15, nef_u15__flag, bev_u15 FROM src_sgb2 WHERE area_id = '05558012-01' AND year = 2023`,
        ),
      );
      expect(rows).toEqual([{ _line: 16, nef_u15: null, nef_u15__flag: 'suppressed', bev_u15: 391 }]);
    });
  });

  it('seu_bom_decimal_comma.csv: BOM, decimal comma, "." missing, Schuljahr 2023/24 -> 2024 (end_year)', async () => {
    const tp = makeProject({ 'daten/seu.csv': badInput('seu_bom_decimal_comma.csv') }, [
      {
        id: 'seu',
        files: 'daten/seu.csv',
        area: { column: 'Sozialraum', level: 'sozialraum' },
        period: { column: 'Schuljahr', kind: 'schuljahr', schuljahr_rule: 'end_year' },
        columns: {
          untersucht: { header: 'Untersuchte Kinder', type: 'count' },
          uebergewicht: { header: 'davon übergewichtig', type: 'count' },
          anteil: { header: 'Anteil übergewichtig in %', type: 'number' },
        },
      },
    ]);
    await ingest(tp, async (r, q) => {
      const f = r.sources.get('seu')!.accounting.files[0]!;
      expect(f.read).toMatchObject({ encoding: 'utf-8', bom: true, delimiter: ';', decimal: 'comma' });
      expect(f.header[0]).toBe('Sozialraum');
      expect(r.issues.some((i) => i.code === 'csv.bom' && i.severity === 'info')).toBe(true);
      expect([f.rows_read, f.rows_loaded, f.rows_rejected]).toEqual([9, 9, 0]);
      const rows = plain(await q('SELECT * FROM src_seu ORDER BY _line'));
      expect(rows[0]).toEqual({
        _file: 'daten/seu.csv',
        _line: 2,
        area_id: '05558020-01',
        year: 2024,
        period: '2023/24',
        untersucht: 127,
        untersucht__flag: null,
        uebergewicht: 17,
        uebergewicht__flag: null,
        anteil: 13.4,
        anteil__flag: null,
      });
      expect(rows[3]).toMatchObject({ area_id: '05558024-02', anteil: 9 });
      expect(rows[8]).toEqual({
        _file: 'daten/seu.csv',
        _line: 10,
        area_id: '05558020-03',
        year: 2024,
        period: '2023/24',
        untersucht: null,
        untersucht__flag: 'missing',
        uebergewicht: null,
        uebergewicht__flag: 'missing',
        anteil: null,
        anteil__flag: 'missing',
      });
      expect(r.sources.get('seu')!.years).toEqual([2024]);
    });
  });

  it('seu_bom_decimal_comma.csv: "-" is exactly 0 (zero symbol, no flag)', async () => {
    const text = badInput('seu_bom_decimal_comma.csv')
      .toString('utf8')
      .replace('05558024-01;2023/24;32;1;3,1', '05558024-01;2023/24;32;-;0,0');
    const tp = makeProject({ 'daten/seu.csv': text }, [
      {
        id: 'seu',
        files: 'daten/seu.csv',
        area: { column: 'Sozialraum', level: 'sozialraum' },
        period: { column: 'Schuljahr', kind: 'schuljahr', schuljahr_rule: 'start_year' },
        columns: { uebergewicht: { header: 'davon übergewichtig', type: 'count' } },
      },
    ]);
    await ingest(tp, async (_r, q) => {
      const rows = plain(
        await q(`SELECT year, uebergewicht, uebergewicht__flag FROM src_seu WHERE area_id = '05558024-01'`),
      );
      expect(rows).toEqual([{ year: 2023, uebergewicht: 0, uebergewicht__flag: null }]);
    });
  });

  it('hze_duplicate_keys.csv: lines 2 and 4 both rejected duplicate_key, never summed', async () => {
    await ingest(hzeProject('hze_duplicate_keys.csv'), async (r, q) => {
      const dup = r.rejects.filter((x) => x.code === 'duplicate_key');
      expect(dup.map((x) => [x.file, x.line, x.severity, x.area_id, x.year])).toEqual([
        ['daten/hze_duplicate_keys.csv', 2, 'error', '05558012-01', 2023],
        ['daten/hze_duplicate_keys.csv', 4, 'error', '05558012-01', 2023],
      ]);
      expect(dup[0]!.reason).toContain('Zeile 4');
      expect(dup[1]!.reason).toContain('Zeile 2');
      const rows = plain(await q('SELECT _line, area_id, hze_faelle FROM src_hze ORDER BY _line'));
      expect(rows).toEqual([{ _line: 3, area_id: '05558012-02', hze_faelle: 17 }]);
      const acc = r.sources.get('hze')!.accounting;
      expect([acc.rows_read, acc.rows_loaded, acc.rows_rejected]).toEqual([3, 1, 2]);
      const db = plain(
        await q(`SELECT source, file, line, "column", code, severity, area_id, year FROM rejects ORDER BY line`),
      );
      expect(db).toEqual([
        {
          source: 'hze',
          file: 'daten/hze_duplicate_keys.csv',
          line: 2,
          column: 'sozialraum_id',
          code: 'duplicate_key',
          severity: 'error',
          area_id: '05558012-01',
          year: 2023,
        },
        {
          source: 'hze',
          file: 'daten/hze_duplicate_keys.csv',
          line: 4,
          column: 'sozialraum_id',
          code: 'duplicate_key',
          severity: 'error',
          area_id: '05558012-01',
          year: 2023,
        },
      ]);
    });
  });

  it('numerator_exceeds_denominator.csv: loads as is (the compute stage flags it)', async () => {
    const file = 'numerator_exceeds_denominator.csv';
    const tp = makeProject({ [`daten/${file}`]: badInput(file) }, [
      {
        id: 'u8',
        files: `daten/${file}`,
        area: { column: 'sozialraum_id', level: 'sozialraum' },
        period: { column: 'jahr', kind: 'kalenderjahr' },
        columns: {
          u8_nicht: { header: 'u8_nicht_teilgenommen', type: 'count' },
          kinder_mit_heft: { header: 'kinder_mit_heft', type: 'count' },
        },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects).toEqual([]);
      const rows = plain(await q('SELECT _line, area_id, year, u8_nicht, kinder_mit_heft FROM src_u8 ORDER BY _line'));
      expect(rows).toEqual([
        { _line: 2, area_id: '05558016-01', year: 2023, u8_nicht: 12, kinder_mit_heft: 118 },
        { _line: 3, area_id: '05558016-02', year: 2023, u8_nicht: 131, kinder_mit_heft: 97 },
      ]);
    });
  });

  it('unknown_area.csv: line 3 rejected unknown_area with area id and year kept', async () => {
    await ingest(hzeProject('unknown_area.csv'), async (r, q) => {
      expect(r.rejects.map((x) => [x.file, x.line, x.column, x.code, x.severity, x.area_id, x.year])).toEqual([
        ['daten/unknown_area.csv', 3, 'sozialraum_id', 'unknown_area', 'error', '05558099-01', 2023],
      ]);
      expect(r.rejects[0]!.reason).toContain('05558099-01');
      expect(plain(await q('SELECT _line, area_id FROM src_hze'))).toEqual([{ _line: 2, area_id: '05558012-01' }]);
      const acc = r.sources.get('hze')!.accounting;
      expect([acc.rows_read, acc.rows_loaded, acc.rows_rejected]).toEqual([2, 1, 1]);
    });
  });

  it('ragged_rows.csv: line 3 (missing field) and line 4 (extra field) rejected ragged_row', async () => {
    await ingest(hzeProject('ragged_rows.csv'), async (r, q) => {
      expect(r.rejects.map((x) => [x.file, x.line, x.code, x.severity])).toEqual([
        ['daten/ragged_rows.csv', 3, 'ragged_row', 'error'],
        ['daten/ragged_rows.csv', 4, 'ragged_row', 'error'],
      ]);
      expect(r.rejects[0]!.reason).toContain('erwartet 4 Felder, gefunden 3');
      expect(r.rejects[1]!.reason).toContain('erwartet 4 Felder, gefunden 5');
      expect(plain(await q('SELECT _line, hze_faelle, bev_unter_21 FROM src_hze'))).toEqual([
        { _line: 2, hze_faelle: 41, bev_unter_21: 1830 },
      ]);
    });
  });

  it('negative_count.csv: line 2 rejected negative_count in column hze_faelle', async () => {
    await ingest(hzeProject('negative_count.csv'), async (r, q) => {
      expect(r.rejects.map((x) => [x.file, x.line, x.column, x.code, x.severity, x.area_id, x.year])).toEqual([
        ['daten/negative_count.csv', 2, 'hze_faelle', 'negative_count', 'error', '05558012-01', 2023],
      ]);
      expect(r.rejects[0]!.reason).toContain('negative Anzahl');
      expect(r.rejects[0]!.reason).toContain('-4');
      expect(plain(await q('SELECT count(*) AS n FROM src_hze'))).toEqual([{ n: 0 }]);
      expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    });
  });

  it('mixed_encoding.csv: line 3 decoded as Latin-1 with a warning, no mojibake', async () => {
    const file = 'mixed_encoding.csv';
    const tp = makeProject({ [`daten/${file}`]: badInput(file) }, [
      {
        id: 'bev',
        files: `daten/${file}`,
        area: { column: 'sozialraum_id', level: 'sozialraum' },
        period: { column: 'jahr', kind: 'kalenderjahr' },
        columns: { name: { header: 'name', type: 'text' }, bev_unter_15: { header: 'bev_unter_15', type: 'count' } },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects).toEqual([]);
      expect(r.sources.get('bev')!.accounting.files[0]!.read.encoding).toBe('utf-8');
      const rows = plain(await q('SELECT _line, area_id, name, bev_unter_15 FROM src_bev ORDER BY _line'));
      expect(rows).toEqual([
        { _line: 2, area_id: '05558016-01', name: 'Dülmen-Mitte', bev_unter_15: 1200 },
        { _line: 3, area_id: '05558016-02', name: 'Dülmen-Hausdülmen', bev_unter_15: 640 },
      ]);
      for (const row of rows) expect(String(row.name)).not.toMatch(/Ã|\uFFFD/);
      const warn = r.issues.filter((i) => i.code === 'csv.mixed_encoding');
      expect(warn.map((w) => [w.severity, w.file, w.line])).toEqual([['warning', 'daten/mixed_encoding.csv', 3]]);
      expect(warn[0]!.message).toContain('Zeile 3');
    });
  });

  it('header_only.csv: an error issue "enthält keine Datenzeilen", no crash', async () => {
    await ingest(hzeProject('header_only.csv'), async (r, q) => {
      const errs = r.issues.filter((i) => i.severity === 'error');
      expect(errs.map((e) => [e.code, e.file])).toEqual([['source.no_data_rows', 'daten/header_only.csv']]);
      expect(errs[0]!.message).toContain('enthält keine Datenzeilen');
      expect(plain(await q('SELECT count(*) AS n FROM src_hze'))).toEqual([{ n: 0 }]);
      expect(r.sources.get('hze')!.accounting.rows_read).toBe(0);
    });
  });

  it('empty.csv: an error issue "ist leer", no crash, other files still load', async () => {
    const tp = makeProject(
      {
        'daten/a_empty.csv': badInput('empty.csv'),
        'daten/b_ok.csv': badInput('numerator_exceeds_denominator.csv')
          .toString()
          .replace(/u8_nicht_teilgenommen;kinder_mit_heft/, 'hze_faelle;bev_unter_21'),
      },
      [{ ...hze, id: 'hze', files: 'daten/*.csv' }],
    );
    await ingest(tp, async (r, q) => {
      const errs = r.issues.filter((i) => i.severity === 'error');
      expect(errs.map((e) => [e.code, e.file])).toEqual([['source.empty_file', 'daten/a_empty.csv']]);
      expect(errs[0]!.message).toContain('ist leer');
      expect(plain(await q('SELECT count(*) AS n FROM src_hze'))).toEqual([{ n: 2 }]);
      expect(r.sources.get('hze')!.accounting.files.map((f) => f.file)).toEqual([
        'daten/a_empty.csv',
        'daten/b_ok.csv',
      ]);
    });
  });

  it('excel_sep_line.csv: sep=; honoured, quoted numbers, trailing empty columns; 2 rows (1.512 -> 1512)', async () => {
    await ingest(hzeProject('excel_sep_line.csv'), async (r, q) => {
      expect(r.rejects).toEqual([]);
      const f = r.sources.get('hze')!.accounting.files[0]!;
      expect(f.skipped_lines.map((s) => [s.line, s.why])).toEqual([[1, 'sep_line']]);
      expect(f.header).toEqual(['sozialraum_id', 'jahr', 'hze_faelle', 'bev_unter_21']);
      expect(
        plain(await q('SELECT _line, area_id, year, hze_faelle, bev_unter_21 FROM src_hze ORDER BY _line')),
      ).toEqual([
        { _line: 3, area_id: '05558024-01', year: 2023, hze_faelle: 22, bev_unter_21: 1512 },
        { _line: 4, area_id: '05558024-02', year: 2023, hze_faelle: 9, bev_unter_21: 744 },
      ]);
    });
  });

  it('ags_leading_zero_lost.csv: 5558012 repaired to 05558012 with a warning naming line 2 (level kommune)', async () => {
    const file = 'ags_leading_zero_lost.csv';
    const tp = makeProject({ [`daten/${file}`]: badInput(file) }, [
      {
        id: 'bev',
        files: `daten/${file}`,
        area: { column: 'gemeinde_ags', level: 'kommune' },
        period: { column: 'jahr', kind: 'kalenderjahr' },
        columns: { bev_unter_15: { header: 'bev_unter_15', type: 'count' } },
      },
    ]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects).toEqual([]);
      expect(plain(await q('SELECT _line, area_id, bev_unter_15 FROM src_bev ORDER BY _line'))).toEqual([
        { _line: 2, area_id: '05558012', bev_unter_15: 4900 },
        { _line: 3, area_id: '05558016', bev_unter_15: 6900 },
      ]);
      const w = r.issues.filter((i) => i.code === 'source.leading_zero_repaired');
      expect(w.map((x) => [x.severity, x.file, x.line, x.column])).toEqual([
        ['warning', 'daten/ags_leading_zero_lost.csv', 2, 'gemeinde_ags'],
      ]);
      expect(w[0]!.message).toContain('05558012');
      expect(w[0]!.message).toMatch(/Zeile\(n\) 2\b/);
    });
  });

  const sjSource = (kind: 'schuljahr' | 'kalenderjahr'): Partial<SourceInput> => ({
    id: 'seu',
    files: 'daten/sj.csv',
    area: { column: 'sozialraum_id', level: 'sozialraum' },
    period:
      kind === 'schuljahr' ? { column: 'zeitraum', kind, schuljahr_rule: 'end_year' } : { column: 'zeitraum', kind },
    columns: {
      untersuchte: { header: 'untersuchte', type: 'count' },
      sprachfoerderbedarf: { header: 'sprachfoerderbedarf', type: 'count' },
    },
  });

  it('schuljahr_and_kalenderjahr.csv (kind schuljahr): line 3 rejected period_kind_mismatch', async () => {
    const tp = makeProject({ 'daten/sj.csv': badInput('schuljahr_and_kalenderjahr.csv') }, [sjSource('schuljahr')]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects.map((x) => [x.file, x.line, x.column, x.code, x.severity, x.area_id])).toEqual([
        ['daten/sj.csv', 3, 'zeitraum', 'period_kind_mismatch', 'error', '05558032-01'],
      ]);
      expect(r.rejects[0]!.reason).toContain('schuljahr_rule');
      expect(r.rejects[0]!.reason).toContain('2023/24');
      expect(plain(await q('SELECT _line, year, period, untersuchte FROM src_seu'))).toEqual([
        { _line: 2, year: 2023, period: '2022/23', untersuchte: 88 },
      ]);
    });
  });

  it('schuljahr_and_kalenderjahr.csv (kind kalenderjahr): line 2 rejected period_kind_mismatch', async () => {
    const tp = makeProject({ 'daten/sj.csv': badInput('schuljahr_and_kalenderjahr.csv') }, [sjSource('kalenderjahr')]);
    await ingest(tp, async (r, q) => {
      expect(r.rejects.map((x) => [x.line, x.code])).toEqual([[2, 'period_kind_mismatch']]);
      expect(plain(await q('SELECT _line, year FROM src_seu'))).toEqual([{ _line: 3, year: 2023 }]);
    });
  });
});
