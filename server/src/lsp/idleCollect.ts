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
 * collection only happens while nothing is waiting. "What it holds" is V8's used size, which counts
 * the garbage no collection has met yet: right after a burst (a batch of ShellCheck runs that held
 * every open document's model) the heap can look full of live data and the first round would give
 * nothing back. So the first round also collects when the heap grew by more than 8 MB since the last
 * collection, or what its objects hold outside it by more than 16 MB (bench/HISTORY.md: RSS ~80 MB,
 * or ~200 MB when that round was skipped). Memory that stays held (the HCL parser's WebAssembly) does
 * not make every pause collect.
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
  /**
   * Bytes outside the heap that its objects hold (Buffers: a ShellCheck run's output, for one), which
   * only a collection of their holders frees, however little the heap itself has to give back.
   */
  external?: number;
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

/** Growth of the heap since the last collection that makes the first round collect anyway. */
const GREW = 8 * 1024 * 1024;

export class IdleCollector {
  private timer: unknown;
  /** The heap after the last collection (at the start: when the collector was made). */
  private afterCollection: HeapSize;
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
        return { total: s.total_heap_size, used: s.used_heap_size, external: s.external_memory };
      });
    this.setTimer =
      options.setTimer ??
      ((run, ms) => {
        const t = setTimeout(run, ms);
        t.unref(); // never what keeps the process alive
        return t;
      });
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
    this.afterCollection = this.heap();
  }

  /** The heap, or what its objects hold outside it (a ShellCheck run's output), grew since the last collection. */
  private grew(heap: HeapSize): boolean {
    const before = this.afterCollection;
    return heap.total > before.total + GREW || (heap.external ?? 0) > (before.external ?? 0) + 2 * GREW;
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
    if (this.disposed) return;
    const heap = this.heap();
    if (!hasSlack(heap) && !(n === 1 && this.grew(heap))) return;
    this.options.collect();
    this.afterCollection = this.heap();
    if (n < this.maxRounds && hasSlack(this.heap())) this.timer = this.setTimer(() => this.round(n + 1), this.intervalMs);
  }
}
