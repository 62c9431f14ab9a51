/**
 * Sozialraumtypen: Sozialräume grouped by the similarity of their profiles, as
 * ZEFIR's Sozialraumtypen (and city typologies) do by cluster analysis of
 * standardised indicators.
 *
 * ```
 * published values ─ complete cases only (a masked input: no type)
 *   ─ oriented z-scores (higher = more need) ─ k-means (seeded k-means++, Lloyd)
 *   ─ types numbered by need (Typ 1 = highest mean centroid z)
 *   ─ label from the centroid profile (|z| ≥ 0.5 names an indicator)
 * ```
 */
import { kmeans } from './kmeans.js';
import { standardise, usableValues } from './index-core.js';
import { TooFewAreasError, type IndexInput } from './types.js';

export interface TypenOptions {
  /** Number of types (default 4). */
  k?: number;
  /** Seed of the k-means++ starts (default 1). */
  seed?: number;
  /** Number of starts (default 10). */
  starts?: number;
}

export interface SozialraumTyp {
  /** 1 = highest need (mean of the centroid's z-scores). */
  typ: number;
  label: string;
  /** Centroid per indicator (oriented z-score: positive = more need than the average Sozialraum). */
  centroid: { indicator: string; z: number }[];
  members: number;
}

export interface TypenResult {
  /** Type of each area (null: an input masked or missing). */
  assignments: { id: string; name?: string; typ: number | null }[];
  types: SozialraumTyp[];
  k: number;
  seed: number;
  starts: number;
  /** Share of the total sum of squares between the types (0..1). */
  betweenShare: number;
}

/** Threshold on a centroid's z-score that names an indicator in the type's label. */
export const LABEL_Z = 0.5;

function joinDe(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} und ${xs[xs.length - 1]}`;
}

/** Centroid z-score from which "deutlich" (clearly) above / below is said. */
export const STRONG_Z = 1;

const GROUPS = [
  {
    test: (z: number) => z >= STRONG_Z,
    head: 'deutlich überdurchschnittliche Belastung',
    tail: 'deutlich überdurchschnittlich',
  },
  {
    test: (z: number) => z >= LABEL_Z && z < STRONG_Z,
    head: 'überdurchschnittliche Belastung',
    tail: 'überdurchschnittlich',
  },
  {
    test: (z: number) => z <= -LABEL_Z && z > -STRONG_Z,
    head: 'unterdurchschnittliche Belastung',
    tail: 'unterdurchschnittlich',
  },
  {
    test: (z: number) => z <= -STRONG_Z,
    head: 'deutlich unterdurchschnittliche Belastung',
    tail: 'deutlich unterdurchschnittlich',
  },
] as const;

/**
 * German label of a type from its centroid: the indicators half an SD or more from the average,
 * "deutlich" from one SD, e.g. "überdurchschnittliche Belastung bei SGB II und Sprachförderbedarf".
 */
export function typeLabel(centroid: readonly { label: string; z: number }[]): string {
  const parts = GROUPS.map((g) => ({ g, names: centroid.filter((c) => g.test(c.z)).map((c) => c.label) })).filter(
    (p) => p.names.length > 0,
  );
  const [first, ...rest] = parts;
  if (!first) return 'durchschnittliche Lage bei allen Merkmalen';
  if (first.names.length === centroid.length) return `${first.g.head} bei allen Merkmalen`;
  return [`${first.g.head} bei ${joinDe(first.names)}`, ...rest.map((p) => `${p.g.tail} bei ${joinDe(p.names)}`)].join(
    ', ',
  );
}

/**
 * Sozialraumtypen of the areas of `input` (the same matrix as the Sozialindex).
 * @example
 * ```ts
 * sozialraumtypen(input, { k: 4, seed: 5558 }).types[0]?.label
 * // 'überdurchschnittliche Belastung bei SGB-II-Quote unter 15 und Sprachförderbedarf'
 * ```
 */
export function sozialraumtypen(input: IndexInput, options: TypenOptions = {}): TypenResult {
  const k = options.k ?? 4;
  const seed = options.seed ?? 1;
  const starts = options.starts ?? 10;
  const values = usableValues(input);
  const completeIdx = values.flatMap((r, i) => (r.every((v) => v !== null) ? [i] : []));
  if (completeIdx.length < k)
    throw new TooFewAreasError(
      `Sozialraumtypen: ${k} Typen brauchen mindestens ${k} Sozialräume mit allen Werten, vorhanden ${completeIdx.length}`,
      k,
      completeIdx.length,
    );
  const directions = input.indicators.map((i) => i.direction);
  // standardised among the complete cases, so the centroids read as "above / below the average typed Sozialraum"
  const z = standardise(
    completeIdx.map((i) => values[i] as number[]),
    directions,
    'z',
  ) as number[][];
  const r = kmeans(z, { k, seed, starts });
  // number the types by need: highest mean centroid first (ties: the earlier cluster)
  const order = r.centers
    .map((c, j) => ({ j, need: c.reduce((s, x) => s + x, 0) / c.length }))
    .sort((a, b) => b.need - a.need || a.j - b.j)
    .map((o) => o.j);
  const typOf = new Map(order.map((j, t) => [j, t + 1]));
  const labels = input.indicators.map((ind) => ind.label ?? ind.id);
  const types: SozialraumTyp[] = order.map((j, t) => {
    const c = r.centers[j] as number[];
    return {
      typ: t + 1,
      label: typeLabel(c.map((zj, q) => ({ label: labels[q] as string, z: zj }))),
      centroid: c.map((zj, q) => ({ indicator: (input.indicators[q] as { id: string }).id, z: zj })),
      members: r.cluster.filter((cl) => cl === j).length,
    };
  });
  const assigned = new Map(completeIdx.map((i, q) => [i, typOf.get(r.cluster[q] as number) as number]));
  // total SS of z-scores = (n − 1) · p
  const totalSs = (completeIdx.length - 1) * input.indicators.length;
  return {
    assignments: input.areas.map((a, i) => ({
      id: a.id,
      ...(a.name !== undefined ? { name: a.name } : {}),
      typ: assigned.get(i) ?? null,
    })),
    types,
    k,
    seed,
    starts,
    betweenShare: totalSs > 0 ? 1 - r.totWithinss / totalSs : 0,
  };
}

/**
 * Mean of the published values of a type's Sozialräume ("ähnliche Sozialräume"): unweighted,
 * over the members with a published value; the comparison group beside Kommune and Kreis.
 */
export function typeMeans(
  values: readonly (number | null)[],
  typ: readonly (number | null)[],
): Map<number, { mean: number; n: number }> {
  const acc = new Map<number, { sum: number; n: number }>();
  values.forEach((v, i) => {
    const t = typ[i];
    if (v === null || t === null || t === undefined || !Number.isFinite(v)) return;
    const a = acc.get(t) ?? { sum: 0, n: 0 };
    a.sum += v;
    a.n++;
    acc.set(t, a);
  });
  return new Map([...acc].map(([t, a]) => [t, { mean: a.sum / a.n, n: a.n }]));
}
