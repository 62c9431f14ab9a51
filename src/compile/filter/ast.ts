/**
 * Nodes of a parsed filter: readonly, frozen, tagged by `kind` (kysely's
 * operation nodes work the same way). Each node type has a same-named frozen
 * `{ is, create }` object; `create` freezes the node and its arrays.
 *
 * Values are {@link LiteralNode}s and only ever reach SQL as parameters
 * (see `compile.ts`); column names reach SQL only through `quoteIdent`.
 *
 * @example
 * CompareNode.create('bmi_perzentil', '>', Literal.number(97))
 * // { kind: 'compare', column: 'bmi_perzentil', op: '>', value: { kind: 'literal', type: 'number', value: 97 } }
 */

/** A value in a filter. Numbers are finite; text is any string without control characters. */
export type LiteralNode =
  | { readonly kind: 'literal'; readonly type: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly type: 'text'; readonly value: string }
  | { readonly kind: 'literal'; readonly type: 'boolean'; readonly value: boolean };

export type LiteralType = LiteralNode['type'];

/** Comparison operators after normalisation: `==` becomes `=`, `<>` becomes `!=`. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `a and b and …` (at least two operands; nested `and`s are flattened). */
export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly FilterNode[];
}
/** `a or b or …` (at least two operands; nested `or`s are flattened). */
export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly FilterNode[];
}
/** `not a`. */
export interface NotNode {
  readonly kind: 'not';
  readonly operand: FilterNode;
}
/** `column op literal`. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly column: string;
  readonly op: CompareOp;
  readonly value: LiteralNode;
}
/** `column [not] in (v1, v2, …)`. */
export interface InNode {
  readonly kind: 'in';
  readonly column: string;
  readonly negated: boolean;
  readonly values: readonly LiteralNode[];
}
/** `column [not] between low and high` (bounds inclusive, as in SQL). */
export interface BetweenNode {
  readonly kind: 'between';
  readonly column: string;
  readonly negated: boolean;
  readonly low: LiteralNode;
  readonly high: LiteralNode;
}
/** `column is [not] null`. */
export interface IsNullNode {
  readonly kind: 'is_null';
  readonly column: string;
  readonly negated: boolean;
}

/** A parsed filter expression (always boolean-valued). */
export type FilterNode = AndNode | OrNode | NotNode | CompareNode | InNode | BetweenNode | IsNullNode;
export type FilterKind = FilterNode['kind'];
/** Nodes that test one column. */
export type ColumnNode = CompareNode | InNode | BetweenNode | IsNullNode;

/**
 * One handler per node kind. Because this is a mapped type over every kind,
 * adding a kind to {@link FilterNode} fails to type-check until each visitor
 * (compile, render, check) handles it.
 */
export type FilterVisitor<R> = { readonly [K in FilterKind]: (node: Extract<FilterNode, { kind: K }>) => R };

/** Dispatch `node` to the handler for its kind. */
export function visit<R>(node: FilterNode, visitor: FilterVisitor<R>): R {
  return (visitor[node.kind] as (n: FilterNode) => R)(node);
}

/** Columns a filter reads, in order of appearance (repeats kept). */
export function filterNodeColumns(node: FilterNode): string[] {
  if (node.kind === 'and' || node.kind === 'or') return node.operands.flatMap(filterNodeColumns);
  if (node.kind === 'not') return filterNodeColumns(node.operand);
  return [node.column];
}

export const Literal = Object.freeze({
  is(x: unknown): x is LiteralNode {
    return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'literal';
  },
  number(value: number): LiteralNode {
    if (!Number.isFinite(value)) throw new RangeError(`filter number literal must be finite, got ${value}`);
    return Object.freeze({ kind: 'literal', type: 'number', value });
  },
  text(value: string): LiteralNode {
    return Object.freeze({ kind: 'literal', type: 'text', value });
  },
  boolean(value: boolean): LiteralNode {
    return Object.freeze({ kind: 'literal', type: 'boolean', value });
  },
});

function flatten(kind: 'and' | 'or', operands: readonly FilterNode[]): readonly FilterNode[] {
  const out = operands.flatMap((o) => (o.kind === kind ? o.operands : [o]));
  if (out.length < 2) throw new RangeError(`filter "${kind}" needs at least two operands`);
  return Object.freeze(out);
}

export const AndNode = Object.freeze({
  is: (node: FilterNode): node is AndNode => node.kind === 'and',
  create: (operands: readonly FilterNode[]): AndNode =>
    Object.freeze({ kind: 'and', operands: flatten('and', operands) }),
});

export const OrNode = Object.freeze({
  is: (node: FilterNode): node is OrNode => node.kind === 'or',
  create: (operands: readonly FilterNode[]): OrNode => Object.freeze({ kind: 'or', operands: flatten('or', operands) }),
});

export const NotNode = Object.freeze({
  is: (node: FilterNode): node is NotNode => node.kind === 'not',
  create: (operand: FilterNode): NotNode => Object.freeze({ kind: 'not', operand }),
});

export const CompareNode = Object.freeze({
  is: (node: FilterNode): node is CompareNode => node.kind === 'compare',
  create: (column: string, op: CompareOp, value: LiteralNode): CompareNode =>
    Object.freeze({ kind: 'compare', column, op, value }),
});

export const InNode = Object.freeze({
  is: (node: FilterNode): node is InNode => node.kind === 'in',
  create: (column: string, values: readonly LiteralNode[], negated = false): InNode => {
    if (values.length === 0) throw new RangeError('filter "in" needs at least one value');
    return Object.freeze({ kind: 'in', column, negated, values: Object.freeze([...values]) });
  },
});

export const BetweenNode = Object.freeze({
  is: (node: FilterNode): node is BetweenNode => node.kind === 'between',
  create: (column: string, low: LiteralNode, high: LiteralNode, negated = false): BetweenNode =>
    Object.freeze({ kind: 'between', column, negated, low, high }),
});

export const IsNullNode = Object.freeze({
  is: (node: FilterNode): node is IsNullNode => node.kind === 'is_null',
  create: (column: string, negated = false): IsNullNode => Object.freeze({ kind: 'is_null', column, negated }),
});
