/**
 * Column types the filter language checks literals against. The filter
 * language is a leaf below config (config validates filters with it), so it
 * names the types itself; tests/layers.test.ts checks they equal config's
 * `ColumnType`.
 */
export const FILTER_COLUMN_TYPES = ['count', 'number', 'integer', 'text', 'boolean'] as const;
export type ColumnType = (typeof FILTER_COLUMN_TYPES)[number];
