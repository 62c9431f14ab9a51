/**
 * The print stylesheet keeps every page at full size and prints no blank pages:
 * a table wider than the A4 column made Chromium shrink the whole PDF (to 69–77 %),
 * and the hidden content of a closed <details> took its space without being drawn.
 * browser.test.ts prints for real; this checks the rules without a browser.
 */
import { describe, expect, it } from 'vitest';
import { REPORT_CSS } from '../../src/report/style.js';

const print = REPORT_CSS.slice(REPORT_CSS.indexOf('@media print'));

describe('print stylesheet', () => {
  it('tables take the column width and may wrap, numbers and comparisons included', () => {
    expect(print).toMatch(/\n {2}table \{ width: 100%;/);
    expect(print).toMatch(/td\.num, td\.sig \{ white-space: normal; \}/);
    expect(print).toMatch(/table\.matrix \{[^}]*table-layout: fixed;/);
    expect(print).toMatch(/table\.matrix td\.sig \{ white-space: normal; \}/);
    // a part of the matrix stays on one page with its caption; its area names and the Kreis stand upright
    expect(print).toMatch(/table\.matrix \{ break-inside: avoid; \}/);
    expect(REPORT_CSS).toMatch(/table\.matrix thead th:nth-child\(n\+3\) \{ writing-mode: vertical-rl;/);
  });
  it('a caption and header row never stand alone at the foot of a page', () => {
    expect(print).toMatch(/caption, thead \{ break-after: avoid; \}/);
    expect(print).toMatch(/tbody tr:first-child \{ break-before: avoid; \}/);
  });
  it('a closed details prints its table (no invisible block that leaves a blank page)', () => {
    expect(print).toMatch(/details::details-content \{ content-visibility: visible; \}/);
    expect(print).toMatch(/details table \{ break-inside: avoid; \}/);
  });
});
