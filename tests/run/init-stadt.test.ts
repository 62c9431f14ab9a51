/**
 * `spm init` for a kreisfreie Stadt: area columns of a Stadt (Stadtbezirk, Stadtteil …) with codes
 * that are no Gemeindeschlüssel make the Stadt shape (areas.top, areas.levels, no kreis:), and the
 * project runs after the planner fills in what only she knows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program.js';
import { initRun, UserError } from '../../src/index.js';
import { computeRun } from '../../src/run/compute-run.js';
import { validateRun } from '../../src/run/validate-run.js';
import { folder as makeFolder, userError } from './init-helpers.js';

const folder = (files: Record<string, string>): string => makeFolder(files, 'spm-init-stadt-');

/** The example of the README: Stadtbezirke with two-digit codes and their names beside them. */
const KITA =
  'Stadtbezirk;Stadtbezirk Name;Jahr;Kinder unter 3;Betreute Kinder unter 3\n' +
  '01;Altstadt;2023;512;201\n02;Nord;2023;830;310\n03;Süd;2023;640;220\n' +
  '01;Altstadt;2024;520;210\n02;Nord;2024;845;330\n03;Süd;2024;655;240\n';

const readCsv = (file: string): Record<string, string>[] => {
  const lines = fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const cells = (l: string): string[] => l.split(';').map((c) => c.replace(/^"(.*)"$/, '$1'));
  const header = cells(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((v, i) => [header[i]!, v])));
};

describe('spm init for a kreisfreie Stadt', () => {
  it('validate before the TODOs are filled: what to enter for the Stadt, not a generic "too small"', async () => {
    const dir = folder({ 'rohdaten/kita.csv': KITA });
    await initRun(dir);
    const message = await userError(validateRun(dir));
    expect(message).toContain('areas.top.id: Schlüssel des Gesamtgebiets eintragen');
    expect(message).not.toContain('Schlüssel ohne /');
    expect(message).not.toMatch(/Zu klein/);
  });
  it('proposes areas.top and a Stadtbezirk level from the files; filled in, validate and compute run', async () => {
    const dir = folder({ 'rohdaten/kita.csv': KITA });
    const r = await initRun(dir);
    const yaml = fs.readFileSync(path.join(dir, 'spm.yaml'), 'utf8');
    expect(yaml).not.toMatch(/^kreis:/m);
    expect(yaml).toContain(
      '  top:\n    level: stadt\n    label: Stadt\n    id: ""   # TODO: Gemeindeschlüssel der Stadt als Text, achtstellig, z. B. "09162000"\n    name: "TODO: Name der Stadt"',
    );
    expect(yaml).toContain(
      '  levels:\n    - { name: stadtbezirk, label: "Stadtbezirk", id_column: stadtbezirk_id, name_column: stadtbezirk_name }',
    );
    expect(yaml).toContain('    area: { column: "Stadtbezirk", level: stadtbezirk }');
    // the two headers match one schema each: both taken, the Stichtag left to the planner
    expect(yaml).toContain('    schema: [bevoelkerung, kita]');
    expect(yaml).toContain('      bev_unter_3: { header: "Kinder unter 3" }');
    expect(yaml).toContain('      kita_u3_betreut: { header: "Betreute Kinder unter 3" }');
    expect(yaml).toContain('    stichtag: "TODO: Stichtag (bevoelkerung: 31.12., kita: 01.03.)"');
    expect(fs.readFileSync(path.join(dir, 'gebiete.csv'), 'utf8')).toBe(
      'stadtbezirk_id;stadtbezirk_name;gueltig_ab;gueltig_bis\n01;Altstadt;;\n02;Nord;;\n03;Süd;;\n',
    );
    expect(r.proposal).toMatchObject({ areas: 3, kommunen: 0, stadt: { levels: [{ name: 'stadtbezirk' }] } });
    expect(r.proposal.stadt?.id).toBeUndefined();
    expect(r.proposal.leftOut).toEqual([]);
    const todo = r.todo.join('\n');
    expect(todo).toContain('als kreisfreie Stadt eingerichtet (Gebietsspalten einer Stadt (Stadtbezirk)');
    expect(todo).toContain('spm init --kreis');
    expect(todo).toContain('areas.top.id (Gemeindeschlüssel der Stadt, achtstellig als Text');
    expect(todo).toContain('areas.top.name (Name der Stadt)');
    expect(todo).toContain(
      'Quelle bevoelkerung: stichtag festlegen (die erkannten Schemas haben verschiedene: bevoelkerung: 31.12., kita: 01.03.)',
    );
    expect(todo).not.toContain('kreis.ags');

    // the planner's part: the Stadt, the Stichtag, owner and Stand
    const filled = yaml
      .replace(/ {4}id: "".*/, '    id: "09999000"')
      .replace('name: "TODO: Name der Stadt"', 'name: "Musterstadt"')
      .replace(/stichtag: "TODO[^"]*"/, 'stichtag: "31.12. / 01.03."')
      .replace('owner: "TODO: Datenhalter"', 'owner: "Jugendamt Musterstadt"')
      .replace(/# stand: "2025-03-31".*/, 'stand: "2025-03-31"');
    expect(filled).not.toMatch(/"TODO|# TODO/);
    fs.writeFileSync(path.join(dir, 'spm.yaml'), filled);
    const v = await validateRun(dir);
    expect(v.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(v.ok).toBe(true);
    const c = await computeRun(dir, { charts: [], cache: false });
    expect(c.rejected).toBe(0);
    const rows = readCsv(path.join(dir, 'out', 'kennzahlen.csv'));
    const areas = new Set(rows.map((x) => `${x.level}:${x.area_id}`));
    expect([...areas].sort()).toEqual(['stadt:09999000', 'stadtbezirk:01', 'stadtbezirk:02', 'stadtbezirk:03']);
    expect(new Set(rows.map((x) => x.year))).toEqual(new Set(['2023', '2024']));
  }, 60_000);

  it('takes Stadtbezirk > Stadtteil from a file that maps them, the Stadt from a constant AGS column', async () => {
    const dir = folder({
      // codes of one and four digits, a generic "Bezeichnung" beside the Stadtteil, the Stadt's AGS in every row
      'ewo_2024.csv':
        'AGS;Stadtbezirk;Stadtteil-Nr.;Bezeichnung;Jahr;unter 3 Jahre;3 - 6 Jahre\n' +
        '09999000;1;0101;Altstadt;2024;100;210\n09999000;1;0102;Hafen;2024;80;170\n' +
        '09999000;2;0201;Nordend;2024;90;190\n09999000;;;Stadt insgesamt;2024;270;570\n',
      // a Stadtbezirk-level file with the names of the Stadtbezirke
      'hze.csv':
        'Stadtbezirk Nr;Stadtbezirk;Jahr;Hilfen insgesamt;Inobhutnahmen\n1;Mitte;2024;40;3\n2;Nord;2024;30;2\n',
      // a Stadtteil nobody maps to a Stadtbezirk
      'fh.csv': 'Stadtteil;Jahr;Willkommensbesuche;Familien angeschrieben\n0301;2024;12;20\n',
    });
    const r = await initRun(dir, { dryRun: true });
    expect(r.proposal.stadt).toEqual({
      id: '09999000',
      levels: [
        { name: 'stadtbezirk', label: 'Stadtbezirk' },
        { name: 'stadtteil', label: 'Stadtteil' },
      ],
    });
    expect(r.yaml).toContain('    id: "09999000"   # aus dem Gemeindeschlüssel der Dateien – bitte prüfen');
    expect(r.areasCsv.trim().split('\n')).toEqual([
      'stadtbezirk_id;stadtbezirk_name;stadtteil_id;stadtteil_name;gueltig_ab;gueltig_bis',
      ';;0301;;;',
      '1;Mitte;0101;Altstadt;;',
      '1;Mitte;0102;Hafen;;',
      '2;Nord;0201;Nordend;;',
    ]);
    const src = Object.fromEntries(r.proposal.sources.map((s) => [s.id, s]));
    expect(src.bevoelkerung?.area).toEqual({ column: 'Stadtteil-Nr.', level: 'stadtteil' });
    expect(src.bevoelkerung?.unmatched).toEqual([]); // AGS, Stadtbezirk and Bezeichnung are area columns
    expect(src.hze?.area).toEqual({ column: 'Stadtbezirk Nr', level: 'stadtbezirk' });
    expect(src.fruehe_hilfen?.area).toEqual({ column: 'Stadtteil', level: 'stadtteil' });
    const todo = r.todo.join('\n');
    expect(todo).toContain('gebiete.csv: bei 1 Gebieten das übergeordnete Gebiet ergänzen');
    expect(todo).toContain('gebiete.csv: 1 Gebietsnamen ergänzen (stadtbezirk_name, stadtteil_name)');
    expect(todo).not.toContain('areas.top.id');
  });

  it('keeps a folder of Sozialräume a Kreis (with a hint), and --stadt / --kreis force the shape', async () => {
    const soz = 'Sozialraum;Jahr;Hilfen insgesamt;Inobhutnahmen\nS1;2024;40;3\nS2;2024;30;2\n';
    const dir = folder({ 'hze.csv': soz });
    const kreis = await initRun(dir, { dryRun: true });
    expect(kreis.yaml).toContain('kreis:\n  ags: ""');
    expect(kreis.yaml).not.toContain('top:');
    expect(kreis.areasCsv).toBe(
      'sozialraum_id;sozialraum_name;kommune_ags;kommune_name;gueltig_ab;gueltig_bis\nS1;;;;;\nS2;;;;;\n',
    );
    expect(kreis.todo.join('\n')).toContain(
      'als Landkreis eingerichtet, aber keine Gemeindeschlüssel gefunden: ist es eine kreisfreie Stadt, spm init --stadt',
    );
    const stadt = await initRun(dir, { dryRun: true, shape: 'stadt' });
    expect(stadt.yaml).toContain(
      '    - { name: sozialraum, label: "Sozialraum", id_column: sozialraum_id, name_column: sozialraum_name }',
    );
    expect(stadt.yaml).toContain('    area: { column: "Sozialraum", level: sozialraum }');
    expect(stadt.todo.join('\n')).not.toContain('als kreisfreie Stadt eingerichtet'); // asked for, not guessed
    // a Stadt folder forced to a Kreis: the Kreis proposal as before (Stadtbezirk is no Kreis area column)
    const forced = await initRun(folder({ 'kita.csv': KITA }), { dryRun: true, shape: 'kreis' });
    expect(forced.yaml).toContain('kreis:\n  ags: ""');
    expect(forced.proposal.leftOut[0]?.why).toContain('keine Gebietsspalte erkannt');
  });

  it('asks Kreis or Stadt only when the files leave it open; takes the Stadt from the answers', async () => {
    let asked = 0;
    const r = await initRun(folder({ 'kita.csv': KITA }), {
      dryRun: true,
      askShape: async (g) => {
        asked++;
        expect(g).toMatchObject({ shape: 'stadt', certain: false });
        return 'stadt';
      },
      decide: async (p) => {
        expect(p.shape).toBe('stadt');
        return { stadtId: '09999000', stadtName: 'Musterstadt', owners: { bevoelkerung: 'Jugendamt' } };
      },
    });
    expect(asked).toBe(1);
    expect(r.yaml).toContain('    id: "09999000"\n'); // given, not taken from the files: nothing to check
    expect(r.todo.join('\n')).not.toContain('als kreisfreie Stadt eingerichtet'); // answered, not guessed
    expect(r.yaml).toContain('    name: "Musterstadt"');
    expect(r.todo.join('\n')).not.toMatch(/areas\.top\.(id|name)/);
    // the answer replaces the Gemeindeschlüssel of the files, and is not marked "to check"
    const given = await initRun(
      folder({ 'kita.csv': 'AGS;Stadtteil;Jahr;Hilfen insgesamt;Inobhutnahmen\n09999000;0101;2024;40;3\n' }),
      { dryRun: true, decide: async () => ({ stadtId: '09888000' }) },
    );
    expect(given.yaml).toContain('    id: "09888000"\n');
    // Gemeindeschlüssel of several Kommunen: a Kreis, nobody asked
    await initRun(folder({ 'hze.csv': 'AGS;Jahr;Hilfen insgesamt\n05558004;2024;40\n05558008;2024;30\n' }), {
      dryRun: true,
      askShape: async () => {
        asked++;
        return 'stadt';
      },
    });
    expect(asked).toBe(1);
    expect(
      await userError(
        initRun(folder({ 'kita.csv': KITA }), { dryRun: true, decide: async () => ({ stadtId: '09162' }) }),
      ),
    ).toContain('Gemeindeschlüssel "09162" hat nicht acht Ziffern');
  });

  it('spm init --stadt on the command line; --stadt with --kreis is refused in German', async () => {
    const run = async (argv: string[]): Promise<{ out: string; err: string; code: number }> => {
      const out: string[] = [];
      const err: string[] = [];
      let code = 0;
      const program = buildProgram(
        { out: (s) => out.push(s), err: (s) => err.push(s), setExitCode: (c) => (code = c) },
        '0.0.0',
      );
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        err.push(e.message);
        code = 1;
      }
      return { out: out.join('\n'), err: err.join('\n'), code };
    };
    const dir = folder({ 'hze.csv': 'Sozialraum;Jahr;Hilfen insgesamt;Inobhutnahmen\nS1;2024;40;3\n' });
    const ok = await run(['init', dir, '--stadt', '--dry-run']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('  top:\n    level: stadt');
    const both = await run(['init', dir, '--stadt', '--kreis', '--dry-run']);
    expect(both.err).toContain('--stadt und --kreis schließen sich aus');
    expect(both.err).not.toMatch(/\bat \S+:\d+/);
  });
});
