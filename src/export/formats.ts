/** The table formats of `spm compute` (a module of its own: the CLI reads it without loading the exporter). */
export type ExportFormat = 'csv' | 'parquet' | 'arrow' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'parquet', 'arrow', 'json'];
