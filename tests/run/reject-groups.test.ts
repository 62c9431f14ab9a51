/**
 * The "wrong kreis.ags" hint of `spm validate` (src/run/reject-groups.ts): only for rows whose
 * area is not the project's, and only in a project declared with `kreis:`. A Stadt or Berlin's
 * LOR hierarchy has 8-digit codes too (Planungsräume), but no `kreis.ags` to be wrong.
 */
import { describe, expect, it } from 'vitest';
import { groupRejects } from '../../src/run/reject-groups.js';
import type { RejectedRow } from '../../src/ingest/types.js';

const rows = (code: string, ids: string[]): RejectedRow[] =>
  ids.map((area_id, i) => ({
    source: 'ewr',
    file: 'rohdaten/EWR_2024.csv',
    line: i + 2,
    column: 'E_E',
    code,
    reason: `Grund ${code}`,
    severity: 'error',
    area_id,
  }));

const PLR = ['01100101', '01100102', '01100205'];

describe('groupRejects: the kreis.ags hint', () => {
  it('names a wrong kreis.ags for areas the project does not know', () => {
    const [g] = groupRejects(rows('unknown_area', PLR), '05558');
    expect(g?.hint).toContain('wahrscheinlich ist kreis.ags falsch (gemeint wohl "01100")');
  });

  it('gives no such hint for another cause (a negative count in a known area)', () => {
    const [g] = groupRejects(rows('negative_count', PLR), '05558');
    expect(g?.hint).toBeUndefined();
  });

  it('gives no such hint in a project without kreis: (Stadt, declared levels)', () => {
    const [g] = groupRejects(rows('unknown_area', PLR), undefined);
    expect(g?.hint).toBeUndefined();
  });
});
