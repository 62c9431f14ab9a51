/**
 * The area list on its own: totals by code (not by name), a kreisfreie Stadt,
 * declared levels, and the errors a planner gets (with file and line).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectFileSchema, type ProjectFileInput } from '../../src/config/schema.js';
import { loadAreas } from '../../src/ingest/areas.js';
import {
  AREA_ALIAS,
  AREA_AMBIGUOUS,
  AREA_OK,
  AREA_REPAIRED,
  AREA_TOTAL,
  AREA_UNKNOWN,
  areaKey,
} from '../../src/ingest/areas.js';
import { UserError } from '../../src/util/issues.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

type AreasInput = ProjectFileInput['areas'];

async function load(
  csv: string,
  areas: Partial<AreasInput> = {},
  kreis: ProjectFileInput['kreis'] = { ags: '05558', name: 'Kreis Coesfeld' },
  needDepth = 2,
) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-areas-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'gebiete.csv'), csv);
  const input: ProjectFileInput = {
    name: 'T',
    ...(areas.top ? {} : { kreis }),
    areas: { file: 'gebiete.csv', ...areas },
    sources: [
      {
        id: 's',
        title: 't',
        files: 'x.csv',
        kind: 'aggregated',
        area: { column: 'a', level: areas.levels?.at(-1)?.name ?? 'sozialraum' },
        period: { column: 'j', kind: 'kalenderjahr' },
        stichtag: 'x',
        owner: 'y',
      },
    ],
  };
  const config = ProjectFileSchema.parse(input);
  return loadAreas({ root, config, indicators: [] }, needDepth);
}

describe('area list: totals are recognised by code', () => {
  it('keeps a Kommune named like the Kreis and a Sozialraum named like its Kommune', async () => {
    const r = await load(
      [
        'sozialraum_id;sozialraum_name;kommune_ags;kommune_name',
        '05558012-01;Coesfeld;05558012;Coesfeld',
        '05558012-02;Kreis Coesfeld;05558012;Coesfeld',
      ].join('\n'),
    );
    expect(r.registry.areas.map((a) => [a.level, a.id, a.name])).toEqual([
      ['kommune', '05558012', 'Coesfeld'],
      ['sozialraum', '05558012-01', 'Coesfeld'],
      ['sozialraum', '05558012-02', 'Kreis Coesfeld'],
    ]);
    expect(r.rejects).toEqual([]);
  });

  it('takes the Kreis code, a Kommune AGS in the Sozialraum column and totals words in the key for totals', async () => {
    const r = await load(
      [
        'sozialraum_id;sozialraum_name;kommune_ags;kommune_name',
        '05558012-01;Innenstadt;05558012;Coesfeld',
        '05558012;Coesfeld gesamt;05558012;Coesfeld',
        'Insgesamt;;05558012;Coesfeld',
        ';;05558;Kreis Coesfeld',
      ].join('\n'),
    );
    expect(r.registry.areas.map((a) => a.id)).toEqual(['05558012', '05558012-01']);
    expect(r.rejects.map((x) => [x.line, x.code, x.severity])).toEqual([
      [3, 'total_row', 'info'],
      [4, 'total_row', 'info'],
      [5, 'total_row', 'info'],
    ]);
    expect(r.registry.accounting).toMatchObject({ rows_read: 4, rows_loaded: 1, rows_rejected: 3 });
  });

  it("takes another Kommune's AGS in the Sozialraum column for a total, whichever row comes first", async () => {
    const before = await load(
      [
        'sozialraum_id;sozialraum_name;kommune_ags;kommune_name',
        '05558008;Billerbeck;05558004;Ascheberg',
        '05558008-01;Mitte;05558008;Billerbeck',
      ].join('\n'),
    );
    const after = await load(
      [
        'sozialraum_id;sozialraum_name;kommune_ags;kommune_name',
        '05558008-01;Mitte;05558008;Billerbeck',
        '05558008;Billerbeck;05558004;Ascheberg',
      ].join('\n'),
    );
    for (const r of [before, after]) {
      expect(r.registry.sozialraeume.map((x) => x.id)).toEqual(['05558008-01']);
      expect(r.rejects.map((x) => [x.code, x.severity, x.area_id])).toEqual([['total_row', 'info', '05558008']]);
      expect(r.registry.accounting).toMatchObject({ rows_read: 2, rows_loaded: 1, rows_rejected: 1 });
    }
  });

  it('loads a kreisfreie Stadt with its real Gemeinde AGS (Kreis code + 000)', async () => {
    const r = await load(
      [
        'sozialraum_id;sozialraum_name;kommune_ags;kommune_name',
        '01;Altstadt-Lehel;09162000;München',
        '02;Ludwigsvorstadt-Isarvorstadt;09162000;München',
      ].join('\n'),
      {},
      { ags: '09162', name: 'München' },
    );
    expect(r.registry.kommunen).toEqual([{ ags: '09162000', name: 'München' }]);
    expect(r.registry.sozialraeume.map((s) => [s.id, s.kommune_ags])).toEqual([
      ['01', '09162000'],
      ['02', '09162000'],
    ]);
    expect(r.rejects).toEqual([]);
    // in a source: the Stadtbezirk resolves; the Kreis and Gemeinde codes are totals; anything else is unknown
    expect(r.index.resolve('sozialraum', '02')).toBe(AREA_OK);
    expect(r.index.resolve('sozialraum', '09162000')).toBe(AREA_TOTAL);
    expect(r.index.resolve('sozialraum', '09162')).toBe(AREA_TOTAL);
    expect(r.index.resolve('sozialraum', '03')).toBe(AREA_UNKNOWN);
    expect(r.index.resolve('kommune', '09162000')).toBe(AREA_OK);
  });
});

describe('area list: declared levels', () => {
  // Hamburg: the Stadtteil Eimsbüttel lies in the Bezirk Eimsbüttel (codes from the Statistikamt Nord numbering)
  const hamburg: Partial<AreasInput> = {
    top: { level: 'stadt', id: '02000000', name: 'Hamburg' },
    levels: [
      { name: 'bezirk', label: 'Bezirk', id_column: 'bezirk_nr', name_column: 'bezirk' },
      { name: 'stadtteil', label: 'Stadtteil', id_column: 'stadtteil_nr', name_column: 'stadtteil' },
    ],
  };

  it('keeps a Stadtteil named like its Bezirk', async () => {
    const r = await load(
      ['bezirk_nr;bezirk;stadtteil_nr;stadtteil', '3;Eimsbüttel;301;Eimsbüttel', '3;Eimsbüttel;302;Rotherbaum'].join(
        '\n',
      ),
      hamburg,
    );
    expect(r.registry.areas.map((a) => [a.level, a.id, a.name, a.parent])).toEqual([
      ['bezirk', '3', 'Eimsbüttel', '02000000'],
      ['stadtteil', '301', 'Eimsbüttel', '3'],
      ['stadtteil', '302', 'Rotherbaum', '3'],
    ]);
    expect(r.index.resolve('stadtteil', 'Eimsbüttel')).toBe(AREA_TOTAL);
    expect(r.index.resolve('stadtteil', '301')).toBe(AREA_OK);
  });

  it('names file, line and column for a Stadtteil under two Bezirke, a gap in the chain and a Bezirk code with a slash', async () => {
    const r = await load(
      [
        'bezirk_nr;bezirk;stadtteil_nr;stadtteil',
        '3;Eimsbüttel;301;Eimsbüttel',
        '4;Nord;301;Eimsbüttel',
        ';;305;Lokstedt',
        '3/1;Eimsbüttel;306;Niendorf',
      ].join('\n'),
      hamburg,
    );
    const errors = r.issues.filter((i) => i.severity === 'error');
    expect(errors.map((e) => [e.code, e.file, e.line, e.column])).toEqual([
      ['areas.duplicate_area', 'gebiete.csv', 3, 'stadtteil_nr'],
      ['areas.level_gap', 'gebiete.csv', 4, 'bezirk_nr'],
      ['areas.code_invalid', 'gebiete.csv', 5, 'bezirk_nr'],
    ]);
    expect(errors[1]!.message).toContain('„bezirk_nr“ ist leer');
  });

  it('refuses an area list without the key column of a level a source needs', async () => {
    const err = await load(['bezirk_nr;bezirk', '3;Eimsbüttel'].join('\n'), hamburg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('stadtteil_nr');
  });
});

describe('area list: other spellings (aliases) and area.match', () => {
  it('areaKey: case, whitespace, dash variants and leading zeros of numeric codes do not count', () => {
    expect(areaKey('Altstadt - Lehel')).toBe(areaKey('altstadt-lehel'));
    expect(areaKey('Altstadt\u2013Lehel')).toBe(areaKey('ALTSTADT  -  LEHEL'));
    expect(areaKey('01')).toBe('1');
    expect(areaKey('000')).toBe('0');
    expect(areaKey('01 Altstadt')).toBe('01 altstadt'); // not a pure number: zeros stay
  });

  it('a level alias column and the row alias column; resolve by code, name and alias; ambiguity', async () => {
    const csv =
      'bezirk_nr;bezirk;bezirk_alias;teil_nr;teil;aliase\n' +
      '01;Mitte;Zentrum|Innenstadt;0101;Altstadt;Alte Stadt\n' +
      '01;Mitte;;0102;Neustadt;Nord\n' +
      '02;Süd;;0201;Hafen;Nord\n';
    const r = await load(csv, {
      top: { level: 'stadt', id: '09999000', name: 'Musterstadt' },
      levels: [
        { name: 'bezirk', id_column: 'bezirk_nr', name_column: 'bezirk', alias_column: 'bezirk_alias' },
        { name: 'teil', id_column: 'teil_nr', name_column: 'teil' },
      ],
    });
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const ix = r.index;
    expect(ix.byId.get('01')!.aliases).toEqual(['Zentrum', 'Innenstadt']);
    expect(ix.byId.get('0101')!.aliases).toEqual(['Alte Stadt']);
    expect([ix.resolve('bezirk', '1'), ix.id]).toEqual([AREA_REPAIRED, '01']); // a lost leading zero, as before
    expect([ix.resolve('bezirk', '001'), ix.id]).toEqual([AREA_ALIAS, '01']);
    expect([ix.resolve('bezirk', 'innenstadt'), ix.id]).toEqual([AREA_ALIAS, '01']);
    ix.resolve('bezirk', 'Mitte'); // a name is no code (counted as a totals row by name, as before)
    expect(ix.area).toBeUndefined();
    expect([ix.resolve('bezirk', 'Mitte', 'name'), ix.id]).toEqual([AREA_ALIAS, '01']);
    expect(ix.resolve('bezirk', '01', 'name')).toBe(AREA_UNKNOWN); // a code is no name
    expect([ix.resolve('bezirk', '01', 'any'), ix.id]).toEqual([AREA_OK, '01']);
    expect([ix.resolve('teil', 'alte  stadt', 'code'), ix.id]).toEqual([AREA_ALIAS, '0101']);
    expect(ix.resolve('teil', 'Nord', 'any')).toBe(AREA_AMBIGUOUS);
    expect(ix.candidates.map((c) => c.id)).toEqual(['0102', '0201']);
    // a Bezirk name in a Teil file is still a totals row
    expect(ix.resolve('teil', '01', 'any')).toBe(AREA_TOTAL);
  });

  it('an alias that is the code of another area of the level is an error naming line and column', async () => {
    const csv =
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;aliase\n' +
      '05558012-01;A;05558012;Coesfeld;x|05558012-02\n' +
      '05558012-02;B;05558012;Coesfeld;\n';
    const r = await load(csv);
    const e = r.issues.filter((i) => i.severity === 'error');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'areas.alias_conflict', file: 'gebiete.csv', line: 2, column: 'aliase' });
    expect(e[0]!.message).toContain('„05558012-02“ ist schon die Kennung von „05558012-02“');
  });

  it('a declared alias column that the area list lacks is a user error', async () => {
    const err = await load('bezirk_nr;bezirk\n01;Mitte\n', {
      top: { level: 'stadt', id: '09999000', name: 'Musterstadt' },
      levels: [{ name: 'bezirk', id_column: 'bezirk_nr', name_column: 'bezirk', alias_column: 'aliase_bezirk' }],
    }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).issues[0]!.message).toContain('aliase_bezirk');
  });
});
