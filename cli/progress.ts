/**
 * Progress of a long command on stderr: one updating line with the stage, the
 * file and row count while loading and a bar where the total is known, on a
 * terminal; one JSON object per event with `--json` (machine-readable); nothing
 * when stderr is not a terminal or with `--quiet`.
 */
import type { ProgressEvent } from '../src/index.js';

export type ProgressMode = 'tty' | 'json' | 'off';

/** `--quiet` silences, `--json` is machine-readable, otherwise only a terminal gets the line. */
export function progressMode(
  opts: { quiet?: boolean; json?: boolean },
  isTTY = process.stderr.isTTY === true,
): ProgressMode {
  if (opts.quiet) return 'off';
  if (opts.json) return 'json';
  return isTTY ? 'tty' : 'off';
}

const nf = new Intl.NumberFormat('de-DE');
const BAR = 24;

/** `[#########---------------]  9/24` */
export function bar(done: number, total: number): string {
  const f = total > 0 ? Math.min(BAR, Math.round((done / total) * BAR)) : 0;
  return `[${'#'.repeat(f)}${'-'.repeat(BAR - f)}] ${nf.format(done)}/${nf.format(total)}`;
}

/** The German line for an event (`files` = number of files seen so far while loading). */
export function progressLine(e: ProgressEvent, files: number): string {
  switch (e.stage) {
    case 'config':
      return 'Prüfe spm.yaml und Indikatoren …';
    case 'ingest':
      return `Lade Daten (Datei ${files}): ${e.source} – ${e.file} – ${nf.format(e.rows)} Zeilen`;
    case 'compile':
      return 'Übersetze Indikatoren in SQL …';
    case 'compute':
      return `Berechne ${bar(e.done, e.total)} ${e.indicator}`;
    case 'export':
      return 'Schreibe Tabellen und Manifest …';
    case 'report':
      return 'Schreibe Bericht (Seiten, Diagramme) …';
    case 'charts':
      return `Zeichne Diagramme ${bar(e.done, e.total)}`;
    case 'done':
      return 'Fertig.';
  }
}

export function progressReporter(
  mode: ProgressMode,
  write: (s: string) => void = (s) => void process.stderr.write(s),
  now: () => number = Date.now,
): { onProgress: (e: ProgressEvent) => void; done: () => void } {
  let last = 0;
  let stage = '';
  let shown = false;
  const files = new Set<string>();
  const done = (): void => {
    if (mode === 'tty' && shown) write('\r\x1b[2K');
    shown = false;
  };
  return {
    // detached as a callback: no `this`
    onProgress: (e) => {
      if (mode === 'off') return;
      if (e.stage === 'ingest') files.add(`${e.source}\u0000${e.file}`);
      if (mode === 'json') {
        write(JSON.stringify({ progress: e }) + '\n');
        return;
      }
      // redraw at most every 100 ms, but always on a new stage and at the end of a bar
      const t = now();
      const end = 'done' in e && 'total' in e && e.done === e.total;
      if (e.stage === stage && !end && t - last < 100) return;
      last = t;
      stage = e.stage;
      if (e.stage === 'done') return done();
      write(`\r\x1b[2K${progressLine(e, files.size)}`);
      shown = true;
    },
    done,
  };
}

/**
 * Runs `run` with the progress line `opts` ask for (`progressMode`), cleared when it ends or fails, so
 * that neither the result nor an error message is written over it.
 */
export async function withProgress<T>(
  opts: { quiet?: boolean; json?: boolean },
  run: (onProgress: (e: ProgressEvent) => void) => Promise<T>,
): Promise<T> {
  const progress = progressReporter(progressMode(opts));
  try {
    return await run(progress.onProgress);
  } finally {
    progress.done();
  }
}
