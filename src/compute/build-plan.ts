/**
 * Project + loaded tables + compiled indicators -> the plan (compile/plan.ts)
 * that `spm compute` runs and `spm explain` prints. The SQL comes from the
 * builders beside this file (cells-sql, results-sql, stats-sql) and from
 * compile/measure.ts; this module only orders them into steps, with their ids,
 * descriptions, indicators and declared tables.
 *
 * 1. setup: internal tables from their declared columns, one row per indicator,
 *    its breaks, measures and Land values; the area ancestors; where rejected rows are missing
 * 2. aggregate: one pass per source (FILTER per measure), then the base cells per measure
 * 3. roll-ups level by level, groupings; published values; relations checked
 * 4. pooled windows; fractional sums rounded to their inputs' precision
 * 5. results (ratio of sums, status, names)
 * 6. suppression with the interval audit (src/privacy)
 * 7. intervals, previous/base year, trends, comparisons, Ampel
 * 8. publish: the masked table every output reads (steps given by src/publish)
 */
import type { Project } from '../config/project.js';
import { earlierFiles } from './earlier.js';
import type { CompiledIndicator, CompiledMeasure, CompiledSql } from '../compile/types.js';
import type { Plan, PlanStep, PlanTable, SqlStep } from '../compile/plan.js';
import { sourceAggregateSql } from '../compile/measure.js';
import { depthOf, projectHierarchy } from '../config/hierarchy.js';
import { readLandValues } from '../config/land.js';
import { readReferenceValues } from '../ingest/references.js';
import type { LoadedTables } from '../ingest/types.js';
import { projectRelations } from '../privacy/relations.js';
import { zValue } from '../stats/index.js';
import { UserError } from '../util/issues.js';
import { quoteIdent } from '../util/sql.js';
import {
  AREA_ANCESTORS_SQL,
  baseCellsSql,
  CREATE_CELLS_VIEW,
  GROUP_ROLLUP_SQL,
  poolSql,
  REJECT_ANCHORS_SQL,
  rollupSql,
} from './cells-sql.js';
import { Params } from './params.js';
import * as T from './plan-tables.js';
import { publishedCellsSql } from './published-cells-sql.js';
import { resultsSql } from './results-sql.js';
import { statsSql } from './stats-sql.js';
import { indicatorYears, projectYears } from './years.js';
import { areaBreaks } from './area-breaks.js';

export interface BuildPlanOptions {
  /** Restrict to these reference years (default: every year of the data in settings.years). */
  years?: readonly number[];
  /** The publish steps (src/publish `publishSteps`), appended last. */
  publish?: readonly SqlStep[];
  /**
   * Only these of the compiled indicators are published (`compute --indicator`): the run summary
   * counts their rows only. Every compiled indicator is still computed and protected, so that the
   * masks are those of the whole Kennzahlenset (see Spm.compute).
   */
  publishIndicators?: readonly string[];
  /**
   * A small project (api/session.ts `SMALL_PUBLISHED_ROWS`): steps that split a large join so that
   * DuckDB can spill run as one statement.
   */
  small?: boolean;
}

/** `INSERT INTO t (every declared column) VALUES …`: a row names its columns, no position must match a CREATE. */
export function insertSql(t: PlanTable, rows: readonly Record<string, unknown>[]): CompiledSql {
  const p = new Params();
  const tuples = rows.map((r) => {
    const extra = Object.keys(r).filter((k) => !t.columns.some((c) => c.name === k));
    if (extra.length) throw new Error(`${t.name}: undeclared columns ${extra.join(', ')}`);
    const vals = t.columns.map((c) => {
      if (!(c.name in r)) throw new Error(`${t.name}: no value for ${c.name}`);
      return c.type === 'INTEGER[]' ? p.addIntList(r[c.name] as number[]) : p.add(r[c.name]);
    });
    return `(${vals.join(', ')})`;
  });
  return {
    sql: `INSERT INTO ${t.name} (${t.columns.map((c) => c.name).join(', ')}) VALUES ${tuples.join(', ')}`,
    parameters: p.values,
  };
}

function sourceLabel(project: Project, m: CompiledMeasure): string {
  const s = project.config.sources.find((x) => x.id === m.sourceId);
  // Short on purpose: the id leads to title, owner, files and hashes in manifest.json.
  return s?.stand ? `${s.id} (Stand ${s.stand})` : m.sourceId;
}

const ROLE_DE = { numerator: 'Zähler', denominator: 'Nenner' } as const;

export function buildPlan(
  project: Project,
  loaded: LoadedTables,
  compiled: readonly CompiledIndicator[],
  options: BuildPlanOptions = {},
): Plan {
  const years = projectYears(loaded, project, options.years);
  if (years.length === 0) {
    const all = projectYears(loaded, project);
    throw new UserError({
      severity: 'error',
      code: 'compute.no_years',
      message:
        options.years !== undefined
          ? `Für die gewählten Jahre (${options.years.join(', ') || 'keine'}) liegen keine Daten vor; vorhandene Jahre: ${all.join(', ') || 'keine'}.`
          : 'Keine Quelle enthält Daten eines Jahres im Bereich von settings.years; nichts zu berechnen.',
    });
  }
  // Measure ids in the order of their keys: stable across runs and indicator orders.
  const keys = [...new Set(compiled.flatMap((c) => [c.numerator.key, c.denominator.key]))].sort();
  const midOf = new Map(keys.map((k, i) => [k, i]));
  const mid = (m: CompiledMeasure): number => midOf.get(m.key) as number;
  const usersOf = (pred: (c: CompiledIndicator) => boolean): string[] =>
    compiled.filter(pred).map((c) => c.indicator.def.id);
  const usesKey = (key: string) => (c: CompiledIndicator) => c.numerator.key === key || c.denominator.key === key;
  const settings = project.config.settings;
  const steps: PlanStep[] = [];
  const sql = (s: Omit<SqlStep, 'kind'>): void => void steps.push({ kind: 'sql', ...s });
  const create = (stage: PlanStep['stage'], t: PlanTable, description: string): void =>
    void steps.push({ kind: 'create', id: `create:${t.name}`, stage, indicators: 'all', produces: t, description });

  // 1. setup
  create(
    'setup',
    T.MCELLS,
    'Messzellen: je Messgröße, Ebene, Gebiet, Jahr und Fenster die Summe und ihre Vollständigkeit',
  );
  create('setup', T.INDICATORS, 'Kennzahlen: Definition, Messgrößen-Nummern, Jahre');
  create('setup', T.BREAKS, 'Deklarierte Brüche der Zeitreihen');
  create(
    'setup',
    T.MEASURES,
    'Welche Kennzahl welche Messgröße nutzt (geteilte Messgrößen: gleiche Zellen, gleiche Sperrungen)',
  );
  for (const [ord, ind] of compiled.entries()) {
    const d = ind.indicator.def;
    const ampel = d.ampel ?? { mode: 'relative', reference: 'kreis' };
    const only = [d.id];
    sql({
      id: `indicator:${d.id}`,
      stage: 'setup',
      indicators: only,
      produces: T.INDICATORS,
      description: `Kennzahl ${d.id} (Version ${d.version}): Zähler Messgröße ${mid(ind.numerator)}, Nenner Messgröße ${mid(ind.denominator)}`,
      sql: insertSql(T.INDICATORS, [
        {
          ord,
          indicator_id: d.id,
          version: d.version,
          title: d.title,
          unit: d.unit,
          scale: ind.scale,
          proportion: ind.proportion,
          min_den: ind.minDenominator,
          source_num: sourceLabel(project, ind.numerator),
          source_den: sourceLabel(project, ind.denominator),
          polarity: d.polarity,
          ampel_mode: ampel.mode,
          ampel_reference: ampel.reference,
          target_value: ampel.target?.value ?? null,
          target_year: ampel.target?.year ?? null,
          num_mid: mid(ind.numerator),
          den_mid: mid(ind.denominator),
          pool_w: ind.poolYears ?? null,
          published: ind.published === true,
          years: indicatorYears(ind, loaded, years),
        },
      ]),
    });
    if (d.steckbrief.breaks.length > 0)
      sql({
        id: `breaks:${d.id}`,
        stage: 'setup',
        indicators: only,
        produces: T.BREAKS,
        description: `Brüche der Zeitreihe ${d.id}`,
        sql: insertSql(
          T.BREAKS,
          d.steckbrief.breaks.map((b) => ({ indicator_id: d.id, year: b.year, description: b.description })),
        ),
      });
    sql({
      id: `measures:${d.id}`,
      stage: 'setup',
      indicators: only,
      produces: T.MEASURES,
      description: `Messgrößen von ${d.id}: ${ind.numerator.description}; ${ind.denominator.description}`,
      sql: insertSql(
        T.MEASURES,
        [ind.numerator, ind.denominator].map((m) => ({
          indicator_id: d.id,
          role: m.role,
          measure_key: m.key,
          mid: mid(m),
        })),
      ),
    });
  }
  sql({
    id: 'view:spm_cells',
    stage: 'setup',
    indicators: 'all',
    produces: T.CELLS_VIEW,
    description: 'Zellen je Kennzahl und Rolle (Sicht auf die Messzellen), für die Geheimhaltung',
    sql: { sql: CREATE_CELLS_VIEW, parameters: [] },
  });
  create('setup', T.LAND, 'Landeswerte (optional, aus land:), verglichen wie der Kreiswert');
  // published reference values (references:): the one marked land: true is the Land value too
  // (masked ones give no Land value); the others are joined by the vergleich tables
  const refs = readReferenceValues(project);
  const landRef = project.config.references?.list.find((x) => x.land)?.id;
  const land = [
    ...readLandValues(project),
    ...refs
      .filter((v) => v.reference_id === landRef && v.value !== null)
      .map((v) => ({ indicator_id: v.indicator_id, year: v.year, value: v.value! })),
  ];
  if (project.config.references) {
    create('setup', T.REFERENCES, 'Referenzwerte (references:), wie veröffentlicht, nie summiert');
    if (refs.length > 0)
      sql({
        id: 'references',
        stage: 'setup',
        indicators: 'all',
        produces: T.REFERENCES,
        description: 'veröffentlichte Referenzwerte (Bund, Land, andere Kreise) mit den Zeichen des Herausgebers',
        sql: insertSql(
          T.REFERENCES,
          refs.map((v) => ({
            reference_id: v.reference_id,
            reference_name: v.reference_name,
            indicator_id: v.indicator_id,
            year: v.year,
            value: v.value,
            status: v.status,
            source: v.source ?? null,
            stand: v.stand ?? null,
          })),
        ),
      });
  }
  for (const ind of compiled) {
    const id = ind.indicator.def.id;
    const rows = land.filter((v) => v.indicator_id === id);
    if (rows.length === 0) continue;
    sql({
      id: `land:${id}`,
      stage: 'setup',
      indicators: [id],
      produces: T.LAND,
      description: `Landeswerte von ${id}`,
      sql: insertSql(
        T.LAND,
        rows.map((v) => ({ indicator_id: v.indicator_id, year: v.year, value: v.value })),
      ),
    });
  }
  const h = projectHierarchy(project.config);
  create('setup', T.SOURCE_DEPTH, 'Ebene jeder Quelle in der Gebietshierarchie');
  sql({
    id: 'source_depth',
    stage: 'setup',
    indicators: 'all',
    produces: T.SOURCE_DEPTH,
    description: 'Ebene jeder Quelle (wo ihre abgewiesenen Zeilen fehlen)',
    sql: insertSql(
      T.SOURCE_DEPTH,
      project.config.sources.map((s) => ({ source: s.id, depth: depthOf(h, s.area.level) })),
    ),
  });
  sql({
    id: 'area_ancestors',
    stage: 'setup',
    indicators: 'all',
    produces: T.AREA_ANC,
    description: 'Vorfahren jedes Gebiets (es selbst eingeschlossen)',
    sql: { sql: AREA_ANCESTORS_SQL, parameters: [] },
  });
  // boundary changes: cells holding divided rows, and the series breaks of the changed areas
  const changes = project.config.areas.changes;
  create('setup', T.EST_CELLS, 'Zellen mit nach Gewichten aufgeteilten Zeilen eines geteilten Gebiets (geschätzt)');
  create('setup', T.AREA_BREAKS, 'Brüche der Zeitreihen durch Gebietsänderungen (areas.changes)');
  const breaks = areaBreaks(changes, loaded.areas.areas);
  if (breaks.length > 0)
    sql({
      id: 'area_breaks',
      stage: 'setup',
      indicators: 'all',
      produces: T.AREA_BREAKS,
      description: `Gebietsänderungen: Bruch der Zeitreihe für ${breaks.length} Gebiet(e) im Jahr der Änderung`,
      sql: insertSql(
        T.AREA_BREAKS,
        breaks.map((b) => ({ area_id: b.area_id, year: b.year, description: b.description })),
      ),
    });
  sql({
    id: 'reject_anchors',
    stage: 'setup',
    indicators: 'all',
    produces: T.REJ_ANCHOR,
    description: 'Abgewiesene Zeilen: welcher Summe sie fehlen (Gebiet, übergeordnetes Gebiet oder Gesamtgebiet)',
    sql: { sql: REJECT_ANCHORS_SQL, parameters: [] },
  });

  // 2. one pass per source, then base cells per distinct measure
  const bySource = new Map<string, CompiledMeasure[]>();
  const seen = new Set<string>();
  for (const ind of compiled) {
    for (const m of [ind.numerator, ind.denominator]) {
      if (seen.has(m.key)) continue;
      seen.add(m.key);
      bySource.set(m.sourceId, [...(bySource.get(m.sourceId) ?? []), m]);
    }
  }
  for (const [sourceId, measures] of bySource) {
    const source = project.config.sources.find((s) => s.id === sourceId);
    if (!source) throw new Error(`unknown source ${sourceId}`);
    const agg = T.aggregateTable(sourceId, measures);
    const users = usersOf((c) => measures.some((m) => usesKey(m.key)(c)));
    sql({
      id: `aggregate:${sourceId}`,
      stage: 'aggregate',
      indicators: users,
      produces: agg,
      progress: sourceId,
      description: `Quelle ${sourceId}: ein Durchlauf, Summen je Gebiet und Jahr für ${measures.length} Messgröße(n) (m0…m${measures.length - 1})`,
      sql: sourceAggregateSql(source, measures),
    });
    if (changes.length > 0)
      steps.push({
        kind: 'js',
        name: 'carry',
        id: `carry:${sourceId}`,
        stage: 'aggregate',
        indicators: users,
        produces: agg,
        description: `Gebietsänderungen: Zeilen alter Schlüssel nach ihrer Gültigkeit den neuen Gebieten zuordnen (Umbenennung, Zusammenlegung genau; Teilung nach Gewichten, geschätzt)`,
        args: {
          sourceId,
          mids: measures.map((m) => mid(m)),
          changes,
          published: measures.map((m) => m.key.endsWith('#published')),
        },
      });
    const covered = loaded.sources.get(sourceId)?.years ?? [];
    sql({
      id: `cells:${sourceId}`,
      stage: 'aggregate',
      indicators: users,
      produces: T.MCELLS,
      description: `Quelle ${sourceId}: je Messgröße das Gitter aller gültigen Gebiete x Jahre ihrer Ebene, Kennzeichen fehlend/gesperrt/abgewiesen; ${measures
        .map((m, i) => `m${i} = Messgröße ${mid(m)} (${ROLE_DE[m.role]} von ${m.indicatorId}, ${m.level})`)
        .join('; ')}`,
      sql: baseCellsSql(
        measures.map((m) => ({ measure: m, mid: mid(m) })),
        years,
        covered,
        depthOf(h, source.area.level),
      ),
    });
    sql({
      id: `drop:${agg.name}`,
      stage: 'aggregate',
      indicators: users,
      description: `Zwischentabelle der Quelle ${sourceId} verbraucht`,
      sql: { sql: `DROP TABLE ${quoteIdent(agg.name)}`, parameters: [] },
    });
  }

  // 3. roll-ups, groupings, published values, relations
  for (let d = h.levels.length; d >= 1; d--) {
    const parent = d === 1 ? h.top.label : (h.levels[d - 2]?.label as string);
    sql({
      id: `rollup:${d}`,
      stage: 'rollup',
      indicators: 'all',
      produces: T.MCELLS,
      description: `Summe der Ebene ${h.levels[d - 1]?.label} je ${parent} (alle Messgrößen, Kennzeichen per ODER)`,
      sql: rollupSql(d),
    });
  }
  if (project.config.areas.groupings.length > 0)
    sql({
      id: 'group_rollup',
      stage: 'rollup',
      indicators: 'all',
      produces: T.MCELLS,
      description: 'Summen der zweiten Hierarchien (z. B. Jugendamtsbezirke)',
      sql: { sql: GROUP_ROLLUP_SQL, parameters: [] },
    });
  // published values are never summed: their roll-ups are replaced by the totals rows the file publishes
  const donePublished = new Set<string>();
  for (const ind of compiled.filter((c) => c.published)) {
    const pair = ind.numerator.key + ind.denominator.key;
    if (donePublished.has(pair)) continue; // same value, same cells
    donePublished.add(pair);
    const withTotals = (loaded.sources.get(ind.numerator.sourceId)?.publishedTotals ?? 0) > 0;
    const users = usersOf((c) => c.numerator.key + c.denominator.key === pair);
    const qs = publishedCellsSql(ind, mid(ind.numerator), mid(ind.denominator), project.config.kreis.ags, withTotals);
    for (const [i, q] of qs.entries())
      sql({
        id: `published:${ind.indicator.def.id}:${i}`,
        stage: 'rollup',
        indicators: users,
        produces: T.MCELLS,
        description:
          i === 0
            ? `Veröffentlichter Wert ${ind.indicator.def.id}: keine Summen (ein Anteil wird nie summiert)`
            : `Veröffentlichter Wert ${ind.indicator.def.id}: Summenzeilen der Quelle als Kommune- und Kreiswerte`,
        sql: q,
      });
  }
  const relations = projectRelations(project.config, compiled);
  steps.push({
    kind: 'js',
    name: 'check_relations',
    id: 'check_relations',
    stage: 'rollup',
    indicators: 'all',
    description: `Deklarierte Beziehungen zwischen Messgrößen müssen in den Daten gelten (${relations.filter((r) => r.origin === 'declared').length} deklariert); Gleichungen, die jede vollständige Zelle der Daten erfüllt, gehen als weitere Beziehungen in die Geheimhaltung`,
    args: {
      relations,
      measureIds: Object.fromEntries(midOf),
      ...(settings.suppression.beziehungen_geprueft ? { acceptUnmodelled: true } : {}),
    },
  });

  // 4. pooled windows per width; fractional sums rounded to the precision of their inputs
  const byWidth = new Map<number, Set<number>>();
  for (const ind of compiled) {
    if (ind.poolYears === undefined) continue;
    const set = byWidth.get(ind.poolYears) ?? new Set<number>();
    set.add(mid(ind.numerator)).add(mid(ind.denominator));
    byWidth.set(ind.poolYears, set);
  }
  for (const [w, mids] of [...byWidth].sort((a, b) => a[0] - b[0]))
    sql({
      id: `pool:${w}`,
      stage: 'pool',
      indicators: usersOf((c) => c.poolYears === w),
      produces: T.MCELLS,
      description: `Gepoolte ${w}-Jahres-Fenster (Summen über die letzten ${w} Jahre) der Messgrößen ${[...mids].sort((a, b) => a - b).join(', ')}`,
      sql: poolSql(
        [...mids].sort((a, b) => a - b),
        w,
      ),
    });
  // a sum of numbers with d decimals has d decimals; what is beyond is float noise (36546.399999999994)
  for (const measures of bySource.values()) {
    for (const m of measures) {
      if (m.measure.measure !== 'sum' || m.key.endsWith('#published')) continue;
      const d = loaded.sources.get(m.sourceId)?.columns.find((c) => c.name === m.measure.column)?.decimals;
      if (d === undefined || d === 0) continue;
      sql({
        id: `round:${mid(m)}`,
        stage: 'pool',
        indicators: usersOf(usesKey(m.key)),
        produces: T.MCELLS,
        description: `Summen der Messgröße ${mid(m)} auf ${d} Nachkommastellen ihrer Eingangswerte gerundet`,
        sql: { sql: 'UPDATE spm_mcells SET value = round(value, $1) WHERE mid = $2', parameters: [d, mid(m)] },
      });
    }
  }

  // 5. results
  sql({
    id: 'results',
    stage: 'results',
    indicators: 'all',
    produces: T.RESULTS,
    description: 'Wert = Summe(Zähler) / Summe(Nenner) je Gebiet und Jahr (Quotient der Summen), Status, Namen',
    sql: resultsSql(),
  });
  steps.push({
    kind: 'js',
    name: 'count_statuses',
    id: 'count_statuses',
    stage: 'results',
    indicators: 'all',
    description: options.publishIndicators
      ? `Zeilen je Status zählen (Zusammenfassung des Laufs), nur die veröffentlichten Indikatoren (${options.publishIndicators.join(', ')})`
      : 'Zeilen je Status zählen (Zusammenfassung des Laufs)',
    args: options.publishIndicators ? { indicators: [...options.publishIndicators] } : {},
  });

  // 6. suppression (decided on true counts; applied when publishing)
  const threshold = settings.suppression.min_count;
  const earlier = earlierFiles(project);
  steps.push({
    kind: 'js',
    name: 'suppress',
    id: 'suppress',
    stage: 'suppression',
    indicators: 'all',
    produces: T.MASKS,
    description: `Geheimhaltung (src/privacy): primäre Sperrung der Fallzahlen 1 bis ${threshold - 1}, sekundäre Sperrung über Summen, Fenster und ${relations.length} Beziehung(en), Intervall-Prüfung (LP, HiGHS); ein nicht schützbarer Wert: nichts wird veröffentlicht`,
    args: {
      threshold,
      relations,
      ...(earlier ? { earlier, earlierRoot: project.root } : {}),
      ...(earlier && settings.suppression.frueher_abweichend_hinnehmen ? { acceptEarlierDifferences: true } : {}),
    },
  });

  // 7. intervals, comparisons, changes, trend, Ampel
  const stats = statsSql({
    z: zValue(settings.confidence),
    trendYears: settings.trend_years,
    small: options.small === true,
    ...(settings.base_year !== undefined ? { baseYear: settings.base_year } : {}),
  });
  create('intervals', T.POISSON, 'Nachschlagetabelle der exakten Poisson-Grenzen');
  steps.push({
    kind: 'js',
    name: 'poisson_lookup',
    id: 'poisson_lookup',
    stage: 'intervals',
    indicators: usersOf((c) => !c.proportion && !c.published),
    produces: T.POISSON,
    description: `Exakte Poisson-Grenzen (Garwood, ${settings.confidence * 100} %) je vorkommender Fallzahl, Chi-Quadrat-Quantile in JS (src/stats)`,
    args: { confidence: settings.confidence },
  });
  sql({
    id: 'intervals',
    stage: 'intervals',
    indicators: 'all',
    produces: T.CI,
    description: 'Konfidenzintervalle (Wilson für Anteile, exakt Poisson sonst) und Sperrungen je Zeile',
    sql: stats.ci,
  });
  // Intermediate tables are dropped as soon as they are consumed: at NRW size
  // each holds millions of rows, and they would otherwise all stay in memory.
  const cleanup = (id: string, stage: PlanStep['stage'], text: string): void =>
    sql({
      id: `drop:${id}`,
      stage,
      indicators: 'all',
      cleanup: true,
      description: `${id} verbraucht (Speicher freigeben)`,
      sql: { sql: text, parameters: [] },
    });
  cleanup('spm_cells', 'intervals', 'DROP VIEW IF EXISTS spm_cells');
  for (const t of ['spm_mcells', 'spm_rej_anchor', 'spm_area_anc', 'spm_results'])
    cleanup(t, 'intervals', `DROP TABLE IF EXISTS ${t}`);
  sql({
    id: 'indicator_years',
    stage: 'intervals',
    indicators: 'all',
    produces: T.IYEARS,
    description: 'Je Kennzahl und Jahr: wirksames Basisjahr, Bruch seit dem Vorjahr oder dem Basisjahr',
    sql: stats.years,
  });
  create('trend', T.TREND, 'Trends je Reihe und Jahr');
  steps.push({
    kind: 'js',
    name: 'trends',
    id: 'trends',
    stage: 'trend',
    indicators: 'all',
    produces: T.TREND,
    description: `Gewichteter linearer Trend über die letzten ${settings.trend_years} Jahre seit dem letzten Bruch (Gewichte = Nenner), in JS (src/stats)`,
    args: { trendYears: settings.trend_years, confidence: settings.confidence },
  });
  // previous year, base year and trend per row, one large join per statement (so each spills)
  if (stats.neighbours.length === 1)
    sql({
      id: 'neighbours',
      stage: 'comparisons',
      indicators: 'all',
      produces: T.CI_NB,
      description:
        'Die Zeilen von spm_ci mit Wert und Sperrung des Vorjahres und des Basisjahres und mit dem Trend (spm_ci_nb)',
      sql: stats.neighbours[0]!,
    });
  else
    stats.neighbours.forEach((q, i) =>
      sql({
        id: `neighbours:${['prev', 'trend', 'base', 'rows'][i]}`,
        stage: 'comparisons',
        indicators: 'all',
        ...(i === 3 ? { produces: T.CI_NB } : {}),
        description: [
          'Je Reihe und Jahr Wert und Sperrung des Vorjahres',
          'dazu der Trend',
          'dazu Wert und Sperrung des Basisjahres',
          'die Zeilen von spm_ci mit diesen Nachbarn (spm_ci_nb; eine große Verknüpfung je Anweisung, damit DuckDB auslagern kann)',
        ][i]!,
        sql: q,
      }),
    );
  sql({
    id: 'comparisons',
    stage: 'comparisons',
    indicators: 'all',
    produces: T.STATS,
    description:
      'Vergleiche mit Kommune, Kreis und Land, Veränderung zum Vorjahr und Basisjahr, Trendrichtung, Ampel-Eingänge',
    sql: stats.final,
  });
  // spm_stats is a view over spm_ci_nb, spm_ci and spm_iyears: they stay for its readers (publish, the internal export)

  // 8. publish
  steps.push(...(options.publish ?? []));
  return {
    indicators: options.publishIndicators ? [...options.publishIndicators] : compiled.map((c) => c.indicator.def.id),
    years,
    measureIds: Object.fromEntries(midOf),
    steps,
  };
}
