/**
 * The Sozialindex: one composite need score per Sozialraum from chosen
 * indicators, the way city Sozialmonitoring builds its Statusindex.
 *
 * ```
 * published values (masked = null) ─ orient by polarity (higher = more need)
 *   ─ standardise per indicator over the areas with a value (z or percentile rank)
 *   ─ weights (equal, declared, or first principal component of the complete cases)
 *   ─ index = Σ w·s / Σ w over the inputs used; rank 1 = most need; need class
 *   ─ simulation: inputs drawn from their published CIs -> index and rank intervals
 * ```
 * A Sozialraum with a masked or missing input gets no index unless
 * `missing.minInputs` allows an index from the inputs present (then flagged).
 */
import { zScores, stats } from './matrix.js';
import { combine, needRanks, standardise, usableValues } from './index-core.js';
import { firstComponent } from './pca.js';
import { simulateRanks } from './uncertainty.js';
import {
  TooFewAreasError,
  type IndexInput,
  type NeedClass,
  type NoIndexReason,
  type Standardisation,
  type Weighting,
} from './types.js';

export { combine, needRanks, standardise, usableValues };

export interface SozialindexOptions {
  standardisation?: Standardisation;
  weights?: Weighting;
  /** Index from fewer inputs: at least this many (default: all inputs required). */
  missing?: { minInputs: number };
  /** Simulation of the rank from the inputs' intervals (default 1000 draws, seed 1, 90 %); `false` = none. */
  simulation?: { draws?: number; seed?: number; level?: number } | false;
}

export interface IndexWeight {
  indicator: string;
  direction: 1 | -1;
  /** Normalised weight (the weights sum to 1). */
  weight: number;
  /** Loading on the first principal component (weights: pca). */
  loading?: number;
  /** Mean and SD of the indicator over the Sozialräume with a value (z standardisation). */
  mean: number;
  sd: number;
  n: number;
}

export interface IndexRow {
  id: string;
  name?: string;
  status: 'berechnet' | 'nicht_berechenbar';
  /** Internal only: why there is no index. */
  reason?: NoIndexReason;
  index: number | null;
  /** Inputs the index is built from (fewer than all only with `missing.minInputs`). */
  inputsUsed: number;
  /** Indicator ids left out (masked or missing) when the index was built from fewer inputs. */
  leftOut: string[];
  /** 1 = most need. */
  rank: number | null;
  rankLow: number | null;
  rankHigh: number | null;
  indexLow: number | null;
  indexHigh: number | null;
  needClass: NeedClass | null;
}

export interface SozialindexResult {
  rows: IndexRow[];
  weights: IndexWeight[];
  standardisation: Standardisation;
  weighting: Weighting;
  /** Share of variance of the first principal component (weights: pca). */
  explained?: number;
  /** Areas used for the principal component (complete cases). */
  pcaAreas?: number;
  /** Areas with an index (ranked). */
  ranked: number;
  simulation?: { draws: number; seed: number; level: number };
}

/** Need class from the index standardised over the ranked areas (Berlin MSS cut points ±1 and 1.5 SD). */
export function needClasses(index: readonly (number | null)[]): (NeedClass | null)[] {
  const s = stats(index);
  return index.map((v) => {
    if (v === null) return null;
    const z = s.sd > 0 ? (v - s.mean) / s.sd : 0;
    return z > 1.5 ? 'sehr hoch' : z > 1 ? 'hoch' : z >= -1 ? 'mittel' : 'niedrig';
  });
}

/**
 * The Sozialindex of every area of `input`.
 * @example
 * ```ts
 * sozialindex({
 *   areas: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
 *   indicators: [{ id: 'sgb2', direction: 1 }, { id: 'kita', direction: -1 }],
 *   values: [[{ value: 10 }, { value: 50 }], [{ value: 20 }, { value: 40 }], [{ value: 30 }, { value: 30 }]],
 * }, { simulation: false }).rows.map((r) => r.rank) // [3, 2, 1]
 * ```
 */
export function sozialindex(input: IndexInput, options: SozialindexOptions = {}): SozialindexResult {
  const how = options.standardisation ?? 'z';
  const weighting = options.weights ?? 'gleich';
  const m = input.indicators.length;
  if (m === 0) throw new Error('Sozialindex: keine Indikatoren gewählt');
  const minInputs = options.missing?.minInputs ?? m;
  if (minInputs < 1 || minInputs > m)
    throw new Error(`Sozialindex: mindestens ${minInputs} von ${m} Eingängen ist nicht möglich`);
  const directions = input.indicators.map((i) => i.direction);
  const values = usableValues(input);
  const scores = standardise(values, directions, how);

  // weights
  let raw: number[];
  let loadings: number[] | undefined;
  let explained: number | undefined;
  let pcaAreas: number | undefined;
  if (weighting === 'gleich') raw = input.indicators.map(() => 1);
  else if (weighting === 'erklaert') {
    raw = input.indicators.map((i) => {
      if (i.weight === undefined || !(i.weight > 0))
        throw new Error(`Sozialindex: Gewicht für ${i.id} fehlt oder ist nicht positiv (gewichte: erklaert)`);
      return i.weight;
    });
  } else {
    // PCA of the complete cases, standardised among themselves (R: prcomp(scale(x)))
    const complete = values.filter((r) => r.every((v) => v !== null)) as number[][];
    if (complete.length < m + 1)
      throw new TooFewAreasError(
        `Sozialindex: Hauptkomponente braucht mindestens ${m + 1} Sozialräume mit allen Werten, vorhanden ${complete.length}`,
        m + 1,
        complete.length,
      );
    const z = zScores(complete.map((r) => r.map((v, j) => v * (directions[j] as number)))).z as number[][];
    const pc = firstComponent(z);
    loadings = pc.loadings;
    explained = pc.explained;
    pcaAreas = complete.length;
    raw = pc.loadings;
  }
  const sumRaw = raw.reduce((s, w) => s + w, 0);
  const w = raw.map((x) => x / sumRaw);

  const index = combine(scores, w, minInputs);
  const ranks = needRanks(index);
  const classes = needClasses(index);
  const sim =
    options.simulation === false
      ? undefined
      : simulateRanks(input, { how, weights: w, minInputs, ...(options.simulation ?? {}) });

  const colStats = input.indicators.map((_, j) => stats(values.map((r) => (r[j] ?? null) as number | null)));
  const rows: IndexRow[] = input.areas.map((a, i) => {
    const row = values[i] as (number | null)[];
    const leftOut = input.indicators.filter((_, j) => row[j] === null).map((ind) => ind.id);
    const ix = index[i] ?? null;
    const base = {
      id: a.id,
      ...(a.name !== undefined ? { name: a.name } : {}),
      inputsUsed: m - leftOut.length,
      leftOut: ix === null ? [] : leftOut,
    };
    if (ix === null) {
      const cells = input.values[i] ?? [];
      const reason: NoIndexReason =
        minInputs < m ? 'zu_wenige_eingaenge' : cells.some((c) => c?.masked) ? 'eingang_gesperrt' : 'eingang_fehlt';
      return {
        ...base,
        status: 'nicht_berechenbar',
        reason,
        index: null,
        rank: null,
        rankLow: null,
        rankHigh: null,
        indexLow: null,
        indexHigh: null,
        needClass: null,
      };
    }
    return {
      ...base,
      status: 'berechnet',
      index: ix,
      rank: ranks[i] ?? null,
      rankLow: sim?.rankLow[i] ?? null,
      rankHigh: sim?.rankHigh[i] ?? null,
      indexLow: sim?.indexLow[i] ?? null,
      indexHigh: sim?.indexHigh[i] ?? null,
      needClass: classes[i] ?? null,
    };
  });
  return {
    rows,
    weights: input.indicators.map((ind, j) => ({
      indicator: ind.id,
      direction: ind.direction,
      weight: w[j] as number,
      ...(loadings ? { loading: loadings[j] as number } : {}),
      mean: (colStats[j] as { mean: number }).mean,
      sd: (colStats[j] as { sd: number }).sd,
      n: (colStats[j] as { n: number }).n,
    })),
    standardisation: how,
    weighting,
    ...(explained !== undefined ? { explained, pcaAreas: pcaAreas as number } : {}),
    ranked: index.filter((v) => v !== null).length,
    ...(sim ? { simulation: sim.settings } : {}),
  };
}
