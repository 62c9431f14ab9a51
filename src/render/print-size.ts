/**
 * The placed size of a chart: one print scale for every chart, so its 12-px text prints at
 * about 7 pt whether it is a column (416 px, 85 mm) or the page (776 px, 159 mm) wide; a chart
 * wider than the 170-mm text width of an A4 page is shrunk to it. Used for the PNG's pixels
 * (png.ts) and the SVG's root size in mm (svg.ts).
 */

/** Print scale: a column chart, 400 px plus 8 px padding either side, is 85 mm wide (12 px ≈ 6.95 pt). */
export const MM_PER_PX = 85 / 416;
/** The text width of an A4 page: no chart is placed wider. */
export const MAX_WIDTH_MM = 170;

/** The placed width in mm of an SVG `px` wide: at the print scale, at most 170 mm. */
export function printWidthMm(px: number): number {
  return Math.min(MAX_WIDTH_MM, px * MM_PER_PX);
}

/** An SVG's size in px: its viewBox, else its width and height attributes (px). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const vb = /\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(root);
  if (vb) return { width: Number(vb[1]), height: Number(vb[2]) };
  return {
    width: Number(/\swidth="([\d.]+)/.exec(root)?.[1] ?? 0),
    height: Number(/\sheight="([\d.]+)/.exec(root)?.[1] ?? 0),
  };
}
