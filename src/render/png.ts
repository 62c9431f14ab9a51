/**
 * SVG -> PNG with resvg and the bundled DejaVu fonts (no system fonts: the same
 * pixels on every machine), at print resolution with the dpi written into the
 * PNG (pHYs chunk) so word processors place it at its physical size.
 *
 * The placed size follows the chart: one print scale for every chart (`MM_PER_PX`),
 * so its 12-px text prints at about 7 pt whether the chart is a column (400 px,
 * 85 mm) or the page (760 px, 159 mm) wide. A chart wider than the 170-mm text
 * width of an A4 page is shrunk to it.
 */
import { Resvg } from '@resvg/resvg-js';
import { fontFiles, FONT_FAMILY } from '../charts/text-width.js';
import { printWidthMm, svgSize } from './print-size.js';

export { MAX_WIDTH_MM, MM_PER_PX, printWidthMm, svgSize } from './print-size.js';

export interface PngOptions {
  /** Resolution (default 300). */
  dpi?: number;
  /** Printed width in mm (default: the SVG's width at `MM_PER_PX`, at most 170 mm). */
  widthMm?: number;
  /** The chart's title, as PNG text `Title` (Word and image viewers show it). */
  title?: string;
  /** Its alt text, as PNG text `Description` (the SVG's aria-label). */
  description?: string;
}

/** Pixel width for a print width: 85 mm at 300 dpi = 1004 px. */
export function pixelWidth(o: PngOptions = {}): number {
  return Math.round(((o.widthMm ?? 85) / 25.4) * (o.dpi ?? 300));
}

export function renderPng(svg: string, o: PngOptions = {}): Buffer {
  const widthMm = o.widthMm ?? printWidthMm(svgSize(svg).width || 416);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: pixelWidth({ ...o, widthMm }) },
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    background: '#ffffff',
    shapeRendering: 2,
    textRendering: 1,
  });
  const png = withDpi(Buffer.from(resvg.render().asPng()), o.dpi ?? 300);
  return withText(png, { Title: o.title, Description: o.description });
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Insert (or replace) the pHYs chunk after IHDR: pixels per metre for `dpi`. */
export function withDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const body = Buffer.alloc(13);
  body.write('pHYs', 0, 'latin1');
  body.writeUInt32BE(ppm, 4);
  body.writeUInt32BE(ppm, 8);
  body.writeUInt8(1, 12);
  const chunk = Buffer.alloc(4 + 13 + 4);
  chunk.writeUInt32BE(9, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), 17);
  // Drop an existing pHYs; IHDR is always the first chunk (8 + 25 bytes).
  const parts: Buffer[] = [png.subarray(0, 33), chunk];
  for (let off = 33; off < png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const end = off + 12 + len;
    if (type !== 'pHYs') parts.push(png.subarray(off, end));
    off = end;
  }
  return Buffer.concat(parts);
}

function chunk(type: string, body: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const out = Buffer.alloc(8 + body.length + 4);
  out.writeUInt32BE(body.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + body.length);
  return out;
}

/** Latin-1 for a tEXt chunk: dashes, quotes and the ellipsis folded, anything else outside it as "?". */
function latin1(text: string): string {
  return text
    .replace(/[\u2013\u2014\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/\u2026/g, '...')
    .replace(/[\u2009\u202f]/g, ' ')
    .replace(/[^\u0020-\u007e\u00a0-\u00ff\n]/g, '?');
}

/**
 * Add text chunks before the image data: `tEXt` (Latin-1, what most readers take), and where the
 * text has characters beyond Latin-1 (an en dash) also `iTXt` with the exact UTF-8 text.
 * Empty values are left out; existing chunks with the same keyword are replaced.
 */
export function withText(png: Buffer, texts: Record<string, string | undefined>): Buffer {
  const entries = Object.entries(texts).filter((e): e is [string, string] => !!e[1]?.trim());
  if (!entries.length) return png;
  const added: Buffer[] = [];
  for (const [key, raw] of entries) {
    const value = raw.trim().replace(/\s+/g, ' ');
    const plain = latin1(value);
    added.push(
      chunk('tEXt', Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0]), Buffer.from(plain, 'latin1')])),
    );
    if (plain !== value)
      // keyword, 0, compression flag 0, method 0, no language tag, no translated keyword, UTF-8 text
      added.push(
        chunk(
          'iTXt',
          Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(value, 'utf8')]),
        ),
      );
  }
  const keys = new Set(entries.map(([k]) => k));
  const parts: Buffer[] = [png.subarray(0, 33)];
  let placed = false;
  for (let off = 33; off < png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const end = off + 12 + len;
    if (!placed && (type === 'IDAT' || type === 'IEND')) {
      parts.push(...added);
      placed = true;
    }
    const key = type === 'tEXt' || type === 'iTXt' ? png.toString('latin1', off + 8, png.indexOf(0, off + 8)) : '';
    if (!keys.has(key)) parts.push(png.subarray(off, end));
    off = end;
  }
  return Buffer.concat(parts);
}

/** The text chunks of a PNG by keyword (iTXt, UTF-8, over tEXt). */
export function pngText(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (let off = 33; off + 8 < png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const body = png.subarray(off + 8, off + 8 + len);
    const nul = body.indexOf(0);
    if (type === 'tEXt') out[body.toString('latin1', 0, nul)] ??= body.toString('latin1', nul + 1);
    if (type === 'iTXt') {
      // skip compression flag and method, then the language tag and translated keyword (each NUL-ended)
      const lang = body.indexOf(0, nul + 3);
      const translated = body.indexOf(0, lang + 1);
      out[body.toString('latin1', 0, nul)] = body.toString('utf8', translated + 1);
    }
    off += 12 + len;
  }
  return out;
}

/** Width, height and dpi from a PNG's IHDR and pHYs. */
export function pngInfo(png: Buffer): { width: number; height: number; dpi?: number } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  for (let off = 33; off + 8 < png.length; ) {
    const len = png.readUInt32BE(off);
    if (png.toString('latin1', off + 4, off + 8) === 'pHYs') {
      return { width, height, dpi: Math.round(png.readUInt32BE(off + 8) * 0.0254) };
    }
    off += 12 + len;
  }
  return { width, height };
}
