/**
 * `spm indicators [dir]`: the standard set with what each indicator needs
 * (canonical schema and columns) and, for a project, whether it provides that and
 * whether its `indicators:` list selects the indicator. Works on a project that
 * does not validate yet (it is the tool to get it there): spm.yaml is only
 * shape-checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadStandardSet, STANDARD_SET } from '../config/load-indicators.js';
import { standardStatus, selectStandard, missingText, type StandardEntry } from '../config/canonical/select.js';
import { fillCanonicalTypes } from '../config/canonical/fill.js';
import { ProjectFileSchema, type ProjectFile } from '../config/schema.js';
import { parseYaml } from '../config/yaml-source.js';
import { zodGerman, zodIssuesToIssues } from '../config/zod-issues.js';
import { PROJECT_FILE } from '../config/load-project.js';
import { UserError } from '../util/issues.js';

/** One indicator of the standard set and how a project stands to it. */
export interface StandardIndicatorInfo {
  id: string;
  title: string;
  family: string;
  unit: string;
  needs: { role: 'numerator' | 'denominator'; schema: string; columns: string[]; source?: string; missing?: string }[];
  /** Only with a project: every need is met. */
  provided?: boolean;
  /** Only with a project: its `indicators:` list computes this indicator. */
  selected?: boolean;
  /** Only with a project and not provided: what is missing (German). */
  missing?: string;
}

export interface IndicatorsRunResult {
  /** spm.yaml read, or undefined when the folder has none. */
  project?: string;
  indicators: StandardIndicatorInfo[];
}

/** List the standard set, against the project in `dir` when it has an spm.yaml. */
export function standardIndicators(dir?: string): IndicatorsRunResult {
  const bundled = loadStandardSet();
  if (bundled.issues.some((i) => i.severity === 'error')) throw new UserError(bundled.issues);
  const file = dir === undefined ? undefined : path.join(path.resolve(dir), PROJECT_FILE);
  const config = file && fs.existsSync(file) ? readConfig(file) : undefined;
  if (!config) {
    return {
      indicators: standardStatus(emptyConfig(), bundled.indicators).map((s) => ({
        ...base(s.indicator.def),
        needs: s.provisions.map((p) => ({ role: p.role, schema: p.schema, columns: p.columns })),
      })),
    };
  }
  const selected = new Set<string>();
  config.indicators.forEach((e, i) => {
    const std: StandardEntry | undefined =
      typeof e !== 'string' ? { kind: 'use', use: e } : e === STANDARD_SET ? { kind: 'all' } : undefined;
    if (std)
      for (const li of selectStandard(config, std, `indicators[${i}]`, bundled.indicators).indicators)
        selected.add(li.def.id);
  });
  return {
    project: file,
    indicators: standardStatus(config, bundled.indicators).map((s) => ({
      ...base(s.indicator.def),
      needs: s.provisions.map((p) => ({
        role: p.role,
        schema: p.schema,
        columns: p.columns,
        ...(p.provision.ok ? { source: p.provision.source } : { missing: p.provision.missing }),
      })),
      provided: s.provided,
      selected: selected.has(s.indicator.def.id),
      ...(s.provided ? {} : { missing: missingText(s) }),
    })),
  };
}

function base(d: {
  id: string;
  title: string;
  family: string;
  unit: string;
}): Pick<StandardIndicatorInfo, 'id' | 'title' | 'family' | 'unit'> {
  return { id: d.id, title: d.title, family: d.family, unit: d.unit };
}

function readConfig(file: string): ProjectFile {
  const y = parseYaml(fs.readFileSync(file), PROJECT_FILE);
  if (y.data === undefined) throw new UserError(y.issues);
  const r = ProjectFileSchema.safeParse(fillCanonicalTypes(y.data), zodGerman);
  if (!r.success) throw new UserError(zodIssuesToIssues(r.error, PROJECT_FILE, y));
  return r.data;
}

function emptyConfig(): ProjectFile {
  return { sources: [], indicators: [] } as unknown as ProjectFile;
}
