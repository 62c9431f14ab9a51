/**
 * YAML parsing that remembers where every value came from, so a zod issue at
 * `sources[2].period.kind` can be reported as `spm.yaml:14`.
 */
import { isUtf8 } from 'node:buffer';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, visit, type Document, type Node } from 'yaml';
import type { Issue } from '../util/issues.js';

/** More alias expansions than this in one file are refused (an "alias bomb" would expand exponentially). */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  data: unknown;
  /** 1-based line of the node at `path` (or of its nearest existing parent). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  issues: Issue[];
}

/**
 * Parse YAML text (or the raw bytes of a YAML file); syntax errors, a file that
 * is not UTF-8 and alias bombs become issues with line numbers (no throw).
 */
export function parseYaml(input: string | Uint8Array, file: string): ParsedYaml {
  const issues: Issue[] = [];
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const bad = encodingProblem(input);
    if (bad) {
      issues.push({ severity: 'error', code: 'yaml.encoding', message: bad.message, file, line: bad.line });
      return { data: undefined, issues, lineOf: () => undefined };
    }
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  }
  const lineCounter = new LineCounter();
  // logLevel error: the library's own warnings (e.g. a map used as a key) must not go to
  // stderr as process warnings; such a document fails the schema check with a place instead
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  for (const err of doc.errors) {
    const { at, message } = syntaxError(err, text);
    const pos = lineCounter.linePos(at);
    issues.push({ severity: 'error', code: 'yaml.syntax', message, file, ...(pos ? { line: pos.line } : {}) });
  }
  for (const warn of doc.warnings) {
    const pos = lineCounter.linePos(warn.pos[0]);
    issues.push({
      severity: 'warning',
      code: 'yaml.warning',
      message: warn.message.split('\n')[0] ?? '',
      file,
      ...(pos ? { line: pos.line } : {}),
    });
  }
  let data: unknown;
  if (!issues.some((i) => i.severity === 'error')) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // the yaml library throws a ReferenceError for too many alias expansions ("resource exhaustion")
      if (!(e instanceof Error)) throw e;
      const bomb = /alias/i.test(e.message);
      issues.push({
        severity: 'error',
        code: bomb ? 'yaml.alias' : 'yaml.syntax',
        message: bomb
          ? `YAML-Verweise (*alias) werden zu oft aufgelöst (mehr als ${MAX_ALIAS_COUNT}): Anker und Verweise vereinfachen`
          : `YAML-Syntaxfehler: ${e.message.split('\n')[0]}`,
        file,
        ...firstAliasLine(doc, lineCounter),
      });
      data = undefined;
    }
  }
  return {
    data,
    issues,
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
        const start = nodeStart(node);
        if (start !== undefined) return lineCounter.linePos(start).line;
      }
      return undefined;
    },
  };
}

/**
 * A syntax error in German, at the place to look: an unclosed quote or `{`/`[` is reported by the
 * library where the file ends or the next key starts, so the place is the opening character.
 * The library's English text follows in brackets for the cases without a German one.
 */
function syntaxError(
  err: { code: string; message: string; pos: [number, number] },
  text: string,
): {
  at: number;
  message: string;
} {
  const first = err.message.split('\n')[0] ?? '';
  const quote = /Missing closing (["'])quote/.exec(first)?.[1];
  if (err.code === 'MISSING_CHAR' && quote !== undefined) {
    const open = text.lastIndexOf(quote, err.pos[0] - 1);
    return {
      at: open >= 0 ? open : err.pos[0],
      message: `YAML-Syntaxfehler: das Anführungszeichen ${quote} wird nicht geschlossen (der Text läuft bis zum Dateiende weiter).`,
    };
  }
  const flow = /Flow (map|sequence) in block collection/.exec(first)?.[1];
  if (flow !== undefined) {
    const ch = flow === 'map' ? '{' : '[';
    const open = text.lastIndexOf(ch, err.pos[0] - 1);
    return {
      at: open >= 0 ? open : err.pos[0],
      message: `YAML-Syntaxfehler: die Klammer ${ch} wird nicht mit ${flow === 'map' ? '}' : ']'} geschlossen (oder die nächste Zeile ist zu wenig eingerückt).`,
    };
  }
  const col = (): string => {
    const lineStart = text.lastIndexOf('\n', err.pos[0] - 1) + 1;
    const c = err.pos[0] - lineStart + 1;
    return c > 1 ? ` (ab Zeichen ${c})` : '';
  };
  const german: Record<string, string> = {
    TAB_AS_INDENT: 'ein Tabulator rückt ein; YAML erlaubt zum Einrücken nur Leerzeichen',
    DUPLICATE_KEY: 'dieser Schlüssel steht auf seiner Ebene zweimal',
    BAD_INDENT: 'die Einrückung passt nicht: alle Schlüssel einer Ebene müssen in derselben Spalte beginnen',
  };
  const g =
    german[err.code] ??
    (/Implicit map keys need to be followed by map values/.test(first)
      ? 'nach dem Schlüssel fehlt der Doppelpunkt („Schlüssel: Wert“)'
      : undefined);
  return { at: err.pos[0], message: `YAML-Syntaxfehler${col()}: ${g ?? first}${g ? ` (${first})` : ''}` };
}

function nodeStart(node: unknown): number | undefined {
  if (isScalar(node) || isMap(node) || isSeq(node)) return node.range?.[0];
  return undefined;
}

/** `['sources', 2, 'period', 'kind']` -> `sources[2].period.kind`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += (out ? '.' : '') + String(p);
  }
  return out;
}

/** Line of the first alias in the document (for the alias-bomb message). */
function firstAliasLine(doc: Document, lc: LineCounter): { line?: number } {
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) line = lc.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line === undefined ? {} : { line };
}

/**
 * YAML files must be UTF-8 (with or without BOM). A UTF-16 file (Windows Notepad
 * "Unicode") or a Latin-1 file would otherwise turn umlauts into replacement
 * characters that end up in every output.
 */
function encodingProblem(bytes: Uint8Array): { message: string; line: number } | null {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    return { message: 'Die YAML-Datei ist UTF-16-kodiert; bitte als UTF-8 speichern', line: 1 };
  if (isUtf8(bytes)) {
    const nul = bytes.indexOf(0);
    if (nul < 0) return null;
    return { message: 'Die YAML-Datei enthält ein NUL-Byte (keine Textdatei?)', line: lineAt(bytes, nul) };
  }
  // find the first invalid byte: decode line by line
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      if (!isUtf8(bytes.subarray(start, i))) break;
      start = i + 1;
      line++;
    }
  }
  return {
    message:
      'Die YAML-Datei ist nicht UTF-8-kodiert (z. B. Windows-1252/Latin-1); bitte als UTF-8 speichern, sonst werden Umlaute verfälscht',
    line,
  };
}

function lineAt(bytes: Uint8Array, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos; i++) if (bytes[i] === 10) line++;
  return line;
}

/** `sources[2].id` -> `['sources', 2, 'id']` (inverse of formatPath). */
export function parsePath(p: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}
