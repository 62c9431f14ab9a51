/**
 * Injection attempts against the filter language. Each one is either rejected
 * (FilterSyntaxError from the parser, or a FilterProblem from the check) or
 * compiled so that every piece of user text is a parameter; accepted ones run
 * against DuckDB, which must still hold the table with all its rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkFilter,
  compileFilter,
  CompareNode,
  FilterSyntaxError,
  Literal,
  parseFilter,
  renderFilter,
  visit,
} from '../../../src/compile/filter/index.js';
import type { FilterNode, FilterVisitor, LiteralNode } from '../../../src/compile/filter/index.js';
import { COLUMNS, openFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

let db: Fixture;
beforeAll(async () => {
  db = await openFixture();
});
afterAll(() => db.close());

type Outcome = 'syntax' | 'unknown_column' | { params: unknown[]; ids: number[] };

const corpus: [name: string, filter: string, outcome: Outcome][] = [
  ['statement separator', 'klasse = 1; DROP TABLE t', 'syntax'],
  ['separator at the end', "code = 'a';", 'syntax'],
  ['classic tautology outside quotes', "code = '1' OR '1'='1'", 'syntax'],
  ['classic tautology as a value', "code = '1'' OR ''1''=''1'", { params: ["1' OR '1'='1"], ids: [6] }],
  ['drop inside a value', "code = 'x''; DROP TABLE t; --'", { params: ["x'; DROP TABLE t; --"], ids: [] }],
  ['bracket escape inside a value', "code = 'b'') or (''1'' = ''1'", { params: ["b') or ('1' = '1"], ids: [] }],
  ['backslash is no escape', "code = '\\'", { params: ['\\'], ids: [] }],
  ['backslash-quote leaves the text open', "code = 'a\\'' or 1=1 --", 'syntax'],
  ['line comment', 'klasse = 1 --', 'syntax'],
  ['line comment hiding a condition', 'klasse = 1 -- and geimpft = true', 'syntax'],
  ['block comment', 'klasse = 1 /* */', 'syntax'],
  ['double-quoted identifier', '"klasse" = 1', 'syntax'],
  ['double quote in a column name', 'a"b = 1', 'syntax'],
  ['quote-breaking column name', 'code" = 1 OR "1 = 1', 'syntax'],
  ['typographic quotes', 'code = ‘a’', 'syntax'],
  ['German typographic quotes', 'code = „a“', 'syntax'],
  ['fullwidth apostrophe', 'code = \uFF07a\uFF07', 'syntax'],
  ['backtick identifier', '`code` = 1', 'syntax'],
  ['NUL outside text', 'klasse = 1\u0000; DROP TABLE t', 'syntax'],
  ['NUL inside text', "code = 'a\u0000'", 'syntax'],
  ['line break inside text (would end an SQL -- comment)', "code = 'a\nDROP TABLE t'", 'syntax'],
  ['carriage return inside text', "code = 'a\rDROP TABLE t'", 'syntax'],
  ['subquery in an in-list', 'code in (select 1)', 'syntax'],
  ['subquery of the table', 'code in (select code from t)', 'syntax'],
  ['union', 'klasse > 1 union select * from t', 'syntax'],
  ['string concatenation', "code = 'a' || 'b'", 'syntax'],
  ['cast', "code = 'a'::int", 'syntax'],
  ['placeholder', 'code = $1', 'syntax'],
  ['question-mark placeholder', 'code = ?', 'syntax'],
  ['escape-string prefix', "code = E'\\x27'", 'syntax'],
  ['hex number', 'klasse = 0x10', 'syntax'],
  ['exponent number', 'klasse = 1e308', 'syntax'],
  ['huge number', 'klasse = ' + '9'.repeat(400), 'syntax'],
  ['column compared to column', 'klasse = kinder', 'syntax'],
  ['literal tautology', 'klasse = 1 or 1 = 1', 'syntax'],
  ['function call', "lower(code) = 'a'", 'syntax'],
  ['sleep function', 'pg_sleep(10) is null', 'syntax'],
  ['arithmetic', 'klasse + 1 > 2', 'syntax'],
  ['dollar-quoted string', 'code = $$a$$', 'syntax'],
  ['very long input', `code = '${'a'.repeat(1_000_000)}'`, 'syntax'],
  ['deep brackets', '('.repeat(100_000) + 'klasse = 1' + ')'.repeat(100_000), 'syntax'],
  ['deep brackets under the length limit', '('.repeat(60) + 'klasse = 1' + ')'.repeat(60), 'syntax'],
  ['deep not', 'not '.repeat(200) + 'klasse = 1', 'syntax'],
  ['unknown column named like SQL', 'select = 1', 'unknown_column'],
  ['unknown column drop', "drop is null or code = 'a'", 'unknown_column'],
  ['system column', 'rowid > 0', 'unknown_column'],
  [
    'SQL keywords as text',
    "code in ('select', 'drop table t', '\"t\"', '$1')",
    { params: ['select', 'drop table t', '"t"', '$1'], ids: [] },
  ],
  [
    'unicode and bidi control as a value',
    "code = 'ä😀' or code = 'a\u202Eb'",
    { params: ['ä😀', 'a\u202Eb'], ids: [7] },
  ],
  ['long text value under the limit', `code = '${"'".repeat(600)}'`, { params: ["'".repeat(300)], ids: [] }],
];

function textValues(node: FilterNode): string[] {
  const lits: LiteralNode[] = [];
  const v: FilterVisitor<void> = {
    and: (n) => n.operands.forEach((o) => visit(o, v)),
    or: (n) => n.operands.forEach((o) => visit(o, v)),
    not: (n) => visit(n.operand, v),
    compare: (n) => void lits.push(n.value),
    in: (n) => void lits.push(...n.values),
    between: (n) => void lits.push(n.low, n.high),
    is_null: () => undefined,
  };
  visit(node, v);
  return lits.flatMap((l) => (l.type === 'text' ? [l.value] : []));
}

/** What may remain of compiled SQL once the quoted column names are taken out. */
const SKELETON = /^(?:[()\s,]|\$\d+|AND|OR|NOT|IN|BETWEEN|IS|NULL|=|<>|<=|>=|<|>)*$/;

describe('filter SQL injection corpus', () => {
  it('has at least 20 attempts', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });

  it.each(corpus)('%s', async (_name, filter, outcome) => {
    if (outcome === 'syntax') {
      expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
    } else {
      const node = parseFilter(filter);
      const problems = checkFilter(node, COLUMNS);
      if (outcome === 'unknown_column') {
        expect(problems.map((p) => p.code)).toContain('unknown_column');
      } else {
        expect(problems).toEqual([]);
        const params: unknown[] = [];
        const sql = compileFilter(node, params);
        expect(params).toEqual(outcome.params);
        expect(sql.replace(/"[a-z_][a-z0-9_]*"/g, '')).toMatch(SKELETON);
        for (const text of textValues(node)) expect(params).toContain(text);
        expect(await db.ids(node)).toEqual(outcome.ids);
        // The canonical text is one line and parses back to the same filter.
        expect(renderFilter(node)).not.toMatch(/[\n\r\u0000]/);
        expect(parseFilter(renderFilter(node))).toEqual(node);
      }
    }
    expect(await db.tableExists()).toBe(true);
  });

  it('rejects long and deep input quickly', () => {
    const started = performance.now();
    for (const [, filter, outcome] of corpus) if (outcome === 'syntax') expect(() => parseFilter(filter)).toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('hand-built nodes with hostile column names', () => {
  it('quotes a column name with a double quote as one identifier', async () => {
    const params: unknown[] = [];
    const sql = compileFilter(CompareNode.create('a"b', '=', Literal.number(1)), params);
    expect(sql).toBe('("a""b" = $1)');
    const rows = await db.query(`SELECT count(*) AS n FROM (SELECT 1 AS "a""b") WHERE ${sql}`, params);
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('keeps a quote-breaking column name inside the identifier', async () => {
    const params: unknown[] = [];
    const sql = compileFilter(CompareNode.create('x" = 1 OR "1', '=', Literal.number(1)), params);
    expect(sql).toBe('("x"" = 1 OR ""1" = $1)');
    await expect(db.query(`SELECT id FROM t WHERE ${sql}`, params)).rejects.toThrow(/x" = 1 OR "1/);
    expect(await db.tableExists()).toBe(true);
  });

  it('refuses a NUL in a column name', () => {
    expect(() => compileFilter(CompareNode.create('a\u0000', '=', Literal.number(1)), [])).toThrow(/NUL/);
  });

  it('binds a NUL inside a hand-built text value as data', async () => {
    const params: unknown[] = [];
    const sql = compileFilter(CompareNode.create('code', '=', Literal.text("a'\u0000; DROP TABLE t")), params);
    expect(sql).toBe('("code" = $1)');
    expect(await db.ids(CompareNode.create('code', '=', Literal.text("a'\u0000; DROP TABLE t")))).toEqual([]);
    expect(await db.tableExists()).toBe(true);
  });
});
