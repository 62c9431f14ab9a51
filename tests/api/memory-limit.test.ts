/**
 * The DuckDB memory limit around loading (#18): the session loads under a 1 GB limit so large
 * extracts spill, and afterwards the buffer pool must be back at the limit it had before.
 * DuckDB 1.5's `RESET memory_limit` only reset the setting's value, not the buffer pool, so the
 * 1 GB limit stayed in force for the whole run and 4x NRW ran out of memory after suppression.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bufferPoolLimit,
  defaultMemoryLimit,
  limitSetting,
  openDatabase,
  withMemoryLimit,
} from '../../src/api/database.js';
import { Spm } from '../../src/index.js';
import { withMemoryAtLeast, withMemoryAtMost } from '../../src/util/memory-limit.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-memory-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('memory limit while loading', () => {
  it('is set back in the buffer pool after load (not only in the setting)', async () => {
    const spm = await Spm.open(sample, { scratchDir: path.join(tmp, 'session') });
    try {
      const before = await bufferPoolLimit(spm.connection);
      await spm.load();
      expect(await bufferPoolLimit(spm.connection)).toBe(before);
      expect(before).not.toBe('953.6 MiB');
    } finally {
      spm.close();
    }
  }, 60_000);

  it('is set back when the work under the limit throws', async () => {
    const db = await openDatabase(undefined, { tempDir: path.join(tmp, 'throws') });
    try {
      const before = await bufferPoolLimit(db.conn);
      await expect(
        withMemoryLimit(db.conn, '100MB', async () => {
          expect(await bufferPoolLimit(db.conn)).toBe('95.3 MiB');
          throw new Error('Abbruch');
        }),
      ).rejects.toThrow('Abbruch');
      expect(await bufferPoolLimit(db.conn)).toBe(before);
    } finally {
      db.close();
    }
  });

  it('is lowered for the protection pass: what DuckDB holds beyond it is written out, then set back; never raised', async () => {
    const db = await openDatabase(undefined, { tempDir: path.join(tmp, 'at-most') });
    const held = async () =>
      Number(
        (
          await db.conn.runAndReadAll('SELECT sum(memory_usage_bytes)::DOUBLE FROM duckdb_memory()')
        ).getRowsJS()[0]?.[0],
      );
    try {
      await db.conn.run('CREATE TABLE t AS SELECT i, i * 0.5 AS d FROM range(6000000) r(i)');
      const before = await bufferPoolLimit(db.conn);
      expect(await held()).toBeGreaterThan(64 * 2 ** 20);
      const seen = await withMemoryAtMost(db.conn, 32 * 2 ** 20, async () => [
        await bufferPoolLimit(db.conn),
        await held(),
      ]);
      expect(seen[0]).toBe('32.0 MiB');
      expect(seen[1]).toBeLessThanOrEqual(32 * 2 ** 20);
      expect(await bufferPoolLimit(db.conn)).toBe(before);
      // the table is read back when needed
      const sum = (await db.conn.runAndReadAll('SELECT sum(d)::DOUBLE FROM t')).getRowsJS()[0]?.[0];
      expect(sum).toBe((0.5 * 5999999 * 6000000) / 2);
      await withMemoryLimit(db.conn, '16MB', async () => {
        const inner = await withMemoryAtMost(db.conn, 32 * 2 ** 20, () => bufferPoolLimit(db.conn));
        expect(inner).toBe('15.2 MiB');
      });
    } finally {
      db.close();
    }
  }, 60_000);

  it('a reported limit is set to the middle of its rounding step, so it reads the same again', () => {
    expect(limitSetting('18.8 GiB')).toBe(String(Math.round(18.85 * 2 ** 30)) + 'b');
    expect(limitSetting('953.6 MiB')).toBe(String(Math.round(953.65 * 2 ** 20)) + 'b');
    expect(limitSetting('2 GiB')).toBe(String(Math.round(2.05 * 2 ** 30)) + 'b');
    expect(limitSetting('unbekannt')).toBe('unbekannt');
  });
});

describe('default memory limit (#18)', () => {
  it('is 1 GiB, or 80 % of RAM on a machine with less', () => {
    expect(defaultMemoryLimit(24 * 2 ** 30)).toBe(`${2 ** 30}b`);
    expect(defaultMemoryLimit(2 ** 30)).toBe(`${Math.floor(0.8 * 2 ** 30)}b`);
  });

  it('bounds a session without --memory-limit, also after loading (not 80 % of RAM)', async () => {
    const spm = await Spm.open(sample, { scratchDir: path.join(tmp, 'default') });
    try {
      const expected = os.totalmem() * 0.8 > 2 ** 30 ? '1.0 GiB' : await bufferPoolLimit(spm.connection);
      expect(await bufferPoolLimit(spm.connection)).toBe(expected);
      await spm.load();
      expect(await bufferPoolLimit(spm.connection)).toBe(expected);
    } finally {
      spm.close();
    }
  }, 60_000);
});

describe('spilling', () => {
  it('work larger than the memory limit spills to the temp folder instead of failing', async () => {
    const tempDir = path.join(tmp, 'spill');
    const db = await openDatabase(undefined, { memoryLimit: '64MB', tempDir, threads: 1 });
    try {
      // ~200 MB of distinct strings: neither the table nor the hash table fits in 64 MB
      await db.conn.run("CREATE TABLE t AS SELECT i, 'zeile-' || i || repeat('x', 60) AS v FROM range(3000000) r(i)");
      const spilled = (await db.conn.runAndReadAll('SELECT count(*) FROM duckdb_temporary_files()')).getRows();
      const n = (await db.conn.runAndReadAll('SELECT count(*) FROM (SELECT v, count(*) FROM t GROUP BY v)')).getRows();
      expect(Number(n[0]?.[0])).toBe(3_000_000);
      expect(Number(spilled[0]?.[0])).toBeGreaterThan(0);
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
    } finally {
      db.close();
    }
  }, 60_000);
});

describe('allocator', () => {
  it('hands freed memory back sooner than DuckDB by default (thresholds, background thread)', async () => {
    const db = await openDatabase(undefined, { tempDir: path.join(tmp, 'allocator') });
    try {
      const r = await db.conn.runAndReadAll(
        `SELECT current_setting('allocator_flush_threshold'), current_setting('allocator_bulk_deallocation_flush_threshold'),
          current_setting('allocator_background_threads')::VARCHAR`,
      );
      // DuckDB's defaults are 128 MiB, 512 MiB and false
      expect(r.getRowsJS()[0]).toEqual(['16.0 MiB', '64.0 MiB', 'true']);
    } finally {
      db.close();
    }
  });
});

describe('memory limit while the main table is written (withMemoryAtLeast)', () => {
  it('raises a lower limit for the work and sets it back; never lowers a higher one (the 80 % fallback)', async () => {
    const db = await openDatabase(undefined, { memoryLimit: '64MB', tempDir: path.join(tmp, 'at-least') });
    try {
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
      const seen = await withMemoryAtLeast(db.conn, 3 * 2 ** 30, () => bufferPoolLimit(db.conn));
      expect(seen).toBe('3.0 GiB');
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
      // under a higher limit (as in roomOnOutOfMemory's repetition) the work keeps it
      await withMemoryLimit(db.conn, '8GB', async () => {
        const higher = await bufferPoolLimit(db.conn);
        expect(await withMemoryAtLeast(db.conn, 3 * 2 ** 30, () => bufferPoolLimit(db.conn))).toBe(higher);
        expect(await bufferPoolLimit(db.conn)).toBe(higher);
      });
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
    } finally {
      db.close();
    }
  });
});
