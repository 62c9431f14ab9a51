/** Goal areas against the area list: top, levels, groupings, ambiguous codes and `ebene`. */
import { describe, expect, it } from 'vitest';
import { GoalSchema, type GoalInput, type LoadedGoal } from '../../src/config/goals-schema.js';
import { projectHierarchy } from '../../src/config/hierarchy.js';
import { buildRegistry } from '../../src/ingest/areas.js';
import type { AreaRegistry } from '../../src/ingest/types.js';
import { goalAreaIssues } from '../../src/steering/goal-areas.js';
import { formatIssue } from '../../src/util/issues.js';

const h = projectHierarchy({
  kreis: { ags: '05558', name: 'Kreis' },
  areas: { file: 'g.csv', groupings: [], columns: {} } as never,
});
const reg: AreaRegistry = {
  ...buildRegistry(
    h,
    [
      { id: '05558004', name: 'Ascheberg', level: 'kommune', depth: 1, parent: '05558' },
      { id: '05558004-01', name: 'Nord', level: 'sozialraum', depth: 2, parent: '05558004' },
      { id: 'JA1', name: 'Sozialraum JA1', level: 'sozialraum', depth: 2, parent: '05558004' },
    ],
    { source: 'areas', files: [], rows_read: 0, rows_loaded: 0, rows_rejected: 0 },
  ),
  groups: [
    { id: 'JA1', name: 'Jugendamt 1', grouping: 'jugendamt', label: 'Jugendamt', of: 'kommune', members: ['05558004'] },
  ],
};

function goal(input: Partial<GoalInput>, index = 0): LoadedGoal {
  const def = GoalSchema.parse({
    id: `z${index}`,
    titel: 'Z',
    kennzahl: 'x',
    richtung: 'sinken',
    startjahr: 2020,
    zieljahr: 2024,
    ...input,
  });
  return { def, file: 'ziele.yaml', index, lines: { '': 10 + index * 10, gebiet: 12 + index * 10 } };
}

describe('goalAreaIssues', () => {
  it('accepts the top, a Kommune, a Sozialraum, a group chosen with ebene', () => {
    const goals = [
      goal({ gebiet: '05558' }, 0),
      goal({ gebiet: '05558004' }, 1),
      goal({ gebiete: ['05558004-01'] }, 2),
      goal({ gebiet: 'JA1', ebene: 'jugendamt' }, 3),
      goal({ gebiet: 'JA1', ebene: 'sozialraum' }, 4),
    ];
    expect(goalAreaIssues(goals, reg)).toEqual([]);
  });

  it('asks for ebene where a code is on two levels, and refuses a code not of the named level', () => {
    const issues = goalAreaIssues(
      [goal({ gebiet: 'JA1' }, 0), goal({ gebiet: '05558004', ebene: 'jugendamt' }, 1)],
      reg,
    );
    expect(issues.map(formatIssue)).toEqual([
      'Fehler: ziele.yaml:12, ziele[0].gebiet: Gebiet "JA1" kommt auf mehreren Ebenen vor (sozialraum, jugendamt): ebene angeben',
      'Fehler: ziele.yaml:22, ziele[1].gebiet: Gebiet "05558004" ist kein Gebiet der Ebene "jugendamt" (sondern: kommune)',
    ]);
  });
});
