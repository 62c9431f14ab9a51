/**
 * The interval attack of issue #11, by an attacker independent of the code
 * that chose the covers (tests/privacy/lp-attacker.ts): LP bounds with
 * non-negativity, numerator <= denominator, hierarchy, pooled windows and the
 * relations between measures (declared in spm.yaml and read off the filters by
 * its own small parser). Every protected count (true value 1..threshold−1, not
 * published) must keep a range that contains 0 and reaches the threshold (or its
 * true denominator, if smaller).
 *
 * It assumes the published outputs of issue #11: a masked row publishes nothing,
 * a row below the minimum denominator publishes no counts; so only counts of
 * unmasked rows with an exact status are known.
 *
 * (a) the sample project through the whole pipeline (kennzahlen.parquet, true
 *     counts from the unmasked internal export); the same Kreis generated with
 *     another seed; and the sample with second hierarchies published beside it
 *     (Jugendamtsbezirke over Kommunen, Schulbezirke across Kommunen), whose
 *     group = Σ members equations the attacker adds; two cities (real area
 *     structures, test counts): Berlin's LOR with four declared levels below the
 *     Land, and a kreisfreie Stadt whose Kreis and one Kommune publish the same sums;
 * (b) random projects (fast-check) on the DuckDB path with a relation
 *     total = a + b between three numerators and a shared denominator.
 *
 * Hunting beyond the suite's fixed cases (the defaults keep every run the same):
 *   SPM_ATTACK_SEED=202 SPM_ATTACK_RUNS=50 npx vitest run tests/privacy/lp-attack-more.test.ts -t "random projects"
 *   SPM_ATTACK_SAMPLE_SEED=7 npx vitest run tests/privacy/lp-attack.test.ts -t "another seed"
 *   SPM_ATTACK_MIN_COUNT=7 npx vitest run tests/privacy/lp-attack.test.ts -t "higher min_count"
 *   SPM_ATTACK_CITY_SHIFT=3 npx vitest run tests/privacy/lp-attack-more.test.ts -t "LP attack on cities"
 *   SPM_ATTACK_PROJECT=bench/.work/nrw-small npx vitest run tests/privacy/lp-attack-more.test.ts -t "SPM_ATTACK_PROJECT"
 *     (any Kreis-shaped project folder, a copy of it computed afresh; skipped unless named)
 *   SPM_ATTACK_INTEGER=1 with any of these: the attacker knows that counts are whole numbers (MIPs,
 *     about 3x the time; the sample's test "whole numbers" runs so always)
 * The cases are in three files, lp-attack.test.ts (the sample, other seeds, thresholds),
 * lp-attack-releases.test.ts (earlier releases, second hierarchies) and lp-attack-more.test.ts
 * (whole numbers, cities, spm init, Hilfen in long format, random projects), which CI runs side by side; this file holds
 * the attack of a computed project they share.
 * A failure names the seed and the counterexample (fast-check prints its path).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { lpAttack, type ARow, type ATarget, type AVar } from './lp-attacker.js';

// ------------------------------------------------------------------ (a)

/** A whole number from the environment (hunting, see the header), or the suite's fixed default. */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be a whole number, got "${v}"`);
  return n;
}
export const SAMPLE_SEED = envInt('SPM_ATTACK_SAMPLE_SEED', 1);
export const MIN_COUNT = envInt('SPM_ATTACK_MIN_COUNT', 5);
export const RANDOM_SEED = envInt('SPM_ATTACK_SEED', 5561);
export const RANDOM_RUNS = envInt('SPM_ATTACK_RUNS', 20);
/** Shifts the cities' test counts (which areas and years get a small count, and every count); 0: the suite's. */
export const CITY_SHIFT = envInt('SPM_ATTACK_CITY_SHIFT', 0);

export type Row = {
  indicator_id: string;
  level: string;
  area_id: string;
  kommune_ags: string | null;
  year: number;
  pool_years: number;
  numerator: number | null;
  denominator: number | null;
  status: string;
};

export const EXACT = new Set(['ok', 'implausible', 'zero_denominator']);

/** The attacker's own reading of a filter: conjunction of terms; numeric interval terms by column. */
export function filterShape(
  filter: string | undefined,
): { rest: string; col: string; lo: number; loInc: boolean; hi: number; hiInc: boolean }[] {
  if (!filter) return [];
  const terms = filter.split(/\s+and\s+/i).map((t) => t.trim());
  const iv = new Map<string, { lo: number; loInc: boolean; hi: number; hiInc: boolean }>();
  const other: string[] = [];
  for (const t of terms) {
    const m = /^(\w+)\s*(>=|<=|>|<)\s*(-?[\d.]+)$/.exec(t);
    const nn = /^(\w+)\s+is\s+not\s+null$/i.exec(t);
    const col = m?.[1] ?? nn?.[1];
    if (!col) {
      other.push(t);
      continue;
    }
    const cur = iv.get(col) ?? { lo: -Infinity, loInc: false, hi: Infinity, hiInc: false };
    if (m) {
      const v = Number(m[3]);
      if (m[2]!.startsWith('>') && v >= cur.lo) Object.assign(cur, { lo: v, loInc: m[2] === '>=' });
      if (m[2]!.startsWith('<') && v <= cur.hi) Object.assign(cur, { hi: v, hiInc: m[2] === '<=' });
    }
    iv.set(col, cur);
  }
  return [...iv].map(([col, i]) => ({
    col,
    ...i,
    rest: [...other, ...terms.filter((t) => !t.startsWith(col) && !other.includes(t))].sort().join('&'),
  }));
}

/** A second hierarchy as the attacker knows it: groups (published at `level`) of areas of level `of`. */
export interface Grouping {
  level: string;
  of: string;
  members: Map<string, string[]>;
}

export interface AttackOptions {
  /** Second hierarchies published beside the main one. */
  groupings?: readonly Grouping[];
  /** `level|area` of an area's parent (default: Sozialraum → Kommune → Kreis of the sample's shape). */
  parentOf?: (level: string, area: string) => string | null;
  /** A relation the attacker must find among the filters (a check that it reads them). */
  relation?: string;
  /** More protected counts than this (a check that the project has some). */
  minTargets: number;
  /**
   * Earlier releases (kennzahlen.parquet) the attacker holds as well: every exact count they
   * published for a cell with the same true value now is known.
   */
  earlier?: readonly string[];
  /** The attack must succeed (a control without the protection it tests). */
  expectLeak?: boolean;
  /** The attacker takes every true count as a whole number (MIPs; default: SPM_ATTACK_INTEGER=1). */
  integer?: boolean;
  /** Disjoint subgroups the attacker must find among the filters (Σ a <= b; a check that it reads them). */
  disjointFamilies?: boolean;
  /**
   * Relations the attacker knows besides those in spm.yaml (written as there): what the column names
   * say when the project does not declare it (unter 18 = unter 15 + 15 bis unter 18).
   */
  knownRelations?: readonly { total: string; parts: string[]; rest: boolean }[];
}

/**
 * Computes the project at `root` (with the unmasked internal export beside the public one) and
 * attacks what it publishes: every protected count must keep its protection range.
 */
export async function attackProject(name: string, root: string, opts: AttackOptions): Promise<void> {
  const groupings = opts.groupings ?? [];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-attack-'));
  try {
    const { computeRun } = await import('../../src/run/compute-run.js');
    const { loadProject } = await import('../../src/config/load-project.js');
    await computeRun(root, { out, unmaskedInternal: true, charts: [] });
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const q = (f: string) =>
      `SELECT indicator_id, level, area_id, kommune_ags, year, pool_years, numerator, denominator, status FROM read_parquet('${f.replace(/'/g, "''")}')`;
    const pub = (
      await conn.runAndReadAll(q(path.join(out, 'kennzahlen.parquet')))
    ).getRowObjectsJS() as unknown as Row[];
    const earlierRows: Row[] = [];
    for (const f of opts.earlier ?? [])
      earlierRows.push(...((await conn.runAndReadAll(q(f))).getRowObjectsJS() as unknown as Row[]));
    const internal = (
      await conn.runAndReadAll(q(path.join(out, 'intern', 'kennzahlen_intern_unmaskiert.parquet')))
    ).getRowObjectsJS() as unknown as Row[];
    conn.closeSync();
    inst.closeSync();
    const project = loadProject(root).project;
    const T = project.config.settings.suppression.min_count;
    // measure identity of each indicator role, from the definitions
    const defs = new Map(project.indicators.map((i) => [i.def.id, i.def]));
    const mid = (ind: string, role: 'numerator' | 'denominator') => {
      const m = defs.get(ind)![role];
      return JSON.stringify([m.source, m.measure, m.column ?? null, (m.filter ?? '').replace(/\s+/g, ' ').trim()]);
    };
    const vars = new Map<string, AVar>();
    const truth = new Map<string, number>();
    const key = (m: string, r: { level: string; area_id: string; year: number; pool_years: number }) =>
      `${m}|${r.level}|${r.area_id}|${r.year}|${r.pool_years}`;
    const inRow = new Map<string, Row>();
    for (const r of internal) inRow.set(`${r.indicator_id}|${r.level}|${r.area_id}|${r.year}|${r.pool_years}`, r);
    const kommuneOf = new Map<string, string>();
    const rowsOf = new Map<string, Set<string>>(); // measure -> cell keys
    for (const r of pub) {
      if (r.level === 'sozialraum' && r.kommune_ags) kommuneOf.set(r.area_id, r.kommune_ags);
      const ir = inRow.get(`${r.indicator_id}|${r.level}|${r.area_id}|${r.year}|${r.pool_years}`)!;
      for (const role of ['numerator', 'denominator'] as const) {
        const k = key(mid(r.indicator_id, role), r);
        let v = vars.get(k);
        if (!v) vars.set(k, (v = { published: null, lb: 0, ub: Infinity }));
        if (ir.status === 'suppressed_input' && ir[role] === null) Object.assign(v, { lb: 1, ub: 2 });
        if (r[role] !== null && EXACT.has(r.status)) v.published = Number(r[role]);
        if (EXACT.has(ir.status) || ir.status === 'below_min_denominator') {
          if (ir[role] !== null) truth.set(k, Number(ir[role]));
        }
        const m = mid(r.indicator_id, role);
        if (!rowsOf.has(m)) rowsOf.set(m, new Set());
        rowsOf.get(m)!.add(k);
      }
    }
    // What a row's status tells: "unter Mindestnenner" that its denominator is 1 to min_den - 1,
    // "Nenner 0" that it is 0 (and a proportion's numerator with it). Applied where the status
    // speaks of the true counts (no estimated parts: then the denominator shown is an estimate).
    const minDen = (ind: string) => defs.get(ind)!.min_denominator ?? project.config.settings.min_denominator;
    let statusBounds = 0;
    for (const r of pub) {
      const ir = inRow.get(`${r.indicator_id}|${r.level}|${r.area_id}|${r.year}|${r.pool_years}`)!;
      const dk = key(mid(r.indicator_id, 'denominator'), r);
      const d = truth.get(dk);
      if (d === undefined || ir.denominator === null || Number(ir.denominator) !== d) continue;
      const dv = vars.get(dk)!;
      if (r.status === 'below_min_denominator' && d >= 1 && d <= minDen(r.indicator_id) - 1) {
        dv.lb = Math.max(dv.lb, 1);
        dv.ub = Math.min(dv.ub, minDen(r.indicator_id) - 1);
        statusBounds++;
      } else if (r.status === 'zero_denominator' && d === 0) {
        dv.published = 0;
        if (defs.get(r.indicator_id)!.proportion) vars.get(key(mid(r.indicator_id, 'numerator'), r))!.published = 0;
        statusBounds++;
      }
    }
    // (the city structures below have no row under its minimum denominator)
    if (pub.some((r) => r.status === 'below_min_denominator')) expect(statusBounds).toBeGreaterThan(0);
    // every published count: not small
    for (const [k, v] of vars) if (v.published !== null) expect(v.published > 0 && v.published < T, k).toBe(false);
    // what earlier releases published (the same cells, where the true count is still the one they showed)
    const fromEarlier = new Map<string, number>();
    for (const r of earlierRows)
      for (const role of ['numerator', 'denominator'] as const) {
        if (r[role] === null || !EXACT.has(r.status)) continue;
        const k = key(mid(r.indicator_id, role), r);
        if (vars.has(k) && truth.get(k) === Number(r[role])) fromEarlier.set(k, Number(r[role]));
      }
    for (const [k, x] of fromEarlier) {
      const v = vars.get(k)!;
      if (v.published === null) v.published = x;
    }
    // (an attacker with integrality) whole numbers: every count whose true value is one, and a source's "*"
    // (1 or 2); a count with an estimated part (an SGB II "*" taken as 1.5) or without a true value here stays a
    // real number
    for (const [k, v] of vars) {
      const x = truth.get(k) ?? v.published;
      if (x === undefined || x === null ? !(v.lb === 1 && v.ub === 2) : !Number.isInteger(x)) v.integer = false;
    }
    const parentOf =
      opts.parentOf ??
      ((level: string, area: string) =>
        level === 'sozialraum'
          ? `kommune|${kommuneOf.get(area)}`
          : level === 'kommune'
            ? `kreis|${project.config.kreis!.ags}`
            : null);
    const rows: ARow[] = [];
    let groupRows = 0;
    const has = (k: string) => vars.has(k);
    for (const [m, keys] of rowsOf) {
      const byTotal = new Map<string, string[]>();
      for (const k of keys) {
        const [, level, area, y, w] = k.slice(m.length).split('|') as [string, string, string, string, string];
        const year = Number(y);
        const pool = Number(w);
        const parent = parentOf(level, area);
        const total = parent ? `${m}|${parent}|${year}|${pool}` : null;
        if (total && has(total)) {
          const list = byTotal.get(total);
          if (list) list.push(k);
          else byTotal.set(total, [k]);
        }
        // a group of a second hierarchy = Σ its members (in every window: a sum of sums)
        const grouping = groupings.find((g) => g.level === level);
        const members = grouping?.members.get(area);
        if (grouping && members) {
          const parts = members.map((a) => `${m}|${grouping.of}|${a}|${year}|${pool}`).filter(has);
          rows.push({ terms: [[k, 1], ...parts.map((p) => [p, -1] as [string, number])] });
          groupRows++;
        }
        if (pool > 1) {
          const parts: string[] = [];
          for (let yy = year - pool + 1; yy <= year; yy++) parts.push(`${m}|${level}|${area}|${yy}|1`);
          if (parts.every(has)) rows.push({ terms: [[k, 1], ...parts.map((p) => [p, -1] as [string, number])] });
        }
      }
      for (const [t, parts] of byTotal)
        rows.push({ terms: [[t, 1], ...parts.map((p) => [p, -1] as [string, number])] });
    }
    // relations: declared in spm.yaml, and interval partitions of filters
    const rels: { total: string; parts: string[]; rest: boolean }[] = [];
    const refMeasure = (ref: string) => {
      const [a, b] = ref.split('.') as [string, string];
      if (defs.has(a)) return mid(a, b === 'zaehler' ? 'numerator' : 'denominator');
      return JSON.stringify([a, 'sum', b, '']);
    };
    for (const r of [...(project.config.relations ?? []), ...(opts.knownRelations ?? [])]) {
      const parts = r.parts.map(refMeasure);
      const published = parts.filter((p) => rowsOf.has(p));
      rels.push({ total: refMeasure(r.total), parts: published, rest: r.rest || published.length < parts.length });
    }
    const shapes = [...rowsOf.keys()].flatMap((m) => {
      const [src, kind, col, filter] = JSON.parse(m) as [string, string, string | null, string];
      return filterShape(filter).map((s) => ({ m, fam: `${src}|${kind}|${col}|${s.col}|${s.rest}`, ...s }));
    });
    for (const t of shapes) {
      const cands = shapes.filter((s) => s.fam === t.fam && s.m !== t.m && s.lo >= t.lo && s.hi <= t.hi);
      // chain from t.lo to t.hi without gaps or overlaps
      let lo = t.lo;
      let loInc = t.loInc;
      const parts: string[] = [];
      for (;;) {
        const c = cands.find((s) => s.lo === lo && (s.loInc === loInc || !Number.isFinite(lo)) && !parts.includes(s.m));
        if (!c) break;
        parts.push(c.m);
        if (c.hi === t.hi && (c.hiInc === t.hiInc || !Number.isFinite(c.hi))) {
          if (parts.length >= 2) rels.push({ total: t.m, parts, rest: false });
          break;
        }
        lo = c.hi;
        loInc = !c.hiInc;
      }
    }
    // partitions by the values of a text column: filters that agree except for `col = 'v'` or
    // `col in ('v', 'w')`, the parts' values disjoint and together the total's
    const valued = [...rowsOf.keys()].flatMap((m) => {
      const [src, kind, col, filter] = JSON.parse(m) as [string, string, string | null, string];
      const terms = filter ? filter.split(/\s+and\s+/i).map((t) => t.trim()) : [];
      return terms.flatMap((t) => {
        // (a number's value too: `hilfeart = 33`, `hilfeart in (33, 34)`)
        const eq = /^(\w+)\s*=\s*(?:'([^']*)'|(-?[\d.]+))$/.exec(t);
        const inList = /^(\w+)\s+in\s*\((.*)\)$/i.exec(t);
        const c = eq?.[1] ?? inList?.[1];
        if (!c) return [];
        const values = eq ? [eq[2] ?? eq[3]!] : inList![2]!.split(',').map((v) => v.trim().replace(/^'(.*)'$/, '$1'));
        const rest = terms.filter((o) => o !== t).sort();
        return [{ m, fam: JSON.stringify([src, kind, col, c, rest]), values: new Set(values) }];
      });
    });
    for (const t of valued) {
      const cands = valued.filter(
        (s) =>
          s.fam === t.fam &&
          s.m !== t.m &&
          s.values.size < t.values.size &&
          [...s.values].every((v) => t.values.has(v)),
      );
      const cover = (left: string[], used: typeof cands): typeof cands | null => {
        if (left.length === 0) return used.length >= 2 ? used : null;
        for (const c of cands) {
          if (used.includes(c) || !c.values.has(left[0]!) || [...c.values].some((v) => !left.includes(v))) continue;
          const r = cover(
            left.filter((v) => !c.values.has(v)),
            [...used, c],
          );
          if (r) return r;
        }
        return null;
      };
      const parts = cover([...t.values], []);
      if (parts) rels.push({ total: t.m, parts: parts.map((p) => p.m), rest: false });
    }
    // every row has a value on a column or none: a count without a condition on `col` is the one with
    // `col is null` plus those with a value (`col is not null`, or `col = 'v'` and `col != 'v'`), the
    // other conditions the same
    const onColumn = [...rowsOf.keys()].flatMap((m) => {
      const [src, kind, col, filter] = JSON.parse(m) as [string, string, string | null, string];
      const terms = filter ? filter.split(/\s+and\s+/i).map((t) => t.trim()) : [];
      return terms.flatMap((t) => {
        // (and a number compared, with or without the rows without a value: `x >= 6 or x is null`)
        const x =
          /^(\w+)\s+(is null|is not null|=\s*'[^']*'|!=\s*'[^']*')$/i.exec(t) ??
          /^(\w+)\s+((?:<=|>=|<|>)\s*-?\d+(?:\.\d+)?)(?:\s+or\s+(\w+)\s+is\s+null)?$/i.exec(t);
        if (!x || (x[3] !== undefined && x[3] !== x[1])) return [];
        const rest = terms.filter((o) => o !== t).sort();
        return [
          {
            m,
            c: x[1]!,
            cond:
              x[2]!.replace(/\s+/g, ' ').replace(/^(!?=|<=|>=|<|>)\s*/, '$1 ') + (x[3] !== undefined ? ' or null' : ''),
            fam: JSON.stringify([src, kind, col, x[1], rest]),
          },
        ];
      });
    });
    for (const m of rowsOf.keys()) {
      const [src, kind, col, filter] = JSON.parse(m) as [string, string, string | null, string];
      const terms = filter ? filter.split(/\s+and\s+/i).map((t) => t.trim()) : [];
      for (const c of new Set(onColumn.map((o) => o.c))) {
        if (terms.some((t) => new RegExp(`\\b${c}\\b`).test(t))) continue;
        const fam = JSON.stringify([src, kind, col, c, [...terms].sort()]);
        const parts = onColumn.filter((o) => o.fam === fam);
        const nul = parts.find((o) => o.cond.toLowerCase() === 'is null');
        if (!nul) continue;
        const notNull = parts.find((o) => o.cond.toLowerCase() === 'is not null');
        const eq = parts.find((o) => o.cond.startsWith('='));
        const ne = eq && parts.find((o) => o.cond === `!${eq.cond.replace(/^=\s*/, '= ')}`);
        if (notNull) rels.push({ total: m, parts: [nul.m, notNull.m], rest: false });
        else if (eq && ne) rels.push({ total: m, parts: [nul.m, eq.m, ne.m], rest: false });
      }
      // a number: `x < v` + `x >= v or x is null` (and `x <= v` + `x > v or x is null`) is every row
      for (const c of new Set(onColumn.map((o) => o.c))) {
        if (terms.some((t) => new RegExp(`\\b${c}\\b`).test(t))) continue;
        const fam = JSON.stringify([src, kind, col, c, [...terms].sort()]);
        const parts = onColumn.filter((o) => o.fam === fam);
        const opposite: Record<string, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
        for (const a of parts) {
          const cmp = /^(<=|>=|<|>) (\S+)$/.exec(a.cond);
          const b = cmp && parts.find((o) => o.cond === `${opposite[cmp[1]!]} ${cmp[2]} or null`);
          if (b) rels.push({ total: m, parts: [a.m, b.m], rest: false });
        }
      }
    }
    if (opts.relation) expect(rels.some((r) => r.parts.length >= 2 && r.total.includes(opts.relation!))).toBe(true);
    let restN = 0;
    for (const r of rels) {
      if (!rowsOf.has(r.total) || r.parts.length === 0) continue;
      for (const k of rowsOf.get(r.total)!) {
        const suffix = k.slice(r.total.length);
        const parts = r.parts.map((p) => p + suffix);
        if (!parts.every(has)) continue;
        const terms: [string, number][] = [[k, 1], ...parts.map((p) => [p, -1] as [string, number])];
        if (r.rest) {
          const rest = `rest${restN++}`;
          vars.set(rest, { published: null, lb: 0, ub: Infinity, integer: false });
          terms.push([rest, -1]);
        }
        rows.push({ terms });
      }
    }
    // numerator <= denominator for proportions
    const trueDen = new Map<string, number>();
    for (const r of pub) {
      const d = defs.get(r.indicator_id)!;
      if (!d.proportion) continue;
      const n = key(mid(r.indicator_id, 'numerator'), r);
      const dk = key(mid(r.indicator_id, 'denominator'), r);
      rows.push({
        terms: [
          [n, 1],
          [dk, -1],
        ],
        le: true,
      });
      if (truth.has(dk)) trueDen.set(n, Math.min(trueDen.get(n) ?? Infinity, truth.get(dk)!));
    }
    // a count of a subgroup <= the count of its group: every condition of the group's filter is one of
    // the subgroup's (all examined children >= those with a valid BMI; read off the definitions; the
    // canonical sources one project source delivers are one population)
    const sourceOf = (canon: string): string =>
      project.config.sources.find((s) => {
        const sch = (s as { schema?: string | string[] }).schema;
        return (Array.isArray(sch) ? sch : sch ? [sch] : [s.id]).includes(canon);
      })?.id ?? canon;
    // (a sum of a column of counts too: its values are never negative, so over fewer rows it is not larger)
    const typeOf = (src: string, col: string | null) =>
      col === null
        ? undefined
        : (
            project.config.sources.find((s) => s.id === src)?.columns as Record<string, { type?: string }> | undefined
          )?.[col]?.type;
    const counts = [...rowsOf.keys()].flatMap((m) => {
      const [src, kind, col, filter] = JSON.parse(m) as [string, string, string | null, string];
      if (kind !== 'count' && !(kind === 'sum' && typeOf(src, col) === 'count')) return [];
      const conds = new Set(filter ? filter.split(/\s+and\s+/i).map((t) => t.trim()) : []);
      // (a sum over the total rows of a long file, `geschlecht = 'insgesamt'`, is at least the sum over
      // any of its values: the attacker marks a condition on such a column as "col:*" on both sides)
      if (kind === 'sum')
        for (const t of [...conds]) {
          const v = /^(\w+)\s*(?:=\s*(?:'([^']*)'|-?[\d.]+$)|in\s*\()/i.exec(t);
          if (!v) continue;
          if (v[2] !== undefined && /^(insgesamt|gesamt|summe|zusammen|total)$/i.test(v[2])) conds.delete(t);
          conds.add(`${v[1]}:*`);
        }
      return [{ m, fam: kind === 'count' ? sourceOf(src) : `${src}|sum|${col}`, conds }];
    });
    type Count = (typeof counts)[number];
    const within = (a: Count, b: Count) =>
      a.m !== b.m && a.fam === b.fam && a.conds.size > b.conds.size && [...b.conds].every((c) => a.conds.has(c));
    for (const a of counts)
      for (const b of counts) {
        if (!within(a, b) || counts.some((c) => within(a, c) && within(c, b))) continue;
        for (const k of rowsOf.get(a.m)!) {
          const kb = b.m + k.slice(a.m.length);
          if (!has(kb)) continue;
          rows.push({
            terms: [
              [k, 1],
              [kb, -1],
            ],
            le: true,
          });
          if (truth.has(kb)) trueDen.set(k, Math.min(trueDen.get(k) ?? Infinity, truth.get(kb)!));
        }
      }
    // disjoint subgroups together are at most the group: Σ a <= b for subgroups a of b whose filters
    // take disjoint values of one text column (Fremdunterbringung + ambulante Hilfen <= all Hilfen);
    // every largest such family of subgroups
    const valuesOf = (c: Count): Map<string, Set<string>> => {
      const out = new Map<string, Set<string>>();
      for (const t of c.conds) {
        const eq = /^(\w+)\s*=\s*(?:'([^']*)'|(-?[\d.]+))$/.exec(t);
        const yesNo = /^(\w+)\s*=\s*(true|false)$/i.exec(t);
        const inList = /^(\w+)\s+in\s*\((.*)\)$/i.exec(t);
        if (eq) out.set(eq[1]!, new Set([eq[2] ?? eq[3]!]));
        else if (yesNo) out.set(yesNo[1]!, new Set([yesNo[2]!.toLowerCase()]));
        else if (inList)
          out.set(inList[1]!, new Set(inList[2]!.split(',').map((v) => v.trim().replace(/^'(.*)'$/, '$1'))));
      }
      return out;
    };
    // (or disjoint intervals of a number: BMI over P97 and BMI in (P90, P97])
    const intervalsOf = (c: Count) => new Map(filterShape([...c.conds].join(' and ')).map((x) => [x.col, x]));
    const disjoint = (a: Count, c: Count) => {
      const va = valuesOf(a);
      for (const [col, set] of valuesOf(c)) {
        const other = va.get(col);
        if (other && ![...set].some((v) => other.has(v))) return true;
      }
      const ia = intervalsOf(a);
      for (const [col, y] of intervalsOf(c)) {
        const x = ia.get(col);
        if (!x) continue;
        const lo = Math.max(x.lo, y.lo);
        const hi = Math.min(x.hi, y.hi);
        const loIn = (x.lo < lo || x.loInc) && (y.lo < lo || y.loInc);
        const hiIn = (x.hi > hi || x.hiInc) && (y.hi > hi || y.hiInc);
        if (lo > hi || (lo === hi && !(loIn && hiIn))) return true;
      }
      return false;
    };
    let familyRows = 0;
    for (const b of counts) {
      const subs = counts.filter((a) => within(a, b));
      // the largest families of pairwise disjoint subgroups (Bron-Kerbosch)
      const families: Count[][] = [];
      const grow = (r: Count[], p: Count[], x: Count[]) => {
        if (p.length === 0 && x.length === 0) {
          if (r.length >= 2) families.push(r);
          return;
        }
        for (const v of [...p]) {
          grow(
            [...r, v],
            p.filter((u) => u !== v && disjoint(u, v)),
            x.filter((u) => disjoint(u, v)),
          );
          p = p.filter((u) => u !== v);
          x = [...x, v];
        }
      };
      grow([], subs, []);
      for (const fam of families)
        for (const kb of rowsOf.get(b.m)!) {
          const suffix = kb.slice(b.m.length);
          const parts = fam.map((a) => a.m + suffix);
          if (!parts.every(has)) continue;
          rows.push({ terms: [...parts.map((p) => [p, 1] as [string, number]), [kb, -1]], le: true });
          familyRows++;
        }
    }
    if (opts.disjointFamilies) expect(familyRows).toBeGreaterThan(0);
    const targets: ATarget[] = [];
    for (const [k, x] of truth) {
      if (x > 0 && x < T && vars.get(k)!.published === null)
        targets.push({ id: k, level: Math.min(T, trueDen.get(k) ?? Infinity) });
    }
    const r = await lpAttack(vars, rows, targets, opts.integer);
    // What nobody can hide: a range already narrowed by what the data owner publishes
    // itself (a BA "*" says 1 or 2, so a denominator over it is at least 1), with none
    // of spm's numbers. Such cells are excused; every other narrowed cell is a leak.
    const blind = new Map([...vars].map(([k, v]) => [k, { ...v, published: null }]));
    const inherent = new Set(
      (
        await lpAttack(
          blind,
          rows,
          r.narrowed.map((n) => ({ id: n.id, level: n.level })),
          opts.integer,
        )
      ).narrowed.map((n) => n.id),
    );
    // with earlier releases: a range they narrow as far on their own is not this release's doing
    const byEarlier = new Set<string>();
    if (fromEarlier.size > 0) {
      const onlyEarlier = new Map([...vars].map(([k, v]) => [k, { ...v, published: fromEarlier.get(k) ?? null }]));
      const rest = r.narrowed.filter((n) => !inherent.has(n.id));
      const e = await lpAttack(
        onlyEarlier,
        rows,
        rest.map((n) => ({ id: n.id, level: n.level })),
        opts.integer,
      );
      // excused only where the earlier releases alone give the same bound (this release adds nothing)
      const bound = new Map(e.narrowed.map((n) => [n.id, n]));
      for (const n of rest) {
        const b = bound.get(n.id);
        if (b && b.lo >= n.lo - 1e-6 && b.hi <= n.hi + 1e-6) byEarlier.add(n.id);
      }
    }
    const leaks = r.narrowed.filter((n) => !inherent.has(n.id) && !byEarlier.has(n.id));
    if (groupings.length) expect(groupRows).toBeGreaterThan(100);
    console.log(
      `${name}: ${targets.length} protected counts, ${r.components} components, ${r.lps} LPs, ${r.narrowed.length} narrowed, ${inherent.size} of them by the source's own "*" alone` +
        (fromEarlier.size > 0
          ? `, ${byEarlier.size} by the earlier release alone (${fromEarlier.size} counts known from it); ${leaks.length} leaks`
          : ''),
    );
    expect(targets.length, `${name}: protected counts (true counts 1 to ${T - 1}, not published)`).toBeGreaterThan(
      opts.minTargets,
    );
    if (opts.expectLeak) expect(leaks.length).toBeGreaterThan(0);
    else expect(leaks.slice(0, 20)).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

export const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');

/**
 * Test counts per area and year 2019-2023: a finding of 1 or 2 where (5·i + 3·year + shift) mod `every` is 0
 * (with 23 or more areas and `every` = 23: one per year), the others 3 to 12; shift = SPM_ATTACK_CITY_SHIFT.
 */
export function testCounts(ids: readonly string[], every: number): string {
  const shift = CITY_SHIFT;
  const data = ['gebiet;jahr;kinder;befund'];
  ids.forEach((id, i) => {
    for (let y = 2019; y <= 2023; y++) {
      const kinder = 20 + ((i * 37 + y * 11 + shift * 13) % 45);
      const befund = (i * 5 + y * 3 + shift) % every === 0 ? 1 + ((i + y + shift) % 2) : 3 + ((i * 5 + y + shift) % 10);
      data.push(`${id};${y};${kinder};${befund}`);
    }
  });
  return data.join('\n');
}

/** The Steckbrief block of a test indicator (YAML). */
const TEST_STECKBRIEF = `steckbrief:
  stichtag: "31.12."
  data_owner: Test
  numerator_source: Test
  denominator_source: Test
  definition: Test
  suppression: Regel des Projekts
`;

/**
 * A project of one proportion over `zahlen.csv` at `level`, with `areas` as the spm.yaml block,
 * and three-year windows if `pooled`.
 */
export function writeTestProject(root: string, areas: string, level: string, counts: string, pooled: boolean): void {
  fs.writeFileSync(path.join(root, 'zahlen.csv'), counts);
  fs.mkdirSync(path.join(root, 'indicators'));
  fs.writeFileSync(
    path.join(root, 'indicators', 'befund.yaml'),
    `id: befund_anteil
title: Anteil mit Befund
description: Kinder mit Befund je untersuchte Kinder
family: gesundheit_seu
lebensphase: "3-6"
unit: percent
polarity: worse
numerator: { source: zahlen, measure: sum, column: befund }
denominator: { source: zahlen, measure: sum, column: kinder }
proportion: true
min_denominator: 15
${TEST_STECKBRIEF}`,
  );
  fs.writeFileSync(
    path.join(root, 'spm.yaml'),
    `name: "Testprojekt (Testzahlen)"
${areas}
sources:
  - id: zahlen
    title: Zahlen
    files: zahlen.csv
    kind: aggregated
    area: { column: gebiet, level: ${level} }
    period: { column: jahr, kind: kalenderjahr }
    columns: { kinder: { header: kinder, type: count }, befund: { header: befund, type: count } }
    stichtag: "31.12."
    owner: Test
indicators: [indicators]
output: out
settings: { min_denominator: 15, ${pooled ? 'pool_years: 3, ' : ''}suppression: { min_count: 3 } }
`,
  );
}

/** Hilfen nach §§ 27, 31, 33, 34 of area `i` in `year` (test counts; none by §§ 27, 31 in every third Kommune). */
function hilfenCounts(i: number, y: number, kommune: number): [number, number, number, number] {
  const small = (k: number) => ((i * 7 + y * 3 + k * 5) % 4 === 0 ? 1 + ((i + y + k) % 2) : (i * 3 + y + k * 7) % 9);
  const noOthers = kommune % 3 === 0;
  return [noOthers ? 0 : small(1) + 2, noOthers ? 0 : small(2), small(3), small(4)];
}

/**
 * A Kreis (the sample's 66 Sozialräume in 11 Kommunen) with Hilfen zur Erziehung in long format,
 * one row per Sozialraum, year and Hilfeart (27, 31, 33, 34; test counts, 2019-2023), and five
 * rates per 1,000 children over sums of `anzahl` with filters that relate them: § 33 + § 34 =
 * Fremdunterbringung (`hilfeart in ('33', '34')`), and Fremdunterbringung + §§ 27, 31 <= all
 * Hilfen (sums of a column of counts over disjoint rows). In every third Kommune there are no
 * Hilfen nach § 27 or § 31, so there all Hilfen = Fremdunterbringung.
 * - `numeric`: one row per Hilfe (microdata) with the Hilfeart as an integer column, counts with
 *   `hilfeart = 33` and `hilfeart in (33, 34)`, as a file of cases with the codes as numbers is typed;
 * - `wide`: a column per Hilfeart and their sums, as a Jugendamt's table has them (h_33_34 = h_33 +
 *   h_34, h_alle = h_33_34 + h_27_31), without `relations:` in spm.yaml: only the column names say
 *   how they add up.
 */
export function writeHilfenProject(root: string, opts: { numeric?: boolean; wide?: boolean } = {}): void {
  const q = opts.numeric ? '' : "'";
  const wide = opts.wide === true;
  writeLongProject(
    root,
    'hilfeart',
    (i, y, kommune) => {
      const [a, b, c, d] = hilfenCounts(i, y, kommune);
      return wide
        ? [
            ['h_33', c],
            ['h_34', d],
            ['h_33_34', c + d],
            ['h_27_31', a + b],
            ['h_alle', a + b + c + d],
          ]
        : [
            ['27', a],
            ['31', b],
            ['33', c],
            ['34', d],
          ];
    },
    [
      ['hilfen_33', 'Hilfen nach § 33', wide ? 'h_33' : `hilfeart = ${q}33${q}`],
      ['hilfen_34', 'Hilfen nach § 34', wide ? 'h_34' : `hilfeart = ${q}34${q}`],
      ['fremdunterbringung', 'Hilfen nach §§ 33, 34', wide ? 'h_33_34' : `hilfeart in (${q}33${q}, ${q}34${q})`],
      ['hilfen_ambulant', 'Hilfen nach §§ 27, 31', wide ? 'h_27_31' : `hilfeart in (${q}27${q}, ${q}31${q})`],
      wide ? ['hilfen_alle', 'Hilfen', 'h_alle'] : ['hilfen_alle', 'Hilfen'],
    ],
    wide ? 'wide' : opts.numeric ? 'microdata' : 'text',
  );
}

/**
 * Counts of two groups and of the cases without a value, per area index and year: many of 1 or 2, and
 * the third often 0 (so that a group and "ohne Angabe" both are small in some cells).
 */
function twoAndNone(i: number, y: number): [number, number, number] {
  const a = (i * 7 + y * 3) % 4 === 0 ? 1 + ((i + y) % 2) : 2 + ((i * 3 + y) % 9);
  const b = (i * 5 + y * 7) % 4 === 0 ? 1 + ((i + 2 * y) % 2) : 2 + ((i * 5 + y) % 6);
  const n = (i * 3 + y) % 5 === 0 ? 1 + ((i + y) % 2) : (i + y) % 3;
  return [a, b, n];
}

/**
 * Cases (one row per Hilfe) with the family language as a text that is often not recorded (an empty
 * cell, a null): Hilfen with German, with another, with none recorded, and all Hilfen; all = the three.
 */
export function writeSpracheProject(root: string): void {
  writeLongProject(
    root,
    'sprache',
    (i, y) => {
      const [d, a, n] = twoAndNone(i, y);
      return [
        ['deutsch', d],
        ['andere', a],
        ['', n],
      ];
    },
    [
      ['hilfen_deutsch', 'Hilfen, Familiensprache Deutsch', "sprache = 'deutsch'"],
      ['hilfen_andere', 'Hilfen, andere Familiensprache', "sprache != 'deutsch'"],
      ['hilfen_ohne_angabe', 'Hilfen ohne Angabe der Familiensprache', 'sprache is null'],
      ['hilfen_alle', 'Hilfen'],
    ],
    'microtext',
  );
}

/**
 * Hilfen as cases with the child's age, often not recorded (an empty cell, a null of an integer
 * column): unter 6, 6 und älter or ohne Angabe (`alter >= 6 or alter is null`), and all Hilfen. All =
 * the first + the second, by the filters (SQL counts a row without a value in the `or`).
 */
export function writeAlterProject(root: string): void {
  writeLongProject(
    root,
    'alter',
    (i, y) => {
      const [u, o, n] = twoAndNone(i, y);
      return [
        [String(1 + ((i + y) % 5)), u],
        [String(6 + ((i * 3 + y) % 10)), o],
        ['', n],
      ];
    },
    [
      ['hilfen_unter6', 'Hilfen, Kind unter 6 Jahren', 'alter < 6'],
      ['hilfen_ab6', 'Hilfen, Kind ab 6 Jahren oder Alter ohne Angabe', 'alter >= 6 or alter is null'],
      ['hilfen_alle', 'Hilfen'],
    ],
    'microdata',
  );
}

/**
 * The same Kreis with a long file as official tables have it: one row per Sozialraum, year and
 * Geschlecht, the values männlich, weiblich, divers (mostly 0) and a total row "insgesamt"; rates of
 * Jungen, Mädchen and all per 1,000 children. All >= Jungen + Mädchen (divers >= 0) holds by what
 * "insgesamt" means, not by the filters' sets.
 */
export function writeGeschlechtProject(root: string): void {
  writeLongProject(
    root,
    'geschlecht',
    (i, y) => {
      const m = (i * 7 + y * 3) % 4 === 0 ? 1 + ((i + y) % 2) : 2 + ((i * 3 + y) % 9);
      const w = (i * 5 + y * 7) % 4 === 0 ? 1 + ((i + 2 * y) % 2) : 2 + ((i * 5 + y) % 8);
      const d = (i + y) % 29 === 0 ? 1 : 0;
      return [
        ['männlich', m],
        ['weiblich', w],
        ['divers', d],
        ['insgesamt', m + w + d],
      ];
    },
    [
      ['jungen', 'Jungen', "geschlecht = 'männlich'"],
      ['maedchen', 'Mädchen', "geschlecht = 'weiblich'"],
      ['kinder_hilfen', 'Kinder', "geschlecht = 'insgesamt'"],
    ],
  );
}

/**
 * A project over the sample's areas with `kinder.csv` (children per Sozialraum and year) and
 * `hilfen.csv` in long format (`rows`: the values of `column` and their `anzahl` per area index,
 * year and Kommune index), one rate per 1,000 children per entry of `indicators` ([id, title, filter]).
 */
export function writeLongProject(
  root: string,
  column: string,
  rows: (i: number, year: number, kommune: number) => [string, number][],
  indicators: readonly (readonly [string, string, string?])[],
  shape: 'text' | 'microdata' | 'microtext' | 'wide' = 'text',
): void {
  // microdata: one row per counted case (the `anzahl` of a value as that many rows), the column an integer
  // (microtext: a text, an empty value a null); wide: one row per area and year, a column of counts per
  // value (an indicator names its column)
  const micro = shape === 'microdata' || shape === 'microtext';
  const wide = shape === 'wide';
  const values = rows(0, 2019, 0).map(([v]) => v);
  fs.copyFileSync(path.join(sample, 'gebiete.csv'), path.join(root, 'gebiete.csv'));
  const areas = fs
    .readFileSync(path.join(sample, 'gebiete.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(';'));
  const kommunen = [...new Set(areas.map((a) => a[2]!))];
  const kinder = ['gebiet;jahr;kinder'];
  const hilfen = [
    micro ? `gebiet;jahr;${column}` : wide ? `gebiet;jahr;${values.join(';')}` : `gebiet;jahr;${column};anzahl`,
  ];
  areas.forEach(([id, , ags], i) => {
    for (let y = 2019; y <= 2023; y++) {
      kinder.push(`${id};${y};${60 + ((i * 37 + y * 11) % 190)}`);
      const r = rows(i, y, kommunen.indexOf(ags!));
      if (wide) hilfen.push(`${id};${y};${r.map(([, n]) => n).join(';')}`);
      else
        for (const [v, n] of r)
          if (micro) for (let k = 0; k < n; k++) hilfen.push(`${id};${y};${v}`);
          else hilfen.push(`${id};${y};${v};${n}`);
    }
  });
  fs.writeFileSync(path.join(root, 'kinder.csv'), kinder.join('\n'));
  fs.writeFileSync(path.join(root, 'hilfen.csv'), hilfen.join('\n'));
  fs.mkdirSync(path.join(root, 'indicators'));
  for (const [id, title, filter] of indicators)
    fs.writeFileSync(
      path.join(root, 'indicators', `${id}.yaml`),
      `id: ${id}
title: "${title} je 1.000 Kinder"
description: Testkennzahl
family: jugendhilfe
lebensphase: uebergreifend
unit: per_1000
polarity: worse
numerator: { source: hilfen, ${micro ? 'measure: count' : `measure: sum, column: ${wide ? filter : 'anzahl'}`}${filter && !wide ? `, filter: "${filter}"` : ''} }
denominator: { source: kinder, measure: sum, column: kinder }
proportion: false
min_denominator: 15
${TEST_STECKBRIEF}`,
    );
  fs.writeFileSync(
    path.join(root, 'spm.yaml'),
    `name: "Hilfen im Langformat (Testzahlen)"
kreis: { ags: "05558", name: "Kreis Coesfeld" }
areas:
  file: gebiete.csv
  read: { encoding: utf-8, delimiter: ";" }
sources:
  - id: kinder
    title: Kinder
    files: kinder.csv
    kind: aggregated
    area: { column: gebiet, level: sozialraum }
    period: { column: jahr, kind: kalenderjahr }
    columns: { kinder: { header: kinder, type: count } }
    stichtag: "31.12."
    owner: Test
  - id: hilfen
    title: Hilfen zur Erziehung
    files: hilfen.csv
    kind: ${micro ? 'microdata' : 'aggregated'}
    area: { column: gebiet, level: sozialraum }
    period: { column: jahr, kind: kalenderjahr }
    columns: ${
      micro
        ? `{ ${column}: { header: ${column}, type: ${shape === 'microtext' ? 'text' : 'integer'} } }`
        : wide
          ? `{ ${values.map((v) => `${v}: { header: ${v}, type: count }`).join(', ')} }`
          : `{ ${column}: { header: ${column}, type: text }, anzahl: { header: anzahl, type: count } }`
    }
    stichtag: "31.12."
    owner: Test
indicators: [indicators]
output: out
settings: { min_denominator: 15, pool_years: 3, suppression: { min_count: 3 } }
`,
  );
}
