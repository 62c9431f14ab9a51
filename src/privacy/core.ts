/**
 * The pure core in a readable form: cells as objects, equations as
 * `total = Σ parts` over cell ids. Used by tests and by anyone who wants to
 * run the suppression on something that is not `spm_cells`; the database path
 * (`suppressCells`) builds the compact form directly.
 */
import { determinedProtected } from './adversary.js';
import { EquationBuilder, type CompactSystem } from './system.js';
import { suppressCompact, type SuppressStats } from './suppress.js';

export interface SuppressionCell {
  id: number;
  /** The exact count, if any (informational: recoverability does not depend on values). */
  value: number | null;
  /** true = the exact value would be published (not missing, rejected or source-suppressed). */
  known: boolean;
  /** true = must not be published nor be recoverable (primary). */
  secret: boolean;
  /** Count used to choose complements: smallest > 0 first, zeros last. */
  size: number;
  /** Tie-break for equal sizes (e.g. `level|area_id|year|window`), compared as strings. */
  sortKey: string;
  /** Optional extra cost as a complement (e.g. 2 for a Kreis total; default 0). */
  penalty?: number;
}

export interface SuppressionEquation {
  total: number;
  parts: number[];
}

export interface SuppressionSystem {
  cells: SuppressionCell[];
  equations: SuppressionEquation[];
}

interface Canonical {
  sys: CompactSystem;
  ids: number[];
  pos: Map<number, number>;
}

/** Cells sorted by (sortKey, id), equations by (total, sorted parts): input order does not matter. */
function canonical(system: SuppressionSystem): Canonical {
  const cells = [...system.cells].sort((a, b) =>
    a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id - b.id,
  );
  const pos = new Map<number, number>();
  cells.forEach((c, i) => {
    if (pos.has(c.id)) throw new Error(`duplicate cell id ${c.id}`);
    pos.set(c.id, i);
  });
  const at = (id: number) => {
    const p = pos.get(id);
    if (p === undefined) throw new Error(`equation refers to unknown cell id ${id}`);
    return p;
  };
  const eqs = system.equations
    .map((e) => ({ total: at(e.total), parts: e.parts.map(at).sort((a, b) => a - b) }))
    .sort((a, b) => {
      if (a.total !== b.total) return a.total - b.total;
      for (let i = 0; i < Math.min(a.parts.length, b.parts.length); i++)
        if (a.parts[i] !== b.parts[i]) return a.parts[i]! - b.parts[i]!;
      return a.parts.length - b.parts.length;
    });
  const b = new EquationBuilder();
  for (const e of eqs) b.add(e.total, e.parts);
  const { eqStart, eqCells } = b.build();
  const n = cells.length;
  const sys: CompactSystem = {
    n,
    known: Uint8Array.from(cells, (c) => (c.known ? 1 : 0)),
    secret: Uint8Array.from(cells, (c) => (c.secret ? 1 : 0)),
    size: Float64Array.from(cells, (c) => c.size),
    penalty: Int32Array.from(cells, (c) => c.penalty ?? 0),
    eqStart,
    eqCells,
  };
  return { sys, ids: cells.map((c) => c.id), pos };
}

/**
 * Primary + secondary suppression of one system. Returns the ids of all
 * masked cells: every known secret cell (primary) and the complements
 * (secondary). Unknown cells are never returned (they are not published anyway),
 * but secret unknown cells are protected from recovery like masked ones.
 */
export function suppress(system: SuppressionSystem, stats?: SuppressStats): Set<number> {
  const { sys, ids } = canonical(system);
  const masked = suppressCompact(sys, stats);
  const out = new Set<number>();
  for (let i = 0; i < sys.n; i++) if (masked[i]) out.add(ids[i]!);
  return out;
}

/**
 * The adversary: ids of protected cells (masked, or secret) whose exact value
 * follows from the published cells (known and not masked) and the equations.
 * A published secret cell counts as recovered. Empty = the masking is safe.
 */
export function recoverable(system: SuppressionSystem, masked: Set<number>): number[] {
  const { sys, ids, pos } = canonical(system);
  const m = new Uint8Array(sys.n);
  for (const id of masked) {
    const p = pos.get(id);
    if (p !== undefined) m[p] = 1;
  }
  return determinedProtected(sys, m)
    .map((i) => ids[i]!)
    .sort((a, b) => a - b);
}
