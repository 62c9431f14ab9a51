/** The outputs quoted in the TSDoc examples of src/stats are what the code returns. */
import { describe, expect, it } from 'vitest';
import * as s from '../../src/stats/index.js';

const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(2e-15 * Math.max(1, Math.abs(b)));

describe('TSDoc examples', () => {
  it('normal', () => {
    near(s.qnorm(0.975), 1.9599639845400536);
    near(s.zValue(0.95), 1.9599639845400536);
    near(s.zValue(0.9), 1.6448536269514715);
  });
  it('gamma / chi-square', () => {
    near(s.pgamma(1, 1), 0.6321205588285578);
    near(s.pgamma(3, 2, false), 0.19914827347145558);
    near(s.qgamma(0.975, 5), 10.2415886754037);
    near(s.qchisq(0.95, 1), 3.841458820694125);
    near(s.qchisq(0.025, 2), 0.050635615968579746);
    near(s.qchisq(0.5, 2.5), 1.8738477677808802);
    near(s.pchisq(3.841458820694124, 1), 0.95);
  });
  it('beta / t', () => {
    near(s.pbeta(0.5, 2, 3), 0.6875000000000002);
    near(s.pbeta(0.1, 0.5, 0.5), 0.20483276469913314);
    near(s.pt(-2, 5), 0.05096973941492923);
    near(s.pt(1, 1), 0.7499999999999998);
    near(s.dt(0, 1), 0.31830988618379047);
    near(s.qt(0.975, 1), 12.706204736174682);
    near(s.qt(0.975, 10), 2.2281388519862744);
    near(s.qt(0.025, 3), -3.1824463052837073);
  });
  it('log-gamma helpers', () => {
    near(s.lgamma(0.5), 0.5723649429247004);
    near(s.lgamma(10), 12.80182748008147);
    near(s.lbeta(0.5, 0.5), 1.1447298858494008);
    near(s.lbeta(5e5, 0.5), -5.988816495777464);
    near(s.bd0(100, 101), 0.004966914683191715);
    near(s.stirlerr(10), 0.00833056343336287);
  });
  it('intervals, trend, tables', () => {
    expect(s.wilson(3, 20)).toEqual({ low: 0.052368745896216616, high: 0.3604188647407569 });
    expect(s.wilson(0, 10)).toEqual({ low: 0, high: 0.27753279986288915 });
    expect(s.wilson(0, 0)).toBeNull();
    expect(s.poissonExact(0)).toEqual({ low: 0, high: 3.688879454113936 });
    expect(s.poissonExact(10)).toEqual({ low: 4.795388696132435, high: 18.390356042017775 });
    expect(s.poissonExact(4)).toEqual({ low: 1.089865373626325, high: 10.2415886754037 });
    const fit = s.weightedTrend([
      { x: 2020, y: 10, w: 1 },
      { x: 2021, y: 12, w: 1 },
      { x: 2022, y: 13, w: 2 },
    ])!;
    near(fit.slope, 1.4545454545454546);
    near(fit.intercept, -2928);
    near(fit.se!, 0.25712973861328997);
    near(fit.low!, -1.8125976480340884);
    near(fit.high!, 4.721688557124997);
    expect(fit.df).toBe(1);
    expect(s.garwoodTable([3, 0, 3])).toEqual([
      { k: 0, low: 0, high: 3.688879454113936 },
      { k: 3, low: 0.6186721228956011, high: 8.767273069742325 },
    ]);
    const tq = s.tQuantileTable(3);
    near(tq[0]!.q, 12.706204736174682);
    near(tq[1]!.q, 4.302652729749462);
    near(tq[2]!.q, 3.182446305283707);
  });
});
