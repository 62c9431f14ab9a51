/**
 * Choropleth: Sozialräume (of one Kommune or the whole Kreis) or Kommunen from
 * GeoJSON, coloured in five classes; areas without a published value are
 * hatched grey with the legend entry "gesperrt / keine Angabe". The hatch is part
 * of the spec (gradient stripes, see hatch.ts), so the `.vl.json` shows it anywhere.
 *
 * ```
 * geo features ─ lookup properties.<id> in publicPoint rows ─┬─ value: classes (YlGnBu, quantize)
 *                                                            └─ no value: hatched grey
 *   (+ Kommune outlines over Sozialräume when configured) -> frame
 * ```
 */
import type { ChartMeta, ChartSpec, FeatureCollection, KennzahlRow } from './types.js';
import { publicPoint, GAP_TEXT } from './mask.js';
import { indicatorMeta, latestYear, selectRows } from './select.js';
import { axisFormat, axisTitle } from './format.js';
import { frame } from './frame.js';
import { inTop, wordsOf } from './levels.js';
import { MAP_SCHEME, SIZE, WIDTH } from './theme.js';
import { featureBoxes, hatchClass, hatchCount, hatchGradient, hatchFill } from './hatch.js';
import { windowNote, windowText } from './pooled.js';
import { centroid, quantileBreaks } from './map-classes.js';
import { pointTooltip } from './tooltip.js';
import { textWidth, wrapText } from './text-width.js';

export interface ChoroplethOptions {
  indicator: string;
  level: 'sozialraum' | 'kommune';
  /** Only the Sozialräume of this Kommune (AGS). */
  kommune?: string;
  year?: number;
  poolYears?: number;
  /** Number of colour classes (default 5). */
  classes?: number;
}

export const MASKED_LEGEND = 'gesperrt / keine Angabe';

function features(fc: FeatureCollection, idProperty: string, keep: (id: string) => boolean) {
  return fc.features.filter((f) => keep(String(f.properties[idProperty] ?? '')));
}

export function choropleth(rows: readonly KennzahlRow[], meta: ChartMeta, options: ChoroplethOptions): ChartSpec {
  const words = wordsOf(meta);
  const o = { poolYears: 1, classes: 5, ...options };
  const ind = indicatorMeta(meta, o.indicator, rows);
  const geo = meta.geo;
  const fc = o.level === 'sozialraum' ? geo?.sozialraeume : geo?.kommunen;
  if (!geo || !fc)
    throw new Error(`Karte: keine GeoJSON-Datei für die Ebene "${o.level}" konfiguriert (spm.yaml, geo:)`);
  const idProp = geo.idProperty;
  const year = o.year ?? latestYear(rows, o.indicator, o.level, o.poolYears) ?? 0;

  // 1. Published content per area (numbers null where masked) and the features to draw.
  const selected = selectRows(rows, {
    indicator: o.indicator,
    level: o.level,
    kommune: o.kommune,
    year,
    poolYears: o.poolYears,
  });
  const period = selected[0]?.period ?? String(year);
  const inKommune = (id: string) => !o.kommune || id.startsWith(o.kommune);
  const feats = features(fc, idProp, inKommune);
  const width = WIDTH.column - 20;
  // stripe count of each area's hatch by its drawn size (gradients are relative to the shape's box)
  const boxes = featureBoxes(feats, width, width);
  const stripes = new Map(feats.map((f, i) => [String(f.properties[idProp]), hatchCount(boxes[i]!.w, boxes[i]!.h)]));
  const points = selected.map(publicPoint).map((p) => ({
    ...p,
    gap_text: p.gap ? GAP_TEXT[p.gap] : null,
    hatch: p.value === null ? hatchClass(stripes.get(p.area_id) ?? hatchCount(width / 4, width / 4)) : null,
  }));
  const idField = `properties.${idProp}`;
  const lookup = {
    lookup: idField,
    from: {
      data: { values: points },
      key: 'area_id',
      fields: ['area_name', 'value', 'ci_low', 'ci_high', 'numerator', 'denominator', 'estimated', 'gap_text', 'hatch'],
    },
  };
  const projection = { type: 'mercator' };

  // 2. Layers: classed areas, hatched masked areas, Kommune outlines and names.
  const fmt = axisFormat(ind.unit);
  const breaks = quantileBreaks(
    points.map((p) => p.value).filter((v): v is number => v !== null),
    o.classes,
  );
  const maskedWidth = 16 + 4 + textWidth(MASKED_LEGEND, SIZE.label);
  const titleLines = wrapText(axisTitle(ind), width - maskedWidth - 20, SIZE.axisTitle);
  const legendTitle = titleLines.length > 1 ? titleLines : axisTitle(ind);
  const layers: Record<string, unknown>[] = [
    {
      transform: [lookup, { filter: 'isValid(datum.value)' }],
      mark: { type: 'geoshape', stroke: '#ffffff', strokeWidth: 0.8, tooltip: pointTooltip(ind.unit, { year: false }) },
      encoding: {
        color: {
          field: 'value',
          type: 'quantitative',
          // beside the hatched legend entry the title has what is left of the map's width: wrapped
          title: legendTitle,
          // classes by quantiles (about the same number of areas in each), breaks rounded to readable numbers
          scale: { type: 'threshold', domain: breaks, scheme: { name: MAP_SCHEME, count: breaks.length + 1 } },
          legend: {
            type: 'symbol',
            format: fmt,
            orient: 'bottom',
            direction: 'vertical',
            titleLimit: 360,
            columns: 2,
            symbolType: 'square',
            symbolSize: 160,
            symbolStrokeColor: '#555555',
          },
        },
      },
    },
    // masked areas: hatched grey (a gradient per stripe class); the legend entry comes from a constant
    // opacity (a colour legend would take its swatch from the colour scale, which cannot hold a gradient)
    {
      transform: [lookup, { filter: '!isValid(datum.value)' }],
      mark: { type: 'geoshape', stroke: '#ffffff', strokeWidth: 0.8 },
      encoding: {
        fill: hatchFill(points.flatMap((p) => (p.hatch ? [Number(p.hatch.slice(1))] : []))),
        opacity: {
          datum: MASKED_LEGEND,
          type: 'nominal',
          title: null,
          scale: { type: 'ordinal', domain: [MASKED_LEGEND], range: [1] },
          legend: {
            orient: 'bottom',
            symbolType: 'square',
            symbolStrokeColor: '#555555',
            symbolStrokeWidth: 1,
            encoding: { symbols: { fill: { value: hatchGradient(2) } } },
          },
        },
        tooltip: [
          { field: 'area_name', type: 'nominal', title: 'Gebiet' },
          { field: 'gap_text', type: 'nominal', title: 'Wert' },
        ],
      },
    },
  ];
  if (o.level === 'sozialraum' && geo.kommunen) {
    layers.push({
      data: { values: features(geo.kommunen, idProp, (id) => !o.kommune || id === o.kommune) },
      mark: { type: 'geoshape', filled: false, stroke: '#000000', strokeWidth: 1.4 },
    });
  }
  // Kommune names at the centre of their outlines, so a reader finds the places
  const kommuneFc = geo.kommunen;
  if (kommuneFc) {
    const names = new Map(rows.filter((r) => r.level === 'kommune').map((r) => [r.area_id, r.area_name]));
    const labels = features(kommuneFc, idProp, (id) => !o.kommune || id === o.kommune)
      .map((f) => ({
        name: names.get(String(f.properties[idProp])) ?? String(f.properties.name ?? ''),
        ...centroid(f.geometry),
      }))
      .filter((l) => l.name && Number.isFinite(l.lon));
    layers.push({
      data: { values: labels },
      mark: {
        type: 'text',
        fontSize: SIZE.footer,
        fontWeight: 'bold',
        color: '#000000',
        stroke: '#ffffff',
        strokeWidth: 2.5,
        strokeOpacity: 0.85,
      },
      encoding: {
        longitude: { field: 'lon', type: 'quantitative' },
        latitude: { field: 'lat', type: 'quantitative' },
        text: { field: 'name' },
      },
    });
    layers.push({
      data: { values: labels },
      mark: { type: 'text', fontSize: SIZE.footer, fontWeight: 'bold', color: '#000000' },
      encoding: {
        longitude: { field: 'lon', type: 'quantitative' },
        latitude: { field: 'lat', type: 'quantitative' },
        text: { field: 'name' },
      },
    });
  }
  const body = {
    width,
    height: width,
    projection,
    data: { values: feats },
    layer: layers,
    resolve: { scale: { color: 'independent', opacity: 'independent' } },
  };
  const where = o.kommune
    ? `${words.smallests} in ${selectRows(rows, { indicator: o.indicator, level: 'kommune', area: o.kommune })[0]?.area_name ?? o.kommune}`
    : o.level === 'sozialraum'
      ? `${words.smallests} ${inTop(meta.kreis.name)}`
      : `${words.seconds} ${inTop(meta.kreis.name)}`;
  return frame(meta, body, {
    title: `${ind.title}: ${where}, ${windowText({ poolYears: o.poolYears, period })}`,
    subtitle: `Klassen nach Quantilen (etwa gleich viele Gebiete je Klasse); schraffiert: ${MASKED_LEGEND}`,
    notes: [windowNote({ poolYears: o.poolYears, period }, words.smallests)].filter((n): n is string => !!n),
    indicators: [ind],
  });
}
