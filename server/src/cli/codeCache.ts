/**
 * The CLI's bundle run through V8's code cache, as `v8-compile-cache` does and as Node 22's
 * `module.enableCompileCache()` does (Node 20 has no such call). A short run spends much of its time
 * compiling: V8 parses the 760 KB bundle, then compiles each function the run calls. The cache holds
 * that work from an earlier run: linting one file took 152 ms without it and 110 ms with it (30
 * alternating runs; `node -e ""` 62 ms). A run over hundreds of files gains nothing measurable:
 * there, the time goes to running the code, not compiling it (bench/HISTORY.md).
 *
 * - Where: `code-v1/` in the tool's cache directory (registry/cacheDir.ts), one file per install of
 *   the bundle, version of it, and Node: named by checksums of the bundle's path, of its content, and
 *   of Node's version, architecture and options (`execArgv`, `NODE_OPTIONS`: V8 rejects data made
 *   under other flags). V8 itself checks only the source's length, so a bundle changed in place at
 *   the same size must not find the old file: its content is in the name, and in the file again.
 *   Writing a file removes this install's files of other versions of the bundle, no others.
 * - Each file starts with a checksum of its data (V8 does not check the content): a damaged file is
 *   not handed to V8, and the bundle compiles as if there were no cache. On POSIX systems a file
 *   another user owns or can write is not read (as ssh treats its keys): a cache directory named
 *   somewhere shared cannot hand this process someone else's code.
 * - Written at the end of a run that found no file and ran the rules (the caller says so: the data
 *   then holds what linting compiles, where a first `--version` would leave only the top level), to
 *   a temporary name renamed into place: a reader never sees half a file, and two processes writing
 *   leave one whole file.
 * - Directories are made only below one that belongs to the user running: a run under sudo that
 *   keeps HOME neither creates nor fills the user's `~/.cache` as root. Where nothing can be written,
 *   nothing is compiled for it either.
 *
 * V8's flags must be set before the bundle is compiled (engine/v8Tuning.ts).
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';
import { ownedByMe, prepareDirectory } from '../registry/cacheDir';

/** Under the cache directory. */
export const CODE_CACHE_DIR = 'code-v1';

/** The header: the checksum of the data, then that of the bundle's source. */
const HEADER = 8;

export interface CachedRun {
  /** Whether V8 took cached code for the bundle. */
  accepted: boolean;
  /** The cache file for this bundle and Node. */
  file?: string;
  /** Writes the cache from what the run compiled (nothing when it was accepted or cannot be written). */
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

const hex = (n: number) => n.toString(16).padStart(8, '0');

/** The cached data in `file` when it is this user's, whole, and made from `sourceSum`'s source. */
function readCache(file: string, sourceSum: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!ownedByMe(st.uid) || (typeof process.getuid === 'function' && (st.mode & 0o022) !== 0)) return undefined;
    const all = readFileSync(fd);
    if (all.length <= HEADER || all.readUInt32LE(4) !== sourceSum) return undefined;
    const data = all.subarray(HEADER);
    return all.readUInt32LE(0) === checksum(data) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeCache(file: string, sourceSum: number, data: Buffer): void {
  const head = Buffer.alloc(HEADER);
  head.writeUInt32LE(checksum(data), 0);
  head.writeUInt32LE(sourceSum, 4);
  const temporary = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([head, data]), { mode: 0o600 });
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * This install's files of other versions of the bundle (`name`: bundle-install-source-node.cache), and
 * the temporary files a process killed while writing left over a minute ago.
 */
function removeOtherVersions(dir: string, name: string): void {
  const [install, source] = name
    .replace(/\.cache$/, '')
    .split('-')
    .slice(-3);
  for (const other of readdirSync(dir)) {
    const parts = other.replace(/\.cache(\..*\.tmp)?$/, '').split('-');
    if (parts[parts.length - 3] !== install) continue;
    const stale = other.endsWith('.cache')
      ? parts[parts.length - 2] !== source
      : Date.now() - (statSync(path.join(dir, other), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 60_000;
    if (stale) rmSync(path.join(dir, other), { force: true });
  }
}

/**
 * Runs the CommonJS file `bundle` as Node would run it as a module (its `require`, `module`,
 * `__filename`, `__dirname`), compiled with the cached code in `cacheDir` where there is any.
 */
export function runCached(bundle: string, cacheDir: string | undefined): CachedRun {
  const bytes = readFileSync(bundle);
  let file: string | undefined;
  let data: Buffer | undefined;
  const sourceSum = cacheDir ? checksum(bytes) : 0;
  if (cacheDir) {
    const node = [process.version, process.arch, ...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
    const install = checksum(Buffer.from(path.resolve(bundle)));
    const name = `${path.basename(bundle, '.js')}-${hex(install)}-${hex(sourceSum)}-${hex(checksum(Buffer.from(node)))}.cache`;
    file = path.join(cacheDir, name);
    data = readCache(file, sourceSum);
  }
  // No import() in the bundle: vm compiles none without an experimental loader (test/cli/codeCache.test.ts).
  const script = new Script(wrap(bytes.toString('utf8')), { filename: bundle, cachedData: data });
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
        // Before V8 serializes anything: a directory that cannot take the file costs nothing more.
        if (!prepareDirectory(cacheDir)) return;
        writeCache(file, sourceSum, script.createCachedData());
        removeOtherVersions(cacheDir, path.basename(file));
      } catch {
        // A cache directory that cannot be written: the next run compiles again, as this one did.
      }
    },
  };
}
