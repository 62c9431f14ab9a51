/**
 * An independent interval attacker for the tests (no code shared with
 * src/privacy): true counts as variables, everything published as constants,
 * every equation the attacker can write down from the definitions, bounds
 * (counts >= 0, a source-suppressed "*" is 1..2, a numerator <= its denominator),
 * then for each protected cell its minimum and maximum by LP (HiGHS: the problem
 * written as LP text and read by HiGHS's LP reader into the `highs` package's own
 * model API; the library builds its models itself, from arrays, through the C API).
 *
 * To stay quick it first looks for solutions that put many targets at 0 (resp.
 * at their level) at once, again with the targets left while that finds more, then
 * solves per target only where none was found. A component is read once and solved
 * again with each new objective, so HiGHS starts from the last basis instead of from
 * nothing (until 4 Dec 2026 every LP was a one-shot solve of the whole text: the
 * sample's attack 6.7 s, its blind attack, one component of 63 LPs, 4.8 s; since
 * then 4.0 s and 1.5 s, the same cells narrowed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import highsModule, { type Highs } from 'highs';

// (the package's types describe a CommonJS default export; at run time the ES module's default is the loader)
type Loader = () => Promise<Highs>;
const load: Loader = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as unknown as Loader;
let solver: Promise<Highs> | undefined;
export const attackSolver = (): Promise<Highs> => (solver ??= load());
/** LP files written under SPM_ATTACK_LP_DUMP so far in this process (every attack of a test adds its own). */
let dumped = 0;

export interface AVar {
  /** Published exact value, or null if the attacker does not see it. */
  published: number | null;
  lb: number;
  ub: number;
  /** With integrality: a whole number (default); false for a count the attacker cannot take as whole. */
  integer?: boolean;
}
/** `Σ coef·var = 0` (equation) or `<= 0` (inequality). */
export interface ARow {
  terms: [string, number][];
  le?: boolean;
}
export interface ATarget {
  id: string;
  /** The range must reach this (threshold, or the true denominator if smaller). */
  level: number;
}
export interface AResult {
  id: string;
  lo: number;
  hi: number;
  level: number;
}

const EPS = 1e-6;
/** An objective over more targets than this is solved from scratch (see `run`). */
const COLD_ABOVE = 1000;

/**
 * Targets whose attacker range excludes 0 or stays below its level. `integer`: the attacker knows that
 * counts are whole numbers (every variable but those with `integer: false`) and solves MIPs (HiGHS without
 * its MIP presolve, see src/privacy/lp.ts `solveWhole`); the default is SPM_ATTACK_INTEGER=1 for hunting.
 */
export async function lpAttack(
  vars: Map<string, AVar>,
  rows: readonly ARow[],
  targets: readonly ATarget[],
  integer = process.env.SPM_ATTACK_INTEGER === '1',
): Promise<{ narrowed: AResult[]; lps: number; components: number }> {
  const h = await attackSolver();
  // substitute published values, keep rows with unknowns
  const free = (id: string) => vars.get(id)?.published === null;
  const reduced: { terms: [string, number][]; rhs: number; le: boolean }[] = [];
  for (const r of rows) {
    let rhs = 0;
    const terms: [string, number][] = [];
    for (const [id, a] of r.terms) {
      const v = vars.get(id);
      if (!v) throw new Error(`unknown variable ${id}`);
      if (v.published === null) terms.push([id, a]);
      else rhs -= a * v.published;
    }
    if (terms.length) reduced.push({ terms, rhs, le: r.le ?? false });
  }
  // components of unknowns
  const parent = new Map<string, string>();
  // union by size and full path compression: with only the first node of a path compressed and a
  // row's terms joined under the last one's root, the chains grew with the components, and at NRW
  // size a CPU sample of the attack found 97 % of its time in the Map lookups along them
  const size = new Map<string, number>();
  const find = (a: string): string => {
    let r = a;
    for (let p = parent.get(r)!; p !== r; p = parent.get(r)!) r = p;
    for (let x = a; x !== r; ) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  for (const [id, v] of vars)
    if (v.published === null) {
      parent.set(id, id);
      size.set(id, 1);
    }
  for (const r of reduced)
    for (let i = 1; i < r.terms.length; i++) {
      let a = find(r.terms[0]![0]);
      let b = find(r.terms[i]![0]);
      if (a === b) continue;
      if (size.get(a)! > size.get(b)!) [a, b] = [b, a];
      parent.set(a, b);
      size.set(b, size.get(a)! + size.get(b)!);
    }
  // (lists grown in place: a component of thousands of rows copied at every push took 24 s of 33)
  const compRows = new Map<string, typeof reduced>();
  for (const r of reduced) {
    const c = find(r.terms[0]![0]);
    let list = compRows.get(c);
    if (!list) compRows.set(c, (list = []));
    list.push(r);
  }
  const compTargets = new Map<string, ATarget[]>();
  for (const t of targets) {
    if (!free(t.id)) continue;
    const c = find(t.id);
    let list = compTargets.get(c);
    if (!list) compTargets.set(c, (list = []));
    list.push(t);
  }
  const narrowed: AResult[] = [];
  let lps = 0;
  const names = new Map<string, string>();
  const nm = (id: string) => {
    let n = names.get(id);
    if (!n) names.set(id, (n = `x${names.size}`));
    return n;
  };
  for (const [c, ts] of compTargets) {
    const rs = compRows.get(c) ?? [];
    const members = new Set<string>(ts.map((t) => t.id));
    for (const r of rs) for (const [id] of r.terms) members.add(id);
    const lines: string[] = ['Subject To'];
    rs.forEach((r, i) => {
      const lhs = r.terms.map(([id, a]) => `${a >= 0 ? '+' : '-'} ${Math.abs(a)} ${nm(id)}`).join(' ');
      lines.push(` r${i}: ${lhs} ${r.le ? '<=' : '='} ${r.rhs}`);
    });
    ts.forEach((t, i) => lines.push(` t${i}: + 1 y${i} - 1 ${nm(t.id)} <= 0`));
    lines.push('Bounds');
    for (const id of members) {
      const v = vars.get(id)!;
      lines.push(` ${v.lb} <= ${nm(id)} <= ${Number.isFinite(v.ub) ? v.ub : '+inf'}`);
    }
    ts.forEach((t, i) => lines.push(` 0 <= y${i} <= ${t.level}`));
    // with integrality: every count a whole number (a MIP per bound instead of an LP)
    const whole = integer ? [...members].filter((id) => vars.get(id)!.integer !== false) : [];
    if (whole.length) lines.push('General', ...whole.map((id) => ` ${nm(id)}`));
    lines.push('End');
    const body = lines.join('\n');
    // SPM_ATTACK_LP_DUMP=<dir>: each component's first LP (its targets' sum, minimised) as a file of its own,
    // for bench/solver-compare.ts
    const dump = process.env.SPM_ATTACK_LP_DUMP;
    if (dump) {
      mkdirSync(dump, { recursive: true });
      writeFileSync(
        join(dump, `component-${String(dumped++).padStart(5, '0')}.lp`),
        `Minimize\n obj: ${ts.map((t) => `+ 1 ${nm(t.id)}`).join(' ')}\n${body}\n`,
      );
    }
    // the objective is set before every solve; the text only needs one
    const model = h.createModel({ format: 'lp', data: `Minimize\n obj: + 1 y0\n${body}` });
    try {
      // (MIPs without presolve: HiGHS's MIP presolve declared a feasible component of the sample with seed 101
      // infeasible, and gave a count of at most 3 in the chain of releases a minimum of 7: tests/privacy/mip-presolve.test.ts)
      model.options.set(
        integer ? { output_flag: false, mip_rel_gap: 0, presolve: 'off', time_limit: 600 } : { output_flag: false },
      );
      const numCols = model.getDimensions().numCols;
      const all = { kind: 'range', from: 0, to: numCols - 1 } as const;
      const costs = new Float64Array(numCols);
      // each target's columns, x (its count) and y (its count capped at the level), looked up once
      const xCol = ts.map((t) => model.getColByName(nm(t.id)));
      const yCol = ts.map((_, i) => model.getColByName(`y${i}`));
      let warm = false;
      const run = (sense: 'Minimize' | 'Maximize', obj: readonly number[]) => {
        lps++;
        costs.fill(0);
        for (const j of obj) costs[j]! += 1;
        model.changeColsCost(all, costs);
        model.changeObjectiveSense(
          sense === 'Minimize' ? h.constants.objectiveSense.minimize : h.constants.objectiveSense.maximize,
        );
        // The first LP of a component and one over many targets from scratch (presolve, dual simplex); one
        // over a few targets from the last basis, which stays feasible, by primal simplex. HiGHS's own
        // choice from the last basis took about 3 s for every LP of the sample's largest component at
        // min_count 5 (21,322 columns); primal from there 0.02-1.1 s for up to 1,000 targets, from scratch
        // 2-3 s for more (6 Dec 2026: that component's attack 44 s -> 11 s, the same optima). Primal
        // simplex without a basis took minutes on a component of 25,458 columns.
        if (!integer) {
          const cold = !warm || obj.length > COLD_ABOVE;
          if (cold) model.clearSolver();
          model.options.set({ simplex_strategy: cold ? 1 : 4 });
        }
        const st = model.run().modelStatus;
        warm = true;
        if (st !== h.constants.modelStatus.optimal) throw new Error(`attacker LP: model status ${st}`);
        return { ObjectiveValue: model.getObjectiveValue(), x: model.getSolution().colValue };
      };
      const lo = new Map<string, number>();
      const hi = new Map<string, number>();
      const note = (r: ReturnType<typeof run>) => {
        ts.forEach((t, i) => {
          const v = r.x[xCol[i]!] ?? NaN;
          if (v <= EPS) lo.set(t.id, 0);
          if (v >= t.level - EPS) hi.set(t.id, t.level);
        });
      };
      // Batches: the sum of the targets not yet at 0 (resp. at their level) as the objective, again
      // while a solution puts one more there (each solution witnesses every target it puts there);
      // what no batch reaches gets an LP of its own below, which gives its exact bound.
      const batch = (sense: 'Minimize' | 'Maximize', open: (t: ATarget) => boolean, term: (i: number) => number) => {
        for (;;) {
          const todo = ts.map((t, i) => [t, i] as const).filter(([t]) => open(t));
          if (todo.length === 0) return;
          note(
            run(
              sense,
              todo.map(([, i]) => term(i)),
            ),
          );
          if (todo.every(([t]) => open(t))) return;
        }
      };
      batch(
        'Minimize',
        (t) => !lo.has(t.id),
        (i) => xCol[i]!,
      );
      batch(
        'Maximize',
        (t) => !hi.has(t.id),
        (i) => yCol[i]!,
      );
      ts.forEach((t, i) => {
        if (!lo.has(t.id)) {
          const r = run('Minimize', [xCol[i]!]);
          note(r);
          if (!lo.has(t.id)) lo.set(t.id, r.ObjectiveValue);
        }
        if (!hi.has(t.id)) {
          const r = run('Maximize', [yCol[i]!]);
          note(r);
          if (!hi.has(t.id)) hi.set(t.id, r.ObjectiveValue);
        }
        const l = lo.get(t.id)!;
        const u = hi.get(t.id)!;
        if (l > EPS || u < t.level - EPS) narrowed.push({ id: t.id, lo: l, hi: u, level: t.level });
      });
    } finally {
      model.dispose();
    }
  }
  return { narrowed, lps, components: compTargets.size };
}
