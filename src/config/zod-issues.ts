/** Turn zod issues into spm issues with file, line and YAML path, in German. */
import { z } from 'zod';
import type { Issue } from '../util/issues.js';
import { formatPath, type ParsedYaml } from './yaml-source.js';

const german = z.locales.de();

/** Parse options that make zod speak German. */
export const zodGerman = { error: german.localeError, reportInput: true } as const;

export function zodIssuesToIssues(
  error: z.ZodError,
  file: string,
  yaml?: ParsedYaml,
  basePath: PropertyKey[] = [],
): Issue[] {
  return error.issues.map((iss) => {
    const path = [...basePath, ...iss.path];
    const keyPath = iss.code === 'unrecognized_keys' && iss.keys.length ? [...path, iss.keys[0] as string] : path;
    let message = iss.message;
    if (iss.code === 'invalid_type' && iss.expected === 'string' && typeof readInput(iss) === 'number') {
      message += ' (Schlüssel wie AGS in Anführungszeichen setzen, z. B. "05558")';
    }
    if (iss.code === 'unrecognized_keys') message += ' (Tippfehler? `spm schema` zeigt die erlaubten Felder)';
    const line = yaml?.lineOf(keyPath);
    const issue: Issue = {
      severity: 'error',
      code: `config.${iss.code}`,
      message,
      file,
      path: formatPath(keyPath) || '(Wurzel)',
    };
    if (line !== undefined) issue.line = line;
    return issue;
  });
}

function readInput(iss: z.core.$ZodIssue): unknown {
  return (iss as { input?: unknown }).input;
}
