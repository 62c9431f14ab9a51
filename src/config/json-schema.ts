/** JSON Schema for editors, generated from the zod schemas (never hand-written). */
import { z } from 'zod';
import { IndicatorFileSchema, ProjectFileSchema } from './schema.js';
import { GoalsFileSchema } from './goals-schema.js';

/** `project`: spm.yaml; `indicator`: indicator files; `goals`: a goals file (`ziele.yaml`). */
export type SchemaKind = 'project' | 'indicator' | 'goals';

const TITLES: Record<SchemaKind, string> = {
  project: 'spm.yaml (Projektdatei)',
  indicator: 'spm-Indikatordatei',
  goals: 'spm-Zieldatei (ziele.yaml)',
};

export function jsonSchema(kind: SchemaKind): Record<string, unknown> {
  const schema = kind === 'project' ? ProjectFileSchema : kind === 'goals' ? GoalsFileSchema : IndicatorFileSchema;
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  out.title = TITLES[kind];
  return out;
}
