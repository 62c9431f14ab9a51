import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFilter, compileFilter, parseFilter } from '../../../src/compile/filter/index.js';
import { quoteIdent } from '../../../src/util/sql.js';
import { ALL_IDS, COLUMNS, openFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

let db: Fixture;
beforeAll(async () => {
  db = await openFixture();
});
afterAll(() => db.close());

/** Golden SQL and parameters, then the rows DuckDB selects with them. */
const cases: [filter: string, sql: string, params: unknown[], ids: number[]][] = [
  ['bmi_perzentil > 97', '("bmi_perzentil" > $1)', [97], [1, 7]],
  ['bmi_perzentil >= 90', '("bmi_perzentil" >= $1)', [90], [1, 2, 7]],
  ['bmi_perzentil = 50.25', '("bmi_perzentil" = $1)', [50.25], [4]],
  ['bmi_perzentil <> 90', '("bmi_perzentil" <> $1)', [90], [1, 4, 5, 6, 7]],
  ['bmi_perzentil < 0', '("bmi_perzentil" < $1)', [0], [6]],
  ['klasse = 2', '("klasse" = $1)', [2], [2]],
  ['klasse = 2.5', '("klasse" = $1)', [2.5], []],
  ['klasse < 2.5', '("klasse" < $1)', [2.5], [1, 2, 6]],
  ['klasse >= 10000000000', '("klasse" >= $1)', [10_000_000_000], [5]],
  ['klasse = -2', '("klasse" = $1)', [-2], [6]],
  ['kinder <= 2.5', '("kinder" <= $1)', [2.5], [2, 3, 6]],
  ["code = 'a'", '("code" = $1)', ['a'], [1]],
  ["code = 'O''Neil'", '("code" = $1)', ["O'Neil"], [3]],
  ["code = ''", '("code" = $1)', [''], [5]],
  ["code = 'ä😀'", '("code" = $1)', ['ä😀'], [7]],
  ["code != 'a'", '("code" <> $1)', ['a'], [2, 3, 5, 6, 7]],
  ["code in ('a', 'b')", '("code" IN ($1, $2))', ['a', 'b'], [1, 2]],
  ["code not in ('a', 'b')", '("code" NOT IN ($1, $2))', ['a', 'b'], [3, 5, 6, 7]],
  ['klasse in (1, 2.5, 10000000000)', '("klasse" IN ($1, $2, $3))', [1, 2.5, 10_000_000_000], [1, 5]],
  ['bmi_perzentil in (90, 97.5)', '("bmi_perzentil" IN ($1, $2))', [90, 97.5], [1, 2]],
  ['bmi_perzentil between 3 and 90', '("bmi_perzentil" BETWEEN $1 AND $2)', [3, 90], [2, 4, 5]],
  ['bmi_perzentil not between 3 and 90', '("bmi_perzentil" NOT BETWEEN $1 AND $2)', [3, 90], [1, 6, 7]],
  ["code between 'a' and 'b'", '("code" BETWEEN $1 AND $2)', ['a', 'b'], [1, 2]],
  ['geimpft = true', '("geimpft" = $1)', [true], [1, 4, 6]],
  ['geimpft != true', '("geimpft" <> $1)', [true], [2, 5]],
  ['geimpft in (false)', '("geimpft" IN ($1))', [false], [2, 5]],
  ['geimpft is null', '("geimpft" IS NULL)', [], [3, 7]],
  ['code is not null', '("code" IS NOT NULL)', [], [1, 2, 3, 5, 6, 7]],
  // NULL: `not` of an unknown comparison stays unknown, so rows 3 and 7 are in neither result.
  ['not geimpft = true', '(NOT ("geimpft" = $1))', [true], [2, 5]],
  ['geimpft != true or geimpft is null', '(("geimpft" <> $1) OR ("geimpft" IS NULL))', [true], [2, 3, 5, 7]],
  [
    "bmi_perzentil > 90 and code in ('a', 'ä😀') or not klasse between 1 and 3",
    '((("bmi_perzentil" > $1) AND ("code" IN ($2, $3))) OR (NOT ("klasse" BETWEEN $4 AND $5)))',
    [90, 'a', 'ä😀', 1, 3],
    [1, 5, 6, 7],
  ],
  [
    'not (geimpft = false or kinder < 2) and id != 7',
    '((NOT (("geimpft" = $1) OR ("kinder" < $2))) AND ("id" <> $3))',
    [false, 2, 7],
    [1],
  ],
  ['id > 0 and id > 0 and id < 100', '(("id" > $1) AND ("id" > $2) AND ("id" < $3))', [0, 0, 100], [...ALL_IDS]],
];

describe('compileFilter', () => {
  it.each(cases)('%j', async (filter, sql, params, ids) => {
    const node = parseFilter(filter);
    expect(checkFilter(node, COLUMNS)).toEqual([]);
    const got: unknown[] = [];
    expect(compileFilter(node, got)).toBe(sql);
    expect(got).toEqual(params);
    expect(await db.ids(node)).toEqual(ids);
  });

  it('appends to existing parameters and numbers from there', () => {
    const params: unknown[] = ['schon da'];
    expect(compileFilter(parseFilter("code in ('a', 'b') and klasse = 3"), params)).toBe(
      '(("code" IN ($2, $3)) AND ("klasse" = $4))',
    );
    expect(params).toEqual(['schon da', 'a', 'b', 3]);
  });

  it('takes column references through columnRef', async () => {
    const params: unknown[] = [];
    const sql = compileFilter(parseFilter('klasse = 2 or code is null'), params, (c) => `s.${quoteIdent(c)}`);
    expect(sql).toBe('((s."klasse" = $1) OR (s."code" IS NULL))');
    const rows = await db.query(`SELECT id FROM t AS s WHERE ${sql} ORDER BY id`, params);
    expect(rows.map((r) => r.id)).toEqual([2, 4]);
  });

  it('shares one parameter list between two filters of one query', async () => {
    const params: unknown[] = [];
    const num = compileFilter(parseFilter('bmi_perzentil > 97'), params);
    const den = compileFilter(parseFilter("code != 'b'"), params);
    const rows = await db.query(
      `SELECT count(*) FILTER (WHERE ${num}) AS z, count(*) FILTER (WHERE ${den}) AS n FROM t`,
      params,
    );
    expect(rows.map((r) => [Number(r.z), Number(r.n)])).toEqual([[2, 5]]);
  });
});
