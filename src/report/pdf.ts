/**
 * Print pages to PDF with headless Chromium through playwright-core: the page
 * is opened from file://, every request that is not file:// is aborted, the
 * print waits until the web fonts are loaded and all charts are drawn. Without
 * Chromium: a message, no throw.
 *
 * The page is laid out at the width of the printed A4 column and with print
 * media before the charts are drawn, so that Vega measures its labels at the
 * size and in the font they are printed in (measured earlier, labels overflowed
 * the chart and were cut off at the page edge). Every page gets a running
 * header (the page title) and "Seite x von y"; the PDF is tagged and carries
 * the headings as its outline where Chromium supports it.
 *
 * Contents lists get page numbers in two passes (Chromium has no CSS
 * `target-counter`): print, read from the PDF's named destinations on which page
 * each listed heading landed, write the numbers into the list's boxes (fixed
 * width, so the layout does not move) and print again; repeated until the
 * numbers agree with the printed pages (at most four prints).
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { escapeHtml } from './escape.js';
import { destinationPages } from './pdf-pages.js';
import { writeFileAtomic } from '../util/atomic.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Width of the printed column in CSS px: A4 (210 mm) minus 15 mm margins left and right, at 96 px per inch. */
export const PRINT_WIDTH_PX = Math.floor(((210 - 30) / 25.4) * 96);

export function chromiumMissing(executablePath: string): string {
  return `PDF nicht erzeugt: Chromium nicht gefunden (${executablePath}). Installieren (z. B. "apt-get install chromium") oder die HTML-Seite im Browser öffnen und "Drucken → Als PDF speichern" wählen.`;
}

const MARGIN_STYLE =
  'font-family: DejaVu Sans, Arial, sans-serif; font-size: 7.5pt; color: #333333; width: 100%; margin: 0 15mm;';

/** Running header: the page's title; footer: page numbers. Chromium fills the span classes. */
export function printTemplates(title: string): { headerTemplate: string; footerTemplate: string } {
  return {
    headerTemplate: `<div style="${MARGIN_STYLE} border-bottom: 0.5pt solid #999999; padding-bottom: 1mm;">${escapeHtml(title)}</div>`,
    footerTemplate: `<div style="${MARGIN_STYLE} text-align: right;">Seite <span class="pageNumber"></span> von <span class="totalPages"></span></div>`,
  };
}

/** Print each HTML file to the PDF path beside it; returns written files and warnings. */
export async function printPdfs(
  htmlFiles: readonly string[],
  executablePath = DEFAULT_CHROMIUM,
): Promise<{ files: string[]; warnings: string[] }> {
  if (!fs.existsSync(executablePath)) return { files: [], warnings: [chromiumMissing(executablePath)] };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const files: string[] = [];
  const warnings: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: PRINT_WIDTH_PX, height: 1100 } });
    await context.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    for (const html of htmlFiles) {
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      await page.waitForSelector('html[data-charts-ready]', { timeout: 120_000 });
      await page.evaluate('document.fonts.ready.then(() => true)');
      await page.evaluate(LOCAL_LINKS_TO_TEXT);
      const title = await page.title();
      const pdf = html.replace(/\.html$/, '.pdf');
      const print = () =>
        page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          ...printTemplates(title),
          tagged: true,
          outline: true,
        });
      const bytes = await printWithPageNumbers(page, print);
      if (bytes.missing)
        warnings.push(
          `${pdf}: Seitenzahlen im Inhaltsverzeichnis fehlen für ${bytes.missing} Einträge (Ziel im PDF nicht gefunden).`,
        );
      await writeFileAtomic(pdf, bytes.pdf);
      files.push(pdf);
    }
  } finally {
    await browser.close();
  }
  return { files, warnings };
}

/**
 * Run in the page before printing: links to the report's other files (`kommune-….html`, charts)
 * become plain text. Chromium writes every link of a PDF as an absolute address, and for a page
 * opened from a folder that is `file:///<folder>/kommune-01.html`: into spm's staging folder, gone
 * after the run, and useless in a PDF attached to a Vorlage anyway. Links within the page (`#…`,
 * the contents list) stay internal links of the PDF; web addresses (`https:`, `mailto:`) stay.
 */
export const LOCAL_LINKS_TO_TEXT = `(() => {
  for (const a of document.querySelectorAll('a[href]')) {
    const h = a.getAttribute('href') || '';
    if (h.startsWith('#')) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(h) && !/^file:/i.test(h)) continue;
    a.removeAttribute('href');
  }
})()`;

/**
 * Print, fill the contents list's page boxes from where the PDF put their targets,
 * print again until nothing changes. `missing`: boxes whose target the PDF lacks.
 */
export async function printWithPageNumbers(
  page: Page,
  print: () => Promise<Buffer>,
): Promise<{ pdf: Buffer; missing: number }> {
  let pdf = await print();
  let missing = 0;
  for (let pass = 0; pass < 3; pass++) {
    const pages = Object.fromEntries(destinationPages(pdf));
    // runs in the page: set each box to its target's page; report whether any box changed
    const r = (await page.evaluate(`(() => {
      const pages = ${JSON.stringify(pages)};
      let changed = 0, missing = 0;
      for (const el of document.querySelectorAll('[data-page-of]')) {
        const n = pages[el.getAttribute('data-page-of')];
        const text = n === undefined ? '' : String(n);
        if (n === undefined) missing++;
        if (el.textContent !== text) { el.textContent = text; changed++; }
      }
      return { changed, missing };
    })()`)) as { changed: number; missing: number };
    missing = r.missing;
    if (!r.changed) break;
    pdf = await print();
  }
  return { pdf, missing };
}
