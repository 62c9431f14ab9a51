/**
 * Issues are how every stage reports problems: collected, not thrown one by one,
 * so a planner sees all of them at once (validation rules in metricflow and
 * changesets work the same way). A stage that cannot go on throws a UserError
 * carrying its issues; the CLI prints them without a stack trace.
 */
export type Severity = 'error' | 'warning' | 'info';

/** One problem (or note) with the place it belongs to. */
export interface Issue {
  severity: Severity;
  /** Stable machine-readable code, e.g. `csv.ragged_row`. */
  code: string;
  /** German message for the planner, naming what is wrong and what to do. */
  message: string;
  /** File path as shown to the user (relative to the project folder where possible). */
  file?: string;
  /** 1-based physical line in the file. */
  line?: number;
  /** Column header (or 1-based index as text) in a CSV file. */
  column?: string;
  /** YAML path, e.g. `sources[2].period.kind`. */
  path?: string;
}

/** A mistake the user can fix: printed as a message, exit code 1, no stack trace. */
export class UserError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[] | Issue | string) {
    const list: Issue[] =
      typeof issues === 'string'
        ? [{ severity: 'error', code: 'user', message: issues }]
        : Array.isArray(issues)
          ? issues
          : [issues];
    super(list.map(formatIssue).join('\n'));
    this.name = 'UserError';
    this.issues = list;
  }
}

/** `file:line [Spalte "x"] (path): message`, the one format used everywhere. */
export function formatIssue(issue: Issue): string {
  const where: string[] = [];
  if (issue.file) where.push(issue.line !== undefined ? `${issue.file}:${issue.line}` : issue.file);
  else if (issue.line !== undefined) where.push(`Zeile ${issue.line}`);
  if (issue.column !== undefined) where.push(`Spalte "${issue.column}"`);
  if (issue.path) where.push(issue.path);
  const label = issue.severity === 'error' ? 'Fehler' : issue.severity === 'warning' ? 'Warnung' : 'Hinweis';
  return `${label}: ${where.length ? where.join(', ') + ': ' : ''}${issue.message}`;
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
