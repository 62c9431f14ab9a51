/**
 * A filter no row passes, through the library: `Spm.compute()` adds the warning to `spm.issues`
 * once a session, as `spm compute` and `spm validate` print it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Spm } from '../../src/index.js';
import { writeLongProject } from '../privacy/lp-attack-project.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-never-true-api-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('warns once in spm.issues of a filter that no row passes, and computes it as 0', async () => {
  writeLongProject(
    root,
    'hilfeart',
    (i, y) => [
      ['33', 2 + ((i + y) % 5)],
      ['34', 3 + ((i * 3 + y) % 4)],
    ],
    [
      ['hilfen_33', 'Hilfen nach § 33', "hilfeart = '33'"],
      ['hilfen_vertippt', 'Hilfen nach § 33 und § 34', "hilfeart = '33' and hilfeart = '34'"],
    ],
  );
  await using spm = await Spm.open(root);
  await spm.compute();
  await spm.compute();
  const never = spm.issues.filter((i) => i.code === 'filter.never_true');
  expect(never).toHaveLength(1);
  expect(never[0]).toMatchObject({ severity: 'warning' });
  expect(never[0]!.message).toContain("„hilfeart = '33' and hilfeart = '34'“ von hilfen_vertippt (Zähler)");
  const rows = await spm.results({ indicators: ['hilfen_vertippt'] });
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.numerator === null || r.numerator === 0)).toBe(true);
}, 120_000);
