/** Formatting of library results for the terminal (German). */
import type {
  ComputeRunResult,
  DetectedReadOptions,
  Issue,
  SourceSummary,
  ValidateResult,
  RejectGroup,
} from '../src/index.js';
import { formatIssue } from '../src/util/issues.js';
import { dativePluralDe } from '../src/charts/levels.js';
import { GOAL_VERDICT_LABEL, GOAL_VERDICTS } from '../src/steering/goals.js';

const nf = new Intl.NumberFormat('de-DE');
export const n = (x: number): string => nf.format(x);

const ENC: Record<DetectedReadOptions['encoding'], string> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252',
  latin1: 'Latin-1',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
};

/** "erkannt: Windows-1252, ';', Dezimalkomma, 1 Titelzeile" — only the auto-detected parts. */
export function describeDetected(r: DetectedReadOptions): string {
  const parts: string[] = [];
  const d = new Set(r.detected);
  if (d.has('encoding')) parts.push(`encoding: ${r.encoding}${r.bom ? ' (BOM)' : ''}`);
  if (d.has('delimiter')) parts.push(`delimiter: "${r.delimiter === '\t' ? '\\t' : r.delimiter}"`);
  if (d.has('decimal')) parts.push(`decimal: ${r.decimal}`);
  if (d.has('thousands')) parts.push(`thousands: "${r.thousands}"`);
  if (d.has('skip_top') && r.skip_top) parts.push(`skip_top: ${r.skip_top}`);
  if (d.has('skip_bottom') && r.skip_bottom) parts.push(`skip_bottom: ${r.skip_bottom}`);
  return parts.length
    ? `erkannt (mit read: {…} festlegbar): ${parts.join(', ')}`
    : `gelesen als ${ENC[r.encoding]}, "${r.delimiter}"`;
}

export function printSources(sources: SourceSummary[], out: (s: string) => void): void {
  out('Quellen (gelesen = geladen + abgewiesen):');
  for (const s of sources) {
    const of: string[] = [];
    if (s.rows_totals) of.push(`${n(s.rows_totals)} Summenzeilen`);
    if (s.rows_outside_project) of.push(`${n(s.rows_outside_project)} außerhalb des Projekts`);
    out(
      `  ${s.source}: ${n(s.rows_read)} gelesen, ${n(s.rows_loaded)} geladen, ${n(s.rows_rejected)} abgewiesen${of.length ? ` (davon ${of.join(', ')})` : ''}`,
    );
    // Files read the same way (one per year) share one line.
    const groups = new Map<string, SourceSummary['files']>();
    for (const f of s.files) {
      const key = describeDetected(f.read);
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const [how, files] of groups) {
      const name =
        files.length === 1
          ? (files[0]?.file ?? '')
          : `${files[0]?.file} … ${files[files.length - 1]?.file} (${files.length} Dateien)`;
      out(`    ${name}: ${how}`);
    }
  }
}

/**
 * Warnings and errors; the same problem in many lines of one file (same code,
 * file and column) is one line with the count and the first lines.
 */
export function printIssues(
  issues: readonly Issue[],
  out: (s: string) => void,
  limit = 50,
  more = '(siehe manifest.json)',
): void {
  const groups = new Map<string, Issue[]>();
  for (const i of issues) {
    if (i.severity === 'info') continue;
    const key =
      i.line === undefined
        ? `${groups.size}\u0000single`
        : [i.severity, i.code, i.file ?? '', i.column ?? '', i.path ?? ''].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const list = [...groups.values()];
  for (const g of list.slice(0, limit)) {
    const first = g[0] as Issue;
    if (g.length === 1) out(formatIssue(first));
    else {
      const lines = g
        .slice(0, 8)
        .map((i) => i.line)
        .join(', ');
      const { line: _line, ...noLine } = first;
      out(`${formatIssue(noLine)} (${n(g.length)}×, Zeilen ${lines}${g.length > 8 ? ', …' : ''}; erste Meldung)`);
    }
  }
  if (list.length > limit) out(`… und ${n(list.length - limit)} weitere ${more}`);
}

/** One line per cause (source, file, code, column) with count, example lines and values, and a hint. */
export function printRejectGroups(groups: readonly RejectGroup[], out: (s: string) => void, limit = 30): void {
  for (const g of groups.slice(0, limit)) {
    // reasons that differ in more than the quoted value (the area code)
    const shape = (r: string) => r.replace(/„[^“]*“/g, '„…“');
    if (g.count <= 5 && g.reasons.some((r) => shape(r) !== shape(g.reasons[0] ?? ''))) {
      // a few rows whose reasons differ (too few vs too many fields, which other line
      // holds the same key): each with its own file:line and reason, as the loader reported it
      g.lines.forEach((line, i) =>
        out(`Abgewiesen: ${g.file}:${line}${g.column ? `, Spalte "${g.column}"` : ''}: ${g.reasons[i] ?? g.reason}`),
      );
      if (g.hint) out(`  Vermutlich: ${g.hint}`);
      continue;
    }
    const where = `${g.file}${g.count === 1 ? `:${g.lines[0]}` : ''}${g.column ? `, Spalte "${g.column}"` : ''}`;
    const lines = g.count > 1 ? ` – Zeilen ${g.lines.join(', ')}${g.count > g.lines.length ? ', …' : ''}` : '';
    const vals =
      g.values.length > 1 || (g.values.length === 1 && g.count > 1)
        ? `; Werte: ${g.values.map((v) => `"${v.value}" (${n(v.count)}×)`).join(', ')}`
        : '';
    out(
      `Abgewiesen${g.count > 1 ? ` (${n(g.count)} Zeilen)` : ''}: ${where}: ${g.reason}${g.count > 1 ? ' (erste)' : ''}${lines}${vals}`,
    );
    if (g.hint) out(`  Vermutlich: ${g.hint}`);
  }
  if (groups.length > limit)
    out(
      `… und ${n(groups.length - limit)} weitere Gruppen (alle Zeilen: spm validate --json; spm compute schreibt sie nach abgewiesene_zeilen.csv)`,
    );
}

/**
 * The output files for the end line: files that differ only in an area code (the per-Kommune
 * `vergleich/vergleich_<AGS>.csv`, some 400 at NRW size) are named once with their count, so the
 * line stays readable; every file is in the manifest.
 */
export function outputList(files: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const key = f.replace(/(?<=_)\d{5,12}(?=\.)/, '<AGS>');
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  return [...groups].flatMap(([key, g]) => (g.length > 3 ? [`${key} (${n(g.length)} Dateien)`] : g)).join(', ');
}

/**
 * The note after a pass that published only with "numerator <= denominator" as relations: how many
 * small counts the first pass could not protect, in how many further passes they were protected, and
 * with how many pairs. Without the counts (a summary from a cache of an older spm) it names none.
 */
export function boundPairsNote(pairs: number, firstRefused?: number, passes?: number): string {
  const one = firstRefused === 1;
  const counts = one
    ? 'eine kleine Fallzahl'
    : firstRefused
      ? `${n(firstRefused)} kleine Fallzahlen`
      : 'kleine Fallzahlen';
  const further = passes !== undefined && passes > 2 ? `${n(passes - 1)} weiteren Durchgängen` : 'einem weiteren';
  return (
    `Hinweis: Im ersten Durchgang ${one ? 'ließ' : 'ließen'} sich ${counts} nicht schützen, weil veröffentlichte Zähler und Nenner ` +
    `anderer Kennzahlen sie eingrenzten; geschützt ${one ? 'ist' : 'sind'} sie in ${further}, mit „Zähler <= Nenner“ für ${n(pairs)} ` +
    `Zähler-Nenner-Paar${pairs === 1 ? '' : 'e'} als Beziehung (mehr Sperrungen, auch in diesen Kennzahlen).`
  );
}

export function printCompute(r: ComputeRunResult, out: (s: string) => void): void {
  out(
    `spm compute: ${r.project}${r.synthetic && !/synthetisch/i.test(r.project) ? ' (synthetische Beispieldaten)' : ''}`,
  );
  printSources(r.sources, out);
  printIssues(r.issues, out);
  const s = r.results.byStatus;
  out(
    `Ergebnis: ${n(r.results.rows)} Werte für ${r.results.indicators} Indikatoren – ok ${n(s.ok)}, geschätzt ${n(s.estimated)}, ` +
      `unplausibel ${n(s.implausible)}, unter Mindestnenner ${n(s.below_min_denominator)}, Nenner 0 ${n(s.zero_denominator)}, ` +
      `in der Quelle gesperrt ${n(s.suppressed_input)}, fehlend ${n(s.missing_input)}, abgewiesen ${n(s.rejected_input)}, ` +
      `Summe unvollständig ${n(s.incomplete_input)}`,
  );
  if (r.totalsRows) out(`${n(r.totalsRows)} Summenzeilen (z. B. "Insgesamt") nicht als Gebiete geladen.`);
  if (r.rejected) {
    // a row of a known area and year flags its own value; one without (unknown area) every sum it lacks
    const affected = [
      s.rejected_input > 0 ? `${n(s.rejected_input)} mit dem Status rejected_input (abgewiesen)` : '',
      s.incomplete_input > 0
        ? `${n(s.incomplete_input)} mit dem Status incomplete_input (Summe unvollständig: Zeilen ohne gültiges Gebiet fehlen darin)`
        : '',
    ].filter((x) => x !== '');
    out(
      `Achtung: ${n(r.rejected)} Eingangszeilen abgewiesen; betroffene Werte: ${affected.length > 0 ? affected.join(', ') : 'keine in den ausgegebenen Kennzahlen'} (Liste: abgewiesene_zeilen.csv).`,
    );
  }
  const m = r.results.masks;
  const all = r.results.protectedIndicators;
  out(
    `Geheimhaltung: ${n(m.primary)} Zellen primär, ${n(m.secondary)} sekundär gesperrt, ${n(m.input)} in der Quelle gesperrt` +
      (all !== undefined && all > r.results.indicators
        ? ` (über alle ${all} Indikatoren: jede Auswahl mit --indicator zeigt dieselben Sperrungen wie der ganze Satz).`
        : '.'),
  );
  if (m.tightBoundsOnly)
    out(
      `Hinweis: ${m.tightBoundsOnly === 1 ? 'Ein geschützter Wert ist' : `${n(m.tightBoundsOnly)} geschützte Werte sind`} ohne die wahren Nenner ` +
        'unter dem Mindestnenner als Obergrenze geprüft, nur mit dem, was der Status „unter Mindestnenner“ zeigt (Zähler <= Nenner <= Mindestnenner - 1): ' +
        'mit ihnen (mehr, als ein Angreifer weiß) schützte keine Sperrung.',
    );
  if (m.boundPairs) out(boundPairsNote(m.boundPairs, m.firstRefused, m.passes));
  if (m.dataRelations?.length)
    out(
      `Hinweis: In jeder vollständigen Zelle der Daten gilt ${m.dataRelations.join('; ')}. ` +
        `${m.dataRelations.length === 1 ? 'Diese Gleichung ist' : 'Diese Gleichungen sind'} weder unter relations: erklärt noch aus den Filtern ` +
        'ableitbar; die Geheimhaltung rechnet mit ihnen (wer Spaltennamen und Filter liest, kennt sie). Unter relations: erklären, ' +
        'damit spm sie auch in künftigen Lieferungen prüft.',
    );
  const e = m.earlier;
  if (e) {
    out(
      `Frühere Veröffentlichung (${n(e.files)} Datei${e.files === 1 ? '' : 'en'}): ${n(e.pinned)} Anzahlen daraus gelten als bekannt; ` +
        'die Sperrungen schützen auch zusammen mit ihr.' +
        (e.limited > 0
          ? ` ${e.limited === 1 ? 'Einen geschützten Wert' : `${n(e.limited)} geschützte Werte`} hatte sie schon so weit eingegrenzt, wie es jetzt jede Sperrung täte; diese Veröffentlichung grenzt ${e.limited === 1 ? 'ihn' : 'sie'} nicht weiter ein.`
          : '') +
        (e.changed > 0 ? ` ${n(e.changed)} Anzahlen haben sich seither geändert (nicht als bekannt gezählt).` : ''),
    );
    if (e.unmatched > 0)
      out(
        `Achtung: ${n(e.unmatched)} Anzahlen der früheren Veröffentlichung gehören zu Zeilen, die es jetzt nicht gibt` +
          (e.dropped.length > 0
            ? ` (Indikatoren nicht mehr im Satz: ${e.dropped.join(', ')})`
            : ' (umbenannte Gebiete, weggelassene Jahre)') +
          '; die Prüfung kennt sie nicht. Hängen sie mit veröffentlichten Zahlen zusammen (z. B. Übergewicht ohne Adipositas mit inkl. und Adipositas), den Indikator im Satz lassen.',
      );
    if (e.small > 0)
      out(
        `Achtung: ${n(e.small)} kleine Anzahlen (unter min_count) stehen in der früheren Veröffentlichung; sie sind jetzt gesperrt, aber schon bekannt.`,
      );
  }
  out(
    `Ausgabe in ${r.outDir}: ${outputList(r.outputs.map((o) => o.file))}${r.charts ? `, charts/ (${n(r.charts.files)} Dateien)` : ''}`,
  );
  if (r.sozialindex) {
    const si = r.sozialindex;
    const per = si.years
      .map((y, i) => `${y}: ${n(si.ranked[i] ?? 0)} von ${n(si.areas[i] ?? 0)} ${dativePluralDe(si.level_label)}`)
      .join('; ');
    out(
      `Sozialindex (sozialindex/, Steckbrief sozialindex/steckbrief.md): ${per}; ohne Index: gesperrter oder fehlender Eingangswert.`,
    );
  }
  if (r.goals) {
    const goals = r.goals;
    const parts = GOAL_VERDICTS.filter((v) => goals[v]).map((v) => `${n(goals[v] ?? 0)} ${GOAL_VERDICT_LABEL[v]}`);
    const total = GOAL_VERDICTS.reduce((a, v) => a + (goals[v] ?? 0), 0);
    out(`Ziele: ${n(total)} – ${parts.join(', ')} (vergleich/ziele.csv).`);
  }
  if (r.outputs.some((o) => o.unmasked)) out('ACHTUNG: intern/ enthält UNMASKIERTE Werte – nicht veröffentlichen.');
}

export function printValidate(r: ValidateResult, out: (s: string) => void): void {
  out(`spm validate: ${r.project} – ${r.indicators} Indikatoren`);
  printSources(r.sources, out);
  // problems that are rejected rows are shown once, grouped with them
  const rejected = new Set(r.rejects.map((x) => `${x.file}:${x.line}`));
  printIssues(
    r.issues.filter((i) => i.line === undefined || !rejected.has(`${i.file}:${i.line}`)),
    out,
    50,
    '(alle: spm validate --json)',
  );
  printRejectGroups(r.rejectGroups, out);
  out(r.ok ? 'Keine Fehler gefunden.' : 'Es gibt Fehler (siehe oben).');
}
