/** The end summary of `spm compute` about the protection: the Hinweis line for cells judged without the cautious bounds. */
import { describe, expect, it } from 'vitest';
import { boundPairsNote, printCompute } from '../../cli/print.js';
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

describe('printCompute: a pass that protected with "numerator <= denominator" as relations', () => {
  const note = (masks: Record<string, number>) => {
    const r = summary();
    Object.assign(r.results.masks as object, masks);
    return lines(r).filter((l) => l.startsWith('Hinweis:'));
  };

  it('names how many counts the first pass could not protect, in how many passes they were, and the pairs', () => {
    expect(note({ boundPairs: 2, firstRefused: 4, passes: 2 })).toEqual([
      'Hinweis: Im ersten Durchgang ließen sich 4 kleine Fallzahlen nicht schützen, weil veröffentlichte Zähler und ' +
        'Nenner anderer Kennzahlen sie eingrenzten; geschützt sind sie in einem weiteren, mit „Zähler <= Nenner“ für 2 ' +
        'Zähler-Nenner-Paare als Beziehung (mehr Sperrungen, auch in diesen Kennzahlen).',
    ]);
    expect(note({ boundPairs: 1, firstRefused: 1, passes: 2 })).toEqual([
      'Hinweis: Im ersten Durchgang ließ sich eine kleine Fallzahl nicht schützen, weil veröffentlichte Zähler und ' +
        'Nenner anderer Kennzahlen sie eingrenzten; geschützt ist sie in einem weiteren, mit „Zähler <= Nenner“ für 1 ' +
        'Zähler-Nenner-Paar als Beziehung (mehr Sperrungen, auch in diesen Kennzahlen).',
    ]);
    expect(boundPairsNote(5, 1_234, 4)).toMatch(
      /^Hinweis: Im ersten Durchgang ließen sich 1\.234 kleine Fallzahlen nicht schützen, .*geschützt sind sie in 3 weiteren Durchgängen, mit „Zähler <= Nenner“ für 5 Zähler-Nenner-Paare /,
    );
  });

  it('names no number when the summary has none (masks from the cache of an older spm)', () => {
    expect(note({ boundPairs: 3 })).toEqual([boundPairsNote(3)]);
    expect(boundPairsNote(3)).toMatch(
      /^Hinweis: Im ersten Durchgang ließen sich kleine Fallzahlen nicht schützen, .*geschützt sind sie in einem weiteren, /,
    );
    expect(note({})).toEqual([]);
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
