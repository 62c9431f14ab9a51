/**
 * Declared columns of every internal table the plan produces. Tables filled by
 * INSERT or appender are created from these lists (compile/plan.ts
 * `createTableSql`); for tables built by `CREATE TABLE AS`, the list states what
 * the SQL yields, and tests/compute/plan.test.ts checks both against DESCRIBE
 * on the sample.
 */
import type { CompiledMeasure } from '../compile/types.js';
import type { DuckType, PlanColumn, PlanTable } from '../compile/plan.js';

/** `cols('a VARCHAR, b INTEGER')` -> declared columns (a compact form for long lists). */
function cols(spec: string): PlanColumn[] {
  return spec.split(',').map((s) => {
    const [name, type] = s.trim().split(/\s+/) as [string, DuckType];
    return { name, type };
  });
}

const table = (name: string, columns: readonly PlanColumn[], kind: PlanTable['kind'] = 'table'): PlanTable => ({
  name,
  columns,
  kind,
});

/**
 * Measure cells: one row per measure x level x area x year x pool window (see cells-sql.ts).
 * - `mid`: measure id (spm_measures.mid); an integer keeps millions of cells small
 * - `value`: sum of the known values; `is_base`: a cell at the source's own level (not a roll-up)
 * - `missing`: some input missing, the sum is unknown
 * - `n_suppressed`, `supp_lo`, `supp_hi`: suppressed input cells inside this sum and the bounds of their part
 * - `rejected`: rows for this cell were rejected at load, or could not be assigned to one of its parts
 * - `src_ref`: file:line of the input row (aggregated sources, base level)
 * - `n_rejected`: rejected input rows of known areas inside this sum; `n_unassigned`: rows that
 *   belong in this sum but could not be assigned to an area of it
 * - `n_estimated`: > 0 when the cell holds part of a split area's rows divided by weights (areas.changes)
 */
export const MCELLS = table(
  'spm_mcells',
  cols(`mid INTEGER, source VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  value DOUBLE, is_base BOOLEAN, missing BOOLEAN, n_suppressed INTEGER, supp_lo DOUBLE, supp_hi DOUBLE,
  rejected BOOLEAN, src_ref VARCHAR, n_rejected INTEGER, n_unassigned INTEGER, n_estimated INTEGER`),
);

/** Cells holding part of a split area's rows divided by weights (compute/carry.ts), at every level. */
export const EST_CELLS = table('spm_est_cells', cols('mid INTEGER, area_id VARCHAR, year INTEGER'));

/** Series breaks of areas whose territory changed (areas.changes, compute/area-breaks.ts). */
export const AREA_BREAKS = table('spm_area_breaks', cols('area_id VARCHAR, year INTEGER, description VARCHAR'));

/** One row per indicator: definition, measure ids, years (published: a value of the source, not counts). */
export const INDICATORS = table(
  'spm_indicators',
  cols(`ord INTEGER, indicator_id VARCHAR, version INTEGER, title VARCHAR, unit VARCHAR, scale DOUBLE,
  proportion BOOLEAN, min_den DOUBLE, source_num VARCHAR, source_den VARCHAR, polarity VARCHAR,
  ampel_mode VARCHAR, ampel_reference VARCHAR, target_value DOUBLE, target_year INTEGER,
  num_mid INTEGER, den_mid INTEGER, pool_w INTEGER, published BOOLEAN, years INTEGER[]`),
);

/** Declared breaks in a series: `year` is the first year under the new definition. */
export const BREAKS = table('spm_breaks', cols('indicator_id VARCHAR, year INTEGER, description VARCHAR'));

/** Which cells are the same published numbers: indicators sharing a measure share cells. */
export const MEASURES = table(
  'spm_measures',
  cols('indicator_id VARCHAR, role VARCHAR, measure_key VARCHAR, mid INTEGER'),
);

/** Land reference values (optional `land:` file). */
export const LAND = table('spm_land', cols('indicator_id VARCHAR, year INTEGER, value DOUBLE'));

/** Published reference values (`references:`; Bund, Land, other Kreise): shown beside the values, never summed. */
export const REFERENCES = table(
  'spm_references',
  cols(
    'reference_id VARCHAR, reference_name VARCHAR, indicator_id VARCHAR, year INTEGER, value DOUBLE, status VARCHAR, source VARCHAR, stand VARCHAR',
  ),
);

/** Depth of each source's level in the hierarchy (where its rejected rows are missing from). */
export const SOURCE_DEPTH = table('spm_source_depth', cols('source VARCHAR, depth INTEGER'));

export const AREA_ANC = table('spm_area_anc', cols('area_id VARCHAR, anc_id VARCHAR, anc_depth INTEGER'));

export const REJ_ANCHOR = table(
  'spm_rej_anchor',
  cols('source VARCHAR, year INTEGER, area_id VARCHAR, n INTEGER, kind VARCHAR'),
);

/** Cells per indicator and role (a view over spm_mcells), read by the suppression pass. */
export const CELLS_VIEW = table(
  'spm_cells',
  cols(`indicator_id VARCHAR, role VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  value DOUBLE, is_base BOOLEAN, missing BOOLEAN, n_suppressed INTEGER, supp_lo DOUBLE, supp_hi DOUBLE,
  rejected BOOLEAN, src_ref VARCHAR`),
  'view',
);

/**
 * Results: ratio of sums, status (results-sql.ts). Only what later steps read: the flags that
 * decided the status are not kept; indicator attributes and area names are joined by `spm_stats`.
 */
export const RESULTS = table(
  'spm_results',
  cols(`indicator_id VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER, status VARCHAR,
  num_n_rej INTEGER, den_n_rej INTEGER, num_n_unas INTEGER, den_n_unas INTEGER, num_n_supp INTEGER, den_n_supp INTEGER,
  num_est DOUBLE, den_est DOUBLE, num_lo DOUBLE, num_hi DOUBLE, num_ref VARCHAR, den_ref VARCHAR,
  numerator DOUBLE, denominator DOUBLE, value DOUBLE, kommune_ags VARCHAR, level_rank INTEGER`),
);

/** Exact Poisson bounds per distinct count (filled in JS). */
export const POISSON = table('spm_poisson', cols('k DOUBLE, lo DOUBLE, hi DOUBLE'));

/** Masks of the suppression pass (created by src/privacy, which also runs alone). */
export const MASKS = table(
  'spm_masks',
  cols(
    'indicator_id VARCHAR, role VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER, reason VARCHAR',
  ),
);

const CI_COLUMNS = cols(`indicator_id VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  level_rank INTEGER, kommune_ags VARCHAR, status VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE,
  num_lo DOUBLE, num_hi DOUBLE, num_n_rej INTEGER, den_n_rej INTEGER, num_n_unas INTEGER, den_n_unas INTEGER,
  num_n_supp INTEGER, den_n_supp INTEGER, num_ref VARCHAR, den_ref VARCHAR, suppression VARCHAR, weight DOUBLE,
  ci_low DOUBLE, ci_high DOUBLE`);

/** Results with masks and intervals, one row's own figures only (stats-sql.ts step 1). */
export const CI = table('spm_ci', CI_COLUMNS);

export const IYEARS = table(
  'spm_iyears',
  cols('indicator_id VARCHAR, year INTEGER, base_year_eff INTEGER, break_since_prev BOOLEAN, break_since_base BOOLEAN'),
);

/** Trend fits per series and year (filled in JS, trend-js.ts). */
export const TREND = table(
  'spm_trend',
  cols(`indicator_id VARCHAR, level VARCHAR, area_id VARCHAR, year INTEGER, pool_years INTEGER,
  trend_from INTEGER, trend_n INTEGER, trend_masked BOOLEAN, trend_slope DOUBLE, trend_low DOUBLE, trend_high DOUBLE`),
);

/** spm_ci with each row's previous year's and base year's value and mask and its trend (stats-sql.ts step 2b). */
export const CI_NB = table('spm_ci_nb', [
  ...CI_COLUMNS,
  ...cols(`prev_value DOUBLE, prev_suppression VARCHAR, base_value DOUBLE, base_suppression VARCHAR,
  trend_from INTEGER, trend_n INTEGER, trend_masked BOOLEAN, trend_slope DOUBLE, trend_low DOUBLE, trend_high DOUBLE`),
]);

/** Everything the published table reads (stats-sql.ts step 3): a view over spm_ci, computed when publishing. */
export const STATS = table(
  'spm_stats',
  [
    ...CI_COLUMNS,
    ...cols(`ord INTEGER, version INTEGER, unit VARCHAR, min_den DOUBLE, polarity VARCHAR, ampel_mode VARCHAR,
  ampel_reference VARCHAR, target_value DOUBLE, target_year INTEGER, published BOOLEAN, ci_method VARCHAR,
  area_name VARCHAR, base_year INTEGER, break_since_prev BOOLEAN, break_since_base BOOLEAN, prev_value DOUBLE,
  prev_suppression VARCHAR, base_value DOUBLE, base_suppression VARCHAR, ref_kreis_value DOUBLE,
  ref_kreis_suppression VARCHAR, ref_kommune_value DOUBLE, ref_kommune_suppression VARCHAR,
  trend_from INTEGER, trend_n INTEGER, trend_masked BOOLEAN, trend_slope DOUBLE, trend_low DOUBLE, trend_high DOUBLE,
  ref_land_value DOUBLE, diff_kreis DOUBLE, ratio_kreis DOUBLE, dir_kreis VARCHAR, diff_land DOUBLE,
  ratio_land DOUBLE, dir_land VARCHAR, diff_kommune DOUBLE, ratio_kommune DOUBLE, dir_kommune VARCHAR,
  change_prev_abs DOUBLE, change_prev_rel DOUBLE, change_base_abs DOUBLE, change_base_rel DOUBLE,
  dir_trend VARCHAR, sig_kreis VARCHAR, sig_kommune VARCHAR, sig_land VARCHAR, trend_sig VARCHAR,
  target_status VARCHAR`),
  ],
  'view',
);

/**
 * The aggregate of one source (compile/measure.ts `sourceAggregateSql`): per
 * measure i `m<i>_rows`, `_value`, `_missing`, `_suppressed`, `_ref`. A count
 * measure or a microdata sum writes literal zeros (INTEGER) where an aggregated
 * sum counts flags (BIGINT).
 */
export function aggregateTable(sourceId: string, measures: readonly CompiledMeasure[]): PlanTable {
  const columns: PlanColumn[] = [
    { name: 'area_id', type: 'VARCHAR' },
    { name: 'year', type: 'INTEGER' },
  ];
  measures.forEach((m, i) => {
    const counted = m.measure.measure !== 'count' && m.sourceKind === 'aggregated';
    const flag: DuckType = counted ? 'BIGINT' : 'INTEGER';
    columns.push(
      { name: `m${i}_rows`, type: 'BIGINT' },
      { name: `m${i}_value`, type: 'DOUBLE' },
      { name: `m${i}_missing`, type: flag },
      { name: `m${i}_suppressed`, type: flag },
      { name: `m${i}_ref`, type: 'VARCHAR' },
    );
  });
  return table(`spm_agg_${sourceId}`, columns, 'temp');
}
