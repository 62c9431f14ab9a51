/**
 * `spm schema --out <dir>` (writeSchemaFiles): writes the three schema files, replaces its own
 * earlier output, and never overwrites a user's file of the same name nor writes into `/`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILES, writeSchemaFiles } from '../../src/config/json-schema.js';
import { UserError } from '../../src/util/issues.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).message;
  }
  throw new Error('no error thrown');
};

describe('spm schema --out', () => {
  it('writes the three files and replaces them on a second run', () => {
    const out = path.join(dir, 'projekt');
    expect(writeSchemaFiles(out).map((f) => path.basename(f))).toEqual(Object.values(SCHEMA_FILES));
    const first = fs.readFileSync(path.join(out, 'spm.schema.json'), 'utf8');
    writeSchemaFiles(out);
    expect(fs.readFileSync(path.join(out, 'spm.schema.json'), 'utf8')).toBe(first);
  });

  it('keeps a user file of the same name and writes nothing', () => {
    const out = path.join(dir, 'fremd');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'ziele.schema.json'), '{"mine":1}');
    expect(message(() => writeSchemaFiles(out))).toContain(
      'ist kein JSON Schema von spm; die Datei bleibt unverändert',
    );
    expect(fs.readdirSync(out)).toEqual(['ziele.schema.json']);
    expect(fs.readFileSync(path.join(out, 'ziele.schema.json'), 'utf8')).toBe('{"mine":1}');
  });

  it('refuses the root folder and a file where the folder should be', () => {
    expect(message(() => writeSchemaFiles('/'))).toContain('Wurzelverzeichnis');
    const file = path.join(dir, 'datei.txt');
    fs.writeFileSync(file, 'x');
    expect(message(() => writeSchemaFiles(file))).toContain('ist eine Datei, kein Ordner');
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });
});
