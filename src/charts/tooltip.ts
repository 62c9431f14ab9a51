/**
 * Tooltips in German. They read only fields of `PublicPoint`, which are null
 * for masked rows, and the marks carrying them filter valueless points: a
 * masked row never gets a tooltip.
 */
import type { Unit } from '../config/schema.js';
import { valueFormat } from './format.js';

export function tooltipFields(
  unit: Unit,
  o: { area?: boolean; year?: boolean; ci?: boolean } = {},
): Record<string, unknown>[] {
  const fmt = valueFormat(unit);
  const t: Record<string, unknown>[] = [];
  if (o.area !== false) t.push({ field: 'area_name', type: 'nominal', title: 'Gebiet' });
  if (o.year !== false) t.push({ field: 'year', type: 'ordinal', title: 'Jahr' });
  t.push({ field: 'value', type: 'quantitative', title: 'Wert', format: fmt });
  if (o.ci !== false) {
    t.push({ field: 'ci_low', type: 'quantitative', title: 'KI unten', format: fmt });
    t.push({ field: 'ci_high', type: 'quantitative', title: 'KI oben', format: fmt });
  }
  t.push({ field: 'numerator', type: 'quantitative', title: 'Zähler', format: ',.1~f' });
  t.push({ field: 'denominator', type: 'quantitative', title: 'Nenner', format: ',.1~f' });
  return t;
}
