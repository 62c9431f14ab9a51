/**
 * Charts and reports think in three roles: the whole area (`kreis`), the level
 * below it (`kommune`: Kommunen, Stadtbezirke, Bezirke …) and the smallest areas
 * (`sozialraum`). A project declares its own hierarchy; its rows are mapped onto
 * these roles here, once, so every builder follows any hierarchy. Levels between
 * the second and the deepest (Berlin's Prognoseräume and Bezirksregionen) stay in
 * the tables but get no charts of their own.
 */
import type { KennzahlRow } from './types.js';

/** The three roles; as `levels` of a ChartMeta they mean "rows are already in roles". */
export const ROLES = ['kreis', 'kommune', 'sozialraum'];
const DEFAULT = ROLES;

/** Rows with `level` replaced by its role; rows of intermediate levels are left out. */
export function rowsByRole(rows: readonly KennzahlRow[], levels: readonly string[] | undefined): KennzahlRow[] {
  if (!levels || (levels.length === DEFAULT.length && levels.every((l, i) => l === DEFAULT[i]))) return [...rows];
  const role = new Map<string, KennzahlRow['level']>();
  role.set(levels[0]!, 'kreis');
  if (levels.length > 1) role.set(levels[1]!, 'kommune');
  if (levels.length > 2) role.set(levels[levels.length - 1]!, 'sozialraum');
  const out: KennzahlRow[] = [];
  for (const r of rows) {
    const l = role.get(r.level);
    if (l !== undefined) out.push(l === r.level ? r : { ...r, level: l });
  }
  return out;
}

/**
 * Words for the three roles in titles and report sentences, from the declared
 * level labels (`areas.top.label`, `areas.levels[].label`): a Stadt reads
 * "Stadtbezirke", not "Kommunen". The Kreis hierarchy keeps its words.
 */
export interface LevelWords {
  /** The second level, singular and plural ("Kommune", "Kommunen"; "Stadtbezirk", "Stadtbezirke"). */
  second: string;
  seconds: string;
  /** The smallest level ("Sozialraum", "Sozialräume"). */
  smallest: string;
  smallests: string;
  /** Grammatical gender of the second and smallest level's noun (articles in sentences). */
  secondFeminine: boolean;
  smallestFeminine: boolean;
  /** Name of the second level's code in texts: "AGS" for Gemeindeschlüssel, else "Schlüssel". */
  code: string;
  /** True for the Kreis words (texts that have their own Kreis wording keep it). */
  kreis: boolean;
  /** The top level's label ("Kreis", "Stadt", "Land") for table heads and legends. */
  top: string;
  /** Its value in compounds: "Kreiswert", "Stadtwert", "Landeswert". */
  topValue: string;
  /** Dative with article after "als"/"in": "im Kreis", "in der Stadt", "im Land". */
  inTopLevel: string;
  /** Nominative with article: "der Kreis", "die Stadt", "das Land". */
  theTop: string;
  /** Dative with article after "mit": "dem Kreis", "der Stadt", "dem Land". */
  withTop: string;
  /** Genitive with article: "des Kreises", "der Stadt", "des Landes", "des Bezirks". */
  ofTop: string;
  /** Possessive of the top before a plural ("der Kreis und seine Kommunen", "die Stadt und ihre Stadtbezirke"). */
  topPossessive: 'seine' | 'ihre';
}

export const KREIS_WORDS: LevelWords = {
  second: 'Kommune',
  seconds: 'Kommunen',
  smallest: 'Sozialraum',
  smallests: 'Sozialräume',
  secondFeminine: true,
  smallestFeminine: false,
  code: 'AGS',
  kreis: true,
  top: 'Kreis',
  topValue: 'Kreiswert',
  inTopLevel: 'im Kreis',
  theTop: 'der Kreis',
  withTop: 'dem Kreis',
  ofTop: 'des Kreises',
  topPossessive: 'seine',
};

/** Neuter top-level nouns ("das Land", "das Bundesland"); others follow feminineDe. */
function neuterDe(label: string): boolean {
  return /land$/i.test(label);
}

/** "Kreiswert", "Stadtwert", "Landeswert", "Bezirkswert", "Gemeindewert"; "Gesamtwert" for labels of several words. */
export function valueWordDe(label: string): string {
  if (/\s/.test(label)) return 'Gesamtwert';
  if (/land$/i.test(label)) return `${label}eswert`;
  if (/(s|ß|x|z|e|stadt)$/i.test(label) || feminineDe(label)) return `${label}wert`;
  return `${label}swert`;
}

/** The top-level words of a project (labels top first). */
type TopWords = Pick<LevelWords, 'top' | 'topValue' | 'inTopLevel' | 'theTop' | 'withTop' | 'ofTop' | 'topPossessive'>;

function topWords(label: string): TopWords {
  if (label === 'Kreis') {
    const { top, topValue, inTopLevel, theTop, withTop, ofTop, topPossessive } = KREIS_WORDS;
    return { top, topValue, inTopLevel, theTop, withTop, ofTop, topPossessive };
  }
  const fem = !neuterDe(label) && feminineDe(label);
  return {
    top: label,
    topValue: valueWordDe(label),
    inTopLevel: fem ? `in der ${label}` : `im ${label}`,
    theTop: fem ? `die ${label}` : neuterDe(label) ? `das ${label}` : `der ${label}`,
    withTop: fem ? `der ${label}` : `dem ${label}`,
    // "des Landes" (genitiveDe would give "des Lands"), "des Kreises", "des Bezirks"
    ofTop: fem ? `der ${label}` : neuterDe(label) ? `des ${label}es` : genitiveDe(label, false),
    topPossessive: fem ? 'ihre' : 'seine',
  };
}

/** German plural of a level label: "Stadtbezirk" -> "Stadtbezirke", "Planungsraum" -> "Planungsräume", "Gemeinde" -> "Gemeinden". */
export function pluralDe(label: string): string {
  if (/raum$/.test(label)) return label.replace(/raum$/, 'räume');
  if (/Raum$/.test(label)) return label.replace(/Raum$/, 'Räume');
  if (/(e|el|er)$/.test(label)) return `${label}n`;
  if (/(ion|ung|heit|keit|schaft)$/.test(label)) return `${label}en`;
  if (/stadt$/i.test(label)) return label.replace(/tadt$/, 'tädte');
  return `${label}e`;
}

/** Dative plural of a level label, after "von": "Sozialräumen", "Stadtbezirken", "Gemeinden". */
export function dativePluralDe(label: string): string {
  const p = pluralDe(label);
  return /[ns]$/.test(p) ? p : `${p}n`;
}

/** Feminine nouns among level labels (Gemeinde, Kommune, Bezirksregion, Stadt); the others are masculine (Bezirk, Stadtteil, Raum). */
export function feminineDe(label: string): boolean {
  return /(e|ion|ung|heit|keit|schaft|stadt)$/i.test(label);
}

/** The words of a project's levels (`levels`: labels top first, as declared); the Kreis words without a declaration. */
export function levelWords(labels: readonly string[] | undefined, agsCodes = true): LevelWords {
  if (!labels || labels.length < 2) return KREIS_WORDS;
  const second = labels[1]!;
  const smallest = labels[labels.length - 1]!;
  if (second === 'Kommune' && smallest === 'Sozialraum' && agsCodes)
    return labels[0] === 'Kreis' ? KREIS_WORDS : { ...KREIS_WORDS, ...topWords(labels[0]!) };
  return {
    second,
    seconds: pluralDe(second),
    smallest,
    smallests: pluralDe(smallest),
    secondFeminine: feminineDe(second),
    smallestFeminine: feminineDe(smallest),
    code: agsCodes ? 'AGS' : 'Schlüssel',
    kreis: false,
    ...topWords(labels[0]!),
  };
}

/** "im Kreis Coesfeld", "in der Landeshauptstadt München", "in Teststadt": the dative phrase for the whole area. */
export function inTop(name: string): string {
  return placeForms(name).in;
}

/** A Vega expression string literal (single quotes, escaped): label text never becomes expression code. */
export function vegaString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** The level words of a chart's project. */
export function wordsOf(meta: { levelLabels?: string[]; agsCodes?: boolean }): LevelWords {
  return levelWords(meta.levelLabels, meta.agsCodes ?? true);
}

/** Genitive with article: "der Kommune", "des Stadtbezirks", "des Sozialraums". */
export function genitiveDe(label: string, feminine: boolean): string {
  return feminine ? `der ${label}` : `des ${label}${/(s|ß|x|z)$/.test(label) ? 'es' : 's'}`;
}

/** "dem Kreis Coesfeld", "der Stadt Bochum", "Teststadt" (a place name takes no article): after "mit", "verglichen mit". */
export function dativeTop(name: string): string {
  return placeForms(name).dat;
}

/** "des Kreises Coesfeld", "des Hochsauerlandkreises", "der Region Hannover", "von Teststadt". */
export function genitiveTop(name: string): string {
  return placeForms(name).gen;
}

/** "für den Kreis Coesfeld", "für die Städteregion Aachen", "für Teststadt". */
export function forTop(name: string): string {
  return placeForms(name).for;
}

/** The phrases of a place name after "in", "mit" (dative), as genitive and after "für". */
interface PlaceForms {
  in: string;
  dat: string;
  gen: string;
  for: string;
}

/** Head nouns that take "der" (masculine) before the place name: "im Landkreis Osnabrück". */
const MASCULINE_HEAD = /^(Kreis|Landkreis|Stadtkreis|Bezirk|Stadtbezirk|Regionalverband|Verband)$/;
/** Head nouns that take "die": "in der Stadt Bochum", "in der Region Hannover". */
const FEMININE_HEAD =
  /^(Stadt|Landeshauptstadt|Hansestadt|Universitätsstadt|Kreisstadt|Bundesstadt|Region|Städteregion|Gemeinde|Samtgemeinde|Verbandsgemeinde|Verwaltungsgemeinschaft)$/;

/**
 * German forms of the whole area's name. A name led by a noun takes its article ("im Kreis
 * Coesfeld", "des Landkreises Osnabrück", "in der Landeshauptstadt München", "im Land Berlin");
 * a Kreis named by one word ("Hochsauerlandkreis", "Rhein-Sieg-Kreis") or with an adjective
 * ("Märkischer Kreis": "im Märkischen Kreis") too; a plain place name takes none ("in Teststadt",
 * "von Teststadt").
 */
function placeForms(name: string): PlaceForms {
  const words = name.trim().split(/\s+/);
  // adjectives before the head noun, weak after the article: "Märkischer Kreis", "Freie und Hansestadt Hamburg"
  let headAt = 0;
  while (headAt < words.length - 1 && (/^[A-ZÄÖÜ]\S*(er|e)$/.test(words[headAt]!) || words[headAt] === 'und')) headAt++;
  const headWord = words[headAt]!;
  if (headAt > 0 && !MASCULINE_HEAD.test(headWord) && !FEMININE_HEAD.test(headWord)) headAt = 0;
  const head = words[headAt]!;
  const before = words.slice(0, headAt).map((w) => (w === 'und' ? w : w.replace(/(er|e)$/, 'en')));
  const rest = words.slice(headAt + 1);
  const phrase = (h: string): string => [...before, h, ...rest].join(' ');
  const oneWordKreis = words.length === 1 && /.kreis$/i.test(head);
  if ((MASCULINE_HEAD.test(head) && words.length > 1) || oneWordKreis) {
    const gen = /(s|ß|x|z)$/.test(head) ? `${head}es` : `${head}s`;
    return {
      in: `im ${phrase(head)}`,
      dat: `dem ${phrase(head)}`,
      gen: `des ${phrase(gen)}`,
      for: `für den ${phrase(head)}`,
    };
  }
  if (FEMININE_HEAD.test(head) && words.length > 1) {
    const base = phrase(head);
    // the accusative keeps the adjective's -e: "für die Freie und Hansestadt Hamburg"
    return { in: `in der ${base}`, dat: `der ${base}`, gen: `der ${base}`, for: `für die ${name.trim()}` };
  }
  if (head === 'Land' && headAt === 0 && words.length > 1)
    return { in: `im ${name}`, dat: `dem ${name}`, gen: `des Landes ${rest.join(' ')}`, for: `für das ${name}` };
  return { in: `in ${name}`, dat: name, gen: `von ${name}`, for: `für ${name}` };
}
