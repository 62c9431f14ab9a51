/**
 * The numerics against R (base `scale`, `prcomp`, `kmeans(algorithm = "Lloyd")` with fixed
 * starts) on the sample project's Sozialindex matrix. The R script and its output are
 * committed in tests/fixtures/r/ (CI need not have R); when `Rscript` is installed, the
 * script is run again and must reproduce the committed output.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zScores } from '../../src/steering/matrix.js';
import { firstComponent } from '../../src/steering/pca.js';
import { lloyd } from '../../src/steering/kmeans.js';
import { sozialindex } from '../../src/steering/sozialindex.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/r');

function csv(file: string): string[][] {
  return fs
    .readFileSync(path.join(DIR, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((c) => c.trim()));
}

const matrix = csv('sozialindex-matrix.csv');
const header = matrix[0] as string[];
const ids = matrix.slice(1).map((r) => r[0] as string);
const x = matrix.slice(1).map((r) => r.slice(1).map(Number));
const z = zScores(x).z as number[][];

function hasRscript(): boolean {
  try {
    execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('numerics against R', () => {
  it('the fixture is the 36 complete Sozialräume with four inputs', () => {
    expect(header.slice(1)).toEqual([
      'sgb2_quote_unter_15',
      'sgb2_alleinerziehende_bg_anteil',
      'seu_sprachfoerderbedarf',
      'anteil_nichtdeutsch',
    ]);
    expect(x).toHaveLength(36);
  });

  it('zScores = scale()', () => {
    const r = csv('r-scale.csv').slice(1);
    r.forEach((row, i) => {
      expect(row[0]).toBe(ids[i]);
      row.slice(1).forEach((v, j) => expect(z[i]?.[j]).toBeCloseTo(Number(v), 12));
    });
  });

  it('first principal component = prcomp() rotation[, 1] (sign: sum > 0) and its eigenvalues', () => {
    const r = csv('r-pca.csv').slice(1);
    const pc = firstComponent(z);
    r.forEach((row, j) => {
      expect(pc.loadings[j]).toBeCloseTo(Number(row[1]), 10);
      expect(pc.eigenvalues[j]).toBeCloseTo(Number(row[2]), 10);
    });
    const ev = r.map((row) => Number(row[2]));
    expect(pc.explained).toBeCloseTo((ev[0] as number) / ev.reduce((s, v) => s + v, 0), 12);
  });

  it('Lloyd from rows 1, 10, 20, 30 = kmeans(centers = z[c(1,10,20,30), ], algorithm = "Lloyd")', () => {
    const r = lloyd(
      z,
      [0, 9, 19, 29].map((i) => z[i] as number[]),
    );
    const clusters = csv('r-kmeans-cluster.csv').slice(1);
    clusters.forEach((row, i) => {
      expect(row[0]).toBe(ids[i]);
      expect((r.cluster[i] as number) + 1).toBe(Number(row[1]));
    });
    csv('r-kmeans-centers.csv')
      .slice(1)
      .forEach((row, c) => row.slice(1).forEach((v, j) => expect(r.centers[c]?.[j]).toBeCloseTo(Number(v), 12)));
    const info = Object.fromEntries(csv('r-kmeans-info.csv').map((l) => [l[0], l[1]]));
    expect(r.totWithinss).toBeCloseTo(Number(info['tot.withinss']), 10);
    // both count the final pass that finds no change
    expect(r.iterations).toBe(Number(info.iter));
  });

  it('the PCA-weighted index is the first component score divided by the sum of loadings', () => {
    const pc = firstComponent(z);
    const sum = pc.loadings.reduce((s, l) => s + l, 0);
    const res = sozialindex(
      {
        areas: ids.map((id) => ({ id })),
        indicators: header.slice(1).map((id) => ({ id, direction: 1 as const })),
        values: x.map((row) => row.map((value) => ({ value }))),
      },
      { weights: 'pca', simulation: false },
    );
    res.rows.forEach((row, i) => {
      const score = (z[i] as number[]).reduce((s, v, j) => s + v * (pc.loadings[j] as number), 0);
      expect(row.index).toBeCloseTo(score / sum, 12);
    });
    expect(res.pcaAreas).toBe(36);
  });

  it.runIf(hasRscript())('Rscript reproduces the committed output', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-r-'));
    try {
      fs.copyFileSync(path.join(DIR, 'sozialindex-matrix.csv'), path.join(tmp, 'sozialindex-matrix.csv'));
      execFileSync('Rscript', [path.join(DIR, 'sozialindex.R'), tmp], { stdio: 'pipe' });
      for (const f of ['r-scale.csv', 'r-pca.csv', 'r-kmeans-cluster.csv', 'r-kmeans-centers.csv']) {
        expect(fs.readFileSync(path.join(tmp, f), 'utf8'), f).toBe(fs.readFileSync(path.join(DIR, f), 'utf8'));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
