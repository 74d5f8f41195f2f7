/**
 * Entry point of dist/cli.js (package.json `bin`: dockerfile-hardener), and of its lint workers: runs
 * the CLI's bundle, dist/cli-main.js, through V8's code cache (cli/codeCache.ts).
 */
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { defaultCacheDir } from './registry/cacheDir';
import { CODE_CACHE_DIR, runCached } from './cli/codeCache';
import { tuneV8 } from './engine/v8Tuning';

/** The commands that run the rules: what their runs compile is what later runs need cached. */
const LINTING = new Set(['lint', 'fix']);

// Before the bundle is compiled: V8 takes cached code only when its flags are those it was made under.
tuneV8();
const run = runCached(path.join(__dirname, 'cli-main.js'), cacheDir());
// At the end of the run the data holds every function it compiled (a worker's are the same code).
if (isMainThread && !run.accepted && LINTING.has(process.argv[2])) process.once('exit', () => run.save());

/** Where the cache is: an absolute directory only (an empty HOME must not put it in the working directory). */
function cacheDir(): string | undefined {
  if (process.env.DOCKERFILE_HARDENER_CODE_CACHE === 'off') return undefined;
  try {
    const dir = defaultCacheDir();
    return path.isAbsolute(dir) ? path.join(dir, CODE_CACHE_DIR) : undefined;
  } catch {
    return undefined; // no home directory to find one under (a container's user without one)
  }
}
