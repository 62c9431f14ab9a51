/** The finding sentences, one per case: worse / better / not distinguishable, neutral higher / lower, masked, no value, missing. */
import { describe, expect, it } from 'vitest';
import type { IndicatorMeta, KennzahlRow } from '../../src/charts/types.js';
import {
  comparisonSentence,
  subjectOf,
  trendSentence,
  valueText,
  maskedSentence,
  glanceSentence,
} from '../../src/report/sentences.js';
import { countCell } from '../../src/report/cells.js';
import { nullRow } from '../../src/publish/schema.js';

const sgb2: IndicatorMeta = {
  id: 'sgb2_quote_unter_15',
  title: 'SGB-II-Quote unter 15 Jahren',
  short_title: 'SGB-II-Quote unter 15',
  unit: 'percent',
  polarity: 'worse',
  lebensphase: 'uebergreifend',
  family: 'soziale_lage',
  breaks: [],
};
const masern: IndicatorMeta = {
  id: 'masern',
  title: 'Masern-Impfquote (2 Dosen) bei der Schuleingangsuntersuchung',
  short_title: 'Masern 2 Dosen (SEU)',
  unit: 'percent',
  polarity: 'better',
  lebensphase: '3-6',
  family: 'gesundheit_seu',
  breaks: [],
};
const anteil: IndicatorMeta = {
  id: 'anteil_nichtdeutsch',
  title: 'Anteil der Einwohnerinnen und Einwohner mit nichtdeutscher Staatsangehörigkeit',
  unit: 'percent',
  polarity: 'neutral',
  lebensphase: 'uebergreifend',
  family: 'demografie',
  breaks: [],
};
const inobhut: IndicatorMeta = {
  id: 'inobhutnahmen',
  title: 'Inobhutnahmen nach § 42 SGB VIII je 1.000 unter 18',
  short_title: 'Inobhutnahmen § 42',
  unit: 'per_1000',
  polarity: 'worse',
  lebensphase: 'uebergreifend',
  family: 'jugendhilfe',
  breaks: [],
};
const sprache: IndicatorMeta = {
  id: 'seu_sprache',
  title: 'Sprachförderbedarf bei der Schuleingangsuntersuchung',
  short_title: 'Sprachförderbedarf (SEU)',
  unit: 'percent',
  polarity: 'worse',
  lebensphase: '3-6',
  family: 'gesundheit_seu',
  breaks: [],
};

/** Sentences use no-break spaces inside values; compare with plain spaces. */
const plain = (s: string | undefined) => s?.replace(/\u00a0/g, ' ');

function row(over: Partial<KennzahlRow>): KennzahlRow {
  return {
    ...nullRow(),
    indicator_id: 'x',
    indicator_version: 1,
    indicator_title: 'x',
    period: '2024',
    level: 'kommune',
    area_id: '05558012',
    area_name: 'Coesfeld',
    kommune_ags: '05558012',
    year: 2024,
    pool_years: 1,
    numerator: 10,
    denominator: 100,
    value: 10,
    unit: 'percent',
    status: 'ok',
    suppression: null,
    ...over,
  };
}
const kreis = { ref: 'kreis' as const, refName: 'Kreis Coesfeld' };

describe('comparisonSentence', () => {
  it('significantly worse, above the Kreis (the brief’s example)', () => {
    const r = row({ value: 18.4, ref_kreis_value: 11.9, sig_kreis: 'worse' });
    expect(plain(comparisonSentence(sgb2, r, kreis))).toBe(
      'Die SGB-II-Quote unter 15 Jahren liegt 2024 in Coesfeld mit 18,4 % signifikant über dem Kreiswert (11,9 %); das ist ungünstiger als im Kreis Coesfeld.',
    );
  });
  it('significantly worse below the Kreis for an indicator where higher is better', () => {
    const r = row({ value: 85, ref_kreis_value: 92.1, sig_kreis: 'worse' });
    expect(plain(comparisonSentence(masern, r, kreis))).toBe(
      'Die Masern-Impfquote (2 Dosen) bei der Schuleingangsuntersuchung liegt 2024 in Coesfeld mit 85,0 % signifikant unter dem Kreiswert (92,1 %); das ist ungünstiger als im Kreis Coesfeld.',
    );
  });
  it('significantly better', () => {
    const r = row({ value: 7.2, ref_kreis_value: 11.9, sig_kreis: 'better' });
    expect(plain(comparisonSentence(sgb2, r, kreis))).toBe(
      'Die SGB-II-Quote unter 15 Jahren liegt 2024 in Coesfeld mit 7,2 % signifikant unter dem Kreiswert (11,9 %); das ist günstiger als im Kreis Coesfeld.',
    );
  });
  it('not distinguishable: direction named, significance denied; equal values "auf der Höhe"', () => {
    expect(
      plain(
        comparisonSentence(sgb2, row({ value: 12.3, ref_kreis_value: 11.9, sig_kreis: 'not_distinguishable' }), kreis),
      ),
    ).toBe(
      'Die SGB-II-Quote unter 15 Jahren liegt 2024 in Coesfeld mit 12,3 % über dem Kreiswert (11,9 %); der Unterschied ist statistisch nicht signifikant.',
    );
    expect(
      plain(
        comparisonSentence(sgb2, row({ value: 11.94, ref_kreis_value: 11.9, sig_kreis: 'not_distinguishable' }), kreis),
      ),
    ).toBe('Die SGB-II-Quote unter 15 Jahren liegt 2024 in Coesfeld mit 11,9 % auf der Höhe des Kreiswerts (11,9 %).');
  });
  it('neutral polarity: higher / lower without a verdict', () => {
    expect(
      plain(comparisonSentence(anteil, row({ value: 11.1, ref_kreis_value: 10.2, sig_kreis: 'higher' }), kreis)),
    ).toBe(
      'Der Anteil der Einwohnerinnen und Einwohner mit nichtdeutscher Staatsangehörigkeit liegt 2024 in Coesfeld mit 11,1 % signifikant über dem Kreiswert (10,2 %).',
    );
    const lower = plain(
      comparisonSentence(anteil, row({ value: 9.1, ref_kreis_value: 10.2, sig_kreis: 'lower' }), kreis),
    )!;
    expect(lower).toContain('signifikant unter dem Kreiswert (10,2 %).');
    expect(lower).not.toMatch(/günstig/);
  });
  it('per 1.000 units with the population from the title', () => {
    const r = row({ unit: 'per_1000', value: 4.21, ref_kreis_value: 2.5, sig_kreis: 'worse' });
    expect(plain(comparisonSentence(inobhut, r, kreis))).toBe(
      'Der Wert „Inobhutnahmen § 42“ liegt 2024 in Coesfeld mit 4,2 je 1.000 unter 18-Jährige signifikant über dem Kreiswert (2,5 je 1.000 unter 18-Jährige); das ist ungünstiger als im Kreis Coesfeld.',
    );
  });
  it('a Sozialraum against its Kommune', () => {
    const r = row({
      level: 'sozialraum',
      area_id: '05558012-01',
      area_name: 'Innenstadt',
      value: 19.3,
      ref_kommune_value: 10.9,
      sig_kommune: 'worse',
    });
    expect(plain(comparisonSentence(sgb2, r, { ref: 'kommune', refName: 'Coesfeld' }))).toBe(
      'Die SGB-II-Quote unter 15 Jahren liegt 2024 im Sozialraum Innenstadt mit 19,3 % signifikant über dem Wert von Coesfeld insgesamt (10,9 %); das ist ungünstiger als in Coesfeld insgesamt.',
    );
    expect(plain(comparisonSentence(sgb2, r, { ref: 'kommune', refName: 'Coesfeld', subject: 'wert' }))).toMatch(
      /^Im Sozialraum Innenstadt liegt der Wert 2024 mit 19,3 % signifikant über/,
    );
  });
  it('masked: says so, never a number, even if the input still carries one', () => {
    const r = row({
      level: 'sozialraum',
      area_name: 'Lette',
      suppression: 'gesperrt',
      value: 3.456,
      numerator: 3,
      denominator: 87,
      ref_kreis_value: 11.9,
      sig_kreis: 'better',
    });
    const s = comparisonSentence(sgb2, r, kreis);
    expect(s).toBe(
      'Die SGB-II-Quote unter 15 Jahren wird für den Sozialraum Lette 2024 aus Datenschutzgründen nicht ausgewiesen.',
    );
    expect(s).not.toMatch(/\d,\d|87/);
    expect(maskedSentence(sgb2, 'kommune', 'Coesfeld', 2023)).toBe(
      'Die SGB-II-Quote unter 15 Jahren wird für Coesfeld 2023 aus Datenschutzgründen nicht ausgewiesen.',
    );
  });
  it('no value: names the reason', () => {
    const r = row({ value: null, numerator: 2, denominator: 12, status: 'below_min_denominator' });
    expect(comparisonSentence(sgb2, r, kreis)).toBe(
      'Die SGB-II-Quote unter 15 Jahren kann für Coesfeld 2024 nicht ausgewiesen werden: die Zahl der Fälle im Nenner liegt unter dem Mindestnenner.',
    );
    expect(comparisonSentence(sgb2, row({ value: null, status: 'missing_input' }), kreis)).toMatch(
      /Eingangsdaten fehlen\.$/,
    );
  });
  it('missing row and missing comparison', () => {
    expect(comparisonSentence(sgb2, undefined, { ...kreis, areaName: 'Coesfeld', level: 'kommune', year: 2024 })).toBe(
      'Die SGB-II-Quote unter 15 Jahren liegt für Coesfeld 2024 nicht vor.',
    );
    expect(plain(comparisonSentence(sgb2, row({ value: 10, sig_kreis: null, ref_kreis_value: null }), kreis))).toBe(
      'Die SGB-II-Quote unter 15 Jahren liegt 2024 in Coesfeld bei 10,0 %; ein Vergleich mit dem Kreiswert ist nicht möglich.',
    );
    expect(
      plain(comparisonSentence(sgb2, row({ level: 'kreis', area_name: 'Kreis Coesfeld', value: 11.9 }), kreis)),
    ).toBe('Die SGB-II-Quote unter 15 Jahren liegt 2024 im Kreis Coesfeld bei 11,9 %.');
  });
  it('estimated values are marked', () => {
    expect(
      plain(
        comparisonSentence(
          sgb2,
          row({ status: 'estimated', value: 10.9, ref_kreis_value: 9.3, sig_kreis: 'worse' }),
          kreis,
        ),
      ),
    ).toContain('mit 10,9 % (g) signifikant über dem Kreiswert (9,3 %)');
  });
  it('an estimated reference value carries the same marker as the table', () => {
    const r = row({ status: 'estimated', value: 10.9, ref_kreis_value: 9.3, sig_kreis: 'worse' });
    expect(plain(comparisonSentence(sgb2, r, { ...kreis, refEstimated: true }))).toContain(
      'mit 10,9 % (g) signifikant über dem Kreiswert (9,3 % (g))',
    );
    expect(
      plain(
        comparisonSentence(
          sgb2,
          { ...r, status: 'ok', sig_kreis: 'not_distinguishable' },
          { ...kreis, refEstimated: true },
        ),
      ),
    ).toContain('(9,3 % (g))');
  });
});

describe('subjectOf', () => {
  it('takes the article of a rate noun, else quotes the short title', () => {
    expect(subjectOf(sgb2)).toBe('Die SGB-II-Quote unter 15 Jahren');
    expect(subjectOf(anteil)).toMatch(/^Der Anteil der Einwohner/);
    expect(subjectOf({ title: 'Eckwert der Hilfen zur Erziehung je 10.000 unter 21', unit: 'per_10000' })).toBe(
      'Der Eckwert der Hilfen zur Erziehung',
    );
    expect(subjectOf(sprache)).toBe('Der Anteil „Sprachförderbedarf (SEU)“');
    expect(subjectOf(inobhut)).toBe('Der Wert „Inobhutnahmen § 42“');
  });
});

describe('trendSentence', () => {
  it('significant rise with CI and verdict; no trend; masked', () => {
    const r = row({
      trend_from: 2020,
      trend_n: 5,
      trend_slope: 0.55,
      trend_low: 0.29,
      trend_high: 0.81,
      trend_sig: 'worse',
    });
    expect(plain(trendSentence(sgb2, r))).toBe(
      'Von 2020 bis 2024 ist der Wert signifikant gestiegen (im Mittel +0,6 Prozentpunkte pro Jahr, 95-%-KI +0,3 bis +0,8); das ist eine ungünstige Entwicklung.',
    );
    expect(
      plain(
        trendSentence(
          masern,
          row({ trend_from: 2020, trend_slope: -1.2, trend_low: -2, trend_high: -0.4, trend_sig: 'worse' }),
        ),
      ),
    ).toMatch(/signifikant gesunken \(im Mittel −1,2 Prozentpunkte pro Jahr.*ungünstige Entwicklung\.$/);
    expect(trendSentence(sgb2, row({ trend_from: 2020, trend_slope: 0.1, trend_sig: 'not_distinguishable' }))).toBe(
      'Von 2020 bis 2024 zeigt sich kein statistisch gesicherter Trend.',
    );
    expect(
      trendSentence(sgb2, row({ suppression: 'gesperrt', trend_from: 2020, trend_slope: 1, trend_sig: 'worse' })),
    ).toBeUndefined();
  });
  it('a boundary change of the area (areas.changes): the trend starts with it, or a break inside is named', () => {
    const r = row({ trend_from: 2022, trend_slope: 0.1, trend_sig: 'not_distinguishable' });
    expect(trendSentence(sgb2, r, [{ year: 2022 }])).toBe(
      'Von 2022 bis 2024 zeigt sich kein statistisch gesicherter Trend. Die Zeitreihe beginnt mit der Gebietsänderung 2022 neu; frühere Jahre sind nicht vergleichbar.',
    );
    expect(trendSentence(sgb2, r, [{ year: 2023 }])).toMatch(/Achtung: .* Bruch \(Gebietsänderung 2023\)\.$/);
    // a change before the window, or none: nothing added
    expect(trendSentence(sgb2, r, [{ year: 2019 }])).toBe(
      'Von 2022 bis 2024 zeigt sich kein statistisch gesicherter Trend.',
    );
  });
});

describe('valueText', () => {
  it('formats German numbers with units', () => {
    expect(plain(valueText(1234.56, { unit: 'percent', title: 'x' }))).toBe('1.234,6 %');
    expect(plain(valueText(358.9, { unit: 'per_10000', title: 'HzE je 10.000 unter 21' }))).toBe(
      '358,9 je 10.000 unter 21-Jährige',
    );
    expect(valueText(12, { unit: 'count', title: 'x' })).toBe('12');
  });
});

describe('grammar of counts, breaks and estimated counts', () => {
  it('singular, plural and "keine" in the summary', () => {
    expect(
      glanceSentence(25, 'Coesfeld', 'im Kreis Coesfeld', { worse: 4, better: 0, nd: 17, neutral: 1, none: 3 }),
    ).toBe(
      'Von 25 Kennzahlen liegen in Coesfeld im jeweils neuesten Jahr 4 signifikant ungünstiger und keine signifikant günstiger als im Kreis Coesfeld; 17 sind nicht vom Kreiswert unterscheidbar, 1 Kontextkennzahl weicht signifikant ab, 3 sind ohne Vergleich.',
    );
    expect(glanceSentence(2, 'Olfen', 'im Kreis Coesfeld', { worse: 1, better: 0, nd: 1, neutral: 0, none: 0 })).toBe(
      'Von 2 Kennzahlen liegt in Olfen im jeweils neuesten Jahr 1 signifikant ungünstiger und keine signifikant günstiger als im Kreis Coesfeld; 1 ist nicht vom Kreiswert unterscheidbar.',
    );
  });
  it('"Achtung: Bruch" only when the trend window spans a declared break', () => {
    const withBreak = { ...sgb2, breaks: [{ year: 2021, description: 'Umstellung' }] };
    const r = row({
      trend_from: 2021,
      trend_slope: 0.5,
      trend_low: 0.2,
      trend_high: 0.8,
      trend_sig: 'worse',
      series_break: true,
    });
    expect(trendSentence(withBreak, r)).not.toContain('Bruch');
    expect(
      trendSentence(
        withBreak,
        row({ trend_from: 2020, trend_slope: 0.5, trend_low: 0.2, trend_high: 0.8, trend_sig: 'worse' }),
      ),
    ).toContain('Achtung: Die Zeitreihe hat in diesem Zeitraum einen Bruch');
  });
  it('half counts of estimated totals are shown as a range, never "19,5"', () => {
    const est = row({
      status: 'estimated',
      numerator: 19.5,
      denominator: 59.5,
      note: 'Summe enthält gesperrte Eingangswerte (Anzahl: 1), mit der Mitte ihres Wertebereichs geschätzt (Zähler 19 bis 20)',
    });
    expect(countCell(est.numerator, est).text).toBe('geschätzt 19–20');
    expect(countCell(est.denominator, est, 'denominator').text).toBe('ca. 60 (geschätzt)');
    expect(countCell(12, row({})).text).toBe('12');
    // a whole middle (13 to 15 gives 14) is an estimate too; an exact numerator (the suppressed
    // cells were in the denominator: "Zähler 14 bis 14") stays a plain count
    const note = (lo: number, hi: number) =>
      `Summe enthält gesperrte Eingangswerte (Anzahl: 2), mit der Mitte ihres Wertebereichs geschätzt (Zähler ${lo} bis ${hi})`;
    expect(countCell(14, row({ status: 'estimated', numerator: 14, note: note(13, 15) })).text).toBe('geschätzt 13–15');
    expect(countCell(14, row({ status: 'estimated', numerator: 14, note: note(14, 14) })).text).toBe('14');
  });
});
