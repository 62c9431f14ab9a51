import type { Indicator, ProjectFile } from './schema.js';
import type { LoadedGoal } from './goals-schema.js';

/** An indicator definition together with where it came from. */
export interface LoadedIndicator {
  def: Indicator;
  /** Path shown to the user (project-relative, or `spm:standard/<file>` for the bundled set). */
  file: string;
  /** Absolute path of the YAML file, or undefined for indicators defined in code. */
  absPath?: string;
  /** SHA-256 of the file's bytes (hex), for the manifest. */
  sha256?: string;
}

/** A validated project: the output of the config stage, the input of ingest. */
export interface Project {
  /** Absolute path of the project folder. */
  root: string;
  /** Absolute path of spm.yaml (undefined for projects built in code). */
  configFile?: string;
  config: ProjectFile;
  indicators: LoadedIndicator[];
  /** Goals (Zielsystem) from `ziele:` in spm.yaml or the file it names; none when absent. */
  goals?: LoadedGoal[];
}
