/**
 * Where a CLI run's time goes, for the bench and for anyone chasing a slow CI job: with
 * DOCKERFILE_HARDENER_TIMINGS=1 in the environment, `lint` writes one JSON line to stderr at the end:
 * milliseconds of start-up (process start to the command: Node, module loading, arguments), discovery,
 * reading (files, configs, build files), lint (the rules), shellcheck, workers (waiting for the worker
 * threads once this thread's share is done: parallel.ts) and output (rendering and writing), and the
 * total. With workers, the other phases are this thread's share. Off, each mark costs a comparison.
 */
import { performance } from 'node:perf_hooks';

export type Phase = 'discovery' | 'reading' | 'lint' | 'shellcheck' | 'workers' | 'output';

export class Timings {
  private readonly on = !!process.env.DOCKERFILE_HARDENER_TIMINGS && process.env.DOCKERFILE_HARDENER_TIMINGS !== '0';
  private readonly spent: Record<Phase | 'startup', number> = {
    startup: 0,
    discovery: 0,
    reading: 0,
    lint: 0,
    shellcheck: 0,
    workers: 0,
    output: 0,
  };
  private last = 0;

  constructor() {
    if (!this.on) return;
    // performance.now() counts from the process's start: what came before this is start-up.
    this.last = performance.now();
    this.spent.startup = this.last;
  }

  /** The time since the previous mark was spent on `phase`. */
  mark(phase: Phase): void {
    if (!this.on) return;
    const now = performance.now();
    this.spent[phase] += now - this.last;
    this.last = now;
  }

  /** The JSON line, when asked for. */
  report(files: number): string | undefined {
    if (!this.on) return undefined;
    const round = (n: number) => Math.round(n * 10) / 10;
    const phases = Object.fromEntries(Object.entries(this.spent).map(([k, v]) => [k, round(v)]));
    return `${JSON.stringify({ timings: { ...phases, total: round(performance.now()) }, files })}\n`;
  }
}
