/**
 * Lexer of the filter language. It scans lazily, one token ahead of the
 * parser, so the first problem *by position* is the one reported.
 *
 * Why so strict: everything that is not a column, a literal, an operator,
 * a bracket, a comma or a keyword is rejected here, so comments, statement
 * separators, double-quoted identifiers and arithmetic never reach SQL.
 */
import type { CompareOp } from './ast.js';
import { FilterSyntaxError, positionOf } from './errors.js';
import * as msg from './messages.js';

export const KEYWORDS = ['and', 'or', 'not', 'in', 'between', 'is', 'null', 'true', 'false'] as const;
export type Keyword = (typeof KEYWORDS)[number];
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/** `index` is the 0-based UTF-16 offset; `text` the source text of the token. */
export type Token = { readonly index: number; readonly text: string } & (
  | { readonly type: 'ident' }
  | { readonly type: 'keyword'; readonly keyword: Keyword }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'op'; readonly op: CompareOp }
  | { readonly type: '(' | ')' | ',' | 'eof' }
);

const OPS: Readonly<Record<string, CompareOp>> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const COLUMN = /^[a-z_][a-z0-9_]*$/;
/** Characters that may not appear inside text: they would break an SQL `--` comment or a log line. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const TYPOGRAPHIC_QUOTES = '‘’‚‛“”„‟‹›«»´`';

export class Lexer {
  private i = 0;
  private ahead: Token | undefined;

  constructor(readonly source: string) {}

  peek(): Token {
    this.ahead ??= this.scan();
    return this.ahead;
  }

  next(): Token {
    const t = this.peek();
    this.ahead = undefined;
    return t;
  }

  /** Syntax error at a UTF-16 offset of the source. */
  error(index: number, detail: string, hint?: string): FilterSyntaxError {
    return new FilterSyntaxError(detail, positionOf(this.source, index), hint);
  }

  private scan(): Token {
    const s = this.source;
    while (this.i < s.length && /\s/.test(s.charAt(this.i))) this.i++;
    const start = this.i;
    if (start >= s.length) return { type: 'eof', index: start, text: '' };
    const ch = s.charAt(start);
    const two = s.slice(start, start + 2);

    if (ch === '(' || ch === ')' || ch === ',') {
      this.i++;
      return { type: ch, index: start, text: ch };
    }
    const op = OPS[two] !== undefined ? two : OPS[ch] !== undefined ? ch : undefined;
    if (op !== undefined) {
      this.i += op.length;
      return { type: 'op', op: OPS[op] as CompareOp, index: start, text: op };
    }
    if (two === '--') throw this.error(start, msg.comment('--'));
    if (two === '/*') throw this.error(start, msg.comment('/* */'));
    if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(s.charAt(start + 1)))) return this.number(start);
    if (ch === "'") return this.text(start);
    if (/[A-Za-z_]/.test(ch)) return this.word(start);
    throw this.unexpected(start);
  }

  private number(start: number): Token {
    NUMBER.lastIndex = start;
    const text = (NUMBER.exec(this.source) as RegExpExecArray)[0];
    this.i = start + text.length;
    // "2.5.1", "1e5", "90abc", "2." are one broken number, not a number and a word.
    if (/[A-Za-z0-9_.]/.test(this.source.charAt(this.i))) {
      const rest = /^[A-Za-z0-9_.]*/.exec(this.source.slice(this.i)) as RegExpExecArray;
      throw this.error(start, msg.badNumber(text + rest[0]), msg.HINT.number);
    }
    const value = Number(text);
    if (!(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) {
      throw this.error(start, msg.numberTooLarge(text), msg.HINT.numberRange);
    }
    return { type: 'number', value: Object.is(value, -0) ? 0 : value, index: start, text };
  }

  private text(start: number): Token {
    const s = this.source;
    let value = '';
    let i = start + 1;
    for (;;) {
      if (i >= s.length) throw this.error(start, msg.unterminatedText());
      const ch = s.charAt(i);
      if (ch === "'") {
        if (s.charAt(i + 1) !== "'") break;
        value += "'";
        i += 2;
        continue;
      }
      if (CONTROL.test(ch)) throw this.error(i, msg.controlInText(ch), msg.HINT.controlInText);
      value += ch;
      i++;
    }
    this.i = i + 1;
    return { type: 'text', value, index: start, text: s.slice(start, this.i) };
  }

  private word(start: number): Token {
    WORD.lastIndex = start;
    const text = (WORD.exec(this.source) as RegExpExecArray)[0];
    this.i = start + text.length;
    const lower = text.toLowerCase();
    if (KEYWORD_SET.has(lower)) return { type: 'keyword', keyword: lower as Keyword, index: start, text };
    if (!COLUMN.test(text)) throw this.error(start, msg.upperCaseColumn(text), msg.HINT.lowerCase(text));
    return { type: 'ident', index: start, text };
  }

  private unexpected(index: number): FilterSyntaxError {
    const cp = this.source.codePointAt(index) ?? 0;
    const ch = String.fromCodePoint(cp);
    const hint =
      ch === ';'
        ? msg.HINT.semicolon
        : ch === '"'
          ? msg.HINT.doubleQuote
          : TYPOGRAPHIC_QUOTES.includes(ch)
            ? msg.HINT.typographicQuote
            : '+-*/%^|&'.includes(ch)
              ? msg.HINT.arithmetic
              : /\p{L}/u.test(ch)
                ? msg.HINT.letter
                : undefined;
    return this.error(index, msg.unexpectedChar(ch), hint);
  }
}
