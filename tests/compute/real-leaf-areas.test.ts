/**
 * A real published file whose hierarchy stops at a higher level for some areas: GENESIS
 * 12411-02-03-5 (regionalstatistik.de, population by Gemeinde, 31.12.2015), Kreis Ahrweiler
 * (tests/fixtures/real, excerpt with provenance). Kreis > Verbandsgemeinde > Gemeinde, and four
 * verbandsfreie Gemeinden (Bad Neuenahr-Ahrweiler, Remagen, Sinzig, Grafschaft) that are their own
 * smallest area on the Verbandsgemeinde level. Their rows in the Gemeinde file are their data: the
 * Kreis must be the published 127,770 inhabitants, not the 55,636 of the Verbandsgemeinden alone
 * (what spm published, marked ok, before).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/index.js';
import { validateRun } from '../../src/run/validate-run.js';
import type { IndicatorInput, ProjectFileInput } from '../../src/config/schema.js';

const REAL = path.resolve(import.meta.dirname, '..', 'fixtures', 'real');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-real-leaf-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const share: IndicatorInput = {
  id: 'anteil_unter_3',
  title: 'Anteil der Kinder unter 3 Jahren an der Bevölkerung',
  description: 'Kinder unter 3 Jahren je 100 Einwohner',
  family: 'demografie',
  lebensphase: '0-3',
  unit: 'percent',
  polarity: 'neutral',
  numerator: { source: 'bevoelkerung', measure: 'sum', column: 'bev_unter_3' },
  denominator: { source: 'bevoelkerung', measure: 'sum', column: 'bev_insgesamt' },
  proportion: true,
  steckbrief: {
    stichtag: '31.12.',
    data_owner: 'Statistische Ämter des Bundes und der Länder',
    numerator_source: 'GENESIS 12411-02-03-5',
    denominator_source: 'GENESIS 12411-02-03-5',
    definition: 'unter 3 Jahre / Insgesamt x 100',
    suppression: 'min_count 3',
  },
};

const group = 'Insgesamt Altersgruppen (unter 3 bis 75 u.m.)';
const config: ProjectFileInput = {
  name: 'Kreis Ahrweiler (GENESIS 12411-02-03-5)',
  areas: {
    file: 'gebiete.csv',
    top: { level: 'kreis', label: 'Kreis', id: '07131', name: 'Kreis Ahrweiler' },
    levels: [
      { name: 'verbandsgemeinde', label: 'Verbandsgemeinde', id_column: 'kommune_ags', name_column: 'kommune_name' },
      { name: 'gemeinde', label: 'Gemeinde', id_column: 'sozialraum_id', name_column: 'sozialraum_name' },
    ],
  },
  sources: [
    {
      id: 'bevoelkerung',
      title: 'Bevölkerung nach Altersgruppen, Gemeinden',
      files: 'rohdaten/12411-02-03-5.csv',
      kind: 'aggregated',
      read: { header_rows: 3 },
      area: { column: 1, level: 'gemeinde', unknown: 'ignore' },
      period: { from_title: true, kind: 'kalenderjahr' },
      columns: {
        bev_unter_3: { header: `${group} unter 3 Jahre`, type: 'count' },
        bev_insgesamt: { header: `${group} Insgesamt`, type: 'count' },
      },
      stichtag: '31.12.',
      owner: 'Statistische Ämter des Bundes und der Länder',
    },
  ],
  indicators: [],
  settings: { min_denominator: 20, suppression: { min_count: 3 } },
};

describe('GENESIS 12411-02-03-5, Kreis Ahrweiler: verbandsfreie Gemeinden beside the Verbandsgemeinden', () => {
  it('takes their rows as their data and sums the Kreis from all of them', async () => {
    fs.mkdirSync(path.join(root, 'rohdaten'));
    fs.copyFileSync(
      path.join(REAL, 'genesis_12411-02-03-5_ahrweiler_auszug.csv'),
      path.join(root, 'rohdaten', '12411-02-03-5.csv'),
    );
    fs.copyFileSync(path.join(REAL, 'genesis_12411-02-03-5_ahrweiler_gebiete.csv'), path.join(root, 'gebiete.csv'));
    await using spm = await Spm.open({ config, root }, { indicators: [share], scratchDir: path.join(root, 'tmp') });
    await spm.compute();
    const rows = await spm.results({ poolYears: [1] });
    const at = (id: string) => rows.find((r) => r.area_id === id)!;
    // the published totals of the file (line 11 of the excerpt: 07131 Ahrweiler, Landkreis)
    expect([at('07131').numerator, at('07131').denominator, at('07131').status]).toEqual([3030, 127770, 'ok']);
    // the verbandsfreie Gemeinden on their own level, with their own published figures
    for (const [id, u3, all] of [
      ['0713100007', 596, 27468],
      ['0713100070', 420, 16392],
      ['0713100077', 417, 17330],
      ['0713100090', 284, 10944],
    ] as const)
      expect([at(id).level, at(id).numerator, at(id).denominator, at(id).status]).toEqual([
        'verbandsgemeinde',
        u3,
        all,
        'ok',
      ]);
    // a Verbandsgemeinde is still the sum of its Gemeinden (Adenau, as published: 13,189)
    expect([at('0713101').denominator, at('0713101').status]).toEqual([13189, 'ok']);
    // only the Kreis and the four Verbandsgemeinden are totals rows now, and each equals its parts
    const v = await validateRun({ config: { ...config, indicators: [] }, root });
    expect(v.rejects.filter((r) => r.code === 'total_row').map((r) => r.area_id)).toEqual([
      '07131',
      '0713101',
      '0713102',
      '0713103',
      '0713104',
    ]);
    expect(v.issues.filter((i) => i.code === 'totals.differ')).toEqual([]);
  }, 120_000);
});
