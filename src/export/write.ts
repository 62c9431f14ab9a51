/**
 * Write the published table and its manifest: German Excel CSV, Parquet, Arrow
 * IPC, JSON, the rejected rows, and on explicit request the unmasked internal
 * table. Every file is written to a temporary name and renamed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { tableToIPC } from 'apache-arrow';
import type { Project } from '../config/project.js';
import type { CompiledIndicator } from '../compile/types.js';
import type { ComputeSummary } from '../compute/compute.js';
import type { LoadedTables } from '../ingest/types.js';
import type { Issue } from '../util/issues.js';
import { writeAtomic, writeFileAtomic } from '../util/atomic.js';
import { sha256File } from '../util/hash.js';
import { writeGermanCsv } from './csv.js';
import { bindable } from '../compute/params.js';
import { writeParquet } from './parquet.js';
import { buildManifest, type OutputFileInfo } from './manifest.js';
import { createPublishedTable, INTERNAL_SELECT, PUBLISHED_SELECT } from './published.js';
import { filteredSelect, readResults, resultsToArrow, type ResultFilter } from './results.js';
import { COMPARISON_ALL, COMPARISON_ONE, CREATE_COMPARISON, kommuneAgsList } from './comparison.js';

export type { OutputFileInfo };
export type ExportFormat = 'csv' | 'parquet' | 'arrow' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'parquet', 'arrow', 'json'];

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
  /** Years published by `compute({ years })`: the unmasked internal table is cut to them too. */
  publishYears?: readonly number[];
}

const REJECTS_SELECT =
  'SELECT source AS quelle, file AS datei, line AS zeile, "column" AS spalte, code, reason AS grund, severity AS schwere, area_id AS gebiet, year AS jahr FROM rejects ORDER BY source, file, line, code';

/** BigInt and DuckDB list values in JSON. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && 'items' in value && Array.isArray((value as { items: unknown[] }).items)) {
    return (value as { items: unknown[] }).items;
  }
  return value;
}

async function info(outDir: string, file: string, rows?: number, unmasked?: boolean): Promise<OutputFileInfo> {
  const o: OutputFileInfo = { file, sha256: await sha256File(path.join(outDir, file)) };
  if (rows !== undefined) o.rows = rows;
  if (unmasked) o.unmasked = true;
  return o;
}

/**
 * All files are first written to a staging folder inside the output folder and
 * moved into place together at the end (manifest last), so an interrupted run
 * leaves the previous complete set, not a mix of old and new files.
 */
export async function writeExports(conn: DuckDBConnection, target: ExportInput): Promise<OutputFileInfo[]> {
  const stage = path.join(target.outDir, `.spm-tmp-${process.pid}-staging`);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  try {
    const outputs = await writeAll(conn, { ...target, outDir: stage });
    // Move into place: data files first, the manifest (which names their hashes) last.
    const internalDir = path.join(target.outDir, 'intern');
    if (!target.unmaskedInternal) fs.rmSync(internalDir, { recursive: true, force: true });
    else fs.mkdirSync(internalDir, { recursive: true });
    // Kommunen of an earlier run (another area list) must not linger.
    fs.rmSync(path.join(target.outDir, 'vergleich'), { recursive: true, force: true });
    if (outputs.some((o) => o.file.startsWith('vergleich/'))) fs.mkdirSync(path.join(target.outDir, 'vergleich'), { recursive: true });
    const order = [...outputs.filter((o) => o.file !== 'manifest.json'), ...outputs.filter((o) => o.file === 'manifest.json')];
    for (const o of order) fs.renameSync(path.join(stage, o.file), path.join(target.outDir, o.file));
    return outputs;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

async function writeAll(conn: DuckDBConnection, x: ExportInput): Promise<OutputFileInfo[]> {
  fs.mkdirSync(x.outDir, { recursive: true });
  const outputs: OutputFileInfo[] = [];
  const sel = x.filter ? filteredSelect(x.filter) : { sql: PUBLISHED_SELECT, parameters: [] };
  const counted = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM (${sel.sql})`, bindable(sel.parameters));
  const rows = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
  if (x.formats.includes('csv')) {
    await writeGermanCsv(conn, sel.sql, path.join(x.outDir, 'kennzahlen.csv'), sel.parameters);
    outputs.push(await info(x.outDir, 'kennzahlen.csv', rows));
  }
  if (x.formats.includes('parquet')) {
    await writeParquet(conn, sel.sql, path.join(x.outDir, 'kennzahlen.parquet'), sel.parameters);
    outputs.push(await info(x.outDir, 'kennzahlen.parquet', rows));
  }
  if (x.formats.includes('arrow') || x.formats.includes('json')) {
    const all = await readResults(conn, x.filter ?? {});
    if (x.formats.includes('arrow')) {
      const ipc = tableToIPC(resultsToArrow(all), 'file');
      await writeAtomic(path.join(x.outDir, 'kennzahlen.arrow'), async (tmp) => fs.writeFileSync(tmp, ipc));
      outputs.push(await info(x.outDir, 'kennzahlen.arrow', rows));
    }
    if (x.formats.includes('json')) {
      await writeFileAtomic(path.join(x.outDir, 'kennzahlen.json'), JSON.stringify(all, jsonReplacer) + '\n');
      outputs.push(await info(x.outDir, 'kennzahlen.json', rows));
    }
  }
  // time-series comparison per Kommune, and one file for all: CSV and Parquet only when asked for
  const cmpCsv = x.formats.includes('csv');
  const cmpParquet = x.formats.includes('parquet');
  if (cmpCsv || cmpParquet) {
    fs.mkdirSync(path.join(x.outDir, 'vergleich'), { recursive: true });
    await conn.run(CREATE_COMPARISON);
    const write = async (select: string, name: string, params: unknown[] = []): Promise<void> => {
      let n: number | undefined;
      if (cmpCsv) {
        n = await writeGermanCsv(conn, select, path.join(x.outDir, 'vergleich', `${name}.csv`), params);
        outputs.push(await info(x.outDir, `vergleich/${name}.csv`, n));
      }
      if (cmpParquet) {
        await writeParquet(conn, select, path.join(x.outDir, 'vergleich', `${name}.parquet`), params);
        outputs.push(await info(x.outDir, `vergleich/${name}.parquet`, n));
      }
    };
    await write(COMPARISON_ALL, 'vergleich_alle');
    for (const ags of await kommuneAgsList(conn)) {
      // The AGS comes from the area list: a parameter, and a file name only if it is digits.
      if (!/^\d{8}$/.test(ags)) continue;
      await write(COMPARISON_ONE, `vergleich_${ags}`, [ags]);
    }
    await conn.run('DROP TABLE spm_vergleich');
  }
  const nRejects = await writeGermanCsv(conn, REJECTS_SELECT, path.join(x.outDir, 'abgewiesene_zeilen.csv'));
  outputs.push(await info(x.outDir, 'abgewiesene_zeilen.csv', nRejects));

  const internalDir = path.join(x.outDir, 'intern');
  if (x.unmaskedInternal) {
    await createPublishedTable(conn, x.dataNote, false);
    if (x.publishYears) await conn.run(`DELETE FROM spm_internal WHERE NOT list_contains($1::INTEGER[], year)`, [listValue([...x.publishYears])]);
    fs.mkdirSync(internalDir, { recursive: true });
    await writeGermanCsv(conn, INTERNAL_SELECT, path.join(internalDir, 'kennzahlen_intern_unmaskiert.csv'));
    outputs.push(await info(x.outDir, 'intern/kennzahlen_intern_unmaskiert.csv', rows, true));
    await writeParquet(conn, INTERNAL_SELECT, path.join(internalDir, 'kennzahlen_intern_unmaskiert.parquet'));
    outputs.push(await info(x.outDir, 'intern/kennzahlen_intern_unmaskiert.parquet', rows, true));
    await conn.run('DROP TABLE spm_internal');
  }

  const configSha = x.project.configFile ? await sha256File(x.project.configFile) : undefined;
  const manifest = buildManifest({
    project: x.project,
    ...(configSha ? { configSha256: configSha } : {}),
    loaded: x.loaded,
    compiled: x.compiled,
    summary: x.summary,
    outputs,
    issues: [...x.issues],
  });
  await writeFileAtomic(path.join(x.outDir, 'manifest.json'), JSON.stringify(manifest, jsonReplacer, 2) + '\n');
  outputs.push(await info(x.outDir, 'manifest.json'));
  return outputs;
}
