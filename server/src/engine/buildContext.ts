/**
 * The build context of a Dockerfile on disk, as the CLI and the server give it to the model: rooted at
 * the Dockerfile's directory, and, for the common `docker build -f docker/Dockerfile .` layout, the
 * directories above it up to the repository's root (the nearest with a .git) or four levels. A file
 * is looked for in each, nearest first. Reads stay inside those directories (no `..`, no absolute
 * paths, symbolic links resolved and checked) and take at most 256 KB; nothing is written or run.
 */
import { closeSync, existsSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { BuildContext } from '../model/context';

const MAX_BYTES = 256 * 1024;
const MAX_LEVELS = 4;

/** The directories a Dockerfile's context may be rooted at, nearest first (the same for every file of a directory). */
const rootsByDir = new Map<string, { dir: string; real: string }[]>();
function roots(dockerfile: string): { dir: string; real: string }[] {
  const start = path.dirname(path.resolve(dockerfile));
  let found = rootsByDir.get(start);
  if (found) return found;
  found = [];
  let dir = start;
  for (let k = 0; k <= MAX_LEVELS; k++) {
    try {
      found.push({ dir, real: realpathSync(dir) });
    } catch {
      break;
    }
    if (existsSync(path.join(dir, '.git'))) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  rootsByDir.set(start, found);
  return found;
}

/** The real path of `rel` under a root, or undefined when it is outside it or does not exist. */
function inside(root: { dir: string; real: string }, rel: string): string | undefined {
  if (!rel || path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return undefined;
  const full = path.join(root.dir, rel);
  // Most lookups are of files that are not there: an lstat answers those without resolving links.
  if (!statSync(full, { throwIfNoEntry: false }) && !lstatSync(full, { throwIfNoEntry: false })) return undefined;
  try {
    const real = realpathSync(full);
    return real === root.real || real.startsWith(root.real + path.sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

function read(file: string): string | undefined {
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

/** The build context of the Dockerfile at `dockerfile`; each answer is kept for the context's life (one lint). */
export function fileBuildContext(dockerfile: string): BuildContext {
  const candidates = roots(dockerfile);
  const found = new Map<string, string | undefined>();
  const locate = (rel: string): string | undefined => {
    if (!found.has(rel)) found.set(rel, candidates.map((root) => inside(root, rel)).find((f) => f !== undefined));
    return found.get(rel);
  };
  const texts = new Map<string, string | undefined>();
  return {
    readFile(rel) {
      const file = locate(rel);
      if (file === undefined) return undefined;
      if (!texts.has(file)) texts.set(file, read(file));
      return texts.get(file);
    },
    exists(rel) {
      return locate(rel) !== undefined;
    },
  };
}
