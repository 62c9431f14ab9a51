/**
 * The tiering budget a small protection pass gives HiGHS's WebAssembly (`tierForPass` in
 * src/privacy/lp.ts): which passes raise it, that it is set once per process, and that this
 * Node's V8 knows the flag (V8 prints "unrecognized flag" on stderr instead of throwing, which a
 * planner would see on every run).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { SMALL_PASS_CELLS, tierForPass, tieringFlag } from '../../src/privacy/lp.js';

const setFlagsIn = (flag: string) => [
  '-e',
  `require('node:v8').setFlagsFromString(${JSON.stringify(flag)}); process.stdout.write('ok')`,
];

describe('tiering budget of a small protection pass', () => {
  it('is raised below SMALL_PASS_CELLS cells only, and never with SPM_WASM_DEFAULT_TIERING', () => {
    expect(tieringFlag(51_624, {})).toBe('--wasm-tiering-budget=2000000000');
    expect(tieringFlag(SMALL_PASS_CELLS - 1, {})).toBe('--wasm-tiering-budget=2000000000');
    expect(tieringFlag(SMALL_PASS_CELLS, {})).toBeUndefined();
    expect(tieringFlag(344_520, {})).toBeUndefined();
    expect(tieringFlag(51_624, { SPM_WASM_DEFAULT_TIERING: '1' })).toBeUndefined();
  });

  it('is set once per process, by the first small pass', () => {
    const state = { raised: false };
    const set = vi.fn();
    tierForPass(344_520, set, state);
    expect(set).not.toHaveBeenCalled();
    tierForPass(51_624, set, state);
    tierForPass(1_000, set, state);
    expect(set.mock.calls).toEqual([['--wasm-tiering-budget=2000000000']]);
    expect(state.raised).toBe(true);
    // a setter that throws (a runtime without V8's flags) leaves the pass as it is
    const failing = () => {
      throw new Error('no flags here');
    };
    expect(() => tierForPass(10, failing, { raised: false })).not.toThrow();
  });

  it("is a flag this Node's V8 knows (nothing on stderr); an unknown flag would print there", () => {
    const flag = tieringFlag(1, {})!;
    const known = spawnSync(process.execPath, setFlagsIn(flag), { encoding: 'utf8' });
    expect(known.stdout).toBe('ok');
    expect(known.stderr).toBe('');
    const unknown = spawnSync(process.execPath, setFlagsIn('--wasm-tiering-budget-of-nothing=1'), { encoding: 'utf8' });
    expect(unknown.stdout).toBe('ok');
    expect(unknown.stderr).toMatch(/unrecognized flag/);
  });
});
