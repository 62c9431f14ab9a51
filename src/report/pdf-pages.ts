/**
 * On which page of a printed PDF each link target lies. Chromium writes every
 * target of an internal link (`<a href="#id">`) as a named destination
 * `/id [pageRef /XYZ x y 0]`; the page tree gives each page object its number.
 * Chromium's PDFs (Skia) keep these dictionaries as plain objects, which is all
 * this reader handles: no object streams, no encryption. Anything it cannot read
 * gives an empty map, and the caller prints without page numbers.
 */

/** The text of object `n` up to its `endobj` (dictionaries only; stream bodies are never needed here). */
function objectText(pdf: string, n: number, from: Map<number, number>): string | undefined {
  const at = from.get(n);
  if (at === undefined) return undefined;
  const end = pdf.indexOf('endobj', at);
  return pdf.slice(at, end < 0 ? undefined : end);
}

/** Offsets of `n 0 obj` headers: one pass over the file. */
function objectOffsets(pdf: string): Map<number, number> {
  const map = new Map<number, number>();
  const re = /(?:^|[\r\n])(\d+) 0 obj\b/g;
  for (let m = re.exec(pdf); m; m = re.exec(pdf)) map.set(Number(m[1]), m.index + m[0].length);
  return map;
}

const ref = (dict: string, key: string): number | undefined => {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dict);
  return m ? Number(m[1]) : undefined;
};

/** A PDF name token without its slash: `#xx` escapes decoded, bytes read as UTF-8. */
function decodeName(raw: string): string {
  const bytes = Buffer.from(
    raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );
  return bytes.toString('utf8');
}

/** A PDF literal string `(…)` with its escapes, for name-tree keys. */
function decodeLiteral(raw: string): string {
  const s = raw.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, c: string) =>
    /^[0-7]/.test(c) ? String.fromCharCode(parseInt(c, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }[c] ?? c),
  );
  return Buffer.from(s, 'latin1').toString('utf8');
}

/** Page numbers (1-based) of the named destinations of a PDF. */
export function destinationPages(data: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  const pdf = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  const offsets = objectOffsets(pdf);
  const trailerRoot = /\/Root\s+(\d+)\s+0\s+R/g;
  let root: number | undefined;
  for (let m = trailerRoot.exec(pdf); m; m = trailerRoot.exec(pdf)) root = Number(m[1]); // the last trailer wins
  const catalog = root === undefined ? undefined : objectText(pdf, root, offsets);
  if (!catalog) return out;
  // 1. Page objects in page order: depth-first through the page tree.
  const pageNo = new Map<number, number>();
  const walk = (n: number, depth: number): void => {
    const obj = objectText(pdf, n, offsets);
    if (!obj || depth > 32) return;
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(obj);
    if (/\/Type\s*\/Pages\b/.test(obj) && kids) {
      for (const k of kids[1]!.matchAll(/(\d+)\s+0\s+R/g)) walk(Number(k[1]), depth + 1);
    } else pageNo.set(n, pageNo.size + 1);
  };
  const pages = ref(catalog, 'Pages');
  if (pages === undefined) return out;
  walk(pages, 0);
  // 2. Destinations: a `/Dests` dictionary (Chromium) or a `/Names` tree of them (PDF 1.2+).
  const put = (name: string, target: string) => {
    const m = /^\s*(\d+)\s+0\s+R/.exec(target);
    const p = m ? pageNo.get(Number(m[1])) : undefined;
    if (p !== undefined) out.set(name, p);
  };
  const destsRef = ref(catalog, 'Dests');
  const dests = destsRef === undefined ? undefined : objectText(pdf, destsRef, offsets);
  if (dests) for (const m of dests.matchAll(/\/([^\s/[\]()<>{}%]+)\s*\[([^\]]*)\]/g)) put(decodeName(m[1]!), m[2]!);
  const namesRef = ref(catalog, 'Names');
  const names = namesRef === undefined ? undefined : objectText(pdf, namesRef, offsets);
  const treeRoot = names ? ref(names, 'Dests') : undefined;
  const leaf = (n: number, depth: number): void => {
    const node = objectText(pdf, n, offsets);
    if (!node || depth > 32) return;
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node);
    if (kids) for (const k of kids[1]!.matchAll(/(\d+)\s+0\s+R/g)) leaf(Number(k[1]), depth + 1);
    for (const m of node.matchAll(/\(((?:[^()\\]|\\.)*)\)\s*(?:\[([^\]]*)\]|(\d+)\s+0\s+R)/g)) {
      const target = m[2] ?? objectText(pdf, Number(m[3]), offsets)?.replace(/^[^[]*\[/, '');
      if (target !== undefined) put(decodeLiteral(m[1]!), target.replace(/^\s*<<\s*\/D\s*\[/, ''));
    }
  };
  if (treeRoot !== undefined) leaf(treeRoot, 0);
  return out;
}
