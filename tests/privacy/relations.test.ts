/**
 * Relations between measures: found in the filters, declared in spm.yaml,
 * and declared ones checked against the data.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadProject } from '../../src/config/load-project.js';
import { compileProject } from '../../src/compile/compile-indicator.js';
import {
  declaredRelations,
  projectRelations,
  relationsFromDefinitions,
  subsetRelationsFromDefinitions,
} from '../../src/privacy/relations.js';
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
