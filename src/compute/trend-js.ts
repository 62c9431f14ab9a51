/**
 * Trends per series in JS with the R-checked `weightedTrend`: the series are
 * streamed from DuckDB in year order (one series in memory at a time), every
 * year gets the weighted fit over the last N years since the latest declared
 * break, and the fits go back through an appender. Sequential JS sums are
 * byte-identical whatever the thread count; a pairwise self-join in SQL was
 * both slower and heavier at NRW size. `spm_trend` is created by the plan
 * (compute/plan-tables.ts `TREND`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { weightedTrendOf, type TrendPoint } from '../stats/trend.js';

export interface TrendOptions {
  trendYears: number;
  confidence: number;
}

interface Point {
  year: number;
  value: number | null;
  weight: number;
  masked: boolean;
}

/** Rows of the series streamed in one batch (see computeTrends): bounded memory at NRW size. */
const TREND_BATCH_ROWS = 200_000;

export async function computeTrends(conn: DuckDBConnection, o: TrendOptions): Promise<number> {
  const breaks = new Map<string, number[]>();
  for (const r of (
    await conn.runAndReadAll('SELECT indicator_id, year FROM spm_breaks ORDER BY indicator_id, year')
  ).getRowObjectsJS()) {
    const id = String(r.indicator_id);
    breaks.set(id, [...(breaks.get(id) ?? []), Number(r.year)]);
  }
  // breaks of areas whose territory changed (areas.changes): every indicator's series of that area
  const areaBreaks = new Map<string, number[]>();
  for (const r of (
    await conn.runAndReadAll('SELECT DISTINCT area_id, year FROM spm_area_breaks ORDER BY area_id, year')
  ).getRowObjectsJS()) {
    const id = String(r.area_id);
    areaBreaks.set(id, [...(areaBreaks.get(id) ?? []), Number(r.year)]);
  }
  // Fits are buffered and appended after the stream is read: an appender that
  // flushes on the same connection would silently end a running stream.
  // Column by column, the series by its number in the batch's names: a few arrays of numbers
  // instead of an array per fit, so the young generation's collections have little to copy.
  let out = new Fits();
  const flush = (s: number, id: string, area: string, series: Point[]): void => {
    const br = [...(breaks.get(id) ?? []), ...(areaBreaks.get(area) ?? [])].sort((a, b) => a - b);
    // the series is in year order: the last break up to a year and the usable points of its
    // window are found by moving indices, not by filtering the series again for every year
    // as the fit's points (x, y, w) once per series; every year's window is a range of them
    const usable: TrendPoint[] = [];
    for (const p of series) if (p.value !== null && p.weight > 0) usable.push({ x: p.year, y: p.value, w: p.weight });
    // A trend is masked when any year of its window is masked, with or without a value: which
    // masked years the fit skipped (and so trend_from and trend_n) would tell a masked row's true
    // status apart (no value: source `*`, below the minimum denominator, zero denominator).
    // maskedBefore[j] = masked years among series[0..j-1].
    const maskedBefore = new Int32Array(series.length + 1);
    for (let j = 0; j < series.length; j++)
      maskedBefore[j + 1] = (maskedBefore[j] as number) + (series[j]?.masked ? 1 : 0);
    let b = -1;
    let lo = 0;
    let hi = 0;
    let first = 0;
    for (let j = 0; j < series.length; j++) {
      const row = series[j] as Point;
      while (b + 1 < br.length && (br[b + 1] as number) <= row.year) b++;
      const from = Math.max(row.year - o.trendYears + 1, b >= 0 ? (br[b] as number) : -Infinity);
      while (hi < usable.length && (usable[hi] as TrendPoint).x <= row.year) hi++;
      while (lo < hi && (usable[lo] as TrendPoint).x < from) lo++;
      if (hi - lo < 2) continue;
      const fit = weightedTrendOf(usable, lo, hi, o.confidence);
      if (!fit) continue;
      while (first < j && (series[first] as Point).year < from) first++;
      const masked = (maskedBefore[j + 1] as number) - (maskedBefore[first] as number) > 0;
      out.push(s, row.year, (usable[lo] as TrendPoint).x, hi - lo, masked, fit.slope, fit.low, fit.high);
    }
  };
  const fitIndicators = async (first: string, last: string): Promise<void> => {
    // Each series' names are read once (in the order of its number), the rows carry only the
    // number: turning DuckDB strings into JS strings was most of this step's cost.
    const batch = [first, last];
    const names = (
      await conn.runAndReadAll(
        `SELECT DISTINCT indicator_id, level, area_id FROM spm_trend_in
         WHERE indicator_id BETWEEN $1 AND $2 ORDER BY indicator_id, level, area_id`,
        batch,
      )
    ).getRows() as [string, string, string][];
    const result = await conn.stream(
      `SELECT (dense_rank() OVER (ORDER BY indicator_id, level, area_id) - 1)::INTEGER AS s, year, value, weight, masked
       FROM spm_trend_in WHERE indicator_id BETWEEN $1 AND $2 ORDER BY s, year`,
      batch,
    );
    let cur = -1;
    let series: Point[] = [];
    out.names = names;
    const done = (): void => {
      const [id, , area] = names[cur] as [string, string, string];
      flush(cur, id, area, series);
    };
    for await (const rows of result.yieldRowsJs()) {
      for (const r of rows) {
        const [s, year, value, weight, masked] = r as [number, number, number | null, number | null, boolean];
        if (s !== cur) {
          if (cur >= 0) done();
          cur = s;
          series = [];
        }
        series.push({ year, value, weight: weight ?? 0, masked });
      }
    }
    if (cur >= 0) done();
  };

  const appendFits = async (fits: Fits): Promise<void> => {
    const app = await conn.createAppender('spm_trend');
    for (let k = 0; k < fits.length; k++) {
      const [id, level, area] = fits.names[fits.series[k] as number] as [string, string, string];
      app.appendVarchar(id);
      app.appendVarchar(level);
      app.appendVarchar(area);
      app.appendInteger(fits.year[k] as number);
      app.appendInteger(1);
      app.appendInteger(fits.from[k] as number);
      app.appendInteger(fits.n[k] as number);
      app.appendBoolean(fits.masked[k] as boolean);
      app.appendDouble(fits.slope[k] as number);
      if (!fits.hasLow[k]) app.appendNull();
      else app.appendDouble(fits.low[k] as number);
      if (!fits.hasHigh[k]) app.appendNull();
      else app.appendDouble(fits.high[k] as number);
      app.endRow();
    }
    app.flushSync();
    app.closeSync();
  };

  // A batch of indicators at a time: the fits of one batch are held in JS, not those of all
  // (at NRW size millions of rows), and the appender writes them before the next stream starts.
  // A batch is consecutive indicators with up to TREND_BATCH_ROWS rows (at least one indicator):
  // a small project needs one query and one appender instead of one per indicator.
  // The series are copied once, narrow and sorted by indicator: spm_ci may have spilled to disk,
  // and each batch's query then reads only its own row groups instead of all of spm_ci.
  await conn.run(`CREATE OR REPLACE TEMP TABLE spm_trend_in AS
SELECT indicator_id, level, area_id, year, value, weight, suppression IS NOT NULL AS masked
FROM spm_ci WHERE pool_years = 1 ORDER BY indicator_id`);
  const counts = (
    await conn.runAndReadAll('SELECT indicator_id, COUNT(*)::DOUBLE FROM spm_trend_in GROUP BY 1 ORDER BY 1')
  ).getRows() as [string, number][];
  let total = 0;
  for (let i = 0; i < counts.length; ) {
    let j = i;
    let rows = counts[i]?.[1] ?? 0;
    while (j + 1 < counts.length && rows + (counts[j + 1]?.[1] ?? 0) <= TREND_BATCH_ROWS) rows += counts[++j]?.[1] ?? 0;
    out = new Fits();
    await fitIndicators(counts[i]?.[0] as string, counts[j]?.[0] as string);
    await appendFits(out);
    total += out.length;
    i = j + 1;
  }
  await conn.run('DROP TABLE spm_trend_in');
  return total;
}

/** The fits of one batch, column by column (see computeTrends). */
class Fits {
  /** The batch's series names (indicator, level, area) by series number. */
  names: readonly [string, string, string][] = [];
  readonly series: number[] = [];
  readonly year: number[] = [];
  readonly from: number[] = [];
  readonly n: number[] = [];
  readonly masked: boolean[] = [];
  readonly slope: number[] = [];
  /** Whether the fit has an interval (more than two points); low and high are 0 where not. */
  readonly hasLow: boolean[] = [];
  readonly hasHigh: boolean[] = [];
  readonly low: number[] = [];
  readonly high: number[] = [];

  get length(): number {
    return this.series.length;
  }

  push(
    series: number,
    year: number,
    from: number,
    n: number,
    masked: boolean,
    slope: number,
    low: number | null,
    high: number | null,
  ): void {
    this.series.push(series);
    this.year.push(year);
    this.from.push(from);
    this.n.push(n);
    this.masked.push(masked);
    this.slope.push(slope);
    this.hasLow.push(low !== null);
    this.hasHigh.push(high !== null);
    this.low.push(low ?? 0);
    this.high.push(high ?? 0);
  }
}
