/**
 * `computeRun`'s step timings (what `spm compute --verbose` prints): every step of the run in
 * order with its German name, the compute steps as the executor ran them. Times are not
 * asserted (no wall-clock asserts in unit tests), only that they are whole milliseconds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeRun } from '../../src/run/compute-run.js';
import { STAGE_LABELS } from '../../src/compute/compute.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-stages-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('compute step timings', () => {
  it('names every step of the run in order, in German', async () => {
    const r = await computeRun(mini, { out: path.join(root, 'out'), charts: [], cache: false });
    expect(r.stages.map((s) => s.stage)).toEqual([
      'Konfiguration',
      'Laden',
      'Plan',
      ...Object.values(STAGE_LABELS),
      'Ausgabe',
    ]);
    expect(Object.values(STAGE_LABELS)).toContain('Geheimhaltung');
    for (const s of r.stages) {
      expect(Number.isInteger(s.wallMs) && s.wallMs >= 0).toBe(true);
      expect(Number.isInteger(s.cpuMs) && s.cpuMs >= 0).toBe(true);
    }
    // the compute steps are the executor's own figures
    expect(r.stages.find((s) => s.stage === 'Trends')?.wallMs).toBe(r.results.steps_ms.trend);
    expect(r.stages.find((s) => s.stage === 'Trends')?.cpuMs).toBe(r.results.steps_cpu_ms.trend);
  }, 120_000);
});
