/**
 * All charts of the sample Kreis (rows from the sample's kennzahlen.parquet with
 * made-up statistics columns, see fixtures/make-sample-fixture.ts), and the
 * synthetic GeoJSON of data-samples/geo.ts.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { buildProjectCharts } from '../../src/charts/project-charts.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { syntheticGeoJson } from '../../data-samples/geo.js';
import { sampleAreas, sampleMeta, sampleRows } from './fixtures/sample.js';

const rows = sampleRows();
const meta = sampleMeta();

describe('buildProjectCharts on the sample Kreis', () => {
  const jobs = buildProjectCharts(rows, meta);
  it('makes every kind of chart under charts/<indicator>/<kind>_<area>', () => {
    const kinds = new Map<string, number>();
    for (const j of jobs) {
      expect(j.name).toMatch(/^charts\/[a-z0-9_]+\/(zeitreihe|rangfolge|kommunen|karte|praeventionskette)_[0-9-]+$/);
      const kind = j.name.split('/')[2]!.split('_')[0]!;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(kinds)).toMatchInlineSnapshot(`
      {
        "karte": 25,
        "kommunen": 25,
        "praeventionskette": 11,
        "rangfolge": 69,
        "zeitreihe": 300,
      }
    `);
    expect(new Set(jobs.map((j) => j.name)).size).toBe(jobs.length);
  });
  it('every spec compiles', () => {
    for (const j of jobs) expect(() => compile(j.spec), j.name).not.toThrow();
  }, 120_000);
  it('filters by Kommune and indicator', () => {
    const some = buildProjectCharts(rows, meta, { kommune: '05558012', indicator: 'sgb2_quote_unter_15' });
    expect(some.map((j) => j.name)).toEqual([
      'charts/sgb2_quote_unter_15/zeitreihe_05558012',
      'charts/sgb2_quote_unter_15/rangfolge_05558',
      'charts/sgb2_quote_unter_15/rangfolge_05558012',
      'charts/sgb2_quote_unter_15/kommunen_05558',
      'charts/sgb2_quote_unter_15/karte_05558',
    ]);
    // the Präventionskette is a chart of all indicators: an indicator filter must not overwrite it with one row
    expect(buildProjectCharts(rows, meta, { kommune: '05558012' }).map((j) => j.name)).toContain(
      'charts/praeventionskette/praeventionskette_05558012',
    );
  });
  it('no number of a masked row reaches any chart, even when the input still carries it', () => {
    // Make the input leaky: masked rows get sentinel numbers the published table never has.
    let n = 0;
    const leaky: KennzahlRow[] = rows.map((r) => {
      if (!r.suppression) return r;
      n++;
      return {
        ...r,
        value: 987.654321,
        numerator: 98765,
        denominator: 987654,
        ci_low: 986.5432,
        ci_high: 988.7654,
        ref_kreis_value: 9.87654,
        sig_kreis: 'worse',
        diff_kreis: 97.531,
      };
    });
    expect(n).toBeGreaterThan(100);
    const text = JSON.stringify(buildProjectCharts(leaky, meta));
    for (const s of ['987.654321', '98765', '987654', '986.5432', '988.7654', '9.87654', '97.531'])
      expect(text).not.toContain(s);
  });
});

describe('syntheticGeoJson', () => {
  const areas = sampleAreas();
  const g = syntheticGeoJson(areas, 5558);
  const ringArea = (ring: [number, number][]) =>
    ring.slice(0, -1).reduce((s, p, i) => s + p[0] * ring[i + 1]![1] - ring[i + 1]![0] * p[1], 0) / 2;
  it('has 66 Sozialräume tiling 11 Kommunen around 51,85° N 7,3° E', () => {
    expect(g.sozialraeume.features.length).toBe(66);
    expect(g.kommunen.features.length).toBe(11);
    for (const f of [...g.sozialraeume.features, ...g.kommunen.features]) {
      for (const [lon, lat] of f.geometry.coordinates[0]!) {
        expect(lon).toBeGreaterThan(6.9);
        expect(lon).toBeLessThan(7.8);
        expect(lat).toBeGreaterThan(51.6);
        expect(lat).toBeLessThan(52.1);
      }
    }
    expect(g.sozialraeume.features.map((f) => f.properties.id).sort()).toEqual(areas.map((a) => a.id).sort());
  });
  it('Sozialräume add up to their Kommune (no overlap, no hole) and rings are clockwise', () => {
    for (const k of g.kommunen.features) {
      const kArea = -ringArea(k.geometry.coordinates[0]!);
      const parts = g.sozialraeume.features
        .filter((f) => f.properties.kommune_ags === k.properties.id)
        .map((f) => -ringArea(f.geometry.coordinates[0]!));
      expect(Math.min(...parts)).toBeGreaterThan(0); // clockwise: negative signed area
      expect(Math.abs(parts.reduce((a, b) => a + b, 0) - kArea) / kArea).toBeLessThan(1e-3);
    }
  });
  it('is deterministic per seed', () => {
    expect(JSON.stringify(syntheticGeoJson(areas, 5558))).toBe(JSON.stringify(g));
    expect(JSON.stringify(syntheticGeoJson(areas, 7))).not.toBe(JSON.stringify(g));
  });
});
