/**
 * Column statistics of a numeric matrix (rows = Sozialräume, columns =
 * indicators) as R's `scale()` computes them: the mean and the sample standard
 * deviation (divisor n − 1) of each column, over the values present.
 */

/** A matrix as rows of numbers; `null` = no value (masked or missing). */
export type Matrix = readonly (readonly (number | null)[])[];

export interface ColumnStats {
  mean: number;
  /** Sample standard deviation (n − 1); NaN for fewer than 2 values. */
  sd: number;
  /** Number of values present. */
  n: number;
}

/** Mean and sample SD of one list of values (nulls skipped). */
export function stats(values: readonly (number | null)[]): ColumnStats {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, n };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN, n };
}

/** Column `j` of `m`. */
export function column(m: Matrix, j: number): (number | null)[] {
  return m.map((row) => row[j] ?? null);
}

/**
 * z-scores per column, (x − mean) / sd over the values present in that column
 * (R: `scale(x)` for a complete matrix). A column with sd 0 (all values equal)
 * gets z = 0 everywhere: it does not separate the areas.
 */
export function zScores(m: Matrix): { z: (number | null)[][]; stats: ColumnStats[] } {
  const cols = m[0]?.length ?? 0;
  const st = Array.from({ length: cols }, (_, j) => stats(column(m, j)));
  const z = m.map((row) =>
    row.map((v, j) => {
      const s = st[j] as ColumnStats;
      if (v === null || !Number.isFinite(v)) return null;
      return s.sd > 0 ? (v - s.mean) / s.sd : 0;
    }),
  );
  return { z, stats: st };
}

/**
 * Ranks of the values present as percentile scores in [0, 1]: (rank − 1) / (n − 1)
 * with average ranks for ties (0 = lowest value, 1 = highest); one value gets 0.5.
 */
export function rankScores(values: readonly (number | null)[]): (number | null)[] {
  const idx = values.flatMap((v, i) => (v !== null && Number.isFinite(v) ? [i] : []));
  idx.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  const n = idx.length;
  const out: (number | null)[] = values.map(() => null);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1] as number] === values[idx[i] as number]) j++;
    const avg = (i + j) / 2; // 0-based average rank of the tie group
    for (let k = i; k <= j; k++) out[idx[k] as number] = n > 1 ? avg / (n - 1) : 0.5;
    i = j + 1;
  }
  return out;
}
