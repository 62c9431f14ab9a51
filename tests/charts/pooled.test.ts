/**
 * Sozialraum charts show the pooled window where single years are masked or
 * below the minimum denominator; rankings of only zeros or only gaps are not made.
 */
import { describe, expect, it } from 'vitest';
import { buildProjectCharts } from '../../src/charts/project-charts.js';
import { sozialraumWindow } from '../../src/charts/pooled.js';
import { quantileBreaks } from '../../src/charts/map-classes.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { META, ROWS } from './fixtures/rows.js';
import { footer, titleText, type Json } from './helpers.js';

const SGB = 'sgb2_quote_unter_15';
const SR = ['05558012-01', '05558012-02', '05558012-08'];

/** The fixture's 2024 Sozialraum rows masked in the single year, plus published 2022–2024 windows for all levels. */
function withWindows(): KennzahlRow[] {
  const single = ROWS.map((r) =>
    r.indicator_id === SGB && r.year === 2024 && r.level === 'sozialraum' && r.area_id !== SR[0]
      ? {
          ...r,
          suppression: 'gesperrt' as const,
          status: 'masked' as const,
          value: null,
          numerator: null,
          denominator: null,
          ci_low: null,
          ci_high: null,
          sig_kreis: null,
          sig_kommune: null,
        }
      : r,
  );
  const pooled = ROWS.filter((r) => r.indicator_id === SGB && r.year === 2024).map((r, i) => ({
    ...r,
    pool_years: 3,
    period: '2022–2024',
    suppression: null,
    status: 'ok' as const,
    value: 4.25 + i,
    numerator: 40 + i,
    denominator: 900,
  }));
  return [...single, ...pooled];
}

describe('pooled windows in Sozialraum charts', () => {
  it('chooses the window when it publishes more Sozialräume than the single year', () => {
    const rows = withWindows();
    expect(sozialraumWindow(rows, SGB, 2024, '05558012')).toEqual({ poolYears: 3, period: '2022–2024' });
    expect(sozialraumWindow(ROWS, SGB, 2024, '05558012').poolYears).toBe(1);
  });
  it('the Sozialraum ranking shows the pooled values, labelled in title and note', () => {
    const job = buildProjectCharts(withWindows(), META, { kommune: '05558012', indicator: SGB }).find(
      (j) => j.name === `charts/${SGB}/rangfolge_05558012`,
    )!;
    expect(job).toBeDefined();
    expect(titleText(job.spec)).toContain('2022–2024 (3-Jahres-Werte)');
    expect(footer(job.spec).replace(/\n/g, ' ')).toContain(
      '3-Jahres-Werte 2022–2024: Zähler und Nenner über die Jahre summiert',
    );
    const values = (((job.spec as unknown as Json).vconcat as Json[])[0]!.data as Json).values as Json[];
    for (const id of SR) expect(values.find((v) => v.area_id === id)!.value).not.toBeNull();
  });
  it('a ranking whose published values are all 0 is not made', () => {
    const zeros = ROWS.map((r) =>
      r.indicator_id === SGB && r.level === 'sozialraum'
        ? { ...r, value: 0, numerator: 0, ci_low: 0, ci_high: 0.4 }
        : r,
    );
    const names = buildProjectCharts(zeros, META, { kommune: '05558012', indicator: SGB }).map((j) => j.name);
    expect(names).not.toContain(`charts/${SGB}/rangfolge_05558012`);
    expect(names).toContain(`charts/${SGB}/rangfolge_05558`);
  });
});

describe('map classes', () => {
  it('quantile breaks rounded to readable numbers, strictly increasing', () => {
    expect(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40], 5)).toEqual([4, 6, 8, 10]);
    expect(quantileBreaks([4.63, 4.7, 5.1, 5.97, 6.3, 7.9], 4)).toEqual([5, 5.5, 6]);
    expect(quantileBreaks([3, 3], 5)).toEqual([]);
  });
});

describe('time series marks', () => {
  it('masked years are marked on the axis, estimated points hollow, lone years get their interval', async () => {
    const { timeSeries } = await import('../../src/charts/time-series.js');
    const rows = ROWS.map((r) => {
      if (r.indicator_id !== SGB || r.area_id !== '05558012') return r;
      if (r.year === 2022 || r.year === 2024)
        return {
          ...r,
          suppression: 'gesperrt' as const,
          status: 'masked' as const,
          value: null,
          ci_low: null,
          ci_high: null,
        };
      if (r.year === 2023) return { ...r, status: 'estimated' as const };
      return r;
    });
    const spec = timeSeries(rows, META, { indicator: SGB, area: '05558012' }) as unknown as Json;
    const layers = (spec.vconcat as Json[])[0]!.layer as Json[];
    const values = ((spec.vconcat as Json[])[0]!.data as Json).values as Json[];
    const p2023 = values.find((v) => v.key === 'area' && v.year === 2023)!;
    expect(p2023).toMatchObject({ estimated: true, lone: true });
    expect(
      layers.some((l) => JSON.stringify(l.transform ?? '').includes('datum.lone') && (l.mark as Json).type === 'rule'),
    ).toBe(true);
    expect(layers.some((l) => (l.mark as Json).type === 'point' && (l.mark as Json).filled === false)).toBe(true);
    expect(layers.some((l) => JSON.stringify(l.transform ?? '').includes("datum.gap === 'gesperrt'"))).toBe(true);
    expect(footer(spec as never).replace(/\n/g, ' ')).toContain('× unten: Jahr gesperrt');
    expect(footer(spec as never).replace(/\n/g, ' ')).toContain('offener Punkt: geschätzt');
  });
});
