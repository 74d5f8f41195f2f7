/**
 * The build context of a Dockerfile on disk, as the CLI and the server give it to the model: rooted at
 * the Dockerfile's directory and, inside a git repository, the directories above it up to the
 * repository's root (for the common `docker build -f docker/Dockerfile .` layout), looked at nearest
 * first. Outside a repository only the Dockerfile's own directory: never a home directory or /tmp.
 * Reads stay inside those directories (no `..`, no absolute paths, symbolic links resolved and
 * checked) and take at most 256 KB; nothing is written or run. `.dockerignore` is not applied (a file
 * it excludes still counts as there), but `ignoreFile` reads it, from the Dockerfile's own directory only
 * (a directory above is the context only for some builds), and `secretFiles` walks that directory with
 * it applied (engine/contextFiles.ts). A context named by the build (`--context`, the config's
 * `context`) is the one root instead.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { BuildContext, ContextSecrets } from '../model/context';
import { parseDockerignore } from '../model/dockerignore';
import { contextWalk } from './contextFiles';

const MAX_BYTES = 256 * 1024;
const MAX_LEVELS = 4;

/** The directories a Dockerfile's context may be rooted at, nearest first (the same for every file of a directory). */
const rootsByDir = new Map<string, Root[]>();
const MAX_CACHED = 1000;

interface Root {
  dir: string;
  real: string;
}

function roots(dockerfile: string): Root[] {
  const start = path.dirname(path.resolve(dockerfile));
  let found = rootsByDir.get(start);
  if (found) return found;
  // Up to the nearest directory with a .git, if there is one within reach; else the directory alone.
  const dirs = [start];
  let repo = existsSync(path.join(start, '.git'));
  for (let dir = start, k = 0; k < MAX_LEVELS && !repo; k++) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dirs.push((dir = up));
    repo = existsSync(path.join(dir, '.git'));
  }
  if (!repo) dirs.length = 1;
  // A directory that is not there (an editor's document not yet saved there) has its own path as its real one.
  found = dirs.map((dir) => {
    try {
      return { dir, real: realpathSync(dir) };
    } catch {
      return { dir, real: dir };
    }
  });
  if (rootsByDir.size >= MAX_CACHED) rootsByDir.clear();
  rootsByDir.set(start, found);
  return found;
}

/** The repository-relative path of a Dockerfile inside a git repository, else its name in its directory (`api/Dockerfile`). */
export function pathInRepository(dockerfile: string): string {
  const all = roots(dockerfile);
  const top = all[all.length - 1].dir;
  const rel = path.relative(all.length > 1 ? top : path.dirname(top), path.resolve(dockerfile));
  return rel.split(path.sep).join('/');
}

/** The real path of `rel` under a root, or undefined when it is outside it, does not exist, or cannot be looked at. */
function inside(root: Root, rel: string): string | undefined {
  if (!rel || path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return undefined;
  try {
    const full = path.join(root.dir, rel);
    // Most lookups are of files that are not there: an lstat answers those without resolving links.
    if (!lstatSync(full, { throwIfNoEntry: false })) return undefined;
    const real = realpathSync(full);
    const within = path.relative(root.real, real);
    return within === '' || (!within.startsWith('..') && !path.isAbsolute(within)) ? real : undefined;
  } catch {
    return undefined; // ENOTDIR (a path through a file), EACCES, a dangling link…
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

/**
 * The build context of the Dockerfile at `dockerfile`; each answer is kept for the context's life (one
 * lint). `contextDir` (`--context`, the config's `context`) is the context's root when the build names
 * one: then it is the only root, and its `.dockerignore` applies unless the Dockerfile has its own.
 */
export function fileBuildContext(dockerfile: string, contextDir?: string): BuildContext {
  const candidates = contextDir ? [explicitRoot(contextDir)] : roots(dockerfile);
  const own = ownIgnoreFile(dockerfile);
  const found = new Map<string, string | undefined>();
  const locate = (rel: string): string | undefined => {
    if (!found.has(rel))
      found.set(
        rel,
        candidates.map((root) => inside(root, rel)).find((f) => f !== undefined),
      );
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
    list(rel) {
      // The context is the Dockerfile's directory (the first root): that is what `docker build .` next to it sends.
      const dir = rel === '' || rel === '.' ? candidates[0]?.real : inside(candidates[0], rel);
      if (!dir) return undefined;
      try {
        return readdirSync(dir).sort();
      } catch {
        return undefined;
      }
    },
    ignoreFile() {
      // `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's `.dockerignore`.
      const found = ignoreFileOf(candidates[0], own);
      return found ? { name: found.name, text: found.text } : null;
    },
    secretFiles() {
      return secretFilesOf(candidates[0], own);
    },
    head(rel, max) {
      const file = locate(rel);
      if (file === undefined) return undefined;
      try {
        const fd = openSync(file, 'r');
        try {
          const buf = Buffer.alloc(Math.min(max, 1 << 20));
          return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
        } finally {
          closeSync(fd);
        }
      } catch {
        return undefined;
      }
    },
  };
}

/** Directories as roots, their real paths resolved once (every Dockerfile of a directory asks for its own). */
const explicitRoots = new Map<string, Root>();

function explicitRoot(dir: string): Root {
  const abs = path.resolve(dir);
  const known = explicitRoots.get(abs);
  if (known) return known;
  let root: Root;
  try {
    root = { dir: abs, real: realpathSync(abs) };
  } catch {
    root = { dir: abs, real: abs };
  }
  if (explicitRoots.size >= MAX_CACHED) explicitRoots.clear();
  explicitRoots.set(abs, root);
  return root;
}

/** The Dockerfile's own ignore file: `<name>.dockerignore` beside it, as a root to read it from. */
function ownIgnoreFile(dockerfile: string): { root: Root; name: string } {
  return { root: explicitRoot(path.dirname(dockerfile)), name: `${path.basename(dockerfile)}.dockerignore` };
}

/** The ignore file that applies (the Dockerfile's own, else the context's), with its absolute path. */
function ignoreFileOf(root: Root, own: { root: Root; name: string }): { name: string; file: string; text: string } | undefined {
  for (const [at, name] of [[own.root, own.name] as const, [root, '.dockerignore'] as const]) {
    const file = inside(at, name);
    const text = file === undefined ? undefined : read(file);
    if (file !== undefined && text !== undefined) return { name, file: path.join(at.dir, name), text };
  }
  return undefined;
}

/** The context's credential files its ignore file lets through (engine/contextFiles.ts). */
function secretFilesOf(root: Root, own: { root: Root; name: string }): ContextSecrets | undefined {
  const found = ignoreFileOf(root, own);
  const ignore = found ? parseDockerignore(found.text) : undefined;
  if (found && !ignore) return undefined; // the builder refuses the ignore file: no build to judge
  try {
    if (!statSync(root.real).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const walk = contextWalk(root.real, found?.text, ignore);
  return {
    files: walk.files,
    truncated: walk.truncated,
    ignoreFile: found
      ? { file: found.file, name: found.name, exists: true, text: found.text }
      : { file: path.join(root.dir, '.dockerignore'), name: '.dockerignore', exists: false, text: '' },
  };
}
