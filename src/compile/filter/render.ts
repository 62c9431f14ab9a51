/**
 * Canonical text of a filter, for `spm explain` and SQL comments: lower-case
 * keywords, `=` and `!=` as operators, single spaces, only the brackets that
 * precedence needs (not > and > or). Parsing the output gives the same text again.
 *
 * The output is a single line: the parser rejects line breaks and other
 * control characters inside text, so it is safe inside an SQL `--` comment.
 */
import { visit } from './ast.js';
import type { FilterNode, FilterVisitor, LiteralNode } from './ast.js';

/**
 * Render a filter in canonical form.
 *
 * @example
 * renderFilter(parseFilter("NOT (alter == 3 OR name <> 'O''Neil') AND ((c IS NOT NULL))"))
 * // "not (alter = 3 or name != 'O''Neil') and c is not null"
 */
export function renderFilter(node: FilterNode): string {
  return visit(node, renderers);
}

const renderers: FilterVisitor<string> = {
  // `or` inside `and` needs brackets; `and` inside `and` is flattened by the parser.
  and: (n) => n.operands.map((o) => (o.kind === 'or' ? `(${renderFilter(o)})` : renderFilter(o))).join(' and '),
  or: (n) => n.operands.map(renderFilter).join(' or '),
  not: (n) =>
    `not ${n.operand.kind === 'and' || n.operand.kind === 'or' ? `(${renderFilter(n.operand)})` : renderFilter(n.operand)}`,
  compare: (n) => `${n.column} ${n.op} ${renderLiteral(n.value)}`,
  in: (n) => `${n.column}${n.negated ? ' not' : ''} in (${n.values.map(renderLiteral).join(', ')})`,
  between: (n) => `${n.column}${n.negated ? ' not' : ''} between ${renderLiteral(n.low)} and ${renderLiteral(n.high)}`,
  is_null: (n) => `${n.column} is ${n.negated ? 'not ' : ''}null`,
};

/** `'O''Neil'`, `2.5`, `-1`, `true`. */
export function renderLiteral(lit: LiteralNode): string {
  switch (lit.type) {
    case 'text':
      return `'${lit.value.replace(/'/g, "''")}'`;
    case 'number':
      return formatNumber(lit.value);
    case 'boolean':
      return lit.value ? 'true' : 'false';
  }
}

/**
 * Plain decimal notation that the grammar accepts (no exponent), with the
 * shortest digits that round-trip: `1e-7` -> `0.0000001`.
 */
export function formatNumber(value: number): string {
  const s = String(value === 0 ? 0 : value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int = '', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
