/**
 * The benchmark's growth factor 1x -> 4x (per figure and per input row) and its words for a
 * child process that did not complete (exit code, signal, timeout). No timings are measured.
 */
import { describe, expect, it } from 'vitest';
import { growth, type SizeFigures } from '../../bench/growth.js';
import { failureText } from '../../bench/child-failure.js';

const ONE: SizeFigures = {
  rows_read: 1_000,
  result_rows: 500,
  spm_wall_ms: 100,
  spm_cpu_ms: 80,
  floor_wall_ms: 10,
  floor_cpu_ms: 20,
  spm_peak_rss_mib: 1_000,
  spm_stages_ms: { ingest: 10, compute: 60, export: 20, 'compute.suppression': 40 },
};

describe('growth 1x -> 4x', () => {
  it('gives the factor and the factor per input row (1 = linear)', () => {
    const four: SizeFigures = {
      rows_read: 4_000,
      result_rows: 1_900,
      spm_wall_ms: 800, // twice as much per row
      spm_cpu_ms: 320, // linear
      floor_wall_ms: 40,
      floor_cpu_ms: 60,
      spm_peak_rss_mib: 1_500,
      spm_stages_ms: { ingest: 40, compute: 600, export: 60, 'compute.suppression': 520 },
    };
    const g = growth(ONE, four);
    expect(g.rows_factor).toBe(4);
    expect(g.result_rows_factor).toBe(3.8);
    const by = Object.fromEntries(g.items.map((i) => [i.what, i]));
    expect(by['spm Wand']).toMatchObject({ one: 100, four: 800, factor: 8, per_row: 2, unit: 'ms' });
    expect(by['spm CPU']).toMatchObject({ factor: 4, per_row: 1 });
    expect(by['spm Spitzen-RSS']).toMatchObject({ factor: 1.5, per_row: 0.375, unit: 'MiB' });
    expect(by['spm compute.suppression']).toMatchObject({ factor: 13, per_row: 3.25 });
    expect(by['Boden CPU']).toMatchObject({ factor: 3, per_row: 0.75 });
    // spm's growth over the floor's: wall 8 / 4, CPU 4 / 3
    expect(g.vs_floor.wall).toBe(2);
    expect(g.vs_floor.cpu).toBeCloseTo(4 / 3, 12);
    expect(g.items.map((i) => i.what)).toEqual([
      'spm Wand',
      'spm CPU',
      'spm Spitzen-RSS',
      'spm ingest',
      'spm compute',
      'spm compute.suppression',
      'spm export',
      'Boden Wand',
      'Boden CPU',
    ]);
  });

  it('leaves out stages one size lacks and keeps a missing floor as NaN', () => {
    const four: SizeFigures = {
      ...ONE,
      rows_read: 2_000,
      floor_wall_ms: NaN,
      floor_cpu_ms: NaN,
      spm_stages_ms: { ingest: 20, compute: Number.NaN },
    };
    const g = growth(ONE, four);
    expect(g.items.map((i) => i.what)).toEqual([
      'spm Wand',
      'spm CPU',
      'spm Spitzen-RSS',
      'spm ingest',
      'Boden Wand',
      'Boden CPU',
    ]);
    expect(g.items.find((i) => i.what === 'Boden CPU')?.factor).toBeNaN();
    expect(g.vs_floor.wall).toBeNaN();
  });
});

describe('a child that did not complete', () => {
  it('names the exit code and the end of the error output', () => {
    const t = failureText('spm compute', 2, null, null, 'a\nb\nGeheimhaltung: 3 gesperrte Zelle(n)\n');
    expect(t).toBe('spm compute endete mit Code 2; Ende der Fehlerausgabe:\na\nb\nGeheimhaltung: 3 gesperrte Zelle(n)');
  });

  it('names a kill by the system (directly or through /usr/bin/time) as likely out of memory', () => {
    expect(failureText('Boden', null, 'SIGKILL', null, '')).toBe(
      'Boden vom Betriebssystem beendet (SIGKILL; meist: Arbeitsspeicher erschöpft)',
    );
    expect(failureText('Boden', 137, null, null, '')).toBe(
      'Boden durch Signal 9 beendet (Code 137; meist: Arbeitsspeicher erschöpft)',
    );
    expect(failureText('Boden', 143, null, null, '')).toBe('Boden durch Signal 15 beendet (Code 143)');
  });

  it('names a timeout before the signal it caused', () => {
    expect(failureText('spm compute', null, 'SIGTERM', 60, 'x')).toBe(
      'spm compute nach 60 min abgebrochen (--timeout); Ende der Fehlerausgabe:\nx',
    );
  });

  it('keeps only the last 12 lines of the error output', () => {
    const err = Array.from({ length: 30 }, (_, i) => `z${i}`).join('\n');
    expect(failureText('spm compute', 1, null, null, err).split('\n').slice(1)).toEqual(
      Array.from({ length: 12 }, (_, i) => `z${i + 18}`),
    );
  });
});
