/** Published rows as apache-arrow Tables with field metadata from the schema. */
import {
  Bool,
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { COLUMNS, type ColumnType, type KennzahlRow, type PublishedColumn } from './schema.js';

const arrowType = (t: ColumnType): DataType =>
  t === 'int' ? new Int32() : t === 'double' ? new Float64() : t === 'bool' ? new Bool() : new Utf8();

/** Field metadata of a column: German and English label and description, unit, allowed codes. */
export function fieldMetadata(c: PublishedColumn): Map<string, string> {
  const m = new Map<string, string>([
    ['label', c.label.de],
    ['label_en', c.label.en],
    ['description', c.description.de],
    ['description_en', c.description.en],
  ]);
  if ('unit' in c) m.set('unit', c.unit);
  if ('values' in c) m.set('values', c.values.join(','));
  return m;
}

/**
 * Rows -> apache-arrow Table with typed columns (Int32 years, Float64 values,
 * Utf8 text, Bool) and the schema's labels, descriptions and units as field
 * metadata; the data note (e.g. synthetic data) as table metadata.
 */
export function resultsToArrow(rows: readonly KennzahlRow[]): Table {
  const fields = COLUMNS.map((c) => new Field(c.name, arrowType(c.type), true, fieldMetadata(c)));
  const children = COLUMNS.map((c, i) => {
    const values = rows.map((r) => (r as unknown as Record<string, unknown>)[c.name] ?? null);
    const v = vectorFromArray(values as never[], fields[i]!.type as never);
    // one chunk per column: vectorFromArray of a plain array yields a single Data
    return v.data.length === 1 ? v.data[0]! : makeData({ type: fields[i]!.type, length: 0 });
  });
  const dataNote = rows.find((r) => r.data_note != null)?.data_note;
  const schema = new Schema(fields, new Map(dataNote ? [['data_note', dataNote]] : []));
  const data = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children: children as never });
  return new Table(schema, [new RecordBatch(schema, data)]);
}
