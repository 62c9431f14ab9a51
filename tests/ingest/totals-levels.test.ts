/**
 * Published totals on every declared level (#15 point 8): a Bezirksregion table of
 * the Berlin Kriminalitätsatlas (real excerpt, tests/fixtures/real) under the real LOR
 * hierarchy land > bezirk > prognoseraum > bezirksregion > planungsraum
 * (tests/fixtures/areas/berlin-lor), with totals rows of a Prognoseraum, a Bezirk and
 * the Land: each is placed by its code on its own level and compared with spm's sum of
 * the parts below it (datenqualitaet_summen.csv).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import { totalsCheckSql } from '../../src/export/totals-check.js';
import { ingestProject } from '../../src/ingest/index.js';
import { ingest, plain, repoRoot, withDb } from './helpers.js';
import { validateRun } from '../../src/run/validate-run.js';
import { computeRun } from '../../src/run/compute-run.js';
import { printValidate } from '../../cli/print.js';

const FIX = path.join(repoRoot, 'tests', 'fixtures');

const YAML = `
name: Kriminalitätsatlas Berlin 2021 (Auszug)
areas:
  file: lor.csv
  top: { level: land, id: "11", name: Berlin }
  levels:
    - { name: bezirk, id_column: Bezirk }
    - { name: prognoseraum, id_column: Prognoseraum (Nummer), name_column: Prognoseraum (Name) }
    - { name: bezirksregion, id_column: Bezirksregion (Nummer), name_column: Bezirksregion (Name) }
    - { name: planungsraum, id_column: Planungsraum (Nummer), name_column: Planungsraum (Name) }
indicators: []
sources:
  - id: pks
    title: Polizeiliche Kriminalstatistik je Bezirksregion
    files: rohdaten/pks.csv
    kind: aggregated
    area: { column: "LOR-Schlüssel (Bezirksregion)", level: bezirksregion, unknown: ignore }
    period: { value: 2021, kind: kalenderjahr }
    columns:
      straftaten: { header: Straftaten-insgesamt, type: count }
      raub: { header: Raub, type: count }
    stichtag: Kalenderjahr
    owner: Polizei Berlin
`;

/**
 * The real excerpt, then totals rows as the full atlas publishes them (Prognoseraum,
 * Bezirk, Land). These three rows are CONSTRUCTED for the test (the excerpt's source
 * repository dropped the atlas's totals rows); their values are chosen: Zentrum and
 * Berlin equal to the sum of the real parts, Mitte 9 more than its parts.
 */
function project(): { root: string; tmpDir: string; project: ReturnType<typeof loadProject>['project'] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-totals-'));
  fs.writeFileSync(path.join(root, 'spm.yaml'), YAML);
  fs.copyFileSync(path.join(FIX, 'areas', 'berlin-lor', 'lor_2021_auszug.csv'), path.join(root, 'lor.csv'));
  fs.mkdirSync(path.join(root, 'rohdaten'));
  const real = fs.readFileSync(path.join(FIX, 'real', 'berlin_kriminalitaetsatlas_2021_bzr_auszug.csv'), 'utf8');
  const empty = ','.repeat(15);
  const totals = [`0110,Zentrum,28959,264${empty}`, `Mitte,Mitte,35000,312${empty}`, `11,Berlin,43979,445${empty}`];
  fs.writeFileSync(path.join(root, 'rohdaten', 'pks.csv'), real + totals.join('\r\n') + '\r\n');
  const { project } = loadProject(root);
  return { root, tmpDir: path.join(root, '.spm-tmp'), project };
}

describe('published totals on every level of a Stadtstaat hierarchy (Berlin LOR)', () => {
  it('places Prognoseraum, Bezirk and Land totals by code; both load paths keep the same rows', async () => {
    const tp = project();
    await ingest(tp, async (r, q) => {
      const acc = r.sources.get('pks')!.accounting;
      expect(acc).toMatchObject({ rows_read: 10, rows_loaded: 6, rows_rejected: 4 });
      expect(r.rejects.map((x) => [x.line, x.code])).toEqual([
        [7, 'outside_project'], // 019900 "Bezirk (Mi)- nicht zuzuordnen": no Bezirksregion of the LOR
        [9, 'total_row'],
        [10, 'total_row'],
        [11, 'total_row'],
      ]);
      expect(
        plain(await q('SELECT level, area_id, label, placed_by, straftaten FROM spm_totals_pks ORDER BY _line')),
      ).toEqual([
        { level: 'prognoseraum', area_id: '0110', label: '0110', placed_by: 'code', straftaten: 28959 },
        { level: 'bezirk', area_id: 'Mitte', label: 'Mitte', placed_by: 'code', straftaten: 35000 },
        { level: 'land', area_id: '11', label: '11', placed_by: 'code', straftaten: 43979 },
      ]);
    });
  });

  it('datenqualitaet_summen: each total against the sum of its parts on its own level', async () => {
    const tp = project();
    try {
      await withDb(async (conn) => {
        const loaded = await ingestProject(conn, tp.project, { tmpDir: tp.tmpDir });
        const check = totalsCheckSql(tp.project, loaded)!;
        const rows = plain(
          (await conn.runAndReadAll(check.sql, check.parameters as never)).getRowObjectsJS() as Record<
            string,
            unknown
          >[],
        ).filter((x) => x.spalte === 'straftaten');
        expect(
          rows.map((x) => [x.ebene, x.gebiet, x.veroeffentlicht, x.summe_der_teile, x.differenz, x.teile, x.status]),
        ).toEqual([
          // Zentrum = Tiergarten Süd + Regierungsviertel + Alexanderplatz + Brunnenstraße Süd (real figures)
          ['prognoseraum', '0110', 28959, 28959, 0, 4, 'gleich'],
          // Mitte = Zentrum + Moabit West (the excerpt's Bezirksregionen of Mitte)
          ['bezirk', 'Mitte', 35000, 34991, 9, 5, 'abweichend'],
          ['land', '11', 43979, 43979, 0, 6, 'gleich'],
        ]);
      });
    } finally {
      fs.rmSync(tp.root, { recursive: true, force: true });
    }
  });

  it('a total that differs from its parts is a warning of validate and compute, naming the line and both sums', async () => {
    const tp = project();
    try {
      const v = await validateRun(tp.root);
      const differ = v.issues.filter((i) => i.code === 'totals.differ');
      expect(differ).toHaveLength(1);
      expect(differ[0]).toMatchObject({ severity: 'warning' });
      expect(differ[0]!.message).toContain('Eine Summenzeile');
      expect(differ[0]!.message).toContain(
        'rohdaten/pks.csv:10 bezirk „Mitte“ 2021, straftaten: in der Datei 35.000, Summe der Teile 34.991',
      );
      // printed by validate (not hidden behind the totals row it names)
      const lines: string[] = [];
      printValidate(v, (x) => lines.push(x));
      expect(lines.join('\n')).toContain('Summe der Teile 34.991');
      const c = await computeRun(tp.root, { charts: [] });
      expect(c.issues.filter((i) => i.code === 'totals.differ').map((i) => i.message)).toEqual([differ[0]!.message]);
      // all totals equal to their parts: no warning
      const csv = path.join(tp.root, 'rohdaten', 'pks.csv');
      fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('Mitte,Mitte,35000', 'Mitte,Mitte,34991'));
      expect((await validateRun(tp.root)).issues.filter((i) => i.code === 'totals.differ')).toEqual([]);
    } finally {
      fs.rmSync(tp.root, { recursive: true, force: true });
    }
  }, 60_000);
});
