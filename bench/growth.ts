/**
 * The growth factor 1x -> 4x NRW of the benchmark (issue #18: cost growing linearly in rows).
 *
 * Per figure (wall, CPU, peak RSS, each stage) the factor 4x / 1x, and the same per input row:
 * the factor divided by the growth of the input rows, so 1.00 means linear, above 1 faster than
 * the rows; and spm's growth against the floor's, which cancels the machine's drift between the
 * two sizes' runs. Kept apart from bench/run.ts so that it can be tested without running the bench.
 */

/** What one size contributes (medians of its rounds; NaN where a figure is missing, e.g. a failed floor). */
export interface SizeFigures {
  rows_read: number;
  result_rows: number;
  spm_wall_ms: number;
  spm_cpu_ms: number;
  floor_wall_ms: number;
  floor_cpu_ms: number;
  spm_peak_rss_mib: number;
  /** spm's stages and compute steps (`ingest`, `compute`, `export`, `compute.suppression`, ...), ms. */
  spm_stages_ms: Record<string, number>;
}

export interface GrowthItem {
  what: string;
  /** `ms` for times, `MiB` for memory. */
  unit: 'ms' | 'MiB';
  one: number;
  four: number;
  /** four / one. */
  factor: number;
  /** factor / growth of the input rows (1 = linear in rows). */
  per_row: number;
}

export interface Growth {
  rows_factor: number;
  result_rows_factor: number;
  items: GrowthItem[];
  /**
   * spm's growth divided by the floor's (wall, CPU): the two sizes often run minutes apart on a
   * machine whose speed drifts (1 Dec 2026: the floor's own growth 6.59x for 3.99x the rows), and
   * the drift hits both programs, so this quotient is the figure to compare (1 = spm grows like the
   * floor, whose work grows linearly in rows). NaN without a floor at either size.
   */
  vs_floor: { wall: number; cpu: number };
}

/** Stages and steps listed after the whole run, in this order, when both sizes have them. */
const STAGE_ITEMS = ['ingest', 'compute', 'compute.suppression', 'export'] as const;

export function growth(one: SizeFigures, four: SizeFigures): Growth {
  const rows = four.rows_read / one.rows_read;
  const item = (what: string, unit: GrowthItem['unit'], a: number, b: number): GrowthItem => ({
    what,
    unit,
    one: a,
    four: b,
    factor: b / a,
    per_row: b / a / rows,
  });
  const items = [
    item('spm Wand', 'ms', one.spm_wall_ms, four.spm_wall_ms),
    item('spm CPU', 'ms', one.spm_cpu_ms, four.spm_cpu_ms),
    item('spm Spitzen-RSS', 'MiB', one.spm_peak_rss_mib, four.spm_peak_rss_mib),
    ...STAGE_ITEMS.filter((k) => Number.isFinite(one.spm_stages_ms[k]) && Number.isFinite(four.spm_stages_ms[k])).map(
      (k) => item(`spm ${k}`, 'ms', one.spm_stages_ms[k]!, four.spm_stages_ms[k]!),
    ),
    item('Boden Wand', 'ms', one.floor_wall_ms, four.floor_wall_ms),
    item('Boden CPU', 'ms', one.floor_cpu_ms, four.floor_cpu_ms),
  ];
  return {
    rows_factor: rows,
    result_rows_factor: four.result_rows / one.result_rows,
    items,
    vs_floor: {
      wall: four.spm_wall_ms / one.spm_wall_ms / (four.floor_wall_ms / one.floor_wall_ms),
      cpu: four.spm_cpu_ms / one.spm_cpu_ms / (four.floor_cpu_ms / one.floor_cpu_ms),
    },
  };
}
