/** German (Excel) formatting of cells: decimal comma, `;`, formula-safe text. */

/** Full-precision number with decimal comma: 12.5 -> "12,5"; no exponent notation. */
export function germanNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(20).replace(/\.?0+$/, '');
  return s.replace('.', ',');
}

/**
 * Text cell for Excel: a leading =, +, -, @, tab or CR would make Excel run it as
 * a formula (CSV injection), so such text gets a leading apostrophe.
 */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Quote a field for a `;`-separated file when needed. */
export function csvField(s: string, delimiter = ';'): string {
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || /^\s|\s$/.test(s)) {
    return '"' + s.replace(/"/g, '""') + '"';
  }
  return s;
}

export function germanCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return germanNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'ja' : 'nein';
  return csvField(safeText(String(v)));
}
