import { describe, expect, it } from 'vitest';
import {
  garwoodTable,
  pgamma,
  poissonExact,
  pt,
  qchisq,
  qgamma,
  qnorm,
  qt,
  tQuantileTable,
  weightedTrend,
  wilson,
  zValue,
} from '../../src/stats/index.js';

describe('distribution edge cases', () => {
  it('qnorm', () => {
    expect(qnorm(0)).toBe(-Infinity);
    expect(qnorm(1)).toBe(Infinity);
    expect(qnorm(0.5)).toBe(0);
    expect(qnorm(-0.1)).toBeNaN();
    expect(qnorm(NaN)).toBeNaN();
  });
  it('qchisq / qgamma: p = 0, p = 1, df = 0, upper tail', () => {
    expect(qchisq(0, 5)).toBe(0);
    expect(qchisq(1, 5)).toBe(Infinity);
    expect(qchisq(0.3, 0)).toBe(0);
    expect(qchisq(0, 0)).toBe(0);
    expect(qchisq(1.2, 3)).toBeNaN();
    expect(qchisq(0.5, -1)).toBeNaN();
    expect(qgamma(0.025, 4, false)).toBeCloseTo(qgamma(0.975, 4), 12);
    expect(qgamma(0, 4, false)).toBe(Infinity);
    expect(qgamma(1, 4, false)).toBe(0);
  });
  it('pgamma', () => {
    expect(pgamma(0, 3)).toBe(0);
    expect(pgamma(2, 0)).toBe(1);
    expect(pgamma(Infinity, 3)).toBe(1);
    expect(pgamma(1, 1)).toBeCloseTo(1 - Math.exp(-1), 15);
  });
  it('qt / pt', () => {
    expect(qt(0.5, 3)).toBe(0);
    expect(qt(0, 3)).toBe(-Infinity);
    expect(qt(1, 3)).toBe(Infinity);
    expect(qt(0.975, Infinity)).toBe(qnorm(0.975));
    expect(qt(0.975, 0)).toBeNaN();
    expect(qt(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 12);
    expect(qt(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 13);
    expect(pt(0, 7)).toBe(0.5);
    expect(pt(-Infinity, 7)).toBe(0);
    expect(pt(Infinity, 7)).toBe(1);
  });
  it('zValue rejects confidence outside (0, 1)', () => {
    for (const c of [0, 1, -0.5, 1.5, NaN]) expect(() => zValue(c)).toThrow(RangeError);
  });
});

describe('wilson edge cases', () => {
  it('n = 0 gives null', () => {
    expect(wilson(0, 0)).toBeNull();
  });
  it('n = 1', () => {
    expect(wilson(0, 1)!.low).toBe(0);
    expect(wilson(1, 1)!.high).toBe(1);
    expect(wilson(0, 1)!.high).toBeCloseTo(1 - wilson(1, 1)!.low, 15);
  });
  it('rejects invalid input', () => {
    for (const [k, n] of [
      [-1, 5],
      [6, 5],
      [NaN, 5],
      [1, NaN],
      [1, Infinity],
      [1, 0],
    ]) {
      expect(() => wilson(k!, n!)).toThrow(RangeError);
    }
    expect(() => wilson(1, 5, 1)).toThrow(RangeError);
  });
  it('huge n stays NaN-free and tight', () => {
    const ci = wilson(1, 1e12)!;
    expect(ci.low > 0 && ci.low < 1e-12 && ci.high > 1e-12 && ci.high < 1e-11).toBe(true);
  });
});

describe('poissonExact edge cases', () => {
  it('k = 0', () => {
    const ci = poissonExact(0);
    expect(ci.low).toBe(0);
    expect(ci.high).toBeCloseTo(-Math.log(0.025), 13); // Q(1, μ) = e^-μ
  });
  it('rejects invalid input', () => {
    for (const k of [-1, NaN, Infinity]) expect(() => poissonExact(k)).toThrow(RangeError);
    expect(() => poissonExact(3, 0)).toThrow(RangeError);
  });
  it('non-integer k lies between its integer neighbours', () => {
    const [a, b, c] = [poissonExact(2), poissonExact(2.5), poissonExact(3)];
    expect(a.low < b.low && b.low < c.low && a.high < b.high && b.high < c.high).toBe(true);
  });
});

describe('weightedTrend edge cases', () => {
  const p = (x: number, y: number, w = 1) => ({ x, y, w });
  it('fewer than two usable points, all weights 0, or a single x give null', () => {
    expect(weightedTrend([])).toBeNull();
    expect(weightedTrend([p(2020, 1)])).toBeNull();
    expect(weightedTrend([p(2020, 1, 0), p(2021, 2, 0), p(2022, 3, 0)])).toBeNull();
    expect(weightedTrend([p(2020, 1), p(2021, 2, 0)])).toBeNull();
    expect(weightedTrend([p(2020, 1), p(2020, 2), p(2020, 4)])).toBeNull();
  });
  it('two points: slope through them, no se/CI', () => {
    const fit = weightedTrend([p(2020, 10, 3), p(2022, 14, 1)])!;
    expect(fit.slope).toBe(2);
    expect(fit.intercept).toBeCloseTo(10 - 2 * 2020, 9);
    expect(fit).toMatchObject({ df: 0, se: null, low: null, high: null });
  });
  it('zero weights and non-finite points do not count', () => {
    const base = [p(2020, 10), p(2021, 12), p(2022, 13), p(2023, 13)];
    const fit = weightedTrend([...base, p(2024, 99, 0), p(2025, NaN), p(NaN, 1), p(2026, 1, NaN)])!;
    expect(fit).toEqual(weightedTrend(base));
    expect(fit.df).toBe(2);
  });
  it('perfect fit and constant series give se = 0', () => {
    const line = weightedTrend([p(2015, 3.5, 2), p(2016, 3.75, 7), p(2019, 4.5, 1)])!;
    expect(line.slope).toBeCloseTo(0.25, 14);
    expect(line.se).toBe(0);
    const flat = weightedTrend([p(2015, 7), p(2016, 7), p(2017, 7)])!;
    expect(flat).toMatchObject({ slope: 0, se: 0, low: 0, high: 0, df: 1 });
  });
  it('rejects negative weights', () => {
    expect(() => weightedTrend([p(2020, 1), p(2021, 2, -1), p(2022, 3)])).toThrow(RangeError);
  });
});

describe('lookup tables', () => {
  it('garwoodTable: distinct ks ascending, same numbers as poissonExact', () => {
    const t = garwoodTable([5, 0, 5, 2.5, 1], 0.9);
    expect(t.map((r) => r.k)).toEqual([0, 1, 2.5, 5]);
    for (const r of t) expect({ low: r.low, high: r.high }).toEqual(poissonExact(r.k, 0.9));
    expect(garwoodTable([])).toEqual([]);
    expect(() => garwoodTable([-1])).toThrow(RangeError);
  });
  it('tQuantileTable: df 1..maxDf', () => {
    expect(tQuantileTable(0)).toEqual([]);
    const t = tQuantileTable(5, 0.99);
    expect(t.map((r) => r.df)).toEqual([1, 2, 3, 4, 5]);
    for (const r of t) expect(r.q).toBe(qt((1 - 0.99) / 2, r.df, false));
  });
});
