/**
 * How the `spm` binary reports an error, and with which exit code: shared by `cli/main.ts` (one run)
 * and `spm compute --watch` (every run of the loop reports its error and the loop goes on).
 * User mistakes (UserError): the issues, exit 1, no stack trace. A refusal to publish: its message,
 * exit 3. The user's environment (full disk, no permission): one line, exit 1. Anything else is an
 * internal error: one line, a hint, the stack only with --verbose, exit 2.
 */
import { UserError, formatIssue } from '../src/util/issues.js';
import { PublicationRefused } from '../src/privacy/refusal.js';
import { environmentIssue } from '../src/util/environment.js';

export function reportError(e: unknown, err: (s: string) => void, verbose: boolean): number {
  if (e instanceof UserError) {
    for (const i of e.issues) err(formatIssue(i));
    return 1;
  }
  // the audit found counts no suppression protects: nothing is published (not a bug in the data,
  // not a crash either: a refusal, exit code 3)
  if (e instanceof PublicationRefused) {
    err(e.message);
    return 3;
  }
  // full disk, no permission, read-only folder: the user's environment, not a bug
  const env = environmentIssue(e);
  if (env) {
    err(formatIssue(env));
    return 1;
  }
  const error = e as Error;
  err(`Interner Fehler: ${error?.message ?? String(e)}`);
  err('Das ist ein Fehler in spm, nicht in Ihren Daten. Bitte mit --verbose wiederholen und die Ausgabe melden.');
  if (verbose && error?.stack) err(error.stack);
  return 2;
}
