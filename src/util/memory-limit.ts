/**
 * DuckDB's memory limit and thread count, set for a piece of work and set back explicitly
 * (util: used by the session in api/, the protection step in compute/ and the export).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import os from 'node:os';
import { UserError } from './issues.js';

/** The buffer pool's memory limit as DuckDB reports it, e.g. "18.8 GiB" (what operators are held to). */
export async function bufferPoolLimit(conn: DuckDBConnection): Promise<string> {
  const rows = (await conn.runAndReadAll('SELECT memory_limit FROM pragma_database_size() LIMIT 1')).getRows();
  return String(rows[0]?.[0]);
}

const UNITS: Record<string, number> = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, PiB: 2 ** 50 };

/**
 * A reported limit as a value for SET. DuckDB reports a limit cut to one decimal ("18.8 GiB"
 * may be 18.83 GiB); the middle of that step is set, so the limit reads the same afterwards.
 */
export function limitSetting(reported: string): string {
  const m = /^(\d+(?:\.\d)?) ?([KMGTP]iB)$/.exec(reported.trim());
  if (!m) return reported.trim();
  return `${Math.round((Number(m[1]) + 0.05) * (UNITS[m[2]!] ?? 1))}b`;
}

/** The bytes of a {@link limitSetting} ("1127428915b"); undefined when it is not a number of bytes. */
function settingBytes(setting: string): number | undefined {
  const m = /^(\d+)b$/.exec(setting);
  return m ? Number(m[1]) : undefined;
}

/**
 * Runs `work` under a temporary DuckDB memory limit (fixed text such as "1GB", never user input)
 * and sets the previous limit back explicitly afterwards, also when `work` throws. Not
 * `RESET memory_limit`: in DuckDB 1.5 RESET restores the setting's value but leaves the buffer
 * pool at the temporary limit, so a 1 GB load limit silently stayed in force for the whole run
 * and 4x NRW ran out of memory after the suppression step.
 */
export async function withMemoryLimit<T>(conn: DuckDBConnection, limit: string, work: () => Promise<T>): Promise<T> {
  const before = await bufferPoolLimit(conn);
  await conn.run(`SET memory_limit = '${limit}'`);
  try {
    return await work();
  } finally {
    await conn.run(`SET memory_limit = '${limitSetting(before)}'`);
  }
}

/**
 * Runs `work` with DuckDB on one thread and sets the previous number back explicitly (RESET
 * would not restore it, like the memory limit above).
 */
export async function withOneThread<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  const threads = Number((await conn.runAndReadAll("SELECT current_setting('threads')")).getRowsJS()[0]?.[0]);
  if (!Number.isInteger(threads) || threads <= 1) return work();
  await conn.run('SET threads = 1');
  try {
    return await work();
  } finally {
    await conn.run(`SET threads = ${threads}`);
  }
}

/** True for DuckDB's out-of-memory error (an operator that could not spill enough under the limit). */
export function isOutOfMemory(e: unknown): e is Error {
  return e instanceof Error && /Out of Memory Error/.test(e.message);
}

/**
 * Inside {@link withMemoryAtMost}: runs a statement (or a read) `f` under the lowered limit and, if
 * DuckDB runs out of memory in it, once more under the limit from before, then lowers it again.
 */
export type WithRoom = <U>(f: () => Promise<U>) => Promise<U>;

/**
 * Runs `work` with DuckDB's memory limit lowered to `bytes` when it is higher (never raised) and sets
 * the previous limit back explicitly. Lowering the limit makes DuckDB write what it holds beyond it to
 * its scratch folder at once (read back when a later statement needs it), so the memory is free for JS
 * while `work` runs. If DuckDB cannot lower it (nothing it holds can be written out), `work` runs under
 * the previous limit.
 *
 * A statement inside `work` that needs more than the lowered limit is wrapped in `withRoom` (given to
 * `work`): it is repeated under the previous limit. Without it, the out-of-memory error left `work`, a
 * caller's fallback (roomOnOutOfMemory) raised the limit and repeated `work`, and `work` lowered it
 * again to `bytes`: the repetition failed the same way.
 */
export async function withMemoryAtMost<T>(
  conn: DuckDBConnection,
  bytes: number,
  work: (withRoom: WithRoom) => Promise<T>,
): Promise<T> {
  const before = limitSetting(await bufferPoolLimit(conn));
  const limit = settingBytes(before);
  const direct: WithRoom = (f) => f();
  if (limit === undefined || limit <= bytes) return work(direct);
  const lowered = `${Math.floor(bytes)}b`;
  try {
    await conn.run(`SET memory_limit = '${lowered}'`);
  } catch {
    return work(direct);
  }
  const withRoom: WithRoom = async (f) => {
    try {
      return await f();
    } catch (e) {
      if (!isOutOfMemory(e)) throw e;
      if (process.env.SPM_MEMORY_DEBUG)
        console.error(
          `memory: a read ran out of memory under ${lowered}, repeated under ${before}: ${e.message.split('\n')[0]}`,
        );
      await conn.run(`SET memory_limit = '${before}'`);
      const r = await f();
      // lowered again for the JS work that follows (best effort, as above)
      await conn.run(`SET memory_limit = '${lowered}'`).catch(() => undefined);
      return r;
    }
  };
  try {
    return await work(withRoom);
  } finally {
    await conn.run(`SET memory_limit = '${before}'`);
  }
}

/**
 * Runs `work` with DuckDB's memory limit raised to `bytes` when it is lower (never lowered: a caller's
 * fallback to 80 % of RAM stays) and sets the previous limit back explicitly afterwards.
 */
export async function withMemoryAtLeast<T>(conn: DuckDBConnection, bytes: number, work: () => Promise<T>): Promise<T> {
  const limit = settingBytes(limitSetting(await bufferPoolLimit(conn)));
  if (limit !== undefined && limit >= bytes) return work();
  return withMemoryLimit(conn, `${Math.floor(bytes)}b`, work);
}

/**
 * Runs `work`; if DuckDB runs out of memory in it (an operator that cannot spill enough under
 * the bounded default), runs it once more under DuckDB's own default of 80 % of RAM and then
 * sets the limit back. `work` must be repeatable (the protection pass replaces every table it
 * writes). Smaller projects never take the second path, so their memory stays bounded.
 */
export async function roomOnOutOfMemory<T>(
  conn: DuckDBConnection,
  work: () => Promise<T>,
  roomBytes: number = Math.floor(os.totalmem() * 0.8),
  /** The step's name for SPM_MEMORY_DEBUG. */
  label = 'step',
): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isOutOfMemory(e)) throw e;
    // says when the bounded default was not enough (the step then holds up to 80 % of RAM)
    if (process.env.SPM_MEMORY_DEBUG)
      console.error(
        `memory: ${label} ran out of memory under the limit, repeated under ${Math.floor(roomBytes / 2 ** 20)} MiB: ${e.message.split('\n')[0]}`,
      );
    return withMemoryLimit(conn, `${Math.floor(roomBytes)}b`, work);
  }
}

const MEMORY_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};
/** Below this DuckDB cannot hold the tables of a run's smallest step (it fails with "Out of Memory"). */
const MIN_MEMORY_LIMIT_BYTES = 16 * 2 ** 20;

/**
 * Checks a memory limit as DuckDB reads it ("2GB", "512 MiB", "1.5GB"; the unit is required), before
 * DuckDB sees it: DuckDB's own answer to "foo" or "2XB" is "Failed to set config", and it takes "-1GB"
 * as "no limit". Returns the limit unchanged.
 * @throws UserError naming the value and the accepted forms
 */
export function checkMemoryLimit(value: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value);
  const unit = m ? MEMORY_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new UserError({
      severity: 'error',
      code: 'db.memory_limit',
      message: `--memory-limit "${value}" ist keine Speichergröße: eine Zahl mit Einheit angeben, z. B. 2GB, 1.5GB oder 512MB (auch KB, TB, KiB, MiB, GiB, TiB).`,
    });
  if (Number(m[1]) * unit < MIN_MEMORY_LIMIT_BYTES)
    throw new UserError({
      severity: 'error',
      code: 'db.memory_limit',
      message: `--memory-limit "${value}" ist zu klein: mindestens 16MiB angeben (Vorgabe ohne die Option: 1 GiB).`,
    });
  return value;
}
