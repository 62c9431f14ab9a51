/** Printing of `spm indicators`: the standard set grouped by family. */
import type { IndicatorsRunResult } from '../src/index.js';

export function printIndicators(r: IndicatorsRunResult, out: (s: string) => void): void {
  const withProject = r.project !== undefined;
  out(
    `Standardset "spm:standard": ${r.indicators.length} Kennzahlen${withProject ? ` – geprüft gegen ${r.project}` : ''}`,
  );
  if (withProject) {
    const sel = r.indicators.filter((i) => i.selected).length;
    const prov = r.indicators.filter((i) => i.provided).length;
    out(
      `${prov} kann das Projekt liefern, ${sel} sind gewählt. [x] gewählt, [ ] lieferbar, nicht gewählt, [-] Quelle oder Spalte fehlt`,
    );
  }
  const families = [...new Set(r.indicators.map((i) => i.family))];
  for (const fam of families) {
    out(`\n${fam}`);
    for (const i of r.indicators.filter((x) => x.family === fam)) {
      const mark = !withProject ? '' : i.selected ? '[x] ' : i.provided ? '[ ] ' : '[-] ';
      out(`  ${mark}${i.id} – ${i.title}`);
      for (const n of i.needs) {
        const role = n.role === 'numerator' ? 'Zähler' : 'Nenner';
        const cols = n.columns.length ? n.columns.join(', ') : '(Zeilen zählen)';
        const where = n.source ? ` -> Quelle ${n.source}` : n.missing ? ` -> fehlt: ${n.missing}` : '';
        out(`      ${role}: schema ${n.schema}: ${cols}${where}`);
      }
    }
  }
  out('\nSpalten und Bedeutung der Quellschemas: indicators/SCHEMAS.md im Paket; Auswahl in spm.yaml mit');
  out('indicators: [{ use: spm:standard, include: [...], exclude: [...], overrides: { <id>: {...} } }]');
}
