/**
 * Page document -> HTML text. Every user string passes `escapeHtml`; chart specs
 * go into `<script type="application/json">` through `jsonForScript`. No
 * external resource: styles and scripts come from `assets/` beside the page.
 */
import type { Block, Cell, Inline, Page } from './types.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import { SYNTHETIC_BANNER } from './labels.js';

/**
 * Tables of at most this many rows are kept on one page in print (`table.short` in report.css): Chromium does
 * not keep a caption with its table, and 15 pages of the sample's Kommunalprofile ended with the first line of
 * a caption whose table stood on the next page. Longer tables (the Kurzprofil's Ampel of 25 Kennzahlen) may
 * split as before, with their header row repeated: kept whole, they left most of a page empty.
 */
export const SHORT_TABLE_ROWS = 20;

export function inlineHtml(parts: readonly Inline[] | string): string {
  if (typeof parts === 'string') return e(parts);
  return parts
    .map((p) => {
      if (typeof p === 'string') return e(p);
      if ('link' in p) return `<a href="${e(p.link)}">${e(p.text)}</a>`;
      if ('strong' in p) return `<strong>${e(p.strong)}</strong>`;
      if ('pageOf' in p) return `<span class="toc-page" data-page-of="${e(p.pageOf)}"></span>`;
      return `<span class="sr-only">${e(p.sr)}</span>`;
    })
    .join('');
}

function cellHtml(c: Cell, tag: 'td' | 'th', scope?: string): string {
  const attrs = [
    scope ? ` scope="${scope}"` : '',
    c.cls ? ` class="${e(c.cls)}"` : '',
    c.title ? ` title="${e(c.title)}"` : '',
  ].join('');
  return `<${tag}${attrs}>${inlineHtml(c.text)}</${tag}>`;
}

const KEEP_WITH_HEADING = new Set<Block['kind']>(['para', 'list', 'chart', 'dl']);
/** A paragraph that only introduces the next block: one bold phrase. */
const isLead = (b: Block) =>
  b.kind === 'para' && b.inlines.length === 1 && typeof b.inlines[0] === 'object' && 'strong' in b.inlines[0];

/** Renders blocks; `charts` numbers the chart specs of the page. */
class HtmlWriter {
  private chartNo = 0;
  /**
   * Headings travel with what follows them: a run of headings and the next short
   * block are wrapped in `div.keep` (break-inside: avoid in print), so no heading
   * is left alone at the foot of a page. Sections and long tables may break; a table of at most
   * SHORT_TABLE_ROWS rows is kept whole by its own class (`table.short`, see the table case).
   */
  render(blocks: readonly Block[]): string {
    const out: string[] = [];
    for (let i = 0; i < blocks.length; i++) {
      if (blocks[i]!.kind !== 'heading' && !isLead(blocks[i]!)) {
        out.push(this.block(blocks[i]!));
        continue;
      }
      const group: Block[] = [];
      while (i < blocks.length && blocks[i]!.kind === 'heading') group.push(blocks[i++]!);
      // a lead-in line ("Signifikant ungünstiger als im Kreis") travels with its list
      if (i < blocks.length && isLead(blocks[i]!) && blocks[i + 1] && KEEP_WITH_HEADING.has(blocks[i + 1]!.kind))
        group.push(blocks[i++]!);
      // short text under a heading (a meta line, a finding) travels on to the first chart
      let texts = 0;
      while (
        texts < 2 &&
        blocks[i]?.kind === 'para' &&
        (blocks[i + 1]?.kind === 'para' || blocks[i + 1]?.kind === 'chart')
      ) {
        group.push(blocks[i++]!);
        texts++;
      }
      const next = blocks[i];
      if (next && KEEP_WITH_HEADING.has(next.kind)) group.push(next);
      else i--;
      const first = group[0]!;
      const pageBreak = first.kind === 'heading' && first.pageBreak;
      out.push(
        `<div class="keep${pageBreak ? ' page-break' : ''}">\n${group.map((b) => this.block(b)).join('\n')}\n</div>`,
      );
    }
    return out.join('\n');
  }
  private block(b: Block): string {
    switch (b.kind) {
      case 'heading':
        return `<h${b.level} id="${e(b.id)}"${b.pageBreak ? ' class="page-break"' : ''}>${e(b.text)}</h${b.level}>`;
      case 'para':
        return `<p${b.cls ? ` class="${e(b.cls)}"` : ''}>${inlineHtml(b.inlines)}</p>`;
      case 'list':
        return `<ul${b.cls ? ` class="${e(b.cls)}"` : ''}>\n${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('\n')}\n</ul>`;
      case 'table': {
        const head = `<thead><tr>${b.head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>`;
        const body = b.rows
          .map(
            (r) =>
              `<tr>${r.map((c, i) => (i === 0 && b.rowHeader ? cellHtml(c, 'th', 'row') : cellHtml(c, 'td'))).join('')}</tr>`,
          )
          .join('\n');
        const foot = b.foot ? `\n<p class="table-note">${e(b.foot)}</p>` : '';
        // a short table is not split in print (report.css), so its caption stays with it
        const cls = [b.cls, b.rows.length <= SHORT_TABLE_ROWS ? 'short' : undefined].filter(Boolean).join(' ');
        return `<div class="table-wrap"><table${cls ? ` class="${e(cls)}"` : ''}>\n<caption>${e(b.caption)}</caption>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>${foot}</div>`;
      }
      case 'chart': {
        const id = `chart-${++this.chartNo}`;
        const links = [
          b.files.png ? `<a href="${e(b.files.png)}">PNG</a>` : '',
          b.files.svg ? `<a href="${e(b.files.svg)}">SVG</a>` : '',
        ].filter(Boolean);
        const img = b.files.png ?? b.files.svg;
        return [
          `<figure class="chart-figure">`,
          `<div class="chart" id="${id}" data-spec="${id}-spec" role="img" aria-label="${e(b.alt)}"></div>`,
          `<script type="application/json" id="${id}-spec">${jsonForScript(b.spec)}</script>`,
          img ? `<noscript><img src="${e(img)}" alt="${e(b.alt)}" width="760"></noscript>` : '',
          `<figcaption>${e(b.caption)}${links.length ? ` <span class="downloads">(für Word: ${links.join(' · ')})</span>` : ''}</figcaption>`,
          `</figure>`,
        ]
          .filter(Boolean)
          .join('\n');
      }
      case 'dl':
        return `<dl>\n${b.items.map(([t, d]) => `<dt>${e(t)}</dt><dd>${e(d)}</dd>`).join('\n')}\n</dl>`;
      case 'details':
        return `<details>\n<summary>${e(b.summary)}</summary>\n${this.render(b.children)}\n</details>`;
      case 'section':
        return `<section id="${e(b.id)}"${b.cls ? ` class="${e(b.cls)}"` : ''}>\n${this.render(b.children)}\n</section>`;
    }
  }
}

/** The whole page. Same page model -> same bytes (no dates, no random ids). */
export function pageHtml(page: Page): string {
  const nav = page.nav
    .map((n) => `<li><a href="${e(n.href)}"${n.current ? ' aria-current="page"' : ''}>${e(n.text)}</a></li>`)
    .join('');
  const banner = page.synthetic
    ? `<p class="synthetic" role="note"><strong>Hinweis:</strong> ${e(SYNTHETIC_BANNER)}</p>`
    : '';
  return `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="spm">
<title>${e(page.title)}</title>
<link rel="stylesheet" href="assets/report.css">
</head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header class="site">
<nav aria-label="Berichte"><ul>${nav}</ul></nav>
</header>
<main id="inhalt">
<h1>${e(page.h1)}</h1>
${banner}
${new HtmlWriter().render(page.blocks)}
</main>
<footer class="site">
${page.footer.map((f) => `<p>${e(f)}</p>`).join('\n')}
${banner}
</footer>
<div id="spm-tooltip" role="tooltip" hidden></div>
<script src="assets/vega.min.js"></script>
<script src="assets/vega-lite.min.js"></script>
<script src="assets/report.js"></script>
</body>
</html>
`;
}
