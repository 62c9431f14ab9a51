/**
 * Declared hierarchies end to end: the real Berlin LOR structure (five levels,
 * codes with leading zeros, a Bezirk keyed by its name) and a property test:
 * over any declared hierarchy, every published sum equals the sum of its leaves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/index.js';
import { computeRun } from '../../src/run/compute-run.js';
import type { IndicatorInput, ProjectFileInput } from '../../src/config/schema.js';
import type { KennzahlRow } from '../../src/charts/types.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function folder(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-hier-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), content);
  return root;
}

const quote: IndicatorInput = {
  id: 'quote',
  title: 'Anteil mit Befund',
  description: 'Kinder mit Befund je untersuchte Kinder',
  family: 'gesundheit_seu',
  lebensphase: '3-6',
  unit: 'percent',
  polarity: 'worse',
  numerator: { source: 'zahlen', measure: 'sum', column: 'befund' },
  denominator: { source: 'zahlen', measure: 'sum', column: 'kinder' },
  min_denominator: 1,
  steckbrief: {
    stichtag: '31.12.',
    data_owner: 'Test',
    numerator_source: 'Test',
    denominator_source: 'Test',
    definition: 'Test',
    suppression: 'keine',
  },
};

const source = (level: string): ProjectFileInput['sources'][number] => ({
  id: 'zahlen',
  title: 'Zahlen',
  files: 'zahlen.csv',
  kind: 'aggregated',
  area: { column: 'gebiet', level },
  period: { column: 'jahr', kind: 'kalenderjahr' },
  columns: { kinder: { header: 'kinder', type: 'count' }, befund: { header: 'befund', type: 'count' } },
  stichtag: '31.12.',
  owner: 'Test',
});

async function results(root: string, config: ProjectFileInput): Promise<KennzahlRow[]> {
  const spm = await Spm.open({ config, root }, { indicators: [quote] });
  try {
    await spm.compute();
    return await spm.results({ indicators: ['quote'] });
  } finally {
    await spm.close();
  }
}

describe('Berlin LOR (real structure, tests/fixtures/areas/berlin-lor)', () => {
  const lor = fs.readFileSync(
    path.resolve(import.meta.dirname, '..', 'fixtures', 'areas', 'berlin-lor', 'lor_2021_auszug.csv'),
  );
  // the structure as the file says it, read independently of spm: PLR -> [BZR, PGR, Bezirk]
  const table = lor
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
  const plr = table.map((c) => ({ plr: c[1]!, bzr: c[3]!, pgr: c[5]!, bezirk: c[7]! }));
  const config: ProjectFileInput = {
    name: 'Berlin',
    areas: {
      file: 'lor.csv',
      top: { level: 'land', label: 'Land', id: '11', name: 'Berlin' },
      levels: [
        { name: 'bezirk', label: 'Bezirk', id_column: 'Bezirk' },
        {
          name: 'prognoseraum',
          label: 'Prognoseraum',
          id_column: 'Prognoseraum (Nummer)',
          name_column: 'Prognoseraum (Name)',
        },
        {
          name: 'bezirksregion',
          label: 'Bezirksregion',
          id_column: 'Bezirksregion (Nummer)',
          name_column: 'Bezirksregion (Name)',
        },
        {
          name: 'planungsraum',
          label: 'Planungsraum',
          id_column: 'Planungsraum (Nummer)',
          name_column: 'Planungsraum (Name)',
        },
      ],
    },
    sources: [source('planungsraum')],
    indicators: [],
    settings: { min_denominator: 1, suppression: { min_count: 1 } },
  };
  // deterministic test counts per Planungsraum (not real figures)
  const counts = new Map(plr.map((p, i) => [p.plr, { kinder: 40 + ((i * 37) % 61), befund: 3 + ((i * 11) % 17) }]));
  const data = [
    'gebiet;jahr;kinder;befund',
    ...plr.map((p) => `${p.plr};2023;${counts.get(p.plr)!.kinder};${counts.get(p.plr)!.befund}`),
  ].join('\n');

  it('loads every level with its codes (leading zeros kept) and sums each level from the Planungsräume', async () => {
    const root = folder({ 'lor.csv': lor, 'zahlen.csv': data });
    const spm = await Spm.open({ config, root }, { indicators: [quote] });
    try {
      const loaded = await spm.load();
      expect(loaded.areas.accounting).toMatchObject({ rows_read: 28, rows_loaded: 28, rows_rejected: 0 });
      const byLevel = (l: string) => loaded.areas.areas.filter((a) => a.level === l).map((a) => a.id);
      expect(byLevel('bezirk')).toEqual(['Mitte', 'Friedrichshain-Kreuzberg']);
      expect(byLevel('prognoseraum')).toEqual(['0110', '0120', '0210']);
      expect(byLevel('bezirksregion')).toEqual(['011001', '011002', '011003', '011004', '012005', '021001']);
      expect(byLevel('planungsraum')).toHaveLength(28);
    } finally {
      await spm.close();
    }
    const rows = await results(root, config);
    const sum = (pred: (p: (typeof plr)[number]) => boolean) =>
      plr
        .filter(pred)
        .reduce(
          (a, p) => ({ kinder: a.kinder + counts.get(p.plr)!.kinder, befund: a.befund + counts.get(p.plr)!.befund }),
          { kinder: 0, befund: 0 },
        );
    const expected: [string, string, ReturnType<typeof sum>][] = [
      ['land', '11', sum(() => true)],
      ['bezirk', 'Mitte', sum((p) => p.bezirk === 'Mitte')],
      ['prognoseraum', '0120', sum((p) => p.pgr === '0120')],
      ['bezirksregion', '011003', sum((p) => p.bzr === '011003')],
      ['planungsraum', '01100206', sum((p) => p.plr === '01100206')],
    ];
    for (const [level, id, s] of expected) {
      const r = rows.find((x) => x.area_id === id && x.year === 2023)!;
      expect(r).toMatchObject({ level, status: 'ok', numerator: s.befund, denominator: s.kinder });
    }
    // comparisons: every area below a Bezirk against its Bezirk and against Berlin
    const mitte = rows.find((x) => x.area_id === 'Mitte')!;
    const berlin = rows.find((x) => x.area_id === '11')!;
    const plrRow = rows.find((x) => x.area_id === '01200519')!;
    expect(plrRow).toMatchObject({
      kommune_ags: 'Mitte',
      ref_kommune_value: mitte.value,
      ref_kreis_value: berlin.value,
    });
    expect(rows.find((x) => x.area_id === '0120')).toMatchObject({
      kommune_ags: 'Mitte',
      ref_kommune_value: mitte.value,
    });
    expect(mitte).toMatchObject({ kommune_ags: 'Mitte', ref_kommune_value: null, ref_kreis_value: berlin.value });
    expect(berlin.kommune_ags).toBeNull();
  });
});

describe('outputs of a declared hierarchy', () => {
  it('writes the comparison tables per area of the level below the top (the Bezirke)', async () => {
    const indicatorYaml = [
      'id: quote',
      'title: Anteil mit Befund',
      'description: Test',
      'family: gesundheit_seu',
      'lebensphase: 3-6',
      'unit: percent',
      'polarity: worse',
      'numerator: { source: zahlen, measure: sum, column: befund }',
      'denominator: { source: zahlen, measure: sum, column: kinder }',
      'steckbrief: { stichtag: a, data_owner: b, numerator_source: c, denominator_source: d, definition: e, suppression: f }',
    ].join('\n');
    const areas = ['bezirk;bezirk_name;teil', 'Mitte;Mitte;0101', 'Mitte;Mitte;0102', 'Pankow;Pankow;0301'].join('\n');
    const data = ['gebiet;jahr;kinder;befund', '0101;2024;100;10', '0102;2024;120;20', '0301;2024;90;5'].join('\n');
    const root = folder({ 'gebiete.csv': areas, 'zahlen.csv': data });
    fs.mkdirSync(path.join(root, 'indicators'));
    fs.writeFileSync(path.join(root, 'indicators', 'quote.yaml'), indicatorYaml);
    const out = path.join(root, 'out');
    await computeRun(
      {
        root,
        config: {
          name: 'Stadt',
          areas: {
            file: 'gebiete.csv',
            top: { level: 'stadt', id: '11000000', name: 'Berlin' },
            levels: [
              { name: 'bezirk', id_column: 'bezirk', name_column: 'bezirk_name' },
              { name: 'planungsraum', id_column: 'teil' },
            ],
          },
          sources: [source('planungsraum')],
          indicators: ['indicators'],
          settings: { min_denominator: 1, suppression: { min_count: 1 } },
        },
      },
      { out, charts: [] },
    );
    expect(fs.readdirSync(path.join(out, 'vergleich')).sort()).toEqual([
      'vergleich_Mitte.csv',
      'vergleich_Mitte.parquet',
      'vergleich_Pankow.csv',
      'vergleich_Pankow.parquet',
      'vergleich_alle.csv',
      'vergleich_alle.parquet',
    ]);
    const mitte = fs.readFileSync(path.join(out, 'vergleich', 'vergleich_Mitte.csv'), 'utf8').split('\n');
    expect(mitte[1]).toMatch(/^Mitte;Mitte;quote;Anteil mit Befund;percent;2024;13,63636/);
  });
});

describe('roll-ups over any declared hierarchy', () => {
  /** A random tree: depth 1..4 below the top, 1..3 children per area, codes with leading zeros. */
  const tree = fc
    .record({
      depth: fc.integer({ min: 1, max: 4 }),
      fanout: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
      counts: fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), {
        minLength: 81,
        maxLength: 81,
      }),
    })
    .map(({ depth, fanout, counts }) => {
      // each row: the codes of its chain, e.g. ['01', '0102', '010201']
      let chains: string[][] = [[]];
      for (let d = 0; d < depth; d++) {
        const next: string[][] = [];
        for (const c of chains)
          for (let k = 1; k <= fanout[d]!; k++) next.push([...c, (c[c.length - 1] ?? '') + String(k).padStart(2, '0')]);
        chains = next;
      }
      // at least one child per leaf: a denominator of 0 publishes no counts (status zero_denominator)
      const leaves = chains.map((c, i) => ({
        chain: c,
        kinder: counts[i]![0] + counts[i]![1] + 1,
        befund: counts[i]![1],
      }));
      return { depth, leaves };
    });

  /** Computes a tree (each leaf its chain of codes, down to any depth) and checks every published sum against its leaves. */
  async function expectLeafSums(depth: number, leaves: readonly { chain: string[]; kinder: number; befund: number }[]) {
    const levels = Array.from({ length: depth }, (_, d) => ({ name: `ebene${d + 1}`, id_column: `e${d + 1}` }));
    // a leaf above the deepest level leaves the columns below it empty
    const areaCsv = [
      levels.map((l) => l.id_column).join(';'),
      ...leaves.map((l) => [...l.chain, ...Array(depth - l.chain.length).fill('')].join(';')),
    ].join('\n');
    const data = [
      'gebiet;jahr;kinder;befund',
      ...leaves.map((l) => `${l.chain[l.chain.length - 1]};2024;${l.kinder};${l.befund}`),
    ].join('\n');
    const config: ProjectFileInput = {
      name: 'Eigenschaft',
      areas: { file: 'gebiete.csv', top: { level: 'gesamt', id: 'G', name: 'Gesamt' }, levels },
      sources: [source(`ebene${depth}`)],
      indicators: [],
      settings: { min_denominator: 0, suppression: { min_count: 1 } },
    };
    const rows = await results(folder({ 'gebiete.csv': areaCsv, 'zahlen.csv': data }), config);
    const ids = new Set(['G', ...leaves.flatMap((l) => l.chain)]);
    expect(new Set(rows.map((r) => r.area_id))).toEqual(ids);
    for (const r of rows) {
      const below = leaves.filter((l) => r.area_id === 'G' || l.chain.includes(r.area_id));
      expect(r.numerator).toBe(below.reduce((a, l) => a + l.befund, 0));
      expect(r.denominator).toBe(below.reduce((a, l) => a + l.kinder, 0));
      expect(r.level).toBe(r.area_id === 'G' ? 'gesamt' : `ebene${r.area_id.length / 2}`);
      expect(r.status).toBe('ok');
    }
  }

  it('publishes, for every area, the sums of the leaves below it', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async ({ depth, leaves }) => {
        await expectLeafSums(depth, leaves);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('takes the row of an area with nothing below it (a Kommune without Sozialräume) as its data, not as a total', async () => {
    // the same trees, some chains stopping at a higher level: that area is its own smallest area
    const cut = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 81, maxLength: 81 });
    await fc.assert(
      fc.asyncProperty(tree, cut, async ({ depth, leaves: full }, cuts) => {
        fc.pre(depth >= 2);
        const stops = full
          .map((l, i) => l.chain.slice(0, cuts[i]!))
          .filter((c) => c.length >= 1 && c.length < depth)
          .map((c) => c[c.length - 1]!);
        // an area chosen to stop has no children; the shortest stop of a chain wins
        const stopOf = (chain: string[]) => chain.findIndex((c) => stops.includes(c));
        const seen = new Set<string>();
        const leaves = full.flatMap((l) => {
          const k = stopOf(l.chain);
          const chain = k < 0 ? l.chain : l.chain.slice(0, k + 1);
          const id = chain[chain.length - 1]!;
          if (seen.has(id)) return [];
          seen.add(id);
          return [{ ...l, chain }];
        });
        fc.pre(leaves.some((l) => l.chain.length < depth));
        await expectLeafSums(depth, leaves);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('publishes no sum above an area with nothing below it when the file has no row for it', async () => {
    const levels = [
      { name: 'kommune', id_column: 'k' },
      { name: 'sozialraum', id_column: 's' },
    ];
    const config: ProjectFileInput = {
      name: 'Lücke',
      areas: { file: 'gebiete.csv', top: { level: 'kreis', id: 'K', name: 'Kreis' }, levels },
      sources: [source('sozialraum')],
      indicators: [],
      settings: { min_denominator: 0, suppression: { min_count: 1 } },
    };
    const areaCsv = 'k;s\n01;0101\n01;0102\n02;\n';
    const data = 'gebiet;jahr;kinder;befund\n0101;2024;40;10\n0102;2024;30;10\n';
    const rows = await results(folder({ 'gebiete.csv': areaCsv, 'zahlen.csv': data }), config);
    const at = (id: string) => rows.find((r) => r.area_id === id);
    expect(at('01')?.status).toBe('ok');
    expect(at('02')?.status).toBe('missing_input');
    // as for a missing Sozialraum: the sum lacks a part, so it is no figure
    expect(at('K')?.status).toBe('missing_input');
    expect(at('K')?.value).toBeNull();
  }, 60_000);
});
