/**
 * `vergleich/ziele.csv` / `.parquet`: one row per goal and area (goals on several
 * areas: a summary row `teil = gruppe`, then one row per area), from the goal
 * evaluations, which read only published values. Written through a temp table so the
 * CSV has the German format of every other file (decimal comma, BOM, formula guard).
 */
import type { DuckDBConnection, DuckDBAppender } from '@duckdb/node-api';
import type { GoalEvaluation, MilestoneEvaluation } from '../steering/goals.js';
import { GOAL_VERDICT_LABEL } from '../steering/goals.js';

type Col = readonly [
  name: string,
  type: 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN',
  get: (e: GoalEvaluation) => unknown,
];

/** The columns of the goals table, in order. */
export const GOAL_COLUMNS: readonly Col[] = [
  ['ziel_id', 'VARCHAR', (e) => e.goal_id],
  ['ziel', 'VARCHAR', (e) => e.titel],
  ['handlungsfeld', 'VARCHAR', (e) => e.handlungsfeld],
  ['verantwortlich', 'VARCHAR', (e) => e.verantwortlich],
  ['teil', 'VARCHAR', (e) => e.teil],
  ['gruppe', 'VARCHAR', (e) => e.gruppe],
  ['gebiet_id', 'VARCHAR', (e) => e.area_id],
  ['gebiet', 'VARCHAR', (e) => e.area_name],
  ['ebene', 'VARCHAR', (e) => e.level],
  ['kommune_ags', 'VARCHAR', (e) => e.kommune_ags],
  ['indicator_id', 'VARCHAR', (e) => e.indicator_id],
  ['kennzahl', 'VARCHAR', (e) => e.indicator_title],
  ['unit', 'VARCHAR', (e) => e.unit],
  ['zielart', 'VARCHAR', (e) => e.zielart],
  ['richtung', 'VARCHAR', (e) => e.richtung],
  ['zielwert', 'DOUBLE', (e) => e.zielwert],
  ['startjahr', 'INTEGER', (e) => e.startjahr],
  ['zieljahr', 'INTEGER', (e) => e.zieljahr],
  ['startwert', 'DOUBLE', (e) => e.start_value],
  ['status_start', 'VARCHAR', (e) => e.start_status],
  ['jahr_aktuell', 'INTEGER', (e) => e.current_year],
  ['wert_aktuell', 'DOUBLE', (e) => e.current_value],
  ['ci_low', 'DOUBLE', (e) => e.ci_low],
  ['ci_high', 'DOUBLE', (e) => e.ci_high],
  ['status_aktuell', 'VARCHAR', (e) => e.current_status],
  ['zielpfad_wert', 'DOUBLE', (e) => e.path_value],
  ['abstand_zielpfad', 'DOUBLE', (e) => e.path_diff],
  ['bewertung', 'VARCHAR', (e) => e.verdict],
  ['bewertung_text', 'VARCHAR', (e) => GOAL_VERDICT_LABEL[e.verdict]],
  ['gesichert', 'BOOLEAN', (e) => e.gesichert],
  ['grund', 'VARCHAR', (e) => e.reason],
  ['hinweis', 'VARCHAR', (e) => e.caveat || null],
  ['meilensteine', 'VARCHAR', (e) => milestoneText(e.meilensteine)],
  ['beschreibung', 'VARCHAR', (e) => e.beschreibung],
];

/** German number with at most 2 decimals (path values are fractions). */
function de(x: number): string {
  return String(Number(x.toFixed(2))).replace('.', ',');
}

/** `2022: Soll 7,2, Ist 7,5 (nicht erreicht); 2024: Soll 6` – masked years only as "gesperrt". */
export function milestoneText(ms: readonly MilestoneEvaluation[]): string | null {
  if (!ms.length) return null;
  return ms
    .map((m) => {
      const soll = m.soll === null ? 'Soll –' : `Soll ${de(m.soll)}`;
      if (m.status === null) return `${m.jahr}: ${soll}`;
      const ist = m.ist !== null ? `Ist ${de(m.ist)}` : m.status === 'masked' ? 'Ist gesperrt' : 'Ist –';
      const ok = m.erreicht === null ? '' : m.erreicht ? ' (erreicht)' : ' (nicht erreicht)';
      return `${m.jahr}: ${soll}, ${ist}${ok}`;
    })
    .join('; ');
}

function append(a: DuckDBAppender, type: Col[1], v: unknown): void {
  if (v === null || v === undefined) a.appendNull();
  else if (type === 'VARCHAR') a.appendVarchar(String(v));
  else if (type === 'INTEGER') a.appendInteger(Number(v));
  else if (type === 'DOUBLE') a.appendDouble(Number(v));
  else a.appendBoolean(Boolean(v));
}

/** The evaluations as the temp table `spm_ziele` (with an order column `ord`). */
export async function createGoalsTable(conn: DuckDBConnection, evals: readonly GoalEvaluation[]): Promise<void> {
  const cols = GOAL_COLUMNS.map(([n, t]) => `"${n}" ${t}`).join(', ');
  await conn.run(`CREATE OR REPLACE TEMP TABLE spm_ziele (ord INTEGER, ${cols})`);
  const a = await conn.createAppender('spm_ziele');
  evals.forEach((e, i) => {
    a.appendInteger(i);
    for (const [, t, get] of GOAL_COLUMNS) append(a, t, get(e));
    a.endRow();
  });
  a.closeSync();
}

/** The table's rows in order, without the order column. */
export const GOALS_SELECT = 'SELECT * EXCLUDE (ord) FROM spm_ziele ORDER BY ord';
