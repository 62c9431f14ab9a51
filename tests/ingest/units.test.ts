/** Unit tests: decoding/detection, cells, periods, fields. */
import { describe, expect, it } from 'vitest';
import { SymbolsSchema } from '../../src/config/schema.js';
import { CellParser, detectNumberFormat, fastNumber, FLAG_MISSING, FLAG_SUPPRESSED } from '../../src/ingest/cells.js';
import {
  decodeWindows1252,
  detectBom,
  detectEightBit,
  detectUtf16ByNul,
  EightBitDecoder,
} from '../../src/ingest/decode.js';
import { dropTrailingEmpty, findHeader, splitFields } from '../../src/ingest/fields.js';
import { parsePeriod } from '../../src/ingest/period.js';
import { escapesProject } from '../../src/ingest/paths.js';

const symbols = SymbolsSchema.parse({});

describe('decode', () => {
  it('detects BOMs', () => {
    expect(detectBom(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', length: 3 });
    expect(detectBom(Buffer.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: 'utf-16le', length: 2 });
    expect(detectBom(Buffer.from([0xfe, 0xff, 0, 0x41]))).toEqual({ encoding: 'utf-16be', length: 2 });
    expect(detectBom(Buffer.from('abc'))).toEqual({ encoding: null, length: 0 });
  });
  it('detects UTF-16 without BOM by NUL bytes', () => {
    expect(detectUtf16ByNul(Buffer.from('a;b;c\r\n1;2;3\r\n', 'utf16le'))).toBe('utf-16le');
    expect(detectUtf16ByNul(Buffer.from('a;b;c\r\n1;2;3\r\n', 'utf16le').swap16())).toBe('utf-16be');
    expect(detectUtf16ByNul(Buffer.from('a;b;c\n'))).toBeNull();
  });
  it('decodes Windows-1252 including the 0x80-0x9F range', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x20, 0x84, 0xfc, 0x96]))).toBe('€ „ü–');
  });
  it('auto-detects UTF-8 vs Windows-1252 from the non-ASCII lines', () => {
    expect(detectEightBit(Buffer.from('a;b\nDülmen;1\n'), 10)).toBe('utf-8');
    expect(detectEightBit(Buffer.from('a;b\nDülmen;1\n', 'latin1'), 10)).toBe('windows-1252');
    expect(detectEightBit(Buffer.from('a;b\n1;2\n'), 10)).toBe('utf-8');
    // one UTF-8 and one Latin-1 line: tie goes to UTF-8
    expect(detectEightBit(Buffer.concat([Buffer.from('Dülmen\n'), Buffer.from('Dülmen\n', 'latin1')]), 10)).toBe(
      'utf-8',
    );
  });
  it('falls back per line in auto mode and reports the line', () => {
    const buf = Buffer.concat([Buffer.from('a;ü\n'), Buffer.from('b;ü\n', 'latin1'), Buffer.from('c;ö\n')]);
    const d = new EightBitDecoder('utf-8', true, 10).decode(buf);
    expect(d.text).toBe('a;ü\nb;ü\nc;ö\n');
    expect(d.alt).toEqual([1]);
    expect(d.bad).toEqual([]);
  });
  it('a UTF-8 line in a Windows-1252 file is decoded as UTF-8 in auto mode', () => {
    const buf = Buffer.concat([
      Buffer.from('Bevölkerung\n', 'latin1'),
      Buffer.from('Quelle: Bundesagentur für Arbeit\n'),
    ]);
    const d = new EightBitDecoder('windows-1252', true, 10).decode(buf);
    expect(d.text).toBe('Bevölkerung\nQuelle: Bundesagentur für Arbeit\n');
    expect(d.alt).toEqual([1]);
  });
  it('pinned UTF-8: an undecodable line is reported as bad', () => {
    const buf = Buffer.concat([Buffer.from('a;ü\n'), Buffer.from('b;ü\n', 'latin1')]);
    const d = new EightBitDecoder('utf-8', false, 10).decode(buf);
    expect(d.bad).toEqual([1]);
    expect(d.alt).toEqual([]);
  });
});

describe('fields', () => {
  it('splits with quotes and doubled quotes', () => {
    expect(splitFields('a;"b;c";"d""e";"1.512"', ';', '"')).toEqual(['a', 'b;c', 'd"e', '1.512']);
    expect(splitFields('a;b;;', ';', '"')).toEqual(['a', 'b', '', '']);
    expect(splitFields('a;"open', ';', '"')).toBeNull();
    expect(splitFields('a,"x, y",3', ',', '"')).toEqual(['a', 'x, y', '3']);
  });
  it('drops trailing empty fields', () => {
    expect(dropTrailingEmpty(['a', 'b', '', ' '])).toEqual(['a', 'b']);
  });
  it('matches headers exactly, then case-insensitively with collapsed whitespace', () => {
    const h = ['\uFEFFSozialraum', 'Untersuchte  Kinder', 'jahr'];
    expect(findHeader(h, 'Sozialraum')).toBe(0);
    expect(findHeader(h, 'untersuchte kinder')).toBe(1);
    expect(findHeader(h, 'Jahr')).toBe(2);
    expect(findHeader(h, 'Schuljahr')).toBe(-1);
  });
});

describe('numbers and symbols', () => {
  const de = new CellParser(symbols, 'comma', '.', true);
  const en = new CellParser(symbols, 'point', ',', false);
  const val = (p: CellParser, s: string, t: 'count' | 'number' | 'integer' = 'number') => {
    const err = p.parse(s, t, 'x');
    return err ? err.code : p.value;
  };
  it('parses German numbers', () => {
    expect(val(de, '1.344')).toBe(1344);
    expect(val(de, '1.234,5')).toBe(1234.5);
    expect(val(de, '13,4')).toBe(13.4);
    expect(val(de, ' 42 ')).toBe(42);
    expect(val(de, '-3,25')).toBe(-3.25);
    expect(val(de, '1.34')).toBe('invalid_number');
    expect(val(de, '12a')).toBe('invalid_number');
  });
  it('an unknown symbol gets the read.symbols hint with the full list to copy, a number the decimal hint', () => {
    const reason = (s: string) => de.parse(s, 'count', 'hze_faelle')!.reason;
    // the list to copy is the default's (config/schema.ts) with the unknown symbol added
    const list = [...symbols.missing, 'k.A.'].map((x) => JSON.stringify(x)).join(', ');
    expect(reason('k.A.')).toContain(
      `unter read.symbols.missing ergänzen – die Liste ersetzt die Vorgabe, also z. B. read: { symbols: { missing: [${list}] } }`,
    );
    expect(reason('k.A.')).not.toContain('read.decimal');
    expect(reason('1.34')).not.toContain('read.symbols');
    expect(reason('12a')).not.toContain('read.symbols');
  });
  it('parses point numbers', () => {
    expect(val(en, '1,234.5')).toBe(1234.5);
    expect(val(en, '13.4')).toBe(13.4);
    expect(val(en, '1e3')).toBe(1000);
    expect(val(en, '13,4')).toBe('invalid_number');
  });
  it('fast path equals Number() for decimals', () => {
    for (const s of ['28,9', '0,1', '100,3', '123456789,123456'])
      expect(fastNumber(s, 44, 46)).toBe(Number(s.replace(',', '.')));
    expect(fastNumber('1.2345', 44, 46)).toBeNaN();
  });
  it('symbols: zero, missing, suppressed', () => {
    expect(de.parse('-', 'count', 'x')).toBeNull();
    expect([de.value, de.flag]).toEqual([0, 0]);
    expect(de.parse('.', 'count', 'x')).toBeNull();
    expect([de.value, de.flag]).toEqual([null, FLAG_MISSING]);
    expect(de.parse('*', 'count', 'x')).toBeNull();
    expect([de.value, de.flag]).toEqual([null, FLAG_SUPPRESSED]);
    expect(de.parse('', 'count', 'x')).toBeNull();
    expect(de.flag).toBe(FLAG_MISSING);
  });
  it('provisional markers are stripped and reported', () => {
    expect(de.parse('123p', 'count', 'x')).toBeNull();
    expect([de.value, de.marker]).toEqual([123, 'p']);
    expect(de.parse('1.234 r', 'count', 'x')).toBeNull();
    expect([de.value, de.marker]).toEqual([1234, 'r']);
  });
  it('type rules: negative count, integer, huge', () => {
    expect(val(de, '-4', 'count')).toBe('negative_count');
    expect(val(de, '-4', 'number')).toBe(-4);
    expect(val(de, '2,5', 'integer')).toBe('not_integer');
    expect(val(de, '2', 'integer')).toBe(2);
    expect(val(de, '2000000000000000', 'count')).toBe('value_too_large');
  });
  it('booleans', () => {
    for (const [s, v] of [
      ['ja', true],
      ['Nein', false],
      ['j', true],
      ['N', false],
      ['1', true],
      ['0', false],
      ['TRUE', true],
      ['falsch', false],
      ['Wahr', true],
    ] as const) {
      expect(de.parse(s, 'boolean', 'x')).toBeNull();
      expect(de.value).toBe(v);
    }
    expect(de.parse('x', 'boolean', 'x')?.code).toBe('invalid_boolean');
    expect(de.parse('vielleicht', 'boolean', 'x')?.code).toBe('invalid_boolean');
    expect(de.parse('', 'boolean', 'x')).toBeNull();
    expect(de.value).toBeNull();
  });
  it('detects the number convention from sample cells', () => {
    expect(detectNumberFormat(['1.344', '850'], ';')).toEqual({ decimal: 'comma', thousands: '.' });
    expect(detectNumberFormat(['13,4', '127'], ';')).toEqual({ decimal: 'comma', thousands: '.' });
    expect(detectNumberFormat(['13.4', '127'], ',')).toEqual({ decimal: 'point', thousands: ',' });
    expect(detectNumberFormat(['1,234.5'], ';')).toEqual({ decimal: 'point', thousands: ',' });
    expect(detectNumberFormat(['12', '13'], ',').decimal).toBe('point');
    expect(detectNumberFormat(['12', '13'], ';').decimal).toBe('comma');
  });
});

describe('periods', () => {
  const kj = { column: 'jahr', kind: 'kalenderjahr' as const };
  const sjEnd = { column: 'sj', kind: 'schuljahr' as const, schuljahr_rule: 'end_year' as const };
  const sjStart = { column: 'sj', kind: 'schuljahr' as const, schuljahr_rule: 'start_year' as const };
  it('Kalenderjahr: year and Stichtag dates', () => {
    expect(parsePeriod('2023', kj, 'jahr')).toEqual({ ok: true, year: 2023 });
    expect(parsePeriod('31.12.2023', kj, 'jahr')).toEqual({ ok: true, year: 2023 });
    expect(parsePeriod('2023-12-31', kj, 'jahr')).toEqual({ ok: true, year: 2023 });
    expect(parsePeriod('2023/24', kj, 'jahr')).toMatchObject({ ok: false, code: 'period_kind_mismatch' });
    expect(parsePeriod('abc', kj, 'jahr')).toMatchObject({ ok: false, code: 'invalid_period' });
    expect(parsePeriod('', kj, 'jahr')).toMatchObject({ ok: false, code: 'missing_period' });
  });
  it('Schuljahr by rule', () => {
    expect(parsePeriod('2023/24', sjEnd, 'sj')).toEqual({ ok: true, year: 2024 });
    expect(parsePeriod('2023/2024', sjEnd, 'sj')).toEqual({ ok: true, year: 2024 });
    expect(parsePeriod('2023/24', sjStart, 'sj')).toEqual({ ok: true, year: 2023 });
    expect(parsePeriod('1999/00', sjEnd, 'sj')).toEqual({ ok: true, year: 2000 });
    expect(parsePeriod('2023/25', sjEnd, 'sj')).toMatchObject({ ok: false, code: 'invalid_period' });
    const r = parsePeriod('2023', sjEnd, 'sj');
    expect(r).toMatchObject({ ok: false, code: 'period_kind_mismatch' });
    if (!r.ok) expect(r.reason).toContain('end_year');
  });
});

describe('paths', () => {
  it('refuses relative patterns that leave the project', () => {
    expect(escapesProject('../daten/*.csv')).toBe(true);
    expect(escapesProject('daten/../../x.csv')).toBe(true);
    expect(escapesProject('daten/*.csv')).toBe(false);
    expect(escapesProject('/abs/../daten/x.csv')).toBe(false);
  });
});
