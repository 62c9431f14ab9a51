import { defineConfig } from 'vitest/config';

/**
 * Two projects: `fast` is the everyday run (`npm run test:fast`), `slow` holds the
 * suites that drive a browser, pack the npm tarball, generate benchmark data, time
 * the privacy code at NRW size, fuzz, or kill real processes. `npm test` (CI) runs both.
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
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'fast', include: ['tests/**/*.test.ts'], exclude: SLOW_TESTS } },
      { extends: true, test: { name: 'slow', include: SLOW_TESTS } },
    ],
  },
});
