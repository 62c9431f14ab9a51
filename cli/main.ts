#!/usr/bin/env node
/**
 * Entry of the `spm` binary: runs the program and maps errors to exit codes.
 * User mistakes (UserError, bad arguments): message, exit 1, no stack trace.
 * Anything else is an internal error: one line, a hint, the stack only with --verbose.
 */
import { CommanderError } from 'commander';
import { UserError, formatIssue } from '../src/util/issues.js';
import { PublicationRefused } from '../src/privacy/refusal.js';
import { buildProgram } from './program.js';
import { spmVersion } from '../src/util/paths.js';
import { environmentIssue } from '../src/util/environment.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const io = {
    out: (s: string) => process.stdout.write(s + '\n'),
    err: (s: string) => process.stderr.write(s + '\n'),
    setExitCode: (c: number) => {
      exitCode = c;
    },
  };
  const verbose = argv.includes('--verbose');
  try {
    await buildProgram(io, spmVersion()).parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    if (e instanceof UserError) {
      for (const i of e.issues) io.err(formatIssue(i));
      return 1;
    }
    // the audit found counts no suppression protects: nothing is published (not a bug in the data,
    // not a crash either: a refusal, exit code 3)
    if (e instanceof PublicationRefused) {
      io.err(e.message);
      return 3;
    }
    // full disk, no permission, read-only folder: the user's environment, not a bug
    const env = environmentIssue(e);
    if (env) {
      io.err(formatIssue(env));
      return 1;
    }
    const err = e as Error;
    io.err(`Interner Fehler: ${err?.message ?? String(e)}`);
    io.err('Das ist ein Fehler in spm, nicht in Ihren Daten. Bitte mit --verbose wiederholen und die Ausgabe melden.');
    if (verbose && err?.stack) io.err(err.stack);
    return 2;
  }
}

// A reader that stops early (`spm --help | head -5`) closes the pipe: end quietly, as command-line
// tools do on SIGPIPE, instead of an unhandled 'error' event with a stack trace. Any other failure
// to write the output is one line and exit code 1.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream !== process.stderr) process.stderr.write(`Fehler beim Schreiben der Ausgabe: ${e.message}\n`);
    process.exit(1);
  });

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
