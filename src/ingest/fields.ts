/** Splitting a CSV record into fields, and header-name matching. */

/**
 * Splits one record into fields. Quotes (`"` with `""` escapes) are honoured; a
 * quote inside an unquoted field is kept literally. Returns `null` when a quoted
 * field is still open at the end (the record continues on the next line).
 */
export function splitFields(line: string, delim: string, quote: string): string[] | null {
  if (line.indexOf(quote) < 0) return line.split(delim);
  const out: string[] = [];
  const n = line.length;
  const d = delim.charCodeAt(0);
  const qc = quote.charCodeAt(0);
  let i = 0;
  for (;;) {
    // start of a field: skip leading blanks before an opening quote
    let j = i;
    while (j < n && (line.charCodeAt(j) === 32 || line.charCodeAt(j) === 9) && line.charCodeAt(j) !== d) j++;
    if (j < n && line.charCodeAt(j) === qc) {
      let val = '';
      let k = j + 1;
      let closed = false;
      while (k < n) {
        const next = line.indexOf(quote, k);
        if (next < 0) break;
        val += line.slice(k, next);
        if (next + 1 < n && line.charCodeAt(next + 1) === qc) {
          val += quote;
          k = next + 2;
        } else {
          k = next + 1;
          closed = true;
          break;
        }
      }
      if (!closed) return null;
      // text after the closing quote up to the delimiter is appended (lenient)
      const end = line.indexOf(delim, k);
      if (end < 0) {
        out.push(val + line.slice(k));
        return out;
      }
      out.push(val + line.slice(k, end));
      i = end + 1;
    } else {
      const end = line.indexOf(delim, i);
      if (end < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
}

/** Header text as compared exactly: trimmed, BOM and NBSP removed. */
export function cleanHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .replace(/\u00a0/g, ' ')
    .trim();
}

/** Loose form for the fallback match: lower case, whitespace collapsed. */
export function looseHeader(h: string): string {
  return cleanHeader(h).toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Index of `wanted` in `headers`: exact match after cleaning, else case-insensitive
 * with collapsed whitespace. -1 if not found.
 */
export function findHeader(headers: readonly string[], wanted: string): number {
  const w = cleanHeader(wanted);
  const exact = headers.findIndex((h) => cleanHeader(h) === w);
  if (exact >= 0) return exact;
  const l = looseHeader(wanted);
  return headers.findIndex((h) => looseHeader(h) === l);
}

/** Drops trailing empty fields (Excel's `;;` at line ends). */
export function dropTrailingEmpty(fields: string[]): string[] {
  let n = fields.length;
  while (n > 0 && fields[n - 1]!.trim() === '') n--;
  return n === fields.length ? fields : fields.slice(0, n);
}
