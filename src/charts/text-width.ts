/**
 * Text widths in DejaVu Sans, read from the bundled TTF files (`hmtx` advance
 * widths via `cmap`). Used twice: the builders wrap titles and notes to the
 * chart width, and the renderer hands the same function to Vega
 * (`textMetrics.width`) instead of its estimate `0.8 × length × size`, which
 * over-measures DejaVu by ~40 % and truncates axis labels early. Kerning is
 * ignored (a few tenths of a pixel per label).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const FONT_FAMILY = 'DejaVu Sans';

/** Paths of the TTF files shipped with `dejavu-fonts-ttf` (regular, bold, oblique, bold oblique). */
export function fontFiles(): string[] {
  const dir = fontDir();
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) =>
    path.join(dir, f),
  );
}

let dirCache: string | undefined;
function fontDir(): string {
  if (dirCache) return dirCache;
  const require = createRequire(import.meta.url);
  // The package has no "main"; its package.json is the anchor.
  return (dirCache = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
}

interface Metrics {
  unitsPerEm: number;
  advance: Map<number, number>;
  fallback: number;
}

function parseTtf(buf: Buffer): Metrics {
  const numTables = buf.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const at = (t: string): number => {
    const o = tables.get(t);
    if (o === undefined) throw new Error(`TTF: Tabelle ${t} fehlt`);
    return o;
  };
  const unitsPerEm = buf.readUInt16BE(at('head') + 18);
  const numHMetrics = buf.readUInt16BE(at('hhea') + 34);
  const hmtx = at('hmtx');
  const adv = (gid: number): number => buf.readUInt16BE(hmtx + 4 * Math.min(gid, numHMetrics - 1));
  // cmap: the Unicode BMP subtable in format 4.
  const cmap = at('cmap');
  const n = buf.readUInt16BE(cmap + 2);
  let sub = -1;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + i * 8;
    const pid = buf.readUInt16BE(rec);
    const eid = buf.readUInt16BE(rec + 2);
    const off = cmap + buf.readUInt32BE(rec + 4);
    if (buf.readUInt16BE(off) === 4 && ((pid === 3 && eid === 1) || pid === 0)) sub = off;
  }
  const advance = new Map<number, number>();
  if (sub >= 0) {
    const segX2 = buf.readUInt16BE(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s++) {
      const end = buf.readUInt16BE(ends + 2 * s);
      const start = buf.readUInt16BE(starts + 2 * s);
      const delta = buf.readInt16BE(deltas + 2 * s);
      const rangeOff = buf.readUInt16BE(ranges + 2 * s);
      // Latin, punctuation, symbols and dashes are all charts need.
      for (let c = start; c <= Math.min(end, 0x2fff); c++) {
        let gid: number;
        if (rangeOff === 0) gid = (c + delta) & 0xffff;
        else {
          const g = buf.readUInt16BE(ranges + 2 * s + rangeOff + 2 * (c - start));
          gid = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (gid !== 0) advance.set(c, adv(gid));
      }
    }
  }
  return { unitsPerEm, advance, fallback: advance.get(0x6e) ?? unitsPerEm * 0.6 };
}

const metricsCache = new Map<string, Metrics>();
function metrics(bold: boolean): Metrics {
  const key = bold ? 'bold' : 'regular';
  let m = metricsCache.get(key);
  if (!m) {
    m = parseTtf(fs.readFileSync(path.join(fontDir(), bold ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf')));
    metricsCache.set(key, m);
  }
  return m;
}

/** Width in px of `text` set in DejaVu Sans at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const m = metrics(bold);
  let units = 0;
  for (const ch of text) units += m.advance.get(ch.codePointAt(0)!) ?? m.fallback;
  return (units * fontSize) / m.unitsPerEm;
}

/** Greedy word wrap to `maxWidth` px; words longer than a line stay whole. */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && textWidth(candidate, fontSize, bold) > maxWidth) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    if (line) lines.push(line);
  }
  return lines;
}
