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
  return error.issues.flatMap(matchedBranch).map((iss) => {
    const path = [...basePath, ...iss.path];
    const keyPath = iss.code === 'unrecognized_keys' && iss.keys.length ? [...path, iss.keys[0] as string] : path;
    let message = iss.message;
    // zod's "erwartet Array, erhalten null/undefined" for a key left empty or out: said as a planner reads it
    const input = readInput(iss);
    if (iss.code === 'invalid_type' && (input === undefined || input === null)) {
      const what = TYPE_WORDS[iss.expected] ?? iss.expected;
      message =
        input === undefined
          ? `fehlt (erwartet: ${what})`
          : `ist leer (erwartet: ${what}; nach dem Doppelpunkt steht nichts)`;
    }
    if (iss.code === 'invalid_type' && iss.expected === 'string' && typeof input === 'number') {
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

/**
 * A union whose input matched the type of exactly one option (a list where `string | list`
 * is allowed) reports that option's own issues at their paths instead of zod's generic
 * "Ungültige Eingabe" at the union: `ziele[0].richtung` rather than `ziele`.
 */
function matchedBranch(iss: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (iss.code !== 'invalid_union' || !Array.isArray(iss.errors)) return [iss];
  const typed = iss.errors.filter((branch) => !branch.some((b) => b.code === 'invalid_type' && b.path.length === 0));
  if (typed.length !== 1) return [iss];
  return typed[0]!.map((b) => ({ ...b, path: [...iss.path, ...b.path] }) as z.core.$ZodIssue).flatMap(matchedBranch);
}

/** zod's expected types in words of a YAML file. */
const TYPE_WORDS: Record<string, string> = {
  array: 'eine Liste (Einträge mit „- “)',
  object: 'ein Abschnitt mit Schlüsseln',
  string: 'ein Text',
  number: 'eine Zahl',
  int: 'eine ganze Zahl',
  boolean: 'true oder false',
};

function readInput(iss: z.core.$ZodIssue): unknown {
  return (iss as { input?: unknown }).input;
}
