import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads a reference CSV written by `reference/make-reference.R` (no quoting; `NA` → null).
 * `C` names the expected columns; a missing column throws.
 */
export function readReference<C extends string>(name: string, columns: readonly C[]): Record<C, number | null>[] {
  const path = fileURLToPath(new URL(`./reference/${name}`, import.meta.url));
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = head!.split(',');
  const index = columns.map((c) => {
    const i = cols.indexOf(c);
    if (i < 0) throw new Error(`${name}: no column ${c}`);
    return i;
  });
  return lines.map((line) => {
    const cells = line.split(',');
    const row = {} as Record<C, number | null>;
    columns.forEach((c, j) => {
      const v = cells[index[j]!]!;
      row[c] = v === 'NA' ? null : Number(v);
    });
    return row;
  });
}

/**
 * Absolute deviation of `actual` from `expected`, and the relative one: divided by
 * `max(|expected|, scale)` (`scale` defaults to 0; an exact 0 must be matched exactly).
 */
export function deviation(actual: number, expected: number, scale = 0): { abs: number; rel: number } {
  if (actual === expected) return { abs: 0, rel: 0 };
  const abs = Math.abs(actual - expected);
  const denom = Math.max(Math.abs(expected), scale);
  return { abs, rel: denom === 0 ? Infinity : abs / denom };
}

/**
 * Collects deviations for one function. A value passes when its relative deviation is
 * ≤ `tol` (default 1e-9). Relative means relative to |R value| — which for values below 1
 * (all proportions) is stricter than an absolute bound — or, where a value is a
 * near-cancellation of larger terms (trend CI bounds), relative to the scale of those
 * terms passed as `scale`.
 */
export class Tracker {
  maxAbs = 0;
  maxRel = 0;
  worst = '';
  count = 0;
  failures: string[] = [];
  constructor(
    readonly name: string,
    readonly tol = 1e-9,
  ) {}
  add(label: string, actual: number | null, expected: number | null, scale = 0): void {
    this.count++;
    if (expected === null || actual === null) {
      if (expected !== actual) this.failures.push(`${label}: got ${actual}, R ${expected}`);
      return;
    }
    const d = deviation(actual, expected, scale);
    this.maxAbs = Math.max(this.maxAbs, d.abs);
    if (d.rel > this.maxRel) this.worst = label;
    this.maxRel = Math.max(this.maxRel, d.rel);
    if (!(d.rel <= this.tol)) {
      this.failures.push(
        `${label}: got ${actual}, R ${expected} (abs ${d.abs.toExponential(2)}, rel ${d.rel.toExponential(2)})`,
      );
    }
  }
  summary(): string {
    return `${this.name.padEnd(16)} ${String(this.count).padStart(5)} values  max abs ${this.maxAbs.toExponential(2)}  max rel ${this.maxRel.toExponential(2)}${this.worst ? ` (${this.worst})` : ''}`;
  }
}
