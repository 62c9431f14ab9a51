/**
 * Write the published table and its manifest: German Excel CSV, Parquet, Arrow
 * IPC, JSON, the rejected rows, and on explicit request the unmasked internal
 * table. Every file is written to a temporary name and renamed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';
import type { Project } from '../config/project.js';
import type { CompiledIndicator } from '../compile/types.js';
import type { ComputeSummary } from '../compute/compute.js';
import type { LoadedTables } from '../ingest/types.js';
import type { Issue } from '../util/issues.js';
import { writeAtomic, writeFileAtomic } from '../util/atomic.js';
import { sha256File } from '../util/hash.js';
import { displayPath, resolveInProject } from '../util/paths.js';
import { copiedRows, copyGermanCsv, germanCsvColumns, runSql, writeGermanCsv } from './csv.js';
import { roomOnOutOfMemory, withMemoryAtLeast } from '../util/memory-limit.js';
import { writeParquet } from './parquet.js';
import { STATUSES } from '../publish/vocabulary.js';
import { kennzahlenTableSchema, parquetMetadata, type AreaLevelsForSchema } from '../publish/table-schema.js';
import { levelNames } from '../config/hierarchy.js';
import { buildManifest, type OutputFileInfo, type PublishedCounts } from './manifest.js';
import { createPublishedTable, INTERNAL_SELECT, PUBLISHED_SELECT } from '../publish/published.js';
import { filteredSelect, readResults, type ResultFilter } from '../publish/results.js';
import { commitStaged, internalStagingDir, stagingDir, type StagedSet } from './output-folder.js';
import { totalsCheckSql } from './totals-check.js';
import { createGoalsTable, GOALS_SELECT } from './goals-table.js';
import { evaluateGoals, GOAL_COLUMNS, type GoalEvaluation } from '../steering/goals.js';
import { writePartitioned } from './partitioned.js';
import { earlierFiles } from '../compute/earlier.js';
import { splitCsvByFirstColumn } from './csv-split.js';
import {
  COMPARISON_ALL,
  COMPARISON_ONE,
  COMPARISON_TABLE,
  comparisonCounts,
  createComparisonSql,
  kommuneAgsList,
} from './comparison.js';

export type { OutputFileInfo };
export { EXPORT_FORMATS, type ExportFormat } from './formats.js';
import type { ExportFormat } from './formats.js';

export interface ExportInput {
  project: Project;
  loaded: LoadedTables;
  compiled: readonly CompiledIndicator[];
  summary: ComputeSummary;
  outDir: string;
  formats: readonly ExportFormat[];
  unmaskedInternal: boolean;
  dataNote: string | null;
  issues: readonly Issue[];
  /** Rows of kennzahlen.* (default: all published rows). */
  filter?: ResultFilter;
  /**
   * DuckDB's memory limit while the main table's CSV and Parquet files are written, in bytes (a
   * higher limit in force stays, e.g. the fallback to 80 % of RAM; the run's own limit when not
   * given). The session sets it only for runs under the default limit whose published table is
   * compressed in memory (see `exportWriteMemoryBytes` in api/database.ts).
   */
  writeMemoryBytes?: number;
  /** Years published by `compute({ years })`: the unmasked internal table is cut to them too. */
  publishYears?: readonly number[];
  /**
   * The goals evaluated on the published rows (`Spm.goals`, which keeps them for the run's summary):
   * given, they are not evaluated a second time here.
   */
  goals?: () => Promise<readonly GoalEvaluation[]>;
}

const REJECTS_SELECT =
  'SELECT source AS quelle, file AS datei, line AS zeile, "column" AS spalte, code, reason AS grund, severity AS schwere, area_id AS gebiet, year AS jahr, raw AS rohzeile FROM spm_rejected_lines ORDER BY source, file, line, code';

/**
 * First line of `abgewiesene_zeilen.csv`: the file holds raw input lines (which
 * can contain small counts), so it is for the data owner's checks only.
 */
export const REJECTS_PREAMBLE =
  'INTERN – nicht veröffentlichen: enthält Rohzeilen der Eingangsdateien (können kleine Fallzahlen enthalten). Kopfzeile in Zeile 2.';

/** The totals check holds input totals not covered by secondary suppression: for checking, not for publication. */
export const TOTALS_PREAMBLE =
  'INTERN – Prüftabelle: veröffentlichte Summenzeilen der Eingangsdateien gegen die Summe ihrer Teile (nicht veröffentlichen). Kopfzeile in Zeile 2.';

/** The rejected rows with their raw lines, for `abgewiesene_zeilen.csv` (the `rejects` table of ingest has no raw text). */
async function createRejectedLines(conn: DuckDBConnection, rejects: LoadedTables['rejects']): Promise<void> {
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE spm_rejected_lines (source VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR, code VARCHAR, reason VARCHAR, severity VARCHAR, area_id VARCHAR, year INTEGER, raw VARCHAR)',
  );
  const a = await conn.createAppender('spm_rejected_lines');
  const text = (x: string | undefined): void => (x === undefined ? a.appendNull() : a.appendVarchar(x));
  for (const r of rejects) {
    text(r.source);
    text(r.file);
    a.appendBigInt(BigInt(r.line));
    text(r.column);
    text(r.code);
    text(r.reason);
    text(r.severity);
    text(r.area_id);
    if (r.year === undefined) a.appendNull();
    else a.appendInteger(r.year);
    text(r.raw);
    a.endRow();
  }
  a.closeSync();
}

async function publishedCounts(conn: DuckDBConnection): Promise<PublishedCounts> {
  const r = await conn.runAndReadAll(
    'SELECT status, COUNT(*) AS n, COUNT(suppression) AS masked FROM spm_published GROUP BY status ORDER BY status',
  );
  const byStatus: Record<string, number> = Object.fromEntries(STATUSES.map((x) => [x, 0]));
  let masked = 0;
  for (const row of r.getRowObjectsJS()) {
    byStatus[String(row.status)] = Number(row.n);
    masked += Number(row.masked);
  }
  return { byStatus, masked };
}

/** BigInt and DuckDB list values in JSON. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && 'items' in value && Array.isArray((value as { items: unknown[] }).items)) {
    return (value as { items: unknown[] }).items;
  }
  return value;
}

/**
 * The file's entry for the manifest, hashed in the background: the promise is awaited with the
 * others before the manifest is written (a failure is marked handled here and thrown there).
 */
function info(outDir: string, file: string, rows?: number, unmasked?: boolean): Promise<OutputFileInfo> {
  const p = sha256File(path.join(outDir, file)).then((sha256) => {
    const o: OutputFileInfo = { file, sha256 };
    if (rows !== undefined) o.rows = rows;
    if (unmasked) o.unmasked = true;
    return o;
  });
  p.catch(() => {});
  return p;
}

/**
 * All files are first written to a staging folder inside the output folder (the
 * unmasked internal tables to one outside it) and moved into place together at
 * the end, manifest last, so an interrupted run leaves the previous complete set,
 * not a mix of old and new files. spm replaces only files it wrote itself;
 * `extra` are further staged files (the charts of `spm compute`) moved in with them.
 */
export async function writeExports(
  conn: DuckDBConnection,
  target: ExportInput,
  extra: readonly StagedSet[] = [],
): Promise<OutputFileInfo[]> {
  fs.mkdirSync(target.outDir, { recursive: true });
  const stage = stagingDir(target.outDir, 'staging');
  const internStage = target.unmaskedInternal ? internalStagingDir(target.outDir) : undefined;
  try {
    // Every statement here spills beyond DuckDB's limit; one that still runs out of memory repeats
    // the whole export once under 80 % of RAM (as the compute steps do), into emptied staging folders
    let attempt = 0;
    const outputs = await roomOnOutOfMemory(
      conn,
      async () => {
        if (attempt++ > 0)
          for (const dir of [stage, internStage])
            for (const entry of dir ? fs.readdirSync(dir) : [])
              fs.rmSync(path.join(dir!, entry), { recursive: true, force: true });
        return writeAll(conn, { ...target, outDir: stage }, internStage ? path.join(internStage, 'intern') : undefined);
      },
      undefined,
      'export',
    );
    const pub = outputs.filter((o) => !o.unmasked).map((o) => o.file);
    const sets: StagedSet[] = [{ dir: stage, files: pub }, ...extra];
    if (internStage) sets.push({ dir: internStage, files: outputs.filter((o) => o.unmasked).map((o) => o.file) });
    // charts are replaced only when new ones come with this run
    const withCharts = extra.some((e) => e.files.some((f) => f.startsWith('charts/')));
    commitStaged(target.outDir, sets, {
      replaces: (f) => withCharts || !f.startsWith('charts/'),
      last: 'manifest.json',
    });
    return outputs;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
    if (internStage) fs.rmSync(internStage, { recursive: true, force: true });
  }
}

async function writeAll(
  conn: DuckDBConnection,
  x: ExportInput,
  internalDir: string | undefined,
): Promise<OutputFileInfo[]> {
  fs.mkdirSync(x.outDir, { recursive: true });
  // Each file's SHA-256 is computed while DuckDB writes the next ones (awaited before the manifest).
  const outputs: Promise<OutputFileInfo>[] = [];
  const sel = x.filter ? filteredSelect(x.filter) : { sql: PUBLISHED_SELECT, parameters: [] };
  // The main table's CSV, then its Parquet file. (Written at the same time on two connections they
  // took longer at NRW size than one after the other once the CSV had room: 7.1 s against 5.1 + 1.6 s.)
  // The row count is the one a COPY returns; counted on its own only without CSV and Parquet.
  const csv = x.formats.includes('csv');
  const parquet = x.formats.includes('parquet');
  // the earlier releases named in spm.yaml, with their hashes: in the manifest and in the Parquet file
  const earlier = await earlierReleasesInfo(x.project);
  const writeMain = async (): Promise<number> => {
    let n: number | undefined;
    if (csv)
      n = await copyGermanCsv(
        conn,
        await germanCsvColumns(conn, sel.sql, sel.parameters),
        sel.sql,
        path.join(x.outDir, 'kennzahlen.csv'),
        sel.parameters,
      );
    if (parquet) {
      const m = await writeParquet(
        conn,
        sel.sql,
        path.join(x.outDir, 'kennzahlen.parquet'),
        sel.parameters,
        parquetMetadata(x.dataNote, earlier),
      );
      n ??= m;
    }
    return n ?? copiedRows(await runSql(conn, `SELECT COUNT(*) FROM (${sel.sql})`, sel.parameters));
  };
  const rows = x.writeMemoryBytes ? await withMemoryAtLeast(conn, x.writeMemoryBytes, writeMain) : await writeMain();
  if (csv) outputs.push(info(x.outDir, 'kennzahlen.csv', rows));
  if (parquet) outputs.push(info(x.outDir, 'kennzahlen.parquet', rows));
  if (x.formats.includes('arrow') || x.formats.includes('json')) {
    const all = await readResults(conn, x.filter ?? {});
    if (x.formats.includes('arrow')) {
      // apache-arrow is loaded only when Arrow output is asked for
      const { tableToIPC } = await import('apache-arrow');
      const { resultsToArrow } = await import('../publish/arrow-table.js');
      const ipc = tableToIPC(resultsToArrow(all), 'file');
      await writeAtomic(path.join(x.outDir, 'kennzahlen.arrow'), async (tmp) => fs.writeFileSync(tmp, ipc));
      outputs.push(info(x.outDir, 'kennzahlen.arrow', rows));
    }
    if (x.formats.includes('json')) {
      await writeFileAtomic(path.join(x.outDir, 'kennzahlen.json'), JSON.stringify(all, jsonReplacer) + '\n');
      outputs.push(info(x.outDir, 'kennzahlen.json', rows));
    }
  }
  if (x.formats.includes('csv')) {
    // the CSV's own description (types, units, codes as text), beside it
    const schema = JSON.stringify(kennzahlenTableSchema(x.dataNote, schemaAreas(x.loaded)), null, 2) + '\n';
    await writeFileAtomic(path.join(x.outDir, 'kennzahlen.schema.json'), schema);
    outputs.push(info(x.outDir, 'kennzahlen.schema.json'));
  }
  // time-series comparison per Kommune, and one file for all: CSV and Parquet only when asked for
  const cmpCsv = x.formats.includes('csv');
  const cmpParquet = x.formats.includes('parquet');
  if (cmpCsv || cmpParquet) {
    fs.mkdirSync(path.join(x.outDir, 'vergleich'), { recursive: true });
    await conn.run(
      createComparisonSql(x.project.config.references?.list.filter((r) => !r.land).map((r) => r.id) ?? []),
    );
    let nAll: number | undefined;
    const allCsv = path.join(x.outDir, 'vergleich', 'vergleich_alle.csv');
    if (cmpCsv) {
      nAll = await writeGermanCsv(conn, COMPARISON_ALL, allCsv);
      outputs.push(info(x.outDir, 'vergleich/vergleich_alle.csv', nAll));
    }
    if (cmpParquet) {
      await writeParquet(conn, COMPARISON_ALL, path.join(x.outDir, 'vergleich', 'vergleich_alle.parquet'));
      outputs.push(info(x.outDir, 'vergleich/vergleich_alle.parquet', nAll));
    }
    // Per Kommune: one partitioned COPY per format writes every Kommune's file (at NRW size 3
    // statements instead of about 800), the rows counted in one GROUP BY.
    // The code comes from the area list: a parameter, and a file name only without path
    // characters (the area list refuses those; checked again here because it names a file).
    const agsList = (await kommuneAgsList(conn)).filter(
      (ags) => /^[^\\/:*?"<>|\u0000-\u001f]+$/.test(ags) && ags !== '.' && ags !== '..',
    );
    const perKommune = await comparisonCounts(conn);
    const vdir = path.join(x.outDir, 'vergleich');
    // The CSV per Kommune: the lines of vergleich_alle.csv cut by Kommune (see csv-split.ts), when
    // each Kommune has every indicator at most once (then both files order its rows alike);
    // otherwise, or when the file is not as expected, written by DuckDB as before.
    const withRows = agsList.filter((ags) => (perKommune.get(ags) ?? 0) > 0);
    const csvParts =
      cmpCsv && withRows.length > 0 && (await comparisonRowsUnique(conn))
        ? splitCsvByFirstColumn(fs.readFileSync(allCsv), withRows, perKommune)
        : undefined;
    let exprs: string[] | undefined;
    const csvColumns = async (): Promise<string[]> =>
      (exprs ??= await germanCsvColumns(conn, COMPARISON_ONE, [agsList[0] as string]));
    const done = await writePartitioned(conn, {
      select: COMPARISON_TABLE,
      keyColumn: 'kommune_ags',
      orderBy: 'indicator_id',
      keys: agsList,
      dir: vdir,
      ...(cmpCsv && !csvParts && agsList.length > 0
        ? { csv: { columns: await csvColumns(), fileName: (ags: string) => `vergleich_${ags}.csv` } }
        : {}),
      ...(cmpParquet ? { parquet: { fileName: (ags: string) => `vergleich_${ags}.parquet` } } : {}),
    });
    for (const ags of agsList) {
      const n = perKommune.get(ags) ?? 0;
      // a Kommune without rows still gets its (header-only) files, written on their own
      if (cmpCsv) {
        const file = path.join(vdir, `vergleich_${ags}.csv`);
        const part = csvParts?.get(ags);
        if (part) await writeFileAtomic(file, part);
        else if (csvParts || !done.has(ags)) await copyGermanCsv(conn, await csvColumns(), COMPARISON_ONE, file, [ags]);
        outputs.push(info(x.outDir, `vergleich/vergleich_${ags}.csv`, n));
      }
      if (cmpParquet) {
        if (!done.has(ags))
          await writeParquet(conn, COMPARISON_ONE, path.join(vdir, `vergleich_${ags}.parquet`), [ags]);
        outputs.push(info(x.outDir, `vergleich/vergleich_${ags}.parquet`, n));
      }
    }
    await conn.run('DROP TABLE spm_vergleich');
    // the goals (Zielsystem), evaluated on the published rows only
    const goals = x.project.goals ?? [];
    if (goals.length > 0) {
      const evals = x.goals
        ? await x.goals()
        : evaluateGoals(
            goals,
            await readResults(
              conn,
              { indicators: [...new Set(goals.map((g) => g.def.kennzahl))], poolYears: [1] },
              GOAL_COLUMNS,
            ),
            x.project.indicators.map((i) => i.def),
          );
      await createGoalsTable(conn, evals);
      if (cmpCsv) {
        await writeGermanCsv(conn, GOALS_SELECT, path.join(x.outDir, 'vergleich', 'ziele.csv'));
        outputs.push(info(x.outDir, 'vergleich/ziele.csv', evals.length));
      }
      if (cmpParquet) {
        await writeParquet(conn, GOALS_SELECT, path.join(x.outDir, 'vergleich', 'ziele.parquet'));
        outputs.push(info(x.outDir, 'vergleich/ziele.parquet', evals.length));
      }
      await conn.run('DROP TABLE spm_ziele');
    }
  }
  // published totals in the sources vs spm's sum of their parts (only when a source had totals rows)
  const check = totalsCheckSql(x.project, x.loaded);
  if (check !== null) {
    const n = await writeGermanCsv(
      conn,
      check.sql,
      path.join(x.outDir, 'datenqualitaet_summen.csv'),
      check.parameters,
      TOTALS_PREAMBLE,
    );
    outputs.push(info(x.outDir, 'datenqualitaet_summen.csv', n));
  }
  await createRejectedLines(conn, x.loaded.rejects);
  const nRejects = await writeGermanCsv(
    conn,
    REJECTS_SELECT,
    path.join(x.outDir, 'abgewiesene_zeilen.csv'),
    [],
    REJECTS_PREAMBLE,
  );
  await conn.run('DROP TABLE spm_rejected_lines');
  outputs.push(info(x.outDir, 'abgewiesene_zeilen.csv', nRejects));

  if (x.unmaskedInternal && internalDir) {
    await createPublishedTable(conn, x.dataNote, false);
    if (x.publishYears)
      await conn.run(`DELETE FROM spm_internal WHERE NOT list_contains($1::INTEGER[], year)`, [
        listValue([...x.publishYears]),
      ]);
    // only the selection of `compute --indicator` (all indicators were computed and protected; see Spm.compute)
    if (x.summary.protectedIndicators !== undefined)
      await conn.run(`DELETE FROM spm_internal WHERE NOT list_contains($1::VARCHAR[], indicator_id)`, [
        listValue(x.compiled.map((c) => c.indicator.def.id)),
      ]);
    fs.mkdirSync(internalDir, { recursive: true });
    await writeGermanCsv(conn, INTERNAL_SELECT, path.join(internalDir, 'kennzahlen_intern_unmaskiert.csv'));
    outputs.push(info(path.dirname(internalDir), 'intern/kennzahlen_intern_unmaskiert.csv', rows, true));
    await writeParquet(conn, INTERNAL_SELECT, path.join(internalDir, 'kennzahlen_intern_unmaskiert.parquet'));
    outputs.push(info(path.dirname(internalDir), 'intern/kennzahlen_intern_unmaskiert.parquet', rows, true));
    await conn.run('DROP TABLE spm_internal');
  }

  const published = await publishedCounts(conn);
  const files = await Promise.all(outputs);
  const configSha = x.project.configFile ? await sha256File(x.project.configFile) : undefined;
  const goalsFile = await goalsFileInfo(x.project);
  const manifest = buildManifest({
    project: x.project,
    ...(configSha ? { configSha256: configSha } : {}),
    loaded: x.loaded,
    compiled: x.compiled,
    summary: x.summary,
    outputs: files,
    issues: [...x.issues],
    published,
    ...(goalsFile ? { goalsFile } : {}),
    ...(earlier ? { earlier } : {}),
  });
  await writeFileAtomic(path.join(x.outDir, 'manifest.json'), JSON.stringify(manifest, jsonReplacer, 2) + '\n');
  files.push(await info(x.outDir, 'manifest.json'));
  return files;
}

/** Whether the comparison has each indicator at most once per Kommune. */
async function comparisonRowsUnique(conn: DuckDBConnection): Promise<boolean> {
  const r = await conn.runAndReadAll(
    'SELECT count(*) = count(DISTINCT (kommune_ags, indicator_id)) FROM spm_vergleich',
  );
  return r.getRowsJS()[0]?.[0] === true;
}

/** The goals file named in spm.yaml (`ziele: ziele.yaml`) with its SHA-256, for the manifest. */
async function goalsFileInfo(project: Project): Promise<{ file: string; sha256: string } | undefined> {
  const entry = project.config.ziele;
  if (typeof entry !== 'string' || !project.goals?.length) return undefined;
  const r = resolveInProject(project.root, entry);
  if ('error' in r) return undefined; // refused when the project was loaded
  return { file: displayPath(project.root, r.abs), sha256: await sha256File(r.abs) };
}

/**
 * The earlier releases named in spm.yaml (`settings.suppression.frueher_veroeffentlicht`) with their
 * SHA-256, for the manifest: which files the pass took as known, so a release can be traced to them.
 */
async function earlierReleasesInfo(project: Project): Promise<{ file: string; sha256: string }[] | undefined> {
  const files = earlierFiles(project);
  if (!files?.length) return undefined;
  return Promise.all(files.map(async (f) => ({ file: displayPath(project.root, f), sha256: await sha256File(f) })));
}

/** Declared levels for the table schema; undefined for the Kreis hierarchy (its schema stays as it was). */
function schemaAreas(loaded: LoadedTables): AreaLevelsForSchema | undefined {
  const reg = loaded.areas;
  if (reg.hierarchy.kreisShape && reg.groups.length === 0) return undefined;
  const levels = [...levelNames(reg.hierarchy), ...new Set(reg.groups.map((g) => g.grouping))];
  return { levels, ags: reg.hierarchy.levels[0]?.code === 'ags' };
}
