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
import { withMemoryAtMost } from '../../src/util/memory-limit.js';
import { environmentIssue } from '../../src/util/environment.js';

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

const OOM = 'Out of Memory Error: failed to pin block of size 256.0 KiB (30.5 MiB/30.5 MiB used)';

describe('a read inside the lowered limit (withMemoryAtMost)', () => {
  it('that runs out of memory is repeated under the limit from before, then the limit is lowered again', async () => {
    const db = await openDatabase(undefined, { memoryLimit: '128MB', tempDir: path.join(tmp, 'c') });
    try {
      const limits: string[] = [];
      const after = await withMemoryAtMost(db.conn, 32 * 2 ** 20, async (withRoom) => {
        const r = await withRoom(async () => {
          limits.push(await bufferPoolLimit(db.conn));
          if (limits.length === 1) throw new Error(OOM);
          return 'gelesen';
        });
        expect(r).toBe('gelesen');
        return bufferPoolLimit(db.conn);
      });
      expect(limits).toEqual(['32.0 MiB', '122.0 MiB']);
      expect(after).toBe('32.0 MiB');
      expect(await bufferPoolLimit(db.conn)).toBe('122.0 MiB');
    } finally {
      db.close();
    }
  });

  it("inside roomOnOutOfMemory's repetition: repeated under the raised limit, not lowered again to fail the same way", async () => {
    const db = await openDatabase(undefined, { memoryLimit: '64MB', tempDir: path.join(tmp, 'd') });
    try {
      const limits: string[] = [];
      // a group read that needs more than the lowered limit and more than the bounded default
      const pass = () =>
        withMemoryAtMost(db.conn, 32 * 2 ** 20, (withRoom) =>
          withRoom(async () => {
            const l = await bufferPoolLimit(db.conn);
            limits.push(l);
            if (l !== '200.0 MiB') throw new Error(OOM);
            return 'fertig';
          }),
        );
      expect(await roomOnOutOfMemory(db.conn, pass, 200 * 2 ** 20)).toBe('fertig');
      // lowered, the default, then (the pass repeated) lowered and repeated under the raised limit
      expect(limits).toEqual(['32.0 MiB', '61.0 MiB', '32.0 MiB', '200.0 MiB']);
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
    } finally {
      db.close();
    }
  });

  it('other errors are not repeated', async () => {
    const db = await openDatabase(undefined, { memoryLimit: '64MB', tempDir: path.join(tmp, 'e') });
    try {
      let calls = 0;
      await expect(
        withMemoryAtMost(db.conn, 32 * 2 ** 20, (withRoom) =>
          withRoom(async () => {
            calls++;
            throw new Error('Binder Error: Referenced column "x" not found');
          }),
        ),
      ).rejects.toThrow('Binder Error');
      expect(calls).toBe(1);
      expect(await bufferPoolLimit(db.conn)).toBe('61.0 MiB');
    } finally {
      db.close();
    }
  });
});

describe('out of memory after the repetition', () => {
  it('is an environment issue with a German message (exit 1, no stack trace), not an internal error', () => {
    const issue = environmentIssue(new Error(OOM));
    expect(issue?.code).toBe('environment.memory');
    expect(issue?.message).toContain('Nicht genug Arbeitsspeicher');
    expect(issue?.message).toContain('--memory-limit');
    expect(issue && 'file' in issue).toBe(false);
    expect(environmentIssue(new Error('Binder Error: Referenced column "x" not found'))).toBeUndefined();
  });
});
