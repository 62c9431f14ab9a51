/**
 * The only place where text becomes SQL other than through a `$n` parameter.
 *
 * WARNING: everything here splices text into SQL. Identifiers pass through
 * `quoteIdent` (double quotes doubled); string literals through `sqlString`
 * (single quotes doubled), used only where DuckDB accepts no parameter (COPY
 * targets, read_csv file names). Values from CSV cells or YAML never go
 * through here: they are bound as parameters. See tests/util/sql-injection.test.ts.
 */

/** Quote an SQL identifier: `quoteIdent('a"b')` -> `"a""b"`. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains NUL');
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quote a string literal for places that take no parameter: `sqlString("O'Neil")` -> `'O''Neil'`. */
export function sqlString(value: string): string {
  if (value.includes('\u0000')) throw new Error('string contains NUL');
  return "'" + value.replace(/'/g, "''") + "'";
}
