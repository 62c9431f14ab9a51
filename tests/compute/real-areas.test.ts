/**
 * Real area structures as declared hierarchies (fixtures with provenance in
 * tests/fixtures/areas/): an NRW Gemeindeverzeichnis excerpt as
 * land > rb > kreis > gemeinde. Counts are deterministic test numbers, not real
 * figures; the structure is real. Every published sum must equal its leaves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spm } from '../../src/index.js';
import type { IndicatorInput, ProjectFileInput } from '../../src/config/schema.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function folder(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-real-areas-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), content);
  return root;
}

const fixture = (...p: string[]) => fs.readFileSync(path.resolve(import.meta.dirname, '..', 'fixtures', 'areas', ...p));

const quote: IndicatorInput = {
  id: 'quote',
  title: 'Anteil mit Befund',
  description: 'Kinder mit Befund je untersuchte Kinder',
  family: 'gesundheit_seu',
  lebensphase: '3-6',
  unit: 'percent',
  polarity: 'worse',
  numerator: { source: 'zahlen', measure: 'sum', column: 'befund' },
  denominator: { source: 'zahlen', measure: 'sum', column: 'kinder' },
  min_denominator: 1,
  steckbrief: {
    stichtag: '31.12.',
    data_owner: 'Test',
    numerator_source: 'Test',
    denominator_source: 'Test',
    definition: 'Test',
    suppression: 'keine',
  },
};

const source = (level: string): ProjectFileInput['sources'][number] => ({
  id: 'zahlen',
  title: 'Zahlen',
  files: 'zahlen.csv',
  kind: 'aggregated',
  area: { column: 'gebiet', level },
  period: { column: 'jahr', kind: 'kalenderjahr' },
  columns: { kinder: { header: 'kinder', type: 'count' }, befund: { header: 'befund', type: 'count' } },
  stichtag: '31.12.',
  owner: 'Test',
});

/** Splits a semicolon file read independently of spm (no quoted cells in these fixtures). */
function table(buf: Buffer): Record<string, string>[] {
  const lines = buf
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const head = lines[0]!.split(';');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(';').map((v, i) => [head[i]!, v])));
}

type Counts = { kinder: number; befund: number };

/** Runs compute and checks every expected (level, id) row against the sum of its leaves. */
async function checkSums(
  root: string,
  config: ProjectFileInput,
  leaves: { id: string; c: Counts }[],
  expected: [string, string, (leafId: string) => boolean][],
): Promise<void> {
  const spm = await Spm.open({ config, root }, { indicators: [quote] });
  try {
    await spm.compute();
    const rows = await spm.results({ indicators: ['quote'] });
    for (const [level, id, member] of expected) {
      const s = leaves
        .filter((l) => member(l.id))
        .reduce((a, l) => ({ kinder: a.kinder + l.c.kinder, befund: a.befund + l.c.befund }), { kinder: 0, befund: 0 });
      expect(s.kinder, `${level} ${id} has leaves`).toBeGreaterThan(0);
      const r = rows.find((x) => x.area_id === id && x.level === level && x.year === 2023);
      expect(r, `${level} ${id}`).toMatchObject({ status: 'ok', numerator: s.befund, denominator: s.kinder });
    }
  } finally {
    await spm.close();
  }
}

describe('NRW Gemeindeverzeichnis (real structure, tests/fixtures/areas/nrw-gv)', () => {
  const gv = fixture('nrw-gv', 'gv_nrw_auszug.csv');
  const rows = table(gv).map((r) => ({ rb: r['2']!, kreis: r['3']!, ags: r.ags!, name: r.Gemeindename! }));
  const config: ProjectFileInput = {
    name: 'NRW',
    areas: {
      file: 'gv.csv',
      top: { level: 'land', label: 'Land', id: '05', name: 'Nordrhein-Westfalen' },
      levels: [
        { name: 'rb', label: 'Regierungsbezirk', id_column: '2' },
        { name: 'kreis', label: 'Kreis', id_column: '3' },
        { name: 'gemeinde', label: 'Gemeinde', id_column: 'ags', name_column: 'Gemeindename', code: 'ags' },
      ],
    },
    sources: [source('gemeinde')],
    indicators: [],
    settings: { min_denominator: 1, suppression: { min_count: 1 } },
  };
  const leaves = rows.map((r, i) => ({ id: r.ags, c: { kinder: 50 + ((i * 29) % 71), befund: 4 + ((i * 13) % 19) } }));
  const data = ['gebiet;jahr;kinder;befund', ...leaves.map((l) => `${l.id};2023;${l.c.kinder};${l.c.befund}`)].join(
    '\n',
  );
  const of = (ags: string) => rows.find((r) => r.ags === ags)!;

  it('loads Regierungsbezirke, Kreise (kreisfreie Städte too) and Gemeinden with their real codes', async () => {
    expect(rows).toHaveLength(13);
    const root = folder({ 'gv.csv': gv, 'zahlen.csv': data });
    const spm = await Spm.open({ config, root }, { indicators: [quote] });
    try {
      const loaded = await spm.load();
      expect(loaded.areas.accounting).toMatchObject({ rows_read: 13, rows_loaded: 13, rows_rejected: 0 });
      const byLevel = (l: string) =>
        loaded.areas.areas
          .filter((a) => a.level === l)
          .map((a) => a.id)
          .sort();
      expect(byLevel('rb')).toEqual(['1', '5']);
      expect(byLevel('kreis')).toEqual(['11', '15', '58']);
      expect(byLevel('gemeinde')).toEqual(rows.map((r) => r.ags).sort());
      expect(loaded.areas.areas.find((a) => a.id === '05558016')).toMatchObject({
        level: 'gemeinde',
        name: 'Dülmen, Stadt',
      });
    } finally {
      await spm.close();
    }
  });

  it('sums the Land, each Regierungsbezirk and each Kreis from its Gemeinden', async () => {
    const root = folder({ 'gv.csv': gv, 'zahlen.csv': data });
    await checkSums(root, config, leaves, [
      ['land', '05', () => true],
      ['rb', '1', (a) => of(a).rb === '1'],
      ['rb', '5', (a) => of(a).rb === '5'],
      ['kreis', '11', (a) => of(a).kreis === '11'],
      ['kreis', '15', (a) => of(a).kreis === '15'],
      ['kreis', '58', (a) => of(a).kreis === '58'],
      ['gemeinde', '05558016', (a) => a === '05558016'],
      ['gemeinde', '05515000', (a) => a === '05515000'],
    ]);
  });
});
