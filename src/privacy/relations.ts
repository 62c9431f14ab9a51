/**
 * Additive relations between the measures of one project: `total = Σ parts`
 * (plus, with `rest`, further unpublished parts >= 0), holding for every area,
 * year and window. An attacker knows them from the indicator definitions (the
 * Steckbriefe are public), so the suppression must know them too.
 *
 * Two origins:
 * - **proven from the definitions**: measures of one source with the same kind
 *   (count, or sum of the same column) whose filters agree except for an interval
 *   on one numeric column, where the parts' intervals partition the total's
 *   (Übergewicht inkl. Adipositas, BMI > P90 = (P90, P97] + (P97, ∞)), or except
 *   for the values of one text or boolean column (§ 33 + § 34 = hilfeart in
 *   ('33', '34')) or of numeric codes (`hilfeart in (33, 34)`); and subgroups (a count, or a sum of a column of counts, over
 *   rows with more conditions) at most their group, disjoint ones together;
 * - **declared** in spm.yaml (`relations:`), for what the definitions cannot
 *   show (age groups and "insgesamt" columns of an aggregated source are
 *   separate columns); declared relations are checked against the data
 *   (`checkRelationsSql`).
 */
import type { CompiledIndicator, CompiledMeasure } from '../compile/types.js';
import type { ColumnType, ProjectFile } from '../config/schema.js';
import { measureKey } from '../compile/measure.js';
import {
  filterNodeColumns,
  parseFilter,
  renderFilter,
  type FilterNode,
  type LiteralNode,
} from '../compile/filter/index.js';
import { UserError, type Issue } from '../util/issues.js';
import { isTotalValue } from '../ingest/areas.js';
import { ROLE } from './refusal.js';

/** One relation over measure keys (see `measureKey`). */
export interface MeasureRelation {
  /** Measure key of the total. */
  total: string;
  /** Measure keys of the published parts (measures some indicator uses). */
  parts: string[];
  /** true: further parts that are not published (or not named) belong to the total; they are >= 0. */
  rest: boolean;
  /** `data`: an equation every complete cell of the data holds, neither declared nor proven (src/compute/data-relations.ts). */
  origin: 'definition' | 'declared' | 'data';
  /**
   * A numerator at most its denominator (total = the denominator's measure, the one part the
   * numerator's, with a rest): modelled as a relation instead of fixed bounds after a refusal
   * (see src/privacy/bound-relations.ts). A part's protection level is capped at the total's count
   * where the parts do not exceed it (several parts: disjoint subgroups, each at most the group).
   */
  bound?: boolean;
  /** Human-readable form for messages and the README of a run. */
  label: string;
  /** YAML path of a declared relation (`relations[2]`). */
  path?: string;
}

interface Interval {
  lo: number;
  loInc: boolean;
  hi: number;
  hiInc: boolean;
}

const FULL: Interval = { lo: -Infinity, loInc: false, hi: Infinity, hiInc: false };

function intersect(a: Interval, b: Interval): Interval {
  const lo = a.lo > b.lo ? a : b.lo > a.lo ? b : { lo: a.lo, loInc: a.loInc && b.loInc };
  const hi = a.hi < b.hi ? a : b.hi < a.hi ? b : { hi: a.hi, hiInc: a.hiInc && b.hiInc };
  return { lo: lo.lo, loInc: Number.isFinite(lo.lo) && lo.loInc, hi: hi.hi, hiInc: Number.isFinite(hi.hi) && hi.hiInc };
}

/** The interval a single-column condition allows, or null if it is not an interval on a number. */
function intervalOf(n: FilterNode): { column: string; iv: Interval } | null {
  if (n.kind === 'is_null' && n.negated) return { column: n.column, iv: FULL };
  if (n.kind === 'between' && !n.negated && n.low.type === 'number' && n.high.type === 'number') {
    return { column: n.column, iv: { lo: n.low.value, loInc: true, hi: n.high.value, hiInc: true } };
  }
  if (n.kind !== 'compare' || n.value.type !== 'number') return null;
  const v = n.value.value;
  switch (n.op) {
    case '>':
      return { column: n.column, iv: { lo: v, loInc: false, hi: Infinity, hiInc: false } };
    case '>=':
      return { column: n.column, iv: { lo: v, loInc: true, hi: Infinity, hiInc: false } };
    case '<':
      return { column: n.column, iv: { lo: -Infinity, loInc: false, hi: v, hiInc: false } };
    case '<=':
      return { column: n.column, iv: { lo: -Infinity, loInc: false, hi: v, hiInc: true } };
    case '=':
      return { column: n.column, iv: { lo: v, loInc: true, hi: v, hiInc: true } };
    default:
      return null;
  }
}

/**
 * The numbers a condition on one numeric column allows, as sorted disjoint intervals: also what no
 * single interval is (`x != 5`, `x in (1, 2)`, `x not between 1 and 3`, and `not`, `or`, `and` of
 * such conditions on one column), and whether a row without a value passes it too (`withNull`: `x > 5
 * or x is null`, by `nullTruth`). Null when it is none of these, and when a null passes on a column
 * that is not in `nullColumns` (where the null is no value of the column, the numbers do not say it).
 * (DuckDB orders NaN above every number, so it falls where the largest numbers do, in every condition
 * alike.)
 */
function numbersOf(
  n: FilterNode,
  nullColumns?: ReadonlySet<string>,
): { column: string; union: Interval[]; withNull: boolean } | null {
  const u = valuedUnionOf(n);
  if (!u) return null;
  const withNull = nullTruth(n) === 'true';
  return withNull && !nullColumns?.has(u.column) ? null : { ...u, withNull };
}

/**
 * The numbers (rows with a value) a condition on one numeric column holds, or null: for a row with a
 * value SQL's logic is two-valued, `x is null` false and `x is not null` true. Whether a row without
 * a value passes is `nullTruth`'s.
 */
function valuedUnionOf(n: FilterNode): { column: string; union: Interval[] } | null {
  const point = (v: number): Interval => ({ lo: v, loInc: true, hi: v, hiInc: true });
  switch (n.kind) {
    case 'compare': {
      if (n.value.type !== 'number') return null;
      if (n.op === '!=') return { column: n.column, union: complementUnion([point(n.value.value)]) };
      const r = intervalOf(n);
      return r && { column: r.column, union: [r.iv] };
    }
    case 'between': {
      if (n.low.type !== 'number' || n.high.type !== 'number') return null;
      const u = normalizeUnion([{ lo: n.low.value, loInc: true, hi: n.high.value, hiInc: true }]);
      return { column: n.column, union: n.negated ? complementUnion(u) : u };
    }
    case 'in': {
      if (n.values.length === 0 || n.values.some((v) => v.type !== 'number')) return null;
      const u = normalizeUnion(n.values.map((v) => point(v.value as number)));
      return { column: n.column, union: n.negated ? complementUnion(u) : u };
    }
    case 'is_null':
      return { column: n.column, union: n.negated ? [FULL] : [] };
    case 'not': {
      const inner = valuedUnionOf(n.operand);
      return inner && { column: inner.column, union: complementUnion(inner.union) };
    }
    case 'or':
    case 'and': {
      const parts = n.operands.map(valuedUnionOf);
      if (parts.some((x) => x === null || x.column !== parts[0]!.column)) return null;
      const unions = parts.map((x) => x!.union);
      return {
        column: parts[0]!.column,
        union: n.kind === 'or' ? normalizeUnion(unions.flat()) : unions.reduce(intersectUnions),
      };
    }
    default:
      return null;
  }
}

const emptyInterval = (iv: Interval): boolean => iv.lo > iv.hi || (iv.lo === iv.hi && !(iv.loInc && iv.hiInc));

/** Sorted, disjoint, touching intervals joined, empty ones left out. */
function normalizeUnion(ivs: readonly Interval[]): Interval[] {
  const sorted = ivs
    .filter((iv) => !emptyInterval(iv))
    .sort((a, b) => (a.lo !== b.lo ? a.lo - b.lo : a.loInc === b.loInc ? 0 : a.loInc ? -1 : 1));
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    // overlapping or touching ([1, 2) and [2, 3], or (1, 2] and (2, 3))
    if (last && (iv.lo < last.hi || (iv.lo === last.hi && (iv.loInc || last.hiInc)))) {
      if (iv.hi > last.hi || (iv.hi === last.hi && iv.hiInc))
        out[out.length - 1] = { ...last, hi: iv.hi, hiInc: iv.hiInc };
    } else out.push({ ...iv });
  }
  return out;
}

/** The numbers a union leaves out. */
function complementUnion(u: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let lo = -Infinity;
  let loInc = false;
  for (const iv of normalizeUnion(u)) {
    out.push({ lo, loInc, hi: iv.lo, hiInc: !iv.loInc && Number.isFinite(iv.lo) });
    lo = iv.hi;
    loInc = !iv.hiInc && Number.isFinite(iv.hi);
  }
  out.push({ lo, loInc, hi: Infinity, hiInc: false });
  return normalizeUnion(out);
}

function intersectUnions(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return normalizeUnion(a.flatMap((x) => b.map((y) => intersect(x, y))));
}

const inUnion = (u: readonly Interval[], v: number): boolean =>
  u.some((iv) => (v > iv.lo || (v === iv.lo && iv.loInc)) && (v < iv.hi || (v === iv.hi && iv.hiInc)));

/**
 * Numeric columns (source -> column -> every bound any filter names on it) on which some condition of
 * a count or sum is no single interval (`hilfeart in (33, 34)`). There every condition on the column
 * becomes a finite set of the pieces these bounds cut the numbers into (the bounds themselves and the
 * open stretches between them), and takes part in the partitions, subgroups and disjoint families of
 * value sets: `hilfeart = 33` + `hilfeart = 34` = `hilfeart in (33, 34)`. Columns where every condition
 * is one interval keep the intervals (the standard set's BMI percentiles).
 */
interface NumericPieces {
  /** source -> numeric column -> its bounds (see above) */
  bounds: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
  /**
   * source -> columns where some condition counts the rows without a value (`t is null`, alone or in an
   * `or` over the column; declared text, boolean or numeric columns only). There a null is one value more
   * ({@link NULL_KEY}), so that `t is null` joins the partitions and families of the column's values
   * (`t is null` + `t is not null` = every row), and a count with no condition on the column is every
   * value and the null. A numeric column of them is read as pieces too (above).
   */
  nulls: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The one column a condition tests, if it counts the rows without a value (`t is null`, `not t is not null`) or has an `is null` in it. */
function nullColumnOf(c: FilterNode): string | null {
  const cols = new Set(filterNodeColumns(c));
  if (cols.size !== 1) return null;
  const has = (n: FilterNode): boolean =>
    n.kind === 'is_null'
      ? !n.negated
      : n.kind === 'or'
        ? n.operands.some(has)
        : n.kind === 'not'
          ? has(n.operand)
          : false;
  return has(c) || nullTruth(c) === 'true' ? [...cols][0]! : null;
}

function numericPieces(measures: Iterable<CompiledMeasure>, types?: SourceColumnTypes): NumericPieces {
  const conds: { source: string; column: string; union: Interval[]; single: boolean }[] = [];
  const nulls = new Map<string, Set<string>>();
  for (const m of measures) {
    if ((m.measure.measure !== 'count' && m.measure.measure !== 'sum') || m.measure.filter === undefined) continue;
    const root = parseFilter(m.measure.filter);
    for (const c of root.kind === 'and' ? root.operands : [root]) {
      const nc = nullColumnOf(c);
      const nullType = nc === null ? undefined : types?.get(m.sourceId)?.get(nc);
      if (nc !== null && nullType !== undefined) {
        nulls.set(m.sourceId, (nulls.get(m.sourceId) ?? new Set()).add(nc));
        // a numeric column with a null among its values: its conditions as pieces
        if (nullType !== 'text' && nullType !== 'boolean')
          conds.push({ source: m.sourceId, column: nc, union: [], single: false });
      }
      // (on a number whose null is a value, `x > 5 or x is null` too: its numbers)
      const u = numbersOf(c, nc !== null && nullType !== undefined ? new Set([nc]) : undefined);
      // (not a text or boolean column compared with a number)
      const type = u ? types?.get(m.sourceId)?.get(u.column) : undefined;
      if (u && type !== 'text' && type !== 'boolean')
        conds.push({ source: m.sourceId, column: u.column, union: u.union, single: intervalOf(c) !== null });
    }
  }
  const out = new Map<string, Map<string, number[]>>();
  for (const c of conds) {
    if (c.single) continue;
    const bySource = out.get(c.source) ?? new Map<string, number[]>();
    out.set(c.source, bySource);
    bySource.set(c.column, []);
  }
  for (const c of conds) {
    const bounds = out.get(c.source)?.get(c.column);
    if (!bounds) continue;
    for (const iv of c.union) for (const v of [iv.lo, iv.hi]) if (Number.isFinite(v)) bounds.push(v);
  }
  for (const bySource of out.values())
    for (const [col, bounds] of bySource)
      bySource.set(
        col,
        [...new Set(bounds)].sort((a, b) => a - b),
      );
  return { bounds: out, nulls };
}

/**
 * A union as the set of pieces (keys `n:<i>`) of `bounds` it holds: piece 2i is the open stretch
 * below bounds[i] (above bounds[i - 1]), 2i + 1 the bound itself, 2k the stretch above the last.
 * Every bound of the union is among `bounds`, so a stretch lies wholly inside or outside it.
 * `withNull`: the null too (`NULL_KEY`, where it is a value of the column).
 */
function piecesOf(union: readonly Interval[], bounds: readonly number[], withNull = false): ValueSet {
  const values = new Set<string>(withNull ? [NULL_KEY] : []);
  for (let i = 0; i <= bounds.length; i++) {
    const lo = i === 0 ? -Infinity : bounds[i - 1]!;
    const hi = i === bounds.length ? Infinity : bounds[i]!;
    const inside = Number.isFinite(lo)
      ? Number.isFinite(hi)
        ? lo + (hi - lo) / 2
        : lo + Math.max(1, Math.abs(lo))
      : Number.isFinite(hi)
        ? hi - Math.max(1, Math.abs(hi))
        : 0;
    if (inUnion(union, inside)) values.add(`n:${2 * i}`);
    if (i < bounds.length && inUnion(union, hi)) values.add(`n:${2 * i + 1}`);
  }
  return { neg: false, values };
}

interface Shape {
  key: string;
  /** source | kind | column */
  family: string;
  /** per numeric column: the other conditions (rendered, sorted) and the interval on it */
  byColumn: Map<string, { rest: string; iv: Interval }>;
}

function shapeOf(key: string, m: CompiledIndicator['numerator']['measure']): Shape | null {
  const family = JSON.stringify([m.source, m.measure, m.column ?? null]);
  const byColumn = new Map<string, { rest: string; iv: Interval }>();
  if (m.filter === undefined) return { key, family, byColumn };
  const root = parseFilter(m.filter);
  const conj = root.kind === 'and' ? root.operands : [root];
  const cols = new Map<string, Interval>();
  for (const c of conj) {
    const r = intervalOf(c);
    if (r) cols.set(r.column, intersect(cols.get(r.column) ?? FULL, r.iv));
  }
  for (const [col, iv] of cols) {
    const rest = conj
      .filter((c) => intervalOf(c)?.column !== col)
      .map((c) => renderFilter(c))
      .sort()
      .join(' && ');
    byColumn.set(col, { rest, iv });
  }
  return { key, family, byColumn };
}

const sameStart = (a: Interval, lo: number, loInc: boolean) =>
  a.lo === lo && (a.loInc === loInc || !Number.isFinite(lo));

/** Parts (indices into `cands`) whose intervals partition `t` in order, or null. */
function partition(t: Interval, cands: Interval[]): number[] | null {
  const inside = (iv: Interval) =>
    (iv.lo > t.lo || (iv.lo === t.lo && (!iv.loInc || t.loInc || !Number.isFinite(t.lo)))) &&
    (iv.hi < t.hi || (iv.hi === t.hi && (!iv.hiInc || t.hiInc || !Number.isFinite(t.hi))));
  const dfs = (lo: number, loInc: boolean, used: number[]): number[] | null => {
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i]!;
      if (used.includes(i) || !inside(c) || !sameStart(c, lo, loInc)) continue;
      // an empty interval (x = 3 but not including it, or a contradictory x > 5 and x < 3) is in no chain:
      // from its lower bound it would lead back below it, and the parts after it would overlap the ones before
      if (emptyInterval(c)) continue;
      const next = [...used, i];
      if (c.hi === t.hi && (c.hiInc === t.hiInc || !Number.isFinite(t.hi))) return next.length >= 2 ? next : null;
      if (!Number.isFinite(c.hi)) continue;
      const r = dfs(c.hi, !c.hiInc, next);
      if (r) return r;
    }
    return null;
  };
  return dfs(t.lo, t.loInc, []);
}

/** A measure key as the relations' labels name it: `Anzahl seu [filter]`, `hze.hze_insgesamt`. */
export function describeMeasure(key: string): string {
  const [source, measure, column, filter] = JSON.parse(key) as [string, string, string | null, string | null];
  const what = measure === 'count' ? `Anzahl ${source}` : `${source}.${column}`;
  return filter ? `${what} [${filter}]` : what;
}

/** `total = Σ parts` proven from the definitions (parts in key order). */
function partitionRelation(total: string, parts: readonly string[]): MeasureRelation {
  const sorted = [...parts].sort();
  return {
    total,
    parts: sorted,
    rest: false,
    origin: 'definition',
    label: `${describeMeasure(total)} = ${sorted.map(describeMeasure).join(' + ')}`,
  };
}

/** Relations provable from the filters of the compiled measures (see the file comment). */
export function relationsFromDefinitions(
  compiled: readonly CompiledIndicator[],
  types?: SourceColumnTypes,
): MeasureRelation[] {
  const measures = new Map<string, CompiledMeasure>();
  for (const c of compiled) for (const m of [c.numerator, c.denominator]) measures.set(m.key, m);
  const shapes = [...measures.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, m]) => shapeOf(k, m.measure))
    .filter((s): s is Shape => s !== null);
  const out: MeasureRelation[] = [];
  const seen = new Set<string>();
  // candidates: same family, same numeric column, same other conditions
  const buckets = new Map<string, { key: string; iv: Interval }[]>();
  for (const s of shapes) {
    for (const [col, { rest, iv }] of s.byColumn) {
      const b = `${s.family}|${col}|${rest}`;
      buckets.set(b, [...(buckets.get(b) ?? []), { key: s.key, iv }]);
    }
  }
  for (const list of buckets.values()) {
    if (list.length < 3) continue;
    for (const t of list) {
      const others = list.filter((o) => o.key !== t.key);
      const p = partition(
        t.iv,
        others.map((o) => o.iv),
      );
      if (!p) continue;
      const r = partitionRelation(
        t.key,
        p.map((i) => others[i]!.key),
      );
      const id = `${r.total}=${r.parts.join('+')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(r);
    }
  }
  for (const r of setPartitions(measures, types)) {
    const id = `${r.total}=${r.parts.join('+')}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(r);
  }
  return out;
}

/**
 * A measure's filter as its conjuncts: intervals per numeric column, value sets per text or
 * boolean column (`=`, `in`, and `is not null` on a boolean), the other conditions as rendered text.
 */
interface Conjuncts {
  family: string;
  intervals: Map<string, Interval>;
  sets: Map<string, ValueSet>;
  others: Set<string>;
  /**
   * Columns whose set is the total row of a long file (a sum over `geschlecht = 'insgesamt'`): as
   * rows these are rows like any (`sets` holds the value), but the sum is at least the sum over
   * the rows of any other values ({@link implies}).
   */
  totalRows: Set<string>;
}

/**
 * The column types of the project's sources (source id -> column -> type), where spm.yaml names
 * them: what the relations need to know beyond the filters (a sum of a `count` column over fewer
 * rows is not larger; a boolean that is not null is true or false).
 */
export type SourceColumnTypes = ReadonlyMap<string, ReadonlyMap<string, ColumnType>>;

/** The column types of every source in spm.yaml. */
export function sourceColumnTypes(config: Pick<ProjectFile, 'sources'>): SourceColumnTypes {
  return new Map(
    config.sources.map((s) => [s.id, new Map(Object.entries(s.columns ?? {}).map(([k, v]) => [k, v.type]))]),
  );
}

/**
 * The values a text or boolean condition allows among a row's non-null values: a finite set
 * (`neg` false: the values, as literal keys `t:` text, `b:` boolean) or all but a finite set (`neg`
 * true: `t != 'a'`, `t not in (…)`; `is not null` on a text column is all but none). SQL leaves
 * the nulls out of both: `t != 'a'` is false-or-null for a null t. On a boolean column "all but"
 * is always written as the finite rest of true and false.
 */
interface ValueSet {
  neg: boolean;
  values: ReadonlySet<string>;
}

const ANY: ValueSet = { neg: true, values: new Set() };
const BOOLEANS = ['b:true', 'b:false'];
/** The rows without a value, as one value more on a column where some filter counts them ({@link NumericPieces.nulls}). */
const NULL_KEY = 'null';

/** A text value's key that names a total row ({@link isTotalValue}). */
const isTotalKey = (k: string): boolean => k.startsWith('t:') && isTotalValue(k.slice(2));

const literalKey = (v: LiteralNode): string | null =>
  v.type === 'text' ? `t:${v.value}` : v.type === 'boolean' ? `b:${v.value}` : null;

/**
 * All of a column's non-null values but `set`'s (a boolean's as the finite rest): what `not` leaves of a
 * condition that is unknown for a null (`t = 'a'`, `t in (…)`). With `nulls` (the null is a value of
 * the column, {@link NULL_KEY}) the null is left out too, unless `nullStays`: `not` of a condition that
 * is false for a null (`t is not null`) holds the null.
 */
function complement(set: ValueSet, boolean: boolean, nulls = false, nullStays = false): ValueSet {
  // the whole domain (the values, and with `nulls` the null) but `set`'s
  const domain = nulls ? [...BOOLEANS, NULL_KEY] : BOOLEANS;
  const full: ValueSet = set.neg
    ? { neg: false, values: set.values }
    : boolean
      ? { neg: false, values: new Set(domain.filter((k) => !set.values.has(k))) }
      : { neg: true, values: set.values };
  // then the null by the rule above (without `nulls` it is in no set)
  if (!nulls || nullStays || set.values.has(NULL_KEY) !== set.neg) return full;
  return full.neg
    ? { neg: true, values: new Set([...full.values, NULL_KEY]) }
    : { neg: false, values: new Set([...full.values].filter((k) => k !== NULL_KEY)) };
}

/** Whether a condition on one column is true, false or unknown (SQL) for a row without a value. */
function nullTruth(n: FilterNode): 'true' | 'false' | 'unknown' {
  switch (n.kind) {
    case 'is_null':
      return n.negated ? 'false' : 'true';
    case 'not': {
      const t = nullTruth(n.operand);
      return t === 'true' ? 'false' : t === 'false' ? 'true' : 'unknown';
    }
    case 'or': {
      const ts = n.operands.map(nullTruth);
      return ts.includes('true') ? 'true' : ts.includes('unknown') ? 'unknown' : 'false';
    }
    case 'and': {
      const ts = n.operands.map(nullTruth);
      return ts.includes('false') ? 'false' : ts.includes('unknown') ? 'unknown' : 'true';
    }
    default:
      return 'unknown';
  }
}

/**
 * The value set a condition on one text or boolean column allows (`=`, `!=`, `in`, `not in`, `is
 * not null`, and `not` and `or` of such conditions on one column), or null if it is none.
 */
function valueSetOf(
  n: FilterNode,
  type: ColumnType | undefined,
  nullColumns?: ReadonlySet<string>,
): { column: string; set: ValueSet } | null {
  const finite = (column: string, keys: readonly (string | null)[], negated: boolean) => {
    if (keys.length === 0 || keys.some((k) => k === null)) return null;
    const set: ValueSet = { neg: false, values: new Set(keys as string[]) };
    const boolean = type === 'boolean' || (keys[0] as string).startsWith('b:');
    return { column, set: negated ? complement(set, boolean, nullColumns?.has(column)) : set };
  };
  switch (n.kind) {
    case 'compare':
      return n.op === '=' || n.op === '!=' ? finite(n.column, [literalKey(n.value)], n.op === '!=') : null;
    case 'in':
      return finite(n.column, n.values.map(literalKey), n.negated);
    case 'is_null': {
      const nulls = nullColumns?.has(n.column) ?? false;
      // (`is null` only where the null is a value of the column; `is not null` of a number is an interval)
      if (!n.negated) return nulls ? { column: n.column, set: { neg: false, values: new Set([NULL_KEY]) } } : null;
      if (type === 'boolean') return { column: n.column, set: { neg: false, values: new Set(BOOLEANS) } };
      if (type !== 'text') return null;
      return { column: n.column, set: nulls ? { neg: true, values: new Set([NULL_KEY]) } : ANY };
    }
    case 'not': {
      // not over `=`, `!=`, `in`; over `is null` only where the null is a value (elsewhere it is in neither set)
      // (a number's `not x is null` is all numbers: an interval, below)
      const op = n.operand;
      if (op.kind === 'is_null' && (!nullColumns?.has(op.column) || (type !== 'text' && type !== 'boolean')))
        return null;
      const inner = valueSetOf(n.operand, type, nullColumns);
      if (!inner) return null;
      const boolean = type === 'boolean' || [...inner.set.values].some((k) => k.startsWith('b:'));
      const withNulls = nullColumns?.has(inner.column) ?? false;
      const nullStays = withNulls && nullTruth(n.operand) === 'false';
      return { column: inner.column, set: complement(inner.set, boolean, withNulls, nullStays) };
    }
    case 'or': {
      const parts = n.operands.map((o) => valueSetOf(o, type, nullColumns));
      if (parts.some((x) => x === null || x.column !== parts[0]!.column)) return null;
      return { column: parts[0]!.column, set: parts.map((x) => x!.set).reduce(unionSets) };
    }
    default:
      return null;
  }
}

function intersectSets(a: ValueSet, b: ValueSet): ValueSet {
  if (a.neg && b.neg) return { neg: true, values: new Set([...a.values, ...b.values]) };
  if (a.neg) return intersectSets(b, a);
  return { neg: false, values: new Set([...a.values].filter((k) => (b.neg ? !b.values.has(k) : b.values.has(k)))) };
}

function unionSets(a: ValueSet, b: ValueSet): ValueSet {
  if (!a.neg && !b.neg) return { neg: false, values: new Set([...a.values, ...b.values]) };
  if (a.neg && b.neg) return { neg: true, values: new Set([...a.values].filter((k) => b.values.has(k))) };
  const [co, fin] = a.neg ? [a, b] : [b, a];
  return { neg: true, values: new Set([...co.values].filter((k) => !fin.values.has(k))) };
}

/** Every value `a` allows, `b` allows too. */
function subsetOf(a: ValueSet, b: ValueSet): boolean {
  if (!a.neg) return [...a.values].every((k) => (b.neg ? !b.values.has(k) : b.values.has(k)));
  return b.neg && [...b.values].every((k) => a.values.has(k));
}

/** No value both allow. */
function disjointSets(a: ValueSet, b: ValueSet): boolean {
  if (a.neg && b.neg) return false;
  if (a.neg) return disjointSets(b, a);
  return [...a.values].every((k) => (b.neg ? b.values.has(k) : !b.values.has(k)));
}

const sameSet = (a: ValueSet, b: ValueSet): boolean => subsetOf(a, b) && subsetOf(b, a);

const setText = (v: ValueSet): [boolean, string[]] => [v.neg, [...v.values].sort()];

/**
 * A measure whose filter can be read as conjuncts, or null: counts of rows, and sums of a column
 * whose values are never negative (type `count`, checked when the rows are loaded): a sum of
 * such a column over fewer rows is not larger. A sum of a `number` or `integer` column may be.
 */
function conjunctsOf(
  m: CompiledMeasure['measure'],
  source: string,
  types?: SourceColumnTypes,
  pieces?: NumericPieces,
): Conjuncts | null {
  const colTypes = types?.get(source);
  if (m.measure !== 'count' && !(m.measure === 'sum' && m.column && colTypes?.get(m.column) === 'count')) return null;
  return readConjuncts(m, source, types, pieces);
}

/** The conjuncts of any count or sum (see {@link conjunctsOf}), with the columns its other conditions test. */
function readConjuncts(
  m: CompiledMeasure['measure'],
  source: string,
  types?: SourceColumnTypes,
  pieces?: NumericPieces,
): Conjuncts & { otherColumns: Set<string> } {
  const colTypes = types?.get(source);
  const numeric = pieces?.bounds.get(source);
  const nullColumns = pieces?.nulls.get(source);
  const intervals = new Map<string, Interval>();
  const sets = new Map<string, ValueSet>();
  const others = new Set<string>();
  const otherColumns = new Set<string>();
  const totalRows = new Set<string>();
  if (m.filter !== undefined) {
    const root = parseFilter(m.filter);
    for (const c of root.kind === 'and' ? root.operands : [root]) {
      // (a set first: `is not null` on a text or boolean column is one, on a number an interval)
      const v = valueSetOf(c, typeOfCondition(c, colTypes), nullColumns);
      // a total row of a long file (`geschlecht = 'insgesamt'`, for sums only: as rows it is one row)
      if (
        m.measure === 'sum' &&
        c.kind === 'compare' &&
        c.op === '=' &&
        c.value.type === 'text' &&
        isTotalValue(c.value.value)
      )
        totalRows.add(c.column);
      // (a numeric column where some filter is no single interval: its conditions as sets of pieces;
      // where the null is a value of the column, with the null when SQL counts it: `x > 5 or x is null`)
      const u = v ? null : numbersOf(c, nullColumns);
      const bounds = u ? numeric?.get(u.column) : undefined;
      const p = u && bounds ? { column: u.column, set: piecesOf(u.union, bounds, u.withNull) } : null;
      const set = v ?? p;
      const r = set ? null : intervalOf(c);
      if (set) {
        const before = sets.get(set.column);
        sets.set(set.column, before ? intersectSets(before, set.set) : set.set);
      } else if (r) intervals.set(r.column, intersect(intervals.get(r.column) ?? FULL, r.iv));
      else {
        others.add(renderFilter(c));
        for (const col of filterNodeColumns(c)) otherColumns.add(col);
      }
    }
  }
  const family = JSON.stringify([m.source, m.measure, m.measure === 'sum' ? (m.column ?? null) : null]);
  // (a second condition on the column leaves the total row's meaning: `t = 'insgesamt' and t != 'x'`)
  for (const col of totalRows) {
    const set = sets.get(col);
    if (!set || set.neg || set.values.size !== 1 || otherColumns.has(col)) totalRows.delete(col);
  }
  return { family, intervals, sets, others, otherColumns, totalRows };
}

/** The type of the one column a condition tests (undefined if none or several). */
function typeOfCondition(c: FilterNode, colTypes: ReadonlyMap<string, ColumnType> | undefined): ColumnType | undefined {
  const cols = new Set(filterNodeColumns(c));
  return cols.size === 1 ? colTypes?.get([...cols][0]!) : undefined;
}

/**
 * Partitions by the values of one text or boolean column: measures of one family (count, or sum of
 * the same column) whose filters agree except for a set of values on that column, where the parts'
 * sets are disjoint and together the total's (Hilfen nach § 33 + § 34 = hilfeart in ('33', '34');
 * befund = true + befund = false = befund is not null, for a boolean). A total with no condition on
 * the column is never one: its rows with a null or another value are in no part; except on a column
 * where some filter counts the nulls (`t is null`): there it is every value and the null.
 */
function setPartitions(measures: ReadonlyMap<string, CompiledMeasure>, types?: SourceColumnTypes): MeasureRelation[] {
  const buckets = new Map<string, { key: string; set: ValueSet }[]>();
  const pieces = numericPieces(measures.values(), types);
  for (const key of [...measures.keys()].sort()) {
    const m = measures.get(key)!;
    if (m.measure.measure !== 'count' && m.measure.measure !== 'sum') continue;
    const c = readConjuncts(m.measure, m.sourceId, types, pieces);
    const sets = new Map(c.sets);
    // no condition on a column with the null as a value: every value and the null
    for (const col of pieces.nulls.get(m.sourceId) ?? []) {
      if (sets.has(col) || c.intervals.has(col) || c.otherColumns.has(col)) continue;
      const type = types?.get(m.sourceId)?.get(col);
      const bounds = pieces.bounds.get(m.sourceId)?.get(col);
      if (type === 'text') sets.set(col, { neg: true, values: new Set() });
      else if (type === 'boolean') sets.set(col, { neg: false, values: new Set([...BOOLEANS, NULL_KEY]) });
      else if (bounds) sets.set(col, piecesOf([FULL], bounds, true));
    }
    for (const [col, set] of sets) {
      if ((!set.neg && set.values.size === 0) || c.otherColumns.has(col)) continue;
      const rest = JSON.stringify([
        c.family,
        col,
        [...c.others].sort(),
        [...c.intervals].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
        [...c.sets]
          .filter(([k]) => k !== col)
          .map(([k, v]) => [k, setText(v)])
          .sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      ]);
      buckets.set(rest, [...(buckets.get(rest) ?? []), { key, set }]);
    }
  }
  const out: MeasureRelation[] = [];
  for (const list of buckets.values()) {
    if (list.length < 3) continue;
    for (const t of list) {
      const inside = list.filter((o) => o.key !== t.key && subsetOf(o.set, t.set) && !sameSet(o.set, t.set));
      const finite = inside.filter((o) => !o.set.neg);
      // an exact cover of `values` by disjoint finite candidates: the smallest value not yet covered decides
      const cover = (values: readonly string[], covered: Set<string>, used: number[]): number[] | null => {
        const next = values.find((v) => !covered.has(v));
        if (next === undefined) return used;
        for (let i = 0; i < finite.length; i++) {
          const c = finite[i]!.set.values;
          if (used.includes(i) || !c.has(next) || [...c].some((k) => covered.has(k) || !values.includes(k))) continue;
          const r = cover(values, new Set([...covered, ...c]), [...used, i]);
          if (r) return r;
        }
        return null;
      };
      let parts: string[] | null = null;
      if (!t.set.neg) {
        // a finite total: finite parts only
        const p = cover([...t.set.values].sort(), new Set(), []);
        if (p && p.length >= 2) parts = p.map((i) => finite[i]!.key);
      } else {
        // all but N: one part all but N0 (N0 holds N), and finite parts that cover N0 without N
        for (const co of inside.filter((o) => o.set.neg)) {
          const left = [...co.set.values].filter((k) => !t.set.values.has(k)).sort();
          const p = cover(left, new Set(), []);
          if (p && p.length >= 1) {
            parts = [co.key, ...p.map((i) => finite[i]!.key)];
            break;
          }
        }
      }
      if (parts) out.push(partitionRelation(t.key, parts));
    }
  }
  return out;
}

const within = (a: Interval, b: Interval): boolean =>
  (a.lo > b.lo || (a.lo === b.lo && (b.loInc || !a.loInc || !Number.isFinite(a.lo)))) &&
  (a.hi < b.hi || (a.hi === b.hi && (b.hiInc || !a.hiInc || !Number.isFinite(a.hi))));

/** Every row `a` counts, `b` counts too: `a`'s conditions include `b`'s (an interval of `b` holds a's on its column). */
function implies(a: Conjuncts, b: Conjuncts): boolean {
  if (a.family !== b.family) return false;
  for (const o of b.others) if (!a.others.has(o)) return false;
  for (const [col, iv] of b.intervals) {
    const own = a.intervals.get(col);
    if (!own || !within(own, iv)) return false;
  }
  for (const [col, set] of b.sets) {
    const own = a.sets.get(col);
    if (own && subsetOf(own, set)) continue;
    // b sums a long file's total rows: at least the sum over the rows of other values (a finite set
    // without a total row; `t != 'a'` holds the total rows themselves)
    if (own && b.totalRows.has(col) && !own.neg && ![...own.values].some(isTotalKey)) continue;
    return false;
  }
  return true;
}

/**
 * "A count of a subgroup is at most the count of the group" between measures of one source that the
 * definitions show: `a` counts the rows of `b` with more conditions (all examined children >= those
 * with a valid BMI >= those over the 97th percentile; those whose Vorsorgeheft was shown >= those with
 * U1-U9 complete). An attacker reads it off the public filters: a Kommune publishing 94 examined and 94
 * visuomotor-tested children pins every masked count of examined children in its Sozialräume to the
 * tested one (review of 6 Dec 2026: 79 cells of the sample narrowed, 18 exactly). As relations
 * `b = a + rest` (rest >= 0), like "numerator <= denominator" (`bound`). Only the nearest: with a <= c
 * <= b, a <= b follows. A proportion's own numerator and denominator are left to the pass's pairs
 * (src/privacy/bound-relations.ts), and so are parts of a proven partition.
 */
export function subsetRelationsFromDefinitions(
  compiled: readonly CompiledIndicator[],
  proven: readonly MeasureRelation[] = [],
  types?: SourceColumnTypes,
): MeasureRelation[] {
  const measures = new Map<string, CompiledMeasure>();
  for (const c of compiled) for (const m of [c.numerator, c.denominator]) measures.set(m.key, m);
  const keys = [...measures.keys()].sort();
  const shape = new Map<string, Conjuncts>();
  const pieces = numericPieces(measures.values(), types);
  for (const k of keys) {
    const m = measures.get(k)!;
    const c = conjunctsOf(m.measure, m.sourceId, types, pieces);
    if (c) shape.set(k, c);
  }
  const sub = (a: string, b: string) =>
    a !== b && implies(shape.get(a)!, shape.get(b)!) && !implies(shape.get(b)!, shape.get(a)!);
  const apart = (a: string, c: string) => disjoint(shape.get(a)!, shape.get(c)!);
  const counted = [...shape.keys()];
  const pairs = new Set<string>();
  for (const c of compiled) if (c.proportion) pairs.add(`${c.denominator.key}\u0000${c.numerator.key}`);
  const partOf = new Set<string>();
  for (const r of proven) for (const p of r.parts) partOf.add(`${r.total}\u0000${p}`);
  const out: MeasureRelation[] = [];
  for (const b of counted) {
    const subs = counted.filter((a) => sub(a, b));
    if (subs.length === 0) continue;
    // Disjoint subgroups together are at most the group (b = a1 + a2 + rest): the largest families
    // of them, except a family within one subgroup g of b (b >= g and g's own relations say it)
    // and the parts of a proven partition of b (their equation says more).
    // Nor a family another one holds member by member (§ 33, § 34 and ambulante Hilfen: their sum is
    // at most Fremdunterbringung + ambulante Hilfen).
    const inFamily = new Set<string>();
    const families = disjointFamilies(subs, apart);
    const holds = (g: readonly string[], f: readonly string[]) =>
      g !== f && f.every((a) => g.some((c) => c === a || sub(a, c)));
    for (const fam of families) {
      if (subs.some((g) => fam.every((a) => sub(a, g)))) continue;
      if (families.some((g) => holds(g, fam))) continue;
      if (fam.every((a) => partOf.has(`${b}\u0000${a}`))) continue;
      for (const a of fam) inFamily.add(a);
      out.push({
        total: b,
        parts: [...fam].sort(),
        rest: true,
        bound: true,
        origin: 'definition',
        label: `${fam.map(describeMeasure).join(' + ')} <= ${describeMeasure(b)}`,
      });
    }
    for (const a of subs) {
      // a proportion's own numerator and denominator stay with the pass's pairs (bound-relations.ts), the
      // parts of a partition with its equation, a member of a family above with that
      const pair = `${b}\u0000${a}`;
      if (pairs.has(pair) || partOf.has(pair) || inFamily.has(a)) continue;
      // the nearest only: no c between them
      if (counted.some((c) => c !== a && c !== b && sub(a, c) && sub(c, b))) continue;
      out.push({
        total: b,
        parts: [a],
        rest: true,
        bound: true,
        origin: 'definition',
        label: `${describeMeasure(a)} <= ${describeMeasure(b)}`,
      });
    }
  }
  return out;
}

/** The most families {@link disjointFamilies} gives for one group (far more than a Kennzahlenset's filters make). */
const MAX_FAMILIES = 256;

/**
 * The largest families (two or more) of pairwise disjoint measures among `subs` (maximal cliques of
 * "disjoint", Bron-Kerbosch), in a fixed order. More than {@link MAX_FAMILIES} is an error: a
 * relation left out would let an attacker use what the protection does not know.
 */
function disjointFamilies(subs: readonly string[], apart: (a: string, c: string) => boolean): string[][] {
  const out: string[][] = [];
  const grow = (r: string[], p: string[], x: string[]): void => {
    if (p.length === 0) {
      if (x.length === 0 && r.length >= 2) {
        if (out.length >= MAX_FAMILIES)
          throw new UserError([
            {
              severity: 'error',
              code: 'relations.too_many_families',
              message:
                `Die Filter der Kennzahlen ergeben für eine Anzahl mehr als ${MAX_FAMILIES} Gruppen von Teilgruppen ohne ` +
                'gemeinsame Zeilen; so viele Beziehungen kann die Geheimhaltung nicht prüfen. Weniger überlappende ' +
                'Filter über dieselbe Spalte verwenden.',
            },
          ]);
        out.push(r);
      }
      return;
    }
    let rest = [...p];
    let seen = [...x];
    for (const v of p) {
      grow(
        [...r, v],
        rest.filter((u) => u !== v && apart(u, v)),
        seen.filter((u) => apart(u, v)),
      );
      rest = rest.filter((u) => u !== v);
      seen = [...seen, v];
    }
  };
  grow([], [...subs], []);
  return out;
}

/** No row is counted by both: on some column their intervals or their finite sets of values do not meet. */
function disjoint(a: Conjuncts, c: Conjuncts): boolean {
  if (a.family !== c.family) return false;
  for (const [col, iv] of a.intervals) {
    const o = c.intervals.get(col);
    if (!o) continue;
    if (emptyInterval(intersect(iv, o))) return true;
  }
  for (const [col, set] of a.sets) {
    const o = c.sets.get(col);
    if (o && disjointSets(set, o)) return true;
  }
  return false;
}

const ROLE_ALIASES: Record<string, 'numerator' | 'denominator'> = {
  zaehler: 'numerator',
  numerator: 'numerator',
  nenner: 'denominator',
  denominator: 'denominator',
};

/**
 * The relations declared in spm.yaml, as measure keys. A reference to a source
 * column that no indicator publishes as a plain sum is an unpublished part (it
 * goes into the rest). Unknown names are user errors.
 */
export function declaredRelations(config: ProjectFile, compiled: readonly CompiledIndicator[]): MeasureRelation[] {
  const published = new Set<string>();
  const byIndicator = new Map<string, CompiledIndicator>();
  for (const c of compiled) {
    byIndicator.set(c.indicator.def.id, c);
    published.add(c.numerator.key).add(c.denominator.key);
  }
  const issues: Issue[] = [];
  const out: MeasureRelation[] = [];
  (config.relations ?? []).forEach((r, i) => {
    const resolve = (ref: string, where: string): string | null => {
      const [a, b] = ref.split('.') as [string, string];
      const ind = byIndicator.get(a);
      const role = ROLE_ALIASES[b];
      const source = config.sources.find((s) => s.id === a);
      if (ind && role && source) {
        issues.push({
          severity: 'error',
          code: 'relations.ambiguous',
          path: where,
          message: `"${ref}" ist mehrdeutig: "${a}" ist eine Kennzahl und eine Quelle.`,
        });
        return null;
      }
      if (ind && role) return ind[role].key;
      if (source) {
        if (!(b in source.columns)) {
          issues.push({
            severity: 'error',
            code: 'relations.unknown_column',
            path: where,
            message: `Quelle "${a}" hat keine Spalte "${b}" (bekannt: ${Object.keys(source.columns).join(', ')}).`,
          });
          return null;
        }
        return measureKey({ source: a, measure: 'sum', column: b });
      }
      issues.push({
        severity: 'error',
        code: 'relations.unknown',
        path: where,
        message: ind
          ? `"${ref}": nach dem Punkt steht bei einer Kennzahl "zaehler" oder "nenner".`
          : `"${ref}": "${a}" ist weder eine Quelle noch eine geladene Kennzahl.`,
      });
      return null;
    };
    const total = resolve(r.total, `relations[${i}].total`);
    const parts = r.parts.map((p, j) => resolve(p, `relations[${i}].parts[${j}]`));
    if (total === null || parts.some((p) => p === null)) return;
    if (!published.has(total)) return; // a total nobody publishes reveals nothing
    const pub = (parts as string[]).filter((p) => published.has(p));
    const hidden = parts.length - pub.length;
    if (pub.includes(total) || new Set(pub).size !== pub.length) {
      issues.push({
        severity: 'error',
        code: 'relations.repeated',
        path: `relations[${i}]`,
        message: 'Eine Beziehung nennt dieselbe Anzahl zweimal.',
      });
      return;
    }
    if (pub.length === 0) return;
    out.push({
      total,
      parts: pub.sort(),
      rest: r.rest || hidden > 0,
      origin: 'declared',
      label: `${r.total} = ${r.parts.join(' + ')}${r.rest ? ' + Rest' : ''}`,
      path: `relations[${i}]`,
    });
  });
  if (issues.length) throw new UserError(issues.map((x) => ({ ...x, file: 'spm.yaml' })));
  return out;
}

/** The measures of the compiled indicators (key -> measure) and who uses each: `id (Zähler)`, in order. */
function measureUsers(compiled: readonly CompiledIndicator[]): {
  measures: Map<string, CompiledMeasure>;
  users: Map<string, string[]>;
} {
  const measures = new Map<string, CompiledMeasure>();
  const users = new Map<string, string[]>();
  for (const c of compiled)
    for (const [m, role] of [
      [c.numerator, 'numerator'],
      [c.denominator, 'denominator'],
    ] as const) {
      measures.set(m.key, m);
      const who = `${c.indicator.def.id} (${ROLE[role]})`;
      const list = users.get(m.key) ?? [];
      if (!list.includes(who)) list.push(who);
      users.set(m.key, list);
    }
  return { measures, users };
}

/**
 * Conditions of a count or sum that spm cannot read as an interval or a set of values (an `or` over
 * two columns, `not` over an `and`, `t is null`, a text compared with `<`), on a column that another
 * count or sum of the same source (and column) also tests: between such measures a relation may hold
 * that the filters do not show to spm, but do show to anyone who reads them (`u7a = false or u8 =
 * false` is at least `u7a = false`, and at most it plus `u8 = false`). The protection would not know
 * it, so `spm compute` refuses until the filters are rewritten, or the planner has declared what holds
 * (`relations:`) and says so (`settings.suppression.beziehungen_geprueft: true`). A condition
 * the other measure has word for word is a common condition, and is read as one.
 */
export function unreadableConditionIssues(compiled: readonly CompiledIndicator[], types?: SourceColumnTypes): Issue[] {
  const { measures, users } = measureUsers(compiled);
  const pieces = numericPieces(measures.values(), types);
  const read = [...measures.keys()].sort().flatMap((key) => {
    const m = measures.get(key)!;
    if (m.measure.measure !== 'count' && m.measure.measure !== 'sum') return [];
    const c = readConjuncts(m.measure, m.sourceId, types, pieces);
    const columns = new Set([...c.intervals.keys(), ...c.sets.keys(), ...c.otherColumns]);
    return [{ key, c, columns }];
  });
  const issues: Issue[] = [];
  for (const x of read) {
    for (const o of [...x.c.others].sort()) {
      const cols = new Set(filterNodeColumns(parseFilter(o)));
      // (a measure with the same condition word for word: a common condition)
      const sameColumns = (y: (typeof read)[number]) => [...cols].some((col) => y.columns.has(col));
      const related = read.filter((y) => y !== x && y.c.family === x.c.family && !y.c.others.has(o) && sameColumns(y));
      if (related.length === 0) continue;
      const names = (k: string) => users.get(k)!.join(', ');
      issues.push({
        severity: 'error',
        code: 'relations.unreadable_condition',
        message:
          `Die Bedingung „${o}“ im Filter von ${names(x.key)} kann spm nicht als Bereich oder Wertemenge einer ` +
          'Spalte lesen (lesbar sind Vergleiche, in, between, is null und is not null sowie not, and und or über eine Spalte; is null, wenn spm.yaml den Typ der Spalte nennt). ' +
          `${related.map((y) => names(y.key)).join(' und ')} ${related.length === 1 ? 'prüft' : 'prüfen'} auch ` +
          `${cols.size === 1 ? 'die Spalte' : 'die Spalten'} ${[...cols].map((c) => `„${c}“`).join(', ')}: eine Beziehung ` +
          'zwischen diesen Anzahlen (eine ist höchstens die andere, Teile ergeben zusammen ein Ganzes) wäre der ' +
          'Geheimhaltung unbekannt; wer die Filter liest, kennt sie und kann gesperrte Zahlen eingrenzen. Den Filter ' +
          'lesbar schreiben (z. B. „a oder b“ als eigene Spalte der Daten), oder, wenn keine solche Beziehung besteht ' +
          'oder jede unter relations: erklärt ist, mit settings: suppression: { beziehungen_geprueft: true } ' +
          'bestätigen.',
      });
    }
  }
  return issues;
}

/**
 * Filters whose conditions on one column exclude each other (`x > 5 and x < 3`, `t = 'a' and t = 'b'`,
 * `t = 'a' and t is null`): no row passes, the count is 0 everywhere (a denominator's rates are all
 * "Nenner 0"). Almost always a typing error, so `spm validate` and `spm compute` warn, naming the
 * indicators and the column.
 */
export function neverTrueFilterIssues(compiled: readonly CompiledIndicator[], types?: SourceColumnTypes): Issue[] {
  const { measures, users } = measureUsers(compiled);
  const pieces = numericPieces(measures.values(), types);
  const issues: Issue[] = [];
  for (const key of [...measures.keys()].sort()) {
    const m = measures.get(key)!;
    if (m.measure.filter === undefined) continue;
    const who = users.get(key)!;
    const c = readConjuncts(m.measure, m.sourceId, types, pieces);
    const columns = [
      ...[...c.intervals].filter(([, iv]) => emptyInterval(iv)).map(([col]) => col),
      ...[...c.sets].filter(([, set]) => !set.neg && set.values.size === 0).map(([col]) => col),
    ].sort();
    if (columns.length === 0) continue;
    issues.push({
      severity: 'warning',
      code: 'filter.never_true',
      message:
        `Der Filter „${m.measure.filter}“ von ${who.join(', ')} trifft auf keine Zeile zu: die Bedingungen an ` +
        `${columns.length === 1 ? 'die Spalte' : 'die Spalten'} ${columns.map((col) => `„${col}“`).join(', ')} ` +
        'schließen sich aus. Die Anzahl ist überall 0 (als Nenner: jede Rate „Nenner 0“). Vertippt, z. B. „and“ ' +
        'statt „or“ oder „<“ statt „>“?',
    });
  }
  return issues;
}

/** All relations of a project: proven ones first, then the declared ones not already proven. */
export function projectRelations(config: ProjectFile, compiled: readonly CompiledIndicator[]): MeasureRelation[] {
  const types = sourceColumnTypes(config);
  if (config.settings.suppression.beziehungen_geprueft !== true) {
    const unreadable = unreadableConditionIssues(compiled, types);
    if (unreadable.length) throw new UserError(unreadable);
  }
  const partitions = relationsFromDefinitions(compiled, types);
  const proven = [...partitions, ...subsetRelationsFromDefinitions(compiled, partitions, types)];
  const ids = new Set(proven.map((r) => `${r.total}=${r.parts.join('+')}`));
  return [...proven, ...declaredRelations(config, compiled).filter((r) => !ids.has(`${r.total}=${r.parts.join('+')}`))];
}
