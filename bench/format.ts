/** Number and table formatting shared by the bench's printouts (German number format), and their median. */

/** `n` with exactly `digits` decimals in German format; "-" for NaN or Infinity. */
export const de = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';

/** Rows as aligned columns (three spaces apart): the columns in `alignLeft` left-aligned, the others right-aligned. */
export function table(rows: string[][], alignLeft: number[] = [0]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (alignLeft.includes(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** The median of the finite values (NaN when there are none). */
export function median(xs: readonly number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}
