/** The Sozialindex on hand-computed small cases: direction, standardisation, weights, masked inputs, simulation. */
import { describe, expect, it } from 'vitest';
import { sozialindex } from '../../src/steering/sozialindex.js';
import type { IndexInput, InputValue } from '../../src/steering/types.js';
import { buildSteering, NO_VALUES, skippedIssues, type SteeringRow } from '../../src/steering/build.js';
import { noValuesWarnings } from '../../src/run/sozialindex-run.js';
import { UserError } from '../../src/util/issues.js';
import { SozialindexSchema, type SozialindexConfig } from '../../src/config/sozialindex-schema.js';
import { sozialindexSteckbrief } from '../../src/steering/steckbrief.js';
import { typesTable } from '../../src/steering/tables.js';

const v = (value: number | null, extra: Partial<InputValue> = {}): InputValue => ({ value, ...extra });

/** Three areas: SGB II 10/20/30 % (higher = need), Kita 50/40/30 % (lower = need). */
const three: IndexInput = {
  areas: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
  indicators: [
    { id: 'sgb2', direction: 1 },
    { id: 'kita', direction: -1 },
  ],
  values: [
    [v(10), v(50)],
    [v(20), v(40)],
    [v(30), v(30)],
  ],
};

describe('Sozialindex', () => {
  it('orients by polarity and averages the z-scores (equal weights)', () => {
    const r = sozialindex(three, { simulation: false });
    expect(r.rows.map((x) => x.index)).toEqual([-1, 0, 1]);
    expect(r.rows.map((x) => x.rank)).toEqual([3, 2, 1]);
    expect(r.weights.map((w) => w.weight)).toEqual([0.5, 0.5]);
    expect(r.weights[0]).toMatchObject({ mean: 20, sd: 10, n: 3 });
    expect(r.rows.every((x) => x.status === 'berechnet' && x.needClass === 'mittel')).toBe(true);
  });

  it('declared weights are normalised to sum 1', () => {
    const input: IndexInput = {
      ...three,
      indicators: [
        { id: 'sgb2', direction: 1, weight: 3 },
        { id: 'kita', direction: 1, weight: 1 },
      ],
    };
    const r = sozialindex(input, { weights: 'erklaert', simulation: false });
    expect(r.weights.map((w) => w.weight)).toEqual([0.75, 0.25]);
    // z sgb2 = (−1, 0, 1), z kita (not reversed now) = (1, 0, −1): 0.75·z1 + 0.25·z2
    expect(r.rows.map((x) => x.index)).toEqual([-0.5, 0, 0.5]);
  });

  it('declared weights must be given and positive', () => {
    expect(() => sozialindex(three, { weights: 'erklaert', simulation: false })).toThrow(/Gewicht für sgb2/);
  });

  it('rank standardisation: percentile ranks 0, 0.5, 1 per indicator', () => {
    const input: IndexInput = {
      ...three,
      values: [
        [v(10), v(50)],
        [v(11), v(49)],
        [v(90), v(10)],
      ],
    };
    const r = sozialindex(input, { standardisation: 'rang', simulation: false });
    expect(r.rows.map((x) => x.index)).toEqual([0, 0.5, 1]);
  });

  it('a masked input gives no index (its value, even if passed, is never used)', () => {
    const input: IndexInput = {
      areas: [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }],
      indicators: [
        { id: 'a', direction: 1 },
        { id: 'b', direction: 1 },
      ],
      values: [
        [v(1), v(2)],
        [v(2), v(4)],
        [v(3), v(6)],
        [v(4), v(99, { masked: true })],
      ],
    };
    const r = sozialindex(input, { simulation: false });
    const d = r.rows[3];
    expect(d).toMatchObject({ status: 'nicht_berechenbar', reason: 'eingang_gesperrt', index: null, rank: null });
    // the others are exactly as if D's cell were absent: b standardised over 2, 4, 6 only
    const without = sozialindex(
      { ...input, values: input.values.map((row, i) => (i === 3 ? [row[0] as InputValue, v(null)] : row)) },
      { simulation: false },
    );
    expect(r.rows.slice(0, 3)).toEqual(without.rows.slice(0, 3));
    expect(without.rows[3]?.reason).toBe('eingang_fehlt');
    expect(r.weights[1]).toMatchObject({ mean: 4, sd: 2, n: 3 });
    expect(r.ranked).toBe(3);
  });

  it('with missing.minInputs the index uses the inputs present, leaves the masked one out and says so', () => {
    const input: IndexInput = {
      areas: [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }],
      indicators: [
        { id: 'a', direction: 1 },
        { id: 'b', direction: 1 },
      ],
      values: [
        [v(1), v(2)],
        [v(2), v(4)],
        [v(3), v(6)],
        [v(4), v(99, { masked: true })],
      ],
    };
    const r = sozialindex(input, { missing: { minInputs: 1 }, simulation: false });
    const sdA = Math.sqrt(5 / 3); // a = 1..4: mean 2.5, SD √(5/3)
    expect(r.rows[3]?.index).toBeCloseTo(1.5 / sdA, 14);
    expect(r.rows[3]).toMatchObject({ status: 'berechnet', inputsUsed: 1, leftOut: ['b'], rank: 1 });
    expect(r.rows[0]?.index).toBeCloseTo((-1.5 / sdA - 1) / 2, 14);
    expect(r.rows[0]?.leftOut).toEqual([]);
  });

  it('too few inputs even with minInputs: no index, reason zu_wenige_eingaenge', () => {
    const input: IndexInput = {
      areas: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
      indicators: [
        { id: 'a', direction: 1 },
        { id: 'b', direction: 1 },
        { id: 'c', direction: 1 },
      ],
      values: [
        [v(1), v(1), v(1)],
        [v(2), v(2), v(2)],
        [v(3), v(null), v(null, { masked: true })],
      ],
    };
    const r = sozialindex(input, { missing: { minInputs: 2 }, simulation: false });
    expect(r.rows[2]).toMatchObject({ status: 'nicht_berechenbar', reason: 'zu_wenige_eingaenge' });
  });

  it('need classes cut the standardised index at +1.5, +1 and −1 SD', () => {
    const values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 10].map((x) => [v(x)]);
    const r = sozialindex(
      { areas: values.map((_, i) => ({ id: `S${i}` })), indicators: [{ id: 'a', direction: 1 }], values },
      { simulation: false },
    );
    // the one high area is (10 − 1) / √10 ≈ 2.85 SD above the mean
    expect(r.rows[9]?.needClass).toBe('sehr hoch');
    expect(r.rows[0]?.needClass).toBe('mittel');
  });

  it('the rank interval is the rank itself when the inputs have no uncertainty', () => {
    const input: IndexInput = {
      ...three,
      values: three.values.map((row) => row.map((c) => v(c.value, { ciLow: c.value, ciHigh: c.value }))),
    };
    const r = sozialindex(input, { simulation: { draws: 200, seed: 3 } });
    for (const row of r.rows) {
      expect(row.rankLow).toBe(row.rank);
      expect(row.rankHigh).toBe(row.rank);
    }
    expect(r.simulation).toEqual({ draws: 200, seed: 3, level: 0.9 });
  });

  it('overlapping intervals give wide rank intervals, well separated ones narrow; same seed, same result', () => {
    const areas = ['A', 'B', 'C', 'D'].map((id) => ({ id }));
    const input: IndexInput = {
      areas,
      indicators: [{ id: 'a', direction: 1, max: 100 }],
      // A and B overlap heavily; C and D lie far apart from them and each other
      values: [
        [v(10, { ciLow: 4, ciHigh: 18 })],
        [v(11, { ciLow: 5, ciHigh: 19 })],
        [v(50, { ciLow: 48, ciHigh: 52 })],
        [v(90, { ciLow: 88, ciHigh: 92 })],
      ],
    };
    const r = sozialindex(input, { simulation: { draws: 1000, seed: 11 } });
    expect(r.rows.map((x) => x.rank)).toEqual([4, 3, 2, 1]);
    expect([r.rows[0]?.rankLow, r.rows[0]?.rankHigh]).toEqual([3, 4]);
    expect([r.rows[1]?.rankLow, r.rows[1]?.rankHigh]).toEqual([3, 4]);
    expect([r.rows[3]?.rankLow, r.rows[3]?.rankHigh]).toEqual([1, 1]);
    expect(sozialindex(input, { simulation: { draws: 1000, seed: 11 } })).toEqual(r);
    expect((r.rows[3]?.indexLow as number) <= (r.rows[3]?.index as number)).toBe(true);
    expect((r.rows[3]?.indexHigh as number) >= (r.rows[3]?.index as number)).toBe(true);
  });

  it('PCA weights need more complete areas than indicators', () => {
    const two = { ...three, values: [three.values[0], three.values[1], [v(30), v(null)]] } as IndexInput;
    expect(() => sozialindex(two, { weights: 'pca', simulation: false })).toThrow(/mindestens 3 Sozialräume/);
    expect(sozialindex(three, { weights: 'pca', simulation: false }).weights.map((w) => w.weight)).toEqual([0.5, 0.5]);
  });
});

describe('public API', () => {
  it('the TSDoc example of sozialindex from src/index.ts holds', async () => {
    const api = await import('../../src/index.js');
    const r = api.sozialindex(
      {
        areas: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
        indicators: [
          { id: 'sgb2', direction: 1 },
          { id: 'kita', direction: -1 },
        ],
        values: [
          [{ value: 10, ciLow: 8, ciHigh: 12 }, { value: 50 }],
          [{ value: 20, ciLow: 17, ciHigh: 23 }, { value: 40 }],
          [
            { value: 30, ciLow: 26, ciHigh: 34 },
            { value: null, masked: true },
          ],
        ],
      },
      { simulation: { draws: 1000, seed: 1, level: 0.9 } },
    );
    expect(r.rows.map((x) => x.rank)).toEqual([2, 1, null]);
    expect(typeof api.sozialraumtypen).toBe('function');
    expect(typeof api.buildSteering).toBe('function');
    expect(() => api.sozialraumtypen({ areas: [], indicators: [], values: [] }, { k: 2 })).toThrow(
      api.TooFewAreasError,
    );
  });
});

describe('buildSteering: too few complete Sozialräume', () => {
  const defs = [
    { id: 'sgb2', title: 'SGB II', polarity: 'worse' as const, unit: 'percent' },
    { id: 'kita', title: 'Kita', polarity: 'better' as const, unit: 'percent' },
  ];
  /** Six Sozialräume with values in 2023; in 2024 four of them have a masked Kita value. */
  const rows: SteeringRow[] = ['A', 'B', 'C', 'D', 'E', 'F'].flatMap((id, i) =>
    [2023, 2024].flatMap((year) =>
      defs.map((d) => {
        const masked = year === 2024 && d.id === 'kita' && i >= 2;
        return {
          indicator_id: d.id,
          indicator_title: d.title,
          unit: 'percent',
          level: 'sozialraum',
          area_id: id,
          area_name: `Sozialraum ${id}`,
          kommune_ags: '05558004',
          year,
          period: String(year),
          pool_years: 1,
          value: masked ? null : d.id === 'sgb2' ? 10 + 3 * i + (year - 2023) : 50 - 2 * i * i,
          ci_low: null,
          ci_high: null,
          status: masked ? 'masked' : 'ok',
          ref_kommune_value: null,
          ref_kreis_value: null,
        } as SteeringRow;
      }),
    ),
  );
  const cfg = (over: Record<string, unknown>): SozialindexConfig =>
    SozialindexSchema.parse({ indikatoren: ['sgb2', 'kita'], jahre: [2023, 2024], ...over });

  it('a year without enough for the PCA weights has no index; the other year has, and the reason is kept', () => {
    const r = buildSteering(rows, cfg({ gewichte: 'pca', unsicherheit: { ziehungen: 100 } }), defs, 'sozialraum');
    expect(r.years.map((y) => y.year)).toEqual([2023]);
    expect(r.skipped).toEqual([
      {
        year: 2024,
        period: '2024',
        part: 'index',
        message: 'Sozialindex: Hauptkomponente braucht mindestens 3 Sozialräume mit allen Werten, vorhanden 2',
      },
    ]);
    expect(skippedIssues(r, 'warning', 'spm.yaml')[0]).toMatchObject({
      severity: 'warning',
      path: 'sozialindex.gewichte',
      file: 'spm.yaml',
      message: expect.stringMatching(/^Sozialindex 2024 nicht berechnet: Hauptkomponente braucht mindestens 3/),
    });
    expect(sozialindexSteckbrief(r, 'Testkreis')).toContain('- Kein Index für 2024: Hauptkomponente braucht');
  });

  it('types need k complete Sozialräume: without them that year has its index but no types', () => {
    const r = buildSteering(rows, cfg({ typen: { anzahl: 3 }, unsicherheit: { ziehungen: 100 } }), defs, 'sozialraum');
    expect(r.years.map((y) => [y.year, y.index.ranked, y.types?.types.length])).toEqual([
      [2023, 6, 3],
      [2024, 2, undefined],
    ]);
    expect(r.skipped.map((s) => [s.year, s.part])).toEqual([[2024, 'typen']]);
    const typeRows = typesTable(r).rows;
    expect(typeRows.length).toBe(3 * 2);
    expect(typeRows.every((row) => row[0] === 2023)).toBe(true);
  });
});

describe('buildSteering: an input without any published value at the level', () => {
  const defs = [
    { id: 'sgb2', title: 'SGB II', polarity: 'worse' as const, unit: 'percent' },
    { id: 'kita', title: 'Kita', polarity: 'better' as const, unit: 'percent' },
  ];
  const row = (id: string, area: string, value: number | null): SteeringRow =>
    ({
      indicator_id: id,
      indicator_title: id,
      unit: 'percent',
      level: 'sozialraum',
      area_id: area,
      area_name: area,
      kommune_ags: '05558004',
      year: 2024,
      period: '2024',
      pool_years: 1,
      value,
      ci_low: null,
      ci_high: null,
      status: value === null ? 'masked' : 'ok',
      ref_kommune_value: null,
      ref_kreis_value: null,
    }) as SteeringRow;
  const cfg = SozialindexSchema.parse({ indikatoren: ['sgb2', 'kita'] });

  it('all gesperrt: a data matter, spm compute warns and publishes the rest; no rows at all: a configuration error', () => {
    const masked = ['A', 'B', 'C'].flatMap((a, i) => [row('sgb2', a, 10 + i), row('kita', a, null)]);
    let thrown: unknown;
    try {
      buildSteering(masked, cfg, defs, 'sozialraum');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect(noValuesWarnings(thrown)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: NO_VALUES,
        path: 'sozialindex.indikatoren[1]',
        message:
          'Sozialindex nicht berechnet: Indikator "kita" hat keine veröffentlichten Werte auf der Ebene sozialraum (alle gesperrt oder fehlend).',
      }),
    ]);

    const noRows = ['A', 'B', 'C'].map((a, i) => row('sgb2', a, 10 + i));
    try {
      buildSteering(noRows, cfg, defs, 'sozialraum');
      expect.unreachable();
    } catch (e) {
      expect((e as UserError).issues[0]).toMatchObject({ severity: 'error', code: 'sozialindex.config' });
      expect(noValuesWarnings(e)).toBeUndefined();
    }
    expect(noValuesWarnings(new Error('anything else'))).toBeUndefined();
  });
});
