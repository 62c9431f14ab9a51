/** The Sozialindex of a project: its configuration, indicator definitions and lowest area level. */
import type { Project } from '../config/project.js';
import type { SozialindexConfig } from '../config/sozialindex-schema.js';
import { levelNames, projectHierarchy } from '../config/hierarchy.js';
import { UserError } from '../util/issues.js';
import { buildSteering, type IndicatorInfo, type SteeringReport, type SteeringRow } from './build.js';

/** Level whose areas the index ranks: the lowest of the declared hierarchy (`sozialraum` for a Kreis). */
export function indexLevel(project: Project): string {
  const names = levelNames(projectHierarchy(project.config));
  return names[names.length - 1] as string;
}

/** Levels of the published rows the index reads: its own and the one above (Kommune names). */
export function indexLevels(project: Project): string[] {
  const names = levelNames(projectHierarchy(project.config));
  return names.slice(-2);
}

export function indicatorInfos(project: Project): IndicatorInfo[] {
  return project.indicators.map(({ def }) => ({
    id: def.id,
    title: def.title,
    ...(def.short_title ? { short_title: def.short_title } : {}),
    polarity: def.polarity,
    unit: def.unit,
  }));
}

/**
 * Build the Sozialindex from published rows with the project's `sozialindex:` (or the given) configuration.
 * @throws UserError when neither is given or the configuration does not fit the data
 */
export function steeringFromProject(
  project: Project,
  rows: readonly SteeringRow[],
  config?: SozialindexConfig,
  knownAreas?: SteeringReport['areas'],
): SteeringReport {
  const cfg = config ?? project.config.sozialindex;
  if (!cfg)
    throw new UserError({
      severity: 'error',
      code: 'sozialindex.not_configured',
      message: 'Kein Sozialindex konfiguriert: bitte in spm.yaml einen Abschnitt sozialindex: anlegen (siehe README).',
    });
  return buildSteering(rows, cfg, indicatorInfos(project), indexLevel(project), project.configFile, knownAreas);
}
