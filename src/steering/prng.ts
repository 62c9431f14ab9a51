/**
 * A small seeded pseudo-random generator (mulberry32, 32-bit state) and normal
 * draws from it (Box–Muller). Deterministic across platforms: every operation
 * is 32-bit integer arithmetic or IEEE double arithmetic in a fixed order, so
 * the same seed gives the same k-means starts and the same simulation.
 */

/** A function returning uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a seed (any integer) to a generator of uniform numbers in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from `rng` (Box–Muller, both values of a pair used). */
export function normalDraws(rng: Rng): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // 1 - u keeps the logarithm finite (u can be 0, never 1)
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const phi = 2 * Math.PI * rng();
    spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  };
}
