/** Property tests (fast-check, fixed seed, bounded runs). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pgamma, poissonExact, pt, qgamma, qnorm, qt, weightedTrend, wilson } from '../../src/stats/index.js';

const opts = { seed: 20240601, numRuns: 400 };
const conf = fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.999);
/** A ≤ b up to rounding (4 ulp-ish). */
const le = (a: number, b: number) => a <= b + 1e-14 * Math.abs(b) + 1e-300;

/** (k, n) with n in [1, 1e6] and 0 ≤ k ≤ n, integer or not, with k = 0 and k = n often. */
const kn = fc
  .tuple(
    fc.integer({ min: 1, max: 1_000_000 }),
    fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)),
    fc.boolean(),
  )
  .map(([n, f, integer]) => ({ n, k: integer ? Math.round(f * n) : f * n }));

describe('wilson', () => {
  it('0 ≤ low ≤ k/n ≤ high ≤ 1, finite', () => {
    fc.assert(
      fc.property(kn, conf, ({ k, n }, c) => {
        const ci = wilson(k, n, c)!;
        expect(Number.isFinite(ci.low) && Number.isFinite(ci.high)).toBe(true);
        expect(0 <= ci.low && ci.low <= k / n && k / n <= ci.high && ci.high <= 1).toBe(true);
      }),
      opts,
    );
  });

  it('k = 0 and k = n give valid, non-degenerate intervals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), conf, (n, c) => {
        const zero = wilson(0, n, c)!;
        expect(zero.low).toBe(0);
        expect(zero.high > 0 && zero.high < 1).toBe(true);
        const all = wilson(n, n, c)!;
        expect(all.high).toBe(1);
        expect(all.low > 0 && all.low < 1).toBe(true);
        // symmetry: the interval for n − k mirrors the one for k
        expect(all.low).toBeCloseTo(1 - zero.high, 14);
      }),
      opts,
    );
  });

  it('is wider for a higher confidence', () => {
    fc.assert(
      fc.property(kn, conf, conf, ({ k, n }, c1, c2) => {
        fc.pre(c1 < c2);
        const a = wilson(k, n, c1)!;
        const b = wilson(k, n, c2)!;
        expect(le(b.low, a.low) && le(a.high, b.high)).toBe(true);
        expect(b.high - b.low > a.high - a.low).toBe(true);
      }),
      opts,
    );
  });

  it('is monotone in k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        conf,
        (n, f1, f2, c) => {
          const [k1, k2] = [Math.min(f1, f2) * n, Math.max(f1, f2) * n];
          const a = wilson(k1, n, c)!;
          const b = wilson(k2, n, c)!;
          expect(le(a.low, b.low) && le(a.high, b.high)).toBe(true);
        },
      ),
      opts,
    );
  });
});

describe('poissonExact', () => {
  const count = fc.oneof(
    fc.integer({ min: 0, max: 200_000 }),
    fc.double({ min: 0, max: 5000, noNaN: true }),
    fc.constant(0),
  );

  it('0 ≤ low ≤ k ≤ high, finite; k = 0 gives low = 0', () => {
    fc.assert(
      fc.property(count, conf, (k, c) => {
        const ci = poissonExact(k, c);
        expect(Number.isFinite(ci.low) && Number.isFinite(ci.high)).toBe(true);
        expect(0 <= ci.low && ci.low <= k && k < ci.high).toBe(true);
        if (k === 0) expect(ci.low).toBe(0);
      }),
      opts,
    );
  });

  it('is wider for a higher confidence', () => {
    fc.assert(
      fc.property(count, conf, conf, (k, c1, c2) => {
        fc.pre(c1 < c2);
        const a = poissonExact(k, c1);
        const b = poissonExact(k, c2);
        expect(le(b.low, a.low) && le(a.high, b.high)).toBe(true);
        expect(b.high - b.low > a.high - a.low).toBe(true);
      }),
      opts,
    );
  });

  it('is monotone in k (integer and non-integer)', () => {
    fc.assert(
      fc.property(count, count, conf, (x, y, c) => {
        const a = poissonExact(Math.min(x, y), c);
        const b = poissonExact(Math.max(x, y), c);
        expect(le(a.low, b.low) && le(a.high, b.high)).toBe(true);
      }),
      opts,
    );
  });

  it('bounds are the α/2 quantiles: P(X ≥ k | low) = α/2 and P(X ≤ k | high) = α/2 (integer k)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), conf, (k, c) => {
        const ci = poissonExact(k, c);
        const half = (1 - c) / 2;
        // P(X ≥ k | μ) = P(Gamma(k) ≤ μ);  P(X ≤ k | μ) = P(Gamma(k + 1) > μ)
        expect(pgamma(ci.low, k)).toBeCloseTo(half, 12);
        expect(pgamma(ci.high, k + 1, false)).toBeCloseTo(half, 12);
      }),
      opts,
    );
  });
});

describe('quantile functions invert their distribution functions', () => {
  const prob = fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true });

  it('pgamma(qgamma(p, a), a) = p', () => {
    fc.assert(
      fc.property(prob, fc.double({ min: 0.05, max: 1e5, noNaN: true }), (p, a) => {
        const x = qgamma(p, a);
        const back = p <= 0.5 ? pgamma(x, a) : pgamma(x, a, false);
        const target = p <= 0.5 ? p : 1 - p;
        expect(Math.abs(back - target) / target).toBeLessThan(1e-11);
      }),
      opts,
    );
  });

  it('pt(qt(p, df), df) = p and qt is odd', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 0.5, noNaN: true }),
        fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.3, max: 1e6, noNaN: true })),
        (p, df) => {
          const t = qt(p, df);
          expect(t).toBeLessThanOrEqual(0);
          expect(Math.abs(pt(t, df) - p) / p).toBeLessThan(1e-11);
          expect(qt(p, df, false) === -t).toBe(true);
        },
      ),
      opts,
    );
  });

  it('qnorm is odd (exactly, for dyadic p) and increasing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 20 - 1 }),
        fc.double({ min: 1e-300, max: 1, noNaN: true }),
        fc.double({ min: 1e-300, max: 1, noNaN: true }),
        (i, p, q) => {
          const d = i / 2 ** 20; // 1 − d is exact
          expect(qnorm(d)).toBe(-qnorm(1 - d));
          if (p < q) expect(qnorm(p)).toBeLessThanOrEqual(qnorm(q));
        },
      ),
      opts,
    );
  });
});

describe('weightedTrend', () => {
  const series = fc
    .tuple(
      fc.integer({ min: 3, max: 12 }),
      fc.double({ min: 1, max: 500, noNaN: true }),
      fc.double({ min: -20, max: 20, noNaN: true }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    )
    .map(([n, base, slope, seed]) => {
      let s = seed;
      const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      return Array.from({ length: n }, (_, i) => ({
        x: 2013 + i,
        y: base + slope * i + (rnd() - 0.5) * base * 0.2,
        w: 20 + Math.floor(rnd() * 5000),
      }));
    });

  it('the slope CI contains the slope and is wider for higher confidence', () => {
    fc.assert(
      fc.property(series, conf, conf, (pts, c1, c2) => {
        fc.pre(c1 < c2);
        const a = weightedTrend(pts, c1)!;
        const b = weightedTrend(pts, c2)!;
        expect(a.df).toBe(pts.length - 2);
        expect(a.low! <= a.slope && a.slope <= a.high!).toBe(true);
        expect(b.low! <= a.low! && a.high! <= b.high!).toBe(true);
      }),
      opts,
    );
  });

  it('is invariant to scaling the weights and shifting x (slope, se)', () => {
    fc.assert(
      fc.property(
        series,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.integer({ min: -3000, max: 3000 }),
        (pts, scale, shift) => {
          const a = weightedTrend(pts)!;
          const b = weightedTrend(pts.map((p) => ({ x: p.x + shift, y: p.y, w: p.w * scale })))!;
          expect(Math.abs(b.slope - a.slope)).toBeLessThan(1e-9 * (Math.abs(a.slope) + a.se!));
          expect(Math.abs(b.se! - a.se!)).toBeLessThan(1e-9 * (a.se! + 1e-12));
        },
      ),
      opts,
    );
  });

  it('an exact line is recovered with se = 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 12 }),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, slope, intercept) => {
          const pts = Array.from({ length: n }, (_, i) => ({ x: 2013 + i, y: intercept + slope * i, w: 1 + (i % 3) }));
          const fit = weightedTrend(pts)!;
          expect(fit.slope).toBeCloseTo(slope, 10);
          expect(fit.se).toBe(0);
          expect(fit.low).toBe(fit.slope);
          expect(fit.high).toBe(fit.slope);
        },
      ),
      opts,
    );
  });
});
