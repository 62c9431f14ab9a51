/**
 * Filter -> SQL boolean expression. Values go into the caller's parameter
 * list and appear in SQL only as `$n`; column names only through `columnRef`
 * (default `quoteIdent`). All other text is fixed in this file.
 *
 * Binding, checked against DuckDB 1.5 / @duckdb/node-api (tests/compile/filter):
 * a JS number binds as INTEGER, BIGINT (integers) or DOUBLE; DuckDB then
 * compares with DOUBLE, BIGINT, INTEGER and DECIMAL columns by value (`klasse = 2.5`
 * matches nothing, `klasse < 2.5` matches 2), so no casts are needed. The parser
 * keeps numbers within ±2^53-1, beyond which the node-api cannot bind integers.
 * Strings bind as VARCHAR, booleans as BOOLEAN.
 */
import { quoteIdent } from '../../util/sql.js';
import { visit } from './ast.js';
import type { CompareOp, FilterNode, FilterVisitor, LiteralNode } from './ast.js';

const SQL_OP: Record<CompareOp, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/**
 * Compile a filter to a parenthesised SQL boolean expression. Each literal is
 * pushed onto `params` and written as `$n`, with n = `params.length` after the
 * push, so several filters can share one parameter list.
 *
 * NULL semantics are SQL's three-valued logic: a comparison, `in` or `between`
 * with a NULL column value is NULL, not true, and NULL stays NULL under `not`;
 * such rows are not counted. So `not alter = 3` and `alter != 3` both skip rows
 * where `alter` is NULL; write `alter != 3 or alter is null` to count them.
 *
 * @example
 * const params: unknown[] = [];
 * compileFilter(parseFilter("bmi_perzentil > 97 and geschlecht in ('w', 'd')"), params)
 * // '(("bmi_perzentil" > $1) AND ("geschlecht" IN ($2, $3)))'
 * // params: [97, 'w', 'd']
 * compileFilter(parseFilter('not impfung is null'), params, (c) => `s.${quoteIdent(c)}`)
 * // '(NOT (s."impfung" IS NULL))'
 */
export function compileFilter(
  node: FilterNode,
  params: unknown[],
  columnRef: (name: string) => string = quoteIdent,
): string {
  const value = (lit: LiteralNode): string => {
    params.push(lit.value);
    return `$${params.length}`;
  };
  const not = (negated: boolean): string => (negated ? 'NOT ' : '');
  const compilers: FilterVisitor<string> = {
    and: (n) => `(${n.operands.map(sql).join(' AND ')})`,
    or: (n) => `(${n.operands.map(sql).join(' OR ')})`,
    not: (n) => `(NOT ${sql(n.operand)})`,
    compare: (n) => `(${columnRef(n.column)} ${SQL_OP[n.op]} ${value(n.value)})`,
    in: (n) => `(${columnRef(n.column)} ${not(n.negated)}IN (${n.values.map(value).join(', ')}))`,
    between: (n) => `(${columnRef(n.column)} ${not(n.negated)}BETWEEN ${value(n.low)} AND ${value(n.high)})`,
    is_null: (n) => `(${columnRef(n.column)} IS ${not(n.negated)}NULL)`,
  };
  function sql(n: FilterNode): string {
    return visit(n, compilers);
  }
  return sql(node);
}
