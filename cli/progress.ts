/** A one-line progress display on a terminal (stderr), silent otherwise. */
import type { ProgressEvent } from '../src/index.js';

export function progressReporter(enabled: boolean): { onProgress: (e: ProgressEvent) => void; done: () => void } {
  const tty = enabled && process.stderr.isTTY;
  let last = 0;
  const write = (s: string): void => {
    if (!tty) return;
    process.stderr.write(`\r\x1b[2K${s}`);
  };
  return {
    onProgress(e) {
      const now = Date.now();
      if (e.stage === 'ingest') {
        if (now - last < 100) return;
        last = now;
        write(`Lade ${e.source}: ${e.file} – ${new Intl.NumberFormat('de-DE').format(e.rows)} Zeilen`);
      } else if (e.stage === 'compute') write(`Berechne ${e.done}/${e.total} ${e.indicator}`);
      else if (e.stage === 'export') write('Schreibe Ausgaben …');
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[2K');
    },
  };
}
