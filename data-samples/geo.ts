/**
 * Synthetic boundaries for the sample Kreis: plausible, non-overlapping polygons
 * for the Kommunen and the Sozialräume tiling them. Invented shapes, real layout:
 * the Kommunen sit near their real positions in the Kreis Coesfeld, their cells
 * are a Voronoi tessellation inside a jittered outline of the Kreis, and each
 * Kommune cell is split again by a Voronoi tessellation of seeded points.
 *
 * Deterministic (mulberry32, fixed rounding), coordinates WGS84 (lon, lat) with
 * clockwise exterior rings (the winding d3-geo / Vega expect).
 *
 * @example
 * ```ts
 * const { sozialraeume, kommunen } = syntheticGeoJson(areas, 5558);
 * writeFileSync('geo/sozialraeume.geojson', JSON.stringify(sozialraeume));
 * ```
 */

/** The fields of an area this needs (generate.ts's `Area` has them). */
export interface GeoArea {
  id: string;
  name: string;
  ags: string;
  kommune: string;
}

export interface GeoFeature {
  type: 'Feature';
  properties: { id: string; name: string; kommune_ags: string; kommune_name?: string };
  geometry: { type: 'Polygon'; coordinates: [number, number][][] };
}
export interface GeoFeatureCollection {
  type: 'FeatureCollection';
  features: GeoFeature[];
}

type P = [number, number];

/** Approximate centres of the Kommunen of the Kreis Coesfeld (lon, lat). */
const KOMMUNE_CENTRES: Record<string, P> = {
  '05558004': [7.62, 51.79], // Ascheberg
  '05558008': [7.29, 51.98], // Billerbeck
  '05558012': [7.16, 51.94], // Coesfeld
  '05558016': [7.26, 51.83], // Dülmen
  '05558020': [7.42, 51.98], // Havixbeck
  '05558024': [7.44, 51.77], // Lüdinghausen
  '05558028': [7.54, 51.73], // Nordkirchen
  '05558032': [7.35, 51.93], // Nottuln
  '05558036': [7.38, 51.70], // Olfen
  '05558040': [7.19, 52.04], // Rosendahl
  '05558044': [7.49, 51.86], // Senden
};
const CENTRE: P = [7.34, 51.86];
/** Work in a plane where one unit is the same distance east and north. */
const KX = Math.cos((CENTRE[1] * Math.PI) / 180);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const toPlane = ([lon, lat]: P): P => [lon * KX, lat];
const toLonLat = ([x, y]: P): P => [Math.round((x / KX) * 1e5) / 1e5, Math.round(y * 1e5) / 1e5];

/** Sutherland–Hodgman: keep the part of `poly` closer to `a` than to `b`. */
function clipBisector(poly: P[], a: P, b: P): P[] {
  const nx = b[0] - a[0];
  const ny = b[1] - a[1];
  const c = (b[0] * b[0] + b[1] * b[1] - a[0] * a[0] - a[1] * a[1]) / 2;
  const inside = (p: P) => p[0] * nx + p[1] * ny <= c;
  const out: P[] = [];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const pin = inside(p);
    const qin = inside(q);
    if (pin) out.push(p);
    if (pin !== qin) {
      const fp = p[0] * nx + p[1] * ny - c;
      const fq = q[0] * nx + q[1] * ny - c;
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

function voronoiCell(bound: P[], sites: P[], i: number): P[] {
  let cell = bound;
  sites.forEach((s, j) => {
    if (j !== i && cell.length) cell = clipBisector(cell, sites[i]!, s);
  });
  return cell;
}

function signedArea(poly: P[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    s += p[0] * q[1] - q[0] * p[1];
  }
  return s / 2;
}

function inPolygon(p: P, poly: P[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** Closed, clockwise ring in lon/lat. */
function ring(poly: P[]): [number, number][] {
  const pts = poly.map(toLonLat);
  if (signedArea(pts) > 0) pts.reverse();
  return [...pts, pts[0]!];
}

/** The Kreis outline: a jittered ellipse around the centre. */
function outline(rng: () => number): P[] {
  const n = 24;
  const pts: P[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = 1 + (rng() - 0.5) * 0.12;
    pts.push(toPlane([CENTRE[0] + Math.cos(a) * 0.36 * r, CENTRE[1] + Math.sin(a) * 0.2 * r]));
  }
  return pts;
}

/** `k` well-spread points inside `poly` (best-candidate sampling). */
function spreadPoints(poly: P[], k: number, rng: () => number): P[] {
  const xs = poly.map((p) => p[0]);
  const ys = poly.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pts: P[] = [];
  while (pts.length < k) {
    let best: P | undefined;
    let bestD = -1;
    for (let c = 0; c < 30; c++) {
      const p: P = [x0 + rng() * (x1 - x0), y0 + rng() * (y1 - y0)];
      if (!inPolygon(p, poly)) continue;
      const d = pts.length ? Math.min(...pts.map((q) => (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2)) : 1;
      if (d > bestD) [best, bestD] = [p, d];
    }
    if (best) pts.push(best);
  }
  return pts;
}

/**
 * Polygons for the Kommunen and their Sozialräume. `areas` are Sozialräume with
 * their Kommune (`ags`, `kommune` name); ids become `properties.id`.
 */
export function syntheticGeoJson(areas: readonly GeoArea[], seed: number): { sozialraeume: GeoFeatureCollection; kommunen: GeoFeatureCollection } {
  const rng = mulberry32(seed ^ 0x6e0);
  const bound = outline(rng);
  const kommunen = [...new Map(areas.map((a) => [a.ags, a.kommune])).entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const sites = kommunen.map(([ags]) => {
    const c = KOMMUNE_CENTRES[ags] ?? [CENTRE[0] + (rng() - 0.5) * 0.5, CENTRE[1] + (rng() - 0.5) * 0.3];
    return toPlane([c[0] + (rng() - 0.5) * 0.02, c[1] + (rng() - 0.5) * 0.012]);
  });
  const kFeatures: GeoFeature[] = [];
  const sFeatures: GeoFeature[] = [];
  kommunen.forEach(([ags, name], i) => {
    const cell = voronoiCell(bound, sites, i);
    kFeatures.push({ type: 'Feature', properties: { id: ags, name, kommune_ags: ags }, geometry: { type: 'Polygon', coordinates: [ring(cell)] } });
    const own = areas.filter((a) => a.ags === ags).sort((a, b) => a.id.localeCompare(b.id));
    const sub = spreadPoints(cell, own.length, rng);
    own.forEach((a, j) => {
      const sc = voronoiCell(cell, sub, j);
      sFeatures.push({ type: 'Feature', properties: { id: a.id, name: a.name, kommune_ags: ags, kommune_name: name }, geometry: { type: 'Polygon', coordinates: [ring(sc)] } });
    });
  });
  return { sozialraeume: { type: 'FeatureCollection', features: sFeatures }, kommunen: { type: 'FeatureCollection', features: kFeatures } };
}
