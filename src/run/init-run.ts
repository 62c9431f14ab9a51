/**
 * `spm init [dir]`: a project from a folder of raw files.
 *
 * 1. find the CSV/TXT files below the folder (not the output folder, not hidden ones)
 * 2. inspect each as the loader would read it (src/init/inspect-file)
 * 3. propose sources, canonical schemas, column mappings, Kreis and areas (src/init/propose)
 * 4. write a commented spm.yaml and gebiete.csv (never over an existing spm.yaml)
 * 5. return what is left to do
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { linksOutside } from '../util/links.js';
import { inspectFile, type FileInspection } from './init/inspect-file.js';
import { guessShape, propose, type Proposal, type Shape, type ShapeGuess } from './init/propose.js';
import { renderAreasCsv, renderSpmYaml } from './init/write-yaml.js';
import { PROJECT_FILE } from '../config/load-project.js';
import { UserError } from '../util/issues.js';
import { canonicalSchema } from '../config/canonical/schemas.js';

/** What to do with a workbook, which init does not inspect (compute reads .xlsx as it is). */
const SHEET_HINT =
  'spm init schlägt dafür keine Quelle vor; spm compute liest .xlsx aber direkt: die Quelle von Hand in spm.yaml eintragen ' +
  '(README: „Amtliche Exporte und Atlas-Tabellen laden“, Beispiel data-samples/atlas-muenchen) oder die Datei als CSV ' +
  '(Trennzeichen ;) speichern und spm init erneut ausführen (.xls und .ods nur so)';
/** The next step for files init proposed no source for (official exports, atlas tables). */
const HAND_HINT =
  'Dateien ohne Vorschlag (z. B. GENESIS-Exporte, Atlas-Tabellen): die Quelle von Hand in spm.yaml eintragen, mit Beispielen ' +
  'im README („Amtliche Exporte und Atlas-Tabellen laden“) und in data-samples/genesis-kreise-sh und data-samples/atlas-muenchen';

export interface InitRunOptions {
  /** Only show the proposal, write nothing. */
  dryRun?: boolean;
  /**
   * Asked once with the proposal before anything is written (the CLI's
   * `--interaktiv` asks the user): may set the Kreis, drop sources, name owners.
   */
  decide?: (p: Readonly<Proposal>) => Promise<InitDecisions>;
  /**
   * Kreis or kreisfreie Stadt, whatever the files suggest (the CLI's `--kreis` / `--stadt`).
   * Without it the files decide: Gemeindeschlüssel of several Kommunen make a Kreis, area
   * columns of a Stadt (Stadtbezirk, Stadtteil …) without them a Stadt.
   */
  shape?: Shape;
  /**
   * Asked before the proposal when the files do not settle the shape (no Gemeindeschlüssel of
   * several Kommunen) and `shape` is not given; the CLI's `--interaktiv` asks the user.
   */
  askShape?: (guess: Readonly<ShapeGuess>) => Promise<Shape>;
}

/** What the user decided about a proposal. */
export interface InitDecisions {
  kreisAgs?: string;
  kreisName?: string;
  /** Gemeindeschlüssel (8 digits) and name of a kreisfreie Stadt (Stadt shape only). */
  stadtId?: string;
  stadtName?: string;
  /** Source ids not to take. */
  drop?: readonly string[];
  /** Data owner per source id. */
  owners?: Readonly<Record<string, string>>;
}

export interface InitRunResult {
  dir: string;
  /** Files written (absolute), empty with dryRun. */
  written: string[];
  files: { file: string; rows: number; encoding: string; delimiter: string; source?: string; schemas: string[] }[];
  proposal: Pick<Proposal, 'sources' | 'leftOut' | 'kreisAgs' | 'kreisName' | 'years'> & {
    areas: number;
    kommunen: number;
    /** Only for a kreisfreie Stadt: its Gemeindeschlüssel and name where known, and its levels. */
    stadt?: { id?: string; name?: string; levels: { name: string; label: string }[] };
  };
  /** German next steps for the user. */
  todo: string[];
  yaml: string;
  areasCsv: string;
}

const AREAS_FILE = 'gebiete.csv';
/** How many folders deep spm init looks for raw files. */
const INIT_DEPTH = 5;

export async function initRun(dir: string, opts: InitRunOptions = {}): Promise<InitRunResult> {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UserError(`Ordner ${root} gibt es nicht`);
  const target = path.join(root, PROJECT_FILE);
  if (fs.existsSync(target)) {
    throw new UserError({
      severity: 'error',
      code: 'init.exists',
      message: `${target} gibt es schon; spm init überschreibt keine Projektdatei. Zum Neuanlegen die alte umbenennen.`,
      file: PROJECT_FILE,
    });
  }
  // the whole disk or the home folder is no project folder: refused before a long scan
  if (path.dirname(root) === root || root === path.resolve(os.homedir()))
    throw new UserError({
      severity: 'error',
      code: 'init.folder',
      message: `${root} ist ${path.dirname(root) === root ? 'das Wurzelverzeichnis' : 'das Home-Verzeichnis'}, kein Projektordner; bitte einen Ordner mit den Rohdaten angeben (spm init <ordner>).`,
    });
  // 1. raw files (up to INIT_DEPTH folders deep)
  const all = (
    await glob(['**/*.csv', '**/*.txt'], {
      cwd: root,
      ignore: ['out/**', '**/node_modules/**', AREAS_FILE],
      dot: false,
      caseSensitiveMatch: false,
      deep: INIT_DEPTH,
    })
  ).sort();
  // a file linked out of the project is not read (compute would refuse it too)
  const outside = all.filter((f) => linksOutside(root, [path.join(root, f)], 'init').length > 0);
  const found = all.filter((f) => !outside.includes(f));
  // spreadsheets are not read: say so instead of passing them over silently
  const sheets = (
    await glob(['**/*.xlsx', '**/*.xls', '**/*.ods'], {
      cwd: root,
      ignore: ['out/**', '**/node_modules/**'],
      caseSensitiveMatch: false,
      deep: INIT_DEPTH,
    })
  ).sort();
  if (found.length === 0) {
    const hint = sheets.length
      ? `; ${sheets.length} Tabellendateien (${sheets.slice(0, 3).join(', ')}): ${SHEET_HINT}`
      : '';
    throw new UserError(`Keine CSV-Dateien in ${root} gefunden (gesucht: *.csv, *.txt, auch in Unterordnern)${hint}`);
  }
  // 2. inspect
  const inspected: FileInspection[] = [];
  const unreadable: { file: string; why: string }[] = [];
  for (const rel of found) {
    try {
      inspected.push(await inspectFile(path.join(root, rel), rel));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      unreadable.push({ file: rel, why: e.issues.map((i) => i.message).join('; ') });
    }
  }
  // 3. propose (and let the user decide, if asked)
  const guess = guessShape(inspected);
  let shape = opts.shape ?? guess.shape;
  // asked or given, the shape is no guess any more: the list of what is left does not explain it
  const asked = !opts.shape && !guess.certain && opts.askShape !== undefined;
  if (asked) shape = await opts.askShape!(guess);
  const guessed = opts.shape || asked ? undefined : guess;
  const p = propose(inspected, shape);
  p.leftOut.push(...unreadable);
  for (const f of outside)
    p.leftOut.push({ file: f, why: 'Verweis (Symlink) auf eine Datei außerhalb des Projektordners: nicht gelesen' });
  if (opts.decide) applyDecisions(p, await opts.decide(p));
  for (const f of sheets)
    p.leftOut.push({
      file: f,
      why: `Tabellendatei: ${SHEET_HINT}`,
    });
  const yaml = renderSpmYaml(p, path.basename(root));
  const areasCsv = renderAreasCsv(p);
  // 4. write
  const written: string[] = [];
  if (!opts.dryRun) {
    const areasPath = path.join(root, AREAS_FILE);
    if (!fs.existsSync(areasPath)) {
      fs.writeFileSync(areasPath, areasCsv, { flag: 'wx' });
      written.push(areasPath);
    }
    fs.writeFileSync(target, yaml, { flag: 'wx' }); // wx: never over a file that appeared meanwhile
    written.push(target);
  }
  const sourceOf = new Map<string, string>();
  for (const s of p.sources)
    for (const f of inspected)
      if (f === s.first || (s.fileCount > 1 && matchesGlob(s.files, f.file))) sourceOf.set(f.file, s.id);
  return {
    dir: root,
    written,
    files: inspected.map((f) => ({
      file: f.file,
      rows: f.rows,
      encoding: f.read.encoding,
      delimiter: f.read.delimiter,
      schemas: f.schemas.map((s) => s.schema),
      ...(sourceOf.has(f.file) ? { source: sourceOf.get(f.file) as string } : {}),
    })),
    proposal: {
      sources: p.sources,
      leftOut: p.leftOut,
      ...(p.kreisAgs ? { kreisAgs: p.kreisAgs } : {}),
      ...(p.kreisName ? { kreisName: p.kreisName } : {}),
      years: p.years,
      areas: p.stadt ? p.stadt.rows.length : p.areas.length,
      kommunen: p.kommunen.length,
      ...(p.stadt
        ? {
            stadt: {
              ...(p.stadt.id ? { id: p.stadt.id } : {}),
              ...(p.stadt.name ? { name: p.stadt.name } : {}),
              levels: p.stadt.levels,
            },
          }
        : {}),
    },
    todo: p.stadt ? cityTodoList(p, p.stadt, guessed) : todoList(p, guessed),
    yaml,
    areasCsv,
  };
}

function applyDecisions(p: Proposal, d: InitDecisions): void {
  if (p.stadt && d.stadtId !== undefined) {
    if (!/^\d{8}$/.test(d.stadtId))
      throw new UserError(
        `Gemeindeschlüssel "${d.stadtId}" hat nicht acht Ziffern (z. B. 09162000 für München, 05315000 für Köln)`,
      );
    p.stadt.id = d.stadtId;
    p.stadt.idFromFiles = false;
  }
  if (p.stadt && d.stadtName) p.stadt.name = d.stadtName;
  if (d.kreisAgs !== undefined) {
    if (!/^\d{5}$/.test(d.kreisAgs))
      throw new UserError(`Kreisschlüssel "${d.kreisAgs}" hat nicht fünf Ziffern (z. B. 05558)`);
    p.kreisAgs = d.kreisAgs;
  }
  if (d.kreisName) p.kreisName = d.kreisName;
  const drop = new Set(d.drop ?? []);
  for (const s of p.sources.filter((x) => drop.has(x.id)))
    p.leftOut.push({ file: s.files, why: 'beim Einrichten abgewählt' });
  p.sources = p.sources.filter((x) => !drop.has(x.id));
  for (const s of p.sources) if (d.owners?.[s.id]) s.owner = d.owners[s.id] as string;
}

function matchesGlob(pattern: string, file: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*') +
      '$',
  );
  return re.test(file);
}

function todoList(p: Proposal, guess?: ShapeGuess): string[] {
  const t: string[] = [];
  if (!p.kreisAgs) t.push('spm.yaml: kreis.ags (fünfstelliger Kreisschlüssel) eintragen');
  const noOwner = p.sources.filter((s) => !s.owner).map((s) => s.id);
  if (!p.kreisName || noOwner.length) {
    t.push(
      `spm.yaml: ${[!p.kreisName ? 'kreis.name' : '', noOwner.length ? `owner (Datenhalter) bei ${noOwner.join(', ')}` : ''].filter(Boolean).join(' und ')} eintragen (TODO-Stellen), stand je Quelle ergänzen`,
    );
  } else t.push('spm.yaml: stand (Stand der Lieferung) je Quelle ergänzen');
  const noKommune = p.areas.filter((a) => !a.kommune_ags).length;
  const noName = p.areas.filter((a) => !a.sozialraum_name).length + p.kommunen.filter((k) => !k.name).length;
  if (p.areas.length + p.kommunen.length === 0)
    t.push(`${AREAS_FILE}: keine Gebietscodes gefunden; Sozialräume und Kommunen eintragen`);
  if (noKommune > 0)
    t.push(`${AREAS_FILE}: bei ${noKommune} Sozialräumen den Gemeindeschlüssel (kommune_ags, achtstellig) ergänzen`);
  if (noName > 0) t.push(`${AREAS_FILE}: ${noName} Gebietsnamen ergänzen (sozialraum_name, kommune_name)`);
  // Sozialräume without Gemeindeschlüssel of Kommunen: a Stadt may have them as well
  if (guess && !guess.certain && p.areas.length > 0 && p.areas.every((a) => !a.kommune_ags))
    t.push(
      'als Landkreis eingerichtet, aber keine Gemeindeschlüssel gefunden: ist es eine kreisfreie Stadt, spm init --stadt (Gesamtstadt und Ebenen unter areas.top und areas.levels statt kreis:)',
    );
  sourceTodos(p, t);
  return t;
}

/** What is left for a kreisfreie Stadt: its Gemeindeschlüssel and name, names and upper areas in gebiete.csv. */
function cityTodoList(p: Proposal, c: NonNullable<Proposal['stadt']>, guess?: ShapeGuess): string[] {
  const t: string[] = [];
  if (guess)
    t.push(
      `als kreisfreie Stadt eingerichtet (${guess.why}); ist es ein Landkreis: spm.yaml und ${AREAS_FILE} löschen und spm init --kreis`,
    );
  if (!c.id)
    t.push('spm.yaml: areas.top.id (Gemeindeschlüssel der Stadt, achtstellig als Text, z. B. "09162000") eintragen');
  const noOwner = p.sources.filter((s) => !s.owner).map((s) => s.id);
  const fill = [
    !c.name ? 'areas.top.name (Name der Stadt)' : '',
    noOwner.length ? `owner (Datenhalter) bei ${noOwner.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' und ');
  t.push(
    fill
      ? `spm.yaml: ${fill} eintragen (TODO-Stellen), stand je Quelle ergänzen`
      : 'spm.yaml: stand (Stand der Lieferung) je Quelle ergänzen',
  );
  // a file of several schemas with different Stichtage: spm.yaml has a TODO for it
  for (const s of p.sources) {
    const days = s.schemas.map((x) => `${x}: ${canonicalSchema(x)!.stichtag}`);
    if (new Set(s.schemas.map((x) => canonicalSchema(x)!.stichtag)).size > 1)
      t.push(`Quelle ${s.id}: stichtag festlegen (die erkannten Schemas haben verschiedene: ${days.join(', ')})`);
  }
  const labels = c.levels.map((l) => l.label);
  if (c.rows.length === 0) t.push(`${AREAS_FILE}: keine Gebietscodes gefunden; Gebiete eintragen`);
  if (c.noParent > 0)
    t.push(
      `${AREAS_FILE}: bei ${c.noParent} Gebieten das übergeordnete Gebiet ergänzen (die Dateien ordnen sie keinem ${labels.slice(0, -1).join(' oder ')} zu; Ebenen: ${labels.join(' > ')})`,
    );
  const noName = c.rows.reduce((n, r) => n + r.filter((x) => x.id && !x.name).length, 0);
  if (noName > 0)
    t.push(`${AREAS_FILE}: ${noName} Gebietsnamen ergänzen (${c.levels.map((l) => `${l.name}_name`).join(', ')})`);
  sourceTodos(p, t);
  return t;
}

/** The part of the list both shapes share: sources, files left out, next commands. */
function sourceTodos(p: Proposal, t: string[]): void {
  for (const s of p.sources) {
    if (s.schemas.length === 0)
      t.push(
        `Quelle ${s.id} (${s.files}): kein Quellschema erkannt; Spalten unter columns: zuordnen oder eigene Indikatoren schreiben`,
      );
    else if (s.unmatched.length > 0)
      t.push(
        `Quelle ${s.id}: ${s.unmatched.length} Spalten nicht zugeordnet (${s.unmatched.slice(0, 4).join(', ')}${s.unmatched.length > 4 ? ' …' : ''}); prüfen, ob eine davon eine kanonische Spalte ist`,
      );
    if (s.period.kind === 'schuljahr') t.push(`Quelle ${s.id}: schuljahr_rule prüfen (end_year: 2023/24 -> 2024)`);
  }
  for (const f of p.leftOut) t.push(`${f.file}: ${f.why}`);
  if (p.leftOut.length > 0) t.push(HAND_HINT);
  t.push('dann: spm validate (prüft alles), spm indicators (welche Kennzahlen gehen), spm compute, spm report');
}
