/** `spm init --interaktiv`: the questions, on the terminal (the library only gets the answers). */
import { createInterface } from 'node:readline/promises';
import type { InitDecisions, InitProposal } from '../src/index.js';
import { UserError } from '../src/util/issues.js';

export async function askUser(p: Readonly<InitProposal>): Promise<InitDecisions> {
  if (!process.stdin.isTTY)
    throw new UserError(
      'spm init --interaktiv braucht ein Terminal (ohne --interaktiv werden Vorschläge mit TODO-Stellen geschrieben)',
    );
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const ask = async (q: string, def = ''): Promise<string> =>
      (await rl.question(def ? `${q} [${def}]: ` : `${q}: `)).trim() || def;
    const d: { kreisAgs?: string; kreisName?: string; drop: string[]; owners: Record<string, string> } = {
      drop: [],
      owners: {},
    };
    const ags = await ask('Kreisschlüssel (fünfstellig)', p.kreisAgs ?? '');
    if (ags) d.kreisAgs = ags;
    const name = await ask('Name des Kreises');
    if (name) d.kreisName = name;
    for (const s of p.sources) {
      const what = s.schemas.length
        ? `Schema ${s.schemas.join(', ')}, ${s.columns.length} Spalten zugeordnet`
        : 'kein Schema erkannt';
      const take = await ask(`Quelle ${s.id} (${s.files}; ${what}) übernehmen? j/n`, 'j');
      if (/^n/i.test(take)) {
        d.drop.push(s.id);
        continue;
      }
      const owner = await ask(`  Datenhalter von ${s.id} (z. B. Jobcenter Kreis …)`);
      if (owner) d.owners[s.id] = owner;
    }
    return d;
  } finally {
    rl.close();
  }
}
