/**
 * `npm run bench`: spm compute against the full-job floor at several sizes.
 *
 *   npm run bench [-- --small] [-- --full] [-- --x4 | --all] [-- --rounds N] [-- --spm other/dist/cli/main.js]
 *   (or without a build: npx tsx bench/run.ts ...); without a size: --small and --full
 *
 * 1. generates bench/.work/nrw-small/, nrw/, nrw-x4/ unless the stamp says it is current
 * 2. per size, in separate child processes and alternating (A B A B ...):
 *    A `spm compute <project> --out <tmp> --json --quiet --no-charts` (stages and compute steps from its JSON)
 *    B the floor: bench/floor.ts, the same job as hand-written DuckDB SQL minus secondary suppression
 *    each under `/usr/bin/time -v` for CPU (user + sys) and the peak RSS
 * 3. checks spm's kennzahlen.parquet against the floor's (bench/check.ts): equal except where
 *    secondary suppression hides a value; a mismatch makes the run fail
 * 4. prints per size the paired ratios (median of the per-round ratios, wall and CPU), peak RSS,
 *    spm per stage and compute step, the floor per step, and the growth 1x -> 4x NRW; writes
 *    bench/.work/last-result.json
 *
 * Goal from the issue: <= 1.5x at every size, < 2 GiB at NRW size, 4x NRW without failure.
 * The benchmark reports timings; it never fails on them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultProjectDir,
  DEFAULT_SEED,
  ensureProject,
  FULL,
  REPO_ROOT,
  SMALL,
  WORK_DIR,
  wholeNumber,
  X4,
  type BenchSize,
} from './generate-nrw.js';
import { checkAgainstFloor, checkCsvOrder, type CheckResult, type CsvOrderResult } from './check.js';
import type { FloorResult } from './floor.js';
import { failureText, RunFailed } from './child-failure.js';
import { de, median, table } from './format.js';
import { growth, type SizeFigures } from './growth.js';

const GOAL_RATIO = 1.5;
const GOAL_RSS_MIB = 2048;

interface Options {
  sizes: BenchSize[];
  rounds: number;
  seed: number;
  force: boolean;
  keep: boolean;
  project?: string;
  /** Another spm build to time instead of this one (e.g. a copy of main's dist/cli/main.js). */
  spm?: string;
  /** Passed to spm compute as --memory-limit (DuckDB's limit; the floor keeps DuckDB's default). */
  memoryLimit?: string;
  /** A child process running longer than this is stopped and its size reported as failed (minutes). */
  timeoutMin?: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { sizes: [SMALL, FULL], rounds: 3, seed: DEFAULT_SEED, force: false, keep: false };
  let chosen: BenchSize[] | null = null;
  const pick = (s: BenchSize): void => {
    chosen = [...(chosen ?? []), s];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} erwartet einen Wert`);
      return v;
    };
    if (a === '--small') pick(SMALL);
    else if (a === '--full') pick(FULL);
    else if (a === '--x4') pick(X4);
    else if (a === '--all') chosen = [SMALL, FULL, X4];
    else if (a === '--rounds') o.rounds = Number(next());
    // the generator's own rule (a whole number from 0), so both commands take the same seeds
    else if (a === '--seed') o.seed = wholeNumber('--seed', next(), 0);
    else if (a === '--regenerate') o.force = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--no-charts')
      continue; // read by the chart part after main()
    else if (a === '--project') o.project = resolve(next());
    else if (a === '--spm') o.spm = resolve(next());
    else if (a === '--memory-limit') o.memoryLimit = next();
    else if (a === '--timeout') o.timeoutMin = Number(next());
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'bench/run: spm compute gegen einen handgeschriebenen DuckDB-Boden (ganzer Job) messen\n' +
          '  (ohne Größenangabe: --small und --full)\n' +
          '  --small          40 Kommunen / 500 Sozialräume / ~160.000 SEU-Zeilen\n' +
          '  --full           NRW-Größe: 396 Kommunen / 5.000 Sozialräume / ~1,6 Mio. SEU-Zeilen\n' +
          '  --x4             4x NRW: 990 Kommunen / 20.000 Sozialräume / ~6,4 Mio. SEU-Zeilen (dauert)\n' +
          '  --all            alle drei Größen, mit Wachstumsfaktor 1x -> 4x\n' +
          '  --rounds N       Runden A B je Größe (Vorgabe 3)\n' +
          '  --seed N         Seed des Generators (Vorgabe ' +
          DEFAULT_SEED +
          ')\n' +
          '  --regenerate     Projekt neu erzeugen, auch wenn der Stempel passt\n' +
          '  --project DIR    vorhandenes Projekt statt des erzeugten (muss die Form des Beispiels haben)\n' +
          '  --spm FILE       ein anderes spm (cli/main.js eines anderen Builds) messen, z. B. den Stand vorher\n' +
          '  --keep           Ausgaben der letzten Runde behalten\n' +
          '  --memory-limit X an spm compute weitergeben (DuckDB-Speichergrenze, z. B. 2GB)\n' +
          '  --timeout MIN    einen Lauf (spm oder Boden) nach MIN Minuten abbrechen; die Größe gilt als fehlgeschlagen\n' +
          '  --no-charts      den Diagramm-Teil (bench/charts.ts) danach auslassen\n',
      );
      process.exit(0);
    } else throw new Error(`unbekanntes Argument: ${a}`);
  }
  if (chosen) o.sizes = chosen;
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error('--rounds erwartet eine ganze Zahl >= 1');
  if (o.timeoutMin !== undefined && !(o.timeoutMin > 0)) throw new Error('--timeout erwartet Minuten > 0');
  return o;
}

// ---------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith('.ts');

/** Node command lines of spm and the floor: compiled (dist/) or, when run through tsx, from source. */
function commands(): { spm: string[]; floor: string[]; mode: string } {
  if (fromSource) {
    return {
      spm: [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts')],
      floor: [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'bench', 'floor.ts')],
      mode: 'tsx (aus den Quellen; Start enthält Transpilieren)',
    };
  }
  const spm = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  const floor = join(REPO_ROOT, 'dist', 'bench', 'floor.js');
  for (const f of [spm, floor])
    if (!existsSync(f)) throw new Error(`${relative(REPO_ROOT, f)} fehlt: zuerst npm run build`);
  return { spm: [process.execPath, spm], floor: [process.execPath, floor], mode: 'dist (kompiliert)' };
}

const GNU_TIME = '/usr/bin/time';
// GNU time: -v reports the maximum resident set size, -o keeps that report apart from the child's stderr
const haveTime = existsSync(GNU_TIME);

interface Measured {
  wall_ms: number;
  /** user + system CPU of the child and its threads (GNU time; NaN without it). */
  cpu_ms: number;
  peak_rss_mib: number;
  rss_method: string;
  stdout: string;
  stderr: string;
}

function readVmHwmKiB(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function measure(
  cmd: string[],
  label: string,
  timeoutMin?: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measured> {
  const timeFile = join(WORK_DIR, `.time-${process.pid}.txt`);
  rmSync(timeFile, { force: true });
  const argv = haveTime ? [GNU_TIME, '-v', '-o', timeFile, ...cmd] : cmd;
  const t0 = performance.now();
  // own process group: a timeout stops the measured process too, not only /usr/bin/time
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let polled = 0;
  const poll = haveTime
    ? null
    : setInterval(() => {
        const v = child.pid !== undefined ? readVmHwmKiB(child.pid) : null;
        if (v !== null) polled = Math.max(polled, v);
      }, 20);
  let timedOut = false;
  const timer =
    timeoutMin !== undefined
      ? setTimeout(() => {
          timedOut = true;
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        }, timeoutMin * 60_000)
      : null;
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c, s) => res([c, s]));
  });
  const wall = performance.now() - t0;
  if (poll) clearInterval(poll);
  if (timer) clearTimeout(timer);
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = Buffer.concat(err).toString('utf8');
  if (code !== 0 || timedOut) {
    rmSync(timeFile, { force: true });
    throw new RunFailed(failureText(label, code, signal, timedOut ? timeoutMin! : null, stderr));
  }
  let rssKiB = polled;
  let method = 'VmHWM (Abfrage alle 20 ms)';
  let cpu = NaN;
  if (haveTime) {
    const text = readFileSync(timeFile, 'utf8');
    const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text);
    const user = /User time \(seconds\):\s*([\d.]+)/.exec(text);
    const sys = /System time \(seconds\):\s*([\d.]+)/.exec(text);
    rmSync(timeFile, { force: true });
    rssKiB = m ? Number(m[1]) : 0;
    cpu = user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : NaN;
    method = '/usr/bin/time -v (maxrss, user+sys)';
  }
  return { wall_ms: wall, cpu_ms: cpu, peak_rss_mib: rssKiB / 1024, rss_method: method, stdout, stderr };
}

// ---------------------------------------------------------------------------------------
// Statistics and printing
// ---------------------------------------------------------------------------------------

const sec = (ms: number): string => de(ms / 1000, 2) + ' s';

interface SpmJson {
  timings_ms: Record<'config' | 'ingest' | 'compile' | 'compute' | 'export' | 'total', number>;
  sources: { source: string; rows_read: number; rows_loaded: number; rows_rejected: number }[];
  results: {
    indicators: number;
    rows: number;
    steps_ms?: Record<string, number>;
    masks: { primary: number; secondary: number; input: number };
  };
  outputs: { file: string; rows?: number }[];
}

interface Round {
  round: number;
  spm: {
    wall_ms: number;
    cpu_ms: number;
    peak_rss_mib: number;
    timings_ms: SpmJson['timings_ms'];
    steps_ms: Record<string, number>;
  };
  /** null: the floor did not complete (see SizeResult.floor_failed); its ratios are NaN. */
  floor: { wall_ms: number; cpu_ms: number; peak_rss_mib: number; timings_ms: FloorResult['timings_ms'] } | null;
  ratio_wall: number;
  ratio_cpu: number;
}

interface SizeResult {
  size: BenchSize;
  project: string;
  seu_rows: number | null;
  rows_read: number;
  result_rows: number;
  rounds: Round[];
  median: {
    spm_wall_ms: number;
    floor_wall_ms: number;
    spm_cpu_ms: number;
    floor_cpu_ms: number;
    ratio_wall: number;
    ratio_cpu: number;
  };
  peak_rss_mib: { spm: number; floor: number };
  spm_stages_ms: Record<string, number>;
  spm_compute_steps_ms: Record<string, number>;
  floor_stages_ms: Record<string, number>;
  masks: SpmJson['results']['masks'];
  /** The protection pass (compute.suppression, median wall ms) and its share of spm's internal total. */
  protection: { ms: number; share: number };
  /** null when the floor did not complete: nothing to compare with. */
  check: CheckResult | null;
  /** spm's kennzahlen.csv against its kennzahlen.parquet, row by row (null: not written). */
  csv_order: CsvOrderResult | null;
  /** Why the floor did not complete (spm's figures are reported all the same). */
  floor_failed?: string;
}

function duckdbPackageVersion(): string {
  try {
    const req = createRequire(join(REPO_ROOT, 'package.json'));
    const pkg = JSON.parse(readFileSync(req.resolve('@duckdb/node-api/package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '?';
  }
}

const STAGES = ['config', 'ingest', 'compile', 'compute', 'export'] as const;
const STEPS = [
  'setup',
  'aggregate',
  'rollup',
  'pool',
  'results',
  'suppression',
  'intervals',
  'trend',
  'comparisons',
  'publish',
] as const;
const FLOOR_STAGES = ['config', 'read_aggregate', 'cells', 'results', 'stats', 'export'] as const;

async function benchSize(
  size: BenchSize,
  opts: Options,
  cmds: { spm: string[]; floor: string[] },
  say: (s?: string) => void,
): Promise<SizeResult> {
  let projectDir: string;
  let seuRows: number | null = null;
  if (opts.project) projectDir = opts.project;
  else {
    projectDir = defaultProjectDir(size);
    process.stdout.write(`Projekt ${relative(REPO_ROOT, projectDir)} prüfen/erzeugen ...\n`);
    const g = ensureProject(projectDir, size, opts.seed, opts.force);
    seuRows = g.seuRows;
  }
  const spmOut = join(WORK_DIR, `out-spm-${size.name}`);
  const floorOut = join(WORK_DIR, `out-floor-${size.name}`);
  const rounds: Round[] = [];
  let lastSpm: SpmJson | null = null;
  let lastFloor: FloorResult | null = null;
  let floorFailed: string | undefined;
  for (let r = 1; r <= opts.rounds; r++) {
    process.stdout.write(`${size.name} Runde ${r}/${opts.rounds}: spm compute ... `);
    rmSync(spmOut, { recursive: true, force: true });
    // charts are timed separately (bench/charts.ts); the floor renders none either.
    // --no-cache: every round is a cold run (the protection cache would skip the pass from round 2)
    const a = await measure(
      [
        ...cmds.spm,
        'compute',
        projectDir,
        '--out',
        spmOut,
        '--json',
        '--quiet',
        '--no-charts',
        '--no-cache',
        ...(opts.memoryLimit ? ['--memory-limit', opts.memoryLimit] : []),
      ],
      'spm compute',
      opts.timeoutMin,
      // names on stderr an SQL step that ran out of memory and was repeated under 80 % of RAM
      { ...process.env, SPM_MEMORY_DEBUG: '1' },
    );
    const spmJson = JSON.parse(a.stdout) as SpmJson;
    writeFileSync(join(WORK_DIR, `spm-stderr-${size.name}.txt`), a.stderr);
    const fellBack = [...a.stderr.matchAll(/^memory: (.+?) ran out of memory under the limit/gm)].map((m) => m[1]);
    process.stdout.write(`(Rückfall auf 80 % RAM: ${fellBack.length > 0 ? fellBack.join(', ') : 'keiner'}) `);
    lastSpm = spmJson;
    // a floor that does not complete (it keeps DuckDB's default memory limit) does not hide spm's figures
    let b: Measured | null = null;
    if (floorFailed === undefined) {
      process.stdout.write(`${sec(a.wall_ms)} (CPU ${sec(a.cpu_ms)}); Boden ... `);
      try {
        b = await measure([...cmds.floor, projectDir, floorOut], 'Boden', opts.timeoutMin);
      } catch (e) {
        if (!(e instanceof RunFailed)) throw e;
        floorFailed = e.message;
      }
      process.stdout.write(b ? `${sec(b.wall_ms)} (CPU ${sec(b.cpu_ms)})\n` : 'FEHLGESCHLAGEN\n');
    } else process.stdout.write(`${sec(a.wall_ms)} (CPU ${sec(a.cpu_ms)}); Boden übersprungen (fehlgeschlagen)\n`);
    const floorJson = b ? (JSON.parse(b.stdout) as FloorResult) : null;
    if (floorJson) lastFloor = floorJson;
    rounds.push({
      round: r,
      spm: {
        wall_ms: a.wall_ms,
        cpu_ms: a.cpu_ms,
        peak_rss_mib: a.peak_rss_mib,
        timings_ms: spmJson.timings_ms,
        steps_ms: spmJson.results.steps_ms ?? {},
      },
      floor:
        b && floorJson
          ? { wall_ms: b.wall_ms, cpu_ms: b.cpu_ms, peak_rss_mib: b.peak_rss_mib, timings_ms: floorJson.timings_ms }
          : null,
      ratio_wall: b ? a.wall_ms / b.wall_ms : NaN,
      ratio_cpu: b ? a.cpu_ms / b.cpu_ms : NaN,
    });
  }
  let check: CheckResult | null = null;
  if (lastFloor && floorFailed === undefined) {
    process.stdout.write(`${size.name}: Abgleich spm <-> Boden ...\n`);
    check = await checkAgainstFloor(join(spmOut, 'kennzahlen.parquet'), join(floorOut, 'kennzahlen.parquet'));
  }
  const csvOrder = existsSync(join(spmOut, 'kennzahlen.csv'))
    ? await checkCsvOrder(join(spmOut, 'kennzahlen.csv'), join(spmOut, 'kennzahlen.parquet'))
    : null;
  if (!opts.keep) {
    rmSync(spmOut, { recursive: true, force: true });
    rmSync(floorOut, { recursive: true, force: true });
  }
  const spm = lastSpm!;
  const med = (f: (x: Round) => number): number => median(rounds.map(f));
  const res: SizeResult = {
    size,
    project: relative(REPO_ROOT, projectDir),
    seu_rows: seuRows,
    rows_read: spm.sources.reduce((s, x) => s + x.rows_read, 0),
    result_rows: spm.results.rows,
    rounds,
    median: {
      spm_wall_ms: med((x) => x.spm.wall_ms),
      floor_wall_ms: med((x) => x.floor?.wall_ms ?? NaN),
      spm_cpu_ms: med((x) => x.spm.cpu_ms),
      floor_cpu_ms: med((x) => x.floor?.cpu_ms ?? NaN),
      ratio_wall: med((x) => x.ratio_wall),
      ratio_cpu: med((x) => x.ratio_cpu),
    },
    peak_rss_mib: {
      spm: Math.max(...rounds.map((x) => x.spm.peak_rss_mib)),
      floor: Math.max(...rounds.map((x) => x.floor?.peak_rss_mib ?? NaN)),
    },
    spm_stages_ms: Object.fromEntries(
      [...STAGES, 'total'].map((k) => [k, med((x) => x.spm.timings_ms[k as keyof SpmJson['timings_ms']])]),
    ),
    spm_compute_steps_ms: Object.fromEntries(STEPS.map((k) => [k, med((x) => x.spm.steps_ms[k] ?? NaN)])),
    floor_stages_ms: Object.fromEntries(
      [...FLOOR_STAGES, 'total'].map((k) => [
        k,
        med((x) => x.floor?.timings_ms[k as keyof FloorResult['timings_ms']] ?? NaN),
      ]),
    ),
    masks: spm.results.masks,
    protection: { ms: NaN, share: NaN },
    check,
    csv_order: csvOrder,
    ...(floorFailed !== undefined ? { floor_failed: floorFailed } : {}),
  };
  res.protection.ms = res.spm_compute_steps_ms.suppression ?? NaN;
  res.protection.share = res.protection.ms / res.spm_stages_ms.total!;

  say('');
  say(
    `== ${size.name}: ${de(size.kommunen)} Kommunen, ${de(size.sozialraeume)} Sozialräume, ${de(res.rows_read)} Eingabezeilen (SEU ${de(seuRows ?? NaN)}), ${de(res.result_rows)} Ergebniszeilen, ${de(spm.results.indicators)} Kennzahlen`,
  );
  say(
    table([
      ['Runde', 'spm Wand', 'Boden Wand', 'Wand x', 'spm CPU', 'Boden CPU', 'CPU x', 'spm RSS', 'Boden RSS'],
      ...rounds.map((x) => [
        String(x.round),
        sec(x.spm.wall_ms),
        x.floor ? sec(x.floor.wall_ms) : '-',
        de(x.ratio_wall, 2) + 'x',
        sec(x.spm.cpu_ms),
        x.floor ? sec(x.floor.cpu_ms) : '-',
        de(x.ratio_cpu, 2) + 'x',
        de(x.spm.peak_rss_mib) + ' MiB',
        x.floor ? de(x.floor.peak_rss_mib) + ' MiB' : '-',
      ]),
      [
        'Median',
        sec(res.median.spm_wall_ms),
        sec(res.median.floor_wall_ms),
        de(res.median.ratio_wall, 2) + 'x',
        sec(res.median.spm_cpu_ms),
        sec(res.median.floor_cpu_ms),
        de(res.median.ratio_cpu, 2) + 'x',
        de(res.peak_rss_mib.spm) + ' MiB (max)',
        de(res.peak_rss_mib.floor) + ' MiB (max)',
      ],
    ]),
  );
  say('(Wand x / CPU x: Median der Verhältnisse je Rundenpaar)');
  say('');
  const spmTotal = res.spm_stages_ms.total!;
  say('spm je Stufe (Median, ms)            Boden je Schritt (Median, ms)');
  const left = [
    ...STAGES.map((k) => [k, de(res.spm_stages_ms[k]!), de((100 * res.spm_stages_ms[k]!) / spmTotal, 1) + ' %']),
    ...STEPS.map((k) => [
      `  compute.${k}`,
      de(res.spm_compute_steps_ms[k]!),
      de((100 * res.spm_compute_steps_ms[k]!) / spmTotal, 1) + ' %',
    ]),
    ['total (intern)', de(spmTotal), '100,0 %'],
    ['Prozess (Start/Ende)', de(res.median.spm_wall_ms - spmTotal), ''],
  ];
  const right = [
    ...FLOOR_STAGES.map((k) => [k, de(res.floor_stages_ms[k]!)]),
    ['total (intern)', de(res.floor_stages_ms.total!)],
    ['Prozess (Start/Ende)', de(res.median.floor_wall_ms - res.floor_stages_ms.total!)],
  ];
  const rows = Array.from({ length: Math.max(left.length, right.length) }, (_, i) => [
    ...(left[i] ?? ['', '', '']),
    '  ',
    ...(right[i] ?? ['', '']),
  ]);
  say(table([['Stufe', 'ms', 'Anteil', '  ', 'Schritt', 'ms'], ...rows], [0, 3, 4]));
  say(
    `Geheimhaltung: ${de(res.masks.primary)} primär, ${de(res.masks.secondary)} sekundär, ${de(res.masks.input)} Quelle (gesperrte Messzellen); Sekundärsperrung in compute.suppression`,
  );
  // issue #11: the protection pass (secondary suppression + LP audit + covers) must stay a minor part of the run
  say(
    `Schutzpass (Sekundärsperrung, LP-Prüfung, Deckungszellen): ${de(res.protection.ms)} ms = ` +
      `${de(100 * res.protection.share, 1)} % des Laufs (intern, Wanduhr); ohne ihn ${sec(spmTotal - res.protection.ms)} ` +
      `gegen ${sec(res.floor_stages_ms.total!)} des Bodens (${de((spmTotal - res.protection.ms) / res.floor_stages_ms.total!, 2)}x)`,
  );
  const c = check;
  if (c) {
    say(
      `Abgleich mit dem Boden: ${de(c.rows_spm)} / ${de(c.rows_floor)} Zeilen (${de(c.rows_unmatched)} ohne Partner), ${de(c.compared)} Werte: ` +
        `${de(c.equal)} gleich, ${de(c.hidden_by_secondary)} nur von spm durch Sekundärsperrung verborgen, ${de(c.mismatches)} Abweichungen` +
        (c.mismatches === 0 && c.rows_unmatched === 0 ? ' - ok' : ' - FEHLER'),
    );
    for (const e of c.examples) say(`  ${e}`);
  }
  if (csvOrder)
    say(
      `Reihenfolge von spms kennzahlen.csv gegen kennzahlen.parquet: ${de(csvOrder.rows)} Zeilen, ${de(csvOrder.misplaced)} an anderer Stelle` +
        (csvOrder.misplaced === 0 ? ' - ok' : ' - FEHLER'),
    );
  if (floorFailed !== undefined) {
    say('BODEN FEHLGESCHLAGEN: keine Verhältnisse und kein Abgleich für diese Größe; spm lief durch');
    say(floorFailed);
  }
  return res;
}

/** A size's figures for the growth factor. */
function figures(r: SizeResult): SizeFigures {
  return {
    rows_read: r.rows_read,
    result_rows: r.result_rows,
    spm_wall_ms: r.median.spm_wall_ms,
    spm_cpu_ms: r.median.spm_cpu_ms,
    floor_wall_ms: r.median.floor_wall_ms,
    floor_cpu_ms: r.median.floor_cpu_ms,
    spm_peak_rss_mib: r.peak_rss_mib.spm,
    spm_stages_ms: {
      ...r.spm_stages_ms,
      ...Object.fromEntries(Object.entries(r.spm_compute_steps_ms).map(([k, v]) => [`compute.${k}`, v])),
    },
  };
}

/** Where the last completed result of a size is kept (the growth factor of a later `--x4` run reads NRW's). */
const sizeResultFile = (name: string): string => join(WORK_DIR, `result-${name}.json`);

interface StoredSize {
  date: string;
  spm: string;
  load_1min_before: number;
  result: SizeResult;
}

function storeSizeResult(r: SizeResult, spm: string, load: number): void {
  const stored: StoredSize = { date: new Date().toISOString(), spm, load_1min_before: load, result: r };
  writeFileSync(sizeResultFile(r.size.name), JSON.stringify(stored, null, 2) + '\n');
}

function storedSizeResult(name: string): StoredSize | null {
  try {
    return JSON.parse(readFileSync(sizeResultFile(name), 'utf8')) as StoredSize;
  } catch {
    return null;
  }
}

/**
 * The growth 1x -> 4x NRW: from this run, or with NRW's figures from its last completed run
 * (`result-full.json`, named with its date) when only 4x ran now; or why there is none.
 */
function growthLines(results: readonly SizeResult[], failures: readonly { size: string }[]): string[] {
  const four = results.find((r) => r.size.name === 'x4');
  if (!four) {
    if (failures.some((f) => f.size === 'x4'))
      return ['Wachstum 1x -> 4x: keiner, weil 4x NRW nicht durchlief (siehe FEHLGESCHLAGEN oben)'];
    return [];
  }
  let one = results.find((r) => r.size.name === 'full');
  let source = 'NRW aus diesem Lauf';
  if (!one) {
    const stored = storedSizeResult('full');
    if (!stored) return ['Wachstum 1x -> 4x: keiner, kein NRW-Ergebnis (einmal mit --full laufen lassen)'];
    one = stored.result;
    source = `NRW aus ${relative(REPO_ROOT, sizeResultFile('full'))} vom ${stored.date} (spm: ${stored.spm}, Last ${de(stored.load_1min_before, 2)})`;
  }
  const g = growth(figures(one), figures(four));
  const value = (v: number, unit: string): string => (unit === 'ms' ? sec(v) : `${de(v)} MiB`);
  return [
    '',
    `Wachstum 1x -> 4x NRW (${source}):`,
    `  Eingabezeilen ${de(one.rows_read)} -> ${de(four.rows_read)} = ${de(g.rows_factor, 2)}x, ` +
      `Ergebniszeilen ${de(g.result_rows_factor, 2)}x`,
    table(
      [
        ['', '1x', '4x', 'Faktor', 'je Eingabezeile (1,00 = linear)'],
        ...g.items.map((i) => [
          `  ${i.what}`,
          value(i.one, i.unit),
          value(i.four, i.unit),
          `${de(i.factor, 2)}x`,
          `${de(i.per_row, 2)}x`,
        ]),
      ],
      [0],
    ),
    `  spm gegen den Boden (Wachstum spm / Wachstum Boden, hebt eine Drift der Maschine zwischen den Läufen auf; ` +
      `1,00 = wie der Boden, der linear in den Zeilen wächst): Wand ${de(g.vs_floor.wall, 2)}x, CPU ${de(g.vs_floor.cpu, 2)}x`,
  ];
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const cmds = commands();
  if (opts.spm) cmds.spm = [process.execPath, opts.spm];
  const loadBefore = os.loadavg()[0]!;
  mkdirSync(WORK_DIR, { recursive: true });
  const out: string[] = [];
  const say = (s = ''): void => {
    out.push(s);
    process.stdout.write(s + '\n');
  };
  const cpus = os.cpus();
  say(
    `spm Benchmark: ganzer Job (spm compute --no-charts) gegen den vollen Boden (bench/floor.ts), je Runde A B im Wechsel`,
  );
  say(
    `Maschine: ${cpus.length} Kerne (${cpus[0]?.model.trim() ?? '?'}), ${de(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
  );
  say(`          Node ${process.version}, @duckdb/node-api ${duckdbPackageVersion()}; spm: ${opts.spm ?? cmds.mode}`);
  say(
    `Last:     ${de(loadBefore, 2)} vor Start (1-Minuten-Mittel)${loadBefore > 0.5 ? ' - andere Prozesse laufen: nur die Verhältnisse je Rundenpaar sind aussagekräftig' : ''}`,
  );
  const results: SizeResult[] = [];
  // a size that fails (e.g. out of memory at 4x NRW) is reported and the other sizes still run
  const failures: { size: string; error: string }[] = [];
  let failed = false;
  for (const size of opts.sizes) {
    let r: SizeResult;
    try {
      r = await benchSize(size, opts, cmds, say);
    } catch (e) {
      // a child that did not complete is reported in words; anything else is a bug of the bench
      if (!(e instanceof RunFailed)) throw e;
      failures.push({ size: size.name, error: e.message });
      say('');
      say(`== ${size.name}: FEHLGESCHLAGEN`);
      say(e.message);
      failed = true;
      continue;
    }
    results.push(r);
    storeSizeResult(r, opts.spm ?? cmds.mode, loadBefore);
    if (!r.check || r.check.mismatches > 0 || r.check.rows_unmatched > 0) failed = true;
    if (r.csv_order && r.csv_order.misplaced > 0) failed = true;
  }
  say('');
  say(`Ziel: spm/Boden <= ${de(GOAL_RATIO, 1)}x bei jeder Größe; Spitzen-RSS < ${de(GOAL_RSS_MIB)} MiB bei NRW-Größe`);
  for (const r of results) {
    const ok = r.median.ratio_wall <= GOAL_RATIO && r.median.ratio_cpu <= GOAL_RATIO;
    const verdict =
      r.floor_failed !== undefined ? 'kein Verhältnis (Boden fehlgeschlagen)' : ok ? 'erreicht' : 'NICHT erreicht';
    say(
      `  ${r.size.name.padEnd(6)} Wand ${de(r.median.ratio_wall, 2)}x, CPU ${de(r.median.ratio_cpu, 2)}x: ${verdict}; ` +
        `RSS ${de(r.peak_rss_mib.spm)} MiB${r.size.name === 'full' ? (r.peak_rss_mib.spm < GOAL_RSS_MIB ? ' (erreicht)' : ' (NICHT erreicht)') : ''}; ` +
        `Schutzpass ${de(100 * r.protection.share, 1)} % des Laufs`,
    );
  }
  for (const f of failures) say(`  ${f.size.padEnd(6)} FEHLGESCHLAGEN (Ziel für 4x NRW: ohne Fehler durchlaufen)`);
  for (const line of growthLines(results, failures)) say(line);
  const file = join(WORK_DIR, 'last-result.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        spm: opts.spm ?? cmds.mode,
        load_1min_before: loadBefore,
        rss_method: haveTime ? 'GNU time' : 'VmHWM',
        results,
        failures,
        printed: out.join('\n'),
      },
      null,
      2,
    ) + '\n',
  );
  say(`Ergebnis: ${relative(REPO_ROOT, file)} (${de(statSync(file).size / 1024, 1)} KiB)`);
  if (failed) throw new Error('Lauf oder Abgleich mit dem Boden fehlgeschlagen (siehe oben)');
}

main()
  .then(() => {
    // Second part: chart rendering vs one vl2svg process per chart (bench/charts.ts).
    if (process.argv.includes('--no-charts')) return;
    const charts = join(dirname(fileURLToPath(import.meta.url)), `charts${extname(fileURLToPath(import.meta.url))}`);
    const args = ['--n', '24', '--peer', '8'];
    const execArgv = charts.endsWith('.ts') ? ['--import', 'tsx'] : [];
    spawnSync(process.execPath, [...execArgv, charts, ...args], { stdio: 'inherit' });
  })
  .catch((e: unknown) => {
    process.stderr.write(`bench: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  });
