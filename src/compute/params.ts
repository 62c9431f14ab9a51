import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from '../util/duckdb.js';

/** Collects bind parameters and hands out `$n` placeholders in order. */
export class Params {
  readonly values: unknown[];
  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }
  /** Append a value, return its placeholder. */
  add(value: unknown): string {
    if (Array.isArray(value)) return this.addIntList(value as number[]);
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** An INTEGER[] parameter (DuckDB cannot infer the type of an empty list, so that one is fixed text). */
  addIntList(values: readonly number[]): string {
    if (values.length === 0) return 'CAST([] AS INTEGER[])';
    this.values.push(listValue([...values]));
    return `CAST($${this.values.length} AS INTEGER[])`;
  }
  /** A VARCHAR[] parameter (the empty list as fixed text, as in `addIntList`). */
  addTextList(values: readonly string[]): string {
    if (values.length === 0) return 'CAST([] AS VARCHAR[])';
    this.values.push(listValue([...values]));
    return `CAST($${this.values.length} AS VARCHAR[])`;
  }
}

/** Parameters as the DuckDB client wants them. */
export function bindable(values: readonly unknown[]): DuckDBValue[] {
  return values as DuckDBValue[];
}
