/**
 * One render job, the same in a worker and in process: spec -> SVG text
 * (and PNG bytes when asked). Shared by `worker.ts` and the in-process fallback.
 */
import type { ChartSpec } from '../charts/types.js';
import { renderSvg } from './svg.js';
import { renderPng, type PngOptions } from './png.js';

export type Format = 'svg' | 'png' | 'vl.json';

export interface RenderRequest {
  id: number;
  spec: ChartSpec;
  formats: Format[];
  png: PngOptions;
}

export interface RenderResult {
  id: number;
  svg?: string;
  png?: Uint8Array;
  error?: string;
}

/**
 * PNG options of a chart: its title and alt text for the PNG's text chunks. Its print width follows its drawn width (png.ts: one print scale, at
 * most 170 mm) unless the caller fixes one; the spec's `usermeta.spm.widthMm` (85 or 170) names
 * the layout it was designed for and no longer forces the width: a forced 85 mm shrank the text
 * of every chart drawn wider than designed (down to 2 pt).
 */
export function pngOptionsFor(spec: ChartSpec, base: PngOptions): PngOptions {
  // the title and the alt text of the SVG (its aria-label) go into the PNG's text chunks
  const t = (spec as { title?: unknown }).title;
  const text = typeof t === 'string' ? t : (t as { text?: unknown } | undefined)?.text;
  const title = Array.isArray(text) ? text.join(' ') : typeof text === 'string' ? text : undefined;
  const d = (spec as { description?: unknown }).description;
  return {
    ...base,
    ...(title ? { title } : {}),
    ...(typeof d === 'string' && d.trim() ? { description: d } : {}),
  };
}

export async function runRenderJob(req: RenderRequest): Promise<RenderResult> {
  try {
    if (!req.formats.includes('svg') && !req.formats.includes('png')) return { id: req.id };
    const svg = await renderSvg(req.spec);
    const out: RenderResult = { id: req.id };
    if (req.formats.includes('svg')) out.svg = svg;
    if (req.formats.includes('png')) out.png = renderPng(svg, pngOptionsFor(req.spec, req.png));
    return out;
  } catch (e) {
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
}
