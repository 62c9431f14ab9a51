/**
 * End to end in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
 * the sample project's report opened from file:// draws every chart, logs no
 * error, requests nothing but file://, links between pages work, tooltips show;
 * a hostile area name stays text and opens no dialog. Screenshots go to the
 * test's temp folder and to scratch/report-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeReports } from '../../src/report/index.js';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from '../../src/report/pdf.js';
import { hostileMini, MINI, reportInput, ROOT, SAMPLE, tmpDir, XSS_KOMMUNE, XSS_SOZIALRAUM } from './helpers.js';

const hasChromium = fs.existsSync(DEFAULT_CHROMIUM);
if (!hasChromium) console.warn(`Browser-Tests übersprungen: ${DEFAULT_CHROMIUM} fehlt (apt-get install chromium).`);

const scratch = path.join(ROOT, 'scratch');
let tmp: string;
let browser: Browser;

interface Watched {
  page: Page;
  errors: string[];
  foreign: string[];
  dialogs: string[];
}

async function open(file: string, width = 1200): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width, height: 1400 } });
  const w: Watched = { page, errors: [], foreign: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) w.foreign.push(r.url());
  });
  page.on('dialog', async (d) => {
    w.dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-charts-ready]', { timeout: 90_000 });
  return w;
}

async function expectAllChartsDrawn(page: Page): Promise<number> {
  const n = await page.locator('.chart').count();
  expect(n).toBeGreaterThan(0);
  expect(await page.locator('.chart[data-rendered="true"]').count()).toBe(n);
  // every container holds the drawing
  const empty = await page.$$eval('.chart', (els) =>
    els.filter((e) => !e.querySelector('svg, canvas')).map((e) => e.id),
  );
  expect(empty).toEqual([]);
  return n;
}

async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(tmp, `${name}.png`);
  await page.screenshot({ path: file });
  fs.mkdirSync(scratch, { recursive: true });
  fs.copyFileSync(file, path.join(scratch, `${name}.png`));
}

describe.skipIf(!hasChromium && !process.env.CI)('report in headless Chromium', () => {
  let out: string;
  beforeAll(async () => {
    tmp = tmpDir('spm-report-browser-');
    const input = await reportInput(SAMPLE, tmp);
    out = path.join(tmp, 'bericht');
    // chart files for one Kommune only: enough to check the links, quick to render
    await writeReports(input, {
      outDir: out,
      chartFiles: {
        formats: ['svg', 'png'],
        dpi: 96,
        filter: (n) => n.endsWith('_05558012') && /praeventionskette|sgb2/.test(n),
      },
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM, args: CHROMIUM_ARGS });
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('index.html: all charts drawn, no console error, only file:// requests', async () => {
    const w = await open(path.join(out, 'index.html'));
    const n = await expectAllChartsDrawn(w.page);
    // per indicator: Kreis time series with the Land, Kommunen ranking, small multiples, map
    expect(n).toBe(100);
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
    expect(await w.page.locator('h1').count()).toBe(1);
    expect(await w.page.locator('.synthetic').first().isVisible()).toBe(true);
    await shot(w.page, 'report-index');
    // link to a Kommune page from the overview table
    await w.page
      .getByRole('table', { name: /Kommunen des Kreises Coesfeld/ })
      .getByRole('link', { name: 'Coesfeld', exact: true })
      .click();
    await w.page.waitForURL(/kommune-05558012\.html$/);
    expect(await w.page.title()).toMatch(/^Coesfeld: Präventionsmonitoring/);
    await w.page.close();
  }, 120_000);

  it('kommune page: charts, tooltips, links back and to the PNG files', async () => {
    const w = await open(path.join(out, 'kommune-05558012.html'));
    const n = await expectAllChartsDrawn(w.page);
    expect(n).toBeGreaterThan(40);
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
    await shot(w.page, 'report-kommune');
    // a tooltip on a point of the first time series: value, CI and counts
    // the heading travels in div.keep with its sentences (no orphaned heading in print); the chart follows
    const ts = w.page
      .locator(
        'div.keep:has(#ind-sgb2_quote_unter_15) figure .chart, div.keep:has(#ind-sgb2_quote_unter_15) ~ figure .chart',
      )
      .first();
    await ts.scrollIntoViewIfNeeded();
    // hover the points until one of the area's own series answers (Kreis and Land lines may come first)
    const points = ts.locator('svg g.mark-symbol.role-mark path');
    const tip = w.page.locator('#spm-tooltip');
    let text = '';
    for (let i = (await points.count()) - 1; i >= 0 && !/KI unten/.test(text); i--) {
      await points.nth(i).hover({ force: true });
      for (let t = 0; t < 30 && !(await tip.isVisible()); t++) await w.page.waitForTimeout(100);
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text a reader sees (not the DOM property the rule means)
      text = (await tip.isVisible()) ? await tip.innerText() : '';
    }
    expect(text).toMatch(/Wert/);
    expect(text).toMatch(/KI unten/);
    expect(text).toMatch(/Zähler/);
    await w.page.screenshot({
      path: path.join(tmp, 'report-tooltip.png'),
      clip: { ...(await ts.boundingBox())!, height: 420 },
    });
    fs.copyFileSync(path.join(tmp, 'report-tooltip.png'), path.join(scratch, 'report-tooltip.png'));
    // every download link points at an existing file
    const hrefs = await w.page.$$eval('.downloads a', (as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs.length).toBeGreaterThan(10);
    for (const h of hrefs) expect(fs.existsSync(new URL(h)), h).toBe(true);
    // in-page anchor and the way back to the overview
    await w.page.getByRole('link', { name: 'Zur Übersicht Kreis Coesfeld' }).click();
    await w.page.waitForURL(/index\.html$/);
    expect(await w.page.title()).toMatch(/^Kreis Coesfeld: Präventionsmonitoring .* Übersicht$/);
    await w.page.close();
  }, 120_000);

  it('on a phone (390 px) every page scrolls only down: wide tables scroll in their frame, names and headings wrap', async () => {
    for (const file of ['index.html', 'kommune-05558012.html', 'kurzprofil-05558012.html']) {
      const w = await open(path.join(out, file), 390);
      await expectAllChartsDrawn(w.page);
      const r = await w.page.evaluate(() => {
        // the browser's globals, typed as far as used (the tests compile without the DOM lib)
        interface El {
          tagName: string;
          textContent: string | null;
          parentElement: El | null;
          getBoundingClientRect(): { width: number; right: number };
        }
        const g = globalThis as unknown as {
          document: {
            body: El;
            documentElement: { clientWidth: number; scrollWidth: number };
            querySelectorAll(s: string): Iterable<El>;
          };
          getComputedStyle(e: El): { overflowX: string };
        };
        const { document, getComputedStyle } = g;
        const vw = document.documentElement.clientWidth;
        // what reaches past the screen's right edge without a scrolling frame of its own around it
        const out: string[] = [];
        for (const el of document.querySelectorAll('body *')) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 || box.right <= vw + 1) continue;
          let framed = false;
          for (let a = el.parentElement; a && a !== document.body && !framed; a = a.parentElement)
            framed = getComputedStyle(a).overflowX === 'auto' && a.getBoundingClientRect().right <= vw + 1;
          if (!framed) out.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
        }
        return { vw, width: document.documentElement.scrollWidth, out: out.slice(0, 5) };
      });
      expect(r.out, file).toEqual([]);
      expect(r.width, file).toBeLessThanOrEqual(r.vw);
      // the wide tables are still there, in a frame that scrolls sideways
      const framed = await w.page.$$eval('.table-wrap', (ds) => ds.filter((d) => d.scrollWidth > d.clientWidth).length);
      expect(framed, file).toBeGreaterThan(0);
      if (file === 'index.html') await shot(w.page, 'report-index-phone');
      await w.page.close();
    }
  }, 240_000);

  it('print: A4 PDF via page.pdf', async () => {
    const w = await open(path.join(out, 'kommune-05558004.html'));
    const pdf = await w.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(50_000);
    await w.page.close();
  }, 120_000);

  it('writeReports with pdf: true prints every page to A4 PDF', async () => {
    const input = await reportInput(MINI, path.join(tmp, 'm'));
    const pout = path.join(tmp, 'bericht-pdf');
    const r = await writeReports(input, { outDir: pout, pdf: true, chartFiles: { formats: [] } });
    const pdfs = r.files.filter((f) => f.endsWith('.pdf')).map((f) => path.basename(f));
    expect(pdfs).toEqual([
      'index.pdf',
      'kommune-05558004.pdf',
      'kommune-05558012.pdf',
      'kurzprofil-05558004.pdf',
      'kurzprofil-05558012.pdf',
    ]);
    expect(r.warnings).toEqual([]);
    const head = fs.readFileSync(path.join(pout, 'index.pdf')).subarray(0, 5).toString();
    expect(head).toBe('%PDF-');
  }, 180_000);

  it('a Sozialraum named <script>alert(1)</script> shows as text and opens no dialog', async () => {
    const dir = hostileMini(tmp);
    const input = await reportInput(dir, path.join(tmp, 'x'));
    const xout = path.join(tmp, 'bericht-xss');
    await writeReports(input, { outDir: xout, chartFiles: { formats: [] } });
    const w = await open(path.join(xout, 'kommune-05558004.html'));
    await expectAllChartsDrawn(w.page);
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
    // shown as text in tables, headings and sentences
    expect(await w.page.getByText(XSS_SOZIALRAUM, { exact: true }).count()).toBeGreaterThan(0);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text a reader sees (not the DOM property the rule means)
    expect(await w.page.locator('h1').innerText()).toContain(XSS_KOMMUNE);
    // and drawn as text in the charts
    expect(await w.page.locator('svg text', { hasText: XSS_SOZIALRAUM }).count()).toBeGreaterThan(0);
    // no element was created from the names
    expect(await w.page.locator('img[src="x"]').count()).toBe(0);
    const scripts = await w.page.$$eval('script:not([type="application/json"])', (s) =>
      s.map((x) => x.textContent ?? ''),
    );
    expect(scripts.filter((s) => s.includes('alert('))).toEqual([]);
    const row = w.page.getByRole('rowheader', { name: XSS_SOZIALRAUM }).first();
    await row.scrollIntoViewIfNeeded();
    await shot(w.page, 'report-xss');
    const idx = await open(path.join(xout, 'index.html'));
    expect(idx.dialogs).toEqual([]);
    expect(idx.errors).toEqual([]);
    await idx.page.close();
    await w.page.close();
  }, 180_000);
});
