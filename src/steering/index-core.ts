/**
 * The steps of the Sozialindex that the point estimate and every simulated draw share:
 * the usable value matrix, standardisation, the weighted combination and the need ranks.
 */
import { rankScores, zScores } from './matrix.js';
import type { IndexInput, Standardisation } from './types.js';

/** Standardised scores per indicator column, oriented so that higher = more need. */
export function standardise(
  values: readonly (readonly (number | null)[])[],
  directions: readonly (1 | -1)[],
  how: Standardisation,
): (number | null)[][] {
  const oriented = values.map((row) => row.map((v, j) => (v === null ? null : v * (directions[j] as number))));
  if (how === 'z') return zScores(oriented).z;
  const cols = directions.map((_, j) => rankScores(oriented.map((r) => r[j] ?? null)));
  return oriented.map((row, i) => row.map((_, j) => (cols[j] as (number | null)[])[i] ?? null));
}

/** The value matrix (masked cells and non-finite values as null) and the reason per missing cell. */
export function usableValues(input: IndexInput): (number | null)[][] {
  return input.values.map((row) =>
    input.indicators.map((_, j) => {
      const c = row[j];
      if (!c || c.masked || c.value === null || !Number.isFinite(c.value)) return null;
      return c.value;
    }),
  );
}

/** Index of each area from standardised scores and weights; null where too few inputs. */
export function combine(
  scores: readonly (readonly (number | null)[])[],
  weights: readonly number[],
  minInputs: number,
): (number | null)[] {
  return scores.map((row) => {
    let sw = 0;
    let s = 0;
    let used = 0;
    row.forEach((v, j) => {
      if (v === null) return;
      used++;
      s += (weights[j] as number) * v;
      sw += weights[j] as number;
    });
    return used >= minInputs && sw !== 0 ? s / sw : null;
  });
}

/** Ranks, 1 = highest index (most need), ties share the lower rank; null stays null. */
export function needRanks(index: readonly (number | null)[]): (number | null)[] {
  // sorted once (the simulation ranks 1000 times): rank = 1 + number of strictly larger values
  const sorted = index.filter((v): v is number => v !== null).sort((a, b) => b - a);
  const first = new Map<number, number>();
  sorted.forEach((v, i) => {
    if (!first.has(v)) first.set(v, i + 1);
  });
  return index.map((v) => (v === null ? null : (first.get(v) as number)));
}
