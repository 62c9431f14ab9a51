/**
 * Stage types of the steering layer: plain arrays in (one value per Sozialraum
 * and indicator, from the published table or from a script), index rows and
 * types out. Nothing here knows DuckDB or the published schema.
 */

/**
 * The data leave too few Sozialräume with all values for the method (the first principal component,
 * or k types): a matter of the data and of data protection (masked inputs), not of the code. A
 * project run skips that part with a warning instead of losing every output over it.
 */
export class TooFewAreasError extends Error {
  constructor(
    message: string,
    readonly needed: number,
    readonly complete: number,
  ) {
    super(message);
    this.name = 'TooFewAreasError';
  }
}

/** One published input value of a Sozialraum. `masked`: the cell is gesperrt (its value is never used). */
export interface InputValue {
  value: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  masked?: boolean;
}

/** An indicator entering the index. */
export interface InputIndicator {
  id: string;
  /** Short German label for type names and the Steckbrief. */
  label?: string;
  /** +1: a higher value means more need; −1: a lower value means more need. */
  direction: 1 | -1;
  /** Declared weight (only with `weights: 'erklaert'`). */
  weight?: number;
  /** Largest possible value (100 for percent): simulated draws are cut there (and at 0). */
  max?: number;
}

/** The matrix the index and the types are computed from: `values[area][indicator]`. */
export interface IndexInput {
  areas: readonly { id: string; name?: string }[];
  indicators: readonly InputIndicator[];
  values: readonly (readonly InputValue[])[];
}

export type Standardisation = 'z' | 'rang';
export type Weighting = 'gleich' | 'erklaert' | 'pca';

/** Why an area has no index: only in internal output (published: nicht berechenbar). */
export type NoIndexReason = 'eingang_gesperrt' | 'eingang_fehlt' | 'zu_wenige_eingaenge';

/** Need class of the standardised index, cut points as in Berlin's Monitoring Soziale Stadtentwicklung. */
export type NeedClass = 'sehr hoch' | 'hoch' | 'mittel' | 'niedrig';
