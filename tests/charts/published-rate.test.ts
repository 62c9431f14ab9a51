/**
 * A published rate (a value taken as the source publishes it, without counts) has no
 * interval and no significance test: its charts do not explain a band or whiskers they
 * do not draw, and the Präventionskette draws no deviation for it (the report says
 * "ein Vergleich mit dem Kreiswert ist nicht möglich").
 */
import { describe, expect, it } from 'vitest';
import { timeSeries } from '../../src/charts/time-series.js';
import { ranking } from '../../src/charts/ranking.js';
import { praeventionskette } from '../../src/charts/praeventionskette.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { META, ROWS } from './fixtures/rows.js';
import { body, type Json } from './helpers.js';

const SGB = 'sgb2_quote_unter_15';
/** SGB as a published rate everywhere: no counts, no interval, no verdict; the Kreis value is still given. */
const published: KennzahlRow[] = ROWS.map((r) =>
  r.indicator_id === SGB
    ? {
        ...r,
        numerator: null,
        denominator: null,
        ci_low: null,
        ci_high: null,
        ci_method: null,
        sig_kreis: null,
        sig_kommune: null,
      }
    : r,
);
const subtitle = (spec: unknown) => JSON.stringify((spec as Json).title ?? spec);

describe('charts of a published rate', () => {
  it('time series: no "Band: 95-%-Konfidenzintervall" without an interval', () => {
    expect(subtitle(timeSeries(ROWS, META, { indicator: SGB, area: '05558012' }))).toContain(
      'Band: 95-%-Konfidenzintervall',
    );
    const t = subtitle(timeSeries(published, META, { indicator: SGB, area: '05558012' }));
    expect(t).not.toContain('Konfidenz');
    expect(t).not.toContain('Band');
  });

  it('ranking: no interval in the subtitle without an interval', () => {
    expect(subtitle(ranking(ROWS, META, { indicator: SGB, kommune: '05558012', year: 2024 }))).toContain(
      '95-%-Konfidenzintervall',
    );
    expect(subtitle(ranking(published, META, { indicator: SGB, kommune: '05558012', year: 2024 }))).not.toContain(
      'Konfidenz',
    );
  });

  it('Präventionskette: no deviation drawn where there is no comparison; the label says so', () => {
    const spec = praeventionskette(published, META, { kommune: '05558012' });
    const rows = (body(spec).data as { values: Json[] }).values;
    const sgb = rows.find((d) => String(d.indicator).startsWith('SGB-II'))!;
    expect(sgb.value).not.toBeNull();
    expect(sgb.dev).toBeNull();
    expect(sgb.pos).toBeNull();
    expect(sgb.sig).toBeNull();
    expect(String(sgb.label)).toContain('ohne Vergleich');
    // the other indicator keeps its comparison
    const hze = rows.find((d) => d.indicator !== sgb.indicator)!;
    expect(hze.dev).not.toBeNull();
    // no legend entry for a class no point is drawn in
    expect(JSON.stringify(spec)).not.toMatch(/"domain":\[[^\]]*ohne Vergleich/);
  });
});
