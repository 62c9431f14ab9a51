/**
 * A reference evaluator of filters in JS with SQL's three-valued logic
 * (null = unknown), used to check compiled SQL against DuckDB.
 */
import { visit } from '../../../src/compile/filter/index.js';
import type { CompareOp, FilterNode, FilterVisitor, LiteralNode } from '../../../src/compile/filter/index.js';
import type { Row } from './fixture.js';

type Tri = boolean | null;

function cmp(a: unknown, op: CompareOp, b: LiteralNode): Tri {
  if (a === null || a === undefined) return null;
  const x = a as number | string | boolean;
  const y = b.value;
  switch (op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === null || b === null ? null : true);
const or = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === null || b === null ? null : false);
const not = (a: Tri): Tri => (a === null ? null : !a);

export function evaluate(node: FilterNode, row: Row): Tri {
  const get = (c: string): unknown => (row as unknown as Record<string, unknown>)[c];
  const v: FilterVisitor<Tri> = {
    and: (n) => n.operands.map((o) => evaluate(o, row)).reduce(and),
    or: (n) => n.operands.map((o) => evaluate(o, row)).reduce(or),
    not: (n) => not(evaluate(n.operand, row)),
    compare: (n) => cmp(get(n.column), n.op, n.value),
    in: (n) => {
      const r = n.values.map((l) => cmp(get(n.column), '=', l)).reduce(or);
      return n.negated ? not(r) : r;
    },
    between: (n) => {
      const r = and(cmp(get(n.column), '>=', n.low), cmp(get(n.column), '<=', n.high));
      return n.negated ? not(r) : r;
    },
    is_null: (n) => (get(n.column) === null) !== n.negated,
  };
  return visit(node, v);
}
