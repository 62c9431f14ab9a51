/**
 * The Steckbrief of the Sozialindex (Markdown, German): what it is built from,
 * how, with which weights and for which year, how gaps are handled, how sure a
 * rank is, the types, and why publishing it opens no new way to a masked count.
 */
import type { SteeringReport } from './build.js';
import { LABEL_Z, STRONG_Z } from './sozialraumtypen.js';
import { UNIT_LABEL } from '../publish/vocabulary.js';
import type { Unit } from '../config/schema.js';

const de = (x: number, digits: number): string =>
  x.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Text from YAML (titles) in a Markdown table cell: no pipe may split the cell, no HTML tag may render. */
const md = (t: string): string => t.replace(/[|<>]/g, (c) => (c === '|' ? '\\|' : c === '<' ? '&lt;' : '&gt;'));

/** Data-protection paragraph (also in src/privacy/README.md). */
export const PROTECTION_TEXT =
  'Der Sozialindex, seine Intervalle, Ränge und die Sozialraumtypen werden ausschließlich aus den veröffentlichten ' +
  '(maskierten) Quoten und deren veröffentlichten Konfidenzintervallen berechnet, nie aus Fallzahlen und nie aus ' +
  'der unmaskierten Tabelle. Er ist damit eine Funktion bereits veröffentlichter Werte: Jede Person kann ihn aus ' +
  'kennzahlen.csv nachrechnen, und er enthält keine Information über eine gesperrte Zelle, die nicht schon in ' +
  'den veröffentlichten Werten steckt. Ein gesperrter Eingangswert wird weder verwendet noch geschätzt: Der ' +
  'Sozialraum erhält dann keinen Index ("nicht berechenbar") und keinen Typ; ist ausdrücklich ' +
  '"fehlend: auslassen_mit_mindestens" eingestellt, wird der Index nur aus den übrigen veröffentlichten Werten ' +
  'gebildet und als solcher gekennzeichnet. Auch die Mittelwerte der ähnlichen Sozialräume sind Mittel ' +
  'veröffentlichter Werte. Index und Intervalle werden auf zwei Nachkommastellen gerundet veröffentlicht.';

/** `inKreis`: the whole area after "in" ("im Kreis Coesfeld", "in der Landeshauptstadt München"). */
export function sozialindexSteckbrief(r: SteeringReport, inKreis: string): string {
  const c = r.config;
  const lines: string[] = [];
  lines.push(`# Steckbrief: Sozialindex der Sozialräume ${inKreis}`, '');
  lines.push(
    'Ein zusammengesetzter Index des sozialen Bedarfs je Sozialraum, gebildet nach dem Vorbild des Statusindex ' +
      'im Berliner Monitoring Soziale Stadtentwicklung und im Hamburger Sozialmonitoring: standardisierte ' +
      'Indikatoren, in Bedarfsrichtung gedreht, gewichtet gemittelt, in Klassen eingeteilt. Höhere Werte bedeuten ' +
      'mehr Bedarf; Rang 1 ist der Sozialraum mit dem höchsten Index.',
    '',
  );
  lines.push('## Eingangsgrößen', '');
  lines.push('| Indikator | Richtung | Einheit |', '|---|---|---|');
  for (const i of r.indicators)
    lines.push(
      `| ${md(i.title)} (\`${i.id}\`) | ${i.direction === 1 ? 'höher = mehr Bedarf' : 'niedriger = mehr Bedarf'} | ${UNIT_LABEL[i.unit as Unit]?.name.de ?? i.unit} |`,
    );
  lines.push('');
  lines.push('## Methode', '');
  lines.push(
    `- Bezugsjahr(e): ${r.years.map((y) => y.period).join(', ')}; ${c.pool_jahre > 1 ? `gepoolte ${c.pool_jahre}-Jahres-Werte` : 'Einzeljahre'}; Ebene: ${r.level}.`,
  );
  for (const k of r.skipped.filter((x) => x.part === 'index'))
    lines.push(
      `- Kein Index für ${k.period}: ${md(k.message.replace(/^Sozialindex: /, ''))} (gesperrte oder fehlende Eingangswerte zählen nicht als vollständig).`,
    );
  lines.push(
    c.standardisierung === 'z'
      ? '- Standardisierung: z-Werte je Indikator, (Wert − Mittelwert) / Standardabweichung über alle Sozialräume des Kreises mit veröffentlichtem Wert (ungewichtet, Stichproben-Standardabweichung wie R `scale`).'
      : '- Standardisierung: Perzentilränge je Indikator, (Rang − 1) / (n − 1) über alle Sozialräume mit veröffentlichtem Wert (Bindungen: mittlerer Rang).',
  );
  lines.push(
    {
      gleich: '- Gewichte: gleich; der Index ist der Mittelwert der standardisierten Werte.',
      erklaert: '- Gewichte: festgelegt in spm.yaml, auf die Summe 1 normiert; der Index ist das gewichtete Mittel.',
      pca: '- Gewichte: Ladungen der ersten Hauptkomponente der Korrelationsmatrix (Sozialräume mit allen Werten), Vorzeichen so, dass die Summe der Ladungen positiv ist, auf die Summe 1 normiert.',
    }[c.gewichte],
  );
  lines.push(
    typeof c.fehlend === 'object'
      ? `- Gesperrte oder fehlende Eingangswerte: Index aus den vorhandenen Werten, wenn mindestens ${c.fehlend.auslassen_mit_mindestens} vorliegen (Spalte "ausgelassen" nennt die fehlenden); sonst "nicht berechenbar". Es wird nichts geschätzt oder ersetzt.`
      : '- Gesperrte oder fehlende Eingangswerte: kein Index ("nicht berechenbar"). Es wird nichts geschätzt oder ersetzt.',
  );
  lines.push(
    '- Bedarfsklassen: der Index über die Sozialräume standardisiert; über +1,5 Standardabweichungen "sehr hoch", über +1 "hoch", bis −1 "mittel", darunter "niedrig".',
  );
  const u = c.unsicherheit;
  lines.push(
    `- Unsicherheit: ${de(u.ziehungen, 0)} Simulationen (Seed ${u.seed}). Jede Eingangsquote wird aus einer zweiseitigen Normalverteilung gezogen, deren untere und obere Hälfte das veröffentlichte 95-%-Konfidenzintervall wiedergeben (begrenzt auf 0 bis 100 %); Standardisierung, Index und Rang werden je Ziehung neu berechnet. Angegeben ist das mittlere ${de(u.niveau * 100, 0)}-%-Intervall von Index und Rang. Überlappen sich die Rangintervalle zweier Sozialräume, ist ihre Reihenfolge durch die Daten nicht gesichert.`,
    '',
  );
  lines.push('## Gewichte', '');
  for (const y of r.years) {
    lines.push(`**${y.period}** (${y.index.ranked} von ${y.input.areas.length} Sozialräumen mit Index)`, '');
    lines.push(
      '| Indikator | Gewicht | Mittelwert | Standardabweichung | Sozialräume mit Wert |',
      '|---|---:|---:|---:|---:|',
    );
    for (const w of y.index.weights) {
      const t = r.indicators.find((i) => i.id === w.indicator)?.label ?? w.indicator;
      lines.push(`| ${md(t)} | ${de(w.weight, 3)} | ${de(w.mean, 2)} | ${de(w.sd, 2)} | ${w.n} |`);
    }
    const negative = y.index.weights.filter((w) => w.weight < 0);
    if (negative.length)
      lines.push(
        '',
        `Achtung: negative Gewichte (Ladungen) bei ${negative.map((w) => r.indicators.find((i) => i.id === w.indicator)?.label ?? w.indicator).join(', ')}: diese Indikatoren wirken im Index gegen ihre Bedarfsrichtung; gleiche oder festgelegte Gewichte sind dann vorzuziehen.`,
      );
    if (y.index.explained !== undefined)
      lines.push(
        '',
        `Erste Hauptkomponente: ${de(y.index.explained * 100, 1)} % der Varianz (${y.index.pcaAreas} Sozialräume).`,
      );
    lines.push('');
  }
  if (c.typen) {
    lines.push('## Sozialraumtypen', '');
    lines.push(
      `Clusteranalyse wie bei den Sozialraumtypen des ZEFIR (Ruhr-Universität Bochum): k-means mit ${c.typen.anzahl} Typen über die in Bedarfsrichtung gedrehten z-Werte der Sozialräume mit allen Eingangswerten (Lloyd-Algorithmus, ${c.typen.starts} Starts nach k-means++ mit Seed ${c.typen.seed}, die Lösung mit der kleinsten Streuung innerhalb der Typen). Typ 1 hat den höchsten mittleren Bedarf. Die Bezeichnung nennt die Indikatoren, deren Typ-Mittelpunkt mindestens ${de(LABEL_Z, 1)} Standardabweichungen vom Durchschnitt abweicht ("deutlich" ab ${de(STRONG_Z, 0)}). In vergleich/vergleich_sozialraumtypen.csv steht je Sozialraum und Indikator der ungewichtete Mittelwert der veröffentlichten Werte der Sozialräume desselben Typs ("ähnliche Sozialräume") neben Kommune und Kreis.`,
      '',
    );
    for (const y of r.years)
      for (const t of y.types?.types ?? [])
        lines.push(`- ${y.period}, Typ ${t.typ} (${t.members} Sozialräume): ${t.label}`);
    for (const k of r.skipped.filter((x) => x.part === 'typen'))
      lines.push(
        `- ${k.period}: keine Typen gebildet – ${md(k.message.replace(/^Sozialraumtypen: /, ''))} (gesperrte oder fehlende Eingangswerte zählen nicht als vollständig).`,
      );
    lines.push('');
  }
  lines.push('## Datenschutz', '', PROTECTION_TEXT, '');
  return lines.join('\n');
}
