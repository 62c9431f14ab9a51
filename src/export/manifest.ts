/**
 * manifest.json: everything needed to trace a figure back to its inputs —
 * inputs with SHA-256 and how they were read, row accounting, rejected rows,
 * indicator definitions, outputs with SHA-256, spm version. No timestamps, so
 * the same inputs give a byte-identical manifest.
 */
import type { Project } from '../config/project.js';
import type { CompiledIndicator } from '../compile/types.js';
import type { AreaRegistry, LoadedTables, RejectedRow } from '../ingest/types.js';
import type { ComputeSummary } from '../compute/compute.js';
import type { Issue } from '../util/issues.js';
import { spmVersion } from '../util/paths.js';

export interface OutputFileInfo {
  file: string;
  sha256: string;
  rows?: number;
  /** true for the explicitly requested internal export with true counts. */
  unmasked?: boolean;
}

/** At most this many rejected rows are listed inline; all are in abgewiesene_zeilen.csv. */
export const MANIFEST_REJECT_LIMIT = 1000;

/**
 * A rejected row as the public manifest lists it: where and which rule, but
 * neither the raw line nor the reason text, which can quote cell values (small
 * counts). Both are in `abgewiesene_zeilen.csv`, which is internal.
 */
function publicReject(r: RejectedRow): Omit<RejectedRow, 'raw' | 'reason'> {
  const { raw: _raw, reason: _reason, ...rest } = r;
  return rest;
}

/** Counts of the published table: statuses as published (masked rows as `masked`) and masked rows. */
export interface PublishedCounts {
  byStatus: Record<string, number>;
  masked: number;
}

export function buildManifest(args: {
  project: Project;
  configSha256?: string;
  loaded: LoadedTables;
  compiled: readonly CompiledIndicator[];
  summary: ComputeSummary;
  outputs: OutputFileInfo[];
  issues: readonly Issue[];
  published: PublishedCounts;
  /** The goals file (`ziele: ziele.yaml`) with its hash; absent when goals are inline or none. */
  goalsFile?: { file: string; sha256: string };
  /** The earlier releases the pass took as known (`frueher_veroeffentlicht`), with their hashes; absent when none. */
  earlier?: { file: string; sha256: string }[];
}): unknown {
  const { project, loaded } = args;
  const cfg = project.config;
  const sources = cfg.sources.map((s) => {
    const l = loaded.sources.get(s.id);
    return {
      id: s.id,
      title: s.title,
      kind: s.kind,
      level: s.area.level,
      period: s.period,
      stichtag: s.stichtag,
      owner: s.owner,
      stand: s.stand ?? null,
      years: l?.years ?? [],
      rows_read: l?.accounting.rows_read ?? 0,
      rows_loaded: l?.accounting.rows_loaded ?? 0,
      rows_rejected: l?.accounting.rows_rejected ?? 0,
      files: l?.accounting.files ?? [],
    };
  });
  const rejects: RejectedRow[] = loaded.rejects;
  return {
    spm_version: spmVersion(),
    synthetic: cfg.synthetic,
    data_note: cfg.synthetic ? 'synthetische Beispieldaten' : null,
    project: { name: cfg.name, kreis: cfg.kreis, config_sha256: args.configSha256 ?? null, settings: cfg.settings },
    areas: {
      kommunen: loaded.areas.kommunen.length,
      sozialraeume: loaded.areas.sozialraeume.length,
      // declared hierarchies and second hierarchies: areas per level (the Kreis case keeps its two counts only)
      ...(loaded.areas.hierarchy.kreisShape && loaded.areas.groups.length === 0
        ? {}
        : { levels: areasPerLevel(loaded.areas) }),
      accounting: loaded.areas.accounting,
    },
    sources,
    row_accounting: sources.map((s) => ({
      source: s.id,
      rows_read: s.rows_read,
      rows_loaded: s.rows_loaded,
      rows_rejected: s.rows_rejected,
      balanced: s.rows_read === s.rows_loaded + s.rows_rejected,
    })),
    rejected_rows: {
      total: rejects.length,
      listed: Math.min(rejects.length, MANIFEST_REJECT_LIMIT),
      rows: rejects.slice(0, MANIFEST_REJECT_LIMIT).map(publicReject),
      details: 'Gründe und Rohzeilen: abgewiesene_zeilen.csv (intern, nicht veröffentlichen)',
    },
    indicators: args.compiled.map((c) => ({
      id: c.indicator.def.id,
      version: c.indicator.def.version,
      file: c.indicator.file,
      sha256: c.indicator.sha256 ?? null,
      base_level: c.baseLevel,
      min_denominator: c.minDenominator,
      pool_years: c.poolYears ?? null,
      definition: c.indicator.def,
      measures: { numerator: c.numerator.key, denominator: c.denominator.key },
    })),
    // as published: counts by reason (kleine Fallzahl / Sekundärsperrung) or by true status would say how many
    // masked rows hold small counts; the CLI prints them, the public manifest does not
    results: { rows: args.summary.rows, by_status: args.published.byStatus, masked_rows: args.published.masked },
    suppression: {
      min_count: cfg.settings.suppression.min_count,
      rule:
        'primär: Anzahlen von 1 bis min_count-1 (Zähler und Nenner) und in der Quelle gesperrte Werte; sekundär: weitere Zellen, ' +
        'bis ein Angreifer mit allen veröffentlichten Zahlen, den Summen der Gebietsgliederung (auch zweiter Gliederungen), ' +
        'den Mehrjahresfenstern und den Beziehungen zwischen den Kennzahlen für keine zu schützende Anzahl ausschließen kann, ' +
        'dass sie 0 ist oder min_count (höchstens ihren Nenner) erreicht (geprüft mit linearer Optimierung); ' +
        'eine gesperrte Zeile zeigt nur „gesperrt“, ' +
        'ohne Zahlen, Intervalle, Vergleiche, Veränderungen und Trends' +
        (args.summary.protectedIndicators !== undefined && args.summary.protectedIndicators > args.summary.indicators
          ? `; gerechnet über alle ${args.summary.protectedIndicators} Indikatoren des Kennzahlensatzes, auch wenn nur eine Auswahl ausgegeben wird`
          : '') +
        (cfg.settings.suppression.frueher_veroeffentlicht
          ? `; die Zahlen der früheren Veröffentlichung(en) ${cfg.settings.suppression.frueher_veroeffentlicht.join(', ')} gelten dabei als bekannt (dieselben Werte wie jetzt), so dass auch alle Veröffentlichungen zusammen keine geschützte Anzahl weiter eingrenzen, als es die früheren allein schon tun`
          : ''),
      // the files behind "gelten dabei als bekannt" above, by hash (the path alone may hold another file later)
      ...(args.earlier ? { frueher_veroeffentlicht: args.earlier } : {}),
      unmasked_export: args.outputs.some((o) => o.unmasked)
        ? 'ACHTUNG: intern/ enthält UNMASKIERTE Werte (auf ausdrücklichen Wunsch); nicht veröffentlichen'
        : null,
    },
    // goals (Zielsystem): their definitions and, when they come from a file, that file's hash
    ...(project.goals?.length
      ? {
          goals: {
            file: args.goalsFile?.file ?? null,
            sha256: args.goalsFile?.sha256 ?? null,
            definitions: project.goals.map((g) => g.def),
          },
        }
      : {}),
    outputs: args.outputs,
    issues: args.issues,
  };
}

/** Areas per level name, top first, then the groupings. */
function areasPerLevel(reg: AreaRegistry): Record<string, number> {
  const out: Record<string, number> = { [reg.hierarchy.top.level]: 1 };
  for (const l of reg.hierarchy.levels) out[l.name] = reg.areas.filter((a) => a.level === l.name).length;
  for (const g of reg.groups) out[g.grouping] = (out[g.grouping] ?? 0) + 1;
  return out;
}
