/**
 * Second hierarchies: Jugendamtsbezirke that group Kommunen are published as
 * the sum of their members and are part of the suppression problem.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/index.js';
import type { IndicatorInput, ProjectFileInput } from '../../src/config/schema.js';
import type { KennzahlRow } from '../../src/charts/types.js';
import { UserError } from '../../src/util/issues.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-groups-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), content);
  return root;
}

const hzeRate: IndicatorInput = {
  id: 'hze',
  title: 'HzE je 1.000 unter 21',
  description: 'Hilfen zur Erziehung',
  family: 'jugendhilfe',
  lebensphase: 'uebergreifend',
  unit: 'per_1000',
  polarity: 'worse',
  numerator: { source: 'hze', measure: 'sum', column: 'hilfen' },
  denominator: { source: 'hze', measure: 'sum', column: 'bev_u21' },
  min_denominator: 1,
  steckbrief: {
    stichtag: '31.12.',
    data_owner: 'Jugendamt',
    numerator_source: 'HzE',
    denominator_source: 'Bev',
    definition: 'Test',
    suppression: 'Test',
  },
};

const files = {
  'gebiete.csv': ['kommune_ags;kommune_name', '05558004;Ascheberg', '05558008;Billerbeck', '05558012;Coesfeld'].join(
    '\n',
  ),
  // Coesfeld runs its own Stadtjugendamt; the Kreisjugendamt covers the others
  'jugendaemter.csv': [
    'ags;jugendamt;name',
    '05558004;JH05558001;Kreisjugendamt Coesfeld',
    '05558008;JH05558001;Kreisjugendamt Coesfeld',
    '05558012;JH05558012;Stadtjugendamt Coesfeld',
  ].join('\n'),
  'hze.csv': ['ags;jahr;hilfen;bev_u21', '05558004;2024;1;3000', '05558008;2024;50;4000', '05558012;2024;40;5000'].join(
    '\n',
  ),
};

const config = (minCount: number): ProjectFileInput => ({
  name: 'Jugendämter',
  kreis: { ags: '05558', name: 'Kreis Coesfeld' },
  areas: {
    file: 'gebiete.csv',
    groupings: [
      {
        name: 'jugendamt',
        label: 'Jugendamtsbezirk',
        of: 'kommune',
        file: 'jugendaemter.csv',
        columns: { area_id: 'ags', group_id: 'jugendamt', group_name: 'name' },
      },
    ],
  },
  sources: [
    {
      id: 'hze',
      title: 'HzE',
      files: 'hze.csv',
      kind: 'aggregated',
      area: { column: 'ags', level: 'kommune' },
      period: { column: 'jahr', kind: 'kalenderjahr' },
      columns: { hilfen: { header: 'hilfen', type: 'count' }, bev_u21: { header: 'bev_u21', type: 'count' } },
      stichtag: '31.12.',
      owner: 'Jugendamt',
    },
  ],
  indicators: [],
  settings: { min_denominator: 1, suppression: { min_count: minCount } },
});

async function results(root: string, cfg: ProjectFileInput): Promise<KennzahlRow[]> {
  const spm = await Spm.open({ config: cfg, root }, { indicators: [hzeRate] });
  try {
    await spm.compute();
    return await spm.results({ indicators: ['hze'] });
  } finally {
    await spm.close();
  }
}

describe('Jugendamtsbezirke as a second hierarchy', () => {
  it('publishes each Jugendamtsbezirk as the sum of its Kommunen', async () => {
    const rows = await results(folder(files), config(1));
    const ja = rows
      .filter((r) => r.level === 'jugendamt')
      .map((r) => [r.area_id, r.area_name, r.numerator, r.denominator, r.kommune_ags]);
    expect(ja).toEqual([
      ['JH05558001', 'Kreisjugendamt Coesfeld', 51, 7000, null],
      ['JH05558012', 'Stadtjugendamt Coesfeld', 40, 5000, null],
    ]);
    const kreis = rows.find((r) => r.level === 'kreis')!;
    expect(rows.find((r) => r.area_id === 'JH05558001')!.ref_kreis_value).toBe(kreis.value);
  });

  it('never lets a suppressed Kommune be recovered from its Jugendamtsbezirk', async () => {
    const rows = await results(folder(files), config(3));
    const masked = (id: string) => rows.find((r) => r.area_id === id)!.suppression !== null;
    expect(masked('05558004')).toBe(true); // 1 Hilfe: primary
    // Ascheberg = Kreisjugendamt - Billerbeck: one of them must be masked too
    expect(masked('JH05558001') || masked('05558008')).toBe(true);
    // Ascheberg = Kreis - Billerbeck - Coesfeld
    expect(masked('05558') || masked('05558008') || masked('05558012')).toBe(true);
  });

  it('refuses a grouping row with an unknown Kommune, naming file and line', async () => {
    const bad = {
      ...files,
      'jugendaemter.csv': files['jugendaemter.csv'] + '\n05558099;JH05558001;Kreisjugendamt Coesfeld',
    };
    const spm = await Spm.open({ config: config(3), root: folder(bad) }, { indicators: [hzeRate] });
    try {
      const loaded = await spm.load();
      const e = loaded.issues.find((i) => i.code === 'areas.unknown_area');
      expect(e).toMatchObject({ severity: 'error', file: 'jugendaemter.csv', line: 5, column: 'ags' });
    } finally {
      await spm.close();
    }
  });

  it('refuses a grouping over an undeclared level with its YAML path', async () => {
    const cfg = config(3);
    cfg.areas.groupings![0]!.of = 'bezirk';
    const err = await Spm.open({ config: cfg, root: folder(files) }, { indicators: [hzeRate] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).issues.some((i) => i.path === 'areas.groupings[0].of')).toBe(true);
  });
});
