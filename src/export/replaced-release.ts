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
 * ```
 * <out>/manifest.json (spm's own) ─ last year of its sources ─ < last year of this run?
 *   ─ its kennzahlen.parquet named in frueher_veroeffentlicht? ─ no: refuse (nothing written)
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

/**
 * The issue for a run whose data reach a later year than the release in `outDir` it would
 * replace (a report or charts: publish beside it), when that release is not named as an
 * earlier one; undefined when nothing stands against the run (no earlier output, no new year,
 * the release named, or `replaceUnpublished`).
 */
export async function unnamedReleaseIssue(
  project: Project,
  outDir: string,
  years: readonly number[],
  replaceUnpublished = false,
  what: ReleaseKind = 'output',
): Promise<Issue | undefined> {
  if (replaceUnpublished || years.length === 0) return undefined;
  const prev = previousRelease(outDir);
  if (!prev) return undefined;
  const lastYear = Math.max(...years);
  if (lastYear <= prev.lastYear) return undefined;
  if (prev.parquet && (await named(project, prev.parquet))) return undefined;
  const out = displayPath(project.root, outDir);
  const keep = `veroeffentlicht/${prev.lastYear}/kennzahlen.parquet`;
  return {
    severity: 'error',
    code: 'output.earlier_release',
    message:
      `Im Ausgabeordner ${out} liegt die Ausgabe eines früheren Laufs mit den Jahren bis ${prev.lastYear}; ` +
      (what === 'output'
        ? `dieser Lauf reicht bis ${lastYear} und würde sie ersetzen. `
        : what === 'report'
          ? `dieser Bericht reicht bis ${lastYear} und wäre eine weitere Veröffentlichung. `
          : `diese Diagramme reichen bis ${lastYear} und wären eine weitere Veröffentlichung. `) +
      'Wurde die frühere Ausgabe veröffentlicht, geben beide zusammen geschützte kleine Zahlen preis, ' +
      'denn jeder Lauf wählt seine Sperrungen neu. Bitte entscheiden:\n' +
      (prev.parquet
        ? `  1. veröffentlicht: ${path.join(out, 'kennzahlen.parquet')} sichern, z. B. nach ${keep}, und in spm.yaml ` +
          `unter settings: suppression: { frueher_veroeffentlicht: [${keep}] } nennen;\n`
        : '  1. veröffentlicht: deren kennzahlen.parquet (sie fehlt hier; mit --format parquet aus den damaligen Daten) ' +
          'unter settings.suppression.frueher_veroeffentlicht nennen;\n') +
      '  2. nie veröffentlicht: mit --replace-unpublished fortfahren (in Skripten: replaceUnpublished: true).',
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
