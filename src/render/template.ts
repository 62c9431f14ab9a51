/**
 * Chart templates: compile and parse once per kind of chart, not once per chart.
 *
 * ```
 * spec ─ tokenizeSpec ─> key + tokenized spec + texts + data arrays
 *        key seen before? ── no ─> vega-lite compile ─> vega parse ─> RuntimeTemplate (frozen)
 *        RuntimeTemplate.fill(texts, data) ─> runtime spec for new vega.View
 * ```
 *
 * Charts of one kind (the time series of one indicator for every Kommune, …) differ
 * in their texts (titles, area names in scale domains and sort orders) and in
 * their inline data. Vega-Lite's compile and Vega's parse, about half the cost of
 * a chart, are the same for all of them once those are replaced by tokens: a text
 * becomes `spm~t~<n>~`, a data array `[{"spm~data~": n}]`. The runtime spec parsed
 * from the tokenized spec is then filled with the chart's own texts and data.
 *
 * Why that gives the same runtime spec as compiling the chart itself, and where it
 * would not, so those are never tokenized:
 * - Vega-Lite and Vega copy these texts verbatim, alone or inside generated
 *   expressions ("Jahr: " + …); they compare them only for equality (merging axis
 *   titles, domains of layers). Equal texts get equal tokens, so every comparison
 *   comes out the same. A text is tokenized only if it is "plain": no quote,
 *   backslash or control character (so no escaping can differ inside an
 *   expression), not all digits (object keys of digits are ordered first), not
 *   a name of `Object.prototype` ("constructor", …), not empty (falsy), and not
 *   equal to any string elsewhere in the spec (a field name, a default title).
 * - Data arrays are compared by Vega-Lite only as a whole (`deepEqual`, to share
 *   a data source between layers): equal arrays share one token. Only arrays of
 *   JSON values are tokenized; they are handed to the view as the same objects.
 * - Numbers are never tokenized (Vega-Lite calculates with sizes and positions).
 *   Scale domains and sort orders only of nominal and ordinal channels.
 * - The template's runtime spec is frozen and shared by all its charts: only the
 *   parts that hold a token are copied per chart, plus the parts a view changes
 *   while it starts (its event configuration, and the constant tuples it ingests,
 *   which get fresh objects so tuple ids are assigned in the same order as for a
 *   spec compiled on its own). Anything else a view wrote into a shared object
 *   would throw (ES modules are strict), and the caller then draws the chart
 *   without the template.
 *
 * `tests/render/template.test.ts` compares the runtime spec with the directly
 * compiled one for every chart kind and for texts with quotes, digits and accents.
 */
import type { ChartSpec } from '../charts/types.js';

const MARK = 'spm~';
const TOKEN = /spm~t~(\d+)~/;
const TOKENS = /spm~t~(\d+)~/g;
const DATA = 'spm~data~';

export interface Tokenized {
  /** Cache key: the tokenized spec as JSON. */
  key: string;
  /** The spec with tokens in place of texts and data arrays. */
  spec: ChartSpec;
  /** Texts by token number. */
  texts: string[];
  /** Data arrays by token number (the spec's own arrays). */
  data: unknown[][];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Nominal and ordinal channels: their scale domains and sort orders are texts, not numbers or dates. */
const isDiscrete = (def: Obj) => def.type === 'nominal' || def.type === 'ordinal';

/** Strings of the spec outside the places that are tokenized (field names, expressions, datum values, …). */
function otherStrings(spec: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, textual: boolean): void => {
    if (typeof v === 'string') {
      if (!textual) out.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, textual);
    } else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        out.add(k);
        if (k === 'values' && Array.isArray(x)) continue; // data (tokenized whole, or part of the key)
        // texts may be tokenized here; everything else counts as "elsewhere"
        visit(
          x,
          k === 'title' || k === 'text' || k === 'subtitle' || k === 'domain' || k === 'sort' || k === 'description',
        );
      }
    }
  };
  visit(spec, false);
  return out;
}

function plainJson(v: unknown): v is Json {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(plainJson);
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(v).every(plainJson);
}

/** Vega-Lite's `deepEqual` on JSON values (key order does not count). */
function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!));
  if (!isObj(a) || !isObj(b) || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k] as Json, b[k] as Json))
  );
}

/**
 * The spec with its texts and data arrays replaced by tokens; undefined when the
 * spec cannot be a template (it contains the token mark itself).
 */
export function tokenizeSpec(spec: ChartSpec): Tokenized | undefined {
  const whole = JSON.stringify(spec);
  if (whole === undefined || whole.includes(MARK)) return undefined;
  const others = otherStrings(spec);
  const texts: string[] = [];
  const textIds = new Map<string, number>();
  const data: unknown[][] = [];
  const plain = (s: string) =>
    s.length > 0 &&
    !/["'\\\u0000-\u001f\u007f\u2028\u2029]/.test(s) &&
    !/^\d+$/.test(s) &&
    !(s in Object.prototype) &&
    !others.has(s);
  const text = (s: string): string => {
    if (!plain(s)) return s;
    let id = textIds.get(s);
    if (id === undefined) {
      id = texts.length;
      texts.push(s);
      textIds.set(s, id);
    }
    return `${MARK}t~${id}~`;
  };
  const textList = (v: unknown): unknown =>
    typeof v === 'string' ? text(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? text(x) : copy(x))) : v;
  const dataArray = (values: unknown[]): unknown => {
    if (!values.length || !plainJson(values)) return copy(values);
    let id = data.findIndex((d) => jsonEqual(d as Json, values));
    if (id < 0) id = data.push(values) - 1;
    return [{ [DATA]: id }];
  };
  /** A fresh copy (the template must not share objects with this chart's spec). */
  const copy = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(copy) : isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v;
  // title: a string, a list of lines, or { text, subtitle, …style }
  const title = (v: unknown): unknown => {
    if (!isObj(v)) return textList(v);
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === 'text' || k === 'subtitle' ? textList(x) : walk(x);
    return out;
  };
  const channel = (def: unknown): unknown => {
    if (!isObj(def)) return walk(def);
    const out: Obj = {};
    for (const [k, x] of Object.entries(def)) {
      if (k === 'scale' && isObj(x) && isDiscrete(def)) {
        const scale: Obj = {};
        for (const [sk, sx] of Object.entries(x))
          scale[sk] = sk === 'domain' && Array.isArray(sx) ? textList(sx) : walk(sx);
        out[k] = scale;
      } else if (k === 'sort' && Array.isArray(x) && isDiscrete(def)) out[k] = textList(x);
      else if (k === 'title') out[k] = title(x);
      else out[k] = walk(x, k);
    }
    return out;
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'config' || k === 'usermeta') out[k] = copy(x);
      else if (k === 'title') out[k] = title(x);
      // the chart's screen-reader text names its area: a text, so charts of one kind share the template
      else if (k === 'description' && typeof x === 'string') out[k] = text(x);
      else if (k === 'values' && key === 'data' && Array.isArray(x)) out[k] = dataArray(x);
      else if (k === 'encoding' && isObj(x))
        out[k] = Object.fromEntries(
          Object.entries(x).map(([c, d]) => [c, Array.isArray(d) ? d.map((e) => channel(e)) : channel(d)]),
        );
      else out[k] = walk(x, k);
    }
    return out;
  };
  const tokenized = walk(spec) as ChartSpec;
  return { key: JSON.stringify(tokenized), spec: tokenized, texts, data };
}

type Fill = (texts: readonly string[], data: readonly unknown[][]) => unknown;

/** A Vega runtime spec parsed from a tokenized spec, to be filled per chart. */
export interface RuntimeTemplate {
  fill(texts: readonly string[], data: readonly unknown[][]): object;
}

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

/** A fresh copy of constant tuples (a view gives each tuple it ingests an id). */
function freshTuples(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? structuredClone(v) : v;
}

const isDataToken = (node: unknown[]): boolean => {
  const first = node[0];
  return node.length === 1 && isObj(first) && typeof first[DATA] === 'number';
};

/** How to rebuild `node` with a chart's texts and data; undefined where nothing changes per chart. */
function planOf(node: unknown): Fill | undefined {
  if (typeof node === 'string') {
    if (!TOKEN.test(node)) return undefined;
    const parts = node.split(TOKENS);
    return (texts) => {
      let s = parts[0]!;
      for (let i = 1; i < parts.length; i += 2) s += texts[Number(parts[i])]! + parts[i + 1]!;
      return s;
    };
  }
  if (Array.isArray(node)) {
    if (isDataToken(node)) {
      const id = (node[0] as Obj)[DATA] as number;
      return (_, data) => data[id];
    }
    const kids = node.map(planOf);
    if (kids.every((k) => !k)) return undefined;
    return (texts, data) => node.map((x, i) => (kids[i] ? kids[i](texts, data) : x));
  }
  if (!isObj(node)) return undefined;
  const kids: [string, Fill][] = [];
  for (const [k, x] of Object.entries(node)) {
    if (TOKEN.test(k)) throw new Error('Vorlage: Platzhalter als Schlüssel');
    // the tuples of a collect operator (inline, or {$ingest}) are ingested by the view
    const plan = k === 'value' && node.type === 'collect' ? tuplesPlan(x) : planOf(x);
    if (plan) kids.push([k, plan]);
  }
  if (!kids.length) return undefined;
  return (texts, data) => {
    const out: Obj = { ...node };
    for (const [k, plan] of kids) out[k] = plan(texts, data);
    return out;
  };
}

/** Tuples to ingest: the chart's own data, or fresh copies of constant tuples. */
function tuplesPlan(node: unknown): Fill {
  if (Array.isArray(node)) {
    if (isDataToken(node)) return planOf(node)!;
    const kids = node.map(planOf);
    return (texts, data) => node.map((x, i) => (kids[i] ? kids[i](texts, data) : freshTuples(x)));
  }
  if (isObj(node) && Array.isArray(node.$ingest)) {
    const ingest = tuplesPlan(node.$ingest);
    const rest = planOf({ ...node, $ingest: null });
    return (texts, data) => ({ ...((rest ? rest(texts, data) : node) as Obj), $ingest: ingest(texts, data) });
  }
  const plan = planOf(node);
  return plan ?? (() => freshTuples(node));
}

/** Wrap a runtime spec parsed from a tokenized spec; the spec is frozen and shared by every fill. */
export function runtimeTemplate(parsed: object): RuntimeTemplate {
  // an own copy: the parser may hand out objects it keeps (defaults), which must not be frozen
  const runtime = structuredClone(parsed);
  const plan = planOf(runtime);
  deepFreeze(runtime);
  return {
    fill(texts, data) {
      const out = (plan ? plan(texts, data) : { ...runtime }) as Obj;
      // a view turns the event configuration's lists into sets in place
      if (out.eventConfig !== undefined) out.eventConfig = structuredClone(out.eventConfig);
      return out;
    },
  };
}
