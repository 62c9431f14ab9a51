/** `spm validate`: config and data checks, computed up to the protection pass at most; writes no results. */
import type { RejectedRow } from '../ingest/types.js';
import { checkEarlierFiles, earlierFiles } from '../compute/earlier.js';
import { hasErrors, UserError, type Issue } from '../util/issues.js';
import { Spm, type ProjectSource, scratchFor } from '../api/session.js';
import { resolveOutDir, summarizeSources, type SourceSummary } from './compute-run.js';
import { unnamedReleaseIssue } from '../export/replaced-release.js';
import { totalsDifferIssue } from '../export/totals-check.js';
import { projectYears } from '../compute/compute.js';
import { groupRejects, type RejectGroup } from './reject-groups.js';
import { relationRowIssues } from './relation-rows.js';
import { neverTrueFilterIssues, sourceColumnTypes, unreadableConditionIssues } from '../privacy/relations.js';
import { compileProject } from '../compile/compile-indicator.js';
import { earlierRefusalLines } from '../compute/earlier-refusal.js';

export interface ValidateResult {
  project: string;
  ok: boolean;
  indicators: number;
  sources: SourceSummary[];
  rejects: RejectedRow[];
  /** The rejected rows (not the notes) grouped by source, file, cause and column, with hints. */
  rejectGroups: RejectGroup[];
  issues: Issue[];
}

export async function validateRun(source: ProjectSource, options: { out?: string } = {}): Promise<ValidateResult> {
  await using spm = await Spm.open(source, scratchFor(options.out));
  const loaded = await spm.load();
  const differ = await totalsDifferIssue(spm.connection, spm.project, loaded);
  if (differ) spm.issues.push(differ);
  // declared relations between a source's columns, row by row (compute refuses them on the sums)
  spm.issues.push(...(await relationRowIssues(spm.connection, spm.project, loaded)));
  // filters that no row passes (a warning), and filter conditions the protection cannot read beside
  // counts of the same columns (compute refuses them)
  try {
    const types = sourceColumnTypes(spm.project.config);
    const compiled = compileProject(spm.project);
    spm.issues.push(...neverTrueFilterIssues(compiled, types));
    if (spm.project.config.settings.suppression.beziehungen_geprueft !== true)
      spm.issues.push(...unreadableConditionIssues(compiled, types));
  } catch (e) {
    // (a filter that does not compile: reported by the checks that compile it)
    if (!(e instanceof UserError)) throw e;
  }
  // earlier releases the protection would take as known: there and of the right kind (compute reads them)
  const earlier = earlierFiles(spm.project);
  let earlierReadable = false;
  if (earlier)
    try {
      await checkEarlierFiles(spm.connection, earlier, spm.project.root);
      earlierReadable = true;
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      spm.issues.push(...e.issues.map((i) => ({ ...i, file: spm.project.configFile })));
    }
  // counts of the earlier releases this run would publish otherwise or not at all: compute refuses
  // them before its protection pass; computed here up to there when the data has no errors
  const errorRejects = loaded.rejects.filter((r) => r.severity === 'error');
  const computable = !hasErrors(spm.issues) && errorRejects.length === 0;
  if (earlierReadable && computable) {
    const differ = await earlierDifferIssue(spm);
    if (differ) spm.issues.push(differ);
  } else if (!earlier && computable) {
    // what stops compute before its protection pass (equations of the data no relation can take):
    // computed here up to there too (with earlier releases, earlierDifferIssue did)
    try {
      await spm.computeUntilProtection();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      spm.issues.push(...e.issues);
    }
  }
  // a compute into the output folder would stop at last year's release, not named as an earlier one
  const replaced = await unnamedReleaseIssue(
    spm.project,
    resolveOutDir(spm.project, options.out),
    projectYears(loaded, spm.project),
  );
  if (replaced)
    spm.issues.push({
      ...replaced,
      severity: 'warning',
      message: `spm compute hält an: ${replaced.message}`,
    });
  return {
    project: spm.project.config.name,
    ok: !hasErrors(spm.issues) && errorRejects.length === 0,
    indicators: spm.project.indicators.length,
    sources: summarizeSources(loaded),
    rejects: loaded.rejects,
    rejectGroups: groupRejects(loaded.rejects, spm.project.config.areas.top ? undefined : spm.project.config.kreis.ags),
    issues: spm.issues,
  };
}

/**
 * The earlier releases' counts this run would publish with another value or not at all (`spm compute`
 * refuses them, exit 3): an error with compute's message; a warning when the project accepts them
 * (`frueher_abweichend_hinnehmen: true`). Undefined when they match, or when computing fails (the
 * failure is compute's to report: validate's own checks have run).
 */
async function earlierDifferIssue(spm: Spm): Promise<Issue | undefined> {
  let e: Awaited<ReturnType<Spm['earlierReleases']>>;
  try {
    e = await spm.earlierReleases();
  } catch (err) {
    if (err instanceof UserError) {
      spm.issues.push(...err.issues);
      return undefined;
    }
    throw err;
  }
  if (!e || e.unmatched + e.changed === 0) return undefined;
  const accepted = spm.project.config.settings.suppression.frueher_abweichend_hinnehmen === true;
  const lines = earlierRefusalLines(e, spm.project.root);
  return accepted
    ? {
        severity: 'warning',
        code: 'earlier.differs',
        message:
          `Die frühere Veröffentlichung hat ${e.unmatched + e.changed} Anzahlen, die dieser Lauf anders oder nicht hat; ` +
          'spm compute veröffentlicht trotzdem (settings.suppression.frueher_abweichend_hinnehmen: true), ' +
          `die Sperrungen schützen dann nur gegen die unveränderten früheren Anzahlen:\n${lines
            .filter((l) => l.startsWith('    '))
            .join('\n')}`,
        file: spm.project.configFile,
        path: 'settings.suppression.frueher_veroeffentlicht',
      }
    : {
        severity: 'error',
        code: 'earlier.differs',
        message: `spm compute hält an (Exit-Code 3): ${lines.join('\n')}`,
        file: spm.project.configFile,
        path: 'settings.suppression.frueher_veroeffentlicht',
      };
}
