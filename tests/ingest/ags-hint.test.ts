/** The AGS message points planners with regionalstatistik.de codes (Rheinland-Pfalz) the way forward. */
import { describe, expect, it } from 'vitest';
import { msg } from '../../src/ingest/messages.js';

describe('a Kommunen-AGS that is no 8-digit Gemeindeschlüssel', () => {
  it('names the AGS inside a Regionalschlüssel with the Gemeindeverband (10 and 12 digits)', () => {
    // Bad Neuenahr-Ahrweiler as regionalstatistik.de writes it (GENESIS 12411-02-03-5), AGS 07131007
    expect(msg.agsInvalid('0713100007')).toContain('ersten 5 und letzten 3 Stellen (07131007)');
    expect(msg.agsInvalid('071315001007')).toContain('(07131007)');
  });
  it('says a Verbandsgemeinde code is no Gemeinde and how to declare such levels', () => {
    expect(msg.agsInvalid('0713101')).toContain('Gemeindeverbands');
    expect(msg.agsInvalid('0713101')).toContain('areas.top und areas.levels');
  });
  it('adds nothing to other mistakes', () => {
    expect(msg.agsInvalid('Ascheberg')).toBe('Kommunen-AGS „Ascheberg“ ist kein achtstelliger Gemeindeschlüssel.');
  });
});
