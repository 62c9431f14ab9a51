/**
 * `spm report --kommune X` writes the pages of X only: the index and the navigation link
 * only to pages that are in the report folder. Into an empty folder that is X alone (the
 * other Kommunen stay in the overview table as text); after a full run the other pages
 * stay in the folder and keep their links.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRun } from '../../src/run/report-run.js';

const mini = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
let out: string;

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-report-links-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Targets of the page links (other pages of the report, no anchors, no assets) in an HTML or Markdown page. */
function pageLinks(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const re = file.endsWith('.html') ? /href="((?:kommune|kurzprofil)-[^"#]+)/g : /\]\(((?:kommune|kurzprofil)-[^)#]+)/g;
  return [...new Set([...text.matchAll(re)].map((m) => m[1]!))].sort();
}

describe('report over a selection of Kommunen', () => {
  it('into an empty folder: links only to the pages written, the others named without a link', async () => {
    const r = await reportRun(mini, { out: path.join(out, 'a'), kommunen: ['05558012'], cache: false });
    const pages = fs.readdirSync(r.dir).filter((f) => /^kommune-.*\.html$/.test(f));
    expect(pages).toEqual(['kommune-05558012.html']);
    for (const f of [
      'index.html',
      'index.md',
      'kommune-05558012.html',
      'kommune-05558012.md',
      'kurzprofil-05558012.html',
    ]) {
      const links = pageLinks(path.join(r.dir, f));
      for (const l of links) expect(fs.existsSync(path.join(r.dir, l)), `${f} -> ${l}`).toBe(true);
    }
    expect(pageLinks(path.join(r.dir, 'index.html'))).toEqual(['kommune-05558012.html']);
    const index = fs.readFileSync(path.join(r.dir, 'index.html'), 'utf8');
    // Ascheberg stays in the overview table, as text
    expect(index).toMatch(/<th[^>]*>Ascheberg<\/th>/);
  }, 120_000);

  it('after a full run: the pages left in the folder keep their links', async () => {
    const dir = path.join(out, 'b');
    await reportRun(mini, { out: dir, cache: false });
    const r = await reportRun(mini, { out: dir, kommunen: ['05558012'], cache: false });
    expect(pageLinks(path.join(r.dir, 'index.html'))).toEqual(['kommune-05558004.html', 'kommune-05558012.html']);
    for (const l of pageLinks(path.join(r.dir, 'index.md'))) expect(fs.existsSync(path.join(r.dir, l))).toBe(true);
  }, 120_000);
});
