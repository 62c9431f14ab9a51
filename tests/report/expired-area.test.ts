/**
 * A Sozialraum that a boundary change ended (merged, split, renamed: it has no rows after its last
 * year) is not among the Kommune's current Sozialräume: the pages neither count nor list it for the
 * latest year. Its earlier rows stay in the data and the charts.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/report/model.js';
import { kommunePage } from '../../src/report/page-kommune.js';
import { pageMarkdown } from '../../src/report/markdown.js';
import type { ReportInput } from '../../src/report/types.js';
import { MINI, reportInput, tmpDir } from './helpers.js';

let tmp: string;
let input: ReportInput;

beforeAll(async () => {
  tmp = tmpDir('spm-report-expired-');
  input = await reportInput(MINI, tmp);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a Sozialraum ended by a boundary change', () => {
  it('is neither listed nor counted in the latest year', () => {
    const before = buildModel(input);
    const k0 = before.kommunen.find((k) => k.sozialraeume.length >= 2)!;
    const gone = k0.sozialraeume[0]!;
    const latest = Math.max(...input.rows.map((r) => r.year));
    // its rows end the year before the latest, as after a change dated to the latest year
    const rows = input.rows.filter((r) => !(r.area_id === gone.id && r.year === latest));
    const model = buildModel({ ...input, rows });
    const k = model.kommunen.find((x) => x.ags === k0.ags)!;
    expect(k.sozialraeume.map((s) => s.id)).toEqual(k0.sozialraeume.slice(1).map((s) => s.id));
    const files = { files: new Map() };
    const page = pageMarkdown(kommunePage(model, k, files));
    expect(page).toContain(`und ${k0.sozialraeume.length - 1} `);
    expect(page).not.toContain(`und ${k0.sozialraeume.length} `);
  });
});
