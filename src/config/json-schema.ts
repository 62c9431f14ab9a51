/** JSON Schema for editors, generated from the zod schemas (never hand-written). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { makeDir } from '../util/environment.js';
import { UserError } from '../util/issues.js';
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

/** The files `spm schema --out` writes, by kind. */
export const SCHEMA_FILES: Record<SchemaKind, string> = {
  project: 'spm.schema.json',
  indicator: 'indicator.schema.json',
  goals: 'ziele.schema.json',
};

/**
 * `spm schema --out <dir>`: the three schema files into `dir` (usually the project folder, beside
 * spm.yaml). Refuses `/` and the home folder, a file where the folder should be, and a file of the
 * same name that is not an spm schema (an earlier `spm schema` output, known by its title, is
 * replaced); nothing is written unless all three can be. Returns the paths written.
 */
export function writeSchemaFiles(dir: string): string[] {
  const abs = path.resolve(dir);
  const refuse = (message: string): never => {
    throw new UserError({ severity: 'error', code: 'schema.out', message });
  };
  if (path.dirname(abs) === abs || abs === path.resolve(os.homedir()))
    refuse(
      `${dir} ist ${path.dirname(abs) === abs ? 'das Wurzelverzeichnis' : 'das Home-Verzeichnis'}; bitte den Projektordner oder einen eigenen Ordner angeben`,
    );
  const kinds = Object.keys(SCHEMA_FILES) as SchemaKind[];
  for (const kind of kinds) {
    const file = path.join(abs, SCHEMA_FILES[kind]);
    if (!fs.existsSync(file)) continue;
    let title: unknown;
    try {
      title = (JSON.parse(fs.readFileSync(file, 'utf8')) as { title?: unknown }).title;
    } catch {
      title = undefined;
    }
    if (title !== TITLES[kind])
      refuse(
        `${path.join(dir, SCHEMA_FILES[kind])} gibt es schon und ist kein JSON Schema von spm; die Datei bleibt unverändert. Bitte einen anderen Ordner angeben oder die Datei umbenennen.`,
      );
  }
  makeDir(abs);
  return kinds.map((kind) => {
    const file = path.join(dir, SCHEMA_FILES[kind]);
    fs.writeFileSync(file, `${JSON.stringify(jsonSchema(kind), null, 2)}\n`);
    return file;
  });
}
