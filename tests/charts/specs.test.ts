/**
 * Chart builders on the hand-made fixture: marks, encodings, German formats,
 * title, unit, source line, gaps, breaks, and no masked number anywhere in a spec.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { timeSeries } from '../../src/charts/time-series.js';
import { ranking } from '../../src/charts/ranking.js';
import { smallMultiples } from '../../src/charts/small-multiples.js';
import { praeventionskette, LEBENSPHASE_LABEL } from '../../src/charts/praeventionskette.js';
import { choropleth, MASKED_LEGEND } from '../../src/charts/choropleth.js';
import { axisTitle, formatDe, unitLabel, yearRanges } from '../../src/charts/format.js';
import { MASKED_FILL } from '../../src/charts/theme.js';
import { installTextMetrics } from '../../src/render/svg.js';
import { sourceLine } from '../../src/charts/source-line.js';
import { syntheticGeoJson } from '../../data-samples/geo.js';
import { META, ROWS, MASKED_NUMBERS } from './fixtures/rows.js';
import { body, footer, leaks, marksOf, markType, titleText, units, type Json } from './helpers.js';

const SGB = 'sgb2_quote_unter_15';
const ts = () => timeSeries(ROWS, META, { indicator: SGB, area: '05558012' });
const geoMeta = () => {
  const g = syntheticGeoJson(
    [
      { id: '05558012-01', name: 'Coesfeld-Innenstadt', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558012-02', name: 'Coesfeld-Nord', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558012-08', name: 'Goxel', ags: '05558012', kommune: 'Coesfeld' },
      { id: '05558016-01', name: 'Dülmen-Mitte', ags: '05558016', kommune: 'Dülmen' },
    ],
    1,
  );
  return { ...META, geo: { sozialraeume: g.sozialraeume, kommunen: g.kommunen, idProperty: 'id' } };
};
const data = (u: Json): Json[] => ((u.data as Json)?.values as Json[]) ?? [];

interface Box {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  text?: string;
}
/**
 * The spec drawn by Vega (with the DejaVu text metrics spm renders with): page boxes of the
 * point symbols and of the y axes' labels, from the scene graph.
 */
async function renderedBoxes(
  spec: unknown,
): Promise<{ points: Box[]; labels: Box[]; ticks: string[]; tickBoxes: Box[] }> {
  const vega = await import('vega');
  await installTextMetrics();
  const view = new vega.View(vega.parse(compile(spec as never, { logger: vega.logger(vega.None) }).spec), {
    renderer: 'none',
  });
  await view.runAsync();
  const points: Box[] = [];
  const labels: Box[] = [];
  const ticks: string[] = [];
  const tickBoxes: Box[] = [];
  type Item = { x?: number; y?: number; bounds?: Box; text?: string; items?: Mark[] };
  type Mark = { marktype: string; role?: string; items: Item[] };
  const walk = (mark: Mark, ox: number, oy: number) => {
    for (const item of mark.items) {
      const b = item.bounds;
      if (b && mark.marktype === 'symbol' && mark.role === 'mark')
        points.push({ x1: b.x1 + ox, x2: b.x2 + ox, y1: b.y1 + oy, y2: b.y2 + oy });
      if (mark.marktype === 'text' && mark.role === 'axis-label') {
        const text = String(item.text);
        // the y axes' labels are the indicator names; the x axis's are numbers and % only (those
        // drawn: a label dropped for overlap has opacity 0)
        if (/[A-Za-zÄÖÜäöüß]/.test(text)) {
          if (b) labels.push({ x1: b.x1 + ox, x2: b.x2 + ox, y1: b.y1 + oy, y2: b.y2 + oy, text });
        } else if ((item as { opacity?: number }).opacity !== 0) {
          ticks.push(text);
          if (b) tickBoxes.push({ x1: b.x1 + ox, x2: b.x2 + ox, y1: b.y1 + oy, y2: b.y2 + oy, text });
        }
      }
      if (mark.marktype === 'group')
        for (const child of item.items ?? []) walk(child, ox + (item.x ?? 0), oy + (item.y ?? 0));
    }
  };
  walk((view.scenegraph() as unknown as { root: Mark }).root, 0, 0);
  view.finalize();
  return { points, labels, ticks, tickBoxes };
}

describe('source line', () => {
  it('one Stand for sources of the same Stand; each its own when they differ', () => {
    const same = { ...META, sources: META.sources.map((x) => ({ ...x, stand: '2025-04-10' })) };
    expect(sourceLine(same, [META.indicators[0]])).toBe(
      'Quelle: SGB II nach Sozialräumen (Bundesagentur für Arbeit), Bevölkerung nach Altersgruppen (Einwohnermeldeamt); Stand: 10.04.2025; eigene Berechnung',
    );
    // the SGB II data of April and the population of February: not both "Stand: 10.04.2025"
    expect(sourceLine(META, [META.indicators[0]])).toBe(
      'Quelle: SGB II nach Sozialräumen (Bundesagentur für Arbeit) (Stand: 10.04.2025), Bevölkerung nach Altersgruppen (Einwohnermeldeamt) (Stand: 14.02.2025); eigene Berechnung',
    );
  });
});

describe('format', () => {
  it('prints units the way the title names them', () => {
    expect(unitLabel({ unit: 'percent', title: 'x' })).toBe('%');
    expect(
      unitLabel({
        unit: 'per_10000',
        title: 'Eckwert der Hilfen zur Erziehung (einschließlich § 35a) je 10.000 unter 21',
      }),
    ).toBe('je 10.000 unter 21');
    expect(unitLabel({ unit: 'per_1000', title: 'Inobhutnahmen nach § 42 SGB VIII je 1.000 unter 18' })).toBe(
      'je 1.000 unter 18',
    );
    expect(unitLabel({ unit: 'per_1000', title: 'Fremdunterbringung' })).toBe('je 1.000');
    expect(
      axisTitle({
        unit: 'percent',
        title: 'SGB-II-Quote der Kinder unter 15 Jahren',
        short_title: 'SGB-II-Quote unter 15',
      }),
    ).toBe('SGB-II-Quote unter 15 (%)');
  });
  it('formats numbers German and lists years compactly', () => {
    expect(formatDe(1234.56)).toBe('1.234,6');
    expect(formatDe(-0.04)).toBe('0,0');
    expect(formatDe(12.5)).toBe('12,5');
    expect(yearRanges([2019, 2015, 2020, 2021, 2017])).toBe('2015, 2017, 2019–2021');
  });
});

describe('every chart', () => {
  const all = {
    timeSeries: ts(),
    ranking: ranking(ROWS, META, { indicator: SGB, kommune: '05558012' }),
    rankingKommunen: ranking(ROWS, META, { indicator: 'hze_eckwert', year: 2022 }),
    smallMultiples: smallMultiples(ROWS, META, { indicator: SGB }),
    praeventionskette: praeventionskette(ROWS, META, { kommune: '05558012', year: 2020 }),
    choropleth: choropleth(ROWS, geoMeta(), { indicator: SGB, level: 'sozialraum', year: 2024 }),
  };
  for (const [name, spec] of Object.entries(all)) {
    it(`${name}: German locale, DejaVu Sans, source line, synthetic note`, () => {
      const config = (spec as unknown as Json).config as Json;
      expect((config.locale as Json).number).toEqual({
        decimal: ',',
        thousands: '.',
        grouping: [3],
        currency: ['', '\u00a0€'],
      });
      expect(((config.locale as Json).time as Json).months).toContain('März');
      expect(config.font).toBe('DejaVu Sans');
      const f = footer(spec).replace(/\n/g, ' ');
      expect(f).toMatch(
        /^(.* )?Quelle: .*(; Stand: \d\d\.\d\d\.\d{4}|\(Stand: \d\d\.\d\d\.\d{4}\)).*; eigene Berechnung/,
      );
      expect(f).toContain('synthetische Beispieldaten');
    });
    it(`${name}: no masked number in data or tooltips`, () => {
      expect(leaks(spec, MASKED_NUMBERS)).toEqual([]);
    });
    it(`${name}: compiles with vega-lite without warnings that matter`, () => {
      expect(() => compile(spec)).not.toThrow();
    });
  }
  it('the synthetic note disappears for real data', () => {
    expect(footer(timeSeries(ROWS, { ...META, synthetic: false }, { indicator: SGB, area: '05558012' }))).not.toContain(
      'synthetisch',
    );
  });
});

describe('timeSeries', () => {
  it('says "im Vergleich" only beside another line', () => {
    expect(titleText(ts())).toContain('Coesfeld im Vergleich');
    // the Kreis without a Land value: its own line only
    const alone = timeSeries(ROWS, { ...META, land: undefined }, { indicator: SGB, area: '05558' });
    expect(titleText(alone)).toMatch(/: Kreis Coesfeld, \d{4}/);
    expect(titleText(alone)).not.toContain('im Vergleich');
  });
  it('layers a CI band, a line and points per series, with German formats', () => {
    const spec = ts();
    expect(marksOf(spec, 'area').length).toBe(2); // Coesfeld and Kreis bands
    const [line] = marksOf(spec, 'line');
    const enc = line!.encoding as Json;
    expect((enc.y as Json).field).toBe('value');
    expect(((enc.y as Json).axis as Json).format).toBe(',.1f');
    expect((enc.y as Json).title).toBe('SGB-II-Quote unter 15 (%)');
    expect(((enc.x as Json).axis as Json).format).toBe('d');
    expect((line!.mark as Json).invalid).toBe('break-paths-filter-domains');
    expect(((enc.color as Json).scale as Json).domain).toEqual(['Coesfeld', 'Kreis Coesfeld', 'NRW']);
    const [points] = marksOf(spec, 'point');
    // the tooltip is a mark expression: fields in this order, each only where it has a value
    const tip = ((points!.mark as Json).tooltip as { expr: string }).expr;
    const titles = [...tip.matchAll(/\{"([^"]+)": /g)].map((m) => m[1]);
    expect(titles).toEqual(['Gebiet', 'Jahr', 'Wert', 'KI unten', 'KI oben', 'Zähler', 'Nenner']);
    expect(tip).toContain('format(datum["value"], ",.1f")');
    expect(points!.transform).toEqual([{ filter: 'datum.value != null && !datum.estimated' }]);
  });
  it('names indicator and area in the title', () => {
    expect(titleText(ts())).toContain('SGB-II-Quote der Kinder unter 15 Jahren: Coesfeld');
  });
  it('masked years are null gaps, listed in a note, not zero', () => {
    const spec = ts();
    const rows = data(body(spec)).filter((d) => d.series === 'Coesfeld');
    expect(rows.map((d) => d.year)).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    for (const y of [2019, 2020]) {
      const d = rows.find((r) => r.year === y)!;
      expect(d).toMatchObject({
        value: null,
        ci_low: null,
        ci_high: null,
        numerator: null,
        denominator: null,
        gap: 'gesperrt',
      });
    }
    expect(footer(spec)).toContain('Keine Angabe für Coesfeld: 2019, 2020 (gesperrt).');
  });
  it('a Sozialraum below the minimum denominator is a gap with its reason, and the Kommune is drawn too', () => {
    const spec = timeSeries(ROWS, META, { indicator: SGB, area: '05558012-08' });
    expect(footer(spec)).toContain('2016 (Mindestnenner nicht erreicht)');
    expect(footer(spec)).toContain('2024 (gesperrt)');
    expect(((marksOf(spec, 'line')[0]!.encoding as Json).color as Json).scale).toMatchObject({
      domain: ['Goxel', 'Coesfeld', 'Kreis Coesfeld', 'NRW'],
    });
  });
  it('marks declared breaks with a rule, a label and a note', () => {
    const spec = ts();
    const rule = marksOf(spec, 'rule').find((r) => r.data)!;
    expect(data(rule)).toEqual([{ x: 2015.5, label: 'Bruch 2016' }]);
    expect(marksOf(spec, 'text').some((t) => (t.encoding as Json).text && data(t)[0]?.label === 'Bruch 2016')).toBe(
      true,
    );
    expect(footer(spec)).toContain('Reihenbruch 2016');
  });
  it('published reference values (references:) are lines of their own, masked years a gap with a note, their source named', () => {
    const meta = {
      ...META,
      references: [
        {
          id: 'bund',
          name: 'Deutschland',
          source: 'Statistisches Bundesamt',
          values: [
            { indicator_id: SGB, year: 2016, value: 12.5, status: 'ok' },
            { indicator_id: SGB, year: 2017, value: null, status: 'gesperrt' },
            { indicator_id: 'andere', year: 2016, value: 99, status: 'ok' },
          ],
        },
      ],
    };
    const spec = timeSeries(ROWS, meta, { indicator: SGB, area: '05558012' });
    const pts = data(body(spec)).filter((d) => d.series === 'Deutschland');
    expect(pts.find((d) => d.year === 2016)).toMatchObject({ value: 12.5, ci_low: null, ci_high: null, key: 'ref1' });
    expect(pts.find((d) => d.year === 2017)).toMatchObject({ value: null, gap: 'gesperrt' });
    expect(pts.some((d) => d.value === 99)).toBe(false);
    expect(footer(spec)).toContain('Deutschland: 2017 vom Herausgeber gesperrt.');
    expect(footer(spec)).toContain('Statistisches Bundesamt');
    // no band for a reference: it has no interval
    expect(marksOf(spec, 'area').some((m) => JSON.stringify(m).includes("'ref1'"))).toBe(false);
  });
  it('without Land values there is no Land series', () => {
    const spec = timeSeries(ROWS, { ...META, land: undefined }, { indicator: SGB, area: '05558012' });
    expect(data(body(spec)).some((d) => d.series === 'NRW')).toBe(false);
  });
});

describe('ranking', () => {
  const spec = ranking(ROWS, META, { indicator: SGB, kommune: '05558012' });
  it('sorts bars by value with masked areas last, coloured by significance in German', () => {
    const bar = marksOf(spec, 'bar')[0]!;
    const enc = bar.encoding as Json;
    expect((enc.y as Json).sort).toEqual(['Coesfeld-Innenstadt', 'Coesfeld-Nord', 'Goxel']);
    expect((enc.color as Json).field).toBe('sig');
    expect(((enc.color as Json).scale as Json).domain).toEqual([
      'ungünstiger als Kreis Coesfeld',
      'günstiger als Kreis Coesfeld',
    ]);
    expect(bar.transform).toEqual([{ filter: 'datum.value != null' }]);
  });
  it('draws CI whiskers and the Kreis and Kommune reference rules', () => {
    const rules = marksOf(spec, 'rule');
    expect(rules.some((r) => (r.encoding as Json).x2)).toBe(true);
    const refs = rules.filter((r) => r.data).map((r) => data(r)[0]!.label);
    expect(refs).toEqual(['Kreis Coesfeld', 'Coesfeld']);
  });
  it('shows the masked area as "gesperrt" with no number', () => {
    const goxel = data(body(spec)).find((d) => d.area_name === 'Goxel')!;
    expect(goxel).toMatchObject({
      value: null,
      ci_low: null,
      numerator: null,
      denominator: null,
      sig: 'ohne Vergleich',
      gap_text: 'gesperrt',
    });
  });
  it('draws the reasons of rows without a value over the reference rules, on a white outline', () => {
    // the sample: "Mindestnenner nicht erreicht" of Nottuln's Darup and Schapdetten had the Kreis
    // and Kommune rules running through its letters
    const layers = body(spec).layer as Json[];
    const isGap = (l: Json) => ((l.encoding as Json | undefined)?.text as Json | undefined)?.field === 'gap_text';
    const gaps = layers.flatMap((l, i) => (isGap(l) ? [i] : []));
    const refRules = layers.flatMap((l, i) => (l.data && markType(l) === 'rule' ? [i] : []));
    expect(gaps).toHaveLength(2);
    expect(refRules).toHaveLength(2);
    expect(Math.min(...gaps)).toBeGreaterThan(Math.max(...refRules));
    const [outline, text] = gaps.map((i) => layers[i]!.mark as Json);
    expect(outline).toMatchObject({ color: '#ffffff', stroke: '#ffffff' });
    expect(text).toMatchObject({ color: '#555555' });
    expect(text!.stroke).toBeUndefined();
  });
  it('keeps the drawn axis labels apart (rendered scene, not the spec)', async () => {
    // seven ticks from 0 to 60 on a plot of 240 px, the first and last flush with its ends: Vega's
    // bounds 1.5 px apart, in print touching (the sample: "50,060,0" under Nottuln's Sozialräume)
    const rows = ROWS.map((r) =>
      r.indicator_id === SGB && r.year === 2024 && r.area_id === '05558012-01' ? { ...r, ci_high: 65 } : r,
    );
    const { tickBoxes } = await renderedBoxes(ranking(rows, META, { indicator: SGB, kommune: '05558012' }));
    expect(tickBoxes.length).toBeGreaterThanOrEqual(3);
    const xs = tickBoxes.sort((a, b) => a.x1 - b.x1);
    expect(xs.map((b) => b.text)).toContain('0,0');
    const gaps = xs.slice(1).map((b, i) => b.x1 - xs[i]!.x2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(4);
  });
  it('ranks Kommunen when no Kommune is given', () => {
    const k = ranking(ROWS, META, { indicator: 'hze_eckwert', year: 2022 });
    expect(titleText(k)).toContain('Kommunen im Kreis Coesfeld, 2022');
    expect((marksOf(k, 'bar')[0]!.encoding as Json).x).toMatchObject({
      title: 'HzE-Eckwert inkl. § 35a, § 41 (je 10.000 unter 21)',
    });
  });
});

describe('choropleth', () => {
  const spec = choropleth(ROWS, geoMeta(), { indicator: SGB, level: 'sozialraum', kommune: '05558012', year: 2024 });
  it('joins geoshapes to values by id and hatches masked areas', () => {
    const shapes = marksOf(spec, 'geoshape');
    expect(shapes.length).toBe(3);
    const lookup = (shapes[0]!.transform as Json[])[0]!;
    expect(lookup.lookup).toBe('properties.id');
    // masked areas: legend entry, hatch stripes as gradients inside the spec (no renderer hint needed)
    const masked = shapes[1]!.encoding as Json;
    expect((masked.opacity as Json).datum).toBe(MASKED_LEGEND);
    const fill = masked.fill as { condition: { test: string; value: Json }[]; value: Json };
    for (const g of [...fill.condition.map((c) => c.value), fill.value]) {
      expect(g.gradient).toBe('linear');
      const colors = new Set((g.stops as { color: string }[]).map((s) => s.color));
      expect([...colors].sort()).toEqual(['#555555', MASKED_FILL]);
    }
    expect(((spec as unknown as Json).usermeta as Json).spm).not.toHaveProperty('hatch');
    const features = data(body(spec));
    expect(features.map((f) => (f.properties as Json).id)).toEqual(['05558012-01', '05558012-02', '05558012-08']);
  });
  it('refuses without GeoJSON', () => {
    expect(() => choropleth(ROWS, META, { indicator: SGB, level: 'sozialraum' })).toThrow(/GeoJSON/);
  });
});

describe('smallMultiples', () => {
  it('facets by Kommune with the Kreis line in every panel', () => {
    const spec = smallMultiples(ROWS, META, { indicator: SGB });
    const b = body(spec);
    expect((b.facet as Json).field).toBe('panel');
    const rows = data(b);
    for (const panel of ['Coesfeld', 'Dülmen']) {
      expect(rows.filter((r) => r.panel === panel && r.series === 'Kreis Coesfeld').length).toBe(10);
    }
    expect(rows.find((r) => r.panel === 'Coesfeld' && r.year === 2019 && r.series === 'Kommune')!.value).toBeNull();
  });
});

describe('praeventionskette', () => {
  it('orders indicators along the Lebensphasen, marks significance by shape and colour, labels the value', () => {
    const spec = praeventionskette(ROWS, META, { kommune: '05558012', year: 2024 });
    const b = body(spec);
    const row = (b.facet as Json).row as Json;
    expect(row.sort).toEqual(Object.values(LEBENSPHASE_LABEL));
    const point = marksOf(spec, 'point')[0]!;
    const enc = point.encoding as Json;
    expect((enc.shape as Json).field).toBe('sig');
    expect((enc.color as Json).field).toBe('sig');
    const labels = data(b).map((d) => d.label);
    expect(labels).toContain('11,0\u00a0% (Kreis 9,0\u00a0%)');
    expect(titleText(spec)).toContain('Präventionskette Coesfeld');
  });
  it('names the top of a declared hierarchy in its labels, not "Kreis" (a kreisfreie Stadt)', () => {
    const stadt = { ...META, levelLabels: ['Stadt', 'Stadtbezirk', 'Stadtteil'], agsCodes: false };
    const labels = data(body(praeventionskette(ROWS, stadt, { kommune: '05558012', year: 2024 }))).map((d) => d.label);
    expect(labels).toContain('11,0\u00a0% (Stadt 9,0\u00a0%)');
    expect(labels.filter((l) => String(l).includes('Kreis'))).toEqual([]);
  });
  it('orients every indicator by polarity: right = günstiger, so a worse-polarity value above the Kreis sits left', () => {
    const spec = praeventionskette(ROWS, META, { kommune: '05558012', year: 2024 });
    const sgb = data(body(spec)).find((d) => d.indicator === 'SGB-II-Quote unter 15')!;
    // SGB-II-Quote: a higher value is worse; Coesfeld 11,0 % vs Kreis 9,0 % -> +22 %, drawn at -22 (left)
    expect(sgb.dev as number).toBeGreaterThan(0);
    expect(sgb.pos).toBe(-(sgb.dev as number));
    const point = marksOf(spec, 'point')[0]!;
    const x = (point.encoding as Json).x as Json;
    expect(x.field).toBe('pos');
    expect((x.title as string[])[0]).toMatch(/^← ungünstiger .* günstiger .*→$/);
    expect((x.title as string[])[1]).toContain('in % des Kreiswerts (relativ, keine Prozentpunkte)');
    // a better-polarity indicator keeps its sign
    const better = {
      ...META,
      indicators: META.indicators.map((i) => (i.id === SGB ? { ...i, polarity: 'better' as const } : i)),
    };
    const flipped = data(body(praeventionskette(ROWS, better, { kommune: '05558012', year: 2024 }))).find(
      (d) => d.indicator === 'SGB-II-Quote unter 15',
    )!;
    expect(flipped.pos).toBe(flipped.dev);
  });
  it('marks values beyond the clip with their true deviation', () => {
    const spec = praeventionskette(ROWS, META, { kommune: '05558012', year: 2024, clip: 10 });
    const sgb = data(body(spec)).find((d) => d.indicator === 'SGB-II-Quote unter 15')!;
    expect(sgb.pos).toBe(-10);
    expect(sgb.clip_side).toBe('left');
    // in words: the SGB II quota above the Kreis's, drawn at the ungünstiger (left) edge
    expect(sgb.clip_text).toMatch(/^\d+\u00a0% höher$/);
    expect(marksOf(spec, 'text').some((t) => ((t.encoding as Json).text as Json).field === 'clip_text')).toBe(true);
  });
  it('a point drawn at the clip stays clear of the indicator names (rendered scene, not the spec)', async () => {
    // the marker is centred on the plot's edge: without room between axis and labels it hid
    // the last letters of a name (seen in the Kurzprofil PDF: "SGB-II-Quote 15 bis u. 1▮")
    const spec = praeventionskette(ROWS, META, { kommune: '05558012', year: 2024, clip: 10 });
    expect(data(body(spec)).some((d) => d.clip_side === 'left')).toBe(true);
    const { points, labels } = await renderedBoxes(spec);
    expect(points.length).toBeGreaterThan(0);
    expect(labels.length).toBeGreaterThan(0);
    const hits = points.flatMap((p) =>
      labels.filter((l) => p.x1 < l.x2 && l.x1 < p.x2 && p.y1 < l.y2 && l.y1 < p.y2).map((l) => l.text),
    );
    expect(hits).toEqual([]);
    // the deviation axis labels its middle (0 = the Kreis value) and both edges
    // also where long names leave the plot narrow (as in the sample's Kurzprofil: with Vega's
    // seven ticks, the 0 and the 40 % were dropped for overlap there)
    const long = {
      ...META,
      indicators: META.indicators.map((i) =>
        i.id === SGB ? { ...i, short_title: 'Übergewicht ohne Adipositas (SEU, NRW-Definition), lang' } : i,
      ),
    };
    for (const m of [long, META]) {
      const drawn = await renderedBoxes(praeventionskette(ROWS, m, { kommune: '05558012', year: 2024 }));
      expect(drawn.ticks).toEqual(['60\u00a0%', '30\u00a0%', '0', '30\u00a0%', '60\u00a0%']);
    }
    // the clipped point does sit at the plot's left edge, left of every other point
    const leftmost = Math.min(...points.map((p) => p.x1));
    expect(labels.every((l) => l.x2 <= leftmost)).toBe(true);
  });
  it('a masked latest value is a label without a number', () => {
    const spec = praeventionskette(ROWS, META, { kommune: '05558012', year: 2019 });
    const sgb = data(body(spec)).find((d) => d.indicator === 'SGB-II-Quote unter 15')!;
    expect(sgb).toMatchObject({ value: null, dev: null, pos: null, label: 'gesperrt' });
  });
});

describe('golden specs', () => {
  const specs: Record<string, unknown> = {
    'time-series': ts(),
    ranking: ranking(ROWS, META, { indicator: SGB, kommune: '05558012' }),
    'small-multiples': smallMultiples(ROWS, META, { indicator: SGB }),
    praeventionskette: praeventionskette(ROWS, META, { kommune: '05558012', year: 2024 }),
    choropleth: choropleth(ROWS, geoMeta(), { indicator: SGB, level: 'sozialraum', year: 2024 }),
  };
  for (const [name, spec] of Object.entries(specs)) {
    it(name, async () => {
      await expect(JSON.stringify(spec, null, 2) + '\n').toMatchFileSnapshot(`__snapshots__/${name}.vl.json`);
    });
  }
  it('builders are pure: same input, same spec', () => {
    expect(JSON.stringify(ts())).toBe(JSON.stringify(ts()));
    expect(units(ts()).length).toBeGreaterThan(3);
  });
});
