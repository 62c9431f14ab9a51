/**
 * The German words of goal evaluations: why a goal cannot be judged and the
 * statistical caveat. One place, so the vergleich table, the report and the API say
 * the same. A masked value is only ever "gesperrt" (never why).
 */
import { STATUS_LABEL, type Status } from '../publish/vocabulary.js';

export type Reason =
  | { kind: 'no_rows' }
  | { kind: 'ambiguous'; levels: string[] }
  | { kind: 'too_few_years'; startjahr: number; latest: number }
  | { kind: 'start' | 'current'; year: number; status: Status | null }
  | { kind: 'group'; n: number }
  | { kind: 'ended'; year: number; last: number };

function statusPhrase(s: Status | null): string {
  if (s === null) return 'kein Wert';
  if (s === 'masked') return 'gesperrt (aus Datenschutzgründen nicht ausgewiesen)';
  return `kein ausgewiesener Wert (${STATUS_LABEL[s].de})`;
}

export function reasonText(r: Reason): string {
  switch (r.kind) {
    case 'no_rows':
      return 'Für dieses Gebiet gibt es keine veröffentlichten Werte der Kennzahl (Gebiet oder Ebene ohne Daten).';
    case 'ambiguous':
      return `Der Gebietsschlüssel kommt auf mehreren Ebenen vor (${r.levels.join(', ')}); ebene angeben.`;
    case 'too_few_years':
      return r.latest <= r.startjahr
        ? `Noch kein Jahr nach dem Startjahr ${r.startjahr} (neuestes Jahr ${r.latest}): ein Verlauf braucht mindestens zwei Jahre.`
        : `Weniger als zwei Jahre seit dem Startjahr ${r.startjahr}.`;
    case 'start':
      return `Startwert ${r.year}: ${statusPhrase(r.status)}.`;
    case 'current':
      return `Aktueller Wert ${r.year}: ${statusPhrase(r.status)}.`;
    case 'ended':
      return `Das Gebiet hat ${r.year} keine Werte mehr (letzte ${r.last}; Gebietsänderung: geteilt, zusammengelegt oder umbenannt?); sein letzter Wert ist nicht der aktuelle.`;
    case 'group':
      return r.n === 1
        ? 'Ein Gebiet der Gruppe ist nicht beurteilbar, keines ist nicht auf Kurs.'
        : `${r.n} Gebiete der Gruppe sind nicht beurteilbar, keines ist nicht auf Kurs.`;
  }
}

export type Caveat =
  | { kind: 'target_met'; gesichert: boolean | null }
  | { kind: 'target_missed'; gesichert: boolean | null }
  | { kind: 'path'; onCourse: boolean; gesichert: boolean | null }
  | { kind: 'direction'; improved: boolean; gesichert: boolean | null }
  | { kind: 'group'; n: number };

const NO_CI =
  'Für diese Kennzahl gibt es kein Konfidenzintervall (veröffentlichte Quote der Quelle); die Bewertung beruht nur auf dem Punktwert.';

export function caveatText(c: Caveat): string {
  if (c.kind === 'group')
    return `Jedes der ${c.n} Gebiete wird für sich bewertet; ein gemeinsamer Wert der Gruppe wird nicht berechnet.`;
  if (c.gesichert === null) return NO_CI;
  switch (c.kind) {
    case 'target_met':
      return c.gesichert
        ? 'Auch das Konfidenzintervall liegt auf der Zielseite: die Zielerreichung ist statistisch gesichert.'
        : 'Der Wert erreicht das Ziel, das Konfidenzintervall schließt den Zielwert aber ein: die Zielerreichung ist statistisch nicht gesichert.';
    case 'target_missed':
      return c.gesichert
        ? 'Das Zieljahr ist erreicht, das Ziel nicht; der Zielwert liegt außerhalb des Konfidenzintervalls.'
        : 'Das Zieljahr ist erreicht, das Ziel knapp nicht: der Zielwert liegt innerhalb des Konfidenzintervalls, die Verfehlung ist statistisch nicht gesichert.';
    case 'path':
      if (!c.gesichert)
        return 'Der Unterschied zum Zielpfad liegt innerhalb des Konfidenzintervalls; der Verlauf ist statistisch nicht gesichert.';
      return c.onCourse
        ? 'Der Wert liegt statistisch gesichert günstiger als der Zielpfad (gemessen am Konfidenzintervall des aktuellen Werts).'
        : 'Der Wert liegt statistisch gesichert ungünstiger als der Zielpfad (gemessen am Konfidenzintervall des aktuellen Werts).';
    case 'direction':
      if (!c.gesichert)
        return 'Die Veränderung seit dem Startjahr liegt innerhalb des Konfidenzintervalls; der Verlauf ist statistisch nicht gesichert.';
      return c.improved
        ? 'Die Veränderung seit dem Startjahr in die gewünschte Richtung ist statistisch gesichert.'
        : 'Die Veränderung seit dem Startjahr gegen die gewünschte Richtung ist statistisch gesichert.';
  }
}
