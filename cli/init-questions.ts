/** `spm init --interaktiv`: the questions, on the terminal (the library only gets the answers). */
import { createInterface } from 'node:readline/promises';
import type { InitDecisions, InitProposal } from '../src/index.js';
import type { Shape, ShapeGuess } from '../src/run/init/propose.js';
import { UserError } from '../src/util/issues.js';

const needTty = (): void => {
  if (!process.stdin.isTTY)
    throw new UserError(
      'spm init --interaktiv braucht ein Terminal (ohne --interaktiv werden Vorschläge mit TODO-Stellen geschrieben)',
    );
};

/** Asked only when the files do not settle it (no Gemeindeschlüssel of several Kommunen). */
export async function askShape(guess: Readonly<ShapeGuess>): Promise<Shape> {
  needTty();
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const def = guess.shape === 'stadt' ? 's' : 'k';
    for (;;) {
      const a =
        (await rl.question(`Kreis oder kreisfreie Stadt? k/s (erkannt: ${guess.why}) [${def}]: `)).trim() || def;
      if (/^k/i.test(a)) return 'kreis';
      if (/^s/i.test(a)) return 'stadt';
    }
  } finally {
    rl.close();
  }
}

export async function askUser(p: Readonly<InitProposal>): Promise<InitDecisions> {
  needTty();
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const ask = async (q: string, def = ''): Promise<string> =>
      (await rl.question(def ? `${q} [${def}]: ` : `${q}: `)).trim() || def;
    const d: {
      kreisAgs?: string;
      kreisName?: string;
      stadtId?: string;
      stadtName?: string;
      drop: string[];
      owners: Record<string, string>;
    } = { drop: [], owners: {} };
    if (p.stadt) {
      const id = await ask('Gemeindeschlüssel der Stadt (achtstellig, z. B. 09162000)', p.stadt.id ?? '');
      if (id) d.stadtId = id;
      const name = await ask('Name der Stadt');
      if (name) d.stadtName = name;
    } else {
      const ags = await ask('Kreisschlüssel (fünfstellig)', p.kreisAgs ?? '');
      if (ags) d.kreisAgs = ags;
      const name = await ask('Name des Kreises');
      if (name) d.kreisName = name;
    }
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
