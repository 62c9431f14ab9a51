/** The published schema is the one list of output columns; README, the row type and the CSV schema follow it. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { COLUMNS, PUBLISHED_COLUMNS, nullRow, type KennzahlRow } from '../../src/publish/schema.js';
import { maskCondition } from '../../src/publish/published.js';
import { CODE_COLUMNS, kennzahlenTableSchema } from '../../src/publish/table-schema.js';
import { STATUSES as COMPUTED } from '../../src/compute/results-sql.js';
import { STATUSES, SIG_LABEL, STATUS_LABEL } from '../../src/publish/vocabulary.js';
import type { Sig, Status, Suppression } from '../../src/index.js';

const README = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('published schema', () => {
  it('names every column once', () => {
    expect(new Set(PUBLISHED_COLUMNS).size).toBe(COLUMNS.length);
    expect(Object.keys(nullRow())).toEqual(PUBLISHED_COLUMNS);
  });

  it('every column has German and English label and description, and a known mask', () => {
    for (const c of COLUMNS) {
      for (const t of [c.label.de, c.label.en, c.description.de, c.description.en])
        expect(t.length, c.name).toBeGreaterThan(1);
      if (c.mask !== 'special') expect(() => maskCondition(c.mask)).not.toThrow();
    }
    expect(COLUMNS.filter((c) => c.mask === 'special').map((c) => c.name)).toEqual(['status', 'suppression', 'note']);
  });

  it('publishes only "gesperrt" as suppression and every computed status plus masked', () => {
    expect(COLUMNS.find((c) => c.name === 'suppression')).toMatchObject({ values: ['gesperrt'] });
    expect(STATUSES).toEqual([...COMPUTED, 'masked']);
    expect(STATUS_LABEL.masked.de).toBe('gesperrt');
    expect(SIG_LABEL.worse.de).toBe('ungünstiger');
  });

  it('derives the row type: always present, null only where the schema allows', () => {
    expectTypeOf<KennzahlRow['indicator_id']>().toEqualTypeOf<string>();
    expectTypeOf<KennzahlRow['year']>().toEqualTypeOf<number>();
    expectTypeOf<KennzahlRow['status']>().toEqualTypeOf<Status>();
    expectTypeOf<KennzahlRow['suppression']>().toEqualTypeOf<Suppression | null>();
    expectTypeOf<KennzahlRow['sig_kreis']>().toEqualTypeOf<Sig | null>();
    expectTypeOf<KennzahlRow['numerator']>().toEqualTypeOf<number | null>();
    expectTypeOf<KennzahlRow['series_break']>().toEqualTypeOf<boolean | null>();
  });

  it('the CSV schema reads codes as text and lists every column in file order', () => {
    const s = kennzahlenTableSchema(null) as { fields: { name: string; type: string }[] };
    expect(s.fields.map((f) => f.name)).toEqual(PUBLISHED_COLUMNS);
    for (const c of CODE_COLUMNS) expect(s.fields.find((f) => f.name === c)?.type).toBe('string');
  });

  it('README lists every column and reads the code columns as text in pandas, R and DuckDB', () => {
    const table = README.slice(
      README.indexOf('Columns of `kennzahlen.*`'),
      README.indexOf('Re-running on the same inputs'),
    );
    for (const name of PUBLISHED_COLUMNS) expect(table, name).toMatch(new RegExp(`[\`, ]${name}[\`,]`));
    for (const c of CODE_COLUMNS) {
      expect(README).toContain(`'${c}': str`);
      expect(README).toContain(`${c} = 'character'`);
      expect(README).toContain(`'${c}': 'VARCHAR'`);
    }
  });
});
