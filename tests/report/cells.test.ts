/** Table marks use the one vocabulary: the verdict's mark is the chart's shape, the arrow is the direction of the value. */
import { describe, expect, it } from 'vitest';
import { countCell, noteCell, noteText, sigCell, sigSymbolCell, valueCell } from '../../src/report/cells.js';
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
  it('an estimated value carries "(g)" in the matrix as in the value cell', () => {
    const r = row({ status: 'estimated' });
    expect(text(sigSymbolCell(r.sig_kreis, r, kita))).toBe('■ 31,6\u00a0(g)\u00a0↓');
    expect(sigSymbolCell(r.sig_kreis, r, kita).title).toBe('ungünstiger, niedriger, Wert geschätzt');
    expect(text(valueCell(kita, r))).toBe('31,6\u00a0(g)');
    // a masked row says nothing about an estimate
    const masked = row({ status: 'estimated', suppression: 'gesperrt', value: null });
    expect(text(sigSymbolCell(null, masked, kita))).not.toMatch(/\(g\)|\d/);
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

describe('counts in notes', () => {
  const note =
    'Summe enthält gesperrte Eingangswerte (Anzahl: 59), mit der Mitte ihres Wertebereichs geschätzt (Zähler 3119 bis 3124)';
  it('the Hinweis writes the counts of a compute note with German thousands separators, like the count cell', () => {
    const r = row({ status: 'estimated', numerator: 3121.5, denominator: 33_000, note });
    expect(text(noteCell(r))).toBe(
      'Summe enthält gesperrte Eingangswerte (Anzahl: 59), mit der Mitte ihres Wertebereichs geschätzt (Zähler 3.119 bis 3.124)',
    );
    expect(text(countCell(r.numerator, r))).toBe('geschätzt 3.119–3.124');
  });
  it('a Mindestnenner and decimal counts are formatted, years and small numbers stay as they are', () => {
    expect(noteText('Nenner unter dem Mindestnenner 1000')).toBe('Nenner unter dem Mindestnenner 1.000');
    expect(noteText('geschätzt (Zähler 1234,5 bis 1300)')).toBe('geschätzt (Zähler 1.234,5 bis 1.300)');
    expect(noteText('Nenner ist 0')).toBe('Nenner ist 0');
    expect(noteText('Bruch 2019 bis 2020')).toBe('Bruch 2019 bis 2020');
    const r = row({ status: 'estimated', numerator: 1267.25, note: 'x (Zähler 1234,5 bis 1300)' });
    expect(text(countCell(r.numerator, r))).toBe('geschätzt 1.234,5–1.300');
  });
});
