/**
 * Test projects for the suppression: a Kreis with Kommunen and Sozialräume,
 * single-year counts per Sozialraum, roll-ups and pooled windows computed here
 * the way the compute stage does (sums of known values, flags OR-ed), plus
 * random generators (fast-check) and helpers to load such a project into
 * DuckDB as `spm_cells` / `spm_measures` / areas.
 */
import fc from 'fast-check';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SuppressionSystem } from '../../src/privacy/index.js';
import type { Eq } from './exact.js';

export type Flag = 'ok' | 'missing' | 'star';
export const KREIS = '05999';
export const FIRST_YEAR = 2020;

export interface Project {
  /** Sozialräume per Kommune (0 = a Kommune-level measure: counts are per Kommune). */
  sozialraeume: number[];
  years: number;
  pool: number | null;
  threshold: number;
  /** counts[k][s][y] (s over Sozialräume, or [k][0][y] for a Kommune-level measure) */
  counts: number[][][];
  flags: Flag[][][];
}

export interface Cell {
  id: number;
  level: 'sozialraum' | 'kommune' | 'kreis';
  area_id: string;
  kommune: string | null;
  year: number;
  pool: number;
  /** exact known part (sum of known values), the number published when known */
  x: number;
  isBase: boolean;
  valueNull: boolean;
  missing: boolean;
  nSupp: number;
}

export const kommuneAgs = (k: number) => `0599900${k + 1}`;
export const srId = (k: number, s: number) => `${kommuneAgs(k)}-${String(s + 1).padStart(2, '0')}`;

/** All cells of one measure of the project, as the compute stage would produce them. */
export function projectCells(p: Project): Cell[] {
  const cells: Cell[] = [];
  const add = (c: Omit<Cell, 'id'>) => cells.push({ id: cells.length, ...c });
  const srLevel = p.sozialraeume.some((n) => n > 0);
  const one = new Map<string, Cell>();
  const key = (level: string, area: string, year: number) => `${level}|${area}|${year}`;
  for (let y = 0; y < p.years; y++) {
    const year = FIRST_YEAR + y;
    const kCells: Cell[] = [];
    for (let k = 0; k < p.sozialraeume.length; k++) {
      const nS = srLevel ? p.sozialraeume[k]! : 0;
      const parts: Cell[] = [];
      const base = (level: 'sozialraum' | 'kommune', area: string, kommune: string | null, s: number) => {
        const f = p.flags[k]![s]![y]!;
        const v = p.counts[k]![s]![y]!;
        add({
          level,
          area_id: area,
          kommune,
          year,
          pool: 1,
          x: f === 'ok' ? v : 0,
          isBase: true,
          valueNull: f !== 'ok',
          missing: f === 'missing',
          nSupp: f === 'star' ? 1 : 0,
        });
        const c = cells[cells.length - 1]!;
        one.set(key(level, area, year), c);
        return c;
      };
      if (srLevel) {
        for (let s = 0; s < nS; s++) parts.push(base('sozialraum', srId(k, s), kommuneAgs(k), s));
        add(sum('kommune', kommuneAgs(k), null, year, 1, parts));
        const kc = cells[cells.length - 1]!;
        one.set(key('kommune', kommuneAgs(k), year), kc);
        kCells.push(kc);
      } else {
        kCells.push(base('kommune', kommuneAgs(k), null, 0));
      }
    }
    add(sum('kreis', KREIS, null, year, 1, kCells));
    one.set(key('kreis', KREIS, year), cells[cells.length - 1]!);
  }
  if (p.pool) {
    const w = p.pool;
    const singles = cells.filter((c) => c.pool === 1);
    for (const c of singles) {
      if (c.year - w + 1 < FIRST_YEAR) continue;
      const parts: Cell[] = [];
      for (let y = c.year - w + 1; y <= c.year; y++) parts.push(one.get(key(c.level, c.area_id, y))!);
      add(sum(c.level, c.area_id, c.kommune, c.year, w, parts));
    }
  }
  return cells;
}

function sum(
  level: Cell['level'],
  area: string,
  kommune: string | null,
  year: number,
  pool: number,
  parts: Cell[],
): Omit<Cell, 'id'> {
  return {
    level,
    area_id: area,
    kommune,
    year,
    pool,
    x: parts.reduce((a, c) => a + c.x, 0),
    isBase: false,
    valueNull: false,
    missing: parts.some((c) => c.missing),
    nSupp: parts.reduce((a, c) => a + c.nSupp, 0),
  };
}

/** Published exactly (unless masked): not missing and not a source-suppressed base cell. Estimated totals count as published (their known part follows from the note). */
export const isKnown = (c: Cell) => !c.missing && !(c.isBase && c.nSupp > 0);
/** A base cell without a value: its known part is 0 for everyone. */
export const isFixed = (c: Cell) => c.isBase && c.valueNull;
export const isSecret = (c: Cell, t: number) => !isFixed(c) && c.x > 0 && c.x < t;

/**
 * Every equation the adversary can write down, deliberately redundant: each
 * hierarchy sum for every window (single years and pooled) and each pooled
 * cell as the sum of its years.
 */
export function adversaryEquations(cells: readonly Cell[]): Eq[] {
  const byKey = new Map<string, Cell>();
  for (const c of cells) byKey.set(`${c.level}|${c.area_id}|${c.year}|${c.pool}`, c);
  const eqs: Eq[] = [];
  const groups = new Map<string, number[]>();
  for (const c of cells) {
    let total: string | null = null;
    if (c.level === 'sozialraum') total = `kommune|${c.kommune}|${c.year}|${c.pool}`;
    else if (c.level === 'kommune') total = `kreis|${KREIS}|${c.year}|${c.pool}`;
    if (total && byKey.has(total)) {
      const g = groups.get(total) ?? [];
      g.push(c.id);
      groups.set(total, g);
    }
    if (c.pool > 1) {
      const parts: number[] = [];
      for (let y = c.year - c.pool + 1; y <= c.year; y++) parts.push(byKey.get(`${c.level}|${c.area_id}|${y}|1`)!.id);
      eqs.push({ total: c.id, parts });
    }
  }
  for (const [t, parts] of groups) eqs.push({ total: byKey.get(t)!.id, parts });
  return eqs;
}

/** The system the library's pure core gets (its own equations: one per total, single-year hierarchy + pools). */
export function toSystem(cells: readonly Cell[], threshold: number): SuppressionSystem {
  const rank = { sozialraum: 0, kommune: 1, kreis: 2 } as const;
  const byKey = new Map<string, Cell>();
  for (const c of cells) byKey.set(`${c.level}|${c.area_id}|${c.year}|${c.pool}`, c);
  const equations: SuppressionSystem['equations'] = [];
  const groups = new Map<number, number[]>();
  for (const c of cells) {
    if (c.pool === 1) {
      // a fixed part (constant 0) is left out, but its total still gets its (maybe empty) equation
      const t =
        c.level === 'sozialraum'
          ? byKey.get(`kommune|${c.kommune}|${c.year}|1`)
          : c.level === 'kommune'
            ? byKey.get(`kreis|${KREIS}|${c.year}|1`)
            : undefined;
      if (t) groups.set(t.id, [...(groups.get(t.id) ?? []), ...(isFixed(c) ? [] : [c.id])]);
    } else {
      const parts: number[] = [];
      for (let y = c.year - c.pool + 1; y <= c.year; y++) {
        const part = byKey.get(`${c.level}|${c.area_id}|${y}|1`)!;
        if (!isFixed(part)) parts.push(part.id);
      }
      equations.push({ total: c.id, parts });
    }
  }
  for (const [total, parts] of groups) equations.push({ total, parts });
  return {
    cells: cells.map((c) => ({
      id: c.id,
      value: isKnown(c) ? c.x : null,
      known: isKnown(c) || isFixed(c),
      secret: isSecret(c, threshold),
      size: c.x,
      sortKey: `${rank[c.level]}|${c.area_id}|${c.year}|${String(c.pool).padStart(2, '0')}`,
      penalty: c.level === 'kreis' ? 2 : 0,
    })),
    equations,
  };
}

/** What the adversary sees: published values (fixed cells count as a published 0). */
export function publishedValues(cells: readonly Cell[], masked: (c: Cell) => boolean): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of cells) {
    if (isFixed(c)) m.set(c.id, 0);
    else if (isKnown(c) && !masked(c)) m.set(c.id, c.x);
  }
  return m;
}

// ---------------------------------------------------------------- generators

const smallCount = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 1, 2, 3) },
  { weight: 3, arbitrary: fc.integer({ min: 4, max: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 13, max: 300 }) },
);
const flagArb = (withFlags: boolean): fc.Arbitrary<Flag> =>
  withFlags
    ? fc.oneof(
        { weight: 18, arbitrary: fc.constant<Flag>('ok') },
        { weight: 1, arbitrary: fc.constant<Flag>('missing') },
        { weight: 1, arbitrary: fc.constant<Flag>('star') },
      )
    : fc.constant<Flag>('ok');

export function projectArb(
  opts: { kommuneLevel?: boolean; flags?: boolean; count?: fc.Arbitrary<number> } = {},
): fc.Arbitrary<Project> {
  const count = opts.count ?? smallCount;
  return fc
    .record({
      sozialraeume: fc.array(fc.integer({ min: opts.kommuneLevel ? 0 : 1, max: opts.kommuneLevel ? 0 : 8 }), {
        minLength: 1,
        maxLength: 6,
      }),
      years: fc.integer({ min: 1, max: 5 }),
      pool: fc.constantFrom<number | null>(null, 2, 3),
      threshold: fc.constantFrom(3, 5, 10),
    })
    .chain((shape) => {
      const perK = shape.sozialraeume.map((n) => Math.max(n, 1));
      const grid = <T>(a: fc.Arbitrary<T>) =>
        fc.tuple(
          ...perK.map((n) =>
            fc.array(fc.array(a, { minLength: shape.years, maxLength: shape.years }), { minLength: n, maxLength: n }),
          ),
        );
      return fc
        .record({
          counts: grid(count),
          flags: grid(flagArb(opts.flags ?? false)),
        })
        .map(({ counts, flags }) => ({ ...shape, counts, flags }) as Project);
    });
}

// ---------------------------------------------------------------- DuckDB

export interface Series {
  indicator_id: string;
  role: 'numerator' | 'denominator';
  measure_key: string;
  cells: Cell[];
}

/** Loads areas, `spm_cells` and `spm_measures` for the given series (shuffle = insert rows in reverse order). */
export async function loadSeries(
  conn: DuckDBConnection,
  shape: Pick<Project, 'sozialraeume'>,
  series: readonly Series[],
  reverse = false,
): Promise<void> {
  await conn.run('CREATE OR REPLACE TABLE areas_kommune (kommune_ags VARCHAR, kommune_name VARCHAR)');
  await conn.run(
    'CREATE OR REPLACE TABLE areas_sozialraum (sozialraum_id VARCHAR, sozialraum_name VARCHAR, kommune_ags VARCHAR, valid_from INTEGER, valid_to INTEGER)',
  );
  await conn.run(`CREATE OR REPLACE TABLE spm_cells (
  indicator_id VARCHAR, role VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  value DOUBLE, is_base BOOLEAN, missing BOOLEAN, n_suppressed INTEGER, supp_lo DOUBLE, supp_hi DOUBLE, rejected BOOLEAN, src_ref VARCHAR)`);
  await conn.run('CREATE OR REPLACE TABLE spm_measures (indicator_id VARCHAR, role VARCHAR, measure_key VARCHAR)');
  const ka = await conn.createAppender('areas_kommune');
  const sa = await conn.createAppender('areas_sozialraum');
  for (let k = 0; k < shape.sozialraeume.length; k++) {
    ka.appendVarchar(kommuneAgs(k));
    ka.appendVarchar(`Kommune ${k + 1}`);
    ka.endRow();
    for (let s = 0; s < shape.sozialraeume[k]!; s++) {
      sa.appendVarchar(srId(k, s));
      sa.appendVarchar(`SR ${k + 1}.${s + 1}`);
      sa.appendVarchar(kommuneAgs(k));
      sa.appendNull();
      sa.appendNull();
      sa.endRow();
    }
  }
  ka.flushSync();
  ka.closeSync();
  sa.flushSync();
  sa.closeSync();
  const ca = await conn.createAppender('spm_cells');
  const rows: [Series, Cell][] = [];
  for (const s of series) for (const c of s.cells) rows.push([s, c]);
  if (reverse) rows.reverse();
  for (const [s, c] of rows) {
    ca.appendVarchar(s.indicator_id);
    ca.appendVarchar(s.role);
    ca.appendVarchar(c.level);
    ca.appendVarchar(c.area_id);
    ca.appendInteger(c.year);
    ca.appendInteger(c.pool);
    if (c.valueNull) ca.appendNull();
    else ca.appendDouble(c.x);
    ca.appendBoolean(c.isBase);
    ca.appendBoolean(c.missing);
    ca.appendInteger(c.nSupp);
    ca.appendDouble(c.nSupp * 1);
    ca.appendDouble(c.nSupp * 2);
    ca.appendBoolean(false);
    ca.appendNull();
    ca.endRow();
  }
  ca.flushSync();
  ca.closeSync();
  const ma = await conn.createAppender('spm_measures');
  const ms = reverse ? [...series].reverse() : series;
  for (const s of ms) {
    ma.appendVarchar(s.indicator_id);
    ma.appendVarchar(s.role);
    ma.appendVarchar(s.measure_key);
    ma.endRow();
  }
  ma.flushSync();
  ma.closeSync();
}

export interface MaskRow {
  indicator_id: string;
  role: string;
  level: string;
  area_id: string;
  year: number;
  pool_years: number;
  reason: string;
}

export async function readMasks(conn: DuckDBConnection): Promise<MaskRow[]> {
  const r = await conn.runAndReadAll('SELECT * FROM spm_masks ORDER BY ALL');
  return r.getRowObjectsJS() as unknown as MaskRow[];
}

export const cellKey = (c: { level: string; area_id: string; year: number; pool: number }) =>
  `${c.level}|${c.area_id}|${c.year}|${c.pool}`;
export const maskKey = (m: MaskRow) => `${m.level}|${m.area_id}|${m.year}|${m.pool_years}`;
