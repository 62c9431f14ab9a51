/**
 * How the benchmark reports a child process (spm or the floor) that did not complete: in
 * words (exit code, signal, timeout, the end of its error output), so that a size failing at
 * 4x NRW is one clear line in the report, not a crash of the bench.
 */

/** A child that did not complete: what happened, in words the bench prints (not a stack trace). */
export class RunFailed extends Error {}

/** Why a child ended without success, in German for the bench's report. */
export function failureText(
  label: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  timedOutMin: number | null,
  stderr: string,
): string {
  const tail = stderr.trim().split('\n').slice(-12).join('\n');
  const why =
    timedOutMin !== null
      ? `nach ${timedOutMin} min abgebrochen (--timeout)`
      : signal === 'SIGKILL'
        ? 'vom Betriebssystem beendet (SIGKILL; meist: Arbeitsspeicher erschöpft)'
        : signal
          ? `durch Signal ${signal} beendet`
          : // /usr/bin/time reports a child killed by a signal as exit code 128 + signal
            code !== null && code > 128 && code < 160
            ? `durch Signal ${code - 128} beendet (Code ${code}${code === 137 ? '; meist: Arbeitsspeicher erschöpft' : ''})`
            : `endete mit Code ${code}`;
  return `${label} ${why}${tail ? `; Ende der Fehlerausgabe:\n${tail}` : ''}`;
}
