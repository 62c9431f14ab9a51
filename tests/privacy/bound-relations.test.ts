/**
 * The second pass after a refusal (src/privacy/bound-relations.ts): which proportions' "numerator
 * <= denominator" become relations, round by round, and which fixed bounds they replace.
 * (That the protection holds with them: tests/privacy/lp-attack-more.test.ts, random projects "with
 * bound relations", and lp-attack.test.ts, the sample at min_count 6.)
 */
import { describe, expect, it } from 'vitest';
import { memoryConnection } from './memory-db.js';
import {
  boundRelations,
  closeBounds,
  proportionPairs,
  widenBelow,
  widenBounds,
  type BoundWidening,
  type ProportionPair,
} from '../../src/privacy/bound-relations.js';

// Vorsorgeheft vorgelegt (v) over examined children (e); U-Untersuchungen (u7, u8) over v;
// Übergewicht (b) over e; a rate (r, no proportion) over population (p); k over e is a proportion
// with the same measures as vh (a second indicator on the same pair)
const pairs: ProportionPair[] = [
  { indicator: 'bmi', num: 'b', den: 'e' },
  { indicator: 'k', num: 'v', den: 'e' },
  { indicator: 'u7', num: 'u7', den: 'v' },
  { indicator: 'u8', num: 'u8', den: 'v' },
  { indicator: 'vh', num: 'v', den: 'e' },
];
const keyOf = new Map([
  ['vh\u0000numerator', 'v'],
  ['vh\u0000denominator', 'e'],
  ['u7\u0000numerator', 'u7'],
  ['u7\u0000denominator', 'v'],
  ['u8\u0000numerator', 'u8'],
  ['u8\u0000denominator', 'v'],
  ['bmi\u0000numerator', 'b'],
  ['bmi\u0000denominator', 'e'],
  ['k\u0000numerator', 'v'],
  ['k\u0000denominator', 'e'],
  ['r\u0000numerator', 'x'],
]);

describe('widenBounds and boundRelations', () => {
  it('first the proportions touching the refused count, then those touching any measure joined', () => {
    const w: BoundWidening = { measures: new Set(), chosen: new Map() };
    // the refused count: v, published as vh's numerator and u7's denominator
    const refused = [
      { indicator_id: 'vh', role: 'numerator' },
      { indicator_id: 'u7', role: 'denominator' },
    ];
    expect(widenBounds(w, pairs, keyOf, refused)).toBe(4);
    expect([...w.chosen.keys()].sort()).toEqual(['k', 'u7', 'u8', 'vh']);
    const first = boundRelations(w);
    // one relation per measure pair (vh and k share v <= e), each indicator's bounds replaced
    expect(first.relations.map((r) => `${r.total}>=${r.parts.join('+')}`).sort()).toEqual(['e>=v', 'v>=u7', 'v>=u8']);
    expect(first.relations.every((r) => r.rest && r.bound)).toBe(true);
    expect(first.exactBounds).toEqual(['k', 'u7', 'u8', 'vh']);
    // round 2: e joined in round 1, so Übergewicht over e joins now
    expect(widenBounds(w, pairs, keyOf, refused)).toBe(1);
    expect(boundRelations(w).exactBounds).toEqual(['bmi', 'k', 'u7', 'u8', 'vh']);
    // nothing further: the caller stops
    expect(widenBounds(w, pairs, keyOf, refused)).toBe(0);
  });

  it('closeBounds chooses every proportion whose two measures one group holds', () => {
    // population: insgesamt = unter_18 + rest; nichtdeutsch over insgesamt is in another group
    const pop: ProportionPair[] = [
      { indicator: 'anteil_u18', num: 'u18', den: 'ges' },
      { indicator: 'anteil_nd', num: 'nd', den: 'ges' },
      { indicator: 'u15_in_u18', num: 'u15', den: 'u18' },
    ];
    const rel = (total: string, parts: string[]) => ({
      total,
      parts,
      rest: true,
      origin: 'declared' as const,
      label: `${total} = ${parts.join(' + ')} + Rest`,
    });
    const w: BoundWidening = { measures: new Set(), chosen: new Map() };
    expect(closeBounds(w, pop, [rel('ges', ['u18']), rel('u18', ['u15'])])).toBe(2);
    expect([...w.chosen.keys()].sort()).toEqual(['anteil_u18', 'u15_in_u18']);
    // chosen pairs join their measures too: with anteil_nd chosen, nd, ges, u18 and u15 are one
    // group, so a proportion of nd over u15 joins without any relation
    w.chosen.set('anteil_nd', pop[1]!);
    const x: ProportionPair = { indicator: 'x', num: 'nd', den: 'u15' };
    expect(closeBounds(w, [...pop, x], [])).toBe(1);
    expect(closeBounds(w, [...pop, x], [])).toBe(0);
    // nothing without relations
    expect(closeBounds({ measures: new Set(), chosen: new Map() }, pop, [])).toBe(0);
  });

  it('widenBelow: with low points first only the pairs below a refused denominator', () => {
    const w: BoundWidening = { measures: new Set(), chosen: new Map() };
    // the refused count: v as the denominator of u7 (and u8): the pairs u7 and u8 (v over e stays)
    expect(widenBelow(w, pairs, keyOf, [{ indicator_id: 'u7', role: 'denominator' }])).toBe(2);
    expect([...w.chosen.keys()].sort()).toEqual(['u7', 'u8']);
    expect(widenBelow(w, pairs, keyOf, [{ indicator_id: 'u7', role: 'denominator' }])).toBe(0);
    // a refused numerator (e is no denominator of a refused measure here): nothing below it
    expect(widenBelow(w, pairs, keyOf, [{ indicator_id: 'u8', role: 'numerator' }])).toBe(0);
  });

  it('widenBelow with culprits: only the pairs whose numerator held the denominator up, then the rest', () => {
    const w: BoundWidening = { measures: new Set(), chosen: new Map() };
    const refused = [{ indicator_id: 'vh', role: 'denominator' }];
    // e is refused; of the numerators over it only v's low point was above 0 there (vh and k share the pair)
    expect(widenBelow(w, pairs, keyOf, refused, new Set(['e\u0000v']))).toBe(2);
    expect([...w.chosen.keys()].sort()).toEqual(['k', 'vh']);
    // again refused with the same culprits: nothing new among them, all pairs below reach further
    expect(widenBelow(w, pairs, keyOf, refused, new Set(['e\u0000v']))).toBe(0);
    expect(widenBelow(w, pairs, keyOf, refused)).toBe(1);
    expect([...w.chosen.keys()].sort()).toEqual(['bmi', 'k', 'vh']);
    // a culprit of another denominator than the refused one chooses nothing
    const w2: BoundWidening = { measures: new Set(), chosen: new Map() };
    expect(widenBelow(w2, pairs, keyOf, refused, new Set(['v\u0000u7']))).toBe(0);
  });

  it('chooses nothing for a count no proportion holds (a rate)', () => {
    const w: BoundWidening = { measures: new Set(), chosen: new Map() };
    expect(widenBounds(w, pairs, keyOf, [{ indicator_id: 'r', role: 'numerator' }])).toBe(0);
    expect(boundRelations(w)).toEqual({ relations: [], exactBounds: [] });
  });
});

describe('proportionPairs', () => {
  const db = memoryConnection();

  it('reads the measure keys of spm_measures and the proportions of spm_indicators', async () => {
    await db().run(`CREATE OR REPLACE TABLE spm_cells AS SELECT * FROM (VALUES
      ('vh', 'numerator'), ('vh', 'denominator'), ('u7', 'numerator'), ('u7', 'denominator'),
      ('r', 'numerator'), ('r', 'denominator'), ('q', 'numerator'), ('q', 'denominator')
    ) v(indicator_id, role)`);
    await db().run(`CREATE OR REPLACE TABLE spm_indicators AS SELECT * FROM (VALUES
      ('vh', TRUE), ('u7', TRUE), ('r', FALSE), ('q', TRUE)
    ) v(indicator_id, proportion)`);
    // q has no measure row: one measure per indicator and role, as in the pass
    await db().run(`CREATE OR REPLACE TABLE spm_measures AS SELECT * FROM (VALUES
      ('vh', 'numerator', 'seu|v'), ('vh', 'denominator', 'seu|e'), ('u7', 'numerator', 'seu|u7'),
      ('u7', 'denominator', 'seu|v'), ('r', 'numerator', 'hze|x'), ('r', 'denominator', 'bev|p')
    ) v(indicator_id, role, measure_key)`);
    const { pairs: got, keyOf: keys } = await proportionPairs(db());
    expect(got).toEqual([
      { indicator: 'q', num: '__cell__|q|numerator', den: '__cell__|q|denominator' },
      { indicator: 'u7', num: 'seu|u7', den: 'seu|v' },
      { indicator: 'vh', num: 'seu|v', den: 'seu|e' },
    ]);
    expect(keys.get('u7\u0000denominator')).toBe('seu|v');
    expect(keys.get('r\u0000numerator')).toBe('hze|x');
  });
});
