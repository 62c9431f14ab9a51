/**
 * The plan as a DuckDB script (`spm explain`): each step's description as an SQL
 * comment, then its SQL with the parameters written as literals, so the script
 * runs as printed over the loaded tables. Execution never uses this text: spm
 * binds the parameters; only this printed form inlines them, through
 * `sqlLiteral` (strings quoted with quotes doubled, numbers typed as DuckDB binds
 * them).
 */
import { sqlString } from '../util/sql.js';
import { createTableSql, stepSql, type Plan, type PlanStep } from './plan.js';
import type { CompiledSql } from './types.js';

/**
 * A bound parameter as a DuckDB literal of the type the client binds it as:
 * whole numbers as INTEGER (BIGINT beyond), others as DOUBLE (from text, so no digit
 * is lost to a DECIMAL literal), strings quoted, lists as list literals.
 * @example sqlLiteral("O'Neil") // 'O''Neil'; sqlLiteral(1.5) // CAST('1.5' AS DOUBLE); sqlLiteral(-2) // (-2)
 */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  // as the client binds: whole numbers as INTEGER (BIGINT beyond), others as DOUBLE
  if (typeof v === 'number') {
    // parentheses keep a minus from joining a preceding minus into a `--` comment
    if (Number.isInteger(v) && Math.abs(v) <= 2_147_483_647) return v < 0 ? `(${v})` : String(v);
    if (v === -2_147_483_648) return `CAST('${v}' AS INTEGER)`; // its negation would be a BIGINT literal
    if (Number.isInteger(v)) return `CAST(${sqlString(BigInt(v).toString())} AS BIGINT)`;
    return `CAST(${sqlString(String(v))} AS DOUBLE)`;
  }
  if (typeof v === 'string') return sqlString(v);
  if (Array.isArray(v)) return `[${v.map(sqlLiteral).join(', ')}]`;
  // a DuckDB list value (`listValue([...])`) carries its elements in `items`
  if (typeof v === 'object' && Array.isArray((v as { items?: unknown }).items))
    return sqlLiteral((v as { items: unknown[] }).items);
  throw new Error(`no SQL literal for parameter ${String(v)}`);
}

/**
 * The SQL with every `$n` placeholder replaced by its parameter as a literal.
 * Placeholders inside string literals, quoted identifiers and `--` comments are
 * left alone (a description in a comment may quote user text).
 */
export function inlineParameters(q: CompiledSql): string {
  const s = q.sql;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < s.length && !(s[j] === c && s[j + 1] !== c)) j += s[j] === c ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && s[i + 1] === '-') {
      const j = s.indexOf('\n', i);
      const end = j < 0 ? s.length : j;
      out += s.slice(i, end);
      i = end;
    } else if (c === '$' && /[0-9]/.test(s[i + 1] ?? '')) {
      let j = i + 1;
      while (j < s.length && /[0-9]/.test(s[j] as string)) j++;
      const n = Number(s.slice(i + 1, j));
      if (n < 1 || n > q.parameters.length) throw new Error(`placeholder $${n} without a parameter`);
      out += sqlLiteral(q.parameters[n - 1]);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** One line of comment text (descriptions may carry user text with line breaks). */
const comment = (text: string): string => `-- ${text.replace(/[\r\n]+/g, ' ')}`;

/**
 * A step in the printed script. JS steps become comments, plus the empty table they fill
 * (unless a step before created it) so the SQL after them runs.
 */
export function stepText(s: PlanStep, n: number, created: Set<string> = new Set()): string {
  if (s.kind === 'create') created.add(s.produces.name);
  const head = [comment(`Schritt ${n} [${s.id}]: ${s.description}`)];
  const q = stepSql(s);
  if (s.produces) {
    // the columns where the step creates the table; a step filling it names it only
    const creates = q ? /^\s*CREATE\b/i.test(q.sql) : !created.has(s.produces.name);
    head.push(
      comment(
        creates
          ? `erzeugt ${s.produces.name}: ${s.produces.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`
          : `schreibt in ${s.produces.name}`,
      ),
    );
  }
  if (s.kind === 'js') {
    head.push(comment(`JS-Schritt "${s.name}" in spm, Argumente: ${JSON.stringify(s.args)}`));
    if (s.produces && s.produces.kind !== 'view') {
      head.push(comment(`im Skript bleibt ${s.produces.name} leer: nur spm rechnet diesen Schritt`));
      if (s.name === 'suppress')
        head.push(
          comment('ACHTUNG: ohne diesen Schritt ist nichts gesperrt; Tabellen aus diesem Skript nicht veröffentlichen'),
        );
      if (!created.has(s.produces.name)) head.push(`${createTableSql(s.produces)};`);
      created.add(s.produces.name);
    }
    return head.join('\n');
  }
  const text = `${inlineParameters(q as CompiledSql)};`;
  // freeing memory only: shown, not run, so the intermediate tables stay for inspection
  if (s.cleanup) return [...head, comment(`(nur Speicherfreigabe, im Skript ausgelassen) ${text}`)].join('\n');
  return [...head, text].join('\n');
}

/** The whole (or a filtered) plan as a DuckDB script. */
export function planText(plan: Plan): string {
  const created = new Set<string>();
  return plan.steps.map((s, i) => stepText(s, i + 1, created)).join('\n\n');
}
