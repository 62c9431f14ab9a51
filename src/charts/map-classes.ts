/**
 * Map helpers: class breaks by quantiles rounded to readable numbers, and label
 * positions of areas. Equal intervals put nearly all Sozialräume in one class
 * when a few are extreme; quantiles fill every class, and rounding the breaks to
 * half a decimal step keeps the legend readable (`4,5 – 6,0`, not `4,63 – 5,97`).
 */

/**
 * Up to `classes - 1` strictly increasing breaks strictly between min and max: the
 * quantiles, rounded to the coarsest step of 1, 2 or 5 × 10^k that keeps them apart.
 */
export function quantileBreaks(values: readonly number[], classes: number): number[] {
  const v = [...values].sort((a, b) => a - b);
  if (v.length < 2 || classes < 2) return [];
  const min = v[0]!;
  const max = v[v.length - 1]!;
  if (max <= min) return [];
  const raw: number[] = [];
  for (let i = 1; i < classes; i++) {
    const pos = (v.length - 1) * (i / classes);
    const lo = v[Math.floor(pos)]!;
    const hi = v[Math.ceil(pos)]!;
    const q = lo + (hi - lo) * (pos - Math.floor(pos));
    if (q > min && q < max && (raw.length === 0 || q > raw[raw.length - 1]!)) raw.push(q);
  }
  if (!raw.length) return [];
  const top = Math.ceil(Math.log10(max - min));
  for (let k = top; k >= top - 6; k--) {
    for (const m of [5, 2, 1]) {
      const step = m * 10 ** k;
      const r = raw.map((q) => Number((Math.round(q / step) * step).toFixed(6)));
      if (r.every((b, i) => b > min && b <= max && (i === 0 || b > r[i - 1]!))) return r;
    }
  }
  return raw;
}

type Position = [number, number];

function rings(geometry: unknown): Position[][] {
  const g = geometry as { type?: string; coordinates?: unknown };
  if (g?.type === 'Polygon') return g.coordinates as Position[][];
  if (g?.type === 'MultiPolygon') return (g.coordinates as Position[][][]).flat();
  return [];
}

/** Area-weighted centroid of the outer rings (planar, good enough for placing a label). */
export function centroid(geometry: unknown): { lon: number; lat: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const ring of rings(geometry)) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x0, y0] = ring[j]!;
      const [x1, y1] = ring[i]!;
      const f = x0 * y1 - x1 * y0;
      a += f;
      cx += (x0 + x1) * f;
      cy += (y0 + y1) * f;
    }
  }
  if (a === 0) return { lon: NaN, lat: NaN };
  return { lon: Number((cx / (3 * a)).toFixed(6)), lat: Number((cy / (3 * a)).toFixed(6)) };
}
