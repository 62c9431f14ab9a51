/**
 * The page of one Kommune:
 *
 * ```
 * h1 Kommune
 *  ├ h2 Auf einen Blick          sentences for the significant findings vs the Kreis
 *  ├ h2 Präventionskette         chart + table along the Lebensphasen
 *  ├ h2 Zielübersicht            the Kommune's goals (only when it has some)
 *  ├ h2 <family>                 per family
 *  │   └ h3 <Lebensphase>
 *  │       └ h4 <indicator>      sentences, time series, Sozialraum ranking, table, series table
 *  ├ h2 Lesehilfe
 *  └ h2 Anhang: Steckbriefe
 * ```
 */
import type { IndicatorMeta, KennzahlRow } from '../charts/types.js';
import { LEBENSPHASE_LABEL, LEBENSPHASEN } from '../charts/praeventionskette.js';
import type { Block, Cell, Inline, Page } from './types.js';
import type { KommuneInfo, ReportModel } from './model.js';
import { FAMILY_LABEL, FAMILY_ORDER } from './labels.js';
import {
  areaPhrase,
  comparisonSentence,
  trendSentence,
  changeText,
  glanceSentence,
  landSentence,
} from './sentences.js';
import { ampelCell, ciCell, countCell, countText, noteCell, numberText, sigCell, valueCell } from './cells.js';
import { windowText } from '../charts/pooled.js';
import { chainAlt, chartBlock, rankingAlt, timeSeriesAlt, type ChartFiles } from './chart-blocks.js';
import { footer, kommuneFile, kurzFile, methodBlocks, nav, refEstimated, steckbriefBlocks } from './page-common.js';
import { dativeTop, genitiveDe, inTop, wordsOf } from '../charts/levels.js';
import { tocBlocks } from './toc.js';
import { goalBlocks, goalsOf } from './page-goals.js';
import { safeId } from './escape.js';
import { unitLabel } from '../charts/format.js';

const short = (ind: IndicatorMeta) => ind.short_title ?? ind.title;

function glance(model: ReportModel, k: KommuneInfo): Block[] {
  const words = wordsOf(model.meta);
  const groups: Record<'worse' | 'better' | 'neutral' | 'nd' | 'none', string[]> = {
    worse: [],
    better: [],
    neutral: [],
    nd: [],
    none: [],
  };
  for (const ind of model.indicators) {
    const y = model.year.get(ind.id);
    const r = y === undefined ? undefined : model.get(ind.id, 'kommune', k.ags, y);
    const s = r && r.suppression == null && r.value != null ? r.sig_kreis : undefined;
    const sentence = comparisonSentence(ind, r, {
      ref: 'kreis',
      refEstimated: refEstimated(model, r, 'kreis'),
      refName: model.kreis.name,
      words: wordsOf(model.meta),
      areaName: k.name,
      level: 'kommune',
      year: y,
    });
    if (s === 'worse') groups.worse.push(sentence);
    else if (s === 'better') groups.better.push(sentence);
    else if (s === 'higher' || s === 'lower') groups.neutral.push(sentence);
    else if (s === 'not_distinguishable') groups.nd.push(short(ind));
    else groups.none.push(short(ind));
  }
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: 'Auf einen Blick', id: 'auf-einen-blick' },
    {
      kind: 'para',
      inlines: [
        glanceSentence(
          model.indicators.length,
          k.name,
          areaPhrase('kreis', model.kreis.name),
          {
            worse: groups.worse.length,
            better: groups.better.length,
            nd: groups.nd.length,
            neutral: groups.neutral.length,
            none: groups.none.length,
          },
          words,
        ),
      ],
    },
  ];
  const add = (title: string, items: string[]) => {
    if (!items.length) return;
    blocks.push({ kind: 'para', inlines: [{ strong: title }] });
    blocks.push({ kind: 'list', items: items.map((s) => [s]), cls: 'findings' });
  };
  add(`Signifikant ungünstiger als ${words.inTopLevel}`, groups.worse);
  add(`Signifikant günstiger als ${words.inTopLevel}`, groups.better);
  add('Kontextkennzahlen mit signifikantem Unterschied', groups.neutral);
  if (groups.nd.length)
    blocks.push({
      kind: 'para',
      inlines: [{ strong: `Nicht vom ${words.topValue} unterscheidbar: ` }, groups.nd.join(', ') + '.'],
    });
  if (groups.none.length)
    blocks.push({
      kind: 'para',
      inlines: [{ strong: 'Ohne Vergleich (gesperrt oder kein Wert): ' }, groups.none.join(', ') + '.'],
    });
  return blocks;
}

function chain(model: ReportModel, k: KommuneInfo, files: ChartFiles): Block[] {
  const byPhase = [...model.indicators].sort(
    (a, b) => LEBENSPHASEN.indexOf(a.lebensphase) - LEBENSPHASEN.indexOf(b.lebensphase),
  );
  const counts = { worse: 0, better: 0, nd: 0, neutral: 0, none: 0 };
  const rows: Cell[][] = [];
  for (const ind of byPhase) {
    const y = model.year.get(ind.id);
    const r = y === undefined ? undefined : model.get(ind.id, 'kommune', k.ags, y);
    const kreis = y === undefined ? undefined : model.get(ind.id, 'kreis', model.kreis.ags, y);
    const s = r && r.suppression == null && r.value != null ? r.sig_kreis : null;
    if (s === 'worse') counts.worse++;
    else if (s === 'better') counts.better++;
    else if (s === 'not_distinguishable') counts.nd++;
    else if (s === 'higher' || s === 'lower') counts.neutral++;
    else counts.none++;
    rows.push([
      { text: [{ link: `#ind-${safeId(ind.id)}`, text: short(ind) }] },
      { text: LEBENSPHASE_LABEL[ind.lebensphase] },
      { text: y === undefined ? '' : String(y), cls: 'num' },
      { text: unitLabel(ind) },
      valueCell(ind, r),
      ciCell(ind, r),
      valueCell(ind, kreis),
      sigCell(s, r, 'kreis', ind),
      ampelCell(r),
    ]);
  }
  return [
    { kind: 'heading', level: 2, text: 'Präventionskette', id: 'praeventionskette' },
    {
      kind: 'para',
      inlines: [
        `Alle Kennzahlen entlang der Lebensphasen, jeweils im neuesten Jahr, im Vergleich mit ${dativeTop(model.kreis.name)}.`,
      ],
    },
    ...chartBlock(
      model,
      files,
      `charts/praeventionskette/praeventionskette_${k.ags}`,
      chainAlt(k.name, model.kreis.name, counts),
      `Präventionskette ${k.name}: Abweichung vom ${wordsOf(model.meta).topValue} je Kennzahl`,
    ),
    {
      kind: 'table',
      caption: `Präventionskette ${k.name}: Kennzahlen, 95-%-Konfidenzintervall und Vergleich mit ${dativeTop(model.kreis.name)}`,
      head: [
        'Kennzahl',
        'Lebensphase',
        'Jahr',
        'Einheit',
        k.name,
        '95-%-KI',
        wordsOf(model.meta).top,
        `Vergleich mit ${wordsOf(model.meta).withTop}`,
        'Ampel',
      ],
      rows,
      rowHeader: true,
      cls: 'chain',
    },
  ];
}

/** `withKommune`: the table has the column "Vergleich mit <Kommune>" (only where Sozialräume are listed). */
function areaRow(
  ind: IndicatorMeta,
  r: KennzahlRow | undefined,
  name: string,
  pooled: KennzahlRow | undefined | false,
  withKommune: boolean,
  cls?: string,
): Cell[] {
  return [
    { text: name, ...(cls ? { cls } : {}) },
    valueCell(ind, r),
    ciCell(ind, r),
    countCell(r?.numerator, r),
    countCell(r?.denominator, r, 'denominator'),
    ...(withKommune ? [r?.level === 'sozialraum' ? sigCell(r.sig_kommune, r, 'kommune', ind) : { text: '' }] : []),
    r?.level === 'kreis' ? { text: '' } : sigCell(r?.sig_kreis, r, 'kreis', ind),
    ...(pooled === false
      ? []
      : [
          pooled
            ? {
                // a masked window reads "gesperrt" like a masked year; counts only for a published one
                ...valueCell(ind, pooled),
                ...(pooled.suppression == null && pooled.value != null
                  ? {
                      title: `${pooled.period}: ${countText(pooled.numerator ?? 0)} von ${countText(pooled.denominator ?? 0)}`,
                    }
                  : {}),
              }
            : { text: '–', cls: 'gap', title: 'kein 3-Jahres-Wert' },
        ]),
    noteCell(r),
  ];
}

/** The Land's value as a reference row (value only; the Land has no counts here). */
function landRow(model: ReportModel, ind: IndicatorMeta, year: number, extra: number): Cell[][] {
  const land = model.meta.land;
  const v = land?.values.find((x) => x.indicator_id === ind.id && x.year === year);
  if (!land || !v) return [];
  return [
    [
      { text: `${land.name} (Land)`, cls: 'total' },
      { text: numberText(v.value, ind), cls: 'num' },
      ...Array.from({ length: 4 + extra }, () => ({ text: '' })),
      { text: land.source ?? '', cls: 'note' },
    ],
  ];
}

function indicatorBlocks(model: ReportModel, k: KommuneInfo, ind: IndicatorMeta, files: ChartFiles): Block[] {
  const words = wordsOf(model.meta);
  const y = model.year.get(ind.id);
  const id = `ind-${safeId(ind.id)}`;
  const blocks: Block[] = [{ kind: 'heading', level: 4, text: ind.title, id }];
  if (y === undefined)
    return [...blocks, { kind: 'para', inlines: ['Für diese Kennzahl liegen keine ausweisbaren Werte vor.'] }];
  const r = model.get(ind.id, 'kommune', k.ags, y);
  const sentences: Inline[] = [
    comparisonSentence(ind, r, {
      ref: 'kreis',
      refEstimated: refEstimated(model, r, 'kreis'),
      refName: model.kreis.name,
      words: wordsOf(model.meta),
      areaName: k.name,
      level: 'kommune',
      year: y,
    }),
  ];
  const land = landSentence(ind, r, model.meta.land);
  if (land) sentences.push(' ', land);
  const trend = trendSentence(ind, r, r ? model.areaBreaks(r.area_id) : []);
  if (trend) sentences.push(' ', trend);
  blocks.push({ kind: 'para', inlines: sentences, cls: 'finding' });
  // Sozialräume that differ from the Kommune, and those that are masked.
  const srs = k.sozialraeume.map((s) => ({ s, r: model.get(ind.id, 'sozialraum', s.id, y) }));
  const differ = srs.filter(
    (x) =>
      x.r &&
      x.r.suppression == null &&
      x.r.value != null &&
      x.r.sig_kommune &&
      x.r.sig_kommune !== 'not_distinguishable',
  );
  const masked = srs.filter((x) => x.r?.suppression != null);
  if (differ.length || masked.length) {
    const items: Inline[][] = differ.map((x) => [
      comparisonSentence(ind, x.r, {
        ref: 'kommune',
        refName: k.name,
        subject: 'wert',
        words,
        refEstimated: refEstimated(model, x.r, 'kommune'),
      }),
    ]);
    if (masked.length === 1)
      items.push([
        `Der Wert ${genitiveDe(words.smallest, words.smallestFeminine)} ${masked[0]!.s.name} wird ${y} aus Datenschutzgründen nicht ausgewiesen.`,
      ]);
    else if (masked.length > 1)
      items.push([`Aus Datenschutzgründen nicht ausgewiesen (${y}): ${masked.map((x) => x.s.name).join(', ')}.`]);
    blocks.push({ kind: 'list', items, cls: 'findings' });
  }
  blocks.push(
    ...chartBlock(
      model,
      files,
      `charts/${ind.id}/zeitreihe_${k.ags}`,
      timeSeriesAlt(model, ind, k.ags, k.name),
      `Zeitreihe ${short(ind)}: ${k.name} und ${model.kreis.name}`,
    ),
  );
  const w = model.window(ind.id, y, k.ags);
  blocks.push(
    ...chartBlock(
      model,
      files,
      `charts/${ind.id}/rangfolge_${k.ags}`,
      rankingAlt(model, ind, `von ${k.name}`, 'sozialraum', k.ags, y, w.poolYears),
      `${words.smallests} von ${k.name}: ${short(ind)} ${windowText(w)}`,
    ),
  );
  const kreis = model.get(ind.id, 'kreis', model.kreis.ags, y);
  // A Kommune-level source (e.g. HzE per Jugendamt) has no Sozialraum values at all: no empty rows then.
  const kommuneOnly = srs.every((x) => !x.r || (x.r.value == null && x.r.suppression == null));
  // The pooled window beside the single year: for small Sozialräume often the only published value.
  // The column is there when some window is published; a masked window in it reads "gesperrt".
  const pool = (level: 'kommune' | 'kreis' | 'sozialraum', area: string) => model.pooled(ind.id, level, area, y);
  const isPublished = (p: KennzahlRow | undefined) => p != null && p.suppression == null && p.value != null;
  const period = [
    pool('kommune', k.ags),
    pool('kreis', model.kreis.ags),
    ...k.sozialraeume.map((s) => pool('sozialraum', s.id)),
  ].find(isPublished)?.period;
  const pooledOf = (level: 'kommune' | 'kreis' | 'sozialraum', area: string) =>
    period && !kommuneOnly ? pool(level, area) : false;
  const rows: Cell[][] = [
    // without Sozialräume in the table the column "Vergleich mit <Kommune>" would be empty (the Kommune with itself)
    areaRow(ind, r, `${k.name} (${words.second})`, pooledOf('kommune', k.ags), !kommuneOnly, 'total'),
    areaRow(ind, kreis, model.kreis.name, pooledOf('kreis', model.kreis.ags), !kommuneOnly, 'total'),
    ...landRow(model, ind, y, (period && !kommuneOnly ? 1 : 0) + (kommuneOnly ? 0 : 1)),
    ...(kommuneOnly ? [] : srs.map((x) => areaRow(ind, x.r, x.s.name, pooledOf('sozialraum', x.s.id), true))),
  ];
  blocks.push({
    kind: 'table',
    caption: `${short(ind)} (${unitLabel(ind)}) ${y}: ${k.name}, ${model.kreis.name}${kommuneOnly ? '' : ` und ${words.smallests}`}${period && !kommuneOnly ? `, dazu der 3-Jahres-Wert ${period}` : ''}`,
    head: [
      'Gebiet',
      `Wert ${y} (${unitLabel(ind)})`,
      '95-%-KI',
      'Zähler',
      'Nenner',
      ...(kommuneOnly ? [] : [`Vergleich mit ${k.name}`]),
      `Vergleich mit ${words.withTop}`,
      ...(period && !kommuneOnly ? [`3-Jahres-Wert ${period}`] : []),
      'Hinweis',
    ],
    rows,
    rowHeader: true,
    // the note only where the Kommune has Sozialräume (a Kommune-level source); none at all: nothing to say
    ...(kommuneOnly && k.sozialraeume.length > 0
      ? { foot: `Diese Kennzahl liegt nur für ${words.seconds} vor, nicht für ${words.smallests}.` }
      : {}),
  });
  // The series as a table: the chart's data for screen readers and for copying.
  const series = model.series(ind.id, 'kommune', k.ags);
  const change = r ? changeText(ind, r) : undefined;
  blocks.push({
    kind: 'details',
    summary: `Zeitreihe als Tabelle${change ? ` (${change})` : ''}`,
    children: [
      {
        kind: 'table',
        caption: `${short(ind)} (${unitLabel(ind)}) in ${k.name} und ${inTop(model.kreis.name)} nach Jahr`,
        head: ['Jahr', k.name, '95-%-KI', model.kreis.name, `Vergleich mit ${wordsOf(model.meta).withTop}`],
        rows: series.map((s) => {
          const kr = model.get(ind.id, 'kreis', model.kreis.ags, s.year);
          return [
            { text: String(s.year) },
            valueCell(ind, s),
            ciCell(ind, s),
            valueCell(ind, kr),
            sigCell(s.sig_kreis, s, 'kreis', ind),
          ];
        }),
        rowHeader: true,
      },
    ],
  });
  return blocks;
}

export function kommunePage(model: ReportModel, k: KommuneInfo, files: ChartFiles): Page {
  const words = wordsOf(model.meta);
  const name = kommuneFile(k.ags);
  const yearText = model.mainYear !== undefined ? ` ${model.mainYear}` : '';
  const blocks: Block[] = [
    {
      kind: 'para',
      inlines: [
        `Kennzahlen der Präventionskette für ${k.name} (${words.code} ${k.ags})${k.sozialraeume.length ? ` und ${k.sozialraeume.length} ${words.smallests}` : ''}, verglichen mit ${dativeTop(model.kreis.name)}. `,
        { link: 'index.html', text: `Zur Übersicht ${model.kreis.name}` },
        '; ',
        { link: `${kurzFile(k.ags)}.html`, text: `Kurzprofil ${k.name} (2–4 Seiten)` },
        '.',
      ],
    },
    ...glance(model, k),
    ...chain(model, k, files),
    ...goalBlocks(goalsOf(model.goals, k.ags), model.indicators, k.name),
  ];
  for (const fam of FAMILY_ORDER) {
    const inds = model.indicators.filter((i) => i.family === fam);
    if (!inds.length) continue;
    const children: Block[] = [{ kind: 'heading', level: 2, text: FAMILY_LABEL[fam], id: `fam-${fam}` }];
    for (const phase of LEBENSPHASEN) {
      const inPhase = inds.filter((i) => i.lebensphase === phase);
      if (!inPhase.length) continue;
      children.push({
        kind: 'heading',
        level: 3,
        text: `${LEBENSPHASE_LABEL[phase]}`,
        id: `fam-${fam}-${safeId(phase)}`,
      });
      for (const ind of inPhase) children.push(...indicatorBlocks(model, k, ind, files));
    }
    blocks.push({ kind: 'section', id: `sec-${fam}`, cls: 'family', children });
  }
  blocks.push(...methodBlocks(words, k.sozialraeume.length > 0));
  blocks.push({ kind: 'section', id: 'anhang', cls: 'family', children: steckbriefBlocks(model) });
  blocks.splice(1, 0, ...tocBlocks(blocks));
  return {
    name,
    title: `${k.name}: Präventionsmonitoring${yearText} – ${model.kreis.name}`,
    h1: `${k.name}: Präventionsmonitoring${yearText}`,
    synthetic: model.synthetic,
    nav: nav(model, name),
    blocks,
    footer: footer(model),
  };
}
