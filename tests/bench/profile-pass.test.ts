import { describe, expect, it } from 'vitest';
import { auditRows, coverRows, formatRows } from '../../bench/profile-pass.js';
import { auditSizeClass } from '../../src/privacy/audit.js';

/** Counters as the pass keeps them, from "kind n ms, kind n ms, ...". */
function counters(text: string): Record<string, { n: number; ms: number }> {
  return Object.fromEntries(
    text.split(', ').map((entry) => {
      const [kind, n, ms] = entry.split(' ');
      return [kind!, { n: Number(n), ms: Number(ms) }];
    }),
  );
}

describe('bench/profile-pass: the protection pass broken down', () => {
  it('sums the cover LPs by kind and outcome over all neighbourhood sizes', () => {
    const rows = coverRows(
      counters(
        'batch_800_covers 2 10, batch_1600_covers 3 20, batch_1600_none 1 5, single_400_covers 7 14, single_400_none 4 2, single_262144_impossible 1 100',
      ),
    );
    expect(rows.map((r) => [r.label, r.n, r.ms])).toEqual([
      ['Bündel mit Deckungszellen', 5, 30],
      ['Bündel ohne Lösung in ihrer Größe', 1, 5],
      ['einzelne mit Deckungszellen', 7, 14],
      ['einzelne ohne Lösung in ihrer Größe', 4, 2],
      ['einzelne ohne jede Lösung', 1, 100],
    ]);
  });

  it('keeps the audit kinds apart and counts no kind twice', () => {
    // the last one, auditRun's own CPU total, is reported on its own line, never inside a row
    const rows = auditRows(
      counters(
        'batch 10 100, batch_whole 1 50, mip_batch 2 7, mip_single 1 3, local_60 4 4, relaxed_240 2 6, check_full 1 9, cpu 3 500',
      ),
    );
    expect(rows.map((r) => [r.n, r.ms])).toEqual([
      [10, 100],
      [1, 50],
      [3, 10],
      [7, 19],
    ]);
  });

  it('classes components by size, pieces first', () => {
    expect(auditSizeClass(5)).toBe('1–20');
    expect(auditSizeClass(100)).toBe('21–100');
    expect(auditSizeClass(101)).toBe('101–400');
    expect(auditSizeClass(2000)).toBe('401–2.000');
    expect(auditSizeClass(2001)).toBe('2.001–8.000');
    expect(auditSizeClass(8001)).toBe('über 8.000');
    // a test system with small pieces: a component above the piece size is cut, whatever its size
    expect(auditSizeClass(600, 500)).toBe('über 500');
  });

  it('prints each row with its share of the total', () => {
    const [line] = formatRows([{ label: 'Bündel', n: 1234, ms: 2500 }], 10000);
    expect(line).toContain('1.234x');
    expect(line).toContain('2,5 s');
    expect(line).toContain('25 %');
  });
});
