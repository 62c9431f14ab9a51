/**
 * The refusal to publish beside earlier releases that hold counts the protection pass cannot know
 * (see `EarlierReleaseRefused`). A `PublicationRefused`: the CLI prints it and exits with code 3.
 */
import path from 'node:path';
import type { EarlierDifference, EarlierReleases } from './earlier.js';
import { PublicationRefused, place, ROLE } from '../privacy/refusal.js';

/**
 * The refusal to publish beside earlier releases (`settings.suppression.frueher_veroeffentlicht`)
 * that hold counts the pass cannot know: counts in rows this run does not have (an area change
 * dated into published years, an indicator or a year left out) and counts this run has with
 * another value (revised data). The pass takes only an earlier count with this run's value in
 * this run's row as known; the others, with the equations of the earlier release, can narrow a
 * count masked now (a split Sozialraum's two parts against the old one; an unchanged masked pair
 * against a revised Kommune sum). Nothing is written; `frueher_abweichend_hinnehmen: true` publishes
 * anyway, as the planner's decision.
 */
export class EarlierReleaseRefused extends PublicationRefused {
  readonly earlier: EarlierReleases;
  constructor(earlier: EarlierReleases, root: string, threshold: number) {
    super(0, [], threshold);
    this.name = 'EarlierReleaseRefused';
    this.earlier = earlier;
    this.message = earlierRefusalLines(earlier, root).join('\n');
  }
}

const n = (x: number): string => x.toLocaleString('de-DE');

function earlierRow(d: EarlierDifference): string {
  const what = `${d.indicator_id} (${ROLE[d.role] ?? d.role}), ${place(d)}`;
  return d.now === null
    ? `${what}: früher ${n(d.earlier)}, jetzt keine solche Zeile`
    : `${what}: früher ${n(d.earlier)}, jetzt ${n(d.now)}`;
}

/** The German message: what differs, examples, why nothing is published, what the planner can do. */
export function earlierRefusalLines(e: EarlierReleases, root: string): string[] {
  const files = e.files.map((f) => path.relative(root, f) || f).join(', ');
  const lines = [
    `Geheimhaltung: Die frühere Veröffentlichung (${files}) passt nicht zu diesem Lauf. Es wird nichts veröffentlicht; ` +
      'was ein früherer Lauf geschrieben hat, bleibt unverändert.',
  ];
  if (e.unmatched > 0)
    lines.push(
      `  ${n(e.unmatched)} Anzahlen daraus gehören zu Zeilen, die es jetzt nicht gibt` +
        (e.dropped.length > 0 ? ` (Indikatoren nicht mehr im Satz: ${e.dropped.join(', ')})` : '') +
        '.',
    );
  if (e.changed > 0)
    lines.push(`  ${n(e.changed)} Anzahlen daraus haben jetzt einen anderen Wert (korrigierte Daten).`);
  for (const d of e.differences) lines.push(`    ${earlierRow(d)}`);
  if (e.unmatched + e.changed > e.differences.length)
    lines.push(`    … und ${n(e.unmatched + e.changed - e.differences.length)} weitere`);
  lines.push(
    'Die Prüfung der Sperrungen kennt nur die früheren Anzahlen, die dieser Lauf in derselben Zeile mit demselben Wert hat. ' +
      'Die übrigen ließen zusammen mit dieser Veröffentlichung gesperrte Fallzahlen eingrenzen, die die Prüfung nicht sieht ' +
      '(z. B. ein geteilter Sozialraum: die alte Summe minus der veröffentlichte neue Teil).',
    'Was Sie tun können:',
    '  – Gebietsänderungen (areas.changes, gueltig_ab) erst ab dem ersten Jahr gelten lassen, das noch nicht veröffentlicht ist;',
    '  – Jahre und Indikatoren der früheren Veröffentlichung in spm.yaml lassen (nur eine Auswahl veröffentlicht spm compute --indicator, geschützt wird immer der ganze Satz);',
    '  – schon veröffentlichte Jahre mit den damals gelieferten Daten rechnen;',
    '  – oder nach Prüfung bewusst veröffentlichen: settings: suppression: { frueher_abweichend_hinnehmen: true } ' +
      '(dann schützen die Sperrungen nur gegen diese Veröffentlichung und die unveränderten früheren Anzahlen).',
  );
  return lines;
}
