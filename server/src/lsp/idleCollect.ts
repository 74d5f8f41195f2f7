/**
 * Gives memory back to the system once the server goes idle after a burst of work.
 *
 * V8 grows its heap while the server lints (a workspace opening hundreds of Dockerfiles, a long file
 * re-linted on every keystroke) and Node keeps it afterwards: nothing in Node tells V8 the process is
 * idle: with the corpus open the heap stays several times what is live, and RSS with it, long after
 * the work (bench/HISTORY.md, "Measurements behind the code"). A few full collections apart shrink
 * the heap to what is live (V8 gives back old-space pages on the first, and shrinks the young
 * generation only after several collections that find little surviving), and RSS follows.
 *
 * So: after `idleMs` without work, collect; collect again every `intervalMs` while the heap is still
 * much larger than what it holds, at most `maxRounds` times; new work cancels the rest. A full
 * collection only happens while nothing is waiting.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type Collect = () => void;

/**
 * V8's full collection: `gc` when Node runs with --expose-gc, else the same function taken from a
 * fresh context after turning the flag on (editors start the server with a plain `node`). Undefined
 * where this Node refuses both: then nothing is collected early, and nothing else changes.
 */
export function fullCollection(): Collect | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as Collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Collect) : undefined;
  } catch {
    return undefined;
  }
}

export interface HeapSize {
  /** Bytes the heap has from the system. */
  total: number;
  /** Bytes of it in use. */
  used: number;
}

export interface IdleCollectorOptions {
  collect: Collect;
  idleMs?: number;
  intervalMs?: number;
  maxRounds?: number;
  heap?: () => HeapSize;
  /** Timers (tests drive them by hand). */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Slack below which a heap counts as shrunk: a quarter over what is in use, plus 4 MB. */
export function hasSlack({ total, used }: HeapSize): boolean {
  return total > used * 1.25 + 4 * 1024 * 1024;
}

export class IdleCollector {
  private timer: unknown;
  private disposed = false;
  private readonly idleMs: number;
  private readonly intervalMs: number;
  private readonly maxRounds: number;
  private readonly heap: () => HeapSize;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: IdleCollectorOptions) {
    this.idleMs = options.idleMs ?? 2000;
    this.intervalMs = options.intervalMs ?? 1500;
    this.maxRounds = options.maxRounds ?? 5;
    this.heap =
      options.heap ??
      (() => {
        const s = getHeapStatistics();
        return { total: s.total_heap_size, used: s.used_heap_size };
      });
    this.setTimer =
      options.setTimer ??
      ((run, ms) => {
        const t = setTimeout(run, ms);
        t.unref(); // never what keeps the process alive
        return t;
      });
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  }

  /** Work happened: collect once it has been quiet for a while. */
  busy(): void {
    if (this.disposed) return;
    this.cancel();
    this.timer = this.setTimer(() => this.round(1), this.idleMs);
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }

  private round(n: number): void {
    this.timer = undefined;
    if (this.disposed || !hasSlack(this.heap())) return;
    this.options.collect();
    if (n < this.maxRounds && hasSlack(this.heap())) this.timer = this.setTimer(() => this.round(n + 1), this.intervalMs);
  }
}
