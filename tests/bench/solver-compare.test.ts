/**
 * bench/solver-compare.ts: reads CLP's output, and solves LP files with HiGHS (and with CLP where
 * Debian's coinor-clp is installed) to the same optimum. No timings are asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSolvers, parseClp } from '../../bench/solver-compare.js';

const dir = mkdtempSync(join(tmpdir(), 'spm-solver-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/solver-compare', () => {
  it("reads CLP's optimum and solve time, and nothing from a run without one", () => {
    expect(
      parseClp(
        'Optimal - objective value 138\nAfter Postsolve, objective 138, infeasibilities - dual 0 (0), primal 0 (0)\n' +
          'Optimal objective 138 - 5159 iterations time 0.302, Presolve 0.09\n',
      ),
    ).toEqual({ objective: 138, ms: 302 });
    expect(parseClp('Optimal objective -2.5e+01 - 3 iterations time 0.002\n')).toEqual({ objective: -25, ms: 2 });
    expect(parseClp('Problem is infeasible - 0 iterations time 0.001\n')).toBeNull();
  });

  it('solves each LP file to its optimum, and leaves out the ones below --min-cols', async () => {
    // x1 + x2 = x3 with x3 in 5..9, x2 in 1..2: the least x1 + x2 is 5; the cap y0 <= x0 adds a column
    writeFileSync(
      join(dir, 'a.lp'),
      'Minimize\n obj: + 1 x0 + 1 x1\nSubject To\n r0: + 1 x0 + 1 x1 - 1 x2 = 0\n t0: + 1 y0 - 1 x0 <= 0\n' +
        'Bounds\n 0 <= x0 <= +inf\n 1 <= x1 <= 2\n 5 <= x2 <= 9\n 0 <= y0 <= 3\nEnd\n',
    );
    writeFileSync(
      join(dir, 'b.lp'),
      'Maximize\n obj: + 1 x0\nSubject To\n r0: + 1 x0 <= 4\nBounds\n 0 <= x0 <= 10\nEnd\n',
    );
    writeFileSync(join(dir, 'notes.txt'), 'not an LP');
    const rows = await compareSolvers(dir);
    expect(rows.map((r) => [r.file, r.cols, r.highsObjective])).toEqual([
      ['a.lp', 4, 5],
      ['b.lp', 1, 4],
    ]);
    for (const r of rows) {
      expect(r.highsMs).toBeGreaterThanOrEqual(0);
      // where CLP is installed it must reach the same optimum (compareSolvers throws otherwise)
      if (r.clpObjective !== null) expect(r.clpObjective).toBe(r.highsObjective);
    }
    expect((await compareSolvers(dir, 2)).map((r) => r.file)).toEqual(['a.lp']);
  });
});
