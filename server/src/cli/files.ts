/**
 * Which files the CLI lints: a file named on the command line whatever its name; in a directory,
 * the files named like Dockerfiles (the names the extension contributes the language for), except
 * in `.git`, `node_modules`, `.hg` and `.svn`, and, inside a Git repository, what its `.gitignore`
 * files exclude (those from the repository's root down, with Git's pattern rules: the `ignore`
 * package, which ESLint and Prettier use; a repository nested in the walk, or in a directory that is
 * none, with its own). Outside a repository Git applies no `.gitignore`, and neither does this;
 * `.git/info/exclude` and the global excludes file are not read.
 *
 * The walk is synchronous: one directory is listed after the other anyway, and an awaited listing
 * per directory leaves the process idle between them.
 */
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/**
 * Dockerfile, Containerfile, either with a suffix after `.`, `-` or `_` (Dockerfile.prod,
 * Dockerfile-windows, Dockerfile_dev: the names real repositories use), or NAME.Dockerfile.
 */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false; // Dockerfile.dockerignore: the ignore file beside one
  return /^(?:Dockerfile|Containerfile)(?:[._-].*)?$/.test(name) || name.endsWith('.Dockerfile') || name.endsWith('.dockerfile');
}

export interface Discovery {
  files: string[];
  errors: string[];
}

/** Git matches patterns without regard to case where the file system does (its core.ignorecase default). */
const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';

/** One `.gitignore`: its directory and its patterns. */
interface IgnoreFile {
  dir: string;
  patterns: Ignore;
}

/** The `.gitignore` of a directory, if it has one that can be read. */
function readIgnore(dir: string): IgnoreFile | undefined {
  try {
    return { dir, patterns: ignore({ ignorecase: CASE_INSENSITIVE }).add(readFileSync(path.join(dir, '.gitignore'), 'utf8')) };
  } catch {
    return undefined;
  }
}

/** The repository a directory is in (the nearest directory above or at it with a `.git`), if any. */
function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Whether the `.gitignore` files that apply (outermost first; the last that says, wins) exclude a path. */
function isIgnored(file: string, isDir: boolean, applying: IgnoreFile[]): boolean {
  let ignored = false;
  for (const { dir, patterns } of applying) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    const r = patterns.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** Expands the command line's paths into files, in a stable order. */
export async function discover(paths: string[]): Promise<Discovery> {
  const files: string[] = [];
  const errors: string[] = [];
  const walk = (dir: string, inRepository: boolean, applying: IgnoreFile[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push(`${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    let here = applying;
    // A repository inside the walk (a nested one, or one in a directory that is none): its own
    // .gitignore files apply within it, and not those of a repository around it.
    if (entries.some((e) => e.name === '.git')) {
      inRepository = true;
      here = [];
    }
    if (inRepository && entries.some((e) => e.name === '.gitignore')) {
      const own = readIgnore(dir);
      if (own) here = [...here, own];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !(here.length && isIgnored(p, true, here))) walk(p, inRepository, here);
      } else if ((e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name) && !(here.length && isIgnored(p, false, here))) {
        files.push(p);
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      errors.push(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      continue;
    }
    if (!isDir) {
      files.push(p);
      continue;
    }
    // The .gitignore files between the repository's root and this directory apply too.
    const dir = path.resolve(p);
    const root = repositoryRoot(dir);
    const above: IgnoreFile[] = [];
    if (root) {
      const parts = path.relative(root, dir).split(path.sep).filter(Boolean);
      for (let i = 0, d = root; i < parts.length; d = path.join(d, parts[i++])) {
        const found = readIgnore(d);
        if (found) above.push(found);
      }
    }
    // A directory named on the command line is searched even where a .gitignore above excludes it
    // (as a file named there is linted): then only the .gitignore files inside it apply.
    walk(p, root !== undefined, root && dir !== root && isIgnored(dir, true, above) ? [] : above);
  }
  return { files: [...new Set(files)], errors };
}
