/**
 * Vega's expression code generator with a cache of the compiled functions.
 *
 * Every view turns the code strings of its runtime spec into functions with
 * `Function(...)`; charts of one template have the same code strings, so the
 * functions are compiled once per process and, warm, run faster. The generated
 * code reads nothing but its arguments and `this` (the view's function context,
 * bound per view as Vega does), so a cached function behaves exactly like a new one.
 */
import type * as VegaNs from 'vega';

type Fn = (...args: unknown[]) => unknown;
interface Codegen {
  operator(ctx: unknown, expr: { code: string }): Fn;
  parameter(ctx: unknown, expr: { code: string }): Fn;
  event(ctx: unknown, expr: { code: string }): Fn;
  handler(ctx: unknown, expr: { code: string }): Fn;
  encode(ctx: unknown, encode: { marktype: string; channels: Record<string, { code: string }> }): Fn;
  codegen: unknown;
}

const MAX_FUNCTIONS = 20_000;

/** The default code generator of `vega`, wrapped with a cache of compiled functions. */
export function cachingCodegen(vega: typeof VegaNs): Codegen {
  const runtimeContext = (
    vega as unknown as { runtimeContext: (df: unknown, t: unknown, f: unknown) => { expr: Codegen } }
  ).runtimeContext;
  const base = runtimeContext({ events: () => undefined }, {}, null).expr;
  const cache = new Map<string, Fn>();
  // unbound function from the base generator (ctx null), bound to this view's function context like Vega does
  const cached = (key: string, make: () => Fn, ctx: unknown): Fn => {
    let fn = cache.get(key);
    if (!fn) {
      fn = make();
      if (cache.size >= MAX_FUNCTIONS) cache.clear();
      cache.set(key, fn);
    }
    // always a new function object: Vega sets properties (fields, fname, output) on what it gets
    return fn.bind((ctx as { functions?: unknown } | null)?.functions);
  };
  const kind =
    (k: 'operator' | 'parameter' | 'event' | 'handler') =>
    (ctx: unknown, expr: { code: string }): Fn =>
      cached(`${k}\u0000${expr.code}`, () => base[k](null, expr), ctx);
  return {
    operator: kind('operator'),
    parameter: kind('parameter'),
    event: kind('event'),
    handler: kind('handler'),
    encode: (ctx, encode) =>
      cached(
        `encode\u0000${encode.marktype}\u0000${Object.entries(encode.channels)
          .map(([c, v]) => `${c}\u0001${v.code}`)
          .join('\u0000')}`,
        () => base.encode(null, encode),
        ctx,
      ),
    codegen: base.codegen,
  };
}
