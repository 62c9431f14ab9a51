/**
 * Ingest stage: area list and sources into DuckDB tables.
 *
 * Tables created (the compute stage relies on exactly these):
 * - `areas(area_id, area_name, level, depth, parent_id, top1_id, valid_from, valid_to)`: every area
 *   of the declared hierarchy, the top included (depth 0); `top1_id` is the depth-1 ancestor
 *   (groups of `areas.groupings` too: level = the grouping's name, depth = deepest + 1, no parent)
 * - `area_groups(group_id, area_id)`: the members of each group
 * - `areas_kommune(kommune_ags, kommune_name)`, `areas_sozialraum(sozialraum_id, sozialraum_name,
 *   kommune_ags, valid_from, valid_to)`: the Kreis-shaped views (depth 1; depth 2 and deeper)
 * - `src_<id>(_file, _line, area_id, year, period, <columns...>[, <col>__flag])`
 * - `rejects(source, file, line, "column", code, reason, severity, area_id, year)`
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Project } from '../config/project.js';
import type { ParsedYaml } from '../config/yaml-source.js';
import { UserError, type Issue } from '../util/issues.js';
import { loadAreas } from './areas.js';
import { loadGroupings } from './groupings.js';
import { applyAreaChanges } from './area-changes.js';
import { depthOf, projectHierarchy } from '../config/hierarchy.js';
import { writeAreas, writeRejects } from './db.js';
import { loadSource, sourceFiles, type IngestOptions } from './source.js';
import type { LoadedSource, LoadedTables, RejectedRow } from './types.js';

export type { IngestOptions } from './source.js';
export * from './types.js';

/**
 * Loads the area list and every source of the project into DuckDB.
 * Throws UserError only when loading is impossible (unreadable area list, a source
 * without files, a configured header missing in a file); row-level problems become
 * `rejects`, file-level ones (empty file) error issues.
 */
export async function ingestProject(
  conn: DuckDBConnection,
  project: Project,
  opts: IngestOptions,
): Promise<LoadedTables> {
  mkdirSync(opts.tmpDir, { recursive: true });
  const cfg = project.config;
  const h = projectHierarchy(cfg);
  const needDepth = Math.max(1, ...cfg.sources.map((s) => depthOf(h, s.area.level)));
  let areas: Awaited<ReturnType<typeof loadAreas>>;
  try {
    areas = await loadAreas(project, needDepth);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(await placeInConfig(project, e.issues));
    throw e;
  }
  const issues: Issue[] = [...areas.issues];
  const rejects: RejectedRow[] = [...areas.rejects];
  if (cfg.areas.groupings.length > 0) {
    let g: Awaited<ReturnType<typeof loadGroupings>>;
    try {
      g = await loadGroupings(project, areas.index);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(await placeInConfig(project, e.issues));
      throw e;
    }
    const acc = areas.registry.accounting;
    areas.registry.groups = g.groups;
    acc.files.push(...g.files);
    for (const f of g.files) {
      acc.rows_read += f.rows_read;
      acc.rows_loaded += f.rows_loaded;
      acc.rows_rejected += f.rows_rejected;
    }
    issues.push(...g.issues);
    rejects.push(...g.rejects);
  }

  // boundary changes: checked against the area list; old codes whose late rows are carried are marked
  if (cfg.areas.changes.length > 0) {
    const ch = applyAreaChanges(cfg.areas.changes, areas.index, cfg.areas.file);
    if (ch.length > 0) throw new UserError(await placeInConfig(project, ch));
  }

  // resolve all file lists first so that config mistakes are reported together
  const fileLists: string[][] = [];
  const setupErrors: Issue[] = [];
  for (let i = 0; i < cfg.sources.length; i++) {
    try {
      fileLists.push(await sourceFiles(project, cfg.sources[i]!, i));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      setupErrors.push(...e.issues);
      fileLists.push([]);
    }
  }
  if (setupErrors.length > 0) throw new UserError(await placeInConfig(project, setupErrors));
  await opts.beforeRead?.(fileLists.flat());

  await writeAreas(conn, areas.registry);
  const sources = new Map<string, LoadedSource>();
  const headerErrors: Issue[] = [];
  for (let i = 0; i < cfg.sources.length; i++) {
    const src = cfg.sources[i]!;
    try {
      const r = await loadSource(conn, project, src, fileLists[i]!, areas.index, opts);
      sources.set(src.id, r.loaded);
      issues.push(...r.issues);
      rejects.push(...r.rejects);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      headerErrors.push(...e.issues.map((x) => ({ ...x, path: x.path ?? `sources[${i}]` })));
    }
  }
  if (headerErrors.length > 0) throw new UserError(headerErrors);

  rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  await writeRejects(conn, rejects);
  return { areas: areas.registry, sources, rejects, issues };
}

/**
 * Issues about spm.yaml itself (a YAML path, no file) get the file name and the
 * line of that path, like the config stage's own issues.
 */
async function placeInConfig(project: Project, issues: Issue[]): Promise<Issue[]> {
  const configFile = project.configFile;
  if (!configFile) return issues;
  // the YAML parser is loaded only on this error path (a cached config never loads it)
  const { parsePath, parseYaml } = await import('../config/yaml-source.js');
  const shown = path.basename(configFile);
  let y: ParsedYaml | undefined;
  return issues.map((i) => {
    if (i.file !== undefined || i.path === undefined) return i;
    try {
      y ??= parseYaml(readFileSync(configFile), shown);
    } catch {
      return { ...i, file: shown };
    }
    const line = y.lineOf(parsePath(i.path));
    return line === undefined ? { ...i, file: shown } : { ...i, file: shown, line };
  });
}
