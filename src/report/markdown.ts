/**
 * Page document -> Markdown for Word and wiki authors: the same headings, sentences
 * and tables, charts as PNG links (`![alt](charts/….png)`). User text passes `escapeMd`.
 */
import type { Block, Cell, Inline, Page } from './types.js';
import { escapeMd as m } from './escape.js';
import { SYNTHETIC_BANNER } from './labels.js';

function inlineMd(parts: readonly Inline[] | string): string {
  if (typeof parts === 'string') return m(parts);
  return parts
    .map((p) => {
      if (typeof p === 'string') return m(p);
      if ('link' in p)
        return `[${m(p.text)}](${p.link.replace(/\.html(#|$)/, '.md$1').replace(/[()\s]/g, encodeURIComponent)})`;
      if ('strong' in p) return `**${m(p.strong.trim())}**${/\s$/.test(p.strong) ? ' ' : ''}`;
      // sr-only text and printed page numbers have no place in Markdown
      return '';
    })
    .join('');
}

const cellMd = (c: Cell): string => inlineMd(c.text) || ' ';

function blockMd(b: Block, out: string[]): void {
  switch (b.kind) {
    case 'heading':
      out.push(`${'#'.repeat(b.level)} ${m(b.text)}`);
      break;
    case 'para':
      out.push(b.cls === 'synthetic' ? `> ${inlineMd(b.inlines)}` : inlineMd(b.inlines));
      break;
    case 'list':
      out.push(b.items.map((i) => `- ${inlineMd(i)}`).join('\n'));
      break;
    case 'table': {
      const lines = [
        `*${m(b.caption)}*`,
        '',
        `| ${b.head.map(m).join(' | ')} |`,
        `|${b.head.map(() => ' --- |').join('')}`,
      ];
      for (const r of b.rows) lines.push(`| ${r.map(cellMd).join(' | ')} |`);
      if (b.foot) lines.push('', m(b.foot));
      out.push(lines.join('\n'));
      break;
    }
    case 'chart':
      if (b.files.png)
        out.push(
          `![${m(b.alt)}](${b.files.png})\n\n*${m(b.caption)}* ${b.files.svg ? `([SVG](${b.files.svg}))` : ''}`.trimEnd(),
        );
      else if (b.files.svg) out.push(`![${m(b.alt)}](${b.files.svg})\n\n*${m(b.caption)}*`);
      else out.push(`*${m(b.caption)}* (Diagramm im HTML-Bericht)`);
      break;
    case 'dl':
      out.push(b.items.map(([t, d]) => `- **${m(t)}:** ${m(d)}`).join('\n'));
      break;
    case 'details':
      out.push(`**${m(b.summary)}**`);
      for (const c of b.children) blockMd(c, out);
      break;
    case 'section':
      for (const c of b.children) blockMd(c, out);
      break;
  }
}

export function pageMarkdown(page: Page): string {
  const out: string[] = [`# ${m(page.h1)}`];
  if (page.synthetic) out.push(`> **Hinweis:** ${m(SYNTHETIC_BANNER)}`);
  out.push(
    page.nav
      .map((n) => (n.current ? `**${m(n.text)}**` : `[${m(n.text)}](${n.href.replace(/\.html$/, '.md')})`))
      .join(' · '),
  );
  for (const b of page.blocks) blockMd(b, out);
  out.push('---', ...page.footer.map(m));
  return out.join('\n\n') + '\n';
}
