/**
 * Data-protection suppression (Geheimhaltung): primary and secondary cell
 * suppression over the hierarchy Sozialraum -> Kommune -> Kreis and pooled
 * windows. See README.md in this folder for the rule.
 */
export {
  suppress,
  recoverable,
  type SuppressionCell,
  type SuppressionEquation,
  type SuppressionSystem,
} from './core.js';
export {
  suppressCells,
  isSmallCount,
  CREATE_MASKS,
  DEFAULT_THRESHOLD,
  type SuppressionOptions,
  type SuppressionCounts,
} from './db.js';
export { Adversary, determinedProtected, determinedColumnsSorted, ELIMINATION_EPS } from './adversary.js';
export { suppressCompact, type SuppressStats } from './suppress.js';
export type { CompactSystem } from './system.js';
