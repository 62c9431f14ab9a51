/**
 * The protection step's fallback (#18): when DuckDB runs out of memory under the bounded
 * default (4x NRW: an operator of the pass could not spill enough), the step runs once more
 * with more room and the previous limit is set back; any other error is not retried.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferPoolLimit, openDatabase } from '../../src/api/database.js';
import { roomOnOutOfMemory } from '../../src/compute/js-steps.js';

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-oom-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('roomOnOutOfMemory', () => {
  it('repeats work that ran out of memory under a larger limit, then sets the limit back', async () => {
    const db = await openDatabase(undefined, { memoryLimit: '64MB', tempDir: path.join(tmp, 'a') });
    try {
      const limits: string[] = [];
      const result = await roomOnOutOfMemory(
        db.conn,
        async () => {
          limits.push(await bufferPoolLimit(db.conn));
          if (limits.length === 1)
            throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (61.0 MiB/61.0 MiB used)');
          return 'fertig';
        },
        200 * 2 ** 20,
      );
      expect(result).toBe('fertig');
      expect(limits).toEqual(['61.0 MiB', '200.0 MiB']);
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
    } finally {
      db.close();
    }
  });

  it('does not repeat work that failed for another reason', async () => {
    const db = await openDatabase(undefined, { memoryLimit: '64MB', tempDir: path.join(tmp, 'b') });
    try {
      let calls = 0;
      await expect(
        roomOnOutOfMemory(db.conn, async () => {
          calls++;
          throw new Error('Binder Error: Referenced column "x" not found');
        }),
      ).rejects.toThrow('Binder Error');
      expect(calls).toBe(1);
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
    } finally {
      db.close();
    }
  });
});
