/**
 * How much would a native LP solver save? Solves LP files (CPLEX LP format, e.g. the components of
 * the independent attacker, written by `SPM_ATTACK_LP_DUMP=<dir>`: tests/privacy/lp-attacker.ts)
 * cold, once with HiGHS as spm runs it (npm `highs`, WebAssembly, loaded by `loadSolver` of
 * src/privacy/lp.ts) and once with CLP, COIN-OR's native dual simplex (Debian: `apt-get install
 * coinor-clp`), and prints both times and their ratio.
 * Each LP is solved three times by each (HiGHS after one untimed pass over all), the shortest counts;
 * both optima must agree.
 *
 * Run: `node dist/bench/solver-compare.js <dir> [--min-cols N]` (after `npm run build`).
 * Without `clp` on the PATH only HiGHS's times are printed.
 *
 * The two times are what each solver reports for its solve alone (HiGHS: `run()` after the model is
 * read; CLP: the time it prints, presolve included, measured by CLP in steps of 10 ms), not reading
 * the file or starting the process. CLP is another solver than HiGHS, so the ratio bounds what a
 * native build of HiGHS (not loadable on machines before GLIBC 2.38) would save only roughly.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSolver } from '../src/privacy/lp.js';
import { de, table } from './format.js';

const RUNS = 3;

export interface SolveTimes {
  file: string;
  cols: number;
  highsMs: number;
  highsObjective: number;
  clpMs: number | null;
  clpObjective: number | null;
}

function hasClp(): boolean {
  try {
    execFileSync('clp', ['-quit'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CLP's optimum and the time it reports for the solve (ms), from its output. */
export function parseClp(out: string): { objective: number; ms: number } | null {
  const m = /Optimal objective ([-+\d.eE]+) - \d+ iterations time ([\d.]+)/.exec(out);
  return m ? { objective: Number(m[1]), ms: Number(m[2]) * 1000 } : null;
}

export async function compareSolvers(dir: string, minCols = 0): Promise<SolveTimes[]> {
  const h = await loadSolver();
  const clp = hasClp();
  const out: SolveTimes[] = [];
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.lp'))
    .sort();
  // one untimed pass first: V8 compiles the WebAssembly in tiers, and the first solves run on the baseline code
  for (const f of files) {
    const model = h.createModel({ format: 'lp', data: readFileSync(join(dir, f), 'utf8') });
    try {
      model.options.set({ output_flag: false });
      model.run();
    } finally {
      model.dispose();
    }
  }
  for (const f of files) {
    const path = join(dir, f);
    const text = readFileSync(path, 'utf8');
    let highsMs = Number.POSITIVE_INFINITY;
    let highsObjective = Number.NaN;
    let cols = 0;
    for (let k = 0; k < RUNS; k++) {
      const model = h.createModel({ format: 'lp', data: text });
      try {
        model.options.set({ output_flag: false });
        cols = model.getDimensions().numCols;
        if (cols < minCols) break;
        const t = performance.now();
        const status = model.run().modelStatus;
        highsMs = Math.min(highsMs, performance.now() - t);
        if (status !== h.constants.modelStatus.optimal) throw new Error(`${f}: HiGHS model status ${status}`);
        highsObjective = model.getObjectiveValue();
      } finally {
        model.dispose();
      }
    }
    if (cols < minCols) continue;
    let clpMs: number | null = null;
    let clpObjective: number | null = null;
    if (clp)
      for (let k = 0; k < RUNS; k++) {
        const r = parseClp(execFileSync('clp', [path, '-dualS'], { encoding: 'utf8' }));
        if (!r) throw new Error(`${f}: CLP found no optimum`);
        clpMs = Math.min(clpMs ?? Number.POSITIVE_INFINITY, r.ms);
        clpObjective = r.objective;
      }
    if (clpObjective !== null && Math.abs(clpObjective - highsObjective) > 1e-6 * Math.max(1, Math.abs(highsObjective)))
      throw new Error(`${f}: optima differ (HiGHS ${highsObjective}, CLP ${clpObjective})`);
    out.push({ file: f, cols, highsMs, highsObjective, clpMs, clpObjective });
  }
  return out;
}

function main(argv: string[]): Promise<void> | void {
  const i = argv.indexOf('--min-cols');
  const minCols = i >= 0 ? Number(argv.splice(i, 2)[1]) : 0;
  const dir = argv[0];
  if (!dir || !Number.isInteger(minCols) || minCols < 0) {
    process.stderr.write('Aufruf: solver-compare <Ordner mit .lp-Dateien> [--min-cols N]\n');
    process.exitCode = 2;
    return;
  }
  return compareSolvers(resolve(dir), minCols).then((rows) => {
    const withClp = rows.filter((r) => r.clpMs !== null);
    const sum = (f: (r: SolveTimes) => number, rs = rows) => rs.reduce((s, r) => s + f(r), 0);
    const h = sum((r) => r.highsMs, withClp.length ? withClp : rows);
    process.stdout.write(
      `${de(rows.length)} LPs (ab ${de(minCols)} Spalten)${withClp.length ? ', gleiche Optima' : ''}; HiGHS (WebAssembly): ${de(Math.round(sum((r) => r.highsMs)))} ms` +
        (withClp.length
          ? `; CLP (nativ): ${de(Math.round(sum((r) => r.clpMs ?? 0, withClp)))} ms; HiGHS / CLP ${de(h / sum((r) => r.clpMs ?? 0, withClp), 2)}`
          : '; CLP nicht gefunden (apt-get install coinor-clp)') +
        '\n',
    );
    const top = [...rows].sort((a, b) => b.cols - a.cols).slice(0, 10);
    process.stdout.write(
      table(
        [
          ['LP', 'Spalten', 'HiGHS ms', 'CLP ms'],
          ...top.map((r) => [
            r.file,
            de(r.cols),
            de(Math.round(r.highsMs)),
            r.clpMs === null ? '–' : de(Math.round(r.clpMs)),
          ]),
        ],
        [0],
      ) + '\n',
    );
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  Promise.resolve(main(process.argv.slice(2))).catch((e: unknown) => {
    process.stderr.write(`solver-compare: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
