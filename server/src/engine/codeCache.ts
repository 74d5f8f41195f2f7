/**
 * The CLI's bundle run through V8's code cache, as `v8-compile-cache` does and as Node 22's
 * `module.enableCompileCache()` does (Node 20 has no such call). A short run spends much of its time
 * compiling: V8 parses the 760 KB bundle, then compiles each function the run calls. The cache holds
 * that work from an earlier run: linting one file took 159 ms without it and 119 ms with it (30
 * alternating runs; `node -e ""` 67 ms). A run over hundreds of files gains nothing measurable:
 * there, the time goes to running the code, not compiling it (bench/HISTORY.md).
 *
 * - Where: `code-v1/` in the tool's cache directory (registry/cacheDir.ts), one file per bundle, named
 *   by the bundle's size, modification time and inode and by Node's version and architecture: an
 *   updated bundle or another Node reads another file. When a file is written, the others are
 *   removed.
 * - V8 checks the data itself (its version, its flags, the source's length) and rejects what does not
 *   fit. It does not check the content, so each file starts with a checksum of the rest: a damaged
 *   file is not handed to V8, and the bundle compiles as if there were no cache. A file another user
 *   owns or can write is not read either (readCache).
 * - Written when no file was accepted, at the end of the run (the data then holds every function
 *   the run compiled), to a temporary name renamed into place: a reader never sees half a file, and
 *   two processes writing leave one whole file. A directory that cannot be written is skipped.
 * - `DOCKERFILE_HARDENER_CODE_CACHE=off` turns it off.
 *
 * V8's flags must be set before the bundle is compiled (engine/v8Tuning.ts): V8 rejects data made
 * under other flags.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

/** Under the cache directory. */
export const CODE_CACHE_DIR = 'code-v1';

export interface CachedRun {
  /** Whether V8 took cached code for the bundle. */
  accepted: boolean;
  /** The cache file for this bundle and Node. */
  file?: string;
  /** Writes the cache from what the run compiled (nothing when it was accepted or there is no directory). */
  save(): void;
}

/** A 32-bit checksum of `data` (FNV-1a over its 32-bit words, then its last bytes): ~2.5 ms a MB. */
export function checksum(data: Uint8Array): number {
  let h = 0x811c9dc5;
  const count = data.byteLength >>> 2;
  const aligned = data.byteOffset % 4 === 0 ? data : new Uint8Array(data); // a copy starts at offset 0
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, count);
  for (let i = 0; i < count; i++) h = Math.imul(h ^ words[i], 0x01000193);
  for (let i = count * 4; i < data.byteLength; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return h >>> 0;
}

/**
 * The cached data in `file` when its checksum holds, else undefined. Cached code is code the process
 * runs: on POSIX systems, a file that another user owns or can write is not read (as ssh treats its
 * keys), so a cache directory named somewhere shared cannot hand this process someone else's code.
 */
function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return undefined;
    const all = readFileSync(fd);
    if (all.length <= 4) return undefined;
    const data = all.subarray(4);
    return all.readUInt32LE(0) === checksum(data) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeCache(dir: string, file: string, prefix: string, data: Buffer): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const head = Buffer.alloc(4);
  head.writeUInt32LE(checksum(data), 0);
  const temporary = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([head, data]), { mode: 0o600 });
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  // This bundle's files for other versions of it and other Nodes (and temporary files a killed process left).
  for (const name of readdirSync(dir))
    if (name.startsWith(prefix) && name !== path.basename(file)) rmSync(path.join(dir, name), { force: true });
}

/**
 * Runs the CommonJS file `bundle` as Node would run it as a module (its `require`, `module`,
 * `__filename`, `__dirname`), compiled with the cached code in `cacheDir` where there is any.
 */
export function runCached(bundle: string, cacheDir: string | undefined): CachedRun {
  // The file's identity before its text: a bundle replaced in between gets a name no later run asks for.
  const st = cacheDir ? statSync(bundle) : undefined;
  const source = readFileSync(bundle, 'utf8');
  let file: string | undefined;
  let data: Buffer | undefined;
  if (cacheDir && st) {
    file = path.join(
      cacheDir,
      `${path.basename(bundle)}-${st.size}-${Math.floor(st.mtimeMs)}-${st.ino}-${process.version}-${process.arch}.cache`,
    );
    data = readCache(file);
  }
  // No import() in the bundle: vm compiles none without an experimental loader (test/cli/codeCache.test.ts).
  const script = new Script(wrap(source), { filename: bundle, cachedData: data });
  const accepted = data !== undefined && !script.cachedDataRejected;
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  return {
    accepted,
    file,
    save() {
      if (accepted || !file || !cacheDir) return;
      try {
        writeCache(cacheDir, file, `${path.basename(bundle)}-`, script.createCachedData());
      } catch {
        // A cache directory that cannot be written: the next run compiles again, as this one did.
      }
    },
  };
}
