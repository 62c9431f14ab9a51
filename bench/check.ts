/**
 * The honesty check of the benchmark: spm's `kennzahlen.parquet` against the full floor's,
 * row by row and column by column. They must agree everywhere except where spm's secondary
 * suppression (which the floor does not do) hides a value: in a row spm masks and the floor
 * does not (the floor masks exactly the primary and input cells), or in
 * a comparison, change, trend or Ampel whose reference, previous year, base year or trend window
 * contains such a row. Numbers agree to 1e-9 relative, with two exceptions: exact-Poisson bounds
 * 1e-7 (the floor's own chi-square quantiles), trend bounds 1e-4 (the floor forms the weighted fit
 * from window sums, which leaves a residual of rounding size where spm sees an exact fit, se = 0).
 */
import { DuckDBInstance } from '@duckdb/node-api';

export interface CheckResult {
  rows_spm: number;
  rows_floor: number;
  rows_unmatched: number;
  compared: number;
  equal: number;
  hidden_by_secondary: number;
  mismatches: number;
  /** Column -> mismatches, with the largest relative difference seen. */
  by_column: Record<string, { mismatches: number; max_rel_diff: number }>;
  examples: string[];
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Columns and what secondary suppression in spm may hide them (flags computed below). */
const GROUPS: { cols: string[]; text?: boolean; tol: number; hiddenBy: string }[] = [
  { cols: ['numerator', 'denominator', 'value'], tol: 1e-9, hiddenBy: 'sec_row' },
  { cols: ['ci_low', 'ci_high'], tol: 1e-7, hiddenBy: 'sec_row' },
  { cols: ['ci_method', 'status'], text: true, tol: 0, hiddenBy: 'sec_row' },
  { cols: ['ref_kommune_value', 'diff_kommune', 'ratio_kommune'], tol: 1e-9, hiddenBy: 'sec_row OR sec_kommune' },
  { cols: ['sig_kommune'], text: true, tol: 0, hiddenBy: 'sec_row OR sec_kommune' },
  { cols: ['ref_kreis_value', 'diff_kreis', 'ratio_kreis'], tol: 1e-9, hiddenBy: 'sec_row OR sec_kreis' },
  { cols: ['sig_kreis'], text: true, tol: 0, hiddenBy: 'sec_row OR sec_kreis' },
  { cols: ['prev_value', 'change_prev_abs', 'change_prev_rel'], tol: 1e-9, hiddenBy: 'sec_row OR sec_prev' },
  {
    cols: ['base_year', 'base_value', 'change_base_abs', 'change_base_rel'],
    tol: 1e-9,
    hiddenBy: 'sec_row OR sec_base',
  },
  { cols: ['series_break'], text: true, tol: 0, hiddenBy: 'FALSE' },
  { cols: ['trend_from'], tol: 0, hiddenBy: 'sec_row OR sec_trend' },
  { cols: ['trend_n'], tol: 0, hiddenBy: 'sec_row OR sec_trend' },
  { cols: ['trend_slope'], tol: 1e-9, hiddenBy: 'sec_row OR sec_trend' },
  { cols: ['trend_low', 'trend_high'], tol: 1e-4, hiddenBy: 'sec_row OR sec_trend' },
  { cols: ['trend_sig'], text: true, tol: 0, hiddenBy: 'sec_row OR sec_trend' },
  {
    cols: ['ampel', 'target_status'],
    text: true,
    tol: 0,
    hiddenBy: 'sec_row OR sec_kreis OR sec_kommune OR sec_trend',
  },
];

export async function checkAgainstFloor(
  spmParquet: string,
  floorParquet: string,
  trendYears = 5,
): Promise<CheckResult> {
  const db = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await db.connect();
  try {
    const key = ['indicator_id', 'level', 'area_id', 'year', 'pool_years'];
    await conn.run(`CREATE TABLE f AS SELECT * FROM read_parquet(${lit(floorParquet)})`);
    // spm publishes a masked row as "gesperrt" without its reason; the floor masks exactly the primary
    // and input cells, so a row spm masks and the floor does not is masked by secondary suppression
    await conn.run(`CREATE TABLE s AS SELECT sp.*, sp.suppression IS NOT NULL AND f.suppression IS NULL AS s2
      FROM read_parquet(${lit(spmParquet)}) sp
      LEFT JOIN f ON f.indicator_id = sp.indicator_id AND f.level = sp.level AND f.area_id = sp.area_id AND f.year = sp.year AND f.pool_years = sp.pool_years`);
    // where spm's secondary suppression reaches: the row, its references, previous/base year, trend window
    await conn.run(`CREATE TABLE flags AS
SELECT s.${key.join(', s.')}, s.s2 AS sec_row,
  s.level <> 'kreis' AND COALESCE(k.s2, FALSE) AS sec_kreis, s.level = 'sozialraum' AND COALESCE(km.s2, FALSE) AS sec_kommune,
  COALESCE(CASE WHEN lag(s.year) OVER w = s.year - 1 THEN lag(s.s2) OVER w END, FALSE) AS sec_prev,
  COALESCE(bool_or(s.s2) FILTER (WHERE s.year = s.base_year) OVER a, FALSE) AS sec_base,
  COALESCE(bool_or(s.s2) OVER (PARTITION BY s.indicator_id, s.level, s.area_id, s.pool_years ORDER BY s.year
    RANGE BETWEEN ${trendYears - 1} PRECEDING AND CURRENT ROW), FALSE) AS sec_trend
FROM s
LEFT JOIN (SELECT indicator_id, pool_years, year, s2 FROM s WHERE level = 'kreis') k
  ON k.indicator_id = s.indicator_id AND k.pool_years = s.pool_years AND k.year = s.year
LEFT JOIN (SELECT indicator_id, pool_years, year, area_id, s2 FROM s WHERE level = 'kommune') km
  ON km.indicator_id = s.indicator_id AND km.pool_years = s.pool_years AND km.year = s.year AND km.area_id = s.kommune_ags
WINDOW w AS (PARTITION BY s.indicator_id, s.level, s.area_id, s.pool_years ORDER BY s.year),
  a AS (PARTITION BY s.indicator_id, s.level, s.area_id, s.pool_years)`);
    const n = async (sql: string): Promise<number> => Number((await conn.runAndReadAll(sql)).getRows()[0]?.[0] ?? 0);
    const rowsSpm = await n('SELECT COUNT(*) FROM s');
    const rowsFloor = await n('SELECT COUNT(*) FROM f');
    const on = key.map((k) => `s.${k} = f.${k}`).join(' AND ');
    const unmatched = await n(
      `SELECT COUNT(*) FROM s FULL OUTER JOIN f ON ${on} WHERE s.indicator_id IS NULL OR f.indicator_id IS NULL`,
    );
    const result: CheckResult = {
      rows_spm: rowsSpm,
      rows_floor: rowsFloor,
      rows_unmatched: unmatched,
      compared: 0,
      equal: 0,
      hidden_by_secondary: 0,
      mismatches: 0,
      by_column: {},
      examples: [],
    };
    // suppression: equal, or secondary in spm where the floor publishes
    const cells: { col: string; text: boolean; tol: number; hiddenBy: string }[] = [
      { col: 'suppression', text: true, tol: 0, hiddenBy: 'sec_row' },
      ...GROUPS.flatMap((g) => g.cols.map((col) => ({ col, text: g.text ?? false, tol: g.tol, hiddenBy: g.hiddenBy }))),
    ];
    for (const c of cells) {
      const a = `s.${c.col}`;
      const b = `f.${c.col}`;
      const same = c.text
        ? `${a} IS NOT DISTINCT FROM ${b}`
        : `COALESCE((${a} IS NULL AND ${b} IS NULL) OR abs(${a} - ${b}) <= ${c.tol} * greatest(1.0, abs(${a}), abs(${b})), FALSE)`;
      // hidden: spm shows nothing (or "masked" as status) where the floor shows a value, and secondary suppression reaches there
      const hidden =
        c.col === 'suppression'
          ? `${a} IS NOT NULL AND ${b} IS NULL`
          : `(${a} IS NULL${c.col === 'status' ? ` OR ${a} = 'masked'` : ''}) AND ${b} IS NOT NULL AND (${c.hiddenBy})`;
      const rel = c.text ? '0' : `max(abs(${a} - ${b}) / greatest(1.0, abs(${a}), abs(${b})))`;
      const r =
        await conn.runAndReadAll(`SELECT COUNT(*), COUNT(*) FILTER (WHERE ${same}), COUNT(*) FILTER (WHERE NOT (${same}) AND ${hidden}),
          COALESCE(${rel}, 0)
        FROM s JOIN f ON ${on} JOIN flags g ON ${key.map((k) => `g.${k} = s.${k}`).join(' AND ')}`);
      const [total, eq, hid, maxRel] = (r.getRows()[0] ?? []).map(Number) as [number, number, number, number];
      const bad = total - eq - hid;
      result.compared += total;
      result.equal += eq;
      result.hidden_by_secondary += hid;
      result.mismatches += bad;
      result.by_column[c.col] = { mismatches: bad, max_rel_diff: maxRel };
      if (bad > 0 && result.examples.length < 8) {
        const ex =
          await conn.runAndReadAll(`SELECT s.indicator_id, s.level, s.area_id, s.year, s.pool_years, CAST(${a} AS VARCHAR), CAST(${b} AS VARCHAR)
          FROM s JOIN f ON ${on} JOIN flags g ON ${key.map((k) => `g.${k} = s.${k}`).join(' AND ')}
          WHERE NOT (${same}) AND NOT COALESCE(${hidden}, FALSE) LIMIT 2`);
        for (const row of ex.getRows())
          result.examples.push(`${c.col}: ${row.slice(0, 5).join('/')} spm=${String(row[5])} Boden=${String(row[6])}`);
      }
    }
    return result;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Rows of spm's kennzahlen.csv against its kennzahlen.parquet, position by position. */
export interface CsvOrderResult {
  rows: number;
  /** Positions whose row (indicator, level, area, year, window) differs from the Parquet file's. */
  misplaced: number;
}

/**
 * The CSV must hold the Parquet file's rows in the same order: both are written from the one
 * sorted table, and a CSV written in another order (as happened with an IN list in the formula
 * guard, different on every run) is not the published table. Compared by position (POSITIONAL
 * JOIN; DuckDB reads both files in order); a missing row counts as misplaced.
 */
export async function checkCsvOrder(csv: string, parquet: string): Promise<CsvOrderResult> {
  const db = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await db.connect();
  try {
    // columns 0, 3, 4, 7 and 9 of the German CSV: indicator_id, level, area_id, year, pool_years
    const r =
      await conn.runAndReadAll(`SELECT count(*)::BIGINT, count(*) FILTER (WHERE c.k IS DISTINCT FROM p.k)::BIGINT FROM
  (SELECT concat_ws('|', column00, column03, column04, column07, column09) AS k
    FROM read_csv(${lit(csv)}, header = false, skip = 1, all_varchar = true, delim = ';', quote = '"', escape = '"')) c
  POSITIONAL JOIN
  (SELECT concat_ws('|', indicator_id, level, area_id, year::VARCHAR, pool_years::VARCHAR) AS k FROM read_parquet(${lit(parquet)})) p`);
    const [rows, misplaced] = r.getRowsJS()[0]!.map(Number) as [number, number];
    return { rows, misplaced };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
