/**
 * Errors of the user's environment (full disk, no permission, read-only folder, DuckDB
 * out of memory even after spilling and its repetition under 80 % of RAM) are not bugs in spm: they become a German message naming the path and what to
 * do, exit code 1. Node reports them as errno codes, DuckDB as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, type Issue } from './issues.js';

type Kind = 'full' | 'denied' | 'readonly' | 'notdir' | 'memory';

const ERRNO: Record<string, Kind> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EFBIG: 'full',
  EACCES: 'denied',
  EPERM: 'denied',
  EROFS: 'readonly',
  ENOTDIR: 'notdir',
};

const DUCKDB_TEXT: [RegExp, Kind][] = [
  [/No space left on device|Disk quota exceeded|File too large/i, 'full'],
  [/Permission denied|Operation not permitted/i, 'denied'],
  [/Read-only file system/i, 'readonly'],
  [/Out of Memory Error/, 'memory'],
];

/** The issue for an environment error, or undefined for anything else. */
export function environmentIssue(e: unknown): Issue | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const err = e as NodeJS.ErrnoException;
  let kind = err.code ? ERRNO[err.code] : undefined;
  let where = err.path ?? (err as { dest?: string }).dest;
  if (!kind && typeof err.message === 'string') {
    for (const [re, k] of DUCKDB_TEXT) if (re.test(err.message)) kind = k;
    where ??= /"([^"]+)"/.exec(err.message)?.[1] ?? /'([^']+)'/.exec(err.message)?.[1];
  }
  if (!kind) return undefined;
  // DuckDB's text names no path of the user's (a block size in quotes at most)
  if (kind === 'memory')
    return {
      severity: 'error',
      code: 'environment.memory',
      message:
        'Nicht genug Arbeitsspeicher: DuckDB kam auch mit Auslagern in den Arbeitsordner nicht aus (Berechnung und ' +
        'Ausgabe werden dann einmal mit 80 % des Arbeitsspeichers wiederholt). Bitte andere Programme schließen, mit --memory-limit eine höhere Grenze ' +
        'setzen oder einen Rechner mit mehr Arbeitsspeicher verwenden; fertige Ergebnisse früherer Läufe bleiben unverändert.',
    };
  const message =
    kind === 'full'
      ? `Kein Speicherplatz mehr auf dem Datenträger beim Schreiben. Bitte Platz schaffen oder mit --out einen Ordner auf einem anderen Laufwerk wählen; fertige Ergebnisse früherer Läufe bleiben unverändert.`
      : kind === 'readonly'
        ? `Der Ordner liegt auf einem schreibgeschützten Laufwerk. Bitte mit --out (bzw. output: in spm.yaml) einen beschreibbaren Ordner wählen.`
        : kind === 'notdir'
          ? 'Ein Teil dieses Pfades ist eine Datei, kein Ordner. Bitte einen Ordner angeben (--out bzw. output: in spm.yaml).'
          : `Keine Berechtigung für den Zugriff. Bitte die Zugriffsrechte prüfen (Lesen für Eingabedateien, Schreiben für den Ausgabeordner) oder mit --out einen anderen Ordner wählen.`;
  return { severity: 'error', code: `environment.${kind}`, message, ...(where ? { file: where } : {}) };
}

/**
 * `mkdir -p` that reports the real cause: Node's recursive mkdir says ENOENT on
 * a read-only file system; creating the first missing folder alone says EROFS.
 */
export function makeDir(dir: string): void {
  // a file where a folder must be (`--out bericht.pdf`): named as the user wrote it, not as the
  // scratch folder inside it that spm happened to create first
  const file = fileOnPath(dir);
  if (file !== undefined)
    throw new UserError({
      severity: 'error',
      code: 'environment.notdir',
      message: `${file} ist eine Datei, kein Ordner; sie bleibt unverändert. Bitte einen Ordner angeben (--out bzw. output: in spm.yaml).`,
    });
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const missing: string[] = [];
    for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) fs.mkdirSync(d);
  }
}

/** The nearest existing ancestor of `dir` (itself included) when it is not a folder. */
function fileOnPath(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch {
      if (path.dirname(d) === d) return undefined;
      continue;
    }
    return st.isDirectory() ? undefined : d;
  }
}
