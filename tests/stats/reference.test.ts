/**
 * Agreement with R (values from reference/make-reference.R, R 4.2.2).
 *
 * Criterion: relative deviation ≤ 1e-9 for every value, relative to |R value| (exact
 * match where R gives 0). For the trend CI bounds, which can be a near-cancellation
 * `slope ± t·se`, relative to |slope| + t·se. Maximum absolute deviations are printed too.
 *
 * Where we and R differ by more than ~1e-13 (qt with df = 0.5 far in the tail; the trend
 * intercept at year 0, which R gets from a QR of uncentred years), a 40-digit mpmath
 * check showed our value to be the closer one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  poissonExact,
  qchisq,
  qnorm,
  qt,
  tQuantileTable,
  garwoodTable,
  weightedTrend,
  wilson,
  zValue,
} from '../../src/stats/index.js';
import type { TrendPoint } from '../../src/stats/index.js';
import { readReference, Tracker } from './helpers.js';

const trackers: Tracker[] = [];
function track(name: string): Tracker {
  const t = new Tracker(name);
  trackers.push(t);
  return t;
}
afterAll(() => {
  console.log(
    ['deviation from R (criterion: relative deviation <= 1e-9):', ...trackers.map((t) => t.summary())].join('\n'),
  );
});

describe('agreement with R', () => {
  it('qnorm', () => {
    const t = track('qnorm');
    for (const r of readReference('qnorm.csv', ['p', 'q'])) t.add(`qnorm(${r.p})`, qnorm(r.p!), r.q!);
    expect(t.failures).toEqual([]);
  });

  it('qt (df 1..60, non-integer, up to 1e7)', () => {
    const t = track('qt');
    for (const r of readReference('qt.csv', ['p', 'df', 'q'])) t.add(`qt(${r.p}, ${r.df})`, qt(r.p!, r.df!), r.q!);
    expect(t.failures).toEqual([]);
  });

  it('qchisq (incl. df = 0, p = 0, non-integer df)', () => {
    const t = track('qchisq');
    for (const r of readReference('qchisq.csv', ['p', 'df', 'q']))
      t.add(`qchisq(${r.p}, ${r.df})`, qchisq(r.p!, r.df!), r.q!);
    expect(t.failures).toEqual([]);
  });

  it('wilson = prop.test(k, n, correct = FALSE)$conf.int', () => {
    const t = track('wilson');
    for (const r of readReference('wilson.csv', ['k', 'n', 'conf', 'low', 'high'])) {
      const ci = wilson(r.k!, r.n!, r.conf!);
      const label = `wilson(${r.k}, ${r.n}, ${r.conf})`;
      t.add(`${label}.low`, ci?.low ?? null, r.low!);
      t.add(`${label}.high`, ci?.high ?? null, r.high!);
    }
    expect(t.failures).toEqual([]);
  });

  it('poissonExact = poisson.test(k)$conf.int (integer k)', () => {
    const t = track('poissonExact');
    for (const r of readReference('poisson.csv', ['k', 'conf', 'low', 'high'])) {
      const ci = poissonExact(r.k!, r.conf!);
      t.add(`poissonExact(${r.k}, ${r.conf}).low`, ci.low, r.low!);
      t.add(`poissonExact(${r.k}, ${r.conf}).high`, ci.high, r.high!);
    }
    expect(t.failures).toEqual([]);
  });

  it('poissonExact, non-integer k = qgamma(α/2, k), qgamma(1 − α/2, k + 1)', () => {
    const t = track('poisson nonint');
    for (const r of readReference('poisson_nonint.csv', ['k', 'conf', 'low', 'high'])) {
      const ci = poissonExact(r.k!, r.conf!);
      t.add(`poissonExact(${r.k}, ${r.conf}).low`, ci.low, r.low!);
      t.add(`poissonExact(${r.k}, ${r.conf}).high`, ci.high, r.high!);
    }
    expect(t.failures).toEqual([]);
  });

  it('weightedTrend = lm(y ~ x, weights = w) + confint', () => {
    const t = track('weightedTrend');
    const points = new Map<number, TrendPoint[]>();
    for (const r of readReference('trend_points.csv', ['case', 'x', 'y', 'w'])) {
      const list = points.get(r.case!) ?? [];
      list.push({ x: r.x!, y: r.y!, w: r.w! });
      points.set(r.case!, list);
    }
    const fits = readReference('trend_fit.csv', ['case', 'conf', 'slope', 'intercept', 'se', 'df', 'low', 'high']);
    expect(new Set(fits.map((f) => f.case)).size).toBeGreaterThanOrEqual(30);
    for (const r of fits) {
      const fit = weightedTrend(points.get(r.case!)!, r.conf!);
      expect(fit).not.toBeNull();
      const label = `case ${r.case} conf ${r.conf}`;
      t.add(`${label} slope`, fit!.slope, r.slope!);
      t.add(`${label} intercept`, fit!.intercept, r.intercept!);
      t.add(`${label} se`, fit!.se, r.se);
      t.add(`${label} df`, fit!.df, r.df!);
      const scale = r.low === null || r.high === null ? 0 : Math.abs(r.slope!) + (r.high - r.low) / 2;
      t.add(`${label} low`, fit!.low, r.low, scale);
      t.add(`${label} high`, fit!.high, r.high, scale);
    }
    expect(t.failures).toEqual([]);
  });

  it('lookup tables reproduce the same R values', () => {
    const t = track('tables');
    const qtRows = readReference('qt.csv', ['p', 'df', 'q']).filter(
      (r) => r.p === 0.975 && Number.isInteger(r.df) && r.df! <= 60,
    );
    const table = tQuantileTable(60, 0.95);
    expect(table.map((r) => r.df)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const r of qtRows) t.add(`tQuantileTable df ${r.df}`, table[r.df! - 1]!.q, r.q!);
    const pois = readReference('poisson.csv', ['k', 'conf', 'low', 'high']).filter((r) => r.conf === 0.95);
    const garwood = garwoodTable([...pois.map((r) => r.k!), ...pois.map((r) => r.k!)], 0.95);
    expect(garwood.length).toBe(pois.length);
    for (const [i, r] of pois.entries()) {
      expect(garwood[i]!.k).toBe(r.k);
      t.add(`garwoodTable k ${r.k} low`, garwood[i]!.low, r.low!);
      t.add(`garwoodTable k ${r.k} high`, garwood[i]!.high, r.high!);
    }
    const z = readReference('qnorm.csv', ['p', 'q']);
    for (const c of [0.9, 0.95, 0.99]) {
      t.add(`zValue(${c})`, zValue(c), z.find((r) => r.p === (1 + c) / 2)!.q!);
    }
    expect(t.failures).toEqual([]);
  });
});
