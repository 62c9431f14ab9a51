/**
 * Second hierarchies beside the main one (`areas.groupings`): Jugendamtsbezirke
 * that group Kommunen, Schulbezirke that group Sozialräume. Each grouping file
 * maps areas of one declared level to groups; a group's figures are published as
 * the sum of its members and are part of the suppression problem
 * (group = Σ members).
 */
import type { Project } from '../config/project.js';
import type { GroupingConfig } from '../config/schema.js';
import { UserError, type Issue } from '../util/issues.js';
import { isTotalWord, type AreaIndex } from './areas.js';
import { findHeader } from './fields.js';
import { msg } from './messages.js';
import { displayPath, escapesProject, resolveProjectPath } from './paths.js';
import { readCsvFile, type ReadFileResult } from './reader.js';
import type { FileAccounting, Group, RejectedRow } from './types.js';

export const GROUPINGS_SOURCE = 'areas';

export interface GroupingsResult {
  groups: Group[];
  files: FileAccounting[];
  rejects: RejectedRow[];
  issues: Issue[];
}

/** Reads every grouping file of the project against the loaded area index. */
export async function loadGroupings(project: Project, index: AreaIndex): Promise<GroupingsResult> {
  const out: GroupingsResult = { groups: [], files: [], rejects: [], issues: [] };
  const taken = new Map<string, string>(); // group id -> grouping (ids are unique across areas and groups)
  for (const [gi, g] of project.config.areas.groupings.entries()) await loadOne(project, index, g, gi, out, taken);
  return out;
}

async function loadOne(
  project: Project,
  index: AreaIndex,
  g: GroupingConfig,
  gi: number,
  out: GroupingsResult,
  taken: Map<string, string>,
): Promise<void> {
  const at = `areas.groupings[${gi}]`;
  if (escapesProject(g.file))
    throw new UserError({
      severity: 'error',
      code: 'config.path_escapes',
      message: msg.pathEscapes(g.file),
      path: `${at}.file`,
    });
  const abs = resolveProjectPath(project.root, g.file);
  const display = displayPath(project.root, abs);
  const cols = g.columns;
  const label = g.label ?? g.name;
  const members = index.at(g.of);
  const byId = new Map<string, Group>();
  const memberLine = new Map<string, number>();
  let idx = { area: -1, group: -1, name: -1 };
  let width = 0;
  let loaded = 0;
  let rejected = 0;
  const reject = (
    line: number,
    code: string,
    reason: string,
    severity: RejectedRow['severity'],
    raw: string,
    column?: string,
    area?: string,
  ): void => {
    rejected++;
    const r: RejectedRow = {
      source: GROUPINGS_SOURCE,
      file: display,
      line,
      code,
      reason,
      severity,
      raw: raw.slice(0, 200),
    };
    if (column !== undefined) r.column = column;
    if (area !== undefined) r.area_id = area;
    out.rejects.push(r);
    if (severity === 'error') {
      const issue: Issue = { severity: 'error', code: `areas.${code}`, message: reason, file: display, line };
      if (column !== undefined) issue.column = column;
      out.issues.push(issue);
    }
  };
  let result: ReadFileResult;
  try {
    result = await readCsvFile(
      abs,
      display,
      g.read,
      { keyHeaders: [cols.area_id, cols.group_id], allHeaders: Object.values(cols), numericHeaders: [] },
      {
        header(fields, line) {
          idx = {
            area: findHeader(fields, cols.area_id),
            group: findHeader(fields, cols.group_id),
            name: findHeader(fields, cols.group_name),
          };
          width = fields.length;
          const missing = [idx.area < 0 ? cols.area_id : '', idx.group < 0 ? cols.group_id : ''].filter(
            (x) => x !== '',
          );
          if (missing.length > 0)
            throw new UserError({
              severity: 'error',
              code: 'areas.missing_header',
              message: msg.missingHeaders(display, line, missing, fields),
              file: display,
              line,
            });
        },
        row(fields, line, raw, bad) {
          if (bad) return reject(line, 'encoding_error', msg.undecodableLine(g.read.encoding), 'error', raw);
          if (fields.length < width) return reject(line, 'ragged_row', msg.ragged(width, fields.length), 'error', raw);
          const cell = (i: number): string => (i >= 0 ? (fields[i] ?? '').trim() : '');
          let area = cell(idx.area);
          const group = cell(idx.group);
          const name = cell(idx.name);
          if (area === '' && group === '') return reject(line, 'total_row', msg.totalRow(name), 'info', raw);
          if (isTotalWord(area) || isTotalWord(group))
            return reject(line, 'total_row', msg.totalRow(isTotalWord(area) ? area : group), 'info', raw);
          if (!members.has(area) && members.has('0' + area)) area = '0' + area;
          if (!members.has(area))
            return reject(line, 'unknown_area', msg.unknownArea(area, g.of), 'error', raw, cols.area_id, area);
          if (group === '' || /[\\/:*?"<>|\u0000-\u001f]/.test(group))
            return reject(line, 'code_invalid', msg.codeInvalid(label, group), 'error', raw, cols.group_id, group);
          if (
            index.byId.has(group) ||
            index.registry.kreis.ags === group ||
            (taken.has(group) && taken.get(group) !== g.name)
          )
            return reject(
              line,
              'group_code_taken',
              msg.groupCodeTaken(label, group),
              'error',
              raw,
              cols.group_id,
              group,
            );
          const first = memberLine.get(area);
          if (first !== undefined)
            return reject(
              line,
              'duplicate_member',
              msg.duplicateMember(area, label, first),
              'error',
              raw,
              cols.area_id,
              area,
            );
          memberLine.set(area, line);
          let grp = byId.get(group);
          if (!grp) {
            grp = { id: group, name: name || group, grouping: g.name, label, of: g.of, members: [] };
            byId.set(group, grp);
            taken.set(group, g.name);
          }
          grp.members.push(area);
          loaded++;
        },
      },
    );
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.issues.map((i) => ({ ...i, path: i.path ?? `${at}.file` })));
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new UserError({
        severity: 'error',
        code: 'areas.unreadable',
        message: msg.areaFileMissing(display),
        file: display,
        path: `${at}.file`,
      });
    throw e;
  }
  out.issues.push(...result.issues);
  out.groups.push(...byId.values());
  out.files.push({
    file: display,
    sha256: result.sha256,
    bytes: result.bytes,
    read: result.read,
    header: result.header,
    rows_read: result.rows,
    rows_loaded: loaded,
    rows_rejected: rejected,
    skipped_lines: result.skipped,
  });
}
