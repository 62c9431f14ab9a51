/**
 * The runtime values of `@duckdb/node-api`, loaded with `require`.
 *
 * The package is CommonJS and re-exports about 60 files. An ESM `import` of it makes Node
 * run its CommonJS export scanner over every one of those files (Node 20: about 270 ms CPU,
 * `require`: about 90 ms), a fifth of a small project's whole run. Types are still imported
 * from the package itself (`import type`), which costs nothing at run time.
 */
import { createRequire } from 'node:module';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

export const { DuckDBInstance, listValue } = duckdb;
/** The instance type, under the same name as the class (a value and a type may share it). */
export type DuckDBInstance = import('@duckdb/node-api').DuckDBInstance;
