/**
 * Earlier releases that this run cannot take into account (src/compute/earlier-refusal.ts): counts
 * published earlier with another value now (revised data) or in rows this run does not have (a
 * year left out; an area change dated into published years). The protection pass knows only the
 * earlier counts it finds unchanged in its own rows, so together with the others a masked count
 * could be narrowed (a review found one pinned at 2 from a revised Kommune sum, and one at 1 from a
 * split Sozialraum). The run refuses (exit code 3, nothing written) unless the project accepts it
 * (`settings.suppression.frueher_abweichend_hinnehmen: true`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRun } from '../../src/run/compute-run.js';
import { validateRun } from '../../src/run/validate-run.js';
import { EarlierReleaseRefused } from '../../src/compute/earlier-refusal.js';
import { PublicationRefused } from '../../src/privacy/refusal.js';
import { listing, runCli, STACK_RE } from '../robustness/harness.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-earlier-diff-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const RELEASE = 'veroeffentlicht/2024/kennzahlen.parquet';
const project = path.join(tmp, 'kreis');
const yaml = path.join(project, 'spm.yaml');
let original = '';

/** The sample's spm.yaml with the 2024 release named, `extra` inside the suppression settings, and `years`. */
function configure(extra = '', from = 2015): void {
  const line = original.split('\n').find((l) => l.includes('years: { from: 2015, to: 2024 }'));
  expect(line, 'the sample names its years in settings').toBeDefined();
  const indent = /^\s*/.exec(line as string)?.[0] ?? '';
  fs.writeFileSync(
    yaml,
    original.replace(
      line as string,
      `${indent}years: { from: ${from}, to: 2024 }\n${indent}suppression: { frueher_veroeffentlicht: [${RELEASE}]${extra} }`,
    ),
  );
}

async function refused(p: Promise<unknown>): Promise<EarlierReleaseRefused> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(EarlierReleaseRefused);
  expect(e).toBeInstanceOf(PublicationRefused);
  return e as EarlierReleaseRefused;
}

beforeAll(async () => {
  fs.cpSync(sample, project, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
  original = fs.readFileSync(yaml, 'utf8');
  // the release of 2024, kept where the next run names it
  await computeRun(project, { charts: [], formats: ['parquet'] });
  fs.mkdirSync(path.join(project, 'veroeffentlicht', '2024'), { recursive: true });
  fs.copyFileSync(path.join(project, 'out', 'kennzahlen.parquet'), path.join(project, RELEASE));
}, 180_000);

describe('earlier releases with counts the protection cannot know', () => {
  it('the same data again: publishes, every earlier count pinned', async () => {
    configure();
    const r = await computeRun(project, { charts: [], formats: ['parquet'] });
    expect(r.results.masks?.earlier).toMatchObject({ changed: 0, unmatched: 0 });
    expect(r.results.masks?.earlier?.pinned ?? 0).toBeGreaterThan(10_000);
    // spm validate finds nothing to say about it
    const v = await validateRun(project);
    expect(v.issues.filter((i) => i.code === 'earlier.differs')).toEqual([]);
    expect(v.ok).toBe(true);
  }, 180_000);

  it('a revised count: refused with the rows named, nothing written; CLI exit 3 without a stack trace', async () => {
    // the 2023 count of non-German residents of Ascheberg-Mitte corrected from 556 to 557
    const file = path.join(project, 'rohdaten', 'bevoelkerung_2023.csv');
    const text = fs.readFileSync(file, 'utf8');
    const row = '"05558004-01";"Ascheberg-Mitte";2023;164;164;239;272;184;170;839;1.023;1.193;5.390;556;53';
    expect(text).toContain(row);
    fs.writeFileSync(file, text.replace(row, row.replace(';556;', ';557;')));
    configure();
    const before = listing(path.join(project, 'out'));
    const e = await refused(computeRun(project, { charts: [], formats: ['parquet'] }));
    expect(e.earlier.changed).toBeGreaterThan(0);
    expect(e.earlier.unmatched).toBe(0);
    expect(e.earlier.differences).toContainEqual({
      indicator_id: 'anteil_nichtdeutsch',
      role: 'numerator',
      level: 'sozialraum',
      area_id: '05558004-01',
      year: 2023,
      pool_years: 1,
      earlier: 556,
      now: 557,
    });
    expect(e.message).toContain('haben jetzt einen anderen Wert (korrigierte Daten)');
    expect(e.message).toContain('anteil_nichtdeutsch (Zähler), sozialraum 05558004-01, 2023: früher 556, jetzt 557');
    expect(e.message).toContain('frueher_abweichend_hinnehmen: true');
    expect(listing(path.join(project, 'out'))).toBe(before);
    // spm validate says so before: an error naming the row, as compute would
    const v = await validateRun(project);
    expect(v.ok).toBe(false);
    const differ = v.issues.filter((i) => i.code === 'earlier.differs');
    expect(differ).toHaveLength(1);
    expect(differ[0]?.severity).toBe('error');
    expect(differ[0]?.message).toContain('spm compute hält an');
    expect(differ[0]?.message).toContain(
      'anteil_nichtdeutsch (Zähler), sozialraum 05558004-01, 2023: früher 556, jetzt 557',
    );
    const val = await runCli(['validate', project]);
    expect(val.status, val.stderr).not.toBe(0);
    expect(val.stdout + val.stderr).not.toMatch(STACK_RE);
    expect(val.stdout + val.stderr).toContain('früher 556, jetzt 557');
    const cli = await runCli(['compute', project, '--no-charts', '--quiet', '--format', 'parquet']);
    expect(cli.status, cli.stderr).toBe(3);
    expect(cli.stderr).not.toMatch(STACK_RE);
    expect(cli.stderr).toContain('passt nicht zu diesem Lauf. Es wird nichts veröffentlicht');
    expect(listing(path.join(project, 'out'))).toBe(before);

    // accepted by the project: published, the difference counted as before
    configure(', frueher_abweichend_hinnehmen: true');
    const accepted = await validateRun(project);
    expect(accepted.ok).toBe(true);
    expect(accepted.issues.filter((i) => i.code === 'earlier.differs').map((i) => i.severity)).toEqual(['warning']);
    const r = await computeRun(project, { charts: [], formats: ['parquet'] });
    expect(r.results.masks?.earlier?.changed ?? 0).toBeGreaterThan(0);
    fs.writeFileSync(file, text);
  }, 240_000);

  it('a year left out: the earlier counts of 2015 have no row now, refused', async () => {
    configure('', 2016);
    const e = await refused(computeRun(project, { charts: [], formats: ['parquet'] }));
    expect(e.earlier.unmatched).toBeGreaterThan(0);
    expect(e.earlier.differences[0]).toMatchObject({ year: 2015, now: null });
    expect(e.message).toContain('gehören zu Zeilen, die es jetzt nicht gibt');
    expect(e.message).toContain(': früher ');
    expect(e.message).toContain(', jetzt keine solche Zeile');
    const v = await validateRun(project);
    expect(v.issues.find((i) => i.code === 'earlier.differs')?.message).toContain(', jetzt keine solche Zeile');
  }, 180_000);
});
