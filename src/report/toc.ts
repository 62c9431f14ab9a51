/**
 * The contents list of a page: its h2 and h3 headings as links, each with a box for
 * its printed page number. Chromium's print has no `target-counter()`, so the PDF
 * print fills the boxes in a second pass (see `pdf.ts`); on screen they are hidden.
 */
import type { Block, Inline } from './types.js';

function headings(blocks: readonly Block[], out: { level: number; text: string; id: string }[]): void {
  for (const b of blocks) {
    // the Steckbriefe (sb-…) are one entry: their 25 titles would drown the contents
    if (b.kind === 'heading' && b.level <= 3 && !b.id.startsWith('sb-'))
      out.push({ level: b.level, text: b.text, id: b.id });
    else if (b.kind === 'section') headings(b.children, out);
  }
}

export function tocBlocks(blocks: readonly Block[]): Block[] {
  const hs: { level: number; text: string; id: string }[] = [];
  headings(blocks, hs);
  if (hs.length < 3) return [];
  const items: Inline[][] = hs.map((h) => [
    h.level === 3 ? '\u2003' : '',
    { link: `#${h.id}`, text: h.text },
    { pageOf: h.id },
  ]);
  return [
    { kind: 'heading', level: 2, text: 'Inhalt', id: 'inhalt-liste' },
    { kind: 'list', items, cls: 'toc' },
  ];
}
