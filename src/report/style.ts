/**
 * The report stylesheet (`assets/report.css`): screen and A4 print. Colours meet
 * WCAG AA (normal text ≥ 4.5:1 on its background); significance is carried by
 * symbol and words as well as by the cell tint, so greyscale print loses nothing.
 */
export const REPORT_CSS = `@font-face { font-family: 'DejaVu Sans'; src: url('fonts/DejaVuSans.ttf') format('truetype'); font-weight: normal; font-style: normal; }
@font-face { font-family: 'DejaVu Sans'; src: url('fonts/DejaVuSans-Bold.ttf') format('truetype'); font-weight: bold; font-style: normal; }
:root { --text: #1a1a1a; --muted: #4d4d4d; --link: #0b4f8a; --line: #c8c8c8; --head: #eef2f6; }
* { box-sizing: border-box; }
html { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 15px; color: var(--text); background: #ffffff; line-height: 1.5; }
body { margin: 0; }
main, header.site, footer.site { max-width: 64rem; margin: 0 auto; padding: 0 1.25rem; }
a { color: var(--link); }
a:focus-visible, summary:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #ffffff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { border-bottom: 1px solid var(--line); padding-top: .5rem; padding-bottom: .5rem; }
header.site ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .9rem; }
header.site a[aria-current] { font-weight: bold; color: var(--text); text-decoration: none; }
h1, h2, h3, h4, caption, dd { overflow-wrap: break-word; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 1.2rem 0 .6rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.2rem; margin: 1.8rem 0 .4rem; }
h4 { font-size: 1.05rem; margin: 1.6rem 0 .3rem; }
p.synthetic { background: #fff4d6; border: 1px solid #8a6d00; padding: .5rem .75rem; }
p.meta { color: var(--muted); margin-top: 0; }
ul.findings li { margin-bottom: .35rem; }
.table-wrap { overflow-x: auto; margin: .75rem 0 1.25rem; position: relative; }
table { border-collapse: collapse; font-size: .85rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .2rem .45rem; vertical-align: top; text-align: left; }
thead th { background: var(--head); }
tbody th { font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.masked { color: var(--muted); font-style: italic; }
td.note { color: var(--muted); font-size: .8rem; }
th.total { font-weight: bold; }
.sig-worse { background: #fbd9c6; }
.sig-better { background: #d3eaf8; }
.sig-nd { background: #f2f2f2; }
.sig-higher { background: #e6dcf1; }
.sig-lower { background: #f1ebf5; }
.sig-masked, .sig-none { background: #ffffff; color: var(--muted); }
td.sig { white-space: nowrap; }
table.matrix { font-size: .75rem; }
table.matrix td.sig { text-align: center; white-space: nowrap; }
/* every column from the third on (the Kreis or Stadt, else "Jahr" and then it) stands upright: its name is
   longer than its values ("Stadt" was cut to "Sta" in the printed matrix of München) */
table.matrix thead th:nth-child(n+3) { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; vertical-align: bottom; text-align: left; }
td.ampel::before { content: '\\25CF\\00a0'; }
td.ampel-rot::before { color: #b3261e; }
td.ampel-gelb::before { color: #a66f00; }
td.ampel-gruen::before { color: #1e7b34; }
.table-note { font-size: .8rem; color: var(--muted); }
figure.chart-figure { margin: 1rem 0 1.5rem; }
ul.toc { list-style: none; padding-left: 0; columns: 2; font-size: .9rem; }
ul.toc li.toc-3 { padding-left: 1.2rem; }
ul.toc li { display: flex; align-items: baseline; break-inside: avoid; }
ul.toc li a { flex: 0 1 auto; }
.toc-page { display: none; }
.chart { min-height: 2rem; }
.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .25rem; }
details { margin: .5rem 0 1rem; }
summary { cursor: pointer; color: var(--link); }
dl { display: grid; grid-template-columns: minmax(0, 12rem) minmax(0, 1fr); gap: .2rem 1rem; font-size: .9rem; }
dt { font-weight: bold; }
dd { margin: 0; }
footer.site { border-top: 1px solid var(--line); margin-top: 3rem; padding-top: .5rem; padding-bottom: 2rem; font-size: .85rem; color: var(--muted); }
#spm-tooltip { position: absolute; z-index: 20; background: #ffffff; color: var(--text); border: 1px solid #1a1a1a; padding: .35rem .5rem; font-size: .8rem; pointer-events: none; box-shadow: 0 2px 6px rgba(0,0,0,.25); max-width: 22rem; }
#spm-tooltip table { font-size: .8rem; }
#spm-tooltip th, #spm-tooltip td { border: 0; padding: 0 .4rem 0 0; }
@media screen and (max-width: 40rem) {
  main, header.site, footer.site { padding-left: .75rem; padding-right: .75rem; }
  h1 { font-size: 1.5rem; }
  dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dd { margin-bottom: .4rem; }
  ul.toc { columns: 1; }
}
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
@media print {
  html { font-size: 10pt; }
  header.site, .skip, .downloads, #spm-tooltip, summary { display: none; }
  main, footer.site { max-width: none; padding: 0; }
  section.family, .page-break { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  div.keep { break-inside: avoid; }
  nav.toc, .kurz h2 { break-after: avoid; }
  /* the page number box has its width in both print passes, empty or filled, so the list never reflows */
  ul.toc .toc-page { display: flex; flex: 1 0 2.6em; padding-right: .8em; font-variant-numeric: tabular-nums; }
  ul.toc .toc-page::before { content: ''; flex: 1; margin: 0 .3em .25em; border-bottom: 1px dotted #8c8c8c; }
  .kurz figure.chart-figure { margin: .25rem 0; }
  .kurz .chart svg { max-height: 172mm; width: auto; margin: 0 auto; }
  .kurz table { font-size: 8pt; }
  figure.chart-figure, tr, dl { break-inside: avoid; }
  thead { display: table-header-group; }
  /* a caption and header row never stand alone at the foot of a page */
  caption, thead { break-after: avoid; }
  tbody tr:first-child { break-before: avoid; }
  /* Chromium does not keep a caption with its table: a short one (SHORT_TABLE_ROWS in html.ts) is not split */
  table.short { break-inside: avoid; }
  /* nor is a part of the matrix (at most MATRIX_AREAS_PER_TABLE columns at 6pt: it fits a page) */
  table.matrix { break-inside: avoid; }
  /* closed details print their table: Chromium hides their content with content-visibility on ::details-content, where it
     still takes its space (a blank page where a series table should be); a short table is not split */
  details > :not(summary) { display: block; }
  details::details-content { content-visibility: visible; }
  details table { break-inside: avoid; }
  /* every table fits the A4 column at full size: a wider one made Chromium shrink the whole document (to 69-77 %).
     Cells wrap at spaces and hyphens (Chromium has no German hyphenation dictionary: hyphens:auto does nothing) */
  .table-wrap { overflow: visible; }
  table { width: 100%; font-size: 8pt; }
  th, td { padding: .1rem .25rem; }
  td.num, td.sig { white-space: normal; }
  td.ci { min-width: 5.5em; }
  td.note { font-size: 7pt; }
  a { color: var(--text); text-decoration: none; }
  p.synthetic { border-width: 2px; }
  /* the matrix: fixed columns, the Kommunen share the width equally; a cell wraps when there are many of them */
  table.matrix { font-size: 6pt; table-layout: fixed; }
  table.matrix th, table.matrix td { padding: .1rem .1rem; }
  table.matrix thead th:first-child { width: 17%; }
  table.matrix thead th:nth-child(2) { width: 10%; }
  table.matrix td.sig { white-space: normal; }
}
`;
