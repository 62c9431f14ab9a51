/**
 * Without a database file a large project's published table lives compressed in its own in-memory
 * database (`spm_pub`, PUBLISHED_CATALOG) and `spm_published` is a view on it; a small one's (up
 * to SMALL_PUBLISHED_ROWS rows) stays a plain table, and so does the table with `--db` (a view
 * there would point into a database gone after the run). All three publish the same bytes, keep
 * the rows' order, and the export's raised memory limit is set back afterwards. The compressed one
 * takes a large project's steps (the published table and the neighbours of its rows split so that
 * DuckDB can spill each join), the other two a small project's (one statement each): the same bytes
 * compare the two.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spm } from '../../src/api/session.js';
import { DuckDBInstance } from '../../src/util/duckdb.js';
import { writeGermanCsv } from '../../src/export/csv.js';
import { PUBLISHED_CATALOG } from '../../src/publish/published.js';
import { bufferPoolLimit, withMemoryLimit } from '../../src/util/memory-limit.js';
import { tempDir } from '../tmp-dirs.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');

async function rowsOf(spm: Spm, sql: string): Promise<unknown[][]> {
  return (await spm.connection.runAndReadAll(sql)).getRowsJS();
}

/** The ids of the publish and neighbour steps in the plan the session runs. */
async function layoutSteps(spm: Spm): Promise<string[]> {
  const steps = (await spm.explain('seu_adipositas')).plan.steps.map((s) => s.id);
  return steps.filter((id) => id.startsWith('publish') || id.startsWith('neighbours'));
}

describe('the published table', () => {
  it('is compressed in memory when asked (or large), a plain table when small, a table of the file with --db; the same bytes', async () => {
    const dir = tempDir('spm-pub-compressed-');
    const out = { memory: path.join(dir, 'mem'), plain: path.join(dir, 'plain'), file: path.join(dir, 'file') };
    const years = [2023, 2024];

    const mem = await Spm.open(sample, { scratchDir: path.join(dir, 'scratch-mem'), compressPublished: true });
    try {
      await mem.compute({ years });
      const kinds = await rowsOf(
        mem,
        `SELECT database_name, 'table' FROM duckdb_tables() WHERE table_name = 'spm_published'
         UNION ALL SELECT database_name, 'view' FROM duckdb_views() WHERE view_name = 'spm_published' ORDER BY 1, 2`,
      );
      expect(kinds).toEqual([
        ['memory', 'view'],
        [PUBLISHED_CATALOG, 'table'],
      ]);
      // only the requested years: the DELETE reached the table behind the view
      expect(await rowsOf(mem, 'SELECT DISTINCT year FROM spm_published ORDER BY year')).toEqual(years.map((y) => [y]));
      expect(await layoutSteps(mem)).toEqual([
        'neighbours:prev',
        'neighbours:trend',
        'neighbours:base',
        'neighbours:rows',
        'publish_rows',
        'publish',
      ]);
      const limit = await bufferPoolLimit(mem.connection);
      await mem.export(out.memory);
      expect(await bufferPoolLimit(mem.connection)).toBe(limit);
    } finally {
      mem.close();
    }

    // the sample Kreis by default: small enough for a plain table of the main database
    const plain = await Spm.open(sample, { scratchDir: path.join(dir, 'scratch-plain') });
    try {
      await plain.compute({ years });
      const kinds = await rowsOf(
        plain,
        `SELECT database_name, 'table' FROM duckdb_tables() WHERE table_name = 'spm_published'
         UNION ALL SELECT database_name, 'view' FROM duckdb_views() WHERE view_name = 'spm_published'`,
      );
      expect(kinds).toEqual([['memory', 'table']]);
      expect(await layoutSteps(plain)).toEqual(['neighbours', 'publish']);
      await plain.export(out.plain);
    } finally {
      plain.close();
    }

    const dbFile = path.join(dir, 'spm.duckdb');
    const withFile = await Spm.open(sample, { db: dbFile, scratchDir: path.join(dir, 'scratch-file') });
    try {
      await withFile.compute({ years });
      await withFile.export(out.file);
    } finally {
      withFile.close();
    }
    // the file holds the table itself: readable after the run, without spm
    const inst = await DuckDBInstance.create(dbFile);
    try {
      const c = await inst.connect();
      const n = (
        await c.runAndReadAll("SELECT COUNT(*)::INTEGER FROM duckdb_tables() WHERE table_name = 'spm_published'")
      ).getRowsJS()[0]![0];
      expect(n).toBe(1);
      const rows = (await c.runAndReadAll('SELECT COUNT(*)::INTEGER FROM spm_published')).getRowsJS()[0]![0];
      expect(rows).toBeGreaterThan(0);
      c.closeSync();
    } finally {
      inst.closeSync();
    }

    for (const f of ['kennzahlen.csv', 'kennzahlen.parquet'])
      for (const other of [out.file, out.plain])
        expect(fs.readFileSync(path.join(other, f)).equals(fs.readFileSync(path.join(out.memory, f)))).toBe(true);
  });

  it('keeps its order through the compressing CHECKPOINT and a CSV written under a raised limit', async () => {
    const dir = tempDir('spm-pub-order-');
    const rows = 600_000;
    const inst = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '256MB' });
    const c = await inst.connect();
    try {
      await c.run(`ATTACH ':memory:' AS ${PUBLISHED_CATALOG} (COMPRESS)`);
      await c.run(`CREATE TABLE ${PUBLISHED_CATALOG}.t AS SELECT range::INTEGER AS k, 'Gebiet ' || (range % 977) AS s
        FROM range(${rows}) ORDER BY (range * 7919) % ${rows}`);
      await c.run(`CREATE TABLE ${PUBLISHED_CATALOG}.spm_published AS SELECT * FROM ${PUBLISHED_CATALOG}.t ORDER BY k`);
      await c.run(`CHECKPOINT ${PUBLISHED_CATALOG}`);
      await c.run(`CREATE VIEW spm_published AS SELECT * FROM ${PUBLISHED_CATALOG}.spm_published`);
      const file = path.join(dir, 'p.csv');
      const before = await bufferPoolLimit(c);
      expect(await withMemoryLimit(c, '1GB', () => writeGermanCsv(c, 'SELECT k, s FROM spm_published', file))).toBe(
        rows,
      );
      const ks = fs
        .readFileSync(file, 'utf8')
        .split('\r\n')
        .slice(1, -1)
        .map((l) => Number(l.split(';')[0]));
      expect(ks).toHaveLength(rows);
      expect(ks.filter((k, j) => k !== j)).toEqual([]);
      expect(await bufferPoolLimit(c)).toBe(before);
    } finally {
      c.closeSync();
      inst.closeSync();
    }
  });
});
