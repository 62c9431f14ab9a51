/**
 * A source that declares a canonical schema may leave out the `type` of its
 * canonical columns: it is taken from the schema (so `bmi_perzentil: { header:
 * "BMI-Perz." }` is a number, not the default count). An explicit type that
 * contradicts the schema is an error, because the standard filters rely on it.
 */
import type { ProjectFile } from '../schema.js';
import type { Issue } from '../../util/issues.js';
import { CANONICAL_SCHEMAS, canonicalSchema, type CanonicalColumn } from './schemas.js';

function schemaList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function canonicalColumn(schemas: readonly string[], name: string): CanonicalColumn | undefined {
  for (const id of schemas) {
    const col = canonicalSchema(id)?.columns.find((c) => c.name === name);
    if (col) return col;
  }
  return undefined;
}

/** Adds the canonical type to columns without one (on the raw YAML data, before zod). */
export function fillCanonicalTypes(data: unknown): unknown {
  if (!isObj(data) || !Array.isArray(data.sources)) return data;
  const sources = data.sources.map((s: unknown) => {
    if (!isObj(s) || s.schema === undefined || !isObj(s.columns)) return s;
    const schemas = schemaList(s.schema);
    const columns: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.columns)) {
      const col = canonicalColumn(schemas, k);
      columns[k] = col && isObj(v) && v.type === undefined ? { ...v, type: col.type } : v;
    }
    return { ...s, columns };
  });
  return { ...data, sources };
}

/** Unknown schema names and canonical columns declared with another type. */
export function canonicalTypeRule(_raw: unknown, config: ProjectFile): Issue[] {
  const issues: Issue[] = [];
  config.sources.forEach((s, i) => {
    const schemas = s.schema === undefined ? [] : Array.isArray(s.schema) ? s.schema : [s.schema];
    schemas.forEach((id) => {
      if (!canonicalSchema(id)) {
        issues.push({
          severity: 'error',
          code: 'config.unknown_schema',
          message: `Quellschema "${id}" gibt es nicht (vorhanden: ${CANONICAL_SCHEMAS.map((c) => c.id).join(', ')})`,
          path: `sources[${i}].schema`,
        });
      }
    });
    for (const [name, spec] of Object.entries(s.columns)) {
      const col = canonicalColumn(schemas, name);
      if (col && col.type !== spec.type) {
        issues.push({
          severity: 'error',
          code: 'config.canonical_type',
          message: `Spalte "${name}" hat im Quellschema den Typ ${col.type}, nicht ${spec.type} (type weglassen oder ${col.type} angeben)`,
          path: `sources[${i}].columns.${name}.type`,
        });
      }
    }
  });
  return issues;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
