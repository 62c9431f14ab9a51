/** Parts every page shares: navigation, footer, the method notes and the Steckbrief appendix. */
import { KREIS_WORDS, type LevelWords } from '../charts/levels.js';
import { LEBENSPHASE_LABEL } from '../charts/praeventionskette.js';
import { sourceLine } from '../charts/source-line.js';
import type { Block, Page } from './types.js';
import type { KennzahlRow } from '../charts/types.js';
import type { ReportModel } from './model.js';
import { FAMILY_LABEL, MASKED_TEXT } from './labels.js';
import { POLARITY_LABEL, UNIT_LABEL } from '../publish/vocabulary.js';
import { safeId } from './escape.js';
import { symbolLegend } from '../charts/vocabulary.js';
import { ESTIMATED_EXPLANATION } from '../charts/format.js';

export const kommuneFile = (ags: string) => `kommune-${safeId(ags)}`;

/**
 * Is the reference value a comparison sentence prints estimated? The Kreis row of
 * the same indicator and year, or for a Sozialraum against its Kommune the Kommune's row.
 */
export function refEstimated(model: ReportModel, row: KennzahlRow | undefined, ref: 'kreis' | 'kommune'): boolean {
  if (!row) return false;
  const r =
    ref === 'kreis'
      ? model.get(row.indicator_id, 'kreis', model.kreis.ags, row.year)
      : row.kommune_ags
        ? model.get(row.indicator_id, 'kommune', row.kommune_ags, row.year)
        : undefined;
  return r?.status === 'estimated' && r.suppression == null;
}
export const kurzFile = (ags: string) => `kurzprofil-${safeId(ags)}`;

export function nav(model: ReportModel, current: string): Page['nav'] {
  return [
    { href: 'index.html', text: `Übersicht ${model.kreis.name}`, current: current === 'index' },
    ...model.kommunen
      .filter((k) => model.hasPage(k.ags))
      .map((k) => ({
        href: `${kommuneFile(k.ags)}.html`,
        text: k.name,
        current: current === kommuneFile(k.ags),
      })),
  ];
}

export function footer(model: ReportModel): string[] {
  const lines = [
    `${sourceLine(model.meta, model.indicators)}.`,
    `Bericht erzeugt mit spm aus kennzahlen.parquet (${model.projectName}).`,
  ];
  return lines;
}

/** Has any Kommune areas below it (Sozialräume)? Not when the level below the top is the smallest. */
export const hasSmallest = (model: ReportModel) => model.kommunen.some((k) => k.sozialraeume.length > 0);

/** The Lesehilfe; `smallest`: the page compares areas of the smallest level with their Kommune too. */
export function methodBlocks(words: LevelWords = KREIS_WORDS, smallest = true): Block[] {
  return [
    { kind: 'heading', level: 2, text: 'Lesehilfe: Vergleiche, Intervalle und Datenschutz', id: 'lesehilfe' },
    {
      kind: 'list',
      items: [
        [
          '95-%-Konfidenzintervall (KI): der Bereich, in dem der wahre Wert bei zufälliger Schwankung mit 95 % Sicherheit liegt (Anteile: Wilson; Raten je 1.000 ff.: exaktes Poisson-Intervall).',
        ],
        [
          `„Signifikant ungünstiger/günstiger“: der Unterschied zum ${smallest ? `Vergleichswert (${words.top} bzw. ${words.second})` : words.topValue} ist statistisch gesichert und in der Richtung, die die Kennzahl als ungünstig bzw. günstig festlegt. „Höher/niedriger“ gilt für Kontextkennzahlen ohne Bewertung.`,
        ],
        ['„Nicht unterscheidbar“: der Unterschied kann Zufall sein; bei kleinen Gebieten ist das häufig.'],
        [
          `„gesperrt“: ${MASKED_TEXT}: Werte mit wenigen Fällen und die weiteren Werte, aus denen sie sich errechnen ließen. Der Grund wird für die einzelne Zahl nicht genannt, weil er auf die Fallzahl schließen ließe. Gesperrte Werte fehlen in Tabellen, Diagrammen und Tooltips, ebenso alles, was aus ihnen abgeleitet ist (Vergleiche, Veränderungen, Trends, Rangplätze).`,
        ],
        [`„–“: kein Wert, z. B. weil der Nenner unter dem Mindestnenner liegt; ${ESTIMATED_EXPLANATION}.`],
        [`Symbole in Tabellen und Diagrammen: ${symbolLegend()}`],
      ],
    },
  ];
}

/**
 * The threat model of the suppression in a planner's words (src/privacy/README.md has the
 * details): what an attacker is assumed to know and what the suppression guarantees.
 */
export const PROTECTION_TEXT =
  'Geheimhaltung: Die Sperrung ist gegen einen Angreifer geprüft, der alle Veröffentlichungen dieses Berichts und ' +
  'der Tabellen kennt, dazu die Steckbriefe, die Gebietsgliederung, die Mehrjahresfenster, alle Beziehungen zwischen ' +
  'den Zahlen (z. B. Übergewicht inkl. Adipositas = ohne Adipositas + Adipositas, Altersgruppen, die sich addieren), ' +
  'dass Anzahlen ganze Zahlen ab 0 sind und ein Zähler seinen Nenner nicht übersteigt. Auch mit linearer Optimierung ' +
  'kann er für keine zu schützende Anzahl (1 bis unter der Sperrgrenze) ausschließen, dass sie 0 ist oder die Sperrgrenze erreicht. ' +
  'Werte mit einem Nenner unter dem Mindestnenner werden nicht als Zahl ausgewiesen, weil sie zu wenig aussagen; geheim ' +
  'sind sie nicht: Ihr Zähler und Nenner können sich aus veröffentlichten Summen ergeben (z. B. eine Gebietssumme minus ihre übrigen ' +
  'Teilgebiete), und die Prüfung nimmt an, dass ein Angreifer sie kennt. Kleine Anzahlen darin sind wie alle anderen geschützt.';

/** Appendix: one Steckbrief per indicator, from the indicator definitions. */
export function steckbriefBlocks(model: ReportModel): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: 'Anhang: Steckbriefe der Kennzahlen', id: 'steckbriefe', pageBreak: true },
    { kind: 'para', inlines: [PROTECTION_TEXT] },
    ...(model.earlierReleases.length > 0
      ? [
          {
            kind: 'para' as const,
            inlines: [
              `Frühere Veröffentlichungen gelten dabei als bekannt (${model.earlierReleases.join(', ')}): auch zusammen mit ihnen ` +
                'grenzen diese Zahlen keine zu schützende Anzahl weiter ein, als es die früheren allein schon tun.',
            ],
          },
        ]
      : []),
  ];
  for (const ind of model.indicators) {
    const d = model.definitions.get(ind.id);
    blocks.push({ kind: 'heading', level: 3, text: ind.title, id: `sb-${safeId(ind.id)}` });
    const items: [string, string][] = [
      ['Kennung, Version', `${ind.id}, Version ${d?.version ?? 1}`],
      ['Familie', FAMILY_LABEL[ind.family]],
      ['Lebensphase', LEBENSPHASE_LABEL[ind.lebensphase]],
      ['Einheit', UNIT_LABEL[ind.unit].name.de],
      ['Bewertung', POLARITY_LABEL[ind.polarity].de],
    ];
    if (d) {
      items.push(['Beschreibung', d.long_description ?? d.description]);
      items.push(['Zähler', d.steckbrief.numerator_source]);
      items.push(['Nenner', d.steckbrief.denominator_source]);
      items.push(['Berechnete Definition', d.steckbrief.definition]);
      if (d.steckbrief.official_source) items.push(['Amtliche Definition', d.steckbrief.official_source]);
      items.push(['Stichtag', d.steckbrief.stichtag]);
      items.push(['Datenhalter', d.steckbrief.data_owner]);
      items.push(['Geheimhaltung', d.steckbrief.suppression]);
      if (d.min_denominator !== undefined) items.push(['Mindestnenner', String(d.min_denominator)]);
      items.push([
        'Brüche der Zeitreihe',
        d.steckbrief.breaks.length
          ? d.steckbrief.breaks.map((b) => `${b.year}: ${b.description}`).join('; ')
          : 'keine bekannt',
      ]);
    }
    blocks.push({ kind: 'dl', items });
  }
  return blocks;
}
