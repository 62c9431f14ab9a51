/**
 * Property-based tests (fast-check, fixed seed, bounded runs).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AndNode,
  BetweenNode,
  CompareNode,
  FilterSyntaxError,
  InNode,
  IsNullNode,
  Literal,
  MAX_FILTER_LENGTH,
  NotNode,
  OrNode,
  checkFilter,
  compileFilter,
  parseFilter,
  renderFilter,
  visit,
} from '../../../src/compile/filter/index.js';
import type { CompareOp, FilterNode, FilterVisitor, LiteralNode } from '../../../src/compile/filter/index.js';
import { KEYWORDS } from '../../../src/compile/filter/tokenizer.js';
import { evaluate } from './evaluate.js';
import { COLUMNS, ROWS, openFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

const SEED = 20260611;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

// ---- arbitraries ----------------------------------------------------------------------------

const OPS: readonly CompareOp[] = ['=', '!=', '<', '<=', '>', '>='];
const keywords: ReadonlySet<string> = new Set(KEYWORDS);
const column = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/).filter((s) => !keywords.has(s));
const number = fc
  .oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 })).map(([m, e]) => m / 10 ** e),
    fc.constantFrom(0.1 + 0.2, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1 / 3),
  )
  .map((v) => v || 0); // no -0: it renders as 0
const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/[\p{Cc}\u2028\u2029]/u.test(s));
const literal: fc.Arbitrary<LiteralNode> = fc.oneof(
  number.map(Literal.number),
  text.map(Literal.text),
  fc.boolean().map(Literal.boolean),
);

/** Column tests on `col` with values from `lit`; `ordered` allows <, <=, >, >= and between. */
function leaves(col: fc.Arbitrary<string>, lit: fc.Arbitrary<LiteralNode>, ordered = true): fc.Arbitrary<FilterNode> {
  return fc.oneof(
    fc
      .tuple(col, fc.constantFrom(...(ordered ? OPS : OPS.slice(0, 2))), lit)
      .map(([c, op, v]) => CompareNode.create(c, op, v)),
    fc
      .tuple(col, fc.array(lit, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([c, vs, neg]) => InNode.create(c, vs, neg)),
    ...(ordered
      ? [fc.tuple(col, lit, lit, fc.boolean()).map(([c, lo, hi, neg]) => BetweenNode.create(c, lo, hi, neg))]
      : []),
    fc.tuple(col, fc.boolean()).map(([c, neg]) => IsNullNode.create(c, neg)),
  );
}

/** and/or/not trees over `leaf`, at most 3 levels deep and within the length limit. */
function trees(leaf: fc.Arbitrary<FilterNode>): fc.Arbitrary<FilterNode> {
  const { node } = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      leaf,
      fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((ops) => AndNode.create(ops)),
      fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((ops) => OrNode.create(ops)),
      tie('node').map((n) => NotNode.create(n)),
    ),
  }));
  return node.filter((n) => renderFilter(n).length <= MAX_FILTER_LENGTH);
}

const anyNode = trees(leaves(column, literal));

function literals(node: FilterNode): LiteralNode[] {
  const out: LiteralNode[] = [];
  const v: FilterVisitor<void> = {
    and: (n) => n.operands.forEach((o) => visit(o, v)),
    or: (n) => n.operands.forEach((o) => visit(o, v)),
    not: (n) => visit(n.operand, v),
    compare: (n) => void out.push(n.value),
    in: (n) => void out.push(...n.values),
    between: (n) => void out.push(n.low, n.high),
    is_null: () => undefined,
  };
  visit(node, v);
  return out;
}

// ---- properties -----------------------------------------------------------------------------

describe('parseFilter on random input', () => {
  const fragments = fc.constantFrom(
    'klasse',
    'code',
    'x',
    '=',
    '==',
    '!=',
    '<>',
    '<',
    '<=',
    '>',
    '>=',
    '!',
    '(',
    ')',
    ',',
    "'",
    "''",
    "'a'",
    'and',
    'OR',
    'not',
    'in',
    'between',
    'is',
    'null',
    'true',
    'false',
    '1',
    '-2.5',
    '2.',
    '-',
    ';',
    '"',
    '--',
    '/*',
    '*/',
    ' ',
    '\n',
    '😀',
    'ä',
    '\u0000',
    '$1',
    'select',
  );
  const inputs = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...'xk_ =<>!(),\'"-.0123456789aAnotdrisbew;'), maxLength: 120 }),
    fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join(' ')),
    fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join('')),
    // Near misses: a valid filter with one fragment inserted, or a stretch deleted.
    fc.tuple(anyNode, fc.nat(), fc.nat({ max: 5 }), fragments).map(([node, at, cut, frag]) => {
      const t = renderFilter(node);
      const i = at % (t.length + 1);
      return cut === 0 ? t.slice(0, i) + frag + t.slice(i) : t.slice(0, i) + t.slice(i + cut);
    }),
  );

  it('returns a node or throws FilterSyntaxError with a position inside the text, never anything else', () => {
    let parsed = 0;
    fc.assert(
      fc.property(inputs, (input) => {
        const started = performance.now();
        try {
          const node = parseFilter(input);
          parsed++;
          expect(renderFilter(parseFilter(renderFilter(node)))).toBe(renderFilter(node));
        } catch (e) {
          if (!(e instanceof FilterSyntaxError)) throw e;
          expect(e.position).toBeGreaterThanOrEqual(1);
          expect(e.position).toBeLessThanOrEqual([...input].length + 1);
          expect(e.message).toMatch(/ an Position \d+/);
        }
        expect(performance.now() - started).toBeLessThan(200);
      }),
      params(500),
    );
    expect(parsed).toBeGreaterThan(20); // the near misses reach the parser's accepting paths too
  });
});

describe('random ASTs', () => {
  it('render -> parse gives the same node, and rendering is stable', () => {
    fc.assert(
      fc.property(anyNode, (node) => {
        const text = renderFilter(node);
        const reparsed = parseFilter(text);
        expect(reparsed).toEqual(node);
        expect(renderFilter(reparsed)).toBe(text);
      }),
      params(500),
    );
  });

  it('compiled SQL holds every value as a parameter and no value text', () => {
    fc.assert(
      fc.property(anyNode, fc.array(fc.string(), { maxLength: 3 }), (node, before) => {
        const p: unknown[] = [...before];
        const sql = compileFilter(node, p);
        expect(p).toEqual([...before, ...literals(node).map((l) => l.value)]);
        const skeleton = sql.replace(/"[a-z_][a-z0-9_]*"/g, '');
        expect(skeleton).toMatch(/^(?:[()\s,]|\$\d+|AND|OR|NOT|IN|BETWEEN|IS|NULL|=|<>|<=|>=|<|>)*$/);
        const placeholders = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
        expect(placeholders).toEqual(p.map((_, i) => i + 1).slice(before.length));
        for (const lit of literals(node)) {
          // A value made only of skeleton characters could occur by chance; any other cannot.
          if (lit.type === 'text' && /[^A-Z0-9$()\s,<>=]/.test(lit.value)) expect(sql).not.toContain(lit.value);
        }
      }),
      params(500),
    );
  });
});

describe('compiled random filters in DuckDB', () => {
  let db: Fixture;
  beforeAll(async () => {
    db = await openFixture();
  });
  afterAll(() => db.close());

  const numbers = fc.constantFrom(-2, -1, 0, 1, 2, 2.5, 3, 4, 7, 12, 50.25, 90, 97, 97.5, 99.9, 1e10);
  const texts = fc.constantFrom('', 'a', 'b', 'c', 'A', "O'Neil", 'ä😀', "1' OR '1'='1");
  const typed = (type: string): fc.Arbitrary<LiteralNode> =>
    type === 'text'
      ? texts.map(Literal.text)
      : type === 'boolean'
        ? fc.boolean().map(Literal.boolean)
        : numbers.map(Literal.number);
  const typedLeaf = fc.constantFrom(...COLUMNS.keys()).chain((c) => {
    const type = COLUMNS.get(c) as string;
    return leaves(fc.constant(c), typed(type), type !== 'boolean');
  });

  it('select the rows a three-valued reference evaluator selects', async () => {
    await fc.assert(
      fc.asyncProperty(trees(typedLeaf), async (node) => {
        expect(checkFilter(node, COLUMNS)).toEqual([]);
        const expected = ROWS.filter((r) => evaluate(node, r) === true).map((r) => r.id);
        expect(await db.ids(node)).toEqual(expected);
      }),
      params(300),
    );
  });
});
