/**
 * Data protection across a boundary change: a Sozialraum split with weights whose
 * old code still delivers rows after the change (carried to the new codes by
 * weights, compute/carry.ts). The independent LP attacker of tests/privacy/lp-attacker.ts
 * reads only what spm publishes (kennzahlen.parquet) and knows more than the
 * published table: the hierarchy, numerator <= denominator, and the carrying itself
 * — each new area's count = its own rows + its part of the old code's late rows, the
 * parts add up to the old count, and each part is the weight's share of it within ±1.
 * No protected count (true value 1..threshold−1, not published) may be narrowed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Spm } from '../../src/index.js';
import type { IndicatorInput, ProjectFileInput } from '../../src/config/schema.js';
import { lpAttack, type ARow, type ATarget, type AVar } from './lp-attacker.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const T = 3;
const KREIS = '05558';
const K1 = '05558016';
const K2 = '05558012';
const OLD = `${K1}-03`;
const NEW = [`${K1}-03a`, `${K1}-03b`] as const;
const W = [0.6, 0.4] as const;
const YEARS = [2020, 2021, 2022, 2023];
/** Sozialräume valid in a year (the old code until 2021, the new ones from 2022). */
const areasIn = (y: number): string[] => [`${K1}-01`, ...(y <= 2021 ? [OLD] : NEW), `${K2}-01`, `${K2}-02`];
const parentOf = (sr: string): string => sr.slice(0, 8);

const indicator: IndicatorInput = {
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

/** A small seeded generator (mulberry32): the same project on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = { level: string; area_id: string; year: number; numerator: number | null; denominator: number | null };

async function run(seed: number): Promise<{ pub: Row[]; internal: Row[] }> {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const lines = ['gebiet;jahr;befund'];
  const kids = (area: string, year: number, n: number, k: number) => {
    for (let i = 0; i < n; i++) lines.push(`${area};${year};${i < k ? 1 : 0}`);
  };
  for (const y of YEARS) {
    for (const a of areasIn(y)) {
      const n = int(1, 12);
      kids(a, y, n, Math.min(n, int(0, 3)));
    }
    // the old code delivered again after the split
    if (y >= 2022) {
      const n = int(1, 6);
      kids(OLD, y, n, Math.min(n, int(0, 3)));
    }
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-boundary-attack-'));
  dirs.push(root);
  fs.writeFileSync(
    path.join(root, 'gebiete.csv'),
    [
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis',
      `${K1}-01;Mitte;${K1};Dülmen;;`,
      `${OLD};Süd (alt);${K1};Dülmen;;2021`,
      `${NEW[0]};Süd-West;${K1};Dülmen;2022;`,
      `${NEW[1]};Süd-Ost;${K1};Dülmen;2022;`,
      `${K2}-01;Innenstadt;${K2};Coesfeld;;`,
      `${K2}-02;Lette;${K2};Coesfeld;;`,
    ].join('\n'),
  );
  fs.writeFileSync(path.join(root, 'seu.csv'), lines.join('\n'));
  const config: ProjectFileInput = {
    name: 'Teilung',
    kreis: { ags: KREIS, name: 'Kreis Coesfeld' },
    areas: {
      file: 'gebiete.csv',
      changes: [{ kind: 'split', year: 2022, from: OLD, to: [...NEW], weights: { [NEW[0]]: W[0], [NEW[1]]: W[1] } }],
    } as ProjectFileInput['areas'],
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
    settings: { min_denominator: 1, suppression: { min_count: T } },
  };
  const out = path.join(root, 'out');
  const spm = await Spm.open({ config, root }, { indicators: [indicator] });
  try {
    await spm.compute();
    await spm.export(out, { formats: ['parquet'], unmaskedInternal: true });
  } finally {
    await spm.close();
  }
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const q = async (f: string) =>
    (
      await conn.runAndReadAll(
        `SELECT level, area_id, year, numerator, denominator FROM read_parquet('${f.replace(/'/g, "''")}') WHERE pool_years = 1`,
      )
    ).getRowObjectsJS() as unknown as Row[];
  const pub = await q(path.join(out, 'kennzahlen.parquet'));
  const internal = await q(path.join(out, 'intern', 'kennzahlen_intern_unmaskiert.parquet'));
  conn.closeSync();
  inst.closeSync();
  return { pub, internal };
}

describe('LP attack on a project with a carried split', () => {
  it('narrows no protected count, with the attacker knowing how the old rows were divided', async () => {
    let protectedCounts = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { pub, internal } = await run(seed);
      const vars = new Map<string, AVar>();
      const v = (id: string): string => {
        if (!vars.has(id)) vars.set(id, { published: null, lb: 0, ub: Infinity });
        return id;
      };
      vars.set('one', { published: 1, lb: 1, ub: 1 });
      const key = (role: string, level: string, area: string, year: number) => `${role}|${level}|${area}|${year}`;
      for (const r of pub)
        for (const role of ['numerator', 'denominator'] as const) {
          const x = r[role];
          v(key(role, r.level, r.area_id, r.year));
          if (x !== null) {
            vars.get(key(role, r.level, r.area_id, r.year))!.published = Number(x);
            expect(
              Number(x) > 0 && Number(x) < T,
              `published small count ${key(role, r.level, r.area_id, r.year)}`,
            ).toBe(false);
          }
        }
      const rows: ARow[] = [];
      for (const role of ['numerator', 'denominator'] as const) {
        for (const y of YEARS) {
          const srs = areasIn(y);
          for (const k of [K1, K2])
            rows.push({
              terms: [
                [v(key(role, 'kommune', k, y)), 1],
                ...srs
                  .filter((s) => parentOf(s) === k)
                  .map((s) => [v(key(role, 'sozialraum', s, y)), -1] as [string, number]),
              ],
            });
          rows.push({
            terms: [
              [v(key(role, 'kreis', KREIS, y)), 1],
              [v(key(role, 'kommune', K1, y)), -1],
              [v(key(role, 'kommune', K2, y)), -1],
            ],
          });
          if (y < 2022) continue;
          // the carrying: new = own + part, Σ parts = late old rows, part = weight · late ± 1
          const late = v(`${role}|late|${y}`);
          const parts = NEW.map((n, i) => {
            const own = v(`${role}|own|${n}|${y}`);
            const part = v(`${role}|part|${n}|${y}`);
            rows.push({
              terms: [
                [v(key(role, 'sozialraum', n, y)), 1],
                [own, -1],
                [part, -1],
              ],
            });
            rows.push({
              terms: [
                [part, 1],
                [late, -W[i]!],
                ['one', -1],
              ],
              le: true,
            });
            rows.push({
              terms: [
                [late, W[i]!],
                [part, -1],
                ['one', -1],
              ],
              le: true,
            });
            return part;
          });
          rows.push({ terms: [[late, 1], ...parts.map((p) => [p, -1] as [string, number])] });
        }
      }
      // numerator <= denominator, for published cells and for the hidden pieces
      for (const id of [...vars.keys()].filter((k) => k.startsWith('numerator|')))
        rows.push({
          terms: [
            [id, 1],
            [v(`denominator|${id.slice('numerator|'.length)}`), -1],
          ],
          le: true,
        });
      const targets: ATarget[] = [];
      for (const r of internal)
        for (const role of ['numerator', 'denominator'] as const) {
          const x = r[role] === null ? null : Number(r[role]);
          const id = key(role, r.level, r.area_id, r.year);
          if (x === null || !(x > 0 && x < T) || vars.get(id)?.published !== null) continue;
          const den = r.denominator === null ? Infinity : Number(r.denominator);
          targets.push({ id, level: role === 'numerator' ? Math.min(T, den) : T });
        }
      protectedCounts += targets.length;
      const res = await lpAttack(vars, rows, targets);
      expect(res.narrowed, `seed ${seed}`).toEqual([]);
      // the carried rows really were published as parts of the new areas
      expect(pub.some((r) => r.area_id === NEW[0] && r.year === 2022)).toBe(true);
    }
    expect(protectedCounts).toBeGreaterThan(10);
  }, 180_000);
});
