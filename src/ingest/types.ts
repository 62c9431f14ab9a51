import type { AreaLevel, ColumnType, ReadOptions } from '../config/schema.js';
import type { Hierarchy } from '../config/hierarchy.js';
import type { Issue } from '../util/issues.js';

/** What the reader used for a file: the user's options with every `auto` resolved. */
export interface DetectedReadOptions {
  encoding: 'utf-8' | 'windows-1252' | 'latin1' | 'utf-16le' | 'utf-16be';
  bom: boolean;
  delimiter: ';' | ',' | '\t' | '|';
  decimal: 'comma' | 'point';
  thousands: '.' | ',' | ' ' | 'none';
  skip_top: number;
  skip_bottom: number;
  line_ending: 'crlf' | 'lf' | 'cr';
  /** Which options were detected rather than given (so the CLI can say "pin them"). */
  detected: (keyof ReadOptions)[];
}

/** A line that is not data (title, `sep=;`, footer, blank) with why it was skipped. */
export interface SkippedLine {
  line: number;
  why: 'title' | 'sep_line' | 'footer' | 'blank';
  text: string;
}

/** A data row that was not loaded, with its place and reason. */
export interface RejectedRow {
  source: string;
  file: string;
  line: number;
  column?: string;
  /** Stable code, e.g. `ragged_row`, `negative_count`, `unknown_area`, `duplicate_key`, `total_row`. */
  code: string;
  /** German reason. */
  reason: string;
  /** `error`: data lost for an area/year (affected cells are flagged); `info`: e.g. a totals row. */
  severity: 'error' | 'warning' | 'info';
  /** Normalised area id and reference year when they could be read (to flag the affected cells). */
  area_id?: string;
  year?: number;
  /** The raw line text (truncated to 200 chars). */
  raw?: string;
}

export interface FileAccounting {
  /** Path shown to the user (project-relative). */
  file: string;
  sha256: string;
  bytes: number;
  read: DetectedReadOptions;
  header: string[];
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  skipped_lines: SkippedLine[];
}

export interface SourceAccounting {
  source: string;
  files: FileAccounting[];
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  /** Of the rejected rows: totals rows (kept for the published-total check) and rows of areas outside the project. */
  rows_totals?: number;
  rows_outside_project?: number;
}

export interface LoadedColumn {
  name: string;
  type: ColumnType;
  /**
   * Numeric columns: the most decimal places of a loaded value (0-6), or undefined
   * when more or none could be told. Sums are rounded to this precision, so that
   * Jahresdurchschnitte add up to 36546.4, not 36546.399999999994.
   */
  decimals?: number;
}

/** One source as a DuckDB table, the output of ingest for that source. */
export interface LoadedSource {
  id: string;
  /** DuckDB table name (`src_<id>`). */
  table: string;
  kind: 'aggregated' | 'microdata';
  level: AreaLevel;
  /** Reference years present in the loaded rows, ascending. */
  years: number[];
  /** Canonical columns (besides _file, _line, area_id, year, period). */
  columns: LoadedColumn[];
  /** Totals rows kept in `spm_totals_<id>` (aggregated sources) for the published-total check. */
  publishedTotals?: number;
  accounting: SourceAccounting;
}

export interface Sozialraum {
  id: string;
  name: string;
  kommune_ags: string;
  valid_from?: number;
  valid_to?: number;
}

export interface Kommune {
  ags: string;
  name: string;
}

/** One area below the top of the hierarchy (a Kommune, Sozialraum, Stadtbezirk, Planungsraum …). */
export interface Area {
  id: string;
  name: string;
  /** Level name as declared in the hierarchy. */
  level: string;
  /** 1 = directly below the top. */
  depth: number;
  /** The area one level up (the top's id for depth 1). */
  parent: string;
  valid_from?: number;
  valid_to?: number;
  /** Other spellings of the area in source files (area list column `aliase` or a level's `alias_column`). */
  aliases?: string[];
  /**
   * An old code of a boundary change (`areas.changes`) whose rows after `valid_to` are
   * carried to its new codes: they are loaded (not rejected) up to `until` (open if absent).
   */
  carried?: { until?: number };
}

/** A group of a second hierarchy (a Jugendamtsbezirk): its code, name and member areas of one level. */
export interface Group {
  id: string;
  name: string;
  /** Name of the grouping (`areas.groupings[].name`); the `level` of its published rows. */
  grouping: string;
  label: string;
  /** Level of the members. */
  of: string;
  members: string[];
}

/** The area hierarchy as loaded: the top, every area below it, and the Kreis-shaped views of it. */
export interface AreaRegistry {
  hierarchy: Hierarchy;
  /** The top area (the Kreis, or the Stadt / Stadtstaat declared in `areas.top`). */
  kreis: { ags: string; name: string };
  /** Every area below the top, ordered by depth, then by first appearance in the area list. */
  areas: Area[];
  /** Areas of depth 1 (Kommunen in a Kreis). */
  kommunen: Kommune[];
  /** Areas of depth 2 and deeper, with their depth-1 ancestor as `kommune_ags`. */
  sozialraeume: Sozialraum[];
  /** Groups of the second hierarchies (`areas.groupings`), empty if none. */
  groups: Group[];
  accounting: SourceAccounting;
}

/** Output of the ingest stage, input of compile/compute. */
export interface LoadedTables {
  areas: AreaRegistry;
  sources: Map<string, LoadedSource>;
  rejects: RejectedRow[];
  /** Warnings and notes (detected options, repaired AGS, mixed encodings, ...). */
  issues: Issue[];
}
