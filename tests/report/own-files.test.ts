/**
 * writeReports (public) into a folder the caller names: a user's file of the same name is never
 * overwritten (nothing is moved in), and its own pages of an earlier call are replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/index.js';
import { UserError } from '../../src/util/issues.js';
import type { ReportInput, ReportOptions } from '../../src/report/types.js';
import { MINI, reportInput, tmpDir } from './helpers.js';

let tmp: string;
let input: ReportInput;
const options: Omit<ReportOptions, 'outDir'> = { chartFiles: { formats: [] } };

beforeAll(async () => {
  tmp = tmpDir('spm-report-own-');
  input = await reportInput(MINI, tmp);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('writeReports into a named folder', () => {
  it('refuses to overwrite a user file and leaves the folder as it was', async () => {
    const dir = path.join(tmp, 'mein-ordner');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'index.html'), 'Mein handgeschriebener Bericht');
    let err: unknown;
    try {
      await writeReports(input, { ...options, outDir: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('nicht von spm stammen und überschrieben würden: index.html');
    expect(fs.readdirSync(dir)).toEqual(['index.html']);
    expect(fs.readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe('Mein handgeschriebener Bericht');
  }, 120_000);

  it('writes into a new folder and replaces its own pages on the next call', async () => {
    const dir = path.join(tmp, 'neu');
    const first = await writeReports(input, { ...options, outDir: dir });
    expect(first.files).toContain(path.join(dir, 'index.html'));
    for (const f of first.files) expect(fs.existsSync(f), f).toBe(true);
    const again = await writeReports(input, { ...options, outDir: dir });
    expect(again.files.sort()).toEqual(first.files.sort());
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.spm-tmp-'))).toEqual([]);
  }, 120_000);
});
