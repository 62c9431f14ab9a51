/**
 * A published rate (value as the source publishes it: no counts, no interval, no verdict)
 * in the report: the alt texts describe no band or interval the charts do not draw, and
 * the Präventionskette of the Kommunalprofil draws no deviation the text calls impossible.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/report/model.js';
import { rankingAlt, timeSeriesAlt } from '../../src/report/chart-blocks.js';
import type { ReportInput } from '../../src/report/types.js';

type Json = Record<string, unknown>;
import { MINI, reportInput, tmpDir } from './helpers.js';

let tmp: string;
let input: ReportInput;

beforeAll(async () => {
  tmp = tmpDir('spm-report-published-');
  input = await reportInput(MINI, tmp);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a published rate in the report', () => {
  it('alt texts and the Präventionskette', () => {
    const published = new Set(['hze_eckwert', 'seu_uebergewicht']);
    const rows = input.rows.map((r) =>
      published.has(r.indicator_id)
        ? { ...r, numerator: null, denominator: null, ci_low: null, ci_high: null, sig_kreis: null, sig_kommune: null }
        : r,
    );
    const before = buildModel(input);
    const model = buildModel({ ...input, rows });
    const ind = (m: typeof model, id: string) => m.indicators.find((i) => i.id === id)!;
    const y = model.year.get('seu_uebergewicht')!;
    // with counts: band and intervals
    expect(timeSeriesAlt(before, ind(before, 'hze_eckwert'), '05558012', 'Coesfeld')).toMatch(
      /^Liniendiagramm mit 95-%-Konfidenzband: /,
    );
    expect(rankingAlt(before, ind(before, 'seu_uebergewicht'), 'von Coesfeld', 'sozialraum', '05558012', y)).toMatch(
      /^Balkendiagramm mit 95-%-Konfidenzintervallen: /,
    );
    // published rates: neither
    expect(timeSeriesAlt(model, ind(model, 'hze_eckwert'), '05558012', 'Coesfeld')).toMatch(/^Liniendiagramm: /);
    expect(rankingAlt(model, ind(model, 'seu_uebergewicht'), 'von Coesfeld', 'sozialraum', '05558012', y)).toMatch(
      /^Balkendiagramm: /,
    );
    const chain = (m: typeof model) =>
      (
        (m.charts.get('charts/praeventionskette/praeventionskette_05558012')!.spec as unknown as { vconcat: Json[] })
          .vconcat[0]!.data as { values: Json[] }
      ).values.find((d) => d.indicator === 'HzE-Eckwert')!;
    expect(chain(before).dev).not.toBeNull();
    expect(chain(model).value).not.toBeNull();
    expect(chain(model).dev).toBeNull();
    expect(String(chain(model).label)).toContain('ohne Vergleich');
  });
});
