/**
 * One German CSV file cut into one file per value of its first column, byte for byte.
 *
 * The comparison per Kommune (`vergleich_<AGS>.csv`) holds the rows of `vergleich_alle.csv`
 * whose first column is that AGS, in the same order, under the same header: DuckDB formats every
 * row on its own, so the lines of the whole file are the lines of each part. Cutting the written
 * file costs a scan of about 100 KB instead of a second (partitioned) COPY, which for a small
 * project took more CPU than all the rows it wrote.
 */
import { safeTextJs } from './csv.js';

/**
 * The records of a CSV written by DuckDB with `CSV_COPY_OPTIONS` (`;`, `"` quoting with `""` inside,
 * CRLF): [start, end) byte ranges, the CRLF included; null when the text does not end with one.
 */
function records(buf: Buffer): [number, number][] | null {
  const out: [number, number][] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x22) quoted = !quoted;
    else if (!quoted && b === 0x0d && buf[i + 1] === 0x0a) {
      out.push([start, i + 2]);
      start = i + 2;
      i++;
    }
  }
  return start === buf.length && !quoted ? out : null;
}

/** The text of the first field of the record [s, e) (unquoted); null when it is not well formed. */
function firstField(buf: Buffer, s: number, e: number): string | null {
  const end = e - 2; // before the CRLF
  if (buf[s] === 0x22) {
    const parts: Buffer[] = [];
    for (let i = s + 1; ; ) {
      const j = buf.indexOf(0x22, i);
      if (j < 0 || j >= end) return null;
      parts.push(buf.subarray(i, j));
      if (buf[j + 1] === 0x22) {
        parts.push(Buffer.from('"'));
        i = j + 2;
      } else return j + 1 === end || buf[j + 1] === 0x3b ? Buffer.concat(parts).toString('utf8') : null;
    }
  }
  const j = buf.indexOf(0x3b, s);
  return buf.subarray(s, j < 0 || j > end ? end : j).toString('utf8');
}

/**
 * The parts of `whole` for `keys`: header + that key's records, in file order. Undefined when the
 * file is not as expected (a record whose first field is not text of a key and not another key's,
 * or a key whose row count differs from `counts`): the caller then writes the parts on its own.
 * Keys are compared as the CSV shows them (with the formula guard's apostrophe).
 */
export function splitCsvByFirstColumn(
  whole: Buffer,
  keys: readonly string[],
  counts: ReadonlyMap<string, number>,
): Map<string, Buffer> | undefined {
  const recs = records(whole);
  if (!recs || recs.length === 0) return undefined;
  const [header, ...rows] = recs as [[number, number], ...[number, number][]];
  const shown = new Map(keys.map((k) => [safeTextJs(k), k]));
  if (shown.size !== keys.length) return undefined; // two keys shown alike ("=1" and "'=1")
  const byKey = new Map<string, Buffer[]>(keys.map((k) => [k, [whole.subarray(header[0], header[1])]]));
  for (const [s, e] of rows) {
    const field = firstField(whole, s, e);
    if (field === null) return undefined;
    const key = shown.get(field);
    // rows of a key without a file of its own are not written (as the partitioned COPY did)
    if (key !== undefined) byKey.get(key)?.push(whole.subarray(s, e));
  }
  const out = new Map<string, Buffer>();
  for (const k of keys) {
    const parts = byKey.get(k) as Buffer[];
    if (parts.length - 1 !== (counts.get(k) ?? 0)) return undefined;
    out.set(k, Buffer.concat(parts));
  }
  return out;
}
