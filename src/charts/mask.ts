/**
 * What of a row may be embedded in a chart. Suppression is a property of the
 * output: a masked row (suppression set) contributes its area, year and the fact
 * that it is masked, never a number. The builders embed only `PublicPoint`s made
 * here, so no count, value, interval or comparison of a masked row can reach the
 * spec's data or its tooltips (DOMAIN.md, "Sekundäre Sperrung": any output).
 */
import type { KennzahlRow, Sig, Status } from './types.js';
import { STATUS_LABEL, SUPPRESSION_LABEL } from '../publish/vocabulary.js';

/** Why a row has no number to show. */
export type GapReason = 'gesperrt' | 'mindestnenner' | 'fehlt' | 'unplausibel' | 'nenner_null';

/** The published content of one row, as embedded in chart data. */
export interface PublicPoint {
  area_id: string;
  area_name: string;
  year: number;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  numerator: number | null;
  denominator: number | null;
  sig_kreis: Sig | null;
  sig_kommune: Sig | null;
  ref_kreis_value: number | null;
  estimated: boolean;
  /** Set when value is null. */
  gap: GapReason | null;
}

const GAP_BY_STATUS: Record<Status, GapReason | null> = {
  ok: null,
  estimated: null,
  implausible: 'unplausibel',
  below_min_denominator: 'mindestnenner',
  zero_denominator: 'nenner_null',
  suppressed_input: 'gesperrt',
  missing_input: 'fehlt',
  rejected_input: 'unplausibel',
  // a sum lacking rows that could not be assigned to one of its areas
  incomplete_input: 'fehlt',
  masked: 'gesperrt',
};

export function isMasked(r: Pick<KennzahlRow, 'suppression'>): boolean {
  return r.suppression != null;
}

const num = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** The row as it may be published; everything numeric is null for a masked or valueless row. */
export function publicPoint(r: KennzahlRow): PublicPoint {
  const masked = isMasked(r);
  const value = masked ? null : num(r.value);
  const gap: GapReason | null = masked ? 'gesperrt' : value === null ? (GAP_BY_STATUS[r.status] ?? 'fehlt') : null;
  const show = value !== null;
  return {
    area_id: r.area_id,
    area_name: r.area_name,
    year: r.year,
    value,
    ci_low: show ? num(r.ci_low) : null,
    ci_high: show ? num(r.ci_high) : null,
    numerator: show ? num(r.numerator) : null,
    denominator: show ? num(r.denominator) : null,
    sig_kreis: show ? (r.sig_kreis ?? null) : null,
    sig_kommune: show ? (r.sig_kommune ?? null) : null,
    ref_kreis_value: show ? num(r.ref_kreis_value) : null,
    estimated: show && r.status === 'estimated',
    gap,
  };
}

/** German wording of a gap reason, for notes and tooltips. */
export const GAP_TEXT: Record<GapReason, string> = {
  gesperrt: SUPPRESSION_LABEL.de,
  mindestnenner: STATUS_LABEL.below_min_denominator.de,
  fehlt: STATUS_LABEL.missing_input.de,
  unplausibel: STATUS_LABEL.implausible.de,
  nenner_null: STATUS_LABEL.zero_denominator.de,
};
