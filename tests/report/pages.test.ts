/**
 * The pages of the mini project (tests/fixtures/mini) as text: heading structure,
 * table headers and captions, alt texts, lang, synthetic note, links, Markdown
 * variant, determinism. No browser needed (see browser.test.ts for that).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, writeReports } from '../../src/report/index.js';
import type { ReportInput, ReportResult } from '../../src/report/types.js';
import { hostileMini, MINI, reportInput, tmpDir, XSS_KOMMUNE, XSS_SOZIALRAUM } from './helpers.js';
import { escapeHtml } from '../../src/report/escape.js';
import { buildModel } from '../../src/report/model.js';
import { chainMatrix, MATRIX_AREAS_PER_TABLE } from '../../src/report/page-index.js';

let tmp: string;
let input: ReportInput;
let result: ReportResult;
const read = (f: string) => fs.readFileSync(path.join(tmp, 'r1', f), 'utf8');

beforeAll(async () => {
  tmp = tmpDir('spm-report-pages-');
  input = await reportInput(MINI, tmp);
  result = await writeReports(input, {
    outDir: path.join(tmp, 'r1'),
    chartFiles: { formats: ['svg', 'png'], dpi: 96, workers: 0 },
  });
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const headings = (html: string) => [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));

describe('writeReports on the mini project', () => {
  it('writes index, one page per Kommune, Markdown variants, assets and chart files', () => {
    const rel = result.files.map((f) => path.relative(path.join(tmp, 'r1'), f));
    expect(rel).toEqual(
      expect.arrayContaining([
        'index.html',
        'index.md',
        'kommune-05558004.html',
        'kommune-05558004.md',
        'kommune-05558012.html',
        'kommune-05558012.md',
        'assets/vega.min.js',
        'assets/vega-lite.min.js',
        'assets/report.css',
        'assets/report.js',
        'assets/fonts/DejaVuSans.ttf',
      ]),
    );
    expect(rel.some((f) => /^charts\/.+\/zeitreihe_05558012\.png$/.test(f))).toBe(true);
    expect(rel.some((f) => /^charts\/praeventionskette\/praeventionskette_05558004\.svg$/.test(f))).toBe(true);
    expect(result.warnings).toEqual([]);
  });
  it('one h1, no skipped heading level, lang="de", synthetic note', () => {
    for (const f of ['index.html', 'kommune-05558012.html']) {
      const html = read(f);
      const hs = headings(html);
      expect(hs.filter((h) => h === 1)).toHaveLength(1);
      expect(hs[0]).toBe(1);
      for (let i = 1; i < hs.length; i++) expect(hs[i]! - hs[i - 1]!, `${f} heading ${i}`).toBeLessThanOrEqual(1);
      expect(html).toContain('<html lang="de">');
      expect(html).toContain('class="synthetic" role="note"');
      expect(html).toContain('Synthetische Beispieldaten');
    }
  });
  it('Kommune page: sections, tables with scope and captions, alt texts, Steckbriefe', () => {
    const html = read('kommune-05558012.html');
    for (const h of [
      'Auf einen Blick',
      'Präventionskette',
      'Lesehilfe: Vergleiche, Intervalle und Datenschutz',
      'Anhang: Steckbriefe der Kennzahlen',
    ])
      expect(html).toContain(`>${h}</h2>`);
    const tables = html.match(/<table/g)!.length;
    expect(html.match(/<caption>/g)!.length).toBe(tables);
    expect(html.match(/<thead><tr><th scope="col">/g)!.length).toBe(tables);
    expect(html).toContain('<th scope="row"');
    // every chart container has a label and a fallback image with the same alt text
    const charts = [
      ...html.matchAll(/<div class="chart" id="(chart-\d+)" data-spec="\1-spec" role="img" aria-label="([^"]+)">/g),
    ];
    expect(charts.length).toBeGreaterThan(2);
    const imgs = [...html.matchAll(/<img src="charts\/[^"]+\.png" alt="([^"]+)"/g)];
    expect(imgs.length).toBe(charts.length);
    for (const c of charts) expect(c[2]!.length).toBeGreaterThan(40);
    expect(html).toMatch(/<a href="charts\/[^"]+\.png">PNG<\/a> · <a href="charts\/[^"]+\.svg">SVG<\/a>/);
    expect(html).toContain('<dt>Berechnete Definition</dt>');
    // the appendix says what "kein Ausweis als Zahl" below the minimum denominator means: not secret
    expect(html).toContain('Werte mit einem Nenner unter dem Mindestnenner werden nicht als Zahl ausgewiesen');
    expect(html).toContain('geheim sind sie nicht');
    // no network: no http(s) URL in an src or href
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
  it('headings travel with the next block in print, a contents list leads the profile, a Kurzprofil exists', () => {
    const html = read('kommune-05558012.html');
    expect(html).toContain('>Inhalt</h2>');
    expect(html).toContain('href="kurzprofil-05558012.html"');
    const lines = html.split('\n');
    lines.forEach((l, i) => {
      if (/^<h[234] /.test(l)) expect(/^<div class="keep|^<h[234] /.test(lines[i - 1]!), l).toBe(true);
    });
    const kurz = read('kurzprofil-05558012.html');
    for (const h of ['Präventionskette', 'Auffälligste Befunde', 'Ampel']) expect(kurz).toContain(`>${h}</h2>`);
  });
  it('links between pages and to anchors resolve', () => {
    const index = read('index.html');
    for (const m of index.matchAll(/href="(kommune-\d+\.html)(#[^"]*)?"/g))
      expect(fs.existsSync(path.join(tmp, 'r1', m[1]!))).toBe(true);
    const k = read('kommune-05558012.html');
    for (const m of k.matchAll(/href="#([^"]+)"/g)) expect(k, m[1]).toContain(`id="${m[1]}"`);
    for (const m of k.matchAll(/href="(charts\/[^"]+)"/g))
      expect(fs.existsSync(path.join(tmp, 'r1', m[1]!)), m[1]).toBe(true);
  });
  it('Markdown variant: headings, PNG images with alt text, links to the other .md', () => {
    const md = read('kommune-05558012.md');
    expect(md.startsWith('# ')).toBe(true);
    expect(md).toMatch(/\n## Präventionskette\n/);
    expect(md).toMatch(/!\[[^\]]{20,}\]\(charts\/[a-z0-9_/]+\.png\)/);
    expect(md).toContain('[Übersicht Kreis Test](index.md)');
    expect(md).toContain('| Kennzahl | Lebensphase |');
    expect(md).toContain('Synthetische Beispieldaten');
  });
  it('deterministic: the same input gives the same bytes', async () => {
    await writeReports(input, { outDir: path.join(tmp, 'r2'), chartFiles: { formats: [] } });
    await writeReports(input, { outDir: path.join(tmp, 'r3'), chartFiles: { formats: [] } });
    for (const f of ['index.html', 'index.md', 'kommune-05558012.html', 'kommune-05558012.md', 'assets/report.js'])
      expect(fs.readFileSync(path.join(tmp, 'r3', f))).toEqual(fs.readFileSync(path.join(tmp, 'r2', f)));
  }, 60_000);
  it('estimated values carry "(g)" everywhere, and every page using it explains it', async () => {
    // the Kreis and Coesfeld estimated in the latest year of one compared indicator
    const k = input.rows
      .filter((r) => r.area_id === '05558012' && r.pool_years === 1 && r.sig_kreis != null && r.ref_kreis_value != null)
      .sort((a, b) => b.year - a.year || a.indicator_id.localeCompare(b.indicator_id))[0]!;
    const est = input.rows.map((r) =>
      r.indicator_id === k.indicator_id &&
      r.year === k.year &&
      r.pool_years === 1 &&
      (r.area_id === '05558012' || r.level === 'kreis')
        ? { ...r, status: 'estimated' as const }
        : r,
    );
    const dir = path.join(tmp, 'r-est');
    await writeReports({ ...input, rows: est }, { outDir: dir, chartFiles: { formats: [] } });
    const page = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/\u00a0|&nbsp;/g, ' ');
    const explained = /„\(g\)“: geschätzt/;
    for (const f of [
      'index.md',
      'index.html',
      'kommune-05558012.md',
      'kurzprofil-05558012.md',
      'kurzprofil-05558012.html',
    ])
      expect(page(f), f).toMatch(explained);
    // overview matrix: the Kommune cell as the Kreis cell
    const matrixRow = page('index.md')
      .split('\n')
      .find((l) => l.startsWith('|') && l.includes('(g)') && /[■◆○▲▼] \d/.test(l));
    expect(matrixRow).toBeDefined();
    expect(matrixRow!.match(/\(g\)/g)!.length).toBeGreaterThanOrEqual(2);
    // sentences: the Kommune value and the Kreis value both marked
    expect(page('kommune-05558012.md')).toMatch(/mit \d+(,\d+)? [^(]*\(g\) [^.]*\((\d|\.)+(,\d+)? [^()]*\(g\)\)/);
    // the Präventionskette chart label embedded in the Kurzprofil
    expect(page('kurzprofil-05558012.html')).toMatch(/\(g\) \(Kreis [^"]*\(g\)\)/);
  }, 60_000);
  /** A row as published when masked: "gesperrt", no number and nothing derived from it. */
  const maskRow = (r: ReportInput['rows'][number]): ReportInput['rows'][number] => ({
    ...r,
    suppression: 'gesperrt',
    status: 'masked',
    value: null,
    numerator: null,
    denominator: null,
    ci_low: null,
    ci_high: null,
    sig_kreis: null,
    sig_kommune: null,
    note: 'gesperrt: aus Datenschutzgründen nicht ausgewiesen',
  });
  it('deals the Kommunen into matrix tables of equal size, each with the indicators and the Kreis', () => {
    // (printed, 25 Stadtbezirke in one matrix ran their values into each other; see MATRIX_AREAS_PER_TABLE)
    const model = buildModel(input);
    const names = model.kommunen.map((k) => k.name);
    expect(names).toHaveLength(2);
    const tables = (n: number) => chainMatrix(model, n).flatMap((b) => (b.kind === 'table' ? [b] : []));
    const one = tables(MATRIX_AREAS_PER_TABLE);
    expect(one).toHaveLength(1);
    expect(one[0]!.caption).not.toContain('Teil');
    expect(one[0]!.head.slice(-2)).toEqual(names);
    const split = tables(1);
    expect(split).toHaveLength(2);
    split.forEach((t, i) => {
      expect(t.caption).toContain(`(Teil ${i + 1} von 2: ${names[i]} bis ${names[i]})`);
      expect(t.head).toEqual([...one[0]!.head.slice(0, -2), names[i]]);
      expect(t.rows.map((r) => r[0])).toEqual(one[0]!.rows.map((r) => r[0]));
      expect(t.rows.map((r) => r.at(-1))).toEqual(one[0]!.rows.map((r) => r[one[0]!.head.length - 2 + i]));
    });
  });
  it('the trends table keeps a value with its unit on one line', async () => {
    // the printed overview of a Kreis of ten Kommunen broke "80,3 %" into "80,3" and "%" in its
    // narrow "Wert" column; the mini project has no significant trend, so its Kreis gets one
    const last = Math.max(...input.rows.map((r) => r.year));
    const target = input.rows.find((r) => r.level === 'kreis' && r.year === last && r.value != null && !r.suppression)!;
    const rows: ReportInput['rows'] = input.rows.map((r) =>
      r === target
        ? {
            ...r,
            trend_from: last - 4,
            trend_n: 5,
            trend_slope: 0.5,
            trend_low: 0.2,
            trend_high: 0.8,
            trend_sig: 'worse' as const,
          }
        : r,
    );
    await writeReports({ ...input, rows }, { outDir: path.join(tmp, 'r-trend'), chartFiles: { formats: [] } });
    const html = fs.readFileSync(path.join(tmp, 'r-trend', 'index.html'), 'utf8');
    const table = /<caption>Stärkste signifikante Trends[\s\S]*?<\/table>/.exec(html)?.[0];
    expect(table).toBeDefined();
    const values = [...table!.matchAll(/<td class="num">(\d[^<]*)<\/td>/g)].map((m) => m[1]!);
    expect(values).toHaveLength(1);
    expect(values[0]).toMatch(/^[\d.,]+\u00a0\S/);
  }, 60_000);
  it('masked rows show as "gesperrt" and carry no number', async () => {
    const masked = input.rows.map((r) => (r.level === 'sozialraum' && r.area_id === '05558012-02' ? maskRow(r) : r));
    await writeReports({ ...input, rows: masked }, { outDir: path.join(tmp, 'r4'), chartFiles: { formats: [] } });
    const html = fs.readFileSync(path.join(tmp, 'r4', 'kommune-05558012.html'), 'utf8');
    expect(html).toMatch(
      /<th scope="row">Lette<\/th><td class="masked" title="aus Datenschutzgründen nicht ausgewiesen">gesperrt<\/td><td class="num"><\/td><td class="num"><\/td><td class="num"><\/td>/,
    );
    expect(html).toMatch(/Der Wert des Sozialraums Lette wird \d{4} aus Datenschutzgründen nicht ausgewiesen\./);
  }, 60_000);
  it('a masked 3-year window reads "gesperrt" in the Sozialraum table, never "–"', async () => {
    // only Lette's pooled windows are masked; its single years and the other windows stay published
    const isWindow = (r: ReportInput['rows'][number]) => Number(r.pool_years ?? 1) > 1;
    expect(input.rows.some((r) => isWindow(r) && r.area_id === '05558012-02' && r.value != null)).toBe(true);
    const masked = input.rows.map((r) => (isWindow(r) && r.area_id === '05558012-02' ? maskRow(r) : r));
    await writeReports({ ...input, rows: masked }, { outDir: path.join(tmp, 'r6'), chartFiles: { formats: [] } });
    for (const ext of ['html', 'md']) {
      const page = fs.readFileSync(path.join(tmp, 'r6', `kommune-05558012.${ext}`), 'utf8');
      // the window column is the second last: Lette's cell in it, in every table that has the column
      const cells =
        ext === 'html'
          ? page
              .split('<table')
              .filter((t) => t.includes('3-Jahres-Wert'))
              .map((t) =>
                /<tr><th scope="row">Lette<\/th>(.*?)<\/tr>/
                  .exec(t)?.[1]
                  ?.match(/<td[^>]*>.*?<\/td>/g)
                  ?.at(-2),
              )
          : page
              .split('\n\n')
              .filter((t) => /^\|.*3-Jahres-Wert/m.test(t))
              .map((t) => /^\| Lette \|.*$/m.exec(t)?.[0].split(' | ').at(-2));
      const shown = cells.filter((c) => c !== undefined);
      expect(shown.length).toBeGreaterThan(0);
      for (const c of shown) expect(c).toMatch(/gesperrt/);
    }
  }, 60_000);
});

describe('PDF without Chromium', () => {
  it('writes the pages and says clearly why there is no PDF', async () => {
    const r = await writeReports(input, {
      outDir: path.join(tmp, 'r5'),
      pdf: true,
      chromiumPath: path.join(tmp, 'kein-chromium'),
      chartFiles: { formats: [] },
    });
    expect(r.files.some((f) => f.endsWith('.pdf'))).toBe(false);
    expect(r.files.some((f) => f.endsWith('index.html'))).toBe(true);
    expect(r.warnings).toEqual([chromiumMissing(path.join(tmp, 'kein-chromium'))]);
    expect(r.warnings[0]).toMatch(/^PDF nicht erzeugt: Chromium nicht gefunden .*Als PDF speichern/);
  }, 60_000);
});

describe('hostile area names', () => {
  it('are escaped in HTML, Markdown and embedded JSON', async () => {
    const dir = hostileMini(tmp);
    const hostile = await reportInput(dir, path.join(tmp, 'x'));
    expect(hostile.rows.some((r) => r.area_name === XSS_SOZIALRAUM)).toBe(true);
    await writeReports(hostile, { outDir: path.join(tmp, 'rx'), chartFiles: { formats: [] } });
    for (const f of ['index.html', 'kommune-05558004.html']) {
      const html = fs.readFileSync(path.join(tmp, 'rx', f), 'utf8');
      expect(html).not.toContain(XSS_SOZIALRAUM);
      expect(html).not.toContain('<img src=x');
      expect(html).toContain(escapeHtml(XSS_KOMMUNE));
    }
    const k = fs.readFileSync(path.join(tmp, 'rx', 'kommune-05558004.html'), 'utf8');
    expect(k).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(k).toContain('\\u003cscript>alert(1)\\u003c/script>');
    const md = fs.readFileSync(path.join(tmp, 'rx', 'kommune-05558004.md'), 'utf8');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
  }, 120_000);
});
