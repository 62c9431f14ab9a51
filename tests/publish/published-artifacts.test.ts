/**
 * What the sample's published artifacts may say about masked rows: only
 * "gesperrt". No reason (primary / secondary / source), no true status, note,
 * count, interval or comparison of a masked row, no counts where no value is
 * published, no raw rejected input line, in kennzahlen.csv / .parquet / .arrow
 * / .json, the CSV schema, the manifest, the vergleich tables, chart specs and
 * SVGs, and the HTML and Markdown reports. The reasons stay in intern/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { Spm } from '../../src/api/session.js';
import { buildProjectCharts } from '../../src/charts/project-charts.js';
import { chartMetaFromProject } from '../../src/charts/meta.js';
import { renderSvg } from '../../src/render/svg.js';
import { writeReports } from '../../src/report/index.js';
import { COLUMNS, type KennzahlRow } from '../../src/publish/schema.js';
import { MASKED_NOTE } from '../../src/publish/published.js';
import { SUPPRESSION_REASON_TEXT } from '../../src/publish/vocabulary.js';
import { CODE_COLUMNS } from '../../src/publish/table-schema.js';
import { REJECTS_PREAMBLE } from '../../src/export/write.js';
import { SAMPLE, tmpDir } from '../report/helpers.js';
import type { Project } from '../../src/config/project.js';

type Row = Record<string, unknown>;
let tmp: string;
let out: string;
let rows: KennzahlRow[];
let internal: Row[];
let project: Project;
/** Published text artifacts: relative name -> content. */
const texts = new Map<string, string>();
let specs: { name: string; json: string }[] = [];

async function query(sql: string): Promise<Row[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(sql);
    return r
      .getRowObjectsJS()
      .map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
const lit = (p: string) => `'${p.replace(/'/g, "''")}'`;

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [path.relative(base, p)];
  });
}

beforeAll(async () => {
  tmp = tmpDir('spm-published-');
  out = path.join(tmp, 'out');
  await using spm = await Spm.open(SAMPLE, { scratchDir: path.join(tmp, 'scratch') });
  await spm.compute();
  await spm.export(out, { formats: ['csv', 'parquet', 'arrow', 'json'], unmaskedInternal: true });
  rows = await spm.results();
  project = spm.project;
  internal = await query(
    `SELECT * FROM read_parquet(${lit(path.join(out, 'intern', 'kennzahlen_intern_unmaskiert.parquet'))})`,
  );
  // charts: every spec as JSON, SVG for the charts of one Kommune with masked Sozialräume
  const jobs = buildProjectCharts(rows, chartMetaFromProject(spm.project));
  specs = jobs.map((j) => ({ name: j.name, json: JSON.stringify(j.spec) }));
  const kommune = rows.find((r) => r.level === 'sozialraum' && r.suppression != null && r.pool_years === 1)
    ?.kommune_ags as string;
  for (const j of jobs.filter((x) => x.name.includes(kommune)).slice(0, 12))
    texts.set(`${j.name}.svg`, await renderSvg(j.spec));
  // report: the overview and that Kommune's profile, HTML and Markdown (chart files as SVG only)
  const reportDir = path.join(tmp, 'report');
  await writeReports(
    { rows, meta: chartMetaFromProject(spm.project), project: spm.project },
    { outDir: reportDir, kommunen: [kommune], chartFiles: { formats: ['svg'], filter: (n) => n.includes(kommune) } },
  );
  for (const f of walk(reportDir).filter((x) => /\.(html|md|svg)$/.test(x)))
    texts.set(`report/${f}`, fs.readFileSync(path.join(reportDir, f), 'utf8'));
  // everything outside intern/ except abgewiesene_zeilen.csv (marked internal in its first line, checked below)
  const isPublic = (x: string) => !x.startsWith('intern') && x !== 'abgewiesene_zeilen.csv' && /\.(csv|json)$/.test(x);
  for (const f of walk(out).filter(isPublic)) texts.set(f, fs.readFileSync(path.join(out, f), 'utf8'));
  for (const s of specs) texts.set(`${s.name}.vl.json`, s.json);
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('published artifacts of the sample', { timeout: 120_000 }, () => {
  it('has masked rows, rows without a value and an internal table with the reasons (so the checks bite)', () => {
    expect(rows.filter((r) => r.suppression != null).length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.status === 'below_min_denominator').length).toBeGreaterThan(10);
    const reasons = new Set(internal.map((r) => r.suppression).filter(Boolean));
    expect([...reasons].every((x) => ['primary', 'secondary', 'input'].includes(String(x)))).toBe(true);
    expect(reasons.has('primary') && reasons.has('secondary')).toBe(true);
    expect(internal.some((r) => r.suppression != null && r.note === SUPPRESSION_REASON_TEXT.primary.de)).toBe(true);
    expect(texts.size).toBeGreaterThan(30);
    expect([...texts.keys()].some((k) => k.endsWith('.html'))).toBe(true);
    expect([...texts.keys()].some((k) => k.endsWith('.md'))).toBe(true);
    expect([...texts.keys()].some((k) => k.endsWith('.svg'))).toBe(true);
    expect([...texts.keys()].some((k) => k.startsWith('vergleich/'))).toBe(true);
  });

  it('never names why a cell is masked', () => {
    const forbidden = [
      /\b(primary|secondary)\b/,
      /Sekundärsperrung/,
      /kleine Fallzahl/,
      /gesperrt: in der Quelle/,
      ...Object.values(SUPPRESSION_REASON_TEXT).map((t) => new RegExp(t.de.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))),
    ];
    for (const [name, text] of texts) for (const re of forbidden) expect(re.test(text), `${name}: ${re}`).toBe(false);
  });

  it('a masked row carries "gesperrt", status masked and nothing else derived from it', () => {
    const masked = rows.filter((r) => r.suppression != null);
    const hidden = COLUMNS.filter((c) => c.mask !== 'none' && c.mask !== 'special').map((c) => c.name);
    const bad: string[] = [];
    for (const r of masked) {
      if (r.suppression !== 'gesperrt' || r.status !== 'masked' || r.note !== MASKED_NOTE)
        bad.push(`${r.indicator_id} ${r.area_id} ${r.year}: ${r.status} ${r.note}`);
      for (const c of hidden)
        if ((r as Record<string, unknown>)[c] !== null) bad.push(`${r.indicator_id} ${r.area_id} ${r.year} ${c}`);
    }
    expect(bad).toEqual([]);
    // the true statuses of masked rows differ (e.g. suppressed_input, zero counts): none of them is published
    const trueStatus = new Set(internal.filter((r) => r.suppression != null).map((r) => r.status));
    expect(trueStatus.size).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r.status)).has('suppressed_input')).toBe(false);
  });

  it('publishes a trend only where no year of its window is masked, with or without a value', () => {
    // The window: the last trend_years years, from the latest declared break on. A masked year the
    // fit skipped for want of a value would otherwise show in trend_from / trend_n and tell that
    // masked row's true status apart (source `*`, below the minimum denominator) from one with a value.
    const trendYears = project.config.settings.trend_years;
    const breaks = new Map(project.indicators.map((i) => [i.def.id, i.def.steckbrief.breaks.map((b) => b.year)]));
    const masked = new Set(
      rows
        .filter((r) => r.suppression != null && r.pool_years === 1)
        .map((r) => `${r.indicator_id}|${r.area_id}|${r.year}`),
    );
    const bad: string[] = [];
    let trends = 0;
    for (const r of rows) {
      if (r.pool_years !== 1 || (r.trend_slope === null && r.trend_from === null)) continue;
      trends++;
      const br = (breaks.get(r.indicator_id) ?? []).filter((y) => y <= r.year);
      const from = Math.max(r.year - trendYears + 1, ...br);
      for (let y = from; y <= r.year; y++)
        if (masked.has(`${r.indicator_id}|${r.area_id}|${y}`))
          bad.push(`${r.indicator_id} ${r.area_id} ${r.year}: ${y}`);
    }
    expect(trends).toBeGreaterThan(1000);
    expect(bad).toEqual([]);
  });

  it('publishes counts and intervals only with a published value (Steckbrief: "kein Ausweis als Zahl")', () => {
    const bad: string[] = [];
    for (const r of rows) {
      if (r.value !== null) continue;
      for (const c of ['numerator', 'denominator', 'ci_low', 'ci_high', 'ci_method'] as const)
        if (r[c] !== null) bad.push(`${r.indicator_id} ${r.area_id} ${r.year} ${c}`);
    }
    expect(bad).toEqual([]);
    const below = internal.filter(
      (r) => r.status === 'below_min_denominator' && r.suppression == null && r.denominator != null,
    );
    expect(below.length).toBeGreaterThan(0);
  });

  it('CSV, Parquet, Arrow and JSON hold the same masked rows', async () => {
    const csv = await query(
      `SELECT * FROM read_csv(${lit(path.join(out, 'kennzahlen.csv'))}, delim=';', header=true, all_varchar=true)`,
    );
    const parquet = await query(`SELECT * FROM read_parquet(${lit(path.join(out, 'kennzahlen.parquet'))})`);
    const arrow = tableFromIPC(fs.readFileSync(path.join(out, 'kennzahlen.arrow')))
      .toArray()
      .map((x) => x.toJSON() as Row);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'kennzahlen.json'), 'utf8')) as Row[];
    for (const table of [csv, parquet, arrow, json]) {
      expect(table).toHaveLength(rows.length);
      const m = table.filter((r) => r.suppression != null && r.suppression !== '');
      expect(m.length).toBe(rows.filter((r) => r.suppression != null).length);
      const bad = m.filter(
        (r) =>
          r.status !== 'masked' ||
          ['numerator', 'denominator', 'value', 'ci_low', 'ci_high', 'sig_kreis', 'trend_slope', 'ampel', 'note'].some(
            (c) => (r[c] ?? null) !== null && r[c] !== MASKED_NOTE,
          ),
      );
      expect(bad).toEqual([]);
    }
  });

  it('ziele table: a goal whose start or current value is masked has no number and is nicht beurteilbar', async () => {
    const z = await query(`SELECT * FROM read_parquet(${lit(path.join(out, 'vergleich', 'ziele.parquet'))})`);
    const row = (r: Row, y: unknown) =>
      rows.find(
        (x) => x.indicator_id === r.indicator_id && x.area_id === r.gebiet_id && x.year === y && x.pool_years === 1,
      );
    let masked = 0;
    for (const r of z.filter((x) => x.teil === 'gebiet')) {
      const start = row(r, r.startjahr);
      const cur = row(r, r.jahr_aktuell);
      // every number is the published one
      expect(r.startwert, `${r.ziel_id} ${r.gebiet_id}`).toBe(
        start?.suppression == null ? (start?.value ?? null) : null,
      );
      expect(r.wert_aktuell, `${r.ziel_id} ${r.gebiet_id}`).toBe(
        cur?.suppression == null ? (cur?.value ?? null) : null,
      );
      if (start?.suppression == null && cur?.suppression == null) continue;
      masked++;
      expect(r.bewertung).toBe('nicht_beurteilbar');
      for (const c of ['zielpfad_wert', 'abstand_zielpfad', 'gesichert']) expect(r[c], `${r.ziel_id} ${c}`).toBeNull();
      if (cur?.suppression != null) for (const c of ['wert_aktuell', 'ci_low', 'ci_high']) expect(r[c]).toBeNull();
    }
    expect(masked).toBeGreaterThan(0);
  });

  it('vergleich tables: masked rows without status, numbers, comparisons or rank', async () => {
    const v = await query(`SELECT * FROM read_parquet(${lit(path.join(out, 'vergleich', 'vergleich_alle.parquet'))})`);
    const masked = v.filter((r) => r.suppression != null);
    expect(masked.length).toBeGreaterThan(0);
    for (const r of masked) {
      expect(r.suppression).toBe('gesperrt');
      expect(r.status).toBe('masked');
      for (const [k, x] of Object.entries(r)) {
        if (
          [
            'kommune_ags',
            'kommune',
            'indicator_id',
            'indicator_title',
            'unit',
            'year',
            'status',
            'suppression',
            'base_year',
            'series_break',
            'land_value',
            'kommunen_mit_wert',
            'data_note',
          ].includes(k)
        )
          continue;
        expect(x, `${r.kommune_ags} ${r.indicator_id} ${k}`).toBeNull();
      }
    }
  });

  it('every number in a chart spec is a published value, never one of a masked row', () => {
    const published = new Map<string, Set<number>>();
    for (const r of rows) {
      const key = `${r.indicator_id}|${r.area_id}|${r.year}`;
      const s = published.get(key) ?? new Set<number>();
      for (const c of [
        'value',
        'ci_low',
        'ci_high',
        'numerator',
        'denominator',
        'ref_kreis_value',
        'ref_kommune_value',
      ] as const) {
        const x = r[c];
        if (typeof x === 'number') s.add(x);
      }
      published.set(key, s);
    }
    let checked = 0;
    const bad: string[] = [];
    for (const s of specs) {
      const ind = s.name.split('/')[1] as string;
      const datasets = (JSON.parse(s.json) as { datasets?: Record<string, Row[]> }).datasets ?? {};
      const data = [...Object.values(datasets).flat(), ...findValues(JSON.parse(s.json))];
      for (const d of data) {
        if (typeof d.area_id !== 'string' || typeof d.year !== 'number') continue;
        const allowed = published.get(`${(d.indicator_id as string) ?? ind}|${d.area_id}|${d.year}`);
        for (const c of ['value', 'ci_low', 'ci_high', 'numerator', 'denominator']) {
          const x = d[c];
          if (typeof x !== 'number' || !allowed) continue;
          checked++;
          if (!allowed.has(x)) bad.push(`${s.name} ${d.area_id} ${d.year} ${c}=${x}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it('the manifest holds no raw input line and no reason counts; abgewiesene_zeilen.csv is marked internal', () => {
    const manifest = JSON.parse(texts.get('manifest.json') as string);
    expect(manifest.results.masked_cells).toBeUndefined();
    expect(Object.keys(manifest.results.by_status)).toContain('masked');
    for (const r of manifest.rejected_rows.rows) {
      expect(r.raw).toBeUndefined();
      expect(r.reason).toBeUndefined();
    }
    const rejects = fs.readFileSync(path.join(out, 'abgewiesene_zeilen.csv'), 'utf8');
    expect(rejects.split('\r\n')[0]).toBe(`\uFEFF${REJECTS_PREAMBLE}`);
    expect(rejects.split('\r\n')[1]).toMatch(/;rohzeile$/);
    const lines = rejects.split('\r\n').slice(2).filter(Boolean);
    expect(manifest.rejected_rows.total).toBeGreaterThan(0);
    expect(lines.length).toBe(manifest.rejected_rows.total);
    // the raw line is the last field, quoted when it holds ';': none appears in a published file
    const raws = lines
      .map((l) => /;"((?:[^"]|"")*)"$/.exec(l)?.[1]?.replace(/""/g, '"') ?? (l.split(';').pop() as string))
      .filter((r) => r.length >= 12);
    expect(raws.length).toBeGreaterThan(0);
    for (const [name, text] of texts)
      for (const r of raws) expect(text.includes(r), `${name} holds the raw line ${r}`).toBe(false);
  });

  it('reads back with the documented types: area codes stay text with leading zeros', async () => {
    const schema = JSON.parse(texts.get('kennzahlen.schema.json') as string) as {
      fields: { name: string; type: string }[];
    };
    const duck: Record<string, string> = {
      string: 'VARCHAR',
      integer: 'INTEGER',
      number: 'DOUBLE',
      boolean: 'VARCHAR',
    };
    const types = schema.fields.map((f) => `${lit(f.name)}: ${lit(duck[f.type] as string)}`).join(', ');
    const back = await query(
      `SELECT * FROM read_csv(${lit(path.join(out, 'kennzahlen.csv'))}, delim=';', decimal_separator=',', header=true, types={${types}})`,
    );
    expect(back).toHaveLength(rows.length);
    expect(
      schema.fields
        .filter((f) => (CODE_COLUMNS as readonly string[]).includes(f.name))
        .every((f) => f.type === 'string'),
    ).toBe(true);
    const kreis = back.find((r) => r.level === 'kreis');
    expect(kreis?.area_id).toMatch(/^0\d{4}$/);
    expect(
      back
        .filter((r) => r.level === 'kommune')
        .every((r) => /^0\d{7}$/.test(String(r.area_id)) && r.kommune_ags === r.area_id),
    ).toBe(true);
    const v = back.find((r) => typeof r.value === 'number');
    const same = rows.find(
      (r) =>
        r.indicator_id === v?.indicator_id &&
        r.area_id === v?.area_id &&
        r.year === v?.year &&
        r.pool_years === v?.pool_years,
    );
    expect(v?.value).toBe(same?.value);
  });

  it('Arrow and Parquet carry labels, descriptions and units of the schema', async () => {
    const arrow = tableFromIPC(fs.readFileSync(path.join(out, 'kennzahlen.arrow')));
    const f = arrow.schema.fields.find((x) => x.name === 'value');
    expect(f?.metadata.get('unit')).toBe('indicator');
    expect(f?.metadata.get('label')).toBe('Wert');
    expect(arrow.schema.metadata.get('data_note')).toBe('synthetische Beispieldaten');
    const kv = await query(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${lit(path.join(out, 'kennzahlen.parquet'))})`,
    );
    const cols = JSON.parse(String(kv.find((r) => r.k === 'spm:columns')?.v)) as { name: string; unit?: string }[];
    expect(cols.map((c) => c.name)).toEqual(COLUMNS.map((c) => c.name));
    expect(cols.find((c) => c.name === 'numerator')?.unit).toBe('count');
  });
});

/** Objects with `values` arrays inline in a spec (layers with their own data). */
function findValues(x: unknown): Row[] {
  if (!x || typeof x !== 'object') return [];
  if (Array.isArray(x)) return x.flatMap(findValues);
  const o = x as Record<string, unknown>;
  const own = Array.isArray(o.values) && o.values.every((v) => v && typeof v === 'object') ? (o.values as Row[]) : [];
  return [
    ...own,
    ...Object.entries(o)
      .filter(([k]) => k !== 'values' && k !== 'datasets')
      .flatMap(([, v]) => findValues(v)),
  ];
}
