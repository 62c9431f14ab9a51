/**
 * Models reach HiGHS through its C API directly (lp.ts, `Direct`), not through the wrapper's
 * `passModel`, whose per-number checks cost about 4 % of the protection pass at NRW size. The same
 * model must come out either way; and a new version of the `highs` package that no longer offers
 * the way in must be noticed here (spm would fall back to the wrapper, correct but slower).
 */
import { describe, expect, it } from 'vitest';
import { CsrBuilder, directPass, loadSolver, releaseModel } from '../../src/privacy/lp.js';

/** A small LP with equations, bounds and an infinite bound: min Σ c·x. */
function build(): { csr: CsrBuilder; cost: Float64Array; lower: Float64Array; upper: Float64Array } {
  const csr = new CsrBuilder(2, 4);
  const n = 7;
  // x0 = x1 + x2 + x3, x3 = x4 + x5, x1 + x4 >= 2, x6 - x0 <= 1
  csr.push(0, 1);
  csr.push(1, -1);
  csr.push(2, -1);
  csr.push(3, -1);
  csr.endRow(0, 0);
  csr.push(3, 1);
  csr.push(4, -1);
  csr.push(5, -1);
  csr.endRow(0, 0);
  csr.push(1, 1);
  csr.push(4, 1);
  csr.endRow(2, Infinity);
  csr.push(0, -1);
  csr.push(6, 1);
  csr.endRow(-Infinity, 1);
  const cost = Float64Array.of(1, 0.5, 2, 0, 1, 3, -1);
  const lower = new Float64Array(n);
  const upper = Float64Array.of(10, 4, Infinity, 5, 1, 2, Infinity);
  return { csr, cost, lower, upper };
}

describe('models passed to HiGHS directly', () => {
  it('are used with this version of the highs package', async () => {
    expect(directPass(await loadSolver())).toBe(true);
  });

  it('give the same model as the wrapper: dimensions, bounds, matrix and optimum', async () => {
    const h = await loadSolver();
    const { csr, cost, lower, upper } = build();
    const direct = csr.createModel(h, cost, lower, upper);
    const wrapped = h.createModel();
    try {
      wrapped.options.set({ output_flag: false });
      wrapped.passModel({
        numCols: cost.length,
        numRows: csr.rows,
        colCost: cost,
        colLower: lower,
        colUpper: upper,
        rowLower: csr.rowLower.subarray(0, csr.rows),
        rowUpper: csr.rowUpper.subarray(0, csr.rows),
        matrix: {
          format: 'csr',
          starts: csr.starts.subarray(0, csr.rows + 1),
          indices: csr.indices.subarray(0, csr.nnz),
          values: csr.values.subarray(0, csr.nnz),
          numRows: csr.rows,
          numCols: cost.length,
        },
      });
      const a = direct.getLp();
      const b = wrapped.getLp();
      expect(a).toEqual(b);
      direct.run();
      wrapped.run();
      expect(direct.getModelStatus()).toBe(h.constants.modelStatus.optimal);
      expect(direct.getObjectiveValue()).toBe(wrapped.getObjectiveValue());
      expect(Array.from(direct.getSolution().colValue)).toEqual(Array.from(wrapped.getSolution().colValue));
    } finally {
      releaseModel(h, direct);
      wrapped.dispose();
    }
  });

  it('refuses a model with NaN instead of passing it on', async () => {
    const h = await loadSolver();
    const { csr, cost, lower, upper } = build();
    cost[2] = Number.NaN;
    expect(() => csr.createModel(h, cost, lower, upper)).toThrow(/NaN/);
  });
});
