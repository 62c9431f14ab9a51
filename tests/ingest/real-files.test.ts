/**
 * Real published files (tests/fixtures/real, provenance in the README there) load with
 * a project configuration alone and reproduce the published figures at their printed
 * rounding. Every project is loaded through both load paths (helpers `ingest`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import { UserError } from '../../src/util/issues.js';
import { ingest, plain, repoRoot, withDb, type TestProject } from './helpers.js';
import { ingestProject } from '../../src/ingest/index.js';
import { tempDir } from '../tmp-dirs.js';

const REAL = path.join(repoRoot, 'tests', 'fixtures', 'real');

/** A project folder from spm.yaml text, an area list and files copied from the fixtures. */
function realProject(yaml: string, areas: string, copies: Record<string, string>): TestProject {
  const root = tempDir('spm-real-');
  fs.writeFileSync(path.join(root, 'spm.yaml'), yaml);
  fs.writeFileSync(path.join(root, 'gebiete.csv'), areas);
  for (const [to, from] of Object.entries(copies)) {
    fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    fs.copyFileSync(path.join(REAL, from), path.join(root, to));
  }
  const { project } = loadProject(root);
  return { project, root, tmpDir: path.join(root, '.spm-tmp') };
}

// Schleswig-Holstein's Kreise as the areas of a test project (codes and names as in the file)
const SH_KREISE = [
  ['01001', 'Flensburg'],
  ['01002', 'Kiel'],
  ['01003', 'Lübeck'],
  ['01004', 'Neumünster'],
  ['01051', 'Dithmarschen'],
  ['01053', 'Herzogtum Lauenburg'],
  ['01054', 'Nordfriesland'],
  ['01055', 'Ostholstein'],
  ['01056', 'Pinneberg'],
  ['01057', 'Plön'],
  ['01058', 'Rendsburg-Eckernförde'],
  ['01059', 'Schleswig-Flensburg'],
  ['01060', 'Segeberg'],
  ['01061', 'Steinburg'],
  ['01062', 'Stormarn'],
];
const shAreas = (): string =>
  'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n' +
  SH_KREISE.map(([id, n]) => `${id};${n};01000001;Kreise`).join('\n') +
  '\n';

const GENESIS_YAML = `
name: GENESIS 12411-0015 (Auszug)
kreis: { ags: "01000", name: Schleswig-Holstein }
areas: { file: gebiete.csv }
indicators: []
sources:
  - id: bevoelkerung
    title: Bevölkerungsstand
    files: rohdaten/12411-0015.csv
    kind: aggregated
    read: { header_rows: 2 }
    area: { column: 1, level: sozialraum, unknown: ignore }
    period: { in_headers: true, kind: kalenderjahr }
    columns:
      einwohner: { header: Stichtag, type: count }
    stichtag: "31.12."
    owner: Statistisches Bundesamt (Destatis)
`;

describe('real files: GENESIS exports', () => {
  it('12411-0015 (Kreise, 2 stacked header rows, dates as column headers, footer): loads with config alone', async () => {
    const tp = realProject(GENESIS_YAML, shAreas(), {
      'rohdaten/12411-0015.csv': 'genesis_12411-0015_kreise_auszug.csv',
    });
    await ingest(tp, async (r, q) => {
      const acc = r.sources.get('bevoelkerung')!.accounting;
      const file = acc.files[0]!;
      expect(file.read.encoding).toBe('windows-1252');
      expect(file.read.skip_top).toBe(4);
      expect(file.read.skip_bottom).toBe(4);
      expect(file.header.slice(0, 3)).toEqual(['Spalte 1', 'Spalte 2', 'Stichtag 31.12.1995']);
      // 17 lines x 24 Stichtage; Hamburg and Braunschweig are outside the project, counted, not errors
      expect(acc.rows_read).toBe(17 * 24);
      expect(acc.rows_loaded).toBe(15 * 24);
      expect(acc.rows_rejected).toBe(2 * 24);
      expect(
        r.rejects
          .filter((x) => x.source === 'bevoelkerung')
          .every((x) => x.code === 'outside_project' && x.severity === 'info'),
      ).toBe(true);
      // published figures: Flensburg and Kiel at 31.12.2018, 31.12.1995; the period text keeps the Stichtag
      const rows = plain(
        await q(
          "SELECT area_id, year, period, einwohner FROM src_bevoelkerung WHERE area_id IN ('01001', '01002') AND year IN (1995, 2018) ORDER BY area_id, year",
        ),
      );
      expect(rows).toEqual([
        { area_id: '01001', year: 1995, period: '31.12.1995', einwohner: 87276 },
        { area_id: '01001', year: 2018, period: '31.12.2018', einwohner: 89504 },
        { area_id: '01002', year: 1995, period: '31.12.1995', einwohner: 246033 },
        { area_id: '01002', year: 2018, period: '31.12.2018', einwohner: 247548 },
      ]);
      // sum of the Kreise = the Land figure published in 12411-0010 (Schleswig-Holstein, 31.12.2018)
      const sum = plain(await q('SELECT sum(einwohner) AS s FROM src_bevoelkerung WHERE year = 2018'));
      expect(sum).toEqual([{ s: 2896712 }]);
    });
  });

  it('12411-0010 (Länder): the multi-line quoted footer note is a footer, not an unclosed quote', async () => {
    const laender = [
      'Baden-Württemberg',
      'Bayern',
      'Berlin',
      'Brandenburg',
      'Bremen',
      'Hamburg',
      'Hessen',
      'Mecklenburg-Vorpommern',
      'Niedersachsen',
      'Nordrhein-Westfalen',
      'Rheinland-Pfalz',
      'Saarland',
      'Sachsen',
      'Sachsen-Anhalt',
      'Schleswig-Holstein',
      'Thüringen',
    ];
    const areas =
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n' +
      laender.map((l) => `${l};${l};01000001;Länder`).join('\n') +
      '\n';
    const yaml = GENESIS_YAML.replace('rohdaten/12411-0015.csv', 'rohdaten/12411-0010.csv')
      .replace('unknown: ignore', 'unknown: error')
      .replace('name: Schleswig-Holstein', 'name: Deutschland');
    const tp = realProject(yaml, areas, { 'rohdaten/12411-0010.csv': 'genesis_12411-0010_laender.csv' });
    await ingest(tp, async (r, q) => {
      const file = r.sources.get('bevoelkerung')!.accounting.files[0]!;
      expect(r.rejects).toEqual([]);
      expect(file.skipped_lines.filter((s) => s.why === 'footer').map((s) => s.line)).toEqual([23, 24, 28, 29]);
      expect(file.rows_loaded).toBe(16 * 61);
      const sh = plain(
        await q("SELECT einwohner FROM src_bevoelkerung WHERE area_id = 'Schleswig-Holstein' AND year = 2018"),
      );
      expect(sh).toEqual([{ einwohner: 2896712 }]);
      // "-" (nothing) before 1990 in Brandenburg is zero by the Zeichenerklärung
      const bb = plain(await q("SELECT einwohner FROM src_bevoelkerung WHERE area_id = 'Brandenburg' AND year = 1989"));
      expect(bb).toEqual([{ einwohner: 0 }]);
    });
  });
});

const MUENCHEN_AREAS = (): string => {
  // the 25 Stadtbezirke of München (codes 01-25) with the names as printed in the atlas
  const names = [
    'Altstadt - Lehel',
    'Ludwigsvorstadt - Isarvorstadt',
    'Maxvorstadt',
    'Schwabing - West',
    'Au - Haidhausen',
    'Sendling',
    'Sendling - Westpark',
    'Schwanthalerhöhe',
    'Neuhausen - Nymphenburg',
    'Moosach',
    'Milbertshofen - Am Hart',
    'Schwabing - Freimann',
    'Bogenhausen',
    'Berg am Laim',
    'Trudering - Riem',
    'Ramersdorf - Perlach',
    'Obergiesing - Fasangarten',
    'Untergiesing - Harlaching',
    'Thalkirchen - Obersendling - Forstenried - Fürstenried - Solln',
    'Hadern',
    'Pasing - Obermenzing',
    'Aubing - Lochhausen - Langwied',
    'Allach - Untermenzing',
    'Feldmoching - Hasenbergl',
    'Laim',
  ];
  return (
    'sozialraum_id;sozialraum_name;kommune_ags;kommune_name\n' +
    names.map((n, i) => `${String(i + 1).padStart(2, '0')};${n};09162000;Stadt München`).join('\n') +
    '\n'
  );
};

const atlasYaml = (file: string, extra = '', textCols = true): string => `
name: Indikatorenatlas München (Auszug)
kreis: { ags: "09162", name: München }
areas: { file: gebiete.csv }
indicators: []
sources:
  - id: kita
    title: Kinderbetreuung
    files: ${file}
    kind: aggregated
    read: { ${extra} }
    area: { column: Raumbezug, level: sozialraum, pattern: "^(\\\\d+) " }
    period: { column: Jahr, kind: kalenderjahr }
    columns:
${textCols ? '      indikator: { header: Indikator, type: text }\n      auspraegung: { header: Ausprägung, type: text }\n' : ''}      quote: { header: Indikatorwert, type: number }
      betreut: { header: Basiswert 1, type: count }
      betreut_gesamt: { header: Basiswert 2, type: count }
    stichtag: "01.03."
    owner: Statistisches Amt der Landeshauptstadt München
`;

describe('real files: city Indikatorenatlas (long format)', () => {
  it('CSV excerpt: code and name in one field, the city row is a total, the published rate is reproduced', async () => {
    const tp = realProject(atlasYaml('rohdaten/atlas.csv'), MUENCHEN_AREAS(), {
      'rohdaten/atlas.csv': 'muenchen_indikatorenatlas_kinderbetreuung_auszug.csv',
    });
    await ingest(tp, async (r, q) => {
      const acc = r.sources.get('kita')!.accounting;
      expect(acc.rows_read).toBe(78);
      expect(acc.rows_loaded).toBe(75);
      expect(r.rejects.map((x) => [x.line, x.code])).toEqual([
        [2, 'total_row'],
        [28, 'total_row'],
        [54, 'total_row'],
      ]);
      const rows = plain(await q('SELECT area_id, year, auspraegung, quote, betreut, betreut_gesamt FROM src_kita'));
      // every published Indikatorwert = 100 * Basiswert 1 / Basiswert 2 at its printed rounding (one decimal)
      for (const x of rows)
        expect(Math.round((1000 * (x.betreut as number)) / (x.betreut_gesamt as number)) / 10).toBe(x.quote);
      const lehel = rows.find((x) => x.area_id === '01' && x.year === 2024 && x.auspraegung === 'bis 2 Jahre');
      expect(lehel).toMatchObject({ quote: 34.5, betreut: 341, betreut_gesamt: 988 });
    });
  });

  it('the naive config (indicator columns not declared) rejects duplicate keys with the text-key hint', async () => {
    const tp = realProject(atlasYaml('rohdaten/atlas.csv', '', false), MUENCHEN_AREAS(), {
      'rohdaten/atlas.csv': 'muenchen_indikatorenatlas_kinderbetreuung_auszug.csv',
    });
    await ingest(tp, async (r) => {
      const dup = r.rejects.filter((x) => x.code === 'duplicate_key');
      // 2024 has two Ausprägungen per Stadtbezirk: 25 x 2 rows share a key; 2023 has one
      expect(dup.length).toBe(50);
      expect(dup[0]!.reason).toContain('„Indikator“, „Ausprägung“');
      expect(dup[0]!.reason).toContain('type: text');
    });
  });

  it('the whole workbook (.xlsx), sheet by name: same rows as the CSV excerpt', async () => {
    const tp = realProject(atlasYaml('rohdaten/atlas.xlsx', 'sheet: KINDERBETREUUNG'), MUENCHEN_AREAS(), {
      'rohdaten/atlas.xlsx': 'muenchen_indikatorenatlas_kinderbetreuung.xlsx',
    });
    await ingest(tp, async (r, q) => {
      const acc = r.sources.get('kita')!.accounting;
      expect(acc.rows_read).toBe(4212);
      expect(acc.rows_read).toBe(acc.rows_loaded + acc.rows_rejected);
      expect(r.rejects.filter((x) => x.severity !== 'info')).toEqual([]);
      expect(acc.files[0]!.read.decimal).toBe('comma');
      const lehel = plain(
        await q(
          "SELECT quote, betreut, betreut_gesamt FROM src_kita WHERE area_id = '01' AND year = 2024 AND indikator = 'Altersgruppen' AND auspraegung = 'bis 2 Jahre'",
        ),
      );
      expect(lehel).toEqual([{ quote: 34.5, betreut: 341, betreut_gesamt: 988 }]);
    });
  });

  it('a missing sheet is a user error naming the file', async () => {
    const tp = realProject(atlasYaml('rohdaten/atlas.xlsx', 'sheet: GIBTSNICHT'), MUENCHEN_AREAS(), {
      'rohdaten/atlas.xlsx': 'muenchen_indikatorenatlas_kinderbetreuung.xlsx',
    });
    await withDb(async (conn) => {
      const err = await ingestProject(conn, tp.project, { tmpDir: tp.tmpDir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).issues[0]!.message).toContain('Tabellenblatt „GIBTSNICHT“ nicht gefunden');
    });
  });
});

describe('real files: one area, several spellings (area list aliases, area.match)', () => {
  // The same 25 Stadtbezirke keyed "1".."25" (no leading zero) and written without spaces around the
  // hyphen ("Altstadt-Lehel"), as an area list of another office may have them; the atlas file (real,
  // unchanged) writes "01 Altstadt - Lehel". Bezirk 19 carries the atlas's long name only as an alias.
  const otherSpelling = (): string => {
    const rows = MUENCHEN_AREAS()
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(';'));
    return (
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;aliase\n' +
      rows
        .map(([id, name, ags, kom]) => {
          const short = name!.replace(/ - /g, '-');
          return id === '19'
            ? `19;Thalkirchen-Obersendling-Fürstenried-Solln;${ags};${kom};${name}`
            : `${Number(id)};${short};${ags};${kom};`;
        })
        .join('\n') +
      '\n'
    );
  };
  const yaml = (area: string): string =>
    atlasYaml('rohdaten/atlas.csv').replace(
      /area: \{[^\n]*\}/,
      `area: { column: Raumbezug, level: sozialraum, ${area} }`,
    );

  for (const [what, area, bySpelling] of [
    // "01".."09" by their code without the zero (9 Bezirke x 3 rows), "10".."25" exactly
    ['by code: "01" is the area "1"', 'pattern: "^(\\\\d+) "', 27],
    [
      'by name: "Altstadt - Lehel" is "Altstadt-Lehel", the long name 19 by its alias',
      'pattern: "^\\\\d+ (.+)$", match: name',
      75,
    ],
  ] as const) {
    it(`the CSV excerpt loads with another area list ${what}`, async () => {
      const tp = realProject(yaml(area), otherSpelling(), {
        'rohdaten/atlas.csv': 'muenchen_indikatorenatlas_kinderbetreuung_auszug.csv',
      });
      await ingest(tp, async (r, q) => {
        const acc = r.sources.get('kita')!.accounting;
        expect(acc.rows_loaded).toBe(75);
        expect(r.rejects.map((x) => [x.line, x.code])).toEqual([
          [2, 'total_row'],
          [28, 'total_row'],
          [54, 'total_row'],
        ]);
        const rows = plain(
          await q(
            "SELECT area_id, quote, betreut FROM src_kita WHERE year = 2024 AND auspraegung = 'bis 2 Jahre' ORDER BY _line",
          ),
        );
        expect(rows).toHaveLength(25);
        expect(rows[0]).toEqual({ area_id: '1', quote: 34.5, betreut: 341 });
        expect(rows.map((x) => x.area_id)).toContain('19');
        const info = r.issues.find((i) => i.code === 'source.area_by_spelling');
        expect(info?.message).toMatch(new RegExp(`^${bySpelling} Gebietsangabe`));
      });
    });
  }
});

describe('real files: a pinned read.skip_bottom on a file without footer lines', () => {
  const footerErrors = (issues: readonly { code: string; line?: number; column?: string; message: string }[]) =>
    issues.filter((i) => i.code === 'source.footer_is_data');

  it('the workbook (.xlsx, area by pattern): its last two data rows (lines 4212-4213) are refused, not dropped', async () => {
    const tp = realProject(
      atlasYaml('rohdaten/atlas.xlsx', 'sheet: KINDERBETREUUNG, skip_bottom: 2'),
      MUENCHEN_AREAS(),
      {
        'rohdaten/atlas.xlsx': 'muenchen_indikatorenatlas_kinderbetreuung.xlsx',
      },
    );
    await ingest(tp, async (r) => {
      const acc = r.sources.get('kita')!.accounting;
      expect(acc.rows_read).toBe(4210);
      const errors = footerErrors(r.issues);
      expect(errors.map((i) => [i.line, i.column])).toEqual([
        [4212, 'Raumbezug'],
        [4213, 'Raumbezug'],
      ]);
      expect(errors[0]!.message).toMatch(/Gebiet „\d\d“/);
    });
  });

  it('the CSV excerpt (area by pattern): the last data row is refused', async () => {
    const tp = realProject(atlasYaml('rohdaten/atlas.csv', 'skip_bottom: 1'), MUENCHEN_AREAS(), {
      'rohdaten/atlas.csv': 'muenchen_indikatorenatlas_kinderbetreuung_auszug.csv',
    });
    await ingest(tp, async (r) => {
      expect(footerErrors(r.issues).map((i) => i.line)).toEqual([79]);
    });
  });
});
