/**
 * `--kommune` of `spm charts` and `spm report` takes a code or a name: "Ascheberg" stands for
 * 05558004 where exactly one area of the second level has that name.
 */
import { describe, expect, it } from 'vitest';
import { resolveKommuneSelection } from '../../src/api/session.js';
import type { LoadedTables } from '../../src/ingest/types.js';

const loaded = {
  areas: {
    kommunen: [
      { ags: '05558004', name: 'Ascheberg' },
      { ags: '05558008', name: 'Billerbeck' },
      { ags: '05558090', name: 'Neustadt' },
      { ags: '05558091', name: 'Neustadt' },
    ],
  },
} as unknown as LoadedTables;

describe('resolveKommuneSelection', () => {
  it('codes as given, names to their code (case and spaces aside)', () => {
    expect(resolveKommuneSelection(loaded, ['05558008', 'Ascheberg', ' billerbeck '])).toEqual([
      '05558008',
      '05558004',
      '05558008',
    ]);
  });
  it('an unknown or ambiguous name is refused with the areas there are', () => {
    expect(() => resolveKommuneSelection(loaded, ['Ahaus'])).toThrow(
      /Unbekannte Kommunen: Ahaus \(vorhanden: 05558004 Ascheberg/,
    );
    expect(() => resolveKommuneSelection(loaded, ['Neustadt'])).toThrow(
      /Mehrdeutige Namen, bitte den Schlüssel angeben: Neustadt \(05558090 oder 05558091\)/,
    );
  });
});
