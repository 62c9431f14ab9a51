/** `spm validate`: config and data checks without computing or writing results. */
import type { RejectedRow } from '../ingest/types.js';
import { hasErrors, type Issue } from '../util/issues.js';
import { Spm, type ProjectSource, scratchFor } from '../api/session.js';
import { summarizeSources, type SourceSummary } from './compute-run.js';

export interface ValidateResult {
  project: string;
  ok: boolean;
  indicators: number;
  sources: SourceSummary[];
  rejects: RejectedRow[];
  issues: Issue[];
}

export async function validateRun(source: ProjectSource, options: { out?: string } = {}): Promise<ValidateResult> {
  await using spm = await Spm.open(source, scratchFor(options.out));
  const loaded = await spm.load();
  const errorRejects = loaded.rejects.filter((r) => r.severity === 'error');
  return {
    project: spm.project.config.name,
    ok: !hasErrors(spm.issues) && errorRejects.length === 0,
    indicators: spm.project.indicators.length,
    sources: summarizeSources(loaded),
    rejects: loaded.rejects,
    issues: spm.issues,
  };
}
