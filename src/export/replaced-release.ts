/**
 * A yearly update must not replace last year's release without a decision.
 *
 * Each run chooses its masks afresh, so a release with a new year can publish a count the one
 * before hid, and whoever holds both can combine them (the sample up to 2023, then up to 2024:
 * 216 protected counts given away). `settings.suppression.frueher_veroeffentlicht` prevents that,
 * but only when the planner names last year's `kennzahlen.parquet`; and the file a yearly update
 * overwrites is usually that very release, in the project's own output folder.
 *
 * So a run whose data reach a later year than the output spm wrote into the folder before stops
 * before anything is written, unless that output's `kennzahlen.parquet` is named as an earlier
 * release (the same path or the same bytes) or the planner says it was never published
 * (`--replace-unpublished`, `replaceUnpublished`). Runs over the same years (the edit-run loop,
 * revised data, an indicator added) are not stopped: a new year is the one sign spm can read of a
 * new release; the README says what else counts as one.
 *
 * The same holds for spm's outputs elsewhere in the project folder (up to {@link SCAN_DEPTH}
 * folders deep): a planner who writes each year's release to a folder of its own (`--out
 * ausgabe-2024` beside `ausgabe-2023`) replaces nothing, but publishes a second release all the same.
 *
 * ```
 * <out>/manifest.json and <project>/**∕manifest.json (spm's own) ─ last year of its sources
 *   ─ < last year of this run? ─ its kennzahlen.parquet named in frueher_veroeffentlicht?
 *   ─ no: refuse (nothing written)
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../config/project.js';
import { earlierFiles } from '../compute/earlier.js';
import { sha256File } from '../util/hash.js';
import { UserError, type Issue } from '../util/issues.js';
import { displayPath } from '../util/paths.js';

/** What the run publishes: the output folder's tables (replacing the release), a report, charts. */
export type ReleaseKind = 'output' | 'report' | 'charts';

/** The output spm wrote into a folder before, as its manifest describes it. */
export interface PreviousRelease {
  /** The last reference year it covers (of its sources' years, within its `settings.years`). */
  lastYear: number;
  /** Its `kennzahlen.parquet` (absolute), when it has one. */
  parquet?: string;
}

const TABLES = /^kennzahlen\.(csv|parquet|arrow|json)$/;

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The release spm wrote into `outDir` before (from its `manifest.json`), or undefined if there is none. */
export function previousRelease(outDir: string): PreviousRelease | undefined {
  let m: Record<string, unknown> | undefined;
  try {
    m = record(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')));
  } catch {
    return undefined;
  }
  // only a manifest of spm that lists a table of figures describes a release
  if (!m || typeof m.spm_version !== 'string' || !Array.isArray(m.outputs)) return undefined;
  const files = m.outputs.map((o) => record(o)?.file).filter((f): f is string => typeof f === 'string');
  if (!files.some((f) => TABLES.test(f))) return undefined;
  let last = -Infinity;
  for (const s of Array.isArray(m.sources) ? m.sources : [])
    for (const y of Array.isArray(record(s)?.years) ? (record(s)!.years as unknown[]) : [])
      if (typeof y === 'number' && Number.isInteger(y)) last = Math.max(last, y);
  const to = record(record(record(m.project)?.settings)?.years)?.to;
  if (typeof to === 'number') last = Math.min(last, to);
  if (!Number.isFinite(last)) return undefined;
  const parquet = path.join(outDir, 'kennzahlen.parquet');
  return files.includes('kennzahlen.parquet') && fs.existsSync(parquet)
    ? { lastYear: last, parquet }
    : { lastYear: last };
}

function realPath(f: string): string | undefined {
  try {
    return fs.realpathSync(f);
  } catch {
    return undefined;
  }
}

/** Whether `file` is named in frueher_veroeffentlicht: by its path, or as a copy with the same bytes. */
async function named(project: Project, file: string): Promise<boolean> {
  const list = earlierFiles(project) ?? [];
  if (list.length === 0) return false;
  const real = realPath(file);
  if (list.some((f) => realPath(f) === real)) return true;
  const size = fs.statSync(file).size;
  const same = list.filter((f) => {
    try {
      const st = fs.statSync(f);
      return st.isFile() && st.size === size;
    } catch {
      return false;
    }
  });
  if (same.length === 0) return false;
  const hash = await sha256File(file);
  for (const f of same) if ((await sha256File(f)) === hash) return true;
  return false;
}

/** How deep below the project folder spm looks for earlier outputs (`out/` is 1, `ausgaben/2023/out/` is 3). */
export const SCAN_DEPTH = 3;
/** At most this many folders are looked into (a project folder with a large tree of raw files stays quick). */
const SCAN_FOLDERS = 2000;

/**
 * The folders at most {@link SCAN_DEPTH} levels below `root` (and `root` itself) that hold a
 * `manifest.json`, in path order. Hidden folders (`.spm`, the staging folders of a run),
 * `node_modules` and symbolic links are not entered.
 */
export function manifestFolders(root: string): string[] {
  const found: string[] = [];
  let level = [root];
  let seen = 0;
  for (let depth = 0; depth <= SCAN_DEPTH && level.length > 0 && seen < SCAN_FOLDERS; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++seen > SCAN_FOLDERS) break;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isFile() && e.name === 'manifest.json') found.push(dir);
        else if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
          next.push(path.join(dir, e.name));
      }
    }
    level = next.sort();
  }
  return found.sort();
}

/** An earlier release found for a run: in its output folder (`own`) or elsewhere in the project folder. */
interface FoundRelease extends PreviousRelease {
  dir: string;
  own: boolean;
}

/** The releases spm wrote before into `outDir` and into folders of the project (see {@link manifestFolders}). */
function earlierReleases(project: Project, outDir: string): FoundRelease[] {
  const found: FoundRelease[] = [];
  const ownReal = realPath(outDir);
  const own = previousRelease(outDir);
  if (own) found.push({ ...own, dir: outDir, own: true });
  for (const dir of manifestFolders(project.root)) {
    if (ownReal !== undefined && realPath(dir) === ownReal) continue;
    const prev = previousRelease(dir);
    if (prev) found.push({ ...prev, dir, own: false });
  }
  return found;
}

/**
 * The issue for a run whose data reach a later year than a release spm wrote before: the one in
 * `outDir` it would replace (a report or charts: publish beside it), or one elsewhere in the
 * project folder, when that release is not named as an earlier one; undefined when nothing
 * stands against the run (no earlier output, no new year, every such release named, or
 * `replaceUnpublished`).
 */
export async function unnamedReleaseIssue(
  project: Project,
  outDir: string,
  years: readonly number[],
  replaceUnpublished = false,
  what: ReleaseKind = 'output',
): Promise<Issue | undefined> {
  if (replaceUnpublished || years.length === 0) return undefined;
  const lastYear = Math.max(...years);
  const open: FoundRelease[] = [];
  for (const r of earlierReleases(project, outDir))
    if (r.lastYear < lastYear && !(r.parquet && (await named(project, r.parquet)))) open.push(r);
  if (open.length === 0) return undefined;
  const own = open.find((r) => r.own);
  const others = open.filter((r) => !r.own);
  const shown = (dir: string) => displayPath(project.root, dir);
  const where = (r: FoundRelease) => `${shown(r.dir)} (Jahre bis ${r.lastYear})`;
  const out = displayPath(project.root, outDir);
  const keep = own ? `veroeffentlicht/${own.lastYear}/kennzahlen.parquet` : '';
  const runs =
    what === 'output'
      ? `dieser Lauf reicht bis ${lastYear}${own ? ' und würde sie ersetzen' : ''}. `
      : what === 'report'
        ? `dieser Bericht reicht bis ${lastYear} und wäre eine weitere Veröffentlichung. `
        : `diese Diagramme reichen bis ${lastYear} und wären eine weitere Veröffentlichung. `;
  const intro = own
    ? `Im Ausgabeordner ${out} liegt die Ausgabe eines früheren Laufs mit den Jahren bis ${own.lastYear}` +
      (others.length ? `, im Projektordner außerdem ${others.map(where).join(', ')}` : '') +
      '; '
    : others.length === 1
      ? `Im Projektordner liegt in ${shown(others[0]!.dir)} die Ausgabe eines früheren Laufs mit den Jahren bis ${others[0]!.lastYear}; `
      : `Im Projektordner liegen Ausgaben früherer Läufe: ${others.map(where).join(', ')}; `;
  // what to name: the own release once kept elsewhere (this run overwrites it), the others where they are
  const names = [
    ...(own?.parquet ? [keep] : []),
    ...others.filter((r) => r.parquet).map((r) => `${shown(r.dir)}/kennzahlen.parquet`),
  ];
  const missing = open.filter((r) => !r.parquet).map((r) => shown(r.dir));
  const name =
    (own?.parquet ? `${path.join(out, 'kennzahlen.parquet')} sichern, z. B. nach ${keep}, und ` : '') +
    (names.length
      ? `in spm.yaml unter settings: suppression: { frueher_veroeffentlicht: [${names.join(', ')}] } nennen`
      : '') +
    (missing.length
      ? `${names.length ? '; ' : ''}die kennzahlen.parquet von ${missing.join(', ')} (sie fehlt dort; mit --format parquet aus den damaligen Daten) ` +
        'unter settings.suppression.frueher_veroeffentlicht nennen'
      : '');
  return {
    severity: 'error',
    code: 'output.earlier_release',
    message:
      intro +
      runs +
      (open.length === 1
        ? 'Wurde die frühere Ausgabe veröffentlicht, geben beide zusammen geschützte kleine Zahlen preis, '
        : 'Wurden die früheren Ausgaben veröffentlicht, geben sie zusammen mit diesem Lauf geschützte kleine Zahlen preis, ') +
      'denn jeder Lauf wählt seine Sperrungen neu. Bitte entscheiden:\n' +
      `  1. veröffentlicht: ${name};\n` +
      (own
        ? '  2. nie veröffentlicht: mit --replace-unpublished fortfahren (in Skripten: replaceUnpublished: true).'
        : `  2. nie veröffentlicht: ${open.length === 1 ? 'den Ordner' : 'die Ordner'} löschen oder mit --replace-unpublished fortfahren (in Skripten: replaceUnpublished: true).`),
    path: 'settings.suppression.frueher_veroeffentlicht',
  };
}

/**
 * Stops a run that would replace an unnamed earlier release (see the module comment).
 * @throws UserError with {@link unnamedReleaseIssue}'s issue, and that nothing was written
 */
export async function refuseUnnamedRelease(...args: Parameters<typeof unnamedReleaseIssue>): Promise<void> {
  const issue = await unnamedReleaseIssue(...args);
  if (issue) throw new UserError({ ...issue, message: `${issue.message}\nEs wurde nichts geschrieben.` });
}
