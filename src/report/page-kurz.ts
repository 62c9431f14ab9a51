/**
 * The Kurzprofil of one Kommune (2–4 printed pages) for a Vorlage:
 *
 * ```
 * h1 Kommune: Kurzprofil
 *  ├ h2 Präventionskette       the chart
 *  ├ h2 Auffälligste Befunde   the largest significant deviations from the Kreis, then unfavourable trends
 *  └ h2 Ampel                  one row per indicator: value, Kreis, Land, comparison, Ampel
 * ```
 * The full Kommunalprofil (kommune-<AGS>.html) has every detail.
 */
import type { IndicatorMeta, KennzahlRow } from '../charts/types.js';
import type { Block, Cell, Inline, Page } from './types.js';
import type { KommuneInfo, ReportModel } from './model.js';
import { LEBENSPHASEN } from '../charts/praeventionskette.js';
import { ESTIMATED_EXPLANATION, unitLabel } from '../charts/format.js';
import { comparisonSentence, trendSentence } from './sentences.js';
import { ampelCell, numberText, sigCell, valueCell } from './cells.js';
import { chainAlt, chartBlock, type ChartFiles } from './chart-blocks.js';
import { footer, kommuneFile, kurzFile, nav, refEstimated } from './page-common.js';
import { dativeTop, wordsOf } from '../charts/levels.js';
import { symbolLegend } from '../charts/vocabulary.js';

const short = (ind: IndicatorMeta) => ind.short_title ?? ind.title;
const published = (r: KennzahlRow | undefined): r is KennzahlRow => !!r && r.suppression == null && r.value != null;

/** Significant deviations from the Kreis, largest relative gap first. */
function striking(
  model: ReportModel,
  k: KommuneInfo,
  sig: 'worse' | 'better',
): { ind: IndicatorMeta; r: KennzahlRow }[] {
  const found: { ind: IndicatorMeta; r: KennzahlRow; gap: number }[] = [];
  for (const ind of model.indicators) {
    const y = model.year.get(ind.id);
    const r = y === undefined ? undefined : model.get(ind.id, 'kommune', k.ags, y);
    if (!published(r) || r.sig_kreis !== sig || !r.ref_kreis_value) continue;
    found.push({ ind, r, gap: Math.abs(r.value! / r.ref_kreis_value - 1) });
  }
  return found.sort((a, b) => b.gap - a.gap || a.ind.id.localeCompare(b.ind.id));
}

function findings(model: ReportModel, k: KommuneInfo): Block[] {
  const ctx = { ref: 'kreis' as const, refName: model.kreis.name, words: wordsOf(model.meta) };
  const worse = striking(model, k, 'worse');
  const better = striking(model, k, 'better');
  const trends = model.indicators
    .map((ind) => ({ ind, r: model.get(ind.id, 'kommune', k.ags, model.year.get(ind.id) ?? -1) }))
    .filter((x) => published(x.r) && x.r.trend_sig === 'worse');
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Auffälligste Befunde', id: 'befunde' }];
  const list = (title: string, items: Inline[][]) => {
    if (!items.length) return;
    blocks.push({ kind: 'para', inlines: [{ strong: title }] });
    blocks.push({ kind: 'list', items, cls: 'findings' });
  };
  list(
    `Am deutlichsten ungünstiger als ${wordsOf(model.meta).inTopLevel}`,
    worse
      .slice(0, 4)
      .map((x) => [comparisonSentence(x.ind, x.r, { ...ctx, refEstimated: refEstimated(model, x.r, 'kreis') })]),
  );
  list(
    `Am deutlichsten günstiger als ${wordsOf(model.meta).inTopLevel}`,
    better
      .slice(0, 3)
      .map((x) => [comparisonSentence(x.ind, x.r, { ...ctx, refEstimated: refEstimated(model, x.r, 'kreis') })]),
  );
  list(
    'Ungünstige Entwicklung',
    trends
      .slice(0, 3)
      .map((x) => [`${short(x.ind)}: `, trendSentence(x.ind, x.r, x.r ? model.areaBreaks(x.r.area_id) : []) ?? '']),
  );
  if (blocks.length === 1)
    blocks.push({
      kind: 'para',
      inlines: [`Keine Kennzahl weicht in ${k.name} signifikant vom ${wordsOf(model.meta).topValue} ab.`],
    });
  return blocks;
}

function ampelTable(model: ReportModel, k: KommuneInfo): Block {
  const land = model.meta.land;
  const byPhase = [...model.indicators].sort(
    (a, b) => LEBENSPHASEN.indexOf(a.lebensphase) - LEBENSPHASEN.indexOf(b.lebensphase),
  );
  const rows: Cell[][] = byPhase.map((ind) => {
    const y = model.year.get(ind.id);
    const r = y === undefined ? undefined : model.get(ind.id, 'kommune', k.ags, y);
    const kreis = y === undefined ? undefined : model.get(ind.id, 'kreis', model.kreis.ags, y);
    const lv = land?.values.find((v) => v.indicator_id === ind.id && v.year === y);
    return [
      { text: short(ind) },
      { text: y === undefined ? '' : String(y), cls: 'num' },
      { text: unitLabel(ind) },
      valueCell(ind, r),
      valueCell(ind, kreis),
      ...(land ? [lv ? { text: numberText(lv.value, ind), cls: 'num' } : { text: '–', cls: 'gap' }] : []),
      sigCell(r?.sig_kreis, r, 'kreis', ind),
      ampelCell(r),
    ];
  });
  return {
    kind: 'table',
    caption: `${k.name}: alle Kennzahlen im neuesten Jahr, Vergleich mit ${dativeTop(model.kreis.name)} und Ampel`,
    head: [
      'Kennzahl',
      'Jahr',
      'Einheit',
      k.name,
      wordsOf(model.meta).top,
      ...(land ? [land.name] : []),
      `Vergleich mit ${wordsOf(model.meta).withTop}`,
      'Ampel',
    ],
    rows,
    rowHeader: true,
    cls: 'chain',
    foot: `${symbolLegend()} Ampel: rot = signifikant ungünstiger, gelb = nicht unterscheidbar, grün = signifikant günstiger als ${wordsOf(model.meta).theTop} (bzw. Zielwert). ${ESTIMATED_EXPLANATION}.`,
  };
}

export function kurzPage(model: ReportModel, k: KommuneInfo, files: ChartFiles): Page {
  const words = wordsOf(model.meta);
  const name = kurzFile(k.ags);
  const yearText = model.mainYear !== undefined ? ` ${model.mainYear}` : '';
  const counts = { worse: 0, better: 0, nd: 0, neutral: 0, none: 0 };
  for (const ind of model.indicators) {
    const y = model.year.get(ind.id);
    const r = y === undefined ? undefined : model.get(ind.id, 'kommune', k.ags, y);
    const s = published(r) ? r.sig_kreis : null;
    if (s === 'worse') counts.worse++;
    else if (s === 'better') counts.better++;
    else if (s === 'not_distinguishable') counts.nd++;
    else if (s === 'higher' || s === 'lower') counts.neutral++;
    else counts.none++;
  }
  const blocks: Block[] = [
    {
      kind: 'para',
      inlines: [
        `Kurzfassung für ${k.name} (${words.code} ${k.ags}): ${model.indicators.length} Kennzahlen im Vergleich mit ${dativeTop(model.kreis.name)}. Alle Werte, ${k.sozialraeume.length ? `${words.smallests}, ` : ''}Zeitreihen und Steckbriefe: `,
        { link: `${kommuneFile(k.ags)}.html`, text: `${words.kreis ? 'Kommunalprofil' : 'Profil'} ${k.name}` },
        '.',
      ],
    },
    { kind: 'heading', level: 2, text: 'Präventionskette', id: 'praeventionskette' },
    ...chartBlock(
      model,
      files,
      `charts/praeventionskette/praeventionskette_${k.ags}`,
      chainAlt(k.name, model.kreis.name, counts),
      `Präventionskette ${k.name}: rechts günstiger, links ungünstiger als der ${words.topValue}`,
    ),
    ...findings(model, k),
    { kind: 'heading', level: 2, text: 'Ampel', id: 'ampel' },
    ampelTable(model, k),
  ];
  return {
    name,
    title: `${k.name}: Kurzprofil Präventionsmonitoring${yearText} – ${model.kreis.name}`,
    h1: `${k.name}: Kurzprofil Präventionsmonitoring${yearText}`,
    synthetic: model.synthetic,
    nav: nav(model, name),
    blocks: [{ kind: 'section', id: 'kurz', cls: 'kurz', children: blocks }],
    footer: footer(model),
  };
}
