/**
 * Relations between measures: found in the filters, declared in spm.yaml,
 * and declared ones checked against the data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadProject } from '../../src/config/load-project.js';
import { compileProject } from '../../src/compile/compile-indicator.js';
import {
  declaredRelations,
  neverTrueFilterIssues,
  projectRelations,
  relationsFromDefinitions,
  sourceColumnTypes,
  subsetRelationsFromDefinitions,
  unreadableConditionIssues,
  type SourceColumnTypes,
} from '../../src/privacy/relations.js';
import { measureKey } from '../../src/compile/measure.js';
import type { CompiledIndicator } from '../../src/compile/types.js';
import type { Measure } from '../../src/config/schema.js';
import { writeHilfenProject } from './lp-attack-project.js';
import { checkRelations } from '../../src/privacy/relations-check.js';
import { UserError } from '../../src/util/issues.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
const key = (source: string, measure: string, column: string | null, filter: string | null) =>
  JSON.stringify([source, measure, column, filter]);

describe('relations', () => {
  const project = loadProject(sample).project;
  const compiled = compileProject(project);

  it('proves Übergewicht inkl. Adipositas = ohne + Adipositas from the filters, and nothing else', () => {
    const rels = relationsFromDefinitions(compiled);
    expect(rels).toHaveLength(1);
    const [r] = rels;
    const inkl = compiled.find((c) => c.indicator.def.id === 'seu_uebergewicht_inkl_adipositas')!.numerator.key;
    const ohne = compiled.find((c) => c.indicator.def.id === 'seu_uebergewicht_ohne_adipositas')!.numerator.key;
    const adip = compiled.find((c) => c.indicator.def.id === 'seu_adipositas')!.numerator.key;
    expect(r).toMatchObject({ total: inkl, parts: [adip, ohne].sort(), rest: false, origin: 'definition' });
  });

  it('resolves declared relations; unpublished parts go into the rest', () => {
    const rels = declaredRelations(project.config, compiled);
    const u18 = rels.find((r) => r.total === key('bevoelkerung', 'sum', 'bev_unter_18', null))!;
    expect(u18.parts).toEqual([
      key('bevoelkerung', 'sum', 'bev_15_bis_unter_18', null),
      key('bevoelkerung', 'sum', 'bev_unter_15', null),
    ]);
    expect(u18.rest).toBe(false);
    // unter 15 = unter 3 + 3-6 + 6-10 + 10-15: 6-10 and 10-15 are not published
    const u15 = rels.find((r) => r.total === key('bevoelkerung', 'sum', 'bev_unter_15', null))!;
    expect(u15.rest).toBe(true);
    expect(u15.parts).toHaveLength(2);
    // the declared ones, the proven partition and five subgroup relations (below)
    expect(projectRelations(project.config, compiled).length).toBe(rels.length + 1 + 5);
  });

  it('finds the subgroups from the filters: all examined children >= each tested or measured group', () => {
    const partitions = relationsFromDefinitions(compiled);
    const subs = subsetRelationsFromDefinitions(compiled, partitions);
    const all = compiled.find((c) => c.indicator.def.id === 'seu_vorsorgeheft_vorgelegt')!.denominator.key;
    const den = (id: string) => compiled.find((c) => c.indicator.def.id === id)!.denominator.key;
    expect(subs.map((r) => r.parts[0]).sort()).toEqual(
      [
        den('seu_adipositas'),
        den('seu_masern_impfquote_2_dosen'),
        den('seu_sprachfoerderbedarf'),
        den('seu_koerperkoordination_auffaellig'),
        den('seu_visuomotorik_auffaellig'),
      ].sort(),
    );
    for (const r of subs) expect(r).toMatchObject({ total: all, rest: true, bound: true, origin: 'definition' });
    // not a proportion's own pair (Vorsorgeheft vorgelegt <= all examined), not the partition's parts (> P97 <= > P90)
    const num = (id: string) => compiled.find((c) => c.indicator.def.id === id)!.numerator.key;
    expect(subs.some((r) => r.parts[0] === num('seu_vorsorgeheft_vorgelegt'))).toBe(false);
    expect(subs.some((r) => r.parts[0] === num('seu_adipositas'))).toBe(false);
  });

  it('names unknown sources, columns and roles as user errors', () => {
    const bad = {
      ...project.config,
      relations: [{ total: 'bevoelkerung.bev_unter_99', parts: ['seu_adipositas.zaehlr', 'nix.y'], rest: false }],
    };
    expect(() => declaredRelations(bad, compiled)).toThrow(UserError);
    try {
      declaredRelations(bad, compiled);
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/relations\[0\]\.total.*keine Spalte "bev_unter_99"/);
      expect(msg).toMatch(/relations\[0\]\.parts\[0\].*"zaehler" oder "nenner"/);
      expect(msg).toMatch(/relations\[0\]\.parts\[1\].*weder eine Quelle/);
    }
  });
});

describe('relations read off the filters of sums and text or boolean columns', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-relations-hilfen-'));
  writeHilfenProject(root);
  const project = loadProject(root).project;
  const compiled = compileProject(project);
  const types = sourceColumnTypes(project.config);
  const num = (id: string) => compiled.find((c) => c.indicator.def.id === id)!.numerator.key;
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('proves § 33 + § 34 = Fremdunterbringung from the values of hilfeart, and no partition of all Hilfen', () => {
    const rels = relationsFromDefinitions(compiled, types);
    expect(rels).toEqual([
      expect.objectContaining({
        total: num('fremdunterbringung'),
        parts: [num('hilfen_33'), num('hilfen_34')].sort(),
        rest: false,
        origin: 'definition',
      }),
    ]);
    expect(rels[0]!.label).toBe(
      "hilfen.anzahl [hilfeart in ('33', '34')] = hilfen.anzahl [hilfeart = '33'] + hilfen.anzahl [hilfeart = '34']",
    );
    // (the same without the column types: the partition needs only the filters)
    expect(relationsFromDefinitions(compiled)).toHaveLength(1);
  });

  it('finds Fremdunterbringung + ambulante Hilfen <= all Hilfen: disjoint sums of a column of counts', () => {
    const partitions = relationsFromDefinitions(compiled, types);
    const subs = subsetRelationsFromDefinitions(compiled, partitions, types);
    // one family of disjoint subgroups (each <= all Hilfen follows); § 33 and § 34 lie within
    // Fremdunterbringung, whose partition says more
    expect(subs).toEqual([
      expect.objectContaining({
        total: num('hilfen_alle'),
        parts: [num('fremdunterbringung'), num('hilfen_ambulant')].sort(),
        rest: true,
        bound: true,
        origin: 'definition',
      }),
    ]);
    expect(projectRelations(project.config, compiled)).toHaveLength(2);
    // a column that may hold negative values (type number): no inequality
    const asNumber: SourceColumnTypes = new Map(
      [...types].map(([s, m]) => [s, new Map([...m].map(([c]) => [c, 'number' as const]))]),
    );
    expect(subsetRelationsFromDefinitions(compiled, partitions, asNumber)).toEqual([]);
    expect(subsetRelationsFromDefinitions(compiled, partitions)).toEqual([]);
  });

  // measures by hand: a source "s" with a boolean column b, text columns t and u, a number column x,
  // a column of counts n (counts of rows, or sums of n)
  const fake = (filters: readonly (string | undefined)[], measure: 'count' | 'sum' = 'count'): CompiledIndicator[] =>
    filters.map((filter, i) => {
      const m = {
        source: 's',
        measure,
        ...(measure === 'sum' ? { column: 'n' } : {}),
        ...(filter !== undefined ? { filter } : {}),
      } as Measure;
      const side = { key: measureKey(m), measure: m, sourceId: 's' };
      return {
        indicator: { def: { id: `i${i}` } },
        numerator: side,
        denominator: side,
        proportion: false,
      } as unknown as CompiledIndicator;
    });
  const sTypes: SourceColumnTypes = new Map([
    [
      's',
      new Map([
        ['b', 'boolean'],
        ['t', 'text'],
        ['u', 'text'],
        ['x', 'number'],
        ['n', 'count'],
      ] as const),
    ],
  ]);
  const found = (filters: (string | undefined)[], t: SourceColumnTypes | null = sTypes) =>
    relationsFromDefinitions(fake(filters), t ?? undefined).map((r) => r.label);

  it('a boolean that is not null is true or false; a text that is not null is no finite set', () => {
    expect(found(['b = true and x > 3', 'b = false and x > 3', 'b is not null and x > 3'])).toEqual([
      'Anzahl s [b is not null and x > 3] = Anzahl s [b = false and x > 3] + Anzahl s [b = true and x > 3]',
    ]);
    // b != true is b = false for a boolean (the nulls are in neither)
    expect(found(['b = true', 'b != true', 'b is not null'])).toHaveLength(1);
    // without the column's type spm does not know b is boolean
    expect(found(['b = true', 'b = false', 'b is not null'], null)).toEqual([]);
    expect(found(["t = 'a'", "t = 'b'", 't is not null'])).toEqual([]);
    // a total without a condition on the column holds the nulls as well
    expect(found(['b = true', 'b = false', undefined])).toEqual([]);
  });

  it('takes only disjoint parts that cover the total exactly, with the same other conditions', () => {
    expect(found(["t in ('a', 'b', 'c')", "t in ('a', 'b')", "t in ('b', 'c')", "t = 'c'"])).toEqual([
      "Anzahl s [t in ('a', 'b', 'c')] = Anzahl s [t = 'c'] + Anzahl s [t in ('a', 'b')]",
    ]);
    // overlapping or short of the total: none
    expect(found(["t in ('a', 'b', 'c')", "t in ('a', 'b')", "t in ('b', 'c')"])).toEqual([]);
    expect(found(["t in ('a', 'b', 'c')", "t = 'a'", "t = 'b'"])).toEqual([]);
    // other conditions differ (u): none
    expect(found(["t in ('a', 'b') and u = 'x'", "t = 'a' and u = 'x'", "t = 'b' and u = 'y'"])).toEqual([]);
    // (two conditions on the column are one set: in (a, b) and != c is in (a, b))
    expect(found(["t in ('a', 'b') and t != 'c'", "t = 'a'", "t = 'b'"])).toHaveLength(1);
    expect(found(["t in ('a', 'b') and t != 'b'", "t = 'a'", "t = 'b'"])).toEqual([]);
    // the same other conditions in another order: one
    expect(
      found([
        "u = 'x' and x > 1 and t in ('a', 'b')",
        "t = 'a' and x > 1 and u = 'x'",
        "x > 1 and u = 'x' and t = 'b'",
      ]),
    ).toHaveLength(1);
  });

  it('leaves a contradictory interval out of a chain of intervals (the parts around it would overlap)', () => {
    // x > 5 and x < 3 holds no row: a chain through it would end at 3 and go on with [3, 10], over [0, 5]
    expect(found(['x >= 0 and x <= 10', 'x >= 0 and x <= 5', 'x > 5 and x < 3', 'x >= 3 and x <= 10'])).toEqual([]);
    // beside a true partition it changes nothing
    expect(found(['x >= 0 and x <= 10', 'x >= 0 and x <= 5', 'x > 5 and x < 3', 'x > 5 and x <= 10'])).toEqual([
      'Anzahl s [x >= 0 and x <= 10] = Anzahl s [x > 5 and x <= 10] + Anzahl s [x >= 0 and x <= 5]',
    ]);
  });

  it("reads all values but some (t != 'a', t not in, not) and one column's or as sets", () => {
    expect(found(["t = 'a'", "t != 'a'", 't is not null'])).toEqual([
      "Anzahl s [t is not null] = Anzahl s [t != 'a'] + Anzahl s [t = 'a']",
    ]);
    expect(found(["t = 'a'", "t not in ('a', 'x')", "t != 'x'"])).toEqual([
      "Anzahl s [t != 'x'] = Anzahl s [t = 'a'] + Anzahl s [t not in ('a', 'x')]",
    ]);
    expect(found(["t = 'a'", "not t = 'a'", 't is not null'])).toHaveLength(1);
    expect(found(["t = 'a' or t = 'b'", "t = 'a'", "t = 'b'"])).toEqual([
      "Anzahl s [t = 'a' or t = 'b'] = Anzahl s [t = 'a'] + Anzahl s [t = 'b']",
    ]);
    // a boolean's "not true" is false
    expect(found(['b = true', 'not b = true', 'b is not null'])).toHaveLength(1);
    // two "all but" parts always overlap; an or over two columns is no set
    expect(found(["t != 'a'", "t != 'b'", 't is not null'])).toEqual([]);
    expect(found(["t = 'a' or u = 'b'", "t = 'a'", "u = 'b'"])).toEqual([]);
    // not over "is null" is "is not null" where the null is a value of the column (below); without the
    // column's type it is no set
    expect(found(["t = 'a'", "t != 'a'", 'not t is null'])).toEqual([
      "Anzahl s [not t is null] = Anzahl s [t != 'a'] + Anzahl s [t = 'a']",
    ]);
    expect(found(["t = 'a'", "t != 'a'", 'not t is null'], null)).toEqual([]);
    const subs = (filters: (string | undefined)[], measure: 'count' | 'sum' = 'count') =>
      subsetRelationsFromDefinitions(fake(filters, measure), [], sTypes).map((r) => r.label);
    // under all rows (nulls too): a and all but a, disjoint, together at most all
    expect(subs(["t = 'a'", "t != 'a'", undefined])).toEqual(["Anzahl s [t != 'a'] + Anzahl s [t = 'a'] <= Anzahl s"]);
    // a total row is not at least "all but" (t != 'a' holds the total rows themselves; a file may
    // name its total rows twice), and never in an equation: insgesamt = (t != 'a') + (t = 'a') is false
    expect(subs(["t != 'insgesamt'", "t = 'insgesamt'"], 'sum')).toEqual([]);
    // (as rows the total rows are among t != 'a': that sum is at least theirs)
    expect(subs(["t != 'a'", "t = 'insgesamt'"], 'sum')).toEqual(["s.n [t = 'insgesamt'] <= s.n [t != 'a']"]);
    expect(relationsFromDefinitions(fake(["t = 'insgesamt'", "t != 'a'", "t = 'a'"], 'sum'), sTypes)).toEqual([]);
    expect(subs(["t = 'a'", "t = 'insgesamt'"], 'sum')).toEqual(["s.n [t = 'a'] <= s.n [t = 'insgesamt']"]);
  });

  it('finds subgroups through value sets: t = a within t in (a, b), b = true within b is not null', () => {
    const subs = (filters: (string | undefined)[]) =>
      subsetRelationsFromDefinitions(fake(filters), [], sTypes).map((r) => r.label);
    expect(subs(["t = 'a' and u = 'x'", "t in ('a', 'b')"])).toEqual([
      "Anzahl s [t = 'a' and u = 'x'] <= Anzahl s [t in ('a', 'b')]",
    ]);
    expect(subs(['b = true', 'b is not null'])).toEqual(['Anzahl s [b = true] <= Anzahl s [b is not null]']);
    expect(subs(["t = 'a'", "t in ('b', 'c')"])).toEqual([]);
  });
  // the subgroup relations (families too) beside the partitions of the filters, as labels
  const familySubs = (filters: (string | undefined)[]) =>
    subsetRelationsFromDefinitions(fake(filters), relationsFromDefinitions(fake(filters), sTypes), sTypes)
      .map((r) => r.label)
      .sort();

  it('finds families of disjoint subgroups: Σ of them <= the group, not within one subgroup of it', () => {
    const subs = familySubs;
    expect(subs(["t = 'a'", "t = 'b'", "t = 'c'", undefined])).toEqual([
      "Anzahl s [t = 'a'] + Anzahl s [t = 'b'] + Anzahl s [t = 'c'] <= Anzahl s",
    ]);
    // overlapping subgroups: the largest disjoint families; c within b-or-c stays a pair
    expect(subs(["t in ('a', 'b')", "t in ('b', 'c')", "t = 'c'", undefined])).toEqual([
      "Anzahl s [t = 'c'] + Anzahl s [t in ('a', 'b')] <= Anzahl s",
      "Anzahl s [t = 'c'] <= Anzahl s [t in ('b', 'c')]",
      "Anzahl s [t in ('b', 'c')] <= Anzahl s",
    ]);
    // disjoint intervals of a number under a total that also counts its nulls
    expect(subs(['x > 5', 'x <= 5', undefined])).toEqual(['Anzahl s [x <= 5] + Anzahl s [x > 5] <= Anzahl s']);
    // within one subgroup: said there (b = true >= the two), and b = true <= all
    expect(subs(["b = true and t = 'a'", "b = true and t = 'b'", 'b = true', undefined])).toEqual([
      "Anzahl s [b = true and t = 'a'] + Anzahl s [b = true and t = 'b'] <= Anzahl s [b = true]",
      'Anzahl s [b = true] <= Anzahl s',
    ]);
    // the parts of a partition: their equation, no inequality
    expect(subs(["t = 'a'", "t = 'b'", "t in ('a', 'b')"])).toEqual([]);
  });

  it("takes a total row of a long file (t = 'insgesamt') as at least the sum over its other values, for sums", () => {
    const sums = (filters: (string | undefined)[], measure: 'sum' | 'count' = 'sum') =>
      subsetRelationsFromDefinitions(fake(filters, measure), [], sTypes).map((r) => r.label);
    expect(sums(["t = 'männlich'", "t = 'weiblich'", "t = 'Insgesamt'"])).toEqual([
      "s.n [t = 'männlich'] + s.n [t = 'weiblich'] <= s.n [t = 'Insgesamt']",
    ]);
    // with another condition: within the total rows of the same other condition
    expect(sums(["t = 'männlich' and u = 'x'", "t = 'zusammen' and u = 'x'", "t = 'weiblich' and u = 'y'"])).toEqual([
      "s.n [t = 'männlich' and u = 'x'] <= s.n [t = 'zusammen' and u = 'x']",
    ]);
    // counts of rows: a total row is one row like the others
    expect(sums(["t = 'männlich'", "t = 'weiblich'", "t = 'insgesamt'"], 'count')).toEqual([]);
    // a word that only contains one ("Gesamtschule", "zusammen lebend") is a value like the others
    expect(sums(["t = 'Grundschule'", "t = 'Gesamtschule'"])).toEqual([]);
    expect(sums(["t = 'allein'", "t = 'zusammen lebend'"])).toEqual([]);
    expect(sums(["t = 'allein'", "t = 'Kinder insgesamt'"])).toEqual([
      "s.n [t = 'allein'] <= s.n [t = 'Kinder insgesamt']",
    ]);
  });

  it('reads numbers of a numeric column that no single interval holds (in, !=, not between, or) as sets', () => {
    // codes as numbers: § 33 + § 34 = in (33, 34)
    expect(found(['x = 33', 'x = 34', 'x in (33, 34)'])).toEqual([
      'Anzahl s [x in (33, 34)] = Anzahl s [x = 33] + Anzahl s [x = 34]',
    ]);
    expect(found(['x in (1, 2)', 'x = 3', 'x in (1, 2, 3)'])).toHaveLength(1);
    // all numbers but one, and that one: all that are not null
    expect(found(['x = 5', 'x != 5', 'x is not null'])).toEqual([
      'Anzahl s [x is not null] = Anzahl s [x != 5] + Anzahl s [x = 5]',
    ]);
    expect(found(['x between 1 and 3', 'x not between 1 and 3', 'x is not null'])).toHaveLength(1);
    expect(found(['x < 1 or x > 3', 'x between 1 and 3', 'x is not null'])).toHaveLength(1);
    expect(found(['not x in (1, 2)', 'x in (1, 2)', 'x is not null'])).toHaveLength(1);
    // an interval among them: x > 2 = x in (3, 4) + the rest above 2 (x > 2 and x not in (3, 4))
    expect(found(['x > 2', 'x in (3, 4)', 'x > 2 and x not in (3, 4)'])).toHaveLength(1);
    // a gap or an overlap: none (5 is in neither part; 2 is in both)
    expect(found(['x < 5', 'x > 5', 'x != 3'])).toEqual([]);
    expect(found(['x < 5 or x > 5', 'x = 3', 'x is not null'])).toEqual([]);
    expect(found(['x in (1, 2)', 'x in (2, 3)', 'x in (1, 2, 3)'])).toEqual([]);
    // (whole numbers are not assumed: x in (1, 2) and x = 3 do not make x between 1 and 3)
    expect(found(['x in (1, 2)', 'x = 3', 'x between 1 and 3'])).toEqual([]);
    // a total without a condition on the column holds the nulls
    expect(found(['x = 5', 'x != 5', undefined])).toEqual([]);
    // subgroups and disjoint families through them
    const subs = familySubs;
    expect(subs(['x in (33, 34)', 'x in (27, 31)', undefined])).toEqual([
      'Anzahl s [x in (27, 31)] + Anzahl s [x in (33, 34)] <= Anzahl s',
    ]);
    expect(subs(['x = 33 and b = true', 'x in (33, 34)'])).toEqual([
      'Anzahl s [x = 33 and b = true] <= Anzahl s [x in (33, 34)]',
    ]);
    expect(subs(['x = 33', 'x in (27, 31)'])).toEqual([]);
    // the standard set's intervals stay intervals: its one partition (tested above) and nothing more
    expect(found(['x > 90', 'x > 90 and x <= 97', 'x > 97'])).toHaveLength(1);
  });

  it('reads is null as one value more where a filter counts the rows without a value', () => {
    // every row is one with a value or one without
    expect(found(['t is null', 't is not null', undefined])).toEqual([
      'Anzahl s = Anzahl s [t is not null] + Anzahl s [t is null]',
    ]);
    expect(found(["t = 'a'", "t != 'a'", 't is null', undefined])).toEqual([
      "Anzahl s = Anzahl s [t != 'a'] + Anzahl s [t = 'a'] + Anzahl s [t is null]",
    ]);
    expect(found(['b = true', 'b = false', 'b is null', undefined])).toEqual([
      'Anzahl s = Anzahl s [b = false] + Anzahl s [b = true] + Anzahl s [b is null]',
    ]);
    // a number: its conditions become pieces of the number line
    expect(found(['x > 5', 'x <= 5', 'x is null', undefined])).toEqual([
      'Anzahl s = Anzahl s [x <= 5] + Anzahl s [x > 5] + Anzahl s [x is null]',
    ]);
    expect(found(['not x is null', 'x is null', undefined])).toEqual([
      'Anzahl s = Anzahl s [not x is null] + Anzahl s [x is null]',
    ]);
    // a number's condition or the null: its pieces and the null; not over it leaves the null out
    expect(found(['x > 5 or x is null', 'x <= 5', undefined])).toEqual([
      'Anzahl s = Anzahl s [x <= 5] + Anzahl s [x > 5 or x is null]',
    ]);
    expect(found(['not (x > 5 or x is null)', 'x > 5', 'x is null', undefined])).toEqual([
      'Anzahl s = Anzahl s [not (x > 5 or x is null)] + Anzahl s [x > 5] + Anzahl s [x is null]',
    ]);
    expect(found(['x > 5 or x is null', 'x > 5', 'x is null'])).toEqual([
      'Anzahl s [x > 5 or x is null] = Anzahl s [x > 5] + Anzahl s [x is null]',
    ]);
    // (without the null: x > 5 or x is null is no x > 5 and more)
    expect(found(['x > 5 or x is null', 'x <= 5', 'x is not null'])).toEqual([]);
    // where the column's type is not known the null is no value: such an or is not read, also among pieces
    expect(found(['x > 5 or x is null', 'x <= 5', 'x is not null', 'x != 7'], null)).toEqual([]);
    // SQL: != and not over = leave the nulls out, not over an or with is null too, not over is not null holds them
    expect(found(["t = 'a' or t is null", "t != 'a'", undefined])).toEqual([
      "Anzahl s = Anzahl s [t != 'a'] + Anzahl s [t = 'a' or t is null]",
    ]);
    expect(found(["not (t = 'a' or t is null)", "t = 'a'", 't is null', 't is not null'])).toEqual([
      "Anzahl s [t is not null] = Anzahl s [not (t = 'a' or t is null)] + Anzahl s [t = 'a']",
    ]);
    expect(found(["not (t = 'a')", "t = 'a'", 't is null', undefined])).toEqual([
      "Anzahl s = Anzahl s [not t = 'a'] + Anzahl s [t = 'a'] + Anzahl s [t is null]",
    ]);
    expect(found(['not t is not null', 't is not null', undefined])).toEqual([
      'Anzahl s = Anzahl s [not t is not null] + Anzahl s [t is not null]',
    ]);
    // no partition without the nulls: t = 'a' + t != 'a' is not every row
    expect(found(["t = 'a'", "t != 'a'", 't is null', 'u is null'])).toEqual([]);
    expect(found(["t = 'a'", "t != 'a'", undefined])).toEqual([]);
    // the nulls apart from the values: families and subgroups
    expect(familySubs(["t = 'a'", 't is null', undefined])).toEqual([
      "Anzahl s [t = 'a'] + Anzahl s [t is null] <= Anzahl s",
    ]);
    expect(familySubs(['t is null', 't is not null', "t = 'a'"])).toEqual([
      "Anzahl s [t = 'a'] <= Anzahl s [t is not null]",
    ]);
  });

  it('warns of filters that no row passes (conditions on one column that exclude each other)', () => {
    const never = (filters: (string | undefined)[]) =>
      neverTrueFilterIssues(fake(filters), sTypes)
        .map((i) => i.message.match(/„([^“]*)“ von (\S+)/)!.slice(1))
        .sort((a, b) => (a[1]! < b[1]! ? -1 : 1));
    expect(
      never(['x > 5 and x < 3', "t = 'a' and t = 'b'", "t = 'a' and t is null", 'b = true and b = false']),
    ).toEqual([
      ['x > 5 and x < 3', 'i0'],
      ["t = 'a' and t = 'b'", 'i1'],
      ["t = 'a' and t is null", 'i2'],
      ['b = true and b = false', 'i3'],
    ]);
    // a number and the null: x > 5 and x is null holds no row, x > 5 or x is null does
    expect(never(['x > 5 and x is null', 'x > 5 or x is null', 'x <= 5'])).toEqual([['x > 5 and x is null', 'i0']]);
    // numbers of a column read as pieces too; an empty point
    expect(never(['x in (1, 2) and x = 3', 'x > 3 and x < 3', 'x in (1, 2)'])).toHaveLength(2);
    // none: conditions that leave rows, on one column or on several
    expect(
      never([
        'x > 3 and x < 5',
        "t != 'a' and t != 'b'",
        "t in ('a', 'b') and t != 'a'",
        "b = true and t = 'a'",
        undefined,
      ]),
    ).toEqual([]);
    expect(neverTrueFilterIssues(fake(['x > 5 and x < 3']), sTypes)[0]).toMatchObject({
      severity: 'warning',
      code: 'filter.never_true',
    });
  });

  it('names conditions it cannot read beside other counts that test the same columns', () => {
    const issues = (filters: (string | undefined)[]) =>
      unreadableConditionIssues(fake(filters), sTypes).map((i) =>
        i.message.match(/„([^“]*)“ im Filter von (\S+)/)!.slice(1),
      );
    // an or over two columns beside a count of one of them: at least that count, at most the two together
    expect(issues(['b = true or x > 3', 'b = true', 'x > 3'])).toEqual([['b = true or x > 3', 'i0']]);
    // a text compared with <; is null where spm does not know the column's type
    expect(issues(["t < 'm'", "t = 'a'"])).toEqual([["t < 'm'", 'i0']]);
    expect(unreadableConditionIssues(fake(['t is null', "t = 'a'", undefined]), undefined).map((i) => i.code)).toEqual([
      'relations.unreadable_condition',
    ]);
    // not over an and of two columns, and two unreadable conditions on one column: each named
    expect(issues(['not (b = true and x > 3)', 'x > 3'])).toHaveLength(1);
    expect(issues(["t < 'm' or t < 'c'", "t < 'm'", "t = 'a'"])).toHaveLength(2);
    // is null of a column whose type spm.yaml gives: the null is a value (below)
    expect(issues(['t is null', "t = 'a'", "t < 'm'", undefined])).toEqual([["t < 'm'", 'i2']]);
    // also in an or with a number's condition
    expect(issues(['x > 5 or x is null', 'x <= 5', undefined])).toEqual([]);
    expect(
      unreadableConditionIssues(fake(['x > 5 or x is null', 'x <= 5', undefined]), undefined).map((i) => i.code),
    ).toEqual(['relations.unreadable_condition']);
    // none: readable conditions; the same condition in both (a common condition); other columns only
    expect(issues(["t = 'a' or t = 'b'", "t = 'a'", 'x != 3', 'x in (1, 2)', undefined])).toEqual([]);
    expect(issues(["(b = true or x > 3) and t = 'a'", "(b = true or x > 3) and t = 'b'"])).toEqual([]);
    expect(issues(['b = true or x > 3', "t = 'a'", undefined])).toEqual([]);
    // (counts of another source, or sums of another column, are no relatives)
    expect(unreadableConditionIssues([...fake(['b = true or x > 3']), ...fake(['b = true'], 'sum')], sTypes)).toEqual(
      [],
    );
  });

  it('refuses, as a user error, filters that make more than 256 families for one count', () => {
    // t = 'vi' or t in ('vi', 'wi') for each of 9 values: 2^9 = 512 largest families under all rows
    const filters = Array.from({ length: 9 }, (_, i) => [`t = 'v${i}'`, `t in ('v${i}', 'w${i}')`]).flat();
    expect(() => subsetRelationsFromDefinitions(fake([...filters, undefined]), [], sTypes)).toThrow(UserError);
    // 8 values: 256 families, at the limit; the one of the eight t in ('vi', 'wi') holds all others
    const eight = subsetRelationsFromDefinitions(fake([...filters.slice(0, 16), undefined]), [], sTypes);
    expect(eight.filter((r) => r.parts.length > 1).map((r) => r.parts.length)).toEqual([8]);
  });
});

describe('checkRelations', () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
    await conn.run(`CREATE TABLE spm_mcells AS SELECT * FROM (VALUES
      (0, 'sozialraum', 'A-01', 2020, 1, 10.0, FALSE, 0, FALSE),
      (1, 'sozialraum', 'A-01', 2020, 1, 6.0, FALSE, 0, FALSE),
      (2, 'sozialraum', 'A-01', 2020, 1, 4.0, FALSE, 0, FALSE),
      (0, 'sozialraum', 'A-02', 2020, 1, 9.0, FALSE, 0, FALSE),
      (1, 'sozialraum', 'A-02', 2020, 1, 6.0, FALSE, 0, FALSE),
      (2, 'sozialraum', 'A-02', 2020, 1, 4.0, FALSE, 0, FALSE),
      (0, 'sozialraum', 'A-03', 2020, 1, 12.0, FALSE, 1, FALSE),
      (1, 'sozialraum', 'A-03', 2020, 1, 6.0, FALSE, 0, FALSE),
      (2, 'sozialraum', 'A-03', 2020, 1, 4.0, FALSE, 0, FALSE)
    ) v(mid, level, area_id, year, pool_years, value, missing, n_suppressed, rejected)`);
  });
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
  });
  const mids = new Map([
    ['t', 0],
    ['a', 1],
    ['b', 2],
  ]);
  const rel = (rest: boolean) => ({
    total: 't',
    parts: ['a', 'b'],
    rest,
    origin: 'declared' as const,
    label: 'x.t = x.a + x.b',
    path: 'relations[0]',
  });

  it('reports the cells where a declared relation does not hold (not those with "*" parts)', async () => {
    const err = await checkRelations(conn, [rel(false)], mids).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('sozialraum A-02 2020: 9 ≠ 6 + 4 = 10');
    expect((err as Error).message).toContain('(1 Zelle)');
    expect((err as Error).message).not.toContain('A-01');
    expect((err as Error).message).not.toContain('A-03');
  });

  it('with a rest, only a total below the sum of its parts is an error', async () => {
    const err = await checkRelations(conn, [rel(true)], mids).catch((e: unknown) => e);
    expect((err as Error).message).toContain('A-02 2020: 9 < 6 + 4 = 10');
    await conn.run(`UPDATE spm_mcells SET value = 11 WHERE mid = 0 AND area_id = 'A-02'`);
    await expect(checkRelations(conn, [rel(true)], mids)).resolves.toBeUndefined();
  });
});
