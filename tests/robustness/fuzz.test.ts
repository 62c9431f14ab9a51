/**
 * Fuzzing (fast-check, fixed seed, bounded runs; more with SPM_FUZZ_RUNS=n):
 *
 * - CSV reader: random bytes, encodings, delimiters, quotes, symbols and random
 *   read options -> every file is loaded or rejected with a message (UserError or
 *   issues/rejects), never another exception or a hang; rows read = loaded +
 *   rejected; the JS path and the DuckDB fast path agree.
 * - YAML loader: random YAML-ish text and random mutations of the sample spm.yaml
 *   and of indicator files -> a project or a UserError with issues, nothing else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import { ProjectFileSchema } from '../../src/config/schema.js';
import { ingestProject } from '../../src/ingest/index.js';
import { UserError } from '../../src/util/issues.js';
import { areaCsv, QUOTE_INDICATOR, repoRoot } from './harness.js';

const SEED = 20251124;
const RUNS = Number(process.env.SPM_FUZZ_RUNS ?? 0) || 0;
const csvRuns = RUNS || 200;
const yamlRuns = RUNS || 300;
/** Per case: loading a few KB must never take this long (a hang). */
const CASE_TIMEOUT_MS = 15_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Zeitüberschreitung (${CASE_TIMEOUT_MS} ms): ${what}`)),
        CASE_TIMEOUT_MS,
      );
    }),
  ]);
}

// ------------------------------------------------------------------ CSV

const AREAS = [
  '05558012-01',
  '05558012-02',
  '05558016-03',
  '5558012-01',
  'Insgesamt',
  '05558099-01',
  '',
  ' 05558004-02 ',
  '05558012',
];
const PERIODS = ['2023', '2022', '2023/24', '31.12.2023', '2023-12-31', '', 'x', '1899', '2023/25'];
const CELLS = [
  '0',
  '1',
  '41',
  '1.830',
  '1,5',
  '-',
  '.',
  '...',
  '/',
  'x',
  '()',
  '*',
  '12p',
  '7 r',
  '-4',
  '1e5',
  '',
  ' 3 ',
  '"4"',
  '999999999999999999',
  '\u00a0',
  'ja',
  'nein',
  '\u0000',
  '"',
  '""',
];

const cellArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CELLS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

const csvTextArb = fc
  .record({
    delim: fc.constantFrom(';', ',', '\t', '|'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    title: fc.boolean(),
    footer: fc.boolean(),
    headerCase: fc.constantFrom('exact', 'upper', 'missing'),
    rows: fc.array(
      fc.record({
        area: fc.constantFrom(...AREAS),
        period: fc.constantFrom(...PERIODS),
        a: cellArb,
        b: cellArb,
        extra: fc.option(cellArb, { freq: 5 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map((r) => {
    const header =
      r.headerCase === 'missing'
        ? ['sozialraum_id', 'jahr', 'zaehler']
        : ['sozialraum_id', 'jahr', 'zaehler', 'nenner'];
    const h = r.headerCase === 'upper' ? header.map((x) => x.toUpperCase()) : header;
    const lines: string[] = [];
    if (r.title) lines.push('Statistik der Testdaten');
    lines.push(h.join(r.delim));
    for (const row of r.rows)
      lines.push([row.area, row.period, row.a, row.b, ...(row.extra === null ? [] : [row.extra])].join(r.delim));
    if (r.footer) lines.push('Quelle: Test');
    return lines.join(r.eol) + (r.rows.length % 2 === 0 ? r.eol : '');
  });

const encodeArb = fc.constantFrom('utf8', 'utf8bom', 'latin1', 'utf16le', 'utf16lebom', 'utf16be');
function encode(text: string, enc: string): Buffer {
  switch (enc) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8bom':
      return Buffer.from('\ufeff' + text, 'utf8');
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16lebom':
      return Buffer.from('\ufeff' + text, 'utf16le');
    default: {
      const le = Buffer.from(text, 'utf16le');
      return Buffer.from(le.map((_, i) => le[i ^ 1] ?? 0));
    }
  }
}

/** Bytes of a CSV file: structured text in some encoding, random bytes, or a mutation of either. */
const fileArb = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(csvTextArb, encodeArb).map(([t, e]) => encode(t, e)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(csvTextArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }))
      .map(([t, muts]) => {
        const b = Buffer.from(t, 'utf8');
        for (const [pos, byte] of muts) if (b.length > 0) b[pos % b.length] = byte;
        return b;
      }),
  },
);

const symbolArb = fc.array(fc.constantFrom('-', '.', '...', '/', 'x', '()', '*', '', '0', 'k.A.', '<3', ' '), {
  maxLength: 4,
});
const readArb = fc.record(
  {
    encoding: fc.constantFrom('auto', 'utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be'),
    delimiter: fc.constantFrom('auto', ';', ',', '\t', '|'),
    decimal: fc.constantFrom('auto', 'comma', 'point'),
    thousands: fc.constantFrom('auto', '.', ',', ' ', 'none'),
    quote: fc.constantFrom('"', "'", ';', '|', 'x', '\t'),
    skip_top: fc.oneof(fc.constant('auto'), fc.integer({ min: 0, max: 4 })),
    skip_bottom: fc.oneof(fc.constant('auto'), fc.integer({ min: 0, max: 3 })),
    symbols: fc.record({ zero: symbolArb, missing: symbolArb, suppressed: symbolArb }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const sourceArb = fc.record({
  kind: fc.constantFrom('aggregated', 'microdata'),
  periodKind: fc.constantFrom('kalenderjahr', 'schuljahr'),
  typeA: fc.constantFrom('count', 'number', 'integer', 'text', 'boolean'),
  typeB: fc.constantFrom('count', 'number', 'integer'),
});

describe('fuzz: CSV reader and row validation', () => {
  let inst: DuckDBInstance;
  let conn: DuckDBConnection;
  let root: string;
  beforeAll(async () => {
    inst = await DuckDBInstance.create(':memory:');
    conn = await inst.connect();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-fuzz-csv-'));
    fs.writeFileSync(path.join(root, 'gebiete.csv'), areaCsv());
    fs.mkdirSync(path.join(root, 'daten'));
  });
  afterAll(() => {
    conn.closeSync();
    inst.closeSync();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`every input is loaded or rejected with a message, both load paths agree (${csvRuns} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, readArb, sourceArb, async (bytes, read, src) => {
        fs.writeFileSync(path.join(root, 'daten', 'data.csv'), bytes);
        const parsed = ProjectFileSchema.safeParse({
          name: 'Fuzz',
          kreis: { ags: '05558', name: 'Kreis Coesfeld' },
          areas: { file: 'gebiete.csv' },
          sources: [
            {
              id: 's',
              title: 'Fuzz',
              files: 'daten/data.csv',
              kind: src.kind,
              read,
              area: { column: 'sozialraum_id', level: 'sozialraum' },
              period:
                src.periodKind === 'schuljahr'
                  ? { column: 'jahr', kind: 'schuljahr', schuljahr_rule: 'end_year' }
                  : { column: 'jahr', kind: 'kalenderjahr' },
              columns: {
                zaehler: { header: 'zaehler', type: src.typeA },
                nenner: { header: 'nenner', type: src.typeB },
              },
              stichtag: '31.12.',
              owner: 'Fuzz',
            },
          ],
        });
        if (!parsed.success) return; // the schema refuses the read options (e.g. nothing to test)
        const project = { root, config: parsed.data, indicators: [] };
        const outcomes: string[] = [];
        for (const p of ['js', 'auto'] as const) {
          try {
            const r = await withTimeout(
              ingestProject(conn, project, { tmpDir: path.join(root, '.tmp'), path: p }),
              `path ${p}`,
            );
            const acc = r.sources.get('s')!.accounting;
            for (const f of acc.files) expect(f.rows_read).toBe(f.rows_loaded + f.rows_rejected);
            for (const x of r.rejects) expect(x.reason.length).toBeGreaterThan(0);
            const n = Number((await conn.runAndReadAll('SELECT count(*) FROM src_s')).getColumns()[0]![0]);
            expect(n).toBe(acc.rows_loaded);
            const sum = (
              await conn.runAndReadAll(
                'SELECT coalesce(sum(hash(area_id, year, period, zaehler, nenner, _line)), 0) FROM src_s',
              )
            ).getColumns()[0]![0];
            outcomes.push(
              JSON.stringify({
                acc: [acc.rows_read, acc.rows_loaded, acc.rows_rejected],
                rejects: r.rejects.map((x) => [x.line, x.code, x.column]),
                sum: String(sum),
              }),
            );
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            expect(e.issues.length).toBeGreaterThan(0);
            for (const i of e.issues) expect(i.message.length).toBeGreaterThan(0);
            outcomes.push(JSON.stringify({ error: e.issues.map((i) => [i.code, i.file, i.line]) }));
          }
        }
        expect(outcomes[1], 'fast path = JS path').toBe(outcomes[0]);
      }),
      { seed: SEED, numRuns: csvRuns },
    );
  }, 600_000);
});

// ------------------------------------------------------------------ YAML

const sampleDir = path.join(repoRoot, 'data-samples', 'kreis-coesfeld');
const sampleYaml = fs.readFileSync(path.join(sampleDir, 'spm.yaml'), 'utf8');

const TOKENS = [
  '&a ',
  '*a',
  '<<: *a',
  ': ',
  '- ',
  '\t',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '!!binary ',
  '!!js/function ',
  '~',
  'null',
  '0x1F',
  '05558',
  '---\n',
  '...\n',
  '#',
  '|',
  '>',
  '? ',
  '%YAML 1.1\n',
  '\u0000',
  '\ufeff',
  '\r',
  '🙂',
  'ä',
];

/** A random edit of a YAML text: delete, duplicate, insert a token, replace a scalar, swap lines. */
const mutationArb = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({
    op: fc.constant('scalar' as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.constantFrom(
        '42',
        '-1',
        'true',
        'null',
        '[]',
        '{}',
        '"x"',
        '1e400',
        '.inf',
        '2023-01-01',
        "'05558'",
        'promille',
        'spm:standard',
        '../x',
        '/etc/passwd',
      ),
      fc.string({ maxLength: 10 }),
    ),
  }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, muts: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const m of muts) {
    if (lines.length === 0) break;
    const i = m.at % lines.length;
    const line = lines[i]!;
    switch (m.op) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, line);
        break;
      case 'insert': {
        const pos = line.length === 0 ? 0 : m.at % (line.length + 1);
        lines[i] = line.slice(0, pos) + m.token + line.slice(pos);
        break;
      }
      case 'scalar': {
        const c = line.indexOf(': ');
        if (c >= 0) lines[i] = line.slice(0, c + 2) + m.value;
        break;
      }
      case 'swap': {
        const j = m.with % lines.length;
        [lines[i], lines[j]] = [lines[j]!, line];
        break;
      }
      case 'indent':
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
        break;
    }
  }
  return lines.join('\n');
}

/** loadProject must return a project or throw a UserError with issues (no other exception). */
function expectProjectOrUserError(dir: string): void {
  try {
    const r = loadProject(dir);
    expect(r.project.config.sources.length).toBeGreaterThan(0);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(e.issues.length).toBeGreaterThan(0);
    for (const i of e.issues) {
      expect(i.message.length).toBeGreaterThan(0);
      expect(i.severity === 'error' || i.severity === 'warning').toBe(true);
    }
    expect(e.issues.some((i) => i.severity === 'error')).toBe(true);
  }
}

describe('fuzz: YAML loader', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-fuzz-yaml-'));
    fs.mkdirSync(path.join(dir, 'indicators'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`random YAML-ish text: a project or a UserError (${yamlRuns} runs)`, () => {
    const yamlish = fc
      .array(
        fc.oneof(
          fc.constantFrom(...TOKENS, 'name', 'sources', 'kreis', 'ags', 'x', '1', '\n', '  ', 'areas', 'file'),
          fc.string({ maxLength: 6 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(yamlish, (text) => {
        fs.writeFileSync(path.join(dir, 'spm.yaml'), text);
        expectProjectOrUserError(dir);
      }),
      { seed: SEED, numRuns: yamlRuns },
    );
  }, 600_000);

  it(`mutations of the sample spm.yaml: a project or a UserError (${yamlRuns} runs)`, () => {
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 5 }), (muts) => {
        fs.writeFileSync(path.join(dir, 'spm.yaml'), mutate(sampleYaml, muts));
        expectProjectOrUserError(dir);
      }),
      { seed: SEED, numRuns: yamlRuns },
    );
  }, 600_000);

  it(`mutations of an indicator file: a project or a UserError naming the file (${yamlRuns} runs)`, () => {
    const config = [
      'name: Fuzz',
      'kreis: { ags: "05558", name: Kreis Coesfeld }',
      'areas: { file: gebiete.csv }',
      'sources:',
      '  - { id: s, title: S, files: daten/data.csv, kind: aggregated, area: { column: a, level: sozialraum }, period: { column: j, kind: kalenderjahr }, columns: { zaehler: { header: z }, nenner: { header: n } }, stichtag: "31.12.", owner: T }',
      'indicators: [indicators]',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'spm.yaml'), config);
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 5 }), (muts) => {
        fs.writeFileSync(path.join(dir, 'indicators', 'quote.yaml'), mutate(QUOTE_INDICATOR, muts));
        try {
          loadProject(dir);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          expect(e.issues.some((i) => i.severity === 'error' && i.file === 'indicators/quote.yaml')).toBe(true);
        }
      }),
      { seed: SEED, numRuns: yamlRuns },
    );
  }, 600_000);
});
