/**
 * Hatching inside the spec, so that a `.vl.json` opened in the Vega editor shows
 * the same hatch as spm's SVG and PNG. Vega has no pattern fills, but it has
 * linear gradients (SVG and canvas alike): hard stops (two stops at the same
 * offset) alternating dark and light along a diagonal give diagonal stripes.
 *
 * Gradient coordinates are relative to each shape's bounding box, so a gradient
 * with n stripes draws wide stripes on a large area and fine ones on a small area.
 * The map therefore gives every area a stripe class by its drawn size (a few
 * fixed counts), and the fill picks the gradient by class through conditions
 * (a Vega scale cannot range over gradient objects).
 */
import { MASKED_FILL } from './theme.js';

/** Colour of the hatch lines (the same as the earlier SVG pattern). */
export const HATCH_LINE = '#555555';
/** Distance between stripes in px, and the share of it the dark line takes. */
const SPACING_PX = 6;
const LINE_SHARE = 0.27;
/** Stripe counts per shape; about 1.5x apart, so a shape's spacing is within ±25 % of 6 px. */
export const HATCH_COUNTS = [2, 3, 4, 6, 9, 13, 19, 28, 42, 63, 95] as const;

export interface Gradient {
  gradient: 'linear';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stops: { offset: number; color: string }[];
}

/** Diagonal stripes, `count` across the shape's box from top left to bottom right. */
export function hatchGradient(count: number, background = MASKED_FILL): Gradient {
  const stops: Gradient['stops'] = [];
  const at = (x: number) => Number(x.toFixed(4));
  for (let k = 0; k < count; k++) {
    const a = at(k / count);
    const b = at((k + LINE_SHARE) / count);
    const c = at((k + 1) / count);
    stops.push(
      { offset: a, color: HATCH_LINE },
      { offset: b, color: HATCH_LINE },
      { offset: b, color: background },
      { offset: c, color: background },
    );
  }
  return { gradient: 'linear', x1: 0, y1: 0, x2: 1, y2: 1, stops };
}

/** The class name of a stripe count: the nominal value the scale maps to a gradient. */
export const hatchClass = (count: number) => `h${count}`;

/** Stripe count for a box of `w` x `h` px: 45° stripes 6 px apart cross (w + h) / √2 … along the diagonal. */
export function hatchCount(w: number, h: number): number {
  const want = (w + h) / Math.SQRT2 / SPACING_PX;
  let best: number = HATCH_COUNTS[0];
  for (const c of HATCH_COUNTS) if (Math.abs(Math.log(c / want)) < Math.abs(Math.log(best / want))) best = c;
  return best;
}

/** Fill encoding: the gradient of the datum's class (`field`), for the stripe counts used. */
export function hatchFill(
  counts: Iterable<number>,
  field = 'hatch',
): { condition: { test: string; value: Gradient }[]; value: Gradient } {
  const used = [...new Set(counts)].sort((a, b) => a - b);
  const last = used.pop() ?? HATCH_COUNTS[0];
  return {
    condition: used.map((c) => ({ test: `datum.${field} === '${hatchClass(c)}'`, value: hatchGradient(c) })),
    value: hatchGradient(last),
  };
}

type Position = [number, number];

function positions(coords: unknown, out: Position[]): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number') out.push(coords as Position);
  else for (const c of coords) positions(c, out);
}

/** Web Mercator y of a latitude in degrees (the map's projection, unscaled). */
const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360));

/**
 * Drawn size in px of each feature when all of them are fitted into `width` x
 * `height` with a Mercator projection (as Vega-Lite fits the map).
 */
export function featureBoxes(
  features: readonly { geometry: unknown }[],
  width: number,
  height: number,
): { w: number; h: number }[] {
  const boxes = features.map((f) => {
    const pts: Position[] = [];
    positions((f.geometry as { coordinates?: unknown } | null)?.coordinates, pts);
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const [lon, lat] of pts) {
      const x = (lon * Math.PI) / 180;
      const y = mercY(lat);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    return { x0, x1, y0, y1 };
  });
  const X0 = Math.min(...boxes.map((b) => b.x0));
  const X1 = Math.max(...boxes.map((b) => b.x1));
  const Y0 = Math.min(...boxes.map((b) => b.y0));
  const Y1 = Math.max(...boxes.map((b) => b.y1));
  const k = Math.min(width / (X1 - X0 || 1), height / (Y1 - Y0 || 1));
  return boxes.map((b) => (Number.isFinite(b.x0) ? { w: (b.x1 - b.x0) * k, h: (b.y1 - b.y0) * k } : { w: 0, h: 0 }));
}
