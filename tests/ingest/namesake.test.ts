/**
 * A Stadtteil named like its Bezirk (Hamburg: Eimsbüttel, Wandsbek, Bergedorf, Harburg) in a
 * file matched by name: both rows land on the Stadtteil, the key is doubled and both rows are
 * rejected. The message says which area shares the name and that one row is probably its total,
 * instead of suggesting that the (wide) file is in long format.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRun } from '../../src/run/validate-run.js';
import type { ProjectFileInput } from '../../src/config/schema.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-namesake-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a Stadtteil named like its Bezirk', () => {
  it('is a doubled key whose message names the Bezirk and the total, without the long-format hint', async () => {
    fs.writeFileSync(
      path.join(root, 'gebiete.csv'),
      'b;bn;s;sn\n3;Eimsbüttel;301;Eimsbüttel\n3;Eimsbüttel;302;Rotherbaum\n',
    );
    // the Bezirk row after its Stadtteile, as the Hamburg Stadtteilprofile have it
    fs.writeFileSync(
      path.join(root, 'profil.csv'),
      'Stadtgebiet;Einwohner;Unter 18-Jährige;Anteil in %\nEimsbüttel;56097;9000;16,0\nRotherbaum;16000;2000;12,5\nEimsbüttel;252340;40000;15,9\n',
    );
    const config: ProjectFileInput = {
      name: 'Hamburg (Auszug)',
      areas: {
        file: 'gebiete.csv',
        top: { level: 'stadt', id: '02000000', name: 'Hamburg' },
        levels: [
          { name: 'bezirk', label: 'Bezirk', id_column: 'b', name_column: 'bn' },
          { name: 'stadtteil', label: 'Stadtteil', id_column: 's', name_column: 'sn' },
        ],
      },
      sources: [
        {
          id: 'profil',
          title: 'Stadtteilprofile',
          files: 'profil.csv',
          kind: 'aggregated',
          area: { column: 'Stadtgebiet', level: 'stadtteil', match: 'name' },
          period: { value: 2013, kind: 'kalenderjahr' },
          columns: { bev: { header: 'Einwohner', type: 'count' }, u18: { header: 'Unter 18-Jährige', type: 'count' } },
          stichtag: '31.12.',
          owner: 'Statistikamt Nord',
        },
      ],
      indicators: [],
    };
    const r = await validateRun({ config, root });
    const dup = r.rejects.filter((x) => x.code === 'duplicate_key');
    expect(dup.map((x) => x.line)).toEqual([2, 4]);
    for (const x of dup) {
      expect(x.reason).toContain('„Eimsbüttel“ ist auch der Name des Gebiets der Ebene Bezirk „3“');
      expect(x.reason).toContain('vermutlich dessen Summenzeile');
      expect(x.reason).not.toContain('Langformat');
    }
  }, 60_000);
});
