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

/** Print width: the chart's own hint (`usermeta.spm.widthMm`, e.g. 170 for page-wide charts) wins over the default. */
export function pngOptionsFor(spec: ChartSpec, base: PngOptions): PngOptions {
  const hint = (spec as { usermeta?: { spm?: { widthMm?: unknown } } }).usermeta?.spm?.widthMm;
  return { ...base, widthMm: typeof hint === 'number' && base.widthMm === undefined ? hint : (base.widthMm ?? 85) };
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
