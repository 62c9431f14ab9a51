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
 *   (Übergewicht inkl. Adipositas, BMI > P90 = (P90, P97] + (P97, ∞));
 * - **declared** in spm.yaml (`relations:`), for what the definitions cannot
 *   show (age groups and "insgesamt" columns of an aggregated source are
 *   separate columns); declared relations are checked against the data
 *   (`checkRelationsSql`).
 */
import type { CompiledIndicator } from '../compile/types.js';
import type { ProjectFile } from '../config/schema.js';
import { measureKey } from '../compile/measure.js';
import { parseFilter, renderFilter, type FilterNode } from '../compile/filter/index.js';
import { UserError, type Issue } from '../util/issues.js';

/** One relation over measure keys (see `measureKey`). */
export interface MeasureRelation {
  /** Measure key of the total. */
  total: string;
  /** Measure keys of the published parts (measures some indicator uses). */
  parts: string[];
  /** true: further parts that are not published (or not named) belong to the total; they are >= 0. */
  rest: boolean;
  origin: 'definition' | 'declared';
  /**
   * A numerator at most its denominator (total = the denominator's measure, the one part the
   * numerator's, with a rest): modelled as a relation instead of fixed bounds after a refusal
   * (see src/privacy/bound-relations.ts). The part's protection level is capped at the total's count.
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
      if (c.lo === c.hi && !(c.loInc && c.hiInc)) continue; // empty
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

function describe(key: string): string {
  const [source, measure, column, filter] = JSON.parse(key) as [string, string, string | null, string | null];
  const what = measure === 'count' ? `Anzahl ${source}` : `${source}.${column}`;
  return filter ? `${what} [${filter}]` : what;
}

/** Relations provable from the filters of the compiled measures (see the file comment). */
export function relationsFromDefinitions(compiled: readonly CompiledIndicator[]): MeasureRelation[] {
  const measures = new Map<string, CompiledIndicator['numerator']['measure']>();
  for (const c of compiled) for (const m of [c.numerator, c.denominator]) measures.set(m.key, m.measure);
  const shapes = [...measures.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, m]) => shapeOf(k, m))
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
      const parts = p.map((i) => others[i]!.key).sort();
      const id = `${t.key}=${parts.join('+')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({
        total: t.key,
        parts,
        rest: false,
        origin: 'definition',
        label: `${describe(t.key)} = ${parts.map(describe).join(' + ')}`,
      });
    }
  }
  return out;
}

/** A count's filter as its conjuncts: intervals per numeric column, the other conditions as rendered text. */
interface Conjuncts {
  family: string;
  intervals: Map<string, Interval>;
  others: Set<string>;
}

function conjunctsOf(m: CompiledIndicator['numerator']['measure']): Conjuncts | null {
  // only counts of rows: a sum of a column over fewer rows is not smaller unless its values are >= 0
  if (m.measure !== 'count') return null;
  const intervals = new Map<string, Interval>();
  const others = new Set<string>();
  if (m.filter !== undefined) {
    const root = parseFilter(m.filter);
    for (const c of root.kind === 'and' ? root.operands : [root]) {
      const r = intervalOf(c);
      if (r) intervals.set(r.column, intersect(intervals.get(r.column) ?? FULL, r.iv));
      else others.add(renderFilter(c));
    }
  }
  return { family: JSON.stringify([m.source, m.measure]), intervals, others };
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
): MeasureRelation[] {
  const measures = new Map<string, CompiledIndicator['numerator']['measure']>();
  for (const c of compiled) for (const m of [c.numerator, c.denominator]) measures.set(m.key, m.measure);
  const keys = [...measures.keys()].sort();
  const shape = new Map<string, Conjuncts>();
  for (const k of keys) {
    const c = conjunctsOf(measures.get(k)!);
    if (c) shape.set(k, c);
  }
  const sub = (a: string, b: string) =>
    a !== b && implies(shape.get(a)!, shape.get(b)!) && !implies(shape.get(b)!, shape.get(a)!);
  const counted = [...shape.keys()];
  const skip = new Set<string>();
  for (const c of compiled) if (c.proportion) skip.add(`${c.denominator.key}\u0000${c.numerator.key}`);
  for (const r of proven) for (const p of r.parts) skip.add(`${r.total}\u0000${p}`);
  const out: MeasureRelation[] = [];
  for (const a of counted)
    for (const b of counted) {
      if (!sub(a, b) || skip.has(`${b}\u0000${a}`)) continue;
      // the nearest only: no c between them
      if (counted.some((c) => c !== a && c !== b && sub(a, c) && sub(c, b))) continue;
      out.push({
        total: b,
        parts: [a],
        rest: true,
        bound: true,
        origin: 'definition',
        label: `${describe(a)} <= ${describe(b)}`,
      });
    }
  return out;
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

/** All relations of a project: proven ones first, then the declared ones not already proven. */
export function projectRelations(config: ProjectFile, compiled: readonly CompiledIndicator[]): MeasureRelation[] {
  const partitions = relationsFromDefinitions(compiled);
  const proven = [...partitions, ...subsetRelationsFromDefinitions(compiled, partitions)];
  const ids = new Set(proven.map((r) => `${r.total}=${r.parts.join('+')}`));
  return [...proven, ...declaredRelations(config, compiled).filter((r) => !ids.has(`${r.total}=${r.parts.join('+')}`))];
}
