/**
 * Earlier releases as known to the attacker (settings.suppression.frueher_veroeffentlicht): their
 * cells are constants of the protection pass, never complements; reading them refuses files that
 * are not an earlier kennzahlen.parquet. The end-to-end check (two releases of the sample attacked
 * together) is in lp-attack-releases.test.ts.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCellIndex, constantCells, type CompactSystem, EquationBuilder } from '../../src/privacy/system.js';
import { suppressCompact } from '../../src/privacy/suppress.js';
import { checkEarlierFiles, loadEarlierReleases } from '../../src/compute/earlier.js';
import { UserError } from '../../src/util/issues.js';
import { withDb } from '../ingest/helpers.js';

/** K = s1 + s2 + s3 (a Kommune and its Sozialräume); counts 14 = 1 + 4 + 9, s1 secret. */
function kommune(pinned?: number[]): CompactSystem {
  const eb = new EquationBuilder();
  eb.add(0, [1, 2, 3]);
  const size = Float64Array.of(14, 1, 4, 9);
  return {
    n: 4,
    known: Uint8Array.of(1, 1, 1, 1),
    secret: Uint8Array.of(0, 1, 0, 0),
    size,
    ...eb.build(),
    ...(pinned ? { pinned: Uint8Array.from([0, 1, 2, 3], (c) => (pinned.includes(c) ? 1 : 0)) } : {}),
  };
}

describe('cells published in an earlier release (pinned)', () => {
  it('are constants, and so is a cell an equation leaves as its only non-constant one', () => {
    // T = a + b, a = a1 + a2
    const eb = new EquationBuilder();
    eb.add(0, [1, 2]);
    eb.add(1, [3, 4]);
    const sys = (pinned: number[]): CompactSystem => ({
      n: 5,
      known: new Uint8Array(5).fill(1),
      secret: new Uint8Array(5),
      size: Float64Array.of(10, 6, 4, 3, 3),
      ...eb.build(),
      pinned: Uint8Array.from([0, 1, 2, 3, 4], (c) => (pinned.includes(c) ? 1 : 0)),
    });
    const constants = (pinned: number[]) => {
      const s = sys(pinned);
      return Array.from(constantCells(s, buildCellIndex(s)));
    };
    // T and b known: a = T − b is known too; a1 and a2 stay open (two unknowns)
    expect(constants([0, 2])).toEqual([1, 1, 1, 0, 0]);
    // and a1: a2 = a − a1
    expect(constants([0, 2, 3])).toEqual([1, 1, 1, 1, 1]);
    // without earlier releases: the constants as before (none here)
    const { pinned: _, ...plain } = sys([]);
    expect(Array.from(constantCells(plain, buildCellIndex(plain)))).toEqual([0, 0, 0, 0, 0]);
  });

  it('leave a secret cell they determine together to the audit instead of stopping the linear pass', () => {
    // T1 = a + b, T2 = a + c, T3 = b + c: the totals published last year (pinned), a, b, c small now
    // (the threshold was raised). No single equation leaves one unknown, so a, b, c are no constants,
    // but the three together determine them, and nothing this run publishes is left to mask.
    const eb = new EquationBuilder();
    eb.add(0, [3, 4]);
    eb.add(1, [3, 5]);
    eb.add(2, [4, 5]);
    const sys = (pinned: boolean): CompactSystem => ({
      n: 6,
      known: new Uint8Array(6).fill(1),
      secret: Uint8Array.of(0, 0, 0, 1, 1, 1),
      size: Float64Array.of(4, 5, 3, 3, 1, 2),
      ...eb.build(),
      ...(pinned ? { pinned: Uint8Array.of(1, 1, 1, 0, 0, 0) } : {}),
    });
    const stats = { primary: 0, secondary: 0, rounds: 0, unresolved: 0 };
    // what the earlier release determines is no failure of this one: the audit counts it (earlierLimited)
    expect(Array.from(suppressCompact(sys(true), stats))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(stats).toMatchObject({ primary: 3, secondary: 0, unresolved: 0 });
    // without the earlier release the totals are this run's to mask
    expect(Array.from(suppressCompact(sys(false), stats)).slice(0, 3)).not.toEqual([0, 0, 0]);
    expect(stats.unresolved).toBe(0);
  });

  it('are never complements: the pass masks another cell (or none can help)', () => {
    // without an earlier release the smallest count beside s1 is its complement
    expect(Array.from(suppressCompact(kommune()))).toEqual([0, 1, 1, 0]);
    // s2 was published last year: masking it now would hide nothing, so s3 is masked
    expect(Array.from(suppressCompact(kommune([2])))).toEqual([0, 1, 0, 1]);
  });
});

describe('a start from the complements of a pass before (suppressCompact initial)', () => {
  it('keeps a start that protects, adds what it leaves open, and never starts from a constant or a secret cell', () => {
    const stats = { primary: 0, secondary: 0, rounds: 0, unresolved: 0 };
    // from nothing: s2, the smallest count beside s1
    expect(Array.from(suppressCompact(kommune()))).toEqual([0, 1, 1, 0]);
    // from s3: s1 has its complement already, none is added
    expect(Array.from(suppressCompact(kommune(), stats, [3]))).toEqual([0, 1, 0, 1]);
    expect(stats).toMatchObject({ primary: 1, secondary: 1, unresolved: 0 });
    // from K: K and s1 both open, nothing more needed
    expect(Array.from(suppressCompact(kommune(), undefined, [0]))).toEqual([1, 1, 0, 0]);
    // a pinned s3 is a constant: no start, the pass masks s2 as from nothing
    expect(Array.from(suppressCompact(kommune([3]), stats, [3]))).toEqual([0, 1, 1, 0]);
    expect(stats).toMatchObject({ primary: 1, secondary: 1 });
    // the secret s1 stays a primary mask (counted once)
    expect(Array.from(suppressCompact(kommune(), stats, [1]))).toEqual([0, 1, 1, 0]);
    expect(stats).toMatchObject({ primary: 1, secondary: 1 });
    // an unknown cell is no start
    const unknownS3 = { ...kommune(), known: Uint8Array.of(1, 1, 1, 0) };
    expect(Array.from(suppressCompact(unknownS3, stats, [3]))).toEqual([0, 1, 0, 0]);
    expect(stats).toMatchObject({ primary: 1, secondary: 0 });
  });
});

describe('loadEarlierReleases', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-earlier-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pins the counts published earlier with the value this run publishes; a revised one is not pinned, a dropped one is named', async () => {
    await withDb(async (conn) => {
      // this run: two rows (a Sozialraum and its Kommune)
      await conn.run(`CREATE TABLE spm_results AS SELECT * FROM (VALUES
        ('seu_adipositas', 'sozialraum', 'A1', 2023, 1, 4.0, 50.0, 'ok'),
        ('seu_adipositas', 'kommune', 'K', 2023, 1, 9.0, 120.0, 'ok'))
        t(indicator_id, level, area_id, year, pool_years, numerator, denominator, status)`);
      // last year's release: A1 as now, K's numerator revised since (8 then, 9 now), a masked row
      const earlier = path.join(dir, 'kennzahlen_2023.parquet');
      await conn.run(`COPY (SELECT * FROM (VALUES
        ('seu_adipositas', 'sozialraum', 'A1', 2023, 1, 4.0, 50.0, 'ok'),
        ('seu_adipositas', 'kommune', 'K', 2023, 1, 8.0, 120.0, 'ok'),
        ('seu_adipositas', 'sozialraum', 'A2', 2023, 1, NULL, NULL, 'masked'),
        ('seu_uebergewicht_ohne_adipositas', 'kommune', 'K', 2023, 1, 11.0, 120.0, 'ok'))
        t(indicator_id, level, area_id, year, pool_years, numerator, denominator, status))
        TO '${earlier}' (FORMAT parquet)`);
      const r = await loadEarlierReleases(conn, [earlier], 3, dir);
      // an indicator dropped since: its counts are public but not in the pass (said, not hidden)
      expect(r).toEqual({
        files: [earlier],
        pinned: 3,
        small: 0,
        changed: 1,
        unmatched: 2,
        dropped: ['seu_uebergewicht_ohne_adipositas'],
        // the rows missing now first, then the revised one (for the refusal's message)
        differences: [
          {
            indicator_id: 'seu_uebergewicht_ohne_adipositas',
            role: 'denominator',
            level: 'kommune',
            area_id: 'K',
            year: 2023,
            pool_years: 1,
            earlier: 120,
            now: null,
          },
          {
            indicator_id: 'seu_uebergewicht_ohne_adipositas',
            role: 'numerator',
            level: 'kommune',
            area_id: 'K',
            year: 2023,
            pool_years: 1,
            earlier: 11,
            now: null,
          },
          {
            indicator_id: 'seu_adipositas',
            role: 'numerator',
            level: 'kommune',
            area_id: 'K',
            year: 2023,
            pool_years: 1,
            earlier: 8,
            now: 9,
          },
        ],
      });
      const pinned = (await conn.runAndReadAll('SELECT area_id, role FROM spm_pinned ORDER BY ALL')).getRowsJS();
      expect(pinned).toEqual([
        ['A1', 'denominator'],
        ['A1', 'numerator'],
        ['K', 'denominator'],
      ]);
    });
  });

  it('refuses a missing file, a CSV, a Parquet file of another kind, and a broken one, naming the setting', async () => {
    fs.writeFileSync(path.join(dir, 'kennzahlen.csv'), 'indicator_id;level\n');
    fs.writeFileSync(path.join(dir, 'kaputt.parquet'), 'kein Parquet');
    await withDb(async (conn) => {
      await conn.run(`COPY (SELECT 1 AS a) TO '${path.join(dir, 'andere.parquet')}' (FORMAT parquet)`);
      const message = async (file: string) => {
        try {
          await loadEarlierReleases(conn, [path.join(dir, file)], 3, dir);
        } catch (e) {
          expect(e).toBeInstanceOf(UserError);
          expect((e as UserError).issues[0]?.path).toBe('settings.suppression.frueher_veroeffentlicht');
          return (e as UserError).issues[0]?.message;
        }
        return 'kein Fehler';
      };
      expect(await message('fehlt.parquet')).toMatch(/fehlt\.parquet gibt es nicht/);
      expect(await message('kennzahlen.csv')).toMatch(/keine Parquet-Datei/);
      expect(await message('andere.parquet')).toMatch(/es fehlen die Spalten indicator_id, level, area_id/);
      expect(await message('kaputt.parquet')).toMatch(/lässt sich nicht als Parquet lesen/);
    });
  });
});

describe('the releases a named release was itself protected against (checkEarlierChain)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-earlier-chain-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const rows = `SELECT * FROM (VALUES ('seu_adipositas', 'kommune', 'K', 2022, 1, 9.0, 120.0, 'ok'))
    t(indicator_id, level, area_id, year, pool_years, numerator, denominator, status)`;
  /** A release file; `chain`: the metadata spm writes for the releases it took as known. */
  const release = async (conn: DuckDBConnection, file: string, year: number, chain?: string) => {
    const kv = chain === undefined ? '' : `, KV_METADATA {'spm:frueher_veroeffentlicht': '${chain}'}`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await conn.run(`COPY (${rows.replace('2022', String(year))}) TO '${file}' (FORMAT parquet${kv})`);
    return file;
  };
  const message = async (conn: DuckDBConnection, files: string[]) => {
    try {
      await checkEarlierFiles(conn, files, dir);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).issues[0]).toMatchObject({ code: 'earlier.chain' });
      return (e as UserError).issues[0]?.message;
    }
    return undefined;
  };

  it("asks for the release before last year's when only last year's is named, and accepts it by content wherever it lies", async () => {
    await withDb(async (conn) => {
      const r2022 = await release(conn, path.join(dir, 'ausgabe-2022', 'kennzahlen.parquet'), 2022);
      const sha = createHash('sha256').update(fs.readFileSync(r2022)).digest('hex');
      const entry = JSON.stringify([{ file: 'ausgabe-2022/kennzahlen.parquet', sha256: sha }]);
      const r2023 = await release(conn, path.join(dir, 'ausgabe-2023', 'kennzahlen.parquet'), 2023, entry);
      // only 2023 named: 2022 is asked for, with the list to put into spm.yaml
      const m = await message(conn, [r2023]);
      expect(m).toContain(
        `  - ausgabe-2022/kennzahlen.parquet (SHA-256 ${sha.slice(0, 12)}…), als bekannt genommen von ausgabe-2023/kennzahlen.parquet; sie liegt noch dort`,
      );
      expect(m).toContain(
        'frueher_veroeffentlicht: [ausgabe-2023/kennzahlen.parquet, ausgabe-2022/kennzahlen.parquet] }.',
      );
      // both named: no issue; a release without such metadata (before, or named nothing) neither
      expect(await message(conn, [r2023, r2022])).toBeUndefined();
      expect(await message(conn, [r2022])).toBeUndefined();
      // 2022 archived elsewhere, named there: the same bytes count
      const archived = path.join(dir, 'archiv', 'kennzahlen-2022.parquet');
      fs.mkdirSync(path.dirname(archived), { recursive: true });
      fs.renameSync(r2022, archived);
      expect(await message(conn, [r2023, archived])).toBeUndefined();
      // not named: it is no longer where it was, and the message says to adjust the path
      const gone = await message(conn, [r2023]);
      expect(gone).toContain('an diesem Ort liegt sie nicht mehr');
      expect(gone).toContain('(Pfade dorthin anpassen, wo die Dateien heute liegen).');
      // another file at that path (a later run wrote there) is not the release meant
      await release(conn, r2022, 2021);
      expect(await message(conn, [r2023, r2022])).toContain('dort liegt heute eine Datei mit anderem Inhalt');
      // a release 2024 named 2023 and 2022: naming 2024 alone asks for both, each once
      const entries = JSON.stringify([
        {
          file: 'ausgabe-2023/kennzahlen.parquet',
          sha256: createHash('sha256').update(fs.readFileSync(r2023)).digest('hex'),
        },
        { file: 'archiv/kennzahlen-2022.parquet', sha256: sha },
      ]);
      const r2024 = await release(conn, path.join(dir, 'ausgabe-2024', 'kennzahlen.parquet'), 2024, entries);
      const two = await message(conn, [r2024]);
      expect(two).toMatch(/^Genannte frühere Veröffentlichungen wurden/);
      expect(two?.match(/^ {2}- /gm)).toHaveLength(2);
      // a path outside the project folder is not looked at
      const outside = JSON.stringify([{ file: path.join(os.tmpdir(), 'anderswo', 'k.parquet'), sha256: sha }]);
      const r2025 = await release(conn, path.join(dir, 'ausgabe-2025', 'kennzahlen.parquet'), 2025, outside);
      expect(await message(conn, [r2025])).toContain('sie lag außerhalb des Projektordners (dort nicht nachgesehen)');
      // metadata spm did not write is refused, not ignored: another shape, and bytes that are no UTF-8
      const broken = await release(conn, path.join(dir, 'kaputt', 'kennzahlen.parquet'), 2023, '[{"file": 1}]');
      expect(await message(conn, [broken])).toMatch(/ist nicht lesbar/);
      const bytes = path.join(dir, 'kaputt', 'bytes.parquet');
      await conn.run(
        `COPY (${rows}) TO '${bytes}' (FORMAT parquet, KV_METADATA {'spm:frueher_veroeffentlicht': '\\xC3\\x28'::BLOB})`,
      );
      expect(await message(conn, [bytes])).toMatch(/bytes\.parquet: die Angabe .* ist nicht lesbar/);
    });
  });
});

describe('spm validate', () => {
  it('names a missing earlier release with spm.yaml and the setting, before anything is computed', async () => {
    const { validateRun } = await import('../../src/run/validate-run.js');
    const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-earlier-validate-'));
    try {
      fs.cpSync(sample, dir, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
      const yamlFile = path.join(dir, 'spm.yaml');
      const yaml = fs.readFileSync(yamlFile, 'utf8');
      fs.writeFileSync(
        yamlFile,
        yaml.replace(
          '  years: { from: 2015, to: 2024 }\n',
          '  years: { from: 2015, to: 2024 }\n  suppression: { frueher_veroeffentlicht: [veroeffentlicht/2023/kennzahlen.parquet] }\n',
        ),
      );
      const r = await validateRun(dir);
      expect(r.ok).toBe(false);
      expect(r.issues).toContainEqual(
        expect.objectContaining({
          severity: 'error',
          file: yamlFile,
          path: 'settings.suppression.frueher_veroeffentlicht',
          message: expect.stringContaining('veroeffentlicht/2023/kennzahlen.parquet gibt es nicht'),
        }),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
