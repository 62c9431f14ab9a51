/** Which reference years a project, a source and an indicator speak for (from the loaded data). */
import type { Project } from '../config/project.js';
import type { CompiledIndicator } from '../compile/types.js';
import type { LoadedTables } from '../ingest/types.js';

/**
 * Years a source speaks for: those of its loaded rows and those of its rejected
 * rows, so a source whose every row was rejected still yields its cells (with
 * status rejected_input) instead of vanishing. `wide` is true when a rejected row
 * has no readable year: it may have fed any year.
 */
function sourceYears(loaded: LoadedTables, sourceId: string): { years: number[]; wide: boolean } {
  const set = new Set(loaded.sources.get(sourceId)?.years ?? []);
  let wide = false;
  for (const r of loaded.rejects) {
    if (r.source !== sourceId || r.severity !== 'error') continue;
    if (r.year === undefined || r.year === null) wide = true;
    else set.add(r.year);
  }
  return { years: [...set], wide };
}

/** All reference years present in any source (loaded or rejected rows), within the project's range. */
export function projectYears(loaded: LoadedTables, project: Project, only?: readonly number[]): number[] {
  const set = new Set<number>();
  for (const id of loaded.sources.keys()) for (const y of sourceYears(loaded, id).years) set.add(y);
  const range = project.config.settings.years;
  return [...set]
    .filter((y) => (!range || (y >= range.from && y <= range.to)) && (!only || only.includes(y)))
    .sort((a, b) => a - b);
}

/** Years an indicator is published for: those its numerator or denominator source speaks for. */
export function indicatorYears(ind: CompiledIndicator, loaded: LoadedTables, all: readonly number[]): number[] {
  const set = new Set<number>();
  for (const m of [ind.numerator, ind.denominator]) {
    const s = sourceYears(loaded, m.sourceId);
    // a rejected row without a readable year: every year of the project is affected
    if (s.wide && s.years.length === 0) return [...all];
    for (const y of s.years) set.add(y);
  }
  return all.filter((y) => set.has(y));
}
