/**
 * ShellCheck on the documents' RUN scripts in the editor, where shellcheck is installed (found on
 * PATH: never a binary a workspace names; without it, one message says so, once a session).
 *
 * The documents that ask while a run is on, or in the same turn of the event loop, are checked
 * together in the next run (at most 64 documents a run): one shellcheck process for them instead of
 * one each. Opening a workspace's 952 Dockerfiles at once, with a process per document, the last
 * diagnostics came after 16–19 s and the ShellCheck passes ended ~1.5 s later, most of it spent
 * starting processes on the server's thread; batched, 4.2–5.0 s and ~7 s later (bench (5)). Each
 * document still gets only its own comments, and an edit or a close cancels its part (the run itself
 * stops once every part is cancelled).
 */
import type { Finding, LintOptions } from '../engine/findings';
import type { DockerfileModel } from '../model/model';
import { scriptJobs, type ScriptJob } from '../shellcheck/scripts';
import { placesOf, shellcheckEnabled, shellcheckFindings } from '../shellcheck/findings';
import type { ShellCheckComment } from '../shellcheck/run';

type Run = (documents: ScriptJob[][], signal: AbortSignal) => Promise<ShellCheckComment[][] | undefined>;

/** Documents a run takes at most: what a run holds (their models, its output) stays bounded. */
const MAX_DOCUMENTS = 64;

interface Request {
  jobs: ScriptJob[];
  signal: AbortSignal;
  resolve: (comments: ShellCheckComment[] | undefined) => void;
  reject: (error: unknown) => void;
  /** Settled with the request (after a failed run: when its own run is over). */
  done?: Promise<unknown>;
}

/** Settles a request with what `result` gives (a cancelled one with nothing, not an error). */
function settle(r: Request, result: Promise<ShellCheckComment[] | undefined>): void {
  r.done = result.then(
    (comments) => r.resolve(r.signal.aborted ? undefined : comments),
    (error: unknown) => (r.signal.aborted ? r.resolve(undefined) : r.reject(error)),
  );
}

/** Requests for one run each, combined into as few runs as the load allows, one at a time. */
export class ScriptBatcher {
  private waiting: Request[] = [];
  private busy = false;
  /** How many runs were made (for tests and the bench). */
  runs = 0;

  constructor(private readonly run: Run) {}

  check(jobs: ScriptJob[], signal: AbortSignal): Promise<ShellCheckComment[] | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiting.push({ jobs, signal, resolve, reject });
      this.kick();
    });
  }

  /** One request's scripts in a run of their own. */
  private async alone(r: Request): Promise<ShellCheckComment[] | undefined> {
    this.runs++;
    return (await this.run([r.jobs], r.signal))?.[0];
  }

  private kick(): void {
    if (this.busy) return;
    this.busy = true;
    // The requests of this turn of the event loop join this run.
    setImmediate(() => void this.next());
  }

  private async next(): Promise<void> {
    const batch = this.waiting.splice(0, MAX_DOCUMENTS).filter((r) => (r.signal.aborted ? (r.resolve(undefined), false) : true));
    const controller = new AbortController();
    const onAbort = () => {
      if (batch.every((r) => r.signal.aborted)) controller.abort();
    };
    try {
      if (!batch.length) return;
      for (const r of batch) r.signal.addEventListener('abort', onAbort, { once: true });
      this.runs++;
      const result = await this.run(
        batch.map((r) => r.jobs),
        controller.signal,
      );
      batch.forEach((r, i) => r.resolve(r.signal.aborted || !result ? undefined : result[i]));
    } catch (error) {
      // One document's scripts may be what failed the run (one that makes shellcheck time out): the
      // others are each run again on their own, so that they do not lose their comments with it.
      if (batch.length === 1) settle(batch[0], Promise.reject(error));
      else for (const r of batch) settle(r, r.signal.aborted ? Promise.resolve(undefined) : this.alone(r));
      await Promise.allSettled(batch.map((r) => r.done));
    } finally {
      for (const r of batch) r.signal.removeEventListener('abort', onAbort);
      this.busy = false;
      if (this.waiting.length) this.kick();
    }
  }
}

/** The editor's ShellCheck pass on one document at a time, batched underneath. */
export class ScriptChecks {
  private batcher?: ScriptBatcher;
  private missingShown = false;

  constructor(private readonly missing: () => void) {}

  async findings(model: DockerfileModel, options: LintOptions, signal: AbortSignal): Promise<Finding[] | undefined> {
    if (!shellcheckEnabled(options)) return undefined;
    const { jobs } = scriptJobs(model);
    if (!jobs.length) return undefined;
    const { findShellCheck, runShellCheck } = await import('../shellcheck/run');
    const binary = findShellCheck();
    if (!binary) {
      if (!this.missingShown) {
        this.missingShown = true;
        this.missing();
      }
      return undefined;
    }
    // One process a run: the other core stays free for typing. The binary is looked for at each run
    // (a shellcheck removed or moved since is then not run).
    this.batcher ??= new ScriptBatcher(async (documents, s) => {
      const now = findShellCheck();
      return now ? runShellCheck(documents, { binary: now, parallel: 1, signal: s }) : undefined;
    });
    const comments = await this.batcher.check(jobs, signal);
    return comments ? shellcheckFindings(placesOf(model), comments, options) : undefined;
  }
}
