import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../src/config/schema.js';
import { checkFilter, Literal, parseFilter } from '../../../src/compile/filter/index.js';
import * as msg from '../../../src/compile/filter/messages.js';
import { COLUMNS } from './fixture.js';

const check = (text: string, columns: ReadonlyMap<string, ColumnType> = COLUMNS) =>
  checkFilter(parseFilter(text), columns);
const declared = [...COLUMNS.keys()].sort();

describe('checkFilter', () => {
  it.each([
    'bmi_perzentil > 97',
    'klasse = 2.5',
    'kinder between 0 and 10',
    "code in ('a', 'b')",
    "code < 'b'",
    'geimpft = true and geimpft != false',
    'geimpft in (true) or geimpft not in (false)',
    'code is null and geimpft is not null',
    'not (id = 1 or id = 2)',
  ])('accepts %j', (text) => {
    expect(check(text)).toEqual([]);
  });

  it('names an unknown column once, lists the declared ones and suggests a near one', () => {
    expect(check('bmi > 97 or bmi < 3 or klase = 1')).toEqual([
      { code: 'unknown_column', column: 'bmi', message: msg.unknownColumn('bmi', declared, 'bmi_perzentil') },
      { code: 'unknown_column', column: 'klase', message: msg.unknownColumn('klase', declared, 'klasse') },
    ]);
    expect(msg.unknownColumn('bmi', declared, 'bmi_perzentil')).toBe(
      'Unbekannte Spalte "bmi" im Filter. Deklarierte Spalten der Quelle: bmi_perzentil, code, geimpft, id, kinder, klasse. Meinten Sie "bmi_perzentil"?',
    );
    expect(check('zzz is null')[0]?.message).toBe(msg.unknownColumn('zzz', declared));
    expect(check('x = 1', new Map())[0]?.message).toMatch(/keine Spalten/);
  });

  it.each<[string, string, ColumnType, Parameters<typeof Literal.number>[0] | string | boolean]>([
    ["bmi_perzentil > '97'", 'bmi_perzentil', 'number', '97'],
    ['klasse = true', 'klasse', 'integer', true],
    ["kinder in (1, 'zwei')", 'kinder', 'count', 'zwei'],
    ["kinder between 1 and 'x'", 'kinder', 'count', 'x'],
    ['code = 5558', 'code', 'text', 5558],
    ['code in (true)', 'code', 'text', true],
    ['geimpft = 1', 'geimpft', 'boolean', 1],
    ["geimpft not in ('ja')", 'geimpft', 'boolean', 'ja'],
  ])('type mismatch: %j', (text, column, type, value) => {
    const lit =
      typeof value === 'number'
        ? Literal.number(value)
        : typeof value === 'string'
          ? Literal.text(value)
          : Literal.boolean(value);
    const shown = typeof value === 'string' ? `'${value}'` : String(value);
    expect(check(text)).toEqual([
      { code: 'type_mismatch', column, message: msg.typeMismatch(column, type, lit, shown) },
    ]);
  });

  it('explains the fix in German', () => {
    expect(check('code = 5558')[0]?.message).toBe(
      'Spalte "code" ist Text (text), der Wert 5558 ist aber eine Zahl; Text in einfache Anführungszeichen setzen, z. B. code = \'5558\'',
    );
    expect(check("klasse = '3'")[0]?.message).toBe(
      "Spalte \"klasse\" ist ganze Zahl (integer), der Wert '3' ist aber Text; Zahlen ohne Anführungszeichen schreiben: 3 statt '3'",
    );
  });

  it.each([
    ['geimpft < true', '<'],
    ['geimpft >= false', '>='],
    ['geimpft between false and true', 'between'],
  ] as const)('ordering a boolean is a mismatch: %j', (text, op) => {
    expect(check(text)).toEqual([
      { code: 'type_mismatch', column: 'geimpft', message: msg.orderOnBoolean('geimpft', op) },
    ]);
  });

  it('collects all problems, in filter order', () => {
    expect(check("code = 1 and nix = 2 or geimpft > true and klasse = 'a'").map((p) => [p.code, p.column])).toEqual([
      ['type_mismatch', 'code'],
      ['unknown_column', 'nix'],
      ['type_mismatch', 'geimpft'],
      ['type_mismatch', 'klasse'],
    ]);
  });
});
