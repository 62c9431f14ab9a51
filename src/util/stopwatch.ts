/**
 * Wall and CPU time per stage of a run, for `--verbose` and the bench. CPU is the
 * whole process (`process.cpuUsage`: user + system of every thread, so render
 * workers count too); wall and CPU together show how much a stage waited.
 */
export interface StageTiming {
  stage: string;
  wallMs: number;
  cpuMs: number;
}

export class Stopwatch {
  readonly stages: StageTiming[] = [];
  private wall = performance.now();
  private cpu = process.cpuUsage();

  /**
   * A stopwatch whose first stage starts with the process (Node's start and module loading):
   * `performance.now()` counts from the process's time origin, `process.cpuUsage()` from zero.
   */
  static fromProcessStart(): Stopwatch {
    const w = new Stopwatch();
    w.wall = 0;
    w.cpu = { user: 0, system: 0 };
    return w;
  }

  /** Close the running stage under `stage` and start the next one. */
  lap(stage: string): void {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    this.stages.push({
      stage,
      wallMs: Math.round(wall - this.wall),
      cpuMs: Math.round((cpu.user - this.cpu.user + cpu.system - this.cpu.system) / 1000),
    });
    this.wall = wall;
    this.cpu = cpu;
  }
}

/** "Diagramme  12,3 s Wand  20,1 s CPU" lines for the console (`digits` after the comma). */
export function formatTimings(stages: readonly StageTiming[], digits = 1): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(digits).replace('.', ',')} s`;
  const width = Math.max(...stages.map((t) => t.stage.length), 6);
  const total = stages.reduce((a, t) => ({ wallMs: a.wallMs + t.wallMs, cpuMs: a.cpuMs + t.cpuMs }), {
    wallMs: 0,
    cpuMs: 0,
  });
  return [...stages, { stage: 'gesamt', ...total }].map(
    (t) => `${t.stage.padEnd(width)}  ${s(t.wallMs).padStart(8)} Wand  ${s(t.cpuMs).padStart(8)} CPU`,
  );
}
