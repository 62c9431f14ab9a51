/** `spm validate`: config and data checks without computing or writing results. */
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
  // earlier releases the protection would take as known: there and of the right kind (compute reads them)
  const earlier = earlierFiles(spm.project);
  if (earlier)
    try {
      await checkEarlierFiles(spm.connection, earlier, spm.project.root);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      spm.issues.push(...e.issues.map((i) => ({ ...i, file: spm.project.configFile })));
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
  const errorRejects = loaded.rejects.filter((r) => r.severity === 'error');
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
