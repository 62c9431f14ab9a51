/**
 * The project's area hierarchy as data: the top area and the levels below it,
 * in order. A Kreis project without `areas.levels` gets the hierarchy it always
 * had (kreis > kommune > sozialraum, columns from `areas.columns`), so old
 * spm.yaml files keep working unchanged.
 */
import type { AreasConfig, ProjectFile } from './schema.js';

/** One level below the top. `depth` 1 is the level directly below the top. */
export interface HierarchyLevel {
  name: string;
  label: string;
  depth: number;
  idColumn: string;
  nameColumn?: string;
  /** Column of the area list with other spellings of this level's area (`|`-separated). */
  aliasColumn?: string;
  /** `ags`: 8-digit Gemeindeschlüssel (a lost leading zero is repaired); `text`: any code. */
  code: 'text' | 'ags';
}

export interface Hierarchy {
  top: {
    level: string;
    label: string;
    id: string;
    name: string;
    /** Other spellings of the name in source files (`areas.top.aliases`): rows named so are its totals. */
    aliases: string[];
  };
  /** Levels below the top, from the top down (depth 1, 2, …). */
  levels: HierarchyLevel[];
  /** True for the classic Kreis shape declared with `kreis:` (AGS checks against the Kreis code). */
  kreisShape: boolean;
}

const LABELS: Record<string, string> = { kreis: 'Kreis', kommune: 'Kommune', sozialraum: 'Sozialraum' };

/** The hierarchy a project declares (or the default Kreis hierarchy). */
export function projectHierarchy(config: Pick<ProjectFile, 'kreis' | 'areas'>): Hierarchy {
  const a: AreasConfig = config.areas;
  const c = a.columns;
  const kreis = config.kreis;
  const top = a.top
    ? {
        level: a.top.level,
        label: a.top.label ?? a.top.level,
        id: a.top.id,
        name: a.top.name,
        aliases: a.top.aliases ?? [],
      }
    : { level: 'kreis', label: LABELS.kreis!, id: kreis.ags, name: kreis.name, aliases: [] };
  const levels: HierarchyLevel[] = a.levels
    ? a.levels.map((l, i) => ({
        name: l.name,
        label: l.label ?? l.name,
        depth: i + 1,
        idColumn: l.id_column,
        code: l.code,
        ...(l.name_column ? { nameColumn: l.name_column } : {}),
        ...(l.alias_column ? { aliasColumn: l.alias_column } : {}),
      }))
    : [
        {
          name: 'kommune',
          label: LABELS.kommune!,
          depth: 1,
          idColumn: c.kommune_ags,
          nameColumn: c.kommune_name,
          code: 'ags',
        },
        {
          name: 'sozialraum',
          label: LABELS.sozialraum!,
          depth: 2,
          idColumn: c.sozialraum_id,
          nameColumn: c.sozialraum_name,
          code: 'text',
        },
      ];
  return { top, levels, kreisShape: !a.top };
}

/** `areaKey` spellings of the top's name and its aliases (a row named so is the top's total). */
export function topNameKeys(h: Hierarchy, key: (s: string) => string): Set<string> {
  return new Set([h.top.name, ...h.top.aliases].map(key));
}

/** All level names, top first. */
export function levelNames(h: Hierarchy): string[] {
  return [h.top.level, ...h.levels.map((l) => l.name)];
}

/** Depth of a level name (0 = top), or -1 if the hierarchy has no such level. */
export function depthOf(h: Hierarchy, level: string): number {
  if (level === h.top.level) return 0;
  const l = h.levels.find((x) => x.name === level);
  return l ? l.depth : -1;
}
