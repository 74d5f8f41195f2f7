/**
 * Entry point of dist/cli.js (package.json `bin`: dockerfile-hardener), and of its lint workers: runs
 * the CLI's bundle, dist/cli-main.js, through V8's code cache (engine/codeCache.ts).
 */
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { defaultCacheDir } from './registry/cacheDir';
import { CODE_CACHE_DIR, runCached } from './engine/codeCache';
import { tuneV8 } from './engine/v8Tuning';

// Before the bundle is compiled: V8 takes cached code only when its flags are those it was made under.
tuneV8();
const run = runCached(path.join(__dirname, 'cli-main.js'), cacheDir());
// At the end of the run the data holds every function it compiled (a worker's are the same code).
if (isMainThread && !run.accepted) process.once('exit', () => run.save());

function cacheDir(): string | undefined {
  if (process.env.DOCKERFILE_HARDENER_CODE_CACHE === 'off') return undefined;
  try {
    return path.join(defaultCacheDir(), CODE_CACHE_DIR);
  } catch {
    return undefined; // no home directory to find one under (a container's user without one)
  }
}
