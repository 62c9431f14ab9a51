/**
 * The Sozialindex and the Sozialraumtypen of a computed project, built from the
 * published (masked) rows only — never from counts or the unmasked table.
 *
 * ```
 * sozialindex: (spm.yaml) + indicator definitions ─ check (ids, direction, weights)
 * published rows of the lowest level, pool window ─ per year: IndexInput
 *   ─ sozialindex()      -> index, rank, rank interval, need class
 *   ─ sozialraumtypen()  -> types, labels; type means per indicator ("ähnliche Sozialräume")
 * ```
 */
import type { SozialindexConfig } from '../config/sozialindex-schema.js';
import type { KennzahlRow } from '../publish/schema.js';
import { UserError, type Issue } from '../util/issues.js';
import { sozialindex, type SozialindexResult } from './sozialindex.js';
import { sozialraumtypen, type TypenResult } from './sozialraumtypen.js';
import { TooFewAreasError, type IndexInput, type InputIndicator } from './types.js';

/** The published columns the Sozialindex and its tables read (`readResults` fetches only these). */
export const STEERING_COLUMNS = [
  'indicator_id',
  'indicator_title',
  'unit',
  'level',
  'area_id',
  'area_name',
  'kommune_ags',
  'year',
  'period',
  'pool_years',
  'value',
  'ci_low',
  'ci_high',
  'status',
  'ref_kommune_value',
  'ref_kreis_value',
] as const;
/** A published row as the Sozialindex reads it. */
export type SteeringRow = Pick<KennzahlRow, (typeof STEERING_COLUMNS)[number]>;

/** What the index needs to know about an indicator (from its definition). */
export interface IndicatorInfo {
  id: string;
  title: string;
  short_title?: string;
  polarity: 'worse' | 'better' | 'neutral';
  unit: string;
}

export interface SteeringYear {
  year: number;
  period: string;
  input: IndexInput;
  index: SozialindexResult;
  types?: TypenResult;
}

export interface SteeringReport {
  config: SozialindexConfig;
  indicators: (InputIndicator & { title: string; unit: string })[];
  /** Level of the areas (the lowest of the hierarchy, `sozialraum` for a Kreis). */
  level: string;
  years: SteeringYear[];
  /** Kommune AGS and name per area id, for the output tables. */
  areas: Map<string, { name: string; kommune: string; kommuneName: string }>;
  /**
   * Parts not computed because too few Sozialräume have all values (often: masked inputs):
   * the index of a year (the year is then missing from `years`), or the types of a year.
   */
  skipped: SkippedPart[];
}

/** A year's index or types left out for too few complete Sozialräume, with the German reason. */
export interface SkippedPart {
  year: number;
  period: string;
  part: 'index' | 'typen';
  message: string;
}

const PATH = 'sozialindex';
/** Issue code: an index input has rows at the level but every value is gesperrt or missing. */
export const NO_VALUES = 'sozialindex.no_values';

function fail(issues: Issue[]): never {
  throw new UserError(issues);
}

function err(path: string, message: string, file?: string): Issue {
  return { severity: 'error', code: 'sozialindex.config', message, path, ...(file ? { file } : {}) };
}

/** Checks the configuration against the indicator definitions; the index inputs with their direction. */
export function resolveIndicators(
  cfg: SozialindexConfig,
  defs: readonly IndicatorInfo[],
  file?: string,
): (InputIndicator & { title: string; unit: string })[] {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const issues: Issue[] = [];
  const out: (InputIndicator & { title: string; unit: string })[] = [];
  const seen = new Set<string>();
  cfg.indikatoren.forEach((entry, i) => {
    const e = typeof entry === 'string' ? { id: entry } : entry;
    const p = `${PATH}.indikatoren[${i}]`;
    const d = byId.get(e.id);
    if (!d) {
      issues.push(
        err(p, `Indikator "${e.id}" ist im Projekt nicht vorhanden (vorhanden: ${[...byId.keys()].join(', ')}).`, file),
      );
      return;
    }
    if (seen.has(e.id)) issues.push(err(p, `Indikator "${e.id}" ist doppelt aufgeführt.`, file));
    seen.add(e.id);
    const richtung = 'richtung' in e ? e.richtung : undefined;
    let direction: 1 | -1;
    if (richtung) direction = richtung === 'hoeher_ist_bedarf' ? 1 : -1;
    else if (d.polarity === 'worse') direction = 1;
    else if (d.polarity === 'better') direction = -1;
    else {
      issues.push(
        err(
          p,
          `Indikator "${e.id}" hat die Polarität neutral: bitte richtung: hoeher_ist_bedarf oder niedriger_ist_bedarf angeben.`,
          file,
        ),
      );
      return;
    }
    const gewicht = 'gewicht' in e ? e.gewicht : undefined;
    if (cfg.gewichte === 'erklaert' && gewicht === undefined)
      issues.push(err(p, `gewichte: erklaert verlangt ein gewicht für "${e.id}".`, file));
    out.push({
      id: d.id,
      label: d.short_title ?? d.title,
      title: d.title,
      unit: d.unit,
      direction,
      ...(gewicht !== undefined ? { weight: gewicht } : {}),
      ...(d.unit === 'percent' ? { max: 100 } : {}),
    });
  });
  const min = typeof cfg.fehlend === 'object' ? cfg.fehlend.auslassen_mit_mindestens : undefined;
  if (min !== undefined && min > cfg.indikatoren.length)
    issues.push(
      err(
        `${PATH}.fehlend.auslassen_mit_mindestens`,
        `mindestens ${min} Eingangswerte bei ${cfg.indikatoren.length} Indikatoren ist nicht möglich.`,
        file,
      ),
    );
  if (issues.length) fail(issues);
  return out;
}

/** A published row as {@link steeringAreas} reads it. */
export type AreaNameRow = Pick<KennzahlRow, 'level' | 'area_id' | 'area_name' | 'kommune_ags'>;

/**
 * Name, Kommune and Kommune name of every area of `level` that has a published row (of any
 * window), from rows of that level and of the Kommunen (an area's name and Kommune are the
 * same on all its rows, so distinct rows give the same map as all of them).
 */
export function steeringAreas(rows: readonly AreaNameRow[], level: string): SteeringReport['areas'] {
  const kommuneNames = new Map(rows.filter((r) => r.area_id === r.kommune_ags).map((r) => [r.area_id, r.area_name]));
  const areas: SteeringReport['areas'] = new Map();
  for (const r of rows.filter((x) => x.level === level))
    if (!areas.has(r.area_id))
      areas.set(r.area_id, {
        name: r.area_name,
        kommune: r.kommune_ags ?? '',
        kommuneName: kommuneNames.get(r.kommune_ags ?? '') ?? '',
      });
  return areas;
}

/**
 * Build the index (and types) for the configured years from published rows of the lowest level.
 * @param rows published rows (any levels; only `level` rows of the index's pool window are used)
 * @param knownAreas the areas of `level` ({@link steeringAreas}) when `rows` holds only the index's window
 *   (a caller that reads fewer rows); by default taken from `rows`
 */
export function buildSteering(
  rows: readonly SteeringRow[],
  cfg: SozialindexConfig,
  defs: readonly IndicatorInfo[],
  level: string,
  file?: string,
  knownAreas?: SteeringReport['areas'],
): SteeringReport {
  const indicators = resolveIndicators(cfg, defs, file);
  const ids = new Set(indicators.map((i) => i.id));
  const own = rows.filter((r) => r.level === level && r.pool_years === cfg.pool_jahre);
  const areas = knownAreas ?? steeringAreas(rows, level);
  const areaIds = [...areas.keys()].sort();
  const cell = new Map<string, SteeringRow>();
  for (const r of own) if (ids.has(r.indicator_id)) cell.set(`${r.indicator_id}\u0001${r.area_id}\u0001${r.year}`, r);

  // indicators without any value at this level cannot enter: without rows there (e.g. HzE published
  // per Kommune only) a matter of the configuration; with rows that are all gesperrt or missing, one
  // of the data (code NO_VALUES: `spm compute` publishes everything else and warns)
  const issues: Issue[] = [];
  indicators.forEach((ind, i) => {
    if (own.some((r) => r.indicator_id === ind.id && r.value !== null)) return;
    const hasRows = own.some((r) => r.indicator_id === ind.id);
    issues.push({
      ...err(
        `${PATH}.indikatoren[${i}]`,
        `Indikator "${ind.id}" hat keine veröffentlichten Werte auf der Ebene ${level}${cfg.pool_jahre > 1 ? ` im ${cfg.pool_jahre}-Jahres-Fenster` : ''}${hasRows ? ' (alle gesperrt oder fehlend)' : ''}.`,
        file,
      ),
      ...(hasRows ? { code: NO_VALUES } : {}),
    });
  });
  if (issues.length) fail(issues);

  const years = cfg.jahre ?? [latestCommonYear(own, indicators)];
  const out: SteeringYear[] = [];
  const skipped: SkippedPart[] = [];
  for (const year of [...new Set(years)].sort((a, b) => a - b)) {
    // the areas that exist in that year (a row of any indicator, masked or not): a Sozialraum
    // created or dissolved by a boundary change is not listed as "nicht berechenbar" for years it did not exist
    const present = new Set(own.filter((r) => r.year === year).map((r) => r.area_id));
    const yearAreas = areaIds.filter((id) => present.has(id));
    const input: IndexInput = {
      areas: yearAreas.map((id) => ({ id, name: areas.get(id)?.name ?? id })),
      indicators,
      values: yearAreas.map((id) =>
        indicators.map((ind) => {
          const r = cell.get(`${ind.id}\u0001${id}\u0001${year}`);
          if (!r) return { value: null };
          // only what kennzahlen.* publishes: masked rows carry no value, CI or count
          return { value: r.value, ciLow: r.ci_low, ciHigh: r.ci_high, masked: r.status === 'masked' };
        }),
      ),
    };
    if (!input.values.some((row) => row.some((c) => c.value !== null)))
      fail([err(`${PATH}.jahre`, `Für ${year} liegen keine Sozialraum-Werte der gewählten Indikatoren vor.`, file)]);
    const period = own.find((r) => r.year === year)?.period ?? String(year);
    const minInputs = typeof cfg.fehlend === 'object' ? cfg.fehlend.auslassen_mit_mindestens : undefined;
    const u = cfg.unsicherheit;
    let index: SozialindexResult;
    let types: TypenResult | undefined;
    try {
      index = sozialindex(input, {
        standardisation: cfg.standardisierung,
        weights: cfg.gewichte,
        ...(minInputs !== undefined ? { missing: { minInputs } } : {}),
        simulation: { draws: u.ziehungen, seed: u.seed, level: u.niveau },
      });
    } catch (e) {
      // too few complete Sozialräume for the PCA: that year has no index (the others may)
      if (e instanceof TooFewAreasError) {
        skipped.push({ year, period, part: 'index', message: e.message });
        continue;
      }
      if (e instanceof UserError) throw e;
      fail([err(PATH, `${year}: ${(e as Error).message}`, file)]);
    }
    if (cfg.typen)
      try {
        types = sozialraumtypen(input, { k: cfg.typen.anzahl, seed: cfg.typen.seed, starts: cfg.typen.starts });
      } catch (e) {
        // too few complete Sozialräume for k types: the index stands, that year has no types
        if (e instanceof TooFewAreasError) skipped.push({ year, period, part: 'typen', message: e.message });
        else if (e instanceof UserError) throw e;
        else fail([err(PATH, `${year}: ${(e as Error).message}`, file)]);
      }
    out.push({ year, period, input, index, ...(types ? { types } : {}) });
  }
  return { config: cfg, indicators, level, years: out, areas, skipped };
}

/**
 * The parts of `report` left out for too few complete Sozialräume, as German messages: warnings for
 * `spm compute` (which publishes the rest), errors where the index itself was asked for.
 */
export function skippedIssues(report: SteeringReport, severity: 'warning' | 'error', file?: string): Issue[] {
  return report.skipped.map((s) => ({
    severity,
    code: 'sozialindex.skipped',
    message:
      s.part === 'index'
        ? `Sozialindex ${s.period} nicht berechnet: ${s.message.replace(/^Sozialindex: /, '')} (gesperrte oder fehlende Eingangswerte zählen nicht). Mit gewichte: gleich oder erklaert braucht der Index keine Hauptkomponente.`
        : `Sozialraumtypen ${s.period} nicht gebildet: ${s.message.replace(/^Sozialraumtypen: /, '')} (gesperrte oder fehlende Eingangswerte zählen nicht). Der Sozialindex ${s.period} ist berechnet; weniger Typen (typen: anzahl) sind möglich.`,
    path: s.part === 'index' ? `${PATH}.gewichte` : `${PATH}.typen.anzahl`,
    ...(file ? { file } : {}),
  }));
}

/** The last year in which every indicator has at least one published value at the level. */
function latestCommonYear(rows: readonly SteeringRow[], indicators: readonly { id: string }[]): number {
  const years = indicators.map(
    (ind) => new Set(rows.filter((r) => r.indicator_id === ind.id && r.value !== null).map((r) => r.year)),
  );
  const common = [...(years[0] ?? [])].filter((y) => years.every((s) => s.has(y))).sort((a, b) => b - a);
  if (common[0] === undefined)
    fail([err(`${PATH}.indikatoren`, 'Die gewählten Indikatoren haben kein gemeinsames Jahr mit Sozialraum-Werten.')]);
  return common[0];
}
