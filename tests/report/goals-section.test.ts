/** The Zielübersicht blocks: masked values only as "gesperrt", user text escaped in HTML and Markdown. */
import { describe, expect, it } from 'vitest';
import { goalBlocks, goalsOf } from '../../src/report/page-goals.js';
import { pageHtml } from '../../src/report/html.js';
import { pageMarkdown } from '../../src/report/markdown.js';
import type { GoalEvaluation } from '../../src/steering/goals.js';
import type { Page } from '../../src/report/types.js';

const base: GoalEvaluation = {
  goal_id: 'z',
  titel: 'Ziel <script>alert(1)</script> | Pipe',
  handlungsfeld: 'Feld',
  verantwortlich: 'Amt',
  beschreibung: null,
  teil: 'gebiet',
  gruppe: null,
  area_id: '05558016',
  area_name: 'Dülmen',
  level: 'kommune',
  kommune_ags: '05558016',
  indicator_id: 'u7a',
  indicator_title: 'U7a',
  unit: 'percent',
  zielart: 'zielwert',
  richtung: 'sinken',
  zielwert: 4,
  startjahr: 2019,
  zieljahr: 2026,
  start_value: 7.8,
  start_status: 'ok',
  current_year: 2024,
  current_value: null,
  ci_low: null,
  ci_high: null,
  current_status: 'masked',
  path_value: null,
  path_diff: null,
  verdict: 'nicht_beurteilbar',
  gesichert: null,
  reason: 'Aktueller Wert 2024: gesperrt (aus Datenschutzgründen nicht ausgewiesen).',
  caveat: '',
  meilensteine: [{ jahr: 2022, soll: 6, ist: null, status: 'masked', erreicht: null }],
  counts: null,
};

function page(blocks: Page['blocks']): Page {
  return { name: 'p', title: 'T', h1: 'T', synthetic: false, nav: [], blocks, footer: [] };
}

describe('Zielübersicht', () => {
  it('shows a masked value as gesperrt and escapes the goal text', () => {
    const blocks = goalBlocks([base], [], 'Dülmen');
    const html = pageHtml(page(blocks));
    const md = pageMarkdown(page(blocks));
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    expect(md).toContain('2024: gesperrt');
    expect(md).toContain('2022: Soll 6,0, Ist gesperrt');
    expect(md).not.toMatch(/Ziel <script>alert\(1\)<\/script> \| Pipe/);
  });

  it("a page gets only its Kommune's goals, the Kreis page those without a Kommune; none: no section", () => {
    const kreis = { ...base, goal_id: 'k', area_id: '05558', kommune_ags: null, level: 'kreis' };
    expect(goalsOf([base, kreis], '05558016').map((e) => e.goal_id)).toEqual(['z']);
    expect(goalsOf([base, kreis], null).map((e) => e.goal_id)).toEqual(['k']);
    expect(goalBlocks(goalsOf([base], '05558012'), [], 'Coesfeld')).toEqual([]);
  });
});
