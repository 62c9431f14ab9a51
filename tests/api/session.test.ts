/**
 * The public API through src/index.ts: types, the Spm session, Arrow / Parquet /
 * JSON exports read back and compared with the computed rows, the escape hatch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  Spm,
  computeRun,
  defineIndicator,
  loadProject,
  resultsToArrow,
  UserError,
  type ComputeSummary,
  type KennzahlRow,
  type ResultFilter,
  type Indicator,
  type Table,
} from '../../src/index.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
let spm: Spm;
let out: string;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-api-'));
  spm = await Spm.open(sample, { scratchDir: path.join(out, 'tmp') });
  await spm.compute();
}, 120_000);

afterAll(() => {
  spm.close();
  fs.rmSync(out, { recursive: true, force: true });
});

describe('types of the public API', () => {
  it('are what scripts rely on', () => {
    expectTypeOf(Spm.open).returns.resolves.toEqualTypeOf<Spm>();
    expectTypeOf<Spm['compute']>().returns.resolves.toEqualTypeOf<ComputeSummary>();
    expectTypeOf<Spm['results']>().parameter(0).toEqualTypeOf<ResultFilter | undefined>();
    expectTypeOf<Spm['results']>().returns.resolves.toEqualTypeOf<KennzahlRow[]>();
    expectTypeOf<Spm['resultsArrow']>().returns.resolves.toEqualTypeOf<Table>();
    expectTypeOf<Spm['connection']>().toEqualTypeOf<DuckDBConnection>();
    expectTypeOf(defineIndicator).returns.toEqualTypeOf<Indicator>();
    expectTypeOf<KennzahlRow['value']>().toEqualTypeOf<number | null>();
    // levels are the declared hierarchy's names: the Kreis ones are suggested, any other is allowed
    expectTypeOf<'kommune'>().toMatchTypeOf<KennzahlRow['level']>();
    expectTypeOf<'planungsraum'>().toMatchTypeOf<KennzahlRow['level']>();
    // (a level the sample does not have is refused at run time, naming the project's levels)
    void spm?.results({ levels: ['stadtbezirk'] }).catch(() => undefined);
  });
});

describe('Spm session', () => {
  it('filters results by indicator, level, area and year', async () => {
    const rows = await spm.results({
      indicators: ['sgb2_quote_unter_15'],
      levels: ['kommune'],
      years: [2024],
      poolYears: [1],
    });
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((r) => r.level))).toEqual(new Set(['kommune']));
    const one = await spm.results({
      areas: ['05558016'],
      indicators: ['sgb2_quote_unter_15'],
      years: [2024],
      poolYears: [1],
    });
    expect(one).toHaveLength(1);
    expect(one[0]?.area_name).toBe('Dülmen');
  });

  it('gives the same rows as an apache-arrow Table with typed columns', async () => {
    const t = await spm.resultsArrow({ indicators: ['hze_eckwert'] });
    const rows = await spm.results({ indicators: ['hze_eckwert'] });
    expect(t.numRows).toBe(rows.length);
    expect(String(t.schema.fields.find((f) => f.name === 'year')?.type)).toBe('Int32');
    expect(String(t.schema.fields.find((f) => f.name === 'value')?.type)).toBe('Float64');
    expect(t.getChild('value')?.get(0)).toBe(rows[0]?.value);
  });

  it('exposes the DuckDB connection for ad-hoc SQL over the loaded tables', async () => {
    const r = await spm.connection.runAndReadAll('SELECT COUNT(*) AS n FROM src_seu WHERE year = $1', [2024]);
    expect(Number(r.getRowObjectsJS()[0]?.n)).toBeGreaterThan(1500);
  });

  it('exports Arrow IPC, Parquet and JSON that read back to the computed values', async () => {
    const dir = path.join(out, 'export');
    const files = await spm.export(dir, { formats: ['arrow', 'parquet', 'json', 'csv'] });
    const names = files.map((f) => f.file);
    expect(names.slice(0, 4)).toEqual(['kennzahlen.csv', 'kennzahlen.parquet', 'kennzahlen.arrow', 'kennzahlen.json']);
    expect(names).toContain('vergleich/vergleich_05558016.parquet');
    expect(names.slice(-2)).toEqual(['abgewiesene_zeilen.csv', 'manifest.json']);
    const rows = await spm.results();
    const arrow = tableFromIPC(fs.readFileSync(path.join(dir, 'kennzahlen.arrow')));
    expect(arrow.numRows).toBe(rows.length);
    const values = arrow.getChild('value')?.toArray() as Float64Array;
    const i = rows.findIndex((r) => r.value !== null);
    expect(values[i]).toBe(rows[i]?.value);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'kennzahlen.json'), 'utf8')) as KennzahlRow[];
    expect(json[i]).toEqual(JSON.parse(JSON.stringify(rows[i])));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const pq = path.join(dir, 'kennzahlen.parquet').replace(/'/g, "''");
    const types = (
      await conn.runAndReadAll(
        `DESCRIBE SELECT year, pool_years, numerator, value, series_break FROM read_parquet('${pq}')`,
      )
    ).getRowObjectsJS();
    expect(types.map((t) => t.column_type)).toEqual(['INTEGER', 'INTEGER', 'DOUBLE', 'DOUBLE', 'BOOLEAN']);
    const sum = await conn.runAndReadAll(`SELECT SUM(value) AS s FROM read_parquet('${pq}') WHERE value IS NOT NULL`);
    const expected = rows.reduce((s, r) => s + (r.value ?? 0), 0);
    expect(Number(sum.getRowObjectsJS()[0]?.s)).toBeCloseTo(expected, 3);
    conn.closeSync();
    inst.closeSync();
  }, 60_000);

  it('mixes indicators from code with the YAML set and closes cleanly', async () => {
    const custom = defineIndicator({
      id: 'test_anteil_u3',
      title: 'Anteil unter 3',
      description: 'Kinder unter 3 je 100 Einwohner',
      family: 'demografie',
      lebensphase: '0-3',
      unit: 'percent',
      polarity: 'neutral',
      numerator: { source: 'bevoelkerung', measure: 'sum', column: 'bev_unter_3' },
      denominator: { source: 'bevoelkerung', measure: 'sum', column: 'bev_insgesamt' },
      steckbrief: {
        stichtag: '31.12.',
        data_owner: 'EMA',
        numerator_source: 'u3',
        denominator_source: 'alle',
        definition: 'Test',
        suppression: 'keine',
      },
    });
    const scratch = path.join(out, 'tmp2');
    {
      await using s = await Spm.open(sample, { indicators: [custom], scratchDir: scratch });
      expect(s.project.indicators.some((i) => i.def.id === 'test_anteil_u3')).toBe(true);
      await s.compute({ indicators: ['test_anteil_u3', 'anteil_unter_18'] });
      const rows = await s.results({ levels: ['kreis'], years: [2024], poolYears: [1] });
      expect(rows.map((r) => r.indicator_id).sort()).toEqual(['anteil_unter_18', 'test_anteil_u3']);
    }
    expect(fs.existsSync(scratch)).toBe(false); // disposed: scratch removed, DuckDB closed
  }, 60_000);

  it('builds a project from an in-memory config object', async () => {
    const { project } = loadProject(sample);
    await using s = await Spm.open(
      { config: { ...project.config, name: 'Aus dem Speicher' } as never, root: sample },
      { scratchDir: path.join(out, 'tmp3') },
    );
    expect(s.project.config.name).toBe('Aus dem Speicher');
  });

  it('compute({ years }) publishes only those years, with prev/base/trend from the full series', async () => {
    const ind = 'sgb2_quote_unter_15';
    const full = await spm.results({ indicators: [ind], years: [2024] });
    await using s = await Spm.open(sample, { scratchDir: path.join(out, 'tmp4') });
    await s.compute({ indicators: [ind], years: [2024] });
    const cut = await s.results();
    expect(new Set(cut.map((r) => r.year))).toEqual(new Set([2024]));
    expect(cut).toHaveLength(full.length);
    for (const [i, r] of cut.entries()) {
      const f = full[i] as KennzahlRow;
      expect([r.area_id, r.prev_value, r.base_value, r.trend_slope, r.trend_n]).toEqual([
        f.area_id,
        f.prev_value,
        f.base_value,
        f.trend_slope,
        f.trend_n,
      ]);
    }
    expect(cut.some((r) => r.prev_value != null && (r.trend_n ?? 0) >= 5)).toBe(true);
    // spm explain shows the data's years, not an empty list
    const e = await s.explain(ind);
    expect(e.years).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    const grid = e.plan.steps.find((st) => st.id === `cells:${e.indicator.numerator.sourceId}`);
    expect(grid?.kind === 'sql' && JSON.stringify(grid.sql.parameters)).toContain('2024');
  }, 120_000);

  // Übergewicht inkl. Adipositas = ohne + Adipositas: a selection protected on its own masked other
  // cells than the full run, and three runs of one indicator each gave away 81 of the counts each
  // protected (ohne = inkl − Adipositas, all three published somewhere). Now every selection is
  // protected as the whole set and publishes the full run's rows.
  it('compute({ indicators }) publishes the full run rows of those indicators, masks included', async () => {
    for (const ind of ['seu_adipositas', 'seu_uebergewicht_ohne_adipositas']) {
      const full = await spm.results({ indicators: [ind] });
      await using s = await Spm.open(sample, { scratchDir: path.join(out, `tmp-${ind}`) });
      const summary = await s.compute({ indicators: [ind] });
      expect([summary.indicators, summary.protectedIndicators]).toEqual([1, s.project.indicators.length]);
      const cut = await s.results();
      expect(cut.filter((r) => r.suppression !== null).length).toBeGreaterThan(100);
      expect(cut).toEqual(full);
    }
  }, 120_000);

  it('export() takes a filter and writes vergleich/ only in the formats asked for', async () => {
    const dir = path.join(out, 'export-filter');
    const filter: ResultFilter = { levels: ['kommune'], years: [2024], poolYears: [1] };
    const files = (await spm.export(dir, { formats: ['arrow', 'parquet'], filter })).map((f) => f.file);
    expect(files.filter((f) => f.endsWith('.csv'))).toEqual(['abgewiesene_zeilen.csv']);
    expect(files).toContain('vergleich/vergleich_alle.parquet');
    const arrow = tableFromIPC(fs.readFileSync(path.join(dir, 'kennzahlen.arrow')));
    expect(arrow.numRows).toBe((await spm.results(filter)).length);
    expect(new Set(arrow.getChild('level')?.toArray())).toEqual(new Set(['kommune']));
    const arrowOnly = (await spm.export(path.join(out, 'export-arrow'), { formats: ['arrow'] })).map((f) => f.file);
    expect(arrowOnly.some((f) => f.startsWith('vergleich/'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'export-arrow', 'vergleich'))).toBe(false);
  }, 120_000);

  it('defineIndicator refuses a bad definition with a German user error, not a raw ZodError', () => {
    let err: unknown;
    try {
      defineIndicator({
        id: 'kaputt',
        title: 'x',
        description: 'x',
        family: 'demografie',
        lebensphase: '0-3',
        unit: 'prozent' as never,
        polarity: 'neutral',
        numerator: { source: 'a', measure: 'count' },
        denominator: { source: 'a', measure: 'count' },
        steckbrief: {
          stichtag: 'x',
          data_owner: 'x',
          numerator_source: 'x',
          denominator_source: 'x',
          definition: 'x',
          suppression: 'x',
        },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^Fehler: defineIndicator\(kaputt\), unit: Ungültige Option/);
  });

  it('resultsToArrow and computeRun are exported', () => {
    expect(typeof resultsToArrow).toBe('function');
    expect(typeof computeRun).toBe('function');
  });
});

/** The UserError a call throws (fails the test when it throws nothing or something else). */
async function userError(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).message;
  }
  throw new Error('no error thrown');
}

describe('a script that uses the library carelessly', () => {
  it('keeps the folder named as scratchDir and everything in it; only the folder spm made inside goes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-scratch-'));
    fs.writeFileSync(path.join(dir, 'bericht.docx'), 'mein Bericht');
    const a = await Spm.open(sample, { scratchDir: dir });
    // a second session of the same process gets its own scratch folder, so closing it spares the first's
    const b = await Spm.open(sample, { scratchDir: dir });
    const own = fs.readdirSync(dir).filter((f) => f.startsWith('.spm-tmp-'));
    expect(own).toHaveLength(2);
    b.close();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.spm-tmp-'))).toHaveLength(1);
    a.close();
    expect(fs.readdirSync(dir)).toEqual(['bericht.docx']);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses unsafe export folders and wrong arguments with German user errors', async () => {
    expect(await userError(() => spm.export(sample))).toContain('ist der Projektordner');
    expect(await userError(() => spm.export('/'))).toContain('ist das Wurzelverzeichnis');
    expect(await userError(() => spm.export(path.join(sample, 'rohdaten')))).toContain('Eingabedateien');
    expect(await userError(() => spm.export(''))).toContain('kein Ausgabeordner');
    const file = path.join(out, 'eine-datei.txt');
    fs.writeFileSync(file, 'x');
    expect(await userError(() => spm.export(file))).toContain('ist eine Datei, kein Ordner');
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
    expect(await userError(() => spm.results({ levels: ['Kommune'] }))).toContain(
      'unbekannte Ebene „Kommune“ (Ebenen des Projekts: kreis, kommune, sozialraum',
    );
    expect(await userError(() => spm.results({ years: [Number.NaN] }))).toContain('vierstelliger Jahreszahlen');
    expect(await userError(() => spm.results({ indicators: 'x' as never }))).toContain('eine Liste von Texten');
    expect(await userError(() => spm.compute({ indicators: [] }))).toContain('leere Liste');
    expect(await userError(() => spm.compute({ years: ['2024'] as never }))).toContain('vierstelliger Jahreszahlen');
    expect(await userError(() => Spm.open(sample, { threads: 0 }))).toContain('threads muss eine ganze Zahl ab 1');
    // an indicator from code is named by its id in messages
    const twice = { ...spm.project.indicators[0]!.def };
    expect(await userError(() => Spm.open(sample, { indicators: [twice] }))).toContain(
      `(Code: Indikator "${twice.id}", Nr. 1)`,
    );
    expect(await userError(() => Spm.open(null as never))).toContain(
      'erwartet einen Projektordner (Text) oder { config, root }',
    );
    expect(await userError(() => Spm.open({ root: sample } as never))).toContain('angegeben: {"root":');
    // a whole config passed wrongly is cut, not printed in full
    const long = await userError(() => Spm.open({ config: spm.project.config } as never));
    expect(long).toContain('…');
    expect(long.length).toBeLessThan(400);
  });

  it('refuses a second export into a folder an export of the process is writing into', async () => {
    const dir = path.join(out, 'zweimal');
    const [a, b] = await Promise.allSettled([
      spm.export(dir, { formats: ['csv'] }),
      spm.export(dir, { formats: ['csv'] }),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect(((b as PromiseRejectedResult).reason as UserError).message).toContain('bitte nacheinander exportieren');
    // the folder is the first export's: its manifest names the CSV's hash
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      outputs: { file: string; sha256: string }[];
    };
    const csv = manifest.outputs.find((o) => o.file === 'kennzahlen.csv')!;
    const { createHash } = await import('node:crypto');
    expect(
      createHash('sha256')
        .update(fs.readFileSync(path.join(dir, 'kennzahlen.csv')))
        .digest('hex'),
    ).toBe(csv.sha256);
    // one after the other is fine
    await spm.export(dir, { formats: ['csv'] });
  }, 120_000);

  it('says in German that compute() comes first, and that a closed project is closed', async () => {
    const s = await Spm.open(sample, { scratchDir: path.join(out, 'tmp-order') });
    expect(await userError(() => s.results())).toContain('bitte zuerst compute()');
    s.close();
    expect(await userError(() => s.compute())).toContain('schon geschlossen');
  }, 60_000);
});
