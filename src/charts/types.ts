/**
 * Stage types of the chart builders: the published long table (`KennzahlRow`, one
 * row per indicator × level × area × year × pool window) and the project metadata
 * (`ChartMeta`) go in; a Vega-Lite spec (`ChartSpec`) comes out; `ChartJob` names it
 * for the renderer.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { LebensphaseSchema, FamilySchema, Unit } from '../config/schema.js';
import type { z } from 'zod';

export type Level = 'kreis' | 'kommune' | 'sozialraum';
export type Status =
  | 'ok'
  | 'estimated'
  | 'implausible'
  | 'below_min_denominator'
  | 'zero_denominator'
  | 'suppressed_input'
  | 'missing_input'
  | 'rejected_input';
export type Suppression = 'primary' | 'secondary' | 'input';
/** Significance against a reference, oriented by polarity (neutral indicators give higher/lower). */
export type Sig = 'worse' | 'better' | 'not_distinguishable' | 'higher' | 'lower';

/** One row of `kennzahlen.parquet` (numbers are DOUBLE, null where not published). */
export interface KennzahlRow {
  indicator_id: string;
  indicator_version?: number;
  indicator_title?: string;
  level: Level;
  area_id: string;
  area_name: string;
  kommune_ags: string | null;
  year: number;
  period?: string;
  pool_years: number;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  ci_low?: number | null;
  ci_high?: number | null;
  ci_method?: 'wilson' | 'poisson_exakt' | null;
  unit: Unit;
  status: Status;
  suppression?: Suppression | null;
  note?: string | null;
  ref_kommune_value?: number | null;
  diff_kommune?: number | null;
  ratio_kommune?: number | null;
  sig_kommune?: Sig | null;
  ref_kreis_value?: number | null;
  diff_kreis?: number | null;
  ratio_kreis?: number | null;
  sig_kreis?: Sig | null;
  ref_land_value?: number | null;
  diff_land?: number | null;
  ratio_land?: number | null;
  sig_land?: Sig | null;
  prev_value?: number | null;
  change_prev_abs?: number | null;
  change_prev_rel?: number | null;
  base_year?: number | null;
  base_value?: number | null;
  change_base_abs?: number | null;
  change_base_rel?: number | null;
  series_break?: boolean | null;
  trend_from?: number | null;
  trend_n?: number | null;
  trend_slope?: number | null;
  trend_low?: number | null;
  trend_high?: number | null;
  trend_sig?: string | null;
  ampel?: 'rot' | 'gelb' | 'gruen' | null;
  target_status?: string | null;
  source_numerator?: string | null;
  source_denominator?: string | null;
  data_note?: string | null;
}

export type Lebensphase = z.infer<typeof LebensphaseSchema>;
export type Family = z.infer<typeof FamilySchema>;

/** What a chart needs to know about an indicator (a projection of `Indicator`). */
export interface IndicatorMeta {
  id: string;
  title: string;
  short_title?: string;
  unit: Unit;
  polarity: 'worse' | 'better' | 'neutral';
  lebensphase: Lebensphase;
  family: Family;
  /** Declared series breaks (`steckbrief.breaks`). */
  breaks: { year: number; description: string }[];
  /** Source ids of numerator and denominator, looked up in `ChartMeta.sources`. */
  sources?: string[];
}

export interface SourceMeta {
  id: string;
  title: string;
  owner?: string;
  stand?: string;
}

/** A reference value of the Land (e.g. NRW from IT.NRW), per indicator and year. */
export interface LandValue {
  indicator_id: string;
  year: number;
  value: number;
}

/** Project metadata for the chart builders. */
export interface ChartMeta {
  indicators: IndicatorMeta[];
  sources: SourceMeta[];
  kreis: { ags: string; name: string };
  /** Data are synthetic: every chart says "synthetische Beispieldaten". */
  synthetic: boolean;
  language: 'de' | 'en';
  land?: { name: string; values: LandValue[]; source?: string; stand?: string };
  /** GeoJSON FeatureCollections, already read; `idProperty` names the area id / AGS. */
  geo?: { sozialraeume?: FeatureCollection; kommunen?: FeatureCollection; idProperty: string };
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }[];
}

/** A Vega-Lite v6 top-level spec. */
export type ChartSpec = TopLevelSpec;

/** A chart to render: `name` is a relative path without extension, e.g. `charts/hze_eckwert/zeitreihe_05558012`. */
export interface ChartJob {
  name: string;
  spec: ChartSpec;
}
