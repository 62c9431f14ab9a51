/**
 * Ranking: the Sozialräume of a Kommune (or all Kommunen) in one year as sorted
 * horizontal bars with CI whiskers, a rule at the Kreis value (and the Kommune's
 * for Sozialräume), bars coloured by significance against the reference.
 *
 * ```
 * rows ─ select indicator, year, level (, kommune) ─ publicPoint ─ sort by value
 *   -> layers: bars (colour = significance), whiskers, reference rules + labels,
 *      "gesperrt" / "keine Angabe" text for areas without a published value
 *   -> frame
 * ```
 */
import type { ChartMeta, ChartSpec, KennzahlRow } from './types.js';
import { publicPoint, GAP_TEXT } from './mask.js';
import { indicatorMeta, selectRows, latestYear } from './select.js';
import {
  axisFormat,
  axisTitle,
  ESTIMATED_EXPLANATION,
  formatDe,
  formatValue,
  markEstimated,
  unitLabel,
} from './format.js';
import { windowNote, windowText } from './pooled.js';
import { frame } from './frame.js';
import { inTop, wordsOf } from './levels.js';
import { SIZE, WIDTH } from './theme.js';
import { pointTooltip } from './tooltip.js';
import { sigColorScale, sigKey, sigLabel, type SigKey } from './significance.js';
import { textWidth } from './text-width.js';
import { ellipsize, fitLegend } from './fit.js';

export interface RankingOptions {
  indicator: string;
  /** AGS of a Kommune: rank its Sozialräume. Without: rank all Kommunen. */
  kommune?: string;
  /** Year (default: latest year with a published value). */
  year?: number;
  poolYears?: number;
  /** Significance against the Kreis (default) or the Kommune. */
  reference?: 'kreis' | 'kommune';
  /** Height of one bar row in px. */
  step?: number;
}

const digitsOf = (unit: string) => (unit === 'count' ? 0 : unit === 'ratio' ? 2 : 1);

export function ranking(rows: readonly KennzahlRow[], meta: ChartMeta, options: RankingOptions): ChartSpec {
  const words = wordsOf(meta);
  const o = { poolYears: 1, reference: 'kreis' as const, step: 20, ...options };
  const ind = indicatorMeta(meta, o.indicator, rows);
  const level = o.kommune ? 'sozialraum' : 'kommune';
  const year = o.year ?? latestYear(rows, o.indicator, level, o.poolYears) ?? 0;

  // 1. Areas: published ones sorted by value (highest first), the rest after them by name.
  const selected = selectRows(rows, {
    indicator: o.indicator,
    level,
    kommune: o.kommune,
    year,
    poolYears: o.poolYears,
  });
  const period = selected[0]?.period ?? String(year);
  const points = selected.map(publicPoint);
  points.sort(
    (a, b) =>
      (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) ||
      (b.value ?? 0) - (a.value ?? 0) ||
      a.area_name.localeCompare(b.area_name, 'de'),
  );
  const refName =
    o.reference === 'kreis'
      ? meta.kreis.name
      : (selectRows(rows, {
          indicator: o.indicator,
          level: 'kommune',
          area: o.kommune,
          year,
          poolYears: o.poolYears,
        })[0]?.area_name ?? words.second);
  const data = points.map((p) => {
    const k: SigKey = sigKey(p, o.reference);
    // the printed value, marked "(g)" when estimated, like the report's tables
    const value_text = p.value === null ? null : markEstimated(formatDe(p.value, digitsOf(ind.unit)), p.estimated);
    return { ...p, sig: sigLabel(k, refName), gap_text: p.gap ? GAP_TEXT[p.gap] : null, value_text };
  });
  const present = new Set(points.filter((p) => p.value !== null).map((p) => sigKey(p, o.reference)));
  const scale = sigColorScale(ind.polarity, present, refName);

  // 2. References: Kreis, and the Kommune when ranking its Sozialräume.
  const refs: { label: string; value: number; estimated: boolean; dash: number[] }[] = [];
  const kreis = selectRows(rows, { indicator: o.indicator, level: 'kreis', year, poolYears: o.poolYears }).map(
    publicPoint,
  )[0];
  if (kreis?.value != null)
    refs.push({ label: meta.kreis.name, value: kreis.value, estimated: kreis.estimated, dash: [5, 3] });
  if (o.kommune) {
    const k = selectRows(rows, {
      indicator: o.indicator,
      level: 'kommune',
      area: o.kommune,
      year,
      poolYears: o.poolYears,
    }).map(publicPoint)[0];
    if (k?.value != null) refs.push({ label: k.area_name, value: k.value, estimated: k.estimated, dash: [2, 2] });
  }

  // 3. Layout: the plot takes what the area names and the value column leave of a column.
  //    Shares that all lie high (an Impfquote near 100 %) are drawn as dots on a zoomed
  //    axis: bars from 0 would all look alike, and a bar on a cut axis would lie.
  //    Names longer than what is left beside a plot of 130 px are shortened with an ellipsis
  //    (the tooltip and the report's table have them in full): a column chart stays a column wide.
  const valueTexts = data.map((d) => d.value_text ?? '');
  const valueWidth = Math.max(24, ...valueTexts.map((t) => textWidth(t, SIZE.footer))) + 8;
  const labelLimit = Math.min(240, WIDTH.column - 130 - valueWidth - 24);
  const labelWidth = Math.min(labelLimit, Math.max(40, ...points.map((p) => textWidth(p.area_name, SIZE.label))));
  const width = Math.max(130, WIDTH.column - labelWidth - valueWidth - 24);
  const fmt = axisFormat(ind.unit);
  const lows = points.filter((p) => p.value !== null).map((p) => p.ci_low ?? p.value!);
  const dots = ind.unit === 'percent' && lows.length > 0 && Math.min(...lows) >= 60;
  const y = {
    field: 'area_name',
    type: 'nominal',
    title: null,
    sort: data.map((d) => d.area_name),
    axis: { labelLimit, ticks: false, domain: false, labelPadding: 4 },
  };
  const xTitle = dots
    ? `${axisTitle(ind)}, Achse ab ${formatDe(Math.floor(Math.min(...lows) / 5) * 5, 0)}`
    : axisTitle(ind);
  // centred under a narrow plot a long axis title would reach past the values' column: it ends
  // at the plot's right end instead and reaches into the names' column
  const xTitleWidth = textWidth(xTitle, SIZE.axisTitle);
  const x = {
    field: 'value',
    type: 'quantitative',
    title: xTitle,
    axis: {
      format: fmt,
      grid: true,
      tickCount: 5,
      // a narrow plot (a Kommune of many Sozialräume) or the flush end labels brought two labels
      // together ("50,060,0" in the sample): Vega hides every other one until 4 px lie between them
      labelSeparation: 4,
      ...((xTitleWidth - width) / 2 > valueWidth + 6
        ? { titleAnchor: 'end', titleLimit: Math.floor(width + labelWidth + 4) }
        : {}),
    },
    scale: dots
      ? { zero: false, nice: false, domain: [Math.floor(Math.min(...lows) / 5) * 5, 100] }
      : { zero: true, nice: true },
  };
  // the legend starts at the chart's left edge (theme): it has the names' column, the plot and the values
  const legendFit = fitLegend(scale.domain, labelWidth + 4 + width + 6 + valueWidth, 10, 2);
  const color = {
    field: 'sig',
    type: 'nominal',
    title: null,
    scale: { domain: scale.domain, range: scale.range },
    legend: {
      orient: 'top',
      direction: 'horizontal',
      columns: legendFit.columns,
      labelLimit: legendFit.labelLimit,
      offset: 4,
      symbolType: dots ? 'circle' : 'square',
      symbolStrokeColor: '#333333',
      symbolStrokeWidth: 0.6,
    },
  };
  const tooltip = pointTooltip(ind.unit, { year: false }, [{ field: 'sig', title: 'Vergleich' }]);
  const layers: Record<string, unknown>[] = [
    dots
      ? {
          transform: [{ filter: 'datum.value != null' }],
          mark: { type: 'point', filled: true, size: 70, stroke: '#333333', strokeWidth: 0.6, opacity: 1, tooltip },
          encoding: {
            y,
            x,
            color,
            shape: {
              field: 'sig',
              type: 'nominal',
              title: null,
              scale: { domain: scale.domain, range: scale.shapes },
              legend: null,
            },
          },
        }
      : {
          transform: [{ filter: 'datum.value != null' }],
          mark: { type: 'bar', stroke: '#333333', strokeWidth: 0.6, height: { band: 0.7 }, tooltip },
          encoding: { y, x, color },
        },
    // a zero has no bar: a short mark at the value keeps it visible
    ...(dots
      ? []
      : [
          {
            transform: [{ filter: 'datum.value === 0' }],
            mark: { type: 'tick', orient: 'vertical', color: '#333333', thickness: 2, bandSize: 12 },
            encoding: { y, x },
          },
        ]),
    // the value printed beside the plot, so that a reader need not read it off the axis
    {
      transform: [{ filter: 'datum.value != null' }],
      mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: SIZE.footer, x: width + 6 },
      encoding: { y, text: { field: 'value_text' } },
    },
    {
      transform: [{ filter: 'datum.ci_low != null && datum.ci_high != null' }],
      mark: { type: 'rule', color: '#000000', strokeWidth: 1.2 },
      encoding: { y, x: { field: 'ci_low', type: 'quantitative' }, x2: { field: 'ci_high' } },
    },
  ];
  // A reference label reads to the right of its rule, or to the left where it would run out
  // of the column (a Kreis value near the top of the axis). The rule's position is estimated
  // from the data's extent: the drawn (nice) axis only ends further right.
  const extent = dots
    ? { lo: (x.scale.domain as number[])[0]!, hi: 100 }
    : {
        lo: 0,
        hi: Math.max(0, ...points.flatMap((p) => [p.value ?? 0, p.ci_high ?? 0]), ...refs.map((r) => r.value)),
      };
  const at = (v: number) => (extent.hi > extent.lo ? ((v - extent.lo) / (extent.hi - extent.lo)) * width : 0);
  const refData = refs.map((r, i) => {
    const value = `: ${markEstimated(formatValue(r.value, ind.unit), r.estimated)}`;
    const full = `${r.label}${value}`;
    // room right of the rule up to the values' column end, and left of it up to the names' start
    const roomRight = width + 6 + valueWidth - at(r.value) - 3;
    const roomLeft = at(r.value) + labelWidth + 4 - 3;
    const right = textWidth(full, SIZE.footer) > roomRight && roomLeft > roomRight;
    const room = right ? roomLeft : roomRight;
    // a name too long for either side is shortened, the value stays
    const text =
      textWidth(full, SIZE.footer) <= room
        ? full
        : `${ellipsize(r.label, Math.max(20, room - textWidth(value, SIZE.footer)), SIZE.footer)}${value}`;
    return { datum: { ...r, text, row: i }, right };
  });
  for (const { datum: r, right } of refData) {
    layers.push({
      data: { values: [r] },
      mark: { type: 'rule', color: '#000000', strokeWidth: 1.2, strokeDash: r.dash },
      encoding: { x: { field: 'value', type: 'quantitative' } },
    });
    layers.push({
      data: { values: [r] },
      mark: {
        type: 'text',
        align: right ? 'right' : 'left',
        baseline: 'bottom',
        dx: right ? -3 : 3,
        dy: -2 - r.row * 12,
        y: 0,
        fontSize: SIZE.footer,
        color: '#000000',
      },
      encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } },
    });
  }
  // A row without a value says why ("gesperrt", "Mindestnenner nicht erreicht"), at the plot's left
  // edge in pixels: on a cut axis (from 85) the value 0 lies far left of the plot, and a label there
  // widened the chart (and shrank its print) several times over. Drawn after the reference rules,
  // on a white outline of itself, so that a rule does not run through its letters (the sample:
  // Nottuln's Darup and Schapdetten under the Kreis and Kommune lines).
  const gapText = { type: 'text', align: 'left', dx: 4, fontStyle: 'italic', fontSize: SIZE.footer } as const;
  const gapEncoding = { y, x: { value: 0 }, text: { field: 'gap_text' } };
  layers.push(
    {
      transform: [{ filter: 'datum.value == null' }],
      mark: { ...gapText, color: '#ffffff', stroke: '#ffffff', strokeWidth: 3, strokeJoin: 'round' },
      encoding: gapEncoding,
    },
    {
      transform: [{ filter: 'datum.value == null' }],
      mark: { ...gapText, color: '#555555' },
      encoding: gapEncoding,
    },
  );
  const body = { width, height: { step: o.step }, data: { values: data }, layer: layers };
  const what = o.kommune
    ? `${words.smallests} in ${refName === meta.kreis.name ? (selectRows(rows, { indicator: o.indicator, level: 'kommune', area: o.kommune })[0]?.area_name ?? o.kommune) : refName}`
    : `${words.seconds} ${inTop(meta.kreis.name)}`;
  return frame(meta, body, {
    title: `${ind.title}: ${what}, ${windowText({ poolYears: o.poolYears, period })}`,
    // the interval is explained only where some row has one (a published rate has none)
    subtitle: `${unitLabel(ind)}; ${
      data.some((d) => d.ci_low != null && d.ci_high != null)
        ? `${dots ? 'Punkt: Wert, Linie' : 'Linie am Balken'}: 95-%-Konfidenzintervall; `
        : ''
    }rechts: Wert`,
    notes: [
      windowNote({ poolYears: o.poolYears, period }, words.smallests),
      dots
        ? 'Alle Werte liegen hoch: Punktdiagramm mit verkürzter Achse, damit die Unterschiede sichtbar sind.'
        : undefined,
      // "(g)" beside a value or a reference line: said under the chart, not only in the tooltip
      data.some((d) => d.value !== null && d.estimated) || refs.some((r) => r.estimated)
        ? `${ESTIMATED_EXPLANATION}.`
        : undefined,
    ].filter((n): n is string => !!n),
    indicators: [ind],
  });
}
