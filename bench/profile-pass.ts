/**
 * Where does the protection pass spend its time? Runs computeRun in-process with every group of
 * the pass in this thread (SPM_PRIVACY_THREADS=0, so the pass's counters see all of it) and prints
 * the pass's wall time, the audit's LPs by kind, the cover LPs by kind and outcome, and the audit's
 * time by the size of the component. The masks are the same as with worker threads. With
 * SPM_PRIVACY_DEBUG=1 the cover LPs' counters are printed by neighbourhood size too (stderr).
 *
 * Run: `npm run bench:pass [-- project]` (default project: bench/.work/nrw; generate it first with
 *      `npm run bench -- --full`), or `node dist/bench/profile-pass.js [project]`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { de, table } from './format.js';
import { WORK_DIR } from './generate-nrw.js';

type Profile = Readonly<Record<string, { n: number; ms: number }>>;

export interface ProfileRow {
  label: string;
  n: number;
  ms: number;
}

/** The audit's counters (audit.ts `auditProfile`) as rows: the batched LPs, the rounds over a whole component, MIP, single checks. */
export function auditRows(p: Profile): ProfileRow[] {
  const sum = (pred: (k: string) => boolean) =>
    Object.entries(p)
      .filter(([k]) => pred(k))
      .reduce((a, [, v]) => ({ n: a.n + v.n, ms: a.ms + v.ms }), { n: 0, ms: 0 });
  return [
    { label: 'gebündelte Zeugen-LPs (Modelle)', ...sum((k) => k === 'batch') },
    { label: 'Runden über eine ganze Komponente', ...sum((k) => k === 'batch_whole') },
    { label: 'ganzzahlige Nachrechnung (MIP)', ...sum((k) => k.startsWith('mip_')) },
    {
      label: 'einzelne Prüfungen (lokal, relaxiert, ganz)',
      ...sum((k) => k.startsWith('local_') || k.startsWith('relaxed_') || k === 'check_full'),
    },
  ];
}

/** The cover LPs' counters (covers.ts `coverProfile`, keys `<batch|single>_<size>_<outcome>`) by kind and outcome. */
export function coverRows(p: Profile): ProfileRow[] {
  const rows = new Map<string, ProfileRow>();
  const names: Record<string, string> = {
    batch_covers: 'Bündel mit Deckungszellen',
    batch_none: 'Bündel ohne Lösung in ihrer Größe',
    batch_impossible: 'Bündel ohne jede Lösung',
    single_covers: 'einzelne mit Deckungszellen',
    single_none: 'einzelne ohne Lösung in ihrer Größe',
    single_impossible: 'einzelne ohne jede Lösung',
  };
  for (const [k, v] of Object.entries(p)) {
    const m = /^(batch|single)_\d+_(covers|none|impossible)$/.exec(k);
    const key = m ? `${m[1]}_${m[2]}` : k;
    const r = rows.get(key) ?? { label: names[key] ?? key, n: 0, ms: 0 };
    r.n += v.n;
    r.ms += v.ms;
    rows.set(key, r);
  }
  return Object.keys(names)
    .filter((k) => rows.has(k))
    .map((k) => rows.get(k)!)
    .concat([...rows.entries()].filter(([k]) => !(k in names)).map(([, r]) => r));
}

const sec = (ms: number) => `${de(ms / 1000, 1)} s`;

/** The rows as aligned lines (indented), with each row's share of `total` ms. */
export function formatRows(rows: readonly ProfileRow[], total: number): string[] {
  const share = (ms: number) =>
    `${total > 0 ? ((100 * ms) / total).toLocaleString('de-DE', { maximumFractionDigits: 1 }) : '0'} %`;
  return table(rows.map((r) => [r.label, `${de(r.n)}x`, sec(r.ms), share(r.ms)]))
    .split('\n')
    .map((l) => `  ${l}`);
}

export async function profilePass(project: string): Promise<void> {
  // before the pass reads it: every group in this thread, where the counters below are kept
  process.env.SPM_PRIVACY_THREADS = '0';
  const { computeRun } = await import('../src/run/compute-run.js');
  const { auditProfile, auditSizeProfile, AUDIT_SIZE_CLASSES } = await import('../src/privacy/audit.js');
  const { coverProfile } = await import('../src/privacy/covers.js');
  const out = mkdtempSync(join(WORK_DIR, 'profile-pass-'));
  try {
    const c0 = process.cpuUsage();
    const r = await computeRun(project, { out, charts: [], cache: false });
    const c = process.cpuUsage(c0);
    const pass = Number(r.results.steps_ms?.suppression ?? 0);
    const say = (s: string) => process.stdout.write(`${s}\n`);
    say(`Projekt ${project}`);
    say(
      `Lauf: ${sec(Number(r.timings_ms.total))} (CPU des Prozesses ${sec((c.user + c.system) / 1000)}); Schutzpass in einem Thread ${sec(pass)}`,
    );
    const auditCpu = auditProfile.cpu?.ms ?? 0;
    say(
      `LP-Prüfung (auditRun, CPU): ${sec(auditCpu)} = ${pass > 0 ? Math.round((100 * auditCpu) / pass) : 0} % des Passes`,
    );
    for (const l of formatRows(auditRows(auditProfile), pass)) say(l);
    const covers = coverRows(coverProfile);
    const coverMs = covers.reduce((a, x) => a + x.ms, 0);
    say(`Deckungs-LPs: ${sec(coverMs)} = ${pass > 0 ? Math.round((100 * coverMs) / pass) : 0} % des Passes`);
    for (const l of formatRows(covers, pass)) say(l);
    // with SPM_PRIVACY_DEBUG: every counter by size too (`<batch|single>_<size>_<outcome>`)
    if (process.env.SPM_PRIVACY_DEBUG)
      for (const [k, v] of Object.entries(coverProfile).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })))
        process.stderr.write(`cover LPs ${k}: ${v.n}x ${Math.round(v.ms)} ms\n`);
    const { lowPointProfile } = await import('../src/privacy/low-point.js');
    say(
      `Tiefpunkte (low-point.ts): ${de(lowPointProfile.n)}x, ${sec(lowPointProfile.ms)} = ${pass > 0 ? Math.round((100 * lowPointProfile.ms) / pass) : 0} % des Passes`,
    );
    say(
      `Rest (System, lineare Prüfung, Zeugen prüfen, Gruppen lesen): ${sec(Math.max(0, pass - auditCpu - coverMs - lowPointProfile.ms))}`,
    );
    const order: string[] = AUDIT_SIZE_CLASSES.map((x) => x.label);
    const sizes = Object.entries(auditSizeProfile)
      .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b))
      .map(([k, v]) => ({
        label: `${k} unbekannte Zellen${k.startsWith('über') ? ' (in Stücken)' : ''}`,
        n: v.n,
        ms: v.ms,
      }));
    say('LP-Prüfung nach Größe der Komponente (Prüfungen in allen Runden):');
    for (const l of formatRows(sizes, pass)) say(l);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const project = resolve(process.argv[2] ?? join(WORK_DIR, 'nrw'));
  if (!existsSync(join(project, 'spm.yaml'))) {
    process.stderr.write(
      `Kein spm-Projekt in ${project} (spm.yaml fehlt). Das NRW-Projekt des Benchmarks erzeugt: npm run bench -- --full\n`,
    );
    process.exit(2);
  }
  profilePass(project).catch((e: unknown) => {
    process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
    process.exitCode = 1;
  });
}
