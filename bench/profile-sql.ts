/**
 * Where does `spm compute` spend its time? Runs computeRun in-process with the DuckDB
 * connection methods wrapped, and prints the time per SQL statement kind (statements
 * grouped by their first words, parameters aside) next to the stage timings.
 *
 * Run: `node dist/bench/profile-sql.js [project] [--top N]` (default project: bench/.work/nrw)
 *      or `npx tsx bench/profile-sql.ts ...`. For JS hot spots add `node --cpu-prof`.
 *
 * Time of `stream` covers the query start only; consuming the stream (CSV export) is JS time
 * and shows up in the stage timing, not here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBConnection } from '@duckdb/node-api';
import { computeRun } from '../src/run/compute-run.js';
import { WORK_DIR } from './generate-nrw.js';

interface Stat {
  n: number;
  ms: number;
  max: number;
  example: string;
}

function kindOf(sql: string): string {
  const s = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // INSERT INTO spm_cells WITH m AS (...) differ by measure: keep the head and the main FROM
  const head = s.slice(0, 60);
  const from =
    /\bFROM (spm_cells c JOIN areas_sozialraum|spm_cells c WHERE|grid g LEFT JOIN m|spm_cells WHERE|s LEFT JOIN areas_kommune|spm_results)/.exec(
      s,
    );
  return from ? `${head} … ${from[1]}` : head;
}

export async function profileSql(project: string, top = 25): Promise<void> {
  const stats = new Map<string, Stat>();
  const record = (sql: string, ms: number): void => {
    const k = kindOf(sql);
    const s = stats.get(k) ?? { n: 0, ms: 0, max: 0, example: sql };
    s.n++;
    s.ms += ms;
    s.max = Math.max(s.max, ms);
    stats.set(k, s);
  };
  const proto = DuckDBConnection.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const m of ['run', 'runAndReadAll', 'stream'] as const) {
    const orig = proto[m]!;
    proto[m] = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      const t = performance.now();
      try {
        return await orig.apply(this, args);
      } finally {
        record(String(args[0]), performance.now() - t);
      }
    };
  }
  const out = mkdtempSync(join(WORK_DIR, 'profile-'));
  try {
    const t0 = performance.now();
    const r = await computeRun(project, { out, charts: [], cache: false });
    const wall = performance.now() - t0;
    const peak = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(
      `stages (ms): ${JSON.stringify(r.timings_ms)}; wall ${Math.round(wall)} ms; peak RSS ${Math.round(peak)} MiB\n`,
    );
    process.stdout.write(`compute steps (ms): ${JSON.stringify(r.results.steps_ms)}\n`);
    const all = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const sqlTotal = all.reduce((s, [, v]) => s + v.ms, 0);
    process.stdout.write(
      `SQL time ${Math.round(sqlTotal)} ms in ${all.reduce((s, [, v]) => s + v.n, 0)} statements; top ${top}:\n`,
    );
    for (const [k, v] of all.slice(0, top))
      process.stdout.write(
        `${String(Math.round(v.ms)).padStart(8)} ms ${String(v.n).padStart(5)}x  max ${String(Math.round(v.max)).padStart(6)}  ${k}\n`,
      );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const ti = argv.indexOf('--top');
  const top = ti >= 0 ? Number(argv.splice(ti, 2)[1]) : 25;
  profileSql(resolve(argv[0] ?? join(WORK_DIR, 'nrw')), top).catch((e: unknown) => {
    process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
    process.exitCode = 1;
  });
}
