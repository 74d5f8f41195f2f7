/**
 * Runs ShellCheck over the RUN scripts of many documents: the scripts are written as small files to a
 * private temporary directory, checked by a few `shellcheck -f json1` processes (one per batch of
 * files of one dialect), and the comments mapped back to each document's offsets.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dialect, ScriptJob, ScriptOwner } from './scripts';
import { ScriptPositions } from './positions';
import { runBatch, type Json1Comment } from './process';

export type ShellCheckLevel = 'error' | 'warning' | 'info' | 'style';

export interface ShellCheckComment {
  code: number;
  level: ShellCheckLevel;
  message: string;
  /** document offsets */
  start: number;
  end: number;
  instr: ScriptOwner;
}

/**
 * Always left out: SC2154 (a variable referenced but not assigned may come from the base image's ENV
 * or an ARG), SC1090 and SC1091 (a sourced file is not part of the build's text).
 */
const EXCLUDED = [2154, 1090, 1091];
const LEVELS = new Set<string>(['error', 'warning', 'info', 'style']);
/** Files per process at most: the names must fit a command line (Windows: 32 K characters). */
const MAX_FILES = 2000;
/** How many files are written at once. */
const WRITE_AHEAD = 64;
/** The deadline of one process: a base, and more for every 10 KB of scripts it reads. */
const BASE_TIMEOUT = 60_000;
const TIMEOUT_PER_10KB = 1_000;

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The shellcheck binary to run: `setting` when given (an absolute path that exists and is executable),
 * else `shellcheck` found on PATH; undefined when there is none. A setting that is given but not such
 * a path gives undefined (not some other shellcheck). PATH entries that are not absolute are ignored:
 * a workspace must not be able to put its own `shellcheck` on the path.
 */
export function findShellCheck(setting?: string): string | undefined {
  if (setting) return path.isAbsolute(setting) && isExecutableFile(setting) ? setting : undefined;
  const names = process.platform === 'win32' ? ['shellcheck.exe', 'shellcheck'] : ['shellcheck'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const p = path.join(dir, name);
      if (isExecutableFile(p)) return p;
    }
  }
  return undefined;
}

/** A script to check: its document, its job, and its file name. */
interface Entry {
  doc: number;
  job: ScriptJob;
  file: string;
}

interface Batch {
  dialect: Dialect;
  entries: Entry[];
  size: number;
}

/**
 * Splits the entries into batches of one dialect each, about `parallel` in all (at least one per
 * dialect, and no more than MAX_FILES files each), every batch about as large as the others: the
 * scripts, largest first, each go to the smallest batch of their dialect.
 */
function planBatches(entries: Entry[], parallel: number): Batch[] {
  const byDialect = new Map<Dialect, Entry[]>();
  for (const e of entries) {
    const list = byDialect.get(e.job.dialect);
    if (list) list.push(e);
    else byDialect.set(e.job.dialect, [e]);
  }
  const total = entries.reduce((n, e) => n + e.job.script.text.length, 0) || 1;
  const batches: Batch[] = [];
  for (const [dialect, list] of byDialect) {
    const size = list.reduce((n, e) => n + e.job.script.text.length, 0);
    const count = Math.min(list.length, Math.max(1, Math.round((parallel * size) / total), Math.ceil(list.length / MAX_FILES)));
    const mine: Batch[] = Array.from({ length: count }, () => ({ dialect, entries: [], size: 0 }));
    const sorted = [...list].sort((a, b) => b.job.script.text.length - a.job.script.text.length);
    for (const e of sorted) {
      let least = mine[0];
      for (const b of mine) if (b.size < least.size || (b.size === least.size && b.entries.length < least.entries.length)) least = b;
      least.entries.push(e);
      least.size += e.job.script.text.length;
    }
    batches.push(...mine);
  }
  return batches.sort((a, b) => b.size - a.size);
}

/**
 * Runs the batches, `parallel` at a time. Resolves to each batch's comments, or undefined when
 * aborted; on a failure stops the others, waits for them, and rejects.
 */
async function runPool(
  batches: Batch[],
  options: { binary: string; cwd: string; parallel: number; exclude: number[]; signal?: AbortSignal },
): Promise<Json1Comment[][] | undefined> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const results: Json1Comment[][] = [];
  let failure: unknown;
  let next = 0;
  const worker = async () => {
    while (next < batches.length && !stop.signal.aborted) {
      const k = next++;
      const b = batches[k];
      try {
        const comments = await runBatch({
          binary: options.binary,
          cwd: options.cwd,
          dialect: b.dialect,
          files: b.entries.map((e) => e.file),
          exclude: options.exclude,
          timeout: BASE_TIMEOUT + Math.ceil(b.size / 10_240) * TIMEOUT_PER_10KB,
          signal: stop.signal,
        });
        if (comments) results[k] = comments;
      } catch (e) {
        failure ??= e;
        stop.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.parallel, batches.length) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined && !options.signal?.aborted) throw failure;
  return stop.signal.aborted ? undefined : results;
}

/** Writes every entry's script to its file, a few at a time. */
async function writeScripts(dir: string, entries: Entry[]): Promise<void> {
  for (let k = 0; k < entries.length; k += WRITE_AHEAD) {
    await Promise.all(
      entries.slice(k, k + WRITE_AHEAD).map((e) => writeFile(path.join(dir, e.file), e.job.script.text, { encoding: 'utf8', mode: 0o600 })),
    );
  }
}

/** Maps the comments of every batch to their documents, without duplicates, in document order. */
/** Each comment, to every entry whose script was the file commented on (one file may stand for several). */
function mapComments(documents: ScriptJob[][], entries: Entry[], results: Json1Comment[][]): ShellCheckComment[][] {
  const byFile = new Map<string, { entry: Entry; positions?: ScriptPositions }[]>();
  for (const e of entries) {
    const list = byFile.get(e.file);
    if (list) list.push({ entry: e });
    else byFile.set(e.file, [{ entry: e }]);
  }
  const out = documents.map(() => new Map<string, ShellCheckComment>());
  for (const comments of results) {
    for (const c of comments ?? [])
      for (const found of byFile.get(c.file) ?? []) {
        found.positions ??= new ScriptPositions(found.entry.job.script);
        const { start, end } = found.positions.span(c.line, c.column, c.endLine ?? c.line, c.endColumn ?? c.column);
        const level = (LEVELS.has(c.level) ? c.level : 'warning') as ShellCheckLevel;
        const comment: ShellCheckComment = {
          code: c.code,
          level,
          message: String(c.message ?? ''),
          start,
          end,
          instr: found.entry.job.instr,
        };
        // A heredoc script is checked on its own and as part of the RUN that holds it: once is enough.
        out[found.entry.doc].set(`${c.code}:${start}:${end}:${comment.message}`, comment);
      }
  }
  return out.map((m) => [...m.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.code - b.code));
}

/**
 * Runs ShellCheck over the jobs of many documents in as few processes as it can: the scripts are
 * written to a private temporary directory (removed afterwards), split into at most `parallel`
 * batches (default: the number of CPUs) of one `shellcheck -f json1 …` process each, grouped by
 * dialect (`-s`), and the comments are mapped back to each document's offsets. `signal` aborts (kills
 * the processes, resolves to undefined). Excluded codes: SC2154 (a variable may come from the base
 * image's ENV), SC1090/SC1091 (sourced files are not in the build), plus `exclude`.
 */
export async function runShellCheck(
  documents: ScriptJob[][],
  options: { binary: string; parallel?: number; signal?: AbortSignal; exclude?: number[] },
): Promise<ShellCheckComment[][] | undefined> {
  if (options.signal?.aborted) return undefined;
  const all: Entry[] = documents.flatMap((jobs, doc) => jobs.map((job, k) => ({ doc, job, file: `${doc}-${k}.sh` })));
  if (!all.length) return documents.map(() => []);
  // A script that several RUNs share (variants of one image, a step repeated across files) is checked
  // once, and its comments go to each of them: ShellCheck's verdict depends only on the text and dialect.
  const unique = new Map<string, Entry>();
  for (const e of all) {
    const key = `${e.job.dialect}\0${e.job.script.text}`;
    const first = unique.get(key);
    if (first) e.file = first.file;
    else unique.set(key, e);
  }
  const entries = [...unique.values()];
  const parallel = Math.max(1, Math.floor(options.parallel ?? os.availableParallelism()));
  const exclude = [...new Set([...EXCLUDED, ...(options.exclude ?? [])])];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dockerfile-hardener-shellcheck-'));
  try {
    await chmod(dir, 0o700);
    await writeScripts(dir, entries);
    const results = await runPool(planBatches(entries, parallel), {
      binary: options.binary,
      cwd: dir,
      parallel,
      exclude,
      signal: options.signal,
    });
    return results && mapComments(documents, all, results);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
