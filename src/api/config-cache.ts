/**
 * A cache of the config stage (spm.yaml and the indicator and goal files -> validated `Project`)
 * inside the project folder (`<project>/.spm/cache/config/`): YAML parsing and zod validation
 * of the standard set are about a quarter of a second of CPU on every run, most of it
 * code that runs only once per process.
 *
 * An entry records every file the stage read (absolute path and SHA-256) and every indicator
 * folder it listed, and is used only when all of them are unchanged, the spm code of the config
 * stage (every file of src/config and src/compile/filter, zod's and yaml's versions) is the same
 * and Node is the same. Only runs without errors are stored, with their warnings; and only when
 * the result survives v8 serialisation unchanged (`isDeepStrictEqual`, prototypes included).
 * Anything unreadable or different is a miss: the stage runs as without cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { LoadProjectResult } from '../config/load-project.js';
import { indicatorFileNames, type ConfigReads } from '../config/read-log.js';
import { sha256Text } from '../util/hash.js';
import { codeHash } from '../util/code-hash.js';
import { packageRoot, spmVersion } from '../util/paths.js';

/** Bumped when the stored form changes. */
const FORMAT = 1;

interface Stored {
  format: number;
  code: string;
  configFile: string;
  files: [string, string][];
  dirs: [string, string][];
  value: LoadProjectResult;
}

/** The config file `loadProject(dirOrFile)` reads (a folder means its spm.yaml). */
export function configFileOf(dirOrFile: string): string {
  const abs = path.resolve(dirOrFile);
  return fs.existsSync(abs) && fs.statSync(abs).isFile() ? abs : path.join(abs, 'spm.yaml');
}

let configKey: string | undefined;

/** SHA-256 over the code of the config stage (src/config, src/compile/filter), zod, yaml, spm and Node. */
function configCodeHash(): string {
  return (configKey ??= codeHash(
    [new URL('../config/', import.meta.url), new URL('../compile/filter/', import.meta.url)],
    ['zod', 'yaml'],
    `spm ${spmVersion()}\u0000node ${process.version}\u0000format ${FORMAT}`,
  ));
}

/** One entry per config file and spm installation (two installations read different standard sets). */
function entryFile(cacheDir: string, configFile: string): string {
  return path.join(cacheDir, 'config', `${sha256Text(`${configFile}\u0000${packageRoot()}`)}.bin`);
}

/** The cached result for `configFile`, or undefined when there is none or any input changed. */
export function readConfigCache(cacheDir: string, configFile: string): LoadProjectResult | undefined {
  try {
    const stored = v8.deserialize(fs.readFileSync(entryFile(cacheDir, configFile))) as Stored;
    if (stored.format !== FORMAT || stored.configFile !== configFile || stored.code !== configCodeHash())
      return undefined;
    for (const [file, sha] of stored.files) if (sha256Text(fs.readFileSync(file)) !== sha) return undefined;
    for (const [dir, listing] of stored.dirs) if (indicatorFileNames(dir).join('\n') !== listing) return undefined;
    return stored.value;
  } catch {
    return undefined;
  }
}

/** Stores a result with what it read; silently does nothing when it cannot (read-only folder, unclonable value). */
export function writeConfigCache(
  cacheDir: string,
  configFile: string,
  value: LoadProjectResult,
  reads: ConfigReads,
): void {
  try {
    const stored: Stored = {
      format: FORMAT,
      code: configCodeHash(),
      configFile,
      files: [...reads.files],
      dirs: [...reads.dirs],
      value,
    };
    const bytes = v8.serialize(stored);
    // a value that does not come back the same (a class instance, a function) is not cached
    if (!isDeepStrictEqual((v8.deserialize(bytes) as Stored).value, value)) return;
    const file = entryFile(cacheDir, configFile);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomUUID()}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } catch {
    // the cache is an optimisation: a run never fails for it
  }
}
