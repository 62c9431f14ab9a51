/**
 * The Zielübersicht: the goals of a Kommune (its own, its Sozialräume's and area groups
 * within it) or of the Kreis, as one table – Ziel, Kennzahl, Start, aktueller Wert mit
 * KI, Zielpfad, Bewertung, Hinweis – followed by who is responsible and the milestones.
 * The evaluations come from the published rows only (steering/goals.ts); a masked
 * value reads "gesperrt", never a number.
 */
import type { IndicatorMeta } from '../charts/types.js';
import { GOAL_VERDICT_LABEL, type GoalEvaluation } from '../steering/goals.js';
import { formatDe, markEstimated, unitLabel } from '../charts/format.js';
import { numberText } from './cells.js';
import type { Block, Cell, Inline } from './types.js';

type Ind = Pick<IndicatorMeta, 'unit'>;

function valueWords(v: number | null, status: string | null, ind: Ind): string {
  if (v !== null) return markEstimated(numberText(v, ind), status === 'estimated');
  return status === 'masked' ? 'gesperrt' : '–';
}

function startCell(e: GoalEvaluation, ind: Ind): Cell {
  if (e.teil === 'gruppe') return { text: `${e.startjahr}` };
  const cls = e.start_status === 'masked' ? 'masked' : 'num';
  return { text: `${e.startjahr}: ${valueWords(e.start_value, e.start_status, ind)}`, cls };
}

function currentCell(e: GoalEvaluation, ind: Ind): Cell {
  if (e.teil === 'gruppe' || e.current_year === null) return { text: '' };
  const v = valueWords(e.current_value, e.current_status, ind);
  const ci =
    e.ci_low !== null && e.ci_high !== null ? ` (${numberText(e.ci_low, ind)} – ${numberText(e.ci_high, ind)})` : '';
  return { text: `${e.current_year}: ${v}${ci}`, cls: e.current_status === 'masked' ? 'masked' : 'num' };
}

function pathCell(e: GoalEvaluation, ind: Ind): Cell {
  const goal =
    e.zielwert !== null
      ? `Ziel ${e.zieljahr}: ${numberText(e.zielwert, ind)}`
      : `${e.richtung === 'sinken' ? 'sinken' : 'steigen'} bis ${e.zieljahr}`;
  const path =
    e.path_value !== null && e.current_year !== null && e.current_year < e.zieljahr
      ? `; Pfad ${e.current_year}: ${numberText(e.path_value, ind)}`
      : '';
  return { text: goal + path };
}

function verdictCell(e: GoalEvaluation): Cell {
  const sure = e.gesichert === null ? '' : e.gesichert ? ' (gesichert)' : ' (nicht gesichert)';
  const counts =
    e.counts !== null
      ? `; Gebiete: ${Object.entries(e.counts)
          .map(([v, n]) => `${n} ${GOAL_VERDICT_LABEL[v as GoalEvaluation['verdict']]}`)
          .join(', ')}`
      : '';
  return { text: [{ strong: GOAL_VERDICT_LABEL[e.verdict] }, sure + counts], cls: `ziel-${e.verdict}` };
}

/** The goals of one page: those of the Kommune `ags` (with its Sozialräume), or those without a Kommune (the Kreis). */
export function goalsOf(evals: readonly GoalEvaluation[], ags: string | null): GoalEvaluation[] {
  const byGoal = new Map<string, GoalEvaluation[]>();
  for (const e of evals) (byGoal.get(e.goal_id) ?? byGoal.set(e.goal_id, []).get(e.goal_id)!).push(e);
  const out: GoalEvaluation[] = [];
  for (const list of byGoal.values()) {
    const areas = list.filter((e) => e.teil === 'gebiet');
    if (areas.some((e) => (ags === null ? e.kommune_ags === null : e.kommune_ags === ags))) out.push(...list);
  }
  return out;
}

/**
 * The section, or nothing when the page has no goals.
 * @param where the Kommune's or the Kreis's name
 */
export function goalBlocks(
  evals: readonly GoalEvaluation[],
  indicators: readonly IndicatorMeta[],
  where: string,
): Block[] {
  if (evals.length === 0) return [];
  const meta = new Map(indicators.map((i) => [i.id, i]));
  const rows: Cell[][] = evals.map((e) => {
    const ind: IndicatorMeta | Ind = meta.get(e.indicator_id) ?? { unit: e.unit };
    const part = e.teil === 'gebiet' && e.gruppe !== null;
    const title: Inline[] = part ? [`\u2003${e.area_name ?? e.area_id ?? ''}`] : [{ strong: e.titel }];
    if (!part && e.area_name) title.push(` – ${e.area_name}`);
    const indTitle = 'title' in ind ? (ind.short_title ?? ind.title) : e.indicator_title;
    return [
      { text: title },
      { text: part ? '' : `${indTitle} (${'title' in ind ? unitLabel(ind) : e.unit})` },
      startCell(e, ind),
      currentCell(e, ind),
      pathCell(e, ind),
      verdictCell(e),
      { text: e.reason ?? e.caveat, cls: 'note' },
    ];
  });
  const details: Inline[][] = [];
  for (const e of evals) {
    if (e.teil === 'gebiet' && e.gruppe !== null) continue;
    const parts = [
      e.handlungsfeld ? `Handlungsfeld: ${e.handlungsfeld}` : '',
      e.verantwortlich ? `Verantwortlich: ${e.verantwortlich}` : '',
      e.beschreibung ?? '',
    ].filter(Boolean);
    const ind: Ind = meta.get(e.indicator_id) ?? { unit: e.unit };
    const ms = e.meilensteine.map((m) => {
      // two decimals where one would hide why 6,02 misses a Soll of 6
      const close = m.soll !== null && m.ist !== null && numberText(m.soll, ind) === numberText(m.ist, ind);
      const fmt = (x: number) => (close ? formatDe(x, 2) : numberText(x, ind));
      const soll = m.soll === null ? '–' : fmt(m.soll);
      const verdict = m.erreicht === null ? '' : m.erreicht ? ' (erfüllt)' : ' (nicht erfüllt)';
      const ist =
        m.status === null
          ? 'noch offen'
          : m.ist !== null
            ? `Ist ${fmt(m.ist)}${verdict}`
            : m.status === 'masked'
              ? 'Ist gesperrt'
              : 'kein Wert';
      return `${m.jahr}: Soll ${soll}, ${ist}`;
    });
    if (ms.length) parts.push(`Meilensteine ${ms.join('; ')}`);
    if (parts.length)
      details.push([{ strong: `${e.titel}: ` }, parts.map((p) => p.replace(/[.\s]+$/, '')).join('. ') + '.']);
  }
  return [
    { kind: 'heading', level: 2, text: 'Zielübersicht', id: 'zieluebersicht' },
    {
      kind: 'para',
      inlines: [
        `Vereinbarte Ziele (${where}): Ausgangswert, neuester veröffentlichter Wert mit 95-%-Konfidenzintervall, der Wert, den ein gleichmäßiger (linearer) Verlauf zum Ziel in diesem Jahr verlangt, und die Bewertung. „Gesichert“ heißt: das Konfidenzintervall des aktuellen Werts schließt den Vergleichswert (Zielwert, Zielpfad oder Startwert) aus. Gesperrte Werte werden nicht bewertet.`,
      ],
    },
    {
      kind: 'table',
      caption: `Zielübersicht ${where}: Ziele und ihr Stand`,
      head: ['Ziel', 'Kennzahl', 'Start', 'aktuell (95-%-KI)', 'Zielpfad', 'Bewertung', 'Hinweis'],
      rows,
      rowHeader: true,
      cls: 'goals',
    },
    ...(details.length ? [{ kind: 'list' as const, items: details, cls: 'findings' }] : []),
  ];
}
