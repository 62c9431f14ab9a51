/**
 * Many files cut from one table with one COPY per format, instead of one COPY per file
 * (the comparison per Kommune: about 800 statements at NRW size, now 3).
 *
 * DuckDB writes one file per value of a partition column (`PARTITION_BY`, into hive
 * folders `<column>=<value>/`); the files are then renamed to their own names. The
 * partition value is the position of the file's key in `keys` (a number), so no key
 * text ends up in a folder name that DuckDB would have to escape.
 *
 * Order: DuckDB's partitioned writer keeps a partition's rows in order only while every
 * chunk it receives belongs to one partition (rows of a chunk holding several partitions
 * are buffered per partition and can land behind rows of a later chunk; tested in
 * tests/export/partitioned.test.ts). So the rows are first written into a table in file
 * order (`spm_teile`: key position, then the file's order), and the COPY reads a UNION ALL
 * of one branch per key that scans that table for its key (a scan on one DuckDB thread keeps
 * the table's order, and a chunk never mixes branches).
 *
 * Cost: every branch scans the table, and a partitioned writer with many partitions costs more
 * per partition, so the keys go in batches of `KEYS_PER_COPY`, one COPY each. NRW bench (396
 * Kommunen, 9,900 rows of the comparison, Parquet): one COPY of 396 branches that each unnested
 * a list per key took 3.0 s; table branches 2.1 s, in batches of 50 1.5 s. At three times as many
 * keys (1,188): 11.9 s, 8.8 s, 6.0 s. (A plain partitioned COPY takes 0.9 s there but puts rows
 * out of order.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';
import { quoteIdent, sqlString } from '../util/sql.js';
import { withOneThread } from '../util/memory-limit.js';
import { CSV_COPY_OPTIONS } from './csv.js';
import { PARQUET_COPY_OPTIONS } from './parquet.js';

/** The partition column: not a column of any exported table, and not written into the files. */
const PART = '__spm_datei';
/** Keys (files) per COPY statement (see above). */
const KEYS_PER_COPY = 50;

export interface PartitionedFiles {
  /** The rows of all files (any order). */
  select: string;
  /** The column of `select` naming the file a row goes to. */
  keyColumn: string;
  /** The order of the rows inside each file (an ORDER BY list over the columns of `select`). */
  orderBy: string;
  /** Keys with files of their own; rows of other keys are not written. */
  keys: readonly string[];
  /** Folder the files go to. */
  dir: string;
  /** German CSV: the column expressions over `q.<column>` (see `germanCsvColumns`) and each key's file name. */
  csv?: { columns: readonly string[]; fileName: (key: string) => string };
  /** Parquet: each key's file name. */
  parquet?: { fileName: (key: string) => string };
}

/**
 * Writes per format one file per key that has rows; returns the keys written (a key
 * without rows gets no file here: the caller writes its empty files on its own).
 */
export async function writePartitioned(conn: DuckDBConnection, p: PartitionedFiles): Promise<Set<string>> {
  const written = new Set<string>();
  if (p.keys.length === 0 || (!p.csv && !p.parquet)) return written;
  const key = quoteIdent(p.keyColumn);
  const keys = listValue([...p.keys]);
  try {
    // the rows in file order: key position, then the file's own order (the position is the
    // partition value; the select's columns follow it unchanged)
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE spm_teile AS
      SELECT list_position($1::VARCHAR[], spm_zeile.${key}) AS ${PART}, spm_zeile.*
      FROM (${p.select}) spm_zeile WHERE list_position($1::VARCHAR[], spm_zeile.${key}) IS NOT NULL
      ORDER BY ${PART}, ${p.orderBy}`,
      [keys],
    );
    /** The rows of keys from..to−1 (positions from+1..to), one branch per key. */
    const branches = (from: number, to: number) =>
      p.keys
        .slice(from, to)
        .map((_, j) => `SELECT * FROM spm_teile WHERE ${PART} = ${from + j + 1}`)
        .join('\nUNION ALL ');
    await withOneThread(conn, async () => {
      for (let from = 0; from < p.keys.length; from += KEYS_PER_COPY) {
        const to = Math.min(p.keys.length, from + KEYS_PER_COPY);
        if (p.csv) {
          const sql = `SELECT q.${PART}, ${p.csv.columns.join(', ')} FROM (${branches(from, to)}) q`;
          for (const k of await copyParts(conn, sql, CSV_COPY_OPTIONS, p, 'csv', p.csv.fileName)) written.add(k);
        }
        if (p.parquet)
          for (const k of await copyParts(
            conn,
            branches(from, to),
            PARQUET_COPY_OPTIONS,
            p,
            'parquet',
            p.parquet.fileName,
          ))
            written.add(k);
      }
    });
  } finally {
    await conn.run('DROP TABLE IF EXISTS spm_teile');
  }
  return written;
}

/** One partitioned COPY of `select` into a temporary folder, its files renamed into `p.dir`. */
async function copyParts(
  conn: DuckDBConnection,
  select: string,
  options: string,
  p: PartitionedFiles,
  what: string,
  fileName: (key: string) => string,
): Promise<string[]> {
  const tmp = path.join(p.dir, `.spm-teile-${process.pid}-${what}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  const keys: string[] = [];
  try {
    // COPY takes no parameter for its target, hence sqlString (see util/sql.ts).
    await conn.run(
      `COPY (${select}) TO ${sqlString(tmp)} (${options}, PARTITION_BY (${PART}), FILENAME_PATTERN 'teil_{i}')`,
    );
    const prefix = `${PART}=`;
    for (const entry of fs.readdirSync(tmp)) {
      const index = Number(entry.startsWith(prefix) ? entry.slice(prefix.length) : Number.NaN);
      const key = p.keys[index - 1];
      const files = fs.readdirSync(path.join(tmp, entry));
      // one file per partition is what makes the rename right; anything else is a bug, not a user error
      if (!Number.isInteger(index) || key === undefined || files.length !== 1)
        throw new Error(`partitioned COPY wrote an unexpected folder ${entry} (${files.length} files)`);
      fs.renameSync(path.join(tmp, entry, files[0] as string), path.join(p.dir, fileName(key)));
      keys.push(key);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return keys;
}
