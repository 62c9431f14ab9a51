/**
 * Evaluation of goals (Zielsystem) from the PUBLISHED rows only.
 *
 * ```
 * goal + published rows of its indicator and area (pool_years = 1)
 *   1. evaluation year: the latest year of the area's series, at most the Zieljahr
 *   2. start and current value: only published values (masked, below the minimum
 *      denominator, missing -> nicht beurteilbar, and no number is derived from them)
 *   3. path: piecewise linear from the start value through the milestones to the Zielwert
 *   4. verdict: erreicht / auf_kurs / nicht_auf_kurs, and whether the current value's
 *      interval clears the point it is compared with (Zielwert, path or start value)
 * ```
 *
 * The stated test is the one of every comparison in spm: a difference is
 * "statistisch gesichert" when the current value's confidence interval excludes the
 * comparison point. The start value's own uncertainty is not added (the path starts at
 * its point estimate); the caveat says so where it matters. A goal on several areas
 * (`gebiete`) is evaluated per area; no sum over the areas is formed, because such a
 * new total of counts could reveal a masked cell.
 */
import type { Indicator } from '../config/schema.js';
import type { Goal, LoadedGoal } from '../config/goals-schema.js';
import type { KennzahlRow } from '../publish/schema.js';
import { STATUS_LABEL, type Status } from '../publish/vocabulary.js';
import { caveatText, reasonText, type Reason } from './goal-words.js';

export const GOAL_VERDICTS = ['erreicht', 'auf_kurs', 'nicht_auf_kurs', 'nicht_beurteilbar'] as const;
export type GoalVerdict = (typeof GOAL_VERDICTS)[number];

export const GOAL_VERDICT_LABEL: Record<GoalVerdict, string> = {
  erreicht: 'erreicht',
  auf_kurs: 'auf Kurs',
  nicht_auf_kurs: 'nicht auf Kurs',
  nicht_beurteilbar: 'nicht beurteilbar',
};

/** One milestone as evaluated: the path's (or declared) value and, once its year has passed, the published value. */
export interface MilestoneEvaluation {
  jahr: number;
  /** Declared value, or the linear path's value in that year (null when the path cannot be drawn). */
  soll: number | null;
  /** Published value of that year (null: not yet, masked or no value). */
  ist: number | null;
  /** Published status of that year's row ('masked' = gesperrt), null before the year. */
  status: Status | null;
  /** Whether `ist` meets `soll` in the goal's direction; null when either is missing. */
  erreicht: boolean | null;
}

/** The evaluation of a goal for one area (or the summary of a goal on several areas). */
export interface GoalEvaluation {
  goal_id: string;
  titel: string;
  handlungsfeld: string | null;
  verantwortlich: string | null;
  beschreibung: string | null;
  /** `gebiet` (one area of a goal), `gruppe` (the summary of a goal on several areas). */
  teil: 'gebiet' | 'gruppe';
  /** Name of the area group (`gruppenname`, else the goal's title) for goals on several areas. */
  gruppe: string | null;
  area_id: string | null;
  area_name: string | null;
  level: string | null;
  kommune_ags: string | null;
  indicator_id: string;
  indicator_title: string;
  unit: Indicator['unit'];
  zielart: 'zielwert' | 'richtung';
  richtung: 'sinken' | 'steigen';
  zielwert: number | null;
  startjahr: number;
  zieljahr: number;
  start_value: number | null;
  start_status: Status | null;
  current_year: number | null;
  current_value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  current_status: Status | null;
  /** Value the path requires in the current year (Zielwert goals). */
  path_value: number | null;
  /** current − path (in the indicator's unit). */
  path_diff: number | null;
  verdict: GoalVerdict;
  /** The current interval clears the comparison point (Zielwert when erreicht, else path or start value); null without CI. */
  gesichert: boolean | null;
  /** Why the goal cannot be judged (German), null otherwise. */
  reason: string | null;
  /** Statistical caveat in words (German). */
  caveat: string;
  meilensteine: MilestoneEvaluation[];
  /** For a group summary: verdicts of its areas, e.g. `{ auf_kurs: 2, nicht_beurteilbar: 1 }`. */
  counts: Partial<Record<GoalVerdict, number>> | null;
}

/** The published columns goal evaluation reads (`readResults` fetches only these). */
export const GOAL_COLUMNS = [
  'indicator_id',
  'level',
  'area_id',
  'area_name',
  'kommune_ags',
  'year',
  'pool_years',
  'value',
  'ci_low',
  'ci_high',
  'status',
  'suppression',
] as const;
/** A published row as goal evaluation reads it. */
export type GoalRow = Pick<KennzahlRow, (typeof GOAL_COLUMNS)[number]>;

/** Published rows of one indicator × area (pool_years = 1), keyed for lookups. */
export interface RowIndex {
  series(indicator: string, area: string, level?: string): GoalRow[];
  /** The latest year with a row of the indicator on that level, any area (undefined without rows). */
  latestYear(indicator: string, level: string): number | undefined;
}

export function indexRows(rows: readonly GoalRow[]): RowIndex {
  const map = new Map<string, GoalRow[]>();
  const latest = new Map<string, number>();
  for (const r of rows) {
    if (Number(r.pool_years ?? 1) !== 1) continue;
    const k = `${r.indicator_id}\u0001${r.area_id}`;
    (map.get(k) ?? map.set(k, []).get(k)!).push(r);
    const l = `${r.indicator_id}\u0001${r.level}`;
    if (r.year > (latest.get(l) ?? Number.NEGATIVE_INFINITY)) latest.set(l, r.year);
  }
  for (const s of map.values()) s.sort((a, b) => a.year - b.year || String(a.level).localeCompare(String(b.level)));
  return {
    series: (i, a, level) => {
      const all = map.get(`${i}\u0001${a}`) ?? [];
      return level === undefined ? all : all.filter((r) => r.level === level);
    },
    latestYear: (i, level) => latest.get(`${i}\u0001${level}`),
  };
}

/** A published value: not masked, with a number. */
const shown = (r: GoalRow | undefined): r is GoalRow & { value: number } =>
  r !== undefined && r.suppression == null && r.value != null;

/** +1: higher is the goal, −1: lower is the goal. */
export function goalDirection(goal: Goal, ind: Pick<Indicator, 'polarity'>): 1 | -1 {
  if (goal.richtung) return goal.richtung === 'steigen' ? 1 : -1;
  return ind.polarity === 'better' ? 1 : -1;
}

/** Points of the path: start, milestones with a value, target (ascending years). */
export function pathPoints(goal: Goal, start: number): [number, number][] {
  if (goal.zielwert === undefined) return [];
  const pts: [number, number][] = [[goal.startjahr, start]];
  for (const m of goal.meilensteine) if (m.wert !== undefined) pts.push([m.jahr, m.wert]);
  pts.push([goal.zieljahr, goal.zielwert]);
  return pts;
}

/** The path's value in `year`: linear between its points; the Zielwert from the Zieljahr on. */
export function pathValue(points: readonly [number, number][], year: number): number | null {
  if (points.length < 2) return null;
  const first = points[0]!;
  if (year <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [y1, v1] = points[i]!;
    const [y0, v0] = points[i - 1]!;
    if (year <= y1) return v0 + ((v1 - v0) * (year - y0)) / (y1 - y0);
  }
  return points[points.length - 1]![1];
}

/**
 * Evaluate every goal on the published rows.
 * @param indicators the project's indicator definitions (polarity, unit, title)
 */
export function evaluateGoals(
  goals: readonly LoadedGoal[],
  rows: readonly GoalRow[],
  indicators: readonly Indicator[],
): GoalEvaluation[] {
  const index = indexRows(rows);
  const defs = new Map(indicators.map((i) => [i.id, i]));
  const out: GoalEvaluation[] = [];
  for (const { def: goal } of goals) {
    const ind = defs.get(goal.kennzahl);
    if (!ind) continue; // refused when the project is loaded; never a guessed indicator
    if (goal.gebiet !== undefined) {
      out.push(evaluateArea(goal, ind, goal.gebiet, goal.ebene, index, null));
      continue;
    }
    const group = goal.gruppenname ?? goal.titel;
    const parts = (goal.gebiete ?? []).map((a) => evaluateArea(goal, ind, a, goal.ebene, index, group));
    out.push(groupSummary(goal, ind, group, parts), ...parts);
  }
  return out;
}

function base(goal: Goal, ind: Indicator, group: string | null): Omit<GoalEvaluation, 'verdict' | 'caveat'> {
  return {
    goal_id: goal.id,
    titel: goal.titel,
    handlungsfeld: goal.handlungsfeld ?? null,
    verantwortlich: goal.verantwortlich ?? null,
    beschreibung: goal.beschreibung ?? null,
    teil: 'gebiet',
    gruppe: group,
    area_id: null,
    area_name: null,
    level: null,
    kommune_ags: null,
    indicator_id: ind.id,
    indicator_title: ind.title,
    unit: ind.unit,
    zielart: goal.zielwert !== undefined ? 'zielwert' : 'richtung',
    richtung: goalDirection(goal, ind) > 0 ? 'steigen' : 'sinken',
    zielwert: goal.zielwert ?? null,
    startjahr: goal.startjahr,
    zieljahr: goal.zieljahr,
    start_value: null,
    start_status: null,
    current_year: null,
    current_value: null,
    ci_low: null,
    ci_high: null,
    current_status: null,
    path_value: null,
    path_diff: null,
    gesichert: null,
    reason: null,
    meilensteine: [],
    counts: null,
  };
}

function notJudged(e: Omit<GoalEvaluation, 'verdict' | 'caveat'>, reason: Reason): GoalEvaluation {
  return { ...e, verdict: 'nicht_beurteilbar', reason: reasonText(reason), caveat: '' };
}

function evaluateArea(
  goal: Goal,
  ind: Indicator,
  area: string,
  level: string | undefined,
  index: RowIndex,
  group: string | null,
): GoalEvaluation {
  const e = { ...base(goal, ind, group), area_id: area };
  const series = index.series(ind.id, area, level);
  const levels = new Set(series.map((r) => r.level));
  if (series.length === 0) return notJudged(e, { kind: 'no_rows' });
  if (levels.size > 1) return notJudged(e, { kind: 'ambiguous', levels: [...levels].map(String) });
  const any = series[0]!;
  Object.assign(e, { area_name: any.area_name, level: any.level, kommune_ags: any.kommune_ags ?? null });
  const latest = series[series.length - 1]!.year;
  // the indicator's latest year on this level, not the area's: an area a boundary change ended
  // (split, merged, renamed) is not judged on its last old value as if it were current
  const year = Math.min(index.latestYear(ind.id, String(any.level)) ?? latest, goal.zieljahr);
  const at = (y: number) => series.find((r) => r.year === y);
  const start = at(goal.startjahr);
  const cur = at(year);
  e.start_status = start ? (start.status as Status) : null;
  e.current_year = year;
  e.current_status = cur ? (cur.status as Status) : null;
  const dir = goalDirection(goal, ind);
  e.meilensteine = milestones(goal, dir, shown(start) ? start.value : null, at, year);
  // published values are shown as they are; a verdict needs both of them and two years
  if (shown(start)) e.start_value = start.value;
  if (shown(cur))
    Object.assign(e, { current_value: cur.value, ci_low: cur.ci_low ?? null, ci_high: cur.ci_high ?? null });
  // 1. enough years, 2. both values published: otherwise no number is derived
  if (latest < year) return notJudged(e, { kind: 'ended', year, last: latest });
  if (year <= goal.startjahr) return notJudged(e, { kind: 'too_few_years', startjahr: goal.startjahr, latest });
  if (!shown(start)) return notJudged(e, { kind: 'start', year: goal.startjahr, status: statusOf(start) });
  if (!shown(cur)) return notJudged(e, { kind: 'current', year, status: statusOf(cur) });
  const hasCi = e.ci_low !== null && e.ci_high !== null;
  const excludes = (p: number) => (hasCi ? p < (e.ci_low as number) || p > (e.ci_high as number) : null);
  const atLeast = (a: number, b: number) => dir * (a - b) >= 0;
  // 3. Zielwert goals: met, else on the path; the Zieljahr reached without the target is off course
  if (goal.zielwert !== undefined) {
    const target = goal.zielwert;
    const path = pathValue(pathPoints(goal, start.value), year);
    e.path_value = path;
    e.path_diff = path === null ? null : cur.value - path;
    if (atLeast(cur.value, target)) {
      e.gesichert = excludes(target);
      return { ...e, verdict: 'erreicht', caveat: caveatText({ kind: 'target_met', gesichert: e.gesichert }) };
    }
    if (year >= goal.zieljahr) {
      e.gesichert = excludes(target);
      return { ...e, verdict: 'nicht_auf_kurs', caveat: caveatText({ kind: 'target_missed', gesichert: e.gesichert }) };
    }
    const onCourse = atLeast(cur.value, path as number);
    e.gesichert = excludes(path as number);
    return {
      ...e,
      verdict: onCourse ? 'auf_kurs' : 'nicht_auf_kurs',
      caveat: caveatText({ kind: 'path', onCourse, gesichert: e.gesichert }),
    };
  }
  // 4. direction goals: better than the start value; at the Zieljahr that is "erreicht"
  const improved = dir * (cur.value - start.value) > 0;
  e.gesichert = excludes(start.value);
  const verdict: GoalVerdict = improved ? (year >= goal.zieljahr ? 'erreicht' : 'auf_kurs') : 'nicht_auf_kurs';
  return { ...e, verdict, caveat: caveatText({ kind: 'direction', improved, gesichert: e.gesichert }) };
}

function statusOf(r: GoalRow | undefined): Status | null {
  return r ? (r.status as Status) : null;
}

function milestones(
  goal: Goal,
  dir: 1 | -1,
  start: number | null,
  at: (y: number) => GoalRow | undefined,
  year: number,
): MilestoneEvaluation[] {
  const points = start === null ? [] : pathPoints(goal, start);
  return goal.meilensteine.map((m) => {
    const soll = m.wert ?? pathValue(points, m.jahr);
    const r = m.jahr <= year ? at(m.jahr) : undefined;
    const ist = shown(r) ? r.value : null;
    return {
      jahr: m.jahr,
      soll,
      ist,
      status: r ? (r.status as Status) : null,
      erreicht: soll === null || ist === null ? null : dir * (ist - soll) >= 0,
    };
  });
}

/**
 * The summary of a goal on several areas: erreicht when every area reached it, auf Kurs
 * when every area is on course or reached it, nicht auf Kurs when any area is off course,
 * otherwise (an area cannot be judged) nicht beurteilbar.
 */
function groupSummary(goal: Goal, ind: Indicator, group: string, parts: readonly GoalEvaluation[]): GoalEvaluation {
  const counts: Partial<Record<GoalVerdict, number>> = {};
  for (const p of parts) counts[p.verdict] = (counts[p.verdict] ?? 0) + 1;
  const all = (v: GoalVerdict[]) => parts.every((p) => v.includes(p.verdict));
  const verdict: GoalVerdict = all(['erreicht'])
    ? 'erreicht'
    : all(['erreicht', 'auf_kurs'])
      ? 'auf_kurs'
      : counts.nicht_auf_kurs
        ? 'nicht_auf_kurs'
        : 'nicht_beurteilbar';
  const e = { ...base(goal, ind, group), teil: 'gruppe' as const, area_name: group, counts };
  return {
    ...e,
    verdict,
    reason: verdict === 'nicht_beurteilbar' ? reasonText({ kind: 'group', n: counts.nicht_beurteilbar ?? 0 }) : null,
    caveat: caveatText({ kind: 'group', n: parts.length }),
  };
}

/** The published status as words ("gesperrt", "Mindestnenner nicht erreicht"). */
export function statusWords(s: Status | null): string {
  return s === null ? 'kein Wert' : STATUS_LABEL[s].de;
}
