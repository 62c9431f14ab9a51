/** Reading the page of each named destination from a PDF's plain objects (the form Chromium writes). */
import { describe, expect, it } from 'vitest';
import { destinationPages } from '../../src/report/pdf-pages.js';

const pdf = (objects: string[], root: number) =>
  new TextEncoder().encode(`%PDF-1.4\n${objects.join('\n')}\ntrailer\n<</Size 20 /Root ${root} 0 R>>\n%%EOF\n`);

// page tree: 10 (Pages) -> [11 (Pages) -> pages 2, 3], page 4
const tree = [
  '2 0 obj\n<</Type /Page /Parent 11 0 R>>\nendobj',
  '3 0 obj\n<</Type /Page /Parent 11 0 R>>\nendobj',
  '4 0 obj\n<</Type /Page /Parent 10 0 R>>\nendobj',
  '11 0 obj\n<</Type /Pages /Count 2 /Kids [2 0 R 3 0 R] /Parent 10 0 R>>\nendobj',
  '10 0 obj\n<</Type /Pages /Count 3 /Kids [11 0 R 4 0 R]>>\nendobj',
];

describe('destinationPages', () => {
  it('reads a /Dests dictionary, in page-tree order, with #-escaped UTF-8 names', () => {
    const map = destinationPages(
      pdf(
        [
          ...tree,
          '5 0 obj\n<</inhalt [2 0 R /XYZ 0 829.9 0]\n/fam-soziale_lage [4 0 R /XYZ 0 820 0]\n/stra#C3#9Fe [3 0 R /XYZ 0 1 0]>>\nendobj',
          '1 0 obj\n<</Type /Catalog /Pages 10 0 R /Dests 5 0 R>>\nendobj',
        ],
        1,
      ),
    );
    expect(Object.fromEntries(map)).toEqual({ inhalt: 1, 'fam-soziale_lage': 3, straße: 2 });
  });
  it('reads a /Names tree of destinations', () => {
    const map = destinationPages(
      pdf(
        [
          ...tree,
          '6 0 obj\n<</Kids [7 0 R]>>\nendobj',
          '7 0 obj\n<</Names [(a) [3 0 R /Fit] (b\\(1\\)) 8 0 R]>>\nendobj',
          '8 0 obj\n<</D [4 0 R /XYZ 0 0 0]>>\nendobj',
          '9 0 obj\n<</Dests 6 0 R>>\nendobj',
          '1 0 obj\n<</Type /Catalog /Pages 10 0 R /Names 9 0 R>>\nendobj',
        ],
        1,
      ),
    );
    expect(Object.fromEntries(map)).toEqual({ a: 2, 'b(1)': 3 });
  });
  it('gives an empty map for what it cannot read', () => {
    expect(destinationPages(new TextEncoder().encode('not a pdf')).size).toBe(0);
    expect(destinationPages(pdf(tree, 1)).size).toBe(0);
  });
});
