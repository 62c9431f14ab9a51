/**
 * From a loaded `Project` to the `ChartMeta` the builders read: indicator
 * definitions, source titles and Stand, Kreis, synthetic flag, language, and
 * (read from the files spm.yaml names) GeoJSON and Land values.
 */
import fs from 'node:fs';
import type { Project } from '../config/project.js';
import { readLandValues } from '../config/land.js';
import { readReferenceValues } from '../ingest/references.js';
import { levelNames, projectHierarchy } from '../config/hierarchy.js';
import { resolveInProject } from '../util/paths.js';
import type { ChartMeta, FeatureCollection, IndicatorMeta } from './types.js';

export function indicatorMetaFromProject(project: Project): IndicatorMeta[] {
  return project.indicators.map(({ def }) => ({
    id: def.id,
    title: def.title,
    short_title: def.short_title,
    unit: def.unit,
    polarity: def.polarity,
    lebensphase: def.lebensphase,
    family: def.family,
    breaks: def.steckbrief.breaks.map((b) => ({ year: b.year, description: b.description })),
    sources: [...new Set([def.numerator.source, def.denominator.source])],
  }));
}

function readJson(project: Project, p: string | undefined): FeatureCollection | undefined {
  if (!p) return undefined;
  const r = resolveInProject(project.root, p);
  if ('error' in r) throw new Error(r.error);
  return JSON.parse(fs.readFileSync(r.abs, 'utf8')) as FeatureCollection;
}

export function chartMetaFromProject(project: Project): ChartMeta {
  const c = project.config;
  const h = projectHierarchy(c);
  const meta: ChartMeta = {
    indicators: indicatorMetaFromProject(project),
    sources: c.sources.map((s) => ({ id: s.id, title: s.title, owner: s.owner, stand: s.stand })),
    kreis: { ags: c.kreis.ags, name: c.kreis.name },
    levels: levelNames(h),
    levelLabels: [h.top.label, ...h.levels.map((l) => l.label)],
    agsCodes: h.levels[0]?.code === 'ags',
    synthetic: c.synthetic,
    language: c.settings.language,
  };
  if (c.geo) {
    meta.geo = {
      sozialraeume: readJson(project, c.geo.sozialraeume),
      kommunen: readJson(project, c.geo.kommunen),
      idProperty: c.geo.id_property,
    };
  }
  // the same strict reader as the statistics, so charts and tables show the same Land values
  if (c.land)
    meta.land = {
      name: c.land.name,
      values: readLandValues(project),
      ...(c.land.source ? { source: c.land.source } : {}),
      ...(c.land.stand ? { stand: c.land.stand } : {}),
    };
  // published reference values: the one marked land: true is the Land, the others reference lines
  const refs = c.references;
  if (refs) {
    const values = readReferenceValues(project);
    const firstOf = (id: string, k: 'source' | 'stand'): string | undefined =>
      values.find((v) => v.reference_id === id && v[k] !== undefined)?.[k];
    for (const item of refs.list) {
      const own = values.filter((v) => v.reference_id === item.id);
      const source = firstOf(item.id, 'source');
      const stand = firstOf(item.id, 'stand');
      const extra = { ...(source ? { source } : {}), ...(stand ? { stand } : {}) };
      if (item.land)
        meta.land = {
          name: item.name,
          values: own
            .filter((v) => v.value !== null)
            .map((v) => ({ indicator_id: v.indicator_id, year: v.year, value: v.value! })),
          ...extra,
        };
      else
        (meta.references ??= []).push({
          id: item.id,
          name: item.name,
          values: own.map((v) => ({ indicator_id: v.indicator_id, year: v.year, value: v.value, status: v.status })),
          ...extra,
        });
    }
  }
  return meta;
}
