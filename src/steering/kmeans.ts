/**
 * k-means clustering, deterministic: Lloyd's algorithm exactly as R's
 * `kmeans(x, centers, algorithm = "Lloyd")` runs it (assign every point to the
 * nearest centre, ties to the lower-numbered one; stop when no assignment
 * changes; centres = means of their points), started from k-means++ seeds drawn
 * with a seeded generator, several starts, the one with the smallest total
 * within-cluster sum of squares kept (the first on ties).
 */
import { mulberry32, type Rng } from './prng.js';

type Rows = readonly (readonly number[])[];

export interface KmeansResult {
  /** Cluster of each row, 0-based. */
  cluster: number[];
  centers: number[][];
  /** Within-cluster sum of squares per cluster. */
  withinss: number[];
  totWithinss: number;
  iterations: number;
  converged: boolean;
}

function dist2(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += ((a[j] as number) - (b[j] as number)) ** 2;
  return s;
}

/** Lloyd iterations from the given initial centres (R: `algorithm = "Lloyd"`, `iter.max`). */
export function lloyd(x: Rows, initial: Rows, maxIter = 100): KmeansResult {
  const k = initial.length;
  const p = x[0]?.length ?? 0;
  const centers = initial.map((c) => [...c]);
  const cluster = x.map(() => -1);
  let iterations = 0;
  let converged = false;
  for (let iter = 0; iter < maxIter; iter++) {
    iterations = iter + 1;
    let updated = false;
    x.forEach((row, i) => {
      let best = Number.POSITIVE_INFINITY;
      let inew = 0;
      centers.forEach((c, j) => {
        const d = dist2(row, c);
        if (d < best) {
          best = d;
          inew = j;
        }
      });
      if (cluster[i] !== inew) {
        updated = true;
        cluster[i] = inew;
      }
    });
    if (!updated) {
      converged = true;
      break;
    }
    const sums = Array.from({ length: k }, () => Array.from({ length: p }, () => 0));
    const counts = Array.from({ length: k }, () => 0);
    x.forEach((row, i) => {
      const c = cluster[i] as number;
      counts[c] = (counts[c] as number) + 1;
      row.forEach((v, j) => ((sums[c] as number[])[j] = ((sums[c] as number[])[j] as number) + v));
    });
    // an emptied cluster keeps its centre (R stops with "empty cluster"; k-means++ starts make it rare)
    for (let c = 0; c < k; c++)
      if ((counts[c] as number) > 0) centers[c] = (sums[c] as number[]).map((s) => s / (counts[c] as number));
  }
  const withinss = Array.from({ length: k }, () => 0);
  x.forEach((row, i) => {
    const c = cluster[i] as number;
    withinss[c] = (withinss[c] as number) + dist2(row, centers[c] as number[]);
  });
  return {
    cluster,
    centers,
    withinss,
    totWithinss: withinss.reduce((s, w) => s + w, 0),
    iterations,
    converged,
  };
}

/** k-means++ seeding: the first centre uniformly, each further one with probability ∝ squared distance. */
export function kmeansPlusPlus(x: Rows, k: number, rng: Rng): number[] {
  const n = x.length;
  const chosen = [Math.min(n - 1, Math.floor(rng() * n))];
  const d2 = x.map((row) => dist2(row, x[chosen[0] as number] as number[]));
  while (chosen.length < k) {
    const total = d2.reduce((s, d) => s + d, 0);
    let next: number;
    if (total <= 0) {
      // all remaining points coincide with a centre: take the first not yet chosen
      next = x.findIndex((_, i) => !chosen.includes(i));
    } else {
      let r = rng() * total;
      next = n - 1;
      for (let i = 0; i < n; i++) {
        r -= d2[i] as number;
        if (r < 0 && (d2[i] as number) > 0) {
          next = i;
          break;
        }
      }
    }
    chosen.push(next);
    x.forEach((row, i) => (d2[i] = Math.min(d2[i] as number, dist2(row, x[next] as number[]))));
  }
  return chosen;
}

export interface KmeansOptions {
  k: number;
  /** Seed of the generator for the k-means++ starts. */
  seed: number;
  /** Number of k-means++ starts (default 10). */
  starts?: number;
  maxIter?: number;
}

/** k-means with `starts` seeded k-means++ starts; the best (smallest total within SS, first on ties). */
export function kmeans(x: Rows, options: KmeansOptions): KmeansResult & { startRows: number[] } {
  if (options.k < 1 || options.k > x.length)
    throw new Error(`k-means: k = ${options.k} bei ${x.length} Gebieten nicht möglich`);
  const rng = mulberry32(options.seed);
  let best: (KmeansResult & { startRows: number[] }) | undefined;
  for (let s = 0; s < (options.starts ?? 10); s++) {
    const startRows = kmeansPlusPlus(x, options.k, rng);
    const r = lloyd(
      x,
      startRows.map((i) => x[i] as number[]),
      options.maxIter ?? 100,
    );
    if (!best || r.totWithinss < best.totWithinss - 1e-12) best = { ...r, startRows };
  }
  return best as KmeansResult & { startRows: number[] };
}
