/**
 * The library's adversary (peeling + sparse floating-point Gauss-Jordan with a
 * 1e-9 tolerance) against the exact BigInt-rational one, on random projects
 * with random masks: both must find exactly the same recoverable cells.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recoverable } from '../../src/privacy/index.js';
import { exactAttack } from './exact.js';
import {
  adversaryEquations,
  isKnown,
  isSecret,
  projectArb,
  projectCells,
  publishedValues,
  toSystem,
  type Cell,
} from './project.js';

describe('adversary', () => {
  it('agrees with exact rational elimination on random masks', () => {
    let nonTrivial = 0;
    fc.assert(
      fc.property(
        projectArb({ flags: true }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 5, max: 60 }),
        (p, seed, pct) => {
          const cells = projectCells(p);
          let s = seed;
          const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
          const masked = new Set(
            cells.filter((c) => isKnown(c) && (isSecret(c, p.threshold) || rnd() * 100 < pct)).map((c) => c.id),
          );
          const lib = recoverable(toSystem(cells, p.threshold), masked);
          const isMasked = (c: Cell) => masked.has(c.id);
          const targets = cells.filter((c) => masked.has(c.id) || isSecret(c, p.threshold)).map((c) => c.id);
          const exact = [
            ...exactAttack(adversaryEquations(cells), publishedValues(cells, isMasked), targets).keys(),
          ].sort((a, b) => a - b);
          expect(lib).toEqual(exact);
          if (lib.length > 0 && lib.length < targets.length) nonTrivial++;
        },
      ),
      { seed: 4711, numRuns: 400 },
    );
    expect(nonTrivial).toBeGreaterThan(50);
  }, 60_000);
});
