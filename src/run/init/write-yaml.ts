/**
 * `spm init`, step 3: the proposal as a commented spm.yaml and gebiete.csv.
 * Values the files cannot tell (Datenhalter, Stand, Namen) are marked
 * `TODO`; `spm validate` warns while any is left.
 */
import { canonicalSchema } from '../../config/canonical/schemas.js';
import type { Proposal, ProposedSource } from './propose.js';

/** Marker of a value `spm init` could not know; `spm validate` warns about it. */
export const TODO = 'TODO';

const q = (s: string): string => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

export function renderSpmYaml(p: Proposal, folderName: string): string {
  const L: string[] = [];
  L.push(
    '# spm.yaml – erzeugt von `spm init`. Bitte prüfen und die mit TODO markierten Stellen ergänzen;',
    '# `spm validate` zeigt, was noch fehlt, `spm indicators` welche Kennzahlen das Projekt liefern kann.',
    '# Editor-Unterstützung: `spm schema --out .` und dann in der ersten Zeile:',
    '#   # yaml-language-server: $schema=./spm.schema.json',
    `name: ${q(`${folderName} – Präventionsmonitoring`)}`,
  );
  if (p.stadt) L.push(...renderCityAreas(p.stadt));
  else
    L.push(
      'kreis:',
      p.kreisAgs
        ? `  ags: ${q(p.kreisAgs)}   # aus den Gemeindeschlüsseln der Dateien abgeleitet – bitte prüfen`
        : `  ags: ""   # TODO: fünfstelliger Kreisschlüssel als Text, z. B. "05558"`,
      `  name: ${q(p.kreisName ?? `${TODO}: Name des Kreises`)}`,
      '',
      '# Gebietsliste: Sozialraum -> Kommune (AGS, achtstellig) -> Kreis. `spm init` hat die',
      '# Gebietscodes aus den Dateien eingetragen; Namen und fehlende Gemeindeschlüssel ergänzen.',
      'areas:',
      '  file: gebiete.csv',
      '  read: { encoding: utf-8, delimiter: ";" }',
    );
  L.push('', 'sources:');
  for (const s of p.sources) L.push(...renderSource(s, p.shape === 'stadt'), '');
  if (p.leftOut.length > 0) {
    L.push('# Nicht zugeordnete Dateien (von Hand als Quelle eintragen oder aus dem Ordner nehmen):');
    for (const f of p.leftOut) L.push(`#   ${f.file}: ${f.why}`);
    L.push('');
  }
  L.push(
    '# Kennzahlen: das mitgelieferte Standardset; ohne include alle, deren Quellen oben vorhanden sind.',
    '# Auswahl: include/exclude mit Familien (demografie, soziale_lage, gesundheit_seu, gesundheit_u,',
    '# bildung, jugendhilfe, fruehe_hilfen) oder Indikator-ids; einzelne Definitionen ändern mit overrides,',
    '# z. B. overrides: { seu_adipositas: { min_denominator: 30 } }. Eigene Indikatoren: Ordner "indicators".',
    'indicators:',
    '  - use: spm:standard',
    '',
    'output: out',
    '',
    'settings:',
    '  min_denominator: 20     # kein Wert bei weniger als 20 im Nenner',
    '  suppression: { min_count: 3 }   # Anzahlen 1 und 2 werden nicht veröffentlicht',
  );
  if (p.years.length > 0)
    L.push(`  years: { from: ${p.years[0]}, to: ${p.years[p.years.length - 1]} }   # in den Dateien gefunden`);
  return L.join('\n') + '\n';
}

/** A kreisfreie Stadt: the top and its levels instead of `kreis:` (README: „Gebietsstrukturen“). */
function renderCityAreas(c: NonNullable<Proposal['stadt']>): string[] {
  const levels = c.levels.length > 0 ? c.levels : [{ name: 'stadtbezirk', label: 'Stadtbezirk' }];
  return [
    '# Eine kreisfreie Stadt (README: „Gebietsstrukturen“): die Gesamtstadt steht unter areas.top,',
    `# die Ebenen darunter unter areas.levels, von oben nach unten (${levels.map((l) => l.label).join(' > ')}).`,
    '# `spm init` hat die Gebietscodes und Namen aus den Dateien in gebiete.csv eingetragen.',
    'areas:',
    '  file: gebiete.csv',
    '  read: { encoding: utf-8, delimiter: ";" }',
    '  top:',
    '    level: stadt',
    '    label: Stadt',
    c.id
      ? `    id: ${q(c.id)}${c.idFromFiles ? '   # aus dem Gemeindeschlüssel der Dateien – bitte prüfen' : ''}`
      : `    id: ""   # TODO: Gemeindeschlüssel der Stadt als Text, achtstellig, z. B. "09162000"`,
    `    name: ${q(c.name ?? `${TODO}: Name der Stadt`)}`,
    '    # aliases: ["Stadt …"]   # andere Schreibweisen des Namens in den Dateien (Summenzeilen der Stadt)',
    '  levels:',
    ...levels.map(
      (l) => `    - { name: ${l.name}, label: ${q(l.label)}, id_column: ${l.name}_id, name_column: ${l.name}_name }`,
    ),
    ...(c.levels.length === 0
      ? ['    # TODO: keine Gebietsspalte einer Stadt erkannt; Ebenen und gebiete.csv von Hand anlegen']
      : []),
  ];
}

/** `oneStichtag`: a source of several schemas whose Stichtage differ gets a TODO (Stadt shape). */
function renderSource(s: ProposedSource, oneStichtag = false): string[] {
  const schema =
    s.schemas.length === 0 ? undefined : s.schemas.length === 1 ? s.schemas[0] : `[${s.schemas.join(', ')}]`;
  const title = s.schemas.length ? canonicalSchema(s.schemas[0]!)!.title : `${TODO}: Titel der Quelle`;
  const r = s.first.read;
  const L: string[] = [];
  L.push(
    `  # ${s.fileCount > 1 ? `${s.fileCount} Dateien` : s.first.file}: ${s.first.rows} Datenzeilen${s.years.length ? `, Jahre ${s.years[0]}–${s.years[s.years.length - 1]}` : ''}; erkannt: ${encName(r.encoding)}${r.bom ? ' mit BOM' : ''}, Trennzeichen ${q(r.delimiter)}${r.skip_top ? `, ${r.skip_top} Titelzeile(n)` : ''}${r.skip_bottom ? `, ${r.skip_bottom} Fußzeile(n)` : ''}`,
  );
  L.push(`  - id: ${s.id}`);
  L.push(`    title: ${q(title)}`);
  if (schema) L.push(`    schema: ${schema}   # kanonisches Quellschema (indicators/SCHEMAS.md)`);
  else L.push('    # kein kanonisches Quellschema erkannt: Spalten für eigene Indikatoren unten zuordnen');
  L.push(`    files: ${q(s.files)}`);
  L.push(
    `    kind: ${s.kind}${s.kind === 'microdata' ? '   # eine Zeile je Kind / Fall' : '   # eine Zeile je Gebiet und Jahr'}`,
  );
  L.push(`    read: { encoding: ${r.encoding}, delimiter: ${q(r.delimiter)} }`);
  L.push(`    area: { column: ${q(s.area.column)}, level: ${s.area.level} }`);
  L.push(
    s.period.kind === 'schuljahr'
      ? `    period: { column: ${q(s.period.column)}, kind: schuljahr, schuljahr_rule: end_year }   # 2023/24 -> 2024 (Einschulung); prüfen`
      : `    period: { column: ${q(s.period.column)}, kind: kalenderjahr }`,
  );
  if (s.columns.length === 0) L.push('    columns: {}');
  else {
    L.push('    columns:   # kanonischer Name: { header: Überschrift in der Datei } (Typ aus dem Schema)');
    for (const c of s.columns) L.push(`      ${c.canonical}: { header: ${q(c.header)} }`);
  }
  if (s.unmatched.length > 0) L.push(`    # nicht zugeordnete Spalten: ${s.unmatched.map(q).join(', ')}`);
  const sc = s.schemas.length ? canonicalSchema(s.schemas[0]!) : undefined;
  const days = [...new Set(s.schemas.map((x) => canonicalSchema(x)!.stichtag))];
  if (oneStichtag && days.length > 1)
    L.push(
      `    stichtag: ${q(`${TODO}: Stichtag (${s.schemas.map((x) => `${x}: ${canonicalSchema(x)!.stichtag}`).join(', ')})`)}`,
    );
  else L.push(`    stichtag: ${q(sc?.stichtag ?? `${TODO}: Stichtag`)}`);
  L.push(`    owner: ${q(s.owner ?? `${TODO}: Datenhalter`)}`);
  L.push('    # stand: "2025-03-31"   # Stand der Lieferung (erscheint in jeder Kennzahl)');
  return L;
}

function encName(e: string): string {
  return e === 'windows-1252' ? 'Windows-1252' : e === 'utf-8' ? 'UTF-8' : e;
}

/**
 * gebiete.csv: every Sozialraum found; Kommunen without Sozialräume as their own rows. For a Stadt,
 * id and name per declared level, one row per smallest area found.
 */
export function renderAreasCsv(p: Proposal): string {
  const cell = (s: string): string => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  if (p.stadt) {
    const levels = p.stadt.levels.length > 0 ? p.stadt.levels : [{ name: 'stadtbezirk' }];
    const out = [[...levels.flatMap((l) => [`${l.name}_id`, `${l.name}_name`]), 'gueltig_ab', 'gueltig_bis'].join(';')];
    for (const r of p.stadt.rows) out.push([...r.flatMap((x) => [x.id, x.name]), '', ''].map(cell).join(';'));
    return out.join('\n') + '\n';
  }
  const rows = ['sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis'];
  for (const a of p.areas)
    rows.push([a.sozialraum_id, a.sozialraum_name, a.kommune_ags, a.kommune_name, '', ''].map(cell).join(';'));
  for (const k of p.kommunen) rows.push(['', '', k.ags, k.name, '', ''].map(cell).join(';'));
  return rows.join('\n') + '\n';
}
