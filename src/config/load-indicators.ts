/** Read indicator YAML files from the folders named in spm.yaml. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IndicatorSchema } from './schema.js';

const IndicatorFamilySchema = z.object({ indicators: z.array(IndicatorSchema).min(1) }).strict();
import type { LoadedIndicator } from './project.js';
import { parseYaml } from './yaml-source.js';
import { indicatorFileNames, recordDirRead, recordFileRead } from './read-log.js';
import { zodGerman, zodIssuesToIssues } from './zod-issues.js';
import type { Issue } from '../util/issues.js';
import { displayPath, packageRoot, resolveInProject } from '../util/paths.js';
import { linksOutside } from '../util/links.js';
import { sha256Text } from '../util/hash.js';
import type { ProjectFile } from './schema.js';
import { selectStandard, type StandardEntry } from './canonical/select.js';

/** The name that stands for the bundled standard Kennzahlenset in `indicators:`. */
export const STANDARD_SET = 'spm:standard';

export function standardIndicatorDir(): string {
  return path.join(packageRoot(), 'indicators');
}

/** Every indicator of the bundled standard set, as written (sources name canonical schemas). */
export function loadStandardSet(): { indicators: LoadedIndicator[]; issues: Issue[] } {
  return loadIndicatorFolders('.', [STANDARD_SET]);
}

/**
 * The indicators an `indicators:` list names: project folders as they are, the
 * standard set chosen, overridden and resolved to the project's sources.
 */
export function loadIndicatorEntries(
  root: string,
  config: ProjectFile,
): { indicators: LoadedIndicator[]; issues: Issue[] } {
  const indicators: LoadedIndicator[] = [];
  const issues: Issue[] = [];
  config.indicators.forEach((entry, i) => {
    const std: StandardEntry | undefined =
      typeof entry !== 'string' ? { kind: 'use', use: entry } : entry === STANDARD_SET ? { kind: 'all' } : undefined;
    if (!std) {
      const r = loadIndicatorFolders(root, [entry as string], config.settings.allow_links_outside_project);
      indicators.push(...r.indicators);
      issues.push(...r.issues.map((x) => (x.path === 'indicators' ? { ...x, path: `indicators[${i}]` } : x)));
      return;
    }
    const bundled = loadStandardSet();
    issues.push(...bundled.issues);
    const sel = selectStandard(config, std, `indicators[${i}]`, bundled.indicators);
    indicators.push(...sel.indicators);
    issues.push(...sel.issues);
  });
  return { indicators, issues };
}

export function loadIndicatorFolders(
  root: string,
  folders: readonly string[],
  allowLinksOutside = false,
): { indicators: LoadedIndicator[]; issues: Issue[] } {
  const indicators: LoadedIndicator[] = [];
  const issues: Issue[] = [];
  for (const folder of folders) {
    let dir: string;
    let shown: (abs: string) => string;
    if (folder === STANDARD_SET) {
      dir = standardIndicatorDir();
      shown = (abs) => `${STANDARD_SET}/${path.relative(dir, abs).split(path.sep).join('/')}`;
    } else {
      const r = resolveInProject(root, folder);
      if ('error' in r) {
        issues.push({ severity: 'error', code: 'config.path', message: r.error, path: 'indicators' });
        continue;
      }
      dir = r.abs;
      shown = (abs) => displayPath(root, abs);
    }
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      issues.push({
        severity: 'error',
        code: 'config.indicator_dir',
        message: `Indikatorordner "${folder}" nicht gefunden`,
        path: 'indicators',
      });
      continue;
    }
    const files = indicatorFileNames(dir);
    // the folder or a file in it linked out of the project is not read (the bundled set is spm's own)
    if (folder !== STANDARD_SET && !allowLinksOutside) {
      const linked = linksOutside(root, [dir], 'indicators');
      const outside =
        linked.length > 0
          ? linked
          : linksOutside(
              root,
              files.map((f) => path.join(dir, f)),
              'indicators',
            );
      if (outside.length > 0) {
        issues.push(...outside);
        continue;
      }
    }
    recordDirRead(dir, files);
    for (const f of files) {
      const abs = path.join(dir, f);
      const r = loadIndicatorFile(abs, shown(abs));
      indicators.push(...r.indicators);
      issues.push(...r.issues);
    }
  }
  return { indicators, issues };
}

export function loadIndicatorFile(abs: string, shown: string): { indicators: LoadedIndicator[]; issues: Issue[] } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    return {
      indicators: [],
      issues: [
        {
          severity: 'error',
          code: 'indicator.unreadable',
          message: `Indikatordatei nicht lesbar (${(e as NodeJS.ErrnoException).code ?? 'Fehler'})`,
          file: shown,
        },
      ],
    };
  }
  recordFileRead(abs, bytes);
  const y = parseYaml(bytes, shown);
  if (y.data === undefined) return { indicators: [], issues: y.issues };
  // one indicator or a family file: pick the schema by shape, so a mistake is reported
  // at its field (a union would only say "no variant matched" at the root)
  const family = y.data !== null && typeof y.data === 'object' && !Array.isArray(y.data) && 'indicators' in y.data;
  const parsed = (family ? IndicatorFamilySchema : IndicatorSchema).safeParse(y.data, zodGerman);
  if (!parsed.success) return { indicators: [], issues: [...y.issues, ...zodIssuesToIssues(parsed.error, shown, y)] };
  const defs = 'indicators' in parsed.data ? parsed.data.indicators : [parsed.data];
  const sha256 = sha256Text(bytes);
  return { indicators: defs.map((def) => ({ def, file: shown, absPath: abs, sha256 })), issues: y.issues };
}
