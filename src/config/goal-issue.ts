/**
 * An issue about one goal with its place, on its own: the steering checks of goal areas
 * (steering/goal-areas.ts) need it in every run, without the YAML and zod modules of load-goals.ts.
 */
import type { Issue } from '../util/issues.js';
import type { LoadedGoal } from './goals-schema.js';

/** An issue about key `key` of a goal, with its file, line and YAML path. */
export function goalIssue(
  g: LoadedGoal,
  key: string,
  severity: Issue['severity'],
  code: string,
  message: string,
): Issue {
  const line = g.lines[key] ?? g.lines[key.replace(/\[\d+\]$/, '')] ?? g.lines[''];
  return {
    severity,
    code,
    message,
    file: g.file,
    path: `ziele[${g.index}]${key ? (key.startsWith('[') ? key : `.${key}`) : ''}`,
    ...(line !== undefined ? { line } : {}),
  };
}
