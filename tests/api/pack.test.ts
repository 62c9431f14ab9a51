/**
 * Package hygiene: `npm pack` gives a package that installs into an empty
 * folder (production dependencies only) and runs there — the library import,
 * the `spm` binary and an example script.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-pack-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }), 120_000);

describe('npm pack', () => {
  it('installs into an empty folder and runs the library, the CLI and an example', () => {
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
      cwd: repo,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop() as string;
    const tarball = path.join(work, packed);
    expect(fs.existsSync(tarball)).toBe(true);
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--silent', tarball], {
      cwd: app,
      stdio: 'ignore',
    });
    // the package brings its own standard Kennzahlenset; a project folder comes from the user
    fs.cpSync(path.join(repo, 'data-samples', 'kreis-coesfeld'), path.join(app, 'projekt'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}out`),
    });
    fs.writeFileSync(
      path.join(app, 'run.mjs'),
      // plain JavaScript on Node 20 (no \`await using\` syntax there): close() in finally
      `import { Spm } from '@spm-monitoring/spm';
const spm = await Spm.open('projekt');
try {
  await spm.compute({ indicators: ['sgb2_quote_unter_15'] });
  const [kreis] = await spm.results({ levels: ['kreis'], years: [2024], poolYears: [1] });
  console.log(kreis.area_name, kreis.value.toFixed(2));
} finally {
  spm.close();
}`,
    );
    const out = execFileSync(process.execPath, ['run.mjs'], { cwd: app, encoding: 'utf8' });
    expect(out).toMatch(/^Kreis Coesfeld \d+\.\d\d$/m);
    const version = execFileSync(path.join(app, 'node_modules', '.bin', 'spm'), ['--version'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(version.trim()).toBe(JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version);
    // the bundled set and its schema documentation travel with the package
    expect(fs.existsSync(path.join(app, 'node_modules', '@spm-monitoring', 'spm', 'indicators', 'SCHEMAS.md'))).toBe(
      true,
    );
    const listed = execFileSync(path.join(app, 'node_modules', '.bin', 'spm'), ['indicators', 'projekt'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(listed).toContain('[x] seu_adipositas');
    const explain = execFileSync(
      path.join(app, 'node_modules', '.bin', 'spm'),
      ['explain', 'seu_adipositas', 'projekt'],
      { cwd: app, encoding: 'utf8' },
    );
    expect(explain).toContain('FROM "src_seu"');
    // the example scripts import '@spm-monitoring/spm' and run against the installed package
    fs.copyFileSync(path.join(repo, 'examples', 'compare-kommunen.ts'), path.join(app, 'compare-kommunen.ts'));
    const example = execFileSync(
      process.execPath,
      ['--import', path.join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs'), 'compare-kommunen.ts', 'projekt'],
      { cwd: app, encoding: 'utf8' },
    );
    expect(example).toMatch(/Vergleich Coesfeld – Dülmen/);
  }, 600_000);
});
