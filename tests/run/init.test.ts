/** `spm init` as a library call: what it writes, what it refuses, what it says is left. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initRun } from '../../src/index.js';
import { folder, userError } from './init-helpers.js';

describe('spm init', () => {
  it('proposes a Kommune-level source and the Kommunen from an AGS column; --dry-run writes nothing', async () => {
    const dir = folder({
      'hze.csv':
        'Gemeindeschlüssel;Gemeinde;Jahr;Hilfen insgesamt;Inobhutnahmen\n05558004;Ascheberg;2024;40;3\n5558008;Billerbeck;2024;30;2\nKreis insgesamt;;2024;70;5\n',
      'notizen.xlsx': 'not a csv',
    });
    const r = await initRun(dir, { dryRun: true });
    expect(r.written).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'spm.yaml'))).toBe(false);
    expect(r.proposal.kreisAgs).toBe('05558');
    expect(r.proposal.sources[0]).toMatchObject({
      id: 'hze',
      schemas: ['hze'],
      kind: 'aggregated',
      area: { column: 'Gemeindeschlüssel', level: 'kommune' },
    });
    expect(r.proposal.sources[0]?.columns).toEqual([
      { canonical: 'hze_insgesamt', header: 'Hilfen insgesamt' },
      { canonical: 'inobhutnahmen_42', header: 'Inobhutnahmen' },
    ]);
    // the AGS that lost its zero is repaired, the totals row is no area
    expect(r.areasCsv.trim().split('\n').slice(1)).toEqual([';;05558004;Ascheberg;;', ';;05558008;Billerbeck;;']);
    // a workbook: init proposes nothing, but compute reads .xlsx: the way to enter it by hand is named
    const todo = r.todo.join('\n');
    expect(todo).toContain(
      'notizen.xlsx: Tabellendatei: spm init schlägt dafür keine Quelle vor; spm compute liest .xlsx aber direkt',
    );
    expect(todo).toContain(
      'Dateien ohne Vorschlag (z. B. GENESIS-Exporte, Atlas-Tabellen): die Quelle von Hand in spm.yaml eintragen',
    );
  });

  it('applies the decisions of the interactive mode: Kreis, dropped sources, owners', async () => {
    const dir = folder({
      'hze.csv': 'AGS;Jahr;Hilfen insgesamt\n05558004;2024;40\n',
      'fh.csv': 'AGS;Jahr;Willkommensbesuche;Familien angeschrieben\n05558004;2024;40;50\n',
    });
    const r = await initRun(dir, {
      decide: async (p) => {
        expect(p.sources.map((s) => s.id)).toEqual(['fruehe_hilfen', 'hze']);
        return { kreisName: 'Kreis Coesfeld', drop: ['fruehe_hilfen'], owners: { hze: 'Kreisjugendamt' } };
      },
    });
    const yaml = fs.readFileSync(path.join(dir, 'spm.yaml'), 'utf8');
    expect(yaml).toContain('name: "Kreis Coesfeld"');
    expect(yaml).toContain('owner: "Kreisjugendamt"');
    expect(yaml).not.toContain('id: fruehe_hilfen');
    expect(r.todo.join('\n')).toContain('fh.csv: beim Einrichten abgewählt');
    expect(r.todo.join('\n')).not.toContain('kreis.name');
    expect(
      await userError(
        initRun(folder({ 'a.csv': 'AGS;Jahr;HzE insgesamt\n05558004;2024;1\n' }), {
          decide: async () => ({ kreisAgs: '5558' }),
        }),
      ),
    ).toContain('nicht fünf Ziffern');
  });

  it('refuses to overwrite spm.yaml and says what to do with a folder of spreadsheets only', async () => {
    const dir = folder({ 'spm.yaml': 'name: x\n', 'a.csv': 'Sozialraum;Jahr;unter 3\nA;2024;5\n' });
    expect(await userError(initRun(dir))).toContain('überschreibt keine Projektdatei');
    expect(fs.readFileSync(path.join(dir, 'spm.yaml'), 'utf8')).toBe('name: x\n');
    const sheets = folder({ 'daten.xlsx': 'x' });
    expect(await userError(initRun(sheets))).toContain('als CSV (Trennzeichen ;) speichern');
  });

  it('refuses / and the home folder at once, and does not read a file linked out of the folder', async () => {
    expect(await userError(initRun('/', { dryRun: true }))).toContain('ist das Wurzelverzeichnis, kein Projektordner');
    expect(await userError(initRun(os.homedir(), { dryRun: true }))).toContain('ist das Home-Verzeichnis');
    const hze =
      'Gemeindeschlüssel;Gemeinde;Jahr;Hilfen insgesamt;Inobhutnahmen\n05558004;Ascheberg;2024;40;3\n05558008;Billerbeck;2024;30;2\n';
    const elsewhere = folder({ 'geheim.csv': hze });
    const dir = folder({ 'hze.csv': hze });
    fs.symlinkSync(path.join(elsewhere, 'geheim.csv'), path.join(dir, 'verweis.csv'));
    const r = await initRun(dir, { dryRun: true });
    expect(r.files.map((f) => f.file)).toEqual(['hze.csv']);
    expect(r.proposal.leftOut).toContainEqual({
      file: 'verweis.csv',
      why: 'Verweis (Symlink) auf eine Datei außerhalb des Projektordners: nicht gelesen',
    });
  });
});
