/**
 * The interval attack of issue #11 by an attacker who knows that counts are whole numbers (the
 * sample), on cities, on a Kreis set up by spm init, on Hilfen in long format (relations of sums
 * and text values read off the filters), and on random projects.
 * The attacker and the threat model: tests/privacy/lp-attack-project.ts and lp-attacker.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { suppressCells, type SuppressionCounts } from '../../src/privacy/index.js';
import { protectCells } from '../../src/privacy/protect.js';
import { withEnv } from './env.js';
import { completeProject, writeRawFolder } from '../e2e/own-kreis-project.js';
import { lpAttack, type ARow, type ATarget, type AVar } from './lp-attacker.js';
import type { MeasureRelation } from '../../src/privacy/relations.js';
import {
  cellKey,
  loadSeries,
  maskKey,
  projectArb,
  projectCells,
  readMasks,
  type Cell,
  type Project,
  type Series,
} from './project.js';
import {
  attackProject,
  RANDOM_RUNS,
  RANDOM_SEED,
  sample,
  testCounts,
  writeGeschlechtProject,
  writeSpracheProject,
  writeAlterProject,
  writeHilfenProject,
  writeTestProject,
} from './lp-attack-project.js';

describe('LP attack on the sample project, counts as whole numbers', () => {
  // An attacker who also knows that counts are whole numbers (a MIP per bound instead of an LP; 3x the time).
  // The audit solves a component of up to 400 cells with integrality where its LP optimum is fractional and
  // judges larger ones by their LP (src/privacy/README.md, "Limits"). This attacker found HiGHS's MIP presolve
  // wrong on spm's problems (tests/privacy/mip-presolve.test.ts); it runs without it, as the audit does.
  it(
    'narrows none when the attacker knows that counts are whole numbers (MIPs)',
    () =>
      attackProject('sample, whole numbers', sample, {
        relation: 'bmi_perzentil > 90',
        minTargets: 1000,
        integer: true,
      }),
    600_000,
  );
});

// A city with a declared hierarchy of four levels below the top: the real structure of 28 Berlin
// Planungsräume (LOR 2021, tests/fixtures/areas/berlin-lor), counts invented, five years and
// three-year windows. The attacker reads the parents from the area file itself.
describe('LP attack on cities (real area structures, test counts)', () => {
  it('narrows no protected count through Planungsraum, Bezirksregion, Prognoseraum, Bezirk and Land', async () => {
    const lor = fs.readFileSync(
      path.resolve(import.meta.dirname, '..', 'fixtures', 'areas', 'berlin-lor', 'lor_2021_auszug.csv'),
      'utf8',
    );
    const table = lor
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(','));
    const parent = new Map<string, string>();
    for (const c of table) {
      parent.set(`planungsraum|${c[1]}`, `bezirksregion|${c[3]}`);
      parent.set(`bezirksregion|${c[3]}`, `prognoseraum|${c[5]}`);
      parent.set(`prognoseraum|${c[5]}`, `bezirk|${c[7]}`);
      parent.set(`bezirk|${c[7]}`, 'land|11');
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-attack-lor-'));
    try {
      fs.writeFileSync(path.join(root, 'lor.csv'), lor);
      writeTestProject(
        root,
        `areas:
  file: lor.csv
  top: { level: land, label: Land, id: "11", name: Berlin }
  levels:
    - { name: bezirk, label: Bezirk, id_column: Bezirk }
    - { name: prognoseraum, label: Prognoseraum, id_column: "Prognoseraum (Nummer)", name_column: "Prognoseraum (Name)" }
    - { name: bezirksregion, label: Bezirksregion, id_column: "Bezirksregion (Nummer)", name_column: "Bezirksregion (Name)" }
    - { name: planungsraum, label: Planungsraum, id_column: "Planungsraum (Nummer)", name_column: "Planungsraum (Name)" }`,
        'planungsraum',
        testCounts(
          table.map((c) => c[1]!),
          7,
        ),
        true,
      );
      await attackProject('Berlin LOR', root, {
        parentOf: (level, area) => parent.get(`${level}|${area}`) ?? null,
        minTargets: 15,
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);

  // A kreisfreie Stadt: Kreis 09162 and its one Gemeinde 09162000 publish the same sums (the
  // attacker knows Kreis = Kommune); the 25 Stadtbezirke of München below (real codes and names),
  // one small count per year and no windows, so that each needs a complement in its year.
  it('narrows none in a kreisfreie Stadt (Kreis = its one Kommune)', async () => {
    // the München atlas sample's area file: the Stadtbezirke under Gemeinde 09162000
    const areas = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'atlas-muenchen', 'gebiete.csv');
    const bezirke = fs
      .readFileSync(areas, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(';'));
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-attack-stadt-'));
    try {
      fs.copyFileSync(areas, path.join(root, 'gebiete.csv'));
      writeTestProject(
        root,
        `kreis: { ags: "09162", name: München }
areas:
  file: gebiete.csv`,
        'sozialraum',
        testCounts(
          bezirke.map((b) => b[0]!),
          23,
        ),
        false,
      );
      await attackProject('kreisfreie Stadt', root, { minTargets: 4 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('LP attack on a Kreis set up by spm init from raw files shaped unlike the sample', () => {
  it('narrows none in the own-Kreis project (SEU with one row per child, a Jobcenter "*", 8 Sozialräume)', async () => {
    // the project of tests/e2e/own-kreis.test.ts: raw files -> spm init -> the planner's completions
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-attack-own-'));
    try {
      writeRawFolder(root);
      const { initRun } = await import('../../src/run/init-run.js');
      await initRun(root);
      completeProject(root);
      await attackProject('own Kreis (spm init)', root, { relation: 'bmi_perzentil > 90', minTargets: 30 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});

// Hunting on a project of one's own (e.g. the bench's small project, ten times the sample): a copy of
// the folder named by SPM_ATTACK_PROJECT, computed afresh and attacked as the sample is. Only a Kreis
// (kreis > kommune > sozialraum, the hierarchy the attack writes down itself).
const ATTACK_PROJECT = process.env.SPM_ATTACK_PROJECT;
// Relations an attacker reads off the filters beyond the sample's: Hilfen in long format, where
// § 33 + § 34 = Fremdunterbringung (values of a text column), and Fremdunterbringung + ambulante
// Hilfen <= all Hilfen (disjoint sums of a column of counts). Without them 310 of 372 narrowed.
// The same Hilfen as cases (microdata) with the Hilfeart as a number (`hilfeart = 33`, `hilfeart in
// (33, 34)`): spm read a number's `in` as no condition it knew, 224 of 372 narrowed.
describe('LP attack on relations read off the filters of sums (Hilfen in long format)', () => {
  it.each([
    { what: 'in long format', numeric: false, relation: "in ('33', '34')" },
    { what: 'as cases with the Hilfeart as a number', numeric: true, relation: 'in (33, 34)' },
  ])(
    'narrows none through § 33 + § 34 = Fremdunterbringung and Fremdunterbringung + ambulant <= all ($what)',
    async ({ what, numeric, relation }) => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-hilfen-'));
      try {
        writeHilfenProject(root, { numeric });
        await attackProject(`Hilfen ${what}`, root, { relation, disjointFamilies: true, minTargets: 300 });
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
    600_000,
  );
});

// Hilfen as a wide file (a column per Hilfeart and their sums) without `relations:` in spm.yaml: the
// column names say h_33_34 = h_33 + h_34 and h_alle = h_33_34 + h_27_31, and the attacker is told so.
// spm finds both equations in the data (src/compute/data-relations.ts). (Inequalities, such as
// Fremdunterbringung <= HzE ohne § 35a in the sample, are no equation of the data: they must be declared.)
describe('LP attack on sums of columns that no spm.yaml declares (equations found in the data)', () => {
  it('narrows none through h_33_34 = h_33 + h_34 and h_alle = h_33_34 + h_27_31', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-wide-'));
    try {
      writeHilfenProject(root, { wide: true });
      expect(fs.readFileSync(path.join(root, 'spm.yaml'), 'utf8')).not.toContain('relations:');
      await attackProject('Hilfen in Spalten, Beziehungen nicht erklärt', root, {
        knownRelations: [
          { total: 'hilfen.h_33_34', parts: ['hilfen.h_33', 'hilfen.h_34'], rest: false },
          { total: 'hilfen.h_alle', parts: ['hilfen.h_33_34', 'hilfen.h_27_31'], rest: false },
        ],
        minTargets: 300,
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('LP attack through the total row of a long file (Geschlecht: männlich, weiblich, divers, insgesamt)', () => {
  it('narrows none through all >= Jungen + Mädchen', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-geschlecht-'));
    try {
      writeGeschlechtProject(root);
      await attackProject('Geschlecht im Langformat', root, { disjointFamilies: true, minTargets: 100 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('LP attack through the rows without a value (Familiensprache not recorded: is null)', () => {
  it('narrows none through all = Deutsch + andere + ohne Angabe', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-sprache-'));
    try {
      writeSpracheProject(root);
      await attackProject('Familiensprache ohne Angabe', root, {
        relation: JSON.stringify(['hilfen', 'count', null, '']),
        minTargets: 100,
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});

// Before 7 Dec 2026 spm could not read `alter >= 6 or alter is null` and refused the project
// (relations.unreadable_condition). As with the Familiensprache above, the equation also shows in these
// data, so the unit tests of relations.ts guard the filter reading; this case guards the whole run.
describe('LP attack through a number or no value (age of the child: alter >= 6 or alter is null)', () => {
  it('narrows none through all = unter 6 + (ab 6 or ohne Angabe)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-alter-'));
    try {
      writeAlterProject(root);
      await attackProject('Alter ohne Angabe', root, {
        relation: JSON.stringify(['hilfen', 'count', null, '']),
        minTargets: 100,
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});

describe.runIf(ATTACK_PROJECT)('LP attack on the project named by SPM_ATTACK_PROJECT', () => {
  it('narrows none in the project named by SPM_ATTACK_PROJECT', async () => {
    const src = path.resolve(ATTACK_PROJECT!);
    const { loadProject } = await import('../../src/config/load-project.js');
    const { levelNames, projectHierarchy } = await import('../../src/config/hierarchy.js');
    // (an areas.top other than a Kreis, or levels of its own: the attack's parents would not be theirs)
    const config = loadProject(src).project.config;
    const areas = config.areas;
    const shape = levelNames(projectHierarchy(config));
    if (shape.join(' > ') !== 'kreis > kommune > sozialraum')
      throw new Error(
        `SPM_ATTACK_PROJECT: ${src} is not a Kreis (${shape.join(' > ')}); the attack knows only kreis > kommune > sozialraum`,
      );
    // (second hierarchies publish sums the attack would have to be told about, as in the test with Jugendamtsbezirke)
    if (areas?.groupings?.length)
      throw new Error(`SPM_ATTACK_PROJECT: ${src} has groupings (second hierarchies), which this attack does not read`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-lp-attack-project-'));
    try {
      fs.cpSync(src, root, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
      await attackProject(path.basename(src), root, { minTargets: 0 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 7_200_000);
});

// ------------------------------------------------------------------ (b)

describe('LP attack on random projects (DuckDB path, relation total = a + b)', () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
  });
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
  });

  // "1,1": every component of the audit a block of its own, their covers unioned (see prepareBlocks)
  // "with bound relations": numerator <= denominator as relations of one group instead of fixed
  // bounds, as the pass runs again after a refusal (src/privacy/bound-relations.ts)
  // (With the relations in one Kommune only and the fixed bounds elsewhere, this leaked: a
  // numerator's fixed bound outside let the LP move its denominator, a variable of the same group,
  // below it. So the relations hold in every area.)
  // "with low points" (spm compute's default): the pass as compute runs it (`protectCells`), the
  // groups solved numerators first, each denominator bounded by its numerators' low points
  // (src/privacy/low-point.ts), and after a refusal again with the pairs around it as relations. These
  // projects carry a chain as well: c is a numerator over a, a over den (c <= a <= den), so that a's
  // group is bounded by c's low point and den's by a's. "and zero rounds": the opt-in
  // SPM_PRIVACY_ZERO_ROUNDS before the relations.
  it.each([
    ['in one block per group', undefined, false, false, 0],
    ['in blocks', '1,1', false, false, 0],
    ['with bound relations', undefined, true, false, 0],
    ['with low points', undefined, false, true, 0],
    ['with low points and zero rounds', undefined, false, true, 4],
  ] as const)(
    'leaves every protected count a range from 0 to the threshold (audit %s)',
    async (_, blocks, bounds, low, zeroRounds) => {
      await withEnv({ SPM_PRIVACY_BLOCKS: blocks }, () =>
        attackRandomProjects(blocks !== undefined, bounds, low, zeroRounds),
      );
    },
    600_000,
  );

  const attackRandomProjects = async (inBlocks: boolean, bounds: boolean, low: boolean, zeroRounds: number) => {
    let narrowedWithoutAudit = 0;
    let split = 0;
    let refusedRuns = 0;
    let widenedRuns = 0;
    let culpritRuns = 0;
    await fc.assert(
      fc.asyncProperty(projectArb({ flags: false }), async (p) => {
        const small = (f: (v: number, k: number, s: number, y: number) => number): Project => ({
          ...p,
          counts: p.counts.map((ks, k) => ks.map((ys, s) => ys.map((v, y) => f(v, k, s, y)))),
        });
        const den = projectCells(p);
        const fa = (v: number, k: number, s: number, y: number) => Math.min(v, (v * 7 + k * 3 + s * 5 + y) % 5);
        const a = projectCells(small(fa));
        const b = projectCells(small((v, k, s, y) => Math.min(v - fa(v, k, s, y), (k + s + y) % 4)));
        const tot = a.map((c, i) => ({ ...c, x: c.x + b[i]!.x }));
        // (with low points) the chain: c <= a cell by cell, as a's base counts bound c's
        const c = low ? projectCells(small((v, k, s, y) => Math.min(fa(v, k, s, y), (k * 2 + s + y * 3) % 3))) : [];
        // (with low points) z over den, 0 everywhere: its low point never holds den up
        const z = low ? projectCells(small(() => 0)) : [];
        const series: Series[] = [
          { indicator_id: 'ind_a', role: 'numerator', measure_key: 'a', cells: a },
          { indicator_id: 'ind_a', role: 'denominator', measure_key: 'den', cells: den },
          { indicator_id: 'ind_b', role: 'numerator', measure_key: 'b', cells: b },
          { indicator_id: 'ind_b', role: 'denominator', measure_key: 'den', cells: den },
          { indicator_id: 'ind_t', role: 'numerator', measure_key: 't', cells: tot },
          { indicator_id: 'ind_t', role: 'denominator', measure_key: 'den', cells: den },
          ...(low
            ? ([
                { indicator_id: 'ind_c', role: 'numerator', measure_key: 'c', cells: c },
                { indicator_id: 'ind_c', role: 'denominator', measure_key: 'a', cells: a },
                { indicator_id: 'ind_z', role: 'numerator', measure_key: 'z', cells: z },
                { indicator_id: 'ind_z', role: 'denominator', measure_key: 'den', cells: den },
              ] as const)
            : []),
        ];
        await loadSeries(conn, p, series);
        // proportions: a numerator never exceeds its denominator (the attacker knows it)
        await conn.run(
          `CREATE OR REPLACE TABLE spm_indicators AS SELECT * FROM (VALUES ('ind_a', TRUE, 0.0), ('ind_b', TRUE, 0.0), ('ind_t', TRUE, 0.0), ('ind_c', TRUE, 0.0), ('ind_z', TRUE, 0.0)) v(indicator_id, proportion, min_den)`,
        );
        const relations: MeasureRelation[] = [
          { total: 't', parts: ['a', 'b'], rest: false, origin: 'declared' as const, label: 't = a + b' },
        ];
        const exactBounds = bounds ? ['ind_a', 'ind_b', 'ind_t'] : [];
        if (bounds)
          for (const m of ['a', 'b', 't'])
            relations.push({
              total: 'den',
              parts: [m],
              rest: true,
              bound: true,
              origin: 'definition',
              label: `${m} <= den`,
            });
        const attack = async (audit: boolean) => {
          let counts: SuppressionCounts;
          if (low) {
            // as spm compute runs it (the linear pass alone: one pass, no refusal to widen)
            const r = await protectCells(conn, { threshold: p.threshold, relations, audit, zeroRounds });
            counts = r.counts;
            if (r.passes > 1) widenedRuns++;
            // a refused den: only the pairs whose numerators' low points held it up became relations
            // (z's never does), not every pair below den
            if (['ind_a', 'ind_b', 'ind_t'].some((i) => r.chosen.includes(i)) && !r.chosen.includes('ind_z'))
              culpritRuns++;
            // first c and z, then a, b and t together, then den (each its own group); after a refusal fewer
            if (r.passes === 1) expect(counts.groups).toBe(4);
          } else {
            counts = await suppressCells(conn, { threshold: p.threshold, relations, audit, exactBounds });
            // one group of four measures with the bound relations, else den alone and a, b, t together
            expect(counts.groups).toBe(bounds ? 1 : 2);
          }
          const masks = await readMasks(conn);
          const vars = new Map<string, AVar>();
          const masked = new Set(masks.map((m) => `${m.indicator_id}|${m.role}|${maskKey(m)}`));
          // a count is published where any indicator that shows it leaves it unmasked
          const add = (name: string, shown: readonly (readonly [string, string])[], cells: Cell[]) => {
            for (const c of cells)
              vars.set(`${name}|${cellKey(c)}`, {
                published: shown.every(([ind, role]) => masked.has(`${ind}|${role}|${cellKey(c)}`)) ? null : c.x,
                lb: 0,
                ub: Infinity,
              });
          };
          add('a', [['ind_a', 'numerator'], ...(low ? [['ind_c', 'denominator'] as const] : [])], a);
          add('b', [['ind_b', 'numerator']], b);
          add('t', [['ind_t', 'numerator']], tot);
          add('c', [['ind_c', 'numerator']], c);
          add(
            'den',
            [
              ['ind_a', 'denominator'],
              ['ind_b', 'denominator'],
              ['ind_t', 'denominator'],
              ...(low ? [['ind_z', 'denominator'] as const] : []),
            ],
            den,
          );
          add('z', [['ind_z', 'numerator']], z);
          const rows: ARow[] = [];
          const eqs = (name: string, cells: Cell[]) => {
            const k = (c: { level: string; area_id: string; year: number; pool: number }) => `${name}|${cellKey(c)}`;
            for (const c of cells) {
              if (c.pool > 1) {
                const parts = [];
                for (let y = c.year - c.pool + 1; y <= c.year; y++)
                  parts.push(`${name}|${c.level}|${c.area_id}|${y}|1`);
                rows.push({ terms: [[k(c), 1], ...parts.map((q) => [q, -1] as [string, number])] });
              }
              const kids = cells.filter(
                (d) =>
                  d.pool === c.pool &&
                  d.year === c.year &&
                  ((c.level === 'kommune' && d.level === 'sozialraum' && d.kommune === c.area_id) ||
                    (c.level === 'kreis' && d.level === 'kommune')),
              );
              if (kids.length) rows.push({ terms: [[k(c), 1], ...kids.map((d) => [k(d), -1] as [string, number])] });
            }
          };
          for (const [name, cells] of [
            ['a', a],
            ['b', b],
            ['t', tot],
            ['c', c],
            ['z', z],
            ['den', den],
          ] as const)
            eqs(name, cells);
          for (const c of tot)
            rows.push({
              terms: [
                [`t|${cellKey(c)}`, 1],
                [`a|${cellKey(c)}`, -1],
                [`b|${cellKey(c)}`, -1],
              ],
            });
          for (const name of low ? ['a', 'b', 't', 'z'] : ['a', 'b', 't'])
            for (const c of den)
              rows.push({
                terms: [
                  [`${name}|${cellKey(c)}`, 1],
                  [`den|${cellKey(c)}`, -1],
                ],
                le: true,
              });
          for (const x of c)
            rows.push({
              terms: [
                [`c|${cellKey(x)}`, 1],
                [`a|${cellKey(x)}`, -1],
              ],
              le: true,
            });
          const targets: ATarget[] = [];
          for (const [name, cells, over] of [
            ['a', a, den],
            ['b', b, den],
            ['t', tot, den],
            ['c', c, a],
            ['den', den, undefined],
          ] as const) {
            cells.forEach((x, i) => {
              if (x.x > 0 && x.x < p.threshold)
                targets.push({
                  id: `${name}|${cellKey(x)}`,
                  level: over ? Math.min(p.threshold, over[i]!.x) : p.threshold,
                });
            });
          }
          for (const t of targets) expect(vars.get(t.id)!.published, t.id).toBeNull();
          return { counts, ...(await lpAttack(vars, rows, targets)) };
        };
        const withAudit = await attack(true);
        if (withAudit.counts.audit.blocks > 0) split++;
        expect(withAudit.counts.unresolved).toBe(0);
        if (withAudit.counts.audit.unresolved > 0) refusedRuns++;
        else expect(withAudit.narrowed).toEqual([]);
        const linearOnly = await attack(false);
        if (linearOnly.narrowed.length) narrowedWithoutAudit++;
      }),
      { seed: RANDOM_SEED, numRuns: RANDOM_RUNS },
    );
    // the attacker has teeth: the linear pass alone leaves some counts narrowed
    expect(narrowedWithoutAudit).toBeGreaterThan(0);
    // most runs publish (a refusal is safe, but not the point of the attack)
    expect(refusedRuns).toBeLessThan(RANDOM_RUNS / 4);
    if (process.env.SPM_PRIVACY_DEBUG)
      console.error(
        `random projects: ${refusedRuns} refused, ${widenedRuns} passes run again, ${culpritRuns} with only the culprits below den`,
      );
    // the default path's second passes were there to attack, and (a refused den) chose only the culprits
    if (low && zeroRounds === 0 && RANDOM_SEED === 5561) {
      expect(widenedRuns).toBeGreaterThan(0);
      expect(culpritRuns).toBeGreaterThan(0);
    }
    // and the blocks were there to attack
    if (inBlocks) expect(split).toBeGreaterThan(0);
    else expect(split).toBe(0);
  };
});
