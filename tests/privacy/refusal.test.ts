/**
 * The text of the refusal to publish (src/privacy/refusal.ts): one cell or several, windows,
 * the list cut after ten cells, and every indicator named in the advice once.
 */
import { describe, expect, it } from 'vitest';
import { PublicationRefused, describeRefusedCells, refusalLines } from '../../src/privacy/refusal.js';
import type { RefusedCell } from '../../src/privacy/db.js';

const cell = (over: Partial<RefusedCell> = {}): RefusedCell => ({
  indicator_id: 'hze_eckwert',
  role: 'numerator',
  level: 'kommune',
  area_id: '05558004',
  year: 2021,
  pool_years: 1,
  ...over,
});

describe('refusal text', () => {
  it('names a single year, and a pooled window with its years', () => {
    expect(describeRefusedCells([cell()])).toEqual(['kommune 05558004, 2021: hze_eckwert (Zähler)']);
    expect(describeRefusedCells([cell({ role: 'denominator', pool_years: 3 })])).toEqual([
      'kommune 05558004, 2019–2021 (3-Jahres-Fenster): hze_eckwert (Nenner)',
    ]);
  });

  it("adds the area's name where compute knows it", () => {
    expect(describeRefusedCells([cell({ area_label: 'Ascheberg' })])).toEqual([
      'kommune 05558004 (Ascheberg), 2021: hze_eckwert (Zähler)',
    ]);
  });

  it('names a count once, with every indicator and role that publishes it', () => {
    expect(
      describeRefusedCells([
        cell({ indicator_id: 'a' }),
        cell({ indicator_id: 'b', role: 'denominator' }),
        cell({ indicator_id: 'a', year: 2020 }),
      ]),
    ).toEqual(['kommune 05558004, 2021: a (Zähler), b (Nenner)', 'kommune 05558004, 2020: a (Zähler)']);
  });

  it('counts several cells, lists ten, and names each indicator once in the advice', () => {
    const cells = Array.from({ length: 12 }, (_, i) =>
      cell({ indicator_id: i % 2 ? 'hze_eckwert' : 'seu_adipositas', year: 2013 + i }),
    );
    const lines = refusalLines(12, cells, 5);
    expect(lines[0]).toMatch(/^Geheimhaltung: 12 gesperrte Fallzahlen lassen sich nicht ausreichend schützen\./);
    expect(lines.filter((l) => l.startsWith('  ') && !l.startsWith('  …'))).toHaveLength(10);
    expect(lines).toContain('  … und 2 weitere');
    expect(lines.join('\n')).toContain('jede dieser Fallzahlen (1 bis 4)');
    expect(lines.at(-1)).toContain('exclude: [seu_adipositas, hze_eckwert]');
  });

  it('is the message of the error, which carries the cells for scripts', () => {
    const e = new PublicationRefused(1, [cell()], 3);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('PublicationRefused');
    expect(e.cells).toEqual([cell()]);
    expect(e.message.split('\n')[0]).toMatch(/^Geheimhaltung: Eine gesperrte Fallzahl lässt sich/);
    expect(e.message).toContain('diese Fallzahl (1 bis 2)');
  });

  it('still refuses, and asks for a report, when no cell could be named', () => {
    const lines = refusalLines(2, [], 3);
    expect(lines[0]).toMatch(/^Geheimhaltung: 2 gesperrte Fallzahlen/);
    expect(lines.at(-1)).toMatch(/^Bitte melden Sie den Fall/);
  });
});
