/** z-scores, ranks, Jacobi PCA, k-means and the generator on hand-computed cases. */
import { describe, expect, it } from 'vitest';
import { rankScores, stats, zScores } from '../../src/steering/matrix.js';
import { firstComponent, jacobiEigen } from '../../src/steering/pca.js';
import { kmeans, kmeansPlusPlus, lloyd } from '../../src/steering/kmeans.js';
import { mulberry32, normalDraws } from '../../src/steering/prng.js';

describe('column statistics', () => {
  it('z-scores use the sample SD (n − 1), as R scale()', () => {
    const { z, stats: st } = zScores([
      [1, 10],
      [2, 20],
      [3, null],
    ]);
    expect(st[0]).toEqual({ mean: 2, sd: 1, n: 3 });
    expect(z.map((r) => r[0])).toEqual([-1, 0, 1]);
    // second column over its two values: mean 15, sd √50
    expect(z[0]?.[1]).toBeCloseTo(-5 / Math.sqrt(50), 14);
    expect(z[2]?.[1]).toBeNull();
  });

  it('a constant column standardises to 0, not NaN', () => {
    expect(zScores([[4], [4], [4]]).z.map((r) => r[0])).toEqual([0, 0, 0]);
  });

  it('rank scores: (rank − 1) / (n − 1) with average ranks for ties', () => {
    expect(rankScores([10, 30, 20, 20, null])).toEqual([0, 1, 0.5, 0.5, null]);
    expect(rankScores([7])).toEqual([0.5]);
  });

  it('stats of an empty column are NaN with n = 0', () => {
    const s = stats([null, null]);
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.mean)).toBe(true);
  });
});

describe('principal components', () => {
  it('Jacobi finds the eigenpairs of [[2,1],[1,2]]: 3 along (1,1), 1 along (1,−1)', () => {
    const { values, vectors } = jacobiEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]?.[0] as number)).toBeCloseTo(Math.SQRT1_2, 12);
    expect((vectors[0]?.[0] as number) * (vectors[0]?.[1] as number)).toBeGreaterThan(0);
  });

  it('Jacobi on a diagonal matrix sorts the eigenvalues descending', () => {
    expect(
      jacobiEigen([
        [1, 0, 0],
        [0, 5, 0],
        [0, 0, 3],
      ]).values,
    ).toEqual([5, 3, 1]);
  });

  it('first component of two perfectly correlated columns: equal loadings, all variance', () => {
    const z = zScores([
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 8],
    ]).z as number[][];
    const pc = firstComponent(z);
    expect(pc.loadings[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(pc.loadings[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(pc.explained).toBeCloseTo(1, 12);
  });

  it('the sign is fixed so that the loadings sum to a positive number', () => {
    // negatively correlated columns with unequal spread: loadings (a, −b) with a > b after the sign fix
    const z = zScores([
      [1, 9],
      [2, 7],
      [3, 8],
      [4, 1],
    ]).z as number[][];
    const pc = firstComponent(z);
    expect((pc.loadings[0] as number) + (pc.loadings[1] as number)).toBeGreaterThanOrEqual(0);
  });
});

describe('k-means', () => {
  it('Lloyd from fixed starts on 0, 1, 10, 11: two steps to {0, 1} and {10, 11}', () => {
    const r = lloyd([[0], [1], [10], [11]], [[0], [1]]);
    expect(r.cluster).toEqual([0, 0, 1, 1]);
    expect(r.centers).toEqual([[0.5], [10.5]]);
    expect(r.withinss).toEqual([0.5, 0.5]);
    expect(r.totWithinss).toBe(1);
    expect(r.converged).toBe(true);
    // assign (0 | 1,10,11), move to 0 and 22/3, assign (0,1 | 10,11), move, no change
    expect(r.iterations).toBe(3);
  });

  it('ties go to the lower-numbered centre (as R)', () => {
    expect(lloyd([[5]], [[4], [6]]).cluster).toEqual([0]);
  });

  it('k-means++ with a seed is deterministic and picks distinct rows', () => {
    const x = [[0], [1], [2], [10], [11], [12], [20], [21]];
    const a = kmeansPlusPlus(x, 3, mulberry32(7));
    expect(kmeansPlusPlus(x, 3, mulberry32(7))).toEqual(a);
    expect(new Set(a).size).toBe(3);
  });

  it('seeded starts find the three obvious groups', () => {
    const x = [[0], [1], [2], [10], [11], [12], [20], [21], [22]];
    const r = kmeans(x, { k: 3, seed: 1, starts: 5 });
    expect(r.totWithinss).toBeCloseTo(6, 12);
    expect(new Set(r.cluster.slice(0, 3)).size).toBe(1);
    expect(r.cluster[0]).not.toBe(r.cluster[3]);
  });

  it('refuses k larger than the number of areas', () => {
    expect(() => kmeans([[1], [2]], { k: 3, seed: 1 })).toThrow(/k = 3 bei 2 Gebieten/);
  });
});

describe('seeded generator', () => {
  it('mulberry32 repeats for the same seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('normal draws have mean about 0 and SD about 1', () => {
    const n = normalDraws(mulberry32(1));
    const xs = Array.from({ length: 20000 }, () => n());
    const s = stats(xs);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.sd - 1)).toBeLessThan(0.03);
  });
});
