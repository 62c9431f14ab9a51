/**
 * Stage types of the chart builders: the published long table (`KennzahlRow`, one
 * row per indicator × level × area × year × pool window) and the project metadata
 * (`ChartMeta`) go in; a Vega-Lite spec (`ChartSpec`) comes out; `ChartJob` names it
 * for the renderer.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { LebensphaseSchema, FamilySchema, Unit } from '../config/schema.js';
import type { Polarity } from '../publish/vocabulary.js';
import type { z } from 'zod';

// The published row and its codes are owned by the published schema (src/publish); re-exported for the chart builders.
export type { KennzahlRow } from '../publish/schema.js';
export type { Level, Status, Suppression, Sig } from '../publish/vocabulary.js';

export type Lebensphase = z.infer<typeof LebensphaseSchema>;
export type Family = z.infer<typeof FamilySchema>;

/** What a chart needs to know about an indicator (a projection of `Indicator`). */
export interface IndicatorMeta {
  id: string;
  title: string;
  short_title?: string;
  unit: Unit;
  polarity: Polarity;
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
  /** The whole area (the Kreis, or the Stadt / Stadtstaat at the top of the declared hierarchy). */
  kreis: { ags: string; name: string };
  /** Level names of the declared hierarchy, top first (absent: kreis, kommune, sozialraum). */
  levels?: string[];
  /** Labels of those levels for texts ("Stadt", "Stadtbezirk", "Stadtteil"), top first (absent: Kreis words). */
  levelLabels?: string[];
  /** The second level's codes are Gemeindeschlüssel (texts say "AGS"); default true. */
  agsCodes?: boolean;
  /** Data are synthetic: every chart says "synthetische Beispieldaten". */
  synthetic: boolean;
  language: 'de' | 'en';
  land?: { name: string; values: LandValue[]; source?: string; stand?: string };
  /**
   * Published reference values other than the Land (`references:`; Bund, other Kreise):
   * reference lines, never summed; `value` null where the publisher masked it (`status`).
   */
  references?: {
    id: string;
    name: string;
    values: { indicator_id: string; year: number; value: number | null; status: string }[];
    source?: string;
    stand?: string;
  }[];
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
