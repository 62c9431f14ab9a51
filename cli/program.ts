/**
 * The `spm` command: argument handling and printing only; all work is done by
 * the library (src/index.ts).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXPORT_FORMATS } from '../src/export/formats.js';
import { CHART_FORMATS } from '../src/run/chart-formats.js';
import type { computeRun } from '../src/index.js';
import { Stopwatch, formatTimings } from '../src/util/stopwatch.js';
import { UserError } from '../src/util/issues.js';
import { checkMemoryLimit } from '../src/util/memory-limit.js';
import { printCompute, printIssues, printValidate } from './print.js';
import { printIndicators } from './print-indicators.js';
import { EXAMPLES, germanError, germanHelp } from './help-de.js';
import { askShape, askUser } from './init-questions.js';
import { progressMode, progressReporter, withProgress } from './progress.js';
import { watchCompute } from './watch.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  setExitCode: (code: number) => void;
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x), 2);

export function buildProgram(io: Io, version: string): Command {
  const program = germanHelp(new Command('spm'))
    .description('Sozialräumliches Präventionsmonitoring: CSV-Extrakte -> geprüftes Kennzahlenset')
    .version(version, '-V, --version', 'Versionsnummer anzeigen')
    .option('--verbose', 'bei internen Fehlern den Stacktrace zeigen; spm compute/report: Zeit je Arbeitsschritt')
    .showHelpAfterError('(spm --help zeigt alle Befehle)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(germanError(s.trimEnd())) })
    .addHelpText('after', EXAMPLES)
    .exitOverride();

  program
    .command('compute')
    .description('Kennzahlen für alle Gebiete und Jahre berechnen und ausgeben')
    .argument('[dir]', 'Projektordner mit spm.yaml', '.')
    .option('--out <dir>', 'Ausgabeordner (Vorgabe: output aus spm.yaml)')
    .option('--db <file>', 'DuckDB-Datenbank in dieser Datei behalten (sonst im Arbeitsspeicher)')
    .option('--indicator <ids...>', 'nur diese Indikatoren ausgeben (gerechnet und geschützt werden alle)')
    .addOption(new Option('--threads <n>', 'DuckDB-Threads').argParser((v) => parsePositiveInt(v, '--threads')))
    .option(
      '--unmasked-internal',
      'zusätzlich UNMASKIERTE Werte nach <out>/intern/ schreiben (nur für den internen Gebrauch)',
    )
    .addOption(
      new Option('--format <list>', 'Tabellenformate: csv,parquet,arrow,json')
        .default('csv,parquet')
        .argParser((v) => parseList(v, EXPORT_FORMATS)),
    )
    .addOption(
      new Option('--chart-format <list>', 'Diagrammformate: vl.json,svg,png')
        .default('vl.json,svg')
        .argParser((v) => parseList(v, CHART_FORMATS)),
    )
    .option(
      '--no-charts',
      'keine Diagramme erzeugen (sonst werden nur Diagramme neu gezeichnet, deren Daten sich geändert haben)',
    )
    .addOption(
      new Option(
        '--memory-limit <size>',
        'Speichergrenze für DuckDB, z. B. 2GB (Vorgabe: 1 GiB; darüber wird in den Arbeitsordner ausgelagert)',
      ).argParser(parseMemoryLimit),
    )
    .option(
      '--no-cache',
      'Zwischenergebnisse früherer Läufe (<projekt>/.spm/cache/) nicht verwenden und nicht speichern',
    )
    .option(
      '--replace-unpublished',
      'die bisherige Ausgabe im Ausgabeordner (und frühere Ausgaben anderswo im Projektordner) wurden nie veröffentlicht: auch durch einen Lauf mit einem neuen Jahr ersetzen (sonst hält spm dann an, bis sie als frühere Veröffentlichungen genannt sind)',
    )
    .option('--json', 'maschinenlesbare Zusammenfassung auf stdout')
    .option('--quiet', 'nur Fehler ausgeben')
    .option(
      '--watch',
      'nach dem Lauf weiter beobachten: jede gespeicherte Änderung im Projektordner rechnet neu (im selben Prozess, schneller als ein neuer Aufruf; Strg+C beendet)',
    )
    .action(
      async (
        dir: string,
        opts: {
          out?: string;
          db?: string;
          cache: boolean;
          watch?: boolean;
          indicator?: string[];
          threads?: number;
          unmaskedInternal?: boolean;
          format: string[] | string;
          chartFormat: string[] | string;
          charts: boolean;
          memoryLimit?: string;
          json?: boolean;
          quiet?: boolean;
          replaceUnpublished?: boolean;
        },
        cmd: Command,
      ) => {
        if (opts.watch && opts.json)
          throw new UserError({
            severity: 'error',
            code: 'cli.watch_json',
            message:
              '--watch und --json zusammen: --watch schreibt nach jedem Durchgang eine Zusammenfassung für Menschen; für Skripte spm compute --json je Lauf aufrufen',
          });
        const verbose = cmd.optsWithGlobals().verbose === true;
        // Node's start and the modules loaded so far count as the first stage of `--verbose`
        const startup = Stopwatch.fromProcessStart();
        const { computeRun } = await import('../src/run/compute-run.js');
        startup.lap('Start und Module');
        let first = true;
        const once = async (): Promise<Awaited<ReturnType<typeof computeRun>>> => {
          const progress = progressReporter(progressMode(opts));
          try {
            const r = await computeRun(dir, {
              ...(opts.out ? { out: opts.out } : {}),
              ...(opts.db ? { db: opts.db } : {}),
              ...(opts.indicator ? { indicators: opts.indicator } : {}),
              ...(opts.threads ? { threads: opts.threads } : {}),
              ...(opts.unmaskedInternal ? { unmaskedInternal: true } : {}),
              ...(opts.memoryLimit ? { memoryLimit: opts.memoryLimit } : {}),
              formats: asList(opts.format, EXPORT_FORMATS),
              charts: opts.charts ? asList(opts.chartFormat, CHART_FORMATS) : [],
              ...(opts.cache ? {} : { cache: false }),
              ...(opts.replaceUnpublished ? { replaceUnpublished: true } : {}),
              onProgress: progress.onProgress,
            });
            progress.done();
            if (opts.json) io.out(json(r));
            else if (!opts.quiet) printCompute(r, io.out);
            if (verbose && !opts.json)
              for (const line of formatTimings([...(first ? startup.stages : []), ...r.stages], 2)) io.err(line);
            return r;
          } finally {
            first = false;
            progress.done();
          }
        };
        if (!opts.watch) {
          await once();
          return;
        }
        await watchCompute(dir, opts, once, io, verbose);
      },
    );

  program
    .command('charts')
    .description('Diagramme (Vega-Lite, SVG, PNG mit 300 dpi) für Vorlagen erzeugen')
    .argument('[dir]', 'Projektordner mit spm.yaml', '.')
    .option('--out <dir>', 'Ausgabeordner (Vorgabe: output aus spm.yaml); Diagramme in <out>/charts/')
    .option(
      '--kommune <ags>',
      'nur Diagramme dieser Kommune (und die kreisweiten); Schlüssel oder Name, z. B. 05558004 oder Ascheberg',
    )
    .option('--indicator <id>', 'nur diesen Indikator')
    .addOption(
      new Option('--format <list>', 'vl.json,svg,png')
        .default('vl.json,svg,png')
        .argParser((v) => parseList(v, CHART_FORMATS)),
    )
    .option('--no-cache', 'Zwischenergebnisse früherer Läufe (<projekt>/.spm/cache/) nicht verwenden')
    .option(
      '--replace-unpublished',
      'die Ausgabe im Ausgabeordner (und frühere Ausgaben anderswo im Projektordner) wurden nie veröffentlicht: Diagramme mit einem neuen Jahr auch ohne sie als frühere Veröffentlichungen zeichnen',
    )
    .option('--json', 'maschinenlesbare Zusammenfassung')
    .option('--quiet', 'nur Fehler ausgeben')
    .action(
      async (
        dir: string,
        opts: {
          out?: string;
          kommune?: string;
          indicator?: string;
          cache: boolean;
          format: string[] | string;
          json?: boolean;
          quiet?: boolean;
          replaceUnpublished?: boolean;
        },
      ) => {
        const r = await withProgress(opts, async (onProgress) => {
          const { chartsRun } = await import('../src/run/charts-cli-run.js');
          return chartsRun(dir, {
            ...(opts.out ? { out: opts.out } : {}),
            ...(opts.kommune ? { kommune: opts.kommune } : {}),
            ...(opts.indicator ? { indicator: opts.indicator } : {}),
            formats: asList(opts.format, CHART_FORMATS),
            ...(opts.cache ? {} : { cache: false }),
            ...(opts.replaceUnpublished ? { replaceUnpublished: true } : {}),
            onProgress,
          });
        });
        if (opts.json) io.out(json(r));
        else if (!opts.quiet) {
          printIssues(r.issues, io.err);
          io.out(
            `${r.files} Diagrammdateien (${r.jobs} Diagramme) in ${r.outDir}${r.errors.length ? `; ${r.errors.length} Fehler` : ''}`,
          );
        }
        for (const e of r.errors) io.err(`Fehler beim Zeichnen von ${e.name}: ${e.message}`);
        if (r.errors.length) io.setExitCode(2);
      },
    );

  program
    .command('report')
    .description(
      'Berichte für Vorlagen: Kreisübersicht und ein Kommunalprofil je Kommune (HTML offline, Markdown, optional PDF)',
    )
    .argument('[dir]', 'Projektordner mit spm.yaml', '.')
    .option('--out <dir>', 'Zielordner; der Bericht landet in <out>/<Projekt>/ (Vorgabe: <output>/reports)')
    .option('--pdf', 'zusätzlich PDF je Seite (braucht Chromium unter /usr/bin/chromium)')
    .option('--kommune <ags...>', 'nur diese Kommunen (Schlüssel oder Name)')
    .option('--png', 'Diagramme zusätzlich als PNG mit 300 dpi (Vorgabe: nur SVG)')
    .option('--no-cache', 'Zwischenergebnisse früherer Läufe (<projekt>/.spm/cache/) nicht verwenden')
    .option(
      '--replace-unpublished',
      'die Ausgabe im Ausgabeordner (und frühere Ausgaben anderswo im Projektordner) wurden nie veröffentlicht: einen Bericht mit einem neuen Jahr auch ohne sie als frühere Veröffentlichungen schreiben',
    )
    .option('--json', 'maschinenlesbare Zusammenfassung')
    .option('--quiet', 'nur Fehler ausgeben')
    .action(
      async (
        dir: string,
        opts: {
          out?: string;
          pdf?: boolean;
          kommune?: string[];
          png?: boolean;
          cache: boolean;
          json?: boolean;
          quiet?: boolean;
          replaceUnpublished?: boolean;
        },
        cmd: Command,
      ) => {
        const { reportRun } = await import('../src/run/report-run.js');
        const r = await withProgress(opts, (onProgress) =>
          reportRun(dir, {
            ...(opts.cache ? {} : { cache: false }),
            ...(opts.png ? { png: true } : {}),
            ...(opts.out ? { out: opts.out } : {}),
            ...(opts.pdf ? { pdf: true } : {}),
            ...(opts.kommune ? { kommunen: opts.kommune } : {}),
            ...(opts.replaceUnpublished ? { replaceUnpublished: true } : {}),
            onProgress,
          }),
        );
        if (opts.json) io.out(json(r));
        else if (!opts.quiet) io.out(`Bericht: ${r.index} (${r.files} Dateien)`);
        // `--verbose` is the program's option (it may stand before or after `report`)
        if (cmd.optsWithGlobals().verbose && !opts.json) for (const line of formatTimings(r.timings)) io.err(line);
        for (const w of r.warnings) io.err(`Hinweis: ${w}`);
      },
    );

  program
    .command('export')
    .description('Kennzahlen berechnen und als Tabelle ausgeben (Arrow, Parquet, CSV, JSON)')
    .argument('[dir]', 'Projektordner mit spm.yaml', '.')
    .option('--out <dir>', 'Ausgabeordner (Vorgabe: output aus spm.yaml)')
    .addOption(
      new Option('--format <list>', 'arrow,parquet,csv,json')
        .default('parquet')
        .argParser((v) => parseList(v, EXPORT_FORMATS)),
    )
    .option('--unmasked-internal', 'zusätzlich UNMASKIERTE Werte nach <out>/intern/ schreiben (nur intern)')
    .option(
      '--replace-unpublished',
      'die bisherige Ausgabe im Ausgabeordner (und frühere Ausgaben anderswo im Projektordner) wurden nie veröffentlicht: auch durch einen Lauf mit einem neuen Jahr ersetzen (sonst hält spm dann an, bis sie als frühere Veröffentlichungen genannt sind)',
    )
    .option('--json', 'maschinenlesbare Zusammenfassung')
    .option('--quiet', 'nur Fehler ausgeben')
    .action(
      async (
        dir: string,
        opts: {
          out?: string;
          format: string[] | string;
          unmaskedInternal?: boolean;
          json?: boolean;
          quiet?: boolean;
          replaceUnpublished?: boolean;
        },
      ) => {
        const r = await withProgress(opts, async (onProgress) => {
          const { computeRun } = await import('../src/run/compute-run.js');
          return computeRun(dir, {
            ...(opts.out ? { out: opts.out } : {}),
            formats: asList(opts.format, EXPORT_FORMATS),
            charts: [],
            ...(opts.unmaskedInternal ? { unmaskedInternal: true } : {}),
            ...(opts.replaceUnpublished ? { replaceUnpublished: true } : {}),
            onProgress,
          });
        });
        if (opts.json) io.out(json(r));
        else if (!opts.quiet) io.out(`geschrieben in ${r.outDir}: ${r.outputs.map((o) => o.file).join(', ')}`);
      },
    );

  program
    .command('validate')
    .description('Konfiguration und Daten prüfen, ohne zu rechnen (Exit-Code 1 bei Fehlern)')
    .argument('[dir]', 'Projektordner mit spm.yaml', '.')
    .option('--out <dir>', 'Ordner für temporäre Dateien (Vorgabe: output aus spm.yaml)')
    .option('--json', 'maschinenlesbare Zusammenfassung')
    .option('--quiet', 'nur Fehler ausgeben')
    .action(async (dir: string, opts: { out?: string; json?: boolean; quiet?: boolean }) => {
      const { validateRun } = await import('../src/run/validate-run.js');
      const r = await validateRun(dir, opts.out ? { out: opts.out } : {});
      if (opts.json) io.out(json(r));
      else if (!opts.quiet || !r.ok) printValidate(r, opts.quiet ? io.err : io.out);
      if (!r.ok) io.setExitCode(1);
    });

  program
    .command('explain')
    .description('den Plan zeigen, den spm compute für einen Indikator ausführt: SQL mit Parametern, JS-Schritte')
    .argument('<indicator>', 'Indikator-id')
    .argument('[dir]', 'Projektordner mit spm.yaml', '.')
    .option('--json', 'als JSON')
    .action(async (id: string, dir: string, opts: { json?: boolean }) => {
      // the data are loaded so the plan shows the real years and measure ids, as spm compute runs it
      const { explainRun, explainJson, explainText } = await import('../src/run/explain.js');
      const r = await explainRun(dir, id);
      printIssues(r.issues, io.err);
      io.out(opts.json ? json(explainJson(r.explanation)) : explainText(r.explanation));
    });

  program
    .command('init')
    .description('ein Projekt aus einem Ordner mit Rohdaten anlegen: spm.yaml und gebiete.csv vorschlagen')
    .argument('[dir]', 'Ordner mit den Rohdaten (CSV)', '.')
    .option('--dry-run', 'nur zeigen, was geschrieben würde')
    .option('-i, --interaktiv', 'Kreis oder Stadt, Quellen und Datenhalter im Terminal abfragen')
    .option('--stadt', 'als kreisfreie Stadt einrichten (areas.top, areas.levels)')
    .option('--kreis', 'als Landkreis einrichten (kreis > kommune > sozialraum)')
    .option('--json', 'maschinenlesbare Zusammenfassung')
    .action(
      async (
        dir: string,
        opts: { dryRun?: boolean; interaktiv?: boolean; json?: boolean; stadt?: boolean; kreis?: boolean },
      ) => {
        if (opts.stadt && opts.kreis)
          throw new UserError('--stadt und --kreis schließen sich aus: eines von beiden angeben');
        const { initRun } = await import('../src/run/init-run.js');
        const r = await initRun(dir, {
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(opts.interaktiv ? { decide: askUser, askShape } : {}),
          ...(opts.stadt ? { shape: 'stadt' as const } : opts.kreis ? { shape: 'kreis' as const } : {}),
        });
        if (opts.json) {
          io.out(
            json({ ...r, proposal: { ...r.proposal, sources: r.proposal.sources.map(({ first: _f, ...s }) => s) } }),
          );
          return;
        }
        for (const f of r.files) {
          io.out(
            `${f.file}: ${f.rows} Zeilen, ${f.encoding}, "${f.delimiter}"${f.source ? ` -> Quelle ${f.source}` : ''}${f.schemas.length ? ` (Schema ${f.schemas.join(', ')})` : ''}`,
          );
        }
        if (opts.dryRun) io.out(`\n--- spm.yaml (nicht geschrieben) ---\n${r.yaml}`);
        else io.out(`\ngeschrieben: ${r.written.join(', ')}`);
        io.out('\nNoch zu tun:');
        r.todo.forEach((t, i) => io.out(`  ${i + 1}. ${t}`));
      },
    );

  program
    .command('indicators')
    .description('das Standardset: jede Kennzahl mit dem, was sie braucht, und ob das Projekt es liefert')
    .argument('[dir]', 'Projektordner mit spm.yaml', '.')
    .option('--json', 'als JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const { standardIndicators } = await import('../src/run/indicators-run.js');
      const r = standardIndicators(dir);
      if (opts.json) io.out(json(r));
      else printIndicators(r, io.out);
    });

  program
    .command('schema')
    .description('JSON Schema von spm.yaml und Indikatordateien (für Editoren) ausgeben')
    .addOption(
      new Option('--kind <kind>', 'project, indicator oder goals (ziele.yaml)')
        .choices(['project', 'indicator', 'goals'])
        .default('project'),
    )
    .option('--out <dir>', 'spm.schema.json, indicator.schema.json und ziele.schema.json in diesen Ordner schreiben')
    .action(async (opts: { kind: 'project' | 'indicator' | 'goals'; out?: string }) => {
      const { jsonSchema, writeSchemaFiles } = await import('../src/config/json-schema.js');
      if (opts.out) io.out(`geschrieben: ${writeSchemaFiles(opts.out).join(', ')}`);
      else io.out(json(jsonSchema(opts.kind)));
    });

  return program;
}

/** "csv,parquet" -> ['csv', 'parquet'], refusing unknown entries (commander names the option in the message). */
function parseList<T extends string>(v: string, allowed: readonly T[]): T[] {
  const items = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = items.filter((x) => !(allowed as readonly string[]).includes(x));
  if (bad.length) throw new InvalidArgumentError(`unbekannt ${bad.join(', ')} (möglich: ${allowed.join(', ')})`);
  return items as T[];
}

/** A commander default arrives unparsed as the string. */
function asList<T extends string>(v: string[] | string, allowed: readonly T[]): T[] {
  return Array.isArray(v) ? (v as T[]) : parseList(v, allowed);
}

function parseMemoryLimit(v: string): string {
  try {
    return checkMemoryLimit(v);
  } catch (e) {
    // commander names the option and the value itself: "Wert '2XB' ungültig: keine Speichergröße: …"
    if (e instanceof UserError)
      throw new InvalidArgumentError((e.issues[0]?.message ?? e.message).replace(/^--memory-limit "[^"]*" ist /, ''));
    throw e;
  }
}

function parsePositiveInt(v: string, name: string): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1)
    throw new InvalidArgumentError(`${name} erwartet eine positive ganze Zahl, nicht "${v}"`);
  return x;
}
