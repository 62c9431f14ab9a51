#!/usr/bin/env node
/**
 * Entry of the `spm` binary: runs the program and maps errors to exit codes.
 * Bad arguments: message, exit 1; every other error as `reportError` (cli/errors.ts) says.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { spmVersion } from '../src/util/paths.js';
import { reportError } from './errors.js';

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
    return reportError(e, io.err, verbose);
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
