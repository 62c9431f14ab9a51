/**
 * The printed PDF as a reader sees it (Debian chromium + poppler-utils): the full
 * chart titles and axis labels are in the PDF's text (nothing cut at the page
 * edge), every chart's text lies inside its drawing and every drawing inside the
 * printed column, pages are numbered, the Kurzprofil has 2–4 pages, the PDF is tagged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/index.js';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM, PRINT_WIDTH_PX } from '../../src/report/pdf.js';
import { MINI, reportInput, tmpDir } from './helpers.js';

const has = (bin: string) => {
  try {
    execFileSync(bin, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const ready = fs.existsSync(DEFAULT_CHROMIUM) && has('pdftotext') && has('pdfinfo');
if (!ready)
  console.warn('PDF-Tests übersprungen: chromium oder poppler-utils fehlen (apt-get install chromium poppler-utils).');

let tmp: string;
let out: string;
const text = (pdf: string) => execFileSync('pdftotext', ['-layout', path.join(out, pdf), '-'], { encoding: 'utf8' });
const info = (pdf: string) => execFileSync('pdfinfo', [path.join(out, pdf)], { encoding: 'utf8' });
/** pdftotext breaks lines and pads columns: compare words only. */
const words = (s: string) => s.replace(/\s+/g, ' ');

describe.skipIf(!ready && !process.env.CI)('printed PDF', () => {
  beforeAll(async () => {
    tmp = tmpDir('spm-report-pdf-');
    const input = await reportInput(MINI, tmp);
    out = path.join(tmp, 'bericht');
    const r = await writeReports(input, {
      outDir: out,
      pdf: true,
      kommunen: ['05558012'],
      chartFiles: { formats: [] },
    });
    expect(r.warnings).toEqual([]);
  }, 240_000);
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('full Präventionskette title, axis words and labels are in the PDF text', () => {
    const t = words(text('kommune-05558012.pdf'));
    expect(t).toMatch(/Präventionskette Coesfeld: Kennzahlen entlang der Lebensphasen im Vergleich mit dem Kreis Test/);
    expect(t).toContain('← ungünstiger als der Kreis | günstiger als der Kreis →');
    expect(t).toContain('Abstand zum Kreiswert in % des Kreiswerts (relativ, keine Prozentpunkte)');
    expect(t).toMatch(/Quelle: .*eigene Berechnung/);
    expect(t).toMatch(/Seite 1 von \d+/);
    expect(t).toContain('Inhalt');
  });
  it('the contents list gives the page on which each listed heading is printed', () => {
    // the listed headings, from the HTML's contents list, in order
    const html = fs.readFileSync(path.join(out, 'kommune-05558012.html'), 'utf8');
    const list = /<ul class="toc">([\s\S]*?)<\/ul>/.exec(html)![1]!;
    const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    const entries = [...list.matchAll(/<a href="#[^"]+">([^<]+)<\/a>/g)].map((m) => decode(m[1]!));
    expect(entries.length).toBeGreaterThanOrEqual(5);
    const pages = Number(/Pages:\s+(\d+)/.exec(info('kommune-05558012.pdf'))![1]);
    const page = (n: number) =>
      execFileSync(
        'pdftotext',
        ['-layout', '-f', String(n), '-l', String(n), path.join(out, 'kommune-05558012.pdf'), '-'],
        {
          encoding: 'utf8',
        },
      );
    const first = page(1);
    expect(first).toContain('Inhalt');
    // the list as printed: "Soziale Lage ..... 3" in two columns (the dots are a border, not text); left column first
    const cols: [string, number][][] = [[], []];
    const lines = first.split('\n');
    for (const line of lines.slice(lines.findIndex((l) => l.trim() === 'Inhalt') + 1)) {
      const found = [...line.matchAll(/(\S(?:.*?\S)?)\s+(\d+)(?=\s{2,}|\s*$)/g)];
      if (!found.length) {
        if (cols[0]!.length) break;
        continue;
      }
      for (const m of found) cols[m.index! > line.length / 3 ? 1 : 0]!.push([m[1]!, Number(m[2])]);
    }
    const printed = [...cols[0]!, ...cols[1]!];
    expect(printed.map(([t]) => t)).toEqual(entries);
    let from = 1;
    for (const [entry, n] of printed) {
      expect(n).toBeGreaterThanOrEqual(from);
      expect(n).toBeLessThanOrEqual(pages);
      // the heading itself is a line of its own on that page, and on no page between the previous entry and it
      const isHeading = (k: number) =>
        page(k)
          .split('\n')
          .some((l) => l.trim() === entry);
      const landed = Array.from({ length: pages - from + 1 }, (_, i) => from + i).find(isHeading);
      expect(landed, `Überschrift "${entry}"`).toBe(n);
      from = n;
    }
  });
  it('the Kurzprofil has 2–4 pages, numbered, with Präventionskette, Befunde and Ampel', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(info('kurzprofil-05558012.pdf'))![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(4);
    const t = words(text('kurzprofil-05558012.pdf'));
    for (const s of ['Kurzprofil', 'Präventionskette', 'Auffälligste Befunde', 'Ampel', `Seite ${pages} von ${pages}`])
      expect(t).toContain(s);
  });
  it('links only within the PDF or to the web: none into the (staging) folder the pages were printed from', () => {
    for (const pdf of ['index.pdf', 'kommune-05558012.pdf']) {
      const urls = execFileSync('pdfinfo', ['-url', path.join(out, pdf)], { encoding: 'utf8' });
      expect(urls, pdf).not.toMatch(/file:|\.html/);
    }
    // the contents list still leads to its headings (internal destinations, not URIs)
    expect(execFileSync('pdfinfo', ['-dests', path.join(out, 'kommune-05558012.pdf')], { encoding: 'utf8' })).toMatch(
      /ind-|lesehilfe/,
    );
  });
  it('the PDF is tagged and A4', () => {
    const i = info('kommune-05558012.pdf');
    expect(i).toMatch(/Tagged:\s+yes/);
    expect(i).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  });
  it('at print width every chart fits the column and its text lies inside the drawing', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: PRINT_WIDTH_PX, height: 1100 } });
      await page.emulateMedia({ media: 'print' });
      for (const f of ['kommune-05558012.html', 'kurzprofil-05558012.html', 'index.html']) {
        await page.goto(pathToFileURL(path.join(out, f)).href);
        await page.waitForSelector('html[data-charts-ready]', { timeout: 90_000 });
        const bad = await page.evaluate(`(() => {
          const out = [];
          const width = document.documentElement.clientWidth;
          for (const svg of document.querySelectorAll('.chart svg')) {
            const b = svg.getBoundingClientRect();
            if (b.left < -0.5 || b.right > width + 0.5) out.push('chart outside the column: ' + b.left + '..' + b.right);
            for (const t of svg.querySelectorAll('text')) {
              if (!t.textContent) continue;
              const r = t.getBoundingClientRect();
              if (r.width === 0) continue;
              if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1) out.push(t.textContent + ' [' + r.left.toFixed(0) + '..' + r.right.toFixed(0) + ' vs ' + b.left.toFixed(0) + '..' + b.right.toFixed(0) + ']');
            }
          }
          return out;
        })()`);
        expect(bad, f).toEqual([]);
      }
    } finally {
      await browser.close();
    }
  }, 180_000);
});
