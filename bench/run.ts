/**
 * `npm run bench`: NRW-sized synthetic project, `spm compute` against the floor.
 *
 *   npm run build && npm run bench [-- --small] [-- --rounds N]
 *   (or without a build: npx tsx bench/run.ts [--small] [--rounds N])
 *
 * 1. generates bench/.work/nrw/ (or nrw-small/) unless its stamp says it is current
 * 2. runs, in separate child processes and alternating (A B A B ...):
 *    A `spm compute <project> --out <tmp> --json --quiet` (stage timings, rows from its JSON)
 *    B the floor: bench/floor.ts, plain DuckDB read_csv + the same GROUP BYs
 *    each under `/usr/bin/time -v` for the peak RSS (else polling /proc/<pid>/status VmHWM)
 * 3. prints medians, the pairwise median ratio spm/floor, per-stage times, peak RSS,
 *    rows and rows/second, and writes bench/.work/last-result.json
 *
 * Goal from the issue: spm within 1.5x of the floor and under 2 GiB peak memory. The
 * benchmark reports; it never fails on timings (exit code 0 unless a run itself fails).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultProjectDir, DEFAULT_SEED, ensureProject, FULL, REPO_ROOT, SMALL, WORK_DIR, type BenchSize } from './generate-nrw.js';
import type { FloorResult } from './floor.js';

const GOAL_RATIO = 1.5;
const GOAL_RSS_MIB = 2048;

interface Options {
  size: BenchSize;
  rounds: number;
  seed: number;
  force: boolean;
  keep: boolean;
  project?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { size: FULL, rounds: 3, seed: DEFAULT_SEED, force: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} erwartet einen Wert`);
      return v;
    };
    if (a === '--small') o.size = SMALL;
    else if (a === '--full') o.size = FULL;
    else if (a === '--rounds') o.rounds = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--regenerate') o.force = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--no-charts') continue; // read by the chart part after main()
    else if (a === '--project') o.project = resolve(next());
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'bench/run: spm compute gegen einen handgeschriebenen DuckDB-Boden messen\n' +
          '  --small          40 Kommunen / 500 Sozialräume / ~160.000 SEU-Zeilen statt NRW-Größe\n' +
          '  --rounds N       Runden A B (Vorgabe 3)\n' +
          '  --seed N         Seed des Generators (Vorgabe ' + DEFAULT_SEED + ')\n' +
          '  --regenerate     Projekt neu erzeugen, auch wenn der Stempel passt\n' +
          '  --project DIR    vorhandenes Projekt statt des erzeugten (muss die Form des Beispiels haben)\n' +
          '  --keep           Ausgaben der letzten Runde behalten\n',
      );
      process.exit(0);
    } else throw new Error(`unbekanntes Argument: ${a}`);
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error('--rounds erwartet eine ganze Zahl >= 1');
  if (!Number.isInteger(o.seed)) throw new Error('--seed erwartet eine ganze Zahl');
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
  for (const f of [spm, floor]) if (!existsSync(f)) throw new Error(`${relative(REPO_ROOT, f)} fehlt: zuerst npm run build`);
  return { spm: [process.execPath, spm], floor: [process.execPath, floor], mode: 'dist (kompiliert)' };
}

const GNU_TIME = '/usr/bin/time';
// GNU time: -v reports the maximum resident set size, -o keeps that report apart from the child's stderr
const haveTime = existsSync(GNU_TIME);

interface Measured {
  wall_ms: number;
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

async function measure(cmd: string[], label: string): Promise<Measured> {
  const timeFile = join(WORK_DIR, `.time-${process.pid}.txt`);
  rmSync(timeFile, { force: true });
  const argv = haveTime ? [GNU_TIME, '-v', '-o', timeFile, ...cmd] : cmd;
  const t0 = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const code = await new Promise<number | null>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c) => res(c));
  });
  const wall = performance.now() - t0;
  if (poll) clearInterval(poll);
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = Buffer.concat(err).toString('utf8');
  if (code !== 0) throw new Error(`${label} endete mit Code ${code}:\n${stderr.slice(-4000)}`);
  let rssKiB = polled;
  let method = 'VmHWM (Abfrage alle 20 ms)';
  if (haveTime) {
    const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(readFileSync(timeFile, 'utf8'));
    rmSync(timeFile, { force: true });
    rssKiB = m ? Number(m[1]) : 0;
    method = '/usr/bin/time -v (maxrss)';
  }
  return { wall_ms: wall, peak_rss_mib: rssKiB / 1024, rss_method: method, stdout, stderr };
}

// ---------------------------------------------------------------------------------------
// Statistics and printing
// ---------------------------------------------------------------------------------------

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

const de = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';
const sec = (ms: number): string => de(ms / 1000, 2) + ' s';

function table(rows: string[][], alignLeft: number[] = [0]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (alignLeft.includes(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ').trimEnd())
    .join('\n');
}

interface SpmJson {
  timings_ms: Record<'config' | 'ingest' | 'compile' | 'compute' | 'export' | 'total', number>;
  sources: { source: string; rows_read: number; rows_loaded: number; rows_rejected: number }[];
  results: { indicators: number; rows: number };
  outputs: { file: string; rows?: number }[];
}

interface Round {
  round: number;
  spm: { wall_ms: number; peak_rss_mib: number; timings_ms: SpmJson['timings_ms'] };
  floor: { wall_ms: number; peak_rss_mib: number; timings_ms: FloorResult['timings_ms'] };
  ratio: number;
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

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const cmds = commands();
  const loadBefore = os.loadavg()[0]!;
  mkdirSync(WORK_DIR, { recursive: true });
  const out: string[] = [];
  const say = (s = ''): void => {
    out.push(s);
    process.stdout.write(s + '\n');
  };

  // 1. project
  let projectDir: string;
  let gen: { regenerated: boolean; ms: number; seuRows: number; kommunen: number; sozialraeume: number; bytes: number } | null = null;
  if (opts.project) projectDir = opts.project;
  else {
    projectDir = defaultProjectDir(opts.size);
    process.stdout.write(`Projekt ${relative(REPO_ROOT, projectDir)} prüfen/erzeugen ...\n`);
    const g = ensureProject(projectDir, opts.size, opts.seed, opts.force);
    gen = {
      regenerated: g.regenerated,
      ms: g.ms,
      seuRows: g.seuRows,
      kommunen: g.kommunen,
      sozialraeume: g.sozialraeume,
      bytes: Object.values(g.files).reduce((s, b) => s + b, 0),
    };
  }
  const spmOut = join(WORK_DIR, 'out-spm');
  const floorOut = join(WORK_DIR, 'out-floor');
  mkdirSync(floorOut, { recursive: true });
  const floorFile = join(floorOut, 'ergebnis.parquet');

  // 2. rounds: A (spm) B (floor) alternating
  const rounds: Round[] = [];
  let lastSpm: SpmJson | null = null;
  let lastFloor: FloorResult | null = null;
  let rssMethod = '';
  for (let r = 1; r <= opts.rounds; r++) {
    process.stdout.write(`Runde ${r}/${opts.rounds}: spm compute ... `);
    rmSync(spmOut, { recursive: true, force: true });
    // charts are timed separately (bench/charts.ts); the floor renders none either
    const a = await measure([...cmds.spm, 'compute', projectDir, '--out', spmOut, '--json', '--quiet', '--no-charts'], 'spm compute');
    const spmJson = JSON.parse(a.stdout) as SpmJson;
    process.stdout.write(`${sec(a.wall_ms)}; Boden ... `);
    const b = await measure([...cmds.floor, projectDir, floorFile], 'floor');
    const floorJson = JSON.parse(b.stdout) as FloorResult;
    process.stdout.write(`${sec(b.wall_ms)}\n`);
    rssMethod = a.rss_method;
    lastSpm = spmJson;
    lastFloor = floorJson;
    rounds.push({
      round: r,
      spm: { wall_ms: a.wall_ms, peak_rss_mib: a.peak_rss_mib, timings_ms: spmJson.timings_ms },
      floor: { wall_ms: b.wall_ms, peak_rss_mib: b.peak_rss_mib, timings_ms: floorJson.timings_ms },
      ratio: a.wall_ms / b.wall_ms,
    });
  }
  if (!opts.keep) {
    rmSync(spmOut, { recursive: true, force: true });
    rmSync(floorOut, { recursive: true, force: true });
  }
  const spm = lastSpm!;
  const floor = lastFloor!;

  // 3. report
  const spmWall = median(rounds.map((x) => x.spm.wall_ms));
  const floorWall = median(rounds.map((x) => x.floor.wall_ms));
  const ratio = median(rounds.map((x) => x.ratio));
  const spmRss = Math.max(...rounds.map((x) => x.spm.peak_rss_mib));
  const floorRss = Math.max(...rounds.map((x) => x.floor.peak_rss_mib));
  const stage = (k: keyof SpmJson['timings_ms']): number => median(rounds.map((x) => x.spm.timings_ms[k]));
  const fstage = (k: keyof FloorResult['timings_ms']): number => median(rounds.map((x) => x.floor.timings_ms[k]));
  const rowsRead = spm.sources.reduce((s, x) => s + x.rows_read, 0);
  const rowsLoaded = spm.sources.reduce((s, x) => s + x.rows_loaded, 0);
  const rowsRejected = spm.sources.reduce((s, x) => s + x.rows_rejected, 0);
  const cpus = os.cpus();
  const machine = {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? '?',
    memory_gib: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    duckdb: floor.duckdb_version,
    duckdb_node_api: duckdbPackageVersion(),
    duckdb_threads: floor.threads,
    load_1min_before: loadBefore,
    load_1min_after: os.loadavg()[0]!,
  };
  const mib = (gen?.bytes ?? 0) / 2 ** 20;

  say('');
  say(`spm Benchmark - ${opts.size.name === 'full' ? 'NRW-Größe' : opts.size.name}: ${gen ? `${de(gen.kommunen)} Kommunen, ${de(gen.sozialraeume)} Sozialräume, ` : ''}10 Jahre, ${de(spm.results.indicators)} Kennzahlen`);
  say(`Maschine: ${machine.cores} Kerne (${machine.cpu}), ${de(machine.memory_gib, 1)} GiB RAM, ${machine.os}`);
  say(`          Node ${machine.node}, DuckDB ${machine.duckdb} (@duckdb/node-api ${machine.duckdb_node_api}, ${machine.duckdb_threads} Threads)`);
  // the load at the end includes the benchmark's own processes; only the one before says much about others
  const busy = machine.load_1min_before > 0.5;
  say(
    `Last:     ${de(machine.load_1min_before, 2)} vor Start (1-Minuten-Mittel, ${de(machine.load_1min_after, 2)} am Ende inkl. Benchmark)` +
      (busy ? ' - andere Prozesse liefen; Zeiten können verfälscht sein' : ''),
  );
  say(
    `Projekt:  ${relative(REPO_ROOT, projectDir)}` +
      (gen ? ` (${de(mib, 1)} MiB CSV, Seed ${opts.seed}, ${gen.regenerated ? `erzeugt in ${sec(gen.ms)}` : 'vorhanden, Stempel passt'})` : ''),
  );
  say(`Aufruf:   ${cmds.mode}; Spitzen-RSS über ${rssMethod}; ${opts.rounds} Runde(n) A B abwechselnd`);
  say('');
  say(
    table([
      ['Runde', 'spm Wand', 'Boden Wand', 'spm/Boden', 'spm RSS', 'Boden RSS'],
      ...rounds.map((x) => [String(x.round), sec(x.spm.wall_ms), sec(x.floor.wall_ms), de(x.ratio, 2) + 'x', de(x.spm.peak_rss_mib) + ' MiB', de(x.floor.peak_rss_mib) + ' MiB']),
      ['Median', sec(spmWall), sec(floorWall), de(ratio, 2) + 'x', de(median(rounds.map((x) => x.spm.peak_rss_mib))) + ' MiB', de(median(rounds.map((x) => x.floor.peak_rss_mib))) + ' MiB'],
    ]),
  );
  say('');
  const spmStages = (['config', 'ingest', 'compile', 'compute', 'export'] as const).map((k) => [k, stage(k)] as const);
  const spmTotal = stage('total');
  say('spm compute je Stufe (Median, ms):');
  say(
    table(
      [
        ['Stufe', 'ms', 'Anteil'],
        ...spmStages.map(([k, v]) => [k, de(v), de((100 * v) / spmTotal, 1) + ' %']),
        ['total (intern)', de(spmTotal), '100,0 %'],
        ['Prozess (Start/Ende)', de(spmWall - spmTotal), ''],
      ],
      [0],
    ),
  );
  say('');
  say('Boden je Schritt (Median, ms):');
  say(
    table(
      [
        ['Schritt', 'ms'],
        ['config (YAML der Kennzahlen)', de(fstage('config'))],
        ['read_csv + GROUP BY', de(fstage('read_aggregate'))],
        ['Roll-up + Pools', de(fstage('rollup'))],
        ['Ergebnis -> Parquet', de(fstage('export'))],
        ['total (intern)', de(fstage('total'))],
        ['Prozess (Start/Ende)', de(floorWall - fstage('total'))],
      ],
      [0],
    ),
  );
  say('');
  say(
    table(
      [
        ['Quelle', 'gelesen', 'geladen', 'abgewiesen', 'Boden gelesen'],
        ...spm.sources.map((s) => [s.source, de(s.rows_read), de(s.rows_loaded), de(s.rows_rejected), de(floor.rows_read[s.source] ?? NaN)]),
        ['zusammen', de(rowsRead), de(rowsLoaded), de(rowsRejected), de(floor.rows_read_total)],
      ],
      [0],
    ),
  );
  say('');
  say(`Durchsatz: spm ${de(rowsRead / (spmWall / 1000))} Zeilen/s (Ingest allein ${de(rowsRead / (stage('ingest') / 1000))} Zeilen/s), Boden ${de(floor.rows_read_total / (floorWall / 1000))} Zeilen/s`);
  say(`Ergebniszeilen: spm ${de(spm.results.rows)} (kennzahlen.csv + .parquet), Boden ${de(floor.result_rows)} (Parquet)`);
  say('');
  const okRatio = ratio <= GOAL_RATIO;
  const okRss = spmRss <= GOAL_RSS_MIB;
  say(`Ziel Zeit:     spm/Boden ${de(ratio, 2)}x (Median der Rundenpaare) - Ziel <= ${de(GOAL_RATIO, 1)}x: ${okRatio ? 'erreicht' : 'NICHT erreicht'}`);
  say(`Ziel Speicher: spm Spitzen-RSS ${de(spmRss)} MiB (Boden ${de(floorRss)} MiB) - Ziel < ${de(GOAL_RSS_MIB)} MiB: ${okRss ? 'erreicht' : 'NICHT erreicht'}`);

  const result = {
    date: new Date().toISOString(),
    size: opts.size,
    seed: opts.seed,
    project: relative(REPO_ROOT, projectDir),
    project_bytes: gen?.bytes ?? null,
    mode: cmds.mode,
    rss_method: rssMethod,
    machine,
    rounds,
    median: {
      spm_wall_ms: Math.round(spmWall),
      floor_wall_ms: Math.round(floorWall),
      ratio,
      ratio_of_medians: spmWall / floorWall,
      spm_stages_ms: Object.fromEntries([...spmStages, ['total', spmTotal]]),
      floor_stages_ms: {
        config: fstage('config'),
        read_aggregate: fstage('read_aggregate'),
        rollup: fstage('rollup'),
        export: fstage('export'),
        total: fstage('total'),
      },
    },
    peak_rss_mib: { spm: spmRss, floor: floorRss },
    rows: {
      read: rowsRead,
      loaded: rowsLoaded,
      rejected: rowsRejected,
      by_source: spm.sources,
      floor_read: floor.rows_read_total,
      spm_results: spm.results.rows,
      floor_results: floor.result_rows,
    },
    rows_per_second: { spm: rowsRead / (spmWall / 1000), floor: floor.rows_read_total / (floorWall / 1000) },
    goal: { ratio_max: GOAL_RATIO, rss_max_mib: GOAL_RSS_MIB, ratio_ok: okRatio, rss_ok: okRss },
    printed: out.join('\n'),
  };
  const file = join(WORK_DIR, 'last-result.json');
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  say('');
  say(`Ergebnis: ${relative(REPO_ROOT, file)} (${de(statSync(file).size / 1024, 1)} KiB)`);
}

main()
  .then(() => {
    // Second part: chart rendering vs one vl2svg process per chart (bench/charts.ts).
    if (process.argv.includes('--no-charts')) return;
    const charts = join(dirname(fileURLToPath(import.meta.url)), `charts${extname(fileURLToPath(import.meta.url))}`);
    const args = process.argv.includes('--small') ? ['--n', '24', '--peer', '8'] : [];
    const execArgv = charts.endsWith('.ts') ? ['--import', 'tsx'] : [];
    spawnSync(process.execPath, [...execArgv, charts, ...args], { stdio: 'inherit' });
  })
  .catch((e: unknown) => {
    process.stderr.write(`bench: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  });
