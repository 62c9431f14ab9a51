/** The example scripts run against the built package (imported as '@spm-monitoring/spm') and print what they promise. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');

function example(name: string, args: string[] = []): string {
  return execFileSync(process.execPath, ['--import', 'tsx', path.join(repo, 'examples', name), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
}

const bin = path.join(repo, 'dist', 'cli', 'main.js');

beforeAll(() => {
  // '@spm-monitoring/spm' resolves to the package itself (self-reference through "exports"): dist must be current.
  // The binary is removed first, so the build creates it anew, as after `rm -rf dist` (see the next test).
  fs.rmSync(bin, { force: true });
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'ignore' });
}, 180_000);

describe('the built binary', () => {
  it('is executable, so `npx spm` runs it (npx keeps a link to it per clone path and does not set the mode again)', () => {
    if (process.platform === 'win32') return;
    expect(fs.statSync(bin).mode & 0o111).toBe(0o111);
    // what npx does: the file itself, started through its #! line
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('examples', () => {
  it('custom-indicator: a TypeScript indicator for one Kommune', () => {
    const out = example('custom-indicator.ts');
    expect(out).toMatch(/Anteil der Kindertagespflege an der Betreuung unter 3 – Dülmen/);
    expect(out).toMatch(/2024 {2}kommune {4}Dülmen/);
  }, 120_000);

  it('compare-kommunen: two Kommunen side by side', () => {
    const out = example('compare-kommunen.ts');
    expect(out).toMatch(/Vergleich Coesfeld – Dülmen, 2024/);
    expect(out).toMatch(/sgb2_quote_unter_15 +\d/);
  }, 120_000);

  it('sozialindex: the ten Sozialräume with the highest index and their rank intervals', () => {
    const out = example('sozialindex.ts');
    // 33 (36 with low points from 3 Dec 2026; 33 again since 6 Dec 2026: "a subgroup's count is at most its
    // group's" masks more inputs, src/privacy/README.md "Relations")
    expect(out).toMatch(/Sozialindex 2022–2024: 33 von 66 Sozialräumen berechenbar/);
    expect(out).toMatch(/ {2}1 {2}\S.* Index +\d,?\.?\d+ {2}Rang 1–\d/);
    expect(out).toMatch(/Gewichte \(1\. Hauptkomponente/);
  }, 120_000);

  it('export-for-r: Arrow and Parquet files plus R code', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-r-'));
    const out = example('export-for-r.ts', ['data-samples/kreis-coesfeld', dir]);
    expect(out).toMatch(/kennzahlen\.arrow \(\d+ Zeilen\)/);
    expect(out).toContain('read_ipc_file');
    expect(fs.existsSync(path.join(dir, 'kennzahlen.parquet'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
