/**
 * The tool's cache directory for this machine and user, shared by the CLI and the server: registry
 * facts (registry/factCache.ts) and the CLI's compiled code (engine/codeCache.ts) live under it.
 * `$DOCKERFILE_HARDENER_CACHE_DIR`, else `$XDG_CACHE_HOME/dockerfile-hardener`, else the platform's
 * cache directory (`~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`).
 */
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
