/**
 * Print pages to PDF with headless Chromium through playwright-core: the page
 * is opened from file://, every request that is not file:// is aborted, the
 * print waits until all charts are drawn. Without Chromium: a message, no throw.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export function chromiumMissing(executablePath: string): string {
  return `PDF nicht erzeugt: Chromium nicht gefunden (${executablePath}). Installieren (z. B. "apt-get install chromium") oder die HTML-Seite im Browser öffnen und "Drucken → Als PDF speichern" wählen.`;
}

/** Print each HTML file to the PDF path beside it; returns written files and warnings. */
export async function printPdfs(htmlFiles: readonly string[], executablePath = DEFAULT_CHROMIUM): Promise<{ files: string[]; warnings: string[] }> {
  if (!fs.existsSync(executablePath)) return { files: [], warnings: [chromiumMissing(executablePath)] };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const files: string[] = [];
  const warnings: string[] = [];
  try {
    const context = await browser.newContext();
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    for (const html of htmlFiles) {
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      await page.waitForSelector('html[data-charts-ready]', { timeout: 120_000 });
      const pdf = html.replace(/\.html$/, '.pdf');
      await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
      files.push(pdf);
    }
  } finally {
    await browser.close();
  }
  return { files, warnings };
}
