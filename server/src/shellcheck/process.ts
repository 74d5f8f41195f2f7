/**
 * One `shellcheck -f json1` process over a batch of script files: its output read with a size cap and
 * a deadline, and stopped when the run is aborted.
 */
import { spawn } from 'node:child_process';

/** A comment as json1 gives it. */
export interface Json1Comment {
  file: string;
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
}

interface BatchOptions {
  binary: string;
  /** The directory the files are in (the process's working directory: the names are short). */
  cwd: string;
  dialect: string;
  files: string[];
  /** SC codes left out. */
  exclude: number[];
  /** Milliseconds the process has. */
  timeout: number;
  /** Aborts the process: the promise then resolves to undefined. */
  signal: AbortSignal;
}

/** The most stdout a process may write (json1 is about 300 bytes a comment). */
const MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

/**
 * Runs ShellCheck over `files`. Resolves to its comments (exit 0: none, 1: some), undefined when
 * aborted; rejects when it cannot run, fails, runs past the deadline or writes too much.
 */
export function runBatch(o: BatchOptions): Promise<Json1Comment[] | undefined> {
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) return resolve(undefined);
    const args = ['-f', 'json1', '--norc', '-s', o.dialect];
    if (o.exclude.length) args.push('-e', o.exclude.map((c) => `SC${c}`).join(','));
    const child = spawn(o.binary, [...args, ...o.files], { cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let outSize = 0;
    let err = '';
    let failure: Error | undefined;
    const stop = (why?: Error) => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const onAbort = () => stop();
    o.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => stop(new Error(`shellcheck took longer than ${Math.round(o.timeout / 1000)} s`)), o.timeout);
    child.stdout.on('data', (b: Buffer) => {
      outSize += b.length;
      if (outSize > MAX_OUTPUT) stop(new Error(`shellcheck wrote more than ${MAX_OUTPUT / 1024 / 1024} MB`));
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < MAX_STDERR) err += b.toString('utf8');
    });
    child.on('error', (e) => (failure ??= new Error(`shellcheck could not run (${o.binary}): ${e.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      if (o.signal.aborted) return resolve(undefined);
      if (code !== 0 && code !== 1) return reject(new Error(`shellcheck exited with ${code}: ${err.trim().slice(0, 500)}`));
      try {
        resolve(readJson1(Buffer.concat(out).toString('utf8')));
      } catch (e) {
        reject(new Error(`shellcheck's output is not json1: ${(e as Error).message}`));
      }
    });
  });
}

function readJson1(text: string): Json1Comment[] {
  const parsed = JSON.parse(text) as { comments?: unknown };
  if (!Array.isArray(parsed.comments)) throw new Error('no comments array');
  return parsed.comments.filter(
    (c): c is Json1Comment =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as Json1Comment).file === 'string' &&
      typeof (c as Json1Comment).code === 'number' &&
      typeof (c as Json1Comment).line === 'number' &&
      typeof (c as Json1Comment).column === 'number',
  );
}
