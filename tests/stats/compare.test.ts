import { describe, expect, it } from 'vitest';
import { exceedsReference, orient } from '../../src/stats/index.js';
import type { Direction, Polarity } from '../../src/stats/index.js';

describe('exceedsReference (the area CI excludes the reference)', () => {
  it.each([
    [{ low: 0.12, high: 0.2 }, 0.1, 'higher'],
    [{ low: 0.02, high: 0.08 }, 0.1, 'lower'],
    [{ low: 0.05, high: 0.15 }, 0.1, 'not_distinguishable'],
    [{ low: 0.1, high: 0.2 }, 0.1, 'not_distinguishable'], // on the boundary: not excluded
    [{ low: 0, high: 0.1 }, 0.1, 'not_distinguishable'],
    [{ low: 0.05, high: 0.15 }, NaN, 'not_distinguishable'],
    [{ low: NaN, high: NaN }, 0.1, 'not_distinguishable'],
  ] as const)('%o vs %d -> %s', (ci, ref, want) => {
    expect(exceedsReference(ci, ref)).toBe(want);
  });
});

describe('orient (direction read through polarity)', () => {
  const table: [Direction, Polarity, string][] = [
    ['higher', 'worse', 'worse'],
    ['lower', 'worse', 'better'],
    ['higher', 'better', 'better'],
    ['lower', 'better', 'worse'],
    ['higher', 'neutral', 'higher'],
    ['lower', 'neutral', 'lower'],
    ['not_distinguishable', 'worse', 'not_distinguishable'],
    ['not_distinguishable', 'better', 'not_distinguishable'],
    ['not_distinguishable', 'neutral', 'not_distinguishable'],
  ];
  it.each(table)('%s with polarity %s -> %s', (dir, pol, want) => {
    expect(orient(dir, pol)).toBe(want);
  });
});
