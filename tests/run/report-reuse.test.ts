/**
 * `spm report` draws a chart only when no earlier file of the same spec exists: a
 * second run copies its own charts, a run after `spm compute` copies compute's
 * charts, a changed file is drawn again; the copied files have the rendered bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportRun } from '../../src/run/report-run.js';
import { computeRun } from '../../src/run/compute-run.js';

const MINI = path.resolve(import.meta.dirname, '..', 'fixtures', 'mini');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-report-reuse-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every chart file below `dir/charts` with its bytes. */
function charts(dir: string): Map<string, Buffer> {
  const base = path.join(dir, 'charts');
  const out = new Map<string, Buffer>();
  for (const f of fs.readdirSync(base, { recursive: true, encoding: 'utf8' }).sort())
    if (f.endsWith('.svg')) out.set(f, fs.readFileSync(path.join(base, f)));
  return out;
}

describe('report chart reuse', () => {
  const proj = path.join(tmp, 'mini');
  fs.cpSync(MINI, proj, { recursive: true });

  it('a second run copies its own charts; a changed file is drawn again', async () => {
    const out = path.join(tmp, 'berichte');
    const a = await reportRun(proj, { out });
    expect(a.charts.reused).toBe(0);
    expect(a.charts.rendered).toBeGreaterThan(5);
    const first = charts(a.dir);
    expect(first.size).toBe(a.charts.rendered);
    const html = fs.readFileSync(a.index, 'utf8');

    const b = await reportRun(proj, { out });
    expect(b.charts).toEqual({ rendered: 0, reused: a.charts.rendered });
    expect(charts(b.dir)).toEqual(first);
    expect(fs.readFileSync(b.index, 'utf8')).toBe(html);

    // a file edited by hand is not the one spm wrote: drawn again, the others copied
    const [name] = [...first.keys()];
    fs.writeFileSync(path.join(b.dir, 'charts', name!), '<svg/>');
    const c = await reportRun(proj, { out });
    expect(c.charts).toEqual({ rendered: 1, reused: a.charts.rendered - 1 });
    expect(charts(c.dir)).toEqual(first);
  }, 240_000);

  it('after spm compute, the report copies compute’s charts of the same spec', async () => {
    await computeRun(proj, {});
    const out = path.join(tmp, 'andere');
    const r = await reportRun(proj, { out });
    expect(r.charts.reused).toBeGreaterThan(0);
    expect(r.charts.rendered + r.charts.reused).toBe(charts(r.dir).size);
    expect(charts(r.dir)).toEqual(charts(path.join(tmp, 'berichte', 'mini')));
  }, 240_000);
});
