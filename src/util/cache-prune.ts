/**
 * Pruning of a cache folder whose entries are files named `<64-hex key>.<...>` with one manifest
 * per entry (`<key><manifestSuffix>`), written under private names (`….tmp-<pid>-<uuid>`) and renamed.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Removes leftovers of killed runs (private names older than an hour) and every file of the
 * entries beyond the `keep` newest manifests (by time of writing).
 */
export function pruneCache(dir: string, manifestSuffix: string, keep: number): void {
  for (const f of fs.readdirSync(dir))
    if (/\.tmp-\d+-/.test(f) && Date.now() - fs.statSync(path.join(dir, f)).mtimeMs > 3_600_000)
      fs.rmSync(path.join(dir, f), { force: true });
  const entries = fs
    .readdirSync(dir)
    .filter((f) => /^[0-9a-f]{64}\./.test(f) && f.slice(64) === manifestSuffix)
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t || (a.f < b.f ? -1 : 1));
  const dropped = new Set(entries.slice(keep).map(({ f }) => f.slice(0, 64)));
  for (const f of fs.readdirSync(dir))
    if (dropped.has(f.slice(0, 64)) && !/\.tmp-\d+-/.test(f)) fs.rmSync(path.join(dir, f), { force: true });
}
