/** Sozialraumtypen: deterministic k-means of the oriented z-scores, types numbered by need, labels from centroids. */
import { describe, expect, it } from 'vitest';
import { sozialraumtypen, typeLabel, typeMeans } from '../../src/steering/sozialraumtypen.js';
import type { IndexInput } from '../../src/steering/types.js';

/** Two groups: S1–S3 high SGB II and high Sprachförderbedarf, S4–S6 low; S7 masked. */
const input: IndexInput = {
  areas: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'].map((id) => ({ id })),
  indicators: [
    { id: 'sgb2', label: 'SGB II', direction: 1 },
    { id: 'sprache', label: 'Sprachförderbedarf', direction: 1 },
  ],
  values: [
    [20, 40],
    [22, 42],
    [21, 41],
    [5, 10],
    [6, 11],
    [4, 12],
    [30, null],
  ].map((row, i) => row.map((value, j) => ({ value, ...(i === 6 && j === 1 ? { masked: true } : {}) }))),
};

describe('Sozialraumtypen', () => {
  it('finds the two groups, Typ 1 = more need, and gives a masked area no type', () => {
    const r = sozialraumtypen(input, { k: 2, seed: 5 });
    expect(r.assignments.map((a) => a.typ)).toEqual([1, 1, 1, 2, 2, 2, null]);
    // two equal groups: centroids near ±√(5/6) ≈ ±0.91 SD, above 0.5 and below 1 ("deutlich")
    expect(r.types[0]?.label).toBe('überdurchschnittliche Belastung bei allen Merkmalen');
    expect(r.types[1]?.label).toBe('unterdurchschnittliche Belastung bei allen Merkmalen');
    expect(r.types.map((t) => t.members)).toEqual([3, 3]);
    expect(r.betweenShare).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed', () => {
    expect(sozialraumtypen(input, { k: 3, seed: 9 })).toEqual(sozialraumtypen(input, { k: 3, seed: 9 }));
  });

  it('labels name the indicators whose centroid lies half an SD or more from the mean, "deutlich" from 1 SD', () => {
    expect(
      typeLabel([
        { label: 'SGB II', z: 0.9 },
        { label: 'Sprachförderbedarf', z: 0.6 },
        { label: 'Kita-Quote', z: -0.7 },
        { label: 'HzE', z: 0.1 },
      ]),
    ).toBe('überdurchschnittliche Belastung bei SGB II und Sprachförderbedarf, unterdurchschnittlich bei Kita-Quote');
    expect(
      typeLabel([
        { label: 'SGB II', z: 2.7 },
        { label: 'Alleinerziehende', z: 0.9 },
        { label: 'Sprache', z: 2.5 },
      ]),
    ).toBe(
      'deutlich überdurchschnittliche Belastung bei SGB II und Sprache, überdurchschnittlich bei Alleinerziehende',
    );
    expect(
      typeLabel([
        { label: 'a', z: 0.2 },
        { label: 'b', z: -0.4 },
      ]),
    ).toBe('durchschnittliche Lage bei allen Merkmalen');
    expect(
      typeLabel([
        { label: 'a', z: -0.9 },
        { label: 'b', z: 0 },
        { label: 'c', z: -0.5 },
      ]),
    ).toBe('unterdurchschnittliche Belastung bei a und c');
  });

  it('refuses more types than complete Sozialräume', () => {
    expect(() => sozialraumtypen(input, { k: 7 })).toThrow(/mindestens 7 Sozialräume/);
  });

  it('type means: unweighted over the members with a value', () => {
    const m = typeMeans([10, 20, null, 5], [1, 1, 1, 2]);
    expect(m.get(1)).toEqual({ mean: 15, n: 2 });
    expect(m.get(2)).toEqual({ mean: 5, n: 1 });
  });
});

describe('the Sozialraumtypen map in print', () => {
  it('the first four types differ in lightness (a greyscale print keeps them apart)', async () => {
    const { TYPE_COLORS } = await import('../../src/charts/sozialindex.js');
    const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    const lightness = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
      const y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      return y > 0.008856 ? 116 * Math.cbrt(y) - 16 : 903.3 * y;
    };
    const l = TYPE_COLORS.slice(0, 4).map(lightness);
    for (let i = 0; i < l.length; i++)
      for (let j = i + 1; j < l.length; j++)
        expect(Math.abs(l[i]! - l[j]!), `Typ ${i + 1} / Typ ${j + 1}`).toBeGreaterThan(12);
  });
});
