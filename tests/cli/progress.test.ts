/** Progress on stderr: a line with a bar on a terminal, JSON lines with --json, nothing otherwise. */
import { describe, expect, it } from 'vitest';
import { bar, progressLine, progressMode, progressReporter } from '../../cli/progress.js';

describe('progress', () => {
  it('is quiet without a terminal or with --quiet, JSON with --json', () => {
    expect(progressMode({}, false)).toBe('off');
    expect(progressMode({}, true)).toBe('tty');
    expect(progressMode({ quiet: true }, true)).toBe('off');
    expect(progressMode({ json: true }, false)).toBe('json');
    const out: string[] = [];
    const off = progressReporter('off', (s) => out.push(s));
    off.onProgress({ stage: 'compute', done: 1, total: 4, indicator: 'seu' });
    off.done();
    expect(out).toEqual([]);
  });

  it('draws stages, files, counts and a bar where the total is known', () => {
    expect(bar(6, 24)).toBe('[######------------------] 6/24');
    expect(progressLine({ stage: 'ingest', source: 'sgb2', file: 'rohdaten/sgb2.csv', rows: 12345 }, 3)).toBe(
      'Lade Daten (Datei 3): sgb2 – rohdaten/sgb2.csv – 12.345 Zeilen',
    );
    expect(progressLine({ stage: 'charts', done: 1200, total: 2400 }, 0)).toBe(
      'Zeichne Diagramme [############------------] 1.200/2.400',
    );
    let t = 0;
    const out: string[] = [];
    const { onProgress, done } = progressReporter(
      'tty',
      (s) => out.push(s),
      () => t,
    );
    const p = { onProgress, done }; // used detached, as the CLI passes them
    p.onProgress({ stage: 'ingest', source: 'a', file: 'a.csv', rows: 1 });
    p.onProgress({ stage: 'ingest', source: 'a', file: 'a.csv', rows: 2 }); // within 100 ms: not redrawn
    t = 200;
    p.onProgress({ stage: 'ingest', source: 'b', file: 'b.csv', rows: 5 });
    p.onProgress({ stage: 'compute', done: 2, total: 2, indicator: 'x' }); // new stage: drawn at once
    p.onProgress({ stage: 'done' });
    expect(out).toEqual([
      '\r\x1b[2KLade Daten (Datei 1): a – a.csv – 1 Zeilen',
      '\r\x1b[2KLade Daten (Datei 2): b – b.csv – 5 Zeilen',
      '\r\x1b[2KBerechne [########################] 2/2 x',
      '\r\x1b[2K',
    ]);
  });

  it('--json: one JSON object per event', () => {
    const out: string[] = [];
    const p = progressReporter('json', (s) => out.push(s));
    p.onProgress({ stage: 'compute', done: 1, total: 3, indicator: 'seu' });
    p.done();
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { progress: { stage: 'compute', done: 1, total: 3, indicator: 'seu' } },
    ]);
  });
});
