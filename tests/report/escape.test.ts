/** One escaping function for HTML, one for JSON in script tags, one for Markdown. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMd, jsonForScript, safeId } from '../../src/report/escape.js';
import { pageHtml } from '../../src/report/html.js';
import { pageMarkdown } from '../../src/report/markdown.js';
import type { Page } from '../../src/report/types.js';

const evil = '<script>alert(1)</script>';

describe('escaping', () => {
  it('escapeHtml turns markup into text, attributes included', () => {
    expect(escapeHtml(evil)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeHtml(`a"b'c&d`)).toBe('a&quot;b&#39;c&amp;d');
  });
  it('jsonForScript cannot close the script element and parses back unchanged', () => {
    const v = { name: evil, c: '<!-- x -->', l: 'a\u2028b' };
    const s = jsonForScript(v);
    expect(s).not.toMatch(/</);
    expect(s).not.toMatch(/\u2028/);
    expect(JSON.parse(s)).toEqual(v);
  });
  it('escapeMd keeps names literal in Markdown', () => {
    expect(escapeMd(evil)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMd('a|b *c* [d](e)')).toBe('a\\|b \\*c\\* \\[d\\](e)');
  });
  it('safeId keeps file names inside the folder', () => {
    expect(safeId('../05558012')).toBe('___05558012');
  });
  it('a page with hostile strings everywhere contains no markup from them', () => {
    const page: Page = {
      name: 'x',
      title: evil,
      h1: evil,
      synthetic: true,
      nav: [{ href: 'index.html', text: evil, current: false }],
      blocks: [
        { kind: 'heading', level: 2, text: evil, id: 'h"><script>' },
        { kind: 'para', inlines: [evil, { link: 'a"onclick="x', text: evil }, { strong: evil }] },
        { kind: 'table', caption: evil, head: [evil], rows: [[{ text: evil, title: `"${evil}` }]], rowHeader: true },
        {
          kind: 'chart',
          name: 'n',
          alt: `"${evil}`,
          caption: evil,
          spec: { data: { values: [{ a: evil }] }, mark: 'bar' } as never,
          files: { png: 'charts/a.png' },
        },
        { kind: 'dl', items: [[evil, evil]] },
      ],
      footer: [evil],
    };
    const html = pageHtml(page);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('"><script>');
    expect(html).not.toContain('onclick="x');
    // the only <script> elements are the JSON spec and the three local bundles
    expect(html.match(/<script[ >]/g)).toHaveLength(4);
    const md = pageMarkdown(page);
    expect(md).not.toContain('<script>');
  });
});
