import { DuckDBInstance, listValue, type DuckDBValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineParameters, sqlLiteral } from '../../src/compile/plan-text.js';
import { filterPlan, createTableSql, type Plan } from '../../src/compile/plan.js';

describe('printed plan: parameters as literals', () => {
  let db: DuckDBInstance;
  beforeAll(async () => {
    db = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => db.closeSync());

  // every value the plan binds, as DuckDB sees it bound and as printed: same value, same type
  const values: unknown[] = [
    0,
    -3,
    2024,
    0.1 + 0.2,
    1.959963984540054,
    -1e-300,
    2 ** 40,
    -(2 ** 31),
    123456.789,
    1.5e-7,
    'O\'Neil"; DROP TABLE x; --',
    "'' $1 -- \\",
    '',
    'Zähler „gesperrt“ 🙂',
    true,
    false,
    null,
  ];
  it('prints each parameter so that DuckDB reads the bound value and type back', async () => {
    const c = await db.connect();
    for (const v of values) {
      const printed = sqlLiteral(v);
      const r = await c.runAndReadAll(
        `SELECT ${printed} IS NOT DISTINCT FROM $1 AS same, typeof(${printed}) AS t, typeof($1) AS tb`,
        [v as DuckDBValue],
      );
      const row = r.getRowObjectsJS()[0] as { same: boolean; t: string; tb: string };
      expect(row.same, `${String(v)} printed as ${printed}`).toBe(true);
      if (v !== null) expect(row.t, printed).toBe(row.tb);
    }
    const list = await c.runAndReadAll(`SELECT CAST(${sqlLiteral(listValue([2015, 2016]))} AS INTEGER[]) AS l`);
    expect(list.getRowObjectsJS()[0]?.l).toEqual([2015, 2016]);
    c.closeSync();
  });

  it('replaces placeholders only outside strings, quoted names and comments', () => {
    const sql = `SELECT '$1' AS "$2", x - $1 -- $2 stays\nFROM t WHERE y = $2 AND z = $10`;
    const params = ['a', "it's", 3, 4, 5, 6, 7, 8, 9, 10];
    expect(inlineParameters({ sql, parameters: [-1, ...params.slice(1)] })).toBe(
      `SELECT '$1' AS "$2", x - (-1) -- $2 stays\nFROM t WHERE y = 'it''s' AND z = 10`,
    );
    expect(() => inlineParameters({ sql: 'SELECT $3', parameters: [1] })).toThrow(/\$3/);
  });

  it('filters a plan to the steps of one indicator, keeping steps over all', () => {
    const t = { name: 'spm_x', kind: 'table' as const, columns: [{ name: 'a', type: 'INTEGER' as const }] };
    const plan: Plan = {
      indicators: ['a', 'b'],
      years: [2024],
      measureIds: {},
      steps: [
        { kind: 'create', id: 'create:spm_x', stage: 'setup', indicators: 'all', produces: t, description: '' },
        {
          kind: 'sql',
          id: 'a',
          stage: 'setup',
          indicators: ['a'],
          description: '',
          sql: { sql: 'SELECT 1', parameters: [] },
        },
        {
          kind: 'sql',
          id: 'b',
          stage: 'setup',
          indicators: ['b'],
          description: '',
          sql: { sql: 'SELECT 2', parameters: [] },
        },
      ],
    };
    expect(filterPlan(plan, 'b').steps.map((s) => s.id)).toEqual(['create:spm_x', 'b']);
    expect(createTableSql(t)).toBe('CREATE OR REPLACE TABLE spm_x (a INTEGER)');
  });
});
