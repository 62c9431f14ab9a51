/**
 * YAML parsing that remembers where every value came from, so a zod issue at
 * `sources[2].period.kind` can be reported as `spm.yaml:14`.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { Issue } from '../util/issues.js';

export interface ParsedYaml {
  data: unknown;
  /** 1-based line of the node at `path` (or of its nearest existing parent). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  issues: Issue[];
}

/** Parse YAML text; syntax errors become issues with line numbers (no throw). */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: Issue[] = [];
  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    issues.push({
      severity: 'error',
      code: 'yaml.syntax',
      message: `YAML-Syntaxfehler: ${err.message.split('\n')[0]}`,
      file,
      ...(pos ? { line: pos.line } : {}),
    });
  }
  for (const warn of doc.warnings) {
    const pos = lineCounter.linePos(warn.pos[0]);
    issues.push({ severity: 'warning', code: 'yaml.warning', message: warn.message.split('\n')[0] ?? '', file, ...(pos ? { line: pos.line } : {}) });
  }
  const data = issues.some((i) => i.severity === 'error') ? undefined : doc.toJS({ maxAliasCount: 100 });
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
