/**
 * The progress line during the protection pass: the pass is most of a large run (NRW bench: two
 * thirds of it, 4x NRW four fifths), and the line stood still at "Geheimhaltung" all that time.
 * Now each decided group moves it (groups and share of cells), in the step's place of the bar.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { protectionLabel } from '../../src/compute/js-steps.js';
import { computeRun, type ProgressEvent } from '../../src/run/compute-run.js';
import { reportRun } from '../../src/run/report-run.js';
import { progressLine } from '../../cli/progress.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
const outs: string[] = [];
afterAll(() => {
  for (const o of outs) fs.rmSync(o, { recursive: true, force: true });
});

describe('progress of the protection pass', () => {
  it('labels groups, the share of cells (rounded down) and a later pass', () => {
    expect(protectionLabel({ pass: 1, done: 0, total: 23, cells: 0, totalCells: 3_435_840 })).toBe(
      'Geheimhaltung: 0/23 Gruppen, 0 % der Zellen',
    );
    expect(protectionLabel({ pass: 1, done: 7, total: 1234, cells: 999, totalCells: 1000 })).toBe(
      'Geheimhaltung: 7/1.234 Gruppen, 99 % der Zellen',
    );
    expect(protectionLabel({ pass: 2, done: 20, total: 20, cells: 10, totalCells: 10 })).toBe(
      'Geheimhaltung: 20/20 Gruppen, 100 % der Zellen, Durchgang 2',
    );
    // no cells at all: nothing left to decide
    expect(protectionLabel({ pass: 1, done: 0, total: 0, cells: 0, totalCells: 0 })).toBe(
      'Geheimhaltung: 0/0 Gruppen, 100 % der Zellen',
    );
  });

  it('moves the line group by group while the pass runs, in the step of the bar', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-progress-'));
    outs.push(out);
    const events: ProgressEvent[] = [];
    await computeRun(mini, { out, charts: [], cache: false, onProgress: (e) => events.push(e) });
    const steps = events.flatMap((e) => (e.stage === 'compute' ? [e] : []));
    const start = steps.findIndex((e) => e.indicator === 'Geheimhaltung');
    expect(start).toBeGreaterThanOrEqual(0);
    const pass = steps.filter((e) => e.indicator.startsWith('Geheimhaltung:'));
    // right after the step's own event, before the next step's
    expect(steps.slice(start + 1, start + 1 + pass.length)).toEqual(pass);
    expect(steps[start + 1 + pass.length]!.indicator).not.toMatch(/^Geheimhaltung/);
    // in the step's place of the bar: the steps done do not move during it
    for (const e of pass) expect([e.done, e.total]).toEqual([steps[start]!.done, steps[start]!.total]);
    // every group once, counted up from 0, the last with every cell
    const m = /^Geheimhaltung: 0\/(\d+) Gruppen, 0 % der Zellen$/.exec(pass[0]!.indicator);
    expect(m).not.toBeNull();
    const groups = Number(m![1]);
    expect(groups).toBeGreaterThan(1);
    expect(pass.map((e) => Number(/: (\d+)\//.exec(e.indicator)![1]))).toEqual(
      Array.from({ length: groups + 1 }, (_, i) => i),
    );
    expect(pass.at(-1)!.indicator).toBe(`Geheimhaltung: ${groups}/${groups} Gruppen, 100 % der Zellen`);
  });

  it('spm report shows the same progress, then the report stage', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-progress-report-'));
    outs.push(out);
    const events: ProgressEvent[] = [];
    await reportRun(mini, { out, cache: false, onProgress: (e) => events.push(e) });
    const stages = events.map((e) => e.stage).filter((s, i, a) => s !== a[i - 1]);
    expect(stages).toEqual(['config', 'ingest', 'compile', 'compute', 'report', 'done']);
    const labels = events.flatMap((e) => (e.stage === 'compute' ? [e.indicator] : []));
    expect(labels).toContain('Geheimhaltung');
    expect(labels.filter((l) => /^Geheimhaltung: \d+\/\d+ Gruppen/.test(l)).at(-1)).toMatch(/100 % der Zellen$/);
    expect(progressLine({ stage: 'report' }, 0)).toBe('Schreibe Bericht (Seiten, Diagramme) …');
  });
});
