/**
 * What the config stage read (files with their SHA-256, indicator folders with their listing),
 * recorded only while `withReadLog` runs: a cache of the stage's result (api/config-cache.ts)
 * is valid exactly as long as every one of these reads would give the same answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sha256Text } from '../util/hash.js';

export interface ConfigReads {
  /** Absolute path -> SHA-256 of the bytes read. */
  files: Map<string, string>;
  /** Absolute folder path -> its indicator file listing (`indicatorFileNames`). */
  dirs: Map<string, string>;
}

let current: ConfigReads | undefined;

/** Records a file the config stage read (no-op outside `withReadLog`). */
export function recordFileRead(abs: string, bytes: Uint8Array): void {
  current?.files.set(abs, sha256Text(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}

/** Records the listing of an indicator folder (no-op outside `withReadLog`). */
export function recordDirRead(abs: string, names: readonly string[]): void {
  current?.dirs.set(abs, names.join('\n'));
}

/** Runs the (synchronous) config stage and returns its result with everything it read. */
export function withReadLog<T>(work: () => T): { result: T; reads: ConfigReads } {
  const outer = current;
  const reads: ConfigReads = { files: new Map(), dirs: new Map() };
  current = reads;
  try {
    return { result: work(), reads };
  } finally {
    current = outer;
  }
}

/** The YAML files of an indicator folder (files, or links to files), sorted. */
export function indicatorFileNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((f) => /\.ya?ml$/i.test(f.name) && (f.isFile() || (f.isSymbolicLink() && isFile(path.join(dir, f.name)))))
    .map((f) => f.name)
    .sort();
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
