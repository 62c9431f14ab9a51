/**
 * Vega-Lite spec -> SVG text, in process.
 *
 * ```
 * spec ─ vega-lite compile ─> vega spec ─ parse ─> View(renderer 'none') ─ toSVG ─> svg
 *                                                                  └ post: hatch patterns
 * ```
 *
 * Deterministic: SVG def ids are reset before each render, text is measured with
 * the DejaVu metrics (not Vega's estimate), and nothing depends on time or locale.
 */
import type * as VegaNs from 'vega';
import type { ChartSpec } from '../charts/types.js';
import { textWidth } from '../charts/text-width.js';
import { applyPatterns } from './patterns.js';

type Vega = typeof VegaNs;
type Compile = typeof import('vega-lite').compile;

// Vega and Vega-Lite are loaded on the first chart, not with the module: a run without
// charts (`spm compute --no-charts`, validate) should not pay for them at start-up.
let libs: Promise<{ vega: Vega; compile: Compile; quiet: ReturnType<Vega['logger']> }> | undefined;
function loadVega(): Promise<{ vega: Vega; compile: Compile; quiet: ReturnType<Vega['logger']> }> {
  libs ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({
    vega,
    compile: vl.compile,
    quiet: vega.logger(vega.None),
  }));
  return libs;
}

let metricsInstalled = false;

/** Let Vega measure text in DejaVu Sans, the font resvg renders with. */
export async function installTextMetrics(): Promise<void> {
  if (metricsInstalled) return;
  const { vega } = await loadVega();
  if (metricsInstalled) return;
  metricsInstalled = true;
  const tm = (vega as unknown as { textMetrics: { width: (item: TextItem, text: string) => number } }).textMetrics;
  tm.width = (item, text) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
    return textWidth(text == null ? '' : String(text), size, bold);
  };
}
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

/** Compiled Vega specs by spec text: a job list often repeats a spec (svg + png of one chart). */
const compiled = new Map<string, VegaNs.Spec>();
const MAX_CACHE = 64;

/** Forget compiled specs (benchmarks measure cold compiles). */
export function clearCompileCache(): void {
  compiled.clear();
}

export async function compileSpec(spec: ChartSpec): Promise<VegaNs.Spec> {
  const key = JSON.stringify(spec);
  let vg = compiled.get(key);
  if (!vg) {
    const { compile, quiet } = await loadVega();
    // vega-lite's notes (e.g. on faceted independent scales) are for spec authors, not for planners
    vg = compile(spec, { logger: quiet }).spec as VegaNs.Spec;
    if (compiled.size >= MAX_CACHE) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, vg);
  }
  return vg;
}

/** Render a Vega-Lite spec to SVG text. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  await installTextMetrics();
  const { vega } = await loadVega();
  // 1. Compile (cached) and build a headless view; runtime warnings (e.g. the empty
  //    layer of masked areas has an infinite extent) are for spec authors, not planners.
  const view = new vega.View(vega.parse(await compileSpec(spec)), { renderer: 'none', logLevel: vega.Error });
  try {
    // 2. Ids of clip paths and gradients count up per process; reset for byte-identical output.
    vega.resetSVGDefIds();
    const svg = await view.toSVG();
    // 3. Hatch fills the spec asks for (usermeta.spm.hatch).
    return applyPatterns(svg, spec);
  } finally {
    view.finalize();
  }
}
