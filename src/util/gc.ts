/**
 * A full garbage collection on request. V8 collects when JS allocates, not when native code
 * (DuckDB) needs memory: after a JS step that built a large heap (the protection pass: about
 * 700 MB at NRW size), its garbage would stay resident beside DuckDB's buffer pool until the
 * next JS allocation burst, which made up a third of the peak RSS.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

/** Collects garbage when the JS heap holds more than `minHeapBytes` (small runs pay nothing). */
export function collectGarbage(minHeapBytes = 128 * 2 ** 20): boolean {
  if (process.memoryUsage().heapUsed < minHeapBytes) return false;
  if (!gc) {
    // `gc` exists only with --expose-gc; a context created after setting the flag has it
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  return true;
}

/**
 * Two full collections a macrotask apart, when the JS heap and the memory outside it (`external`:
 * ArrayBuffers and WebAssembly heaps) together hold more than `minBytes`. A dropped WebAssembly
 * runtime (HiGHS after the protection pass, about 450 MB at NRW size) is freed only by the second:
 * measured with a 205 MB HiGHS heap, RSS stayed at 292 MB after the first and fell to 90 MB after
 * the second.
 */
export async function collectGarbageFully(minBytes = 128 * 2 ** 20): Promise<boolean> {
  const m = process.memoryUsage();
  if (m.heapUsed + m.external < minBytes) return false;
  collectGarbage(0);
  await new Promise<void>((resolve) => setImmediate(resolve));
  collectGarbage(0);
  return true;
}
