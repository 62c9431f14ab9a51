/**
 * Principal component analysis of a standardised matrix by the cyclic Jacobi
 * eigenvalue method on its covariance matrix (for z-scores: the correlation
 * matrix), as R's `prcomp(scale(x))` gives it up to the sign of each component.
 * Jacobi is exact to rounding for the ≤ 20 indicators of a Sozialindex and
 * needs no library.
 */

/** Eigenvalues (descending) and eigenvectors (columns of `vectors`, same order) of a symmetric matrix. */
export function jacobiEigen(a: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((r) => [...r]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const at = (i: number, j: number): number => (m[i] as number[])[j] as number;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += at(i, j) * at(i, j);
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (Math.abs(apq) < 1e-300) continue;
        // the rotation that zeroes m[p][q] (Numerical Recipes' stable form)
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = at(k, p);
          const mkq = at(k, q);
          (m[k] as number[])[p] = c * mkp - s * mkq;
          (m[k] as number[])[q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = at(p, k);
          const mqk = at(q, k);
          (m[p] as number[])[k] = c * mpk - s * mqk;
          (m[q] as number[])[k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = (v[k] as number[])[p] as number;
          const vkq = (v[k] as number[])[q] as number;
          (v[k] as number[])[p] = c * vkp - s * vkq;
          (v[k] as number[])[q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => at(y, y) - at(x, x) || x - y);
  return {
    values: order.map((i) => at(i, i)),
    vectors: order.map((i) => v.map((row) => row[i] as number)),
  };
}

/** Covariance matrix (divisor n − 1) of a complete matrix whose columns have mean 0 (z-scores). */
export function covariance(z: readonly (readonly number[])[]): number[][] {
  const n = z.length;
  const p = z[0]?.length ?? 0;
  const c = Array.from({ length: p }, () => Array.from({ length: p }, () => 0));
  for (let i = 0; i < p; i++)
    for (let j = i; j < p; j++) {
      let s = 0;
      for (const row of z) s += (row[i] as number) * (row[j] as number);
      (c[i] as number[])[j] = s / (n - 1);
      (c[j] as number[])[i] = s / (n - 1);
    }
  return c;
}

export interface FirstComponent {
  /** Loadings of the first principal component (unit length), sign fixed: their sum is positive. */
  loadings: number[];
  /** Share of the total variance the first component explains (0..1). */
  explained: number;
  /** All eigenvalues, descending. */
  eigenvalues: number[];
}

/**
 * The first principal component of a complete, column-centred matrix. The sign
 * of an eigenvector is arbitrary; it is fixed so that the loadings sum to a
 * positive number (with every column oriented "higher = more need", a higher
 * component score then means more need). The same rule normalises R's output
 * in the fixture script.
 */
export function firstComponent(z: readonly (readonly number[])[]): FirstComponent {
  const { values, vectors } = jacobiEigen(covariance(z));
  const first = vectors[0] ?? [];
  const sum = first.reduce((s, x) => s + x, 0);
  const sign = sum < 0 ? -1 : 1;
  const total = values.reduce((s, x) => s + x, 0);
  return {
    loadings: first.map((x) => (x * sign === 0 ? 0 : x * sign)),
    explained: total > 0 ? (values[0] as number) / total : Number.NaN,
    eigenvalues: values,
  };
}
