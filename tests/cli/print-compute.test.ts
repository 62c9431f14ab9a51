/** The end summary of `spm compute` about the protection: the Hinweis line for cells judged without the cautious bounds. */
import { describe, expect, it } from 'vitest';
import { printCompute } from '../../cli/print.js';
import { STATUSES } from '../../src/compute/results-sql.js';
import type { ComputeRunResult } from '../../src/run/compute-run.js';

/** A run summary with only what printCompute reads; `tight`: cells judged without the cautious bounds. */
function summary(tight?: number): ComputeRunResult {
  const byStatus = { ...Object.fromEntries(STATUSES.map((st) => [st, 0])), ok: 10 };
  return {
    project: 'Testkreis',
    sources: [],
    issues: [],
    results: {
      rows: 10,
      indicators: 1,
      byStatus,
      masks: { primary: 2, secondary: 3, input: 0, ...(tight !== undefined ? { tightBoundsOnly: tight } : {}) },
    },
    outDir: 'out',
    outputs: [{ file: 'kennzahlen.csv' }],
  } as unknown as ComputeRunResult;
}

function lines(r: ComputeRunResult): string[] {
  const out: string[] = [];
  printCompute(r, (l) => out.push(l));
  return out;
}

describe('printCompute: protection', () => {
  it('says when protected counts were judged without the true counts of unpublished denominators', () => {
    expect(lines(summary(1))).toContain(
      'Hinweis: Ein geschützter Wert ist ohne die wahren Nenner unter dem Mindestnenner als Obergrenze geprüft, ' +
        'nur mit dem, was der Status „unter Mindestnenner“ zeigt (Zähler <= Nenner <= Mindestnenner - 1): ' +
        'mit ihnen (mehr, als ein Angreifer weiß) schützte keine Sperrung.',
    );
    expect(lines(summary(1234)).find((l) => l.startsWith('Hinweis:'))).toMatch(
      /^Hinweis: 1\.234 geschützte Werte sind ohne die wahren Nenner/,
    );
  });

  it('prints no Hinweis when every cell passed the stricter audit', () => {
    expect(lines(summary()).some((l) => l.startsWith('Hinweis:'))).toBe(false);
    expect(lines(summary(0)).some((l) => l.startsWith('Hinweis:'))).toBe(false);
    expect(lines(summary())).toContain(
      'Geheimhaltung: 2 Zellen primär, 3 sekundär gesperrt, 0 in der Quelle gesperrt.',
    );
  });
});

describe('printCompute: the result line', () => {
  it('counts every status, so the counts add up to the values, and names the statuses rejected rows left', () => {
    const r = summary();
    const byStatus = r.results.byStatus as Record<string, number>;
    Object.assign(byStatus, { ok: 5, suppressed_input: 1, rejected_input: 1, incomplete_input: 2 });
    r.results.rows = 9;
    (r as { rejected?: number }).rejected = 3;
    const out = lines(r);
    const result = out.find((l) => l.startsWith('Ergebnis:'))!;
    const counts = [...result.split('–')[1]!.matchAll(/ (\d+)(?:,|$)/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(9);
    expect(result).toContain('in der Quelle gesperrt 1');
    expect(result).toContain('Summe unvollständig 2');
    expect(out.find((l) => l.startsWith('Achtung:'))).toBe(
      'Achtung: 3 Eingangszeilen abgewiesen; betroffene Werte: 1 mit dem Status rejected_input (abgewiesen), ' +
        '2 mit dem Status incomplete_input (Summe unvollständig: Zeilen ohne gültiges Gebiet fehlen darin) ' +
        '(Liste: abgewiesene_zeilen.csv).',
    );
  });
});
