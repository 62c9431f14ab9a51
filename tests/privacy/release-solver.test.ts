/**
 * HiGHS's WebAssembly heap only grows (issue #18: hundreds of MB after the NRW audit), so the
 * runtime is forgotten after a pass that grew it beyond a bound, and the next pass loads a new one.
 */
import { describe, expect, it } from 'vitest';
import { loadSolver, releaseSolver } from '../../src/privacy/lp.js';

describe('releaseSolver', () => {
  it('keeps a runtime whose heap is within the bound and forgets one beyond it', async () => {
    const h = await loadSolver();
    expect(h.memoryBytes).toBeGreaterThan(0);
    expect(await releaseSolver(h.memoryBytes)).toBe(h.memoryBytes);
    expect(await loadSolver()).toBe(h);
    expect(await releaseSolver(h.memoryBytes - 1)).toBe(h.memoryBytes);
    const next = await loadSolver();
    expect(next).not.toBe(h);
    // the new runtime is usable
    const m = next.createModel();
    try {
      m.options.set({ output_flag: false });
      expect(next.memoryBytes).toBeGreaterThan(0);
    } finally {
      m.dispose();
    }
  }, 30_000);
});
