/**
 * Land values of standard-set indicators the project leaves out (`exclude:`, as spm's own refusal
 * message advises) are skipped with a warning, not an error: the bundled NRW file names them all.
 * An id no definition knows (a typo) stays an error naming file and line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import { readLandValues } from '../../src/config/land.js';
import { referencedFileIssues } from '../../src/config/referenced-files.js';
import { UserError } from '../../src/util/issues.js';

const sample = path.resolve(import.meta.dirname, '..', '..', 'data-samples', 'kreis-coesfeld');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-land-excl-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function project(): string {
  const dir = path.join(tmp, `p${fs.readdirSync(tmp).length}`);
  fs.cpSync(sample, dir, { recursive: true, filter: (f) => !/[\\/](out|\.spm)$/.test(f) });
  const y = path.join(dir, 'spm.yaml');
  const text = fs.readFileSync(y, 'utf8');
  expect(text).toContain('indicators: ["spm:standard"]');
  fs.writeFileSync(
    y,
    text.replace(
      'indicators: ["spm:standard"]',
      'indicators: [{ use: "spm:standard", exclude: [seu_adipositas, seu_uebergewicht_inkl_adipositas, seu_uebergewicht_ohne_adipositas] }]',
    ),
  );
  return dir;
}

describe('Land values of indicators the project leaves out', () => {
  it('are skipped and counted, with a warning naming the file, the first line and the indicators', () => {
    const { project: p } = loadProject(project());
    const skipped = { lines: [] as number[], indicators: new Set<string>() };
    const values = readLandValues(p, skipped);
    expect(values.length).toBeGreaterThan(0);
    expect(values.some((v) => v.indicator_id === 'seu_uebergewicht_inkl_adipositas')).toBe(false);
    expect([...skipped.indicators]).toEqual(['seu_uebergewicht_inkl_adipositas']);
    expect(skipped.lines.length).toBeGreaterThan(0);
    const w = referencedFileIssues(p).filter((i) => i.code === 'land.not_computed');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ severity: 'warning', line: skipped.lines[0] });
    expect(w[0]?.message).toContain('seu_uebergewicht_inkl_adipositas');
  });
  it('an id no definition knows stays an error with file and line', () => {
    const dir = project();
    const { project: p } = loadProject(dir);
    const land = path.join(dir, p.config.land!.file);
    fs.appendFileSync(land, 'seu_adipositass;2024;5,1\n');
    const lines = fs.readFileSync(land, 'utf8').trimEnd().split('\n').length;
    expect(() => readLandValues(p)).toThrow(UserError);
    try {
      readLandValues(p);
    } catch (e) {
      expect((e as UserError).issues[0]).toMatchObject({ code: 'land.indicator', line: lines });
    }
  });
});
