/**
 * Tables the plan fills by INSERT or appender are created in one place only: from
 * their declared columns (compute/plan-tables.ts) by a `create` step. No other
 * CREATE of them may exist in src/, or an INSERT could again have to match a
 * column list in another file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as T from '../../src/compute/plan-tables.js';
import { createTableSql, type PlanTable } from '../../src/compile/plan.js';

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');
const CREATED: PlanTable[] = [T.MCELLS, T.INDICATORS, T.BREAKS, T.MEASURES, T.LAND, T.SOURCE_DEPTH, T.POISSON, T.TREND];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('internal tables', () => {
  it('are created only from their declared columns', () => {
    const found: string[] = [];
    for (const f of files(SRC)) {
      const text = fs.readFileSync(f, 'utf8');
      for (const t of CREATED)
        if (new RegExp(`CREATE\\s+(OR\\s+REPLACE\\s+)?(TEMP\\s+)?TABLE\\s+${t.name}\\b`, 'i').test(text))
          found.push(`${path.relative(SRC, f)}: ${t.name}`);
    }
    expect(found).toEqual([]);
    expect(createTableSql(T.TREND)).toMatch(/^CREATE OR REPLACE TABLE spm_trend \(indicator_id VARCHAR, /);
  });
});
