/**
 * Recursive-descent parser of the filter language:
 *
 * ```
 * expr    := or
 * or      := and ('or' and)*
 * and     := unary ('and' unary)*
 * unary   := 'not' unary | primary
 * primary := '(' expr ')'
 *          | column cmp literal
 *          | column ['not'] 'in' '(' literal (',' literal)* ')'
 *          | column ['not'] 'between' literal 'and' literal
 *          | column 'is' ['not'] 'null'
 * ```
 *
 * Input length and nesting depth are bounded, so no input can hang the parser
 * or overflow the stack; every other problem is a {@link FilterSyntaxError}.
 */
import { AndNode, BetweenNode, CompareNode, InNode, IsNullNode, Literal, NotNode, OrNode } from './ast.js';
import type { FilterNode, LiteralNode } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import * as msg from './messages.js';
import { Lexer } from './tokenizer.js';
import type { Keyword, Token } from './tokenizer.js';

/** Longest accepted filter, in UTF-16 code units. */
export const MAX_FILTER_LENGTH = 2000;
/** Deepest accepted nesting of brackets and `not`. */
export const MAX_FILTER_DEPTH = 50;

/**
 * Parse a filter into a frozen {@link FilterNode}. Keywords are case-insensitive,
 * `==` means `=`, `<>` means `!=`; nested `and`/`or` are flattened.
 *
 * @throws FilterSyntaxError with a German message and a 1-based position.
 * @example
 * parseFilter("bmi_perzentil > 97 AND geschlecht in ('w', 'm')")
 * // { kind: 'and', operands: [
 * //   { kind: 'compare', column: 'bmi_perzentil', op: '>', value: { kind: 'literal', type: 'number', value: 97 } },
 * //   { kind: 'in', column: 'geschlecht', negated: false, values: [ …'w'…, …'m'… ] } ] }
 * parseFilter('bmi_perzentil 90')
 * // throws FilterSyntaxError: erwartet: Vergleichsoperator nach "bmi_perzentil" an Position 15 (möglich sind =, !=, …)
 */
export function parseFilter(text: string): FilterNode {
  if (typeof text !== 'string') throw new TypeError('parseFilter: text must be a string');
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(msg.tooLong(text.length, MAX_FILTER_LENGTH), MAX_FILTER_LENGTH + 1);
  }
  if (text.trim() === '') throw new FilterSyntaxError(msg.emptyFilter(), 1);
  return new Parser(new Lexer(text)).parse();
}

class Parser {
  private depth = 0;
  /** The last consumed token, named in "erwartet: … nach …" messages. */
  private last: Token | undefined;

  constructor(private readonly lex: Lexer) {}

  parse(): FilterNode {
    const node = this.or();
    const t = this.lex.peek();
    if (t.type !== 'eof') {
      if (t.type === ')') throw this.lex.error(t.index, msg.unmatchedParen());
      const hint = t.type === ',' && this.last?.type === 'number' ? msg.HINT.decimalComma : undefined;
      throw this.expected(msg.WHAT.end, t, hint);
    }
    return node;
  }

  private or(): FilterNode {
    const operands = [this.and()];
    while (this.isKeyword('or')) {
      this.take();
      operands.push(this.and());
    }
    return operands.length === 1 ? (operands[0] as FilterNode) : OrNode.create(operands);
  }

  private and(): FilterNode {
    const operands = [this.unary()];
    while (this.isKeyword('and')) {
      this.take();
      operands.push(this.unary());
    }
    return operands.length === 1 ? (operands[0] as FilterNode) : AndNode.create(operands);
  }

  private unary(): FilterNode {
    if (!this.isKeyword('not')) return this.primary();
    this.enter(this.take());
    const operand = this.unary();
    this.depth--;
    return NotNode.create(operand);
  }

  private primary(): FilterNode {
    const t = this.lex.peek();
    if (t.type === '(') {
      this.enter(this.take());
      const node = this.or();
      this.expect(')', msg.WHAT.closeParen);
      this.depth--;
      return node;
    }
    if (t.type !== 'ident') {
      const hint =
        t.type === 'keyword'
          ? msg.HINT.keywordAsColumn(t.text.toLowerCase())
          : t.type === 'number' || t.type === 'text'
            ? msg.HINT.columnLeft
            : msg.HINT.column;
      throw this.expected(msg.WHAT.column, t, hint);
    }
    const column = this.take().text;
    const t2 = this.lex.peek();
    if (t2.type === 'op') {
      this.take();
      return CompareNode.create(column, t2.op, this.literal());
    }
    if (t2.type === '(') throw this.lex.error(t.index, msg.functionCall(column), msg.HINT.functions);
    if (t2.type !== 'keyword') throw this.expected(msg.WHAT.compare, t2, msg.HINT.operators);
    if (t2.keyword === 'is') {
      this.take();
      const negated = this.isKeyword('not');
      if (negated) this.take();
      this.expectKeyword('null', msg.WHAT.null);
      return IsNullNode.create(column, negated);
    }
    const negated = t2.keyword === 'not';
    if (negated) this.take();
    if (this.isKeyword('in')) {
      this.take();
      this.expect('(', msg.WHAT.openParen);
      const values = [this.literal()];
      while (this.lex.peek().type === ',') {
        this.take();
        values.push(this.literal());
      }
      this.expect(')', msg.WHAT.commaOrClose);
      return InNode.create(column, values, negated);
    }
    if (this.isKeyword('between')) {
      this.take();
      const low = this.literal();
      this.expectKeyword('and', msg.WHAT.and);
      return BetweenNode.create(column, low, this.literal(), negated);
    }
    throw this.expected(negated ? msg.WHAT.inOrBetween : msg.WHAT.compare, this.lex.peek(), msg.HINT.operators);
  }

  private literal(): LiteralNode {
    const t = this.lex.peek();
    if (t.type === 'number' || t.type === 'text') {
      this.take();
      return t.type === 'number' ? Literal.number(t.value) : Literal.text(t.value);
    }
    if (t.type === 'keyword' && (t.keyword === 'true' || t.keyword === 'false')) {
      this.take();
      return Literal.boolean(t.keyword === 'true');
    }
    const hint =
      t.type === 'ident'
        ? msg.HINT.columnVsColumn
        : t.type === 'keyword' && t.keyword === 'null'
          ? msg.HINT.compareNull
          : msg.HINT.values;
    throw this.expected(msg.WHAT.value, t, hint);
  }

  private take(): Token {
    this.last = this.lex.next();
    return this.last;
  }

  private isKeyword(k: Keyword): boolean {
    const t = this.lex.peek();
    return t.type === 'keyword' && t.keyword === k;
  }

  private expect(type: '(' | ')', what: string): void {
    const t = this.lex.peek();
    if (t.type !== type) throw this.expected(what, t);
    this.take();
  }

  private expectKeyword(k: Keyword, what: string): void {
    if (!this.isKeyword(k)) throw this.expected(what, this.lex.peek());
    this.take();
  }

  private enter(at: Token): void {
    if (++this.depth > MAX_FILTER_DEPTH) throw this.lex.error(at.index, msg.tooDeep(MAX_FILTER_DEPTH));
  }

  private expected(what: string, found: Token, hint?: string): FilterSyntaxError {
    const after = this.last?.text;
    const hints = [found.type === 'eof' ? msg.HINT.end : undefined, hint].filter((h) => h !== undefined);
    return this.lex.error(found.index, msg.expected(what, after), hints.length ? hints.join('; ') : undefined);
  }
}
