/**
 * The standard set in a project: choose (include/exclude by family or id),
 * override single definitions, and point each measure's canonical schema at the
 * project source that implements it.
 *
 * 1. every bundled indicator is checked against the project's sources (needs.ts)
 * 2. `include` / `exclude` pick indicators; without `include` the set is every
 *    indicator the project provides (the rest is listed in one note)
 * 3. `overrides` are merged into the bundled definition and validated again
 * 4. `source: seu` becomes the id of the project's source with `schema: seu`, and the
 *    Steckbrief's data owner the `owner` of the project's sources
 */
import type { LoadedIndicator } from '../project.js';
import { FamilySchema, IndicatorSchema, type Indicator, type ProjectFile, type StandardUse } from '../schema.js';
import { zodGerman } from '../zod-issues.js';
import type { Issue } from '../../util/issues.js';
import { sha256Text } from '../../util/hash.js';
import { indicatorNeeds, provide, type Provision } from './needs.js';

/** An entry of `indicators:` that means the standard set (the string form takes all of it). */
export type StandardEntry = { kind: 'all' } | { kind: 'use'; use: StandardUse };

/** Status of one bundled indicator in a project (for `spm indicators` and the selection). */
export interface StandardStatus {
  indicator: LoadedIndicator;
  provisions: { role: 'numerator' | 'denominator'; schema: string; columns: string[]; provision: Provision }[];
  provided: boolean;
}

export function standardStatus(config: ProjectFile, bundled: readonly LoadedIndicator[]): StandardStatus[] {
  return bundled.map((indicator) => {
    const provisions = indicatorNeeds(indicator.def).map((n) => ({ ...n, provision: provide(config, n) }));
    return { indicator, provisions, provided: provisions.every((p) => p.provision.ok) };
  });
}

/** Missing inputs of an indicator as one German phrase. */
export function missingText(s: StandardStatus): string {
  const out = new Set<string>();
  const columns = new Map<string, Set<string>>();
  for (const p of s.provisions) {
    if (p.provision.ok) continue;
    const m = /^Quelle "(.+)" ohne Spalte (.+)$/.exec(p.provision.missing);
    if (!m) out.add(p.provision.missing);
    else for (const c of m[2]!.split(', ')) columns.set(m[1]!, (columns.get(m[1]!) ?? new Set()).add(c));
  }
  for (const [src, cols] of columns) out.add(`Quelle "${src}" ohne Spalte ${[...cols].join(', ')}`);
  return [...out].join('; ');
}

export function selectStandard(
  config: ProjectFile,
  entry: StandardEntry,
  at: string,
  bundled: readonly LoadedIndicator[],
): { indicators: LoadedIndicator[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const status = standardStatus(config, bundled);
  const families = new Set<string>(FamilySchema.options);
  const ids = new Set(bundled.map((b) => b.def.id));
  const use = entry.kind === 'use' ? entry.use : undefined;
  const unknown = (list: readonly string[], key: string): void => {
    list.forEach((x, i) => {
      if (!families.has(x) && !ids.has(x))
        issues.push({
          severity: 'error',
          code: 'config.standard_unknown',
          message: `"${x}" ist weder eine Familie (${[...families].join(', ')}) noch ein Indikator des Standardsets (spm indicators listet sie)`,
          path: `${at}.${key}[${i}]`,
        });
    });
  };
  if (use?.include) unknown(use.include, 'include');
  if (use) unknown(use.exclude, 'exclude');
  for (const id of Object.keys(use?.overrides ?? {})) {
    if (!ids.has(id))
      issues.push({
        severity: 'error',
        code: 'config.standard_unknown',
        message: `overrides: "${id}" ist kein Indikator des Standardsets`,
        path: `${at}.overrides.${id}`,
      });
  }
  const hit = (list: readonly string[] | undefined, d: Indicator): boolean =>
    !!list && (list.includes(d.id) || list.includes(d.family));

  const out: LoadedIndicator[] = [];
  const skipped: string[] = [];
  for (const s of status) {
    const d = s.indicator.def;
    if (use && hit(use.exclude, d)) continue;
    // strict where the user named the indicator itself (or took the whole set as a string);
    // a family or the default takes what the sources provide and notes the rest
    const explicit = !use || (use.include?.includes(d.id) ?? false);
    if (use?.include && !hit(use.include, d)) continue;
    if (!s.provided) {
      if (explicit) {
        issues.push({
          severity: 'error',
          code: 'config.standard_unprovided',
          message: `Standardindikator ${d.id} braucht ${missingText(s)}. Quelle mit "schema:" kennzeichnen und Spalten zuordnen (spm indicators zeigt, was fehlt), oder den Indikator mit exclude abwählen`,
          path: at,
        });
      } else skipped.push(d.id);
      continue;
    }
    const override = use?.overrides[d.id];
    const def = override ? applyOverride(d, override, `${at}.overrides.${d.id}`, issues) : d;
    if (!def) continue;
    const sourceOf = new Map(s.provisions.map((p) => [p.role, p.provision.ok ? p.provision.source : p.schema]));
    const num = sourceOf.get('numerator') as string;
    const den = sourceOf.get('denominator') as string;
    // the bundled text names the sample's data owners: a project's Steckbrief names its own
    const ownerOf = (id: string): string => config.sources.find((x) => x.id === id)?.owner ?? id;
    const ownOwner = hasPath(override, ['steckbrief', 'data_owner']);
    const dataOwner = ownerOf(num) === ownerOf(den) ? ownerOf(num) : `Zähler: ${ownerOf(num)}; Nenner: ${ownerOf(den)}`;
    const resolved: Indicator = {
      ...def,
      numerator: { ...def.numerator, source: num },
      denominator: { ...def.denominator, source: den },
      steckbrief: { ...def.steckbrief, data_owner: ownOwner ? def.steckbrief.data_owner : dataOwner },
    };
    const li: LoadedIndicator = { ...s.indicator, def: resolved };
    if (override) {
      li.file = `${s.indicator.file} (mit overrides aus spm.yaml)`;
      li.sha256 = sha256Text(`${s.indicator.sha256 ?? ''}\n${JSON.stringify(override)}`);
    }
    out.push(li);
  }
  if (skipped.length > 0) {
    // none at all: the project would compute nothing and say "keine Fehler" (a warning, not a note)
    const none = out.length === 0;
    issues.push({
      severity: none ? 'warning' : 'info',
      code: 'config.standard_skipped',
      message: none
        ? `Standardset: keine Kennzahl berechenbar, allen ${skipped.length} Indikatoren fehlen Quellen oder Spalten. Die Quellen mit "schema:" kennzeichnen und ihre Spalten zuordnen (README: „Amtliche Exporte und Atlas-Tabellen laden“); spm indicators zeigt, was jede Kennzahl braucht`
        : `Standardset: ${skipped.length} Indikatoren nicht gewählt, weil ihre Quellen oder Spalten fehlen (${skipped.join(', ')}); spm indicators zeigt, was sie brauchen`,
      path: at,
    });
  }
  return { indicators: out, issues };
}

/** Deep-merge an override into a bundled definition (objects merge, the rest replaces) and validate. */
function applyOverride(
  def: Indicator,
  override: Record<string, unknown>,
  at: string,
  issues: Issue[],
): Indicator | undefined {
  const merged = merge(def, override);
  const r = IndicatorSchema.safeParse(merged, zodGerman);
  if (r.success) return r.data;
  for (const i of r.error.issues) {
    issues.push({
      severity: 'error',
      code: 'config.standard_override',
      message: `overrides für ${def.id}: ${i.path.join('.') || '(Definition)'}: ${i.message}`,
      path: at,
    });
  }
  return undefined;
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isPlain(base) || !isPlain(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out;
}

function hasPath(x: unknown, keys: readonly string[]): boolean {
  let cur = x;
  for (const k of keys) {
    if (!isPlain(cur) || !(k in cur)) return false;
    cur = cur[k];
  }
  return true;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
