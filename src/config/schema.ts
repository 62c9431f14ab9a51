/**
 * zod schemas for `spm.yaml` (the project file) and indicator files.
 *
 * These schemas are the single source of truth: the YAML loader validates with
 * them, `defineIndicator()` type-checks against them and `spm schema` turns them
 * into JSON Schema for editors. Field names are snake_case because planners
 * write them in YAML.
 */
import { z } from 'zod';
import { GoalsEntrySchema } from './goals-schema.js';
import { SozialindexSchema } from './sozialindex-schema.js';
import { DEFAULT_SYMBOLS } from './symbols.js';

/** Canonical column names and source ids: lower-case ASCII, usable as SQL identifiers. */
export const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'erwartet: Kleinbuchstaben, Ziffern und _ (z. B. "bev_unter_15")');

/** Symbols of the statistics offices' Zeichenerklärung, grouped by meaning. */
export const SymbolsSchema = z
  .object({
    zero: z
      .array(z.string())
      .default([...DEFAULT_SYMBOLS.zero])
      .describe('Zeichen für "genau null" (z. B. "-")'),
    missing: z
      .array(z.string())
      .default([...DEFAULT_SYMBOLS.missing])
      .describe('Zeichen für "unbekannt / nicht verfügbar"'),
    suppressed: z
      .array(z.string())
      .default([...DEFAULT_SYMBOLS.suppressed])
      .describe('Zeichen für "aus Datenschutzgründen gesperrt" (BA: "*")'),
  })
  .strict();

/** How to read a CSV file. Every option may be left out: it is then detected and reported. */
export const ReadOptionsSchema = z
  .object({
    encoding: z.enum(['auto', 'utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be']).default('auto'),
    delimiter: z.enum(['auto', ';', ',', '\t', '|']).default('auto'),
    decimal: z.enum(['auto', 'comma', 'point']).default('auto'),
    thousands: z.enum(['auto', '.', ',', ' ', 'none']).default('auto'),
    quote: z.string().length(1).default('"'),
    skip_top: z
      .union([z.literal('auto'), z.number().int().min(0)])
      .default('auto')
      .describe('Zeilen über der Kopfzeile (Titelzeilen, "sep=;")'),
    skip_bottom: z
      .union([z.literal('auto'), z.number().int().min(0)])
      .default('auto')
      .describe('Zeilen unter den Daten (Quellen- und Fußnotenzeilen)'),
    symbols: SymbolsSchema.default({
      zero: [...DEFAULT_SYMBOLS.zero],
      missing: [...DEFAULT_SYMBOLS.missing],
      suppressed: [...DEFAULT_SYMBOLS.suppressed],
    }),
    header_rows: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(1)
      .describe(
        'Anzahl der Kopfzeilen: 1 (Vorgabe); mehr = gestapelte Kopfzeilen (GENESIS), die je Spalte zu einem Namen verbunden werden; 0 = keine Kopfzeile (Spalten nur nach Position)',
      ),
    sheet: z
      .union([z.string().min(1), z.number().int().min(1)])
      .optional()
      .describe('Excel (.xlsx): Tabellenblatt (Name oder Nummer ab 1); Vorgabe: das erste Blatt mit Daten'),
    range: z
      .string()
      .regex(/^[A-Za-z]{1,3}\d+:[A-Za-z]{1,3}\d+$/, 'erwartet: Zellbereich wie "A5:K120"')
      .optional()
      .describe('Excel (.xlsx): Zellbereich, z. B. "A5:K120"; Vorgabe: das ganze Blatt'),
  })
  .strict();

export const ColumnTypeSchema = z.enum(['count', 'number', 'integer', 'text', 'boolean']);

/**
 * A column of a file: its header text, or its position (1 = first column) for
 * files without usable headers.
 */
export const ColumnRefSchema = z.union([
  z.string().min(1),
  z.number().int().min(1).describe('Spaltennummer, 1 = erste Spalte'),
]);

/** One canonical column of a source: which header it comes from and its type. */
export const ColumnSpecSchema = z
  .object({
    header: ColumnRefSchema.describe('Spaltenüberschrift in der Datei oder Spaltennummer (1 = erste Spalte)'),
    type: ColumnTypeSchema.default('count').describe(
      'count: nicht-negative Anzahl (Dezimalstellen erlaubt, z. B. Jahresdurchschnitt); number; integer; text; boolean',
    ),
    decimal: z
      .enum(['comma', 'point'])
      .optional()
      .describe('Dezimalzeichen nur dieser Spalte, wenn es von dem der Datei abweicht'),
    thousands: z.enum(['.', ',', ' ', 'none']).optional().describe('Tausendertrennzeichen nur dieser Spalte'),
    symbols: z
      .object({
        zero: z.array(z.string()).optional(),
        missing: z.array(z.string()).optional(),
        suppressed: z.array(z.string()).optional(),
      })
      .strict()
      .optional()
      .describe(
        'Zeichenerklärung nur dieser Spalte (ersetzt die Gruppen von read.symbols, die angegeben sind), z. B. { suppressed: ["."], missing: ["x", "0"] } für eine Quote, bei der "." geheim und 0 "keine Angabe" bedeutet',
      ),
    description: z.string().optional(),
  })
  .strict();

/**
 * A level of the project's area hierarchy, by its declared name (`kommune`,
 * `sozialraum`, `stadtbezirk`, `planungsraum` …; see `areas.levels`).
 */
export const AreaLevelSchema = identifier.describe(
  'Gebietsebene, wie unter areas.levels deklariert (Vorgabe: kommune, sozialraum)',
);

export const PeriodSchema = z
  .object({
    column: ColumnRefSchema.optional().describe('Spalte des Zeitraums (Überschrift oder Nummer)'),
    value: z
      .union([z.number().int(), z.string().min(1)])
      .optional()
      .describe('fester Zeitraum für die ganze Datei, z. B. 2023, "31.12.2023" oder "2023/24"'),
    from_file_name: z
      .union([z.literal(true), z.string().min(1)])
      .optional()
      .describe('Zeitraum aus dem Dateinamen: true = erste Jahreszahl, oder ein regulärer Ausdruck mit einer Gruppe'),
    from_title: z
      .union([z.literal(true), z.string().min(1)])
      .optional()
      .describe(
        'Zeitraum aus einer Titelzeile über der Kopfzeile ("Stichtag 31.12.2023"): true = erster Zeitraum, oder ein regulärer Ausdruck mit einer Gruppe',
      ),
    in_headers: z
      .literal(true)
      .optional()
      .describe(
        'Zeiträume stehen in den Spaltenüberschriften (breites Format, z. B. "Stadtteil;2018;2019" oder GENESIS "31.12.2023"): je Zeitraum eine Zeile',
      ),
    fill_down: z
      .boolean()
      .optional()
      .describe(
        'mit column: der Zeitraum steht nur in der ersten Zeile eines Blocks (leere Zelle = Zeitraum der Zeile darüber); eine Zeile nur mit dem Zeitraum ist eine Blocküberschrift',
      ),
    kind: z.enum(['kalenderjahr', 'schuljahr']),
    schuljahr_rule: z
      .enum(['end_year', 'start_year'])
      .optional()
      .describe(
        'Bezugsjahr eines Schuljahrs: end_year = "2023/24" -> 2024 (Einschulung im Sommer 2024), start_year -> 2023',
      ),
  })
  .strict()
  .superRefine((p, ctx) => {
    const given = [
      p.column !== undefined,
      p.value !== undefined,
      p.from_file_name !== undefined,
      p.from_title !== undefined,
      p.in_headers === true,
    ];
    if (given.filter(Boolean).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'genau eine Angabe zum Zeitraum: column (Spalte), value (fester Zeitraum), from_file_name (aus dem Dateinamen), from_title (aus einer Titelzeile) oder in_headers: true (Jahre als Spaltenüberschriften)',
      });
    }
    if (p.kind === 'schuljahr' && !p.schuljahr_rule) {
      ctx.addIssue({
        code: 'custom',
        path: ['schuljahr_rule'],
        message: 'bei kind: schuljahr ist schuljahr_rule (end_year oder start_year) anzugeben',
      });
    }
  });

export const SourceSchema = z
  .object({
    id: identifier,
    title: z.string().min(1),
    files: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('Datei oder Glob relativ zum Projektordner, z. B. "rohdaten/sgb2_*.csv"'),
    kind: z
      .enum(['aggregated', 'microdata'])
      .describe('aggregated: eine Zeile je Gebiet und Zeitraum; microdata: eine Zeile je Kind/Fall'),
    schema: z
      .union([identifier, z.array(identifier).min(1)])
      .optional()
      .describe(
        'kanonisches Quellschema, das diese Quelle liefert (bevoelkerung, sgb2, seu, u_untersuchungen, hze, kita, fruehe_hilfen); das Standardset rechnet dann mit ihr',
      ),
    read: ReadOptionsSchema.default(ReadOptionsSchema.parse({})),
    area: z
      .object({
        column: ColumnRefSchema.describe('Spalte des Gebiets (Überschrift oder Nummer)'),
        level: AreaLevelSchema,
        pattern: z
          .string()
          .min(1)
          .optional()
          .describe(
            'regulärer Ausdruck, der die Gebiets-id aus der Zelle holt (erste Gruppe), z. B. "^(\\d+)" für "01 Altstadt - Lehel"',
          ),
        match: z
          .enum(['code', 'name', 'any'])
          .default('code')
          .describe(
            'wie die Zelle einem Gebiet zugeordnet wird: code (Vorgabe: Kennung, "1" = "01", oder ein Alias der Gebietsliste), name (Gebietsname oder Alias) oder any (erst Kennung, dann Name); Groß-/Kleinschreibung, Leerzeichen und Bindestrich-Varianten zählen nicht',
          ),
        unknown: z
          .enum(['error', 'ignore'])
          .default('error')
          .describe(
            'Zeilen mit Gebieten, die nicht in der Gebietsliste stehen: error (Vorgabe) oder ignore (z. B. landesweite Datei; gezählt als "außerhalb des Projekts")',
          ),
      })
      .strict(),
    period: PeriodSchema,
    columns: z.record(identifier, ColumnSpecSchema).default({}),
    stichtag: z.string().min(1).describe('z. B. "31.12." oder "Dezember" oder "Jahresdurchschnitt"'),
    owner: z.string().min(1).describe('Datenhalter, z. B. "Jobcenter Kreis Coesfeld"'),
    stand: z.string().optional().describe('Stand der Lieferung, z. B. "2025-03-31"'),
    suppressed_range: z
      .tuple([z.number().min(0), z.number().min(0)])
      .default([1, 2])
      .describe('Wertebereich eines gesperrten Werts (BA "*": 1 bis 2); für Schätzbereiche in Summen'),
    note: z.string().optional(),
  })
  .strict();

/** One level below the top of the area hierarchy: its name and the columns of the area list that hold it. */
export const LevelSchema = z
  .object({
    name: identifier.describe(
      'Name der Ebene, z. B. "stadtbezirk" (so heißt sie in sources[].area.level und in der Spalte level)',
    ),
    label: z.string().min(1).optional().describe('Bezeichnung für Berichte, z. B. "Stadtbezirk" (Vorgabe: name)'),
    id_column: z.string().min(1).describe('Spalte der Gebietsliste mit dem Schlüssel der Ebene'),
    name_column: z.string().min(1).optional().describe('Spalte der Gebietsliste mit dem Namen'),
    alias_column: z
      .string()
      .min(1)
      .optional()
      .describe('Spalte der Gebietsliste mit anderen Schreibweisen des Gebiets dieser Ebene, getrennt durch |'),
    code: z
      .enum(['text', 'ags'])
      .default('text')
      .describe(
        'text: beliebiger Schlüssel (LOR "0101", "JH05334002"); ags: achtstelliger Gemeindeschlüssel (verlorene führende Null wird repariert)',
      ),
  })
  .strict();

/** The top of the hierarchy: the one area the project is about (Kreis, kreisfreie Stadt, Stadtstaat, Land). */
export const TopSchema = z
  .object({
    level: identifier.describe('Name der obersten Ebene, z. B. "stadt" oder "land"'),
    label: z.string().min(1).optional(),
    id: z
      .string()
      .min(
        1,
        'Schlüssel des Gesamtgebiets eintragen, z. B. den Gemeindeschlüssel der Stadt "09162000" (achtstellig, als Text)',
      )
      // (empty: the message above alone)
      .regex(/^[^\\/:*?"<>|\u0000-\u001f]*$/, 'Schlüssel ohne / \\ : * ? " < > | (er wird Teil von Dateinamen)')
      .describe('Schlüssel des Gesamtgebiets, z. B. "09162000" oder "11000"'),
    name: z.string().min(1, 'Namen des Gesamtgebiets eintragen, z. B. "Landeshauptstadt München"'),
    aliases: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'weitere Schreibweisen des Namens in den Dateien, z. B. ["Stadt München"] für "Landeshauptstadt München": eine Zeile mit diesem Namen ist die Summenzeile des Gesamtgebiets',
      ),
  })
  .strict();

/** A second hierarchy beside the main one (Jugendamtsbezirke, Schulbezirke): groups of areas of one level. */
export const GroupingSchema = z
  .object({
    name: identifier.describe('Name der Gliederung, z. B. "jugendamt" (erscheint in der Spalte level)'),
    label: z.string().min(1).optional(),
    of: identifier.describe('Ebene der Gebiete, die zusammengefasst werden, z. B. "kommune"'),
    file: z.string().min(1).describe('CSV mit Gebietsschlüssel, Gruppenschlüssel und Gruppenname'),
    read: ReadOptionsSchema.default(ReadOptionsSchema.parse({})),
    columns: z
      .object({
        area_id: z.string().default('area_id'),
        group_id: z.string().default('group_id'),
        group_name: z.string().default('group_name'),
      })
      .strict()
      .default({ area_id: 'area_id', group_id: 'group_id', group_name: 'group_name' }),
  })
  .strict();

const areaCodes = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * A boundary change: old area code(s) -> new code(s) from `year` on (the first year of the
 * new areas). Rows of an old code delivered after its validity are carried to the new
 * codes (rename, merge: exactly; split: by `weights`, as estimates); a split without
 * weights cannot be carried: its late rows stay rejected and the sums above them incomplete.
 */
export const AreaChangeSchema = z
  .object({
    kind: z
      .enum(['split', 'merge', 'rename'])
      .describe('split: eins -> mehrere; merge: mehrere -> eins; rename: eins -> eins'),
    year: z.number().int().describe('erstes Jahr der neuen Gebiete (Gebietsstand ab diesem Jahr)'),
    from: areaCodes.describe('alter Gebietsschlüssel (merge: mehrere)'),
    to: areaCodes.describe('neuer Gebietsschlüssel (split: mehrere)'),
    weights: z
      .record(z.string(), z.number().gt(0).max(1))
      .optional()
      .describe('nur split: Anteil je neuem Gebiet (z. B. Bevölkerungsanteile), Summe 1'),
    description: z.string().min(1).optional().describe('Text für den Hinweis auf den Bruch der Zeitreihe'),
  })
  .strict();

export const AreasSchema = z
  .object({
    file: z.string().min(1),
    read: ReadOptionsSchema.default(ReadOptionsSchema.parse({})),
    top: TopSchema.optional().describe(
      'oberstes Gebiet (statt kreis:), z. B. eine kreisfreie Stadt oder ein Stadtstaat',
    ),
    levels: z
      .array(LevelSchema)
      .min(1)
      .optional()
      .describe('Ebenen unter dem obersten Gebiet, von oben nach unten (Vorgabe: kommune > sozialraum aus columns)'),
    groupings: z
      .array(GroupingSchema)
      .default([])
      .describe('zweite Gliederungen (Jugendamtsbezirke, Schulbezirke) als zusätzliche Summen'),
    changes: z
      .array(AreaChangeSchema)
      .default([])
      .describe('Gebietsänderungen (Teilung, Zusammenlegung, Umbenennung): alt -> neu ab einem Jahr'),
    columns: z
      .object({
        sozialraum_id: z.string().default('sozialraum_id'),
        sozialraum_name: z.string().default('sozialraum_name'),
        kommune_ags: z.string().default('kommune_ags'),
        kommune_name: z.string().default('kommune_name'),
        valid_from: z.string().default('gueltig_ab'),
        valid_to: z.string().default('gueltig_bis'),
        aliases: z
          .string()
          .default('aliase')
          .describe(
            'Spalte mit anderen Schreibweisen des kleinsten Gebiets der Zeile, getrennt durch | (z. B. "1|Altstadt"); optional',
          ),
      })
      .strict()
      .default({
        sozialraum_id: 'sozialraum_id',
        sozialraum_name: 'sozialraum_name',
        kommune_ags: 'kommune_ags',
        kommune_name: 'kommune_name',
        valid_from: 'gueltig_ab',
        valid_to: 'gueltig_bis',
        aliases: 'aliase',
      }),
  })
  .strict();

export const SettingsSchema = z
  .object({
    min_denominator: z.number().min(0).default(20).describe('Mindestnenner: darunter wird kein Wert ausgewiesen'),
    pool_years: z
      .number()
      .int()
      .min(2)
      .max(10)
      .optional()
      .describe('zusätzlich gepoolte Mehrjahreswerte (Summe der Zähler / Summe der Nenner)'),
    language: z.enum(['de', 'en']).default('de'),
    confidence: z.number().gt(0.5).lt(1).default(0.95).describe('Konfidenzniveau der Intervalle (Vorgabe 0,95)'),
    base_year: z.number().int().optional().describe('Basisjahr für Veränderungen (Vorgabe: erstes Jahr der Daten)'),
    trend_years: z
      .number()
      .int()
      .min(3)
      .max(30)
      .default(5)
      .describe('Trend über die letzten N Jahre (gewichtete lineare Regression)'),
    suppression: z
      .object({
        min_count: z
          .number()
          .int()
          .min(1)
          .default(3)
          .describe(
            'Anzahlen von 1 bis min_count-1 werden nicht veröffentlicht (Vorgabe 3: 1 und 2 gesperrt, 0 wird gezeigt)',
          ),
        frueher_veroeffentlicht: z
          .array(z.string().min(1))
          .min(1)
          .optional()
          .describe(
            'kennzahlen.parquet früherer Veröffentlichungen (z. B. des Vorjahres): was sie zeigen, gilt als bekannt; die Sperrungen werden so gewählt, dass alle Veröffentlichungen zusammen nichts Geschütztes verraten (Pfade relativ zum Projektordner)',
          ),
        frueher_abweichend_hinnehmen: z
          .boolean()
          .optional()
          .describe(
            'true: auch veröffentlichen, wenn eine frühere Veröffentlichung Anzahlen in Zeilen hat, die es jetzt nicht gibt (Gebietsänderung in veröffentlichten Jahren, Indikator oder Jahr weggelassen), oder mit anderen Werten (korrigierte Daten); die Prüfung sieht diese Anzahlen nicht. Vorgabe: nichts veröffentlichen',
          ),
        beziehungen_geprueft: z
          .boolean()
          .optional()
          .describe(
            'true: Beziehungen, die spm nicht in seiner Form (Summe = Teile) lesen kann, sind geprüft, und jede, die gilt, steht unter relations: – Filter mit Bedingungen, die spm nicht als Bereich oder Wertemenge liest (or über zwei Spalten, is null, Text mit < oder >), neben anderen Anzahlen derselben Spalten, und Gleichungen der Daten wie a + b = c + d. Vorgabe: spm compute hält an',
          ),
      })
      .strict()
      .default({ min_count: 3 }),
    years: z.object({ from: z.number().int(), to: z.number().int() }).strict().optional(),
    allow_links_outside_project: z
      .boolean()
      .default(false)
      .describe(
        'Verweise (Symlinks) im Projektordner dürfen auf Dateien außerhalb zeigen (Vorgabe: nein, sie werden abgewiesen)',
      ),
  })
  .strict();

/** `<quelle>.<spalte>` (Summe einer Spalte) or `<kennzahl>.zaehler|nenner` (a measure of an indicator). */
const RelationRef = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,62}\.[a-z][a-z0-9_]{0,62}$/,
    'erwartet: "<quelle>.<spalte>" oder "<kennzahl>.zaehler" / "<kennzahl>.nenner", z. B. "bevoelkerung.bev_unter_18"',
  );

/**
 * A linear relation between published counts that holds by definition (age groups that add
 * up, "insgesamt" columns): an attacker knows it, so the secondary suppression must too.
 */
export const RelationSchema = z
  .object({
    total: RelationRef.describe('die Summe, z. B. "bevoelkerung.bev_unter_18"'),
    parts: z
      .array(RelationRef)
      .min(1)
      .describe('ihre Teile, z. B. ["bevoelkerung.bev_unter_15", "bevoelkerung.bev_15_bis_unter_18"]'),
    rest: z
      .boolean()
      .default(false)
      .describe(
        'true: zur Summe gehören weitere, nicht veröffentlichte Teile (>= 0), z. B. "insgesamt" >= Summe der Teile',
      ),
    note: z.string().optional(),
  })
  .strict();

/**
 * A choice from the bundled standard set: families or indicator ids to include
 * (default: every indicator the project's sources provide), ids or families to
 * exclude, and per-indicator overrides merged into the bundled definition.
 */
export const StandardUseSchema = z
  .object({
    use: z.literal('spm:standard'),
    include: z
      .array(z.string().min(1))
      .optional()
      .describe('Familien (z. B. gesundheit_seu) oder Indikator-ids; Vorgabe: alle, deren Quellen das Projekt liefert'),
    exclude: z.array(z.string().min(1)).default([]).describe('Familien oder Indikator-ids, die nicht berechnet werden'),
    overrides: z
      .record(identifier, z.record(z.string(), z.unknown()))
      .default({})
      .describe(
        'je Indikator-id Felder, die die mitgelieferte Definition ersetzen (z. B. min_denominator, numerator.filter)',
      ),
  })
  .strict();

/** One reference area (Bund, Land, another Kreis) of the `references:` table. */
export const ReferenceItemSchema = z
  .object({
    id: identifier.describe('Kennung, z. B. "bund" (Spalten ref_bund_value, diff_bund in den Vergleichstabellen)'),
    name: z.string().min(1).describe('Name für Tabellen und Grafiken, z. B. "Deutschland" oder "Kreis Borken"'),
    codes: z
      .array(z.string().min(1))
      .default([])
      .describe('weitere Schreibweisen in der Spalte reference der Datei, z. B. ["DG", "05554"]'),
    land: z
      .boolean()
      .default(false)
      .describe('true: dies ist das Land (Werte wie aus land: mit ref_land_value, diff_land); höchstens einmal'),
  })
  .strict();

/** Published reference values (Land, Bund, other Kreise) from a table: one row per reference, indicator and year. */
export const ReferencesSchema = z
  .object({
    file: z.string().min(1).describe('CSV mit einer Zeile je Referenz, Indikator und Jahr'),
    columns: z
      .object({
        reference: z.string().default('referenz'),
        indicator: z.string().default('indicator_id'),
        year: z.string().default('jahr'),
        value: z.string().default('wert'),
        source: z.string().default('quelle').describe('optional: Quelle je Zeile'),
        stand: z.string().default('stand').describe('optional: Stand je Zeile'),
      })
      .strict()
      .default({
        reference: 'referenz',
        indicator: 'indicator_id',
        year: 'jahr',
        value: 'wert',
        source: 'quelle',
        stand: 'stand',
      }),
    decimal: z
      .enum(['comma', 'point'])
      .optional()
      .describe(
        'Dezimalzeichen der Werte (Vorgabe: erkannt, Komma wenn ein Wert ein Komma oder Tausenderpunkte wie 83.019.213 hat)',
      ),
    symbols: z
      .object({
        suppressed: z.array(z.string()).default(['.', '*']).describe('geheim gehalten (gesperrt)'),
        not_meaningful: z.array(z.string()).default(['x', 'X']).describe('Aussage nicht sinnvoll'),
        missing: z.array(z.string()).default(['', '...', '…', '/', '()']).describe('keine Angabe'),
        zero: z.array(z.string()).default(['-', '–']).describe('nichts vorhanden (0)'),
      })
      .strict()
      .default({
        suppressed: ['.', '*'],
        not_meaningful: ['x', 'X'],
        missing: ['', '...', '…', '/', '()'],
        zero: ['-', '–'],
      }),
    source: z.string().optional().describe('Quelle aller Werte, z. B. "Statistisches Bundesamt, Regionaldatenbank"'),
    stand: z.string().optional().describe('Stand aller Werte (JJJJ-MM-TT)'),
    list: z.array(ReferenceItemSchema).min(1).describe('die Referenzgebiete, in der Reihenfolge der Tabellenspalten'),
  })
  .strict()
  .superRefine((r, ctx) => {
    const ids = new Set<string>();
    r.list.forEach((x, i) => {
      if (ids.has(x.id) || x.id === 'land' || x.id === 'kreis' || x.id === 'kommune')
        ctx.addIssue({
          code: 'custom',
          path: ['list', i, 'id'],
          message: `Kennung "${x.id}" ist doppelt oder vergeben (land, kreis, kommune); eine andere wählen`,
        });
      ids.add(x.id);
    });
    const lands = r.list.map((x, i) => (x.land ? i : -1)).filter((i) => i >= 0);
    if (lands.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['list', lands[1]!, 'land'],
        message: 'höchstens eine Referenz mit land: true',
      });
  });

export const ProjectFileSchema = z
  .object({
    name: z.string().min(1),
    synthetic: z.boolean().default(false).describe('true: synthetische Beispieldaten; jede Ausgabe sagt es'),
    kreis: z
      .object({
        ags: z.string().regex(/^\d{5}$/, 'erwartet: fünfstelliger Kreisschlüssel als Text, z. B. "05558"'),
        name: z.string().min(1),
      })
      .strict()
      .optional()
      .describe('der Kreis (Hierarchie kreis > kommune > sozialraum); sonst areas.top und areas.levels'),
    areas: AreasSchema,
    sources: z.array(SourceSchema).min(1),
    indicators: z
      .array(z.union([z.string().min(1), StandardUseSchema]))
      .default(['indicators'])
      .describe(
        'Ordner mit Indikator-YAML relativ zum Projekt; "spm:standard" = mitgeliefertes Kennzahlenset (alle), { use: spm:standard, include, exclude, overrides } = Auswahl daraus',
      ),
    output: z.string().default('out'),
    geo: z
      .object({
        sozialraeume: z.string().optional().describe('GeoJSON der Sozialräume (FeatureCollection)'),
        kommunen: z.string().optional().describe('GeoJSON der Kommunen (FeatureCollection)'),
        id_property: z.string().default('id').describe('Eigenschaft mit der Sozialraum-id bzw. dem AGS'),
      })
      .strict()
      .optional()
      .describe('Karten: Gebietsgrenzen als GeoJSON relativ zum Projektordner'),
    land: z
      .object({
        file: z.string().describe('CSV mit indicator_id;year;value (Landeswerte, z. B. von IT.NRW)'),
        name: z.string().default('NRW'),
        source: z
          .string()
          .optional()
          .describe('Quelle der Landeswerte für die Quellenzeile, z. B. "IT.NRW, Landesdatenbank"'),
        stand: z.string().optional().describe('Stand der Landeswerte (JJJJ-MM-TT)'),
      })
      .strict()
      .optional()
      .describe('Vergleichswerte des Landes je Indikator und Jahr'),
    references: ReferencesSchema.optional().describe(
      'veröffentlichte Vergleichswerte (Bund, Land, andere Kreise) aus einer Tabelle: Referenzlinien und -spalten, nie summiert',
    ),
    relations: z
      .array(RelationSchema)
      .default([])
      .describe(
        'Beziehungen zwischen veröffentlichten Anzahlen (Summe = Teile), die die Geheimhaltung kennen muss; werden an den Daten geprüft',
      ),
    settings: SettingsSchema.default(SettingsSchema.parse({})),
    ziele: GoalsEntrySchema.optional(),
    sozialindex: SozialindexSchema.optional().describe(
      'Sozialindex je Sozialraum und Jahr aus gewählten Indikatoren, mit Rangintervallen und Sozialraumtypen',
    ),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.kreis && !c.areas.top)
      ctx.addIssue({
        code: 'custom',
        path: ['kreis'],
        message: 'kreis (ags, name) oder areas.top (level, id, name) ist anzugeben',
      });
    if (c.land && c.references?.list.some((x) => x.land))
      ctx.addIssue({
        code: 'custom',
        path: ['references', 'list', c.references.list.findIndex((x) => x.land), 'land'],
        message: 'die Landeswerte entweder aus land: oder aus references (land: true), nicht aus beiden',
      });
    if (c.kreis && c.areas.top)
      ctx.addIssue({
        code: 'custom',
        path: ['areas', 'top'],
        message: 'entweder kreis oder areas.top angeben, nicht beides',
      });
  })
  // `kreis` is always set after parsing: for projects declared with `areas.top` it is the
  // top area, so code that only needs "the whole project's area" reads one place
  .transform((c) => ({ ...c, kreis: c.kreis ?? { ags: c.areas.top?.id ?? '', name: c.areas.top?.name ?? '' } }));

export const UnitSchema = z.enum(['percent', 'per_1000', 'per_10000', 'per_100000', 'count', 'ratio']);

export const MeasureSchema = z
  .object({
    source: identifier,
    measure: z.enum(['count', 'sum']).describe('count: Zeilen zählen (Mikrodaten); sum: Spalte summieren'),
    column: identifier.optional().describe('bei measure: sum die zu summierende Spalte'),
    filter: z.string().optional().describe('Filterausdruck, z. B. "bmi_perzentil > 90 and gewicht_gueltig = true"'),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.measure === 'sum' && !m.column) {
      ctx.addIssue({ code: 'custom', path: ['column'], message: 'bei measure: sum ist column anzugeben' });
    }
    if (m.measure === 'count' && m.column) {
      ctx.addIssue({ code: 'custom', path: ['column'], message: 'bei measure: count ist keine column anzugeben' });
    }
  });

/** A rate or share as the source publishes it (rates-only tables: Mindestsicherungsquote, U8 rate). */
export const PublishedValueSchema = z
  .object({
    source: identifier,
    column: identifier.describe('Spalte mit dem veröffentlichten Wert (type: number)'),
    filter: z
      .string()
      .optional()
      .describe(
        'Filterausdruck, der je Gebiet und Jahr genau eine Zeile wählt (Langformat: z. B. "indikator = \'Altersgruppen\'")',
      ),
  })
  .strict();
export type PublishedValue = z.infer<typeof PublishedValueSchema>;

export const FamilySchema = z.enum([
  'soziale_lage',
  'gesundheit_seu',
  'gesundheit_u',
  'bildung',
  'jugendhilfe',
  'fruehe_hilfen',
  'demografie',
]);

export const LebensphaseSchema = z.enum([
  'schwangerschaft_geburt',
  '0-3',
  '3-6',
  '6-10',
  '10-16',
  '16-25',
  'uebergreifend',
]);

export const SteckbriefSchema = z
  .object({
    stichtag: z.string().min(1),
    data_owner: z.string().min(1),
    numerator_source: z.string().min(1).describe('Zähler in Worten mit Quelle'),
    denominator_source: z.string().min(1).describe('Nenner in Worten mit Quelle'),
    definition: z.string().min(1).describe('welche Variante des Indikators berechnet wird (vgl. amtliche Definition)'),
    suppression: z.string().min(1).describe('Geheimhaltungsregel'),
    breaks: z
      .array(z.object({ year: z.number().int(), description: z.string().min(1) }).strict())
      .default([])
      .describe('bekannte Brüche der Zeitreihe'),
    official_source: z.string().optional().describe('amtliche Definition, falls abweichend'),
  })
  .strict();

/**
 * Ampel: relative (significantly worse/better than the reference, else yellow) or
 * absolute (against a Zielwert by a Zieljahr: reached = green, on track by the
 * trend = yellow, off track = red).
 */
export const AmpelSchema = z
  .object({
    mode: z.enum(['relative', 'absolute']).default('relative'),
    reference: z.enum(['kreis', 'kommune']).default('kreis').describe('Vergleichswert bei mode: relative'),
    target: z
      .object({ value: z.number(), year: z.number().int() })
      .strict()
      .optional()
      .describe('Zielwert und Zieljahr bei mode: absolute'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.mode === 'absolute' && !a.target) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: 'bei mode: absolute ist target (value, year) anzugeben',
      });
    }
  });

export const IndicatorSchema = z
  .object({
    id: identifier,
    version: z.number().int().min(1).default(1),
    title: z.string().min(1),
    short_title: z.string().optional(),
    description: z.string().min(1).describe('kurze Beschreibung'),
    long_description: z.string().optional(),
    family: FamilySchema,
    lebensphase: LebensphaseSchema,
    unit: UnitSchema,
    polarity: z.enum(['worse', 'better', 'neutral']).describe('ein höherer Wert ist: worse / better / neutral'),
    numerator: MeasureSchema.optional().describe('Zähler (weglassen bei published)'),
    denominator: MeasureSchema.optional().describe('Nenner (weglassen bei published)'),
    published: PublishedValueSchema.optional().describe(
      'veröffentlichte Quote/Rate der Quelle als Wert (statt Zähler und Nenner): gezeigt und verglichen, nie summiert, ohne Konfidenzintervall',
    ),
    proportion: z
      .boolean()
      .optional()
      .describe('Zähler ist Teilmenge des Nenners (Zähler > Nenner ist unplausibel); Vorgabe: true bei percent'),
    min_denominator: z.number().min(0).optional(),
    pool_years: z.number().int().min(2).max(10).optional(),
    ampel: AmpelSchema.optional().describe('Ampel-Einstufung; Vorgabe: relativ zum Kreiswert'),
    steckbrief: SteckbriefSchema,
  })
  .strict()
  .superRefine((d, ctx) => {
    const counts = d.numerator !== undefined || d.denominator !== undefined;
    if (d.published !== undefined && counts)
      ctx.addIssue({
        code: 'custom',
        path: ['published'],
        message: 'entweder published (veröffentlichter Wert) oder numerator und denominator, nicht beides',
      });
    if (d.published === undefined) {
      if (d.numerator === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['numerator'],
          message: 'numerator fehlt (oder published für einen veröffentlichten Wert angeben)',
        });
      if (d.denominator === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['denominator'],
          message: 'denominator fehlt (oder published für einen veröffentlichten Wert angeben)',
        });
    }
  })
  // a published value is carried as "sum of the value column over the one row of its key" and
  // "count of those rows" (1): the compiler marks it so that it is never rolled up or pooled
  .transform((d) => ({
    ...d,
    numerator: d.numerator ?? publishedMeasure(d.published!, 'sum'),
    denominator: d.denominator ?? publishedMeasure(d.published!, 'count'),
  }));

function publishedMeasure(p: PublishedValue, measure: 'sum' | 'count'): Measure {
  return {
    source: p.source,
    measure,
    ...(measure === 'sum' ? { column: p.column } : {}),
    ...(p.filter !== undefined ? { filter: p.filter } : {}),
  };
}

/** A file of indicators: one indicator, or a family file with a list. */
export const IndicatorFileSchema = z.union([
  IndicatorSchema,
  z.object({ indicators: z.array(IndicatorSchema).min(1) }).strict(),
]);

export type ReadOptions = z.infer<typeof ReadOptionsSchema>;
export type ReadOptionsInput = z.input<typeof ReadOptionsSchema>;
export type Symbols = z.infer<typeof SymbolsSchema>;
export type ColumnType = z.infer<typeof ColumnTypeSchema>;
export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;
export type AreaLevel = z.infer<typeof AreaLevelSchema>;
export type AreaChange = z.infer<typeof AreaChangeSchema>;
export type PeriodSpec = z.infer<typeof PeriodSchema>;
export type SourceConfig = z.infer<typeof SourceSchema>;
export type SourceInput = z.input<typeof SourceSchema>;
export type AreasConfig = z.infer<typeof AreasSchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type StandardUse = z.infer<typeof StandardUseSchema>;
/** A validated project file; `kreis` is the top area also for projects declared with `areas.top`. */
export type ProjectFile = z.infer<typeof ProjectFileSchema>;
export type LevelConfig = z.infer<typeof LevelSchema>;
export type GroupingConfig = z.infer<typeof GroupingSchema>;
export type ProjectFileInput = z.input<typeof ProjectFileSchema>;
export type Unit = z.infer<typeof UnitSchema>;
export type Measure = z.infer<typeof MeasureSchema>;
export type Indicator = z.infer<typeof IndicatorSchema>;
export type IndicatorInput = z.input<typeof IndicatorSchema>;
