/**
 * The tool's cache directory for this machine and user, shared by the CLI and the server: registry
 * facts (registry/factCache.ts) and the CLI's compiled code (cli/codeCache.ts) live under it.
 * `$DOCKERFILE_HARDENER_CACHE_DIR`, else `$XDG_CACHE_HOME/dockerfile-hardener`, else the platform's
 * cache directory (`~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`).
 */
import { mkdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The cache directory (`env`, `platform` and `home` for tests). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = os.homedir()): string {
  if (env.DOCKERFILE_HARDENER_CACHE_DIR) return env.DOCKERFILE_HARDENER_CACHE_DIR;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'dockerfile-hardener');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'dockerfile-hardener');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'dockerfile-hardener', 'Cache');
  return path.join(home, '.cache', 'dockerfile-hardener');
}

/** Whether a file's owner is the user running (always, where the system has no user ids). */
export function ownedByMe(uid: number): boolean {
  return typeof process.getuid !== 'function' || uid === process.getuid();
}

/**
 * Makes `dir` where it can be this user's: the directories missing are made (mode 0700) only below
 * the nearest one that exists, when that one is this user's. A run under sudo that keeps HOME then
 * neither creates nor fills the user's `~/.cache` as root. Whether `dir` can take files.
 */
export function prepareDirectory(dir: string): boolean {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const st = statSync(at, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory() || !ownedByMe(st.uid)) return false;
      break;
    }
    const up = path.dirname(at);
    if (up === at) return false;
    missing.push(at);
    at = up;
  }
  try {
    for (const d of missing.reverse()) mkdirSync(d, { mode: 0o700 });
    return true;
  } catch {
    return false;
  }
}
