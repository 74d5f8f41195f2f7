/**
 * `lint` of many files on several cores, as Ruff and Biome do: worker threads, each running the same
 * bundle (dist/cli.js, which runs dist/cli-main.js), take batches of files from a queue that this thread also works through, and
 * hand back each file's findings when they are done (their ShellCheck pass included). The output is
 * the same as one thread's: files in the order given, each message on stderr once, in file order.
 *
 * Only from the bundle (a worker runs it again) and only where it pays: a worker costs ~100 ms of
 * start-up (compiling the bundle), so a few files are linted here alone; `--jobs 1` turns it off.
 */
import * as os from 'node:os';
// Loaded anyway: the entry point asks it whether this is a worker (cli-main.ts).
import { Worker } from 'node:worker_threads';
import type { Finding } from '../engine/findings';
import type { Io } from './io';
import { Inputs } from './inputs';
import { FileLinter, type Checked, type FileLintArgs } from './lintFiles';
import type { Timings } from './timings';
import { skippedNote, type ShellCheckNotes } from './shellcheckPass';

/** Files per batch a worker takes from the queue. */
const BATCH = 16;
/** Below this many files per thread, a worker's start-up costs more than it saves (bench/HISTORY.md). */
export const MIN_FILES_PER_THREAD = 100;

let workerScript: string | undefined;

/** The bundle a worker runs (set by its entry point; from the sources there is none, and no worker). */
export function allowWorkers(script: string): void {
  workerScript = script;
}

/** What a worker is started with. */
export interface WorkerStart {
  dockerfileHardenerLint: true;
  args: FileLintArgs;
}

type ToWorker = { type: 'files'; files: { index: number; file: string }[] } | { type: 'done' };

/** A finding as it crosses to another thread: what the outputs read (fixes and peer codes stay behind). */
type WireFinding = Pick<Finding, 'rule' | 'severity' | 'message' | 'range'>;

type FromWorker =
  | { type: 'more' }
  | {
      type: 'results';
      files: (Omit<Checked, 'findings'> & { index: number; findings: WireFinding[] })[];
      said: { index: number; line: string }[];
      shellcheck: ShellCheckNotes;
      errors: { index: number; line: string }[];
      configErrors: boolean;
      count: number;
    };

/** How many threads to use for `count` files: one per core, at most 4, each with enough files to pay. */
export function threadsFor(count: number, jobs: number | undefined): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const most = jobs ?? Math.min(cores, 4);
  return Math.max(1, Math.min(most, Math.floor(count / MIN_FILES_PER_THREAD)));
}

/**
 * Lints `paths` on this thread and `threads - 1` workers; undefined when one thread it is (the
 * caller lints them in turn), or no worker can be started.
 */
export async function lintInParallel(
  paths: string[],
  args: FileLintArgs & { jobs?: number },
  inputs: Inputs,
  io: Io,
  timings: Timings,
): Promise<Checked[] | undefined> {
  const threads = threadsFor(paths.length, args.jobs);
  if (threads < 2 || !workerScript || paths.includes('-')) return undefined;
  let workers: Worker[];
  try {
    workers = Array.from({ length: threads - 1 }, () => new Worker(workerScript!, { workerData: workerStart(args) }));
  } catch {
    return undefined; // no thread could be started: this one lints them all
  }
  return new ParallelLint(paths, args, inputs, timings).run(workers, io);
}

/** What a worker starts with: only what the work on a file reads, plain data it receives as a copy. */
function workerStart(args: FileLintArgs): WorkerStart {
  const { failLevel, targetStage, buildArgs, namedContexts, targetPlatforms, config, context, shellcheck, imageFacts, paths } = args;
  return {
    dockerfileHardenerLint: true,
    args: { failLevel, targetStage, buildArgs, namedContexts, targetPlatforms, config, context, shellcheck, imageFacts, paths },
  };
}

/** One parallel run: the queue of files, this thread's share, and what every thread hands back. */
class ParallelLint {
  private readonly results: (Checked | undefined)[];
  /**
   * What the threads said on stderr, by the index of the file each line was said for and the thread
   * that said it (0: this one): a line that several threads say (a config's problem, which each
   * thread's reading reports once) is said once, by the first; a thread's own repeats stay.
   */
  private readonly said: { index: number; thread: number; line: string }[] = [];
  private threads = 0;
  private readonly notes: ShellCheckNotes[] = [];
  /** Errors (files that cannot be read, a rule that failed) by the file they are about, as in turn. */
  private readonly errors: { index: number; line: string }[] = [];
  /** The files each worker took and has not handed back yet. */
  private readonly given = new Map<Worker, number[]>();
  private current = 0;
  private next = 0;

  constructor(
    private readonly paths: string[],
    private readonly args: FileLintArgs,
    private readonly inputs: Inputs,
    private readonly timings: Timings,
  ) {
    this.results = new Array<Checked | undefined>(paths.length);
  }

  private take(): { index: number; file: string }[] {
    const batch = [];
    for (; batch.length < BATCH && this.next < this.paths.length; this.next++)
      batch.push({ index: this.next, file: this.paths[this.next] });
    return batch;
  }

  private linter(): FileLinter {
    return new FileLinter(this.args, this.inputs, (line) => this.said.push({ index: this.current, thread: 0, line }), this.timings);
  }

  /** Lints some files here; their results go in their places. */
  private async lintHere(linter: FileLinter, indexes: number[]): Promise<void> {
    const linted: number[] = [];
    for (const index of indexes) {
      this.current = index;
      if (await linter.lintFile(this.paths[index])) linted.push(index);
      for (const line of this.inputs.errors.splice(0)) this.errors.push({ index, line });
    }
    (await linter.finish()).forEach((f, i) => (this.results[linted[i]] = f));
    this.notes.push(linter.shellcheck);
  }

  /** Until a worker exits: hands it batches when it asks, and takes its results. */
  private serve(w: Worker): Promise<void> {
    return new Promise<void>((resolve) => {
      const handed: number[] = [];
      const thread = ++this.threads;
      this.given.set(w, handed);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'more') {
          const batch = this.take();
          handed.push(...batch.map((b) => b.index));
          w.postMessage((batch.length ? { type: 'files', files: batch } : { type: 'done' }) satisfies ToWorker);
          return;
        }
        for (const f of m.files) this.results[f.index] = { file: f.file, findings: f.findings, text: f.text, failLevel: f.failLevel };
        for (const s of m.said) this.said.push({ ...s, thread });
        this.notes.push(m.shellcheck);
        this.errors.push(...m.errors);
        this.inputs.configErrors ||= m.configErrors;
        this.inputs.count += m.count;
        this.given.set(w, []);
        void w.terminate();
      });
      w.on('error', (error: Error) => {
        this.said.push({
          index: Number.MAX_SAFE_INTEGER,
          thread: -2,
          line: `dockerfile-hardener: a lint thread failed (${error.message}); its files were linted on this one\n`,
        });
        resolve();
      });
      w.on('exit', () => resolve());
    });
  }

  async run(workers: Worker[], io: Io): Promise<Checked[]> {
    const { inputs } = this;
    const early = inputs.errors.splice(0);
    // Discovery has said its lines already; this thread's share says them with its file, like a worker.
    const seen = new Set(inputs.said);
    const out = inputs.redirect((line) => this.said.push({ index: this.current, thread: 0, line }));
    const done = Promise.all(workers.map((w) => this.serve(w)));
    const mine = this.linter();
    const linted: number[] = [];
    while (this.next < this.paths.length) {
      for (const { index } of this.take()) {
        this.current = index;
        if (await mine.lintFile(this.paths[index])) linted.push(index);
        for (const line of inputs.errors.splice(0)) this.errors.push({ index, line });
      }
      // Lets the workers' requests for more be answered.
      await new Promise((resolve) => setImmediate(resolve));
    }
    (await mine.finish()).forEach((f, i) => (this.results[linted[i]] = f));
    this.notes.push(mine.shellcheck);
    await done;
    this.timings.mark('workers');
    // Files a worker took and did not hand back (it failed) are linted here.
    const lost = [...this.given.values()].flat();
    if (lost.length) await this.lintHere(this.linter(), lost);
    inputs.errors.push(...early, ...this.errors.sort((a, b) => a.index - b.index).map((e) => e.line));
    inputs.redirect(out);
    // What each thread said, in the order of the files it was said for, a line several threads said
    // once; then the ShellCheck passes' notes: one line for the shells none of them checked, each other once.
    const owner = new Map<string, number>([...seen].map((line) => [line, -1]));
    for (const { thread, line } of this.said.sort((a, b) => a.index - b.index)) {
      if (!owner.has(line)) owner.set(line, thread);
      if (owner.get(line) === thread) io.err(line);
    }
    const last = [...skippedNote(this.notes.flatMap((n) => n.skipped)), ...this.notes.flatMap((n) => n.notes)];
    for (const line of new Set(last)) if (!owner.has(line)) io.err(line);
    return this.results.filter((r): r is Checked => r !== undefined);
  }
}

/** A worker's side: batches of files in, each file's findings out at the end. */
export function runLintWorker(
  port: { postMessage(m: FromWorker): void; on(e: 'message', l: (m: ToWorker) => void): void },
  start: WorkerStart,
): void {
  const said: { index: number; line: string }[] = [];
  let current = 0;
  const inputs = new Inputs(start.args, (line) => said.push({ index: current, line }));
  const linter = new FileLinter(start.args, inputs, (line) => said.push({ index: current, line }));
  const indexes: number[] = [];
  const errors: { index: number; line: string }[] = [];
  let ended = false;
  let queue = Promise.resolve();
  port.on('message', (m) => {
    queue = queue.then(step(m)).catch((error: unknown) => {
      // Thrown out of the queue, the error ends the worker: the main thread then lints its files itself.
      setImmediate(() => {
        throw error;
      });
    });
  });
  function step(m: ToWorker): () => Promise<void> {
    return async () => {
      if (m.type === 'files') {
        // Asks for the next batch before this one: the answer is there when this one is done.
        port.postMessage({ type: 'more' });
        for (const { index, file } of m.files) {
          current = index;
          if (await linter.lintFile(file)) indexes.push(index);
          for (const line of inputs.errors.splice(0)) errors.push({ index, line });
        }
        return;
      }
      if (ended) return;
      ended = true;
      const checked = await linter.finish();
      port.postMessage({
        type: 'results',
        files: checked.map((f, i) => ({
          index: indexes[i],
          file: f.file,
          text: f.text,
          failLevel: f.failLevel,
          findings: f.findings.map(({ rule, severity, message, range }) => ({ rule, severity, message, range })),
        })),
        said,
        shellcheck: linter.shellcheck,
        errors,
        configErrors: inputs.configErrors,
        count: inputs.count,
      });
    };
  }
  port.postMessage({ type: 'more' });
}
