/**
 * Second pass after parsing: do the columns exist in the source and do the
 * values fit their declared types? Returns problems instead of throwing, so a
 * planner sees all of them at once (practice 7 of STYLE.md).
 */
import type { ColumnType } from './column-types.js';
import { visit } from './ast.js';
import type { ColumnNode, FilterNode, FilterVisitor, LiteralNode } from './ast.js';
import * as msg from './messages.js';
import { renderLiteral } from './render.js';

/** One problem of a filter against its source's declared columns. */
export interface FilterProblem {
  code: 'unknown_column' | 'type_mismatch';
  /** The column the problem is about, as written in the filter. */
  column: string;
  /** German message naming the problem and the fix. */
  message: string;
}

const ACCEPTS: Record<ColumnType, LiteralNode['type']> = {
  count: 'number',
  number: 'number',
  integer: 'number',
  text: 'text',
  boolean: 'boolean',
};

/**
 * Check a parsed filter against the declared columns of its source. Each
 * unknown column is reported once, with the declared names (and a likely
 * meant one); each column test with a value of the wrong type once. Ordering
 * (`<`, `<=`, `>`, `>=`, `between`) on a boolean column is a type mismatch.
 *
 * @example
 * checkFilter(parseFilter("kreis = 5558 and bmi > 97"), new Map([['kreis', 'text'], ['bmi_perzentil', 'number']]))
 * // [ { code: 'type_mismatch', column: 'kreis', message: 'Spalte "kreis" ist Text (text), der Wert 5558 ist aber eine Zahl; Text in einfache Anführungszeichen setzen, z. B. kreis = \'5558\'' },
 * //   { code: 'unknown_column', column: 'bmi', message: 'Unbekannte Spalte "bmi" im Filter. Deklarierte Spalten der Quelle: bmi_perzentil, kreis. Meinten Sie "bmi_perzentil"?' } ]
 */
export function checkFilter(node: FilterNode, columns: ReadonlyMap<string, ColumnType>): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const reported = new Set<string>();
  const declared = [...columns.keys()].sort();

  const leaf = (n: ColumnNode, values: readonly LiteralNode[]): void => {
    const type = columns.get(n.column);
    if (type === undefined) {
      if (!reported.has(n.column)) {
        reported.add(n.column);
        const message = msg.unknownColumn(n.column, declared, closest(n.column, declared));
        problems.push({ code: 'unknown_column', column: n.column, message });
      }
      return;
    }
    const wrong = values.find((v) => v.type !== ACCEPTS[type]);
    if (wrong) {
      const message = msg.typeMismatch(n.column, type, wrong, renderLiteral(wrong));
      problems.push({ code: 'type_mismatch', column: n.column, message });
      return;
    }
    const ordering =
      n.kind === 'between' ? 'between' : n.kind === 'compare' && !['=', '!='].includes(n.op) ? n.op : undefined;
    if (type === 'boolean' && ordering !== undefined) {
      problems.push({ code: 'type_mismatch', column: n.column, message: msg.orderOnBoolean(n.column, ordering) });
    }
  };

  const walk: FilterVisitor<void> = {
    and: (n) => n.operands.forEach((o) => visit(o, walk)),
    or: (n) => n.operands.forEach((o) => visit(o, walk)),
    not: (n) => visit(n.operand, walk),
    compare: (n) => leaf(n, [n.value]),
    in: (n) => leaf(n, n.values),
    between: (n) => leaf(n, [n.low, n.high]),
    is_null: (n) => leaf(n, []),
  };
  visit(node, walk);
  return problems;
}

/** The declared name within edit distance 2 (or sharing a prefix of 3+), if there is exactly one best. */
function closest(name: string, declared: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const d of declared) {
    const score = d.startsWith(name) && name.length >= 3 ? 1 : distance(name, d);
    if (score < bestScore) [best, bestScore] = [d, score];
  }
  return bestScore <= 2 ? best : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
