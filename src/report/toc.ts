/**
 * The contents list of a page: its h2 and h3 headings as links. Chromium's print
 * has no `target-counter()`, so the printed list carries no page numbers; the PDF
 * gets the same headings as its outline (bookmarks) and every page its number.
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
  const items: Inline[][] = hs.map((h) => [h.level === 3 ? '\u2003' : '', { link: `#${h.id}`, text: h.text }]);
  return [
    { kind: 'heading', level: 2, text: 'Inhalt', id: 'inhalt-liste' },
    { kind: 'list', items, cls: 'toc' },
  ];
}
