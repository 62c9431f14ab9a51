/** JSON Schema for editors, generated from the zod schemas (never hand-written). */
import { z } from 'zod';
import { IndicatorFileSchema, ProjectFileSchema } from './schema.js';

export type SchemaKind = 'project' | 'indicator';

export function jsonSchema(kind: SchemaKind): Record<string, unknown> {
  const schema = kind === 'project' ? ProjectFileSchema : IndicatorFileSchema;
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  out.title = kind === 'project' ? 'spm.yaml (Projektdatei)' : 'spm-Indikatordatei';
  return out;
}
