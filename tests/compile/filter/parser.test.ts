import { describe, expect, it } from 'vitest';
import {
  AndNode,
  BetweenNode,
  CompareNode,
  FilterSyntaxError,
  InNode,
  IsNullNode,
  Literal,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  NotNode,
  OrNode,
  parseFilter,
  renderFilter,
} from '../../../src/compile/filter/index.js';
import * as msg from '../../../src/compile/filter/messages.js';

const a = CompareNode.create('a', '=', Literal.number(1));
const b = CompareNode.create('b', '=', Literal.number(2));
const c = CompareNode.create('c', '=', Literal.number(3));

function syntaxError(text: string): FilterSyntaxError {
  try {
    parseFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a FilterSyntaxError for ${JSON.stringify(text)}`);
}

describe('parseFilter: constructs', () => {
  it.each([
    ['bmi_perzentil > 97', CompareNode.create('bmi_perzentil', '>', Literal.number(97))],
    ['x = 1', CompareNode.create('x', '=', Literal.number(1))],
    ['x == 1', CompareNode.create('x', '=', Literal.number(1))],
    ['x != -1', CompareNode.create('x', '!=', Literal.number(-1))],
    ['x <> 2.5', CompareNode.create('x', '!=', Literal.number(2.5))],
    ['x < 0', CompareNode.create('x', '<', Literal.number(0))],
    ['x <= 0.125', CompareNode.create('x', '<=', Literal.number(0.125))],
    ['x > -0.5', CompareNode.create('x', '>', Literal.number(-0.5))],
    ['x >= 007', CompareNode.create('x', '>=', Literal.number(7))],
    ["x = 'O''Neil'", CompareNode.create('x', '=', Literal.text("O'Neil"))],
    ["x = ''", CompareNode.create('x', '=', Literal.text(''))],
    ['x = \'a -- b /* c */ ; "d"\'', CompareNode.create('x', '=', Literal.text('a -- b /* c */ ; "d"'))],
    ['x = TRUE', CompareNode.create('x', '=', Literal.boolean(true))],
    ['x = false', CompareNode.create('x', '=', Literal.boolean(false))],
    ["code in ('a')", InNode.create('code', [Literal.text('a')])],
    ["code IN ( 'a' , 'b' )", InNode.create('code', [Literal.text('a'), Literal.text('b')])],
    ['k not in (1, 2, 3)', InNode.create('k', [1, 2, 3].map(Literal.number), true)],
    ['k between 1 and 3', BetweenNode.create('k', Literal.number(1), Literal.number(3))],
    ['k NOT BETWEEN -1 AND 1.5', BetweenNode.create('k', Literal.number(-1), Literal.number(1.5), true)],
    ['k is null', IsNullNode.create('k')],
    ['k Is Not Null', IsNullNode.create('k', true)],
    ['not a = 1', NotNode.create(a)],
    ['_x9 = 1', CompareNode.create('_x9', '=', Literal.number(1))],
    ['\t a=1\n', a],
  ])('%j', (text, node) => {
    expect(parseFilter(text)).toEqual(node);
  });

  it('returns frozen nodes', () => {
    const n = parseFilter("not (a = 1 or b in ('x', 'y'))");
    expect(Object.isFrozen(n)).toBe(true);
    const or = (n as NotNode).operand as OrNode;
    expect(Object.isFrozen(or)).toBe(true);
    expect(Object.isFrozen(or.operands)).toBe(true);
    expect(Object.isFrozen((or.operands[1] as InNode).values)).toBe(true);
    expect(Object.isFrozen((or.operands[1] as InNode).values[0])).toBe(true);
  });
});

describe('parseFilter: precedence and brackets', () => {
  it.each([
    ['a = 1 or b = 2 and c = 3', OrNode.create([a, AndNode.create([b, c])])],
    ['a = 1 and b = 2 or c = 3', OrNode.create([AndNode.create([a, b]), c])],
    ['(a = 1 or b = 2) and c = 3', AndNode.create([OrNode.create([a, b]), c])],
    ['not a = 1 and b = 2', AndNode.create([NotNode.create(a), b])],
    ['not (a = 1 and b = 2)', NotNode.create(AndNode.create([a, b]))],
    ['not not a = 1', NotNode.create(NotNode.create(a))],
    ['a = 1 or not b = 2 and c = 3', OrNode.create([a, AndNode.create([NotNode.create(b), c])])],
    ['a = 1 and b = 2 and c = 3', AndNode.create([a, b, c])],
    ['(a = 1 and b = 2) and c = 3', AndNode.create([a, b, c])],
    ['a = 1 or (b = 2 or c = 3)', OrNode.create([a, b, c])],
    ['((((a = 1))))', a],
    ['k between 1 and 2 and a = 1', AndNode.create([BetweenNode.create('k', Literal.number(1), Literal.number(2)), a])],
    ['a = 1 AND b = 2 Or c = 3', OrNode.create([AndNode.create([a, b]), c])],
  ])('%j', (text, node) => {
    expect(parseFilter(text)).toEqual(node);
  });
});

describe('renderFilter', () => {
  it.each([
    [
      "NOT (alter == 3 OR name <> 'O''Neil') AND ((c IS NOT NULL))",
      "not (alter = 3 or name != 'O''Neil') and c is not null",
    ],
    ['a=1 or b=2 and c=3', 'a = 1 or b = 2 and c = 3'],
    ['(a=1 or b=2) and c=3', '(a = 1 or b = 2) and c = 3'],
    ['not (not a = 1)', 'not not a = 1'],
    ['not (k in (1,2))', 'not k in (1, 2)'],
    ['k not in (1,2)', 'k not in (1, 2)'],
    ['k NOT between 1.50 and 002', 'k not between 1.5 and 2'],
    ['x = 0.0000001', 'x = 0.0000001'],
    ['x = -0', 'x = 0'],
    ['x = 123456789012345.5', 'x = 123456789012345.5'],
    ["x = TRUE or y = 'ä😀'", "x = true or y = 'ä😀'"],
  ])('%j -> %j', (text, rendered) => {
    expect(renderFilter(parseFilter(text))).toBe(rendered);
    expect(renderFilter(parseFilter(rendered))).toBe(rendered);
  });

  it('renders hand-built nested nodes with the brackets they need', () => {
    const nested = AndNode.create([OrNode.create([a, b]), NotNode.create(OrNode.create([b, c]))]);
    expect(renderFilter(nested)).toBe('(a = 1 or b = 2) and not (b = 2 or c = 3)');
    expect(parseFilter(renderFilter(nested))).toEqual(nested);
  });
});

describe('parseFilter: syntax errors', () => {
  it.each([
    ['bmi_perzentil 90', msg.expected(msg.WHAT.compare, 'bmi_perzentil'), 15],
    ['alter >= 3 and x;', msg.unexpectedChar(';'), 17],
    ['x = 1; DROP TABLE t', msg.unexpectedChar(';'), 6],
    ['"x" = 1', msg.unexpectedChar('"'), 1],
    ['x = 1 -- c', msg.comment('--'), 7],
    ['x = 1 /* c */', msg.comment('/* */'), 7],
    ['x = 1 + 1', msg.unexpectedChar('+'), 7],
    ['x = -y', msg.unexpectedChar('-'), 5],
    ['x = y', msg.expected(msg.WHAT.value, '='), 5],
    ['x = null', msg.expected(msg.WHAT.value, '='), 5],
    ['lower(x) = 1', msg.functionCall('lower'), 1],
    ['X = 1', msg.upperCaseColumn('X'), 1],
    ['x = 1e5', msg.badNumber('1e5'), 5],
    ['x = 2.', msg.badNumber('2.'), 5],
    ['x = .5', msg.unexpectedChar('.'), 5],
    ['x = 90abc', msg.badNumber('90abc'), 5],
    ['x = 9007199254740992', msg.numberTooLarge('9007199254740992'), 5],
    ["x = 'abc", msg.unterminatedText(), 5],
    ["x = 'a\nb'", msg.controlInText('\n'), 7],
    ["x = 'a\rb'", msg.controlInText('\r'), 7],
    ['x = 1 y = 2', msg.expected(msg.WHAT.end, '1'), 7],
    ['x = 2,5', msg.expected(msg.WHAT.end, '2'), 6],
    ['(x = 1', msg.expected(msg.WHAT.closeParen, '1'), 7],
    ['x = 1)', msg.unmatchedParen(), 6],
    ['()', msg.expected(msg.WHAT.column, '('), 2],
    ['x in ()', msg.expected(msg.WHAT.value, '('), 7],
    ['x in (1,)', msg.expected(msg.WHAT.value, ','), 9],
    ['x in (1 2)', msg.expected(msg.WHAT.commaOrClose, '1'), 9],
    ['x in 1', msg.expected(msg.WHAT.openParen, 'in'), 6],
    ['x between 1 or 2', msg.expected(msg.WHAT.and, '1'), 13],
    ['x is 1', msg.expected(msg.WHAT.null, 'is'), 6],
    ['x not = 1', msg.expected(msg.WHAT.inOrBetween, 'not'), 7],
    ['x like 1', msg.expected(msg.WHAT.compare, 'x'), 3],
    ['1 = x', msg.expected(msg.WHAT.column), 1],
    ['and = 1', msg.expected(msg.WHAT.column), 1],
    ['a = 1 and', msg.expected(msg.WHAT.column, 'and'), 10],
    ['not', msg.expected(msg.WHAT.column, 'not'), 4],
    ['x = ', msg.expected(msg.WHAT.value, '='), 5],
    ['größe = 1', msg.unexpectedChar('ö'), 3],
    ['x = ‘a’', msg.unexpectedChar('‘'), 5],
    ['😀 = 1', msg.unexpectedChar('😀'), 1],
    ["x = '😀' ; ", msg.unexpectedChar(';'), 9], // the emoji is one character
    ['', msg.emptyFilter(), 1],
    ['   ', msg.emptyFilter(), 1],
    ['x = 1\u0000', msg.unexpectedChar('\u0000'), 6],
  ])('%j', (text, detail, position) => {
    const e = syntaxError(text);
    expect(e.detail).toBe(detail);
    expect(e.position).toBe(position);
    expect(e.message.startsWith(`${detail} an Position ${position}`)).toBe(true);
  });

  it('formats the message as in the brief', () => {
    expect(syntaxError('alter >= 3 and x;').message).toMatch(/^Unerwartetes Zeichen ";" an Position 17/);
    expect(syntaxError('bmi_perzentil 90').message).toMatch(
      /^erwartet: Vergleichsoperator nach "bmi_perzentil" an Position 15 \(möglich sind =, !=/,
    );
    expect(syntaxError('x = 2,5').hint).toBe(msg.HINT.decimalComma);
    expect(syntaxError('x =').hint).toContain(msg.HINT.end);
  });

  it('limits length and depth', () => {
    const long = 'x = 1 or '.repeat(300) + 'x = 1';
    expect(long.length).toBeGreaterThan(MAX_FILTER_LENGTH);
    expect(syntaxError(long)).toMatchObject({
      detail: msg.tooLong(long.length, MAX_FILTER_LENGTH),
      position: MAX_FILTER_LENGTH + 1,
    });

    const ok = '('.repeat(MAX_FILTER_DEPTH) + 'x = 1' + ')'.repeat(MAX_FILTER_DEPTH);
    expect(parseFilter(ok)).toEqual(CompareNode.create('x', '=', Literal.number(1)));
    const deep = '('.repeat(MAX_FILTER_DEPTH + 1) + 'x = 1' + ')'.repeat(MAX_FILTER_DEPTH + 1);
    expect(syntaxError(deep)).toMatchObject({ detail: msg.tooDeep(MAX_FILTER_DEPTH), position: MAX_FILTER_DEPTH + 1 });
    expect(syntaxError('not '.repeat(MAX_FILTER_DEPTH + 1) + 'x = 1').detail).toBe(msg.tooDeep(MAX_FILTER_DEPTH));
    expect(syntaxError('not ('.repeat(30) + 'x = 1' + ')'.repeat(30)).detail).toBe(msg.tooDeep(MAX_FILTER_DEPTH));
  });

  it('throws a TypeError for a non-string', () => {
    expect(() => parseFilter(undefined as unknown as string)).toThrow(TypeError);
  });
});
