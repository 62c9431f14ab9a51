/**
 * The suppression rule on systems small enough to check by hand.
 */
import { describe, expect, it } from 'vitest';
import { recoverable, suppress, type SuppressionSystem } from '../../src/privacy/index.js';
import { exactAttack } from './exact.js';
import {
  adversaryEquations,
  projectCells,
  publishedValues,
  toSystem,
  isSecret,
  isKnown,
  type Cell,
  type Project,
} from './project.js';

/** One year, no pools, all counts known. */
function project(counts: number[][], opts: Partial<Project> = {}): Project {
  const years = opts.years ?? 1;
  return {
    sozialraeume: counts.map((c) => c.length),
    years,
    pool: null,
    threshold: 3,
    counts: counts.map((k) => k.map((v) => Array(years).fill(v) as number[])),
    flags: counts.map((k) => k.map(() => Array(years).fill('ok'))),
    ...opts,
  };
}

function run(p: Project) {
  const cells = projectCells(p);
  const sys = toSystem(cells, p.threshold);
  const masked = suppress(sys);
  const named = (set: Iterable<number>) => [...set].map((id) => name(cells[id]!)).sort();
  return { cells, sys, masked, names: named(masked), byName: (n: string) => cells.find((c) => name(c) === n)! };
}
const name = (c: Cell) => `${c.area_id}${c.pool > 1 ? `/${c.pool}` : ''}@${c.year}`;

function attack(cells: Cell[], masked: Set<number>, threshold: number) {
  const targets = cells.filter((c) => masked.has(c.id) || (isSecret(c, threshold) && !isKnown(c))).map((c) => c.id);
  return exactAttack(
    adversaryEquations(cells),
    publishedValues(cells, (c) => masked.has(c.id)),
    targets,
  );
}

describe('primary suppression', () => {
  it('masks counts 1 and 2, publishes 0 and 3', () => {
    // Kommune 1: 0, 1, 2, 3 (= 6); Kommune 2: 40, 50 (= 90); Kreis 96
    const r = run(
      project([
        [0, 1, 2, 3],
        [40, 50],
      ]),
    );
    expect(r.names).toContain('05999001-02@2020');
    expect(r.names).toContain('05999001-03@2020');
    expect(r.names).not.toContain('05999001-01@2020'); // 0 is shown
    // 1 + 2 masked: the Kommune equation has two unknowns, nothing else needed
    expect(r.names).toEqual(['05999001-02@2020', '05999001-03@2020']);
    expect(recoverable(r.sys, r.masked)).toEqual([]);
  });

  it('uses the configured threshold', () => {
    const r5 = run(
      project(
        [
          [4, 6, 9],
          [40, 50],
        ],
        { threshold: 5 },
      ),
    );
    expect(r5.names).toEqual(['05999001-01@2020', '05999001-02@2020']); // 4 primary, 6 its complement
    const r10 = run(
      project(
        [
          [4, 6, 9],
          [40, 50],
        ],
        { threshold: 10 },
      ),
    );
    // 4, 6, 9 primary -> Kommune 19 published, all its parts masked: fine
    expect(r10.names).toEqual(['05999001-01@2020', '05999001-02@2020', '05999001-03@2020']);
  });

  it('treats non-whole counts (Jahresdurchschnitt) as numbers', () => {
    const p = project([
      [2.5, 0.25, 7.75, 12],
      [40, 50],
    ]);
    const r = run(p);
    expect(r.names).toEqual(['05999001-01@2020', '05999001-02@2020']); // 2.5 and 0.25 are below 3
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });
});

describe('secondary suppression', () => {
  it('one secret Sozialraum in a Kommune: masks exactly one complement, the smallest', () => {
    // Kommune 1 = 2 + 10 + 5 + 7 = 24; the 2 follows from 24 - 22 unless one more is masked: the 5
    const r = run(
      project([
        [2, 10, 5, 7],
        [40, 50],
      ]),
    );
    expect(r.names).toEqual(['05999001-01@2020', '05999001-03@2020']);
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });

  it('prefers a complement > 0 over a zero and zeros stay published', () => {
    const r = run(
      project([
        [2, 0, 7, 0, 9],
        [0, 0],
      ]),
    );
    expect(r.names).toEqual(['05999001-01@2020', '05999001-03@2020']);
  });

  it('a Kommune of a secret count and zeros is secret itself; the zero stays published', () => {
    // Kommune 1 = 2 + 0 = 2 (primary); the Kreis then needs Kommune 2 masked, and Kommune 2 its 40
    const r = run(
      project([
        [2, 0],
        [40, 50],
      ]),
    );
    expect(r.names).toEqual(['05999001-01@2020', '05999001@2020', '05999002-01@2020', '05999002@2020']);
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });

  it('breaks ties by level, then area, then year', () => {
    const r = run(
      project([
        [2, 8, 8, 8],
        [40, 50],
      ]),
    );
    expect(r.names).toEqual(['05999001-01@2020', '05999001-02@2020']);
  });

  it('a secret Kommune: complement at Kommune level, and the Sozialräume of both handled', () => {
    // Kommune 1 = 1 + 1 = 2 (all three secret); Kreis = 2 + 10 + 30
    // -> Kommune 2 (10, smallest Kommune > 0) masked; inside Kommune 2 one Sozialraum more (the 4)
    const r = run(
      project([
        [1, 1],
        [4, 6],
        [12, 18],
      ]),
    );
    expect(r.names).toEqual(
      ['05999001', '05999001-01@2020', '05999001-02@2020', '05999002', '05999002-01@2020']
        .map((n) => (n.includes('@') ? n : `${n}@2020`))
        .sort(),
    );
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });

  it('a secret Kommune of a Kommune-level measure: one more Kommune', () => {
    const p: Project = {
      sozialraeume: [0, 0, 0],
      years: 1,
      pool: null,
      threshold: 3,
      counts: [[[2]], [[8]], [[5]]],
      flags: [[['ok']], [['ok']], [['ok']]],
    };
    const r = run(p);
    expect(r.names).toEqual(['05999001@2020', '05999003@2020']);
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });

  it('a single-Sozialraum Kommune: the Kommune is the same number and is masked with it', () => {
    const r = run(project([[2], [40, 50], [30]]));
    // S = K: K masked; Kreis = K + 90 + 30 -> the smaller other Kommune (30) masked, and its only Sozialraum
    expect(r.names).toEqual(['05999001-01@2020', '05999001@2020', '05999003-01@2020', '05999003@2020']);
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });
});

describe('pooled windows', () => {
  it('protects a secret year against the pooled total of the same area', () => {
    // Sozialraum 1: 2020: 2, 2021: 9, 2022: 8 ; 2-year windows 2021, 2022
    const p = project(
      [
        [0, 20, 30],
        [40, 50],
      ],
      { years: 3, pool: 2 },
    );
    p.counts[0]![0] = [2, 9, 8];
    const r = run(p);
    expect(r.names).toContain('05999001-01@2020');
    // the window 2020-21 (11) would give 2 = 11 - 9: something in that equation is masked too
    const w = r.byName('05999001-01/2@2021');
    const y21 = r.byName('05999001-01@2021');
    expect(r.masked.has(w.id) || r.masked.has(y21.id)).toBe(true);
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
    expect(recoverable(r.sys, r.masked)).toEqual([]);
  });

  it('masks a secret pooled value and keeps its years from giving it away', () => {
    // Sozialraum 1: 0, 1, 0 -> windows 1, 1 both secret
    const p = project(
      [
        [0, 20, 30],
        [40, 50],
      ],
      { years: 3, pool: 2 },
    );
    p.counts[0]![0] = [0, 1, 0];
    const r = run(p);
    expect(r.names).toEqual(expect.arrayContaining(['05999001-01/2@2021', '05999001-01/2@2022', '05999001-01@2021']));
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });
});

describe('unpublished cells', () => {
  it('a source-suppressed (*) cell is a known zero part: a Kommune with a * and one small count still protects the count', () => {
    // Kommune 1 = * + 2 + 9: estimated total, its exact part (11) follows from the note -> 2 needs a complement
    const p = project([
      [5, 2, 9],
      [40, 50],
    ]);
    p.flags[0]![0] = ['star'];
    const r = run(p);
    expect(r.names).toEqual(['05999001-02@2020', '05999001-03@2020']);
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });

  it('a missing cell makes its totals unknown: no complement needed there', () => {
    const p = project([
      [5, 2, 9],
      [40, 50],
    ]);
    p.flags[0]![0] = ['missing'];
    const r = run(p);
    // Kommune 1 and the Kreis are missing, so nothing gives the 2 away
    expect(r.names).toEqual(['05999001-02@2020']);
    expect(attack(r.cells, r.masked, 3).size).toBe(0);
  });
});

describe('adversary (library)', () => {
  it('finds the single-difference leak and a cycle leak', () => {
    const sys: SuppressionSystem = {
      cells: [
        { id: 0, value: 12, known: true, secret: false, size: 12, sortKey: 'a' },
        { id: 1, value: 2, known: true, secret: true, size: 2, sortKey: 'b' },
        { id: 2, value: 10, known: true, secret: false, size: 10, sortKey: 'c' },
      ],
      equations: [{ total: 0, parts: [1, 2] }],
    };
    expect(recoverable(sys, new Set([1]))).toEqual([1]);
    expect(recoverable(sys, new Set([1, 2]))).toEqual([]);
    expect(recoverable(sys, new Set([]))).toEqual([1]); // published secret
    // x + y = a, x + z = b, y + z = c: all three follow (odd cycle)
    const tri: SuppressionSystem = {
      cells: [0, 1, 2, 3, 4, 5].map((id) => ({
        id,
        value: 1,
        known: true,
        secret: id < 3,
        size: 1,
        sortKey: String(id),
      })),
      equations: [
        { total: 3, parts: [0, 1] },
        { total: 4, parts: [0, 2] },
        { total: 5, parts: [1, 2] },
      ],
    };
    expect(recoverable(tri, new Set([0, 1, 2]))).toEqual([0, 1, 2]);
    const safe = suppress(tri);
    expect(recoverable(tri, safe)).toEqual([]);
  });
});

describe('determinism', () => {
  it('gives the same masks for shuffled cells and equations', () => {
    const p = project(
      [
        [2, 10, 5, 7, 1],
        [1, 40, 50],
        [3, 3, 3],
      ],
      { years: 4, pool: 3 },
    );
    p.counts[1]![0] = [1, 0, 2, 8];
    const cells = projectCells(p);
    const sys = toSystem(cells, 3);
    const a = [...suppress(sys)].sort((x, y) => x - y);
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 5; k++) {
      const shuffled: SuppressionSystem = {
        cells: [...sys.cells].sort(() => rnd() - 0.5),
        equations: [...sys.equations]
          .map((e) => ({ total: e.total, parts: [...e.parts].reverse() }))
          .sort(() => rnd() - 0.5),
      };
      expect([...suppress(shuffled)].sort((x, y) => x - y)).toEqual(a);
    }
  });
});
