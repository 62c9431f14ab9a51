/**
 * Large-input benchmark: one ~2 GB SEU-like microdata CSV, `spm validate` (or
 * `compute`) on it in a child process, wall time and peak RSS.
 *
 *   npx tsx bench/large-input.ts [--gb 2] [--command validate|compute] [--seed N] [--force] [--keep]
 *
 * 1. writes bench/.work/large-input/ (git-ignored): gebiete.csv, spm.yaml with one
 *    microdata source, one indicator, and rohdaten/seu_gross.csv of about --gb GiB;
 *    a stamp file skips the regeneration when size and seed are unchanged
 * 2. runs `node --import tsx cli/main.ts <command> <project> --json` under
 *    `/usr/bin/time -v` (else polling /proc/<pid>/status VmHWM)
 * 3. prints rows, bytes, wall time, peak RSS and the ratio RSS / file size, checks the
 *    row accounting (rows read = rows generated) and exits 1 if the peak RSS is not well
 *    below the file size (over RSS_LIMIT of it) or the run failed
 *
 * Not part of `npm test` (it takes minutes); run it by hand or in a nightly job.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const REPO = existsSync(join(here, '..', 'package.json')) ? resolve(here, '..') : resolve(here, '..', '..');
const WORK_BASE = join(REPO, 'bench', '.work');
let WORK = join(WORK_BASE, 'large-input-2g');
const GENERATOR_VERSION = 1;
/**
 * Peak RSS over file size above this fails the run. The peak is bounded by DuckDB's
 * memory limit (1 GB by default; more spills to disk) plus Node, not by the file size.
 */
const RSS_LIMIT = 0.75;

interface Options {
  gb: number;
  command: 'validate' | 'compute';
  seed: number;
  force: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { gb: 2, command: 'validate', seed: 4711, force: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} braucht einen Wert`);
      return v;
    };
    if (a === '--gb') o.gb = Number(next());
    else if (a === '--command') {
      const c = next();
      if (c !== 'validate' && c !== 'compute') throw new Error('--command validate|compute');
      o.command = c;
    } else if (a === '--seed') o.seed = Number(next());
    else if (a === '--force') o.force = true;
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unbekannte Option ${a}`);
  }
  if (!(o.gb > 0)) throw new Error('--gb erwartet eine positive Zahl');
  return o;
}

/** mulberry32: small seeded PRNG (no Math.random, same bytes for the same seed). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KOMMUNEN = [
  '05558004',
  '05558008',
  '05558012',
  '05558016',
  '05558020',
  '05558024',
  '05558028',
  '05558032',
  '05558036',
  '05558040',
  '05558044',
];
const SOZ = KOMMUNEN.flatMap((k) => ['01', '02', '03', '04', '05', '06'].map((n) => `${k}-${n}`));
const HEADER =
  'lfd_nr;sozialraum;schuljahr;geschlecht;groesse_gewicht_gueltig;bmi_perzentil;sprache_getestet;sprache_befund;' +
  'visuomotorik_getestet;visuomotorik_befund;impfpass_vorgelegt;masern_dosen;vorsorgeheft_vorgelegt;u8;u9';

const SPM_YAML = `name: Großer Eingabetest (synthetisch)
synthetic: true
kreis: { ags: "05558", name: Kreis Coesfeld }
areas: { file: gebiete.csv }
sources:
  - id: seu
    title: SEU Einzeldaten (synthetisch, groß)
    files: rohdaten/seu_gross.csv
    kind: microdata
    area: { column: sozialraum, level: sozialraum }
    period: { column: schuljahr, kind: schuljahr, schuljahr_rule: end_year }
    columns:
      lfd_nr: { header: lfd_nr, type: integer }
      geschlecht: { header: geschlecht, type: text }
      groesse_gewicht_gueltig: { header: groesse_gewicht_gueltig, type: boolean }
      bmi_perzentil: { header: bmi_perzentil, type: number }
      sprache_getestet: { header: sprache_getestet, type: boolean }
      sprache_befund: { header: sprache_befund, type: boolean }
      visuomotorik_getestet: { header: visuomotorik_getestet, type: boolean }
      visuomotorik_befund: { header: visuomotorik_befund, type: boolean }
      impfpass_vorgelegt: { header: impfpass_vorgelegt, type: boolean }
      masern_dosen: { header: masern_dosen, type: integer }
      vorsorgeheft_vorgelegt: { header: vorsorgeheft_vorgelegt, type: boolean }
      u8: { header: u8, type: boolean }
      u9: { header: u9, type: boolean }
    stichtag: Untersuchungsdatum
    owner: Gesundheitsamt (synthetisch)
indicators: [indicators]
output: out
`;

const INDICATOR_YAML = `id: seu_uebergewicht
title: Übergewicht inkl. Adipositas
description: BMI über P90 je 100 Kinder mit gültigem Gewicht
family: gesundheit_seu
lebensphase: 3-6
unit: percent
polarity: worse
numerator: { source: seu, measure: count, filter: "groesse_gewicht_gueltig = true and bmi_perzentil > 90" }
denominator: { source: seu, measure: count, filter: "groesse_gewicht_gueltig = true" }
steckbrief:
  stichtag: Schuljahr
  data_owner: Gesundheitsamt
  numerator_source: Kinder mit BMI > P90
  denominator_source: Kinder mit gültiger Messung
  definition: inkl. Adipositas
  suppression: keine
`;

/** Writes the project; returns the number of data rows and the CSV size. */
function generate(o: Options): { rows: number; bytes: number; csv: string } {
  const csv = join(WORK, 'rohdaten', 'seu_gross.csv');
  const stampFile = join(WORK, '.stamp.json');
  const target = Math.round(o.gb * 1024 ** 3);
  const stamp = { version: GENERATOR_VERSION, seed: o.seed, target };
  if (!o.force && existsSync(stampFile) && existsSync(csv)) {
    const s = JSON.parse(readFileSync(stampFile, 'utf8')) as typeof stamp & { rows: number; bytes: number };
    if (
      s.version === stamp.version &&
      s.seed === stamp.seed &&
      s.target === stamp.target &&
      statSync(csv).size === s.bytes
    ) {
      console.log(`Projekt vorhanden (${WORK}), ${s.rows.toLocaleString('de-DE')} Zeilen`);
      return { rows: s.rows, bytes: s.bytes, csv };
    }
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'rohdaten'), { recursive: true });
  mkdirSync(join(WORK, 'indicators'), { recursive: true });
  const areas = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis'];
  for (const s of SOZ) areas.push(`${s};Sozialraum ${s};${s.slice(0, 8)};Kommune ${s.slice(0, 8)};;`);
  writeFileSync(join(WORK, 'gebiete.csv'), areas.join('\n') + '\n');
  writeFileSync(join(WORK, 'spm.yaml'), SPM_YAML);
  writeFileSync(join(WORK, 'indicators', 'seu_uebergewicht.yaml'), INDICATOR_YAML);

  const rnd = prng(o.seed);
  const jn = (p: number): string => (rnd() < p ? 'ja' : 'nein');
  const fd = openSync(csv, 'w');
  let bytes = 0;
  let rows = 0;
  const t0 = performance.now();
  try {
    let buf = HEADER + '\n';
    while (bytes + buf.length < target) {
      for (let i = 0; i < 20000; i++) {
        rows++;
        const start = 2014 + Math.floor(rnd() * 10);
        const sj = `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
        const valid = rnd() < 0.95;
        const bmi = valid ? (rnd() * 100).toFixed(1).replace('.', ',') : rnd() < 0.5 ? '' : '.';
        const sprache = rnd() < 0.9;
        const visuo = rnd() < 0.9;
        const impf = rnd() < 0.92;
        const heft = rnd() < 0.93;
        buf +=
          `${rows};${SOZ[Math.floor(rnd() * SOZ.length)]};${sj};${rnd() < 0.5 ? 'm' : 'w'};${valid ? 'ja' : 'nein'};${bmi};` +
          `${sprache ? 'ja' : 'nein'};${sprache ? jn(0.25) : ''};${visuo ? 'ja' : 'nein'};${visuo ? jn(0.15) : ''};` +
          `${impf ? 'ja' : 'nein'};${impf ? (rnd() < 0.9 ? 2 : rnd() < 0.5 ? 1 : 0) : ''};${heft ? 'ja' : 'nein'};` +
          `${heft ? jn(0.9) : ''};${heft ? jn(0.88) : ''}\n`;
      }
      writeSync(fd, buf);
      bytes += Buffer.byteLength(buf);
      buf = '';
      if (rows % 2_000_000 === 0) process.stdout.write(`  ${(bytes / 1024 ** 3).toFixed(2)} GiB …\r`);
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(stampFile, JSON.stringify({ ...stamp, rows, bytes }) + '\n');
  console.log(
    `erzeugt: ${csv}, ${rows.toLocaleString('de-DE')} Zeilen, ${(bytes / 1024 ** 3).toFixed(2)} GiB in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  return { rows, bytes, csv };
}

interface RunResult {
  code: number;
  wallMs: number;
  peakRssKiB: number;
  stdout: string;
  stderr: string;
}

/** Runs the spm CLI in a child process and measures wall time and peak RSS. */
function runSpm(args: string[]): Promise<RunResult> {
  const timeBin = '/usr/bin/time';
  const useTime = existsSync(timeBin);
  const node = [process.execPath, '--import', 'tsx', join(REPO, 'cli', 'main.ts'), ...args];
  const [cmd, ...rest] = useTime ? [timeBin, '-v', ...node] : node;
  const t0 = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd!, rest, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polled = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // without /usr/bin/time: poll VmHWM of the child (the node process itself)
    const timer = useTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polled = Math.max(polled, Number(m[1]));
          } catch {
            /* process gone */
          }
        }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      const wallMs = performance.now() - t0;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolveRun({ code: code ?? -1, wallMs, peakRssKiB: m ? Number(m[1]) : polled, stdout, stderr });
    });
  });
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  WORK = join(WORK_BASE, `large-input-${o.gb}g`);
  const gen = generate(o);
  const out = join(WORK, 'out');
  const args =
    o.command === 'validate'
      ? ['validate', WORK, '--json', '--out', out]
      : ['compute', WORK, '--json', '--quiet', '--no-charts', '--no-cache', '--out', out];
  console.log(`spm ${o.command} auf ${(gen.bytes / 1024 ** 3).toFixed(2)} GiB …`);
  const r = await runSpm(args);
  const mib = (kib: number): string => (kib / 1024).toFixed(0);
  let rowsRead = -1;
  let ok = r.code === 0;
  try {
    const j = JSON.parse(r.stdout) as {
      sources: { source: string; rows_read: number; rows_loaded: number; rows_rejected: number }[];
    };
    const s = j.sources.find((x) => x.source === 'seu');
    rowsRead = s?.rows_read ?? -1;
    console.log(
      `Zeilen: gelesen ${s?.rows_read}, geladen ${s?.rows_loaded}, abgewiesen ${s?.rows_rejected} (erzeugt ${gen.rows})`,
    );
    if (rowsRead !== gen.rows) ok = false;
  } catch {
    console.log('keine JSON-Ausgabe:');
    console.log(r.stderr.slice(-2000));
    ok = false;
  }
  const ratio = (r.peakRssKiB * 1024) / gen.bytes;
  const result = {
    command: o.command,
    exit_code: r.code,
    file_bytes: gen.bytes,
    rows: gen.rows,
    rows_read: rowsRead,
    wall_s: Math.round(r.wallMs / 100) / 10,
    peak_rss_mib: Number(mib(r.peakRssKiB)),
    rss_to_file: Math.round(ratio * 1000) / 1000,
    rows_per_s: Math.round(gen.rows / (r.wallMs / 1000)),
  };
  console.log(
    `Ergebnis: Exit ${r.code}, Wandzeit ${result.wall_s} s, Spitzen-RSS ${result.peak_rss_mib} MiB ` +
      `(${(ratio * 100).toFixed(1)} % der Dateigröße ${mib(gen.bytes / 1024)} MiB), ${result.rows_per_s.toLocaleString('de-DE')} Zeilen/s`,
  );
  writeFileSync(join(WORK_BASE, `large-input-${o.gb}g-result.json`), JSON.stringify(result, null, 2) + '\n');
  if (!o.keep) rmSync(out, { recursive: true, force: true });
  if (ratio > RSS_LIMIT) {
    console.log('FEHLER: Spitzen-RSS nicht deutlich unter der Dateigröße');
    ok = false;
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  },
);
