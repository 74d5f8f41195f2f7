/**
 * The build context of a Dockerfile on disk, as the CLI and the server give it to the model: rooted at
 * the Dockerfile's directory, and, for the common `docker build -f docker/Dockerfile .` layout, the
 * directories above it up to the repository's root (the nearest with a .git) or four levels. A file
 * is looked for in each, nearest first. Reads stay inside those directories (no `..`, no absolute
 * paths, symbolic links resolved and checked) and take at most 256 KB; nothing is written or run.
 */
import { existsSync, openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { BuildContext } from '../model/context';

const MAX_BYTES = 256 * 1024;
const MAX_LEVELS = 4;

function roots(dockerfile: string): string[] {
  const out: string[] = [];
  let dir = path.dirname(path.resolve(dockerfile));
  for (let k = 0; k <= MAX_LEVELS; k++) {
    out.push(dir);
    if (existsSync(path.join(dir, '.git'))) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/** The real path of `rel` under `root`, or undefined when it is outside it or does not exist. */
function inside(root: string, rel: string): string | undefined {
  if (!rel || path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return undefined;
  try {
    const real = realpathSync(path.join(root, rel));
    const realRoot = realpathSync(root);
    return real === realRoot || real.startsWith(realRoot + path.sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

export function fileBuildContext(dockerfile: string): BuildContext {
  const candidates = roots(dockerfile);
  return {
    readFile(rel) {
      for (const root of candidates) {
        const file = inside(root, rel);
        if (!file) continue;
        try {
          if (!statSync(file).isFile()) return undefined;
          const fd = openSync(file, 'r');
          try {
            const buf = Buffer.alloc(MAX_BYTES + 1);
            const n = readSync(fd, buf, 0, buf.length, 0);
            return n > MAX_BYTES ? undefined : buf.subarray(0, n).toString('utf8');
          } finally {
            closeSync(fd);
          }
        } catch {
          return undefined;
        }
      }
      return undefined;
    },
    exists(rel) {
      return candidates.some((root) => inside(root, rel) !== undefined);
    },
  };
}
