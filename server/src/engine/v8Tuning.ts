/**
 * V8 settings for the processes that run the engine: the CLI and the language server set them first
 * thing (cli-main.ts, server-main.ts); the extension host, which is VS Code's process, never does.
 *
 * Why: in a fresh process much of the cost of linting is V8's optimizing compiler, not the lint:
 * its threads compile and recompile the engine's functions with their callees inlined, and on a
 * 2-core machine they take the core the lint needs. Without inlining, each compilation is smaller,
 * fewer are thrown away by a deoptimization of something inlined, and the first pass is faster;
 * warm passes and edit latencies do not move. `npm run bench` measures it in every run (the corpus
 * row "the same, Node's default V8 settings"); the profiles are in bench/HISTORY.md.
 *
 * Set at run time (editors and CI start us with a plain `node`); it applies to what V8 compiles from
 * then on, which is all of the engine. Only a heuristic of the optimizing compiler belongs here:
 * flags that configure the heap or the garbage collector are read when V8 starts, and changing them
 * later is unsafe (`--single-threaded-gc` set at run time aborted Node 20 in its first full
 * collection). Tried and left out, each within this machine's noise: a smaller inlining budget
 * instead of none, `--interrupt-budget`, `--no-use-osr`, `--no-concurrent-osr`, `--maglev`,
 * `--concurrent-recompilation-queue-length`; `--no-turbofan` doubles the time.
 */
import { setFlagsFromString } from 'node:v8';

export const V8_FLAGS = ['--no-turbo-inlining'];

export function tuneV8(): void {
  for (const flag of V8_FLAGS) {
    try {
      setFlagsFromString(flag);
    } catch {
      // A Node that does not take the flag runs with its defaults: slower to warm up, same results.
    }
  }
}
