/** CLI wiring only: argv -> library call + options (the library is mocked). */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const computeRun = vi.fn();
const validateRun = vi.fn();
const reportRun = vi.fn();
const chartsRun = vi.fn();
// the CLI loads each command's runner when the command runs (cli/program.ts): those modules are mocked
vi.mock('../../src/run/compute-run.js', async (orig) => ({
  ...(await orig<typeof import('../../src/run/compute-run.js')>()),
  computeRun,
}));
vi.mock('../../src/run/validate-run.js', async (orig) => ({
  ...(await orig<typeof import('../../src/run/validate-run.js')>()),
  validateRun,
}));
vi.mock('../../src/run/report-run.js', async (orig) => ({
  ...(await orig<typeof import('../../src/run/report-run.js')>()),
  reportRun,
}));
vi.mock('../../src/run/charts-cli-run.js', async (orig) => ({
  ...(await orig<typeof import('../../src/run/charts-cli-run.js')>()),
  chartsRun,
}));

const { buildProgram } = await import('../../cli/program.js');

async function run(argv: string[]): Promise<{ out: string[]; err: string[]; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const res = { out, err, code: 0 };
  const program = buildProgram(
    { out: (s) => out.push(s), err: (s) => err.push(s), setExitCode: (c) => (res.code = c) },
    '0.0.0',
  );
  await program.parseAsync(argv, { from: 'user' });
  return res;
}

const fakeResult = {
  project: 'P',
  synthetic: true,
  outDir: '/o',
  outputs: [],
  sources: [],
  rejected: 0,
  totalsRows: 0,
  issues: [],
  results: {
    indicators: 1,
    rows: 2,
    masks: { primary: 0, secondary: 0, input: 0 },
    byStatus: {
      ok: 2,
      estimated: 0,
      implausible: 0,
      below_min_denominator: 0,
      zero_denominator: 0,
      suppressed_input: 0,
      missing_input: 0,
      rejected_input: 0,
      incomplete_input: 0,
    },
  },
  timings_ms: { config: 1, ingest: 1, compile: 1, compute: 1, export: 1, total: 5 },
};

beforeEach(() => {
  computeRun.mockReset().mockResolvedValue(fakeResult);
  validateRun.mockReset().mockResolvedValue({
    project: 'P',
    ok: false,
    indicators: 0,
    sources: [],
    rejects: [],
    rejectGroups: [],
    issues: [],
  });
});

describe('spm CLI wiring', () => {
  it('compute passes dir, --out, --db, --indicator and --threads', async () => {
    const r = await run([
      'compute',
      'proj',
      '--out',
      'o',
      '--db',
      'x.duckdb',
      '--indicator',
      'a',
      'b',
      '--threads',
      '1',
      '--quiet',
    ]);
    expect(computeRun).toHaveBeenCalledWith(
      'proj',
      expect.objectContaining({
        out: 'o',
        db: 'x.duckdb',
        indicators: ['a', 'b'],
        threads: 1,
        formats: ['csv', 'parquet'],
        charts: ['vl.json', 'svg'],
      }),
    );
    expect(r.out).toEqual([]);
  });

  it('compute --no-charts and --format', async () => {
    await run(['compute', 'p', '--no-charts', '--format', 'arrow,json', '--quiet']);
    expect(computeRun).toHaveBeenCalledWith('p', expect.objectContaining({ formats: ['arrow', 'json'], charts: [] }));
    expect(computeRun.mock.lastCall?.[1]).not.toHaveProperty('cache');
    await run(['compute', 'p', '--no-cache', '--quiet']);
    expect(computeRun).toHaveBeenLastCalledWith('p', expect.objectContaining({ cache: false }));
  });

  it('export passes the formats and renders no charts', async () => {
    await run(['export', 'p', '--format', 'arrow', '--quiet']);
    expect(computeRun).toHaveBeenCalledWith('p', expect.objectContaining({ formats: ['arrow'], charts: [] }));
  });

  it('compute --json prints the library result as JSON', async () => {
    const r = await run(['compute', '--json']);
    expect(computeRun).toHaveBeenCalledWith('.', expect.any(Object));
    expect(JSON.parse(r.out.join('\n'))).toMatchObject({ project: 'P', results: { rows: 2 } });
  });

  it('validate sets exit code 1 when the project has errors', async () => {
    const r = await run(['validate', 'proj']);
    expect(validateRun).toHaveBeenCalledWith('proj', {});
    expect(r.code).toBe(1);
  });

  it('report passes --out, --pdf and --kommune', async () => {
    reportRun.mockResolvedValue({ dir: '/r/p', index: '/r/p/index.html', files: 3, warnings: ['Chromium fehlt'] });
    const r = await run(['report', 'p', '--out', 'r', '--pdf', '--kommune', '05558012']);
    expect(reportRun).toHaveBeenCalledWith('p', {
      out: 'r',
      pdf: true,
      kommunen: ['05558012'],
      onProgress: expect.any(Function),
    });
    await run(['report', 'p', '--png']);
    expect(reportRun).toHaveBeenLastCalledWith('p', { png: true, onProgress: expect.any(Function) });
    await run(['report', 'p', '--no-cache']);
    expect(reportRun).toHaveBeenLastCalledWith('p', { cache: false, onProgress: expect.any(Function) });
    expect(r.out).toEqual(['Bericht: /r/p/index.html (3 Dateien)']);
    expect(r.err).toEqual(['Hinweis: Chromium fehlt']);
  });
  it('report --verbose prints wall and CPU time per stage', async () => {
    reportRun.mockResolvedValue({
      dir: '/r/p',
      index: '/r/p/index.html',
      files: 3,
      warnings: [],
      timings: [
        { stage: 'Kennzahlen berechnen und sperren', wallMs: 4200, cpuMs: 3100 },
        { stage: 'Diagrammdateien (585, 585 übernommen)', wallMs: 900, cpuMs: 800 },
      ],
      charts: { rendered: 0, reused: 585 },
    });
    const r = await run(['report', 'p', '--verbose']);
    expect(r.err.join('\n')).toMatch(/Kennzahlen berechnen und sperren\s+4,2 s Wand\s+3,1 s CPU/);
    expect(r.err.join('\n')).toMatch(/gesamt\s+5,1 s Wand\s+3,9 s CPU/);
    const quiet = await run(['report', 'p']);
    expect(quiet.err.join('\n')).not.toContain('Wand');
  });

  it('compute --verbose prints wall and CPU time per step, Node start and modules first', async () => {
    computeRun.mockResolvedValue({
      ...fakeResult,
      stages: [
        { stage: 'Konfiguration', wallMs: 40, cpuMs: 30 },
        { stage: 'Trends', wallMs: 250, cpuMs: 240 },
      ],
    });
    const r = await run(['--verbose', 'compute', 'p', '--quiet']);
    const text = r.err.join('\n');
    expect(r.err[0]).toMatch(/^Start und Module\s+\d+,\d\d s Wand\s+\d+,\d\d s CPU$/);
    expect(text).toMatch(/Konfiguration\s+0,04 s Wand\s+0,03 s CPU/);
    expect(text).toMatch(/Trends\s+0,25 s Wand\s+0,24 s CPU/);
    expect(r.err.at(-1)).toMatch(/^gesamt\s/);
    const quiet = await run(['compute', 'p', '--quiet']);
    expect(quiet.err.join('\n')).not.toContain('Wand');
  });

  it('charts passes --kommune, --indicator and --format', async () => {
    chartsRun.mockResolvedValue({ outDir: '/o', jobs: 2, files: 4, errors: [] });
    await run(['charts', 'p', '--kommune', '05558012', '--indicator', 'hze_eckwert', '--format', 'svg,png', '--quiet']);
    expect(chartsRun).toHaveBeenCalledWith(
      'p',
      expect.objectContaining({ kommune: '05558012', indicator: 'hze_eckwert', formats: ['svg', 'png'] }),
    );
  });

  it('refuses an unknown format', async () => {
    await expect(run(['compute', '--format', 'xlsx'])).rejects.toThrow(/unbekannt xlsx/);
  });

  it('refuses a memory limit DuckDB cannot read, or one too small to run, before anything runs', async () => {
    await expect(run(['compute', '--memory-limit', 'foo'])).rejects.toThrow(/keine Speichergröße/);
    await expect(run(['compute', '--memory-limit', '2XB'])).rejects.toThrow(/keine Speichergröße/);
    // DuckDB itself takes -1GB as "no limit"
    await expect(run(['compute', '--memory-limit', '-1GB'])).rejects.toThrow(/keine Speichergröße/);
    await expect(run(['compute', '--memory-limit', '10MB'])).rejects.toThrow(/zu klein/);
    expect(computeRun).not.toHaveBeenCalled();
    for (const ok of ['2GB', '512 MiB', '1.5GB', '3gib']) {
      await run(['compute', '--memory-limit', ok, '--quiet']);
      expect(computeRun).toHaveBeenLastCalledWith('.', expect.objectContaining({ memoryLimit: ok }));
    }
  });

  it('schema prints JSON Schema', async () => {
    const r = await run(['schema', '--kind', 'indicator']);
    expect(JSON.parse(r.out.join('\n')).title).toBe('spm-Indikatordatei');
  });

  it('schema --kind goals prints the JSON Schema of ziele.yaml', async () => {
    const r = await run(['schema', '--kind', 'goals']);
    const schema = JSON.parse(r.out.join('\n'));
    expect(schema.title).toBe('spm-Zieldatei (ziele.yaml)');
    expect(JSON.stringify(schema)).toContain('meilensteine');
  });
});

describe('spm help and argument errors in German', () => {
  async function capture(argv: string[]): Promise<{ out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const program = buildProgram({ out: (s) => out.push(s), err: (s) => err.push(s), setExitCode: () => {} }, '0.0.0');
    try {
      await program.parseAsync(argv, { from: 'user' });
    } catch {
      // exitOverride: help and argument errors end as a CommanderError
    }
    return { out: out.join('\n'), err: err.join('\n') };
  }

  it('spm --help lists the commands with examples, no English left', async () => {
    const { out } = await capture(['--help']);
    expect(out).toContain('Aufruf: spm [optionen] [befehl]');
    expect(out).toContain('Befehle:');
    expect(out).toContain('Beispiele:');
    expect(out).toContain('spm init mein-kreis');
    expect(out).toContain('help [befehl]');
    expect(out).not.toMatch(/display help|output the version|Usage:|Options:|Commands:/);
    const sub = await capture(['compute', '--help']);
    expect(sub.out.replace(/\s+/g, ' ')).toContain('(Vorgabe: "csv,parquet")');
    expect(sub.out).toContain('Hilfe zu diesem Befehl anzeigen');
    expect(sub.out).not.toMatch(/default:|display help/);
  });

  it('unknown options and missing arguments are reported in German', async () => {
    expect((await capture(['compute', '--bogus'])).err).toContain("Fehler: unbekannte Option '--bogus'");
    expect((await capture(['explain'])).err).toContain("Fehler: Argument 'indicator' fehlt");
  });
});

describe('spm compute end line', () => {
  it('names the per-Kommune files once with their count, every other file by name', async () => {
    const { outputList } = await import('../../cli/print.js');
    const perKommune = Array.from({ length: 396 }, (_, i) => `vergleich/vergleich_05${String(i).padStart(6, '0')}.csv`);
    expect(outputList(['kennzahlen.csv', 'vergleich/vergleich_alle.csv', ...perKommune, 'manifest.json'])).toBe(
      'kennzahlen.csv, vergleich/vergleich_alle.csv, vergleich/vergleich_<AGS>.csv (396 Dateien), manifest.json',
    );
    // up to three files of a kind (the own-Kreis test's three Kommunen) are named one by one
    const three = [
      'vergleich/vergleich_06999001.csv',
      'vergleich/vergleich_06999002.csv',
      'vergleich/vergleich_06999003.csv',
    ];
    expect(outputList(three)).toBe(three.join(', '));
  });
});
