/**
 * Tooltips in German. They read only fields of `PublicPoint`, which are null
 * for masked rows, and the marks carrying them filter valueless points: a
 * masked row never gets a tooltip.
 *
 * The tooltip is a mark property (`{expr}`) rather than an encoding: Vega-Lite
 * prints a null field of a tooltip encoding as "null" (a Land line has no
 * interval, no Zähler), so each field is added only where it is valid, and an
 * estimated value gets a "Hinweis: geschätzt …" line.
 */
import type { Unit } from '../config/schema.js';
import { ESTIMATED_TOOLTIP, valueFormat } from './format.js';

export interface TipField {
  field: string;
  title: string;
  /** d3 number format: the field is a number. */
  format?: string;
}

const lit = (s: string) => JSON.stringify(s).replace(/'/g, "\\'");
const ref = (field: string) => `datum[${lit(field)}]`;

/**
 * A mark `tooltip` whose object holds only the fields with a value, in the
 * given order, and `Hinweis` for a datum with `estimated` true.
 */
export function tooltipExpr(fields: readonly TipField[], o: { estimated?: boolean } = {}): { expr: string } {
  const parts = fields.map((f) => {
    const v = f.format ? `format(${ref(f.field)}, ${lit(f.format)})` : `'' + ${ref(f.field)}`;
    return `isValid(${ref(f.field)}) ? {${lit(f.title)}: ${v}} : {}`;
  });
  if (o.estimated !== false) parts.push(`datum.estimated === true ? {'Hinweis': ${lit(ESTIMATED_TOOLTIP)}} : {}`);
  return { expr: `merge({}, ${parts.map((p) => `(${p})`).join(', ')})` };
}

/** The fields of a point's tooltip: area, year, value, interval, counts. */
export function tooltipFields(unit: Unit, o: { area?: boolean; year?: boolean; ci?: boolean } = {}): TipField[] {
  const fmt = valueFormat(unit);
  const t: TipField[] = [];
  if (o.area !== false) t.push({ field: 'area_name', title: 'Gebiet' });
  if (o.year !== false) t.push({ field: 'year', title: 'Jahr' });
  t.push({ field: 'value', title: 'Wert', format: fmt });
  if (o.ci !== false) {
    t.push({ field: 'ci_low', title: 'KI unten', format: fmt });
    t.push({ field: 'ci_high', title: 'KI oben', format: fmt });
  }
  t.push({ field: 'numerator', title: 'Zähler', format: ',.1~f' });
  t.push({ field: 'denominator', title: 'Nenner', format: ',.1~f' });
  return t;
}

/** The mark property of a point's tooltip (see `tooltipFields`). */
export function pointTooltip(unit: Unit, o: Parameters<typeof tooltipFields>[1] = {}, extra: TipField[] = []) {
  return tooltipExpr([...tooltipFields(unit, o), ...extra]);
}
