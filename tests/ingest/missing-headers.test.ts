/**
 * The message for configured headers a file does not have: short with a wide file, and a title
 * line read into a multi-line header (the real Hamburg Stadtteilprofile, header_rows: 3 over a
 * title row) is named with the way out, instead of 68 joined column names.
 */
import { describe, expect, it } from 'vitest';
import { msg } from '../../src/ingest/messages.js';

const TITLE = 'Statistische Daten zu den Stadtteilen Hamburgs, © Statistikamt Nord';

describe('missing headers', () => {
  it('name a title line joined into every header, the nearest header and at most 15 found ones', () => {
    const found = [`${TITLE} Stadtgebiet`, ...Array.from({ length: 67 }, (_, i) => `${TITLE} Merkmal ${i + 1}`)];
    const m = msg.missingHeaders('rohdaten/profile.xlsx', 3, ['Stadtgebiet'], found);
    expect(m).toContain(`Alle Überschriften beginnen mit „${TITLE}“`);
    expect(m).toContain('read.skip_top');
    expect(m).toContain(`Am nächsten: „Stadtgebiet“ steckt in „${TITLE} Stadtgebiet“`);
    expect(m).toContain('… (53 weitere)');
    expect(m).not.toContain('Merkmal 16');
    expect(m.length).toBeLessThan(2500);
  });

  it('stay as they were for a short header without a common title', () => {
    const m = msg.missingHeaders('daten.csv', 1, ['nenner'], ['sozialraum_id', 'jahr', 'zaehler']);
    expect(m).toBe(
      'Kopfzeile (Zeile 1): Spalte „nenner“ nicht gefunden. Erwartet laut Konfiguration: „nenner“; gefunden: ' +
        '„sozialraum_id“, „jahr“, „zaehler“. Spaltenüberschrift in der Konfiguration (header/column) an die Datei „daten.csv“ anpassen.',
    );
  });
});
