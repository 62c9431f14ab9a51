/**
 * The default Zeichenerklärung of the statistics offices (`read.symbols`), without zod, so that the
 * ingest messages can name it without loading the schema.
 */
export const DEFAULT_SYMBOLS = {
  zero: ['-'],
  missing: ['', '.', '...', '/', 'x', '()'],
  suppressed: ['*'],
} as const satisfies Record<'zero' | 'missing' | 'suppressed', readonly string[]>;
