/**
 * The canonical source schemas of the standard Kennzahlenset.
 *
 * The standard indicators (`indicators/*.yaml`) name these schemas as their
 * `source` and these column names in `column` and `filter`. A project says once
 * per source which schema it implements (`schema: seu`) and maps its own file
 * headers to the canonical column names under `columns:`; the standard set then
 * runs on it unchanged. `spells` are header spellings seen in real extracts;
 * `spm init` proposes a mapping when a file's headers match them.
 *
 * Documented for users in `indicators/SCHEMAS.md` (a test keeps both in step).
 */
import type { ColumnType } from '../schema.js';

/** One column of a canonical schema. */
export interface CanonicalColumn {
  name: string;
  type: ColumnType;
  description: string;
  /** Known header spellings (compared after {@link normHeader}). */
  spells: readonly string[];
}

/** A canonical source schema. */
export interface CanonicalSchema {
  id: string;
  title: string;
  kind: 'aggregated' | 'microdata';
  /** Usual area level of the delivery. */
  level: 'sozialraum' | 'kommune';
  period: 'kalenderjahr' | 'schuljahr';
  stichtag: string;
  description: string;
  columns: readonly CanonicalColumn[];
}

const c = (name: string, type: ColumnType, description: string, ...spells: string[]): CanonicalColumn => ({
  name,
  type,
  description,
  spells,
});

export const CANONICAL_SCHEMAS: readonly CanonicalSchema[] = [
  {
    id: 'bevoelkerung',
    title: 'Bevölkerung nach Altersgruppen (Melderegister oder Fortschreibung)',
    kind: 'aggregated',
    level: 'sozialraum',
    period: 'kalenderjahr',
    stichtag: '31.12.',
    description: 'eine Zeile je Gebiet und Jahr; Einwohnerinnen und Einwohner mit Hauptwohnsitz am Stichtag',
    columns: [
      c(
        'bev_unter_3',
        'count',
        'Einwohner unter 3 Jahren',
        'unter 3',
        'u3',
        '0 bis unter 3',
        '0-3',
        '0 - 3 Jahre',
        'unter 3 Jahre',
        'Kinder unter 3',
      ),
      c(
        'bev_3_bis_unter_6',
        'count',
        'Einwohner von 3 bis unter 6 Jahren',
        '3 bis unter 6',
        '3-6',
        '3 - 6 Jahre',
        '3 bis 6',
        '3 bis unter 6 Jahre',
      ),
      c(
        'bev_6_bis_unter_10',
        'count',
        'Einwohner von 6 bis unter 10 Jahren',
        '6 bis unter 10',
        '6-10',
        '6 - 10 Jahre',
        '6 bis unter 10 Jahre',
      ),
      c(
        'bev_10_bis_unter_15',
        'count',
        'Einwohner von 10 bis unter 15 Jahren',
        '10 bis unter 15',
        '10-15',
        '10 - 15 Jahre',
        '10 bis unter 15 Jahre',
      ),
      c(
        'bev_15_bis_unter_18',
        'count',
        'Einwohner von 15 bis unter 18 Jahren',
        '15 bis unter 18',
        '15-18',
        '15 - 18 Jahre',
        '15 bis unter 18 Jahre',
      ),
      c(
        'bev_18_bis_unter_21',
        'count',
        'Einwohner von 18 bis unter 21 Jahren',
        '18 bis unter 21',
        '18-21',
        '18 - 21 Jahre',
        '18 bis unter 21 Jahre',
      ),
      c(
        'bev_unter_15',
        'count',
        'Einwohner unter 15 Jahren (Summe der Altersgruppen)',
        'unter 15',
        'u15',
        'unter 15 Jahre',
        '0 bis unter 15',
      ),
      c(
        'bev_unter_18',
        'count',
        'Einwohner unter 18 Jahren (Summe der Altersgruppen)',
        'unter 18',
        'u18',
        'unter 18 Jahre',
        '0 bis unter 18',
        'minderjaehrige',
      ),
      c(
        'bev_unter_21',
        'count',
        'Einwohner unter 21 Jahren (Summe der Altersgruppen)',
        'unter 21',
        'u21',
        'unter 21 Jahre',
        '0 bis unter 21',
      ),
      c(
        'bev_insgesamt',
        'count',
        'Einwohner insgesamt',
        'insgesamt',
        'einwohner',
        'einwohner insgesamt',
        'bevoelkerung',
        'bevoelkerung insgesamt',
        'gesamt',
        'ew gesamt',
        'ew insgesamt',
      ),
      c(
        'bev_nichtdeutsch',
        'count',
        'Einwohner ohne deutsche Staatsangehörigkeit',
        'nichtdeutsch',
        'nichtdeutsche',
        'auslaender',
        'auslaender insgesamt',
        'nicht deutsch',
      ),
      c(
        'geburten',
        'count',
        'Lebendgeborene im Kalenderjahr (Wohnort im Gebiet)',
        'geburten',
        'lebendgeborene',
        'geborene',
        'geburten im jahr',
      ),
    ],
  },
  {
    id: 'sgb2',
    title: 'SGB II (Statistik der Bundesagentur für Arbeit / Jobcenter)',
    kind: 'aggregated',
    level: 'sozialraum',
    period: 'kalenderjahr',
    stichtag: 'Dezember',
    description:
      'eine Zeile je Gebiet und Jahr; "*" (1 oder 2, gesperrt) und "-" (nichts vorhanden) wie von der BA geliefert',
    columns: [
      c(
        'personen_in_bg',
        'count',
        'Personen in Bedarfsgemeinschaften',
        'personen in bedarfsgemeinschaften',
        'personen in bg',
        'pers in bg',
      ),
      c(
        'nef_unter_15',
        'count',
        'nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren',
        'nicht erwerbsfaehige leistungsberechtigte unter 15 jahren',
        'nef unter 15',
        'nef u15',
        'nef unter 15 jahren',
        'nicht erwerbsfaehige leistungsberechtigte unter 15',
      ),
      c(
        'lb_15_bis_unter_18',
        'count',
        'Leistungsberechtigte von 15 bis unter 18 Jahren',
        'leistungsberechtigte 15 bis unter 18 jahre',
        'lb 15 bis unter 18',
        'elb 15 bis unter 18',
        'leistungsberechtigte 15 bis unter 18',
      ),
      c(
        'lb_18_bis_unter_21',
        'count',
        'Leistungsberechtigte von 18 bis unter 21 Jahren',
        'leistungsberechtigte 18 bis unter 21 jahre',
        'lb 18 bis unter 21',
        'elb 18 bis unter 21',
        'leistungsberechtigte 18 bis unter 21',
      ),
      c(
        'bg_mit_kindern',
        'count',
        'Bedarfsgemeinschaften mit Kindern unter 18 Jahren',
        'bedarfsgemeinschaften mit kindern unter 18 jahren',
        'bg mit kindern',
        'bg mit kindern unter 18',
        'bedarfsgemeinschaften mit kindern',
      ),
      c(
        'bg_alleinerziehende',
        'count',
        'Alleinerziehenden-Bedarfsgemeinschaften',
        'alleinerziehenden-bedarfsgemeinschaften',
        'alleinerziehende bg',
        'bg alleinerziehende',
        'alleinerziehenden bg',
        'bg von alleinerziehenden',
      ),
    ],
  },
  {
    id: 'seu',
    title: 'Schuleingangsuntersuchung (Einzeldaten, eine Zeile je untersuchtem Kind)',
    kind: 'microdata',
    level: 'sozialraum',
    period: 'schuljahr',
    stichtag: 'Untersuchungszeitraum des Schuljahres',
    description: 'eine Zeile je Kind; Befunde als ja/nein (1/0, true/false, j/n); leer = nicht erhoben',
    columns: [
      c(
        'lfd_nr',
        'integer',
        'laufende Nummer der Untersuchung',
        'lfd nr',
        'lfdnr',
        'laufende nummer',
        'nr',
        'id',
        'kind id',
        'fallnummer',
      ),
      c('geschlecht', 'text', 'Geschlecht (m / w / d)', 'geschlecht', 'sex', 'geschl'),
      c(
        'groesse_gewicht_gueltig',
        'boolean',
        'Größe und Gewicht gültig gemessen',
        'groesse gewicht gueltig',
        'messung gueltig',
        'gewicht gueltig',
        'bmi gueltig',
        'groesse und gewicht gueltig',
      ),
      c(
        'bmi_perzentil',
        'number',
        'BMI-Perzentil nach Kromeyer-Hauschild (leer ohne gültige Messung)',
        'bmi perzentil',
        'bmi-perzentil',
        'bmi perz',
        'perzentil bmi',
        'bmi percentile',
        'bmiperz',
      ),
      c(
        'sprache_getestet',
        'boolean',
        'Sprachkompetenz getestet',
        'sprache getestet',
        'sprachtest',
        'sprache untersucht',
        'sprachscreening durchgefuehrt',
      ),
      c(
        'sprache_befund',
        'boolean',
        'Sprachförderbedarf festgestellt (leer wenn nicht getestet)',
        'sprache befund',
        'sprachfoerderbedarf',
        'sprache auffaellig',
        'befund sprache',
      ),
      c(
        'visuomotorik_getestet',
        'boolean',
        'Visuomotorik getestet',
        'visuomotorik getestet',
        'visuomotorik untersucht',
      ),
      c(
        'visuomotorik_befund',
        'boolean',
        'Visuomotorik auffällig',
        'visuomotorik befund',
        'visuomotorik auffaellig',
        'befund visuomotorik',
      ),
      c(
        'koerperkoordination_getestet',
        'boolean',
        'Körperkoordination getestet',
        'koerperkoordination getestet',
        'koerperkoordination untersucht',
        'koordination getestet',
      ),
      c(
        'koerperkoordination_befund',
        'boolean',
        'Körperkoordination auffällig',
        'koerperkoordination befund',
        'koerperkoordination auffaellig',
        'koordination auffaellig',
        'befund koerperkoordination',
      ),
      c(
        'impfpass_vorgelegt',
        'boolean',
        'Impfpass vorgelegt',
        'impfpass vorgelegt',
        'impfausweis vorgelegt',
        'impfpass',
        'impfbuch vorgelegt',
      ),
      c(
        'masern_dosen',
        'integer',
        'dokumentierte Masern-Impfdosen 0/1/2 (leer ohne Impfpass)',
        'masern dosen',
        'masern impfdosen',
        'masernimpfungen',
        'anzahl masernimpfungen',
        'mmr dosen',
        'masern',
      ),
    ],
  },
  {
    id: 'u_untersuchungen',
    title: 'U-Untersuchungen laut Vorsorgeheft (meist aus der Schuleingangsuntersuchung)',
    kind: 'microdata',
    level: 'sozialraum',
    period: 'schuljahr',
    stichtag: 'Untersuchungszeitraum des Schuljahres',
    description: 'eine Zeile je Kind; U-Untersuchungen ja/nein, leer ohne vorgelegtes Vorsorgeheft',
    columns: [
      c(
        'vorsorgeheft_vorgelegt',
        'boolean',
        'Vorsorgeheft (gelbes Heft) vorgelegt',
        'vorsorgeheft vorgelegt',
        'u-heft vorgelegt',
        'uheft vorgelegt',
        'vorsorgeheft',
        'gelbes heft vorgelegt',
        'u heft',
      ),
      c('u7a', 'boolean', 'U7a dokumentiert (leer ohne Heft)', 'u7a', 'u 7a', 'u7a durchgefuehrt', 'u7a teilgenommen'),
      c('u8', 'boolean', 'U8 dokumentiert (leer ohne Heft)', 'u8', 'u 8', 'u8 durchgefuehrt', 'u8 teilgenommen'),
      c('u9', 'boolean', 'U9 dokumentiert (leer ohne Heft)', 'u9', 'u 9', 'u9 durchgefuehrt', 'u9 teilgenommen'),
      c(
        'u1_u9_vollstaendig',
        'boolean',
        'U1 bis U9 vollständig dokumentiert (leer ohne Heft)',
        'u1 u9 vollstaendig',
        'u1-u9 vollstaendig',
        'u1 bis u9 vollstaendig',
        'u vollstaendig',
      ),
    ],
  },
  {
    id: 'hze',
    title: 'Hilfen zur Erziehung, § 35a, § 41, Inobhutnahmen (Jugendamt)',
    kind: 'aggregated',
    level: 'kommune',
    period: 'kalenderjahr',
    stichtag: '31.12. (laufende Hilfen) bzw. Kalenderjahr (beendete Hilfen, Inobhutnahmen)',
    description: 'eine Zeile je Kommune (oder Sozialraum) und Jahr; gezählt werden Hilfen, nicht Personen',
    columns: [
      c(
        'hze_27_35_laufend',
        'count',
        'HzE §§ 27-35 laufend am 31.12.',
        'hze 27-35 laufend',
        'hze 27 35 laufend',
        'hze §§ 27-35 laufend am 31.12.',
      ),
      c(
        'hze_27_35_beendet',
        'count',
        'HzE §§ 27-35 im Jahr beendet',
        'hze 27-35 beendet',
        'hze 27 35 beendet',
        'hze §§ 27-35 beendet im jahr',
      ),
      c(
        'hze_35a_laufend',
        'count',
        '§ 35a laufend am 31.12.',
        '35a laufend',
        '§ 35a laufend am 31.12.',
        'eingliederungshilfe 35a laufend',
      ),
      c(
        'hze_35a_beendet',
        'count',
        '§ 35a im Jahr beendet',
        '35a beendet',
        '§ 35a beendet im jahr',
        'eingliederungshilfe 35a beendet',
      ),
      c('hze_41_laufend', 'count', '§ 41 laufend am 31.12.', '41 laufend', '§ 41 laufend am 31.12.'),
      c('hze_41_beendet', 'count', '§ 41 im Jahr beendet', '41 beendet', '§ 41 beendet im jahr'),
      c(
        'hze_insgesamt',
        'count',
        'Hilfen §§ 27-35, 35a, 41: laufend am 31.12. + im Jahr beendet',
        'hilfen insgesamt (§§ 27-35, 35a, 41) laufend + beendet',
        'hze insgesamt',
        'hilfen insgesamt',
        'hze gesamt',
      ),
      c(
        'hze_ohne_35a',
        'count',
        'Hilfen §§ 27-35, 41 ohne 35a: laufend + beendet',
        'hilfen §§ 27-35, 41 (ohne 35a) laufend + beendet',
        'hze ohne 35a',
        'hilfen ohne 35a',
      ),
      c(
        'fremdunterbringung_33_34',
        'count',
        'Vollzeitpflege § 33 und Heimerziehung § 34: laufend + beendet',
        'fremdunterbringung §§ 33, 34 laufend + beendet',
        'fremdunterbringung',
        'fremdunterbringung 33 34',
        'stationaere hilfen 33 34',
      ),
      c(
        'inobhutnahmen_42',
        'count',
        'vorläufige Schutzmaßnahmen nach § 42 im Jahr',
        'inobhutnahmen § 42',
        'inobhutnahmen',
        'inobhutnahmen 42',
        'io 42',
      ),
    ],
  },
  {
    id: 'kita',
    title: 'Kindertagesbetreuung nach Wohnort (Kita-Bedarfsplanung)',
    kind: 'aggregated',
    level: 'sozialraum',
    period: 'kalenderjahr',
    stichtag: '01.03.',
    description: 'eine Zeile je Gebiet und Jahr; betreute Kinder nach Wohnort, Kita und Kindertagespflege',
    columns: [
      c(
        'kita_u3_einrichtung',
        'count',
        'Kinder unter 3 Jahren in Kindertageseinrichtungen',
        'kinder unter 3 jahren in kindertageseinrichtungen',
        'u3 kita',
        'u3 in kita',
        'u3 einrichtung',
      ),
      c(
        'kita_u3_tagespflege',
        'count',
        'Kinder unter 3 Jahren in Kindertagespflege',
        'kinder unter 3 jahren in kindertagespflege',
        'u3 tagespflege',
        'u3 in tagespflege',
        'u3 ktp',
      ),
      c(
        'kita_u3_betreut',
        'count',
        'Kinder unter 3 in Kita oder Kindertagespflege',
        'kinder unter 3 jahren betreut zusammen',
        'u3 betreut',
        'betreute u3',
        'u3 betreut gesamt',
        'betreute kinder unter 3',
      ),
      c(
        'kita_3_bis_unter_6_betreut',
        'count',
        'Kinder 3 bis unter 6 in Kita oder Kindertagespflege',
        'kinder 3 bis unter 6 jahren betreut zusammen',
        'ue3 betreut',
        'u6 betreut',
        '3-6 betreut',
        'betreute kinder 3 bis unter 6',
        'betreute ue3',
        '3 bis unter 6 betreut',
      ),
    ],
  },
  {
    id: 'fruehe_hilfen',
    title: 'Frühe Hilfen: Willkommensbesuche',
    kind: 'aggregated',
    level: 'kommune',
    period: 'kalenderjahr',
    stichtag: 'Kalenderjahr',
    description: 'eine Zeile je Kommune (oder Sozialraum) und Jahr',
    columns: [
      c(
        'fh_familien_angeschrieben',
        'count',
        'Familien mit Neugeborenen angeschrieben',
        'familien angeschrieben',
        'angeschrieben',
        'anschreiben',
      ),
      c(
        'fh_willkommensbesuche',
        'count',
        'durchgeführte Willkommensbesuche',
        'willkommensbesuche durchgefuehrt',
        'willkommensbesuche',
        'besuche durchgefuehrt',
        'besuche',
      ),
    ],
  },
];

/** Header spellings of area and period columns (for `spm init`). */
export const AREA_SPELLS = {
  sozialraum: [
    'sozialraum',
    'sozialraum id',
    'sozialraum nr',
    'sozialraumnummer',
    'sr',
    'sr id',
    'sr nr',
    'planungsraum',
    'bezirk',
    'stadtteil',
    'quartier',
    'wohnbezirk',
  ],
  kommune: [
    'ags',
    'gemeindeschluessel',
    'gemeinde schluessel',
    'gkz',
    'gemeindekennziffer',
    'kommune',
    'gemeinde',
    'kommune ags',
    'ags gemeinde',
    'schluessel',
    'wohnort ags',
  ],
} as const;
export const PERIOD_SPELLS = [
  'jahr',
  'kalenderjahr',
  'berichtsjahr',
  'schuljahr',
  'untersuchungsjahr',
  'einschulungsjahr',
  'stichtag jahr',
] as const;

/** `"BMI-Perzentil"` -> `"bmiperzentil"`: case, umlauts, spaces and punctuation do not matter. */
export function normHeader(h: string): string {
  return h
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');
}

export function canonicalSchema(id: string): CanonicalSchema | undefined {
  return CANONICAL_SCHEMAS.find((s) => s.id === id);
}

/** The canonical column a header matches (by its spellings or the canonical name itself). */
export function matchColumn(schema: CanonicalSchema, header: string): CanonicalColumn | undefined {
  const n = normHeader(header);
  if (n === '') return undefined;
  return schema.columns.find((col) => normHeader(col.name) === n || col.spells.some((s) => normHeader(s) === n));
}
