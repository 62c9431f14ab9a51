/**
 * `npm run bench:edit`: the planner's edit-run loop on the sample Kreis (issue #18: "spm compute without
 * charts in about a second or two of CPU, charts only when asked or incrementally").
 *
 *   npm run bench:edit [-- --rounds N] [-- --spm other/dist/cli/main.js]
 *
 * 1. copies data-samples/kreis-coesfeld to bench/.work/edit-loop/<a|b>/ and adds one own indicator
 *    (indicators/eigene_bmi.yaml: the SEU Adipositas indicator with its own id and a BMI threshold of
 *    95, then 80, 79, …: none of them the standard set's 90 or 97, whose numerators it would share), so
 *    that an edit changes the cells of one indicator of the set;
 * 2. runs `spm compute <copy> --no-charts --json --quiet` once per copy (the caches are filled), then per
 *    round, alternating between this build (A) and `--spm` (B, optional) on their own copies:
 *    - warm: nothing changed since the run before;
 *    - title: the own indicator's title changed (the protection pass's inputs stay: its masks from the cache);
 *    - edit: the own indicator's BMI threshold set to a value not used before (its cells change);
 *    each under `/usr/bin/time` for wall time, CPU (user + sys) and peak RSS;
 * 3. runs `spm compute <copy> --no-charts --watch` of this build on a third copy and makes the same title and
 *    threshold edits there, one at a time: wall time from the saved file to the run's "Fertig in" line (the
 *    loop's reaction included), CPU of the process during it (`/proc/<pid>/stat`), its peak RSS (VmHWM);
 * 4. prints the medians per build and kind, B / A as the median of the per-round ratios, and for A the
 *    protection pass's groups taken from earlier runs (`results.cache.groups`) and whether the masks
 *    came from the cache (`results.cache.masks`). The outputs of A and B after the last edit are
 *    compared file by file (different bytes are reported, not a failure: B may be another version).
 *
 * The benchmark reports timings; it never fails on them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { REPO_ROOT, WORK_DIR } from './generate-nrw.js';
import { de, median, table } from './format.js';

const SAMPLE = join(REPO_ROOT, 'data-samples', 'kreis-coesfeld');
const OWN = 'indicators/eigene_bmi.yaml';
const GNU_TIME = '/usr/bin/time';

const KINDS = ['warm', 'title', 'edit'] as const;
type Kind = (typeof KINDS)[number];

interface Run {
  wall_s: number;
  cpu_s: number;
  rss_mib: number;
  groups?: { reused: number; solved: number };
  masks?: string;
}

function parseArgs(argv: readonly string[]): { rounds: number; other?: string } {
  let rounds = 3;
  let other: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--rounds') {
      rounds = Number(argv[++i]);
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: eine ganze Zahl ab 1');
    } else if (a === '--spm') other = resolve(argv[++i] ?? '');
    else throw new Error(`unbekannte Option ${a} (erlaubt: --rounds N, --spm <main.js>)`);
  }
  if (other !== undefined && !existsSync(other)) throw new Error(`--spm: ${other} gibt es nicht`);
  return { rounds, ...(other ? { other } : {}) };
}

/** A fresh copy of the sample with the own indicator (threshold 95 at first). */
function prepare(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(SAMPLE, dir, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
  const own = readFileSync(join(REPO_ROOT, 'indicators', 'seu_adipositas.yaml'), 'utf8')
    .replace(/^id: seu_adipositas$/m, 'id: eigene_bmi')
    .replace(/^title: .*$/m, 'title: "BMI über der eigenen Schwelle (Benchmark)"')
    .replace('bmi_perzentil > 97"', 'bmi_perzentil > 95"');
  if (!own.includes('id: eigene_bmi') || !own.includes('bmi_perzentil > 95"'))
    throw new Error('indicators/seu_adipositas.yaml: "id: seu_adipositas" oder der Filter "bmi_perzentil > 97" fehlt');
  mkdirSync(join(dir, 'indicators'), { recursive: true });
  writeFileSync(join(dir, OWN), own);
  const yaml = readFileSync(join(dir, 'spm.yaml'), 'utf8');
  const next = yaml.replace(/^indicators: \["spm:standard"\]$/m, 'indicators: ["spm:standard", "indicators"]');
  if (next === yaml) throw new Error('spm.yaml des Beispiels: keine Zeile indicators: ["spm:standard"]');
  writeFileSync(join(dir, 'spm.yaml'), next);
}

/** Sets the own indicator's BMI threshold (the numerator's filter). */
function setThreshold(dir: string, value: number): void {
  const file = join(dir, OWN);
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/bmi_perzentil > \d+"/, `bmi_perzentil > ${value}"`);
  if (next === text && !text.includes(`bmi_perzentil > ${value}"`))
    throw new Error(`${OWN}: kein Filter "bmi_perzentil > …"`);
  writeFileSync(file, next);
}

/** Sets the own indicator's title (an edit that leaves the protection pass's inputs as they are). */
function setTitle(dir: string, round: number): void {
  const file = join(dir, OWN);
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/^title: .*$/m, `title: "BMI über der eigenen Schwelle (Benchmark, Runde ${round})"`);
  if (next === text) throw new Error(`${OWN}: keine Zeile title: …`);
  writeFileSync(file, next);
}

function compute(main: string, dir: string): Run {
  const timeFile = join(WORK_DIR, `.edit-time-${process.pid}.txt`);
  const argv = [process.execPath, main, 'compute', dir, '--no-charts', '--json', '--quiet'];
  const haveTime = existsSync(GNU_TIME);
  const t0 = performance.now();
  const r = haveTime
    ? spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, ...argv], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`spm compute ${dir} (Exit ${r.status}):\n${r.stderr}`);
  let cpu = NaN;
  let rss = NaN;
  if (haveTime) {
    const [u, s, m] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
    rmSync(timeFile, { force: true });
    cpu = (u ?? NaN) + (s ?? NaN);
    rss = (m ?? NaN) / 1024;
  }
  const json = JSON.parse(r.stdout) as {
    results?: { cache?: { masks?: string; groups?: { reused: number; solved: number } } };
  };
  const cache = json.results?.cache;
  return {
    wall_s: wall,
    cpu_s: cpu,
    rss_mib: rss,
    ...(cache?.groups ? { groups: cache.groups } : {}),
    ...(cache?.masks ? { masks: cache.masks } : {}),
  };
}

/** Every file below `dir` (spm's private `.spm*` files left out) whose bytes differ between two folders. */
function differing(a: string, b: string): string[] {
  const files = (d: string, base = d): string[] =>
    readdirSync(d).flatMap((f) => {
      const p = join(d, f);
      if (f.startsWith('.spm')) return [];
      return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
    });
  const fa = files(a);
  const fb = new Set(files(b));
  const out = fa.filter((f) => !fb.has(f) || !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
  for (const f of fb) if (!fa.includes(f)) out.push(f);
  return out;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU seconds of a process so far (all its threads), from /proc (NaN without it: not Linux). */
function cpuOf(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Peak RSS of a process so far (VmHWM), MiB (NaN without /proc). */
function peakOf(pid: number): number {
  if (!existsSync(`/proc/${pid}/status`)) return NaN;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The same edits in one `spm compute --watch` process: per edit the wall time from the saved file to the
 * run's "Fertig in" line, and the process's CPU in between.
 */
async function watchRuns(main: string, dir: string, rounds: number): Promise<Record<'title' | 'edit', Run[]>> {
  const child = spawn(process.execPath, [main, 'compute', dir, '--no-charts', '--watch'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const count = (re: RegExp) => (stderr.match(re) ?? []).length;
  const until = async (cond: () => boolean, what: string) => {
    const end = Date.now() + 600_000;
    while (!cond()) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`spm compute --watch: ${what}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const out: Record<'title' | 'edit', Run[]> = { title: [], edit: [] };
  try {
    await until(() => stderr.includes('Beobachte '), 'der erste Lauf endete nicht');
    const pid = child.pid!;
    const step = async (kind: 'title' | 'edit', edit: () => void) => {
      const done = count(/^Fertig in /gm);
      const c0 = cpuOf(pid);
      const t0 = performance.now();
      edit();
      await until(() => count(/^Fertig in /gm) > done, 'kein "Fertig in" nach der Änderung');
      out[kind].push({ wall_s: (performance.now() - t0) / 1000, cpu_s: cpuOf(pid) - c0, rss_mib: peakOf(pid) });
      if (/Mit Fehler beendet/.test(stderr)) throw new Error(`spm compute --watch: ein Lauf mit Fehler\n${stderr}`);
    };
    for (let r = 0; r < rounds; r++) {
      await step('title', () => setTitle(dir, r));
      await step('edit', () => setThreshold(dir, 80 - r));
    }
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  return out;
}

async function main(): Promise<void> {
  const { rounds, other } = parseArgs(process.argv.slice(2));
  const self = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(self)) throw new Error(`${self} fehlt: zuerst npm run build`);
  const root = join(WORK_DIR, 'edit-loop');
  const builds = [{ name: 'A', main: self, dir: join(root, 'a') }];
  if (other) builds.push({ name: 'B', main: other, dir: join(root, 'b') });
  for (const b of builds) {
    prepare(b.dir);
    compute(b.main, b.dir);
  }
  const runs: Record<string, Record<Kind, Run[]>> = {};
  for (const b of builds) runs[b.name] = { warm: [], title: [], edit: [] };
  for (let r = 0; r < rounds; r++) {
    for (const b of builds) runs[b.name]!.warm.push(compute(b.main, b.dir));
    for (const b of builds) setTitle(b.dir, r);
    for (const b of builds) runs[b.name]!.title.push(compute(b.main, b.dir));
    // a threshold not used before in this folder: the cells change, no cache entry of the whole pass fits
    for (const b of builds) setThreshold(b.dir, 80 - r);
    for (const b of builds) runs[b.name]!.edit.push(compute(b.main, b.dir));
  }
  // the same edits in one process that stays (spm compute --watch), this build only
  const watchDir = join(root, 'a-watch');
  prepare(watchDir);
  const watched = await watchRuns(self, watchDir, rounds);
  const rows: string[][] = [
    ['Lauf', 'Build', 'Wand (Median)', 'CPU (Median)', 'RSS (max)', 'Gruppen aus früheren Läufen'],
  ];
  const label: Record<Kind, string> = { warm: 'unverändert', title: 'Titel geändert', edit: 'nach Änderung' };
  for (const kind of KINDS) {
    for (const b of builds) {
      const xs = runs[b.name]![kind];
      const g = xs.map((x) =>
        x.groups
          ? `${x.groups.reused}/${x.groups.reused + x.groups.solved}`
          : x.masks === 'hit'
            ? 'Sperrungen aus dem Cache'
            : '-',
      );
      rows.push([
        label[kind],
        b.name,
        `${de(median(xs.map((x) => x.wall_s)), 2)} s`,
        `${de(median(xs.map((x) => x.cpu_s)), 2)} s`,
        `${de(Math.max(...xs.map((x) => x.rss_mib)))} MiB`,
        [...new Set(g)].join(', '),
      ]);
    }
    if (kind !== 'warm') {
      const xs = watched[kind];
      rows.push([
        label[kind],
        'A, --watch',
        `${de(median(xs.map((x) => x.wall_s)), 2)} s`,
        `${de(median(xs.map((x) => x.cpu_s)), 2)} s`,
        `${de(Math.max(...xs.map((x) => x.rss_mib)))} MiB`,
        '',
      ]);
    }
  }
  console.log(
    `spm Bearbeitungsschleife: Beispielkreis mit einem eigenen Indikator, ${rounds} Runde(n), A = ${relative(REPO_ROOT, self)}${other ? `, B = ${other}` : ''}`,
  );
  console.log(table(rows, [0, 1, 5]));
  if (other) {
    for (const kind of KINDS) {
      const a = runs.A![kind];
      const b = runs.B![kind];
      const ratio = (f: (x: Run) => number) => median(a.map((x, i) => f(b[i]!) / f(x)));
      console.log(
        `${label[kind]}: B / A Wand ${de(
          ratio((x) => x.wall_s),
          2,
        )}x, CPU ${de(
          ratio((x) => x.cpu_s),
          2,
        )}x (Median der Verhältnisse je Runde)`,
      );
    }
    const diff = differing(join(builds[0]!.dir, 'out'), join(builds[1]!.dir, 'out'));
    console.log(
      diff.length === 0
        ? 'Ausgaben von A und B nach der letzten Änderung: gleich (Byte für Byte)'
        : `Ausgaben von A und B nach der letzten Änderung: ${diff.length} Datei(en) verschieden (${diff.slice(0, 5).join(', ')}${diff.length > 5 ? ' …' : ''})`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(`bench:edit: ${(e as Error).message}`);
  process.exit(1);
});
