import { describe, expect, it } from 'vitest';
import { AndNode, CompareNode, InNode, Literal, NotNode, OrNode, visit } from '../../../src/compile/filter/index.js';
import type { FilterVisitor } from '../../../src/compile/filter/index.js';

const a = CompareNode.create('a', '=', Literal.number(1));
const b = CompareNode.create('b', '=', Literal.text('x'));

describe('filter nodes', () => {
  it('flatten nested and/or of the same kind and freeze everything', () => {
    const n = AndNode.create([AndNode.create([a, b]), OrNode.create([a, b])]);
    expect(n.operands.map((o) => o.kind)).toEqual(['compare', 'compare', 'or']);
    expect(Object.isFrozen(n) && Object.isFrozen(n.operands)).toBe(true);
    expect(AndNode.is(n) && !OrNode.is(n) && NotNode.is(NotNode.create(n))).toBe(true);
  });

  it('refuse malformed nodes', () => {
    expect(() => AndNode.create([a])).toThrow(RangeError);
    expect(() => InNode.create('a', [])).toThrow(RangeError);
    expect(() => Literal.number(Number.NaN)).toThrow(RangeError);
    expect(() => Literal.number(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('dispatch by kind through a visitor that must handle every kind', () => {
    const kinds: FilterVisitor<string> = {
      and: () => 'and',
      or: () => 'or',
      not: () => 'not',
      compare: (n) => `compare ${n.op}`,
      in: () => 'in',
      between: () => 'between',
      is_null: () => 'is_null',
    };
    expect(visit(a, kinds)).toBe('compare =');
    // @ts-expect-error: `is_null` is missing, so this does not type-check
    const incomplete: FilterVisitor<string> = {
      and: () => '',
      or: () => '',
      not: () => '',
      compare: () => '',
      in: () => '',
      between: () => '',
    };
    expect(Object.keys(incomplete)).toHaveLength(6);
  });
});
