/**
 * A selection that names nothing of the project (`spm report --kommune 12345`, `spm charts
 * --kommune / --indicator` with a typo) is refused before anything is computed or written,
 * instead of giving the Kreis pages or no charts at all without a word.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsRun } from '../../src/run/charts-cli-run.js';
import { reportRun } from '../../src/run/report-run.js';
import { UserError } from '../../src/util/issues.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let out: string;

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-selection-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

async function refusal(run: Promise<unknown>): Promise<string> {
  const e = await run.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UserError);
  return (e as UserError).message;
}

describe('selections of Kommunen and indicators', () => {
  it('report --kommune with an AGS the area list does not have', async () => {
    const dir = path.join(out, 'report');
    const msg = await refusal(reportRun(mini, { out: dir, kommunen: ['05558012', '12345'] }));
    expect(msg).toContain('Unbekannte Kommunen: 12345');
    expect(msg).toContain('05558012 Coesfeld');
    // refused before the report folder was made
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('charts --kommune and --indicator with a typo', async () => {
    const dir = path.join(out, 'charts');
    expect(await refusal(chartsRun(mini, { out: dir, kommune: '0555801', formats: ['vl.json'] }))).toContain(
      'Unbekannte Kommunen: 0555801',
    );
    expect(await refusal(chartsRun(mini, { out: dir, indicator: 'hze_eckwrt', formats: ['vl.json'] }))).toMatch(
      /Unbekannte Indikatoren: hze_eckwrt \(vorhanden: .*hze_eckwert/,
    );
    expect(fs.existsSync(path.join(dir, 'charts'))).toBe(false);
  });
});
