/**
 * Machine-readable description of `kennzahlen.csv`, generated from the
 * published schema: a Frictionless Table Schema (`kennzahlen.schema.json`,
 * https://specs.frictionlessdata.io/table-schema/) with the German CSV dialect,
 * so that tools read area codes as text (leading zeros kept), numbers with the
 * decimal comma and `ja`/`nein` as booleans. Parquet gets the same labels,
 * descriptions and units as key/value metadata.
 */
import { EARLIER_RELEASES_KEY } from '../compute/earlier.js';
import { COLUMNS, type ColumnType, type PublishedColumn } from './schema.js';

const FRICTIONLESS_TYPE: Record<ColumnType, string> = {
  text: 'string',
  int: 'integer',
  double: 'number',
  bool: 'boolean',
};

/** Columns holding codes that look like numbers: read them as text (AGS and Sozialraum ids keep leading zeros). */
export const CODE_COLUMNS = ['area_id', 'kommune_ags'] as const;

/**
 * The project's area levels, when they are not the Kreis hierarchy: `level`
 * then holds the declared names (and grouping names), and `kommune_ags` the codes
 * of the second level, which need not be AGS.
 */
export interface AreaLevelsForSchema {
  levels: readonly string[];
  /** The second level's codes are 8-digit AGS (the Kreis case). */
  ags: boolean;
}

function field(c: PublishedColumn, areas?: AreaLevelsForSchema): Record<string, unknown> {
  const f: Record<string, unknown> = {
    name: c.name,
    type: FRICTIONLESS_TYPE[c.type],
    title: c.label.de,
    description: c.description.de,
    'spm:title_en': c.label.en,
    'spm:description_en': c.description.en,
    'spm:mask': c.mask,
  };
  if ('unit' in c) f['spm:unit'] = c.unit;
  if (c.type === 'double') {
    f.decimalChar = ',';
    f.groupChar = '';
  }
  if (c.type === 'bool') {
    f.trueValues = ['ja'];
    f.falseValues = ['nein'];
  }
  const constraints: Record<string, unknown> = {};
  if (!c.nullable) constraints.required = true;
  if ('values' in c) constraints.enum = c.name === 'level' && areas ? [...areas.levels] : [...c.values];
  if (c.name === 'kommune_ags' && (!areas || areas.ags)) constraints.pattern = '\\d{8}';
  if (Object.keys(constraints).length) f.constraints = constraints;
  return f;
}

/** The Table Schema of `kennzahlen.csv` (the CSV dialect in `spm:dialect`: `;`, UTF-8 with BOM, CRLF). */
export function kennzahlenTableSchema(dataNote: string | null, areas?: AreaLevelsForSchema): Record<string, unknown> {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    title: 'Kennzahlen (spm)',
    description:
      'Eine Zeile je Kennzahl × Ebene × Gebiet × Jahr × Fenster. Gesperrte Zeilen: suppression = gesperrt, status = masked, keine Zahlen. Leere Zelle = kein Wert.',
    ...(dataNote ? { 'spm:data_note': dataNote } : {}),
    'spm:dialect': {
      delimiter: ';',
      decimalChar: ',',
      encoding: 'utf-8-sig',
      lineTerminator: '\r\n',
      quoteChar: '"',
      header: true,
    },
    fields: COLUMNS.map((c) => field(c, areas)),
    missingValues: [''],
    primaryKey: ['indicator_id', 'level', 'area_id', 'year', 'pool_years'],
  };
}

/**
 * Key/value metadata of `kennzahlen.parquet`: the schema's labels, descriptions and units per column,
 * the data note, and the earlier releases the protection took as known (`frueher_veroeffentlicht`,
 * each with its SHA-256; absent when none). The last travels with every copy of the file, so a later
 * run that names this release can ask for the ones before it too (src/compute/earlier.ts).
 */
export function parquetMetadata(
  dataNote: string | null,
  earlier?: readonly { file: string; sha256: string }[],
): Record<string, string> {
  const columns = COLUMNS.map((c) => ({
    name: c.name,
    label: c.label.de,
    label_en: c.label.en,
    description: c.description.de,
    description_en: c.description.en,
    ...('unit' in c ? { unit: c.unit } : {}),
  }));
  return {
    'spm:columns': JSON.stringify(columns),
    ...(dataNote ? { 'spm:data_note': dataNote } : {}),
    ...(earlier?.length ? { [EARLIER_RELEASES_KEY]: JSON.stringify(earlier) } : {}),
  };
}
