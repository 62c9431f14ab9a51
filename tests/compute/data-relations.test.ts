/**
 * Equations of the data that no spm.yaml declares (src/compute/data-relations.ts): found in the cells of
 * each source's counts, exactly, beyond the known relations; written with as few terms as they allow;
 * equations that are no total = Σ parts are named for the refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { findDataRelations, nullSpace } from '../../src/compute/data-relations.js';
import type { MeasureRelation } from '../../src/privacy/relations.js';

describe('nullSpace', () => {
  it('gives the whole-number directions x with G x = 0', () => {
    // columns t, a, b with t = a + b: G = MᵀM of rows (3, 1, 2), (5, 4, 1), (2, 2, 0)
    const rows = [
      [3n, 1n, 2n],
      [5n, 4n, 1n],
      [2n, 2n, 0n],
    ];
    const g = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0n)));
    expect(nullSpace(g)).toEqual([[1n, -1n, -1n]]);
    // full rank: none
    expect(
      nullSpace([
        [2n, 1n],
        [1n, 3n],
      ]),
    ).toEqual([]);
  });
});

/** The null space as the first version computed it: reduced row echelon form in rational numbers. */
function nullSpaceRational(g: readonly (readonly bigint[])[]): bigint[][] {
  type Q = { n: bigint; d: bigint };
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? abs(a) : gcd(b, a % b));
  const q = (n: bigint, d = 1n): Q => {
    if (d < 0n) [n, d] = [-n, -d];
    const c = gcd(n, d) || 1n;
    return { n: n / c, d: d / c };
  };
  const rows = g.map((r) => r.map((x) => q(x)));
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < g.length && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && row[c]!.n !== 0n);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p]!, rows[r]!];
    const lead = rows[r]![c]!;
    rows[r] = rows[r]!.map((x) => q(x.n * lead.d, x.d * lead.n));
    for (let i = 0; i < rows.length; i++) {
      const f = rows[i]![c]!;
      if (i === r || f.n === 0n) continue;
      rows[i] = rows[i]!.map((x, j) => {
        const y = rows[r]![j]!;
        return q(x.n * f.d * y.d - f.n * y.n * x.d, x.d * f.d * y.d);
      });
    }
    pivots.push(c);
    r++;
  }
  const out: bigint[][] = [];
  for (let f = 0; f < g.length; f++) {
    if (pivots.includes(f)) continue;
    const v: Q[] = g.map(() => q(0n));
    v[f] = q(1n);
    pivots.forEach((p, i) => {
      v[p] = q(-rows[i]![f]!.n, rows[i]![f]!.d);
    });
    const l = v.reduce((m, x) => (m * x.d) / gcd(m, x.d), 1n);
    const w = v.map((x) => (x.n * l) / x.d);
    const c = w.reduce((a, x) => gcd(a, x), 0n) || 1n;
    const u = w.map((x) => x / c);
    out.push((u.find((x) => x !== 0n) ?? 1n) < 0n ? u.map((x) => -x) : u);
  }
  return out;
}

describe('nullSpace against the rational elimination', () => {
  it('gives the same basis for Gram matrices of cells with planted sums, large counts and chance equations', () => {
    // cells (rows) of k columns; some columns are sums or differences of others, some copies or 0
    const cellsArb = fc
      .record({
        base: fc.integer({ min: 1, max: 5 }),
        n: fc.integer({ min: 1, max: 9 }),
        big: fc.boolean(),
        seed: fc.array(fc.integer({ min: 0, max: 9_999_999 }), { minLength: 60, maxLength: 60 }),
        derived: fc.array(
          fc.record({
            a: fc.nat(7),
            b: fc.nat(7),
            kind: fc.constantFrom('sum', 'diff', 'copy', 'zero', 'times3'),
          }),
          { maxLength: 4 },
        ),
      })
      .map(({ base, n, big, seed, derived }) =>
        Array.from({ length: n }, (_, i) => {
          const row = Array.from({ length: base }, (_, j) =>
            BigInt(seed[(i * base + j) % 60]! % (big ? 9_999_999 : 7)),
          );
          for (const d of derived) {
            const a = row[d.a % row.length]!;
            const b = row[d.b % row.length]!;
            row.push({ sum: a + b, diff: a - b, copy: a, zero: 0n, times3: 3n * a }[d.kind]);
          }
          return row;
        }),
      );
    fc.assert(
      fc.property(cellsArb, (cells) => {
        const k = cells[0]!.length;
        const g = Array.from({ length: k }, (_, i) =>
          Array.from({ length: k }, (_, j) => cells.reduce((s, r) => s + r[i]! * r[j]!, 0n)),
        );
        const found = nullSpace(g);
        expect(found).toEqual(nullSpaceRational(g));
        // and each is a direction of the cells: M v = 0
        for (const v of found) for (const r of cells) expect(r.reduce((s, x, j) => s + x * v[j]!, 0n)).toBe(0n);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

describe('findDataRelations', () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  const key = (c: string) => JSON.stringify(['s', 'sum', c, null]);
  // one source s with columns: u3, u3_6, u6 = u3 + u3_6, x (unrelated), p + q = r + z (no total = Σ parts),
  // nul (0 everywhere), u6_10 and u10 = u6 + u6_10, t10 = 10 · x
  const cols = ['u3', 'u3_6', 'u6', 'x', 'p', 'q', 'r', 'z', 'nul', 'u6_10', 'u10', 't10'];
  const midOf = new Map(cols.map((c, i) => [key(c), i]));
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
    const values: string[] = [];
    for (let a = 0; a < 40; a++) {
      const u3 = 3 + ((a * 7) % 11);
      const u36 = 1 + ((a * 5) % 7);
      const [p, q, r] = [2 + ((a * 3) % 5), 1 + ((a * 4) % 9), 1 + ((a * 2) % 4)];
      const u610 = 2 + ((a * 3) % 8);
      const x = 4 + ((a * a) % 13);
      const row = [u3, u36, u3 + u36, x, p, q, r, p + q - r, 0, u610, u3 + u36 + u610, 10 * x];
      // area 11 has u6 source-suppressed: not a complete cell (its value would break the equation)
      // (and t = 10 · x in every cell: chance, no relation by definition)
      row.forEach((v, m) =>
        values.push(
          `(${m}, 'sozialraum', 'A-${a}', 2020, 1, ${a === 11 && m === 2 ? 99 : v}.0, FALSE, ${a === 11 && m === 2 ? 1 : 0}, FALSE)`,
        ),
      );
    }
    await conn.run(`CREATE TABLE spm_mcells AS SELECT * FROM (VALUES ${values.join(', ')})
      v(mid, level, area_id, year, pool_years, value, missing, n_suppressed, rejected)`);
  });
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
  });

  it('finds u6 = u3 + u3_6 and names p + q = r + z, which is no total = Σ parts', async () => {
    const found = await findDataRelations(conn, midOf, []);
    expect(found.relations.map((r) => [r.total, r.parts, r.rest, r.origin])).toEqual([
      [key('u6'), [key('u3'), key('u3_6')], false, 'data'],
      [key('u10'), [key('u6'), key('u6_10')], false, 'data'],
    ]);
    // (the null space gives u10 = u3 + u3_6 + u6_10: written with u6, as the column names would)
    expect(found.relations.map((r) => r.label)).toEqual(['s.u6 = s.u3 + s.u3_6', 's.u10 = s.u6 + s.u6_10']);
    expect(found.unmodelled).toEqual(['s.p + s.q = s.r + s.z']);
  });

  it('leaves out what the known equations span, not what only an inequality says', async () => {
    const declared: MeasureRelation = {
      total: key('u6'),
      parts: [key('u3'), key('u3_6')],
      rest: false,
      origin: 'declared',
      label: 'u6 = u3 + u3_6',
    };
    // (u10 = u6 + u6_10 stays: the declared one does not span it)
    expect((await findDataRelations(conn, midOf, [declared])).relations.map((r) => r.label)).toEqual([
      's.u10 = s.u6 + s.u6_10',
    ]);
    expect((await findDataRelations(conn, midOf, [{ ...declared, rest: true }])).relations).toHaveLength(2);
  });

  it('needs more complete cells than counts (no relation from chance)', async () => {
    const few = new Map([...midOf].filter(([, m]) => m <= 3));
    await conn.run(`CREATE TABLE keep AS SELECT * FROM spm_mcells`);
    await conn.run(`DELETE FROM spm_mcells WHERE area_id NOT IN ('A-0', 'A-1', 'A-2')`);
    try {
      expect((await findDataRelations(conn, few, [])).relations).toEqual([]);
    } finally {
      await conn.run('DELETE FROM spm_mcells');
      await conn.run('INSERT INTO spm_mcells SELECT * FROM keep');
      await conn.run('DROP TABLE keep');
    }
  });
});
