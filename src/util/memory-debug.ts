/**
 * Memory figures on stderr when `SPM_MEMORY_DEBUG` is set (for finding what holds the peak RSS
 * at NRW size, issue #18): RSS, the JS heap, memory outside it (ArrayBuffers, WebAssembly heaps
 * count into `rss` only) and the process's peak RSS so far. Costs nothing when unset.
 */
import { readFileSync } from 'node:fs';

const MIB = 2 ** 20;

export function memoryDebugOn(): boolean {
  return Boolean(process.env.SPM_MEMORY_DEBUG);
}

/** Peak RSS of the process so far in MiB (Linux `VmHWM`), NaN elsewhere. */
function peakRssMib(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** One line `memory <label>: rss … heap … ext … peak …` (MiB), plus `extra` (e.g. DuckDB's own figure). */
export function memoryDebug(label: string, extra = ''): void {
  if (!memoryDebugOn()) return;
  const m = process.memoryUsage();
  const f = (b: number) => Math.round(b / MIB);
  console.error(
    `memory ${label}: rss ${f(m.rss)} heap ${f(m.heapUsed)}/${f(m.heapTotal)} ext ${f(m.external)} ` +
      `ab ${f(m.arrayBuffers)} peak ${Math.round(peakRssMib())} MiB${extra ? ' ' + extra : ''}`,
  );
}
