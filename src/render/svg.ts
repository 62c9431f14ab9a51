/**
 * Vega-Lite spec -> SVG text, in process.
 *
 * ```
 * spec ─ tokenize ─> template (vega-lite compile + vega parse, once per kind of chart)
 *                    ─ fill with the chart's texts and data ─> View(renderer 'none') ─ toSVG ─> svg
 *                                                                                   └ post: hatch patterns
 * ```
 * A spec that cannot be a template, or whose template fails, is compiled and parsed on its own.
 *
 * Deterministic: SVG def ids are reset before each render, text is measured with
 * the DejaVu metrics (not Vega's estimate), and nothing depends on time or locale.
 */
import type * as VegaNs from 'vega';
import type { ChartSpec } from '../charts/types.js';
import { textWidth } from '../charts/text-width.js';
import { applyPatterns } from './patterns.js';
import { printWidthMm, svgSize } from './print-size.js';
import { cachingCodegen } from './expr-cache.js';
import { runtimeTemplate, tokenizeSpec, type RuntimeTemplate } from './template.js';
import { escapeHtml } from '../report/escape.js';

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
  const v = vega as unknown as {
    textMetrics: { width: (item: TextItem, text: string) => number };
    Marks: { text: { bound: (bounds: unknown, item: TextItem, mode?: unknown) => unknown } };
  };
  const measure = (item: TextItem, text: string) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
    return textWidth(text, size, bold);
  };
  // Vega calls textMetrics.width both to truncate a text to its `limit` (with the raw text) and
  // to bound it (expecting the truncated width, as its own canvas measure gives). A custom
  // width gets no truncation on the bounds: a label cut to "Thalkirchen - Obersendling - Fo…"
  // still widened the chart by its full length. So while a text mark is bounded, the width is
  // that of the text as drawn.
  let bounding = false;
  v.textMetrics.width = (item, text) => {
    const t = text == null ? '' : String(text);
    return bounding && +(item.limit ?? 0) > 0 ? measure(item, truncated(item, t.trim(), measure)) : measure(item, t);
  };
  const bound = v.Marks.text.bound;
  v.Marks.text.bound = (bounds, item, mode) => {
    bounding = true;
    try {
      return bound(bounds, item, mode);
    } finally {
      bounding = false;
    }
  };
}
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
  ellipsis?: string;
}

/** The text as Vega draws it within `item.limit` px (its own truncate, left to right). */
function truncated(item: TextItem, text: string, measure: (item: TextItem, text: string) => number): string {
  let limit = +(item.limit ?? 0);
  if (!(limit > 0) || !text || measure(item, text) < limit) return text;
  const ellipsis = item.ellipsis || '\u2026';
  limit -= measure(item, ellipsis);
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = 1 + ((lo + hi) >>> 1);
    if (measure(item, text.slice(0, mid)) < limit) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + ellipsis;
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

/** Templates by tokenized spec (see template.ts); `null`: compiling the template failed. */
const templates = new Map<string, RuntimeTemplate | null>();
const MAX_TEMPLATES = 512;

/** How the charts of this process were drawn (tests, bench). */
export const renderStats = { templates: 0, fromTemplate: 0, direct: 0, fallbacks: 0 };

/** Forget templates (benchmarks measure cold runs). */
export function clearTemplates(): void {
  templates.clear();
}

/** The key a spec's template is cached under (render workers are chosen by it); undefined without one. */
export function templateKey(spec: ChartSpec): string | undefined {
  return tokenizeSpec(spec)?.key;
}

/** The runtime spec of a chart filled from its template (compiled on first use); undefined without one. */
export async function templateRuntime(spec: ChartSpec): Promise<object | undefined> {
  const t = tokenizeSpec(spec);
  if (!t) return undefined;
  let tpl = templates.get(t.key);
  if (tpl === undefined) {
    const { vega, compile, quiet } = await loadVega();
    try {
      tpl = runtimeTemplate(vega.parse(compile(t.spec, { logger: quiet }).spec as VegaNs.Spec));
    } catch {
      tpl = null; // e.g. a spec Vega-Lite rejects: the direct path reports the error in the user's words
    }
    if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value!);
    templates.set(t.key, tpl);
    renderStats.templates++;
  }
  return tpl ? tpl.fill(t.texts, t.data) : undefined;
}

let codegen: ReturnType<typeof cachingCodegen> | undefined;

/**
 * The spec's `description` as the SVG's accessible name (`role="img"`, `aria-label`): in
 * a browser Vega puts it on the container element, `toSVG` drops it. Inside an image the
 * marks are presentational, so the English labels Vega still writes on some of them
 * ("Title text '…'", "X-axis titled …") are dropped.
 */
export function labelSvg(svg: string, spec: ChartSpec): string {
  const d = (spec as { description?: unknown }).description;
  if (typeof d !== 'string' || !d.trim()) return svg;
  const inner = svg.replace(/ (?:aria-label|aria-roledescription|role)="[^"]*"/g, '');
  return inner.replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(d.trim().replace(/\s+/g, ' '))}"`);
}

/**
 * The root's width and height in mm, the size its PNG is placed at (png.ts), so that Word places
 * the SVG and the PNG of a chart alike (in px it took the SVG at 96 dpi: 10.8 cm against 8.5).
 * The viewBox keeps the drawing's px coordinates; a browser scales it to the given size.
 */
export function physicalSize(svg: string): string {
  const { width, height } = svgSize(svg);
  if (!(width > 0 && height > 0)) return svg;
  const mm = printWidthMm(width);
  const round = (x: number) => String(Math.round(x * 100) / 100);
  return svg.replace(/^<svg\b[^>]*>/, (root) =>
    root
      .replace(/\swidth="[^"]*"/, ` width="${round(mm)}mm"`)
      .replace(/\sheight="[^"]*"/, ` height="${round((height * mm) / width)}mm"`),
  );
}

async function draw(runtime: object, spec: ChartSpec): Promise<string> {
  const { vega } = await loadVega();
  codegen ??= cachingCodegen(vega);
  // runtime warnings (e.g. the empty layer of masked areas has an infinite extent) are for spec authors, not planners
  const view = new vega.View(runtime as VegaNs.Runtime, {
    renderer: 'none',
    logLevel: vega.Error,
    expr: codegen as never,
  });
  try {
    // Ids of clip paths and gradients count up per process; reset for byte-identical output.
    vega.resetSVGDefIds();
    const svg = await view.toSVG();
    // Hatch fills the spec asks for (usermeta.spm.hatch).
    return physicalSize(labelSvg(applyPatterns(svg, spec), spec));
  } finally {
    view.finalize();
  }
}

/** Render a Vega-Lite spec to SVG text. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  await installTextMetrics();
  // 1. From the template of its kind (compiled once); a view that fails on the template is drawn directly.
  const runtime = await templateRuntime(spec);
  if (runtime) {
    try {
      const svg = await draw(runtime, spec);
      renderStats.fromTemplate++;
      return svg;
    } catch {
      renderStats.fallbacks++;
    }
  }
  // 2. Compiled and parsed on its own.
  const { vega } = await loadVega();
  const svg = await draw(vega.parse(await compileSpec(spec)), spec);
  renderStats.direct++;
  return svg;
}
