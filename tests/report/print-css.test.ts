/**
 * The print stylesheet keeps every page at full size and prints no blank pages:
 * a table wider than the A4 column made Chromium shrink the whole PDF (to 69–77 %),
 * and the hidden content of a closed <details> took its space without being drawn.
 * browser.test.ts prints for real; this checks the rules without a browser.
 */
import { describe, expect, it } from 'vitest';
import { REPORT_CSS } from '../../src/report/style.js';
import { pageHtml, SHORT_TABLE_ROWS } from '../../src/report/html.js';
import type { Page } from '../../src/report/types.js';

const print = REPORT_CSS.slice(REPORT_CSS.indexOf('@media print'));

describe('print stylesheet', () => {
  it('tables take the column width and may wrap, numbers and comparisons included', () => {
    expect(print).toMatch(/\n {2}table \{ width: 100%;/);
    expect(print).toMatch(/td\.num, td\.sig \{ white-space: normal; \}/);
    expect(print).toMatch(/table\.matrix \{[^}]*table-layout: fixed;/);
    expect(print).toMatch(/table\.matrix td\.sig \{ white-space: normal; \}/);
    // the matrix's area names and its Kreis column stand upright
    expect(REPORT_CSS).toMatch(/table\.matrix thead th:nth-child\(n\+3\) \{ writing-mode: vertical-rl;/);
  });
  it('a short table is marked to be kept whole, a long one (the Ampel) may split', () => {
    const table = (n: number, cls?: string) => ({
      kind: 'table' as const,
      caption: `${n} Zeilen`,
      head: ['a'],
      rows: Array.from({ length: n }, (_, i) => [{ text: String(i) }]),
      rowHeader: true,
      ...(cls ? { cls } : {}),
    });
    const page: Page = {
      name: 'x',
      title: 't',
      h1: 't',
      synthetic: false,
      nav: [],
      blocks: [table(2), table(SHORT_TABLE_ROWS, 'matrix'), table(SHORT_TABLE_ROWS + 1)],
      footer: [],
    };
    const tags = [...pageHtml(page).matchAll(/<table( class="[^"]*")?>/g)].map((m) => m[0]);
    expect(tags).toEqual(['<table class="short">', '<table class="matrix short">', '<table>']);
  });
  it('a caption and header row never stand alone at the foot of a page', () => {
    expect(print).toMatch(/caption, thead \{ break-after: avoid; \}/);
    expect(print).toMatch(/tbody tr:first-child \{ break-before: avoid; \}/);
    // Chromium ignores the caption's break-after: a short table is kept whole, caption included
    expect(print).toMatch(/\n {2}table\.short \{ break-inside: avoid; \}/);
    expect(print).toMatch(/\n {2}table\.matrix \{ break-inside: avoid; \}/);
  });
  it('a closed details prints its table (no invisible block that leaves a blank page)', () => {
    expect(print).toMatch(/details::details-content \{ content-visibility: visible; \}/);
    expect(print).toMatch(/details table \{ break-inside: avoid; \}/);
  });
});
