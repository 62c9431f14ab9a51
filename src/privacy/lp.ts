/**
 * HiGHS (npm `highs`, WebAssembly) for the protection pass: the loader, and the
 * building blocks the audit shares with the cover LPs, kept cheap because the
 * pass solves thousands of small LPs.
 *
 * Why the care: the `highs` wrapper checks every number passed in (building a
 * label string per element) and copies every array into the WebAssembly heap,
 * so the cost of an LP is mostly proportional to what crosses that boundary.
 * Models are therefore built straight into typed arrays (CSR) and copied into the
 * runtime's memory for HiGHS's C API without the wrapper's checks (`Direct`), a
 * model is kept and re-solved with a new objective instead of being rebuilt, and
 * an objective change passes only the coefficients that changed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import highsModule, { type Highs } from 'highs';

/**
 * Emscripten's loader option `instantiateWasm` (not in the package's types): the loader hands over
 * its imports and waits for the instance, which lets spm keep the module's memory (see `Direct`).
 */
interface LoaderOptions {
  instantiateWasm?: (imports: object, receive: (instance: WasmInstance) => void) => object;
}
// WebAssembly's global, typed here as far as it is used (TypeScript's lib for Node does not declare it)
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance }>;
      Memory: abstract new (...args: never[]) => WasmMemory;
    };
  }
).WebAssembly;
// The package's types describe a CommonJS default export; at run time the ES module's
// default export is the loader itself.
type Loader = (options?: LoaderOptions) => Promise<Highs>;
const loadHighs: Loader = ((highsModule as unknown as { default?: Loader }).default ??
  highsModule) as unknown as Loader;

/**
 * The direct way into the runtime for `passModel`: the wrapper checks every number of a model
 * one by one, building a label string per element (`validateModel`), which at NRW size was 3.6 s
 * of the pass's 87 s CPU (profile of all 21 groups in one thread) plus the garbage it leaves.
 * spm's models are built by its own code (finite or infinite bounds, no NaN: checked below without
 * the labels), so they are copied into the runtime's memory and passed to `Highs_passModel` of the
 * C API as the wrapper would. Where anything of this is missing (another version of the package),
 * `Direct` is absent and the wrapper's `passModel` is used: the same model either way.
 */
interface Direct {
  memory: WasmMemory;
  malloc: (bytes: number) => number;
  free: (ptr: number) => void;
  passModel: (...args: number[]) => number;
}
const directOf = new WeakMap<Highs, Direct>();

/**
 * V8 compiles WebAssembly twice: every function first with its baseline compiler (Liftoff), and a
 * function again with its optimising compiler (TurboFan) once it has run through a budget
 * (`--wasm-tiering-budget`, 1,800,000 in Node 20's V8). HiGHS's simplex functions are large and
 * reach that budget within the first LPs, so every process that solves anything pays their optimised
 * compilation, in background threads: about 0.85 s of CPU for a handful of tiny LPs. A small pass never
 * earns it back. Measured on 5 Dec 2026 (sample Kreis, 51,624 cells, no worker threads, paired runs):
 * `spm compute --no-charts --no-cache` 10.8-11.5 s CPU with a budget of 2,000,000,000 against 11.7-12.4 s
 * with V8's (three pairs); after an edit of one own indicator (two groups solved, the rest from the
 * group cache) 5.7-6.3 s against 6.9-7.8 s. The bench's small project (344,520 cells, its pass 12 s in
 * one thread) is where the optimised code pays: its pass took 12.3-14.0 s with the large budget
 * against 11.9-12.2 s (three pairs). So only a pass below {@link SMALL_PASS_CELLS} cells raises the
 * budget, before the runtime is loaded: the functions that run long enough are still optimised, later.
 * The setting is V8's for the whole process (worker threads included) and stays: a library process
 * that protects a small project first keeps it for later, larger ones (at 344,520 cells 2-15 % slower
 * above, the same results: both compilers run the same WebAssembly). HiGHS is the only WebAssembly spm
 * runs. V8 does not throw for a flag it does not know but prints an error on stderr, so
 * `tests/privacy/tiering.test.ts` checks that this Node knows the flag.
 */
export const SMALL_PASS_CELLS = 100_000;
const SMALL_PASS_TIERING_BUDGET = 2_000_000_000;
/** Whether this process has set the flag (one per process: V8's flags are the process's). */
const processTiering = { raised: false };

/**
 * The V8 flag a pass of `cells` cells sets before HiGHS is loaded: the raised tiering budget below
 * {@link SMALL_PASS_CELLS} cells, none from there or with `SPM_WASM_DEFAULT_TIERING` set (V8's budget, for
 * comparisons).
 */
export function tieringFlag(cells: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return cells < SMALL_PASS_CELLS && !env.SPM_WASM_DEFAULT_TIERING
    ? `--wasm-tiering-budget=${SMALL_PASS_TIERING_BUDGET}`
    : undefined;
}

/**
 * Before {@link loadSolver}: sets {@link tieringFlag} once per process (`setFlags`: V8's; `state`: the
 * process's; both replaced in tests).
 */
export function tierForPass(
  cells: number,
  setFlags: (flags: string) => void = setFlagsFromString,
  state: { raised: boolean } = processTiering,
): void {
  const flag = state.raised ? undefined : tieringFlag(cells);
  if (flag === undefined) return;
  state.raised = true;
  try {
    setFlags(flag);
  } catch {
    // (another runtime without V8's flags: HiGHS runs as it is)
  }
}

let highsPromise: Promise<Highs> | undefined;
/** The HiGHS runtime (loaded once per process, or per worker thread). */
export function loadSolver(): Promise<Highs> {
  if (!highsPromise) highsPromise = loadRuntime();
  return highsPromise;
}

async function loadRuntime(): Promise<Highs> {
  let memory: WasmMemory | undefined;
  let bytes: Buffer | undefined;
  try {
    bytes = readFileSync(fileURLToPath(import.meta.resolve('highs/runtime')));
  } catch {
    bytes = undefined;
  }
  // a failed instantiation would leave the loader waiting for good: it rejects this instead
  let fail: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const options: LoaderOptions = bytes
    ? {
        instantiateWasm: (imports, receive) => {
          Wasm.instantiate(bytes, imports).then(({ instance }) => {
            memory = Object.values(instance.exports).find((e): e is WasmMemory => e instanceof Wasm.Memory);
            receive(instance);
          }, fail);
          return {};
        },
      }
    : {};
  const h = await Promise.race([loadHighs(options), failed]);
  const raw = h as unknown as Record<string, unknown>;
  const fn = (name: string) => (typeof raw[name] === 'function' ? (raw[name] as (...a: number[]) => number) : null);
  const malloc = fn('_malloc');
  const free = fn('_free');
  const passModel = fn('_Highs_passModel');
  const probe = h.createModel();
  const pointerOk = typeof (probe as unknown as { raw?: { _require?: unknown } }).raw?._require === 'function';
  probe.dispose();
  if (memory && malloc && free && passModel && pointerOk)
    directOf.set(h, { memory, malloc, free: free as (ptr: number) => void, passModel });
  return h;
}

/** true if models are passed to the runtime directly (see `Direct`); tests check that it is. */
export function directPass(h: Highs): boolean {
  return directOf.has(h);
}

/**
 * Forgets the loaded runtime when its WebAssembly heap has grown beyond `maxBytes`: that heap never
 * shrinks (at NRW size the audit grows it to hundreds of MB), so after a large protection pass it
 * would stay resident beside DuckDB through statistics and export. Once forgotten, the next garbage
 * collection frees it; a later pass loads a new runtime (0.3-0.5 s), which small runs never pay.
 * Returns the heap's size in bytes (0 if no runtime was loaded).
 */
export async function releaseSolver(maxBytes = 64 * 2 ** 20): Promise<number> {
  if (!highsPromise) return 0;
  const bytes = (await highsPromise).memoryBytes;
  if (bytes > maxBytes) highsPromise = undefined;
  return bytes;
}

export type HighsModel = ReturnType<Highs['createModel']>;

/** A growable pair of typed arrays for a CSR matrix under construction. */
export class CsrBuilder {
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  rows = 0;
  nnz = 0;
  constructor(rows = 64, nnz = 256) {
    this.starts = new Int32Array(rows + 1);
    this.indices = new Int32Array(nnz);
    this.values = new Float64Array(nnz);
    this.rowLower = new Float64Array(rows);
    this.rowUpper = new Float64Array(rows);
  }
  reset(): void {
    this.rows = 0;
    this.nnz = 0;
  }
  /** Appends one entry to the row under construction. */
  push(col: number, value: number): void {
    if (this.nnz === this.indices.length) {
      const i = new Int32Array(this.nnz * 2);
      i.set(this.indices);
      this.indices = i;
      const v = new Float64Array(this.nnz * 2);
      v.set(this.values);
      this.values = v;
    }
    this.indices[this.nnz] = col;
    this.values[this.nnz++] = value;
  }
  /** Closes the row under construction with its bounds. */
  endRow(lower: number, upper: number): void {
    if (this.rows === this.rowLower.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.rowLower = grow(this.rowLower);
      this.rowUpper = grow(this.rowUpper);
      const s = new Int32Array(this.rows * 2 + 1);
      s.set(this.starts);
      this.starts = s;
    }
    this.rowLower[this.rows] = lower;
    this.rowUpper[this.rows++] = upper;
    this.starts[this.rows] = this.nnz;
  }
  /**
   * A HiGHS model over `ncol` columns with these rows (the arrays are copied by the wrapper), from
   * the pool of `h`; give it back with `releaseModel`.
   */
  createModel(h: Highs, colCost: Float64Array, colLower: Float64Array, colUpper: Float64Array): HighsModel {
    const ncol = colLower.length;
    const model = acquireModel(h);
    const direct = directOf.get(h);
    if (direct) {
      this.passDirect(direct, model, colCost, colLower, colUpper);
      return model;
    }
    model.passModel({
      numCols: ncol,
      numRows: this.rows,
      colCost,
      colLower,
      colUpper,
      rowLower: this.rowLower.subarray(0, this.rows),
      rowUpper: this.rowUpper.subarray(0, this.rows),
      matrix: {
        format: 'csr',
        starts: this.starts.subarray(0, this.rows + 1),
        indices: this.indices.subarray(0, this.nnz),
        values: this.values.subarray(0, this.nnz),
        numRows: this.rows,
        numCols: ncol,
      },
    });
    return model;
  }

  /** `Highs_passModel` with this model (arguments as the wrapper passes them: row-wise, minimise). */
  private passDirect(
    d: Direct,
    model: HighsModel,
    colCost: Float64Array,
    colLower: Float64Array,
    colUpper: Float64Array,
  ): void {
    const ncol = colLower.length;
    const { rows, nnz } = this;
    const nan = (a: Float64Array, n: number) => {
      for (let i = 0; i < n; i++) if (a[i] !== a[i]) return true;
      return false;
    };
    if (
      nan(colCost, ncol) ||
      nan(colLower, ncol) ||
      nan(colUpper, ncol) ||
      nan(this.rowLower, rows) ||
      nan(this.rowUpper, rows) ||
      nan(this.values, nnz)
    )
      throw new Error('HiGHS: ein Modell mit NaN (Programmfehler)');
    for (let i = 0; i < nnz; i++) {
      const c = this.indices[i]!;
      if (c < 0 || c >= ncol) throw new Error(`HiGHS: Spalte ${c} außerhalb des Modells (Programmfehler)`);
    }
    // doubles first (from an 8-byte boundary), then the integers
    const doubles = 3 * ncol + 2 * rows + nnz;
    const base = d.malloc(8 * doubles + 4 * (rows + nnz) + 8);
    if (!base) throw new Error('HiGHS: kein Speicher für das Modell');
    try {
      // addresses as unsigned numbers (a heap beyond 2 GB would turn `<<` and `>>` negative)
      const f64 = new Float64Array(d.memory.buffer);
      let at = Math.ceil(base / 8); // 8 bytes spare for this: malloc's blocks are aligned anyway
      const put = (a: Float64Array, n: number) => {
        f64.set(n === a.length ? a : a.subarray(0, n), at);
        const ptr = at * 8;
        at += n;
        return ptr;
      };
      const pCost = put(colCost, ncol);
      const pLower = put(colLower, ncol);
      const pUpper = put(colUpper, ncol);
      const pRowLower = put(this.rowLower, rows);
      const pRowUpper = put(this.rowUpper, rows);
      const pValues = put(this.values, nnz);
      const i32 = new Int32Array(d.memory.buffer);
      const pStarts = at * 8;
      i32.set(this.starts.subarray(0, rows), pStarts / 4);
      const pIndices = pStarts + 4 * rows;
      i32.set(this.indices.subarray(0, nnz), pIndices / 4);
      const pointer = (model as unknown as { raw: { _require: (callbackSafe: boolean) => number } }).raw._require(
        false,
      );
      // a_format 2 = row-wise, q_format 1 (no Hessian), sense 1 = minimise, offset 0
      const status = d.passModel(
        pointer,
        ncol,
        rows,
        nnz,
        0,
        2,
        1,
        1,
        0,
        pCost,
        pLower,
        pUpper,
        pRowLower,
        pRowUpper,
        pStarts,
        pIndices,
        pValues,
        0,
        0,
        0,
        0,
      );
      if (status < 0) throw new Error('HiGHS: passModel fehlgeschlagen');
    } finally {
      d.free(base);
    }
  }
}

/** Whether the first `n` values of an LP or MIP solution are whole numbers (within 1e-7). */
export function wholeSolution(sol: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < n; i++) if (Math.abs(sol[i]! - Math.round(sol[i]!)) > 1e-7) return false;
  return true;
}

/**
 * Solves `model` with integrality on columns `0 .. nInt − 1` and returns its solution and objective, or null if HiGHS
 * finds no optimum or the solution is not whole in those columns (within 1e-7). The integrality is
 * cleared again before it returns, and the model's presolve is back to HiGHS's default.
 *
 * Without presolve: HiGHS's MIP presolve (the `highs` package 1.15.3, HiGHS 1.15.1) is not to be
 * trusted with spm's problems. On a component of 94 counts of the sample generated with seed 101
 * (`tests/privacy/fixtures/mip-presolve.lp`: hierarchy, pooled windows, numerator ≤ denominator), it
 * declared the problem infeasible, although the true counts satisfy it, and on a chain of releases
 * it gave a count of at most 3 a minimum of 7; without presolve both are solved correctly. Its issue
 * tracker holds the same class of bugs ("incorrectly declares infeasibility", and a MIP reported
 * optimal with a solution that violates a row: ERGO-Code/HiGHS#1710, #2388, #3090). A false
 * "infeasible" or a minimum too high makes the audit mask more than it must; a false solution would
 * witness a range the attacker does not have, which is why the solution is also checked for whole
 * numbers here (its rows and bounds are left to HiGHS). The audit solves a MIP only where an LP
 * optimum of a component of at most 400 cells is fractional.
 */
export function solveWhole(h: Highs, model: HighsModel, nInt: number): { sol: Float64Array; obj: number } | null {
  model.changeColsIntegrality(
    { kind: 'range', from: 0, to: nInt - 1 },
    new Int32Array(nInt).fill(1) as unknown as readonly (0 | 1)[],
  );
  model.options.set({ presolve: 'off' });
  try {
    model.run();
    if (model.getModelStatus() !== h.constants.modelStatus.optimal) return null;
    const sol = model.getSolution().colValue;
    return wholeSolution(sol, nInt) ? { sol, obj: model.getObjectiveValue() } : null;
  } finally {
    model.options.set({ presolve: 'choose' });
    model.clearIntegrality();
  }
}

/**
 * Idle HiGHS instances per runtime. Creating an instance and setting its options costs about as
 * much as solving a small LP, so instances are kept and given a new model (`passModel` replaces
 * the model and drops the previous basis and solution; options stay: no output, MIP gap 0).
 */
const pools = new WeakMap<Highs, HighsModel[]>();
function acquireModel(h: Highs): HighsModel {
  let pool = pools.get(h);
  if (!pool) pools.set(h, (pool = []));
  const m = pool.pop();
  if (m) return m;
  const model = h.createModel();
  model.options.set({ output_flag: false, mip_rel_gap: 0 });
  return model;
}

/** Gives a model from `CsrBuilder.createModel` back to the pool (at most a few are kept). */
export function releaseModel(h: Highs, model: HighsModel): void {
  const pool = pools.get(h);
  if (pool && pool.length < 4) {
    // the next model must start as a continuous minimisation like a new one
    model.clearIntegrality();
    pool.push(model);
  } else model.dispose();
}

/**
 * Keeps the objective of a model sparse: `set` passes HiGHS only the columns whose
 * cost changes (the previous nonzeros and the new ones), not a dense vector.
 */
export class SparseObjective {
  private cols: number[] = [];
  private cost: Float64Array;
  constructor(ncol: number) {
    this.cost = new Float64Array(ncol);
  }
  /** Sets the objective to Σ values[k]·x[cols[k]] (every other cost 0). */
  set(model: HighsModel, cols: readonly number[], values: readonly number[]): void {
    const idx: number[] = [];
    const val: number[] = [];
    const next = new Map<number, number>();
    for (let k = 0; k < cols.length; k++) next.set(cols[k]!, (next.get(cols[k]!) ?? 0) + values[k]!);
    for (const c of this.cols)
      if (!next.has(c) && this.cost[c] !== 0) {
        idx.push(c);
        val.push(0);
        this.cost[c] = 0;
      }
    for (const [c, v] of next)
      if (this.cost[c] !== v) {
        idx.push(c);
        val.push(v);
        this.cost[c] = v;
      }
    this.cols = [...next.keys()];
    if (idx.length === 0) return;
    // HiGHS wants a set in ascending order
    const order = idx.map((_, k) => k).sort((a, b) => idx[a]! - idx[b]!);
    model.changeColsCost(
      { kind: 'set', indices: Int32Array.from(order, (k) => idx[k]!) },
      Float64Array.from(order, (k) => val[k]!),
    );
  }
}
