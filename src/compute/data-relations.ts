/**
 * Relations the data show: `total = Σ parts` that holds in every complete cell (every level, area
 * and year) of one source's counts, but is neither declared nor proven from the filters. A Kreis
 * whose population file has "unter 3", "3 bis unter 6" and "unter 6" as columns, and whose spm.yaml
 * does not declare that the first two make the third, has such a relation: everyone who reads the
 * column names knows it, and a protection without it leaks (a masked "unter 3" is "unter 6" minus
 * "3 bis unter 6"). The relations are found as the null space of the source's cell matrix (exact, by
 * elimination in whole numbers), and every direction that the known equations do not span becomes a relation of
 * the protection pass: it holds in the data, so taking it as known only ever masks more. A direction
 * that is no `total = Σ parts` (`a + b = c + d`) cannot be written as a relation of spm; the run
 * stops there unless the planner confirms (`settings.suppression.beziehungen_geprueft`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeMeasure, type MeasureRelation } from '../privacy/relations.js';
import type { Issue } from '../util/issues.js';

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

/**
 * The row divided by the greatest common divisor of its entries (in place). The elimination below
 * stays in whole numbers: a row only matters up to a factor, and without the division its entries
 * would grow with every step (fraction-free; in rational numbers, each entry's own gcd cost about
 * 60 ms of a sample run).
 */
function primitive(row: bigint[]): bigint[] {
  let g = 0n;
  for (const x of row) if (x !== 0n) g = g === 0n ? abs(x) : gcd(g, x);
  if (g > 1n) for (let j = 0; j < row.length; j++) row[j]! /= g;
  return row;
}

/** `row` with its entry in column `c` cancelled by `by` (whose pivot is column `c`), in whole numbers. */
function eliminate(row: bigint[], by: readonly bigint[], c: number): bigint[] {
  const f = row[c]!;
  if (f === 0n) return row;
  const lead = by[c]!;
  for (let j = 0; j < row.length; j++) row[j] = row[j]! * lead - by[j]! * f;
  return primitive(row);
}

/**
 * Whole-number rows in reduced echelon form: each row's pivot column is 0 in every other row (a
 * pivot need not be 1: the rows are `primitive`). `add` keeps it so, one vector at a time.
 */
class Echelon {
  readonly rows: bigint[][] = [];
  readonly pivots: number[] = [];
  /** Adds `v` unless it lies in the span of the rows; whether it was added. */
  add(v: readonly bigint[]): boolean {
    const w = primitive([...v]);
    this.rows.forEach((r, i) => eliminate(w, r, this.pivots[i]!));
    const c = w.findIndex((x) => x !== 0n);
    if (c < 0) return false;
    for (const r of this.rows) eliminate(r, w, c);
    this.rows.push(w);
    this.pivots.push(c);
    return true;
  }
}

/** A basis of the vectors x with G x = 0, each as coprime whole numbers (first non-zero entry > 0). */
export function nullSpace(g: readonly (readonly bigint[])[]): bigint[][] {
  const k = g.length;
  const e = new Echelon();
  for (const row of g) e.add(row);
  const out: bigint[][] = [];
  for (let f = 0; f < k; f++) {
    if (e.pivots.includes(f)) continue;
    // x_f = 1 and, for each row (pivot p, entry a_p there), x_p = −row[f] / a_p: scaled to whole
    // numbers by the least common multiple of the pivots involved
    let l = 1n;
    e.rows.forEach((r, i) => {
      if (r[f] !== 0n) {
        const a = abs(r[e.pivots[i]!]!);
        l = (l * a) / gcd(l, a);
      }
    });
    const v: bigint[] = Array.from({ length: k }, () => 0n);
    v[f] = l;
    e.rows.forEach((r, i) => {
      const p = e.pivots[i]!;
      if (r[f] !== 0n) v[p] = (-r[f]! * l) / r[p]!;
    });
    out.push(firstPositive(primitive(v)));
  }
  return out;
}

/** `v` or `-v`, whichever has its first non-zero entry positive. */
function firstPositive(v: readonly bigint[]): bigint[] {
  const first = v.find((x) => x !== 0n) ?? 1n;
  return first < 0n ? v.map((x) => -x) : [...v];
}

/** total - Σ parts over `k` columns (`ids`: the total's column first). */
function unitVector(k: number, ids: readonly number[]): bigint[] {
  const v = Array.from({ length: k }, () => 0n);
  v[ids[0]!] = 1n;
  for (const i of ids.slice(1)) v[i]! -= 1n;
  return v;
}

const support = (v: readonly bigint[]): number => v.filter((x) => x !== 0n).length;
const units = (v: readonly bigint[]): boolean => v.every((x) => x >= -1n && x <= 1n);

/** `v` plus or minus equations of `others`, as long as that leaves fewer terms (the same equation modulo them). */
function shortest(v: readonly bigint[], others: readonly (readonly bigint[])[]): bigint[] {
  let best = [...v];
  for (let improved = true; improved; ) {
    improved = false;
    for (const w of others)
      for (const sign of [1n, -1n]) {
        const c = best.map((x, i) => x - sign * w[i]!);
        // (an equation of ±1 stays one: it may be a total = Σ parts)
        if (support(c) > 0 && support(c) < support(best) && (units(c) || !units(best))) {
          best = c;
          improved = true;
        }
      }
  }
  return firstPositive(best);
}

export interface DataRelations {
  /** Relations `total = Σ parts` found in the data and not known before (origin `data`). */
  relations: MeasureRelation[];
  /** Equations of the data that are no `total = Σ parts` (labels), which the protection cannot take. */
  unmodelled: string[];
}

/**
 * The equations between the single-year cells of each source's counts and sums (whole numbers in
 * every cell) that hold wherever all of them are complete (no missing, rejected or source-suppressed
 * part), beyond the equations of `known` (relations without a rest). Reads `spm_mcells`.
 */
export async function findDataRelations(
  conn: DuckDBConnection,
  midOf: ReadonlyMap<string, number>,
  known: readonly MeasureRelation[],
): Promise<DataRelations> {
  const keyOf = new Map([...midOf].map(([k, m]) => [m, k]));
  const bySource = new Map<string, number[]>();
  for (const [key, mid] of [...midOf].sort((a, b) => a[1] - b[1])) {
    // (a value the source publishes, `…#published`, is a rate, not a count)
    if (!key.endsWith(']')) continue;
    const [source, measure] = JSON.parse(key) as [string, string];
    if (measure !== 'count' && measure !== 'sum') continue;
    bySource.set(source, [...(bySource.get(source) ?? []), mid]);
  }
  const relations: MeasureRelation[] = [];
  const unmodelled: string[] = [];
  const candidates = [...bySource.values()].filter((mids) => mids.length >= 2).flat();
  if (candidates.length === 0) return { relations, unmodelled };
  // the measures with a whole number in every cell, and not 0 in all of them (one scan for all sources)
  const stats = await conn.runAndReadAll(
    `SELECT mid FROM spm_mcells WHERE pool_years = 1 AND mid IN (${candidates.join(', ')}) AND value IS NOT NULL
     GROUP BY mid HAVING bool_and(value = round(value)) AND bool_or(value <> 0)`,
  );
  const usable = new Set(stats.getRows().map((r) => Number(r[0])));
  for (const mids of bySource.values()) {
    const cols = mids.filter((m) => usable.has(m));
    if (cols.length < 2) continue;
    const k = cols.length;
    // the cells where all of them are complete; their Gram matrix (the null space of the cells' matrix)
    const pivot = cols.map((m, i) => `max(CASE WHEN mid = ${m} THEN value END)::HUGEINT AS c${i}`).join(', ');
    const sums: string[] = [];
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) sums.push(`sum(c${i} * c${j})::VARCHAR`);
    const gram = await conn.runAndReadAll(
      `WITH w AS (
         SELECT ${pivot} FROM spm_mcells
         WHERE pool_years = 1 AND mid IN (${cols.join(', ')})
         GROUP BY level, area_id, year
         HAVING count(*) = ${k} AND bool_and(value IS NOT NULL AND NOT COALESCE(missing, FALSE)
           AND NOT COALESCE(rejected, FALSE) AND COALESCE(n_suppressed, 0) = 0))
       SELECT count(*)::INTEGER AS n, ${sums.join(', ')} FROM w`,
    );
    const row = gram.getRows()[0]!;
    // too few complete cells to tell a relation from chance
    if (Number(row[0]) <= 2 * k) continue;
    const g: bigint[][] = Array.from({ length: k }, () => Array.from({ length: k }, () => 0n));
    let p = 1;
    for (let i = 0; i < k; i++)
      for (let j = i; j < k; j++) {
        const x = BigInt((row[p++] as string | null) ?? '0');
        g[i]![j] = x;
        g[j]![i] = x;
      }
    // the known equations and those found, as vectors (`equations`) and as the space they span
    // (`basis`); a new one is written with as few terms as they allow (unter_21 = unter_18 +
    // 18_bis_unter_21, not = unter_15 + 15_bis_unter_18 + 18_bis_unter_21)
    const basis = new Echelon();
    const equations: bigint[][] = [];
    const index = new Map(cols.map((m, i) => [keyOf.get(m)!, i]));
    for (const r of known) {
      const ids = [r.total, ...r.parts].map((x) => index.get(x));
      if (r.rest || ids.some((i) => i === undefined)) continue;
      const v = unitVector(k, ids as number[]);
      equations.push(v);
      basis.add(v);
    }
    for (const found of nullSpace(g)) {
      if (!basis.add(found)) continue;
      const v = shortest(found, equations);
      equations.push(v);
      const pos = v.flatMap((x, i) => (x > 0n ? [i] : []));
      const neg = v.flatMap((x, i) => (x < 0n ? [i] : []));
      const unit = units(v);
      const [totals, parts] = pos.length === 1 ? [pos, neg] : [neg, pos];
      const keys = (ids: number[]) => ids.map((i) => keyOf.get(cols[i]!)!);
      if (unit && totals.length === 1 && parts.length >= 1) {
        const total = keys(totals)[0]!;
        const ps = keys(parts).sort();
        relations.push({
          total,
          parts: ps,
          rest: false,
          origin: 'data',
          label: `${describeMeasure(total)} = ${ps.map(describeMeasure).join(' + ')}`,
        });
      } else if (unit) {
        // (other coefficients, a = 10 · b, are chance: relations by definition add and subtract counts)
        const term = (i: number) => describeMeasure(keyOf.get(cols[i]!)!);
        unmodelled.push(`${pos.map(term).join(' + ')} = ${neg.map(term).join(' + ')}`);
      }
    }
  }
  return { relations, unmodelled };
}

/** The run stops at equations of the data that no relation of spm can hold (see the file comment). */
export function unmodelledIssues(equations: readonly string[]): Issue[] {
  return equations.map((e) => ({
    severity: 'error',
    code: 'relations.data_unmodelled',
    message:
      `In jeder vollständigen Zelle der Daten gilt ${e}. Wer das weiß (etwa aus den Spaltennamen), kann damit ` +
      'gesperrte Zahlen eingrenzen; als Beziehung „Summe = Teile“ kann die Geheimhaltung diese Gleichung nicht ' +
      'aufnehmen. Abhilfe: die gemeinsame Summe beider Seiten (etwa „insgesamt“) auch als Kennzahl veröffentlichen ' +
      '(dann sind es zwei Beziehungen „Summe = Teile“, mit denen die Geheimhaltung rechnet), oder nur eine Seite; ' +
      'gilt die Gleichung nur zufällig, mit settings: suppression: { beziehungen_geprueft: true } bestätigen.',
  }));
}
