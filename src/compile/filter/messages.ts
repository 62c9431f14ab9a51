/**
 * Every German message of the filter language, as builders (vega-lite's
 * `log/message.ts` does the same). Tests compare against these builders.
 * Syntax messages are the part before " an Position n"; hints go in brackets after it.
 */
import type { ColumnType } from './column-types.js';
import type { CompareOp, LiteralNode } from './ast.js';

/** Show one character: printable ones quoted, invisible ones as U+XXXX. */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (ch === '"') return `'"'`;
  if (/[\p{Cc}\p{Cf}\p{Z}\p{Cs}\p{Co}\p{Cn}]/u.test(ch)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${ch}"`;
}

export const END = 'Ende des Filters';

// Syntax (FilterSyntaxError.detail)
export const emptyFilter = (): string => 'Der Filter ist leer';
export const tooLong = (length: number, max: number): string =>
  `Der Filter ist zu lang (${length} Zeichen, höchstens ${max})`;
export const tooDeep = (max: number): string =>
  `Der Filter ist zu tief verschachtelt (mehr als ${max} Ebenen aus Klammern und "not")`;
export const unexpectedChar = (ch: string): string => `Unerwartetes Zeichen ${showChar(ch)}`;
export const comment = (marker: string): string => `Kommentare (${marker}) sind nicht erlaubt`;
export const badNumber = (text: string): string => `Ungültige Zahl "${text}"`;
export const numberTooLarge = (text: string): string => `Zahl "${text}" ist zu groß`;
export const unterminatedText = (): string => `Text ohne schließendes '`;
export const controlInText = (ch: string): string => `Steuerzeichen ${showChar(ch)} im Text`;
export const upperCaseColumn = (word: string): string => `Spaltenname "${word}" mit Großbuchstaben`;
export const functionCall = (name: string): string => `Funktionsaufrufe wie "${name}(" sind nicht erlaubt`;
export const expected = (what: string, after?: string): string =>
  `erwartet: ${what}${after !== undefined ? ` nach "${after.length > 30 ? after.slice(0, 29) + '…' : after}"` : ''}`;
export const unmatchedParen = (): string => 'Schließende Klammer ")" ohne öffnende';

export const WHAT = Object.freeze({
  column: 'Spaltenname',
  compare: 'Vergleichsoperator',
  value: 'Wert',
  closeParen: '")"',
  openParen: '"("',
  commaOrClose: '"," oder ")"',
  inOrBetween: '"in" oder "between"',
  and: '"and"',
  null: '"null"',
  end: `"and", "or" oder ${END}`,
});

// Hints (in brackets after the position)
export const HINT = Object.freeze({
  end: 'der Filter endet zu früh',
  column: 'ein Filter beginnt mit einem Spaltennamen, "not" oder "("',
  operators: 'möglich sind =, !=, <, <=, >, >=, in, not in, between, not between, is null, is not null',
  values: "eine Zahl wie 2.5, 'Text' in einfachen Anführungszeichen, true oder false",
  semicolon: 'ein Filter ist ein einzelner Ausdruck, ohne ";"',
  doubleQuote:
    "Text in einfache Anführungszeichen setzen, z. B. kreis = 'Coesfeld'; Spaltennamen ohne Anführungszeichen",
  typographicQuote: "nur das gerade Anführungszeichen ' ist erlaubt",
  arithmetic: 'Rechnen ist in Filtern nicht möglich; Spalten werden nur mit festen Werten verglichen',
  letter: 'Spaltennamen bestehen aus a-z, 0-9 und _',
  number: 'Zahlen mit Dezimalpunkt schreiben, z. B. 2.5; ohne Exponent',
  numberRange: `Zahlen bis ${Number.MAX_SAFE_INTEGER} sind möglich`,
  controlInText: 'Text darf keine Zeilenumbrüche oder Steuerzeichen enthalten',
  functions: 'Filter vergleichen Spalten nur mit festen Werten',
  columnVsColumn: 'Spalten können nur mit festen Werten verglichen werden, nicht mit anderen Spalten',
  columnLeft: 'die Spalte steht links, z. B. alter >= 3',
  compareNull: 'Vergleich mit null: "is null" oder "is not null" verwenden',
  decimalComma: 'Zahlen mit Dezimalpunkt schreiben, z. B. 2.5 statt 2,5',
  keywordAsColumn: (word: string): string => `"${word}" ist ein Schlüsselwort und kein Spaltenname`,
  lowerCase: (word: string): string => `Spaltennamen klein schreiben: "${word.toLowerCase()}"`,
});

// Semantic problems (FilterProblem.message)
const COLUMN_TYPE_DE: Record<ColumnType, string> = {
  count: 'Anzahl (count)',
  number: 'Zahl (number)',
  integer: 'ganze Zahl (integer)',
  text: 'Text (text)',
  boolean: 'ja/nein (boolean)',
};
const LITERAL_TYPE_DE: Record<LiteralNode['type'], string> = {
  number: 'eine Zahl',
  text: 'Text',
  boolean: 'ein Wahrheitswert',
};

export function unknownColumn(column: string, declared: readonly string[], suggestion?: string): string {
  const list = declared.length
    ? `Deklarierte Spalten der Quelle: ${declared.join(', ')}`
    : 'Die Quelle deklariert keine Spalten (columns:)';
  return `Unbekannte Spalte "${column}" im Filter. ${list}${suggestion ? `. Meinten Sie "${suggestion}"?` : ''}`;
}

export function typeMismatch(column: string, type: ColumnType, literal: LiteralNode, shown: string): string {
  const fix =
    type === 'text'
      ? `Text in einfache Anführungszeichen setzen, z. B. ${column} = '${literal.type === 'text' ? literal.value : String(literal.value)}'`
      : type === 'boolean'
        ? `true oder false verwenden, z. B. ${column} = true`
        : literal.type === 'text' && /^-?\d+(\.\d+)?$/.test(literal.value)
          ? `Zahlen ohne Anführungszeichen schreiben: ${literal.value} statt ${shown}`
          : `eine Zahl verwenden, z. B. ${column} >= 1`;
  return `Spalte "${column}" ist ${COLUMN_TYPE_DE[type]}, der Wert ${shown} ist aber ${LITERAL_TYPE_DE[literal.type]}; ${fix}`;
}

export function orderOnBoolean(column: string, op: CompareOp | 'between'): string {
  return `Spalte "${column}" ist ${COLUMN_TYPE_DE.boolean}: "${op}" ist dafür nicht möglich, nur =, !=, in und is null`;
}
