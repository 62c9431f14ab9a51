/**
 * The frame every chart shares: a wrapped title naming what and where, the body
 * (one chart type), a footer with notes and the source line, the theme and the
 * German locale. Options -> options helpers in the Observable Plot manner.
 */
import type { ChartMeta, ChartSpec, IndicatorMeta } from './types.js';
import { chartConfig, SIZE, TEXT_COLOR, WIDTH } from './theme.js';
import { sourceLine, SYNTHETIC_NOTE } from './source-line.js';
import { wrapText, FONT_FAMILY } from './text-width.js';

export interface FrameOptions {
  /** Title text (wrapped to the width). */
  title: string;
  /** Extra lines under the title (e.g. unit and year). */
  subtitle?: string;
  /** Notes above the source line (gaps, breaks). */
  notes?: string[];
  /** Indicators whose sources the source line names. */
  indicators: (IndicatorMeta | undefined)[];
  /** Total width in px the title and footer wrap to. */
  width?: number;
  /**
   * The print layout the chart is designed for, in mm (85: a column, 170: the page), kept in
   * `usermeta.spm`. The PNG is placed at the drawn width at one print scale (render/png.ts).
   */
  widthMm?: number;
  /** The chart shows Land values: name their source too. */
  land?: boolean;
  /** Ids of the published reference values (`references:`) the chart shows: name their source too. */
  references?: string[];
  /** Extra renderer hints (e.g. hatched fills). */
  usermeta?: Record<string, unknown>;
  /** German text for screen readers (the SVG's aria-label); default: title and subtitle. */
  description?: string;
}

/** Options with defaults filled in. */
export function withFrameDefaults(o: FrameOptions): Required<Pick<FrameOptions, 'width' | 'widthMm'>> & FrameOptions {
  return { ...o, width: o.width ?? WIDTH.column, widthMm: o.widthMm ?? 85 };
}

/** Footer lines: notes, the synthetic note, the source line, each wrapped. */
export function footerLines(meta: ChartMeta, o: FrameOptions, width: number): string[] {
  const lines: string[] = [];
  for (const n of o.notes ?? []) lines.push(...wrapText(n, width, SIZE.footer));
  const src =
    sourceLine(meta, o.indicators, o.land, o.references) + (meta.synthetic ? ` \u2013 ${SYNTHETIC_NOTE}` : '');
  lines.push(...wrapText(src, width, SIZE.footer));
  return lines;
}

/** The default description: "Diagramm: <title>. <subtitle>". */
export function chartDescription(o: Pick<FrameOptions, 'title' | 'subtitle'>): string {
  const t = o.title.trim().replace(/[.:]$/, '');
  return `Diagramm: ${t}.${o.subtitle ? ` ${o.subtitle.trim()}` : ''}`;
}

/**
 * Wrap a body spec (unit, layer or facet; without $schema/config) into the chart frame:
 * `{ title, vconcat: [body with the footer as its bottom title], config, usermeta }`.
 * The footer is a title with `frame: 'bounds'` so that it starts at the left edge
 * of the axis labels, like the chart title, not at the plot area.
 */
export function frame(meta: ChartMeta, body: Record<string, unknown>, options: FrameOptions): ChartSpec {
  const o = withFrameDefaults(options);
  const lines = footerLines(meta, o, o.width);
  const footer = {
    text: lines,
    orient: 'bottom',
    anchor: 'start',
    frame: 'bounds',
    font: FONT_FAMILY,
    fontSize: SIZE.footer,
    fontWeight: 'normal',
    lineHeight: SIZE.footerLine,
    color: TEXT_COLOR,
    offset: 10,
    aria: false,
  };
  // aria: false on both titles: the German description names the chart, not Vega's "Title text '…'"
  const title: Record<string, unknown> = { text: wrapText(o.title, o.width, SIZE.title, true), aria: false };
  if (o.subtitle) title.subtitle = wrapText(o.subtitle, o.width, SIZE.label);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // the SVG's aria-label: German, instead of Vega's generated English ("X-axis titled …")
    description: o.description ?? chartDescription(o),
    title,
    vconcat: [{ ...body, title: footer }],
    config: chartConfig(),
    usermeta: { spm: { widthMm: o.widthMm, ...(o.usermeta ?? {}) } },
  } as unknown as ChartSpec;
}
