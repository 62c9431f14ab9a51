/** `spm validate`: config and data checks without computing or writing results. */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../config/project.js';
import { loadProject } from '../config/load-project.js';
import { ingestProject } from '../ingest/index.js';
import type { RejectedRow } from '../ingest/types.js';
import { hasErrors, type Issue } from '../util/issues.js';
import { openDatabase } from './database.js';
import { resolveOutDir, summarizeSources, type SourceSummary } from './compute-run.js';

export interface ValidateResult {
  project: string;
  ok: boolean;
  indicators: number;
  sources: SourceSummary[];
  rejects: RejectedRow[];
  issues: Issue[];
}

export async function validateRun(dirOrProject: string | Project, options: { out?: string } = {}): Promise<ValidateResult> {
  const issues: Issue[] = [];
  let project: Project;
  if (typeof dirOrProject === 'string') {
    const r = loadProject(dirOrProject);
    project = r.project;
    issues.push(...r.issues);
  } else project = dirOrProject;
  const outDir = resolveOutDir(project, options.out);
  const tmpDir = path.join(outDir, `.spm-tmp-${process.pid}`);
  fs.mkdirSync(tmpDir, { recursive: true });
  const db = await openDatabase();
  try {
    const loaded = await ingestProject(db.conn, project, { tmpDir });
    issues.push(...loaded.issues);
    const errorRejects = loaded.rejects.filter((r) => r.severity === 'error');
    return {
      project: project.config.name,
      ok: !hasErrors(issues) && errorRejects.length === 0,
      indicators: project.indicators.length,
      sources: summarizeSources(loaded),
      rejects: loaded.rejects,
      issues,
    };
  } finally {
    db.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
