/**
 * An independent adversary for the tests: exact rational arithmetic (BigInt
 * fractions), dense Gaussian elimination, no peeling, no tolerance. It does
 * not share code with src/privacy.
 *
 * Given equations `total = Σ parts` over cell ids and the published values,
 * it returns every unpublished cell whose value is the same in all solutions,
 * together with that value: e_u is reduced against the row-echelon basis of the
 * constraint rows; if it reduces to zero, x_u is the matching combination of
 * right-hand sides.
 */

const babs = (a: bigint) => (a < 0n ? -a : a);
function gcd(a: bigint, b: bigint): bigint {
  a = babs(a);
  b = babs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export class Q {
  readonly n: bigint;
  readonly d: bigint;
  constructor(n: bigint, d: bigint = 1n) {
    if (d === 0n) throw new Error('division by zero');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n, d) || 1n;
    this.n = n / g;
    this.d = d / g;
  }
  static of(x: number): Q {
    // counts in the tests are integers or halves/quarters (Jahresdurchschnitt); scale by 2^20
    const s = 1 << 20;
    const v = Math.round(x * s);
    if (v / s !== x) throw new Error(`not exactly representable: ${x}`);
    return new Q(BigInt(v), BigInt(s));
  }
  get zero(): boolean {
    return this.n === 0n;
  }
  add(o: Q): Q {
    return new Q(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q): Q {
    return new Q(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q): Q {
    return new Q(this.n * o.n, this.d * o.d);
  }
  div(o: Q): Q {
    return new Q(this.n * o.d, this.d * o.n);
  }
  toNumber(): number {
    return Number(this.n) / Number(this.d);
  }
}

export interface Eq {
  total: number;
  parts: number[];
}

/**
 * @param published value of each published cell id (absent = not published)
 * @param targets cell ids to try
 * @returns recovered cell id -> exact value
 */
export function exactAttack(
  equations: readonly Eq[],
  published: ReadonlyMap<number, number>,
  targets: Iterable<number>,
): Map<number, Q> {
  // columns: unknown cells that occur in equations
  const col = new Map<number, number>();
  const rows: { a: Map<number, Q>; b: Q }[] = [];
  for (const e of equations) {
    const a = new Map<number, Q>();
    let b = new Q(0n);
    const terms: [number, bigint][] = [[e.total, 1n], ...e.parts.map((p): [number, bigint] => [p, -1n])];
    for (const [id, s] of terms) {
      const v = published.get(id);
      if (v !== undefined) {
        b = b.sub(Q.of(v).mul(new Q(s)));
      } else {
        if (!col.has(id)) col.set(id, col.size);
        const c = col.get(id)!;
        const prev = a.get(c) ?? new Q(0n);
        const nv = prev.add(new Q(s));
        if (nv.zero) a.delete(c);
        else a.set(c, nv);
      }
    }
    if (a.size) rows.push({ a, b });
  }
  // row echelon form: basis rows with distinct leading columns, each normalised to 1 there,
  // and that column eliminated from every other basis row (reduced)
  const basis: { p: number; a: Map<number, Q>; b: Q }[] = [];
  const byPivot = new Map<number, number>();
  const reduce = (a: Map<number, Q>, b: Q): { a: Map<number, Q>; b: Q } => {
    let changed = true;
    while (changed) {
      changed = false;
      for (const [c, v] of a) {
        const bi = byPivot.get(c);
        if (bi === undefined) continue;
        const r = basis[bi]!;
        for (const [c2, v2] of r.a) {
          const nv = (a.get(c2) ?? new Q(0n)).sub(v.mul(v2));
          if (nv.zero) a.delete(c2);
          else a.set(c2, nv);
        }
        b = b.sub(v.mul(r.b));
        changed = true;
        break;
      }
    }
    return { a, b };
  };
  for (const row of rows) {
    const { a, b } = reduce(new Map(row.a), row.b);
    if (a.size === 0) {
      if (!b.zero) throw new Error('inconsistent published table');
      continue;
    }
    const p = Math.min(...a.keys());
    const piv = a.get(p)!;
    const na = new Map<number, Q>();
    for (const [c, v] of a) na.set(c, v.div(piv));
    const nb = b.div(piv);
    // eliminate p from the existing basis rows
    for (const r of basis) {
      const v = r.a.get(p);
      if (!v) continue;
      for (const [c2, v2] of na) {
        const nv = (r.a.get(c2) ?? new Q(0n)).sub(v.mul(v2));
        if (nv.zero) r.a.delete(c2);
        else r.a.set(c2, nv);
      }
      r.b = r.b.sub(v.mul(nb));
    }
    byPivot.set(p, basis.length);
    basis.push({ p, a: na, b: nb });
  }
  // x_u is determined iff e_u is in the row space: reduce e_u; the rhs collects the value
  const out = new Map<number, Q>();
  for (const id of targets) {
    if (published.has(id)) {
      out.set(id, Q.of(published.get(id)!));
      continue;
    }
    const c = col.get(id);
    if (c === undefined) continue; // in no equation: free
    // e_u − Σ λ_r row_r = 0  ⇒  x_u = Σ λ_r b_r = −(0 − Σ λ_r b_r)
    const { a, b } = reduce(new Map([[c, new Q(1n)]]), new Q(0n));
    if (a.size === 0) out.set(id, new Q(0n).sub(b));
  }
  return out;
}
