/**
 * "Numerator <= denominator" as relations instead of fixed bounds: after a refusal (below), in
 * every pass for each proportion whose two measures one group holds anyway (`closeBounds`), and,
 * with low points (low-point.ts, spm compute's default), around every cycle between groups
 * (`breakCycles`).
 *
 * The pass protects each measure group on its own and takes what other groups publish as fixed
 * bounds: a proportion's numerator is at most its denominator's true count, a denominator at
 * least each published numerator over it. A count can then be pinned by cells of other groups
 * (Vorsorgeheft vorgelegt, the numerator of one indicator and the denominator of four others: a
 * published window minus a published year minus a masked year at most its published
 * denominator), and no cover inside its group frees it. When the audit refuses such a count, the
 * pass runs again with the bounds around it as relations (`den = num + rest`, rest >= 0): the
 * measures join one group, where the covers can be chosen in the denominators and numerators too,
 * and the audit sees the same inequalities exactly (no longer the true counts of masked cells as
 * bounds). Round by round the relations reach further: first the proportions whose numerator or
 * denominator holds a refused count, then those touching any measure joined so far.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { MeasureRelation } from './relations.js';

/** A proportion indicator with the measure keys of its numerator and denominator. */
export interface ProportionPair {
  indicator: string;
  num: string;
  den: string;
}

/** What the widening has chosen so far (see `widenBounds`). */
export interface BoundWidening {
  /** Measures the chosen relations reach (and the refused counts'). */
  measures: Set<string>;
  /** Chosen pairs by indicator. */
  chosen: Map<string, ProportionPair>;
}

/**
 * The proportions' numerator and denominator measures, and the measure key of every indicator and
 * role (the same keys as the pass: `spm_measures`, else one measure per indicator and role).
 * Requires `spm_cells` and `spm_indicators`.
 */
export async function proportionPairs(
  conn: DuckDBConnection,
): Promise<{ pairs: ProportionPair[]; keyOf: Map<string, string> }> {
  const exists = async (t: string) =>
    Number(
      (
        await conn.runAndReadAll(
          'SELECT COUNT(*)::INTEGER FROM duckdb_tables() WHERE table_name = $1 AND NOT temporary',
          [t],
        )
      ).getRowsJS()[0]?.[0] ?? 0,
    ) > 0;
  // without spm_indicators no indicator counts as a proportion (as in numeratorBounds)
  if (!(await exists('spm_indicators'))) return { pairs: [], keyOf: new Map() };
  const hasMeasures = await exists('spm_measures');
  const keySql = hasMeasures
    ? `COALESCE(m.measure_key, '__cell__|' || ir.indicator_id || '|' || ir.role)`
    : `'__cell__|' || ir.indicator_id || '|' || ir.role`;
  const join = hasMeasures ? 'LEFT JOIN spm_measures m ON m.indicator_id = ir.indicator_id AND m.role = ir.role' : '';
  const rows = (
    await conn.runAndReadAll(`WITH ir AS (SELECT DISTINCT indicator_id, role FROM spm_cells),
k AS (SELECT ir.indicator_id, ir.role, ${keySql} AS measure_key FROM ir ${join})
SELECT k.indicator_id, k.role, k.measure_key, COALESCE(i.proportion, FALSE) AS proportion
FROM k LEFT JOIN spm_indicators i ON i.indicator_id = k.indicator_id
ORDER BY k.indicator_id, k.role`)
  ).getRowObjectsJS();
  const keyOf = new Map<string, string>();
  const proportion = new Set<string>();
  for (const r of rows) {
    keyOf.set(`${r.indicator_id}\u0000${r.role}`, String(r.measure_key));
    if (r.proportion) proportion.add(String(r.indicator_id));
  }
  const pairs: ProportionPair[] = [];
  for (const indicator of [...proportion].sort()) {
    const num = keyOf.get(`${indicator}\u0000numerator`);
    const den = keyOf.get(`${indicator}\u0000denominator`);
    if (num !== undefined && den !== undefined && num !== den) pairs.push({ indicator, num, den });
  }
  return { pairs, keyOf };
}

/** The measure keys of refused counts (by indicator and role). */
function measuresOf(keyOf: ReadonlyMap<string, string>, refused: readonly { indicator_id: string; role: string }[]) {
  return refused.flatMap((c) => keyOf.get(`${c.indicator_id}\u0000${c.role}`) ?? []);
}

/**
 * One round: the measures of the refused counts join `w.measures`; every pair touching a measure
 * of `w.measures` is chosen (and its measures join). Returns how many pairs are new.
 */
export function widenBounds(
  w: BoundWidening,
  pairs: readonly ProportionPair[],
  keyOf: ReadonlyMap<string, string>,
  refused: readonly { indicator_id: string; role: string }[],
): number {
  for (const k of measuresOf(keyOf, refused)) w.measures.add(k);
  const touching = pairs.filter((p) => !w.chosen.has(p.indicator) && (w.measures.has(p.num) || w.measures.has(p.den)));
  for (const p of touching) choose(w, p);
  return touching.length;
}

/**
 * A first round with low points (low-point.ts): only the pairs whose denominator is the measure of
 * a refused count. There the one low point of the numerators' groups kept a denominator from 0
 * (both numerators of a published window under small denominators cannot be 0 at once); as a
 * relation the denominator's group holds those numerators as variables. With `culprits`
 * (`SuppressionCounts.lowCulprits`, `den\u0000num` measure keys) only those pairs: the numerators
 * whose low point held a refused denominator up (NRW bench: 3 pairs instead of 6; with all 6 the
 * re-solved group was one of 582,876 cells). Returns how many
 * pairs are new (0: all pairs below, then `widenBounds`, reach further).
 */
export function widenBelow(
  w: BoundWidening,
  pairs: readonly ProportionPair[],
  keyOf: ReadonlyMap<string, string>,
  refused: readonly { indicator_id: string; role: string }[],
  culprits?: ReadonlySet<string>,
): number {
  const dens = new Set(measuresOf(keyOf, refused));
  const below = pairs.filter(
    (p) => !w.chosen.has(p.indicator) && dens.has(p.den) && (!culprits || culprits.has(`${p.den}\u0000${p.num}`)),
  );
  for (const p of below) choose(w, p);
  return below.length;
}

/** `p` is chosen: its bound becomes a relation, and its measures join `w.measures`. */
function choose(w: BoundWidening, p: ProportionPair): void {
  w.chosen.set(p.indicator, p);
  w.measures.add(p.num);
  w.measures.add(p.den);
}

/** Every pair chosen (`SPM_PRIVACY_BOUNDS=joint`: see `boundRounds` in src/compute/js-steps.ts). */
export function chooseAll(w: BoundWidening, pairs: readonly ProportionPair[]): void {
  for (const p of pairs) choose(w, p);
}

/** The chosen pairs as relations (one per measure pair) and the indicators whose fixed bounds they replace. */
export function boundRelations(w: BoundWidening): { relations: MeasureRelation[]; exactBounds: string[] } {
  const byPair = new Map<string, MeasureRelation>();
  for (const p of w.chosen.values()) {
    const id = `${p.den}\u0000${p.num}`;
    if (byPair.has(id)) continue;
    byPair.set(id, {
      total: p.den,
      parts: [p.num],
      rest: true,
      bound: true,
      origin: 'definition',
      label: `Zähler <= Nenner (${p.indicator})`,
    });
  }
  return { relations: [...byPair.values()], exactBounds: [...w.chosen.keys()].sort() };
}

/**
 * Chooses (into `w.chosen`) every proportion whose numerator and denominator measures end up in
 * one group through `relations` and the chosen pairs: in one group both are variables of the same
 * LP, and a fixed bound (the denominator's true count) would let the LP move the denominator below
 * the numerator, which the attacker rules out. So there the bound must be a relation too (the
 * random projects of tests/privacy/lp-attack-more.test.ts found such a leak when it was not). Returns
 * how many pairs are new.
 */
export function closeBounds(
  w: BoundWidening,
  pairs: readonly ProportionPair[],
  relations: readonly MeasureRelation[],
): number {
  const find = measureRoots(w, relations);
  let added = 0;
  for (const p of pairs) {
    if (w.chosen.has(p.indicator) || find(p.num) !== find(p.den)) continue;
    choose(w, p);
    added++;
  }
  return added;
}

/**
 * For the low points (see low-point.ts): the groups must be solvable numerators first, so a cycle of
 * "numerator <= denominator" between groups (a measure of group A the numerator over one of B, and
 * one of B over one of A) is closed by choosing every pair between the groups of the cycle as a
 * relation: they become one group. Repeated (with `closeBounds`) until the pairs left between
 * groups form no cycle. Returns how many pairs are new.
 */
export function breakCycles(
  w: BoundWidening,
  pairs: readonly ProportionPair[],
  relations: readonly MeasureRelation[],
): number {
  let added = closeBounds(w, pairs, relations);
  for (;;) {
    const rootOf = measureRoots(w, relations);
    const between = pairs.filter((p) => !w.chosen.has(p.indicator) && rootOf(p.num) !== rootOf(p.den));
    const next = new Map<string, Set<string>>();
    for (const p of between) {
      const a = rootOf(p.num);
      let s = next.get(a);
      if (!s) next.set(a, (s = new Set()));
      s.add(rootOf(p.den));
    }
    const comp = strongComponents([...next.keys()].sort(), next);
    const cyclic = between.filter((p) => {
      const c = comp.get(rootOf(p.num));
      return c !== undefined && c === comp.get(rootOf(p.den));
    });
    if (cyclic.length === 0) return added;
    for (const p of cyclic) choose(w, p);
    added += cyclic.length + closeBounds(w, pairs, relations);
  }
}

/** The group (its smallest measure key) of each measure, through `relations` and the chosen pairs. */
function measureRoots(w: BoundWidening, relations: readonly MeasureRelation[]): (k: string) => string {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    // path compression
    let c = k;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const join = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    // the smaller key is the root (the groups do not depend on the order of the relations)
    if (ra < rb) parent.set(rb, ra);
    else if (rb < ra) parent.set(ra, rb);
  };
  for (const r of relations) for (const p of r.parts) join(r.total, p);
  for (const p of w.chosen.values()) join(p.den, p.num);
  return find;
}

/**
 * Strongly connected components (Tarjan) of the graph `next` over `nodes` (and the nodes it reaches):
 * per node the id of its component, for nodes in a component of more than one node only.
 */
function strongComponents(
  nodes: readonly string[],
  next: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out = new Map<string, number>();
  let counter = 0;
  let comps = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const u of [...(next.get(v) ?? [])].sort()) {
      if (!index.has(u)) {
        visit(u);
        low.set(v, Math.min(low.get(v)!, low.get(u)!));
      } else if (onStack.has(u)) low.set(v, Math.min(low.get(v)!, index.get(u)!));
    }
    if (low.get(v) === index.get(v)) {
      const members: string[] = [];
      for (;;) {
        const u = stack.pop()!;
        onStack.delete(u);
        members.push(u);
        if (u === v) break;
      }
      if (members.length > 1) {
        for (const u of members) out.set(u, comps);
        comps++;
      }
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}
