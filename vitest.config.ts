import { defineConfig } from 'vitest/config';

/**
 * Four projects: `fast` and `fast-mocked` are the everyday run (`npm run test:fast`), `slow`
 * holds the suites that drive a browser, pack the npm tarball, generate benchmark data, time
 * the privacy code at NRW size, fuzz, kill real processes or run the CLI dozens
 * of times, `attack` the LP attacks (see ATTACK_TESTS). `npm test` (CI) runs all four.
 *
 * `fast` shares one module graph per worker across its files (`isolate: false`): loading spm's
 * modules anew for each file left a core idle for about a third of the run (158 s isolated -> 117 s
 * shared on 2 cores, paired, 5 Dec 2026; it passes in shuffled file orders too). Files that replace modules with `vi.mock`
 * must not share it (a mock would leak into later files): they are `MOCKING_TESTS`, isolated.
 */
export const SLOW_TESTS = [
  'tests/report/browser.test.ts',
  'tests/report/pdf.test.ts',
  'tests/api/pack.test.ts',
  'tests/bench/**/*.test.ts',
  'tests/privacy/perf.test.ts',
  'tests/robustness/fuzz.test.ts',
  'tests/robustness/process.test.ts',
  'tests/render/dist-workers.test.ts',
  'tests/run/report-reuse.test.ts',
  // many real CLI runs each (kills, full disks, 50 MB inputs): CI, not the everyday run
  'tests/robustness/files-safety.test.ts',
  'tests/robustness/environment.test.ts',
  'tests/robustness/referenced-files.test.ts',
  'tests/robustness/silent-loss.test.ts',
  'tests/robustness/watch-cli.test.ts',
  'tests/robustness/corpus.test.ts',
  // minutes each on 2 cores: the attack search, the fast-path equivalence over large files
  'tests/privacy/attack.test.ts',
  'tests/ingest/fast-path.test.ts',
  // two whole-sample computes per case (cold vs cached, invalidation): 25 s on 2 shared cores
  'tests/compute/mask-cache.test.ts',
  // runs the example scripts end to end
  'tests/api/examples.test.ts',
  // whole-sample runs (the CLI end to end, every published artifact): 8-40 s each, CI only so the
  // everyday run stays under 3 minutes
  'tests/e2e/sample-cli.test.ts',
  'tests/e2e/own-kreis.test.ts',
  'tests/e2e/replaced-release.test.ts',
  'tests/api/session.test.ts',
  'tests/publish/published-artifacts.test.ts',
  // two whole-sample computes (in memory and with a database file) and exports
  'tests/publish/compressed-table.test.ts',
  'tests/steering/sample.test.ts',
  // a full compute of the sample plus the explain script in a second DuckDB
  'tests/compute/plan.test.ts',
  // the sample's goals end to end (loads every sample source: ~25 s on 2 shared cores)
  'tests/steering/sample-goals.test.ts',
  // two whole-sample computes (the second refused at min_count 6): ~20 s
  'tests/e2e/refusal.test.ts',
  // a validate and a compute of the sample with an own indicator: ~17 s
  'tests/e2e/never-true-filter.test.ts',
  // whole-sample validates and computes with earlier releases (31 s), and validate and compute of the
  // sample and of a long project that stop at a relation, then pass once confirmed (26 s): on a slower
  // machine (7 Dec 2026, 11:39) the everyday run took 188 s with them
  'tests/e2e/earlier-differences.test.ts',
  'tests/e2e/unmodelled-relations.test.ts',
];

/**
 * The independent LP attacker's whole-sample runs (8 min in one file, 6 Dec 2026): CI only, in a
 * group of their own after the slow files, two files at a time. Each case computes a project (DuckDB
 * and the protection pass in two threads) and then attacks it in one (HiGHS in this thread), so two
 * files side by side keep both cores busy; no case measures time.
 */
export const ATTACK_TESTS = ['tests/privacy/lp-attack*.test.ts'];

/** Files that replace modules with `vi.mock`: they keep a module graph of their own (isolated). */
export const MOCKING_TESTS = ['tests/cli/program.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    // The fast files run first, one per core (vitest's default leaves one core free: on this
    // machine's two, one file at a time); then the slow ones one at a time, since they run
    // whole-project computes with DuckDB's and the protection pass's own threads (and a few
    // measure ratios). Each project has its own worker count, so they run as two groups.
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['tests/**/*.test.ts'],
          exclude: [...SLOW_TESTS, ...ATTACK_TESTS, ...MOCKING_TESTS],
          maxWorkers: '100%',
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // the same worker count as `fast`: vitest runs projects of one group together only when they
        // agree on it (with 1 here, this file ran after the slow project)
        test: { name: 'fast-mocked', include: MOCKING_TESTS, maxWorkers: '100%', sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'slow', include: SLOW_TESTS, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'attack', include: ATTACK_TESTS, maxWorkers: 2, sequence: { groupOrder: 2 } } },
    ],
  },
});
