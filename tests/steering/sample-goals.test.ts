/**
 * The sample project's goals end to end: verdicts, only published numbers (checked
 * field by field against the published rows), `vergleich/ziele.csv` / `.parquet`, and
 * the Zielübersicht of the Kommunalprofil and the Kreis overview.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/api/session.js';
import type { KennzahlRow } from '../../src/publish/schema.js';
import type { GoalEvaluation } from '../../src/steering/goals.js';
import { writeReports } from '../../src/report/index.js';
import { chartMetaFromProject } from '../../src/charts/index.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
const GOAL_INDICATORS = ['u7a_nichtteilnahme', 'seu_sprachfoerderbedarf', 'kita_quote_unter_3'];

let spm: Spm;
let evals: GoalEvaluation[];
let rows: KennzahlRow[];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-ziele-sample-'));
const KEEP = process.env.SPM_KEEP_GOALS_REPORT;

beforeAll(async () => {
  spm = await Spm.open(sample, { scratchDir: path.join(tmp, 'scratch') });
  await spm.compute({ indicators: GOAL_INDICATORS });
  evals = await spm.goals();
  rows = await spm.results({ poolYears: [1] });
}, 120_000);

afterAll(() => {
  spm?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the sample goals', () => {
  it('have the verdicts the published values give', () => {
    expect(evals.map((e) => [e.goal_id, e.teil, e.area_id, e.verdict, e.gesichert])).toEqual([
      ['u7a_duelmen', 'gebiet', '05558016', 'auf_kurs', false],
      ['sprache_kreis', 'gebiet', '05558', 'nicht_auf_kurs', true],
      ['kita_u3_luedinghausen', 'gebiet', '05558024', 'nicht_auf_kurs', false],
      ['u7a_duelmen_innenstadt', 'gruppe', null, 'nicht_beurteilbar', null],
      ['u7a_duelmen_innenstadt', 'gebiet', '05558016-01', 'nicht_beurteilbar', null],
      ['u7a_duelmen_innenstadt', 'gebiet', '05558016-03', 'nicht_beurteilbar', null],
    ]);
    // the path through the milestone 6 % (2022) to 4 % (2026) requires 5 % in 2024
    expect(evals[0]!.path_value).toBeCloseTo(5, 12);
  });

  it('use only published numbers: every value is the published row, a masked row gives none', () => {
    const row = (e: GoalEvaluation, y: number | null) =>
      rows.find((r) => r.indicator_id === e.indicator_id && r.area_id === e.area_id && r.year === y);
    let masked = 0;
    for (const e of evals.filter((x) => x.teil === 'gebiet')) {
      const start = row(e, e.startjahr)!;
      const cur = row(e, e.current_year)!;
      expect(e.start_value).toBe(start.suppression == null ? start.value : null);
      expect(e.current_value).toBe(cur.suppression == null ? cur.value : null);
      expect([e.ci_low, e.ci_high]).toEqual(cur.suppression == null ? [cur.ci_low, cur.ci_high] : [null, null]);
      if (start.suppression != null || cur.suppression != null) {
        masked++;
        expect(e.verdict).toBe('nicht_beurteilbar');
        expect(e.reason).toMatch(/gesperrt \(aus Datenschutzgründen nicht ausgewiesen\)/);
        expect([e.path_value, e.path_diff, e.gesichert]).toEqual([null, null, null]);
      }
      for (const m of e.meilensteine) {
        const r = row(e, m.jahr);
        expect(m.ist).toBe(r && r.suppression == null ? r.value : null);
      }
    }
    expect(masked).toBe(2);
  });

  it('are written to vergleich/ziele.csv (German format) and .parquet', async () => {
    const out = path.join(tmp, 'out');
    const files = await spm.export(out, { formats: ['csv', 'parquet'] });
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['vergleich/ziele.csv', 'vergleich/ziele.parquet']),
    );
    const csv = fs.readFileSync(path.join(out, 'vergleich', 'ziele.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFziel_id;ziel;handlungsfeld;')).toBe(true);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + evals.length);
    expect(lines[1]).toMatch(/^u7a_duelmen;.*;auf_kurs;auf Kurs;nein;;"Der Unterschied zum Zielpfad liegt innerhalb/);
    expect(lines[1]).toContain(';2019;2026;7,79816513761468;ok;2024;4,595185995623632;');
    expect(lines[1]).toContain('2022: Soll 6, Ist 6,02 (nicht erreicht)');
    expect(lines[6]).toMatch(/;05558016-03;Dülmen-Ost;sozialraum;.*;masked;2024;;;;masked;/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const sha = createHash('sha256')
      .update(fs.readFileSync(path.join(sample, 'ziele.yaml')))
      .digest('hex');
    expect(manifest.goals.file).toBe('ziele.yaml');
    expect(manifest.goals.sha256).toBe(sha);
    expect(manifest.goals.definitions.map((g: { id: string }) => g.id)).toEqual([
      'u7a_duelmen',
      'sprache_kreis',
      'kita_u3_luedinghausen',
      'u7a_duelmen_innenstadt',
    ]);
    const n = await spm.connection.runAndReadAll(
      `SELECT count(*), count(wert_aktuell) FROM read_parquet('${path.join(out, 'vergleich', 'ziele.parquet')}')`,
    );
    expect(n.getRows()[0]!.map(Number)).toEqual([6, 3]);
  });

  it('appear as Zielübersicht in the Kommunalprofil and the Kreis overview', async () => {
    const dir = path.join(tmp, 'bericht');
    await writeReports(
      { rows: await spm.results(), meta: chartMetaFromProject(spm.project), project: spm.project },
      { outDir: dir, kommunen: ['05558016', '05558024'], chartFiles: { formats: [] } },
    );
    const duelmen = fs.readFileSync(path.join(dir, 'kommune-05558016.md'), 'utf8');
    expect(duelmen).toContain('## Zielübersicht');
    expect(duelmen).toMatch(
      /\| Ziel \| Kennzahl \| Start \| aktuell \(95-%-KI\) \| Zielpfad \| Bewertung \| Hinweis \|/,
    );
    expect(duelmen).toMatch(
      /2024: 4,6 \(3,0 – 6,9\) \| Ziel 2026: 4,0; Pfad 2024: 5,0 \| \*\*auf Kurs\*\* \(nicht gesichert\)/,
    );
    expect(duelmen).toMatch(/Dülmen-Ost \|.*2019: gesperrt/);
    expect(duelmen).not.toContain('Lüdinghausen bis 2025');
    const html = fs.readFileSync(path.join(dir, 'kommune-05558016.html'), 'utf8');
    expect(html).toContain('id="zieluebersicht"');
    if (KEEP) fs.cpSync(dir, KEEP, { recursive: true });
    const index = fs.readFileSync(path.join(dir, 'index.md'), 'utf8');
    expect(index).toMatch(
      /Sinkender Anteil der Kinder mit Sprachförderbedarf im Kreis.*\*\*nicht auf Kurs\*\* \(gesichert\)/,
    );
    expect(index).not.toContain('U7a in Dülmen');
  });
});

describe('goals after compute({ years })', () => {
  it('say that the start year is outside the published years instead of "kein Wert"', async () => {
    await using s = await Spm.open(sample, { scratchDir: path.join(tmp, 'scratch-years') });
    await s.compute({ indicators: GOAL_INDICATORS, years: [2024] });
    const judged = await s.goals();
    const outside = judged.filter((e) => e.startjahr !== 2024 && e.verdict === 'nicht_beurteilbar');
    expect(outside.length).toBeGreaterThan(0);
    for (const e of outside)
      expect(e.reason).toBe(
        `Startjahr ${e.startjahr} ist nicht unter den veröffentlichten Jahren (2024); für die Ziele compute() ohne years aufrufen`,
      );
  }, 120_000);
});
