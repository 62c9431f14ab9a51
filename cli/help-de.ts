/**
 * German help and error texts for commander (its built-in ones are English):
 * titles, the help option and command, "default:" / "choices:", the common
 * argument errors, and the examples shown under `spm --help`.
 */
import type { Command, Help, Option, Argument } from 'commander';

const TITLES: Record<string, string> = {
  'Usage:': 'Aufruf:',
  'Options:': 'Optionen:',
  'Commands:': 'Befehle:',
  'Arguments:': 'Argumente:',
  'Global Options:': 'Globale Optionen:',
};

/** `default: "x"` -> `Vorgabe: "x"`, `choices:` -> `möglich:`. */
function germanExtras(s: string): string {
  return s
    .replace(
      /\((default|choices|preset): /g,
      (_m, k: string) => `(${k === 'default' ? 'Vorgabe' : k === 'choices' ? 'möglich' : 'voreingestellt'}: `,
    )
    .replace(/, (default|choices): /g, (_m, k: string) => `, ${k === 'default' ? 'Vorgabe' : 'möglich'}: `);
}

const ERRORS: [RegExp, string][] = [
  [/^error: unknown option '(.+?)'(?:\n?\(Did you mean (.+)\?\))?/, "Fehler: unbekannte Option '$1'"],
  [/^error: unknown command '(.+?)'/, "Fehler: unbekannter Befehl '$1'"],
  [/^error: missing required argument '(.+?)'/, "Fehler: Argument '$1' fehlt"],
  [/^error: option '(.+?)' argument missing/, "Fehler: Option '$1' braucht einen Wert"],
  [
    /^error: too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+)\./,
    'Fehler: zu viele Argumente (erwartet $2, erhalten $3)',
  ],
  [/^error: option '(.+?)' argument '(.+?)' is invalid\.\s*/, "Fehler: Option '$1': Wert '$2' ungültig: "],
];

function germanUsage(s: string): string {
  return s.replace('[options]', '[optionen]').replace('[command]', '[befehl]');
}

/** commander's English error lines in German (unknown ones pass unchanged). */
export function germanError(s: string): string {
  for (const [re, to] of ERRORS)
    if (re.test(s)) return s.replace(re, to).replace(/\(Did you mean (.+)\?\)/, '(Meinten Sie $1?)');
  return s.replace(/^error: /, 'Fehler: ');
}

/** Apply German help texts to the program (subcommands created afterwards inherit them). */
export function germanHelp(program: Command): Command {
  return program
    .helpOption('-h, --help', 'Hilfe zu diesem Befehl anzeigen')
    .helpCommand('help [befehl]', 'Hilfe zu einem Befehl anzeigen')
    .configureHelp({
      styleTitle: (t: string) => TITLES[t] ?? t,
      optionDescription(this: Help, o: Option) {
        return germanExtras(Object.getPrototypeOf(this).optionDescription.call(this, o));
      },
      argumentDescription(this: Help, a: Argument) {
        return germanExtras(Object.getPrototypeOf(this).argumentDescription.call(this, a));
      },
      commandUsage(this: Help, c: Command) {
        return germanUsage(Object.getPrototypeOf(this).commandUsage.call(this, c));
      },
      subcommandTerm(this: Help, c: Command) {
        return germanUsage(Object.getPrototypeOf(this).subcommandTerm.call(this, c));
      },
    } as Partial<Help>);
}

/** Examples under `spm --help`. */
export const EXAMPLES = `
Beispiele:
  spm init mein-kreis                      Projekt aus einem Ordner mit Rohdaten anlegen (spm.yaml, gebiete.csv)
  spm validate mein-kreis                  Konfiguration und Daten prüfen, ohne zu rechnen
  spm indicators mein-kreis                welche Standardkennzahlen das Projekt liefern kann
  spm compute mein-kreis                   Kennzahlen, Tabellen und Diagramme nach mein-kreis/out/
  spm compute . --indicator sgb2_quote_unter_15 --no-charts
  spm report mein-kreis --kommune 05558016 Bericht (HTML, Markdown) für eine Kommune
  spm explain seu_adipositas mein-kreis    das SQL einer Kennzahl mit Parametern
  spm export mein-kreis --format arrow,parquet --out fuer-r
Ohne Installation: npx -p @spm-monitoring/spm spm <befehl>. Mehr: spm help <befehl>.`;
