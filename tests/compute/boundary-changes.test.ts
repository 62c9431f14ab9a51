/**
 * Boundary changes (`areas.changes`) end to end through the library: rows of an old
 * code after its validity are carried to its new codes (split with weights: divided,
 * estimated; merge, rename: exact), the sums above are complete again, the changed
 * areas get a series break, and a split without weights stays incomplete.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/index.js';
import type { IndicatorInput, ProjectFileInput } from '../../src/config/schema.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { divideCount } from '../../src/compute/carry.js';
import { carryTargets } from '../../src/config/area-changes.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-changes-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), content);
  return root;
}

const sprache: IndicatorInput = {
  id: 'sprache',
  title: 'Sprachförderbedarf',
  description: 'Anteil der Kinder mit Sprachförderbedarf',
  family: 'gesundheit_seu',
  lebensphase: '3-6',
  unit: 'percent',
  polarity: 'worse',
  numerator: { source: 'seu', measure: 'count', filter: 'befund = 1' },
  denominator: { source: 'seu', measure: 'count' },
  min_denominator: 1,
  steckbrief: {
    stichtag: 'Untersuchung',
    data_owner: 'Gesundheitsamt',
    numerator_source: 'SEU',
    denominator_source: 'SEU',
    definition: 'Test',
    suppression: 'keine',
  },
};

function children(area: string, year: number, n: number, k: number): string[] {
  return Array.from({ length: n }, (_, i) => `${area};${year};${i < k ? 1 : 0}`);
}

/** The Dülmen split of tests/compute/areas.test.ts: 03 until 2021, 03a and 03b from 2022; 12 late rows of 03 in 2022. */
const areas = [
  'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis',
  '05558016-01;Mitte;05558016;Dülmen;;',
  '05558016-03;Süd (alt);05558016;Dülmen;;2021',
  '05558016-03a;Süd-West;05558016;Dülmen;2022;',
  '05558016-03b;Süd-Ost;05558016;Dülmen;2022;',
  '05558012-01;Innenstadt;05558012;Coesfeld;;',
].join('\n');
const seu = [
  'gebiet;jahr;befund',
  ...children('05558016-01', 2021, 40, 10),
  ...children('05558016-03', 2021, 30, 9),
  ...children('05558012-01', 2021, 20, 2),
  ...children('05558016-01', 2022, 40, 11),
  ...children('05558016-03a', 2022, 20, 5),
  ...children('05558016-03b', 2022, 15, 4),
  ...children('05558016-03', 2022, 12, 7),
  ...children('05558012-01', 2022, 20, 3),
].join('\n');

function config(changes: unknown[]): ProjectFileInput {
  return {
    name: 'Split',
    kreis: { ags: '05558', name: 'Kreis Coesfeld' },
    areas: { file: 'gebiete.csv', changes } as ProjectFileInput['areas'],
    sources: [
      {
        id: 'seu',
        title: 'Schuleingangsuntersuchung',
        files: 'seu.csv',
        kind: 'microdata',
        area: { column: 'gebiet', level: 'sozialraum' },
        period: { column: 'jahr', kind: 'kalenderjahr' },
        columns: { befund: { header: 'befund', type: 'integer' } },
        stichtag: 'Untersuchung',
        owner: 'Gesundheitsamt',
      },
    ],
    indicators: [],
    settings: { min_denominator: 1, suppression: { min_count: 1 } },
  };
}

async function compute(
  files: Record<string, string>,
  cfg: ProjectFileInput,
): Promise<{ rows: KennzahlRow[]; rejected: string[] }> {
  const spm = await Spm.open({ config: cfg, root: folder(files) }, { indicators: [sprache] });
  try {
    const loaded = await spm.load();
    const rejected = loaded.rejects.filter((r) => r.severity === 'error').map((r) => `${r.code} ${r.area_id}`);
    await spm.compute();
    return { rows: await spm.results({ indicators: ['sprache'] }), rejected };
  } finally {
    await spm.close();
  }
}

const pick = (rows: KennzahlRow[], area: string, year: number): KennzahlRow => {
  const r = rows.find((x) => x.area_id === area && x.year === year && x.pool_years === 1);
  if (!r) throw new Error(`no row ${area} ${year}`);
  return r;
};

const split = {
  kind: 'split',
  year: 2022,
  from: '05558016-03',
  to: ['05558016-03a', '05558016-03b'],
  weights: { '05558016-03a': 0.5, '05558016-03b': 0.5 },
};

describe('a split with weights carries the old code’s late rows', () => {
  it('the Kommune and the Kreis are complete and exact again; the new areas are estimates', async () => {
    const { rows, rejected } = await compute({ 'gebiete.csv': areas, 'seu.csv': seu }, config([split]));
    expect(rejected).toEqual([]);
    // Dülmen 2022: 11 + 5 + 4 + 7 = 27 of 40 + 20 + 15 + 12 = 87, exact (the whole old area lies in it)
    expect(pick(rows, '05558016', 2022)).toMatchObject({ status: 'ok', numerator: 27, denominator: 87 });
    expect(pick(rows, '05558', 2022)).toMatchObject({ status: 'ok', numerator: 30, denominator: 107 });
    // 7 findings of 12 children divided 50:50 as whole numbers: 4 + 3 and 6 + 6
    const a = pick(rows, '05558016-03a', 2022);
    const b = pick(rows, '05558016-03b', 2022);
    expect(a).toMatchObject({ status: 'estimated', numerator: 9, denominator: 26 });
    expect(b).toMatchObject({ status: 'estimated', numerator: 7, denominator: 21 });
    expect(a.note).toContain('geteilten Gebiets');
    // the new areas' series begin with a break
    expect(a.series_break).toBe(true);
    expect(pick(rows, '05558016', 2022).series_break).toBe(false);
    // 2021 untouched
    expect(pick(rows, '05558016-03', 2021)).toMatchObject({ status: 'ok', numerator: 9, denominator: 30 });
  }, 60_000);

  it('without weights the rows stay rejected and the sums above stay incomplete', async () => {
    const { weights: _w, ...noWeights } = split;
    const { rows, rejected } = await compute({ 'gebiete.csv': areas, 'seu.csv': seu }, config([noWeights]));
    expect(rejected.filter((r) => r === 'area_not_valid 05558016-03')).toHaveLength(12);
    expect(pick(rows, '05558016', 2022).status).toBe('incomplete_input');
    expect(pick(rows, '05558016-03a', 2022)).toMatchObject({ status: 'ok', series_break: true });
  }, 60_000);
});

describe('merge and rename carry exactly', () => {
  const merged = [
    'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis',
    '05558016-01;Nord;05558016;Dülmen;;2021',
    '05558016-02;Süd;05558016;Dülmen;;2021',
    '05558016-09;Mitte (neu);05558016;Dülmen;2022;',
    '05558012-01;Innenstadt;05558012;Coesfeld;;2022',
    '05558012-11;Innenstadt;05558012;Coesfeld;2023;',
  ].join('\n');
  const data = [
    'gebiet;jahr;befund',
    ...children('05558016-01', 2022, 10, 2),
    ...children('05558016-02', 2022, 5, 1),
    ...children('05558016-09', 2022, 20, 4),
    ...children('05558012-01', 2023, 8, 3),
  ].join('\n');
  it('sums merged old codes into the new one, renames one to one', async () => {
    const { rows, rejected } = await compute(
      { 'gebiete.csv': merged, 'seu.csv': data },
      config([
        { kind: 'merge', year: 2022, from: ['05558016-01', '05558016-02'], to: '05558016-09' },
        { kind: 'rename', year: 2023, from: '05558012-01', to: '05558012-11' },
      ]),
    );
    expect(rejected).toEqual([]);
    expect(pick(rows, '05558016-09', 2022)).toMatchObject({ status: 'ok', numerator: 7, denominator: 35 });
    expect(pick(rows, '05558016', 2022)).toMatchObject({ status: 'ok', numerator: 7, denominator: 35 });
    expect(pick(rows, '05558012-11', 2023)).toMatchObject({ status: 'ok', numerator: 3, denominator: 8 });
  }, 60_000);
});

describe('carrying helpers', () => {
  it('divides whole counts into whole parts that add up', () => {
    expect(divideCount(7, [0.5, 0.5])).toEqual([4, 3]);
    expect(divideCount(10, [0.333, 0.333, 0.334])).toEqual([3, 3, 4]);
    expect(divideCount(0, [0.6, 0.4])).toEqual([0, 0]);
    expect(divideCount(2.5, [0.4, 0.6])).toEqual([1, 1.5]);
  });
  it('follows chained changes and stops at a split without weights', () => {
    const changes = [
      { kind: 'rename' as const, year: 2020, from: ['A'], to: ['B'] },
      { kind: 'split' as const, year: 2022, from: ['B'], to: ['C', 'D'], weights: { C: 0.25, D: 0.75 } },
      { kind: 'split' as const, year: 2024, from: ['D'], to: ['E', 'F'] },
    ];
    expect(carryTargets(changes, 'A', 2019)).toBeNull();
    expect(carryTargets(changes, 'A', 2021)).toEqual({
      targets: [{ id: 'B', weight: 1 }],
      estimated: false,
      renameOnly: true,
    });
    expect(carryTargets(changes, 'A', 2023)).toEqual({
      targets: [
        { id: 'C', weight: 0.25 },
        { id: 'D', weight: 0.75 },
      ],
      estimated: true,
      renameOnly: false,
    });
    expect(carryTargets(changes, 'A', 2024)).toBeUndefined();
  });
});

describe('an aggregated source with a split', () => {
  const agg = [
    'gebiet;jahr;befund;kinder',
    '05558016-01;2022;11;40',
    '05558016-03a;2022;5;20',
    '05558016-03b;2022;4;15',
    // the old code's late row: 9 of 13 children divided 0.5/0.5; its findings suppressed by the source in 2023
    '05558016-03;2022;9;13',
    '05558016-01;2023;10;40',
    '05558016-03a;2023;5;20',
    '05558016-03b;2023;4;15',
    '05558016-03;2023;*;12',
    '05558012-01;2022;3;20',
    '05558012-01;2023;3;20',
  ].join('\n');
  const aggConfig = (): ProjectFileInput => {
    const c = config([split]);
    c.sources = [
      {
        id: 'seu',
        title: 'Schuleingangsuntersuchung',
        files: 'seu.csv',
        kind: 'aggregated',
        area: { column: 'gebiet', level: 'sozialraum' },
        period: { column: 'jahr', kind: 'kalenderjahr' },
        columns: { befund: { header: 'befund', type: 'count' }, kinder: { header: 'kinder', type: 'count' } },
        stichtag: 'Untersuchung',
        owner: 'Gesundheitsamt',
      },
    ];
    return c;
  };
  const aggIndicator: IndicatorInput = {
    ...sprache,
    numerator: { source: 'seu', measure: 'sum', column: 'befund' },
    denominator: { source: 'seu', measure: 'sum', column: 'kinder' },
  };

  it('divides sums into whole parts, and a suppressed late value makes the new cells missing, never a guess', async () => {
    const spm = await Spm.open(
      { config: aggConfig(), root: folder({ 'gebiete.csv': areas, 'seu.csv': agg }) },
      {
        indicators: [aggIndicator],
      },
    );
    try {
      await spm.compute();
      const rows = await spm.results({ indicators: ['sprache'] });
      expect(pick(rows, '05558016-03a', 2022)).toMatchObject({ status: 'estimated', numerator: 10, denominator: 27 });
      expect(pick(rows, '05558016-03b', 2022)).toMatchObject({ status: 'estimated', numerator: 8, denominator: 21 });
      expect(pick(rows, '05558016', 2022)).toMatchObject({ status: 'ok', numerator: 29, denominator: 88 });
      // 2023: the old code's findings are "*": its share cannot be divided
      expect(pick(rows, '05558016-03a', 2023).status).toBe('missing_input');
      expect(pick(rows, '05558016-03a', 2023).value).toBeNull();
      expect(pick(rows, '05558016', 2023).value).toBeNull();
    } finally {
      await spm.close();
    }
  }, 60_000);
});

describe('a published rate across a change', () => {
  const rates = [
    'gebiet;jahr;quote',
    '05558016-01;2022;10,5',
    '05558016-03a;2022;12,0',
    '05558016-03b;2022;8,0',
    '05558012-01;2022;7,0',
    // late rows of old codes: renamed (carried as it is), merged/split (a rate is never summed or divided)
    '05558016-03;2022;11,0',
  ].join('\n');
  const quote: IndicatorInput = {
    id: 'quote',
    title: 'Veröffentlichte Quote',
    description: 'von der Quelle veröffentlichte Quote',
    family: 'soziale_lage',
    lebensphase: 'uebergreifend',
    unit: 'percent',
    polarity: 'worse',
    published: { source: 'seu', column: 'quote' },
    steckbrief: {
      stichtag: '31.12.',
      data_owner: 'Amt',
      numerator_source: 'keiner',
      denominator_source: 'keiner',
      definition: 'amtlich',
      suppression: 'Quelle',
    },
  } as IndicatorInput;
  const rateConfig = (changes: unknown[]): ProjectFileInput => {
    const c = config(changes);
    c.sources = [
      {
        id: 'seu',
        title: 'Quoten',
        files: 'seu.csv',
        kind: 'aggregated',
        area: { column: 'gebiet', level: 'sozialraum' },
        period: { column: 'jahr', kind: 'kalenderjahr' },
        columns: { quote: { header: 'quote', type: 'number' } },
        stichtag: '31.12.',
        owner: 'Amt',
      },
    ];
    return c;
  };
  const run = async (changes: unknown[]) => {
    const spm = await Spm.open(
      { config: rateConfig(changes), root: folder({ 'gebiete.csv': areas, 'seu.csv': rates }) },
      {
        indicators: [quote],
      },
    );
    try {
      await spm.compute();
      return await spm.results({ indicators: ['quote'] });
    } finally {
      await spm.close();
    }
  };

  it('is never divided by weights: the new areas get no value', async () => {
    const rows = await run([split]);
    for (const a of ['05558016-03a', '05558016-03b']) {
      expect(pick(rows, a, 2022).value).toBeNull();
      expect(pick(rows, a, 2022).status).toBe('missing_input');
    }
    expect(pick(rows, '05558016-01', 2022)).toMatchObject({ status: 'ok', value: 10.5 });
  }, 60_000);
});
