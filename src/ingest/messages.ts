/**
 * Every German message of the ingest stage, as builder functions.
 *
 * Keeping them in one module keeps the wording consistent and lets tests and a
 * later English translation find them in one place.
 */
import { DEFAULT_SYMBOLS } from '../config/symbols.js';
import type { DetectedReadOptions } from './types.js';

const ENCODING_NAMES: Record<DetectedReadOptions['encoding'], string> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252',
  latin1: 'Latin-1',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
};

export function encodingName(enc: DetectedReadOptions['encoding']): string {
  return ENCODING_NAMES[enc];
}

function delimiterName(d: string): string {
  return d === '\t' ? 'Tabulator' : `'${d}'`;
}

/** Longest cell text shown in a message (a 2 MB cell must not become a 2 MB message). */
const MAX_SHOWN = 80;

/** Quotes a text for a message: clipped, control characters (NUL, CR, tab …) made visible. */
function q(s: string): string {
  let t = s;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\ufeff]/.test(t))
    t = t.replace(/[\u0000-\u001f\u007f\ufeff]/g, (c) =>
      c === '\t'
        ? '\\t'
        : c === '\r'
          ? '\\r'
          : c === '\n'
            ? '\\n'
            : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  return `„${t}“`;
}

/** A cell's text in a message: as `q`, clipped to MAX_SHOWN characters. */
function qc(s: string): string {
  return q(s.length > MAX_SHOWN ? s.slice(0, MAX_SHOWN) + '…' : s);
}

/** Shortens a list of line numbers for messages: "2, 5, 9 und 12 weitere". */
export function lineList(lines: readonly number[], max = 10): string {
  const shown = lines.slice(0, max).join(', ');
  return lines.length > max ? `${shown} und ${lines.length - max} weitere` : shown;
}

export const msg = {
  // --- files and globs ---------------------------------------------------
  fileMissing: (file: string) => `Datei ${q(file)} nicht gefunden oder nicht lesbar.`,
  binaryFile: (file: string, kind: 'xlsx' | 'xls' | 'pdf' | 'binary') =>
    `Die Datei ${q(file)} ist keine Textdatei (CSV), sondern ` +
    (kind === 'xlsx'
      ? 'eine Excel-Arbeitsmappe (.xlsx) oder ein anderes ZIP-Archiv. spm liest .xlsx direkt: die Datei mit der Endung .xlsx angeben (files: in spm.yaml) oder in Excel als „CSV (Trennzeichen-getrennt)“ speichern.'
      : kind === 'xls'
        ? 'eine alte Excel-Arbeitsmappe (.xls) oder ein anderes Office-Dokument. Bitte in Excel als .xlsx oder als „CSV (Trennzeichen-getrennt)“ speichern.'
        : kind === 'pdf'
          ? 'ein PDF. Tabellen aus PDFs liest spm nicht; bitte die Daten als CSV oder .xlsx beschaffen.'
          : 'enthält Binärdaten (Nullbytes). Bitte prüfen, ob es wirklich eine CSV-Datei ist (in Excel: Speichern unter → „CSV (Trennzeichen-getrennt)“).'),
  areaFileMissing: (file: string) =>
    `Die Gebietsliste ${q(file)} ist nicht lesbar (areas.file). Pfad relativ zum Projektordner prüfen.`,
  noFiles: (source: string, patterns: readonly string[]) =>
    `Quelle ${q(source)}: keine Datei passt zu ${patterns.map(q).join(', ')} (files, relativ zum Projektordner).`,
  patternEscapes: (source: string, pattern: string) =>
    `Quelle ${q(source)}: das Muster ${q(pattern)} verlässt mit ".." den Projektordner. Dateien in den Projektordner legen oder einen absoluten Pfad angeben.`,
  pathEscapes: (p: string) =>
    `Pfad "${p}" führt mit ".." aus dem Projektordner heraus; Dateien in den Projektordner legen oder einen absoluten Pfad angeben`,
  emptyFile: (file: string) => `Die Datei ${q(file)} ist leer.`,
  pinnedFooterIsData: (n: number, area: string) =>
    `read.skip_bottom: ${n} überspringt diese Zeile als Fußzeile, sie ist aber eine Datenzeile (Gebiet ${q(area)}) und ginge verloren. ` +
    'Die Datei hat wohl keine oder weniger Fußzeilen als angegeben: skip_bottom bei dieser Quelle weglassen (spm erkennt Fußzeilen selbst) oder anpassen.',
  lineTooLong: (file: string, bytes: number) =>
    `Die erste Zeile der Datei ${q(file)} ist länger als ${(bytes / 1048576).toLocaleString('de-DE')} MB (kein Zeilenende gefunden): ` +
    'keine Kopfzeile mit Spaltennamen, sondern eine riesige Zeile. Bitte prüfen, ob die Datei wirklich eine CSV-Datei mit Zeilenumbrüchen ist ' +
    '(z. B. im Editor) und sie neu exportieren; spm liest sie nicht.',
  noDataRows: (file: string) => `Die Datei ${q(file)} enthält keine Datenzeilen (nur die Kopfzeile).`,
  missingHeaders: (file: string, line: number, missing: readonly string[], found: readonly string[]) => {
    const named = found.filter((f) => f.trim() !== '');
    // a title line above the table read as part of a multi-line header: every header starts with it
    let prefix = named[0] ?? '';
    for (const f of named) while (!f.startsWith(prefix)) prefix = prefix.slice(0, -1);
    prefix = prefix.replace(/\s+\S*$/, '').trim();
    const title =
      named.length >= 3 && prefix.length >= 15
        ? ` Alle Überschriften beginnen mit ${q(prefix)}: vermutlich ist eine Titelzeile über der Tabelle als Teil der Kopfzeile gelesen. ` +
          'Die Zeilen über der Kopfzeile mit read.skip_top (ihre Zahl) oder read.range ausschließen; header_rows zählt nur die Zeilen der Kopfzeile.'
        : '';
    // a configured header that is part of a found one ("Stadtgebiet" in "<Titel> Stadtgebiet")
    const near = missing.flatMap((m) => {
      const hit = named.find((f) => f.toLowerCase().includes(m.toLowerCase()));
      return hit === undefined ? [] : [`${q(m)} steckt in ${q(hit)}`];
    });
    const list = named.length > 15 ? [...named.slice(0, 15).map(q), `… (${named.length - 15} weitere)`] : named.map(q);
    return (
      `Kopfzeile (Zeile ${line}): ${missing.length === 1 ? 'Spalte' : 'Spalten'} ${missing.map(q).join(', ')} nicht gefunden.${title} ` +
      (near.length > 0 ? `Am nächsten: ${near.join('; ')}. ` : '') +
      `Erwartet laut Konfiguration: ${missing.map(q).join(', ')}; gefunden: ${list.join(', ')}. ` +
      `Spaltenüberschrift in der Konfiguration (header/column) an die Datei ${q(file)} anpassen.`
    );
  },

  // --- reading -------------------------------------------------------------
  detected: (r: DetectedReadOptions) => {
    const parts: string[] = [];
    const pin: string[] = [];
    if (r.detected.includes('encoding')) {
      parts.push(encodingName(r.encoding) + (r.bom ? ' mit BOM' : ''));
      pin.push(`encoding: ${r.encoding}`);
    }
    if (r.detected.includes('delimiter')) {
      parts.push(delimiterName(r.delimiter));
      pin.push(`delimiter: "${r.delimiter === '\t' ? '\\t' : r.delimiter}"`);
    }
    if (r.detected.includes('decimal')) {
      parts.push(r.decimal === 'comma' ? 'Dezimalkomma' : 'Dezimalpunkt');
      pin.push(`decimal: ${r.decimal}`);
    }
    if (r.detected.includes('thousands')) {
      parts.push(r.thousands === 'none' ? 'ohne Tausendertrennzeichen' : `Tausendertrennzeichen '${r.thousands}'`);
      pin.push(`thousands: "${r.thousands}"`);
    }
    if (r.detected.includes('skip_top') && r.skip_top > 0) {
      parts.push(`${r.skip_top} Zeile(n) über der Kopfzeile`);
      pin.push(`skip_top: ${r.skip_top}`);
    }
    if (r.detected.includes('skip_bottom') && r.skip_bottom > 0) {
      parts.push(`${r.skip_bottom} Fußzeile(n)`);
      pin.push(`skip_bottom: ${r.skip_bottom}`);
    }
    return `erkannt: ${parts.join(', ')} – mit read: { ${pin.join(', ')} } festlegen`;
  },
  sheetMissing: (file: string, sheet: string) =>
    `Excel-Datei ${q(file)}: Tabellenblatt ${q(sheet)} nicht gefunden; read.sheet prüfen (Name oder Nummer ab 1).`,
  xlsxUnreadable: (file: string, why: string) =>
    `Excel-Datei ${q(file)} ist nicht lesbar (${why}); nur .xlsx wird gelesen – ältere .xls in Excel als .xlsx oder CSV speichern.`,
  bomStripped: (enc: DetectedReadOptions['encoding']) =>
    `Byte-Order-Mark (${encodingName(enc)}) am Dateianfang entfernt.`,
  mixedEncodingLine: (line: number, used: string, fileEnc: string) =>
    `Zeile ${line} ist nicht ${fileEnc}-kodiert wie der Rest der Datei; sie wurde als ${used} gelesen. Bitte die Zeile prüfen.`,
  mixedEncodingMore: (count: number, lines: readonly number[], used: string) =>
    `${count} weitere Zeilen wurden als ${used} gelesen (Zeilen ${lineList(lines)}).`,
  undecodableLine: (enc: string) =>
    `Zeile ist nicht als ${enc} lesbar (read.encoding ist fest eingestellt). Kodierung prüfen oder encoding: auto verwenden.`,
  raggedMultiline: (from: number, to: number) =>
    `; Zeilen ${from} bis ${to} wurden als ein Datensatz gelesen (Anführungszeichen in Zeile ${from} nicht geschlossen?)`,
  repeatedHeader: (headerLine: number) =>
    `Die Kopfzeile (Zeile ${headerLine}) steht hier noch einmal (zusammengefügte Dateien?); die Zeile ist keine Datenzeile und wird übersprungen.`,
  bomInside: (lines: readonly number[]) =>
    `Byte-Order-Mark (BOM) am Anfang von Zeile ${lineList(lines)} (zusammengefügte Dateien?) entfernt.`,
  ragged: (expected: number, found: number) =>
    `erwartet ${expected} Felder, gefunden ${found}` +
    (found < expected ? ' (Feld fehlt oder Trennzeichen im Wert ohne Anführungszeichen)' : ' (zusätzliches Feld)'),

  // --- cells ---------------------------------------------------------------
  notANumber: (header: string, cell: string, decimal: string, hintPin: boolean) =>
    `Spalte ${q(header)}: ${qc(cell)} ist keine Zahl` +
    (/%\s*$/.test(cell)
      ? ' (ein Prozentwert: als type: number angeben – das %-Zeichen wird dann entfernt; eine Anzahl (count) kann kein Prozentwert sein)'
      : /^[-+]?\d+([.,]\d+)?$/.test(cell.trim())
        ? ` (gelesen mit ${decimal === 'comma' ? 'Dezimalkomma' : 'Dezimalpunkt'}; weicht diese Spalte von der Datei ab: columns.<name>.decimal festlegen)`
        : !/\d/.test(cell) && cell.trim().length <= 20
          ? ` (ein Zeichen, das spm nicht kennt: steht es für „keine Angabe“, unter read.symbols.missing ergänzen – die Liste ersetzt die Vorgabe, also z. B. read: { symbols: { missing: [${[...DEFAULT_SYMBOLS.missing, cell.trim()].map((x) => JSON.stringify(x)).join(', ')}] } } –, für „genau null“ entsprechend unter read.symbols.zero)`
          : hintPin
            ? ` (gelesen mit ${decimal === 'comma' ? 'Dezimalkomma' : 'Dezimalpunkt'}; ggf. read.decimal/read.thousands festlegen)`
            : ''),
  negativeCount: (header: string, cell: string) =>
    `Spalte ${q(header)}: negative Anzahl ${qc(cell)} – eine Anzahl kann nicht kleiner als 0 sein.`,
  notInteger: (header: string, cell: string) => `Spalte ${q(header)}: ${qc(cell)} ist keine ganze Zahl.`,
  tooLarge: (header: string, cell: string) => `Spalte ${q(header)}: ${qc(cell)} ist unplausibel groß (über 10^15).`,
  notBoolean: (header: string, cell: string) =>
    `Spalte ${q(header)}: ${qc(cell)} ist kein Wahrheitswert (erlaubt: ja/nein, j/n, 1/0, true/false, wahr/falsch).`,
  provisional: (header: string, marker: string, count: number, lines: readonly number[]) =>
    `Spalte ${q(header)}: ${count} Wert(e) mit Kennzeichen ${q(marker)} (${marker === 'p' ? 'vorläufig' : marker === 'r' ? 'berichtigt' : 'geschätzt'}); das Kennzeichen wurde entfernt (Zeilen ${lineList(lines)}).`,

  // --- periods -------------------------------------------------------------
  periodEmpty: (header: string) => `Spalte ${q(header)}: Zeitraum fehlt.`,
  periodInvalidYear: (header: string, cell: string) =>
    `Spalte ${q(header)}: ${qc(cell)} ist kein Kalenderjahr (erwartet z. B. „2023“ oder ein Datum wie „31.12.2023“).`,
  periodInvalidSchuljahr: (header: string, cell: string) =>
    `Spalte ${q(header)}: ${qc(cell)} ist kein Schuljahr (erwartet z. B. „2023/24“ oder „2023/2024“).`,
  periodSchuljahrInKalenderjahr: (header: string, cell: string) =>
    `Spalte ${q(header)}: ${qc(cell)} ist ein Schuljahr, die Quelle ist aber als Kalenderjahr konfiguriert (period.kind: kalenderjahr). ` +
    `Ein Schuljahr wird nur mit period.kind: schuljahr und einer schuljahr_rule (end_year: „2023/24“ → 2024, start_year: → 2023) einem Bezugsjahr zugeordnet; gemischte Zeiträume in einer Spalte werden nicht geraten.`,
  periodKalenderjahrInSchuljahr: (header: string, cell: string, rule: string | undefined) =>
    `Spalte ${q(header)}: ${qc(cell)} ist ein Kalenderjahr, die Quelle ist aber als Schuljahr konfiguriert (period.kind: schuljahr, erwartet z. B. „2023/24“). ` +
    `Ein Schuljahr wird nach schuljahr_rule (${rule ?? '–'}) einem Bezugsjahr zugeordnet (end_year: „2023/24“ → 2024, start_year: → 2023); ` +
    `ob ein einzelnes Jahr Anfangs- oder Endjahr meint, ist nicht erkennbar, daher wird die Zeile nicht geladen. Zeitraum in der Datei als Schuljahr angeben.`,

  // --- areas ---------------------------------------------------------------
  totalRow: (cell: string) =>
    `${qc(cell)} ist eine Summenzeile (Insgesamt/Kommune/Kreis), kein Gebiet; sie wird nicht geladen, damit nichts doppelt gezählt wird.`,
  unknownArea: (cell: string, level: string, top?: string) =>
    `Gebiet ${qc(cell)} ist in der Gebietsliste nicht bekannt (Ebene ${level}). ` +
    (top === undefined
      ? ''
      : `Ist die Zeile die Summe von ${qc(top)} unter anderem Namen, diesen Namen unter areas.top.aliases eintragen (nicht in die Gebietsliste: sonst zählte die Summe doppelt). `) +
    `Sonst Gebietsliste ergänzen oder Kennung korrigieren` +
    ` (enthält die Zelle Kennung und Name, z. B. "01 Altstadt - Lehel": area.pattern; enthält die Datei auch Gebiete außerhalb des Projekts: area.unknown: ignore).`,
  ambiguousArea: (cell: string, level: string, candidates: readonly { id: string; name: string }[]) =>
    `Gebiet ${qc(cell)} ist nicht eindeutig (Ebene ${level}): passt zu ${candidates.map((c) => `${qc(c.id)} (${c.name})`).join(', ')}. ` +
    `Die Zeile wird nicht geraten; in der Gebietsliste die Schreibweise nur einem Gebiet geben (Spalte aliase) oder area.match ändern.`,
  areaMatchedBySpelling: (count: number, lines: readonly number[], example: string, id: string) =>
    `${count} Gebietsangabe(n) über Name oder andere Schreibweise der Gebietsliste zugeordnet (z. B. ${qc(example)} → ${qc(id)}): Zeile(n) ${lineList(lines)}.`,
  aliasConflict: (label: string, alias: string, id: string, other: string) =>
    `${label} ${qc(id)}: die andere Schreibweise ${qc(alias)} ist schon die Kennung von ${qc(other)}; eine Kennung geht immer vor, der Alias wäre wirkungslos. Alias entfernen oder ändern.`,
  outsideProject: (cell: string) =>
    `Gebiet ${qc(cell)} gehört nicht zum Projekt (area.unknown: ignore); die Zeile wird gezählt, aber nicht geladen.`,
  noPeriodInFileName: (base: string) =>
    `Im Dateinamen ${q(base)} steht kein Zeitraum (erwartet z. B. "bevoelkerung_2023.csv"); period.from_file_name anpassen oder period.value angeben.`,
  periodLabelRow: () => 'Zeile nennt nur den Zeitraum der folgenden Zeilen (period.fill_down); keine Datenzeile.',
  noPeriodInTitle: (file: string, line: number, titles: readonly string[]) =>
    `Datei ${q(file)}: in den Titelzeilen über der Kopfzeile (Zeile ${line}) steht kein Zeitraum` +
    (titles.length > 0 ? ` (gelesen: ${titles.slice(0, 5).map(q).join(', ')})` : ' (keine Titelzeilen)') +
    `; period.from_title anpassen oder period.value angeben.`,
  noPeriodHeaders: (file: string, line: number, found: readonly string[]) =>
    `Kopfzeile (Zeile ${line}): keine Spaltenüberschrift enthält einen Zeitraum (period.in_headers: true erwartet z. B. "2023" oder "31.12.2023"); gefunden: ${found.map(q).join(', ')}. ` +
    `Bei gestapelten Kopfzeilen read.header_rows angeben; Datei ${q(file)}.`,
  areaEmpty: (header: string) => `Spalte ${q(header)}: Gebietskennung fehlt.`,
  areaNotValid: (id: string, year: number, from?: number, to?: number) =>
    `Gebiet ${qc(id)} ist im Jahr ${year} nicht gültig (gültig ${from ?? '…'} bis ${to ?? '…'} laut Gebietsliste).`,
  leadingZeroRepaired: (count: number, lines: readonly number[], example: string, repaired: string) =>
    `${count} Gebietskennung(en) ohne führende Null (z. B. ${qc(example)} → ${qc(repaired)}, von Excel entfernt) wurden ergänzt: Zeile(n) ${lineList(lines)}.`,
  agsRepaired: (cell: string, repaired: string) =>
    `Kennung ${qc(cell)} hat nur 7 Ziffern (führende Null von Excel entfernt) und wurde zu ${qc(repaired)} ergänzt.`,
  agsInvalid: (cell: string) => {
    const c = cell.trim();
    // the codes the Statistischen Ämter publish beside the AGS (regionalstatistik.de, Rheinland-Pfalz's
    // Verbandsgemeinden): a Regionalschlüssel with the Gemeindeverband (10 or 12 digits) holds the AGS
    // as its first 5 and last 3 digits; 7 or 9 digits are the Gemeindeverband itself
    const hint = /^(\d{10}|\d{12})$/.test(c)
      ? ` Das ist wohl ein Regionalschlüssel mit dem Gemeindeverband; der Gemeindeschlüssel sind seine ersten 5 und letzten 3 Stellen (${c.slice(0, 5)}${c.slice(-3)}).`
      : /^(\d{7}|\d{9})$/.test(c)
        ? ' Das ist wohl der Schlüssel eines Gemeindeverbands (z. B. einer Verbandsgemeinde), kein Gemeindeschlüssel. ' +
          'Für solche Ebenen die Gebietsstruktur selbst angeben (areas.top und areas.levels, ohne code: ags), siehe README „Gebietsstrukturen“.'
        : '';
    return `Kommunen-AGS ${qc(cell)} ist kein achtstelliger Gemeindeschlüssel.${hint}`;
  },
  agsOutsideKreis: (cell: string, kreisAgs: string) =>
    `Gemeindeschlüssel ${qc(cell)} liegt nicht im Kreis ${kreisAgs} (muss mit ${kreisAgs} beginnen).`,
  duplicateSozialraum: (id: string, firstLine: number) =>
    `Sozialraum ${qc(id)} steht doppelt in der Gebietsliste (zuerst in Zeile ${firstLine}).`,
  duplicateArea: (label: string, id: string, firstLine: number) =>
    `${label} ${qc(id)} steht doppelt in der Gebietsliste (zuerst in Zeile ${firstLine}).`,
  parentConflict: (label: string, id: string, a: string, b: string, firstLine: number) =>
    `${label} ${qc(id)} gehört in der Gebietsliste zu zwei übergeordneten Gebieten: ${qc(a)} (Zeile ${firstLine}) und ${qc(b)}.`,
  codeInvalid: (label: string, id: string) =>
    `Schlüssel ${qc(id)} (${label}) enthält ein Zeichen, das in Dateinamen nicht erlaubt ist (/ \\ : * ? " < > | oder ein Steuerzeichen); Schlüssel ohne diese Zeichen verwenden.`,
  groupCodeTaken: (label: string, id: string) =>
    `Schlüssel ${qc(id)} (${label}) ist schon der Schlüssel eines Gebiets oder einer anderen Gliederung; Schlüssel müssen eindeutig sein.`,
  duplicateMember: (area: string, label: string, firstLine: number) =>
    `Gebiet ${qc(area)} ist in der Gliederung ${label} schon einer Gruppe zugeordnet (Zeile ${firstLine}); jedes Gebiet gehört zu höchstens einer Gruppe.`,
  levelGap: (emptyHeader: string, filledHeader: string) =>
    `Spalte ${q(emptyHeader)} ist leer, aber ${q(filledHeader)} (eine tiefere Ebene) ist gefüllt; jede Zeile braucht die Schlüssel aller Ebenen darüber.`,
  totalRowCode: (cell: string, levelLabel: string) =>
    `${qc(cell)} ist der Schlüssel eines Gebiets der Ebene ${levelLabel}, also eine Summenzeile, kein eigenes Gebiet; sie wird nicht geladen, damit nichts doppelt gezählt wird.`,
  nameConflict: (label: string, id: string, a: string, b: string) =>
    `${label} ${q(id)} hat in der Gebietsliste zwei Namen: ${qc(a)} und ${qc(b)}; verwendet wird ${qc(a)}.`,
  areaMissingColumns: (missing: readonly string[]) =>
    `Gebietsliste: ${missing.map(q).join(', ')} fehlt; mindestens kommune_ags ist nötig.`,
  badValidYear: (header: string, cell: string) => `Spalte ${q(header)}: ${qc(cell)} ist keine Jahreszahl.`,
  kommuneNameConflict: (ags: string, a: string, b: string) =>
    `Kommune ${q(ags)} hat in der Gebietsliste zwei Namen: ${qc(a)} und ${qc(b)}; verwendet wird ${qc(a)}.`,

  // --- keys ----------------------------------------------------------------
  duplicateNamesake: (name: string, levelLabel: string, id: string) =>
    ` Hinweis: ${qc(name)} ist auch der Name ${levelLabel === '' ? 'eines anderen Gebiets' : `des Gebiets der Ebene ${levelLabel}`} ${q(id)}; ` +
    `eine der Zeilen ist vermutlich dessen Summenzeile (meist die spätere). Summenzeilen erkennt spm am Schlüssel, nicht am Namen: ` +
    `eine Spalte mit den Gebietscodes als area.column angeben, oder die Summenzeilen mit read.range bzw. read.skip_bottom ausschließen.`,
  duplicateKey: (area: string, year: number, others: readonly string[], textHint: readonly string[] = []) =>
    `Schlüssel doppelt: Gebiet ${qc(area)}, Jahr ${year} kommt mehrfach vor (auch ${others.join(', ')}). ` +
    `Alle Zeilen dieses Schlüssels werden abgewiesen, nicht summiert; die Lieferung bereinigen.` +
    (textHint.length > 0
      ? ` Hinweis: die Datei ist wohl im Langformat (eine Zeile je Gebiet, Jahr und Merkmal); die Spalte(n) ${textHint.map(q).join(', ')}` +
        ` unterscheiden die Zeilen – als columns mit type: text angeben, dann gehören sie zum Schlüssel.`
      : ''),
} as const;
