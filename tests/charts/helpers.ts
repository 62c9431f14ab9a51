/** Helpers for spec tests: walk a spec's layers and find marks. */
export type Json = Record<string, unknown>;

/** The chart body (first vconcat child) of a framed spec. */
export function body(spec: unknown): Json {
  return ((spec as Json).vconcat as Json[])[0]!;
}

/** All unit specs (with `mark`) anywhere in the spec. */
export function units(spec: unknown): Json[] {
  const out: Json[] = [];
  const walk = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o)) return o.forEach(walk);
    const j = o as Json;
    if ('mark' in j) out.push(j);
    for (const k of ['layer', 'vconcat', 'hconcat', 'spec']) if (k in j) walk(j[k]);
  };
  walk(spec);
  return out;
}

export function markType(u: Json): string {
  const m = u.mark;
  return typeof m === 'string' ? m : ((m as Json).type as string);
}

export function marksOf(spec: unknown, type: string): Json[] {
  return units(spec).filter((u) => markType(u) === type);
}

/** Footer lines (the body's bottom title). */
export function footer(spec: unknown): string {
  return ((body(spec).title as Json).text as string[]).join('\n');
}

export function titleText(spec: unknown): string {
  const t = (spec as Json).title as Json;
  return [t.text, t.subtitle].flat().filter(Boolean).join(' ');
}

/** Numbers as they would be written in JSON, for searching a spec for leaked values. */
export function leaks(spec: unknown, numbers: readonly number[]): number[] {
  const text = JSON.stringify(spec);
  return numbers.filter((n) => new RegExp(`[^0-9.]${String(n).replace('.', '\\.')}[^0-9]`).test(text));
}
