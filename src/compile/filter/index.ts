/**
 * The filter language of indicator measures (`numerator.filter`,
 * `denominator.filter`), from text to SQL:
 *
 * 1. `parseFilter(text)`: text -> frozen {@link FilterNode} (or FilterSyntaxError).
 * 2. `checkFilter(node, columns)`: columns exist and values fit their types -> problems.
 * 3. `compileFilter(node, params)`: node -> `(…)` SQL with `$n` placeholders, values in params.
 * 4. `renderFilter(node)`: node -> canonical text for `spm explain` and SQL comments.
 *
 * @example
 * const node = parseFilter("bmi_perzentil > 97 AND NOT geschlecht = 'd'");
 * checkFilter(node, new Map([['bmi_perzentil', 'number'], ['geschlecht', 'text']])) // []
 * const params: unknown[] = [];
 * compileFilter(node, params) // '(("bmi_perzentil" > $1) AND (NOT ("geschlecht" = $2)))', params: [97, 'd']
 * renderFilter(node)          // "bmi_perzentil > 97 and not geschlecht = 'd'"
 */
// AndNode, CompareNode, … name both the node type and its frozen `{ is, create }`.
export type { ColumnNode, CompareOp, FilterKind, FilterNode, FilterVisitor, LiteralNode, LiteralType } from './ast.js';
export {
  AndNode,
  BetweenNode,
  CompareNode,
  filterNodeColumns,
  InNode,
  IsNullNode,
  Literal,
  NotNode,
  OrNode,
  visit,
} from './ast.js';
export { FilterSyntaxError } from './errors.js';
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from './parser.js';
export { checkFilter } from './check.js';
export type { FilterProblem } from './check.js';
export { compileFilter } from './compile.js';
export { formatNumber, renderFilter, renderLiteral } from './render.js';
