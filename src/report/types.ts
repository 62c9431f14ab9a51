/**
 * Stage types of the reports:
 * `ReportInput` (published rows, chart metadata, project) -> `ReportModel` (what
 * each page says, see model.ts) -> `Page` (a document of `Block`s, see
 * page-*.ts) -> HTML and Markdown text (html.ts, markdown.ts).
 */
import type { ChartJob, ChartMeta, ChartSpec, KennzahlRow } from '../charts/types.js';
import type { Project } from '../config/project.js';
import type { Format } from '../render/job.js';
import type { StageTiming } from '../util/stopwatch.js';

export interface ReportInput {
  rows: KennzahlRow[];
  meta: ChartMeta;
  project: Project;
}

export interface ReportOptions {
  outDir: string;
  /** Also print every page to `<name>.pdf` with Chromium (`/usr/bin/chromium`). */
  pdf?: boolean;
  /** Only 'de' is written; 'en' falls back to German with a warning. */
  language?: 'de' | 'en';
  /** Chromium for `pdf` (default `/usr/bin/chromium`). */
  chromiumPath?: string;
  /** Chart files for Word and the Markdown variant (default: svg of every chart shown; add 'png' for 300-dpi PNGs). */
  chartFiles?: {
    formats?: Format[];
    /** Which charts get files (by job name, e.g. `charts/praeventionskette/praeventionskette_05558012`). */
    filter?: (name: string) => boolean;
    /** PNG resolution (default 300). */
    dpi?: number;
    /** Render workers (see renderCharts). */
    workers?: number;
    /** Files of earlier runs to copy instead of rendering (see `ChartReuse`). */
    reuse?: ChartReuse;
  };
  /** Only these Kommunen (AGS) get a page (default: all). */
  kommunen?: string[];
  /**
   * With `kommunen`: pages of other Kommunen an earlier run left in the report folder and that
   * stay there (file names such as `kommune-05558012.html`, see `keptPages`); the index and the
   * navigation link to them as well. Without it a selection links only to its own pages.
   */
  existingPages?: readonly string[];
}

/**
 * Chart files rendered earlier from the same spec (a former report, `spm compute`'s
 * charts): a report copies them instead of rendering again. Kept by the caller,
 * which knows the folders (run/report-run.ts).
 */
export interface ChartReuse {
  /** Job name -> folder below which `<name>.<format>` holds every requested format, unchanged, for this spec. */
  find(jobs: readonly ChartJob[], formats: readonly Format[]): Map<string, string>;
  /** After the charts are in `dir` (rendered or copied): remember them for the next run; `failed` were not drawn. */
  save(
    dir: string,
    jobs: readonly ChartJob[],
    formats: readonly Format[],
    failed: ReadonlySet<string>,
  ): Promise<string>;
}

export interface ReportResult {
  files: string[];
  /** Notes for the user, e.g. that Chromium is missing for the PDF. */
  warnings: string[];
  /** Wall and CPU time (all threads of the process) per stage, in ms, in run order (`spm report --verbose`). */
  timings: StageTiming[];
  /** Chart files drawn in this run and copied from an earlier one. */
  charts: { rendered: number; reused: number };
}

/**
 * Inline content: text, a link, or emphasis. All text is escaped by the renderers.
 * `pageOf` is the printed page number of the element with that id (contents list):
 * an empty box of fixed width in the HTML that the PDF print fills in; nothing in Markdown.
 */
export type Inline = string | { link: string; text: string } | { strong: string } | { sr: string } | { pageOf: string };

export interface Cell {
  text: Inline[] | string;
  cls?: string;
  /** Tooltip / explanation (HTML title attribute; ignored in Markdown). */
  title?: string;
}

/** Blocks of a page document, rendered to HTML and Markdown alike. */
export type Block =
  | { kind: 'heading'; level: 2 | 3 | 4; text: string; id: string; pageBreak?: boolean }
  | { kind: 'para'; inlines: Inline[]; cls?: string }
  | { kind: 'list'; items: Inline[][]; cls?: string }
  | { kind: 'table'; caption: string; head: string[]; rows: Cell[][]; rowHeader: boolean; cls?: string; foot?: string }
  | {
      kind: 'chart';
      name: string;
      alt: string;
      caption: string;
      spec: ChartSpec;
      files: { png?: string; svg?: string };
    }
  | { kind: 'dl'; items: [string, string][] }
  | { kind: 'details'; summary: string; children: Block[] }
  | { kind: 'section'; id: string; cls?: string; children: Block[] };

export interface Page {
  /** File name without extension: `index`, `kommune-05558012`. */
  name: string;
  title: string;
  h1: string;
  synthetic: boolean;
  /** Links in the page header (the other pages). */
  nav: { href: string; text: string; current: boolean }[];
  blocks: Block[];
  /** Source and method line at the bottom. */
  footer: string[];
}
