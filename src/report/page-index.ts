/**
 * The Kreis overview (`index.html`):
 *
 * ```
 * h1 Kreis
 *  ├ h2 Kommunen im Überblick          table with links and counts of comparisons
 *  ├ h2 Präventionskette im Überblick  indicators (by Lebensphase) × Kommunen, symbol per cell
 *  ├ h2 Stärkste signifikante Veränderungen   trends, strongest first, with a sentence each
 *  ├ h2 <family> └ h3 <indicator>      ranking of the Kommunen
 *  ├ h2 Lesehilfe
 *  └ h2 Anhang: Steckbriefe
 * ```
 */
import type { IndicatorMeta, KennzahlRow } from '../charts/types.js';
import { LEBENSPHASE_LABEL, LEBENSPHASEN } from '../charts/praeventionskette.js';
import { markEstimated, unitLabel } from '../charts/format.js';
import type { Block, Cell, Page } from './types.js';
import type { ReportModel } from './model.js';
import { FAMILY_LABEL, FAMILY_ORDER, SIG_MARK } from './labels.js';
import { symbolLegend } from '../charts/vocabulary.js';
import { areaPhrase, comparisonSentence, landSentence, signedDiff, trendSentence, subjectOf } from './sentences.js';
import { numberText, sigCell, sigSymbolCell, valueCell } from './cells.js';
import { goalBlocks, goalsOf } from './page-goals.js';
import { chartBlock, rankingAlt, timeSeriesAlt, type ChartFiles } from './chart-blocks.js';
import { footer, hasSmallest, kommuneFile, methodBlocks, nav, steckbriefBlocks } from './page-common.js';
import { dativeTop, forTop, genitiveDe, genitiveTop, wordsOf } from '../charts/levels.js';
import { safeId } from './escape.js';

const short = (ind: IndicatorMeta) => ind.short_title ?? ind.title;

function kommunenTable(model: ReportModel): Block[] {
  const words = wordsOf(model.meta);
  // no column of zeros where the level below the top is the smallest (no Kommune has Sozialräume)
  const smallest = hasSmallest(model);
  const rows: Cell[][] = model.kommunen.map((k) => {
    const c = { worse: 0, better: 0, nd: 0, neutral: 0, none: 0 };
    for (const ind of model.indicators) {
      const y = model.year.get(ind.id);
      const r = y === undefined ? undefined : model.get(ind.id, 'kommune', k.ags, y);
      const s = r && r.suppression == null && r.value != null ? r.sig_kreis : null;
      if (s === 'worse') c.worse++;
      else if (s === 'better') c.better++;
      else if (s === 'not_distinguishable') c.nd++;
      else if (s === 'higher' || s === 'lower') c.neutral++;
      else c.none++;
    }
    return [
      // a Kommune without a page in the folder (`spm report --kommune`) is named without a link
      { text: model.hasPage(k.ags) ? [{ link: `${kommuneFile(k.ags)}.html`, text: k.name }] : k.name },
      { text: k.ags },
      ...(smallest ? [{ text: String(k.sozialraeume.length), cls: 'num' }] : []),
      { text: String(c.worse), cls: 'num' },
      { text: String(c.better), cls: 'num' },
      { text: String(c.nd), cls: 'num' },
      { text: String(c.neutral), cls: 'num' },
      { text: String(c.none), cls: 'num' },
    ];
  });
  return [
    { kind: 'heading', level: 2, text: `${words.seconds} im Überblick`, id: 'kommunen' },
    {
      kind: 'para',
      inlines: [
        `Je ${words.second}: wie viele der ${model.indicators.length} Kennzahlen im jeweils neuesten Jahr signifikant vom ${words.topValue} abweichen. Der Name führt zum Bericht ${genitiveDe(words.second, words.secondFeminine)}${model.kommunen.every((k) => model.hasPage(k.ags)) ? '' : ', wo er in diesem Ordner liegt'}.`,
      ],
    },
    {
      kind: 'table',
      caption: `${words.seconds} ${genitiveTop(model.kreis.name)}: Zahl der Kennzahlen nach Vergleich mit ${words.withTop}`,
      head: [
        words.second,
        words.code,
        ...(smallest ? [words.smallests] : []),
        `${SIG_MARK.worse.symbol} ${SIG_MARK.worse.text}`,
        `${SIG_MARK.better.symbol} ${SIG_MARK.better.text}`,
        `${SIG_MARK.not_distinguishable.symbol} ${SIG_MARK.not_distinguishable.text}`,
        `${SIG_MARK.higher.symbol}${SIG_MARK.lower.symbol} Kontext abweichend`,
        `${SIG_MARK.none.symbol} ${SIG_MARK.none.text}`,
      ],
      rows,
      rowHeader: true,
    },
  ];
}

/**
 * At most this many Kommunen (Stadtbezirke) in one table of the matrix. More are dealt into tables of
 * equal size, each with the indicators and the Kreis column again: on A4 the printed matrix of 25
 * Stadtbezirke (München) gave each about 2.8 % of the width, where the values ran into each other.
 * The sample Kreis's 11 Kommunen stay one table.
 */
export const MATRIX_AREAS_PER_TABLE = 12;

export function chainMatrix(model: ReportModel, perTable = MATRIX_AREAS_PER_TABLE): Block[] {
  const words = wordsOf(model.meta);
  const byPhase = [...model.indicators].sort(
    (a, b) => LEBENSPHASEN.indexOf(a.lebensphase) - LEBENSPHASEN.indexOf(b.lebensphase),
  );
  const oneYear = new Set(model.year.values()).size <= 1;
  const parts = Math.max(1, Math.ceil(model.kommunen.length / perTable));
  const per = Math.ceil(model.kommunen.length / parts);
  const caption = `Präventionskette: Kennzahlen der ${words.seconds} im Vergleich mit ${dativeTop(model.kreis.name)}${oneYear && model.mainYear !== undefined ? `, ${model.mainYear}` : ''}`;
  const tables: Block[] = [];
  for (let part = 0; part < parts; part++) {
    const kommunen = model.kommunen.slice(part * per, (part + 1) * per);
    const rows: Cell[][] = byPhase.map((ind) => {
      const y = model.year.get(ind.id);
      const kreis = y === undefined ? undefined : model.get(ind.id, 'kreis', model.kreis.ags, y);
      return [
        { text: short(ind) },
        { text: PHASE_SHORT[ind.lebensphase], title: LEBENSPHASE_LABEL[ind.lebensphase] },
        ...(oneYear ? [] : [{ text: `${y ?? ''}`, cls: 'num' }]),
        valueCell(ind, kreis),
        ...kommunen.map((k) => {
          const r = y === undefined ? undefined : model.get(ind.id, 'kommune', k.ags, y);
          return sigSymbolCell(r?.sig_kreis, r, ind);
        }),
      ];
    });
    tables.push({
      kind: 'table',
      caption:
        parts > 1
          ? `${caption} (Teil ${part + 1} von ${parts}: ${kommunen[0]!.name} bis ${kommunen[kommunen.length - 1]!.name})`
          : caption,
      head: ['Kennzahl', 'Lebensphase', ...(oneYear ? [] : ['Jahr']), words.top, ...kommunen.map((k) => k.name)],
      rows,
      rowHeader: true,
      cls: 'matrix',
    });
  }
  return [
    { kind: 'heading', level: 2, text: 'Präventionskette im Überblick', id: 'praeventionskette', pageBreak: true },
    {
      kind: 'para',
      inlines: [
        `Jede Kennzahl entlang der Lebensphasen (Zeilen) und ${words.secondFeminine ? 'jede' : 'jeden'} ${words.second} (Spalten): Wert im neuesten Jahr und Vergleich mit dem ${words.topValue}. ${symbolLegend()}`,
      ],
    },
    ...tables,
  ];
}

/** Short Lebensphase labels for the wide matrix (the full label is the cell's title). */
const PHASE_SHORT: Record<IndicatorMeta['lebensphase'], string> = {
  schwangerschaft_geburt: 'Geburt',
  '0-3': '0–3',
  '3-6': '3–6',
  '6-10': '6–10',
  '10-16': '10–16',
  '16-25': '16–25',
  uebergreifend: 'übergreifend',
};

const TREND_SIG = new Set(['worse', 'better', 'higher', 'lower']);

/** Strength of a significant trend: the change over its window relative to the latest value. */
function strength(r: KennzahlRow): number {
  const n = Number(r.trend_n ?? 0);
  return (Math.abs(r.trend_slope ?? 0) * Math.max(n - 1, 1)) / Math.max(Math.abs(r.value ?? 0), 1e-9);
}

/** Significant trends of the Kreis and the Kommunen in each indicator's report year, strongest first. */
export function strongestChanges(model: ReportModel, limit = 10): { ind: IndicatorMeta; row: KennzahlRow }[] {
  const found: { ind: IndicatorMeta; row: KennzahlRow; s: number }[] = [];
  for (const ind of model.indicators) {
    const y = model.year.get(ind.id);
    if (y === undefined) continue;
    for (const [level, area] of [
      ['kreis', model.kreis.ags] as const,
      ...model.kommunen.map((k) => ['kommune', k.ags] as const),
    ]) {
      const r = model.get(ind.id, level, area, y);
      if (
        !r ||
        r.suppression != null ||
        r.value == null ||
        r.trend_slope == null ||
        !TREND_SIG.has(String(r.trend_sig))
      )
        continue;
      found.push({ ind, row: r, s: strength(r) });
    }
  }
  found.sort((a, b) => b.s - a.s || a.ind.id.localeCompare(b.ind.id) || a.row.area_id.localeCompare(b.row.area_id));
  return found.slice(0, limit).map(({ ind, row }) => ({ ind, row }));
}

function changes(model: ReportModel): Block[] {
  const words = wordsOf(model.meta);
  const top = strongestChanges(model);
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: 'Stärkste signifikante Veränderungen', id: 'veraenderungen', pageBreak: true },
    {
      kind: 'para',
      inlines: [
        `Kennzahlen ${words.ofTop} und der ${words.seconds} mit einem statistisch gesicherten Trend über die letzten Jahre, geordnet nach der Veränderung im Trendzeitraum im Verhältnis zum aktuellen Wert.`,
      ],
    },
  ];
  if (!top.length)
    return [...blocks, { kind: 'para', inlines: ['Keine Kennzahl zeigt einen statistisch gesicherten Trend.'] }];
  blocks.push({
    kind: 'list',
    cls: 'findings',
    items: top.map(({ ind, row }) => [
      `${subjectOf(ind)} ${areaPhrase(row.level, row.area_name)}: `,
      trendSentence(ind, row, model.areaBreaks(row.area_id)) ?? '',
    ]),
  });
  blocks.push({
    kind: 'table',
    caption: 'Stärkste signifikante Trends: Zeitraum, mittlere Veränderung pro Jahr mit 95-%-KI und Bewertung',
    head: ['Kennzahl', 'Gebiet', 'Zeitraum', 'Veränderung pro Jahr', '95-%-KI', 'Wert', 'Bewertung'],
    rowHeader: true,
    rows: top.map(({ ind, row }) => [
      {
        text:
          row.level === 'kommune' && model.hasPage(row.area_id)
            ? [{ link: `${kommuneFile(row.area_id)}.html#ind-${safeId(ind.id)}`, text: short(ind) }]
            : short(ind),
      },
      { text: row.area_name },
      { text: `${row.trend_from}–${row.year}` },
      { text: signedDiff(row.trend_slope!, ind.unit), cls: 'num' },
      {
        text:
          row.trend_low != null && row.trend_high != null
            ? `${signedDiff(row.trend_low, ind.unit)} bis ${signedDiff(row.trend_high, ind.unit)}`
            : '',
        cls: 'num',
      },
      {
        text: markEstimated(`${numberText(row.value!, ind)}\u00a0${unitLabel(ind)}`, row.status === 'estimated'),
        cls: 'num',
      },
      sigCell(row.trend_sig as KennzahlRow['sig_kreis'], row, 'trend', ind),
    ]),
  });
  return blocks;
}

function familySections(model: ReportModel, files: ChartFiles): Block[] {
  const words = wordsOf(model.meta);
  const out: Block[] = [];
  for (const fam of FAMILY_ORDER) {
    const inds = model.indicators.filter((i) => i.family === fam);
    if (!inds.length) continue;
    const children: Block[] = [{ kind: 'heading', level: 2, text: FAMILY_LABEL[fam], id: `fam-${fam}` }];
    for (const ind of inds) {
      const y = model.year.get(ind.id);
      children.push({ kind: 'heading', level: 3, text: ind.title, id: `ind-${safeId(ind.id)}` });
      children.push({ kind: 'para', inlines: [`Lebensphase: ${LEBENSPHASE_LABEL[ind.lebensphase]}.`], cls: 'meta' });
      if (y === undefined) {
        children.push({ kind: 'para', inlines: ['Für diese Kennzahl liegen keine ausweisbaren Werte vor.'] });
        continue;
      }
      const kreis = model.get(ind.id, 'kreis', model.kreis.ags, y);
      const sentences = [
        comparisonSentence(ind, kreis, {
          ref: 'kreis',
          refName: model.kreis.name,
          words: wordsOf(model.meta),
          areaName: model.kreis.name,
          level: 'kreis',
          year: y,
        }),
      ];
      const t = trendSentence(ind, kreis, kreis ? model.areaBreaks(kreis.area_id) : []);
      if (t) sentences.push(' ', t);
      children.push({ kind: 'para', inlines: sentences, cls: 'finding' });
      const land = landSentence(ind, kreis, model.meta.land);
      if (land) children.push({ kind: 'para', inlines: [land], cls: 'finding' });
      const kreisGen = genitiveTop(model.kreis.name);
      children.push(
        ...chartBlock(
          model,
          files,
          `charts/${ind.id}/zeitreihe_${model.kreis.ags}`,
          timeSeriesAlt(model, ind, model.kreis.ags, model.kreis.name, 'kreis'),
          `Zeitreihe ${short(ind)}: ${model.kreis.name}${model.meta.land ? ` und ${model.meta.land.name}` : ''}`,
        ),
      );
      children.push(
        ...chartBlock(
          model,
          files,
          `charts/${ind.id}/rangfolge_${model.kreis.ags}`,
          rankingAlt(model, ind, `${kreisGen}`, 'kommune', undefined, y),
          `${words.seconds}: ${short(ind)} ${y}`,
        ),
      );
      children.push(
        ...chartBlock(
          model,
          files,
          `charts/${ind.id}/kommunen_${model.kreis.ags}`,
          `Kleine Liniendiagramme: ${short(ind)} in ${words.secondFeminine ? 'jeder' : 'jedem'} ${words.second} ${kreisGen} im Zeitverlauf, jeweils mit der Linie ${words.ofTop}. Die Werte stehen in den ${words.kreis ? 'Kommunalprofilen' : `Profilen der ${words.seconds}`}.`,
          `Zeitreihen aller ${words.seconds}: ${short(ind)}`,
        ),
      );
      children.push(
        ...chartBlock(
          model,
          files,
          `charts/${ind.id}/karte_${model.kreis.ags}`,
          `Karte: ${short(ind)} in den Gebieten ${kreisGen}, in Klassen eingefärbt; schraffiert: gesperrt oder ohne Angabe. Die Werte stehen in den Tabellen der ${words.kreis ? 'Kommunalprofile' : `Profile der ${words.seconds}`}.`,
          `Karte: ${short(ind)}`,
        ),
      );
    }
    out.push({ kind: 'section', id: `sec-${fam}`, cls: 'family', children });
  }
  return out;
}

export function indexPage(model: ReportModel, files: ChartFiles): Page {
  const words = wordsOf(model.meta);
  const yearText = model.mainYear !== undefined ? ` ${model.mainYear}` : '';
  return {
    name: 'index',
    title: `${model.kreis.name}: Präventionsmonitoring${yearText} – Übersicht`,
    h1: `${model.kreis.name}: Präventionsmonitoring${yearText}`,
    synthetic: model.synthetic,
    nav: nav(model, 'index'),
    blocks: [
      {
        kind: 'para',
        inlines: [
          `Kennzahlen der Präventionskette ${forTop(model.kreis.name)} und ${words.topPossessive} ${model.kommunen.length} ${words.seconds}: soziale Lage, Gesundheit, Bildung, Jugendhilfe und Frühe Hilfen, von der Geburt bis zum jungen Erwachsenenalter.`,
        ],
      },
      ...kommunenTable(model),
      ...chainMatrix(model),
      ...changes(model),
      ...goalBlocks(goalsOf(model.goals, null), model.indicators, model.kreis.name),
      ...familySections(model, files),
      ...methodBlocks(words, hasSmallest(model)),
      { kind: 'section', id: 'anhang', cls: 'family', children: steckbriefBlocks(model) },
    ],
    footer: footer(model),
  };
}
