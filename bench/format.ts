/** Number and table formatting shared by the bench's printouts (German number format). */

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
