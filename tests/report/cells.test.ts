/** Table marks use the one vocabulary: the verdict's mark is the chart's shape, the arrow is the direction of the value. */
import { describe, expect, it } from 'vitest';
import { sigCell, sigSymbolCell } from '../../src/report/cells.js';
import { SIG_STYLE } from '../../src/charts/theme.js';
import { sigLabel } from '../../src/charts/significance.js';
import { VERDICT } from '../../src/charts/vocabulary.js';
import type { IndicatorMeta, KennzahlRow } from '../../src/charts/types.js';
import { nullRow } from '../../src/publish/schema.js';

const kita: IndicatorMeta = {
  id: 'kita_quote_unter_3',
  title: 'Kita-Quote unter 3',
  unit: 'percent',
  polarity: 'better',
  lebensphase: '0-3',
  family: 'bildung',
  breaks: [],
};
const row = (o: Partial<KennzahlRow>): KennzahlRow => ({
  ...nullRow(),
  indicator_version: 1,
  indicator_title: kita.title,
  period: '2024',
  indicator_id: kita.id,
  level: 'kommune',
  area_id: '05558016',
  area_name: 'Dülmen',
  kommune_ags: '05558016',
  year: 2024,
  pool_years: 1,
  numerator: 300,
  denominator: 950,
  value: 31.6,
  unit: 'percent',
  status: 'ok',
  ref_kreis_value: 34.1,
  sig_kreis: 'worse',
  ...o,
});
const text = (c: { text: unknown }) =>
  Array.isArray(c.text) ? c.text.map((p) => (typeof p === 'string' ? p : '')).join('') : String(c.text);

describe('comparison cells', () => {
  it('a value below the Kreis that is ungünstiger shows the verdict mark and a down arrow, never ▲', () => {
    const r = row({});
    expect(text(sigCell(r.sig_kreis, r, 'kreis', kita))).toBe('■ ungünstiger (↓\u00a0niedriger)');
    const m = sigSymbolCell(r.sig_kreis, r, kita);
    expect(text(m)).toBe('■ 31,6\u00a0↓');
    expect(m.title).toBe('ungünstiger, niedriger');
  });
  it('a rising trend that is ungünstig says gestiegen with the same verdict mark', () => {
    const r = row({ trend_slope: 0.8, trend_sig: 'worse' });
    expect(text(sigCell('worse', r, 'trend', kita))).toBe('■ ungünstiger (↑\u00a0gestiegen)');
  });
  it('charts and tables share shapes and words', () => {
    expect(SIG_STYLE.worse.shape).toBe('square');
    expect(VERDICT.worse.symbol).toBe('■');
    expect(SIG_STYLE.better.shape).toBe('diamond');
    expect(VERDICT.better.symbol).toBe('◆');
    // the legend names the reference, whatever the top level is called (a Stadt reads "als Teststadt")
    expect(sigLabel('worse', 'Kreis Coesfeld')).toBe('ungünstiger als Kreis Coesfeld');
    expect(sigLabel('worse', 'Teststadt')).toBe('ungünstiger als Teststadt');
    expect(Object.values(SIG_STYLE).some((s) => JSON.stringify(s).includes('Kreis'))).toBe(false);
    expect(text(sigCell('not_distinguishable', row({ sig_kreis: 'not_distinguishable' }), 'kreis', kita))).toBe(
      '○ nicht unterscheidbar',
    );
    expect(text(sigCell(null, row({ suppression: 'gesperrt', status: 'masked', value: null }), 'kreis', kita))).toBe(
      '× gesperrt',
    );
  });
});
